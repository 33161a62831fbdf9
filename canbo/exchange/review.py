"""The page of a pending upload: its dry run, the confirmation, the import's result.

Checking and importing a package run in the background (`jobs.package_check`,
`jobs.package_import`): this page is where the user follows them. It is one state,
worked out on every GET from what is kept (`uploads`) and the upload's latest job:

- a job running: its bar (a fragment this same address serves to htmx every second;
  once the job ends the fragment asks for the whole page again, which then shows the
  result), with "Dừng" for a dry run, or an import still waiting;
- the import's outcome, kept with the upload: applied (even once the upload is gone),
  refused (new problems: nothing written), or the file unreadable;
- a job failed: its message (e.g. a defect of ours, logged);
- the dry run's report kept with the upload: errors first, counts, the confirmation;
- none of these: the dry run is started (again) here, so a new upload, an upload
  released after an interrupted import, or a changed file is checked without a click.
  A dry run stopped by the user, or one that ended without a report, waits for a click.

The page needs no job page of its own: the jobs list links to the generic page, whose
summary says what became of the work. POST confirms (starts the import: a second click
finds the same job), checks again, stops the running job, or discards the upload. An
upload belongs to the user who sent it: for anyone else its token is "not found" (404);
viewers may not import (403).
"""

from __future__ import annotations

import datetime as dt
import tempfile

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from canbo.jobs import services
from canbo.jobs.models import JobStatus

from . import jobs, uploads
from .errorbook import write_error_book
from .exporter import XLSX, safe_name
from .importer import ImportReport
from .readers import PackageError, read_package
from .views import EditorRequiredMixin, stream_file

# Problems shown on the page; the rest are counted (a package with thousands of
# errors is usually one wrong column, and the first screens show which).
PROBLEM_LIMIT = 1000


def report_context(report: ImportReport) -> dict:
    """Errors first (by sheet, in the package's order: `import_package` sorts them), then
    the counts of the sheets where something is created or changed; the others in a line."""
    every = list(report.counts.items())
    counts = [(title, c) for title, c in every if c.created or c.updated]
    errors_by_sheet: dict[str, int] = {}
    for problem in report.errors:
        errors_by_sheet[problem.sheet] = errors_by_sheet.get(problem.sheet, 0) + 1
    return {
        "report": report,
        "counts": counts,
        "quiet_sheets": len(every) > len(counts),
        "errors_by_sheet": list(errors_by_sheet.items()),
        "total_created": report.created,
        "total_updated": report.updated,
        "total_unchanged": sum(c.unchanged for _title, c in every),
        "problems": report.problems[:PROBLEM_LIMIT],
        "hidden_problems": max(len(report.problems) - PROBLEM_LIMIT, 0),
        "error_count": len(report.errors),
        "warning_count": len(report.warnings),
    }


def refresh() -> HttpResponse:
    """Tell htmx to load the whole page again (the job the fragment followed has ended)."""
    response = HttpResponse(status=204)
    response["HX-Refresh"] = "true"
    return response


def changed_since(pending: uploads.PendingUpload, when: dt.datetime) -> bool:
    try:
        stamp = pending.path.stat().st_mtime
    except FileNotFoundError:
        return False
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC) > when


class ImportReviewView(EditorRequiredMixin, View):
    """GET: the upload's state (see the module). POST: confirm, check again, stop, discard."""

    template_name = "exchange/report.html"
    fragment_name = "exchange/_progress.html"
    released = False  # a stale claim was released by this request

    def get_pending(self, request, token) -> uploads.PendingUpload:
        """The user's upload (404 if none); a claim left by an interrupted import is released
        (and its job, whose worker is gone, closed), so the upload can be checked again."""
        pending = uploads.upload_get(user=request.user, token=token)
        if pending is None:
            raise Http404(_("Không tìm thấy tệp đã tải lên (có thể đã được nhập hoặc đã hết hạn)."))
        if pending.claim == uploads.STALE and uploads.upload_release_stale(pending):
            self.released = True
            job = jobs.upload_job(user=request.user, token=token)
            if job is not None and job.is_open:
                services.cancel(job)
            messages.warning(
                request,
                _(
                    "Lần nhập trước của tệp này đã dừng giữa chừng. Nhập dữ liệu là tất cả hoặc "
                    "không có gì, nên tệp đã được kiểm tra lại từ đầu: xem kết quả bên dưới rồi "
                    "xác nhận nhập hoặc hủy tệp."
                ),
            )
            pending = uploads.upload_get(user=request.user, token=token) or pending
        return pending

    def gone(self, request, token) -> dict:
        """The page of an upload no longer pending: what became of it, or 404."""
        outcome = uploads.upload_outcome_get(user=request.user, token=token)
        if outcome is None:
            raise Http404(_("Không tìm thấy tệp đã tải lên (có thể đã được nhập hoặc đã hết hạn)."))
        context = {"pending": outcome.pending, "stage": outcome.stage, "finished_at": outcome.at}
        if outcome.stage == uploads.UNREADABLE:
            context["package_error"] = outcome.message
        elif outcome.report is not None:
            context.update(report_context(outcome.report))
        return context

    def state(self, request, token) -> dict:
        user = request.user
        if uploads.upload_get(user=user, token=token) is None:
            return self.gone(request, token)
        pending = self.get_pending(request, token)
        job = jobs.upload_job(user=user, token=token)
        base = {"pending": pending, "job": job}
        if job is not None and job.is_open:
            stage = "applying" if job.kind == jobs.IMPORT else "checking"
            stoppable = job.cancellable and (job.kind == jobs.CHECK or job.status == JobStatus.QUEUED)
            return {**base, "stage": stage, "polled": True, "stoppable": stoppable}
        if pending.claim is not None:
            return {**base, "stage": "applying"}
        outcome = uploads.upload_outcome_get(user=user, token=token)
        if outcome is not None and outcome.stage == uploads.FAILED and outcome.report:
            return {**base, "stage": "failed", "finished_at": outcome.at,
                    **report_context(outcome.report)}  # fmt: skip
        if job is not None and job.status == JobStatus.FAILED:
            return {**base, "stage": "job_failed"}
        kept = uploads.upload_report_get(pending)
        if kept is not None:
            report, checked_at = kept
            return {**base, "stage": "dry_run", "checked_at": checked_at, **report_context(report)}
        if (job is not None and job.kind == jobs.CHECK and not self.released
                and not changed_since(pending, job.created_at)):  # fmt: skip
            return {**base, "stage": "stopped"}  # stopped, or no report kept: wait for a click
        try:
            job = jobs.start_check(user=user, pending=pending)
        except services.JobRefused as refusal:
            return {**base, "stage": "refused", "refusal": str(refusal)}
        return {**base, "job": job, "stage": "checking", "polled": True, "stoppable": True}

    def get(self, request, token):
        polled = bool(request.headers.get("HX-Request"))
        try:
            context = self.state(request, token)
        except Http404:
            if polled:
                return refresh()
            raise
        if polled:
            if not context.get("polled"):
                return refresh()
            return render(request, self.fragment_name, context)
        return render(request, self.template_name, context)

    def applying(self, request, pending, job=None):
        context = {"pending": pending, "job": job, "stage": "applying"}
        return render(request, self.template_name, context, status=409)

    def post(self, request, token):
        user = request.user
        pending = self.get_pending(request, token)
        job = jobs.upload_job(user=user, token=token)
        running = job if job is not None and job.is_open else None
        importing = pending.claim is not None or (running is not None and running.kind == jobs.IMPORT)
        if "stop" in request.POST:
            if running is not None and services.cancel(running):
                messages.info(request, _("Đã dừng; không có gì được ghi."))
            return redirect("exchange:import-review", token=token)
        if "cancel" in request.POST:
            if importing:
                return self.applying(request, pending, running)
            if running is not None:
                services.cancel(running)
            uploads.upload_delete(pending)
            messages.info(
                request,
                _("Đã hủy nhập tệp %(name)s; không có gì được ghi.") % {"name": pending.name},
            )
            return redirect("exchange:index")
        if "check" in request.POST:
            if importing:
                return self.applying(request, pending, running)
            if running is None:
                uploads.upload_report_forget(pending)
                uploads.upload_outcome_forget(pending)
                self.start(request, jobs.start_check, pending)
            return redirect("exchange:import-review", token=token)
        # Confirmation: the import, in the background. A second click while it waits or
        # runs is the same job; a package with errors is refused by the import itself.
        if pending.claim is not None and running is None:
            return self.applying(request, pending)
        if running is None or running.kind == jobs.IMPORT:
            uploads.upload_outcome_forget(pending)
            self.start(request, jobs.start_import, pending)
        return redirect("exchange:import-review", token=token)

    def start(self, request, start, pending) -> None:
        try:
            start(user=request.user, pending=pending)
        except services.JobRefused as refusal:
            messages.error(request, str(refusal))


class ImportErrorsView(ImportReviewView):
    """GET: the dry run's problems as a workbook (the package's refused rows with a "Lỗi"
    column), for the user who sent the file only (404 for anyone else, as the page).
    Without a dry run kept, the review page (which runs it) comes first."""

    def post(self, request, token):
        return self.http_method_not_allowed(request, token)

    def get(self, request, token):
        pending = self.get_pending(request, token)
        job = jobs.upload_job(user=request.user, token=token)
        if pending.claim is not None or (job is not None and job.is_open and job.kind == jobs.IMPORT):
            return self.applying(request, pending, job)
        kept = uploads.upload_report_get(pending)
        if kept is None:
            return redirect("exchange:import-review", token=token)
        try:
            raw = read_package(pending.path)
        except PackageError:
            if not pending.path.is_file():  # taken meanwhile by an import
                return self.applying(request, pending)
            raise Http404(_("Không đọc được tệp đã tải lên.")) from None
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
        try:
            write_error_book(raw, kept[0], handle)
        except BaseException:
            handle.close()
            raise
        stem = safe_name(pending.name.rsplit(".", 1)[0]) if pending.name else "goi-du-lieu"
        return stream_file(handle, filename=f"bao-cao-loi-{stem}.xlsx", content_type=XLSX)

