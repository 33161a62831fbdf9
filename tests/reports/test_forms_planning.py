"""M1A / M1B on the planning figures' designed world: exact answers, the same figures as
`planning.figures`, the tree before the 2025 merger, a fixed number of queries.

The world is `tests/planning/test_figures_reference.designed` (read its table): on
AS_OF (01/03/2026) the plans of TU's subtree (TU, its Ban Tổ chức BTC, communes XA and
XB) name ten people: Quân, Phúc, Lực (TU); Thảo, Yến, Mơ, Nga, Ổn, Sâm (BTC); Uyên and
Lực again (XA). The central plan (TW) names Hạnh and Quân.
"""

import datetime as dt
from decimal import Decimal

import pytest

from canbo.organizations.choices import ManagementLevel, UnitKind, UnitLevel
from canbo.organizations.models import PositionTitle, Unit
from canbo.planning.figures import figures_by_child_unit, figures_total
from canbo.planning.models import Plan
from canbo.reports.forms import FORMS, form_named
from canbo.reports.forms.planning import counts_of
from canbo.reports.selectors import report_for, reports_for_units
from tests.factories import make_unit
from tests.planning.conftest import AS_OF
from tests.planning.factories import PlanEntryFactory, PlanFactory, make_person, make_position
from tests.planning.test_figures_reference import designed  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

M1A, M1B = form_named("M1A"), form_named("M1B")
MERGER, BEFORE = dt.date(2025, 7, 1), dt.date(2024, 12, 31)


@pytest.fixture
def plans(request):
    """The designed world of the planning figures' reference test."""
    return request.getfixturevalue("designed")


def row(report, code):
    return {c.code: report.value(code, c.code) for c in report.form.columns}


def counted(report, code):
    return {c.code: report.value(code, c.code) for c in report.form.count_columns}


def test_registered():
    assert [code for code in FORMS if code.startswith("M1")] == ["M1A", "M1B"]
    assert (M1A.variant, M1B.variant) == ("A", "B")
    assert all(c.how for c in M1A.columns) and all(r.how for r in M1A.rows + M1B.rows)


def test_province_by_level_of_the_post(world, plans):
    report = report_for(M1A, unit=world.tu, on=AS_OF)
    assert row(report, "total") == {
        "positions": 8, "planned": 10, "coefficient": Decimal("1.25"),
        "no_successor": 3,  # TU's CT, XA's X-PBT, XB's XB-BT
        "women": 5, "women_share": Decimal("50.00"),  # Thảo, Yến, Mơ, Nga, Uyên
        "young": 3, "young_share": Decimal("30.00"),  # Lực, Nga, Sâm (under 40)
        "minority": 4, "minority_share": Decimal("40.00"),  # Quân, Ổn, Thảo, Uyên
        "age_1": 3, "age_2": 3, "age_3": 3,  # Phúc, Mơ, Ổn 40–44; Quân, Thảo, Yến 45+
        "postgraduate": 2, "postgraduate_share": Decimal("20.00"),  # Quân, Thảo
        "theory_high": 3, "theory_high_share": Decimal("30.00"),  # Quân, Phúc, Thảo
    }  # fmt: skip
    province = row(report, "province")
    assert (province["positions"], province["planned"], province["young"],
            province["age_3"]) == (5, 9, 3, 3)  # fmt: skip
    commune = row(report, "commune")
    # Uyên and Lực at XA: a commune plan has no "young" threshold.
    assert (commune["positions"], commune["planned"], commune["coefficient"], commune["young"],
            commune["women"], commune["minority"]) == (3, 2, Decimal("0.67"), 0, 1, 1)  # fmt: skip
    assert row(report, "central")["planned"] == 0
    assert row(report, "central")["coefficient"] is None
    assert row(report, "district")["women_share"] is None


def test_the_planning_figures_say_the_same(world, plans):
    """The total row is `figures_total`, the communes' `figures_by_child_unit`."""
    in_tu = Plan.objects.filter(planning_unit__path__startswith=world.tu.path)
    report = report_for(M1A, unit=world.tu, on=AS_OF)
    assert counted(report, "total") == counts_of(figures_total(in_tu, AS_OF))
    whole = report_for(M1A, unit=None, on=AS_OF)
    assert counted(whole, "total") == counts_of(figures_total(Plan.objects.all(), AS_OF))
    assert whole.value("total", "planned") == 11  # Hạnh and the ten
    assert whole.value("central", "planned") == 2
    children = figures_by_child_unit(world.tu, Plan.objects.all(), AS_OF)
    by_unit = reports_for_units(M1A, [world.xa, world.xb], AS_OF)
    for unit in (world.xa, world.xb):
        assert counted(by_unit[unit.pk], "total") == counts_of(children[unit.path])
    assert row(by_unit[world.xb.pk], "total")["coefficient"] == Decimal("0.00")
    assert by_unit[world.xa.pk].value("commune", "planned") == 2


def test_form_b_by_who_manages_the_post(world, plans):
    PositionTitle.objects.filter(code__in=["TW-BT", "BT"]).update(
        management_level=ManagementLevel.CENTRAL
    )
    report = report_for(M1B, unit=None, on=AS_OF)
    central = row(report, "central_managed")
    # TW-BT (Hạnh, Quân), BT (Quân, Phúc): Quân is middle-aged in the central plan (45,
    # under 45 + 5) and older in the province's (40 + 5): in both brackets, as in figures.
    assert (central["positions"], central["planned"], central["young"], central["age_1"],
            central["age_2"], central["age_3"]) == (2, 3, 1, 1, 2, 1)  # fmt: skip
    assert central["coefficient"] == Decimal("1.50")
    province = row(report, "province_managed")
    assert (province["positions"], province["planned"]) == (7, 9)
    assert row(report, "unit_managed")["planned"] == 0
    assert counted(report, "total") == counted(report_for(M1A, unit=None, on=AS_OF), "total")


def test_narrative(world, plans):
    text = M1A.narrative(report_for(M1A, unit=world.tu, on=AS_OF))
    assert text == (
        "Tại ngày 01/03/2026, quy hoạch bao quát 8 chức danh với 10 người được quy hoạch "
        "(hệ số 1,25); nữ 5 người (50,00%); cán bộ trẻ 3 người (30,00%); người dân tộc "
        "thiểu số 4 người (40,00%); 3 chức danh chưa có người quy hoạch."
    )


def test_before_the_merger_the_old_units_count(world, plans):
    """A district (to 30/06/2025) and its plan count before the merger, not after; the
    communes of 01/07/2025 count after it only, their entries dated earlier or not."""
    for unit in (world.xa, world.xb):
        Unit.objects.filter(pk=unit.pk).update(valid_from=MERGER)
    hu = make_unit("HU", "Huyện ủy Cũ", world.tu, UnitKind.PARTY_COMMITTEE, UnitLevel.DISTRICT,
                   valid_to=dt.date(2025, 6, 30))  # fmt: skip
    post = make_position(hu, "HU-BT", "Bí thư Huyện ủy", 60, level=UnitLevel.DISTRICT)
    old = PlanFactory(planning_unit=hu, name="Huyện ủy 2020–2025")
    for i, sex in enumerate("FM"):
        person = make_person("Cũ", "", f"Người {i}", sex, dt.date(1980, 1, 1),
                             id_number=f"00109900{i:04d}")  # fmt: skip
        PlanEntryFactory(plan=old, person=person, position=post, added_on=dt.date(2021, 1, 1))
    before = report_for(M1A, unit=world.tu, on=BEFORE)
    assert row(before, "district")["planned"] == 2 and row(before, "district")["women"] == 1
    # XA's entries were dated 01/01/2024, but XA did not exist yet; TU and BTC did.
    assert row(before, "commune")["positions"] == 0
    # TU and BTC then: Vĩnh and Nga not yet removed, Xuân not yet added; HU's two.
    assert (row(before, "total")["planned"], row(before, "total")["positions"]) == (12, 6)
    # No rule set was in force: no "young" threshold, no brackets.
    assert (row(before, "total")["young"], row(before, "total")["age_1"]) == (0, 0)
    by_unit = reports_for_units(M1A, [hu, world.xa], BEFORE)
    assert by_unit[hu.pk].value("total", "planned") == 2
    assert by_unit[world.xa.pk].value("total", "planned") == 0
    now = report_for(M1A, unit=world.tu, on=AS_OF)
    assert row(now, "district")["planned"] == 0  # HU no longer exists: its plan is not read
    assert row(now, "total")["planned"] == 10


def _more_communes(world, n):
    for i in range(n):
        unit = make_unit(f"XM{i}", f"Xã {i}", world.tu, UnitKind.PARTY_COMMITTEE,
                         UnitLevel.COMMUNE)  # fmt: skip
        post = make_position(unit, f"XM{i}-BT", "Bí thư", 40, level=UnitLevel.COMMUNE)
        person = make_person("Mới", "", f"Số {i}", "F", dt.date(1990, 1, 1),
                             id_number=f"00209900{i:04d}")  # fmt: skip
        PlanEntryFactory(plan=PlanFactory(planning_unit=unit), person=person, position=post)
        yield unit


def test_a_fixed_number_of_queries_whatever_the_number_of_units(world, plans,
                                                              django_assert_num_queries):  # fmt: skip
    # The rule set (2), then for one root one statement, for many two (split, totals).
    with django_assert_num_queries(3):
        report_for(M1A, unit=world.tu, on=AS_OF)
    with django_assert_num_queries(4):
        small = reports_for_units(M1A, [world.xa, world.xb], AS_OF)
    more = list(_more_communes(world, 6))
    with django_assert_num_queries(4):
        big = reports_for_units(M1B, [world.xa, world.xb, *more], AS_OF)
    alone = reports_for_units(M1A, [world.xa], AS_OF)[world.xa.pk]
    assert small[world.xa.pk].counts == alone.counts
    assert [big[u.pk].value("total", "planned") for u in more] == [1] * 6
    assert big[world.xa.pk].value("total", "planned") == 2
    # Two depths: TU alone at its depth (one statement), the communes at theirs (two).
    with django_assert_num_queries(5):
        mixed = reports_for_units(M1A, [world.tu, world.xa, *more], AS_OF)
    assert mixed[world.tu.pk].value("total", "planned") == 16
