"""Exporting rotation plans and rotations.

Both travel with their body: plans made by a selected unit, rotations decided by one (the
competent body). The people rotated and both posts travel with them (`referenced`). The
directions are written as stored (derived from the units when recorded).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import F, QuerySet

from canbo.core import scope
from canbo.exchange.cells import write_bool, write_term
from canbo.exchange.exporter import Selection, day_texts, labels, values_of
from canbo.organizations.models import Term
from canbo.organizations.package.exporting import units
from canbo.people.models import Person
from canbo.rotation.choices import LevelDirection
from canbo.rotation.models import Rotation, RotationPlan

from .sheets import ROTATION_PLANS, ROTATIONS


def plans(sel: Selection) -> QuerySet[RotationPlan]:
    """Plans made by a selected unit."""
    if sel.everything:
        return RotationPlan.objects.all()
    return RotationPlan.objects.filter(unit__in=units(sel).values("pk"))


def rotations(sel: Selection) -> QuerySet[Rotation]:
    """Rotations decided by a selected unit."""
    if sel.everything:
        return Rotation.objects.all()
    return Rotation.objects.filter(competent_unit__in=units(sel).values("pk"))


def referenced(sel: Selection, kind: str) -> list:
    """The people rotated (for an account that is not an administrator, only those it may
    see) and both posts of each rotation."""
    if kind == "person":
        named = Person.objects.filter(pk__in=rotations(sel).values("person_id"))
        if sel.user is not None:
            named = scope.restrict(named, sel.user)
        return [named.values("pk")]
    if kind == "position":
        qs = rotations(sel)
        return [qs.values("to_position_id"), qs.exclude(from_position=None).values("from_position_id")]
    return []


def term_writer():
    """How each term is written: its years, or its start date when the years are shared
    (as the planning sheets write them)."""
    years: dict[tuple, int] = {}
    for body, start, end in Term.objects.values_list("body", "start_date", "end_date"):
        years[(body, start.year, end.year)] = years.get((body, start.year, end.year), 0) + 1

    def write(body, start, end) -> str:
        if start is None:
            return ""
        return write_term(start, end, ambiguous=years[(body, start.year, end.year)] > 1)

    return write


def plan_rows(sel: Selection) -> Iterator[list]:
    bodies = labels(ROTATION_PLANS.column("term_body").choices)
    term = term_writer()
    qs = plans(sel).order_by("unit__path", "term__body", "term__start_date")
    fields = ("unit__code", "term__body", "term__start_date", "term__end_date", "name", "note")
    for code, body, start, end, name, note in values_of(qs, *fields):
        yield [code, bodies[body], term(body, start, end), name, note]


def rotation_rows(sel: Selection) -> Iterator[list]:
    kinds, purposes, outcomes = (labels(ROTATIONS.column(k).choices)
                                 for k in ("kind", "purpose", "outcome"))  # fmt: skip
    levels = labels(LevelDirection)
    bodies = labels(ROTATIONS.column("plan_term_body").choices)
    term = term_writer()
    days = day_texts()
    fields = (
        "person__id_number", "kind", "purpose", "from_position__unit__code",
        "from_position__title__code", "to_position__unit__code", "to_position__title__code",
        "competent_unit__code", "plan__unit__code", "plan__term__body", "plan__term__start_date",
        "plan__term__end_date", "decision_number", "decision_date", "start_date", "planned_end",
        "shorter_approved", "actual_end", "outcome", "evaluation", "note", "level_direction",
        "across_localities", "across_sectors", "person__full_name", "to_position__title__name",
    )  # fmt: skip
    qs = rotations(sel).order_by(
        "competent_unit__path", "person__id_number", "to_position__unit__path",
        "to_position__title__code", F("start_date").asc(nulls_first=True),
        F("plan__term__start_date").asc(nulls_first=True), "pk",
    )  # fmt: skip
    for (person, kind, purpose, from_unit, from_title, to_unit, to_title, competent, plan_unit,
         body, term_start, term_end, number, decided, start, planned_end, shorter, actual_end,
         outcome, evaluation, note, level, localities, sectors, full_name,
         title_name) in values_of(qs, *fields):  # fmt: skip
        yield [person, kinds[kind], purposes[purpose], from_unit or "", from_title or "", to_unit,
               to_title, competent, plan_unit or "", bodies[body or ""],
               term(body, term_start, term_end), number, days[decided], days[start],
               days[planned_end], write_bool(shorter), days[actual_end], outcomes[outcome],
               evaluation, note, levels[level], write_bool(localities), write_bool(sectors),
               full_name, title_name]  # fmt: skip


ROWS = {
    "rotation_plans": plan_rows,
    "rotations": rotation_rows,
}
