"""Facts of confidence-vote sessions and evaluation rounds (rules C1–C5, E1–E4).

Plain, frozen data filled by `canbo.reviews.selectors.review_facts` in a fixed number of
queries; the checks (`rules.checks.reviews`) never touch the database. What both the
services and the checks compute lives here once: the base a share is taken on
(`base_of`, C3) and the rating a score gives (`rating_for`, E1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from .facts import PersonFacts

#: The bases a share may be taken on (C3; `reviews.choices.BaseRule` names them).
SUMMONED, PRESENT, BALLOTS = "summoned", "present", "ballots"
BASE_RULES = (SUMMONED, PRESENT, BALLOTS)

#: Evaluation ratings, highest first (`people.choices.EvaluationRating` values).
EXCELLENT, GOOD, COMPLETED, NOT_COMPLETED = "excellent", "good", "completed", "not_completed"


def base_of(
    base_rule: str, summoned: int, present: int, ballots_returned: int | None
) -> int | None:
    """The number a share is taken on under `base_rule` (None: not known)."""
    return {SUMMONED: summoned, PRESENT: present, BALLOTS: ballots_returned}[base_rule]


def rating_for(score: Decimal, thresholds: Mapping[str, Decimal], other_ground: str = "") -> str:
    """E1: excellent from `thresholds["excellent"]`, good from "good", completed from
    "completed", otherwise not completed; "not completed" whatever the score when another
    ground applies (discipline in the year, corruption in a unit led)."""
    if other_ground:
        return NOT_COMPLETED
    for rating in (EXCELLENT, GOOD, COMPLETED):
        if score >= thresholds[rating]:
            return rating
    return NOT_COMPLETED


@dataclass(frozen=True, slots=True)
class TallyFacts:
    """The figures of one person voted on, agreed by both entries."""

    high: int
    normal: int
    low: int
    invalid: int = 0


@dataclass(frozen=True, slots=True)
class SubjectFacts:
    person_id: int
    excluded: bool = False
    exclusion_reason: str = ""
    tally: TallyFacts | None = None  # None until both entries are in and agree


@dataclass(frozen=True, slots=True)
class SessionFacts:
    """A confidence-vote session (`reviews.VoteSession`) and the people voted on."""

    id: int
    unit_id: int
    name: str  # the body holding the vote, for messages
    year: int
    held_on: dt.date
    summoned: int
    present: int
    base_rule: str = SUMMONED
    ballots_returned: int | None = None
    closed_on: dt.date | None = None
    subjects: tuple[SubjectFacts, ...] = ()

    @property
    def base(self) -> int | None:
        return base_of(self.base_rule, self.summoned, self.present, self.ballots_returned)

    def closed_by(self, on: dt.date) -> bool:
        return self.closed_on is not None and self.closed_on <= on


@dataclass(frozen=True, slots=True)
class ScoreFacts:
    person_id: int
    score: Decimal
    rating: str  # derived by E1 when the score was recorded
    other_ground: str = ""


@dataclass(frozen=True, slots=True)
class RoundFacts:
    """An evaluation round (`reviews.EvaluationRound`) and its scores."""

    id: int
    unit_id: int
    name: str
    year: int
    held_on: dt.date
    closed_on: dt.date | None = None
    scores: tuple[ScoreFacts, ...] = ()


@dataclass(frozen=True, slots=True)
class PostStart:
    """A post the person took (an `Assignment` with a position), and how."""

    started_on: dt.date
    how: str  # people.choices.AssignmentHow


@dataclass(frozen=True, slots=True)
class EvaluationFacts:
    """A rating in the registry (`people.Evaluation`) with its score, if any."""

    year: int
    rating: str
    score: Decimal | None = None


@dataclass(frozen=True, slots=True)
class TermFacts:
    """A party term (`organizations.Term`): E4 counts reprimands within one."""

    name: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class ReviewPersonFacts(PersonFacts):
    """A person of the review rules: planning's facts (retirement, disciplines) and the
    posts taken (C2) and the registry's ratings with their scores (E1, E3)."""

    post_starts: tuple[PostStart, ...] = ()
    evaluations: tuple[EvaluationFacts, ...] = ()


@dataclass(frozen=True)
class ReviewFacts:
    sessions: tuple[SessionFacts, ...] = ()
    rounds: tuple[RoundFacts, ...] = ()
    people: Mapping[int, ReviewPersonFacts] = field(
        default_factory=lambda: MappingProxyType({})
    )
    terms: tuple[TermFacts, ...] = ()

    @classmethod
    def of(
        cls,
        sessions: Iterable[SessionFacts],
        rounds: Iterable[RoundFacts],
        people: Iterable[ReviewPersonFacts],
        terms: Iterable[TermFacts] = (),
    ) -> ReviewFacts:
        return cls(
            sessions=tuple(sorted(sessions, key=lambda s: s.id)),
            rounds=tuple(sorted(rounds, key=lambda r: r.id)),
            people=MappingProxyType({p.id: p for p in people}),
            terms=tuple(sorted(terms, key=lambda t: t.start)),
        )

    def missing(self) -> tuple[set[int], set[int]]:
        """People named by subjects or scores but absent (no positions here)."""
        named = {s.person_id for session in self.sessions for s in session.subjects}
        named |= {s.person_id for r in self.rounds for s in r.scores}
        return named - set(self.people), set()

    def latest_round_of(self, person_id: int, year: int | None = None) -> RoundFacts | None:
        """The latest round (by year, then id) that scored the person (in `year` if given)."""
        found = [
            r for r in self.rounds
            if (year is None or r.year == year) and any(s.person_id == person_id for s in r.scores)
        ]  # fmt: skip
        return max(found, key=lambda r: (r.year, r.id), default=None)


__all__ = [
    "BASE_RULES",
    "EvaluationFacts",
    "PostStart",
    "ReviewFacts",
    "ReviewPersonFacts",
    "RoundFacts",
    "ScoreFacts",
    "SessionFacts",
    "SubjectFacts",
    "TallyFacts",
    "TermFacts",
    "base_of",
    "rating_for",
]
