"""M2A / M2B on the rotation figures' designed data: exact answers, the same counts as
`rotation.figures` for each unit, many units in one statement, the tree before 2025.

The data is `tests/rotation/figure_data.build` (read its table): on AS_OF (30/06/2026),
An's rotation SNV → XA is under way, Cư's SNV → XB ended, Dũng's XA → SNV intended, Em's
is decided later (not counted).
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.organizations.models import Unit
from canbo.reports.forms import form_named
from canbo.reports.forms.rotation import counts_of
from canbo.reports.selectors import report_for, reports_for_units
from canbo.rotation import services
from canbo.rotation.choices import RotationKind, RotationOutcome, RotationPurpose
from canbo.rotation.figures import (
    rotation_figures,
    rotation_rows,
    rotation_rows_by_root,
    rotation_tables,
)
from tests.factories import make_unit
from tests.planning.factories import hold, make_person, make_position
from tests.rotation.figure_data import AS_OF, build

pytestmark = pytest.mark.django_db

M2A, M2B = form_named("M2A"), form_named("M2B")
STATUS = ("decided", "under_way", "ended", "intended", "within", "into", "out_of")
BEFORE = dt.date(2024, 12, 31)


@pytest.fixture
def data(world):
    return build(world)


def line(report, row):
    return tuple(report.value(row, c) for c in STATUS)


def test_the_province(world, data):
    report = report_for(M2A, unit=world.tu, on=AS_OF)
    assert line(report, "total") == (2, 1, 1, 1, 2, 0, 0)
    # Department (province) → commune committees: down, across localities and sectors.
    assert line(report, "dir_down") == (2, 1, 1, 0, 2, 0, 0)
    assert line(report, "dir_up") == (0, 0, 0, 1, 0, 0, 0)  # Dũng, intended
    assert line(report, "dir_same") == (0,) * 7
    assert line(report, "dir_localities") == (2, 1, 1, 1, 2, 0, 0)
    assert line(report, "dir_sectors") == (2, 1, 1, 1, 2, 0, 0)
    assert line(report, "kind_rotation") == (1, 1, 0, 1, 1, 0, 0)
    assert line(report, "kind_transfer") == (1, 0, 1, 0, 1, 0, 0)
    assert line(report, "purpose_training") == (1, 1, 0, 1, 1, 0, 0)
    assert line(report, "purpose_non_local") == (1, 0, 1, 0, 1, 0, 0)
    assert line(report, "purpose_other") == (0,) * 7
    assert all(c.how for c in M2A.columns) and all(r.how for r in M2A.rows + M2B.rows)


def test_units_in_one_statement_see_each_side(world, data, django_assert_num_queries):
    """An's rotation is out of SNV and into XA; Dũng's (intended) out of XA, into SNV."""
    with django_assert_num_queries(1):
        by_unit = reports_for_units(M2A, [world.xa, world.xb, data.snv], AS_OF)
    assert line(by_unit[world.xa.pk], "total") == (1, 1, 0, 1, 0, 1, 0)
    assert line(by_unit[world.xb.pk], "total") == (1, 0, 1, 0, 0, 1, 0)
    assert line(by_unit[data.snv.pk], "total") == (2, 1, 1, 1, 0, 0, 2)
    # Later Em's reinforcement (no post left) is under way and comes into XA.
    later = reports_for_units(M2A, [world.xa, data.snv], dt.date(2026, 11, 30))
    assert line(later[world.xa.pk], "total") == (2, 2, 0, 1, 0, 2, 0)
    assert line(later[world.xa.pk], "dir_same") == (1, 1, 0, 0, 0, 1, 0)


def test_the_rotation_figures_say_the_same(world, data):
    """For every unit and date: the same groups as `rotation_rows`, the same tallies as
    `rotation_figures`."""
    units = [world.tu, world.xa, world.xb, data.snv]
    for on in (AS_OF, dt.date(2026, 3, 31), dt.date(2026, 11, 30)):
        grouped = rotation_rows_by_root(units, on)
        reports = reports_for_units(M2A, units, on)
        for unit in units:
            plain = rotation_rows(unit, on)
            assert sorted(grouped[unit.pk], key=str) == sorted(plain, key=str)
            assert rotation_tables(grouped[unit.pk]) == rotation_tables(plain)
            f = rotation_figures(unit=unit, on=on)
            report = reports[unit.pk]
            assert line(report, "total") == (
                f.total.decided, f.total.under_way, f.total.ended, f.total.intended,
                f.total.within, f.total.into, f.total.out_of)  # fmt: skip
            for rows, prefix in ((f.by_kind, "kind_"), (f.by_purpose, "purpose_"),
                                 (f.by_direction, "dir_")):  # fmt: skip
                for r in rows:
                    t = r.tally
                    assert line(report, prefix + r.code) == (
                        t.decided, t.under_way, t.ended, t.intended, t.within, t.into,
                        t.out_of)  # fmt: skip
    everything = rotation_rows_by_root(None, AS_OF)[None]
    assert rotation_tables(everything) == rotation_tables(rotation_rows(Unit(path=""), AS_OF))


def test_scope_counts_posts_outside_as_outside(world, data):
    """Commune A's viewer: of TU's subtree only XA is in sight."""
    report = report_for(M2A, unit=world.tu, on=AS_OF, user=world.viewer_a)
    assert line(report, "total") == (1, 1, 0, 1, 0, 1, 0)  # An in; Dũng out (intended)


def test_narrative(world, data):
    text = M2A.narrative(report_for(M2A, unit=world.tu, on=AS_OF))
    assert text == (
        "Tại ngày 30/06/2026, có 2 lượt luân chuyển, điều động đã quyết định (1 đang thực "
        "hiện, 1 đã kết thúc) và 1 lượt dự kiến; từ trên xuống 2, từ dưới lên 0, cùng cấp 0; "
        "giữa các địa phương 2, giữa các ngành, lĩnh vực 2 (lượt đã quyết định)."
    )


@pytest.fixture
def central(world):
    """A central committee TW over two central bodies (BNV, BTC) and a province TP:
    Hùng BNV-V → TP-PCT (under way), Khánh TP-GD → BNV-PV (ended), Long BNV-PV → BTC-V
    (under way), all started in 2026."""
    tw = make_unit("TWX", "Trung ương", level=UnitLevel.CENTRAL)
    bnv = make_unit("BNV", "Bộ Nội vụ", tw, UnitKind.CENTRAL_BODY, UnitLevel.CENTRAL)
    btc = make_unit("BTCTW", "Ban Tổ chức Trung ương", tw, UnitKind.CENTRAL_BODY,
                    UnitLevel.CENTRAL)  # fmt: skip
    tp = make_unit("TP", "Tỉnh ủy TP", tw, UnitKind.PARTY_COMMITTEE, UnitLevel.PROVINCE,
                   area=world.province)  # fmt: skip
    c = SimpleNamespace(tw=tw, bnv=bnv, btc=btc, tp=tp)
    posts = {code: make_position(unit, code, code, rank, level=unit.level)
             for unit, code, rank in [(bnv, "BNV-V", 70), (bnv, "BNV-PV", 60),
                                      (btc, "BTC-V", 70), (tp, "TP-PCT", 80),
                                      (tp, "TP-GD", 70)]}  # fmt: skip

    def move(given, leaves, takes, kind, start, end=None):
        person = make_person("Trung", "Văn", given, "M", dt.date(1980, 1, 1))
        hold(person, posts[leaves], dt.date(2020, 1, 1))
        rotation = services.rotation_create(
            actor=None, person=person, kind=kind, purpose=RotationPurpose.TRAINING,
            to_position=posts[takes], from_position=posts[leaves], competent_unit=tw,
            decision_number="1-QĐ/TW", decision_date=start - dt.timedelta(days=5),
            start_date=start, planned_end=start + dt.timedelta(days=3 * 366),
        )  # fmt: skip
        if end:
            services.rotation_end(actor=None, rotation=rotation, actual_end=end,
                                  outcome=RotationOutcome.RETURNED)  # fmt: skip
        return rotation

    move("Hùng", "BNV-V", "TP-PCT", RotationKind.ROTATION, dt.date(2026, 1, 15))
    move("Khánh", "TP-GD", "BNV-PV", RotationKind.TRANSFER, dt.date(2026, 2, 1),
         dt.date(2026, 5, 1))
    move("Long", "BNV-PV", "BTC-V", RotationKind.ROTATION, dt.date(2026, 3, 1))
    return c


def test_form_b_by_the_central_level(world, central, django_assert_num_queries):
    report = report_for(M2B, unit=central.tw, on=AS_OF)
    assert line(report, "total") == (3, 2, 1, 0, 3, 0, 0)
    assert line(report, "from_central") == (1, 1, 0, 0, 1, 0, 0)  # Hùng
    assert line(report, "to_central") == (1, 0, 1, 0, 1, 0, 0)  # Khánh
    assert line(report, "within_central") == (1, 1, 0, 0, 1, 0, 0)  # Long
    assert line(report, "other_levels") == (0,) * 7
    with django_assert_num_queries(1):
        by_unit = reports_for_units(M2B, [central.bnv, central.btc, central.tp], AS_OF)
    # BNV: Hùng and Long out, Khánh in; BTC: Long in; TP: Hùng in, Khánh out.
    assert line(by_unit[central.bnv.pk], "total") == (3, 2, 1, 0, 0, 1, 2)
    assert line(by_unit[central.btc.pk], "within_central") == (1, 1, 0, 0, 0, 1, 0)
    assert line(by_unit[central.tp.pk], "total") == (2, 1, 1, 0, 0, 1, 1)
    assert M2B.narrative(report).endswith(
        "từ Trung ương về địa phương 1, từ địa phương về Trung ương 1, giữa các cơ quan Trung "
        "ương 1 (lượt đã quyết định)."
    )
    # The province's own M2B: the world's rotations are between local levels.
    assert line(report_for(M2B, unit=world.tu, on=AS_OF), "other_levels")[0] == 0


def test_before_the_merger(world, data):
    """A 2024 rotation into a district committee that ended on 30/06/2025 counts for the
    district and its province at 31/12/2024; the communes of 2025 see nothing then."""
    hu = make_unit("HU", "Huyện ủy Cũ", world.tu, UnitKind.PARTY_COMMITTEE, UnitLevel.DISTRICT,
                   valid_to=dt.date(2025, 6, 30))  # fmt: skip
    post = make_position(hu, "HU-PBT", "Phó Bí thư Huyện ủy", 55, level=UnitLevel.DISTRICT)
    services.rotation_create(
        actor=None, person=data.lan, kind=RotationKind.ROTATION,
        purpose=RotationPurpose.TRAINING, to_position=post, from_position=data.gd,
        competent_unit=world.tu, decision_number="9-QĐ/TU", decision_date=dt.date(2024, 3, 1),
        start_date=dt.date(2024, 3, 15), planned_end=dt.date(2027, 3, 15),
    )  # fmt: skip
    by_unit = reports_for_units(M2A, [world.tu, hu, world.xa], BEFORE)
    assert line(by_unit[world.tu.pk], "total") == (1, 1, 0, 1, 1, 0, 0)  # + Dũng intended
    assert line(by_unit[world.tu.pk], "dir_down") == (1, 1, 0, 0, 1, 0, 0)
    assert line(by_unit[hu.pk], "total") == (1, 1, 0, 0, 0, 1, 0)
    assert line(by_unit[world.xa.pk], "total") == (0, 0, 0, 1, 0, 0, 0)  # Dũng's plan only


def test_a_fixed_number_of_queries_whatever_the_number_of_units(world, data,
                                                              django_assert_num_queries):  # fmt: skip
    post = make_position(world.tu, "TU-CV", "Chuyên viên", 10)
    more = []
    for i in range(6):
        unit = make_unit(f"XN{i}", f"Xã {i}", world.tu, UnitKind.PARTY_COMMITTEE,
                         UnitLevel.COMMUNE, area=world.commune_a)  # fmt: skip
        to = make_position(unit, f"XN{i}-BT", "Bí thư", 40, level=UnitLevel.COMMUNE)
        person = make_person("Lê", "Văn", f"Số {i}", "M", dt.date(1980, 1, 1))
        hold(person, post, dt.date(2018, 1, 1))
        services.rotation_create(
            actor=None, person=person, kind=RotationKind.ROTATION,
            purpose=RotationPurpose.DIFFICULT_AREA, to_position=to, competent_unit=world.tu,
            decision_number="1-QĐ/TU", decision_date=dt.date(2026, 1, 5),
            start_date=dt.date(2026, 1, 15), planned_end=dt.date(2029, 1, 15),
        )  # fmt: skip
        more.append(unit)
    with django_assert_num_queries(1):
        report_for(M2A, unit=world.tu, on=AS_OF)
    with django_assert_num_queries(1):
        few = reports_for_units(M2A, [world.xa, world.xb], AS_OF)
    with django_assert_num_queries(1):
        many = reports_for_units(M2A, [world.xa, world.xb, data.snv, *more], AS_OF)
    assert few[world.xa.pk].counts == many[world.xa.pk].counts
    assert [line(many[u.pk], "purpose_difficult_area")[0] for u in more] == [1] * 6
    with django_assert_num_queries(2):  # two depths
        mixed = reports_for_units(M2A, [world.tu, *more], AS_OF)
    assert mixed[world.tu.pk].value("total", "decided") == 8
    assert counts_of([], "A")[("total", "decided")] == 0
