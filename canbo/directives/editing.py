"""Editing directives and what hangs on them: a directive's fields and its file, a task's
fields (re-assigning its lead unit, cancelling it), removing an assignment nobody has
started, the hearing schedule (slots and invited units), and monitoring groups.

Every function checks the right itself (the views and the API only adapt), validates
(a ValidationError names the field, in Vietnamese) and audits with before and after.

- A directive, its tasks and its hearing schedule are edited by whoever may edit the
  issuing unit itself (a grant of the unit, or of a subtree above it).
- A directive it implements, a lead or coordinating unit, an invited unit are looked up
  by the caller among what the actor may read (`selectors.visible_*`); the functions
  here check again, so a record out of sight is refused as if it did not exist.
- A monitoring group gives its owner's readers sight of the group's units, so only an
  administrator creates or changes one (ADR 0016).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from canbo.core import scope
from canbo.core.audit import AuditAction, record_write, snapshot

from . import attachments
from .calendar import MAX_WORKING_DAYS, add_working_days
from .models import (
    Directive,
    HearingInvitation,
    HearingSlot,
    MonitoringGroup,
    Task,
    TaskAssignment,
)
from .selectors import visible_directives, visible_units

DIRECTIVE_FIELDS = ("kind", "number", "issued_on", "issuing_unit", "title", "summary",
                    "implements")  # fmt: skip
TASK_FIELDS = ("parent", "order", "content", "lead_unit", "leader", "deliverable", "start_on",
               "working_days", "deadline", "cancelled_on", "cancel_reason")  # fmt: skip


def _unknown(fields: dict, allowed: tuple[str, ...]) -> None:
    extra = set(fields) - set(allowed)
    if extra:
        raise TypeError(f"unknown fields: {sorted(extra)}")


# --- Directives ----------------------------------------------------------------------


def check_implements(actor, directive: Directive) -> None:
    """The directive it implements must be one the actor may read, issued no later, and
    not the directive itself nor one that (transitively) implements it."""
    parent = directive.implements
    if parent is None:
        return
    if actor is not None and not visible_directives(actor).filter(pk=parent.pk).exists():
        raise ValidationError({"implements": _("Không tìm thấy văn bản này.")})
    if parent.issued_on and directive.issued_on and parent.issued_on > directive.issued_on:
        raise ValidationError(
            {"implements": _("Văn bản được thực hiện phải ban hành trước hoặc cùng ngày.")}
        )
    seen = set()
    node = parent
    while node is not None and node.pk not in seen:
        if directive.pk and node.pk == directive.pk:
            raise ValidationError(
                {"implements": _("Một văn bản không thể thực hiện chính nó (vòng lặp).")}
            )
        seen.add(node.pk)
        node = node.implements


@transaction.atomic
def directive_update(*, actor, directive: Directive, **fields) -> Directive:
    """Change a directive's fields. The actor must edit both the issuing unit it had and
    the one it gets; a directive cannot be dated after a task's completion was recorded."""
    _unknown(fields, DIRECTIVE_FIELDS)
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    scope.ensure_unit_allowed(actor, directive.issuing_unit, scope.EDIT)
    before = snapshot(directive)
    for name, value in fields.items():
        setattr(directive, name, value)
    scope.ensure_unit_allowed(actor, directive.issuing_unit, scope.EDIT)
    check_implements(actor, directive)
    first = (TaskAssignment.objects.filter(task__directive=directive, completed_on__isnull=False)
             .order_by("completed_on").values_list("completed_on", flat=True).first())  # fmt: skip
    if first is not None and directive.issued_on > first:
        raise ValidationError({"issued_on": _(
            "Đã có đơn vị hoàn thành nhiệm vụ ngày %(day)s: ngày ban hành không thể sau ngày đó."
        ) % {"day": f"{first:%d/%m/%Y}"}})  # fmt: skip
    directive.full_clean()
    directive.save()
    record_write(actor=actor, action=AuditAction.UPDATE, instance=directive, before=before,
                 after=snapshot(directive))  # fmt: skip
    return directive


@transaction.atomic
def directive_attach(*, actor, directive: Directive, upload) -> Directive:
    """Attach the directive's own file (the signed document), replacing any earlier one;
    `upload` None removes it. Checked as a note's file is (`attachments.store`)."""
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    scope.ensure_unit_allowed(actor, directive.issuing_unit, scope.EDIT)
    before = snapshot(directive)
    old_key = directive.file_key
    if upload is None:
        directive.file_key, directive.file_name, directive.file_size = "", "", None
    else:
        directive.file_key, directive.file_name, directive.file_size = attachments.store(upload)
    try:
        directive.save(update_fields=["file_key", "file_name", "file_size"])
    except Exception:
        attachments.discard(directive.file_key if upload is not None else "")
        raise
    record_write(actor=actor, action=AuditAction.UPDATE, instance=directive, before=before,
                 after=snapshot(directive))  # fmt: skip
    if old_key and old_key != directive.file_key:
        transaction.on_commit(lambda: attachments.discard(old_key))
    return directive


# --- Tasks ---------------------------------------------------------------------------


def check_task(task: Task) -> None:
    """A task's parent belongs to the same directive and is not the task or below it;
    a working-day deadline is computed from the start."""
    parent = task.parent
    if parent is not None:
        if parent.directive_id != task.directive_id:
            raise ValidationError({"parent": _("Mục cha phải thuộc cùng văn bản.")})
        node, seen = parent, set()
        while node is not None and node.pk not in seen:
            if task.pk and node.pk == task.pk:
                raise ValidationError({"parent": _("Một nhiệm vụ không thể nằm trong chính nó.")})
            seen.add(node.pk)
            node = node.parent
    if task.working_days:
        if task.working_days > MAX_WORKING_DAYS:
            raise ValidationError({"working_days": _("Tối đa %(n)d ngày làm việc.")
                                   % {"n": MAX_WORKING_DAYS}})  # fmt: skip
        if task.start_on:
            task.deadline = add_working_days(task.start_on, task.working_days)
    if task.cancelled_on and task.cancelled_on < task.directive.issued_on:
        raise ValidationError({"cancelled_on": _("Ngày hủy không thể trước ngày ban hành văn bản.")})


def check_units_visible(actor, units, field: str) -> None:
    """Units named on a task or an invitation must be ones the actor may read."""
    if actor is None or scope.is_administrator(actor):
        return
    pks = {u.pk for u in units if u is not None}
    if pks and visible_units(actor).filter(pk__in=pks).count() != len(pks):
        raise ValidationError({field: _("Không tìm thấy đơn vị này.")})


def _removable(assignment: TaskAssignment) -> bool:
    return assignment.completed_on is None and not assignment.notes.exists()


@transaction.atomic
def task_update(*, actor, task: Task, coordinating_units=None, **fields) -> Task:
    """Change a task. A new lead unit gets its assignment; the old lead unit's is removed
    when it has neither a completion nor a note (kept on record otherwise)."""
    _unknown(fields, TASK_FIELDS)
    task = Task.objects.select_for_update().select_related("directive__issuing_unit").get(pk=task.pk)
    scope.ensure_unit_allowed(actor, task.directive.issuing_unit, scope.EDIT)
    before = snapshot(task)
    before["coordinating_units"] = sorted(task.coordinating_units.values_list("pk", flat=True))
    old_lead = task.lead_unit_id
    for name, value in fields.items():
        setattr(task, name, value)
    if "lead_unit" in fields:
        check_units_visible(actor, [task.lead_unit], "lead_unit")
    if coordinating_units is not None:
        check_units_visible(actor, coordinating_units, "coordinating_units")
    check_task(task)
    task.full_clean()
    task.save()
    if coordinating_units is not None:
        task.coordinating_units.set(coordinating_units)
    if task.lead_unit_id != old_lead:
        if old_lead:
            old = TaskAssignment.objects.filter(task=task, unit_id=old_lead).first()
            if old is not None and _removable(old):
                old.delete()
        if task.lead_unit_id:
            TaskAssignment.objects.get_or_create(task=task, unit_id=task.lead_unit_id)
    after = snapshot(task)
    after["coordinating_units"] = sorted(task.coordinating_units.values_list("pk", flat=True))
    record_write(actor=actor, action=AuditAction.UPDATE, instance=task, before=before, after=after)
    return task


@transaction.atomic
def assignment_remove(*, actor, assignment: TaskAssignment) -> None:
    """Take a task back from a unit, only while the unit has neither recorded its
    completion nor written a note (otherwise cancel the task instead)."""
    assignment = (TaskAssignment.objects.select_for_update()
                  .select_related("task__directive__issuing_unit").get(pk=assignment.pk))  # fmt: skip
    scope.ensure_unit_allowed(actor, assignment.task.directive.issuing_unit, scope.EDIT)
    if not _removable(assignment):
        raise ValidationError(_("Đơn vị đã ghi nhận kết quả hoặc tiến độ: không thể thu hồi; "
                                "hãy hủy nhiệm vụ nếu cần."))  # fmt: skip
    before = snapshot(assignment)
    record_write(actor=actor, action=AuditAction.DELETE, instance=assignment, before=before)
    assignment.delete()


# --- Hearings ------------------------------------------------------------------------


@transaction.atomic
def slot_add(*, actor, directive: Directive, day: dt.date, session: str,
             place: str = "") -> HearingSlot:  # fmt: skip
    scope.ensure_unit_allowed(actor, directive.issuing_unit, scope.EDIT)
    if day < directive.issued_on:
        raise ValidationError({"day": _("Buổi làm việc không thể trước ngày ban hành văn bản.")})
    slot = HearingSlot(directive=directive, day=day, session=session, place=place.strip())
    if HearingSlot.objects.filter(directive=directive, day=day, session=session).exists():
        raise ValidationError({"day": _("Lịch đã có buổi %(slot)s.") % {"slot": slot}})
    slot.full_clean()
    slot.save()
    record_write(actor=actor, action=AuditAction.CREATE, instance=slot, after=snapshot(slot))
    return slot


@transaction.atomic
def slot_remove(*, actor, slot: HearingSlot) -> None:
    """Remove a slot nobody booked (a booked one names its unit and stays)."""
    slot = HearingSlot.objects.select_for_update().select_related("directive__issuing_unit").get(
        pk=slot.pk
    )
    scope.ensure_unit_allowed(actor, slot.directive.issuing_unit, scope.EDIT)
    holder = HearingInvitation.objects.filter(slot=slot).select_related("unit").first()
    if holder is not None:
        raise ValidationError(_("Buổi %(slot)s đã có %(unit)s đăng ký: không thể xóa.")
                              % {"slot": slot, "unit": holder.unit.name})  # fmt: skip
    record_write(actor=actor, action=AuditAction.DELETE, instance=slot, before=snapshot(slot))
    slot.delete()


@transaction.atomic
def invite(*, actor, directive: Directive, units) -> int:
    """Choose units for a direct hearing (each once; those already chosen are left as
    they are). Returns how many were added."""
    scope.ensure_unit_allowed(actor, directive.issuing_unit, scope.EDIT)
    units = list(units)
    check_units_visible(actor, units, "units")
    have = set(HearingInvitation.objects.filter(directive=directive).values_list("unit_id", flat=True))
    new = [HearingInvitation(directive=directive, unit=u) for u in units if u.pk not in have]
    for invitation in new:
        invitation.save()
        record_write(actor=actor, action=AuditAction.CREATE, instance=invitation,
                     after=snapshot(invitation))  # fmt: skip
    return len(new)


@transaction.atomic
def uninvite(*, actor, invitation: HearingInvitation) -> None:
    """Take a unit off the hearing list (its booked slot, if any, is freed)."""
    invitation = (HearingInvitation.objects.select_for_update()
                  .select_related("directive__issuing_unit").get(pk=invitation.pk))  # fmt: skip
    scope.ensure_unit_allowed(actor, invitation.directive.issuing_unit, scope.EDIT)
    record_write(actor=actor, action=AuditAction.DELETE, instance=invitation,
                 before=snapshot(invitation))  # fmt: skip
    invitation.delete()


# --- Monitoring groups ---------------------------------------------------------------


@transaction.atomic
def group_save(*, actor, group: MonitoringGroup | None = None, name: str, owner, units,
               note: str = "") -> MonitoringGroup:  # fmt: skip
    """Create (group None) or change a monitoring group: administrators only, since a
    group lets its owner's readers read the subtrees of its units."""
    scope.ensure_administrator(actor)
    units = list(units)
    if not units:
        raise ValidationError({"units": _("Nhóm cần ít nhất một đơn vị.")})
    if group is None:
        group, action, before = MonitoringGroup(), AuditAction.CREATE, None
    else:
        group = MonitoringGroup.objects.select_for_update().get(pk=group.pk)
        action, before = AuditAction.UPDATE, snapshot(group)
        before["units"] = sorted(group.units.values_list("pk", flat=True))
    group.name, group.owner, group.note = name.strip(), owner, note.strip()
    group.full_clean()
    group.save()
    group.units.set(units)
    after = snapshot(group)
    after["units"] = sorted(u.pk for u in units)
    record_write(actor=actor, action=action, instance=group, before=before, after=after)
    return group


@transaction.atomic
def group_delete(*, actor, group: MonitoringGroup) -> None:
    scope.ensure_administrator(actor)
    group = MonitoringGroup.objects.select_for_update().get(pk=group.pk)
    before = snapshot(group)
    before["units"] = sorted(group.units.values_list("pk", flat=True))
    record_write(actor=actor, action=AuditAction.DELETE, instance=group, before=before)
    group.delete()
