"""The registry as of a date D (issue 13 items 1 and 3): who held what at 30/06/2015 and at
30/11/2018, ages and months left of D, partial dates, and the one filter set."""

from __future__ import annotations

import datetime as dt

import pytest

from canbo.people import selectors
from canbo.people.filtersets import PersonFilterSet
from canbo.people.models import Assignment, Person
from canbo.people.selectors import (
    current_positions,
    held_on,
    held_on_q,
    person_derived,
    position_holders,
    title_holders,
    unit_holders,
    unit_positions_with_holders,
    with_current_positions,
)
from tests.factories import PersonFactory, UserFactory, grant

from .asof_city import D2015, D2018, TODAY, build_city, hold


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(selectors, "today", lambda: TODAY)


@pytest.fixture
def city(db):
    return build_city()


def holders(rows) -> list[tuple[str, str, str]]:
    return [(a.person.given_name, a.position.title.code, a.position.unit.code) for a in rows]


# --- Holders at D ----------------------------------------------------------------------


def test_holders_of_a_position_at_each_date(city, admin_user):
    assert holders(position_holders(user=admin_user, position=city.bt_hda, on=D2015)) == [
        ("An", "BT", "HDA")
    ]
    assert holders(position_holders(user=admin_user, position=city.bt_hda, on=D2018)) == [
        ("Bình", "BT", "HDA")
    ]
    # Today (05/02/2026) by default: Bình's row is still open.
    assert holders(position_holders(user=admin_user, position=city.bt_hda)) == [
        ("Bình", "BT", "HDA")
    ]


def test_holders_of_a_title_at_each_date_concurrent_posts_included(city, admin_user):
    assert holders(title_holders(user=admin_user, title=city.bt, on=D2015)) == [
        ("Em", "BT", "TU"),
        ("An", "BT", "HDA"),
    ]
    assert holders(title_holders(user=admin_user, title=city.bt, on=D2018)) == [
        ("Em", "BT", "TU"),
        ("Bình", "BT", "HDA"),
        ("Cường", "BT", "HSS"),
    ]
    assert holders(title_holders(user=admin_user, title=city.ct, on=D2015)) == [
        ("Cường", "CT", "HDA")
    ]
    # Bình's concurrent chair (2017–2020, years only) counts.
    assert holders(title_holders(user=admin_user, title=city.ct, on=D2018)) == [
        ("Bình", "CT", "HDA")
    ]
    # Within a subtree: the district committee only.
    assert holders(title_holders(user=admin_user, title=city.bt, on=D2018, unit=city.hda)) == [
        ("Bình", "BT", "HDA")
    ]


def test_holders_of_a_units_seats_at_each_date(city, admin_user):
    assert holders(unit_holders(user=admin_user, unit=city.hda, on=D2015)) == [
        ("An", "BT", "HDA"),
        ("Dung", "PBT", "HDA"),
        ("Cường", "CT", "HDA"),
    ]
    assert holders(unit_holders(user=admin_user, unit=city.hda, on=D2018)) == [
        ("Bình", "BT", "HDA"),
        ("Dung", "PBT", "HDA"),
        ("Bình", "CT", "HDA"),
    ]


def test_holders_are_scoped(city):
    outside = UserFactory(username="ngoai")
    grant(outside, city.hss)  # sees only the records of Sóc Sơn: nobody here
    assert list(title_holders(user=outside, title=city.bt, on=D2018)) == []
    inside = UserFactory(username="trong")
    grant(inside, city.tu)
    assert len(title_holders(user=inside, title=city.bt, on=D2018)) == 3


def test_unit_positions_with_holders_at_each_date(city, admin_user):
    def seats(on):
        return [
            (p.title.code, [a.person.given_name for a in p.holders], p.vacant)
            for p in unit_positions_with_holders(user=admin_user, unit=city.hda, on=on)
        ]

    assert seats(D2015) == [("BT", ["An"], 0), ("PBT", ["Dung"], 1), ("CT", ["Cường"], 0)]
    assert seats(D2018) == [("BT", ["Bình"], 0), ("PBT", ["Dung"], 1), ("CT", ["Bình"], 0)]
    assert seats(None) == [("BT", ["Bình"], 0), ("PBT", ["Dung"], 1), ("CT", [], 1)]


# --- A person's posts, age and months left at D ------------------------------------------


def test_a_persons_posts_at_each_date(city):
    binh = Person.objects.get(pk=city.binh.pk)
    assert current_positions(binh, D2015) == []
    assert current_positions(binh, D2018) == [city.binh_ct, city.binh_bt]
    assert current_positions(binh) == [city.binh_bt]  # the chair ended with 2020
    prefetched = with_current_positions(Person.objects.filter(pk=city.binh.pk), D2018).get()
    assert current_positions(prefetched, D2018) == [city.binh_ct, city.binh_bt]


def test_age_and_months_left_are_those_of_d(city):
    an = person_derived(city.an, D2015)
    # Born 15/06/1960, retires at 60 on 30/06/2020.
    assert (an.age, an.retirement_date, an.months_left) == (55, dt.date(2020, 6, 30), 60)
    an = person_derived(city.an, D2018)
    assert (an.age, an.months_left) == (58, 19)
    # Born 1965 (year only: from 01/01/1965), retires at 61 years 6 months on 31/07/2026.
    binh = person_derived(city.binh, D2015)
    assert (binh.age, binh.retirement_date, binh.months_left) == (50, dt.date(2026, 7, 31), 133)
    binh = person_derived(city.binh, D2018)
    assert (binh.age, binh.months_left) == (53, 92)
    # Management level from the posts held at D: none in 2015, the district's in 2018.
    assert person_derived(city.binh, D2015).management_level is None
    assert person_derived(city.binh, D2018).management_level == city.bt.management_level


# --- Partial dates: one rule, in SQL and in Python --------------------------------------

CASES = [
    # (start, start precision, end, end precision, day, held)
    ("2020-06-01", "M", None, "D", "2020-05-31", False),  # "từ 06/2020"
    ("2020-06-01", "M", None, "D", "2020-06-01", True),
    ("2019-01-01", "Y", None, "D", "2018-12-31", False),  # "từ 2019"
    ("2019-01-01", "Y", None, "D", "2019-01-01", True),
    ("2010-01-01", "D", "2025-05-01", "M", "2025-05-31", True),  # "đến 05/2025"
    ("2010-01-01", "D", "2025-05-01", "M", "2025-06-01", False),
    ("2010-01-01", "D", "2024-01-01", "Y", "2024-12-31", True),  # "đến 2024"
    ("2010-01-01", "D", "2024-01-01", "Y", "2025-01-01", False),
    ("2010-01-01", "D", "2016-02-29", "D", "2016-02-29", True),  # a leap day
    ("2010-01-01", "D", "2016-02-29", "D", "2016-03-01", False),
    ("2016-02-29", "D", None, "D", "2016-02-28", False),
    ("2016-02-29", "D", None, "D", "2016-02-29", True),
    ("2010-01-01", "D", "2016-02-01", "M", "2016-02-29", True),  # "đến 02/2016", leap year
    ("2010-01-01", "D", "2015-02-01", "M", "2015-02-28", True),
    ("2010-01-01", "D", "2015-02-01", "M", "2015-03-01", False),
    ("2010-01-01", "D", "2015-12-31", "D", "2015-12-31", True),  # a month's and year's end
    ("2010-01-01", "D", "2015-12-31", "D", "2016-01-01", False),
]


def day(text):
    return dt.date.fromisoformat(text) if text else None


@pytest.mark.parametrize(("start", "sp", "end", "ep", "on", "held"), CASES)
def test_held_on_partial_dates(city, start, sp, end, ep, on, held):
    row = hold(city.em, city.bt_hss, day(start), day(end), start_precision=sp, end_precision=ep)
    assert held_on(row, day(on)) is held
    in_sql = Assignment.objects.filter(held_on_q(day(on)), pk=row.pk).exists()
    assert in_sql is held


def test_sql_and_python_agree_on_every_row_and_day(city):
    for start, sp, end, ep, _on, _held in CASES:
        hold(city.em, city.bt_hss, day(start), day(end), start_precision=sp, end_precision=ep)
    rows = list(Assignment.objects.all())
    days = sorted({day(c[4]) for c in CASES} | {D2015, D2018, TODAY, dt.date(2016, 5, 31),
                                                 dt.date(2016, 6, 1), dt.date(2020, 12, 31)})  # fmt: skip
    for on in days:
        in_sql = set(Assignment.objects.filter(held_on_q(on)).values_list("pk", flat=True))
        assert in_sql == {a.pk for a in rows if held_on(a, on)}, on
    # Through a relation (prefix), as the positions API counts holders.
    from canbo.organizations.models import Position

    with_holders = Position.objects.filter(held_on_q(D2018, prefix="assignments__")).distinct()
    assert sorted(p.pk for p in with_holders) == sorted(
        {a.position_id for a in rows if held_on(a, D2018)}
    )


# --- The filter set ------------------------------------------------------------------


def filtered(data, *, user=None, **kwargs) -> list[str]:
    filterset = PersonFilterSet(data, queryset=Person.objects.all(), user=user, **kwargs)
    assert filterset.is_valid(), filterset.errors
    return sorted(p.given_name for p in filterset.qs)


def errors(data, **kwargs) -> dict:
    filterset = PersonFilterSet(data, queryset=Person.objects.all(), **kwargs)
    assert not filterset.is_valid()
    return {k: [str(m) for m in v] for k, v in filterset.errors.items()}


def test_position_title_is_held_at_as_of(city):
    assert filtered({"position_title": "BT", "as_of": "30/06/2015"}) == ["An", "Em"]
    assert filtered({"position_title": "BT", "as_of": "2018-11-30"}) == ["Bình", "Cường", "Em"]
    assert filtered({"position_title": "BT"}) == ["Bình", "Cường", "Em"]  # today
    assert filtered({"position_title": "CT", "as_of": "30/11/2018"}) == ["Bình"]


def test_post_level_narrows_a_level_neutral_title(city):
    data = {"position_title": "BT", "as_of": "30/11/2018"}
    assert filtered({**data, "post_level": "district"}) == ["Bình", "Cường"]
    assert filtered({**data, "post_level": "province"}) == ["Em"]
    assert filtered({"post_level": "district", "as_of": "30/06/2015"}) == ["An", "Cường", "Dung"]
    # The same post: An held BT at district level in 2015, not at province level.
    assert filtered({"position_title": "BT", "post_level": "province", "as_of": "30/06/2015"}) == [
        "Em"
    ]


def test_also_holds_a_second_title_at_as_of(city):
    both = {"position_title": "BT", "also_holds": "CT"}
    assert filtered({**both, "as_of": "30/11/2018"}) == ["Bình"]
    assert filtered({**both, "as_of": "30/06/2015"}) == []
    assert filtered(both) == []  # the chair ended with 2020
    assert filtered({"also_holds": "CT", "as_of": "30/06/2015"}) == ["Cường"]


def test_ages_are_counted_at_as_of(city):
    assert filtered({"age_min": 55, "as_of": "30/06/2015"}) == ["An"]
    assert filtered({"age_min": 50, "age_max": 55, "as_of": "30/06/2015"}) == ["An", "Bình"]
    assert filtered({"age_max": 47, "as_of": "30/11/2018"}) == ["Dung", "Em"]
    assert filtered({"age_max": 47}) == ["Em"]  # today Dung is 53


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2018", "Ngày 31/02/2018 không tồn tại."),
        ("2018-02-31", "Ngày 2018-02-31 không tồn tại."),
        ("2018-13-01", "Ngày 2018-13-01 không tồn tại."),
        ("11/2018", "Ngày “11/2018” không hợp lệ; hãy viết dd/mm/yyyy hoặc YYYY-MM-DD."),
        ("hôm qua", "Ngày “hôm qua” không hợp lệ; hãy viết dd/mm/yyyy hoặc YYYY-MM-DD."),
        ("01/01/1800", "Ngày phải trong các năm 1900–2100."),
    ],
)
def test_an_impossible_as_of_is_an_error(city, value, message):
    assert errors({"as_of": value}) == {"as_of": [message]}


def test_as_of_date_defaults_to_today(city):
    assert PersonFilterSet(None, queryset=Person.objects.all()).as_of_date == TODAY
    assert PersonFilterSet({"search": "an"}, queryset=Person.objects.all()).as_of_date == TODAY
    given = PersonFilterSet({"as_of": "30/11/2018"}, queryset=Person.objects.all())
    assert (given.as_of_date, given.as_of_given) == (D2018, True)


def test_unit_by_code_or_exact_name(city):
    PersonFactory(id_number="001090000006", given_name="Giang", unit=city.hda)
    PersonFactory(id_number="001090000007", given_name="Hà", unit=city.hss)
    assert filtered({"unit": "HDA"}) == ["Giang"]
    assert filtered({"unit": "HSS · Huyện ủy Sóc Sơn"}) == ["Hà"]  # a suggestion picked
    assert filtered({"unit": "huyen uy soc son"}) == ["Hà"]  # accents and case ignored
    assert filtered({"unit": "  HUYỆN ỦY SÓC SƠN "}) == ["Hà"]
    assert filtered({"unit": "Huyện ủy Nơi Khác"}) == []  # no such unit: nobody


def test_an_ambiguous_unit_name_names_the_candidates(city):
    assert errors({"unit": "Huyện ủy Đông Anh"}) == {
        "unit": ["Có nhiều đơn vị tên “Huyện ủy Đông Anh”: HDA, HDA2. Hãy ghi mã đơn vị."]
    }
    # A user who sees only one of them gets that one.
    PersonFactory(id_number="001090000006", given_name="Giang", unit=city.hda)
    user = UserFactory(username="thanhuy")
    grant(user, city.tu)
    assert filtered({"unit": "Huyện ủy Đông Anh"}, user=user) == ["Giang"]


def test_unknown_parameters_are_an_error_when_the_caller_says_what_it_reads(city):
    found = errors({"as_off": "2018-01-01", "page": "2"}, extra_params=("page", "count"))
    assert found == {
        "__all__": [
            "Tham số không được nhận: as_off. Các tham số được nhận: as_of, search, unit, sex, "
            "age_min, age_max, ethnicity, minority, degree, political_theory, position_title, "
            "post_level, also_holds, is_local, local_to_post, page, count."
        ]
    }
    assert filtered({"page": "2"}, extra_params=("page", "count")) == [
        "An", "Bình", "Cường", "Dung", "Em"
    ]  # fmt: skip
