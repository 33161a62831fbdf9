"""Exporting plans, their positions, reviews and entries, and what they name."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from canbo.core import scope
from canbo.core.dates import format_day
from canbo.exchange.cells import write_bool, write_term
from canbo.exchange.exporter import Selection, label, values_of
from canbo.organizations.models import Term
from canbo.organizations.package.exporting import units
from canbo.people.models import Person
from canbo.planning.models import Plan, PlanEntry, PlanPosition, PlanReview

from .sheets import PLAN_ENTRIES, PLAN_POSITIONS, PLAN_REVIEWS, PLANS


def plans(sel: Selection) -> QuerySet[Plan]:
    """Plans whose planning unit is selected."""
    if sel.everything:
        return Plan.objects.all()
    return Plan.objects.filter(planning_unit__in=units(sel).values("pk"))


def planned_people(sel: Selection) -> QuerySet[Person]:
    """People planned in the selection's plans, as ids (a subquery); for a user, only
    those the user may see."""
    qs = Person.objects.filter(pk__in=PlanEntry.objects.filter(plan__in=plans(sel)).values("person_id"))
    if sel.user is not None:
        qs = scope.restrict(qs, sel.user)
    return qs.values("pk")


def referenced(sel: Selection, kind: str) -> list:
    """The people plans name; the positions they cover and plan; the units of their
    approvers and of the people they name."""
    if kind == "person":
        return [planned_people(sel)]
    if kind == "position":
        selected = plans(sel)
        return [
            PlanPosition.objects.filter(plan__in=selected).values("position_id"),
            PlanEntry.objects.filter(plan__in=selected).values("position_id"),
        ]
    if kind == "unit":
        approvers = plans(sel).exclude(approver_unit=None).values_list("approver_unit_id", flat=True)
        people = Person.objects.filter(pk__in=planned_people(sel)).exclude(unit=None)
        return [approvers, people.values_list("unit_id", flat=True).distinct()]
    return []


def _term_writer():
    """How each term is written: its years, or its start date when the years are shared."""
    terms = list(Term.objects.values_list("body", "start_date", "end_date"))
    years: dict[tuple, int] = {}
    for body, start, end in terms:
        years[(body, start.year, end.year)] = years.get((body, start.year, end.year), 0) + 1

    def write(body, start, end) -> str:
        return write_term(start, end, ambiguous=years[(body, start.year, end.year)] > 1)

    return write


PLAN_ORDER = ("plan__planning_unit__path", "plan__term__body", "plan__term__start_date")


def plan_rows(sel: Selection) -> Iterator[list]:
    body_choices, status_choices = PLANS.column("term_body").choices, PLANS.column("status").choices
    term = _term_writer()
    qs = plans(sel).order_by("planning_unit__path", "term__body", "term__start_date")
    fields = ("planning_unit__code", "term__body", "term__start_date", "term__end_date", "name",
              "status", "approver_unit__code", "decision_number", "decision_date", "approved_on",
              "published_on", "min_minority_share")  # fmt: skip
    for (unit, body, start, end, name, status, approver, decision, decided, approved, published,
         minority) in values_of(qs, *fields):  # fmt: skip
        yield [unit, label(body_choices, body), term(body, start, end), name,
               label(status_choices, status), approver or "", decision, format_day(decided),
               format_day(approved), format_day(published),
               float(minority) if minority is not None else None]  # fmt: skip


def plan_position_rows(sel: Selection) -> Iterator[list]:
    body_choices = PLAN_POSITIONS.column("term_body").choices
    term = _term_writer()
    qs = PlanPosition.objects.filter(plan__in=plans(sel)).order_by(
        *PLAN_ORDER, "position__unit__path", "position__title__code"
    )
    fields = ("plan__planning_unit__code", "plan__term__body", "plan__term__start_date",
              "plan__term__end_date", "position__unit__code", "position__title__code",
              "position__title__name")  # fmt: skip
    for unit, body, start, end, position_unit, title, title_name in values_of(qs, *fields):
        yield [unit, label(body_choices, body), term(body, start, end), position_unit, title,
               title_name]  # fmt: skip


def plan_review_rows(sel: Selection) -> Iterator[list]:
    """Reviews by plan and date; their before/after lists name positions by database id,
    so they are left out and rebuilt on import from the entries' links."""
    body_choices = PLAN_REVIEWS.column("term_body").choices
    term = _term_writer()
    qs = PlanReview.objects.filter(plan__in=plans(sel)).order_by(*PLAN_ORDER, "reviewed_on", "pk")
    fields = ("plan__planning_unit__code", "plan__term__body", "plan__term__start_date",
              "plan__term__end_date", "reviewed_on", "decision_number", "note")  # fmt: skip
    for unit, body, start, end, reviewed_on, decision, note in values_of(qs, *fields):
        yield [unit, label(body_choices, body), term(body, start, end), format_day(reviewed_on),
               decision, note]  # fmt: skip


def plan_entry_rows(sel: Selection) -> Iterator[list]:
    choices = {c.key: c.choices for c in PLAN_ENTRIES.columns if c.choices}
    term = _term_writer()
    qs = PlanEntry.objects.filter(plan__in=plans(sel)).order_by(
        *PLAN_ORDER, "position__unit__path", "position__title__code", "person__id_number",
        "added_on", "pk",
    )  # fmt: skip
    fields = ("plan__planning_unit__code", "plan__term__body", "plan__term__start_date",
              "plan__term__end_date", "person__id_number", "position__unit__code",
              "position__title__code", "source", "added_on", "added_decision",
              "added_in_review__reviewed_on", "first_time", "removed_on", "removal_reason",
              "removal_note", "removed_in_review__reviewed_on", "person__full_name",
              "position__title__name")  # fmt: skip
    for (unit, body, start, end, person, position_unit, title, source, added, decision,
         added_in, first, removed, reason, note, removed_in, full_name,
         title_name) in values_of(qs, *fields):  # fmt: skip
        yield [unit, label(choices["term_body"], body), term(body, start, end), person,
               position_unit, title, label(choices["source"], source), format_day(added), decision,
               format_day(added_in), write_bool(first), format_day(removed),
               label(choices["removal_reason"], reason), note, format_day(removed_in),
               full_name, title_name]  # fmt: skip


ROWS = {
    "plans": plan_rows,
    "plan_positions": plan_position_rows,
    "plan_reviews": plan_review_rows,
    "plan_entries": plan_entry_rows,
}
