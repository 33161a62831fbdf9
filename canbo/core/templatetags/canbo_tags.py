"""Template filters for Vietnamese display: partial dates, date-times, durations, numbers,
shares; and `fixed_url`, the address of a page without arguments."""

from __future__ import annotations

import datetime as dt
import functools

from django import template
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import get_language

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


@register.simple_tag
def fixed_url(name: str) -> str:
    """`{% url name %}` for a page without arguments, reversed once per URL configuration,
    script prefix and language: the navigation bar names a dozen pages on every page,
    and Django's `reverse` takes tens of microseconds for each (issue 18)."""
    return _reversed(name, get_resolver(get_urlconf()), get_script_prefix(), get_language())


@functools.lru_cache(maxsize=512)
def _reversed(name: str, resolver, prefix: str, language: str | None) -> str:
    return reverse(name, urlconf=resolver.urlconf_name)
