"""The limits of an import, checked while the file streams by, before any reader loads it.

python-calamine, which reads the cells, loads a whole worksheet at once into a
dense grid of (highest row) × (highest column) cells of 32 bytes each, plus its
text. So a small file can ask for a lot of memory: 3 million short rows
(8.9 MB zipped) took 2 GB, one cell of 400 million characters (400 KB zipped)
685 MB, and two cells at A1 and XFD200000 ask for 100 GB and abort the process.

Before calamine opens a workbook, every part it reads (the workbook, its
relationships, the styles, the shared strings and each worksheet) is inflated
in chunks and fed to an incremental XML parser (expat), which keeps nothing:
it counts. A worksheet is refused as soon as it has more rows than
`CANBO_IMPORT_MAX_ROWS`, spans more cells than `CANBO_IMPORT_MAX_CELLS`
(highest row × highest column, which is what calamine allocates), or a cell
holds more than `CANBO_IMPORT_MAX_CELL_CHARS` characters; the whole archive is
refused beyond `CANBO_IMPORT_MAX_UNPACKED_BYTES`. A document type declaration
(entity expansion) or an XML token too long to be a cell (expat would buffer
it whole) is refused too. Memory stays at a few chunks whatever the file.

A JSON package is bounded by its size (`CANBO_IMPORT_MAX_BYTES`) before it is
decoded, and each sheet by the same row, cell and length limits before any of
its rows is built (`check_json_sheet`).
"""

from __future__ import annotations

import posixpath
import pyexpat
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 256 * 1024
_REF = re.compile(r"([A-Za-z]{0,3})([0-9]{0,7})")
SHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"


class LimitError(Exception):
    """A limit was passed (message in Vietnamese); readers turn it into a PackageError."""


@dataclass(frozen=True)
class Limits:
    rows: int  # rows of one sheet
    cells: int  # highest row × highest column of one sheet
    cell_chars: int  # characters of one cell
    unpacked: int  # bytes of all parts of a workbook, unpacked

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            rows=settings.CANBO_IMPORT_MAX_ROWS,
            cells=settings.CANBO_IMPORT_MAX_CELLS,
            cell_chars=settings.CANBO_IMPORT_MAX_CELL_CHARS,
            unpacked=settings.CANBO_IMPORT_MAX_UNPACKED_BYTES,
        )

    @property
    def token_bytes(self) -> int:
        """The longest XML token (a tag, a comment) accepted: far more than any cell needs."""
        return 4 * self.cell_chars + 64 * 1024


def number(n: int) -> str:
    """1048576 -> "1.048.576", as Vietnamese write numbers."""
    return f"{n:,}".replace(",", ".")


def too_many_rows(sheet: str, limits: Limits) -> str:
    return _(
        "Sheet “%(sheet)s” có hơn %(limit)s dòng, quá giới hạn của một lần nhập. Hãy chia "
        "gói thành nhiều tệp nhỏ hơn (ví dụ theo đơn vị)."
    ) % {"sheet": sheet, "limit": number(limits.rows)}


def too_many_cells(sheet: str, rows: int, columns: int, limits: Limits) -> str:
    return _(
        "Sheet “%(sheet)s” trải trên %(rows)s dòng × %(columns)s cột (%(cells)s ô), quá giới "
        "hạn %(limit)s ô của một sheet. Hãy xóa các ô thừa ở xa phía dưới hoặc bên phải, "
        "hoặc chia gói thành nhiều tệp nhỏ hơn."
    ) % {
        "sheet": sheet,
        "rows": number(rows),
        "columns": number(columns),
        "cells": number(rows * columns),
        "limit": number(limits.cells),
    }


def too_long(sheet: str | None, cell: str | None, limits: Limits) -> str:
    if sheet and cell:
        return _(
            "Sheet “%(sheet)s”, ô %(cell)s: dài hơn %(limit)s ký tự, quá giới hạn của một ô."
        ) % {
            "sheet": sheet,
            "cell": cell,
            "limit": number(limits.cell_chars),
        }
    if sheet:
        return _("Sheet “%(sheet)s” có một ô dài hơn %(limit)s ký tự, quá giới hạn của một ô.") % {
            "sheet": sheet,
            "limit": number(limits.cell_chars),
        }
    return _("Tệp có một ô dài hơn %(limit)s ký tự, quá giới hạn của một ô.") % {
        "limit": number(limits.cell_chars)
    }


def too_large_unpacked() -> str:
    return _("Tệp giải nén ra quá lớn (có thể là “bom zip”); từ chối.")


def damaged() -> str:
    return _("Tệp bảng tính bị hỏng hoặc không đọc được.")


def column_number(letters: str) -> int:
    """ "A" -> 1, "Z" -> 26, "AA" -> 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _attr(attrs: list, name: str) -> str | None:
    """An attribute of an ordered attribute list, by local name."""
    for i in range(0, len(attrs), 2):
        key = attrs[i]
        if key == name or key.endswith(":" + name):
            return attrs[i + 1]
    return None


def _refuse_dtd(*_args):
    raise LimitError(damaged())


class _Budget:
    """Bytes inflated so far from the whole archive."""

    def __init__(self, limit: int):
        self.limit, self.used = limit, 0

    def take(self, n: int) -> None:
        self.used += n
        if self.used > self.limit:
            raise LimitError(too_large_unpacked())


def _parse(stream, budget: _Budget, limits: Limits, start, chars) -> None:
    """Feed a part to expat chunk by chunk with the given handlers."""
    parser = pyexpat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 64 * 1024
    parser.ordered_attributes = True
    parser.StartElementHandler = start(parser)
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    fed = 0
    try:
        while chunk := stream.read(CHUNK):
            budget.take(len(chunk))
            parser.Parse(chunk, False)
            fed += len(chunk)
            # Expat keeps an unfinished token (a tag, a comment) whole: never a big one.
            if fed - max(parser.CurrentByteIndex, 0) > limits.token_bytes:
                raise LimitError(too_long(None, None, limits))
        parser.Parse(b"", True)
    except pyexpat.ExpatError:
        raise LimitError(damaged()) from None


def _scan_sheet(stream, budget: _Budget, limits: Limits, sheet: str) -> None:
    """Rows, the spanned grid and cell lengths of one worksheet, as calamine would place them."""
    max_rows, max_cells, max_chars = limits.rows, limits.cells, limits.cell_chars
    rows = row = col = width = height = text = cell_row = 0
    row_text = "0"
    columns: dict[str, int] = {}

    def grid() -> None:
        if height > max_rows:
            raise LimitError(too_many_rows(sheet, limits))
        if height * width > max_cells:
            raise LimitError(too_many_cells(sheet, height, width, limits))

    def start(parser) -> Callable:
        def handle(name, attrs):
            nonlocal rows, row, col, width, height, text, cell_row, row_text
            if name != "c" and name != "row" and ":" in name:
                name = name.rpartition(":")[2]
            if name == "c":  # the hot path: one call per cell
                text = 0
                ref = attrs[1] if attrs and attrs[0] == "r" else _attr(attrs, "r")
                cell_row = row
                if ref is None:
                    col += 1
                elif ref.endswith(row_text) and (
                    col := columns.get(ref[: len(ref) - len(row_text)], 0)
                ):
                    pass  # a column seen before, in the row of its <row>
                else:
                    match = _REF.fullmatch(ref)
                    if match is None or not match.group(1):
                        raise LimitError(damaged())
                    col = column_number(match.group(1))
                    if match.group(2):
                        cell_row = int(match.group(2))
                        if cell_row == row:
                            columns[match.group(1)] = col
                if col > width or cell_row > height:
                    width, height = max(width, col), max(height, cell_row)
                    grid()
            elif name == "row":
                text = 0
                rows += 1
                ref = attrs[1] if attrs and attrs[0] == "r" else _attr(attrs, "r")
                if ref is None:
                    row += 1
                elif ref.isdigit() and ref.isascii() and len(ref) <= 9:
                    row = int(ref)
                else:
                    raise LimitError(damaged())
                row_text, col = str(row), 0
                if rows > max_rows:
                    raise LimitError(too_many_rows(sheet, limits))
                if row > height:
                    height = row
                    grid()

        return handle

    def chars(data):
        nonlocal text
        text += len(data)
        if text > max_chars:
            where = f"{column_letters(col)}{cell_row}" if col and cell_row else None
            raise LimitError(too_long(sheet, where, limits))

    _parse(stream, budget, limits, start, chars)


def _scan_strings(stream, budget: _Budget, limits: Limits, resets: frozenset | None) -> None:
    """Text lengths of a part: per shared string (`resets` = {"si"}) or per element (None)."""
    max_chars = limits.cell_chars
    text = 0

    def start(parser) -> Callable:
        def handle(name, attrs):
            nonlocal text
            if resets is None or name.rpartition(":")[2] in resets:
                text = 0

        return handle

    def chars(data):
        nonlocal text
        text += len(data)
        if text > max_chars:
            raise LimitError(too_long(None, None, limits))

    _parse(stream, budget, limits, start, chars)


def _collect(stream, budget: _Budget, limits: Limits, tag: str, keys: tuple) -> list[tuple]:
    """The given attributes of every `tag` element of a small part (the workbook, its links)."""
    found = []

    def start(parser) -> Callable:
        def handle(name, attrs):
            if name.rpartition(":")[2] == tag:
                found.append(tuple(_attr(attrs, key) for key in keys))
        return handle

    def chars(data):
        if len(data) > limits.token_bytes:
            raise LimitError(too_long(None, None, limits))

    _parse(stream, budget, limits, start, chars)
    return found


def _part_path(base: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(base, target))


def check_workbook(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Raise LimitError when the workbook passes a limit; reads every part once, in chunks."""
    infos = archive.infolist()
    if sum(i.file_size for i in infos) > limits.unpacked:
        raise LimitError(too_large_unpacked())
    names = {i.filename for i in infos}
    budget = _Budget(limits.unpacked)
    done: set[str] = set()

    def open_part(name: str):
        done.add(name)
        return archive.open(name)

    # Which parts are worksheets, and their names (for the messages).
    sheets: dict[str, str] = {}
    if "xl/workbook.xml" in names and "xl/_rels/workbook.xml.rels" in names:
        with open_part("xl/_rels/workbook.xml.rels") as part:
            links = _collect(part, budget, limits, "Relationship", ("Id", "Target", "Type"))
        with open_part("xl/workbook.xml") as part:
            titles = _collect(part, budget, limits, "sheet", ("name", "id"))
        targets = {rid: _part_path("xl", target or "") for rid, target, _type in links}
        for title, rid in titles:
            if rid in targets:
                sheets[targets[rid]] = title or targets[rid]
        strings = {
            _part_path("xl", target or "")
            for _rid, target, kind in links
            if kind and kind.endswith("/sharedStrings")
        }
    else:
        strings = set()
    for name in sorted(names):
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            sheets.setdefault(name, posixpath.basename(name))
    strings.add("xl/sharedStrings.xml")
    for info in infos:
        name = info.filename
        if name in done:
            continue
        with open_part(name) as part:
            if name in sheets:
                _scan_sheet(part, budget, limits, sheets[name])
            elif name in strings:
                _scan_strings(part, budget, limits, frozenset({"si"}))
            elif (
                name.startswith("xl/") and name.endswith((".xml", ".rels")) and "/" not in name[3:]
            ):
                _scan_strings(part, budget, limits, None)  # styles.xml and the like
            else:
                while chunk := part.read(CHUNK):
                    budget.take(len(chunk))


# --- JSON --------------------------------------------------------------------------------


def check_json_sheet(sheet: str, rows: list, limits: Limits) -> None:
    """Row count, spanned cells and text lengths of one decoded JSON sheet, before any row of
    it is built (the decoded file itself is bounded by CANBO_IMPORT_MAX_BYTES)."""
    if len(rows) > limits.rows:
        raise LimitError(too_many_rows(sheet, limits))
    width = max((len(row) for row in rows if isinstance(row, dict)), default=0)
    if len(rows) * width > limits.cells:
        raise LimitError(too_many_cells(sheet, len(rows), width, limits))
    longest = limits.cell_chars
    for row in rows:
        if isinstance(row, dict):
            for key, value in row.items():
                if len(key) > longest or (isinstance(value, str) and len(value) > longest):
                    raise LimitError(too_long(sheet, None, limits))
