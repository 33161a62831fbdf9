"""Writing report rounds and submissions: scoped, validated, audited (issue 16).

**A round** is issued by whoever may edit its issuing unit. `round_create` issues, in one
transaction, the directive that carries it (an official letter — "Công văn về việc báo
cáo…" — by default: a call for one period's figures is sent as a letter, the forms
themselves being laid down by a guidance such as Hướng dẫn 11-HD/BTCTW; `directive_kind`
changes it), one task (a report, starting on the cut-off date, due on the deadline) and
one assignment per reporting unit (`directives.services.assign_to_units`: the units of a
level and kind in force on the cut-off date, in a subtree — the issuing unit's when none
is given — or a monitoring group). Its period defaults to `periods.default_period`.

**A submission** is opened, corrected, recomputed and submitted by whoever may edit the
reporting unit; the counts are computed from the records the actor may read, at the cut-off
(`selectors.report_for`). Only count cells are corrected, each with a reason; a submitted
or accepted submission is not changed. Submitting needs the cut-off date reached. When
every form of the round is submitted, the unit's assignment is completed on that day
(`record_completion`), so the directives' roll-up shows it done, on time or late.

**Accepting or returning** needs a scope covering both the issuing unit and the reporting
unit (a commune's user never decides). Accepting freezes the figures: they are stored,
and nothing recomputes an accepted submission. Returning needs a comment and clears the
unit's completion, so the unit may correct and submit again.

Every write records an audit event with the row before and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.core import scope
from canbo.core.audit import AuditAction, record_write, snapshot
from canbo.directives import editing
from canbo.directives import services as directives
from canbo.directives.choices import Deliverable, DirectiveKind
from canbo.directives.models import Directive, MonitoringGroup, TaskAssignment
from canbo.organizations.models import Unit

from .forms import FORMS, form_named
from .models import (
    COUNTED,
    OPEN,
    ReportRound,
    Submission,
    SubmissionCorrection,
    SubmissionStatus,
    cell_key,
)
from .periods import default_period, period_code, period_label
from .selectors import report_for
from .spec import COUNT, FormSpec

AUDIT_EXCLUDE = ("created_at", "updated_at")


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _audit(actor, row, before: dict | None, action: str | None = None) -> None:
    record_write(actor=actor, action=action or (AuditAction.CREATE if before is None
                                                else AuditAction.UPDATE),
                 instance=row, before=before, after=snapshot(row, exclude=AUDIT_EXCLUDE))  # fmt: skip


# --- Rounds ------------------------------------------------------------------------------


def _codes(form_codes: Sequence[str]) -> list[str]:
    found = []
    for code in form_codes or ():
        spec = form_named(code)
        found.append(spec.code if spec else str(code))
    return found


def _free_number(issuing_unit: Unit, codes: list[str], period: str) -> str:
    """A document number free at the issuing unit: "BC TK-CB/2026", then "-2", "-3"…"""
    base = f"BC {'+'.join(codes)}"[:38] + f"/{period}"
    taken = set(Directive.objects.filter(issuing_unit=issuing_unit, number__startswith=base)
                .values_list("number", flat=True))  # fmt: skip
    number, n = base, 1
    while number in taken:
        n += 1
        number = f"{base}-{n}"
    return number


@transaction.atomic
def round_create(*, actor, form_codes: Sequence[str], period_kind: str, deadline: dt.date,
                 issuing_unit: Unit, level: str, kind: str = "", within: Unit | None = None,
                 group: MonitoringGroup | None = None, year: int | None = None,
                 period_number: int | None = None, period_start: dt.date | None = None,
                 period_end: dt.date | None = None, name: str = "",
                 issued_on: dt.date | None = None, directive_number: str = "",
                 directive_kind: str = DirectiveKind.LETTER, note: str = "") -> ReportRound:  # fmt: skip
    """A round, its directive, its task and one assignment per reporting unit (above).
    The period's dates default to `default_period(period_kind, year, period_number)`; an
    ad hoc period needs both. Refused when no unit would report."""
    scope.ensure_unit_allowed(actor, issuing_unit, scope.EDIT)
    codes = _codes(form_codes)
    if period_start is None or period_end is None:
        try:
            start, end = default_period(period_kind, year, period_number)
        except ValueError as error:
            raise ValidationError({"period_end": str(error)}) from None
        period_start, period_end = period_start or start, period_end or end
    if within is None and group is None:
        within = issuing_unit
    label = period_label(period_kind, year, period_number, period_start, period_end)
    name = " ".join((name or "").split()) or _("Báo cáo %(forms)s – %(period)s") % {
        "forms": ", ".join(codes), "period": label}
    report_round = ReportRound(
        name=name, form_codes=codes, period_kind=period_kind, year=year,
        period_number=period_number, period_start=period_start, period_end=period_end,
        deadline=deadline, issuing_unit=issuing_unit, level=level, kind=kind or "",
        within=within, group=group, note=(note or "").strip(),
    )  # fmt: skip
    report_round.full_clean(exclude=["task"])
    forms = ", ".join(f"{spec.code} ({spec.short})" for spec in report_round.forms())
    directive = directives.directive_create(
        actor=actor, kind=directive_kind, issuing_unit=issuing_unit,
        number=(directive_number or "").strip() or _free_number(
            issuing_unit, codes, period_code(period_kind, year, period_number, period_end)),
        issued_on=issued_on or timezone.localdate(), title=name,
        summary=_("Kỳ báo cáo: %(period)s; số liệu chốt ngày %(cut_off)s; hạn gửi %(deadline)s. "
                  "Biểu: %(forms)s.") % {"period": label, "cut_off": f"{period_end:%d/%m/%Y}",
                                          "deadline": f"{deadline:%d/%m/%Y}", "forms": forms},
    )  # fmt: skip
    task = directives.task_create(
        actor=actor, directive=directive, deliverable=Deliverable.REPORT,
        content=_("Gửi báo cáo %(forms)s, số liệu chốt ngày %(cut_off)s") % {
            "forms": ", ".join(codes), "cut_off": f"{period_end:%d/%m/%Y}"},
        start_on=period_end, deadline=deadline,
    )  # fmt: skip
    assigned = directives.assign_to_units(actor=actor, task=task, level=level, kind=kind or None,
                                          within=within, group=group, on=period_end)  # fmt: skip
    if not assigned:
        raise ValidationError(_("Không có đơn vị nào thuộc cấp, loại đã chọn (có hiệu lực ngày "
                                "chốt số liệu, trong phạm vi của bạn) để giao báo cáo."))  # fmt: skip
    report_round.task = task
    report_round.full_clean()
    report_round.save()
    _audit(actor, report_round, None)
    return report_round


ROUND_FIELDS = ("name", "deadline", "note")


@transaction.atomic
def round_update(*, actor, report_round: ReportRound, **fields) -> ReportRound:
    """Change a round's name, deadline or note; its task's deadline and its directive's
    title follow. The period, forms and reporting units are fixed once issued."""
    extra = set(fields) - set(ROUND_FIELDS)
    if extra:
        raise TypeError(f"unknown fields: {sorted(extra)}")
    report_round = ReportRound.objects.select_for_update().get(pk=report_round.pk)
    scope.ensure_unit_allowed(actor, report_round.issuing_unit, scope.EDIT)
    before = snapshot(report_round, exclude=AUDIT_EXCLUDE)
    for name, value in fields.items():
        setattr(report_round, name, value)
    report_round.name = " ".join(report_round.name.split())
    report_round.full_clean()
    report_round.save()
    task = report_round.task
    if task.deadline != report_round.deadline:
        editing.task_update(actor=actor, task=task, deadline=report_round.deadline)
    if task.directive.title != report_round.name:
        editing.directive_update(actor=actor, directive=task.directive, title=report_round.name)
    _audit(actor, report_round, before)
    return report_round


# --- Submissions ---------------------------------------------------------------------------


def _lock(submission: Submission) -> Submission:
    return (Submission.objects.select_for_update(of=("self",))
            .select_related("round__task__directive", "unit").get(pk=submission.pk))  # fmt: skip


def _form(submission: Submission) -> FormSpec:
    return FORMS[submission.form_code]


def _computed(form: FormSpec, unit: Unit, on: dt.date, actor) -> dict[str, int]:
    """Every count cell of `form` for `unit` at `on`, from the records `actor` may read."""
    counts = report_for(form, unit=unit, on=on, user=actor).counts
    return {cell_key(row, column): int(counts.get((row, column), 0))
            for row, column in form.count_keys()}  # fmt: skip


def _ensure_unit_editor(actor, submission: Submission) -> None:
    if actor is not None and not scope.unit_allowed(actor, submission.unit, scope.EDIT):
        raise PermissionDenied(_("Chỉ người có quyền sửa của đơn vị báo cáo mới lập, sửa và gửi "
                                 "báo cáo này."))  # fmt: skip


def _ensure_open(submission: Submission) -> None:
    if submission.status == SubmissionStatus.ACCEPTED:
        raise ValidationError(_("Báo cáo đã được cấp trên tiếp nhận: số liệu không thay đổi được."))
    if submission.status not in OPEN:
        raise ValidationError(_("Báo cáo đã gửi, đang chờ cấp trên xem xét: không sửa được. "
                                "Nếu cần sửa, đề nghị cấp trên trả lại báo cáo."))  # fmt: skip


@transaction.atomic
def open_submission(*, actor, report_round: ReportRound, unit: Unit, form_code: str,
                    now: dt.datetime | None = None) -> Submission:  # fmt: skip
    """The unit's submission of `form_code` in the round, a draft with the counts computed
    from its records at the cut-off; the existing one, unchanged, when already opened."""
    spec = form_named(form_code)
    if spec is None or spec.code not in report_round.form_codes:
        raise ValidationError({"form_code": _("Đợt báo cáo này không có biểu %(code)s.")
                               % {"code": form_code}})  # fmt: skip
    if actor is not None and not scope.unit_allowed(actor, unit, scope.EDIT):
        raise PermissionDenied(_("Chỉ người có quyền sửa của đơn vị báo cáo mới lập báo cáo "
                                 "của đơn vị."))  # fmt: skip
    assignment = (TaskAssignment.objects.select_for_update()
                  .filter(task_id=report_round.task_id, unit=unit).first())  # fmt: skip
    if assignment is None:
        raise ValidationError(_("Đơn vị %(unit)s không thuộc danh sách đơn vị báo cáo của đợt "
                                "này.") % {"unit": unit.name})  # fmt: skip
    existing = Submission.objects.filter(round=report_round, unit=unit, form_code=spec.code).first()
    if existing is not None:
        return existing
    submission = Submission(round=report_round, unit=unit, form_code=spec.code,
                            counts=_computed(spec, unit, report_round.cut_off, actor),
                            computed_at=now or timezone.now())  # fmt: skip
    submission.full_clean()
    submission.save()
    _audit(actor, submission, None)
    return submission


@transaction.atomic
def correct_cell(*, actor, submission: Submission, row: str, column: str, value: int,
                 reason: str, now: dt.datetime | None = None) -> SubmissionCorrection:  # fmt: skip
    """Correct a count cell of a draft or returned submission, with the reason; correcting
    it again replaces the value and the reason."""
    submission = _lock(submission)
    _ensure_unit_editor(actor, submission)
    _ensure_open(submission)
    form = _form(submission)
    if row not in {r.code for r in form.rows}:
        raise ValidationError({"row": _("Biểu %(form)s không có dòng %(row)s.")
                               % {"form": form.code, "row": row}})  # fmt: skip
    spec = next((c for c in form.columns if c.code == column), None)
    if spec is None:
        raise ValidationError({"column": _("Biểu %(form)s không có cột %(column)s.")
                               % {"form": form.code, "column": column}})  # fmt: skip
    if spec.kind != COUNT:
        raise ValidationError({"column": _("Chỉ sửa được ô số lượng; tỷ lệ, hệ số được tính lại "
                                           "từ các ô số lượng.")})  # fmt: skip
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError({"value": _("Số sửa phải là số nguyên không âm.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do sửa số liệu.")})
    computed = int(submission.counts.get(cell_key(row, column), 0))
    correction = SubmissionCorrection.objects.filter(submission=submission, row=row,
                                                     column=column).first()  # fmt: skip
    if value == computed:
        raise ValidationError({"value": _("Số sửa bằng số tính từ hồ sơ (%(n)s): không cần sửa; "
                                          "muốn bỏ ô đã sửa, hãy bỏ sửa.") % {"n": computed}})  # fmt: skip
    before = None if correction is None else snapshot(correction)
    if correction is None:
        correction = SubmissionCorrection(submission=submission, row=row, column=column)
    correction.computed, correction.corrected, correction.reason = computed, value, reason
    correction.corrected_at, correction.corrected_by = now or timezone.now(), _user(actor)
    correction.full_clean()
    correction.save()
    _audit(actor, correction, before)
    return correction


@transaction.atomic
def withdraw_correction(*, actor, correction: SubmissionCorrection) -> None:
    """Take a corrected cell back (the computed value counts again), while the submission
    is a draft or returned."""
    submission = _lock(correction.submission)
    _ensure_unit_editor(actor, submission)
    _ensure_open(submission)
    correction = SubmissionCorrection.objects.get(pk=correction.pk)
    record_write(actor=actor, action=AuditAction.DELETE, instance=correction,
                 before=snapshot(correction))  # fmt: skip
    correction.delete()


@transaction.atomic
def recompute(*, actor, submission: Submission, now: dt.datetime | None = None) -> Submission:
    """Compute a draft or returned submission's counts again from the records (they may
    have been completed since); its corrections stay, beside the new computed values."""
    submission = _lock(submission)
    _ensure_unit_editor(actor, submission)
    _ensure_open(submission)
    before = snapshot(submission, exclude=AUDIT_EXCLUDE)
    submission.counts = _computed(_form(submission), submission.unit, submission.round.cut_off,
                                  actor)  # fmt: skip
    submission.computed_at = now or timezone.now()
    submission.full_clean()
    submission.save()
    _audit(actor, submission, before)
    for correction in submission.corrections.all():
        computed = int(submission.counts.get(cell_key(correction.row, correction.column), 0))
        if computed != correction.computed:
            was = snapshot(correction)
            correction.computed = computed
            correction.save(update_fields=["computed"])
            _audit(actor, correction, was)
    return submission


def _sync_assignment(actor, submission: Submission, day: dt.date | None) -> None:
    """The unit's assignment completed on `day` when every form of the round is submitted
    or accepted (None: withdrawn)."""
    report_round = submission.round
    assignment = TaskAssignment.objects.get(task_id=report_round.task_id, unit=submission.unit)
    if day is not None:
        sent = set(Submission.objects.filter(round=report_round, unit=submission.unit,
                                             status__in=COUNTED)
                   .values_list("form_code", flat=True))  # fmt: skip
        if not set(report_round.form_codes) <= sent:
            return
    if assignment.completed_on == day:
        return
    directives.record_completion(actor=actor, assignment=assignment, completed_on=day,
                                 note=assignment.note, evidence=assignment.evidence,
                                 today=day or timezone.localdate())  # fmt: skip


@transaction.atomic
def submit(*, actor, submission: Submission, now: dt.datetime | None = None) -> Submission:
    """Send a draft or returned submission up, with its corrections. Its unit's assignment
    is completed on that day once all the round's forms are sent."""
    submission = _lock(submission)
    _ensure_unit_editor(actor, submission)
    _ensure_open(submission)
    now = now or timezone.now()
    day = timezone.localdate(now)
    cut_off = submission.round.cut_off
    if day < cut_off:
        raise ValidationError(_("Chưa đến ngày chốt số liệu (%(date)s): chưa gửi được báo cáo.")
                              % {"date": f"{cut_off:%d/%m/%Y}"})  # fmt: skip
    before = snapshot(submission, exclude=AUDIT_EXCLUDE)
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at, submission.submitted_by = now, _user(actor)
    submission.decided_at = submission.decided_by = None
    submission.full_clean()
    submission.save()
    _audit(actor, submission, before)
    _sync_assignment(actor, submission, day)
    return submission


def _ensure_decider(actor, submission: Submission) -> None:
    if actor is None:
        return
    if not (scope.unit_allowed(actor, submission.round.issuing_unit, scope.EDIT)
            and scope.unit_allowed(actor, submission.unit, scope.EDIT)):  # fmt: skip
        raise PermissionDenied(_("Chỉ cấp trên (có quyền sửa với đơn vị yêu cầu báo cáo và đơn vị "
                                 "báo cáo) mới tiếp nhận hoặc trả lại báo cáo."))  # fmt: skip


def _decide(actor, submission: Submission, status: str, comment: str,
            now: dt.datetime | None) -> Submission:  # fmt: skip
    submission = _lock(submission)
    _ensure_decider(actor, submission)
    if status == SubmissionStatus.RETURNED and not (comment or "").strip():
        raise ValidationError({"comment": _("Trả lại báo cáo thì phải ghi ý kiến: cần sửa, bổ "
                                            "sung gì.")})  # fmt: skip
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Chỉ tiếp nhận hoặc trả lại được báo cáo đã gửi và chưa được "
                                "xem xét (báo cáo này: %(status)s).")
                              % {"status": submission.get_status_display()})  # fmt: skip
    before = snapshot(submission, exclude=AUDIT_EXCLUDE)
    submission.status = status
    submission.decided_at, submission.decided_by = now or timezone.now(), _user(actor)
    submission.comment = (comment or "").strip()
    submission.full_clean()
    submission.save()
    _audit(actor, submission, before)
    return submission


@transaction.atomic
def accept(*, actor, submission: Submission, comment: str = "",
           now: dt.datetime | None = None) -> Submission:  # fmt: skip
    """The level above accepts a submitted report: its figures are final from now on."""
    return _decide(actor, submission, SubmissionStatus.ACCEPTED, comment, now)


@transaction.atomic
def return_submission(*, actor, submission: Submission, comment: str,
                      now: dt.datetime | None = None) -> Submission:  # fmt: skip
    """The level above returns a submitted report with what to fix; the unit's assignment
    is no longer completed, the unit may correct, recompute and submit again."""
    submission = _decide(actor, submission, SubmissionStatus.RETURNED, comment, now)
    _sync_assignment(actor, submission, None)
    return submission
