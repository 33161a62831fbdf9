"""Pending imports: an uploaded data package kept on disk between its dry run and the confirmation.

Each upload is stored in the import folder (``CANBO_IMPORT_DIR``, by default
``var/imports/``) as ``<user id>-<token>.upload`` beside a small JSON file with
its original name. The token is random (192 bits); the file name carries the
user's id, so a token is only ever looked up among the files of the user who
asks, and another user's token is simply "not found". A stored file is deleted
once it has been applied or discarded; files older than a day are removed
whenever a new upload arrives.

Beside it are kept, while they are needed:

- ``.report``: the dry run's report, so that reloading the review page shows
  it again instead of reading and checking the whole package again; it is
  keyed by the upload's size and modification time, and recomputed when they
  differ (or after an apply that did not go through);
- ``.result``: the outcome of the background work on the upload that the page must
  still show once the upload is gone or was refused: applied (the report; the upload
  itself is deleted), unreadable (the reader's message; the upload deleted), or an
  apply that found new problems (the report; the upload kept to be checked again);
- ``.applying`` (the upload, renamed) and ``.claim`` (who renamed it: process
  id, host, time): the upload taken by the request applying it. A claim whose
  process is gone (same host), or older than ``CANBO_IMPORT_CLAIM_TIMEOUT``, or
  left without its ``.claim`` for a minute, is stale: the apply was killed, and
  since an import is all-or-nothing the upload can be given back, checked again
  and applied or discarded.

The size limit (``readers.max_bytes()``) is enforced twice: by
`LimitedUploadHandler`, which stops receiving a file as soon as it grows past
the limit (when it is listed in ``FILE_UPLOAD_HANDLERS``), and again while
copying into the import folder, so a file beyond the limit is never stored.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import secrets
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .importer import ImportReport
from .readers import max_bytes, too_large_message

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32}")
MAX_AGE = dt.timedelta(days=1)
DATA_SUFFIX = ".upload"
META_SUFFIX = ".json"
CLAIM_SUFFIX = ".applying"
CLAIM_INFO_SUFFIX = ".claim"
REPORT_SUFFIX = ".report"
OUTCOME_SUFFIX = ".result"
# A claim whose owner died before it could write down who it is.
CLAIM_GRACE = dt.timedelta(minutes=1)
NAME_LIMIT = 200
# The request attribute the upload handler sets when it refused a file for its size.
REFUSED_ATTR = "canbo_upload_too_large"


class UploadTooLarge(Exception):
    """The file is beyond the import size limit (message in Vietnamese)."""


LIVE, STALE = "live", "stale"
#: Outcomes kept with an upload (`upload_outcome_save`).
APPLIED, FAILED, UNREADABLE = "applied", "failed", "unreadable"


@dataclass(frozen=True)
class PendingUpload:
    token: str
    user_id: int
    path: Path
    name: str
    size: int
    uploaded_at: dt.datetime
    claim: str | None = None  # None (waiting), LIVE (being applied) or STALE
    claimed_at: dt.datetime | None = None

    def sibling(self, suffix: str) -> Path:
        return self.path.with_suffix(suffix)


def upload_dir() -> Path:
    return Path(settings.CANBO_IMPORT_DIR)


def _display_name(name: str | None) -> str:
    text = "".join(ch for ch in (name or "") if ch.isprintable()).strip()
    return text[:NAME_LIMIT] or _("(không tên)")


def _paths(user_id: int, token: str) -> tuple[Path, Path]:
    base = upload_dir() / f"{int(user_id)}-{token}"
    return base.with_suffix(DATA_SUFFIX), base.with_suffix(META_SUFFIX)


def upload_store(*, user, upload) -> PendingUpload:
    """Copy an uploaded file (a Django UploadedFile) into the import folder under a new token.

    Raises UploadTooLarge, and stores nothing, when the file is beyond the limit.
    """
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise UploadTooLarge(too_large_message(upload.size))
    upload_purge_stale()
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    token = secrets.token_urlsafe(24)
    data_path, meta_path = _paths(user.pk, token)
    size = 0
    fd = os.open(data_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():
                size += len(chunk)
                if size > limit:
                    raise UploadTooLarge(too_large_message())
                out.write(chunk)
        name = _display_name(getattr(upload, "name", ""))
        now = timezone.now()
        meta_path.write_text(
            json.dumps({"name": name, "size": size, "uploaded_at": now.isoformat()}),
            encoding="utf-8",
        )
    except BaseException:
        data_path.unlink(missing_ok=True)
        meta_path.unlink(missing_ok=True)
        raise
    return PendingUpload(token, user.pk, data_path, name, size, now)


def _own_paths(user, token) -> tuple[Path, Path] | None:
    """The files of this user's upload under `token` (None for a malformed token or no user)."""
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        return None
    if user is None or not getattr(user, "pk", None):
        return None
    return _paths(user.pk, token)


def upload_get(*, user, token: str) -> PendingUpload | None:
    """The user's pending upload with this token; None for a malformed, foreign or gone token."""
    paths = _own_paths(user, token)
    if paths is None:
        return None
    data_path, meta_path = paths
    claim, claimed_at = None, None
    if not data_path.is_file():
        claimed = data_path.with_suffix(CLAIM_SUFFIX)
        if not claimed.is_file():
            return None
        claim, claimed_at = _claim_state(claimed)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        uploaded_at = dt.datetime.fromisoformat(meta["uploaded_at"])
        name, size = str(meta["name"]), int(meta["size"])
    except (OSError, ValueError, KeyError, TypeError):
        try:
            stat = (data_path if claim is None else data_path.with_suffix(CLAIM_SUFFIX)).stat()
        except FileNotFoundError:
            return None
        name, size = _("(không tên)"), stat.st_size
        uploaded_at = dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC)
    return PendingUpload(token, user.pk, data_path, name, size, uploaded_at, claim, claimed_at)


def upload_claim(pending: PendingUpload) -> Path | None:
    """Take the file for applying, so that a second click cannot apply it twice.

    Returns the claimed path, or None when another request took it first. The
    claim records this process, so that a claim left by a killed process is seen
    to be stale (`upload_get`) and can be released.
    """
    claimed = pending.sibling(CLAIM_SUFFIX)
    try:
        os.rename(pending.path, claimed)
    except FileNotFoundError:
        return None
    info = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
    with contextlib.suppress(OSError):
        _write_private(pending.sibling(CLAIM_INFO_SUFFIX), json.dumps(info))
    return claimed


def upload_release(pending: PendingUpload, claimed: Path) -> None:
    """Give a claimed file back (the import did not go through; it may be tried again)."""
    with contextlib.suppress(FileNotFoundError):
        os.rename(claimed, pending.path)
    pending.sibling(CLAIM_INFO_SUFFIX).unlink(missing_ok=True)


def upload_release_stale(pending: PendingUpload) -> bool:
    """Give back a file whose apply was interrupted; False when its claim is not stale."""
    claimed = pending.sibling(CLAIM_SUFFIX)
    if not claimed.is_file() or _claim_state(claimed)[0] != STALE:
        return False
    upload_release(pending, claimed)
    upload_report_forget(pending)  # the database may have changed meanwhile
    return True


def _claim_state(claimed: Path) -> tuple[str, dt.datetime | None]:
    """LIVE or STALE, and when the claim was taken."""
    now = time.time()
    try:
        info = json.loads(claimed.with_suffix(CLAIM_INFO_SUFFIX).read_text(encoding="utf-8"))
        pid, host, started = int(info["pid"]), str(info["host"]), float(info["started"])
    except (OSError, ValueError, KeyError, TypeError):
        try:
            started = claimed.stat().st_ctime  # the rename that made the claim
        except FileNotFoundError:
            return STALE, None
        stale = now - started > CLAIM_GRACE.total_seconds()
        return (STALE if stale else LIVE), dt.datetime.fromtimestamp(started, tz=dt.UTC)
    when = dt.datetime.fromtimestamp(started, tz=dt.UTC)
    if now - started > settings.CANBO_IMPORT_CLAIM_TIMEOUT:
        return STALE, when
    if host == socket.gethostname() and not _process_alive(pid):
        return STALE, when
    return LIVE, when


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner reads, whole or not at all."""
    partial = path.with_name(path.name + ".tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(partial, path)


def _upload_key(pending: PendingUpload) -> list[int] | None:
    try:
        stat = pending.path.stat()
    except FileNotFoundError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def upload_report_save(pending: PendingUpload, report: ImportReport) -> dt.datetime:
    """Keep the dry run's report with the upload; returns when it was made."""
    checked_at = timezone.now()
    data = {"key": _upload_key(pending), "checked_at": checked_at.isoformat(),
            "report": report.as_dict()}  # fmt: skip
    with contextlib.suppress(OSError):
        _write_private(pending.sibling(REPORT_SUFFIX), json.dumps(data, ensure_ascii=False))
    return checked_at


def upload_report_get(pending: PendingUpload) -> tuple[ImportReport, dt.datetime] | None:
    """The kept dry run of this very file (same size and time), or None."""
    try:
        data = json.loads(pending.sibling(REPORT_SUFFIX).read_text(encoding="utf-8"))
        if data["key"] != _upload_key(pending) or data["key"] is None:
            return None
        return ImportReport.from_dict(data["report"]), dt.datetime.fromisoformat(data["checked_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def upload_report_forget(pending: PendingUpload) -> None:
    pending.sibling(REPORT_SUFFIX).unlink(missing_ok=True)


def upload_delete(pending: PendingUpload, *, keep_outcome: bool = False) -> None:
    """Delete the upload and what is kept with it (its outcome too, unless `keep_outcome`)."""
    suffixes = [DATA_SUFFIX, CLAIM_SUFFIX, CLAIM_INFO_SUFFIX, REPORT_SUFFIX, META_SUFFIX]
    if not keep_outcome:
        suffixes.append(OUTCOME_SUFFIX)
    for suffix in suffixes:
        pending.sibling(suffix).unlink(missing_ok=True)


@dataclass(frozen=True)
class Outcome:
    """What became of an upload (`APPLIED`, `FAILED`, `UNREADABLE`), for its page."""

    stage: str
    pending: PendingUpload
    at: dt.datetime
    report: ImportReport | None = None
    message: str = ""


def upload_outcome_save(pending: PendingUpload, stage: str, *, report: ImportReport | None = None,
                        message: str = "") -> None:  # fmt: skip
    """Keep what became of the upload (with its name, size and time, which its page shows
    once the upload itself is gone)."""
    data = {"stage": stage, "at": timezone.now().isoformat(), "message": message,
            "report": report.as_dict() if report is not None else None,
            "name": pending.name, "size": pending.size,
            "uploaded_at": pending.uploaded_at.isoformat()}  # fmt: skip
    with contextlib.suppress(OSError):
        _write_private(pending.sibling(OUTCOME_SUFFIX), json.dumps(data, ensure_ascii=False))


def upload_outcome_get(*, user, token: str) -> Outcome | None:
    """What became of the user's upload under this token, if it is kept (else None)."""
    paths = _own_paths(user, token)
    if paths is None:
        return None
    data_path = paths[0]
    try:
        data = json.loads(data_path.with_suffix(OUTCOME_SUFFIX).read_text(encoding="utf-8"))
        pending = PendingUpload(token, user.pk, data_path, str(data["name"]), int(data["size"]),
                                dt.datetime.fromisoformat(data["uploaded_at"]))  # fmt: skip
        report = ImportReport.from_dict(data["report"]) if data["report"] is not None else None
        return Outcome(stage=str(data["stage"]), pending=pending, report=report,
                       message=str(data["message"]), at=dt.datetime.fromisoformat(data["at"]))  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        return None


def upload_outcome_forget(pending: PendingUpload) -> None:
    pending.sibling(OUTCOME_SUFFIX).unlink(missing_ok=True)


def upload_purge_stale(*, max_age: dt.timedelta = MAX_AGE) -> int:
    """Remove files of the import folder older than max_age; returns how many went."""
    folder = upload_dir()
    if not folder.is_dir():
        return 0
    limit = timezone.now().timestamp() - max_age.total_seconds()
    removed = 0
    for entry in os.scandir(folder):
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < limit:
                os.unlink(entry.path)
                removed += 1
        except FileNotFoundError:
            continue
    return removed


class LimitedUploadHandler(FileUploadHandler):
    """Stops receiving an import file as soon as it is beyond the limit.

    Listed first in FILE_UPLOAD_HANDLERS, it makes the server refuse an
    oversize package after reading at most the limit, without writing the rest
    anywhere; the page then says why (see `REFUSED_ATTR`). Uploads to other
    pages pass through untouched.
    """

    def _applies(self) -> bool:
        try:
            prefix = reverse("exchange:index")
        except NoReverseMatch:
            return False
        return (getattr(self.request, "path", "") or "").startswith(prefix)

    def new_file(self, field_name, file_name, content_type, content_length, charset=None,
                 content_type_extra=None):  # fmt: skip
        super().new_file(field_name, file_name, content_type, content_length, charset,
                         content_type_extra)  # fmt: skip
        if self._applies() and content_length is not None and content_length > max_bytes():
            self._refuse()

    def receive_data_chunk(self, raw_data, start):
        if self._applies() and start + len(raw_data) > max_bytes():
            self._refuse()
        return raw_data

    def file_complete(self, file_size):
        return None

    def _refuse(self):
        if self.request is not None:
            setattr(self.request, REFUSED_ATTR, True)
        raise SkipFile
