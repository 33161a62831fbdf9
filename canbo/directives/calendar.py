"""Working days: Saturdays, Sundays and Vietnam's public holidays (the `holidays`
package, which knows the lunar ones and the days given in lieu) are days off; the
administrator's `Holiday` rows add days off or, with `working`, working weekend days.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

from .models import Holiday

#: The longest stretch of working days a deadline may count (a year and a half).
MAX_WORKING_DAYS = 400


@lru_cache(maxsize=64)
def _public(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=year))


class Calendar:
    """Working days between two dates, with the administrator's days read once."""

    def __init__(self, start: dt.date, end: dt.date):
        self.added = dict(Holiday.objects.filter(day__range=(start, end))
                          .values_list("day", "working"))  # fmt: skip

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.added:
            return self.added[day]
        return day.weekday() < 5 and day not in _public(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start` (`start` itself not counted): one query."""
    if not 0 < days <= MAX_WORKING_DAYS:
        raise ValueError(days)
    calendar = Calendar(start, start + dt.timedelta(days=days * 2 + 60))
    day, left = start, days
    while left:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            left -= 1
    return day
