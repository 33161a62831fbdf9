"""The demo's appointment cases: the P4 case planning finds, and one breach of each of
the appointment rules A1–A10 (issue 19).

A person added to the provincial committee's plan at its annual review is, by then,
already in an appointment procedure opened two weeks earlier and still open on the
demo's check date: `check_plans` reports P4 for that entry.

Then one case (four for A10) per rule, each designed to break that rule and nothing
else on the check date (`CHECKED_ON`). The demo's people are drawn at random, so a case
is tried person by person: it is written through the services inside a savepoint,
checked with the rule engine (`check_cases`), and kept only when its findings are exactly
the designed one; otherwise it is rolled back and the next person is tried. People with
a planning entry added on or after the earliest case day are left out, so the cases add
no P4 finding to the plans. Everything is validated and audited as any other write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef

from canbo.appointments import services, steps
from canbo.appointments.choices import CaseKind, CaseOutcome
from canbo.appointments.models import AppointmentCase
from canbo.appointments.selectors import check_cases
from canbo.organizations.choices import UnitKind
from canbo.organizations.models import Position
from canbo.people.models import Discipline, Person
from canbo.planning.models import PlanEntry
from canbo.rules.selectors import NoRuleSetInForce, rule_set_in_force

from .planning import CHECKED_ON, PlanSummary, Violation

DAY = dt.timedelta(days=1)
EARLIEST = dt.date(2025, 10, 1)  # no case of the designed set opens before this day
OPENED = dt.date(2025, 12, 1)
NOTE = "Dữ liệu mẫu: hồ sơ vi phạm %s."


class _Rejected(Exception):
    pass


def add_demo_cases(builder, plans: PlanSummary) -> int:
    """Open the P4 case and the designed A1–A10 cases; the number of cases written."""
    count = _p4_case(builder, plans)
    return count + len(DesignedCases(builder, plans).write())


def _p4_case(builder, plans: PlanSummary) -> int:
    entry = (
        PlanEntry.objects.filter(
            added_in_review__isnull=False,
            removed_on__isnull=True,
            plan__planning_unit__path__startswith=builder.root.obj.path,  # this province's
        )
        .select_related("plan__planning_unit", "position__title", "person")
        .order_by("id")
        .first()
    )
    if entry is None:  # too few people for a review addition
        return 0
    opened = entry.added_on - dt.timedelta(days=14)
    services.case_open(
        actor=None,
        person=entry.person,
        kind=CaseKind.APPOINT,
        position=entry.position,
        competent_unit=builder.root.obj,
        opened_on=opened,
        dossier_received_on=opened + dt.timedelta(days=3),
        note="Quy trình bổ nhiệm đang thực hiện (dữ liệu mẫu).",
    )
    plans.violations.append(
        Violation(
            "P4", "", entry.plan.planning_unit.code, entry.person.id_number,
            entry.position.title.code,
        )
    )  # fmt: skip
    return 1


class DesignedCases:
    """One case breaking each of A1–A10 exactly once (see the module's docstring)."""

    def __init__(self, builder, plans: PlanSummary):
        self.root = builder.root.obj
        self.plans = plans
        self.used: set[int] = set(
            AppointmentCase.objects.values_list("person_id", flat=True)
        )
        late_entry = PlanEntry.objects.filter(person=OuterRef("pk"), added_on__gte=EARLIEST)
        self.people = (
            Person.objects.filter(unit__path__startswith=self.root.path)
            .annotate(late=Exists(late_entry))
            .filter(late=False)
        )
        disciplined = Discipline.objects.filter(person=OuterRef("pk"))
        self.clean = self.people.annotate(d=Exists(disciplined)).filter(d=False)
        self.positions = Position.objects.filter(unit__path__startswith=self.root.path)
        self.written: list[AppointmentCase] = []

    # --- the designed cases -------------------------------------------------------------

    def write(self) -> list[AppointmentCase]:
        try:  # the designed cases are judged by the rules: without any, none is written
            rule_set_in_force(CHECKED_ON)
        except NoRuleSetInForce:
            return []
        young = self.clean.order_by("-birth_date", "id")
        old = self.clean.filter(birth_date__lte=dt.date(1968, 12, 31)).order_by("-birth_date", "id")
        top = self.positions.select_related("title").order_by("-title__rank", "id").first()
        if top is None:
            return []
        planned = self._planned()
        self._one("A1", [("A1", "")], planned, lambda p, post: [
            self._open(p, CaseKind.NOMINATE, top)] if post.title.rank < top.title.rank else None)
        self._one("A2", [("A2", "")], planned, lambda p, post: [
            self._open(p, CaseKind.APPOINT, post, dossier_received_on=OPENED + DAY)])
        self._one("A3", [("A3", "")], self._with_post(old, top), lambda p, post: [
            self._open(p, CaseKind.APPOINT, post, internal=False,
                       dossier_received_on=OPENED + DAY)])
        disciplined = self.people.filter(disciplines__effective_date__gte=dt.date(2023, 1, 1))
        self._one("A4", [("A4", "")], self._with_post(disciplined.distinct().order_by("id"), top),
                  lambda p, post: [self._open(p, CaseKind.NOMINATE, post, internal=False)])
        self._one("A5", [("A5", "")], self._with_post(young, top), lambda p, post: [
            self._decided(self._open(p, CaseKind.NOMINATE, post, internal=False,
                                     dossier_received_on=OPENED + DAY), OPENED + 5 * DAY)])
        self._one("A6", [("A6", "quorum")], planned, lambda p, post: [
            self._with_step(self._open(p, CaseKind.NOMINATE, post))])
        waiting = OPENED - dt.timedelta(days=45)
        self._one("A7", [("A7", "waiting")], self._with_post(young, top), lambda p, post: [
            self._dossier(self._open(p, CaseKind.NOMINATE, post, internal=False, opened_on=waiting,
                                     dossier_received_on=waiting + DAY), waiting + 2 * DAY)])
        self._one("A8", [("A8", "due")], self._with_post(young, top), self._reappointed)
        committee = self.positions.filter(unit__kind=UnitKind.PARTY_COMMITTEE)
        committee = committee.select_related("title").order_by("-title__rank", "id").first()
        if committee is not None:
            self._one("A9", None, self._with_post(old, committee), lambda p, post: [
                self._open(p, CaseKind.NOMINATE, post, internal=False,
                           election_on=CHECKED_ON + 30 * DAY, seats=None)])
        self._four_for_two_seats(young, top)
        return self.written

    def _planned(self) -> Iterable[tuple[Person, Position]]:
        entries = (
            PlanEntry.objects.filter(removed_on__isnull=True, person__in=self.clean,
                                     plan__planning_unit__path__startswith=self.root.path)
            .select_related("person", "position__title", "position__unit")
            .order_by("person__id", "-position__title__rank", "id")
        )  # fmt: skip
        seen = set()
        for entry in entries:
            if entry.person_id not in seen:
                seen.add(entry.person_id)
                yield entry.person, entry.position

    def _with_post(self, people, post) -> Iterable[tuple[Person, Position]]:
        for person in people.iterator():
            yield person, post

    def _one(self, rule: str, expected, candidates, make: Callable, tries: int = 150) -> None:
        for n, (person, post) in enumerate(candidates):
            if n >= tries:
                break
            if person.pk in self.used:
                continue
            written = self._attempt(make, person, post, rule, expected)
            if written:
                self.used.add(person.pk)
                self.written.extend(written)
                self.plans.case_violations.append((rule, person.id_number))
                return

    def _attempt(self, make, person, post, rule, expected) -> list[AppointmentCase]:
        try:
            with transaction.atomic():
                cases = make(person, post)
                if not cases:
                    raise _Rejected
                found = sorted(
                    (f.rule, f.reason)
                    for f in check_cases(AppointmentCase.objects.filter(pk__in=[c.pk for c in cases]),
                                         CHECKED_ON)
                )  # fmt: skip
                if (expected is not None and found != expected) or (
                    expected is None and [r for r, _ in found] != [rule]
                ):
                    raise _Rejected
                return cases
        except (_Rejected, ValidationError):
            return []

    def _four_for_two_seats(self, young, post) -> None:
        group: list[Person] = []
        for person in young.iterator():
            if person.pk not in self.used:
                group.append(person)
            if len(group) == 4:
                break
        if len(group) < 4:
            return

        def make(_person, post):
            return [self._open(p, CaseKind.NOMINATE, post, internal=False, seats=2,
                               election_on=CHECKED_ON + 20 * DAY) for p in group]  # fmt: skip

        written = self._attempt(make, group[0], post, "A10", [("A10", "surplus")])
        if written:
            self.used.update(p.pk for p in group)
            self.written.extend(written)
            self.plans.case_violations.append(("A10", group[0].id_number))

    # --- writing through the services ----------------------------------------------------

    def _open(self, person, kind, post, *, internal=True, opened_on=OPENED, **extra):
        return services.case_open(
            actor=None, person=person, kind=kind, position=post, competent_unit=self.root,
            opened_on=opened_on, internal=internal, note=NOTE % "mẫu", **extra,
        )  # fmt: skip

    def _decided(self, case, on):
        return services.case_close(actor=None, case=case, closed_on=on,
                                   outcome=CaseOutcome.DECIDED, decision_number="99-QĐ/TU",
                                   decision_date=on)  # fmt: skip

    def _dossier(self, case, complete_on):
        return services.case_record_dossier(actor=None, case=case,
                                            received_on=case.dossier_received_on,
                                            complete_on=complete_on)  # fmt: skip

    def _with_step(self, case):
        steps.step_record(actor=None, case=case, number=1, held_on=case.opened_on + 3 * DAY,
                          summoned=9, present=5)  # fmt: skip
        return case

    def _reappointed(self, person, post):
        """Reappointed five years ago: the term ends within A8's notice, no new case."""
        term_end = CHECKED_ON + dt.timedelta(days=59)
        start = term_end.replace(year=term_end.year - 5) + DAY
        opened = start - dt.timedelta(days=20)
        case = self._open(person, CaseKind.REAPPOINT, post, opened_on=opened,
                          dossier_received_on=opened + DAY)  # fmt: skip
        self._dossier(case, opened + 2 * DAY)
        case = services.case_close(actor=None, case=case, closed_on=start,
                                   outcome=CaseOutcome.DECIDED, decision_number="12-QĐ/TU",
                                   decision_date=start, term_start=start, term_end=term_end)  # fmt: skip
        return [case]

