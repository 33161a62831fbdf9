"""KL (non-local key leaders): exact answers on the key leaders' synthetic city before the
2025 merger and on the rotation figures' world after it, the same lines as the key
leaders' summary for every unit, many units in one statement.

The city is `tests/people/test_leaders.city` (read its table): on 30/11/2018 the three
district secretaries are P1 (local), P2 and P3 (not local); the district chairs P1, P4,
P5 are local; commune 1A's secretary P9 is local. The districts end on 30/06/2025.
"""

from decimal import Decimal

import pytest

from canbo.organizations.choices import UnitLevel
from canbo.organizations.models import PositionTitle
from canbo.people.leaders_summary import key_leader_summary, key_leader_summary_by_root
from canbo.reports.forms import form_named
from canbo.reports.selectors import report_for, reports_for_units
from tests.people.test_leaders import (  # city: a fixture
    D2015,
    D2018,
    D2026,
    city,  # noqa: F401
    district,
)
from tests.rotation.figure_data import AS_OF, build

pytestmark = pytest.mark.django_db

KL = form_named("KL")
COLUMNS = ("posts", "held", "vacant", "not_local", "not_local_share", "local", "unknown")


@pytest.fixture
def town(request):
    """The key leaders' city, its secretaries' titles marked as head posts."""
    found = request.getfixturevalue("city")
    PositionTitle.objects.filter(code__in=["bt-huyen", "bt-xa"]).update(is_head=True)
    return found


def line(report, row):
    return tuple(report.value(row, c) for c in COLUMNS)


def test_the_city_in_2018(town):
    report = report_for(KL, unit=town.tu, on=D2018)
    assert line(report, "total") == (7, 7, 0, 2, Decimal("28.57"), 5, 0)
    assert line(report, "total_head") == (4, 4, 0, 2, Decimal("50.00"), 2, 0)
    assert line(report, "district") == (6, 6, 0, 2, Decimal("33.33"), 4, 0)
    # "2/3 district secretaries (66.67%) are not local"
    assert line(report, "district_head") == (3, 3, 0, 2, Decimal("66.67"), 1, 0)
    assert line(report, "commune") == (1, 1, 0, 0, Decimal("0.00"), 1, 0)
    assert line(report, "province") == (0, 0, 0, 0, None, 0, 0)
    assert all(c.how for c in KL.columns) and all(r.how for r in KL.rows)
    assert KL.narrative(report) == (
        "Tại ngày 30/11/2018, số người giữ chức danh chủ chốt không là người địa phương: "
        "2/7 (28,57%); người đứng đầu: 2/4 (50,00%); theo cấp — Cấp huyện (trước 01/7/2025): "
        "2/6 (33,33%), Cấp xã: 0/1 (0,00%)."
    )


def test_dates_around_the_merger(town):
    """In 2015 P7 held district 1 (not local), others were vacant; in 2026 the districts
    and their commune no longer exist: nothing to count."""
    report = report_for(KL, unit=town.tu, on=D2015)
    assert line(report, "total") == (7, 3, 4, 1, Decimal("33.33"), 2, 0)
    assert line(report, "district_head") == (3, 1, 2, 1, Decimal("100.00"), 0, 0)
    assert line(report_for(KL, unit=town.tu, on=D2026), "total") == (0, 0, 0, 0, None, 0, 0)


def summary_lines(lines):
    return [(s.title.code, s.level, s.posts, s.held, s.not_local, s.unknown) for s in lines]


@pytest.mark.parametrize("on", [D2015, D2018, D2026])
def test_the_key_leaders_summary_says_the_same(town, on):
    units = [town.tu, *(town.d[n][k] for n in (1, 2, 3) for k in (2, 3)), town.x1a]
    grouped = key_leader_summary_by_root(units, on)
    reports = reports_for_units(KL, units, on)
    for unit in units:
        lines = key_leader_summary(unit=unit, on=on).summary
        assert summary_lines(grouped[unit.pk]) == summary_lines(lines)
        report = reports[unit.pk]
        for level in ("district", "commune"):
            mine = [s for s in lines if s.level == level]
            assert (report.value(level, "posts"), report.value(level, "held"),
                    report.value(level, "not_local"), report.value(level, "unknown")) == (
                sum(s.posts for s in mine), sum(s.held for s in mine),
                sum(s.not_local for s in mine), sum(s.unknown for s in mine))  # fmt: skip
    everything = key_leader_summary_by_root(None, on)[None]
    assert summary_lines(everything) == summary_lines(key_leader_summary(unit=town.tu, on=on)
                                                      .summary)  # fmt: skip
    by_level = key_leader_summary_by_root([town.tu], on, level=UnitLevel.COMMUNE)[town.tu.pk]
    assert summary_lines(by_level) == summary_lines(
        key_leader_summary(unit=town.tu, on=on, level=UnitLevel.COMMUNE).summary)


def test_units_in_one_statement(town, django_assert_num_queries):
    parties = [town.d[n][2] for n in (1, 2, 3)]
    with django_assert_num_queries(1):
        small = reports_for_units(KL, parties, D2018)
    # HU1: P1 local and commune 1A's P9 (under HU1); HU2: P2; HU3: P3, not local.
    assert [line(small[u.pk], "total") for u in parties] == [
        (2, 2, 0, 0, Decimal("0.00"), 2, 0),
        (1, 1, 0, 1, Decimal("100.00"), 0, 0),
        (1, 1, 0, 1, Decimal("100.00"), 0, 0),
    ]
    for n in (4, 5, 6, 7):
        parties.append(district(town.province, n, town.tu, town.titles)[2])
    with django_assert_num_queries(1):
        big = reports_for_units(KL, parties, D2018)
    assert [big[u.pk].value("total", "vacant") for u in parties[3:]] == [1] * 4
    assert small[parties[0].pk].counts == big[parties[0].pk].counts
    with django_assert_num_queries(1):
        report_for(KL, unit=town.tu, on=D2018)
    with django_assert_num_queries(2):  # two depths
        mixed = reports_for_units(KL, [town.tu, *parties], D2018)
    assert mixed[town.tu.pk].value("total", "posts") == 7 + 4 * 2


def test_after_the_merger_and_within_a_users_scope(world):
    """The rotation figures' world on 30/06/2026: Hải (TU-BT) is local to the province, An
    (XA-BT) comes from commune B: the same lines as those figures' non-local table."""
    build(world)
    report = report_for(KL, unit=world.tu, on=AS_OF)
    assert line(report, "total") == (2, 2, 0, 1, Decimal("50.00"), 1, 0)
    assert line(report, "province_head") == (1, 1, 0, 0, Decimal("0.00"), 1, 0)
    assert line(report, "commune_head") == (1, 1, 0, 1, Decimal("100.00"), 0, 0)
    mine = report_for(KL, unit=world.tu, on=AS_OF, user=world.viewer_a)
    assert line(mine, "total") == (1, 1, 0, 1, Decimal("100.00"), 0, 0)  # XA only
