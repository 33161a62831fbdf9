"""Report periods: the cut-off dates of Nghị định 09/2019 practice as defaults, which the
round's issuer may change."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from canbo.reports.periods import PeriodKind, default_period, period_label

from . import test_rounds_setup as setup
from .test_rounds_setup import make_round

p, province_editor = setup.p, setup.province_editor  # fixtures

D = dt.date


@pytest.mark.parametrize(("kind", "year", "number", "start", "end", "label"), [
    (PeriodKind.ANNUAL, 2026, None, D(2025, 12, 15), D(2026, 12, 14), "Năm 2026"),
    (PeriodKind.SIX_MONTH, 2026, None, D(2025, 12, 15), D(2026, 6, 14), "6 tháng đầu năm 2026"),
    (PeriodKind.NINE_MONTH, 2026, None, D(2025, 12, 15), D(2026, 9, 14), "9 tháng năm 2026"),
    (PeriodKind.QUARTERLY, 2026, 1, D(2025, 12, 15), D(2026, 3, 14), "Quý I/2026"),
    (PeriodKind.QUARTERLY, 2026, 2, D(2026, 3, 15), D(2026, 6, 14), "Quý II/2026"),
    (PeriodKind.QUARTERLY, 2026, 3, D(2026, 6, 15), D(2026, 9, 14), "Quý III/2026"),
    (PeriodKind.QUARTERLY, 2026, 4, D(2026, 9, 15), D(2026, 12, 14), "Quý IV/2026"),
    (PeriodKind.MONTHLY, 2026, 1, D(2025, 12, 15), D(2026, 1, 14), "Tháng 1/2026"),
    (PeriodKind.MONTHLY, 2026, 3, D(2026, 2, 15), D(2026, 3, 14), "Tháng 3/2026"),
    (PeriodKind.MONTHLY, 2026, 12, D(2026, 11, 15), D(2026, 12, 14), "Tháng 12/2026"),
])  # fmt: skip
def test_default_periods(kind, year, number, start, end, label):
    assert default_period(kind, year, number) == (start, end)
    assert period_label(kind, year, number, start, end) == label


@pytest.mark.parametrize(("kind", "year", "number", "message"), [
    (PeriodKind.AD_HOC, 2026, None, "Báo cáo đột xuất: hãy nhập ngày bắt đầu và ngày chốt"),
    (PeriodKind.ANNUAL, None, None, "Hãy nhập năm của kỳ báo cáo."),
    (PeriodKind.QUARTERLY, 2026, 5, r"Hãy chọn quý \(từ 1 đến 4\)."),
    (PeriodKind.MONTHLY, 2026, None, r"Hãy chọn tháng \(từ 1 đến 12\)."),
    ("weekly", 2026, None, "Loại kỳ báo cáo không hợp lệ."),
])  # fmt: skip
def test_what_has_no_default(kind, year, number, message):
    with pytest.raises(ValueError, match=message):
        default_period(kind, year, number)


@pytest.mark.django_db
def test_a_round_takes_the_defaults_or_the_dates_given(world, p, province_editor):
    quarter = make_round(world, province_editor, period_kind=PeriodKind.QUARTERLY,
                         period_number=4, deadline=D(2026, 12, 20))  # fmt: skip
    assert (quarter.period_start, quarter.cut_off) == (D(2026, 9, 15), D(2026, 12, 14))
    assert quarter.name == "Báo cáo TK-CB – Quý IV/2026"
    assert quarter.task.directive.number == "BC TK-CB/2026-Q4"
    moved = make_round(world, province_editor, period_end=D(2026, 12, 10), name="Năm 2026 (sớm)")
    assert (moved.period_start, moved.cut_off) == (D(2025, 12, 15), D(2026, 12, 10))
    assert moved.task.start_on == D(2026, 12, 10)
    ad_hoc = make_round(world, province_editor, period_kind=PeriodKind.AD_HOC, year=None,
                        period_start=D(2026, 7, 1), period_end=D(2026, 12, 4),
                        deadline=D(2026, 12, 10))  # fmt: skip
    assert ad_hoc.name == "Báo cáo TK-CB – Từ 01/07/2026 đến 04/12/2026"
    assert ad_hoc.task.directive.number == "BC TK-CB/20261204"
    with pytest.raises(ValidationError, match="Báo cáo đột xuất: hãy nhập ngày"):
        make_round(world, province_editor, period_kind=PeriodKind.AD_HOC, year=None)
    with pytest.raises(ValidationError, match="Ngày bắt đầu kỳ phải trước"):
        make_round(world, province_editor, period_start=D(2026, 12, 20))
