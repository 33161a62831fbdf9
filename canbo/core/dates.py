"""Dates with precision: many records know only the year or the month."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    YEAR = "Y", _("Năm")
    MONTH = "M", _("Tháng/năm")
    DAY = "D", _("Ngày/tháng/năm")


_PATTERNS = [
    (re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$"), DatePrecision.DAY),
    (re.compile(r"^(\d{1,2})[/.\-](\d{4})$"), DatePrecision.MONTH),
    (re.compile(r"^(\d{4})$"), DatePrecision.YEAR),
]
_ISO = [
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), DatePrecision.DAY),
    (re.compile(r"^(\d{4})-(\d{2})$"), DatePrecision.MONTH),
]


#: What every form, filter, API field and import says of a date that has the shape of one
#: but does not exist (31/02/1980, 15/13/2005), rather than "wrong format".
IMPOSSIBLE = _("Ngày %(value)s không tồn tại.")


class ImpossibleDate(ValueError):
    """Written as a date, but no such day exists (31/02/1980, 15/13/2005, 00/2020)."""


def _date(text: str, y: int, mo: int, d: int) -> dt.date:
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise ImpossibleDate(text) from None


def date_problem(text: str, error: ValueError, invalid) -> str:
    """The message for `text` that failed to parse with `error`: IMPOSSIBLE for a date
    that does not exist, else `invalid` (the field's own "wrong format" message)."""
    if isinstance(error, ImpossibleDate):
        return str(IMPOSSIBLE % {"value": text})
    return str(invalid)


def parse_partial_date(text: str) -> tuple[dt.date, str]:
    """Parse 'dd/mm/yyyy', 'mm/yyyy', 'yyyy' or ISO 'yyyy-mm(-dd)'.

    Returns the date (1st of the month / 1 January where unknown) and its
    precision. Never reads '05/03/2020' as 3 May. Raises ValueError, and its
    subclass ImpossibleDate when the text has a date's shape but no such day exists.
    """
    text = (text or "").strip()
    for pattern, precision in _ISO:
        m = pattern.match(text)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            d = int(m.group(3)) if precision == DatePrecision.DAY else 1
            return _date(text, y, mo, d), precision
    for pattern, precision in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        if precision == DatePrecision.DAY:
            d, mo, y = (int(g) for g in m.groups())
        elif precision == DatePrecision.MONTH:
            d, (mo, y) = 1, (int(g) for g in m.groups())
        else:
            d, mo, y = 1, 1, int(m.group(1))
        return _date(text, y, mo, d), precision
    raise ValueError(text)


def format_day(value: dt.date | None) -> str:
    """dd/mm/yyyy, the way users write a date; "" for no date."""
    return value.strftime("%d/%m/%Y") if value else ""


def parse_day(text: str) -> dt.date:
    """A whole date, dd/mm/yyyy or YYYY-MM-DD (never read month first). Raises ValueError."""
    value, precision = parse_partial_date(text)
    if precision != DatePrecision.DAY:
        raise ValueError(text)
    return value


_YEAR_SPAN = re.compile(r"^\s*(\d{4})\s*[-–—/]\s*(\d{4})\s*$")


def year_span(text: str) -> tuple[int, int] | None:
    """The years of a span written "2030-2035" (or with –, — or /); None if not one."""
    m = _YEAR_SPAN.match(text or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def format_partial_date(value: dt.date | None, precision: str) -> str:
    """dd/mm/yyyy, mm/yyyy or yyyy by precision."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.month:02d}/{value.year:04d}"
    return format_day(value)


def iso_partial_date(value: dt.date | None, precision: str) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD by precision (the API form)."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + months
    return total // 12, total % 12 + 1


def last_day_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def whole_months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from start to end (negative when end is before start)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end >= start:
        if end.day < start.day and end != last_day_of_month(end.year, end.month):
            months -= 1
    else:
        if end.day > start.day and start != last_day_of_month(start.year, start.month):
            months += 1
    return months


def working_days_after(start: dt.date, end: dt.date, holidays: frozenset[dt.date]) -> int:
    """Working days after `start` up to and including `end`: Monday to Friday, not a holiday."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + dt.timedelta(days=offset)).weekday() < 5:
            count += 1
    return count - sum(1 for h in holidays if start < h <= end and h.weekday() < 5)


def whole_years_between(start: dt.date, end: dt.date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years
