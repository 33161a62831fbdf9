"""Background work: asking for it, doing it with progress, handing its file over.

The kinds of work are registered by the apps that offer them (`register`, from each app's
`jobs` module). `start` records a `Job` with the user's sight at that moment and enqueues
the task that runs it (`tasks.run_job`, through Django's tasks framework and its database
backend: the job row and the queued task are written in one transaction). The worker runs
`run`: the kind's handler does the work as the user (the same scoped selectors as the
pages) and reports progress; what it makes is a file kept under CANBO_JOB_DIR, downloaded
through `fetch`, which checks again that the user still sees what they saw when they asked.

A handler raises `JobRefused` with a message for the user (e.g. a filter no longer valid);
anything else is our defect: logged, and the user reads a plain message.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from canbo.core import replica, scope

from .models import OPEN, Job, JobStatus

logger = logging.getLogger(__name__)
T = TypeVar("T")

#: Open jobs one user may have at once (queued or running).
MAX_OPEN_PER_USER = 5
#: Seconds between two progress writes (the bar moves this often, at most).
PROGRESS_EVERY = 0.5
#: A running job silent this long is taken for dead (its worker stopped).
SILENT_AFTER = dt.timedelta(minutes=30)


class JobRefused(Exception):
    """The work cannot be done, for a reason the user should read (Vietnamese)."""


class JobCancelled(Exception):
    """The user cancelled the job while it ran."""


@dataclass(frozen=True)
class Output:
    """What a handler made: the file at `path` (written in CANBO_JOB_DIR), the name it is
    downloaded under, its type, and a line for the page ("1.234 dòng"). Work whose result
    is shown by its own app's page (a data package checked or imported) makes no file:
    `path` None, the summary alone."""

    path: Path | None
    name: str = ""
    content_type: str = ""
    summary: str = ""


Handler = Callable[[Job, "Progress"], Output]
_KINDS: dict[str, Handler] = {}
#: kind -> page(job): the address of the page that shows the work's result, for work whose
#: result is its own app's page (a data package checked or imported), not a file.
_PAGES: dict[str, Callable[[Job], str]] = {}
#: Kinds of work that only read (exports): their reads may come from the read replica.
_REPLICA_READS: set[str] = set()


def register(kind: str, *, page: Callable[[Job], str] | None = None,
             replica_reads: bool = False) -> Callable[[Handler], Handler]:  # fmt: skip
    """Decorator: `handler(job, progress) -> Output` does the work of `kind`; `page(job)`,
    if given, is where its result is shown (the jobs' pages link there). `replica_reads`:
    the work only reads (an export), and may read from the replica (canbo.core.replica)."""

    def decorate(handler: Handler) -> Handler:
        if _KINDS.get(kind, handler) is not handler:
            raise ValueError(f"job kind {kind!r} registered twice")
        _KINDS[kind] = handler
        if page is not None:
            _PAGES[kind] = page
        if replica_reads:
            _REPLICA_READS.add(kind)
        return handler

    return decorate


def result_page(job: Job) -> str | None:
    """The page showing `job`'s result, if its kind has one."""
    page = _PAGES.get(job.kind)
    return page(job) if page is not None else None


def kinds() -> list[str]:
    return sorted(_KINDS)


def job_dir() -> Path:
    path = Path(settings.CANBO_JOB_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def work_path(job: Job, suffix: str = "") -> Path:
    """Where a handler writes its file (renamed to the job's own name once it is done)."""
    return job_dir() / f"{job.pk}.part{suffix}"


def file_path(job: Job) -> Path | None:
    return job_dir() / job.file_key if job.file_key else None


def start(*, user, kind: str, params: dict, title: str) -> Job:
    """Ask for work. The same work asked again while it is open (a second click) is the
    same job; a user with MAX_OPEN_PER_USER open jobs is refused (JobRefused)."""
    if kind not in _KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    prune()
    with transaction.atomic():
        mine = Job.objects.select_for_update().filter(user=user, status__in=OPEN)
        for job in mine:
            if job.kind == kind and job.params == params:
                return job
        if len(mine) >= MAX_OPEN_PER_USER:
            raise JobRefused(
                _("Bạn đang có %(n)d công việc chưa xong; hãy chờ chúng xong hoặc hủy bớt.")
                % {"n": MAX_OPEN_PER_USER}
            )
        job = Job.objects.create(
            user=user, kind=kind, params=params, title=title[:300],
            scope_snapshot=scope.sight_snapshot(user),
        )  # fmt: skip
        from .tasks import run_job

        run_job.enqueue(str(job.pk))
    return job


class Progress:
    """How far a handler got: `stage(text, total)` opens a step, `advance(done)` moves it;
    the job row is written at most every PROGRESS_EVERY seconds. A write that finds the
    job no longer running (cancelled) raises JobCancelled, so the handler stops."""

    def __init__(self, job: Job, *, every: float = PROGRESS_EVERY):
        self.job = job
        self.every = every
        self.done = 0
        self.total: int | None = None
        self.text = ""
        self._written = 0.0

    def stage(self, text: str, total: int | None = None) -> None:
        self.text, self.total, self.done = text[:200], total, 0
        self.flush()

    def advance(self, done: int) -> None:
        self.done = done
        if time.monotonic() - self._written >= self.every:
            self.flush()

    def flush(self, **fields) -> None:
        changed = Job.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING).update(
            done=self.done, total=self.total, stage=self.text, beat_at=timezone.now(), **fields
        )
        self._written = time.monotonic()
        if not changed:
            raise JobCancelled

    def final_stage(self, text: str) -> None:
        """Open the last step, one that cannot be stopped (e.g. a write in one
        transaction): from now on the job cannot be cancelled (`cancel` refuses), so it
        never reads "cancelled" while its work stays done. Raises JobCancelled if it was
        cancelled before."""
        self.text, self.total, self.done = text[:200], None, 0
        self.flush(cancellable=False)
        self.job.cancellable = False

    def counted(self, items: Iterable[T]) -> Iterator[T]:
        """`items` as they are, advancing the step by one for each."""
        done = 0
        for done, item in enumerate(items, start=1):
            yield item
            self.advance(done)
        self.done = done


def run(job_id: str) -> str:
    """Do the job (the worker's task). Returns its final status."""
    job = Job.objects.select_related("user").filter(pk=job_id).first()
    if job is None:  # pruned or deleted meanwhile
        return "missing"
    now = timezone.now()
    claimed = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, beat_at=now
    )
    if not claimed:  # cancelled before it started, or run already
        return job.status
    job.status = JobStatus.RUNNING
    with translation.override(settings.LANGUAGE_CODE):
        return _run(job)


def _run(job: Job) -> str:
    handler = _KINDS.get(job.kind)
    if handler is None:
        return _fail(job, _("Hệ thống không còn loại công việc này; hãy yêu cầu lại."))
    if not job.user.is_active:
        return _fail(job, _("Tài khoản đã bị khóa; công việc không được thực hiện."))
    progress = Progress(job)
    try:
        with replica.work_for(job.user, replica_reads=job.kind in _REPLICA_READS):
            output = handler(job, progress)
    except JobCancelled:
        _discard(job)
        return JobStatus.CANCELLED
    except JobRefused as refusal:
        _discard(job)
        return _fail(job, str(refusal))
    except Exception:
        logger.exception("Background job %s (%s) of user %s failed", job.pk, job.kind,
                         job.user_id)  # fmt: skip
        _discard(job)
        return _fail(job, _("Có lỗi khi thực hiện công việc này; chi tiết đã được ghi lại cho "
                            "quản trị viên. Hãy thử lại sau."))  # fmt: skip
    key, size = "", None
    if output.path is not None:
        key = f"{job.pk}{Path(output.name).suffix}"
        os.replace(output.path, job_dir() / key)
        size = (job_dir() / key).stat().st_size
    finished = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.DONE, finished_at=timezone.now(), file_key=key,
        file_name=output.name[:200], file_size=size,
        content_type=output.content_type, message=output.summary, done=progress.done,
    )  # fmt: skip
    if not finished:  # cancelled at the last moment
        if key:
            (job_dir() / key).unlink(missing_ok=True)
        return JobStatus.CANCELLED
    return JobStatus.DONE


def _fail(job: Job, message: str) -> str:
    Job.objects.filter(pk=job.pk, status__in=OPEN).update(
        status=JobStatus.FAILED, finished_at=timezone.now(), message=message
    )
    return JobStatus.FAILED


def _discard(job: Job) -> None:
    for path in job_dir().glob(f"{job.pk}.part*"):
        path.unlink(missing_ok=True)


def cancel(job: Job) -> bool:
    """Stop open work (a running handler stops at its next progress write). Work past its
    point of no return (`Progress.final_stage`) is not stopped: False."""
    return bool(
        Job.objects.filter(pk=job.pk, status__in=OPEN, cancellable=True).update(
            status=JobStatus.CANCELLED, finished_at=timezone.now()
        )
    )


def fetch(user, job: Job) -> Path:
    """The job's file for its owner (the caller found `job` through `selectors.job_get`),
    if the user still sees at least what they saw when they asked (PermissionDenied
    otherwise: what they no longer see must not leave in an old file)."""
    path = file_path(job)
    if job.status != JobStatus.DONE or path is None or not path.is_file():
        raise FileNotFoundError(job.pk)
    if not scope.sight_covers(user, job.scope_snapshot):
        raise PermissionDenied(
            _("Phạm vi được xem của bạn đã thay đổi từ khi yêu cầu, nên tệp này không còn "
              "được tải về. Hãy yêu cầu lại.")  # fmt: skip
        )
    return path


def prune(now: dt.datetime | None = None) -> int:
    """Close jobs whose worker went silent; delete finished jobs (and files) older than
    CANBO_JOB_KEEP_HOURS and the framework's results of the same age. Returns how many
    jobs were deleted."""
    now = now or timezone.now()
    Job.objects.filter(status=JobStatus.RUNNING, beat_at__lt=now - SILENT_AFTER).update(
        status=JobStatus.FAILED, finished_at=now,
        message=_("Công việc bị dừng giữa chừng (máy chủ đã khởi động lại?); hãy yêu cầu lại."),
    )  # fmt: skip
    cutoff = now - dt.timedelta(hours=settings.CANBO_JOB_KEEP_HOURS)
    old = Job.objects.filter(finished_at__lt=cutoff).exclude(status__in=OPEN)
    keys = list(old.exclude(file_key="").values_list("file_key", flat=True))
    deleted, _by_model = old.delete()
    for key in keys:
        with contextlib.suppress(OSError):
            (job_dir() / key).unlink(missing_ok=True)
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
