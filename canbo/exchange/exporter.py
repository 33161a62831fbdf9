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

import datetime as dt
import functools
import json
import re
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
from canbo.core.db import read_ahead
from canbo.core.memory import Remembered

from .cells import write_partial_date
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


def _rows(sheet: Sheet, sel: Selection) -> Iterator[list]:
    return registry.part_of(sheet).rows(sheet, sel)


def _sheets(sel: Selection, steps: Steps) -> Iterator[tuple[Sheet, Iterator[list]]]:
    """Each sheet with its rows, the sheets and rows written reported to `steps`."""
    sheets = registry.sheets()
    steps.stage(_("Ghi các sheet"), total=len(sheets))
    for index, sheet in enumerate(sheets):
        yield sheet, _sheet_rows(sheet, index, sel, steps)


def _sheet_rows(sheet: Sheet, index: int, sel: Selection, steps: Steps) -> Iterator[list]:
    """The rows of a sheet; once they are all written, their count goes in `sel.counts`."""
    steps.item(index, sheet.title)
    count = 0
    for count, values in enumerate(_rows(sheet, sel), start=1):
        yield values
        if count % ROWS_EVERY == 0:
            steps.item(index, sheet.title, count)
    sel.counts[sheet.title] = count
    steps.item_done(index + 1, sheet.title, count)


def write_xlsx(sel: Selection, target: IO[bytes] | str, steps: Steps = QUIET) -> Selection:
    book = xlsx.StreamingWorkbook(target, created=sel.exported_at)
    kinds = text_kinds()
    for sheet, rows in _sheets(sel, steps):
        ws = start_sheet(book, sheet, kinds=kinds)
        part = 1
        for values in rows:
            if ws.row > MAX_SHEET_ROWS:
                # A worksheet holds 1,048,576 rows: the rest goes on "Đánh giá (2)", … .
                part += 1
                ws = start_sheet(book, sheet, part, kinds)
            ws.write_row(values)
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


def write_json(sel: Selection, out: IO[str], steps: Steps = QUIET) -> Selection:
    meta = dict(meta_rows(sel))
    out.write('{"meta": ' + json.dumps(meta, ensure_ascii=False) + ',\n "sheets": {')
    for index, (sheet, rows) in enumerate(_sheets(sel, steps)):
        encode = JsonRow([c.key for c in sheet.columns])
        out.write(("," if index else "") + f"\n  {json.dumps(sheet.key)}: [")
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
    out.write("\n }\n}\n")
    return sel


def write_package(sel: Selection, fmt: str, path, steps: Steps = QUIET) -> Selection:
    """The package in `fmt` ("xlsx" or "json") written to the file at `path`."""
    if fmt == "json":
        with open(path, "w", encoding="utf-8", newline="") as out:
            return write_json(sel, out, steps)
    return write_xlsx(sel, str(path), steps)
