"""Reads of appointment cases: scoped querysets and the facts other apps take from them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from canbo.core import double_entry, scope
from canbo.core.db import value_rows
from canbo.core.lookups import Ids
from canbo.people.models import Assignment
from canbo.people.tenure import period_end
from canbo.planning import selectors as planning_selectors
from canbo.rules.checks.appointments import notice_day
from canbo.rules.checks.common import months_after
from canbo.rules.engine import run_case_checks
from canbo.rules.facts import (
    CaseFacts,
    CheckContext,
    PersonFacts,
    PositionFacts,
    PostSpan,
    StepFacts,
)
from canbo.rules.findings import Finding
from canbo.rules.ruleset import RuleSetData
from canbo.rules.selectors import NoRuleSetInForce, rule_set_in_force

from .choices import TO_A_NEW_POST, CaseKind, CaseOutcome
from .models import AppointmentCase, CaseStep, StepTally
from .steps import entry_figures


def open_on_q(day: dt.date, prefix: str = "") -> Q:
    """Cases open on `day`: opened on or before it, not closed by then."""
    return Q(**{f"{prefix}opened_on__lte": day}) & (
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": day})
    )


def open_case_since(as_of: dt.date) -> Subquery:
    """Over a Person row: the day its earliest appointment or nomination case still open
    on `as_of` was opened (planning's P4 source), or NULL."""
    return Subquery(
        AppointmentCase.objects.filter(
            open_on_q(as_of), person=OuterRef("pk"), kind__in=TO_A_NEW_POST
        )
        .order_by("opened_on", "id")
        .values("opened_on")[:1]
    )


def cases(user, on: dt.date | None = None) -> QuerySet[AppointmentCase]:
    """The cases `user` may see (by the competent body's unit), open on `on` when given."""
    qs = scope.restrict(AppointmentCase.objects.all(), user, scope.VIEW)
    if on is not None:
        qs = qs.filter(open_on_q(on))
    return qs.select_related("person", "position__title", "position__unit", "competent_unit")


class CaseCheckFacts(NamedTuple):
    cases: list[CaseFacts]
    people: dict[int, PersonFacts]
    positions: dict[int, PositionFacts]


def case_facts(cases_qs: QuerySet[AppointmentCase], as_of: dt.date) -> CaseCheckFacts:
    """Facts of the cases opened by `as_of` (their steps, their candidates' planning
    entries and work history, people and positions) for the appointment rules, in eleven
    queries whatever their number."""
    rows = list(
        value_rows(
            cases_qs.filter(opened_on__lte=as_of)
            .order_by("id")
            .values_list(
                "id", "person_id", "kind", "position_id", "opened_on", "internal",
                "dossier_received_on", "dossier_complete_on", "closed_on", "outcome",
                "decision_date", "term_start", "term_end", "competent_unit_id",
                "position__unit__kind", "election_on", "seats",
            )
        )
    )  # fmt: skip
    if not rows:
        return CaseCheckFacts([], {}, {})
    person_ids = {row[1] for row in rows}
    entries = planning_selectors.entries_of_people(person_ids, as_of)
    history: dict[int, list[PostSpan]] = {}
    for person_id, position_id, unit_id, rank, start, end, precision in value_rows(
        Assignment.objects.filter(person_id__in_values=Ids(person_ids), start_date__lte=as_of)
        .order_by("person_id", "start_date", "id")
        .values_list(
            "person_id", "position_id", "position__unit_id", "position__title__rank",
            "start_date", "end_date", "end_precision",
        )
    ):  # fmt: skip
        history.setdefault(person_id, []).append(
            PostSpan(position_id, unit_id, rank, start, period_end(end, precision))
        )
    steps: dict[int, list[StepFacts]] = {}
    for case_id, *values in value_rows(
        CaseStep.objects.filter(case_id__in_values=Ids({row[0] for row in rows}), held_on__lte=as_of)
        .order_by("case_id", "number")
        .values_list("case_id", "number", "held_on", "summoned", "present", "closed_on", "result")
    ):  # fmt: skip
        closed_on = values[4] if values[4] is not None and values[4] <= as_of else None
        steps.setdefault(case_id, []).append(
            StepFacts(*values[:4], closed_on=closed_on, result=values[5] if closed_on else "")
        )
    cases = [
        CaseFacts(
            id=pk, person_id=person_id, kind=kind, position_id=position_id, opened_on=opened,
            internal=internal, dossier_received_on=received, dossier_complete_on=complete,
            closed_on=closed, outcome=outcome, decision_date=decided, term_start=start,
            term_end=end, plan_entries=tuple(entries.get(person_id, ())),
            competent_unit_id=competent, unit_kind=unit_kind, election_on=election_on,
            seats=seats, post_history=tuple(history.get(person_id, ())),
            steps=tuple(steps.get(pk, ())),
        )
        for (pk, person_id, kind, position_id, opened, internal, received, complete, closed,
             outcome, decided, start, end, competent, unit_kind, election_on, seats) in rows
    ]  # fmt: skip
    position_ids = {c.position_id for c in cases}
    position_ids.update(e.position_id for found in entries.values() for e in found)
    return CaseCheckFacts(
        cases,
        planning_selectors.people_facts(person_ids, as_of),
        planning_selectors.position_facts(position_ids, as_of),
    )


def check_cases(
    cases_qs: QuerySet[AppointmentCase], as_of: dt.date, rule_set: RuleSetData | None = None
) -> list[Finding]:
    """Findings of the appointment rules in force on `as_of` (or `rule_set`) over the cases."""
    facts = case_facts(cases_qs, as_of)
    if rule_set is None:
        rule_set = rule_set_in_force(as_of)
    return run_case_checks(
        facts.cases, facts.people, facts.positions, rule_set, CheckContext(as_of)
    )


def cases_of(qs: QuerySet[AppointmentCase], *, unit=None) -> QuerySet[AppointmentCase]:
    """Cases decided by `unit`'s body or a body below it (a subtree)."""
    if unit is not None:
        qs = qs.filter(competent_unit__path__startswith=unit.path)
    return qs


@dataclass(frozen=True)
class TermEnding:
    """A term of office ending soon (the reappointment calendar)."""

    case: AppointmentCase
    term_end: dt.date
    notice_by: dt.date | None  # A8: review from this day (None: no rule A8 in force)
    under_way: bool  # a later case about the same person and post is already open


def reappointment_calendar(
    user, *, as_of: dt.date, unit=None, months: int = 12, rule_set: RuleSetData | None = None
) -> list[TermEnding]:
    """Terms of office (decided appointments and reappointments, not followed by a later
    decided one) ending between `as_of` and `months` later, in the cases the user may see
    (of `unit`'s subtree when given), soonest first, with A8's notice day. Four queries
    (the user's grants, the cases, the rule set in force) whatever their number."""
    later = AppointmentCase.objects.filter(
        person=OuterRef("person"), position=OuterRef("position"),
        opened_on__gt=OuterRef("decision_date"), opened_on__lte=as_of,
    )  # fmt: skip
    superseded = later.filter(outcome=CaseOutcome.DECIDED, kind=CaseKind.REAPPOINT,
                              decision_date__lte=as_of)  # fmt: skip
    until = months_after(as_of, months)
    qs = cases_of(cases(user), unit=unit).filter(
        kind__in=(CaseKind.APPOINT, CaseKind.REAPPOINT),
        outcome=CaseOutcome.DECIDED,
        decision_date__lte=as_of,
        term_end__gte=as_of,
        term_end__lte=until,
    )
    rows = list(
        qs.annotate(superseded=Exists(superseded), under_way=Exists(later))
        .filter(superseded=False)
        .order_by("term_end", "id")
    )
    if not rows:
        return []
    if rule_set is None:
        try:
            rule_set = rule_set_in_force(as_of)
        except NoRuleSetInForce:
            rule_set = None
    rule = rule_set.rule("A8") if rule_set is not None else None
    return [
        TermEnding(
            case=row,
            term_end=row.term_end,
            notice_by=notice_day(rule, row.term_end) if rule is not None else None,
            under_way=row.under_way,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class StepView:
    """A step as one user may see it: the tally entries they may read (an open step's
    entries only once both are in, except their own; a closed step's all) and, once both
    are in, where they differ."""

    step: CaseStep
    entries: tuple[StepTally, ...]
    entrants: dict  # round -> user id (None: not typed yet)
    differences: tuple[double_entry.Difference, ...]

    @property
    def both_in(self) -> bool:
        return all(self.entrants.get(r) is not None for r in double_entry.ROUNDS)


def case_steps(user, case: AppointmentCase) -> list[StepView]:
    """The steps of a case the user sees (the caller has looked the case up through
    `cases(user)`), with what the user may read of their tallies; three queries."""
    steps = list(CaseStep.objects.filter(case=case).order_by("number"))
    tallies: dict[int, dict[int, StepTally]] = {}
    for tally in (
        StepTally.objects.filter(step__case=case)
        .select_related("entered_by")
        .prefetch_related("lines__candidate")
        .order_by("step_id", "round")
    ):
        tallies.setdefault(tally.step_id, {})[tally.round] = tally
    out = []
    for step in steps:
        found = tallies.get(step.pk, {})
        entrants = {r: found[r].entered_by_id if r in found else None for r in double_entry.ROUNDS}
        rounds = (
            double_entry.ROUNDS if step.closed_on is not None
            else double_entry.visible_entries(entrants, user.pk)
        )  # fmt: skip
        both = all(entrants[r] is not None for r in double_entry.ROUNDS)
        differences = (
            tuple(double_entry.differences(*(entry_figures(found[r]) for r in double_entry.ROUNDS)))
            if both and step.closed_on is None else ()
        )  # fmt: skip
        out.append(StepView(step, tuple(found[r] for r in rounds if r in found), entrants,
                            differences))  # fmt: skip
    return out
