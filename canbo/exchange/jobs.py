"""The data package's long work in the background: exporting, checking (the dry run) and
importing a package, each a job of `canbo.jobs` run by the worker as the user who asked.

- `package_export` writes the package to the job's file (its page offers the download)
  and records the export in the access log, as the page did.
- `package_check` reads and checks a pending upload and keeps the report with the upload
  (`uploads.upload_report_save`), where the review page reads it.
- `package_import` takes the upload (`uploads.upload_claim`, so it is applied once),
  applies it in one transaction and keeps the outcome with the upload
  (`uploads.upload_outcome_save`): the review page shows it, even once the upload is gone.

Checking and importing make no file: their result is the review page's, which shows the
job's progress while it runs (see `review.py`). Progress comes from the exporter, the
readers and the importer through `JobSteps`; a cancelled job stops at its next progress
write, which never happens inside the import's transaction (nothing is written then).
"""

from __future__ import annotations

import logging

from django.urls import reverse
from django.utils.translation import gettext as _

from canbo.core.audit import audit_source, record_export
from canbo.core.models import AuditSource
from canbo.jobs import services
from canbo.jobs.models import Job

from . import uploads
from .exporter import (
    CONTENT_TYPES,
    ExportError,
    export_query,
    file_name,
    selection_for,
    write_package,
)
from .importer import ImportReport, import_package
from .limits import number
from .readers import PackageError, RawPackage, read_package
from .registry import registry
from .steps import Steps

EXPORT, CHECK, IMPORT = "package_export", "package_check", "package_import"
FORMATS = {"xlsx": "Excel", "json": "JSON"}

logger = logging.getLogger(__name__)


class JobSteps(Steps):
    """A job's progress: the stage's units (sheets, parts) move the bar; the one under way
    and its rows are the text beside it."""

    def __init__(self, progress: services.Progress):
        self.progress = progress
        self.text = ""

    def stage(self, text: str, total: int | None = None) -> None:
        self.text = text
        self.progress.stage(text, total)

    def final_stage(self, text: str) -> None:
        self.text = text
        self.progress.final_stage(text)

    def item(self, done: int, title: str, rows: int = 0) -> None:
        self.progress.text = self.line(title, rows)
        self.progress.advance(done)

    def item_done(self, done: int, title: str, rows: int) -> None:
        self.item(done, title, rows)

    def line(self, title: str, rows: int) -> str:
        line = f"{self.text}: {title}" if title else self.text
        if rows:
            line += " – " + _("%(n)s dòng") % {"n": number(rows)}
        return line[:200]


# --- export -----------------------------------------------------------------------------


def start_export(*, user, selection, fmt: str) -> Job:
    """Ask for the export of `selection` (a checked `exporter.Selection`) in `fmt`."""
    what = registry.root().describe(selection.root) if selection.root else _("toàn bộ phạm vi")
    return services.start(
        user=user, kind=EXPORT,
        params={"unit": selection.root.code if selection.root else "", "format": fmt},
        title=_("Xuất gói dữ liệu: %(what)s (%(format)s)") % {"what": what, "format": FORMATS[fmt]},
    )  # fmt: skip


@services.register(EXPORT, replica_reads=True)
def package_export(job: Job, progress: services.Progress) -> services.Output:
    fmt = job.params.get("format")
    if fmt not in FORMATS:
        raise services.JobRefused(_("Định dạng này không còn xuất được."))
    try:
        selection = selection_for(user=job.user, unit_code=job.params.get("unit") or None)
    except ExportError as error:
        raise services.JobRefused(str(error)) from None
    path = services.work_path(job, f".{fmt}")
    write_package(selection, fmt, path, JobSteps(progress))
    people = selection.people_count()
    record_export(actor=job.user, query=export_query(selection, fmt), rows=people)
    return services.Output(
        path=path, name=file_name(selection, fmt), content_type=CONTENT_TYPES[fmt],
        summary=_("%(n)s cán bộ") % {"n": number(people)},
    )  # fmt: skip


# --- check and import of a pending upload -----------------------------------------------


def crashed_message() -> str:
    return _("Hệ thống gặp lỗi không mong đợi khi xử lý gói này; không có gì được ghi. "
             "Lỗi đã được ghi vào nhật ký máy chủ. Hãy báo quản trị viên, gửi kèm tệp.")  # fmt: skip


def applying_message() -> str:
    return _("Tệp này đang được nhập.")


def upload_job(*, user, token: str) -> Job | None:
    """The latest check or import of the user's upload under `token` (the user's own jobs
    only, as every job)."""
    return (
        Job.objects.filter(user=user, kind__in=(CHECK, IMPORT), params__token=token)
        .order_by("-created_at")
        .first()
    )


def start_check(*, user, pending: uploads.PendingUpload) -> Job:
    return services.start(user=user, kind=CHECK, params={"token": pending.token},
                          title=_("Chạy thử gói dữ liệu %(name)s") % {"name": pending.name})  # fmt: skip


def start_import(*, user, pending: uploads.PendingUpload) -> Job:
    return services.start(user=user, kind=IMPORT, params={"token": pending.token},
                          title=_("Nhập gói dữ liệu %(name)s") % {"name": pending.name})  # fmt: skip


def _pending(job: Job) -> uploads.PendingUpload:
    pending = uploads.upload_get(user=job.user, token=job.params.get("token", ""))
    if pending is None:
        raise services.JobRefused(
            _("Không tìm thấy tệp đã tải lên (có thể đã được nhập hoặc đã hết hạn).")
        )
    return pending


def _read(pending: uploads.PendingUpload, path, steps: Steps) -> RawPackage:
    """The package; an unreadable one is deleted, its message kept for the page."""
    try:
        return read_package(path, steps)
    except PackageError as error:
        if not path.is_file():  # taken meanwhile by an import
            raise services.JobRefused(applying_message()) from None
        uploads.upload_outcome_save(pending, uploads.UNREADABLE, message=str(error))
        uploads.upload_delete(pending, keep_outcome=True)
        raise services.JobRefused(str(error)) from None


def _import(job: Job, raw: RawPackage, steps: Steps, *, dry_run: bool) -> ImportReport:
    try:
        with audit_source(AuditSource.IMPORT):
            return import_package(actor=job.user, raw=raw, dry_run=dry_run, steps=steps)
    except services.JobCancelled:
        raise
    except Exception:
        # A defect of ours, not of the file: logged; the file is kept for the administrator.
        logger.exception("Data package %s of user %s could not be imported",
                         job.params.get("token"), job.user_id)  # fmt: skip
        raise services.JobRefused(crashed_message()) from None


def report_summary(report: ImportReport) -> str:
    if report.errors:
        return _("Gói có %(n)s lỗi; không có gì được ghi.") % {"n": number(len(report.errors))}
    counts = {"c": number(report.created), "u": number(report.updated)}
    if report.applied:
        return _("Đã nhập: %(c)s tạo mới, %(u)s cập nhật.") % counts
    return _("Gói hợp lệ: %(c)s tạo mới, %(u)s cập nhật (chưa ghi).") % counts


def review_page(job: Job) -> str:
    """A check's or an import's result is the upload's review page."""
    return reverse("exchange:import-review", args=[job.params.get("token", "")])


@services.register(CHECK, page=review_page)
def package_check(job: Job, progress: services.Progress) -> services.Output:
    pending = _pending(job)
    if pending.claim is not None:
        raise services.JobRefused(applying_message())
    steps = JobSteps(progress)
    raw = _read(pending, pending.path, steps)
    report = _import(job, raw, steps, dry_run=True)
    if pending.path.is_file():  # not discarded (nor taken) meanwhile
        uploads.upload_report_save(pending, report)
    return services.Output(path=None, summary=report_summary(report))


@services.register(IMPORT, page=review_page)
def package_import(job: Job, progress: services.Progress) -> services.Output:
    pending = _pending(job)
    claimed = uploads.upload_claim(pending)
    if claimed is None:  # taken by another import (or gone) meanwhile
        raise services.JobRefused(applying_message())
    steps = JobSteps(progress)
    report = None
    try:
        raw = _read(pending, claimed, steps)
        report = _import(job, raw, steps, dry_run=False)
    finally:
        if report is None or not report.applied:
            uploads.upload_release(pending, claimed)
    if report.applied:
        uploads.upload_outcome_save(pending, uploads.APPLIED, report=report)
        uploads.upload_delete(pending, keep_outcome=True)
    else:
        # Something changed since the dry run: nothing was written; the file stays so
        # the user can read the problems and check it again.
        uploads.upload_report_forget(pending)
        uploads.upload_outcome_save(pending, uploads.FAILED, report=report)
    return services.Output(path=None, summary=report_summary(report))
