"""Reads of rotations: scoped querysets and the facts of the rotation rules."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from canbo.core import scope
from canbo.core.db import value_rows
from canbo.organizations.models import Position
from canbo.planning import selectors as planning_selectors
from canbo.rules.engine import run_rotation_checks
from canbo.rules.facts import CheckContext
from canbo.rules.facts_rotation import RotationCheckFacts, RotationFacts
from canbo.rules.findings import Finding
from canbo.rules.ruleset import RuleSetData
from canbo.rules.selectors import rule_set_in_force

from .models import Rotation, RotationPlan


def rotations(user, action: str = scope.VIEW) -> QuerySet[Rotation]:
    """The rotations `user` may see (by the competent body's unit)."""
    return scope.restrict(Rotation.objects.all(), user, action).select_related(
        "person", "from_position__title", "from_position__unit", "to_position__title",
        "to_position__unit", "competent_unit", "plan",
    )  # fmt: skip


def plans(user, action: str = scope.VIEW) -> QuerySet[RotationPlan]:
    return scope.restrict(RotationPlan.objects.all(), user, action).select_related("unit", "term")


def rotations_of(qs: QuerySet[Rotation], *, unit=None) -> QuerySet[Rotation]:
    """Rotations decided by `unit`'s body or a body below it (a subtree)."""
    if unit is not None:
        qs = qs.filter(competent_unit__path__startswith=unit.path)
    return qs


def rotation_facts(qs: QuerySet[Rotation], as_of: dt.date) -> RotationCheckFacts:
    """Facts of the rotations decided by `as_of` or intended, with their people (and their
    planning entries) and the posts taken, in four queries whatever their number."""
    rows = list(value_rows(
        qs.exclude(start_date__gt=as_of).order_by("id").values_list(
            "id", "person_id", "kind", "purpose", "to_position_id", "from_position_id",
            "decision_date", "start_date", "planned_end", "actual_end", "shorter_approved")))  # fmt: skip
    if not rows:
        return RotationCheckFacts()
    person_ids = {row[1] for row in rows}
    entries = planning_selectors.entries_of_people(person_ids, as_of)
    found = [
        RotationFacts(id=pk, person_id=person_id, kind=kind, purpose=purpose,
                      to_position_id=to_id, from_position_id=from_id, decision_date=decided,
                      start_date=start, planned_end=planned_end, actual_end=actual_end,
                      shorter_approved=shorter, plan_entries=tuple(entries.get(person_id, ())))
        for (pk, person_id, kind, purpose, to_id, from_id, decided, start, planned_end,
             actual_end, shorter) in rows
    ]  # fmt: skip
    # R1–R3 read the people's own facts (retirement) and the posts' names: two statements,
    # not the planning facts' five and two.
    return RotationCheckFacts.of(
        found,
        planning_selectors.people_basics(person_ids).values(),
        planning_selectors.position_basics({r.to_position_id for r in found}).values(),
    )


def check_rotations(
    qs: QuerySet[Rotation], as_of: dt.date, rule_set: RuleSetData | None = None
) -> list[Finding]:
    """Findings of the rotation rules in force on `as_of` (or `rule_set`)."""
    facts = rotation_facts(qs, as_of)
    if rule_set is None:
        rule_set = rule_set_in_force(as_of)
    return run_rotation_checks(facts, rule_set, CheckContext(as_of))


def post_names(position_ids) -> dict[int, str]:
    """Position id → "title – unit", for messages and JSON (one query)."""
    return {
        pk: f"{title} – {unit}"
        for pk, title, unit in Position.objects.filter(pk__in=sorted(position_ids))
        .values_list("pk", "title__name", "unit__name")
    }
