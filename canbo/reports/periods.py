"""Report periods and their cut-off dates (Nghị định 09/2019/NĐ-CP practice).

A period ends on its **cut-off date** (ngày chốt số liệu), the 14th of a month, and starts
on the 15th of the month before its first month:

- annual (năm N): 15/12/N-1 → 14/12/N;
- six-month (6 tháng đầu năm N): 15/12/N-1 → 14/6/N;
- nine-month (9 tháng năm N): 15/12/N-1 → 14/9/N;
- quarterly (quý q/N): three months to the 14th of the quarter's last month
  (quý I: 15/12/N-1 → 14/3/N … quý IV: 15/9/N → 14/12/N);
- monthly (tháng m/N): 15th of the month before → 14/m/N;
- ad hoc (đột xuất): no default, the dates are given.

`default_period` is pure: the round's form shows its dates as defaults the administrator
may change (`services.round_create` takes both).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canbo.core.dates import add_months

CUT_OFF_DAY = 14


class PeriodKind(models.TextChoices):
    ANNUAL = "annual", gettext_lazy("Năm")
    SIX_MONTH = "six_month", gettext_lazy("6 tháng")
    NINE_MONTH = "nine_month", gettext_lazy("9 tháng")
    QUARTERLY = "quarterly", gettext_lazy("Quý")
    MONTHLY = "monthly", gettext_lazy("Tháng")
    AD_HOC = "ad_hoc", gettext_lazy("Đột xuất")


#: The last month of each kind that counts from 15/12 of the year before.
_FROM_DECEMBER = {PeriodKind.ANNUAL: 12, PeriodKind.SIX_MONTH: 6, PeriodKind.NINE_MONTH: 9}
_NUMBERS = {PeriodKind.QUARTERLY: 4, PeriodKind.MONTHLY: 12}
ROMAN = ("I", "II", "III", "IV")


def needs_number(kind: str) -> bool:
    """Quarterly and monthly periods name their quarter or month."""
    return kind in _NUMBERS


def period_problem(kind: str, year: int | None, number: int | None) -> str | None:
    """What keeps `default_period` from giving dates (a Vietnamese sentence), or None."""
    if kind not in PeriodKind.values:
        return _("Loại kỳ báo cáo không hợp lệ.")
    if kind == PeriodKind.AD_HOC:
        return _("Báo cáo đột xuất: hãy nhập ngày bắt đầu và ngày chốt số liệu.")
    if year is None or not 1900 < year < 3000:
        return _("Hãy nhập năm của kỳ báo cáo.")
    if kind in _NUMBERS:
        top = _NUMBERS[kind]
        if number is None or not 1 <= number <= top:
            if kind == PeriodKind.QUARTERLY:
                return _("Hãy chọn quý (từ 1 đến 4).")
            return _("Hãy chọn tháng (từ 1 đến 12).")
    return None


def default_period(kind: str, year: int | None, number: int | None = None) -> tuple[dt.date, dt.date]:
    """(start, cut-off) of the period (rules above). ValueError with a Vietnamese message
    when the kind needs what is missing (an ad hoc period has no default)."""
    problem = period_problem(kind, year, number)
    if problem:
        raise ValueError(problem)
    if kind in _FROM_DECEMBER:
        return dt.date(year - 1, 12, CUT_OFF_DAY + 1), dt.date(year, _FROM_DECEMBER[kind], CUT_OFF_DAY)
    last_month = number * 3 if kind == PeriodKind.QUARTERLY else number
    months = 3 if kind == PeriodKind.QUARTERLY else 1
    start_year, start_month = add_months(year, last_month, -months)
    return (dt.date(start_year, start_month, CUT_OFF_DAY + 1),
            dt.date(year, last_month, CUT_OFF_DAY))  # fmt: skip


def period_label(kind: str, year: int | None, number: int | None, start: dt.date,
                 end: dt.date) -> str:  # fmt: skip
    """The period as a report's title names it: "Năm 2026", "Quý II/2026", "Tháng 5/2026"…"""
    if kind == PeriodKind.ANNUAL and year:
        return _("Năm %(year)s") % {"year": year}
    if kind == PeriodKind.SIX_MONTH and year:
        return _("6 tháng đầu năm %(year)s") % {"year": year}
    if kind == PeriodKind.NINE_MONTH and year:
        return _("9 tháng năm %(year)s") % {"year": year}
    if kind == PeriodKind.QUARTERLY and year and number:
        return _("Quý %(quarter)s/%(year)s") % {"quarter": ROMAN[number - 1], "year": year}
    if kind == PeriodKind.MONTHLY and year and number:
        return _("Tháng %(month)s/%(year)s") % {"month": number, "year": year}
    return _("Từ %(start)s đến %(end)s") % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}


def period_code(kind: str, year: int | None, number: int | None, end: dt.date) -> str:
    """A short code of the period for a document number: 2026, 2026-6T, 2026-Q2, 2026-T05."""
    if year and kind == PeriodKind.ANNUAL:
        return str(year)
    if year and kind == PeriodKind.SIX_MONTH:
        return f"{year}-6T"
    if year and kind == PeriodKind.NINE_MONTH:
        return f"{year}-9T"
    if year and number and kind == PeriodKind.QUARTERLY:
        return f"{year}-Q{number}"
    if year and number and kind == PeriodKind.MONTHLY:
        return f"{year}-T{number:02}"
    return f"{end:%Y%m%d}"
