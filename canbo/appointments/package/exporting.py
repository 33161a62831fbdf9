"""Exporting appointment cases, their steps and the agreed tallies of their closed steps.

Cases travel with their competent body: those decided by a selected unit. An open step's
tally entries are work in progress and stay where they are typed; a closed ballot step's
two entries agree (`steps.step_close`), so its first entry is the tally.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from canbo.appointments.models import AppointmentCase, CaseStep, TallyLine
from canbo.core import scope
from canbo.core.double_entry import FIRST
from canbo.exchange.cells import write_bool
from canbo.exchange.exporter import Selection, day_texts, labels, values_of
from canbo.organizations.package.exporting import units
from canbo.people.models import Person

from .sheets import APPOINTMENT_CASES, CASE_STEPS

# The case's natural key, as the rows of every sheet name it.
CASE_FIELDS = ("person__id_number", "kind", "position__unit__code", "position__title__code",
               "competent_unit__code", "opened_on")  # fmt: skip
CASE_ORDER = ("competent_unit__path", "position__unit__path", "position__title__code",
              "person__id_number", "kind", "opened_on", "pk")  # fmt: skip


def cases(sel: Selection) -> QuerySet[AppointmentCase]:
    """Cases whose competent body is a selected unit."""
    if sel.everything:
        return AppointmentCase.objects.all()
    return AppointmentCase.objects.filter(competent_unit__in=units(sel).values("pk"))


def closed_tally_lines(sel: Selection) -> QuerySet[TallyLine]:
    """The lines of the first entry of each closed step of the selected cases."""
    return TallyLine.objects.filter(
        tally__step__case__in=cases(sel), tally__round=FIRST, tally__step__closed_on__isnull=False
    )


def referenced(sel: Selection, kind: str) -> list:
    """The people the cases and tallies name (for an account that is not an administrator,
    only those it may see) and the posts of the cases."""
    if kind == "person":
        named = Person.objects.filter(pk__in=cases(sel).values("person_id")) | Person.objects.filter(
            pk__in=closed_tally_lines(sel).values("candidate_id")
        )
        if sel.user is not None:
            named = scope.restrict(named, sel.user)
        return [named.values("pk")]
    if kind == "position":
        return [cases(sel).values("position_id")]
    return []


def _key(case_values, kinds) -> list:
    person, kind, unit, title, competent, opened = case_values
    return [person, kinds[kind], unit, title, competent, opened]


def case_rows(sel: Selection) -> Iterator[list]:
    kinds, outcomes = (labels(APPOINTMENT_CASES.column(k).choices) for k in ("kind", "outcome"))
    days = day_texts()
    fields = (*CASE_FIELDS, "internal", "dossier_received_on", "dossier_complete_on",
              "closed_on", "outcome", "decision_number", "decision_date", "term_start",
              "term_end", "election_on", "seats", "note", "person__full_name",
              "position__title__name")  # fmt: skip
    qs = cases(sel).order_by(*CASE_ORDER)
    for (*key, internal, received, complete, closed, outcome, decision, decided, start, end,
         election, seats, note, full_name, title_name) in values_of(qs, *fields):  # fmt: skip
        key[5] = days[key[5]]
        yield [*_key(key, kinds), write_bool(internal), days[received], days[complete],
               days[closed], outcomes[outcome], decision, days[decided], days[start], days[end],
               days[election], seats, note, full_name, title_name]  # fmt: skip


def step_rows(sel: Selection) -> Iterator[list]:
    kinds = labels(CASE_STEPS.column("kind").choices)
    results = labels(CASE_STEPS.column("result").choices)
    days = day_texts()
    fields = (*(f"case__{f}" for f in CASE_FIELDS), "number", "held_on", "summoned", "present",
              "closed_on", "result", "note")  # fmt: skip
    qs = CaseStep.objects.filter(case__in=cases(sel)).order_by(
        *(f"case__{f}" for f in CASE_ORDER), "number"
    )
    for *key, number, held, summoned, present, closed, result, note in values_of(qs, *fields):
        key[5] = days[key[5]]
        yield [*_key(key, kinds), number, days[held], summoned, present, days[closed],
               results[result], note]  # fmt: skip


def tally_rows(sel: Selection) -> Iterator[list]:
    kinds = labels(CASE_STEPS.column("kind").choices)
    days = day_texts()
    prefix = "tally__step__case__"
    fields = (*(prefix + f for f in CASE_FIELDS), "tally__step__number", "candidate__id_number",
              "tally__ballots_valid", "tally__ballots_invalid", "votes_for", "votes_against",
              "candidate__full_name")  # fmt: skip
    qs = closed_tally_lines(sel).order_by(
        *(prefix + f for f in CASE_ORDER), "tally__step__number", "candidate__id_number"
    )
    for *key, number, candidate, valid, invalid, votes_for, against, name in values_of(qs, *fields):
        key[5] = days[key[5]]
        yield [*_key(key, kinds), number, candidate, valid, invalid, votes_for, against, name]


ROWS = {
    "appointment_cases": case_rows,
    "case_steps": step_rows,
    "step_tallies": tally_rows,
}
