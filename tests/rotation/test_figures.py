"""Rotation figures (M2A/M2B): rotations by kind, purpose, direction and levels, in and out
of a subtree, by status; non-local key posts; two-term compliance; fixed query count."""

import datetime as dt
from decimal import Decimal

import pytest

from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.people.leaders_summary import key_leader_summary
from canbo.rotation.figures import rotation_figures
from canbo.rules.selectors import rule_set_in_force
from tests.factories import make_unit
from tests.planning.factories import hold, make_person, make_position

from .figure_data import AS_OF, build, head

pytestmark = pytest.mark.django_db


def tally(row):
    t = row.tally
    return (t.under_way, t.ended, t.intended, t.within, t.into, t.out_of)


def table(rows):
    return [(r.code, tally(r), r.share) for r in rows if any(tally(r))]


@pytest.fixture
def data(world):
    return build(world)


def test_the_province_figures(world, data):
    f = rotation_figures(unit=world.tu, on=AS_OF)
    # An under way, Cư ended (both within the province), Dũng intended; Em decided later.
    assert (f.total.under_way, f.total.ended, f.total.intended, f.total.within, f.total.into,
            f.total.out_of, f.total.decided) == (1, 1, 1, 2, 0, 0, 2)  # fmt: skip
    assert table(f.by_kind) == [
        ("rotation", (1, 0, 1, 1, 0, 0), Decimal("50.00")),
        ("transfer", (0, 1, 0, 1, 0, 0), Decimal("50.00")),
    ]
    assert [r.code for r in f.by_kind] == ["rotation", "transfer", "secondment", "reinforcement"]
    assert f.by_kind[2].share == Decimal("0.00")
    assert table(f.by_purpose) == [
        ("training", (1, 0, 1, 1, 0, 0), Decimal("50.00")),
        ("non_local", (0, 1, 0, 1, 0, 0), Decimal("50.00")),
    ]
    # Department (state, province) → commune committee (party): down, across both.
    assert table(f.by_direction) == [
        ("up", (0, 0, 1, 0, 0, 0), Decimal("0.00")),
        ("down", (1, 1, 0, 2, 0, 0), Decimal("100.00")),
        ("localities", (1, 1, 1, 2, 0, 0), Decimal("100.00")),
        ("sectors", (1, 1, 1, 2, 0, 0), Decimal("100.00")),
    ]
    assert [(r.code, r.label, tally(r)) for r in f.by_levels] == [
        ("province>commune", "Cấp tỉnh → Cấp xã", (1, 1, 0, 2, 0, 0)),
        ("commune>province", "Cấp xã → Cấp tỉnh", (0, 0, 1, 0, 0, 0)),
    ]
    # Two-term compliance: Hải beyond, Khoa at the limit, Lan's department not judged.
    assert [(r.level, r.heads, r.judged, r.within_limit, r.at_limit, r.beyond_limit)
            for r in f.term_limits] == [
        ("province", 2, 1, 0, 0, 1),
        ("commune", 3, 3, 3, 1, 0),
        (None, 5, 4, 3, 1, 1),
    ]  # fmt: skip
    assert (f.term_limits[-1].within_share, f.term_limits[-1].beyond_share) == (
        Decimal("75.00"), Decimal("25.00"))  # fmt: skip
    assert f.max_terms == 2
    # Before any rule set is in force, R5's defaults (two terms, 30 months).
    assert rotation_figures(unit=world.tu, on=dt.date(2015, 1, 1)).max_terms == 2
    # Non-local key posts: the key leaders' own summary, not counted again.
    assert [(s.title.code, s.level, s.posts, s.held, s.not_local, s.share_not_local)
            for s in f.non_local] == [
        (s.title.code, s.level, s.posts, s.held, s.not_local, s.share_not_local)
        for s in key_leader_summary(unit=world.tu, on=AS_OF).summary
    ] == [("TU-BT", "province", 1, 1, 0, Decimal("0.00")),
          ("XA-BT", "commune", 1, 1, 1, Decimal("100.00"))]  # fmt: skip


def test_a_commune_sees_rotations_in_and_out(world, data):
    f = rotation_figures(unit=world.xa, on=AS_OF)
    assert (f.total.under_way, f.total.ended, f.total.intended, f.total.within, f.total.into,
            f.total.out_of) == (1, 0, 1, 0, 1, 0)  # fmt: skip
    assert table(f.by_direction)[:2] == [
        ("up", (0, 0, 1, 0, 0, 0), Decimal("0.00")),
        ("down", (1, 0, 0, 0, 1, 0), Decimal("100.00")),
    ]
    # Later, Em's reinforcement (from no recorded post) is under way and counts in.
    later = rotation_figures(unit=world.xa, on=dt.date(2026, 11, 30))
    assert (later.total.under_way, later.total.into) == (2, 2)
    assert [r.code for r in later.by_levels] == ["province>commune", "commune>province",
                                                 ">commune"]  # fmt: skip
    assert later.by_levels[2].label == "– → Cấp xã"
    b = rotation_figures(unit=world.xb, on=AS_OF)
    assert (b.total.ended, b.total.into, b.term_limits[-1].heads) == (1, 1, 1)


def test_a_parameter_of_r5_changes_the_compliance(world, data):
    rules = rule_set_in_force(AS_OF).with_parameters("R5", max_terms=1)
    f = rotation_figures(unit=world.tu, on=AS_OF, rule_set=rules)
    total = f.term_limits[-1]
    assert (f.max_terms, total.within_limit, total.at_limit, total.beyond_limit) == (1, 2, 2, 2)


def _grow(world, n):
    """`n` more communes, each with a head post held for a term and a rotation into it."""
    from canbo.rotation import services
    from canbo.rotation.choices import RotationKind, RotationPurpose

    snv_pgd = make_position(world.tu, f"TU-CV{n}", "Chuyên viên", 10)
    for i in range(n):
        unit = make_unit(f"XN{n}-{i}", f"Đảng ủy xã {i}", world.tu, UnitKind.PARTY_COMMITTEE,
                         UnitLevel.COMMUNE, area=world.commune_a)  # fmt: skip
        post = head(make_position(unit, f"XN{n}-{i}-BT", "Bí thư", 40, level=UnitLevel.COMMUNE))
        person = make_person("Lê", "Văn", f"Số {i}", "M", dt.date(1980, 1, 1), unit=unit)
        hold(person, snv_pgd, start=dt.date(2018, 1, 1))
        services.rotation_create(
            actor=None, person=person, kind=RotationKind.ROTATION,
            purpose=RotationPurpose.DIFFICULT_AREA, to_position=post, competent_unit=world.tu,
            decision_number="1-QĐ/TU", decision_date=dt.date(2026, 1, 5),
            start_date=dt.date(2026, 1, 15), planned_end=dt.date(2029, 1, 15),
        )  # fmt: skip


def test_a_fixed_number_of_queries_whatever_the_number_of_units(world, data,
                                                              django_assert_num_queries):  # fmt: skip
    rules = rule_set_in_force(AS_OF)
    # Rotations, key leaders' summary, heads held, their tenure (3).
    with django_assert_num_queries(6):
        small = rotation_figures(unit=world.tu, on=AS_OF, rule_set=rules)
    _grow(world, 12)
    with django_assert_num_queries(6):
        big = rotation_figures(unit=world.tu, on=AS_OF, rule_set=rules)
    assert (small.total.decided, big.total.decided) == (2, 14)
    assert (small.term_limits[-1].heads, big.term_limits[-1].heads) == (5, 17)
    # Without heads, the tenure is not read; the rule set is read when not given (2).
    with django_assert_num_queries(2 + 3):
        rotation_figures(unit=world.xb, on=dt.date(2026, 1, 1))


# --- Pages and downloads ------------------------------------------------------------------


def test_the_figures_page_and_the_downloads(client, world, data, admin_user):
    import io

    import openpyxl

    from canbo.core.models import AccessEvent

    client.force_login(admin_user)
    page = client.get(f"/rotation/figures/?unit={world.tu.pk}&as_of=30/06/2026")
    text = page.content.decode()
    assert page.status_code == 200
    assert "2 lượt luân chuyển đã quyết định (1 đang luân chuyển, 1 đã kết thúc) · 1 dự kiến." in text
    assert 'id="by-direction-down"><td>Từ trên xuống</td><td class="text-end">2</td>' in text
    assert "<td>Cấp xã</td><td class=\"text-end\">1</td><td class=\"text-end\">1</td>" in text
    event = AccessEvent.objects.latest("id")
    assert (event.kind, event.actor, "figures unit=TU" in event.query) == ("rotation", admin_user,
                                                                         True)  # fmt: skip
    watch = client.get(f"/rotation/watch.xlsx?unit={world.tu.pk}&as_of=30/06/2026")
    assert watch["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(watch.streaming_content)))
    assert book.sheetnames[1] == "Giới hạn nhiệm kỳ"
    event = AccessEvent.objects.latest("id")
    assert event.kind == "document"
    assert f" {data.hai.pk} " in event.person_ids and f" {data.khoa.pk} " in event.person_ids
    for fmt in ("xlsx", "docx"):
        got = client.get(f"/rotation/plans/{data.plan.pk}/{fmt}/?as_of=30/06/2026")
        assert got.status_code == 200 and f".{fmt}" in got["Content-Disposition"]
        assert AccessEvent.objects.latest("id").person_ids.strip() == str(data.dung.pk)


def test_out_of_scope_plans_are_not_found(client, world, data):
    client.force_login(world.viewer_a)  # commune A: the province's plan is out of scope
    assert client.get(f"/rotation/plans/{data.plan.pk}/xlsx/").status_code == 404
    page = client.get("/rotation/figures/")
    assert page.status_code == 200 and "Đảng ủy xã An Bình" in page.content.decode()
