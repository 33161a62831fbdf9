"""The kinds of cell the report rounds' sheets add: form codes, moments, counts.

A moment (a submission sent, accepted) is written dd/mm/yyyy hh:mm in Vietnam's time and
read to the minute: seconds are dropped, so a stored moment and the package's are compared
to the minute (`same_minute`), and re-importing a package changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.exchange import cells

_SEPARATORS = re.compile(r"[;,\n]")
_MOMENT = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$")
MOMENT_FORMAT = "%d/%m/%Y %H:%M"


def read_form_codes(raw) -> tuple[str, ...]:
    """Form codes separated by semicolons (or commas, line breaks), upper-cased, in the
    order given; a code given twice stays twice (the importer says so)."""
    text = cells.read_note(raw)
    return tuple(
        code.upper() for part in _SEPARATORS.split(text) if (code := cells.read_text(part))
    )


def read_count(raw) -> int:
    value = cells.read_int(raw)
    if value < 0:
        raise cells.CellError(_("Số liệu phải là số nguyên không âm."))
    return value


def _unreadable(raw) -> cells.CellError:
    return cells.CellError(_("Không đọc được ngày giờ “%(v)s”; hãy ghi dd/mm/yyyy hh:mm.")
                           % {"v": cells.shown(raw)[:40]})  # fmt: skip


def read_moment(raw) -> dt.datetime:
    """A moment in Vietnam's time, to the minute: "16/12/2026 10:30" (a date alone is its
    midnight), an Excel date-time cell or serial number."""
    if isinstance(raw, dt.datetime):
        value = raw
    elif isinstance(raw, dt.date):
        value = dt.datetime.combine(raw, dt.time())
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        if not 1 <= raw <= 2958465:
            raise _unreadable(raw)
        value = dt.datetime.combine(cells.EXCEL_EPOCH, dt.time()) + dt.timedelta(days=float(raw))
    else:
        found = _MOMENT.match(cells.read_text(raw))
        if found is None:
            raise _unreadable(raw)
        day, month, year, hour, minute, second = (int(g) if g else 0 for g in found.groups())
        try:
            value = dt.datetime(year, month, day, hour, minute, second)
        except ValueError:
            raise _unreadable(raw) from None
    if not cells.MIN_YEAR <= value.year <= cells.MAX_YEAR:
        raise cells.CellError(_("Năm phải từ %(a)d đến %(b)d.") % {"a": cells.MIN_YEAR,
                                                                  "b": cells.MAX_YEAR})  # fmt: skip
    value = value.replace(second=0, microsecond=0)
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def minute(value: dt.datetime | None) -> dt.datetime | None:
    """A stored moment as the package writes it: local time, to the minute."""
    if value is None:
        return None
    return timezone.localtime(value).replace(second=0, microsecond=0)


def same_minute(a: dt.datetime | None, b: dt.datetime | None) -> bool:
    return minute(a) == minute(b)


def write_moment(value: dt.datetime | None) -> str:
    return "" if value is None else timezone.localtime(value).strftime(MOMENT_FORMAT)
