"""Data package pages: the empty template, exports, and imports (dry run, then confirmation).

Views only adapt: reading, checking and writing packages is the work of
readers/importer/exporter, and pending uploads are kept by `uploads`. Viewers
may download the template and export what they see; only editors and
administrators may import (403 otherwise). A pending upload belongs to the
user who sent it: for anyone else its token is "not found" (404).

Downloads are written to an anonymous temporary file and streamed from it, so
memory stays flat whatever the size of the export.
"""

from __future__ import annotations

import io
import logging
import re
import tempfile

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from canbo.core import scope
from canbo.core.audit import audit_source, record_export
from canbo.core.models import AuditSource

from . import uploads
from .errorbook import write_error_book
from .exporter import write_json, write_xlsx
from .forms import ExportForm, ImportForm
from .importer import ImportReport, import_package
from .readers import PackageError, read_package
from .template import write_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON = "application/json"
TEMPLATE_NAME = "goi-du-lieu-mau.xlsx"
# Problems shown on the page; the rest are counted (a package with thousands of
# errors is usually one wrong column, and the first screens show which).
PROBLEM_LIMIT = 1000

logger = logging.getLogger(__name__)


class EditorRequiredMixin(LoginRequiredMixin):
    """Importing writes: viewers get 403, anonymous users the sign-in page."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope.can_edit(request.user):
            raise PermissionDenied(
                _("Bạn chỉ có quyền xem; chỉ người có quyền cập nhật mới được nhập dữ liệu.")
            )
        return super().dispatch(request, *args, **kwargs)


def render_index(request, *, export_form=None, import_form=None, status=200):
    user = request.user
    can_import = scope.can_edit(user)
    context = {
        "export_form": export_form or ExportForm(user=user, initial={"format": "xlsx"}),
        "import_form": (import_form or ImportForm()) if can_import else None,
        "can_import": can_import,
    }
    return render(request, "exchange/index.html", context, status=status)


def stream_file(handle, *, filename: str, content_type: str) -> FileResponse:
    handle.seek(0)
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "no-store"
    return response


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "don-vi"


class ExchangeView(LoginRequiredMixin, View):
    def get(self, request):
        return render_index(request)


class TemplateDownloadView(LoginRequiredMixin, View):
    def get(self, request):
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
        try:
            write_template(handle)
        except BaseException:
            handle.close()
            raise
        return stream_file(handle, filename=TEMPLATE_NAME, content_type=XLSX)


class ExportView(LoginRequiredMixin, View):
    """GET with unit and format: the package as a file download; errors back on the page."""

    def get(self, request):
        if not request.GET:
            return redirect("exchange:index")
        form = ExportForm(request.GET, user=request.user)
        if not form.is_valid():
            return render_index(request, export_form=form)
        selection = form.selection
        fmt = form.cleaned_data["format"]
        stem = "goi-du-lieu-{}-{}".format(
            _safe(selection.root.code) if selection.root else "toan-bo",
            timezone.localtime(selection.exported_at).strftime("%d-%m-%Y"),
        )
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
        try:
            if fmt == "json":
                text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
                write_json(selection, text)
                text.flush()
                handle = text.detach()
            else:
                write_xlsx(selection, handle)
        except BaseException:
            handle.close()
            raise
        record_export(
            actor=request.user,
            query=f"unit={selection.root.code if selection.root else '*'} format={fmt}",
            rows=selection.people_count(),
        )
        return stream_file(
            handle,
            filename=f"{stem}.{fmt}",
            content_type=JSON if fmt == "json" else XLSX,
        )


class ImportUploadView(EditorRequiredMixin, View):
    """POST a file: it is stored under a new token, then the dry run page opens."""

    def get(self, request):
        return redirect(reverse("exchange:index") + "#import")

    def post(self, request):
        refused = getattr(request, uploads.REFUSED_ATTR, False)
        form = ImportForm(request.POST, request.FILES, too_large=refused)
        if form.is_valid():
            try:
                pending = uploads.upload_store(user=request.user, upload=form.cleaned_data["file"])
            except uploads.UploadTooLarge as error:
                form.refuse(str(error))
            except OSError:
                form.refuse(
                    _("Không lưu được tệp lên máy chủ; hãy thử lại hoặc báo quản trị viên.")
                )
            else:
                return redirect("exchange:import-review", token=pending.token)
        return render_index(request, import_form=form)


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


class ImportReviewView(EditorRequiredMixin, View):
    """GET: the dry run of a pending upload. POST: apply it for real, then show the result.

    The dry run's report is kept with the upload (`uploads.upload_report_save`), so a
    reload shows it without reading the package again. While another request applies
    the upload the page says so (POST: 409); if that apply was killed, its stale claim
    is released and the package checked again, so it can be applied or discarded.
    """

    template_name = "exchange/report.html"

    def get_pending(self, request, token) -> uploads.PendingUpload:
        pending = uploads.upload_get(user=request.user, token=token)
        if pending is None:
            raise Http404(_("Không tìm thấy tệp đã tải lên (có thể đã được nhập hoặc đã hết hạn)."))
        if pending.claim == uploads.STALE and uploads.upload_release_stale(pending):
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

    def applying(self, request, pending, *, status=200):
        context = {"pending": pending, "stage": "applying"}
        return render(request, self.template_name, context, status=status)

    def unreadable(self, request, pending, error: PackageError):
        uploads.upload_delete(pending)
        context = {"pending": pending, "package_error": str(error), "stage": "unreadable"}
        return render(request, self.template_name, context)

    def crashed(self, request, pending):
        # A defect of ours, not of the file: say so plainly, keep the file for the
        # administrator (it goes with the others after a day) and log the details.
        logger.exception("Data package %s of user %s could not be imported", pending.path.name,
                         request.user.pk)  # fmt: skip
        context = {"pending": pending, "stage": "crashed"}
        return render(request, self.template_name, context)

    def run(self, request, pending, path, *, dry_run: bool):
        """(report, None), or (None, the page to show) when the file cannot be read."""
        try:
            raw = read_package(path)
        except PackageError as error:
            if not path.is_file():  # taken meanwhile by a request applying it
                return None, self.applying(request, pending)
            return None, self.unreadable(request, pending, error)
        try:
            with audit_source(AuditSource.IMPORT):
                report = import_package(actor=request.user, raw=raw, dry_run=dry_run)
        except Exception:
            return None, self.crashed(request, pending)
        return report, None

    def get(self, request, token):
        pending = self.get_pending(request, token)
        if pending.claim is not None:
            return self.applying(request, pending)
        kept = uploads.upload_report_get(pending)
        if kept is not None:
            report, checked_at = kept
        else:
            report, page = self.run(request, pending, pending.path, dry_run=True)
            if page is not None:
                return page
            checked_at = uploads.upload_report_save(pending, report)
        context = {"pending": pending, "stage": "dry_run", "checked_at": checked_at,
                   **report_context(report)}  # fmt: skip
        return render(request, self.template_name, context)

    def post(self, request, token):
        pending = self.get_pending(request, token)
        if pending.claim is not None:  # being applied by another request
            return self.applying(request, pending, status=409)
        if "cancel" in request.POST:
            uploads.upload_delete(pending)
            messages.info(
                request,
                _("Đã hủy nhập tệp %(name)s; không có gì được ghi.") % {"name": pending.name},
            )
            return redirect("exchange:index")
        claimed = uploads.upload_claim(pending)
        if claimed is None:  # a second click while the first is applying, or after it
            again = uploads.upload_get(user=request.user, token=token)
            if again is None:
                raise Http404(_("Tệp này đã được nhập hoặc đã bị hủy."))
            return self.applying(request, again, status=409)
        report = None
        try:
            report, page = self.run(request, pending, claimed, dry_run=False)
        finally:
            if report is None or not report.applied:
                uploads.upload_release(pending, claimed)
        if page is not None:
            return page
        if report.applied:
            uploads.upload_delete(pending)
            stage = "applied"
        else:
            # Something changed since the dry run: nothing was written; the file stays
            # so the user can look at the problems and try again (checked afresh).
            uploads.upload_report_forget(pending)
            stage = "failed"
        context = {"pending": pending, "stage": stage, **report_context(report)}
        return render(request, self.template_name, context)


class ImportErrorsView(ImportReviewView):
    """GET: the dry run's problems as a workbook (the package's refused rows with a "Lỗi"
    column), for the user who sent the file only (404 for anyone else, as the page)."""

    def post(self, request, token):
        return self.http_method_not_allowed(request, token)

    def get(self, request, token):
        pending = self.get_pending(request, token)
        if pending.claim is not None:
            return self.applying(request, pending, status=409)
        try:
            raw = read_package(pending.path)
        except PackageError:
            if not pending.path.is_file():  # taken meanwhile by a request applying it
                return self.applying(request, pending, status=409)
            raise Http404(_("Không đọc được tệp đã tải lên.")) from None
        kept = uploads.upload_report_get(pending)
        if kept is not None:
            report = kept[0]
        else:
            report, page = self.run(request, pending, pending.path, dry_run=True)
            if page is not None:
                return page
            uploads.upload_report_save(pending, report)
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
        try:
            write_error_book(raw, report, handle)
        except BaseException:
            handle.close()
            raise
        stem = _safe(pending.name.rsplit(".", 1)[0]) if pending.name else "goi-du-lieu"
        return stream_file(handle, filename=f"bao-cao-loi-{stem}.xlsx", content_type=XLSX)
