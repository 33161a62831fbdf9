"""One path for every "list to Excel": a page's list, as the page filters it, on one sheet.

The sheet reads the same whatever the list: the title naming the list and its filter in
words ("Danh sách cán bộ — Đơn vị: Tỉnh ủy A; Giới tính: Nữ"), a line with the day of the
export and the number of rows, the bold header row (frozen, and repeated with the two
lines above on every printed page), then one row per item numbered from 1. Dates are
date cells shown dd/mm/yyyy; a partial date (a year, a month) is the text the page shows.
The page prints on A4 landscape, one page wide.

Written by the shared formula-safe writer (`canbo.core.xlsx`): text beginning with "="
stays text. Rows arrive from an iterator (a queryset's `.iterator(chunk_size=2000)`) and
go straight into the archive, so memory stays flat whatever the number of rows.

The file is written to a temporary file and answered as a FileResponse (not streamed
while the rows are read): the rows are counted first (the count is on the second line),
the file is complete before the first byte is sent, so a failure is an error page and
not a truncated download, the access entry is written once the file exists (with the
rows really written), and the database work ends inside the view, not while a slow
client downloads.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import xlsx
from .dates import DatePrecision, format_day, format_partial_date

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT = "Times New Roman"
#: The rows above the data: title, export line, headers (frozen, printed on every page).
HEAD_ROWS = 3
#: Data rows per worksheet: what Excel holds under the head rows.
SHEET_ROWS = xlsx.MAX_ROWS - HEAD_ROWS
CHUNK = 2000


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 16


@dataclass
class ListExport:
    """One list ready to be written: built from a user and a page's query by the list's
    builder (`register`), written at once by the page or later by a background job."""

    #: The list's name (untranslated, `gettext_noop`): the file is named after it.
    name: str
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]
    #: Rows announced on the export line (counted before they are read).
    count: int
    #: Writes the access entry, given the rows really written.
    record: Callable[[int], object]
    #: What follows the name in the file name (a unit's code), if anything.
    name_suffix: str = ""

    @property
    def file_name(self) -> str:
        return f"{_(self.name)} {self.name_suffix}".strip()


class Refused(Exception):
    """The query is one the page would refuse: (label, message) problems."""

    def __init__(self, problems: Sequence[tuple[str, str]]):
        super().__init__(problems)
        self.problems = list(problems)

    def text(self) -> str:
        return "\n".join(f"{label}: {message}" if label else str(message)
                         for label, message in self.problems)  # fmt: skip


#: builder(user, params: QueryDict, **url_kwargs) -> ListExport; raises Refused, Http404,
#: PermissionDenied as the page would.
Builder = Callable[..., ListExport]
_BUILDERS: dict[str, Builder] = {}


def register(key: str) -> Callable[[Builder], Builder]:
    """Decorator naming a list that can be exported (at once or in the background)."""

    def decorate(builder: Builder) -> Builder:
        if _BUILDERS.get(key, builder) is not builder:
            raise ValueError(f"list {key!r} registered twice")
        _BUILDERS[key] = builder
        return builder

    return decorate


def builder(key: str) -> Builder:
    return _BUILDERS[key]


def known(key: str) -> bool:
    return key in _BUILDERS


def day_cell(value: dt.date | None, precision: str = DatePrecision.DAY):
    """A whole date as a date cell; a year or a month as the text the pages show."""
    if value is None:
        return None
    if precision == DatePrecision.DAY:
        return value
    return format_partial_date(value, precision)


def yes_no(value: bool | None) -> str:
    """"Có", "Không", or "" when not known."""
    if value is None:
        return ""
    return _("Có") if value else _("Không")


def filter_words(parts: Iterable[tuple[str, str]]) -> str:
    """ "Đơn vị: Tỉnh ủy A; Giới tính: Nữ" from (label, value) pairs, blank values left out."""
    return "; ".join(f"{label}: {value}" for label, value in parts if value not in (None, ""))


def list_title(name: str, parts: Iterable[tuple[str, str]] = ()) -> str:
    """The list's name, then its filter in words when there is one."""
    words = filter_words(parts)
    return f"{name} — {words}" if words else name


def ascii_stem(text: str) -> str:
    """"Danh sách cán bộ" -> "danh-sach-can-bo" (a file name any system keeps)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "danh-sach"


def write_list(handle: IO[bytes] | str, *, title: str, columns: Sequence[Column],
               rows: Iterable[Sequence], count: int, on: dt.date | None = None,
               sheet_title: str | None = None) -> int:  # fmt: skip
    """The list on one sheet; `count` is the number the export line announces (the rows
    counted before they are read). Returns how many rows were written.

    A list longer than a worksheet (SHEET_ROWS under the head rows) goes on over
    "Danh sách (2)", … , each with the same head (the title marked "tiếp theo") and the
    numbering going on, so nothing is cut off."""
    on = on or timezone.localdate()
    book = xlsx.StreamingWorkbook(handle)
    title_style = book.style(xlsx.Style(font=FONT, size=14, bold=True))
    line_style = book.style(xlsx.Style(font=FONT, italic=True))
    header_style = book.style(
        xlsx.Style(font=FONT, bold=True, border=True, wrap=True, fill="FFDDEBF7",
                   vertical="center", horizontal="center")  # fmt: skip
    )
    headers = [_("STT"), *(c.header for c in columns)]
    base = sheet_title or _("Danh sách")

    def start(part: int):
        sheet = book.add_sheet(
            base if part == 1 else f"{base[:26]} ({part})",
            [6, *(c.width for c in columns)],
            freeze_rows=HEAD_ROWS,
            print_setup=xlsx.PrintSetup(landscape=True, fit_to_width=True, title_rows=HEAD_ROWS),
        )
        head = title if part == 1 else _("%(title)s (tiếp theo)") % {"title": title}
        sheet.write_row([head], [title_style])
        sheet.write_row([export_line(on, count)], [line_style])
        sheet.write_row(headers, [header_style] * len(headers))
        return sheet

    part, sheet = 1, start(1)
    written = 0
    for written, row in enumerate(rows, start=1):
        if sheet.row >= HEAD_ROWS + SHEET_ROWS:
            part += 1
            sheet = start(part)
        sheet.write_row([written, *row])
    book.close()
    return written


def export_line(on: dt.date, count: int) -> str:
    """"Ngày xuất: 04/12/2026 · 1.234 dòng"."""
    return _("Ngày xuất: %(day)s · %(rows)s dòng") % {
        "day": format_day(on),
        "rows": f"{count:,}".replace(",", "."),
    }


def list_file(**kwargs) -> tuple[IO[bytes], int]:
    """`write_list` into a temporary file: (the file, at its start; rows written)."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    try:
        written = write_list(handle, **kwargs)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle, written


def download(handle: IO[bytes], *, name: str, on: dt.date | None = None) -> FileResponse:
    """The file as an attachment "danh-sach-can-bo-2026-12-04.xlsx" (`name` made ASCII),
    never cached."""
    on = on or timezone.localdate()
    response = FileResponse(
        handle, as_attachment=True, filename=f"{ascii_stem(name)}-{on:%Y-%m-%d}.xlsx",
        content_type=XLSX,
    )  # fmt: skip
    response["Cache-Control"] = "no-store"
    return response


def refused_text(refusal: Refused) -> str:
    """The refusal as the user reads it: a line saying so, then each problem on a line."""
    return _("Bộ lọc chưa hợp lệ, chưa xuất được danh sách:") + "\n" + refusal.text() + "\n"


def refused(messages: Iterable[tuple[str, str]]) -> HttpResponse:
    """400: the filter the page would refuse, each problem on a line ("Field: message")."""
    body = refused_text(Refused(list(messages)))
    return HttpResponse(body, status=400, content_type="text/plain; charset=utf-8")


def form_problems(form) -> list[tuple[str, str]]:
    """(field label or "", message) for each error of a bound form."""
    return [
        (str(form.fields[name].label) if name in form.fields else "", str(message))
        for name, messages in form.errors.items()
        for message in messages
    ]


def export_file(export: ListExport, rows: Iterable[Sequence] | None = None,
                path: str | None = None) -> tuple[IO[bytes] | None, int]:  # fmt: skip
    """Write `export` (its rows, or `rows` wrapping them, e.g. counting progress) into a
    temporary file (returned, at its start) or into `path` (None returned), and record
    the access entry with the rows really written."""
    kwargs = dict(title=export.title, columns=export.columns,
                  rows=export.rows if rows is None else rows, count=export.count)  # fmt: skip
    if path is not None:
        written, handle = write_list(path, **kwargs), None
    else:
        handle, written = list_file(**kwargs)
    export.record(written)
    return handle, written


def file_name(export: ListExport, on: dt.date | None = None) -> str:
    """"danh-sach-can-bo-2026-12-04.xlsx"."""
    on = on or timezone.localdate()
    return f"{ascii_stem(export.file_name)}-{on:%Y-%m-%d}.xlsx"
