"""Lists to Excel, at once or in the background.

Every list registers a builder in `canbo.core.listexport` (the page's filter, scope and
columns, from a user and a query string). `ListExportView` serves any of them:

- GET with a list of at most CANBO_LIST_INLINE_ROWS rows: the file at once.
- GET with a longer list: a page saying how long it is, with a button (POST) to export it
  in the background (a GET never starts work: a link from elsewhere cannot make it).
- POST ("Xuất Excel" is a form): the file at once when short, else a background job and
  a redirect to its page, where a bar shows the progress and the file waits.

The background job (`list_xlsx`) builds the same list again as the same user when it runs
(their sight then, the same builder), writes it with progress, and records the export.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from canbo.core import listexport
from canbo.core.replica import replica_reads

from . import services
from .models import Job

KIND = "list_xlsx"


def build(key: str, user, query: str, kwargs: dict) -> listexport.ListExport:
    return listexport.builder(key)(user, QueryDict(query), **kwargs)


@replica_reads
class ListExportView(LoginRequiredMixin, View):
    """A registered list (`list_key`) to Excel; URL arguments go to its builder."""

    list_key = ""

    def export(self, request, kwargs) -> listexport.ListExport | HttpResponse:
        try:
            return build(self.list_key, request.user, request.GET.urlencode(), kwargs)
        except listexport.Refused as refusal:
            return listexport.refused(refusal.problems)

    def get(self, request, **kwargs):
        export = self.export(request, kwargs)
        if isinstance(export, HttpResponse):
            return export
        if export.count <= settings.CANBO_LIST_INLINE_ROWS:
            return self.at_once(export)
        return render(request, "jobs/list_confirm.html", {"export": export})

    def post(self, request, **kwargs):
        export = self.export(request, kwargs)
        if isinstance(export, HttpResponse):
            return export
        if export.count <= settings.CANBO_LIST_INLINE_ROWS:
            return self.at_once(export)
        try:
            job = services.start(
                user=request.user, kind=KIND,
                params={"list": self.list_key, "query": request.GET.urlencode(),
                        "kwargs": kwargs},
                title=_("Xuất Excel: %(title)s") % {"title": export.title},
            )  # fmt: skip
        except services.JobRefused as refusal:
            return HttpResponse(str(refusal), status=429,
                                content_type="text/plain; charset=utf-8")  # fmt: skip
        return redirect("jobs:detail", pk=job.pk)

    def at_once(self, export: listexport.ListExport):
        handle, _written = listexport.export_file(export)
        return listexport.download(handle, name=export.file_name)


@services.register(KIND, replica_reads=True)
def list_xlsx(job: Job, progress: services.Progress) -> services.Output:
    params = job.params
    if not listexport.known(params.get("list", "")):
        raise services.JobRefused(_("Danh sách này không còn xuất được."))
    try:
        export = build(params["list"], job.user, params.get("query", ""),
                       params.get("kwargs") or {})  # fmt: skip
    except listexport.Refused as refusal:
        raise services.JobRefused(listexport.refused_text(refusal)) from None
    except Http404:
        raise services.JobRefused(_("Không tìm thấy hoặc bạn không còn được xem.")) from None
    except PermissionDenied as denied:
        raise services.JobRefused(str(denied) or _("Bạn không có quyền.")) from None
    progress.stage(_("Ghi danh sách ra tệp Excel"), total=export.count)
    path = services.work_path(job, ".xlsx")
    _handle, written = listexport.export_file(
        export, rows=progress.counted(export.rows), path=str(path)
    )
    progress.done = written
    return services.Output(
        path=path, name=listexport.file_name(export), content_type=listexport.XLSX,
        summary=_("%(rows)s dòng") % {"rows": f"{written:,}".replace(",", ".")},
    )  # fmt: skip
