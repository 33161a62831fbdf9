"""Plain facts of the rotation rules R1–R3 (`checks.rotation`): rotations with their
people and posts. Built by `canbo.rotation.selectors.rotation_facts`; nothing here reads
the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from canbo.people.derived import ND135, RetirementSchedule

from .facts import EntryFacts, PersonFacts, PositionFacts


@dataclass(frozen=True, slots=True)
class RotationFacts:
    id: int
    person_id: int
    kind: str  # rotation.choices.RotationKind
    purpose: str  # rotation.choices.RotationPurpose
    to_position_id: int
    from_position_id: int | None = None
    decision_date: dt.date | None = None
    start_date: dt.date | None = None  # None: intended (in a plan), not decided yet
    planned_end: dt.date | None = None
    actual_end: dt.date | None = None
    shorter_approved: bool = False
    plan_entries: tuple[EntryFacts, ...] = ()  # the person's, any plan, any date

    def judged_on(self, as_of: dt.date) -> dt.date:
        """The day its conditions are judged: its start once decided, else the as-of date."""
        return self.start_date if self.start_date is not None else as_of


@dataclass(frozen=True)
class RotationCheckFacts:
    rotations: tuple[RotationFacts, ...] = ()
    people: Mapping[int, PersonFacts] = field(default_factory=lambda: MappingProxyType({}))
    positions: Mapping[int, PositionFacts] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, rotations: Iterable[RotationFacts], people: Iterable[PersonFacts],
           positions: Iterable[PositionFacts] = ()) -> RotationCheckFacts:  # fmt: skip
        return cls(
            rotations=tuple(sorted(rotations, key=lambda r: r.id)),
            people=MappingProxyType({p.id: p for p in people}),
            positions=MappingProxyType({p.id: p for p in positions}),
        )

    def missing(self) -> tuple[set[int], set[int]]:
        people = {r.person_id for r in self.rotations} - set(self.people)
        positions = {r.to_position_id for r in self.rotations} - set(self.positions)
        return people, positions

    def months_left(
        self, person: PersonFacts, on: dt.date, schedule: RetirementSchedule = ND135
    ) -> int:
        return person.months_left(on, schedule)
