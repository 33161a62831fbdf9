"""Submission pages (issue 16, items 4 and 7): a reporting unit opens its report from the
round's page, sees the form computed from its records with its corrected cells, corrects a
count cell with a reason, withdraws a correction, recomputes and sends; the level above
accepts it or returns it with a comment, from the submission or from its acceptance queue.

Every action is a POST (CSRF) through `services`; a refusal is an error message, never a
server error. Submissions are looked up among those the user may read (another unit's is
"not found"); reading one leaves an access entry.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from canbo.core import scope
from canbo.core.forms import service_call
from canbo.directives.selectors import visible_assignments

from . import services
from . import views_rounds as pages
from .forms import FORMS
from .forms_rounds import CorrectionForm, DecisionForm
from .models import OPEN, Submission, SubmissionCorrection, SubmissionStatus
from .query import log_report_read
from .round_selectors import acceptance_queue, visible_submissions
from .spec import Report


def submission_get(user, pk) -> Submission:
    submissions = visible_submissions(user).select_related(
        "round__issuing_unit", "round__task__directive", "unit", "submitted_by", "decided_by")
    return get_object_or_404(submissions, pk=pk)


def submission_url(submission: Submission, anchor: str = "") -> str:
    return reverse("reports:submission", args=[submission.pk]) + (f"#{anchor}" if anchor else "")


def render_submission(request, submission: Submission, *, correction_form=None):
    """The submission page; `correction_form` replaces the blank form (a refused one shows
    its errors beside its fields)."""
    user = request.user
    spec = FORMS.get(submission.form_code)
    if spec is None:
        raise Http404
    corrections = list(submission.corrections.select_related("corrected_by").order_by("pk"))
    report = Report(spec, submission.unit, submission.round.cut_off,
                    submission.effective(corrections))  # fmt: skip
    corrected = {(c.row, c.column): c for c in corrections}
    grid = [(row, [(cell, corrected.get((row.code, cell.column.code))) for cell in cells])
            for row, cells in report.grid()]  # fmt: skip
    rows = {r.code: r for r in spec.rows}
    columns = {c.code: c for c in spec.columns}
    listed = [{"c": c, "row": rows[c.row].label if c.row in rows else c.row,
               "column": pages.column_label(columns[c.column]) if c.column in columns else c.column}
              for c in corrections]  # fmt: skip
    may_edit = submission.status in OPEN and scope.unit_allowed(user, submission.unit, scope.EDIT)
    may_decide = (submission.status == SubmissionStatus.SUBMITTED
                  and acceptance_queue(user).filter(pk=submission.pk).exists())  # fmt: skip
    if correction_form is not None:  # a refusal: as messages, but field errors beside them
        shown = correction_form.errors.items() if not may_edit else [
            (NON_FIELD_ERRORS, correction_form.non_field_errors())]
        for _name, errors in shown:
            for error in errors:
                messages.error(request, error)
    log_report_read(request, spec.code, submission.unit,
                    pages.log_params(round=submission.round_id, submission=submission.pk))  # fmt: skip
    context = {
        "s": submission, "round": submission.round, "period": pages.period_of(submission.round),
        "spec": spec, "report": report, "groups": spec.header_groups(), "grid": grid,
        "corrections": listed, "may_edit": may_edit, "may_decide": may_decide,
        "status_css": pages.STATUS_CLASS.get(submission.status, ""),
        "correction_form": (correction_form if may_edit and correction_form is not None
                            else CorrectionForm(spec=spec, user=user) if may_edit else None),
        "on_time": submission.submitted_at is not None and (
            timezone.localdate(submission.submitted_at) <= submission.round.deadline),
    }  # fmt: skip
    return render(request, "reports/rounds/submission.html", context)


class SubmissionView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        return render_submission(request, submission_get(request.user, pk))


class SubmissionOpenView(LoginRequiredMixin, View):
    """POST from the round's page: the unit's report of a form, opened with the counts
    computed from its records at the cut-off (the existing one when opened already)."""

    def post(self, request, pk: int):
        r = pages.round_get(request.user, pk)
        unit_pk, code = request.POST.get("unit", ""), request.POST.get("form_code", "")
        assignment = (visible_assignments(request.user).select_related("unit")
                      .filter(task_id=r.task_id, unit_id=unit_pk if unit_pk.isdigit() else 0)
                      .first())  # fmt: skip
        if assignment is None:
            raise Http404
        done, submission = pages.act(request, services.open_submission, report_round=r,
                                     unit=assignment.unit, form_code=code, now=pages.now())  # fmt: skip
        if not done:
            return redirect(pages.round_url(r))
        return redirect(submission_url(submission))


class SubmissionCorrectView(LoginRequiredMixin, View):
    """POST: correct a count cell with the reason (`services.correct_cell`)."""

    def post(self, request, pk: int):
        submission = submission_get(request.user, pk)
        spec = FORMS.get(submission.form_code)
        if spec is None:
            raise Http404
        form = CorrectionForm(request.POST, spec=spec, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            correction = service_call(form, services.correct_cell, submission=submission,
                                      row=data["row"], column=data["column"], value=data["value"],
                                      reason=data["reason"], now=pages.now(),
                                      denied=_("Bạn không có quyền sửa báo cáo này."))  # fmt: skip
            if correction is not None:
                messages.success(request, _("Đã sửa ô “%(row)s / %(column)s”: %(old)s → %(new)s.")
                                 % {"row": spec.row(correction.row).label,
                                    "column": pages.column_label(spec.column(correction.column)),
                                    "old": correction.computed, "new": correction.corrected})  # fmt: skip
                return redirect(submission_url(submission, "corrections"))
        submission.refresh_from_db()
        return render_submission(request, submission, correction_form=form)


class CorrectionWithdrawView(LoginRequiredMixin, View):
    """POST: take a corrected cell back (`services.withdraw_correction`)."""

    def post(self, request, pk: int, correction: int):
        submission = submission_get(request.user, pk)
        found = get_object_or_404(SubmissionCorrection, pk=correction, submission=submission)
        done, _answer = pages.act(request, services.withdraw_correction, correction=found)
        if done:
            messages.success(request, _("Đã bỏ sửa ô: số tính từ hồ sơ (%(n)s) được dùng lại.")
                             % {"n": found.computed})  # fmt: skip
        return redirect(submission_url(submission, "corrections"))


class SubmissionRecomputeView(LoginRequiredMixin, View):
    """POST: compute the figures again from the records (`services.recompute`)."""

    def post(self, request, pk: int):
        submission = submission_get(request.user, pk)
        done, _answer = pages.act(request, services.recompute, submission=submission,
                                  now=pages.now())  # fmt: skip
        if done:
            messages.success(request, _("Đã tính lại số liệu từ hồ sơ; các ô đã sửa được giữ nguyên."))
        return redirect(submission_url(submission))


class SubmissionSubmitView(LoginRequiredMixin, View):
    """POST: send the report up (`services.submit`)."""

    def post(self, request, pk: int):
        submission = submission_get(request.user, pk)
        done, _answer = pages.act(request, services.submit, submission=submission, now=pages.now())
        if done:
            messages.success(request, _("Đã gửi báo cáo %(form)s của %(unit)s lên cấp trên.")
                             % {"form": submission.form_code, "unit": submission.unit.name})  # fmt: skip
        return redirect(submission_url(submission))


def decided(request, submission: Submission, form: DecisionForm):
    """Back where the decision was taken: the queue or the submission."""
    if form.is_valid() and form.cleaned_data.get("next") == "queue":
        return redirect("reports:queue")
    return redirect(submission_url(submission))


class SubmissionAcceptView(LoginRequiredMixin, View):
    """POST: the level above accepts the report (`services.accept`): its figures are final."""

    def post(self, request, pk: int):
        submission = submission_get(request.user, pk)
        form = DecisionForm(request.POST)
        comment = form.cleaned_data.get("comment", "") if form.is_valid() else ""
        done, _answer = pages.act(request, services.accept, submission=submission,
                                  comment=comment, now=pages.now())  # fmt: skip
        if done:
            messages.success(request, _("Đã tiếp nhận báo cáo %(form)s của %(unit)s.")
                             % {"form": submission.form_code, "unit": submission.unit.name})  # fmt: skip
        return decided(request, submission, form)


class SubmissionReturnView(LoginRequiredMixin, View):
    """POST: the level above returns the report with a comment (required)."""

    def post(self, request, pk: int):
        submission = submission_get(request.user, pk)
        form = DecisionForm(request.POST)
        comment = form.cleaned_data.get("comment", "") if form.is_valid() else ""
        done, _answer = pages.act(request, services.return_submission, submission=submission,
                                  comment=comment, now=pages.now())  # fmt: skip
        if done:
            messages.success(request, _("Đã trả lại báo cáo %(form)s của %(unit)s.")
                             % {"form": submission.form_code, "unit": submission.unit.name})  # fmt: skip
        return decided(request, submission, form)


class AcceptanceQueueView(LoginRequiredMixin, View):
    """The submitted reports the user may accept or return, oldest first."""

    def get(self, request):
        queue = (acceptance_queue(request.user)
                 .select_related("round", "unit", "submitted_by")
                 .annotate(n_corrections=Count("corrections"))
                 .order_by("submitted_at", "pk"))  # fmt: skip
        page = Paginator(queue, pages.PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [{"s": s, "on_time": timezone.localdate(s.submitted_at) <= s.round.deadline}
                for s in page.object_list]  # fmt: skip
        return render(request, "reports/rounds/queue.html", {"page_obj": page, "rows": rows})
