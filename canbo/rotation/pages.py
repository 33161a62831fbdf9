"""Reads of the rotation pages and API over what `selectors` already scoped: the list's
filters, a rotation's status on a date, the R1–R3 findings of one rotation or of a plan's
rotations, and the what-if of a proposed rotation (nothing written).

No writes and no scope of their own: rotations come from `selectors.rotations(user)`,
plans from `selectors.plans(user)`; the what-if's person and posts were looked up among
those the user sees by the form or serializer that names them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canbo.core import scope
from canbo.organizations.models import Position, Unit
from canbo.people.models import Person
from canbo.planning import selectors as planning_selectors
from canbo.rules.engine import run_rotation_checks
from canbo.rules.facts import CheckContext
from canbo.rules.facts_rotation import RotationCheckFacts, RotationFacts
from canbo.rules.findings import Finding
from canbo.rules.ruleset import RuleSetData
from canbo.rules.selectors import NoRuleSetInForce, rule_set_in_force

from . import selectors
from .choices import RotationKind, RotationPurpose
from .models import Rotation, RotationPlan
from .services import held_post

UNDER_WAY, ENDED, INTENDED = "under_way", "ended", "intended"
STATUS_CHOICES = [
    (UNDER_WAY, gettext_lazy("Đang luân chuyển")),
    (ENDED, gettext_lazy("Đã kết thúc")),
    (INTENDED, gettext_lazy("Dự kiến (chưa quyết định)")),
]
STATUS_LABELS = dict(STATUS_CHOICES)
#: The id a proposed rotation (what-if) carries in its facts: no stored rotation has it.
PROPOSED_ID = 0


def under_way_q(as_of: dt.date) -> Q:
    return Q(start_date__lte=as_of) & (Q(actual_end__isnull=True) | Q(actual_end__gt=as_of))


def filter_rotations(
    qs: QuerySet[Rotation], *, as_of: dt.date, status: str = "", kind: str = "",
    purpose: str = "", unit=None,
) -> QuerySet[Rotation]:  # fmt: skip
    """The list's filters: decided by `as_of` (or intended), under way, ended or intended
    then, of a kind and a purpose, decided by a unit's body or one below it."""
    qs = selectors.rotations_of(qs.exclude(start_date__gt=as_of), unit=unit)
    if status == UNDER_WAY:
        qs = qs.filter(under_way_q(as_of))
    elif status == ENDED:
        qs = qs.filter(actual_end__lte=as_of)
    elif status == INTENDED:
        qs = qs.filter(start_date__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    if purpose:
        qs = qs.filter(purpose=purpose)
    return qs


def status_of(rotation: Rotation, as_of: dt.date) -> str:
    if rotation.start_date is None:
        return INTENDED
    if rotation.actual_end is not None and rotation.actual_end <= as_of:
        return ENDED
    return UNDER_WAY


def can_edit(user, rotation: Rotation | RotationPlan) -> bool:
    unit = rotation.competent_unit if isinstance(rotation, Rotation) else rotation.unit
    return scope.unit_allowed(user, unit, scope.EDIT)


def findings_by_rotation(qs: QuerySet[Rotation], as_of: dt.date) -> tuple[dict[int, list[Finding]], str]:
    """R1–R3 findings of these rotations on `as_of`, by rotation id (a fixed number of
    queries), or the message saying no rule set is in force then."""
    try:
        findings = selectors.check_rotations(qs, as_of)
    except NoRuleSetInForce as error:
        return {}, str(error)
    out: dict[int, list[Finding]] = defaultdict(list)
    for f in findings:
        out[f.rotation_id].append(f)
    return dict(out), ""


def rotation_findings(rotation: Rotation, as_of: dt.date) -> tuple[list[Finding], str]:
    found, missing = findings_by_rotation(Rotation.objects.filter(pk=rotation.pk), as_of)
    return found.get(rotation.pk, []), missing


@dataclass(frozen=True)
class PlanLine:
    rotation: Rotation
    status: str
    findings: tuple[Finding, ...]

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def plan_lines(user, plan: RotationPlan, as_of: dt.date) -> tuple[list[PlanLine], str]:
    """The plan's rotations the user sees, each with its status and findings on `as_of`."""
    rows = list(selectors.rotations(user).filter(plan=plan).order_by(F("start_date").asc(nulls_last=True), "id"))
    found, missing = findings_by_rotation(Rotation.objects.filter(plan=plan), as_of)
    return [PlanLine(r, status_of(r, as_of), tuple(found.get(r.pk, ()))) for r in rows], missing


# --- What-if -------------------------------------------------------------------------


@dataclass(frozen=True)
class RotationWhatIf:
    as_of: dt.date
    rule_set: RuleSetData
    facts: RotationCheckFacts
    proposed: RotationFacts
    findings: tuple[Finding, ...]


def rotation_what_if(
    *, person: Person, kind: str, purpose: str, to_position: Position,
    competent_unit: Unit | None = None, from_position: Position | None = None,
    start_date: dt.date | None = None, planned_end: dt.date | None = None,
    shorter_approved: bool = False, as_of: dt.date, rule_set: RuleSetData | None = None,
) -> RotationWhatIf:  # fmt: skip
    """The R1–R3 findings a proposed rotation would raise, judged on its start (or on
    `as_of` when it has none), from the same facts as the check, computed in memory."""
    if kind not in RotationKind.values:
        raise ValidationError({"kind": _("Hãy chọn hình thức.")})
    if purpose not in RotationPurpose.values:
        raise ValidationError({"purpose": _("Hãy chọn mục đích.")})
    if competent_unit is not None:
        for field, position in (("to_position", to_position), ("from_position", from_position)):
            if position is not None and not position.unit.path.startswith(competent_unit.path):
                raise ValidationError(
                    {field: _("Chức danh này không thuộc phạm vi của cấp có thẩm quyền đã chọn.")}
                )
    if planned_end is not None and (start_date is None or planned_end <= start_date):
        raise ValidationError({"planned_end": _("Ngày dự kiến kết thúc phải sau ngày bắt đầu.")})
    on = start_date or as_of
    # A rotation starting after the as-of date is not judged by the checks: the run's day
    # is then its start (it is judged as if decided).
    day = max(on, as_of)
    if from_position is None and start_date is not None:
        from_position = held_post(person, start_date - dt.timedelta(days=1))
    if rule_set is None:
        rule_set = rule_set_in_force(day)
    entries = planning_selectors.entries_of_people({person.pk}, on)
    proposed = RotationFacts(
        id=PROPOSED_ID, person_id=person.pk, kind=kind, purpose=purpose,
        to_position_id=to_position.pk,
        from_position_id=from_position.pk if from_position is not None else None,
        decision_date=start_date, start_date=start_date, planned_end=planned_end,
        shorter_approved=shorter_approved, plan_entries=tuple(entries.get(person.pk, ())),
    )  # fmt: skip
    facts = RotationCheckFacts.of(
        [proposed],
        planning_selectors.people_facts({person.pk}, on).values(),
        planning_selectors.position_facts({to_position.pk}, on).values(),
    )
    findings = tuple(run_rotation_checks(facts, rule_set, CheckContext(day)))
    return RotationWhatIf(day, rule_set, facts, proposed, findings)
