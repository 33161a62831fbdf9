"""Continuous tenure in a post and the consecutive terms it spans (issue 13 item 5, ADR 0014)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from canbo.core.models import AccessEvent
from canbo.organizations.choices import TermBody, UnitKind, UnitLevel
from canbo.organizations.models import Position, Term, UnitSuccession
from canbo.people import selectors
from canbo.people.models import Assignment
from canbo.people.selectors_tenure import post_tenures
from canbo.people.tenure import (
    DEFAULT_TERM_MIN_MONTHS,
    HistoryRow,
    Successions,
    TermSpan,
    count_terms,
    duration_text,
    months_through,
    period_end,
    tenure_text,
    tenures_on,
    term_body_for,
)
from canbo.rules.facts import PersonFacts, with_tenures
from tests.factories import PersonFactory, PositionTitleFactory, make_unit

D = dt.date
PARTY = UnitKind.PARTY_COMMITTEE
SECRETARY, CHAIR = 1, 2


def row(pk, start, end=None, *, unit=10, title=SECRETARY, precision="D", kind=PARTY, **names):
    return HistoryRow(
        id=pk,
        start=start,
        end=end,
        end_precision=precision,
        unit_id=unit,
        title_id=title,
        unit_kind=kind,
        **names,
    )


def text_row(pk, start, end=None, *, title_name, unit_name):
    return HistoryRow(id=pk, start=start, end=end, title_name=title_name, unit_name=unit_name)


def starts(tenures):
    return [(t.start, t.months, t.row_ids) for t in tenures]


# --- dates -----------------------------------------------------------------------------


def test_period_end_counts_a_month_or_year_end_through_its_last_day():
    assert period_end(D(2019, 5, 1), "M") == D(2019, 5, 31)
    assert period_end(D(2020, 2, 1), "M") == D(2020, 2, 29)
    assert period_end(D(2019, 1, 1), "Y") == D(2019, 12, 31)
    assert period_end(D(2019, 5, 17), "D") == D(2019, 5, 17)
    assert period_end(None, "M") is None


def test_months_count_the_day_asked_about():
    assert months_through(D(2020, 6, 1), D(2021, 5, 31)) == 12
    assert months_through(D(2020, 6, 1), D(2021, 5, 30)) == 11
    assert months_through(D(2020, 6, 1), D(2020, 6, 1)) == 0
    assert months_through(D(2020, 6, 2), D(2020, 6, 1)) == 0


# --- chains of rows ----------------------------------------------------------------------


def test_consecutive_rows_make_one_tenure():
    rows = [row(1, D(2015, 1, 1), D(2019, 12, 31)), row(2, D(2020, 1, 1))]
    assert starts(tenures_on(rows, D(2021, 6, 30))) == [(D(2015, 1, 1), 78, (1, 2))]


def test_overlapping_rows_merge():
    rows = [row(1, D(2015, 1, 1), D(2020, 6, 30)), row(2, D(2019, 3, 1))]
    assert starts(tenures_on(rows, D(2021, 6, 30))) == [(D(2015, 1, 1), 78, (1, 2))]


def test_next_row_starting_the_day_after_the_end_continues():
    rows = [row(1, D(2015, 1, 1), D(2019, 12, 30)), row(2, D(2019, 12, 31))]
    assert starts(tenures_on(rows, D(2021, 6, 30))) == [(D(2015, 1, 1), 78, (1, 2))]


def test_one_uncovered_day_breaks_the_tenure():
    rows = [row(1, D(2015, 1, 1), D(2019, 12, 30)), row(2, D(2020, 1, 1))]
    assert starts(tenures_on(rows, D(2021, 6, 30))) == [(D(2020, 1, 1), 18, (2,))]


def test_an_end_known_to_the_month_runs_to_its_last_day():
    month_end = [row(1, D(2015, 1, 1), D(2019, 5, 1), precision="M"), row(2, D(2019, 6, 1))]
    assert starts(tenures_on(month_end, D(2020, 1, 1))) == [(D(2015, 1, 1), 60, (1, 2))]
    day_end = [row(1, D(2015, 1, 1), D(2019, 5, 1)), row(2, D(2019, 6, 1))]
    assert starts(tenures_on(day_end, D(2020, 1, 1))) == [(D(2019, 6, 1), 7, (2,))]


def test_an_end_known_to_the_year_runs_to_31_december():
    year_end = [row(1, D(2015, 1, 1), D(2019, 1, 1), precision="Y"), row(2, D(2020, 1, 1))]
    assert starts(tenures_on(year_end, D(2020, 12, 31))) == [(D(2015, 1, 1), 72, (1, 2))]
    # A month-precision row ending "05/2021" is still held on 31/05/2021, not on 01/06/2021.
    held = [row(1, D(2020, 1, 1), D(2021, 5, 1), precision="M")]
    assert starts(tenures_on(held, D(2021, 5, 31))) == [(D(2020, 1, 1), 17, (1,))]
    assert tenures_on(held, D(2021, 6, 1)) == []


def test_a_merger_keeps_the_post_in_both_directions():
    merger = Successions({10: [20]})
    rows = [row(1, D(2015, 10, 1), D(2025, 6, 30), unit=10), row(2, D(2025, 7, 1), unit=20)]
    on = D(2026, 1, 1)
    assert starts(tenures_on(rows, on, merger)) == [(D(2015, 10, 1), 123, (1, 2))]
    assert starts(tenures_on(rows, on)) == [(D(2025, 7, 1), 6, (2,))]
    # Recorded the other way round (the later row in the predecessor): still linked.
    backwards = Successions({20: [10]})
    assert starts(tenures_on(rows, on, backwards)) == [(D(2015, 10, 1), 123, (1, 2))]


def test_a_chain_of_mergers_is_followed_but_sister_units_are_not_one_post():
    chain = Successions([(10, 20), (20, 30)])
    rows = [row(1, D(2015, 1, 1), D(2019, 12, 31), unit=10), row(2, D(2020, 1, 1), unit=30)]
    assert starts(tenures_on(rows, D(2021, 1, 1), chain)) == [(D(2015, 1, 1), 72, (1, 2))]
    # Communes 10 and 40 both merged into 20: moving from 10 to 40 is a new post.
    sisters = Successions({10: [20], 40: [20]})
    moved = [row(1, D(2015, 1, 1), D(2019, 12, 31), unit=10), row(2, D(2020, 1, 1), unit=40)]
    assert starts(tenures_on(moved, D(2021, 1, 1), sisters)) == [(D(2020, 1, 1), 12, (2,))]


def test_another_title_in_the_same_unit_breaks_the_tenure():
    rows = [row(1, D(2015, 1, 1), D(2019, 12, 31), title=CHAIR), row(2, D(2020, 1, 1))]
    assert starts(tenures_on(rows, D(2021, 1, 1))) == [(D(2020, 1, 1), 12, (2,))]


def test_rows_of_one_post_held_together_show_it_once_by_the_latest():
    rows = [row(1, D(2015, 1, 1)), row(2, D(2020, 1, 1), unit=20)]
    tenures = tenures_on(rows, D(2021, 1, 1), Successions({10: [20]}))
    assert [(t.start, t.row_ids, t.row_id, t.unit_id) for t in tenures] == [
        (D(2015, 1, 1), (1, 2), 2, 20)
    ]


def test_concurrent_posts_each_have_their_tenure():
    rows = [
        row(1, D(2016, 5, 1), title=CHAIR, unit=11),
        row(2, D(2015, 10, 1), D(2020, 9, 30)),
        row(3, D(2020, 10, 1)),
        row(4, D(2010, 1, 1), D(2015, 9, 30), title=CHAIR, unit=12),  # ended: not held
        row(5, D(2021, 2, 1), title=CHAIR, unit=13),  # starts after the day asked about
    ]
    tenures = tenures_on(rows, D(2021, 1, 31))
    assert starts(tenures) == [(D(2015, 10, 1), 64, (2, 3)), (D(2016, 5, 1), 57, (1,))]
    assert [(t.title_id, t.unit_id) for t in tenures] == [(SECRETARY, 10), (CHAIR, 11)]


def test_rows_without_a_position_match_by_their_names():
    rows = [
        text_row(1, D(2012, 1, 1), D(2015, 9, 30), title_name="Bí thư", unit_name="Huyện ủy A"),
        row(2, D(2015, 10, 1), title_name="bí thư", unit_name="HUYỆN ỦY A"),
        text_row(3, D(2008, 1, 1), D(2011, 12, 31), title_name="Bí thư", unit_name=""),
    ]
    tenures = tenures_on(rows, D(2016, 1, 1))
    assert starts(tenures) == [(D(2012, 1, 1), 48, (1, 2))]
    assert (tenures[0].title_name, tenures[0].unit_name) == ("bí thư", "HUYỆN ỦY A")


def test_nothing_held_on_the_day_gives_no_tenure():
    assert tenures_on([row(1, D(2015, 1, 1), D(2019, 12, 31))], D(2020, 1, 1)) == []
    assert tenures_on([], D(2020, 1, 1)) == []


# --- terms --------------------------------------------------------------------------------

CALENDAR = [
    TermSpan(D(2010, 10, 1), D(2015, 9, 30), "2010–2015"),
    TermSpan(D(2015, 10, 1), D(2020, 9, 30), "2015–2020"),
    TermSpan(D(2020, 10, 1), D(2025, 9, 30), "2020–2025"),
]


def test_the_term_in_progress_counts_to_its_end():
    assert DEFAULT_TERM_MIN_MONTHS == 30
    assert count_terms(D(2015, 10, 1), D(2022, 1, 1), CALENDAR) == 2
    # Elected at this term's congress: the first term already.
    assert count_terms(D(2020, 10, 1), D(2020, 12, 1), CALENDAR) == 1


def test_weeks_before_a_congress_do_not_count_a_term():
    assert count_terms(D(2020, 9, 10), D(2022, 1, 1), CALENDAR) == 1


@pytest.mark.parametrize(
    ("start", "on", "expected"),
    [
        # 30 whole months of the 2015–2020 term (01/04/2018–30/09/2020) count it …
        (D(2018, 4, 1), D(2022, 1, 1), 2),
        # … one day fewer does not.
        (D(2018, 4, 2), D(2022, 1, 1), 1),
        # In the term in progress: 30 months to its end count, 29 do not.
        (D(2023, 4, 1), D(2024, 1, 1), 1),
        (D(2023, 4, 2), D(2024, 1, 1), 0),
    ],
)
def test_term_threshold_edges(start, on, expected):
    assert count_terms(start, on, CALENDAR) == expected


def test_threshold_is_a_parameter_and_missing_calendar_counts_nothing():
    assert count_terms(D(2023, 4, 2), D(2024, 1, 1), CALENDAR, min_months=12) == 1
    assert count_terms(D(2015, 10, 1), D(2022, 1, 1), CALENDAR, min_months=61) == 0
    assert count_terms(D(2015, 10, 1), D(2022, 1, 1), []) == 0
    # Past the last term of the calendar, the terms before still count.
    assert count_terms(D(2012, 1, 1), D(2026, 3, 1), CALENDAR) == 3


def test_the_body_of_a_post_follows_its_unit_kind():
    assert term_body_for(UnitKind.PARTY_COMMITTEE) == TermBody.PARTY
    assert term_body_for(UnitKind.PEOPLES_COUNCIL) == TermBody.PEOPLES_COUNCIL
    assert term_body_for(UnitKind.PEOPLES_COMMITTEE) == TermBody.PEOPLES_COUNCIL
    assert term_body_for(UnitKind.DEPARTMENT) is None
    assert term_body_for(None) is None
    rows = [row(1, D(2015, 10, 1)), row(2, D(2016, 1, 1), unit=11, kind=UnitKind.DEPARTMENT)]
    tenures = tenures_on(rows, D(2022, 1, 1), calendars={TermBody.PARTY: CALENDAR})
    assert [(t.row_ids, t.body, t.terms) for t in tenures] == [
        ((1,), TermBody.PARTY, 2),
        ((2,), None, None),
    ]


def test_tenure_text():
    assert duration_text(75) == "6 năm 3 tháng"
    assert duration_text(24) == "2 năm"
    assert duration_text(5) == "5 tháng"
    assert duration_text(0) == "chưa đủ 1 tháng"
    rows = [row(1, D(2015, 10, 1))]
    [party] = tenures_on(rows, D(2022, 1, 1), calendars={TermBody.PARTY: CALENDAR})
    assert tenure_text(party) == "Giữ chức vụ liên tục từ 01/10/2015 (6 năm 3 tháng, 2 nhiệm kỳ)"
    [plain] = tenures_on(rows, D(2022, 1, 1))
    assert tenure_text(plain) == "Giữ chức vụ liên tục từ 01/10/2015 (6 năm 3 tháng)"


# --- the selector, the facts and the profile ---------------------------------------------


@pytest.fixture
def city(world):
    """Communes XA and XB merged into XC on 01/07/2025; X1 → X2 → X3 a chain of mergers."""
    xc = make_unit("XC", "Đảng ủy xã An Minh", world.tu, PARTY, UnitLevel.COMMUNE)
    x1, x2, x3 = (
        make_unit(f"X{n}", f"Đảng ủy xã Số {n}", world.tu, PARTY, UnitLevel.COMMUNE)
        for n in (1, 2, 3)
    )
    for old, new in ((world.xa, xc), (world.xb, xc), (x1, x2), (x2, x3)):
        UnitSuccession.objects.create(predecessor=old, successor=new, effective_date=D(2025, 7, 1))
    for start, end, name in (
        (D(2015, 10, 1), D(2020, 9, 30), "2015–2020"),
        (D(2020, 10, 1), D(2025, 9, 30), "2020–2025"),
        (D(2025, 10, 1), D(2030, 9, 30), "2025–2030"),
    ):
        Term.objects.create(body=TermBody.PARTY, name=name, start_date=start, end_date=end)
    secretary = PositionTitleFactory(code="BT", name="Bí thư", level=UnitLevel.COMMUNE)
    deputy = PositionTitleFactory(code="PBT", name="Phó Bí thư", level=UnitLevel.COMMUNE)
    world.units = {u.code: u for u in (world.xa, world.xb, xc, x1, x2, x3)}
    world.post = {
        (code, title.code): Position.objects.create(unit=unit, title=title)
        for code, unit in world.units.items()
        for title in (secretary, deputy)
    }
    return world


def hold(person, post, start, end=None, **extra):
    return Assignment.objects.create(
        person=person,
        position=post,
        title_name=post.title.name,
        unit_name=post.unit.name,
        start_date=start,
        end_date=end,
        **extra,
    )


ON = D(2026, 1, 1)


@pytest.fixture
def people(city):
    post = city.post
    merged = PersonFactory(unit=city.tu)  # XA's secretary, then XC's after the merger
    a1 = hold(merged, post["XA", "BT"], D(2015, 10, 1), D(2025, 6, 30))
    a2 = hold(merged, post["XC", "BT"], D(2025, 7, 1))
    # XB's deputy, then XC's deputy (the same post after the merger), and XC's secretary
    # besides from the merger on: two tenures.
    moved = PersonFactory(unit=city.tu)
    b1 = hold(moved, post["XB", "PBT"], D(2018, 1, 1), D(2025, 6, 30))
    b2 = hold(moved, post["XC", "PBT"], D(2025, 7, 1))
    b3 = hold(moved, post["XC", "BT"], D(2025, 7, 1), is_concurrent=True)
    chained = PersonFactory(unit=city.tu)  # X1 then X3 (X1 → X2 → X3), never in X2
    c1 = hold(chained, post["X1", "BT"], D(2019, 1, 1), D(2024, 12, 1), end_precision="M")
    c2 = hold(chained, post["X3", "BT"], D(2025, 1, 1))
    idle = PersonFactory(unit=city.tu)
    hold(idle, post["X2", "PBT"], D(2010, 1, 1), D(2014, 12, 31))
    return {
        "merged": (merged, (a1.pk, a2.pk)),
        "moved": (moved, (b1.pk, b2.pk, b3.pk)),
        "chained": (chained, (c1.pk, c2.pk)),
        "idle": (idle, ()),
    }


def summary(tenures):
    return [(t.start, t.months, t.row_ids, t.title_id, t.unit_id, t.terms) for t in tenures]


def test_post_tenures_reads_the_history_mergers_and_terms(people, city):
    ids = {name: person.pk for name, (person, _rows) in people.items()}
    result = post_tenures(ids.values(), ON)
    bt = city.post["XC", "BT"].title_id
    pbt = city.post["XC", "PBT"].title_id
    xc, x3 = city.units["XC"].pk, city.units["X3"].pk
    merged, moved, chained = people["merged"][1], people["moved"][1], people["chained"][1]
    assert summary(result[ids["merged"]]) == [(D(2015, 10, 1), 123, merged, bt, xc, 3)]
    assert summary(result[ids["moved"]]) == [
        (D(2018, 1, 1), 96, moved[:2], pbt, xc, 3),
        (D(2025, 7, 1), 6, moved[2:], bt, xc, 1),
    ]
    # 21 months of 2015–2020 (from 01/01/2019): that term does not count.
    assert summary(result[ids["chained"]]) == [(D(2019, 1, 1), 84, chained, bt, x3, 2)]
    assert result[ids["idle"]] == []
    assert post_tenures([], ON) == {}


def test_post_tenures_takes_three_queries_for_one_person_or_many(
    people, django_assert_num_queries
):
    ids = [person.pk for person, _rows in people.values()]
    with django_assert_num_queries(3):
        one = post_tenures(ids[:1], ON)
    with django_assert_num_queries(3):
        every = post_tenures(ids, ON)
    assert one[ids[0]] == every[ids[0]]
    assert len(every) == 4


def test_facts_carry_tenures_without_changing_anything_else(people):
    person, _rows = people["merged"]
    facts = PersonFacts(
        id=person.pk, id_number=person.id_number, full_name=person.full_name, sex="M",
        birth_date=person.birth_date,
    )  # fmt: skip
    other = PersonFacts(id=0, id_number="0", full_name="X", sex="F", birth_date=D(1980, 1, 1))
    tenures = post_tenures([person.pk], ON)
    filled = with_tenures({person.pk: facts, 0: other}, tenures)
    assert filled[person.pk].tenures == tuple(tenures[person.pk])
    assert filled[person.pk].tenures[0].terms == 3
    assert filled[0] is other
    assert facts.tenures == ()
    assert filled[person.pk] == PersonFacts(**{**facts.__dict__, "tenures": filled[person.pk].tenures})


def test_profile_shows_tenure_beside_each_current_post(people, admin_user, client, monkeypatch):
    monkeypatch.setattr(selectors, "today", lambda: ON)
    person, _rows = people["moved"]
    client.force_login(admin_user)
    before = AccessEvent.objects.count()
    response = client.get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 200
    shown = re.search(r'<dd[^>]*id="post-tenures">(.*?)</dd>', response.content.decode(), re.S)
    assert " ".join(re.sub(r"<[^>]+>", " ", shown.group(1)).split()) == (
        "Bí thư: Giữ chức vụ liên tục từ 01/07/2025 (6 tháng, 1 nhiệm kỳ) "
        "Phó Bí thư: Giữ chức vụ liên tục từ 01/01/2018 (8 năm, 3 nhiệm kỳ)"
    )
    # Reading the profile is still logged, once.
    assert list(AccessEvent.objects.order_by("id")[before:].values_list("kind", "object_id")) == [
        ("profile", str(person.pk))
    ]
