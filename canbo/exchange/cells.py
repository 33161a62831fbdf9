"""Reading one cell as users really fill them in.

Each reader takes the raw value a workbook (or JSON) gives — text, a number,
a date, a boolean or None — and returns a Python value, or raises CellError
with a Vietnamese message. Nothing here guesses silently: an ID number that
lost its leading zeros is refused with the likely intended value as a hint.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from canbo.core.dates import (
    IMPOSSIBLE,
    DatePrecision,
    ImpossibleDate,
    format_day,
    format_partial_date,
    parse_partial_date,
    year_span,
)
from canbo.core.validators import forbidden_character, forbidden_message
from canbo.core.vntext import fold, is_clean_text, normalize_spaces

EXCEL_EPOCH = dt.date(1899, 12, 30)
MIN_YEAR, MAX_YEAR = 1900, 2100
_DIGITS = re.compile(r"^\d+$")
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")
_THOUSANDS = re.compile(r"^-?\d{1,3}([.,]\d{3})+$")


class CellError(ValueError):
    """A cell that cannot be read; the message says why, in Vietnamese."""


def is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def shown(raw) -> str:
    """The value as the user sees it, for reports."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.strftime("%d/%m/%Y %H:%M")
    if isinstance(raw, dt.date):
        return format_day(raw)
    return str(raw)[:200]


def read_text(raw) -> str:
    """Trimmed text with runs of spaces collapsed; numbers without a trailing '.0'."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        raise CellError(_("Ô này cần chữ, không phải giá trị đúng/sai."))
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, dt.datetime | dt.date):
        raw = format_day(raw)
    text = normalize_spaces(str(raw))
    return _clean(text, multiline=False)


def _clean(text: str, *, multiline: bool) -> str:
    if not is_clean_text(text):
        raise CellError(_("Ô chứa ký tự không hợp lệ."))
    char = forbidden_character(text, multiline=multiline)
    if char is not None:
        raise CellError(forbidden_message(char))
    return text


def read_note(raw) -> str:
    """Text of several lines (a review's note): trimmed at both ends only, as the services
    store it, so line breaks and spacing come back as they were exported."""
    if raw is None:
        return ""
    if isinstance(raw, bool | dt.datetime | dt.date | int | float):
        return read_text(raw)
    text = str(raw).replace("\r\n", "\n").replace("\r", "\n").strip()
    return _clean(text, multiline=True)


def read_id_number(raw, *, spreadsheet: bool = True) -> str:
    """A 12-digit personal ID number; lost leading zeros are flagged, not restored.

    The hint that Excel dropped the zeros is for spreadsheets only: a JSON package's
    short number is simply too short (`read_id_number_json`)."""
    if type(raw) is str and len(raw) == 12 and raw.isascii() and raw.isdigit():
        return raw  # the usual cell, which every step below would return as it is
    if isinstance(raw, float):
        if not raw.is_integer():
            raise CellError(_("Số định danh cá nhân phải gồm đúng 12 chữ số."))
        raw = int(raw)
    text = read_text(raw).replace(" ", "").replace(".", "")
    if not _DIGITS.match(text):
        raise CellError(_("Số định danh cá nhân chỉ gồm chữ số (12 chữ số)."))
    if len(text) < 12 and not spreadsheet:
        raise CellError(_("Số định danh cá nhân có %(n)d chữ số, cần đúng 12.") % {"n": len(text)})
    if len(text) < 12:
        raise CellError(
            _(
                "Số định danh cá nhân có %(n)d chữ số, cần đúng 12. Có thể Excel đã bỏ số 0 "
                "ở đầu: nếu đúng là %(padded)s, hãy định dạng ô là Văn bản (Text) và nhập lại."
            )
            % {"n": len(text), "padded": text.zfill(12)}
        )
    if len(text) > 12:
        raise CellError(_("Số định danh cá nhân có %(n)d chữ số, cần đúng 12.") % {"n": len(text)})
    return text


def read_id_number_json(raw) -> str:
    """An ID number read from a JSON package (no spreadsheet to blame for lost zeros)."""
    return read_id_number(raw, spreadsheet=False)


def _check_year(day: dt.date) -> dt.date:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise CellError(_("Năm phải từ %(a)d đến %(b)d.") % {"a": MIN_YEAR, "b": MAX_YEAR})
    return day


def _from_serial(number: float) -> dt.date:
    if number < 1 or number > 2958465:
        raise CellError(_("Không đọc được ngày."))
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def read_partial_date(raw) -> tuple[dt.date, str]:
    """A date that may be known only by month and year, or by year.

    Text is read day first (dd/mm/yyyy, mm/yyyy, yyyy); Excel date cells and
    serial numbers are full dates; a whole number from 1900 to 2100 is a year.
    """
    if isinstance(raw, dt.datetime):
        return _check_year(raw.date()), DatePrecision.DAY
    if isinstance(raw, dt.date):
        return _check_year(raw), DatePrecision.DAY
    if isinstance(raw, bool):
        raise CellError(_("Không đọc được ngày."))
    if isinstance(raw, int | float):
        if float(raw).is_integer() and MIN_YEAR <= raw <= MAX_YEAR:
            return dt.date(int(raw), 1, 1), DatePrecision.YEAR
        if 1000 <= raw <= 9999:  # a mistyped year, not a date serial from the 1900s
            raise CellError(_("Năm phải từ %(a)d đến %(b)d.") % {"a": MIN_YEAR, "b": MAX_YEAR})
        return _check_year(_from_serial(float(raw))), DatePrecision.DAY
    text = read_text(raw)
    if _SERIAL.match(text):
        return _check_year(_from_serial(float(text))), DatePrecision.DAY
    try:
        day, precision = parse_partial_date(text)
    except ImpossibleDate:
        raise CellError(str(IMPOSSIBLE % {"value": text[:40]})) from None
    except ValueError:
        raise CellError(
            _("Không đọc được ngày “%(v)s”; hãy ghi dd/mm/yyyy, mm/yyyy hoặc yyyy.")
            % {"v": text[:40]}
        ) from None
    return _check_year(day), precision


def read_date(raw) -> dt.date:
    """A full date; a month/year or a year alone stands for its first day."""
    return read_partial_date(raw)[0]


def write_partial_date(day: dt.date | None, precision: str = DatePrecision.DAY) -> str:
    return format_partial_date(day, precision)


def read_term(raw) -> tuple[int, int | None, dt.date | None]:
    """A term as users name it: "2030–2035" (start and end year), "2030", or its start date.

    Returns (start year, end year or None, start date or None); which term it is
    depends on the term body of the same row and is decided by the importer.
    """
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if float(raw).is_integer() and MIN_YEAR <= raw <= MAX_YEAR:
            return int(raw), None, None
    elif isinstance(raw, str):
        text = read_text(raw)
        span = year_span(text)
        if span:
            start, end = span
            for year in (start, end):
                if not MIN_YEAR <= year <= MAX_YEAR:
                    raise CellError(
                        _("Năm phải từ %(a)d đến %(b)d.") % {"a": MIN_YEAR, "b": MAX_YEAR}
                    )
            if end <= start:
                raise CellError(_("Năm kết thúc nhiệm kỳ phải sau năm bắt đầu."))
            return start, end, None
        if text.isdigit() and len(text) == 4:
            return int(_check_year(dt.date(int(text), 1, 1)).year), None, None
    try:
        day, precision = read_partial_date(raw)
    except CellError:
        raise CellError(
            _(
                "Không đọc được nhiệm kỳ; hãy ghi năm bắt đầu – năm kết thúc (ví dụ 2030–2035) "
                "hoặc ngày bắt đầu dd/mm/yyyy."
            )
        ) from None
    if precision != DatePrecision.DAY:
        return day.year, None, None
    return day.year, None, day


def write_term(start: dt.date, end: dt.date, ambiguous: bool = False) -> str:
    """How a term is written: its years, or its start date when the years name two terms."""
    return format_day(start) if ambiguous else f"{start.year}–{end.year}"


INT_LIMIT = 10**15  # far beyond any count or year; keeps database integers in range


def read_int(raw) -> int:
    if isinstance(raw, bool):
        raise CellError(_("Ô này cần một số nguyên."))
    if isinstance(raw, int | float):
        if isinstance(raw, float) and not raw.is_integer() or abs(raw) > INT_LIMIT:
            raise CellError(_("Ô này cần một số nguyên."))
        return int(raw)
    text = read_text(raw).replace(" ", "")
    if _THOUSANDS.match(text):  # "1.000" is a thousand in Vietnamese, not one
        text = text.replace(".", "").replace(",", "")
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise CellError(_("Ô này cần một số nguyên.")) from None
    if not value.is_finite() or value != value.to_integral_value() or abs(value) > INT_LIMIT:
        raise CellError(_("Ô này cần một số nguyên."))
    return int(value)


def read_decimal(raw) -> Decimal:
    if isinstance(raw, bool):
        raise CellError(_("Ô này cần một số."))
    if isinstance(raw, int | float):
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    else:
        try:
            value = Decimal(read_text(raw).replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise CellError(_("Ô này cần một số.")) from None
    if not value.is_finite() or abs(value) >= INT_LIMIT:
        raise CellError(_("Ô này cần một số."))
    return value.quantize(Decimal("0.01"))


_TRUE = {"co", "x", "1", "true", "dung", "yes", "c", "v"}
_FALSE = {"khong", "0", "false", "sai", "no", "k"}


def read_bool(raw) -> bool:
    if raw is None:
        return False
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    text = fold(read_text(raw))
    if text in _TRUE:
        return True
    if text in _FALSE or not text:
        return False
    raise CellError(_("Hãy ghi “Có” hoặc “Không”."))


def write_bool(value: bool | None) -> str:
    if value is None:
        return ""
    return "Có" if value else "Không"


class Catalog:
    """Values of a catalog matched by label or code, ignoring accents and case."""

    def __init__(self, pairs):
        self.labels = [str(label) for _value, label in pairs]
        self._by_folded = {}
        for value, label in pairs:
            self._by_folded.setdefault(fold(str(label)), value)
            self._by_folded.setdefault(fold(str(value)), value)
        self.label_of = {value: str(label) for value, label in pairs}
        self._seen: dict[str, object] = {}

    def read(self, raw):
        # The same few labels fill a whole column: remember what each spelling means.
        try:
            return self._seen[raw]
        except (KeyError, TypeError):
            pass
        text = read_text(raw)
        value = self._by_folded.get(fold(text))
        if value is not None:
            if isinstance(raw, str) and len(self._seen) < 10000:
                self._seen[raw] = value
            return value
        close = difflib.get_close_matches(
            fold(text), [fold(label) for label in self.labels], n=1, cutoff=0.6
        )
        if close:
            label = next(label for label in self.labels if fold(label) == close[0])
            raise CellError(
                _("“%(v)s” không có trong danh mục. Có phải “%(s)s”?")
                % {"v": text[:60], "s": label}
            )
        allowed = "; ".join(self.labels[:12]) + ("; …" if len(self.labels) > 12 else "")
        raise CellError(
            _("“%(v)s” không có trong danh mục. Giá trị hợp lệ: %(a)s.")
            % {"v": text[:60], "a": allowed}
        )
