"""Template filters for Vietnamese display: partial dates, date-times, durations, numbers,
shares."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from canbo.core.dates import DatePrecision, format_partial_date
from canbo.core.durations import duration_text
from canbo.core.shares import share_of

register = template.Library()


@register.filter
def vndate(value, precision: str = DatePrecision.DAY) -> str:
    """dd/mm/yyyy, or mm/yyyy / yyyy when only the month or year is known."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    if not isinstance(value, dt.date):
        return str(value)
    return format_partial_date(value, precision or DatePrecision.DAY)


@register.filter
def months(value) -> str:
    """A number of whole months as "16 năm 1 tháng" (core.durations); "" for none."""
    if value in (None, ""):
        return ""
    return duration_text(int(value))


@register.filter
def vndatetime(value) -> str:
    """dd/mm/yyyy HH:MM in local time."""
    if not isinstance(value, dt.datetime):
        return vndate(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y %H:%M")


@register.filter
def vnnumber(value) -> str:
    """A whole number with Vietnamese thousands dots: 10000 -> '10.000'."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return ""


@register.simple_tag
def share(part, base) -> str:
    """Percentage of `part` in `base` with two decimals and a Vietnamese comma: '66,67%'."""
    value = share_of(part, base)
    if value is None:
        return "—"
    return f"{value}%".replace(".", ",")
