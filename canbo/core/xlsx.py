"""The one XLSX writer of canbo: streaming, and safe against formula injection.

Every spreadsheet the system hands out (the data package, its empty template,
a plan's list) is written here, so that one rule holds for all of them: text
is always written as text. A cell whose text begins with "=", "+", "-", "@"
(or a tab, a line break, or their full-width forms) is a text cell with the
quote prefix set, so Excel and LibreOffice show it as typed and never turn
it into a formula, not even when the user edits the cell and presses Enter.
The writer has no way to write a formula at all.

XlsxWriter spends about 25 µs of Python on each cell, which makes the export
of a national dataset (tens of millions of cells) take most of an hour. An
export needs very little of a spreadsheet: text, number and date cells, a few
styles, column widths, row heights, frozen header rows, merged cells (a report
form's grouped headings), print setup (landscape, fit to width, title rows
repeated on each page) and, for the template, drop-down lists. This module
writes exactly that, in the SpreadsheetML that XlsxWriter produces in its
constant-memory mode (inline strings, no shared-string table), into the ZIP
archive as rows arrive, so memory stays flat and each cell costs a few string
operations (a repeated text cell, a dict look-up). The archive is deflated
with ISA-L and written on a second thread, a few MB at a time (ADR 0022).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import queue
import re
import struct
import threading
import weakref
import zipfile
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from isal import isal_zlib

MAX_ROWS = 1_048_576
# Text starting with one of these is what spreadsheets read as a formula (OWASP's
# list, with the line feed and the full-width forms some input methods produce).
FORMULA_CHARS = "=+-@\t\r\n\uff1d\uff0b\uff0d\uff20"
# XML 1.0 cannot hold these; Excel writes them as _xHHHH_.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Text that reads as such an escape is itself escaped (its "_" as _x005F_), as Excel does.
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_RANGE = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6}):([A-Z]{1,3})([1-9][0-9]{0,6})")
MAX_COLUMNS = 16_384  # A … XFD
EXCEL_EPOCH = dt.date(1899, 12, 30)
NONE = itertools.repeat(None)


class _Blank:
    def __repr__(self) -> str:
        return "BLANK"


# An empty cell that keeps its style: the cells a merged range covers carry its borders
# (Excel draws each covered cell's own border), where None and "" write no cell at all.
BLANK = _Blank()

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


# Remembered text-cell endings per column of the sheet being written (at most some tens
# of MB for a wide sheet of unique values, whatever the number of rows).
TAILS_PER_COLUMN = 8_192


def fast_deflate(part) -> None:
    """Deflate a ZIP member being written with ISA-L (python-isal, ADR 0022): the same
    DEFLATE stream any unzip reads, four times less CPU than zlib's fastest level."""
    part._compressor = isal_zlib.compressobj(1, isal_zlib.DEFLATED, -15)


class _Verbatim:
    """A ZIP member's "compressor" for bytes that are already deflated."""

    def compress(self, data: bytes) -> bytes:
        return data

    def flush(self) -> bytes:
        return b""


class Pipe:
    """Compressing and writing the archive on a second thread, in order.

    zlib and file writes release the interpreter's lock, so the archive's deflate
    runs beside the Python that builds the rows (a fifth of an export's time)."""

    DEPTH = 4

    def __init__(self):
        self.queue: queue.Queue = queue.Queue(self.DEPTH)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="xlsx-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            task = self.queue.get()
            if task is None:
                return
            if self.error is None:
                fn, args = task
                try:
                    fn(*args)
                except BaseException as exc:  # raised again on the caller's thread
                    self.error = exc

    def call(self, fn, *args) -> None:
        if self.error is not None:
            raise self.error
        if not self.thread.is_alive():
            raise RuntimeError("the workbook is closed")
        self.queue.put((fn, args))

    def stop(self) -> None:
        """Let the thread end once it has done what is queued (without waiting)."""
        if self.thread.is_alive():
            self.queue.put(None)

    def drain(self, raise_error: bool = True) -> None:
        """Wait for everything queued; the thread ends."""
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        if raise_error and self.error is not None:
            raise self.error


@dataclass(frozen=True)
class Style:
    """How a cell looks. `quote_prefix` is set by the writer, never by callers."""

    font: str = "Calibri"
    size: float = 11
    bold: bool = False
    italic: bool = False
    fill: str | None = None  # ARGB, e.g. "FFDDEBF7"
    border: bool = False  # thin on all four sides
    wrap: bool = False
    horizontal: str | None = None  # "center", "left", …
    vertical: str | None = None  # "top", "center", …
    number_format: str | None = None  # "@" (text), "DD/MM/YYYY", …
    indent: int = 0  # levels of indent from the cell's left (a part under its total)
    quote_prefix: bool = False


@dataclass(frozen=True)
class PrintSetup:
    """How a worksheet prints: on A4, landscape or portrait, scaled to the page's width
    (as many pages down as it takes), the first `title_rows` rows repeated on every page."""

    landscape: bool = True
    fit_to_width: bool = True
    title_rows: int = 0
    paper: int = 9  # A4 (SpreadsheetML's paperSize)

    def __post_init__(self):
        if self.title_rows < 0:
            raise ValueError("title_rows cannot be negative")


# The styles every workbook has, by index (a workbook's `style` adds more).
PLAIN, HEADER, TEXT, READONLY_HEADER, DATE = range(5)
BASE_STYLES = (
    Style(),
    Style(bold=True, fill="FFDDEBF7", border=True, wrap=True, vertical="top"),
    Style(number_format="@"),
    Style(bold=True, italic=True, fill="FFEDEDED", border=True, wrap=True, vertical="top"),
    Style(number_format="DD/MM/YYYY"),
)
BUILTIN_FORMATS = {None: 0, "General": 0, "0": 1, "0.00": 2, "@": 49}


def column_index(letters: str) -> int:
    """A -> 0, Z -> 25, AA -> 26 (the inverse of column_letter)."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read this text as a formula if it were typed in."""
    return bool(text) and text[0] in FORMULA_CHARS


def _text(value: str) -> str:
    text = escape(value)
    if "_x" in text:
        text = _ESCAPE_LIKE.sub(r"_x005F_\1", text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    if text != text.strip():
        return f'<is><t xml:space="preserve">{text}</t></is>'
    return f"<is><t>{text}</t></is>"


def _other_cell(ref: str, value, style: int | None) -> str:
    """A number, boolean or date cell (never a formula: the writer cannot write one)."""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        if not (value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)):
            raise ValueError(f"not a finite number: {value!r}")
        styled = f' s="{style}"' if style else ""
        return f'<c r="{ref}"{styled}><v>{value}</v></c>'
    if type(value) is dt.date:
        serial = (value - EXCEL_EPOCH).days
        return f'<c r="{ref}" s="{DATE if style is None else style}"><v>{serial}</v></c>'
    raise TypeError(f"cannot write {type(value).__name__} to a spreadsheet cell")


def _check_title(title: str, taken: list[str]) -> None:
    if not title or len(title) > 31 or _SHEET_TITLE_FORBIDDEN.search(title):
        raise ValueError(f"not a worksheet name Excel accepts: {title!r}")
    if title.startswith("'") or title.endswith("'"):
        raise ValueError(f"not a worksheet name Excel accepts: {title!r}")
    if title.casefold() in (t.casefold() for t in taken):
        raise ValueError(f"two worksheets named {title!r}")


class Sheet:
    """One worksheet being written; rows go straight into the archive."""

    # Rows are handed to the compressing thread a few MB at a time: each hand-over waits for
    # the interpreter's lock (up to its 5 ms switch interval while rows are being built), so
    # 250 KB blocks made the thread the bottleneck of a large export.
    BUFFER_CHARS = 4_000_000

    def __init__(self, book: StreamingWorkbook, title: str, widths: list[float],
                 column_styles: list[int | None] | None, freeze_rows: int,
                 print_setup: PrintSetup | None = None):  # fmt: skip
        self.book, self.title, self.print_setup = book, title, print_setup
        self.letters = [column_letter(i) for i in range(max(len(widths), 1))]
        self.row = 0
        self.buffer: list[str] = []
        self.buffered = 0
        self.validations: list[str] = []
        self.merges: list[tuple[int, int, int, int]] = []  # first row, first column, last …
        # Per column, the end of a text cell after its reference (`" s="2" t="inlineStr">…`)
        # for the values seen so far: names, labels and dates repeat over a million rows.
        self.tails: list[dict[str, str]] = [{} for _ in self.letters]
        self.part_name = f"xl/worksheets/sheet{len(book.sheets) + 1}.xml"
        book.pipe.call(self._open)
        styles = column_styles or [None] * len(widths)
        cols = "".join(
            f'<col min="{i + 1}" max="{i + 1}" width="{w:.2f}" customWidth="1"'
            + (f' style="{s}"' if s is not None else "")
            + "/>"
            for i, (w, s) in enumerate(zip(widths, styles, strict=True))
        )
        if freeze_rows:
            view = (
                f'<sheetView workbookViewId="0"><pane ySplit="{freeze_rows}" '
                f'topLeftCell="A{freeze_rows + 1}" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft"/></sheetView>'
            )
        else:
            view = '<sheetView workbookViewId="0"/>'
        fit = print_setup is not None and print_setup.fit_to_width
        self._put(
            XML_HEAD + f"<worksheet {NS} {NS_R}>"
            + ('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if fit else "")
            + f"<sheetViews>{view}</sheetViews>"
            '<sheetFormatPr defaultRowHeight="15"/>'
            + (f"<cols>{cols}</cols>" if cols else "")
            + "<sheetData>"
        )

    def _open(self) -> None:
        self.part = self.book.archive.open(self.part_name, "w", force_zip64=True)
        if self.book.compress:
            fast_deflate(self.part)

    def _put(self, text: str) -> None:
        self.book.pipe.call(self.part_write, text.encode("utf-8"))

    def part_write(self, data: bytes) -> None:
        self.part.write(data)

    def _text_tail(self, style: int, value: str) -> str:
        if value[0] in FORMULA_CHARS:
            style = self.book.quoted(style)
        return f'" s="{style}" t="inlineStr">{_text(value)}</c>'

    def write_row(self, values, styles: list[int | None] | None = None, *,
                  height: float | None = None) -> None:  # fmt: skip
        """Text (str), number, bool and date cells; None and "" leave the cell empty,
        BLANK writes an empty cell with its style.

        `styles` gives each cell's style (None: text cells TEXT, dates DATE,
        numbers none). Whatever the style, formula-like text gets the quote prefix.
        `height` is the row's height in points (None: the spreadsheet's own).
        """
        self.row += 1
        if self.row > MAX_ROWS:
            raise ValueError("worksheet full")
        number = str(self.row)
        letters = self.letters
        while len(letters) < len(values):
            letters.append(column_letter(len(letters)))
        while len(self.tails) < len(values):
            self.tails.append({})
        cells = []
        if styles is None:
            # The hot path of every export: a text cell is its reference and a remembered tail.
            for value, letter, tails in zip(values, letters, self.tails, strict=False):  # wider lists
                if type(value) is str:
                    if value:
                        tail = tails.get(value)
                        if tail is None:
                            tail = self._text_tail(TEXT, value)
                            if len(tails) < TAILS_PER_COLUMN:
                                tails[value] = tail
                        cells.append(f'<c r="{letter}{number}{tail}')
                elif value is not None and value is not BLANK:
                    cells.append(_other_cell(f"{letter}{number}", value, None))
        else:
            for value, letter, style in zip(values, letters, itertools.chain(styles, NONE), strict=False):
                if value is None or value == "":
                    continue
                if value is BLANK:
                    if style is not None:
                        cells.append(f'<c r="{letter}{number}" s="{style}"/>')
                    continue
                if type(value) is str:
                    tail = self._text_tail(TEXT if style is None else style, value)
                    cells.append(f'<c r="{letter}{number}{tail}')
                else:
                    cells.append(_other_cell(f"{letter}{number}", value, style))
        if height is None:
            row = f'<row r="{number}">' + "".join(cells) + "</row>"
        else:
            if not (0 < height <= 409):
                raise ValueError(f"not a row height: {height!r}")
            row = (f'<row r="{number}" ht="{height:g}" customHeight="1">' + "".join(cells)
                   + "</row>")  # fmt: skip
        self.buffer.append(row)
        self.buffered += len(row)
        if self.buffered >= self.BUFFER_CHARS:
            self._put("".join(self.buffer))
            self.buffer.clear()
            self.buffered = 0

    def add_list_validation(self, cells: str, source: str, *, title: str = "",
                            message: str = "", stop: bool = False) -> None:  # fmt: skip
        """A drop-down list on `cells` ("B2:B5001") of the values in `source`
        ("'Danh mục'!$A$2:$A$55"); outside values warn (or, with `stop`, are refused)."""
        self.validations.append(
            f'<dataValidation type="list" errorStyle="{"stop" if stop else "warning"}" '
            'allowBlank="1" showInputMessage="1" showErrorMessage="1"'
            + (f" errorTitle={quoteattr(title[:32])}" if title else "")
            + (f" error={quoteattr(message[:255])}" if message else "")
            + f' sqref="{cells}"><formula1>{escape(source.removeprefix("="))}</formula1>'
            "</dataValidation>"
        )

    def merge(self, cells: str) -> None:
        """Show the range `cells` ("A1:C1", two cells or more) as one cell: the value and
        style of its first cell over the whole range. The rows may be written before or
        after; ranges may not overlap (Excel refuses to open such a file)."""
        found = _RANGE.fullmatch(cells)
        if found is None:
            raise ValueError(f"not a range of cells: {cells!r}")
        first_column, last_column = column_index(found[1]), column_index(found[3])
        first_row, last_row = int(found[2]), int(found[4])
        box = (first_row, first_column, last_row, last_column)
        if (first_row > last_row or first_column > last_column
                or last_row > MAX_ROWS or last_column >= MAX_COLUMNS):  # fmt: skip
            raise ValueError(f"not a range of cells: {cells!r}")
        if (first_row, first_column) == (last_row, last_column):
            raise ValueError(f"a merged range needs two cells or more: {cells!r}")
        for top, left, bottom, right in self.merges:
            if (first_row <= bottom and top <= last_row
                    and first_column <= right and left <= last_column):  # fmt: skip
                raise ValueError(f"{cells} overlaps a merged range already given")
        self.merges.append(box)

    def close(self) -> None:
        self.tails = []
        if self.buffer:
            self._put("".join(self.buffer))
            self.buffer.clear()
        self._put("</sheetData>")
        if self.merges:
            # After sheetData, before dataValidations and pageMargins (the schema's order).
            self._put(
                f'<mergeCells count="{len(self.merges)}">'
                + "".join(
                    f'<mergeCell ref="{column_letter(left)}{top}:{column_letter(right)}{bottom}"/>'
                    for top, left, bottom, right in self.merges
                )
                + "</mergeCells>"
            )
        if self.validations:
            self._put(
                f'<dataValidations count="{len(self.validations)}">'
                + "".join(self.validations)
                + "</dataValidations>"
            )
        setup = self.print_setup
        if setup is not None:
            # Margins as Excel's "Normal"; fitToHeight 0: as many pages down as needed.
            self._put(
                '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
                f'footer="0.3"/><pageSetup paperSize="{int(setup.paper)}" orientation='
                f'"{"landscape" if setup.landscape else "portrait"}"'
                + (' fitToWidth="1" fitToHeight="0"' if setup.fit_to_width else "")
                + "/>"
            )
        self._put("</worksheet>")
        self.book.pipe.call(lambda: self.part.close())


@dataclass
class _Copied:
    """A worksheet copied from another workbook."""

    title: str
    part_name: str
    print_setup: PrintSetup | None = None


class StreamingWorkbook:
    """Sheets are written one after another; `close` adds the workbook parts."""

    def __init__(self, target: IO[bytes] | str, *, created: dt.datetime | None = None,
                 compress: bool = True):  # fmt: skip
        # compress=False: parts stored as they are (a helper's workbook, copied into another).
        self.compress = compress
        self.archive = zipfile.ZipFile(
            target, "w", compression=zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED,
            compresslevel=1 if compress else None,
        )  # fmt: skip
        self.pipe = Pipe()
        # A workbook dropped half-written (an error while exporting) lets its thread end.
        weakref.finalize(self, self.pipe.stop)
        self.sheets: list[Sheet] = []
        self.order: list[int] = []
        self.created = created
        self.current: Sheet | None = None
        self.styles: list[Style] = list(BASE_STYLES)
        self._quoted: dict[int, int] = {}

    def style(self, style: Style) -> int:
        """The index of a style for `write_row` and column styles (added once)."""
        try:
            return self.styles.index(style)
        except ValueError:
            self.styles.append(style)
            return len(self.styles) - 1

    def quoted(self, index: int) -> int:
        """The same style with the quote prefix: formula-like text stays text."""
        try:
            return self._quoted[index]
        except KeyError:
            twin = self._quoted[index] = self.style(replace(self.styles[index], quote_prefix=True))
            return twin

    def add_sheet(self, title: str, widths: list[float],
                  column_styles: list[int | None] | None = None, *,
                  position: int | None = None, freeze_rows: int = 1,
                  print_setup: PrintSetup | None = None) -> Sheet:  # fmt: skip
        """A new worksheet; `position` puts it earlier in the workbook's tab order;
        `freeze_rows` rows stay in view when scrolling (0: none); `print_setup`
        how it prints (None: the spreadsheet's defaults)."""
        _check_title(title, [s.title for s in self.sheets])
        if self.current is not None:
            self.current.close()
        sheet = Sheet(self, title, widths, column_styles, freeze_rows, print_setup)
        self.sheets.append(sheet)
        index = len(self.sheets) - 1
        self.order.insert(len(self.order) if position is None else position, index)
        self.current = sheet
        return sheet

    def copy_sheet(self, title: str, source: zipfile.ZipFile, member: str) -> None:
        """A worksheet written by another workbook (the same styles), copied as it is:
        `member` is its part in the `source` archive."""
        _check_title(title, [s.title for s in self.sheets])
        if self.current is not None:
            self.current.close()
            self.current = None
        copied = _Copied(title, f"xl/worksheets/sheet{len(self.sheets) + 1}.xml")
        self.sheets.append(copied)
        self.order.append(len(self.sheets) - 1)
        self.pipe.call(self._copy, copied.part_name, source, member)

    def _copy(self, part_name: str, source: zipfile.ZipFile, member: str) -> None:
        info = source.getinfo(member)
        if self.compress and info.compress_type == zipfile.ZIP_DEFLATED:
            self._copy_deflated(part_name, source, info)
            return
        with source.open(member) as data, self.archive.open(part_name, "w", force_zip64=True) as part:
            if self.compress:
                fast_deflate(part)
            while block := data.read(Sheet.BUFFER_CHARS):
                part.write(block)

    def _copy_deflated(self, part_name: str, source: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        """A deflated member copied as it is, neither inflated nor deflated again, nor its
        CRC computed again (a helper's worksheets: gigabytes of XML at national scale).
        zipfile has no such copy: the part is opened for writing as usual, its compressor
        passes the deflated bytes through, and its size and CRC are the source's."""
        target = zipfile.ZipInfo(part_name, date_time=info.date_time)
        target.compress_type = zipfile.ZIP_DEFLATED
        target.external_attr = info.external_attr
        with open(source.filename, "rb") as raw, self.archive.open(target, "w", force_zip64=True) as part:
            raw.seek(info.header_offset)
            local = raw.read(zipfile.sizeFileHeader)
            if local[:4] != zipfile.stringFileHeader:
                raise zipfile.BadZipFile(f"no local header for {info.filename}")
            name_length, extra_length = struct.unpack("<HH", local[26:30])
            raw.seek(info.header_offset + zipfile.sizeFileHeader + name_length + extra_length)
            part._compressor = _Verbatim()
            left = info.compress_size
            while left:
                block = raw.read(min(left, Sheet.BUFFER_CHARS))
                if not block:
                    raise zipfile.BadZipFile(f"{info.filename} ends early")
                left -= len(block)
                part.write(block)
            # What write() counted is the deflated bytes; the member's are the source's.
            part._file_size, part._crc = info.file_size, info.CRC

    def arrange(self, titles: list[str]) -> None:
        """Put the worksheets in this tab order (every title once)."""
        index = {sheet.title: n for n, sheet in enumerate(self.sheets)}
        if sorted(titles) != sorted(index):
            raise ValueError("arrange needs every worksheet's title once")
        self.order = [index[t] for t in titles]

    def close(self) -> None:
        if self.current is not None:
            self.current.close()
            self.current = None
        self.pipe.drain()
        entries = [(n, self.sheets[i]) for n, i in enumerate(self.order, start=1)]
        sheets_xml = "".join(
            f'<sheet name={quoteattr(sheet.title)} sheetId="{n}" r:id="rId{self.sheets.index(sheet) + 1}"/>'
            for n, sheet in entries
        )
        rels = "".join(
            f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument'
            f'/2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
            for i in range(len(self.sheets))
        )
        # Rows repeated on each printed page: a name local to the sheet (by tab position).
        names = "".join(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{n - 1}">'
            + escape("'" + sheet.title.replace("'", "''") + "'" + f"!$1:${sheet.print_setup.title_rows}")
            + "</definedName>"
            for n, sheet in entries
            if sheet.print_setup is not None and sheet.print_setup.title_rows
        )
        styles_id = len(self.sheets) + 1
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="{SHEET_TYPE}"/>'
            for i in range(len(self.sheets))
        )
        write = self.archive.writestr
        write(
            "[Content_Types].xml",
            XML_HEAD
            + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
            'package.core-properties+xml"/>' + overrides + "</Types>",
        )
        write(
            "_rels/.rels",
            XML_HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
        )
        created = (self.created or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
        write(
            "docProps/core.xml",
            XML_HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
            '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/'
            'XMLSchema-instance"><dc:creator>canbo</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            "</cp:coreProperties>",
        )
        write(
            "xl/workbook.xml",
            XML_HEAD + f"<workbook {NS} {NS_R}><bookViews><workbookView/></bookViews>"
            f"<sheets>{sheets_xml}</sheets>"
            + (f"<definedNames>{names}</definedNames>" if names else "")
            + "</workbook>",
        )
        write(
            "xl/_rels/workbook.xml.rels",
            XML_HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships">{rels}<Relationship Id="rId{styles_id}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
            'Target="styles.xml"/></Relationships>',
        )
        write("xl/styles.xml", styles_xml(self.styles))
        self.archive.close()



def styles_xml(styles: list[Style]) -> str:
    """The styles part: fonts, fills, borders and number formats the styles use, once each."""
    fonts: list[tuple] = []
    fills: list[str | None] = [None, "gray125"]
    formats: dict[str, int] = {}
    xfs = []

    def index(items: list, item) -> int:
        if item not in items:
            items.append(item)
        return items.index(item)

    for style in styles:
        font_id = index(fonts, (style.font, style.size, style.bold, style.italic))
        fill_id = index(fills, style.fill) if style.fill else 0
        fmt = style.number_format
        if fmt in BUILTIN_FORMATS:
            fmt_id = BUILTIN_FORMATS[fmt]
        else:
            fmt_id = formats.setdefault(fmt, 164 + len(formats))
        attrs = (
            f'numFmtId="{fmt_id}" fontId="{font_id}" fillId="{fill_id}" '
            f'borderId="{int(style.border)}" xfId="0"'
            + (' applyNumberFormat="1"' if fmt_id else "")
            + (' applyFont="1"' if font_id else "")
            + (' applyFill="1"' if fill_id else "")
            + (' applyBorder="1"' if style.border else "")
            + (' quotePrefix="1"' if style.quote_prefix else "")
        )
        align = "".join(
            f' {name}="{value}"'
            for name, value in (
                ("horizontal", style.horizontal),
                ("vertical", style.vertical),
                ("wrapText", "1" if style.wrap else None),
                ("indent", str(style.indent) if style.indent else None),
            )
            if value
        )
        if align:
            xfs.append(f'<xf {attrs} applyAlignment="1"><alignment{align}/></xf>')
        else:
            xfs.append(f"<xf {attrs}/>")
    fonts_xml = "".join(
        "<font>" + ("<b/>" if bold else "") + ("<i/>" if italic else "")
        + f'<sz val="{size:g}"/><name val={quoteattr(name)}/><family val="2"/></font>'
        for name, size, bold, italic in fonts
    )  # fmt: skip
    fills_xml = '<fill><patternFill patternType="none"/></fill>' + (
        '<fill><patternFill patternType="gray125"/></fill>'
    )
    fills_xml += "".join(
        f'<fill><patternFill patternType="solid"><fgColor rgb="{color}"/><bgColor indexed="64"/>'
        "</patternFill></fill>"
        for color in fills[2:]
    )
    formats_xml = "".join(
        f"<numFmt numFmtId={quoteattr(str(i))} formatCode={quoteattr(code)}/>"
        for code, i in formats.items()
    )
    thin = '<{0} style="thin"><color auto="1"/></{0}>'
    return (
        XML_HEAD
        + f"<styleSheet {NS}>"
        + (f'<numFmts count="{len(formats)}">{formats_xml}</numFmts>' if formats else "")
        + f'<fonts count="{len(fonts)}">{fonts_xml}</fonts>'
        + f'<fills count="{len(fills)}">{fills_xml}</fills>'
        + '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border>'
        + "".join(thin.format(side) for side in ("left", "right", "top", "bottom"))
        + "<diagonal/></border></borders>"
        + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        + f'</cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        + "</styleSheet>"
    )
