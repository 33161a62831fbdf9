"""Key leaders at a date over a synthetic city (issue 13): holders, locality per post, shares.

Areas: province 01 with the pre-2025 districts cu-D1, cu-D2, cu-D3 (each with a commune
cu-D1a …) and the 2025 communes N1 (from cu-D1a) and N3 (from cu-D3a). Units: Tỉnh ủy TU,
district party committees HU1–3 and People's Committees UB1–3 (valid until 30/06/2025), a
commune party committee X1a. District leaders' records are kept one level up (TU),
commune leaders' at their district: locality is judged against the post, not the record.
"""

from __future__ import annotations

import datetime as dt

import pytest

from canbo.organizations.choices import AreaKind, AreaLevel, UnitKind, UnitLevel
from canbo.organizations.models import AreaSuccession, Position, PositionTitle
from canbo.people.leaders import key_leaders
from canbo.people.leaders_summary import key_leader_summary
from canbo.people.models import Assignment, Person
from tests.factories import PersonFactory, make_area, make_unit

pytestmark = pytest.mark.django_db

OLD = {"valid_to": dt.date(2025, 6, 30)}
D2015, D2018, D2026 = dt.date(2015, 6, 30), dt.date(2018, 11, 30), dt.date(2026, 1, 15)


def district(province, n, tu, titles, old_commune_kind=AreaKind.COMMUNE):
    area = make_area(f"cu-D{n}", f"Huyện {n}", province, AreaKind.DISTRICT, AreaLevel.DISTRICT, **OLD)
    commune = make_area(f"cu-D{n}a", f"Xã {n}A", area, old_commune_kind, AreaLevel.COMMUNE, **OLD)
    party = make_unit(f"HU{n}", f"Huyện ủy {n}", tu, UnitKind.PARTY_COMMITTEE, UnitLevel.DISTRICT,
                      area=area, **OLD)  # fmt: skip
    council = make_unit(f"UB{n}", f"UBND huyện {n}", tu, UnitKind.PEOPLES_COMMITTEE,
                        UnitLevel.DISTRICT, area=area, **OLD)  # fmt: skip
    seats = {
        "bt": Position.objects.create(unit=party, title=titles["bt"]),
        "pbt": Position.objects.create(unit=party, title=titles["pbt"]),
        "ct": Position.objects.create(unit=council, title=titles["ct"]),
    }
    return area, commune, party, council, seats


@pytest.fixture
def city(db):
    province = make_area("01", "Tỉnh Thử Nghiệm")
    tu = make_unit("TU", "Tỉnh ủy", area=province)
    titles = {
        "bt": PositionTitle.objects.create(code="bt-huyen", name="Bí thư Huyện ủy",
                                           level=UnitLevel.DISTRICT, rank=90, is_key=True),
        "ct": PositionTitle.objects.create(code="ct-huyen", name="Chủ tịch UBND huyện",
                                           level=UnitLevel.DISTRICT, rank=80, is_key=True),
        "pbt": PositionTitle.objects.create(code="pbt-huyen", name="Phó Bí thư Huyện ủy",
                                            level=UnitLevel.DISTRICT, rank=85, is_key=False),
        "btx": PositionTitle.objects.create(code="bt-xa", name="Bí thư Đảng ủy xã",
                                            level=UnitLevel.COMMUNE, rank=50, is_key=True),
    }  # fmt: skip
    d = {n: district(province, n, tu, titles) for n in (1, 2, 3)}
    n1 = make_area("N1", "Xã Mới 1", province, AreaKind.COMMUNE, AreaLevel.COMMUNE)
    n3 = make_area("N3", "Xã Mới 3", province, AreaKind.COMMUNE, AreaLevel.COMMUNE)
    for old, new in ((d[1][1], n1), (d[3][1], n3)):
        AreaSuccession.objects.create(predecessor=old, successor=new,
                                      effective_date=dt.date(2025, 7, 1))  # fmt: skip
    x1a = make_unit("X1a", "Đảng ủy xã 1A", d[1][2], UnitKind.PARTY_COMMITTEE, UnitLevel.COMMUNE,
                    area=d[1][1], **OLD)  # fmt: skip
    x1a_bt = Position.objects.create(unit=x1a, title=titles["btx"])

    def person(key, hometown, record_unit):
        return PersonFactory(given_name=key, hometown=hometown, unit=record_unit)

    def hold(p, position, start, end=None, end_precision="D"):
        return Assignment.objects.create(
            person=p, position=position, start_date=start, end_date=end,
            end_precision=end_precision, unit_name=position.unit.name,
            title_name=position.title.name,
        )  # fmt: skip

    people = {
        # p1: secretary of district 1 and its People's Committee chair: local, holds both.
        "p1": person("P1", d[1][1], tu),
        "p2": person("P2", d[1][1], tu),  # district 2's secretary, from district 1
        "p3": person("P3", n1, tu),  # district 3's secretary, hometown recorded as 2025's N1
        "p4": person("P4", d[2][1], tu),  # district 2's chair, local
        "p5": person("P5", n3, tu),  # district 3's chair: N3 came from cu-D3a, local
        "p7": person("P7", d[2][1], tu),  # district 1's former secretary, not local
        "p8": person("P8", d[3][1], tu),  # district 1's deputy secretary: not a key post
        "p9": person("P9", d[1][1], d[1][2]),  # commune 1A's secretary, record at the district
    }
    hold(people["p1"], d[1][4]["bt"], dt.date(2016, 1, 1))
    hold(people["p1"], d[1][4]["ct"], dt.date(2017, 3, 1))
    hold(people["p2"], d[2][4]["bt"], dt.date(2015, 10, 1))
    hold(people["p3"], d[3][4]["bt"], dt.date(2015, 10, 1))
    hold(people["p4"], d[2][4]["ct"], dt.date(2014, 1, 1), dt.date(2019, 12, 31))
    hold(people["p5"], d[3][4]["ct"], dt.date(2015, 1, 1))
    hold(people["p7"], d[1][4]["bt"], dt.date(2010, 1, 1), dt.date(2015, 1, 1), "Y")  # "đến 2015"
    hold(people["p8"], d[1][4]["pbt"], dt.date(2015, 1, 1))
    hold(people["p9"], x1a_bt, dt.date(2017, 1, 1))

    class City:
        pass

    c = City()
    c.province, c.tu, c.d, c.people, c.titles, c.x1a = province, tu, d, people, titles, x1a
    return c


def summary(result):
    return [(s.title.code, s.level, s.posts, s.held, s.not_local, s.unknown,
             s.share_not_local) for s in result.summary]  # fmt: skip


def holders(result):
    return [(p.unit.code, p.title.code, p.person.given_name if p.person else None, p.local)
            for p in result.posts]  # fmt: skip


def test_key_leaders_in_2018_judge_each_post_against_its_own_district(city):
    result = key_leaders(unit=city.tu, on=D2018)
    assert holders(result) == [
        ("HU1", "bt-huyen", "P1", True),
        ("X1a", "bt-xa", "P9", True),
        ("UB1", "ct-huyen", "P1", True),
        ("HU2", "bt-huyen", "P2", False),
        ("UB2", "ct-huyen", "P4", True),
        ("HU3", "bt-huyen", "P3", False),
        ("UB3", "ct-huyen", "P5", True),
    ]
    from decimal import Decimal

    assert summary(result) == [
        ("bt-huyen", "district", 3, 3, 2, 0, Decimal("66.67")),
        ("ct-huyen", "district", 3, 3, 0, 0, Decimal("0.00")),
        ("bt-xa", "commune", 1, 1, 0, 0, Decimal("0.00")),
    ]
    assert [([t.code for t in d.titles], [p.given_name for p in d.people])
            for d in result.doubles] == [(["bt-huyen", "ct-huyen"], ["P1"])]  # fmt: skip


def test_key_leaders_in_2015_are_that_dates_holders(city):
    from decimal import Decimal

    result = key_leaders(unit=city.tu, on=D2015)
    # P7 held district 1 "đến 2015" (a year-only end: through 31/12/2015); P2 and P3 came
    # in October; P1 chaired nothing yet; the commune had no secretary recorded.
    assert holders(result) == [
        ("HU1", "bt-huyen", "P7", False),
        ("X1a", "bt-xa", None, None),
        ("UB1", "ct-huyen", None, None),
        ("HU2", "bt-huyen", None, None),
        ("UB2", "ct-huyen", "P4", True),
        ("HU3", "bt-huyen", None, None),
        ("UB3", "ct-huyen", "P5", True),
    ]
    assert summary(result) == [
        ("bt-huyen", "district", 3, 1, 1, 0, Decimal("100.00")),
        ("ct-huyen", "district", 3, 2, 0, 0, Decimal("0.00")),
        ("bt-xa", "commune", 1, 0, 0, 0, None),
    ]
    assert result.doubles == []


def test_a_level_narrows_the_posts_and_2026_no_longer_sees_the_old_districts(city):
    result = key_leaders(unit=city.tu, on=D2018, level=UnitLevel.COMMUNE)
    assert holders(result) == [("X1a", "bt-xa", "P9", True)]
    assert key_leaders(unit=city.tu, on=D2026).posts == []
    assert holders(key_leaders(unit=city.d[2][2], on=D2018)) == [("HU2", "bt-huyen", "P2", False)]


def test_locality_and_counts_do_not_follow_the_record_unit(city):
    before = (holders(key_leaders(unit=city.tu, on=D2018)), summary(key_leaders(unit=city.tu, on=D2018)))
    Person.objects.filter(given_name__in=["P2", "P3", "P5"]).update(unit=city.d[2][2])
    Person.objects.filter(given_name="P9").update(unit=None)
    after = (holders(key_leaders(unit=city.tu, on=D2018)), summary(key_leaders(unit=city.tu, on=D2018)))
    assert after == before


def test_the_query_count_does_not_grow_with_the_number_of_units(city, django_assert_num_queries):
    # key seats with holders and locality; tenure: rows, merged units, term calendars
    with django_assert_num_queries(4) as small:
        key_leaders(unit=city.tu, on=D2018)
    for n in (4, 5, 6, 7):
        district(city.province, n, city.tu, city.titles)
    with django_assert_num_queries(len(small.captured_queries)):
        result = key_leaders(unit=city.tu, on=D2018)
    assert len(result.posts) == 7 + 4 * 2


def test_each_holder_has_the_continuous_tenure_of_the_post(city):
    result = key_leaders(unit=city.tu, on=D2018)
    tenure = {(p.unit.code, p.person.given_name): (p.tenure_start, p.tenure_months)
              for p in result.posts if p.person}  # fmt: skip
    assert tenure[("HU1", "P1")] == (dt.date(2016, 1, 1), 35)
    assert tenure[("UB2", "P4")] == (dt.date(2014, 1, 1), 59)


def test_the_data_package_carries_locality_per_post_on_each_work_history_row(city, tmp_path):
    import io
    import json

    from canbo.exchange.exporter import selection_for, write_json

    Assignment.objects.create(person=city.people["p2"], start_date=dt.date(2005, 1, 1),
                              unit_name="Trường Chính trị", title_name="Giảng viên")  # fmt: skip
    out = io.StringIO()
    write_json(selection_for(user=None, unit_code=None), out)
    rows = json.loads(out.getvalue())["sheets"]["assignments"]
    people = {p.id_number: p.given_name for p in Person.objects.all()}
    local = sorted((people[r["person"]], r.get("unit", ""), r.get("local", "")) for r in rows)
    assert local == [
        ("P1", "HU1", "Có"), ("P1", "UB1", "Có"),
        ("P2", "", ""),  # no post: not judged
        ("P2", "HU2", "Không"),
        ("P3", "HU3", "Không"),  # hometown N1 came from commune 1A, in district 1
        ("P4", "UB2", "Có"),
        ("P5", "UB3", "Có"),  # hometown N3 came from commune 3A, in district 3
        ("P7", "HU1", "Không"), ("P8", "HU1", "Không"), ("P9", "X1a", "Có"),
    ]  # fmt: skip


def test_current_posts_are_judged_against_their_unit_not_the_record_unit(city):
    from canbo.people.selectors import (
        current_positions,
        judge_current_posts,
        with_current_positions,
    )

    people = list(with_current_positions(Person.objects.filter(given_name__in=["P1", "P2"])
                                         .order_by("given_name"), D2018))  # fmt: skip
    judge_current_posts(people, D2018)
    judged = [(p.given_name, a.position.unit.code, a.local)
              for p in people for a in current_positions(p, D2018)]  # fmt: skip
    # Both records are kept at TU, whose province holds both hometowns.
    assert sorted(judged) == [("P1", "HU1", True), ("P1", "UB1", True), ("P2", "HU2", False)]


def doubles(result):
    return [([t.code for t in d.titles], d.count) for d in result.doubles]


@pytest.mark.parametrize("on", [D2015, D2018, D2026])
@pytest.mark.parametrize("level", [None, UnitLevel.DISTRICT, UnitLevel.COMMUNE])
def test_the_summary_alone_counts_what_the_full_answer_counts(city, on, level):
    # The province, then one district and back: the statement kept for a date and level
    # answers for the subtree asked each time.
    for unit in (city.tu, city.d[1][2], city.d[2][2], city.tu):
        full = key_leaders(unit=unit, on=on, level=level)
        alone = key_leader_summary(unit=unit, on=on, level=level)
        assert alone.posts == []
        assert summary(alone) == summary(full)
        assert doubles(alone) == doubles(full)
        assert [d.people for d in alone.doubles] == [[] for _d in full.doubles]
    assert doubles(key_leaders(unit=city.tu, on=D2018)) == [(["bt-huyen", "ct-huyen"], 1)]


def test_the_summary_alone_is_one_query_whatever_the_number_of_units(
    city, django_assert_num_queries
):
    from decimal import Decimal

    # the seats with their holders, locality and titles
    with django_assert_num_queries(1):
        result = key_leader_summary(unit=city.tu, on=D2018)
    assert doubles(result) == [(["bt-huyen", "ct-huyen"], 1)]
    for n in (4, 5, 6, 7):
        district(city.province, n, city.tu, city.titles)
    with django_assert_num_queries(1):
        result = key_leader_summary(unit=city.tu, on=D2018)
    assert summary(result)[:2] == [
        ("bt-huyen", "district", 7, 3, 2, 0, Decimal("66.67")),
        ("ct-huyen", "district", 7, 3, 0, 0, Decimal("0.00")),
    ]


def test_a_unit_without_an_area_is_judged_by_its_nearest_ancestors_area(city):
    """The district's People's Committee office keeps no area of its own: its key post is
    judged against district 1 (the area of UB1 above it)."""
    office = make_unit("VP1", "Văn phòng UBND huyện 1", city.d[1][3], UnitKind.PEOPLES_COMMITTEE,
                       UnitLevel.DISTRICT, **OLD)  # fmt: skip
    post = Position.objects.create(unit=office, title=city.titles["ct"])
    for key, hometown in (("Q1", city.d[1][1]), ("Q2", city.d[2][1])):
        Assignment.objects.create(person=PersonFactory(given_name=key, hometown=hometown),
                                  position=post, start_date=dt.date(2018, 1, 1),
                                  unit_name=office.name, title_name="Chủ tịch")  # fmt: skip
    assert [(p.person.given_name, p.local) for p in key_leaders(unit=office, on=D2018).posts] == [
        ("Q1", True), ("Q2", False)
    ]
    assert summary(key_leader_summary(unit=office, on=D2018))[0][3:5] == (2, 1)


def test_three_titles_and_overlapping_rows_are_counted_alike_in_sql_and_python(city):
    """P1 also heads commune 1A (three key titles at once); P8's row as chair of UB2
    overlaps P4's (two holders of one seat: the post counts twice)."""
    hold = Assignment.objects.create
    hold(person=city.people["p1"], position=city.x1a.positions.get(), start_date=dt.date(2018, 1, 1),
         unit_name=city.x1a.name, title_name="Bí thư Đảng ủy xã")  # fmt: skip
    hold(person=city.people["p8"], position=city.d[2][4]["ct"], start_date=dt.date(2018, 1, 1),
         unit_name="UBND huyện 2", title_name="Chủ tịch UBND huyện")  # fmt: skip
    full = key_leaders(unit=city.tu, on=D2018)
    alone = key_leader_summary(unit=city.tu, on=D2018)
    assert summary(alone) == summary(full)
    assert doubles(alone) == doubles(full) == [(["bt-huyen", "ct-huyen", "bt-xa"], 1)]
    assert [s[:6] for s in summary(alone)] == [
        ("bt-huyen", "district", 3, 3, 2, 0),
        ("ct-huyen", "district", 4, 4, 1, 0),  # P8 (from district 3) in district 2
        ("bt-xa", "commune", 2, 2, 0, 0),  # P9 and P1, both from district 1
    ]
