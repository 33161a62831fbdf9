"""Values derived from a record, computed and never typed (DOMAIN.md §3, D2).

Retirement follows Nghị định 135/2020/NĐ-CP and Bộ luật Lao động 2019 Art. 169:
the normal retirement age is 60 (men) and 55 (women) until 2020; from 2021
it rises by 3 months a year for men up to 62 and by 4 months a year for women
up to 60. The age that applies is the one in force in the year the person
reaches it, and retirement falls on the last day of that month. A birth date
known only by year counts from 1 January; by month and year, from the 1st.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from canbo.core.dates import (
    DatePrecision,
    add_months,
    last_day_of_month,
    whole_months_between,
    whole_years_between,
)


@dataclass(frozen=True)
class RetirementSchedule:
    """Parameters of the schedule; defaults are those of NĐ 135/2020."""

    start_year: int = 2021
    male_base_months: int = 60 * 12
    male_step_months: int = 3
    male_max_months: int = 62 * 12
    female_base_months: int = 55 * 12
    female_step_months: int = 4
    female_max_months: int = 60 * 12

    def age_in_year(self, sex: str, year: int) -> int:
        """Retirement age in months for someone reaching it in `year`."""
        if sex == "F":
            base, step, top = (
                self.female_base_months,
                self.female_step_months,
                self.female_max_months,
            )
        else:
            base, step, top = self.male_base_months, self.male_step_months, self.male_max_months
        if year < self.start_year:
            return base
        return min(base + step * (year - self.start_year + 1), top)


ND135 = RetirementSchedule()


def effective_birth_date(birth_date: dt.date, precision: str) -> dt.date:
    if precision == DatePrecision.YEAR:
        return dt.date(birth_date.year, 1, 1)
    if precision == DatePrecision.MONTH:
        return dt.date(birth_date.year, birth_date.month, 1)
    return birth_date


def retirement_age_months(
    sex: str,
    birth_date: dt.date,
    precision: str = DatePrecision.DAY,
    override_months: int | None = None,
    schedule: RetirementSchedule = ND135,
) -> int:
    """The retirement age (in months) that applies to this person."""
    if override_months:
        return override_months
    born = effective_birth_date(birth_date, precision)
    return _age_months(sex, born.year, born.month, schedule)


@functools.lru_cache(maxsize=4096)
def _age_months(sex: str, year: int, month: int, schedule: RetirementSchedule) -> int:
    """The first month in which the person's age reaches the age in force that year.

    Depends only on the sex, the month of birth and the schedule: remembered, since
    a national check asks it for tens of thousands of people born in a few hundred
    months (the search below tries up to two dozen months each time).
    """
    months = schedule.age_in_year(sex, 0)
    while months < schedule.age_in_year(sex, add_months(year, month, months)[0]):
        months += 1
    return months


def retirement_date(
    sex: str,
    birth_date: dt.date,
    precision: str = DatePrecision.DAY,
    override_months: int | None = None,
    schedule: RetirementSchedule = ND135,
) -> dt.date:
    """Last day of the month in which the person reaches retirement age."""
    born = effective_birth_date(birth_date, precision)
    months = override_months or _age_months(sex, born.year, born.month, schedule)
    year, month = add_months(born.year, born.month, months)
    return last_day_of_month(year, month)


def age_on(birth_date: dt.date, precision: str, on: dt.date) -> int:
    return whole_years_between(effective_birth_date(birth_date, precision), on)


def months_left(retire_on: dt.date, on: dt.date) -> int:
    """Whole months from `on` to the retirement date (negative once past it)."""
    return whole_months_between(on, retire_on)
