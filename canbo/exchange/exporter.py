"""Exporting a unit subtree (or everything the user may see) as a data package.

Rows are streamed from the database in chunks and written as they come: the
workbook goes through the streaming, formula-safe writer of canbo/core/xlsx.py
and JSON is written piece by piece, so memory stays flat whatever the number of
people. Each app gives the rows of its own sheets (`registry.Part.rows`), in a
fixed order (units and areas by tree position, people by unit, name and ID
number, sections by ID number and key fields), so exporting, importing into an
empty database and exporting again gives the same package; only the export
time in the "Thông tin gói" sheet differs.

Every text cell is written as text. Text that begins with "=", "+", "-" or
"@" gets Excel's quote prefix, so neither Excel nor LibreOffice can take it
for a formula, and it reads back unchanged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from canbo.core import scope, xlsx
from canbo.core.dates import format_day
from canbo.core.db import read_ahead, whole_result_plans
from canbo.core.memory import Remembered

from .cells import write_partial_date
from .helper import HelperError, sheet_sharing
from .registry import registry
from .sheets import FORMAT_NAME, FORMAT_VERSION, META_TITLE, TEXT_KINDS, Sheet, continuation_title
from .steps import QUIET, ROWS_EVERY, Steps

CHUNK = 5000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON = "application/json"
CONTENT_TYPES = {"xlsx": XLSX, "json": JSON}
# Data rows per worksheet: Excel's 1,048,576 rows less the header row.
MAX_SHEET_ROWS = 1_048_575


class ExportError(Exception):
    """The export cannot be made (message in Vietnamese)."""


def label(choices, value) -> str:
    """The Vietnamese label of a stored choice ("" for none)."""
    if value is None or value == "":
        return ""
    return _cached_label(choices, value, get_language())


@functools.lru_cache(maxsize=4096)
def _cached_label(choices, value, language) -> str:
    # Translating a label costs more than writing its cell; an export repeats a few labels.
    return str(choices(value).label)


def labels(choices) -> Remembered:
    """`labels(C)[value]`: label(C, value), translated once per value for the rows of a
    sheet (label() asks for the current language each time, which costs more than the cell)."""
    return Remembered(functools.partial(label, choices))


def day_texts() -> Remembered:
    """`days[d]`: the date written dd/mm/yyyy ("" for none), once per date."""
    return Remembered(format_day)


def partial_date_texts() -> Remembered:
    """`dates[d, precision]`: a partial date written by its precision, once per pair."""
    return Remembered(lambda key: write_partial_date(*key))


def values_of(qs: QuerySet, *fields) -> Iterator:
    """The rows of a queryset as tuples, streamed in chunks (the next one read ahead)."""
    return read_ahead(qs.values_list(*fields).iterator(chunk_size=CHUNK), CHUNK)


@dataclass
class Selection:
    """What an export covers: a subtree (`root`, a unit) or everything, within the
    user's scope. The parts that own each kind of record decide what that means for
    their sheets; `referenced` gathers what the other parts' rows name."""

    user: object
    root: Any
    exported_at: dt.datetime
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def everything(self) -> bool:
        return self.root is None and (self.user is None or scope.is_administrator(self.user))

    @property
    def restricted(self) -> bool:
        """Does the export leave anything out (a subtree, or a user who is not an admin)?"""
        return self.root is not None or (
            self.user is not None and not scope.is_administrator(self.user)
        )

    def referenced(self, kind: str) -> list:
        """Ids (querysets or sets) of the records of `kind` the parts' rows name."""
        return [ids for part in registry.parts() for ids in part.referenced(self, kind)]

    def people_count(self) -> int:
        """How many people the written package carries (for the access log)."""
        return sum(self.counts.get(s.title, 0) for s in registry.sheets() if s.counts_people)


def selection_for(*, user, unit_code: str | None, exported_at: dt.datetime | None = None) -> Selection:
    root = None
    if unit_code:
        root = registry.root().find(user, unit_code)
        if root is None:
            raise ExportError(_("Không có đơn vị mã “%(code)s” trong phạm vi của bạn.") % {"code": unit_code})
    return Selection(user=user, root=root, exported_at=exported_at or timezone.now())


def safe_name(text: str) -> str:
    """Text fit for a file name (ASCII letters, digits, dot, dash)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "don-vi"


def file_name(sel: Selection, fmt: str) -> str:
    """goi-du-lieu-XA-05-03-2026.xlsx: the unit's code (or "toan-bo") and the export's day."""
    return "goi-du-lieu-{}-{}.{}".format(
        safe_name(sel.root.code) if sel.root else "toan-bo",
        timezone.localtime(sel.exported_at).strftime("%d-%m-%Y"), fmt,
    )  # fmt: skip


def export_query(sel: Selection, fmt: str) -> str:
    """What the access log records of an export."""
    return f"unit={sel.root.code if sel.root else '*'} format={fmt}"


def meta_rows(sel: Selection) -> list[tuple[str, str]]:
    when = timezone.localtime(sel.exported_at)
    rows = [
        ("Định dạng", FORMAT_NAME),
        ("Phiên bản", str(FORMAT_VERSION)),
        ("Thời điểm xuất", when.strftime("%d/%m/%Y %H:%M:%S")),
        ("Đơn vị", registry.root().describe(sel.root) if sel.root else
                   _("Toàn bộ") if sel.everything else
                   _("Toàn bộ phạm vi của tài khoản %(u)s") % {"u": sel.user.get_username()}),
    ]
    return rows


def text_kinds() -> set[str]:
    """Column kinds written as text cells."""
    return TEXT_KINDS | {name for name, kind in registry.kinds().items() if kind.text_cell}


def start_sheet(book: xlsx.StreamingWorkbook, sheet: Sheet, part: int = 1,
                kinds: set[str] | None = None) -> xlsx.Sheet:  # fmt: skip
    """A worksheet with the sheet's headers (read-only columns marked)."""
    kinds = text_kinds() if kinds is None else kinds
    widths = [max(12, min(40, len(c.header) + 4)) for c in sheet.columns]
    styles = [xlsx.TEXT if c.kind in kinds or c.readonly else None for c in sheet.columns]
    ws = book.add_sheet(continuation_title(sheet.title, part), widths, styles)
    ws.write_row([c.header for c in sheet.columns],
                 [xlsx.READONLY_HEADER if c.readonly else xlsx.HEADER for c in sheet.columns])  # fmt: skip
    return ws


def rows_of(sheet: Sheet, sel: Selection) -> Iterator[list]:
    return registry.part_of(sheet).rows(sheet, sel)


class Tally:
    """Sheets finished so far, by this process or its helper: what the progress shows."""

    def __init__(self, steps: Steps, total: int):
        self.steps, self.done = steps, 0
        steps.stage(_("Ghi các sheet"), total=total)

    def rows(self, sheet: Sheet, sel: Selection) -> Iterator[list]:
        """A sheet's rows, reported as they go; their count goes in `sel.counts`."""
        start = self.done
        self.steps.item(start, sheet.title)
        count = 0
        for count, values in enumerate(rows_of(sheet, sel), start=1):
            yield values
            if count % ROWS_EVERY == 0:
                self.steps.item(start, sheet.title, count)
        self.finished(sheet, sel, count)

    def finished(self, sheet: Sheet, sel: Selection, count: int) -> None:
        sel.counts[sheet.title] = count
        self.done += 1
        self.steps.item_done(self.done, sheet.title, count)


def package_workbook(target, sel: Selection) -> xlsx.StreamingWorkbook:
    """The workbook of a package; the quoted twins of its styles made first, so that a
    helper's workbook numbers its styles the same way."""
    book = xlsx.StreamingWorkbook(target, created=sel.exported_at)
    for style in (xlsx.HEADER, xlsx.READONLY_HEADER, xlsx.TEXT):
        book.quoted(style)
    return book


def write_sheet(book: xlsx.StreamingWorkbook, sheet: Sheet, rows: Iterator[list],
                kinds: set[str]) -> list[xlsx.Sheet]:  # fmt: skip
    """A sheet's rows over as many worksheets as they take; the worksheets."""
    ws = start_sheet(book, sheet, kinds=kinds)
    written = [ws]
    for values in rows:
        if ws.row > MAX_SHEET_ROWS:
            # A worksheet holds 1,048,576 rows: the rest goes on "Đánh giá (2)", … .
            ws = start_sheet(book, sheet, len(written) + 1, kinds)
            written.append(ws)
        ws.write_row(values)
    return written


def write_xlsx(sel: Selection, target: IO[bytes] | str, steps: Steps = QUIET,
               helper: bool = False) -> Selection:  # fmt: skip
    """The package as a workbook; with `helper`, a large one (PostgreSQL) is written by two
    processes, each taking the next sheet (exchange.helper, ADR 0022)."""
    book = package_workbook(target, sel)
    kinds = text_kinds()
    sheets = registry.sheets()
    titles: dict[str, list[str]] = {}
    tally = Tally(steps, len(sheets))
    near = os.path.dirname(os.path.abspath(target)) if isinstance(target, str) else None
    with sheet_sharing(sel, sheets, enabled=helper, near=near) as sharing, contextlib.ExitStack() as opened:

        def copy(found) -> None:  # the helper's worksheets, as soon as it has finished them
            for item in found:
                source = opened.enter_context(zipfile.ZipFile(item.path))
                for title, member in item.parts:
                    book.copy_sheet(title, source, member)
                titles[item.sheet.key] = [title for title, _member in item.parts]
                tally.finished(item.sheet, sel, item.rows)

        for sheet in sharing.mine():
            written = write_sheet(book, sheet, tally.rows(sheet, sel), kinds)
            titles[sheet.key] = [ws.title for ws in written]
            copy(sharing.finished(book.styles))
        copy(sharing.theirs(book.styles))
        book.arrange([t for sheet in sheets for t in titles[sheet.key]])
        sel.counts = {sheet.title: sel.counts[sheet.title] for sheet in sheets}
        meta = book.add_sheet(META_TITLE, [24, 50], [None, xlsx.TEXT], position=0)
        rows = meta_rows(sel) + [(_("Số dòng – %(s)s") % {"s": t}, str(n)) for t, n in sel.counts.items()]
        for key, value in rows:
            meta.write_row([key, value], [xlsx.HEADER, xlsx.TEXT])
        book.close()
    return sel


# Remembered encodings per column of the sheet being written (a few MB at most).
TEXTS_PER_COLUMN = 8_192


class JsonRow:
    """A row as `json.dumps({key: value, …}, ensure_ascii=False)` writes it, empty cells
    ("" or None) left out: each column's key encoded once and its repeated text values
    (labels, dates, names) remembered, so a million rows cost string joins, not encoders."""

    def __init__(self, keys: list[str]):
        self.prefixes = [encode_basestring(key) + ": " for key in keys]
        self.texts: list[dict[str, str]] = [{} for _ in keys]

    def __call__(self, values) -> str:
        parts = []
        for value, prefix, texts in zip(values, self.prefixes, self.texts, strict=True):
            if type(value) is str:
                if value:
                    text = texts.get(value)
                    if text is None:
                        text = prefix + encode_basestring(value)
                        if len(texts) < TEXTS_PER_COLUMN:
                            texts[value] = text
                    parts.append(text)
            elif type(value) is int:
                parts.append(prefix + int.__repr__(value))
            elif value is not None and value != "":
                parts.append(prefix + json.dumps(value, ensure_ascii=False))
        return "{" + ", ".join(parts) + "}"


def write_json_sheet(out: IO[str], sheet: Sheet, rows: Iterator[list]) -> None:
    """A sheet's key and its rows as a JSON array (what follows the comma between sheets)."""
    encode = JsonRow([c.key for c in sheet.columns])
    out.write(f"\n  {json.dumps(sheet.key)}: [")
    lines: list[str] = []
    separator = "\n   "
    for values in rows:
        lines.append(encode(values))
        if len(lines) == 2000:
            out.write(separator + ",\n   ".join(lines))
            lines.clear()
            separator = ",\n   "
    if lines:
        out.write(separator + ",\n   ".join(lines))
    out.write("\n  ]")


def write_json(sel: Selection, out: IO[str], steps: Steps = QUIET, helper: bool = False,
               near: str | None = None) -> Selection:  # fmt: skip
    """The package as JSON; with `helper`, a large one (PostgreSQL) is written by two
    processes, each sheet into a file of its own beside `near`, then joined in order."""
    meta = dict(meta_rows(sel))
    out.write('{"meta": ' + json.dumps(meta, ensure_ascii=False) + ',\n "sheets": {')
    sheets = registry.sheets()
    tally = Tally(steps, len(sheets))
    place = {sheet.key: index for index, sheet in enumerate(sheets)}
    with sheet_sharing(sel, sheets, enabled=helper, near=near, fmt="json") as sharing:
        bodies: dict[str, str] = {}  # sheets written to a file of their own, not yet joined
        joined = 0  # sheets in the output so far (in the registry's order)

        def join() -> None:  # the sheets that are next in order and finished, into the output
            nonlocal joined
            for item in sharing.finished(None):
                bodies[item.sheet.key] = item.parts[0][1]
                tally.finished(item.sheet, sel, item.rows)
            while joined < len(sheets) and sheets[joined].key in bodies:
                out.write("," if joined else "")
                _append_file(out, bodies.pop(sheets[joined].key))
                joined += 1

        for sheet in sharing.mine():
            rows = tally.rows(sheet, sel)
            if place[sheet.key] == joined:  # next in order: straight into the output
                out.write("," if joined else "")
                write_json_sheet(out, sheet, rows)
                joined += 1
            else:
                bodies[sheet.key] = str(sharing.workdir / f"{sheet.key}.json")
                with open(bodies[sheet.key], "w", encoding="utf-8", newline="") as body:
                    write_json_sheet(body, sheet, rows)
            join()
        for item in sharing.theirs(None):
            bodies[item.sheet.key] = item.parts[0][1]
            tally.finished(item.sheet, sel, item.rows)
        join()
    sel.counts = {sheet.title: sel.counts[sheet.title] for sheet in sheets}
    out.write("\n }\n}\n")
    return sel


def _append_file(out: IO[str], path: str) -> None:
    """A UTF-8 file's text onto `out`: as bytes when `out` is a UTF-8 file (no decoding
    and encoding of a national sheet's gigabyte), else as text."""
    binary = getattr(out, "buffer", None)
    if binary is not None and (getattr(out, "encoding", "") or "").lower().replace("-", "") == "utf8":
        out.flush()
        with open(path, "rb") as body:
            shutil.copyfileobj(body, binary, 4 << 20)
        return
    with open(path, encoding="utf-8", newline="") as body:
        shutil.copyfileobj(body, out, 4 << 20)


@contextlib.contextmanager
def failed_helper_as_export_error():
    try:
        yield
    except HelperError as error:
        raise ExportError(str(error)) from error


def write_package(sel: Selection, fmt: str, path, steps: Steps = QUIET) -> Selection:
    """The package in `fmt` ("xlsx" or "json") written to the file at `path`."""
    with whole_result_plans(), failed_helper_as_export_error():
        if fmt == "json":
            near = os.path.dirname(os.path.abspath(path))
            with open(path, "w", encoding="utf-8", newline="") as out:
                return write_json(sel, out, steps, helper=True, near=near)
        return write_xlsx(sel, str(path), steps, helper=True)
