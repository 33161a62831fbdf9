"""Placement proposals (issue 15, item 4): who could go where, from a solver. Nothing saved.

For a set of posts to fill in a subtree at a date (the posts R4 names that are vacant or
held by a local person; the head posts whose holder reaches the two-term limit at the next
term; or posts the user picks), propose one person per post among the cadres of the
province who are in a plan on the day and eligible, maximizing the score below with
scipy's `linear_sum_assignment` (ADR 0030). A person confirms each move, which records it
through `services.rotation_create`.

Eligibility (hard), judged by the rule engine itself: each (post, candidate) pair is built
as a rotation (`RotationFacts`: kind "rotation", the purpose of the request, intended,
judged on the date) and as the post's new holder (`HolderFacts`: local or not to the area
the post's unit governs, tenure starting that day), and run through `run_rotation_checks`
(R1 in a plan, R2 months left: 120, or 60 for the non-local and two-term purposes, R3)
and `run_post_checks` (R4 non-local posts, R5 two terms). Any finding makes the pair
ineligible, so no proposal breaks R1–R5 by construction, and the chosen moves are run
through both again together (`Proposals.findings`, which should stay empty). Also
ineligible: a person already holding the post ("holds_post"), and a person whose locality
to an R4 post cannot be judged (hometown or governed area unknown: "locality_unknown").
The registry records no position standards (QĐ 365: `PositionTitle` has none), so none
is checked.

Score of a pair (integers, higher is better), compared in this order:

1. filled: an eligible pair is worth more than any set of lower parts (as many posts
   filled as possible);
2. readiness: 3 planned for that very post, 2 planned for a post of the same rank (the
   title's `rank`), 1 planned for a post of another rank (entries active on the day);
3. months of service left on the day (NĐ 135), counted up to `MONTHS_CAP`;
4. distance from the home area: steps in the area tree between the hometown and the area
   the post's unit governs (0 when unknown), up to `DISTANCE_CAP` (farther is clearer of
   local ties);
5. ties: the candidate earlier in ID-number order.

The objective is the sum over the moves, lexicographic in the parts: each part's weight
exceeds the largest possible sum of the parts below over all posts, so the sum of filled
pairs decides first, then of readiness, months, distance, ID order. The weighted values
stay below 2**53 (the solver works in doubles) or the request is refused (`TooLarge`).

Facts are read in a fixed number of queries (`gather`, whatever the number of posts and
candidates; tests count them); `propose` is pure over them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from scipy.optimize import linear_sum_assignment

from canbo.core import scope
from canbo.organizations.choices import UnitLevel
from canbo.organizations.models import Position, Unit
from canbo.people.models import Person
from canbo.people.post_locality import PostLocality
from canbo.planning import selectors as planning_selectors
from canbo.planning.models import PlanEntry
from canbo.rules.checks.posts import title_codes_by_level
from canbo.rules.engine import run_post_checks, run_rotation_checks
from canbo.rules.facts import CheckContext, EntryFacts, PersonFacts, PositionFacts
from canbo.rules.facts_posts import HolderFacts, PostsFacts
from canbo.rules.facts_rotation import RotationCheckFacts, RotationFacts
from canbo.rules.findings import Finding
from canbo.rules.ruleset import RuleSetData

from . import holders
from .choices import RotationKind, RotationPurpose

MONTHS_CAP = 480
DISTANCE_CAP = 9
#: At most this many posts in one request (the province's R4 set is seven a level).
MAX_POSTS = 40
EXACT = 2**53


class Mode:
    NON_LOCAL = "non_local"
    TERM_LIMIT = "term_limit"
    CHOSEN = "chosen"
    CHOICES = (
        (NON_LOCAL, gettext_lazy("Chức danh bố trí người không phải địa phương (R4)")),
        (TERM_LIMIT, gettext_lazy("Chức danh có người giữ đủ hai nhiệm kỳ (R5)")),
        (CHOSEN, gettext_lazy("Chức danh tự chọn")),
    )


#: The purpose of the rotations proposed for each mode (R2 reads it); CHOSEN: the user's.
PURPOSE_OF = {Mode.NON_LOCAL: RotationPurpose.NON_LOCAL, Mode.TERM_LIMIT: RotationPurpose.TERM_LIMIT}

REASONS = {
    "holds_post": gettext_lazy("đang giữ chức danh này"),
    "locality_unknown": gettext_lazy("không xác định được là người địa phương hay không"),
    "R1": gettext_lazy("không trong quy hoạch (R1)"),
    "R2": gettext_lazy("không đủ thời gian công tác còn lại (R2)"),
    "R3": gettext_lazy("thời gian luân chuyển (R3)"),
    "R4": gettext_lazy("là người địa phương (R4)"),
    "R5": gettext_lazy("quá hai nhiệm kỳ (R5)"),
}


class TooLarge(ValueError):
    """Too many posts (or candidates) for exact integer scores in the solver's doubles."""


@dataclass(frozen=True)
class PostFacts:
    position: PositionFacts
    unit_name: str
    unit_path: str
    unit_level: str  # UnitLevel of the post's unit (R4 is keyed by it)
    title_name: str
    why: str  # "vacant", "local_holder", "term_limit", "chosen"
    r4: bool = False  # the post is one R4 names for its level

    @property
    def id(self) -> int:
        return self.position.id


@dataclass(frozen=True)
class CandidateFacts:
    person: PersonFacts
    unit_name: str
    entries: tuple[EntryFacts, ...] = ()


@dataclass(frozen=True)
class ProposalFacts:
    as_of: dt.date
    posts: tuple[PostFacts, ...]
    candidates: tuple[CandidateFacts, ...]  # in ID-number order
    planned_rank: Mapping[int, int] = field(default_factory=dict)  # position → its title's rank
    local: Mapping[tuple[int, int], bool | None] = field(default_factory=dict)  # (person, post)
    distance: Mapping[tuple[int, int], int | None] = field(default_factory=dict)


@dataclass(frozen=True, order=True)
class Score:
    filled: int
    readiness: int
    months_left: int
    distance: int

    def __add__(self, other: Score) -> Score:
        return Score(self.filled + other.filled, self.readiness + other.readiness,
                     self.months_left + other.months_left, self.distance + other.distance)  # fmt: skip


NOTHING = Score(0, 0, 0, 0)
READINESS = {3: gettext_lazy("trong quy hoạch chính chức danh này"),
             2: gettext_lazy("trong quy hoạch chức danh cùng bậc"),
             1: gettext_lazy("trong quy hoạch chức danh khác bậc")}  # fmt: skip


@dataclass(frozen=True)
class Move:
    post: PostFacts
    candidate: CandidateFacts
    score: Score  # the parts, capped as counted
    months_left: int  # not capped
    distance: int | None


@dataclass
class PostProposal:
    post: PostFacts
    move: Move | None
    eligible: int  # candidates eligible for this post
    reasons: dict[str, int]  # ineligible candidates by reason (one may have several)


@dataclass
class Proposals:
    as_of: dt.date
    purpose: str
    posts: list[PostProposal]
    candidates: int
    total: Score
    findings: list[Finding]  # of the chosen moves run together: should be empty

    @property
    def moves(self) -> list[Move]:
        return [p.move for p in self.posts if p.move is not None]


# --- Pure --------------------------------------------------------------------------------


def readiness(candidate: CandidateFacts, post: PostFacts, planned_rank: Mapping[int, int],
              on: dt.date) -> int:  # fmt: skip
    active = [e for e in candidate.entries if e.is_active(on)]
    if any(e.position_id == post.id for e in active):
        return 3
    if any(planned_rank.get(e.position_id) == post.position.rank for e in active):
        return 2
    return 1


def pair_score(facts: ProposalFacts, post: PostFacts, candidate: CandidateFacts,
               ctx: CheckContext) -> tuple[Score, int, int | None]:  # fmt: skip
    """The score parts of an eligible pair, the months left and the distance uncapped."""
    left = candidate.person.months_left(ctx.as_of, ctx.schedule)
    distance = facts.distance.get((candidate.person.id, post.id))
    score = Score(1, readiness(candidate, post, facts.planned_rank, ctx.as_of),
                  max(0, min(left, MONTHS_CAP)), min(distance or 0, DISTANCE_CAP))  # fmt: skip
    return score, left, distance


def weights(posts: int, candidates: int) -> tuple[int, int, int, int, int]:
    """Weights of (filled, readiness, months, distance, ID order): each exceeds the largest
    sum of the parts below over `posts` moves."""
    caps = (max(candidates - 1, 0), DISTANCE_CAP, MONTHS_CAP, 3, 1)  # ID order first
    found, below = [], 0
    for cap in caps:
        weight = posts * below + 1
        found.append(weight)
        below += cap * weight
    if posts * below >= EXACT:
        raise TooLarge(_("Quá nhiều chức danh hoặc ứng viên cho một lần đề xuất; hãy chọn ít "
                         "chức danh hơn."))  # fmt: skip
    tie, distance, months, ready, filled = found
    return filled, ready, months, distance, tie


def _hypothetical(facts: ProposalFacts, pairs: Iterable[tuple[PostFacts, CandidateFacts]],
                  purpose: str, as_of: dt.date):  # fmt: skip
    """The pairs as intended rotations (id: the pair's index) and as the posts' holders."""
    rotations, holders_, people, positions = [], [], {}, {}
    for i, (post, cand) in enumerate(pairs):
        person = cand.person
        people[person.id], positions[post.id] = person, post.position
        rotations.append(RotationFacts(
            id=i, person_id=person.id, kind=RotationKind.ROTATION, purpose=purpose,
            to_position_id=post.id, plan_entries=cand.entries))  # fmt: skip
        holders_.append(HolderFacts(
            person=person, position_id=post.id, unit_id=post.position.unit_id,
            unit_name=post.unit_name, unit_path=post.unit_path, level=post.unit_level,
            title_id=0, title_code=post.position.title_code, title_name=post.title_name,
            is_head=False, is_key=post.position.is_key,
            local=facts.local.get((person.id, post.id)), tenure_start=as_of, tenure_months=0))  # fmt: skip
    return (RotationCheckFacts.of(rotations, people.values(), positions.values()),
            PostsFacts.of(holders_))  # fmt: skip


def _run(facts, pairs, purpose, rule_set, ctx) -> list[Finding]:
    rotation_facts, posts_facts = _hypothetical(facts, pairs, purpose, ctx.as_of)
    return (run_rotation_checks(rotation_facts, rule_set, ctx)
            + run_post_checks(posts_facts, rule_set, ctx))  # fmt: skip


def eligibility(facts: ProposalFacts, rule_set: RuleSetData, ctx: CheckContext, purpose: str):
    """(eligible, reasons): (post id, person id) → (score, months left, distance) of each
    eligible pair; → the reasons ("holds_post", "locality_unknown", rule codes) of the
    others. Every pair is run through the rule engine at once."""
    posts, candidates = facts.posts, facts.candidates
    pairs = [(post, cand) for post in posts for cand in candidates]
    reasons: dict[tuple[int, int], set[str]] = {}
    for post, cand in pairs:
        key = (post.id, cand.person.id)
        if cand.person.id in post.position.holder_ids:
            reasons.setdefault(key, set()).add("holds_post")
        if post.r4 and facts.local.get((cand.person.id, post.id)) is None:
            reasons.setdefault(key, set()).add("locality_unknown")
    for finding in _run(facts, pairs, purpose, rule_set, ctx):
        post, cand = pairs[finding.rotation_id] if finding.rotation_id is not None else (
            next(p for p in posts if p.id == finding.position_id), None)
        person_id = cand.person.id if cand is not None else finding.person_id
        reasons.setdefault((post.id, person_id), set()).add(finding.rule)
    eligible = {(post.id, cand.person.id): pair_score(facts, post, cand, ctx)
                for post, cand in pairs if (post.id, cand.person.id) not in reasons}  # fmt: skip
    return eligible, reasons


def propose(facts: ProposalFacts, rule_set: RuleSetData, ctx: CheckContext,
            purpose: str) -> Proposals:  # fmt: skip
    """The optimal proposal over `facts` (pure: no database)."""
    posts, candidates = facts.posts, facts.candidates
    if len(posts) > MAX_POSTS:
        raise TooLarge(_("Mỗi lần đề xuất tối đa %(n)d chức danh.") % {"n": MAX_POSTS})
    eligible, reasons = eligibility(facts, rule_set, ctx, purpose)
    columns = [c for c in candidates if any((p.id, c.person.id) in eligible for p in posts)]
    chosen: dict[int, CandidateFacts] = {}
    if eligible:
        w_filled, w_ready, w_months, w_distance, w_tie = weights(len(posts), len(columns))
        matrix = np.zeros((len(posts), len(columns)), dtype=np.float64)
        for i, post in enumerate(posts):
            for k, cand in enumerate(columns):
                found = eligible.get((post.id, cand.person.id))
                if found is not None:
                    s = found[0]
                    matrix[i, k] = (s.filled * w_filled + s.readiness * w_ready
                                    + s.months_left * w_months + s.distance * w_distance
                                    + (len(columns) - 1 - k) * w_tie)  # fmt: skip
        for i, k in zip(*linear_sum_assignment(matrix, maximize=True), strict=True):
            if matrix[i, k] > 0:
                chosen[posts[i].id] = columns[k]
    out, total = [], NOTHING
    for post in posts:
        counts: Counter[str] = Counter()
        for cand in candidates:
            counts.update(reasons.get((post.id, cand.person.id), ()))
        move = None
        cand = chosen.get(post.id)
        if cand is not None:
            score, left, distance = eligible[(post.id, cand.person.id)]
            move = Move(post=post, candidate=cand, score=score, months_left=left, distance=distance)
            total += score
        n_eligible = sum(1 for c in candidates if (post.id, c.person.id) in eligible)
        out.append(PostProposal(post=post, move=move, eligible=n_eligible,
                                reasons=dict(sorted(counts.items()))))  # fmt: skip
    moves = [(p.post, p.move.candidate) for p in out if p.move is not None]
    findings = _run(facts, moves, purpose, rule_set, ctx) if moves else []
    return Proposals(as_of=facts.as_of, purpose=purpose, posts=out, candidates=len(candidates),
                     total=total, findings=findings)  # fmt: skip


def area_distance(a: str | None, b: str | None, steplen: int = 4) -> int | None:
    """Steps between two nodes of the area tree, by their materialized paths."""
    if not a or not b:
        return None
    common = 0
    while common < min(len(a), len(b)) and a[common:common + steplen] == b[common:common + steplen]:
        common += steplen
    return (len(a) - common) // steplen + (len(b) - common) // steplen


# --- Reads --------------------------------------------------------------------------------


def province_of(unit: Unit) -> Unit:
    """The province-level unit above `unit` (or `unit` itself: one query), whose cadres
    are the candidates."""
    prefixes = [unit.path[:i] for i in range(unit.steplen, len(unit.path) + 1, unit.steplen)]
    found = Unit.objects.filter(path__in=prefixes, level=UnitLevel.PROVINCE).order_by("path").first()
    return found or unit


def posts_to_fill(user, unit: Unit, as_of: dt.date, mode: str, rule_set: RuleSetData,
                  position_ids: Sequence[int] = ()) -> dict[int, str]:  # fmt: skip
    """Position id → why it is to fill, in `unit`'s subtree and the user's scope."""
    positions = Position.objects.filter(unit__path__startswith=unit.path)
    if user is not None:
        positions = scope.restrict(positions, user)
    if mode == Mode.CHOSEN:
        return {pk: "chosen" for pk in positions.filter(pk__in=list(position_ids))
                .order_by("id").values_list("pk", flat=True)}  # fmt: skip
    units = Unit.objects.filter(path__startswith=unit.path)
    if user is not None:
        units = scope.restrict(units, user)
    facts = holders.holder_facts(units, as_of, title_codes=holders.r4_title_codes(rule_set))
    if mode == Mode.TERM_LIMIT:
        return {w.holder.position_id: "term_limit"
                for w in holders.term_limit_watch(facts, rule_set)}  # fmt: skip
    found = {h.position_id: "local_holder" for h in holders.local_posts(facts, rule_set)}
    rule = rule_set.rule("R4")
    if rule is not None:  # vacant R4 posts: nobody holds them on the day
        held = {h.position_id for h in facts.holders}
        r4 = Q()
        for level, codes in title_codes_by_level(rule).items():
            r4 |= Q(unit__level=level, title__code__in=sorted(codes))
        for pk in positions.filter(r4).order_by("id").values_list("pk", flat=True):
            if pk not in held:
                found.setdefault(pk, "vacant")
    return found


def gather(user, unit: Unit, as_of: dt.date, mode: str, rule_set: RuleSetData,
           position_ids: Sequence[int] = ()) -> ProposalFacts:  # fmt: skip
    """The facts of a proposal in a fixed number of queries."""
    why = posts_to_fill(user, unit, as_of, mode, rule_set, position_ids)
    province = province_of(unit)
    active = PlanEntry.objects.filter(planning_selectors.active_entries_q(as_of),
                                      person_id=OuterRef("pk"))  # fmt: skip
    people = Person.objects.filter(Exists(active), unit__path__startswith=province.path)
    if user is not None:
        people = scope.restrict(people, user)
    rows = list(people.order_by("id_number").values_list("id", "hometown_id", "unit__name"))
    if not why:
        return ProposalFacts(as_of=as_of, posts=(), candidates=())
    positions = planning_selectors.position_facts(why, as_of)
    places = {pk: rest for pk, *rest in Position.objects.filter(pk__in=list(why)).values_list(
        "pk", "unit__name", "unit__path", "unit__level", "title__name")}  # fmt: skip
    r4_rule = rule_set.rule("R4")
    r4 = title_codes_by_level(r4_rule) if r4_rule is not None else {}
    posts = []
    for pk, reason in why.items():
        name, path, level, title = places[pk]
        position = positions[pk]
        posts.append(PostFacts(position=position, unit_name=name, unit_path=path,
                               unit_level=level, title_name=title, why=reason,
                               r4=position.title_code in r4.get(level, ())))  # fmt: skip
    posts.sort(key=lambda p: (p.unit_path, p.position.title_code, p.id))
    person_ids = [row[0] for row in rows]
    entries = planning_selectors.entries_of_people(person_ids, as_of)
    facts = planning_selectors.people_facts(person_ids, as_of)
    planned = {e.position_id for found in entries.values() for e in found}
    planned_rank = dict(Position.objects.filter(pk__in=sorted(planned))
                        .values_list("pk", "title__rank"))  # fmt: skip
    locality = PostLocality([Unit(pk=p.position.unit_id, path=p.unit_path) for p in posts],
                            {row[1] for row in rows})  # fmt: skip
    local, distance = {}, {}
    for person_id, hometown_id, _unit in rows:
        for post in posts:
            unit_id = post.position.unit_id
            local[person_id, post.id] = locality.judge(hometown_id, unit_id)
            governed = locality.governed.get(unit_id)
            distance[person_id, post.id] = area_distance(
                locality.path_of.get(hometown_id), locality.path_of.get(governed))
    candidates = tuple(CandidateFacts(person=facts[pk], unit_name=unit_name,
                                      entries=tuple(entries.get(pk, ())))
                       for pk, _home, unit_name in rows)  # fmt: skip
    return ProposalFacts(as_of=as_of, posts=tuple(posts), candidates=candidates,
                         planned_rank=planned_rank, local=local, distance=distance)  # fmt: skip


def proposals(user, unit: Unit, as_of: dt.date, mode: str, rule_set: RuleSetData, *,
              purpose: str | None = None, position_ids: Sequence[int] = ()) -> Proposals:  # fmt: skip
    """Proposals for `unit`'s subtree on `as_of`, as `user` may see it (None: everything)."""
    purpose = PURPOSE_OF.get(mode, purpose or RotationPurpose.TRAINING)
    facts = gather(user, unit, as_of, mode, rule_set, position_ids)
    return propose(facts, rule_set, CheckContext(as_of), purpose)


def reason_label(code: str) -> str:
    return str(REASONS.get(code, code))
