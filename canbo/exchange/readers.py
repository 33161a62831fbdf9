"""Opening a data package (XLSX or JSON) safely and mapping its headers to columns.

A workbook is checked before any parser sees it: its size, that it is a ZIP
(an encrypted workbook or an old .xls is an OLE file), and, streaming every
part once through an incremental XML parser, that it stays within the import
limits: unpacked size (zip bombs; a part that lies about its size is caught
too), rows and spanned cells per sheet, characters per cell (`limits`).
Cells are read with calamine, which returns the values Excel last computed
for formulas and never evaluates anything; macros are never run.

A JSON package is bounded from its bytes, then read as a stream of parser
events (ijson), a row at a time, each row checked against the same limits as
it comes (ADR 0020).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import ijson
from django.conf import settings
from django.utils.translation import gettext as _
from ijson import JSONError, ObjectBuilder

from canbo.core.memory import without_gc
from canbo.core.vntext import fold

from .cells import is_blank, shown
from .limits import JsonSheetLimits, LimitError, Limits, check_json_values, check_workbook
from .registry import sheets
from .sheets import META_TITLE, Sheet
from .steps import QUIET, ROWS_EVERY, Steps

OLE_MAGIC = b"\xd0\xcf\x11\xe0"
ZIP_MAGIC = b"PK\x03\x04"
HEADER_SCAN_ROWS = 10
# Texts kept per column while reading, so that a spelling repeated down a column (a unit,
# a date, a family name) is held once, not once per row: 100,000 people's rows took 190 MB.
KEPT_TEXTS = 20_000
# Columns the reader skips without a word: a running number users often add.
IGNORED_HEADERS = {"stt", "so thu tu", "tt"}


class PackageError(Exception):
    """The file cannot be read at all (message in Vietnamese)."""


@dataclass
class SheetRows:
    """The rows of one sheet: (row number as the user sees it, {column key: raw value})."""

    sheet: Sheet
    name: str
    rows: list[tuple[int, dict]] = field(default_factory=list)
    present: set[str] = field(default_factory=set)
    # A sheet too long for one worksheet continues on "Đánh giá (2)", …:
    # (index in rows where a part starts, its worksheet name), after the first.
    parts: list[tuple[int, str]] = field(default_factory=list)

    def name_of(self, index: int) -> str:
        """The worksheet that holds the index-th row."""
        name = self.name
        for start, part_name in self.parts:
            if index < start:
                break
            name = part_name
        return name


@dataclass
class RawPackage:
    sheets: dict[str, SheetRows]
    meta: dict[str, str]
    # (sheet name, row, column, value, message, severity)
    problems: list[tuple] = field(default_factory=list)
    source: str = "xlsx"  # "xlsx" or "json": the spreadsheet hints apply to the first only


def max_bytes() -> int:
    return settings.CANBO_IMPORT_MAX_BYTES


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def too_large_message(size: int | None = None) -> str:
    """Why a file beyond the import limit is refused (its size, when known)."""
    if size is None:
        return _("Tệp quá lớn; giới hạn là %(limit)s. Hãy chia nhỏ gói theo đơn vị.") % {
            "limit": _mib(max_bytes())
        }
    return _("Tệp quá lớn (%(size)s); giới hạn là %(limit)s. Hãy chia nhỏ gói theo đơn vị.") % {
        "size": _mib(size),
        "limit": _mib(max_bytes()),
    }


def _check_size(path: Path) -> None:
    size = path.stat().st_size
    if size == 0:
        raise PackageError(_("Tệp rỗng."))
    if size > max_bytes():
        raise PackageError(too_large_message(size))


def _check_zip(path: Path) -> None:
    """The archive is a workbook within every limit (see `limits`), before calamine opens it."""
    try:
        with zipfile.ZipFile(path) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise PackageError(_("Tệp ZIP này không phải bảng tính Excel .xlsx."))
            check_workbook(archive, Limits.from_settings())
    except PackageError:
        raise
    except LimitError as error:
        raise PackageError(str(error)) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError):
        raise PackageError(_("Tệp bảng tính bị hỏng hoặc không đọc được.")) from None
    except Exception:  # zlib errors and the like from a forged archive
        raise PackageError(_("Tệp bảng tính bị hỏng hoặc không đọc được.")) from None


_PART = re.compile(r"^(.*\S)\s*\((\d{1,3})\)$")


def _sheet_for(name: str) -> tuple[Sheet | None, int]:
    """The sheet a worksheet name stands for, and which part of it ("Đánh giá (2)" is 2)."""
    part = 1
    match = _PART.match(name)
    if match:
        name, part = match.group(1), int(match.group(2))
    folded = fold(name)
    return next((s for s in sheets() if fold(s.title) == folded or s.key == name), None), part


class _Headers:
    """Matches a sheet's headers to its columns one at a time, in the order they come:
    a worksheet's header row, or a JSON sheet's keys as they first appear."""

    def __init__(self, sheet: Sheet):
        self.by_folded = {fold(c.header): c.key for c in sheet.columns}
        self.by_folded.update({c.key: c.key for c in sheet.columns})
        self.seen: set[str] = set()
        self.unknown: list[str] = []  # headers not in the format, or naming a column again

    def match(self, raw) -> str | None:
        """The column the header names; None for a blank, ignored or unknown header or one
        naming a column matched before (the last two are kept in `unknown`)."""
        if is_blank(raw):
            return None
        text = fold(shown(raw))
        key = self.by_folded.get(text)
        if key is None or key in self.seen:
            if key is not None or text not in IGNORED_HEADERS:
                self.unknown.append(shown(raw))
            return None
        self.seen.add(key)
        return key


def _header_map(sheet: Sheet, cells: list) -> tuple[dict[int, str], list[str], int]:
    """Column index -> key; unknown headers; how many known headers matched."""
    headers = _Headers(sheet)
    mapping = {}
    for index, raw in enumerate(cells):
        key = headers.match(raw)
        if key is not None:
            mapping[index] = key
    return mapping, headers.unknown, len(mapping)


def _find_header(sheet: Sheet, rows: list[list]) -> tuple[int, dict[int, str], list[str]]:
    best = (-1, {}, [], 0)
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapping, unknown, matched = _header_map(sheet, cells)
        if matched > best[3]:
            best = (index, mapping, unknown, matched)
    return best[0], best[1], best[2]


def _report_missing(package: RawPackage, result: SheetRows, row: int | None) -> None:
    for column in result.sheet.columns:
        if column.required and column.key not in result.present:
            package.problems.append(
                (result.name, row, column.header, "", _("Thiếu cột bắt buộc."), "error")
            )


def _add_sheet(
    package: RawPackage,
    sheet: Sheet,
    name: str,
    rows_iter: Iterator[list],
    into: SheetRows | None = None,
    steps: Steps = QUIET,
    index: int = 0,
) -> None:
    """Read a worksheet's rows into the package (`into`: a sheet it continues); the rows
    read are reported to `steps` as the `index`-th unit of the stage."""
    head = []
    for cells in rows_iter:
        head.append(cells)
        if len(head) >= HEADER_SCAN_ROWS:
            break
    header_index, mapping, unknown = _find_header(sheet, head)
    if header_index < 0:
        package.problems.append(
            (name, None, None, "", _("Không tìm thấy dòng tiêu đề cột của sheet này."), "error")
        )
        return
    for header in unknown:
        package.problems.append(
            (name, header_index + 1, header, header,
             _("Cột không có trong định dạng gói dữ liệu; bị bỏ qua."), "warning")
        )  # fmt: skip
    if into is None:
        result = SheetRows(sheet=sheet, name=name, present=set(mapping.values()))
        _report_missing(package, result, header_index + 1)
    else:
        result = into
        if set(mapping.values()) != result.present:
            package.problems.append(
                (name, header_index + 1, None, "",
                 _("Các cột phải giống sheet “%(s)s”.") % {"s": result.name}, "error")
            )  # fmt: skip
            return
        result.parts.append((len(result.rows), name))
    rows = result.rows
    kept = [(i, key, {}) for i, key in mapping.items()]

    def take(number: int, cells: list) -> None:
        values = {}
        for i, key, seen in kept:
            if i >= len(cells):
                continue
            value = cells[i]
            if type(value) is str:  # one object per spelling and column (text only:
                same = seen.get(value)  # 1, 1.0 and True are equal keys)
                if same is None:
                    if len(seen) < KEPT_TEXTS:
                        seen[value] = value
                else:
                    value = same
            values[key] = value
        for value in values.values():
            if not is_blank(value):
                rows.append((number, values))
                return

    for offset, cells in enumerate(head[header_index + 1 :], start=header_index + 2):
        take(offset, cells)
    for number, cells in enumerate(rows_iter, start=len(head) + 1):
        take(number, cells)
        if number % ROWS_EVERY == 0:
            steps.item(index, name, len(rows))
    package.sheets[sheet.key] = result
    steps.item_done(index + 1, name, len(rows))


def _read_meta(rows_iter: Iterator[list]) -> dict[str, str]:
    meta = {}
    for cells in rows_iter:
        if len(cells) >= 2 and not is_blank(cells[0]):
            meta[shown(cells[0]).strip()] = shown(cells[1]).strip()
    return meta


def _aligned_rows(sheet) -> Iterator[list]:
    # calamine yields rows from the first row but columns from the first used one.
    pad = [""] * sheet.start[1] if sheet.start else []
    if not pad:
        yield from sheet.iter_rows()
        return
    for cells in sheet.iter_rows():
        yield pad + list(cells)


def read_xlsx(path: Path, steps: Steps = QUIET) -> RawPackage:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception:
        raise PackageError(_("Tệp bảng tính bị hỏng hoặc không đọc được.")) from None
    package = RawPackage(sheets={}, meta={})
    try:
        names = workbook.sheet_names
        steps.stage(_("Đọc tệp"), total=len(names))
        for index, name in enumerate(names):
            steps.item(index, name)
            sheet, part = _sheet_for(name)
            if sheet is None:
                if fold(name) == fold(META_TITLE):
                    package.meta = _read_meta(_aligned_rows(workbook.get_sheet_by_name(name)))
                continue
            first = package.sheets.get(sheet.key)
            if (first is None) != (part == 1):
                package.problems.append((name, None, None, "", _("Sheet bị trùng."), "error"))
                continue
            rows = _aligned_rows(workbook.get_sheet_by_name(name))
            _add_sheet(package, sheet, name, rows, into=first, steps=steps, index=index)
    except PackageError:
        raise
    except Exception:
        raise PackageError(_("Tệp bảng tính bị hỏng hoặc không đọc được.")) from None
    finally:
        workbook.close()
    return package


# --- JSON --------------------------------------------------------------------------------
#
# A JSON package is read as a stream of parser events (ijson, with its C backend over
# yajl when the wheel has it), one row at a time: a row becomes the package's row and is
# gone before the next is read, so the file is never held whole, decoded, beside the
# package (ADR 0020). What json.load did is kept: numbers (ints, and floats for the rest,
# however large), the last value of a key given twice in one object, invalid JSON
# anywhere refused, nesting deeper than any package needs refused as invalid.


def _json_backend():
    """ijson's C backend (yajl 2, in ijson's wheels), else the best one ijson has."""
    try:
        return ijson.get_backend("yajl2_c")
    except ImportError:
        return ijson


_JSON = _json_backend()
# json.load refused deeper nesting through Python's recursion limit (1,000 frames, fewer
# in a request); a cell's JSON text (`_json_cell`) still needs json.dumps to get through.
JSON_MAX_DEPTH = 512
_OPENS = frozenset({"start_map", "start_array"})
_CLOSES = frozenset({"end_map", "end_array"})


class _InvalidJson(Exception):
    """Not JSON the way json.load read it (nested too deeply, or a value after the end)."""


def _json_value(events, event: str, value, depth: int, keep: bool = True):
    """The JSON value whose first event is (event, value), its other events read from
    `events`; `depth` containers hold it. keep=False reads past it, building nothing."""
    if event not in _OPENS:
        return float(value) if isinstance(value, Decimal) else value
    builder = ObjectBuilder() if keep else None
    level = 0
    while True:
        if event in _OPENS:
            level += 1
            if depth + level > JSON_MAX_DEPTH:
                raise _InvalidJson
        elif event in _CLOSES:
            level -= 1
        elif isinstance(value, Decimal):
            value = float(value)
        if builder is not None:
            builder.event(event, value)
        if level == 0:
            return builder.value if builder is not None else None
        event, value = next(events)


def _json_cell(value):
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)[:200]
    return value


class _Transcoded:
    """A text file in UTF-16 or UTF-32 read as UTF-8 bytes, the only encoding yajl reads."""

    def __init__(self, handle, encoding: str):
        self.text = io.TextIOWrapper(handle, encoding=encoding, errors="surrogatepass")

    def read(self, size: int = -1) -> bytes:
        return self.text.read(size).encode("utf-8", "surrogatepass")


def _utf8(handle):
    """The open file as UTF-8 bytes, for the encodings json.load took from bytes: a UTF-8
    byte order mark is skipped, UTF-16 and UTF-32 are transcoded as they are read."""
    encoding = json.detect_encoding(handle.read(4))
    handle.seek(3 if encoding == "utf-8-sig" else 0)
    return handle if encoding in ("utf-8", "utf-8-sig") else _Transcoded(handle, encoding)


class _JsonReader:
    """The events of a JSON package read into `package`, sheet by sheet, row by row."""

    def __init__(self, package: RawPackage, limits: Limits, steps: Steps):
        self.package, self.limits, self.steps = package, limits, steps
        self.sheets_ok = False  # the last "sheets" member is an object (json.load kept the last)
        self.started = False
        self.index = 0  # sheets met so far: the steps' units
        self.seen: set[str] = set()  # the sheets read, by key

    def read(self, events) -> None:
        event, value = next(events)
        if event == "start_map":
            self._members(events)
        else:
            _json_value(events, event, value, 0, keep=False)
        if next(events, None) is not None:
            raise _InvalidJson

    def _members(self, events) -> None:
        for event, key in events:
            if event == "end_map":
                return
            event, value = next(events)
            if key == "sheets" and event == "start_map":
                self.sheets_ok = True
                self._sheets(events)
            elif key == "meta":
                meta = _json_value(events, event, value, 1)
                self.package.meta = (
                    {str(k): shown(v) for k, v in meta.items()} if isinstance(meta, dict) else {}
                )
            else:
                self.sheets_ok = self.sheets_ok and key != "sheets"
                _json_value(events, event, value, 1, keep=False)

    def _sheets(self, events) -> None:
        if not self.started:
            self.started = True
            self.steps.stage(_("Đọc tệp"))  # how many sheets is known only at the end
        for event, name in events:
            if event == "end_map":
                return
            event, value = next(events)
            self._sheet(events, str(name), event, value)
            self.index += 1

    def _sheet(self, events, name: str, event: str, value) -> None:
        problems = self.package.problems
        self.steps.item(self.index, name[:60])
        sheet, _part = _sheet_for(name)
        if sheet is not None and sheet.key not in self.seen and event == "start_array":
            self.seen.add(sheet.key)
            self._rows(events, sheet, name)
            return
        _json_value(events, event, value, 2, keep=False)
        if sheet is None:
            problems.append(
                (name[:60], None, None, "", _("Sheet không có trong định dạng; bị bỏ qua."),
                 "warning")
            )  # fmt: skip
        elif sheet.key in self.seen:  # json.load kept the last silently
            problems.append((sheet.title, None, None, "", _("Sheet bị trùng."), "error"))
        else:
            self.seen.add(sheet.key)
            problems.append(
                (sheet.title, None, None, "", _("Sheet phải là một danh sách đối tượng."), "error")
            )

    def _rows(self, events, sheet: Sheet, name: str) -> None:
        """The rows of a sheet, up to the end of its list; each checked against the limits
        as it comes, its keys mapped to columns when first seen."""
        package, steps, index = self.package, self.steps, self.index
        check = JsonSheetLimits(name, self.limits)
        headers = _Headers(sheet)
        known: dict[str, None] = {}  # every key of the sheet so far, in first appearance
        mapped: list[tuple[str, str]] = []  # (key, column) of the known keys with a column
        result = SheetRows(sheet=sheet, name=sheet.title)
        rows = result.rows
        number = 0
        for event, value in events:
            if event == "end_array":
                break
            number += 1
            if event != "start_map":
                _json_value(events, event, value, 3, keep=False)
                _json_value(events, "start_array", None, 2, keep=False)  # the rest of the list
                package.problems.append(
                    (sheet.title, None, None, "", _("Sheet phải là một danh sách đối tượng."),
                     "error")
                )  # fmt: skip
                return
            row, nested = {}, False
            for kind, item in events:  # the row's events, to its end
                if kind == "map_key":
                    key = item
                elif kind == "string":
                    row[key] = item
                elif kind == "end_map":
                    break
                elif kind in _OPENS:
                    row[key], nested = _json_value(events, kind, item, 4), True
                else:
                    row[key] = float(item) if isinstance(item, Decimal) else item
            check.row(row)
            if not row.keys() <= known.keys():
                for key in row:
                    if key not in known:
                        known[key] = None
                        if (column := headers.match(key)) is not None:
                            mapped.append((key, column))
            values = {column: row[key] for key, column in mapped if key in row}
            if nested:
                values = {column: _json_cell(v) for column, v in values.items()}
            for v in values.values():
                if not is_blank(v):
                    rows.append((number, values))
                    break
            if number % ROWS_EVERY == 0:
                steps.item(index, sheet.title, len(rows))
        for header in headers.unknown:
            package.problems.append(
                (sheet.title, None, header, header,
                 _("Cột không có trong định dạng gói dữ liệu; bị bỏ qua."), "warning")
            )  # fmt: skip
        result.present = {column for _key, column in mapped}
        if number:
            _report_missing(package, result, None)
        package.sheets[sheet.key] = result
        steps.item_done(index + 1, sheet.title, len(rows))


def read_json(path: Path, steps: Steps = QUIET) -> RawPackage:
    """Read a JSON package as a stream. The file is within CANBO_IMPORT_MAX_BYTES (checked
    first) and holds no more values than a workbook may hold cells (checked on the bytes,
    before any is parsed); each sheet's rows are checked against the row, cell and length
    limits as they come, a sheet past one refused before more of it is read."""
    limits = Limits.from_settings()
    try:
        check_json_values(path, limits)
    except LimitError as error:
        raise PackageError(str(error)) from None
    package = RawPackage(sheets={}, meta={}, source="json")
    reader = _JsonReader(package, limits, steps)
    try:
        with path.open("rb") as handle:
            reader.read(_JSON.basic_parse(_utf8(handle)))
    except LimitError as error:
        raise PackageError(str(error)) from None
    except (JSONError, ValueError, StopIteration, _InvalidJson):
        raise PackageError(_("Tệp JSON không hợp lệ.")) from None
    if not reader.sheets_ok:
        raise PackageError(_("Tệp JSON không đúng định dạng gói dữ liệu (thiếu mục “sheets”)."))
    return package


def read_package(path: Path | str, steps: Steps = QUIET) -> RawPackage:
    """Read an XLSX or JSON data package; raises PackageError when it cannot be read.
    The worksheets and rows read are reported to `steps`."""
    with without_gc():
        return _read_package(Path(path), steps)


def _read_package(path: Path, steps: Steps = QUIET) -> RawPackage:
    path = Path(path)
    if not path.is_file():
        raise PackageError(_("Không tìm thấy tệp %(name)s.") % {"name": path.name})
    _check_size(path)
    with path.open("rb") as handle:
        start = handle.read(8)
    if start.startswith(OLE_MAGIC):
        raise PackageError(
            _(
                "Tệp được đặt mật khẩu (mã hóa) hoặc là định dạng .xls cũ. Hãy gỡ mật khẩu "
                "và lưu lại dưới dạng .xlsx."
            )
        )
    if start.startswith(ZIP_MAGIC):
        steps.stage(_("Kiểm tra tệp bảng tính"))
        _check_zip(path)
        return read_xlsx(path, steps)
    if start.lstrip()[:1] in (b"{", b"\xef"):
        steps.stage(_("Kiểm tra tệp JSON"))
        return read_json(path, steps)
    raise PackageError(_("Tệp không phải bảng tính Excel .xlsx hay gói dữ liệu JSON."))
