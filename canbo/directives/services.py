"""Writing directives, tasks and assignments, with their audit."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from canbo.core import scope
from canbo.core.audit import AuditAction, record_write, snapshot
from canbo.organizations.models import Unit
from canbo.organizations.selectors import valid_on_q

from . import attachments, editing
from .editing import check_implements, check_task, check_units_visible
from .models import (
    Directive,
    HearingInvitation,
    HearingSlot,
    MonitoringGroup,
    Task,
    TaskAssignment,
    TaskNote,
)
from .selectors import under_q, visible_units


@transaction.atomic
def directive_create(*, actor, **fields) -> Directive:
    directive = Directive(**fields)
    scope.ensure_unit_allowed(actor, directive.issuing_unit, scope.EDIT)
    check_implements(actor, directive)
    directive.full_clean()
    directive.save()
    record_write(actor=actor, action=AuditAction.CREATE, instance=directive,
                 after=snapshot(directive))  # fmt: skip
    return directive


@transaction.atomic
def directive_save(*, actor, directive: Directive | None = None, fields: dict, upload=None,
                   remove_file: bool = False) -> Directive:  # fmt: skip
    """Create (`directive` None) or change a directive and, in the same transaction,
    attach its file (`upload`, replacing any earlier one) or remove it (`remove_file`):
    a file refused writes nothing, the directive's fields included."""
    if directive is None:
        directive = directive_create(actor=actor, **fields)
    else:
        directive = editing.directive_update(actor=actor, directive=directive, **fields)
    if upload is not None or remove_file:
        directive = editing.directive_attach(actor=actor, directive=directive, upload=upload)
    return directive


@transaction.atomic
def task_create(*, actor, directive: Directive, coordinating_units=(), **fields) -> Task:
    """A task; with a lead unit, its assignment to that unit too. With `working_days`,
    the deadline is that many working days after the start (`calendar`). The parent,
    the lead and coordinating units are checked as `editing.task_update` checks them."""
    scope.ensure_unit_allowed(actor, directive.issuing_unit, scope.EDIT)
    task = Task(directive=directive, **fields)
    if not fields.get("order"):  # the next number in the directive
        last = directive.tasks.aggregate(last=Max("order"))["last"]
        task.order = (last or 0) + 1
    coordinating_units = list(coordinating_units)
    check_units_visible(actor, [task.lead_unit], "lead_unit")
    check_units_visible(actor, coordinating_units, "coordinating_units")
    check_task(task)
    task.full_clean()
    task.save()
    task.coordinating_units.set(coordinating_units)
    record_write(actor=actor, action=AuditAction.CREATE, instance=task, after=snapshot(task))
    if task.lead_unit_id:
        TaskAssignment.objects.create(task=task, unit=task.lead_unit)
    return task


@transaction.atomic
def assign_to_units(*, actor, task: Task, level: str, kind: str | None = None,
                    within: Unit | None = None, group: MonitoringGroup | None = None,
                    on: dt.date | None = None) -> int:  # fmt: skip
    """Assign `task` to every unit of `level` (and `kind`) in force on `on` (the task's
    start, else the directive's date) in `within`'s subtree or `group`'s. Units that
    already have it are left as they are, so running it again after units were added
    assigns the new ones only (ADR 0016). Only units the actor may read are assigned.
    Returns how many were assigned."""
    scope.ensure_unit_allowed(actor, task.directive.issuing_unit, scope.EDIT)
    on = on or task.start_on or task.directive.issued_on
    units = Unit.objects.filter(valid_on_q(on), level=level)
    if kind:
        units = units.filter(kind=kind)
    units = units.filter(under_q(within, group, prefix=""))
    if actor is not None and not scope.is_administrator(actor):  # only units in the actor's sight
        units = units.filter(pk__in=visible_units(actor).values("pk"))
    have = set(TaskAssignment.objects.filter(task=task).values_list("unit_id", flat=True))
    new = [TaskAssignment(task=task, unit_id=pk)
           for pk in units.order_by("path").values_list("pk", flat=True) if pk not in have]  # fmt: skip
    TaskAssignment.objects.bulk_create(new, batch_size=1000)
    record_write(actor=actor, action=AuditAction.UPDATE, instance=task,
                 before={"assigned": len(have)}, after={"assigned": len(have) + len(new)})  # fmt: skip
    return len(new)


@transaction.atomic
def record_completion(*, actor, assignment: TaskAssignment, completed_on: dt.date | None,
                      note: str = "", evidence: str = "",
                      today: dt.date | None = None) -> TaskAssignment:  # fmt: skip
    """The unit records (or, with None, withdraws) its completion of the task. Only
    someone who may edit the unit itself may; the date cannot lie in the future nor
    before the directive was issued."""
    assignment = (TaskAssignment.objects.select_for_update()
                  .select_related("unit", "task__directive").get(pk=assignment.pk))  # fmt: skip
    scope.ensure_unit_allowed(actor, assignment.unit, scope.EDIT)
    today = today or dt.date.today()
    if completed_on is not None:
        if completed_on > today:
            raise ValidationError({"completed_on": _("Ngày hoàn thành không thể sau hôm nay.")})
        if completed_on < assignment.task.directive.issued_on:
            raise ValidationError(
                {"completed_on": _("Ngày hoàn thành không thể trước ngày ban hành văn bản.")}
            )
    before = snapshot(assignment)
    assignment.completed_on, assignment.note, assignment.evidence = completed_on, note, evidence
    assignment.full_clean()
    assignment.save()
    record_write(actor=actor, action=AuditAction.UPDATE, instance=assignment, before=before,
                 after=snapshot(assignment))  # fmt: skip
    return assignment


@transaction.atomic
def hearing_book(*, actor, invitation: HearingInvitation, slot: HearingSlot | None) -> HearingInvitation:
    """The invited unit books `slot` of its directive's schedule (None: gives its slot
    back). A slot another unit holds is refused (a clash); booking again moves the unit."""
    invitation = (HearingInvitation.objects.select_for_update()
                  .select_related("unit").get(pk=invitation.pk))  # fmt: skip
    scope.ensure_unit_allowed(actor, invitation.unit, scope.EDIT)
    if slot is not None:
        slot = HearingSlot.objects.select_for_update().get(pk=slot.pk)
        if slot.directive_id != invitation.directive_id:
            raise ValidationError({"slot": _("Buổi này không thuộc lịch của văn bản này.")})
        holder = HearingInvitation.objects.filter(slot=slot).exclude(pk=invitation.pk).first()
        if holder is not None:
            raise ValidationError({"slot": _("Buổi %(slot)s đã có đơn vị khác đăng ký.")
                                   % {"slot": slot}})  # fmt: skip
    before = snapshot(invitation)
    invitation.slot = slot
    invitation.save()
    record_write(actor=actor, action=AuditAction.UPDATE, instance=invitation, before=before,
                 after=snapshot(invitation))  # fmt: skip
    return invitation


@transaction.atomic
def note_add(*, actor, assignment: TaskAssignment, text: str, upload=None,
             today: dt.date | None = None) -> TaskNote:  # fmt: skip
    """A progress note on the unit's assignment, with an optional file: only someone who
    may edit the unit writes one. A file whose note cannot be saved is removed."""
    assignment = TaskAssignment.objects.select_related("unit").get(pk=assignment.pk)
    scope.ensure_unit_allowed(actor, assignment.unit, scope.EDIT)
    note = TaskNote(assignment=assignment, written_on=today or dt.date.today(),
                    text=(text or "").strip(), author=actor if getattr(actor, "pk", None) else None)  # fmt: skip
    if not note.text:
        raise ValidationError({"text": _("Hãy ghi nội dung.")})
    note.full_clean(exclude=["file_name"])
    if upload is not None:
        note.file_key, note.file_name, note.file_size = attachments.store(upload)
    try:
        note.save()
    except Exception:
        attachments.discard(note.file_key)
        raise
    record_write(actor=actor, action=AuditAction.CREATE, instance=note, after=snapshot(note))
    return note
