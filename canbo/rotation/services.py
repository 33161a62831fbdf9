"""Writes on rotations and rotation plans: validated, scoped, audited, one transaction each.

- `rotation_create` records a rotation: decided (with the decision and its start) or
  intended (in a plan, without them). The post it leaves defaults to the person's
  highest-ranked post held the day before the start.
- `rotation_start` decides an intended rotation.
- `rotation_end` ends it with its outcome and the end-of-rotation evaluation.

The work history follows through the registry's services (scoped by the person's unit,
validated, audited), never duplicated: at the start the post left ends the day before
(except for a secondment, which keeps it) and the post taken starts; at the end the post
taken ends unless the person stays there, and a return starts the old post again. The
directions between levels, localities and sectors are derived from the two units.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.core import scope
from canbo.core.audit import AuditAction, record_write, snapshot
from canbo.core.dates import format_day
from canbo.core.validators import ensure_not_after
from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.organizations.models import Position, Term, Unit
from canbo.organizations.selectors import governed_area_ids
from canbo.people import services as people_services
from canbo.people.models import Assignment, Person
from canbo.people.selectors import held_on_q

from .choices import (
    HOW_BY_KIND,
    KEEPS_HOME_POST,
    LevelDirection,
    RotationKind,
    RotationOutcome,
    RotationPurpose,
)
from .models import Rotation, RotationPlan

AUDIT_EXCLUDE = ("created_at", "updated_at")
ONE_DAY = dt.timedelta(days=1)
#: Higher first: central, province, district, commune.
LEVEL_ORDER = {UnitLevel.CENTRAL: 0, UnitLevel.PROVINCE: 1, UnitLevel.DISTRICT: 2, UnitLevel.COMMUNE: 3}
#: Sectors the directions count moves between (party, state, mass organizations).
SECTOR_OF = {
    UnitKind.PARTY_COMMITTEE: "party", UnitKind.PARTY_AGENCY: "party",
    UnitKind.PEOPLES_COUNCIL: "state", UnitKind.PEOPLES_COMMITTEE: "state",
    UnitKind.DEPARTMENT: "state", UnitKind.JUDICIAL: "state", UnitKind.ARMED: "state",
    UnitKind.PUBLIC_SERVICE: "state", UnitKind.CENTRAL_BODY: "state", UnitKind.FRONT: "mass",
}  # fmt: skip


def _today() -> dt.date:
    return timezone.localdate()


def directions(from_unit: Unit | None, to_unit: Unit) -> dict:
    """Between levels (up, down, same), localities and sectors, from the two units."""
    if from_unit is None:
        return {"level_direction": LevelDirection.SAME, "across_localities": False,
                "across_sectors": False}  # fmt: skip
    a, b = LEVEL_ORDER.get(from_unit.level, 9), LEVEL_ORDER.get(to_unit.level, 9)
    level = LevelDirection.SAME if a == b else (LevelDirection.UP if b < a else LevelDirection.DOWN)
    areas = governed_area_ids([from_unit, to_unit])
    return {
        "level_direction": level,
        "across_localities": areas.get(from_unit.pk) != areas.get(to_unit.pk),
        "across_sectors": SECTOR_OF.get(from_unit.kind, "other") != SECTOR_OF.get(to_unit.kind, "other"),
    }


def held_post(person: Person, on: dt.date) -> Position | None:
    """The person's highest-ranked post held on `on` (the post a rotation leaves)."""
    row = (
        Assignment.objects.filter(held_on_q(on), person=person, position__isnull=False)
        .select_related("position__unit", "position__title")
        .order_by("-position__title__rank", "-start_date", "id")
        .first()
    )
    return row.position if row else None


def _save(actor, row, before: dict | None):
    row.full_clean()
    row.save()
    record_write(
        actor=actor,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        instance=row,
        before=before,
        after=snapshot(row, exclude=AUDIT_EXCLUDE),
    )
    return row


@transaction.atomic
def plan_create(*, actor, unit: Unit, term: Term, name: str, note: str = "") -> RotationPlan:
    scope.ensure_unit_allowed(actor, unit, scope.EDIT)
    if RotationPlan.objects.filter(unit=unit, term=term).exists():
        raise ValidationError(_("Cấp này đã có kế hoạch luân chuyển cho nhiệm kỳ %(term)s.")
                              % {"term": term.name})  # fmt: skip
    return _save(actor, RotationPlan(unit=unit, term=term, name=(name or "").strip(),
                                     note=(note or "").strip()), None)  # fmt: skip


@transaction.atomic
def rotation_create(
    *,
    actor,
    person: Person,
    kind: str,
    purpose: str,
    to_position: Position,
    competent_unit: Unit,
    from_position: Position | None = None,
    plan: RotationPlan | None = None,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    start_date: dt.date | None = None,
    planned_end: dt.date | None = None,
    shorter_approved: bool = False,
    note: str = "",
) -> Rotation:
    """Record a rotation decided by the body of `competent_unit` (both posts in its
    subtree): with its decision and start, or intended (in `plan`, without them)."""
    competent_unit = Unit.objects.select_for_update().get(pk=competent_unit.pk)
    scope.ensure_unit_allowed(actor, competent_unit, scope.EDIT)
    if kind not in RotationKind.values:
        raise ValidationError({"kind": _("Hãy chọn hình thức.")})
    if purpose not in RotationPurpose.values:
        raise ValidationError({"purpose": _("Hãy chọn mục đích.")})
    to_position = Position.objects.select_related("unit").get(pk=to_position.pk)
    if from_position is None and start_date is not None:
        from_position = held_post(person, start_date - ONE_DAY)
    if from_position is not None:
        from_position = Position.objects.select_related("unit").get(pk=from_position.pk)
    for field, position in (("to_position", to_position), ("from_position", from_position)):
        if position is not None and not position.unit.path.startswith(competent_unit.path):
            raise ValidationError(
                {field: _("Chức danh này không thuộc phạm vi của cấp có thẩm quyền đã chọn.")}
            )
    if from_position is not None and from_position.pk == to_position.pk:
        raise ValidationError({"to_position": _("Nơi đến phải khác nơi đi.")})
    if plan is not None and plan.unit_id != competent_unit.pk:
        raise ValidationError({"plan": _("Kế hoạch này là của cấp khác.")})
    if plan is None and start_date is None:
        raise ValidationError({"start_date": _("Luân chuyển ngoài kế hoạch phải có quyết định và ngày bắt đầu.")})
    _check_decision(decision_number, decision_date, start_date)
    rotation = Rotation(
        person=person, kind=kind, purpose=purpose, from_position=from_position,
        to_position=to_position, competent_unit=competent_unit, plan=plan,
        decision_number=(decision_number or "").strip(), decision_date=decision_date,
        start_date=start_date, planned_end=planned_end, shorter_approved=shorter_approved,
        note=(note or "").strip(),
        **directions(from_position.unit if from_position else None, to_position.unit),
    )  # fmt: skip
    _save(actor, rotation, None)
    if start_date is not None:
        _record_start(actor, rotation)
    return rotation


def _check_decision(number: str, decided: dt.date | None, start: dt.date | None) -> None:
    ensure_not_after("decision_date", decided, _today())
    ensure_not_after("start_date", start, _today())
    if start is None:
        return
    errors = {}
    if not (number or "").strip():
        errors["decision_number"] = _("Hãy nhập số quyết định.")
    if decided is None:
        errors["decision_date"] = _("Hãy nhập ngày quyết định.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def rotation_start(
    *,
    actor,
    rotation: Rotation,
    decision_number: str,
    decision_date: dt.date,
    start_date: dt.date,
    planned_end: dt.date | None = None,
    shorter_approved: bool | None = None,
) -> Rotation:
    """Decide an intended rotation: its decision and start write the work history."""
    rotation = _lock(rotation)
    scope.ensure_unit_allowed(actor, rotation.competent_unit, scope.EDIT)
    if rotation.start_date is not None:
        raise ValidationError(_("Luân chuyển này đã bắt đầu ngày %(date)s.")
                              % {"date": format_day(rotation.start_date)})  # fmt: skip
    _check_decision(decision_number, decision_date, start_date)
    before = snapshot(rotation, exclude=AUDIT_EXCLUDE)
    if rotation.from_position_id is None:
        rotation.from_position = held_post(rotation.person, start_date - ONE_DAY)
        derived = directions(rotation.from_position.unit if rotation.from_position else None,
                             rotation.to_position.unit)  # fmt: skip
        for name, value in derived.items():
            setattr(rotation, name, value)
    rotation.decision_number = decision_number.strip()
    rotation.decision_date = decision_date
    rotation.start_date = start_date
    rotation.planned_end = planned_end
    if shorter_approved is not None:
        rotation.shorter_approved = shorter_approved
    _save(actor, rotation, before)
    _record_start(actor, rotation)
    return rotation


@transaction.atomic
def rotation_end(
    *, actor, rotation: Rotation, actual_end: dt.date, outcome: str, evaluation: str = ""
) -> Rotation:
    """End a rotation: the post taken ends (unless the person stays there), a return
    starts the old post again the next day."""
    rotation = _lock(rotation)
    scope.ensure_unit_allowed(actor, rotation.competent_unit, scope.EDIT)
    if rotation.start_date is None:
        raise ValidationError(_("Luân chuyển này chưa bắt đầu."))
    if rotation.actual_end is not None:
        raise ValidationError(_("Luân chuyển này đã kết thúc ngày %(date)s.")
                              % {"date": format_day(rotation.actual_end)})  # fmt: skip
    if outcome not in RotationOutcome.values:
        raise ValidationError({"outcome": _("Hãy chọn kết quả sau luân chuyển.")})
    ensure_not_after("actual_end", actual_end, _today())
    if outcome == RotationOutcome.RETURNED and rotation.from_position_id is None:
        raise ValidationError({"outcome": _("Không rõ nơi đi: không ghi được là trở về.")})
    before = snapshot(rotation, exclude=AUDIT_EXCLUDE)
    rotation.actual_end = actual_end
    rotation.outcome = outcome
    rotation.evaluation = (evaluation or "").strip()
    _save(actor, rotation, before)
    if outcome != RotationOutcome.APPOINTED_THERE:
        _end_held(actor, rotation, rotation.to_position, actual_end)
    if outcome == RotationOutcome.RETURNED and rotation.kind not in KEEPS_HOME_POST:
        people_services.section_create(
            actor=actor, person=rotation.person, kind="assignment",
            position=rotation.from_position, start_date=actual_end + ONE_DAY,
            how=HOW_BY_KIND[rotation.kind], decision_number=rotation.decision_number,
            note=_("Trở về sau luân chuyển"),
        )  # fmt: skip
    return rotation


def _lock(rotation: Rotation) -> Rotation:
    return (
        Rotation.objects.select_for_update(of=("self",))
        .select_related("competent_unit", "person", "from_position__unit", "to_position__unit")
        .get(pk=rotation.pk)
    )


def _record_start(actor, rotation: Rotation) -> None:
    start = rotation.start_date
    if rotation.from_position is not None and rotation.kind not in KEEPS_HOME_POST:
        _end_held(actor, rotation, rotation.from_position, start - ONE_DAY)
    people_services.section_create(
        actor=actor, person=rotation.person, kind="assignment", position=rotation.to_position,
        start_date=start, how=HOW_BY_KIND[rotation.kind],
        decision_number=rotation.decision_number,
    )  # fmt: skip


def _end_held(actor, rotation: Rotation, position: Position, end: dt.date) -> None:
    """End the open rows of `position` the person holds (from before `end`)."""
    rows = Assignment.objects.filter(person=rotation.person, position=position,
                                     end_date__isnull=True, start_date__lte=end)  # fmt: skip
    for row in rows:
        people_services.section_update(
            actor=actor, item=row, end_date=end,
            note="; ".join(filter(None, [row.note, _("%(kind)s theo quyết định %(number)s")
                                         % {"kind": rotation.get_kind_display(),
                                            "number": rotation.decision_number}])),
        )  # fmt: skip
