"""Writes on appointment cases: validated, scoped, audited, one transaction each.

Every service re-checks inside its transaction that the actor may edit the competent
body's unit (`canbo.core.scope`), validates with `full_clean` and records an audit event
with the case before and after. Nothing is deleted: a case ends with a closing date and
its outcome (a decision, or the procedure stopped).
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
from canbo.organizations.models import Position, Unit
from canbo.people import services as people_services
from canbo.people.choices import AssignmentHow
from canbo.people.models import Assignment, Person
from canbo.people.selectors import held_on_q

from .choices import CaseKind, CaseOutcome
from .models import AppointmentCase

AUDIT_EXCLUDE = ("created_at", "updated_at")
#: A8: a term of appointment lasts five years.
TERM_YEARS = 5
#: Kinds whose decision gives a term of office.
WITH_TERM = (CaseKind.APPOINT, CaseKind.REAPPOINT)
#: Kinds whose decision ends the post held.
ENDS_OFFICE = (CaseKind.DISMISS, CaseKind.RESIGN, CaseKind.REMOVE)


def _today() -> dt.date:
    return timezone.localdate()


def _lock(case: AppointmentCase) -> AppointmentCase:
    return (
        AppointmentCase.objects.select_for_update(of=("self",))
        .select_related("competent_unit", "position__unit")
        .get(pk=case.pk)
    )


def _save(actor, case: AppointmentCase, before: dict | None) -> AppointmentCase:
    case.full_clean()
    case.save()
    record_write(
        actor=actor,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        instance=case,
        before=before,
        after=snapshot(case, exclude=AUDIT_EXCLUDE),
    )
    return case


def term_end_for(start: dt.date) -> dt.date:
    """The last day of a five-year term of office starting on `start` (A8)."""
    try:
        anniversary = start.replace(year=start.year + TERM_YEARS)
    except ValueError:  # 29 February
        anniversary = start.replace(year=start.year + TERM_YEARS, day=28) + dt.timedelta(days=1)
    return anniversary - dt.timedelta(days=1)


@transaction.atomic
def case_open(
    *,
    actor,
    person: Person,
    kind: str,
    position: Position,
    competent_unit: Unit,
    opened_on: dt.date,
    internal: bool = True,
    dossier_received_on: dt.date | None = None,
    election_on: dt.date | None = None,
    seats: int | None = None,
    note: str = "",
) -> AppointmentCase:
    """Open a case: `person` for (or, to dismiss, from) `position`, decided by the body of
    `competent_unit`, whose subtree holds the post. A nomination may name the election
    (or congress) day and the seats to fill (A9, A10)."""
    competent_unit = Unit.objects.select_for_update().get(pk=competent_unit.pk)
    scope.ensure_unit_allowed(actor, competent_unit, scope.EDIT)
    position = Position.objects.select_related("unit").get(pk=position.pk)
    if not position.unit.path.startswith(competent_unit.path):
        raise ValidationError(
            {"position": _("Chức danh này không thuộc phạm vi của cấp có thẩm quyền đã chọn.")}
        )
    ensure_not_after("opened_on", opened_on, _today())
    ensure_not_after("dossier_received_on", dossier_received_on, _today())
    if dossier_received_on is not None and dossier_received_on < opened_on:
        raise ValidationError(
            {"dossier_received_on": _("Ngày nhận hồ sơ không được trước ngày bắt đầu quy trình.")}
        )
    if kind != CaseKind.NOMINATE and (election_on is not None or seats is not None):
        raise ValidationError(
            {"election_on": _("Ngày bầu cử và số lượng cần bầu chỉ dùng cho hồ sơ giới thiệu ứng cử.")}
        )
    if seats is not None and seats < 1:
        raise ValidationError({"seats": _("Số lượng cần bầu phải từ 1 trở lên.")})
    # One open case per person, post and kind at one body. Only the actor's own body is
    # looked at: a case another body keeps may be outside the actor's scope, and saying it
    # exists would tell what the actor may not see.
    already = AppointmentCase.objects.filter(
        person=person, position=position, kind=kind, competent_unit=competent_unit,
        closed_on__isnull=True,
    ).first()  # fmt: skip
    if already is not None:
        raise ValidationError(
            _("Cán bộ này đã có hồ sơ %(kind)s chức danh này đang mở từ %(date)s.")
            % {"kind": already.get_kind_display().lower(), "date": format_day(already.opened_on)}
        )
    case = AppointmentCase(
        person=person,
        kind=kind,
        position=position,
        competent_unit=competent_unit,
        internal=internal,
        opened_on=opened_on,
        dossier_received_on=dossier_received_on,
        election_on=election_on,
        seats=seats,
        note=(note or "").strip(),
    )
    return _save(actor, case, None)


@transaction.atomic
def case_record_dossier(
    *,
    actor,
    case: AppointmentCase,
    received_on: dt.date | None,
    complete_on: dt.date | None,
) -> AppointmentCase:
    """The day the dossier was received and the day it was complete (A5, A3, A7)."""
    case = _lock(case)
    scope.ensure_unit_allowed(actor, case.competent_unit, scope.EDIT)
    _ensure_open(case)
    ensure_not_after("dossier_received_on", received_on, _today())
    ensure_not_after("dossier_complete_on", complete_on, _today())
    if received_on is not None and received_on < case.opened_on:
        raise ValidationError(
            {"dossier_received_on": _("Ngày nhận hồ sơ không được trước ngày bắt đầu quy trình.")}
        )
    before = snapshot(case, exclude=AUDIT_EXCLUDE)
    case.dossier_received_on = received_on
    case.dossier_complete_on = complete_on
    return _save(actor, case, before)


@transaction.atomic
def case_close(
    *,
    actor,
    case: AppointmentCase,
    closed_on: dt.date,
    outcome: str,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
    note: str = "",
) -> AppointmentCase:
    """End the procedure: with the competent body's decision, or stopped. An appointment
    or reappointment decided gets its term of office (five years from its start unless
    the decision says otherwise, A8)."""
    case = _lock(case)
    scope.ensure_unit_allowed(actor, case.competent_unit, scope.EDIT)
    _ensure_open(case)
    if outcome not in CaseOutcome.values:
        raise ValidationError({"outcome": _("Hãy chọn kết quả của quy trình.")})
    ensure_not_after("closed_on", closed_on, _today())
    ensure_not_after("decision_date", decision_date, _today())
    decision_number = (decision_number or "").strip()
    if outcome == CaseOutcome.DECIDED:
        errors = {}
        if not decision_number:
            errors["decision_number"] = _("Hãy nhập số quyết định.")
        if decision_date is None:
            errors["decision_date"] = _("Hãy nhập ngày quyết định.")
        elif decision_date > closed_on:
            errors["decision_date"] = _("Ngày quyết định không được sau ngày kết thúc quy trình.")
        if errors:
            raise ValidationError(errors)
        if case.kind in WITH_TERM:
            term_start = term_start or decision_date
            term_end = term_end or term_end_for(term_start)
    elif decision_number or decision_date or term_start or term_end:
        raise ValidationError(
            _("Quy trình dừng lại không có quyết định: không nhập số, ngày quyết định và thời hạn.")
        )
    before = snapshot(case, exclude=AUDIT_EXCLUDE)
    case.closed_on = closed_on
    case.outcome = outcome
    case.decision_number = decision_number
    case.decision_date = decision_date
    case.term_start = term_start
    case.term_end = term_end
    if note.strip():
        case.note = "\n".join(filter(None, [case.note, note.strip()]))
    _save(actor, case, before)
    if outcome == CaseOutcome.DECIDED:
        _record_in_work_history(actor, case)
    return case


def _record_in_work_history(actor, case: AppointmentCase) -> None:
    """The decision in the person's work history, through the registry's services (scoped
    by the person's unit, validated, audited): an appointment starts a post from the start
    of its term (unless the person already holds it then); a dismissal, resignation or
    removal ends the post held on the decision's day. A reappointment continues the post
    held and a nomination awaits the election: neither changes the history."""
    held = Assignment.objects.filter(
        held_on_q(case.decision_date), person=case.person, position=case.position
    )
    if case.kind == CaseKind.APPOINT:
        if held.filter(held_on_q(case.term_start)).exists():
            return
        people_services.section_create(
            actor=actor,
            person=case.person,
            kind="assignment",
            position=case.position,
            start_date=case.term_start,
            how=AssignmentHow.APPOINTED,
            decision_number=case.decision_number,
        )
    elif case.kind in ENDS_OFFICE:
        for row in held.filter(end_date__isnull=True):
            people_services.section_update(
                actor=actor,
                item=row,
                end_date=case.decision_date,
                note="; ".join(filter(None, [row.note, _("%(kind)s theo quyết định %(number)s")
                                             % {"kind": case.get_kind_display(),
                                                "number": case.decision_number}])),
            )  # fmt: skip


def _ensure_open(case: AppointmentCase) -> None:
    if case.closed_on is not None:
        raise ValidationError(
            _("Quy trình này đã kết thúc ngày %(date)s.") % {"date": format_day(case.closed_on)}
        )
