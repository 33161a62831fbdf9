"""What several domains' checks share."""

from __future__ import annotations

import datetime as dt
import functools
from fractions import Fraction

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from canbo.core.dates import add_months, last_day_of_month
from canbo.core.shares import share_of
from canbo.people.choices import DisciplineForm

from ..ruleset import ParameterError, RuleData


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    year, month = add_months(day.year, day.month, months)
    return dt.date(year, month, min(day.day, last_day_of_month(year, month).day))


def discipline_form_label(form: str) -> str:
    try:
        return str(DisciplineForm(form).label)
    except ValueError:
        return form


def holidays_between(rule: RuleData, start: dt.date, end: dt.date) -> frozenset[dt.date]:
    """Days off between the two dates: yearly ones ("MM-DD", the rule's `yearly_holidays`)
    and single ones ("YYYY-MM-DD", `holidays`: the lunar New Year, days moved by the
    government), as the administrator keeps them in the rule's parameters."""
    days = set()
    try:
        for text in rule.parameters.get("yearly_holidays", ()):
            month, day = (int(part) for part in str(text).split("-"))
            for year in range(start.year, end.year + 1):
                days.add(dt.date(year, month, day))
        days.update(
            dt.date.fromisoformat(str(text)) for text in rule.parameters.get("holidays", ())
        )
    except (TypeError, ValueError):
        raise ParameterError(
            _("Quy tắc %(code)s: ngày nghỉ phải viết MM-DD (hằng năm) hoặc YYYY-MM-DD.")
            % {"code": rule.code}
        ) from None
    return frozenset(days)


def working_day_before(day: dt.date, count: int, holidays: frozenset[dt.date]) -> dt.date:
    """The working day `count` working days before `day` (Monday to Friday, less
    `holidays`): what a notice "N working days before" a date means."""
    found = day
    left = count
    while left > 0:
        found -= dt.timedelta(days=1)
        if found.weekday() < 5 and found not in holidays:
            left -= 1
    return found


def percent(value: Fraction):
    """A share given as a fraction, as a percentage (`core.shares`: two decimals)."""
    return share_of(value.numerator, value.denominator)


def number_text(value) -> str:
    """A percentage as Vietnamese readers write it (20,00)."""
    return _number_in(value, get_language())


@functools.lru_cache(maxsize=4096)
def _number_in(value, language: str | None) -> str:
    """`number_format` remembered per value and language: thousands of findings of a
    national check write the same few hundred shares."""
    return number_format(value, 2)
