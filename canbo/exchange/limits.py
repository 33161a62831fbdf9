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

A JSON package is bounded by its size (`CANBO_IMPORT_MAX_BYTES`) and its number
of values (`check_json_values`) before it is parsed, and each sheet by the same
row, cell and length limits as its rows stream in (`JsonSheetLimits`).
"""

from __future__ import annotations

import posixpath
import pyexpat
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 256 * 1024
# The tags that end a string calamine keeps: an inline string, a value, a shared string.
CLOSINGS = frozenset({"is", "v", "si"})
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


def _parse(stream, budget: _Budget, limits: Limits, start, chars, closings=(), reset=None) -> None:
    """Feed a part to expat chunk by chunk with the given handlers.

    With `closings`, reset() is called at the end tag of each of those elements:
    calamine reads a string up to its closing tag whatever tags come between, so
    counts restart there and never at a start tag. An empty element (<is/>) is no
    closing for calamine: an end right after its own start does not count (nor does
    <is></is>, which errs on the safe side).
    """
    parser = pyexpat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 64 * 1024
    parser.ordered_attributes = True
    handle = start(parser)
    if closings:
        opened = [None]  # the element whose start was the last event

        def started(name, attrs):
            opened[0] = name
            handle(name, attrs)

        def text(data):
            opened[0] = None
            chars(data)

        def ended(name):
            if opened[0] != name and name.rpartition(":")[2] in closings:
                reset()
            opened[0] = None

        parser.StartElementHandler = started
        parser.CharacterDataHandler = text
        parser.EndElementHandler = ended
    else:
        parser.StartElementHandler = handle
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
            nonlocal rows, row, col, width, height, cell_row, row_text
            if name != "c" and name != "row" and ":" in name:
                name = name.rpartition(":")[2]
            if name == "c":  # the hot path: one call per cell
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

    def reset():
        nonlocal text
        text = 0

    _parse(stream, budget, limits, start, chars, CLOSINGS, reset)


# --- the fast path ---------------------------------------------------------------------
#
# Expat calls Python for every element: 3 to 4 calls per cell, about 3 s for a sheet of
# 100,000 rows × 12 columns, twice what calamine then takes to read it. The fast path
# proves the same limits with C-speed byte operations (counts, splits, regular
# expressions) for the plain SpreadsheetML spreadsheet programs write, and says "not
# proven" for anything else (a comment, CDATA, a processing instruction, a prefixed
# row, cell or string, a cell whose reference is not its first attribute in double
# quotes, a string longer in bytes than a cell may be in characters, …): the part is
# then read again with expat, which decides exactly. Every bound it uses is at least
# the true value:
#
# - rows: each row start tag "<row" followed by a space, ">" or "/", and its r="N";
# - the grid: every cell start tag "<c" must read `<c r="LETTERS DIGITS"`; the letters
#   and digits bound the columns and rows calamine places cells in;
# - text: calamine reads a string up to its closing tag (</is>, </v>, </si>) whatever
#   other tags come between, so the bytes between two such closing tags bound the
#   characters of the string closed by the second (text has at least one byte per
#   character); and no part may go longer than ROW_SPAN bytes without a row (or shared
#   string) start, which bounds any tag or text a reader buffers whole.

ROW_SPAN = 16 * 1024 * 1024
_ROW_TAG = re.compile(rb"<row(?=[\s>/])([^>]*)>")
_ROW_START = re.compile(rb"<row[\s>/]")
_ROW_NUMBER = re.compile(rb'\sr="([0-9]{1,9})"')
_ROW_NUMBERS = re.compile(rb'<row\s[^>]*?(?<=\s)r="([0-9]{1,9})"')
_CELL_LETTERS = re.compile(rb'<c r="([A-Z]{1,3})[0-9]{1,7}"')
_CELL_DIGITS = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
_SI_START = re.compile(rb"<si[\s>/]")
# A prefixed row, cell or string tag (<x:row>, </x:is>): what the counts would not see.
_PREFIXED = re.compile(rb":(?:row|c|si|is|v)[\s>/]")
_DECLARATION = re.compile(rb"\A\s*<\?xml[^>]{0,200}\?>")


class _NotProven(Exception):
    pass


class _Strings:
    """The longest stretch of bytes ending in a closing tag, across segments."""

    def __init__(self, closing: bytes, limit: int):
        self.closing, self.limit, self.tail = closing, limit, 0

    def feed(self, segment: bytes) -> None:
        pieces = segment.split(self.closing)
        if len(pieces) == 1:
            self.tail += len(segment)
            return
        if self.tail + len(pieces[0]) > self.limit or max(map(len, pieces)) > self.limit:
            raise _NotProven
        self.tail = len(pieces[-1])


def _segments(stream, tag: bytes, start: re.Pattern) -> Iterator[bytes]:
    """The part cut just before a `start` tag (a row, a shared string); never a longer
    stretch than ROW_SPAN without one."""
    carry = b""
    first = True
    while True:
        chunk = stream.read(CHUNK)
        data = carry + chunk
        if first:
            first = False
            match = _DECLARATION.match(data)
            if match:
                data = data[match.end() :]
        if not chunk:
            if data:
                yield _plain(data)
            return
        cut = data.rfind(tag)
        while cut > 0 and not start.match(data, cut):
            cut = data.rfind(tag, 0, cut)
        if cut <= 0:
            if len(data) > ROW_SPAN:
                raise _NotProven
            carry = data
            continue
        segment, carry = data[:cut], data[cut:]
        yield _plain(segment)


def _plain(segment: bytes) -> bytes:
    if b"<!" in segment or b"<?" in segment or _PREFIXED.search(segment):
        raise _NotProven  # comments, CDATA, instructions, prefixes: expat decides
    return segment


def _fast_sheet(stream, limits: Limits, sheet: str) -> None:
    """Prove one worksheet within the limits, refuse it (LimitError), or raise _NotProven."""
    rows = row = height = width = 0
    columns: dict[bytes, int] = {}
    strings = [_Strings(b"</is>", limits.cell_chars), _Strings(b"</v>", limits.cell_chars)]
    for segment in _segments(stream, b"<row", _ROW_START):
        numbers = _ROW_NUMBERS.findall(segment)
        if len(numbers) == segment.count(b"<row"):  # the usual: every row numbered
            rows += len(numbers)
            if numbers:
                row = int(numbers[-1])
                height = max(height, row, max(map(int, numbers)))
        else:
            for match in _ROW_TAG.finditer(segment):
                rows += 1
                number = _ROW_NUMBER.search(match.group(1))
                if number is not None:
                    row = int(number.group(1))
                elif b"r=" in match.group(1):
                    raise _NotProven
                else:
                    row += 1
                height = max(height, row)
        letters = _CELL_LETTERS.findall(segment)
        # Every "<c" a well-referenced cell; else count the cell tags exactly.
        if len(letters) != segment.count(b"<c") and len(letters) != sum(
            segment.count(b"<c" + end) for end in (b" ", b">", b"/", b"\t", b"\n", b"\r")
        ):
            raise _NotProven  # a cell without r, or r elsewhere, or quoted otherwise
        for column in set(letters):
            if column not in columns:
                columns[column] = column_number(column.decode())
            width = max(width, columns[column])
        # A cell placed below the rows seen so far (calamine uses the cell's own number).
        if letters and _below(height).search(segment):
            height = max(height, max(map(int, set(_CELL_DIGITS.findall(segment)))))
        # The counts are exact here (no prefixes, no comments), so a limit passed is final.
        if rows > limits.rows or height > limits.rows:
            raise LimitError(too_many_rows(sheet, limits))
        if height * width > limits.cells:
            raise LimitError(too_many_cells(sheet, height, width, limits))
        for closing in strings:
            closing.feed(segment)


def _fast_strings(stream, limits: Limits) -> None:
    """Prove every shared string within the cell limit, or raise _NotProven."""
    strings = _Strings(b"</si>", limits.cell_chars)
    for segment in _segments(stream, b"<si", _SI_START):
        strings.feed(segment)


def _below(height: int) -> re.Pattern:
    """A cell reference whose row number is greater than `height` (up to 7 digits)."""
    text = str(height)
    options = [rb"[1-9][0-9]{%d,6}" % len(text)] if len(text) < 7 else []
    for i, digit in enumerate(text):
        if digit != "9":
            rest = len(text) - i - 1
            options.append(
                text[:i].encode()
                + b"[%d-9]" % (int(digit) + 1)
                + (b"[0-9]{%d}" % rest if rest else b"")
            )
    # Leading zeros (A0999999) are no smaller number.
    return re.compile(rb'<c r="[A-Z]{1,3}0*(?:' + (b"|".join(options) or rb"(?!)") + rb')"')


def _scan_strings(stream, budget: _Budget, limits: Limits, strings: bool) -> None:
    """Text lengths of a part: per shared string (up to each </si>), or per element."""
    max_chars = limits.cell_chars
    text = 0

    def start(parser) -> Callable:
        def handle(name, attrs):
            nonlocal text
            if not strings:
                text = 0

        return handle

    def chars(data):
        nonlocal text
        text += len(data)
        if text > max_chars:
            raise LimitError(too_long(None, None, limits))

    def reset():
        nonlocal text
        text = 0

    _parse(stream, budget, limits, start, chars, {"si"} if strings else (), reset)


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
        if name in sheets or name in strings:
            try:
                with open_part(name) as part:
                    if name in sheets:
                        _fast_sheet(part, limits, sheets[name])
                    else:
                        _fast_strings(part, limits)
                budget.take(info.file_size)
                continue
            except _NotProven:
                pass
        with open_part(name) as part:
            if name in sheets:
                _scan_sheet(part, budget, limits, sheets[name])
            elif name in strings:
                _scan_strings(part, budget, limits, strings=True)
            elif (
                name.startswith("xl/") and name.endswith((".xml", ".rels")) and "/" not in name[3:]
            ):
                _scan_strings(part, budget, limits, strings=False)  # styles.xml and the like
            else:
                while chunk := part.read(CHUNK):
                    budget.take(len(chunk))


# --- JSON --------------------------------------------------------------------------------


class JsonSheetLimits:
    """The row, cell and length limits of one JSON sheet, checked a row at a time as the
    sheet is read, so a sheet past one is refused before more of it is read. The cells a
    sheet spans are its rows so far × the most keys of one row so far."""

    def __init__(self, sheet: str, limits: Limits):
        self.sheet, self.limits = sheet, limits
        self.rows = self.width = 0

    def row(self, row: dict) -> None:
        """Count one more row (its keys and values as decoded); LimitError past a limit."""
        limits = self.limits
        self.rows += 1
        if self.rows > limits.rows:
            raise LimitError(too_many_rows(self.sheet, limits))
        if len(row) > self.width:
            self.width = len(row)
        if self.rows * self.width > limits.cells:
            raise LimitError(too_many_cells(self.sheet, self.rows, self.width, limits))
        longest = limits.cell_chars
        for key, value in row.items():
            if len(key) > longest or (isinstance(value, str) and len(value) > longest):
                raise LimitError(too_long(self.sheet, None, limits))


def check_json_values(path, limits: Limits, chunk: int = 1 << 20) -> None:
    """Refuse a JSON package that holds more values than a workbook may hold cells, before
    it is decoded.

    Decoding builds a Python object per value (a 100 MB file of empty objects would take
    about 2.4 GB), so the values are bounded first, from the bytes: every value after the
    first in an array or object follows a comma, and every array and object opens with a
    bracket, so commas + brackets + 1 is never below the number of values (commas inside
    strings only raise the bound). Streamed in chunks, in C (`bytes.count`).
    """
    values = 1
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            values += block.count(b",") + block.count(b"{") + block.count(b"[")
            if values > limits.cells:
                raise LimitError(
                    _(
                        "Tệp JSON có hơn %(limit)s giá trị, vượt giới hạn của một lần nhập "
                        "(CANBO_IMPORT_MAX_CELLS). Hãy chia gói dữ liệu thành nhiều tệp nhỏ hơn."
                    )
                    % {"limit": number(limits.cells)}
                )
