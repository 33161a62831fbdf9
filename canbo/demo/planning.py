"""Succession plans of the demo province for the next party term (2030–2035).

Called by the province builder at the end of its transaction, with the
builder's in-memory units, seats and people (no query to find candidates).
Every plan, entry, removal, review and change of status is written through
`canbo.planning.services`, as an operator's clicks would be, so the demo also
carries their audit events and status history.

What is built (dates before the data's reference date, REFERENCE_DATE):

- the provincial committee's plan of the key provincial posts (secretary,
  deputies, chairs of the people's committee and council and their deputies,
  heads of the party agencies), approved in December 2024, published, and
  reviewed once in November 2025 (one person out, new people in); a few
  posts it covers have no successor (police, court, procuracy: centrally
  rotated);
- one plan per party agency and department (head and deputies), from the
  agency's own staff and a few people from other agencies;
- a plan for the party committee of up to COMMUNE_PLANS communes spread over
  the province (secretary, deputies, the chairs and their deputies, the
  inspection chief), from the commune's cadres and a few from the next
  commune — every commune would cost about a second of service calls each
  (docs/performance/planning.md, "Planning checks");
- statuses spread over draft, submitted, approved and published; a few
  entries taken out of drafts with their reason.

Successors are chosen to pass the rules (rank above the post held, a full
term left at the term start — two terms when planned for the first time —,
no discipline or weak rating, at most two posts of a level per person, at
most three people per seat; people swapped in until the women, young and
age-bracket structure of P6 is met, when the pools allow); then violations are
made on purpose, each in a plan of its own, so the demo shows findings:

    P1  first commune: four people for the secretary's post;
    P2  second commune: one person planned for four commune posts;
    P3  second agency: the head of another agency planned for the same title
        (or one held at or above it);
    P5  fourth agency: a person who cannot serve a full term (error); the
        provincial committee's review: a first-time entry with less than two
        terms left (warning);
    P6  third agency: only men over 45 (women, young and possibly age brackets);
    P7  third commune: a person under discipline, or rated "not completed"
        (flag); provincial committee: a person planned in 2024 who by the review
        no longer has a full term left (age flag);
    P8  first agency: approved in November 2024 and never reviewed;
    P9  the last agencies but two: submitted 70 days before CHECKED_ON and not
        yet approved (the other submitted plans wait 10 days).

Status changes are dated as the story has them (drafted, submitted two weeks
before approval, approved, published), not at the moment the demo is built.

P4 (an open appointment or nomination case) comes from `canbo.demo.appointments`,
run after the plans: a case opened before the provincial review for a person the
review adds. The designed findings are those of `check_plans(..., CHECKED_ON)`;
on a later day more plans are overdue for review (P8). With few people
(`--people` in the hundreds) some violations may lack a candidate and are
left out; `PlanSummary.violations` lists the ones made.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field

from django.utils import timezone

from canbo.organizations.choices import TermBody, UnitLevel
from canbo.organizations.models import Term
from canbo.people.choices import DisciplineForm, EvaluationRating, Sex
from canbo.people.derived import age_on, months_left, retirement_date
from canbo.planning import services
from canbo.planning.choices import EntrySource, PlanStatus, RemovalReason
from canbo.planning.models import PlanTransition

from . import catalog
from .careers import REFERENCE_DATE

DECIDED = (PlanStatus.APPROVED, PlanStatus.PUBLISHED)
CHECKED_ON = REFERENCE_DATE  # the day the designed findings are exactly those of the check
TERM_START = dt.date(2030, 10, 1)  # the party term 2030–2035 (catalog.TERMS)
FULL_TERM = 60  # months (P5 of the default rule set)
TWO_TERMS = 120
YOUNG_UNDER = 40  # province level (P6)
MAX_PER_LEVEL = 2  # posts of one level per person when clean (the rule allows 3)
COMMUNE_PLANS = 24  # communes with a plan, spread over the province

COMMUNE_TARGETS = ("X-BT", "X-PBT", "X-UBND-CT", "X-HDND-CT", "X-UBND-PCT", "X-HDND-PCT",
                   "X-CNUBKT")  # fmt: skip
PROVINCE_TARGETS = (
    ("TU", "TU-BT"), ("TU", "TU-PBT"), ("UBND", "UBND-T-CT"), ("HDND", "HDND-T-CT"),
    ("UBND", "UBND-T-PCT"), ("HDND", "HDND-T-PCT"), ("BTC", "TU-TB"), ("BTGDV", "TU-TB"),
    ("UBKT", "TU-CNUBKT"), ("VPTU", "TU-CVP"), ("MTTQ", "MTTQ-T-CT"),
    ("CA", "CA-T-GD"), ("TAND", "TAND-T-CA"), ("VKS", "VKS-T-VT"),
)  # fmt: skip
NO_SUCCESSOR = frozenset({"CA-T-GD", "TAND-T-CA", "VKS-T-VT"})  # centrally rotated
AGENCY_KEYS = ("BTC", "BTGDV", "UBKT", "VPTU", "VPUB", "SNV", "STC", "STP", "SCT", "SXD",
               "SNNMT", "SKHCN", "SGDDT", "SYT", "SVHTTDL", "SDTTG", "SNGV", "TTT", "MTTQ")  # fmt: skip


@dataclass(frozen=True)
class Violation:
    """A finding made on purpose: rule, reason, planning unit, person (ID number), title."""

    rule: str
    reason: str
    unit_code: str
    id_number: str | None = None
    title_code: str | None = None


@dataclass
class PlanSummary:
    plans: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    positions: int = 0
    entries: int = 0
    removed: int = 0
    reviews: int = 0
    violations: list[Violation] = field(default_factory=list)
    # The appointment cases designed to break one rule each: (rule, ID number).
    case_violations: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(eq=False)
class Candidate:
    spec: object  # builder.PersonSpec
    unit: object  # builder.UnitSpec of the main post
    rank: int  # highest rank held on CHECKED_ON (0: none)
    months: int  # months left at the term start
    age: int  # on CHECKED_ON
    woman: bool
    flag: str  # "" or why P7 would flag the person

    @property
    def person(self):
        return self.spec.person

    @property
    def young(self) -> bool:
        return self.age < YOUNG_UNDER

    @property
    def clean(self) -> bool:
        return not self.flag and self.months >= FULL_TERM


@dataclass(eq=False)
class Entry:
    who: Candidate
    pos: object  # builder.PosSpec
    first_time: bool = False
    fixed: bool = False  # made on purpose: never swapped by the structure repair
    removal: tuple[str, str] | None = None  # taken out of the draft: (reason, note)
    in_review: bool = False  # added by the plan's review
    out_in_review: bool = False  # taken out by the plan's review
    row: object = None  # the PlanEntry once written

    @property
    def active(self) -> bool:
        return self.removal is None and not self.out_in_review


@dataclass(eq=False)
class PlanSpec:
    unit: object  # builder.UnitSpec
    covered: list
    entries: list[Entry] = field(default_factory=list)
    status: str = PlanStatus.APPROVED
    drafted: dt.date = dt.date(2025, 9, 1)
    submitted: dt.date | None = None  # default: two weeks before approval (or CHECKED_ON)
    approved: dt.date | None = None
    published: dt.date | None = None
    decision: str = ""
    review: tuple[dt.date, str] | None = None  # (date, decision number)
    repair: bool = True
    level: str = UnitLevel.PROVINCE


def age_brackets(ages, gap: int = 5) -> int:
    """P6's count: the longest chain of ages each `gap` years above the previous one."""
    count, floor = 0, None
    for age in sorted(ages):
        if floor is None or age >= floor + gap:
            count, floor = count + 1, age
    return count


def _flag(spec) -> str:
    """Why P7 (default parameters) would flag the person on CHECKED_ON, or ""."""
    since = CHECKED_ON.year - 1
    for d in spec.disciplines:
        lapsed = d.end_date is not None and d.end_date < CHECKED_ON
        if d.effective_date <= CHECKED_ON and (not lapsed or d.form not in _LIGHT):
            return "discipline"
    if any(
        e.year >= since and e.rating == EvaluationRating.NOT_COMPLETED for e in spec.evaluations
    ):
        return "rating"
    if any(v.year >= since and v.base and 2 * v.low > v.base for v in spec.votes):
        return "confidence"
    return ""


_LIGHT = frozenset({DisciplineForm.REPRIMAND, DisciplineForm.WARNING})


class DemoPlans:
    def __init__(self, builder):
        self.b = builder
        self.rng = random.Random(builder.rng.getrandbits(64))
        self.load: dict[tuple[int, str], int] = {}  # (candidate id, level) -> posts planned
        self.violations: list[Violation] = []
        self.candidates = [self.candidate(spec) for spec in builder.people]
        self.by_unit: dict[int, list[Candidate]] = {}
        self.level_pool: dict[str, list[Candidate]] = {}
        for c in self.candidates:
            self.by_unit.setdefault(id(c.unit), []).append(c)
            self.level_pool.setdefault(c.unit.level, []).append(c)

    # --- candidates -----------------------------------------------------------

    @staticmethod
    def candidate(spec) -> Candidate:
        person = spec.person
        held = [
            p.position.title.rank
            for p in spec.posts
            if p.position is not None
            and p.start <= CHECKED_ON
            and (p.end is None or p.end >= CHECKED_ON)
        ]
        retire = retirement_date(person.sex, person.birth_date, person.birth_date_precision)
        return Candidate(
            spec=spec,
            unit=spec.slot.pos.unit,
            rank=max(held, default=0),
            months=months_left(retire, TERM_START),
            age=age_on(person.birth_date, person.birth_date_precision, CHECKED_ON),
            woman=person.sex == Sex.FEMALE,
            flag=_flag(spec),
        )

    def people_of(self, units) -> list[Candidate]:
        return [c for u in units for c in self.by_unit.get(id(u), ())]

    def free(self, c: Candidate, level: str) -> bool:
        return self.load.get((id(c), level), 0) < MAX_PER_LEVEL

    def eligible(
        self, pool, pos, plan: PlanSpec, *, floor: int = 0, full_ok: bool = False
    ) -> list[Candidate]:
        """Who may be planned for `pos` without breaking a rule (none once the post is full)."""
        rank, level = pos.title.rank, pos.title.level
        taken = {id(e.who) for e in plan.entries if e.pos is pos and e.active}
        if not full_ok and len(taken) >= 3 * pos.seats:
            return []
        return [
            c
            for c in pool
            if c.clean and floor <= c.rank < rank and id(c) not in taken and self.free(c, level)
        ]

    def choose(self, eligible: list[Candidate], n: int) -> list[Candidate]:
        """n people among the closest in rank below the post (a few more than n drawn from)."""
        ranked = sorted(eligible, key=lambda c: -c.rank)
        top = ranked[: max(n * 2 + 1, 4)]
        return self.rng.sample(top, min(n, len(top)))

    def add(self, plan: PlanSpec, c: Candidate, pos, *, fixed=False, first_time=None) -> Entry:
        if first_time is None:
            first_time = c.rank < 40 and c.months >= TWO_TERMS and self.rng.random() < 0.6
        entry = Entry(c, pos, first_time=first_time, fixed=fixed)
        plan.entries.append(entry)
        key = (id(c), pos.title.level)
        self.load[key] = self.load.get(key, 0) + 1
        return entry

    def drop(self, plan: PlanSpec, entry: Entry) -> None:
        plan.entries.remove(entry)
        key = (id(entry.who), entry.pos.title.level)
        self.load[key] -= 1

    def fill(self, plan: PlanSpec, pool, targets, *, floor=0, extra=()) -> None:
        """n successors for each (post, n) from `pool`, topped up from `extra`."""
        for pos, n in targets:
            chosen = self.choose(self.eligible(pool, pos, plan, floor=floor), n)
            for c in chosen:
                self.add(plan, c, pos)
            if len(chosen) < n and extra:
                for c in self.choose(self.eligible(extra, pos, plan, floor=floor), n - len(chosen)):
                    self.add(plan, c, pos)

    def room(self, plan: PlanSpec, pos) -> None:
        """Make room for one more successor of `pos` within P1's limit."""
        planned = [e for e in plan.entries if e.pos is pos and e.active and not e.fixed]
        total = sum(1 for e in plan.entries if e.pos is pos and e.active)
        if total >= 3 * pos.seats and planned:
            self.drop(plan, planned[-1])

    # --- structure (P6) ---------------------------------------------------------

    @staticmethod
    def people(plan: PlanSpec) -> list[Candidate]:
        return list({id(e.who): e.who for e in plan.entries if e.active}.values())

    @staticmethod
    def shortfall(plan: PlanSpec, people: list[Candidate]) -> int:
        """How far the people are from P6's structure: women, young (province), age brackets."""
        n = len(people)
        short = max(0, -(-n // 4) - sum(1 for c in people if c.woman))
        if plan.level == UnitLevel.PROVINCE:
            short += max(0, -(-3 * n // 20) - sum(1 for c in people if c.young))
        if n:
            short += max(0, 3 - age_brackets([c.age for c in people]))
        return short

    def repair(self, plan: PlanSpec, *pools) -> None:
        """Swap people in (or add one) until the plan meets P6's structure, if the pools allow.

        The first pool is tried first (the unit's own people), then the wider ones.
        """
        for pool in pools:
            for _attempt in range(2 * len(plan.entries) + 3):
                people = self.people(plan)
                short = self.shortfall(plan, people)
                if not short:
                    return
                if not self._improve(plan, pool, people, short):
                    break

    def _improve(self, plan: PlanSpec, pool, people, short) -> bool:
        """One swap (or one addition) that brings the plan closer to P6's structure."""
        inside = {id(c) for c in people}
        n = len(people)
        if 4 * sum(1 for c in people if c.woman) < n:
            wanted = lambda c: c.woman  # noqa: E731
        elif plan.level == UnitLevel.PROVINCE and 20 * sum(1 for c in people if c.young) < 3 * n:
            wanted = lambda c: c.young  # noqa: E731
        else:
            wanted = lambda c: True  # noqa: E731

        def options(pos, full_ok):
            found = self.eligible(pool, pos, plan, full_ok=full_ok)
            found = [c for c in found if id(c) not in inside and wanted(c)]
            return sorted(found, key=lambda c: -c.rank)[:60]

        counts: dict[int, int] = {}
        for e in plan.entries:
            counts[id(e.who)] = counts.get(id(e.who), 0) + 1
        for entry in reversed(plan.entries):
            if entry.fixed or not entry.active or counts[id(entry.who)] > 1:
                continue
            rest = [c for c in people if c is not entry.who]
            for o in options(entry.pos, True):
                if self.shortfall(plan, [*rest, o]) < short:
                    self.drop(plan, entry)
                    self.add(plan, o, entry.pos)
                    return True
        for pos in plan.covered:
            if pos.title.code in NO_SUCCESSOR:
                continue
            for o in options(pos, False):
                if self.shortfall(plan, [*people, o]) < short:
                    self.add(plan, o, pos)
                    return True
        return False

    # --- the plans ----------------------------------------------------------------

    def day(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, (end - start).days))

    def number(self, suffix: str) -> str:
        return f"{self.rng.randint(20, 990)}-QĐ/{suffix}"

    @staticmethod
    def position(unit, code):
        return next((p for p in unit.positions if p.title.code == code), None)

    def province_plan(self) -> PlanSpec | None:
        pu = self.b.province_units
        covered = [
            pos
            for key, code in PROVINCE_TARGETS
            if key in pu and (pos := self.position(pu[key], code)) is not None
        ]
        plan = PlanSpec(self.b.root, covered, status=PlanStatus.PUBLISHED)
        plan.drafted, plan.approved = dt.date(2024, 9, 16), dt.date(2024, 12, 20)
        plan.published, plan.decision = dt.date(2025, 1, 6), self.number("TW")
        pool = [c for c in self.candidates if c.unit.level == UnitLevel.PROVINCE and c.rank >= 40]
        targets = []
        for pos in covered:
            if pos.title.code in NO_SUCCESSOR:
                continue
            n = self.rng.choice((2, 3, 3)) if pos.title.is_key else self.rng.choice((1, 2))
            targets.append((pos, min(3 * pos.seats, n + pos.seats - 1)))
        self.fill(plan, pool, targets, floor=55)
        # Young sources: heads of office planned for a deputy chair post.
        deputies = [pos for pos in covered if pos.title.code in ("UBND-T-PCT", "HDND-T-PCT")]
        for pos in deputies:
            self.fill(plan, [c for c in pool if c.young], [(pos, 1)])
        planned = [pos for pos in covered if pos.title.code not in NO_SUCCESSOR]

        # P7 (age): planned in 2024, no full term left by the review of 2025.
        old = [
            (c, pos)
            for pos in planned
            for c in pool
            if not c.flag and 12 <= c.months < FULL_TERM and c.rank < pos.title.rank
            and self.free(c, pos.title.level) and all(e.who is not c for e in plan.entries)
        ]  # fmt: skip
        if old:
            c, pos = old[self.rng.randrange(len(old))]
            self.room(plan, pos)
            self.add(plan, c, pos, fixed=True, first_time=False)
            self.violations.append(Violation("P7", "age", plan.unit.code, c.person.id_number))

        # The review of November 2025: one man moved elsewhere, new people in.
        plan.review = (dt.date(2025, 11, 25), self.number("TW"))
        movable = [e for e in plan.entries if not e.fixed and not e.who.woman and not e.who.young]
        if movable:
            out = movable[self.rng.randrange(len(movable))]
            out.fixed = out.out_in_review = True
        in_plan = {id(e.who) for e in plan.entries}
        for pos in planned[:2]:
            options = self.eligible(pool, pos, plan)
            options = [c for c in options if id(c) not in in_plan]
            for c in self.choose([c for c in options if c.woman] or options, 1):
                self.add(plan, c, pos, fixed=True).in_review = True
                in_plan.add(id(c))
        # P5 (first time): a first-time entry with less than two terms left.
        for pos in planned:
            options = [
                c
                for c in self.eligible(pool, pos, plan)
                if id(c) not in in_plan and c.months < TWO_TERMS
            ]
            if options:
                c = self.choose(options, 1)[0]
                self.add(plan, c, pos, fixed=True, first_time=True).in_review = True
                self.violations.append(
                    Violation(
                        "P5", "first_time", plan.unit.code, c.person.id_number, pos.title.code
                    )
                )
                break
        self.repair(plan, pool)
        return plan

    def agency_plans(self) -> list[PlanSpec]:
        pu = self.b.province_units
        units = [pu[key] for key in AGENCY_KEYS if key in pu]
        plans = []
        for index, unit in enumerate(units):
            head, deputy = unit.positions[0], unit.positions[1]
            plan = PlanSpec(unit, [head, deputy])
            plan.drafted = self.day(dt.date(2025, 3, 1), dt.date(2025, 4, 30))
            plan.approved = self.day(dt.date(2025, 6, 15), dt.date(2025, 9, 30))
            plan.decision = self.number("TU")
            r = self.rng.random()
            if r < 0.35:
                plan.status = PlanStatus.PUBLISHED
                plan.published = plan.approved + dt.timedelta(days=self.rng.randint(7, 30))
            if index >= len(units) - 3:  # the last ones are still in the works, whatever the draw
                tail = (PlanStatus.SUBMITTED, PlanStatus.DRAFT, PlanStatus.SUBMITTED)
                plan.status, plan.published = tail[index - len(units) + 3], None
                if index == len(units) - 3:  # P9: submitted in October, still not approved
                    plan.submitted = CHECKED_ON - dt.timedelta(days=70)
                    self.violations.append(Violation("P9", "", unit.code))
            own = self.people_of([unit])
            others = [c for c in self.candidates if c.unit.level == UnitLevel.PROVINCE
                      and c.unit is not unit and 40 <= c.rank < 70]  # fmt: skip
            if index == 2:  # P6: only men over 45
                plan.repair = False
                pool = [c for c in own + others if not c.woman and c.age >= 45]
                self.fill(plan, pool, [(head, 2), (deputy, 2)], floor=40)
                for e in plan.entries:
                    e.fixed = True
                if plan.entries:
                    ages = [e.who.age for e in plan.entries]
                    reasons = ["women", "young"]
                    if age_brackets(ages) < 3:
                        reasons.append("age_brackets")
                    for reason in reasons:
                        self.violations.append(Violation("P6", reason, unit.code))
                plans.append(plan)
                continue
            targets = [(head, self.rng.choice((2, 3))), (deputy, deputy.seats)]
            self.fill(plan, own, targets, floor=30, extra=others)
            outside = self.eligible(others, deputy, plan)
            if outside and self.rng.random() < 0.6:
                self.add(plan, self.choose(outside, 1)[0], deputy)
            if index == 0:  # P8: approved in November 2024, never reviewed since
                plan.drafted, plan.approved = dt.date(2024, 8, 12), dt.date(2024, 11, 15)
                plan.status, plan.published = PlanStatus.APPROVED, None
                self.violations.append(Violation("P8", "", unit.code))
            elif index == 1:  # P3: someone of another agency already at (or above) the post
                for pos in (head, deputy):
                    lateral = [
                        c
                        for c in self.level_pool.get(UnitLevel.PROVINCE, ())
                        if c.unit is not unit and c.clean and self.free(c, pos.title.level)
                        and pos.title.rank <= c.rank <= pos.title.rank + 10
                    ]  # fmt: skip
                    if lateral:
                        # The same title elsewhere first: a head moved from another agency.
                        lateral.sort(key=lambda c: c.rank != pos.title.rank)
                        c = lateral[0]
                        self.room(plan, pos)
                        self.add(plan, c, pos, fixed=True, first_time=False)
                        self.violations.append(
                            Violation("P3", "", unit.code, c.person.id_number, pos.title.code)
                        )
                        break
            elif index == 3:  # P5: cannot serve a full term
                short = [
                    c
                    for c in own + others
                    if not c.flag and 0 < c.months < FULL_TERM and 40 <= c.rank < head.title.rank
                    and self.free(c, head.title.level)
                ]  # fmt: skip
                if short:
                    c = self.choose(short, 1)[0]
                    self.room(plan, head)
                    self.add(plan, c, head, fixed=True, first_time=False)
                    self.violations.append(
                        Violation("P5", "full_term", unit.code, c.person.id_number, head.title.code)
                    )
            self.repair(plan, own + others, self.level_pool.get(UnitLevel.PROVINCE, []))
            plans.append(plan)
        return plans

    def commune_plans(self) -> list[PlanSpec]:
        communes = [self.b.commune_units[c.id] for c in self.b.communes]
        # Every commune would cost a second or more of service calls each: a spread sample.
        step = max(1, -(-len(communes) // COMMUNE_PLANS))
        chosen = communes[::step]
        plans = []
        for index, local in enumerate(chosen):
            du = local["DU"]
            covered = [
                pos
                for u in local.values()
                for pos in u.positions
                if pos.title.code in COMMUNE_TARGETS and not pos.is_staff
            ]
            covered.sort(key=lambda p: COMMUNE_TARGETS.index(p.title.code))
            plan = PlanSpec(du, covered, level=UnitLevel.COMMUNE)
            plan.drafted = self.day(dt.date(2025, 9, 1), dt.date(2025, 10, 15))
            plan.approved = self.day(dt.date(2025, 10, 20), dt.date(2025, 12, 10))
            plan.decision = self.number("TU")
            r = self.rng.random()
            if r < 0.15:
                plan.status = PlanStatus.PUBLISHED
                plan.published = plan.approved + dt.timedelta(days=self.rng.randint(5, 20))
            elif r < 0.27:
                plan.status = PlanStatus.SUBMITTED
            elif r < 0.35:
                plan.status = PlanStatus.DRAFT
            own = self.people_of(local.values())
            nearby = self.people_of(communes[(index * step + 1) % len(communes)].values())
            targets = []
            for pos in covered:
                if pos.title.is_key:
                    n = self.rng.choice((2, 2, 3)) + (1 if pos.seats > 1 else 0)
                else:
                    n = self.rng.choice((0, 1, 1, 2))
                targets.append((pos, n))
            self.fill(plan, own, targets, floor=25)
            outside = [o for o in nearby if o.rank >= 30]
            if outside and covered and self.rng.random() < 0.5:
                pos = covered[self.rng.randrange(len(covered))]
                for c in self.choose(self.eligible(outside, pos, plan), 1):
                    self.add(plan, c, pos)
            if index < 3:
                self._commune_violation(index, plan, own, nearby)
            self.repair(plan, own + nearby, self.level_pool.get(UnitLevel.COMMUNE, []))
            plans.append(plan)
        return plans

    def _commune_violation(self, index, plan, own, nearby) -> None:
        by_code = {pos.title.code: pos for pos in plan.covered}
        secretary = by_code.get("X-BT")
        if secretary is None:
            return
        code = plan.unit.code
        if index == 0:  # P1: four people for the secretary's post
            planned = [e for e in plan.entries if e.pos is secretary]
            for e in planned:
                e.fixed = True
            wanted = 4 - len(planned)
            options = self.eligible(own + nearby, secretary, plan, full_ok=True)
            if len(options) >= wanted:
                for c in self.choose(options, wanted):
                    self.add(plan, c, secretary, fixed=True)
                self.violations.append(Violation("P1", "", code, None, "X-BT"))
        elif index == 1:  # P2: one person for four posts of the commune level
            posts = [
                by_code[k] for k in ("X-BT", "X-PBT", "X-UBND-CT", "X-HDND-CT") if k in by_code
            ]
            options = [
                c
                for c in own
                if c.clean and c.rank < 38 and self.load.get((id(c), UnitLevel.COMMUNE), 0) == 0
            ]
            if len(posts) == 4 and options:
                c = self.choose(options, 1)[0]
                for pos in posts:
                    planned = [e for e in plan.entries if e.pos is pos]
                    while len(planned) >= 3 * pos.seats:
                        self.drop(plan, planned.pop())
                    self.add(plan, c, pos, fixed=True, first_time=False)
                self.violations.append(Violation("P2", "", code, c.person.id_number))
        else:  # P7: under discipline or rated "not completed"
            flagged = [
                c
                for c in self.candidates
                if c.flag and c.months >= FULL_TERM and c.rank < secretary.title.rank
                and all(e.who is not c for e in plan.entries)
            ]  # fmt: skip
            pos = by_code.get("X-PBT", secretary)
            flagged = [c for c in flagged if c.rank < pos.title.rank]
            if flagged:
                flagged.sort(key=lambda c: (c.flag != "discipline", c.flag != "rating"))
                c = flagged[0]
                self.room(plan, pos)
                self.add(plan, c, pos, fixed=True, first_time=False)
                self.violations.append(Violation("P7", c.flag, code, c.person.id_number))

    def removals(self, plans: list[PlanSpec]) -> None:
        """A few entries taken out of drafts before submission, with their reasons."""
        reasons = (
            (RemovalReason.MOVED, "Điều động sang đơn vị khác trước khi trình phê duyệt."),
            (RemovalReason.OTHER, "Cá nhân có đơn xin không đưa vào quy hoạch."),
            (RemovalReason.EVALUATION, ""),
        )
        chosen = [p for p in plans if p.level == UnitLevel.COMMUNE][3::9][:6]
        for i, plan in enumerate(chosen):
            movable = [e for e in plan.entries if not e.fixed and e.active and not e.who.woman]
            counts: dict[int, int] = {}
            for e in plan.entries:
                counts[id(e.pos)] = counts.get(id(e.pos), 0) + 1
            # Keep at least one successor for the post.
            movable = [e for e in movable if counts[id(e.pos)] > 1]
            if movable:
                movable[self.rng.randrange(len(movable))].removal = reasons[i % len(reasons)]

    # --- writing ----------------------------------------------------------------------

    def write(self, plan: PlanSpec, term, summary: PlanSummary) -> None:
        source_of = {
            True: EntrySource.INSIDE,
            False: EntrySource.OUTSIDE,
        }
        path = plan.unit.obj.path

        def source(c: Candidate) -> str:
            return source_of[c.unit.obj.path.startswith(path)]

        row = services.plan_create(
            actor=None,
            planning_unit=plan.unit.obj,
            term=term,
            positions=[pos.obj for pos in plan.covered],
        )
        summary.positions += len(plan.covered)
        for e in plan.entries:
            if e.in_review:
                continue
            entry = services.entry_add(
                actor=None, plan=row, person=e.who.person, position=e.pos.obj,
                source=source(e.who), added_on=plan.drafted, first_time=e.first_time,
            )  # fmt: skip
            e.row = entry
            summary.entries += 1
            if e.removal is not None:
                reason, note = e.removal
                last = (plan.approved or CHECKED_ON) - plan.drafted
                removed_on = plan.drafted + dt.timedelta(
                    days=self.rng.randint(1, max(1, min(20, last.days - 1)))
                )
                services.entry_remove(
                    actor=None, entry=entry, reason=reason, note=note, removed_on=removed_on
                )
                summary.removed += 1
        if plan.status != PlanStatus.DRAFT:
            services.plan_submit(actor=None, plan=row)
        if plan.status in DECIDED:
            services.plan_approve(
                actor=None,
                plan=row,
                approver_unit=self.b.root.obj,
                decision_number=plan.decision,
                decision_date=plan.approved,
            )
        if plan.status == PlanStatus.PUBLISHED:
            services.plan_publish(actor=None, plan=row, published_on=plan.published)
        self.date_history(row, plan)
        if plan.review is not None:
            reviewed, decision = plan.review
            removals = [
                services.EntryRemoval(
                    entry=e.row,
                    reason=RemovalReason.MOVED,
                    note="Điều động, luân chuyển sang công tác ở Trung ương.",
                )
                for e in plan.entries
                if e.out_in_review
            ]
            additions = [
                services.EntryAddition(
                    person=e.who.person, position=e.pos.obj, source=source(e.who),
                    first_time=e.first_time,
                )
                for e in plan.entries
                if e.in_review
            ]  # fmt: skip
            services.review_record(
                actor=None,
                plan=row,
                reviewed_on=reviewed,
                decision_number=decision,
                note="Rà soát, bổ sung quy hoạch hằng năm.",
                additions=additions,
                removals=removals,
            )
            summary.reviews += 1
            summary.entries += len(additions)
            summary.removed += len(removals)
        summary.plans += 1
        summary.by_status[plan.status] = summary.by_status.get(plan.status, 0) + 1

    @staticmethod
    def date_history(row, plan: PlanSpec) -> None:
        """Date the status changes as the story has them (services stamp the moment of the call)."""
        approved = plan.approved if plan.status in DECIDED else None
        submitted = plan.submitted or (
            max(plan.drafted, approved - dt.timedelta(days=14))
            if approved
            else CHECKED_ON - dt.timedelta(days=10)
        )
        days = {
            PlanStatus.DRAFT: plan.drafted,
            PlanStatus.SUBMITTED: submitted,
            PlanStatus.APPROVED: approved,
            PlanStatus.PUBLISHED: plan.published,
        }
        for status, day in days.items():
            if day is not None:
                at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
                PlanTransition.objects.filter(plan=row, to_status=status).update(at=at)

    def run(self) -> PlanSummary:
        started = time.perf_counter()
        summary = PlanSummary()
        spec = next(t for t in catalog.TERMS if t.start == TERM_START)
        term, _created = Term.objects.get_or_create(
            body=TermBody.PARTY,
            start_date=spec.start,
            defaults={"name": spec.name, "end_date": spec.end},
        )
        plans = []
        province = self.province_plan()
        if province is not None:
            plans.append(province)
        plans.extend(self.agency_plans())
        plans.extend(self.commune_plans())
        self.removals(plans)
        for plan in plans:
            self.write(plan, term, summary)
        summary.violations = self.violations
        summary.seconds = time.perf_counter() - started
        return summary


def add_demo_plans(builder) -> PlanSummary:
    """Write the demo province's plans for 2030–2035 (inside the builder's transaction)."""
    return DemoPlans(builder).run()
