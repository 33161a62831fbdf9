"""Data package pages: the empty template, exports, and the upload of a package to import
(its dry run and confirmation are `review.py`'s).

Views only adapt: reading, checking and writing packages is the work of
readers/importer/exporter, and pending uploads are kept by `uploads`. Viewers
may download the template and export what they see; only editors and
administrators may import (403 otherwise).

Exporting: the page's button POSTs the form, which starts a background job
(`jobs.package_export`) and leads to its page, where a bar shows the sheets and
rows written and the file waits: the request never blocks, whatever the scope
(50,000 people take minutes), and a second click is the same job. A GET with
unit and format still answers with the file at once, as it always did: scripts
and saved links use it, and it is the user's choice to wait for a large scope
(`canbo export` on the server is the tool for those).

Downloads are written to an anonymous temporary file and streamed from it, so
memory stays flat whatever the size of the export.
"""

from __future__ import annotations

import io
import tempfile

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from canbo.core import scope
from canbo.core.audit import record_export
from canbo.core.replica import replica_reads
from canbo.jobs.services import JobRefused

from . import jobs, uploads
from .exporter import CONTENT_TYPES, XLSX, export_query, file_name, write_json, write_xlsx
from .forms import ExportForm, ImportForm
from .template import write_template

TEMPLATE_NAME = "goi-du-lieu-mau.xlsx"


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


@replica_reads
class ExportView(LoginRequiredMixin, View):
    """POST (the page's form): a background export, then its page. GET with unit and
    format: the package as a file download at once. Errors go back on the page."""

    def post(self, request):
        form = ExportForm(request.POST, user=request.user)
        if not form.is_valid():
            return render_index(request, export_form=form)
        try:
            job = jobs.start_export(user=request.user, selection=form.selection,
                                    fmt=form.cleaned_data["format"])  # fmt: skip
        except JobRefused as refusal:
            form.add_error(None, str(refusal))
            return render_index(request, export_form=form, status=429)
        return redirect("jobs:detail", pk=job.pk)

    def get(self, request):
        if not request.GET:
            return redirect("exchange:index")
        form = ExportForm(request.GET, user=request.user)
        if not form.is_valid():
            return render_index(request, export_form=form)
        selection = form.selection
        fmt = form.cleaned_data["format"]
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
        record_export(actor=request.user, query=export_query(selection, fmt),
                      rows=selection.people_count())  # fmt: skip
        return stream_file(handle, filename=file_name(selection, fmt),
                           content_type=CONTENT_TYPES[fmt])  # fmt: skip


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
