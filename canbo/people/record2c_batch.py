"""The 2C records of a filtered people list as one ZIP, made in the background (issue 17,
item 1).

The list page's "Hồ sơ 2C (ZIP)" posts the page's query and a format (Word or PDF) to
`Record2CZipView`. The filter is read as the list and its Excel export read it
(`list_export.filtered`: a query the page would refuse is a 400 naming its problems); an
empty list and one over CANBO_2C_BATCH_MAX are refused at once, and so is a PDF when the
server has no LibreOffice. Otherwise the view starts a job, always, even for one person: a
record takes a moment to write, a PDF seconds.

The job (`record2c_zip`) reads the filter again as the same user when it runs (their sight
then) and writes the ZIP straight into its work file. The people are loaded CHUNK at a time
with their records' data (`record2c.with_record`: a fixed number of queries a chunk, and the
few a record reads for itself: its areas' names, its unit's parent); each record is made,
written into the archive and dropped, so memory stays flat. One file a person, named as the
profile's download names it (`record2c.filename`, by the unique ID number), in the list's
order; each is the same file the profile gives (current posts as of today). A record
LibreOffice cannot turn into PDF fails the whole job with its reason, and the part written
is deleted (no partial ZIP). Once the ZIP is complete, one access entry (AccessKind.DOCUMENT)
lists the people in it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from canbo.core import listexport
from canbo.core.audit import AccessKind, query_text, record_rows
from canbo.core.officepdf import ConversionError
from canbo.core.templatetags.canbo_tags import vnnumber
from canbo.jobs import services
from canbo.jobs.models import Job

from . import list_export, record2c, selectors
from .forms import PersonListFilter
from .models import Person

KIND = "record2c_zip"
ZIP = "application/zip"
#: People loaded (with their records' data) at a time.
CHUNK = 100
LABELS = {"docx": "Word", "pdf": "PDF"}


class Refused(services.JobRefused):
    """No ZIP for this list, for a reason the user reads; `status` is the page's answer."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def chosen(user, params, fmt: str) -> tuple[PersonListFilter, QuerySet[Person]]:
    """(the list page's filter set, its people in the page's order) for `user` now, when
    they may have a ZIP in `fmt`; Refused saying why not: a format unknown, a filter the
    page would refuse, a list empty or over the cap, a PDF with no LibreOffice (503)."""
    if fmt not in record2c.FORMATS:
        raise Refused(_("Định dạng không được hỗ trợ; chọn docx hoặc pdf."))
    try:
        filterset = list_export.filtered(user, params)
    except listexport.Refused as refusal:
        raise Refused(listexport.refused_text(refusal)) from None
    people = filterset.qs.order_by(*list_export.ORDER)
    problem = size_refusal(people.count())
    if problem:
        raise Refused(problem)
    if fmt == "pdf":
        try:
            record2c.libreoffice()
        except ConversionError as error:
            raise Refused(str(error), status=503) from None
    return filterset, people


def size_refusal(count: int) -> str:
    """Why a list of `count` people gets no ZIP ("" when it may have one)."""
    if count == 0:
        return _("Danh sách không có cán bộ nào nên không có sơ yếu lý lịch để tải.")
    cap = settings.CANBO_2C_BATCH_MAX
    if count > cap:
        return _(
            "Danh sách có %(count)s cán bộ, nhiều hơn mức %(cap)s sơ yếu lý lịch một lần tải; "
            "hãy lọc bớt (theo đơn vị, chức vụ …) rồi tải từng phần."
        ) % {"count": vnnumber(count), "cap": vnnumber(cap)}
    return ""


class Record2CZipView(LoginRequiredMixin, View):
    """POST (the list page's form, with the page's query): start the job, or say why not."""

    def post(self, request):
        fmt = request.POST.get("format", "")
        try:
            filterset, _people = chosen(request.user, request.GET, fmt)
        except Refused as refusal:
            return text(str(refusal), refusal.status)
        parts = list_export.filter_parts(filterset, request.user) if filterset.is_bound else []
        try:
            job = services.start(
                user=request.user, kind=KIND,
                params={"query": request.GET.urlencode(), "format": fmt},
                title=_("Sơ yếu lý lịch 2C (%(format)s): %(list)s") % {
                    "format": LABELS[fmt],
                    "list": listexport.list_title(_(list_export.NAME), parts)},
            )  # fmt: skip
        except services.JobRefused as refusal:
            return text(str(refusal), 429)
        return redirect("jobs:detail", pk=job.pk)


def text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def records(user, ids: Sequence[int]) -> Iterator[Person]:
    """The people of `ids` still in the user's sight, in that order, with their records'
    data, loaded CHUNK at a time."""
    sight = record2c.with_record(selectors.person_list(user=user))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        loaded = sight.in_bulk(chunk)
        yield from (loaded[pk] for pk in chunk if pk in loaded)


def unique(name: str, taken: set[str]) -> str:
    """`name`, or "name-2.docx", "name-3.docx" … when a file of the ZIP has it already (an ID
    number changed while the job ran, from one person listed to another)."""
    stem, dot, suffix = name.rpartition(".")
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}{dot}{suffix}"
    taken.add(candidate)
    return candidate


@services.register(KIND, replica_reads=True)
def record2c_zip(job: Job, progress: services.Progress) -> services.Output:
    user, fmt = job.user, job.params.get("format", "")
    params = QueryDict(job.params.get("query", ""))
    _filterset, people = chosen(user, params, fmt)  # Refused: the job fails saying why
    ids = list(people.values_list("pk", flat=True)[: settings.CANBO_2C_BATCH_MAX])
    progress.stage(_("Tạo sơ yếu lý lịch 2C"), total=len(ids))
    path = services.work_path(job, ".zip")
    taken: set[str] = set()
    written: list[int] = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for person in progress.counted(records(user, ids)):
            try:
                data = record2c.render(person, fmt)
            except ConversionError as error:
                raise services.JobRefused(
                    _("Không tạo được bản PDF của %(person)s: %(reason)s")
                    % {"person": person, "reason": error}
                ) from None
            archive.writestr(unique(record2c.filename(person, fmt), taken), data)
            written.append(person.pk)
    if not written:  # all of them out of sight, or deleted, since they were counted
        raise services.JobRefused(size_refusal(0))
    record_rows(actor=user, kind=AccessKind.DOCUMENT, model=Person, person_ids=written,
                query=f"{list_export.QUERY_PREFIX} 2c={fmt} {query_text(params)}".strip())  # fmt: skip
    return services.Output(
        path=path, name=f"so-yeu-ly-lich-2c-{fmt}-{selectors.today():%Y-%m-%d}.zip",
        content_type=ZIP,
        summary=_("%(count)s sơ yếu lý lịch") % {"count": vnnumber(len(written))},
    )  # fmt: skip
