"""A second process for the sheets of a large export (ADR 0022).

Writing a worksheet is Python building XML, one interpreter lock per process: a
national package kept one core busy while the other waited. When the export is
large (by the database's own row estimates) and runs on PostgreSQL outside a
transaction, a helper process is started: both take the next sheet from one
list, largest first, until none is left. The helper writes its sheets with the
same code into a workbook of its own in a temporary directory, deflated as this
process deflates; this process then copies those worksheets into the package as
they are (the deflated bytes, not inflated and deflated again) and puts every
worksheet in the registry's tab order, so the package reads exactly as if one
process had written it.

The helper opens its own connection, so it cannot see rows of a transaction
that has not been committed: inside one (a test, an import's dry run) or on
SQLite everything is written here, as before.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from canbo.core import replica

from .sheets import Sheet


def take(counter: Path, total: int) -> int | None:
    """The index of the next sheet nobody has taken yet, or None: a number in a small
    file, read and advanced under an exclusive lock by whichever process asks."""
    with counter.open("r+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            index = int(handle.read() or 0)
            if index >= total:
                return None
            handle.seek(0)
            handle.write(str(index + 1))
            handle.truncate()
            handle.flush()
            return index
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def estimated_rows(sheets: list[Sheet]) -> dict[str, float]:
    """Rows per sheet from PostgreSQL's estimates (`reltuples`), weighed by columns."""
    tables = {s.key: s.model._meta.db_table for s in sheets if s.model is not None}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)", [list(tables.values())]
        )
        found = dict(cursor.fetchall())
    return {s.key: max(found.get(tables.get(s.key), 0), 0) * len(s.columns) for s in sheets}


def helper_wanted(sheets: list[Sheet], enabled: bool) -> dict[str, float] | None:
    """The sheets' weights when a helper should write some of them, else None."""
    if not enabled or connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    weights = estimated_rows(sheets)
    rows = sum(w / len(s.columns) for s, w in zip(sheets, weights.values(), strict=True))
    return weights if rows >= settings.CANBO_EXPORT_HELPER_MIN_ROWS else None


class Alone:
    """Every sheet written here, in order."""

    alone = True

    def __init__(self, sheets: list[Sheet]):
        self.sheets = sheets

    def mine(self) -> Iterator[Sheet]:
        yield from self.sheets

    def finished(self, styles: list | None) -> list:
        return []

    def theirs(self, styles: list | None) -> list:
        return []


@dataclass(frozen=True)
class Finished:
    """A sheet the helper has written: its worksheets [(title, part in `path`)] (XLSX) or
    [(title, the file of its JSON)] and its rows."""

    sheet: Sheet
    parts: list[tuple[str, str]]
    rows: int
    path: str | None


class Shared:
    """The sheets shared with a helper process: each takes the next key of `keys`; the
    helper notes each sheet it has finished, a JSON line in `done`, as soon as it is."""

    WAIT = 0.2  # seconds between looks at whether the helper has finished
    alone = False

    def __init__(self, sel, sheets: list[Sheet], weights: dict[str, float], workdir: Path,
                 fmt: str):  # fmt: skip
        self.by_key = {s.key: s for s in sheets}
        self.keys = sorted(self.by_key, key=lambda k: -weights[k])  # largest first
        self.workdir = workdir
        self.counter = workdir / "next"
        self.counter.write_text("0")
        self.done = workdir / "done.jsonl"
        self.done.write_text("")
        self.read_up_to = 0
        task = {
            "settings_module": os.environ.get("DJANGO_SETTINGS_MODULE", "canbo.settings"),
            "databases": {alias: connections[alias].settings_dict["NAME"] for alias in connections},
            "user": None if sel.user is None else sel.user.pk,
            "unit": None if sel.root is None else sel.root.code,
            "exported_at": sel.exported_at.isoformat(),
            "keys": self.keys,
            "counter": str(self.counter),
            "done": str(self.done),
            "language": get_language(),
            "format": fmt,
            "workdir": str(workdir),
            "parent": os.getpid(),
            "replica_reads": replica.current_work_reads_replica(),
        }
        (workdir / "task.json").write_text(json.dumps(task))
        self.log = (workdir / "helper.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "canbo.exchange.helper_process", str(workdir / "task.json")],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def mine(self) -> Iterator[Sheet]:
        while (index := take(self.counter, len(self.keys))) is not None:
            yield self.by_key[self.keys[index]]

    def finished(self, styles: list | None) -> list[Finished]:
        """The helper's sheets finished since the last look (without waiting). Its
        worksheets name styles by number: `styles` (this workbook's) must be its own."""
        with self.done.open("rb") as handle:
            handle.seek(self.read_up_to)
            text = handle.read()
        complete = text[: text.rfind(b"\n") + 1]  # a line being written waits for next time
        self.read_up_to += len(complete)
        found = []
        for line in complete.splitlines():
            note = json.loads(line)
            if styles is not None and note["styles"] != [dataclasses.asdict(s) for s in styles]:
                raise HelperError(_("Tiến trình phụ ghi gói dữ liệu dùng kiểu ô khác."))
            parts = [(title, part) for title, part in note["parts"]]
            found.append(Finished(self.by_key[note["key"]], parts, note["rows"], note["path"]))
        return found

    def theirs(self, styles: list | None) -> Iterator[Finished]:
        """The helper's sheets not yet seen, once it has ended."""
        while self.process.poll() is None:
            time.sleep(self.WAIT)
        if self.process.returncode != 0:
            self.log.flush()
            tail = (self.workdir / "helper.log").read_text(errors="replace")[-3000:]
            raise HelperError(_("Tiến trình phụ ghi gói dữ liệu gặp lỗi:") + "\n" + tail)
        yield from self.finished(styles)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.log.close()


class HelperError(Exception):
    """The helper process failed (message in Vietnamese, its traceback after)."""


@contextlib.contextmanager
def sheet_sharing(sel, sheets: list[Sheet], *, enabled: bool, near: str | None = None,
                  fmt: str = "xlsx"):  # fmt: skip
    """Alone, or Shared with a helper whose files go in a new directory beside `near`
    (the package being written: the helper's sheets take their room twice until copied)."""
    weights = helper_wanted(sheets, enabled)
    if weights is None:
        yield Alone(sheets)
        return
    workdir = Path(tempfile.mkdtemp(prefix="canbo-export-", dir=near))
    shared = None
    try:
        shared = Shared(sel, sheets, weights, workdir, fmt)
        yield shared
    finally:
        if shared is not None:
            shared.close()
        shutil.rmtree(workdir, ignore_errors=True)
