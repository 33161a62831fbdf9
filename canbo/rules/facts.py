"""Facts: the plain, frozen data that checks read.

A selector fills them from the database in a fixed number of queries (one per
kind: plans with entries, people with their sections, positions with their
titles and holders); checks never touch the database. Identifiers are the
database ids, so findings point back at rows; `id_number` is carried for
messages and exports. Codes are the values of the project's choices
(`Sex`, `UnitLevel`, `ManagementLevel`, `DisciplineForm`, `EvaluationRating`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from types import MappingProxyType

from canbo.core.dates import DatePrecision
from canbo.core.memory import Remembered
from canbo.people import derived
from canbo.people.derived import ND135, RetirementSchedule
from canbo.people.tenure import Tenure

from .choices import DisciplineException


@dataclass(frozen=True)
class CheckContext:
    """When the question is asked, and the retirement schedule that applies."""

    as_of: dt.date
    schedule: RetirementSchedule = ND135


@dataclass(frozen=True, slots=True)
class HeldPost:
    """A post the person holds on the as-of date (a current `Assignment`)."""

    position_id: int
    level: str  # UnitLevel of the title
    rank: int  # PositionTitle.rank: larger is higher, comparable across levels
    management_level: int  # ManagementLevel: smaller is higher


@dataclass(frozen=True, slots=True)
class DisciplineFacts:
    form: str  # DisciplineForm
    effective_on: dt.date
    in_force_until: dt.date | None = None  # Discipline.end_date
    expired: bool = False  # known to have lapsed even without an end date
    exception: str = ""  # DisciplineException, "" when none applies

    def has_lapsed(self, on: dt.date) -> bool:
        return self.expired or (self.in_force_until is not None and self.in_force_until < on)

    def in_force(self, on: dt.date) -> bool:
        return self.effective_on <= on and not self.has_lapsed(on)


@dataclass(frozen=True, slots=True)
class RatingFacts:
    year: int
    rating: str  # EvaluationRating


@dataclass(frozen=True, slots=True)
class VoteFacts:
    """One confidence vote: the low count and the base the share is taken on (C3)."""

    year: int
    low: int
    base: int

    @property
    def low_share(self) -> Fraction | None:
        return Fraction(self.low, self.base) if self.base else None


@dataclass(frozen=True)
class PersonFacts:
    id: int
    id_number: str
    full_name: str
    sex: str  # Sex: "M" / "F"
    birth_date: dt.date
    birth_date_precision: str = DatePrecision.DAY
    retirement_age_override_months: int | None = None
    is_minority: bool | None = None  # None: ethnicity not recorded
    posts: tuple[HeldPost, ...] = ()
    # Date an appointment or nomination case about this person was opened and
    # is still open; None when there is none.
    open_case_since: dt.date | None = None
    disciplines: tuple[DisciplineFacts, ...] = ()
    ratings: tuple[RatingFacts, ...] = ()
    # The vote the selector judged latest (latest year; of several bodies that
    # year, the highest low share).
    latest_vote: VoteFacts | None = None
    # Continuous tenure in each post held on the as-of date, with the consecutive
    # terms it spans (`canbo.people.selectors_tenure.post_tenures`, ADR 0014).
    # Empty unless the facts selector asked for it; no check reads it yet.
    tenures: tuple[Tenure, ...] = ()

    @property
    def retirement_inputs(self) -> tuple:
        """What the retirement date depends on: the sex, the month of birth (the date is
        the last day of a month), an age set by a decision. Tens of thousands of people
        share a few thousand of them (`Facts.months_left`)."""
        born = self.birth_date
        month = 1 if self.birth_date_precision == DatePrecision.YEAR else born.month
        return (self.sex, born.year, month, self.retirement_age_override_months)

    @property
    def has_open_case(self) -> bool:
        return self.open_case_since is not None

    @property
    def management_level(self) -> int | None:
        return min((p.management_level for p in self.posts), default=None)

    @property
    def highest_rank(self) -> int | None:
        return max((p.rank for p in self.posts), default=None)

    def retirement_date(self, schedule: RetirementSchedule = ND135) -> dt.date:
        return derived.retirement_date(
            self.sex,
            self.birth_date,
            self.birth_date_precision,
            self.retirement_age_override_months,
            schedule,
        )

    def months_left(self, on: dt.date, schedule: RetirementSchedule = ND135) -> int:
        return derived.months_left(self.retirement_date(schedule), on)

    def age_on(self, on: dt.date) -> int:
        return derived.age_on(self.birth_date, self.birth_date_precision, on)


def with_tenures(
    people: Mapping[int, PersonFacts], tenures: Mapping[int, Iterable[Tenure]]
) -> dict[int, PersonFacts]:
    """`people` with their tenures filled from `post_tenures`' answer (others unchanged)."""
    return {
        pk: replace(person, tenures=tuple(tenures[pk])) if pk in tenures else person
        for pk, person in people.items()
    }


@dataclass(frozen=True, slots=True)
class PositionFacts:
    id: int
    unit_id: int
    name: str  # "title – unit", for messages
    title_code: str
    level: str  # UnitLevel of the title
    rank: int
    management_level: int
    seats: int = 1
    is_key: bool = False
    holder_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class EntryFacts:
    """One planning entry: a person planned for a position (the plan gives the term)."""

    person_id: int
    position_id: int
    added_on: dt.date
    # First time the person is planned for a post of this level (QĐ 50: two terms expected).
    first_time: bool = False
    removed_on: dt.date | None = None
    removal_reason: str = ""
    id: int | None = None

    def is_active(self, on: dt.date) -> bool:
        return self.added_on <= on and (self.removed_on is None or self.removed_on > on)


@dataclass(frozen=True, slots=True)
class PlanFacts:
    """A plan: one planning unit's successors for one target term."""

    id: int
    unit_id: int
    name: str
    level: str  # UnitLevel of the positions planned (decides the "young" age)
    term_start: dt.date
    term_end: dt.date
    approved_on: dt.date | None = None
    last_reviewed_on: dt.date | None = None
    # The day the plan was submitted for approval, when it still awaits it on the as-of date.
    awaiting_approval_since: dt.date | None = None
    # Minority share the area calls for ("suited to the area"); None: not checked.
    min_minority_share: Fraction | None = None
    entries: tuple[EntryFacts, ...] = ()

    @property
    def term_label(self) -> str:
        return f"{self.term_start.year}–{self.term_end.year}"

    def active_entries(self, on: dt.date) -> tuple[EntryFacts, ...]:
        return tuple(e for e in self.entries if e.is_active(on))

    def is_new(self, entry: EntryFacts) -> bool:
        """Added at or since the last review: judged by the admission rules (P5)."""
        return self.last_reviewed_on is None or entry.added_on >= self.last_reviewed_on

    def people_ids(self, on: dt.date) -> tuple[int, ...]:
        """Distinct people with an active entry, in first-entry order."""
        return tuple(dict.fromkeys(e.person_id for e in self.active_entries(on)))


@dataclass(frozen=True, slots=True)
class PostSpan:
    """A post in a candidate's work history (A2, A9): from `start` through `end` (the last
    day the row covers; None: still held)."""

    position_id: int | None
    unit_id: int | None
    rank: int | None  # None: a row without a position
    start: dt.date
    end: dt.date | None = None

    def held_on(self, on: dt.date) -> bool:
        return self.start <= on and (self.end is None or self.end >= on)


@dataclass(frozen=True, slots=True)
class StepFacts:
    """One of the five steps of an internal candidate's procedure (A6)."""

    number: int
    held_on: dt.date
    summoned: int
    present: int
    closed_on: dt.date | None = None
    result: str = ""  # appointments.choices.StepResult once a ballot step is closed


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """An appointment or election case (`canbo.appointments`), with the candidate's
    planning entries (any plan, any date: a check picks those active on its date)."""

    id: int
    person_id: int
    kind: str  # appointments.choices.CaseKind
    position_id: int
    opened_on: dt.date
    internal: bool = True
    dossier_received_on: dt.date | None = None
    dossier_complete_on: dt.date | None = None
    closed_on: dt.date | None = None
    outcome: str = ""  # "", "decided", "stopped"
    decision_date: dt.date | None = None
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    plan_entries: tuple[EntryFacts, ...] = ()
    competent_unit_id: int | None = None
    unit_kind: str = ""  # UnitKind of the post's unit (A9: party committees)
    election_on: dt.date | None = None  # nominations: the congress or election day
    seats: int | None = None  # nominations: the seats to fill (A10)
    post_history: tuple[PostSpan, ...] = ()  # the candidate's work history (A2, A9)
    steps: tuple[StepFacts, ...] = ()  # A6, in step order

    @property
    def stopped(self) -> bool:
        return self.outcome == "stopped"

    def decided_by(self, on: dt.date) -> bool:
        return self.decision_date is not None and self.decision_date <= on

    def judged_on(self, as_of: dt.date) -> dt.date:
        """The day a condition of the appointment is judged: the decision's, once made
        (by `as_of`); until then the as-of date."""
        return self.decision_date if self.decided_by(as_of) else as_of


@dataclass(frozen=True)
class Facts:
    """Everything one run reads: plans or cases, and the people and positions they name."""

    plans: tuple[PlanFacts, ...] = ()
    cases: tuple[CaseFacts, ...] = ()
    people: Mapping[int, PersonFacts] = field(default_factory=lambda: MappingProxyType({}))
    positions: Mapping[int, PositionFacts] = field(default_factory=lambda: MappingProxyType({}))
    # Worked out once for all the checks of a run: (plan id, date) → the plan's active
    # entries, and its people; (date, schedule) → months left by retirement inputs.
    _active: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _people_ids: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _months_left: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def active_entries(self, plan: PlanFacts, on: dt.date) -> tuple[EntryFacts, ...]:
        """`plan.active_entries(on)`, remembered for the other checks of the run."""
        key = (plan.id, on)
        found = self._active.get(key)
        if found is None:
            found = self._active[key] = plan.active_entries(on)
        return found

    def months_left_on(
        self, on: dt.date, schedule: RetirementSchedule = ND135
    ) -> Mapping[tuple, int]:
        """Months left on `on`, looked up by a person's `retirement_inputs` and
        remembered for the run: tens of thousands of people share a few thousand
        answers. A check takes the table once per plan (`table[person.retirement_inputs]`)."""
        table = self._months_left.get((on, schedule))
        if table is None:

            def work_out(inputs: tuple) -> int:
                sex, year, month, override = inputs
                retire_on = derived.retirement_date(
                    sex, dt.date(year, month, 1), DatePrecision.DAY, override, schedule
                )
                return derived.months_left(retire_on, on)

            table = self._months_left[on, schedule] = Remembered(work_out)
        return table

    def months_left(
        self, person: PersonFacts, on: dt.date, schedule: RetirementSchedule = ND135
    ) -> int:
        """`person.months_left(on, schedule)`, remembered for the run (`months_left_on`)."""
        return self.months_left_on(on, schedule)[person.retirement_inputs]

    def people_ids(self, plan: PlanFacts, on: dt.date) -> tuple[int, ...]:
        """`plan.people_ids(on)`: distinct people with an active entry, in first-entry
        order; remembered for the other checks of the run."""
        key = (plan.id, on)
        found = self._people_ids.get(key)
        if found is None:
            found = self._people_ids[key] = tuple(
                dict.fromkeys(e.person_id for e in self.active_entries(plan, on))
            )
        return found

    @classmethod
    def of(
        cls,
        plans: Iterable[PlanFacts],
        people: Iterable[PersonFacts],
        positions: Iterable[PositionFacts],
        cases: Iterable[CaseFacts] = (),
    ) -> Facts:
        return cls(
            plans=tuple(sorted(plans, key=lambda p: p.id)),
            cases=tuple(sorted(cases, key=lambda c: c.id)),
            people=MappingProxyType({p.id: p for p in people}),
            positions=MappingProxyType({p.id: p for p in positions}),
        )

    def missing(self) -> tuple[set[int], set[int]]:
        """Person and position ids named by entries, cases or posts but absent from the facts."""
        people: set[int] = set()
        positions: set[int] = set()
        named = [plan.entries for plan in self.plans]
        named += [(case, *case.plan_entries) for case in self.cases]
        for rows in named:
            for row in rows:  # entries and cases both name a person and a position
                if row.person_id not in self.people:
                    people.add(row.person_id)
                if row.position_id not in self.positions:
                    positions.add(row.position_id)
        return people, positions


__all__ = [
    "CaseFacts",
    "CheckContext",
    "DisciplineException",
    "DisciplineFacts",
    "EntryFacts",
    "Facts",
    "HeldPost",
    "PersonFacts",
    "PlanFacts",
    "PositionFacts",
    "RatingFacts",
    "Tenure",
    "VoteFacts",
    "with_tenures",
]
