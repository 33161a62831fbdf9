"""Capped counts and the order chosen from them (canbo/core/paging.py)."""

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from canbo.core.templatetags.canbo_tags import vnnumber
from canbo.people.models import Person
from canbo.people.selectors import PersonPaginator, people_named

from ..factories import PersonFactory


@pytest.fixture
def five(world):
    names = [("Lê", "Văn", "Em"), ("Lê", "Thị", "An"), ("Võ", "Văn", "Ba"), ("Hà", "Thị", "Chi"),
             ("Đỗ", "Văn", "Dũng")]  # fmt: skip
    for n, (family, middle, given) in enumerate(names):
        PersonFactory(
            id_number=f"00109100{n:04d}",
            family_name=family,
            middle_name=middle,
            given_name=given,
            unit=world.xa,
        )
    return world


def selects(queries) -> list[str]:
    """The SELECTs of rows (PostgreSQL also reads pg_stats and sets planner options)."""
    return [
        q["sql"].upper()
        for q in queries
        if q["sql"].upper().startswith("SELECT") and "PG_STATS" not in q["sql"].upper()
    ]


def page_of(cap, number=1, per_page=2):
    paginator = PersonPaginator(Person.objects.order_by("sort_key", "id"), per_page)
    paginator.cap = cap
    return paginator, paginator.page(number)


@pytest.mark.parametrize("cap", [5, 6, 100])
def test_exact_count_up_to_the_cap(five, cap):
    paginator, page = page_of(cap)
    assert paginator.count == 5
    assert paginator.count_capped is False
    assert paginator.num_pages == 3
    assert [p.given_name for p in page] == ["An", "Ba"]


def test_count_stops_one_past_the_cap(five):
    paginator, page = page_of(3, number=2)
    assert paginator.count == 4
    assert paginator.count_capped is True
    assert paginator.num_pages == 2
    assert [p.given_name for p in page] == ["Chi", "Dũng"]


def test_few_matches_one_query_reads_their_keys_and_one_the_page(five):
    """The keys of all matches (at most cap) come with the count; Python sorts them."""
    with CaptureQueriesContext(connection) as queries:
        paginator, page = page_of(100, number=2)
        given = [p.given_name for p in page]
    assert given == ["Chi", "Dũng"]
    assert len(queries) == 2
    keys_sql = selects(queries)[0]
    assert "ORDER BY" not in keys_sql and "LIMIT 101" in keys_sql


def test_exact_count_on_request(five):
    paginator = PersonPaginator(Person.objects.order_by("sort_key", "id"), 2, exact=True)
    paginator.cap = 3
    with CaptureQueriesContext(connection) as queries:
        assert (paginator.count, paginator.count_capped, paginator.num_pages) == (5, False, 3)
        assert [p.given_name for p in paginator.page(3)] == ["Em"]
    sql = selects(queries)
    assert "COUNT(" in sql[0] and "LIMIT" not in sql[0]
    # Five are more than the cap: the page was found by walking the order.
    assert "LIMIT 1 OFFSET 4" in sql[1]


def test_every_strategy_gives_the_same_pages(five):
    few = [[p.pk for p in page_of(100, n)[1]] for n in (1, 2, 3)]
    many = [[p.pk for p in page_of(3, n)[1]] for n in (1, 2)]
    exact = PersonPaginator(Person.objects.order_by("sort_key", "id"), 2, exact=True)
    exact.cap = 1
    assert few[:2] == many == [[p.pk for p in exact.page(n)] for n in (1, 2)]
    names = [p.given_name for p in Person.objects.filter(pk__in=sum(few, []))]
    assert sorted(names) == ["An", "Ba", "Chi", "Dũng", "Em"]


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (999, "999"), (1_000, "1.000"), (10_001, "10.001"), (2_000_000, "2.000.000"),
     (None, ""), ("abc", "")],
)  # fmt: skip
def test_vnnumber(value, text):
    assert vnnumber(value) == text


def test_past_the_cap_the_page_keys_come_first(five):
    """Count, then the page's keys alone (an index walk, one more than a page), then the rows."""
    with CaptureQueriesContext(connection) as queries:
        _, page = page_of(3, number=2)
        given = [p.given_name for p in page]
    assert given == ["Chi", "Dũng"]
    assert len(selects(queries)) == 3
    keys_sql = selects(queries)[1]
    assert keys_sql.startswith('SELECT "PEOPLE_PERSON"."ID" AS "PK" FROM "PEOPLE_PERSON" ORDER BY')
    assert "LIMIT 3 OFFSET 2" in keys_sql


def test_past_the_cap_the_rows_read_what_the_list_asked_for(five):
    """Rows read by key keep the list's only() columns and its joins (no query per row)."""
    listed = Person.objects.select_related("unit").only("id", "full_name", "unit__name")
    paginator = PersonPaginator(listed.order_by("sort_key", "id"), 2)
    paginator.cap = 3
    with CaptureQueriesContext(connection) as queries:
        rows = [(p.full_name, p.unit.name) for p in paginator.page(2)]
    assert rows == [("Hà Thị Chi", five.xa.name), ("Đỗ Văn Dũng", five.xa.name)]
    assert len(selects(queries)) == 3
    rows_sql = selects(queries)[-1]
    assert 'JOIN "ORGANIZATIONS_UNIT"' in rows_sql
    assert "SEARCH_TEXT" not in rows_sql and "ID_NUMBER" not in rows_sql


def test_past_the_cap_pages_go_on_until_the_rows_end(five):
    """The count stopped at 3 + 1, yet every row can be reached page by page."""
    paginator, first = page_of(3, number=1)
    assert (paginator.count, paginator.num_pages) == (4, 2)
    assert first.has_next() and first.next_page_number() == 2
    _, third = page_of(3, number=3)
    assert [p.given_name for p in third] == ["Em"]
    assert not third.has_next() and third.has_previous()
    with pytest.raises(EmptyPage):
        page_of(3, number=4)
    with pytest.raises(PageNotAnInteger):
        page_of(3, number="x")
    # get_page falls back to the last counted page.
    assert paginator.get_page(9).number == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner options are PostgreSQL's")
def test_walk_runs_without_bitmap_scans_and_with_a_timeout(five):
    with CaptureQueriesContext(connection) as queries:
        page_of(3, number=2)
    statements = [q["sql"] for q in queries]
    walk = next(i for i, s in enumerate(statements) if "LIMIT 3 OFFSET 2" in s)
    assert statements[walk - 3 : walk] == [
        "SET LOCAL enable_bitmapscan = off",
        "SET LOCAL max_parallel_workers_per_gather = 0",
        "SET LOCAL statement_timeout = 50",
    ]
    assert statements[walk + 1 : walk + 4] == [
        "RESET enable_bitmapscan",
        "RESET max_parallel_workers_per_gather",
        "RESET statement_timeout",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_bitmapscan")
        assert cursor.fetchone() == ("on",)


def test_a_long_walk_falls_back_to_sorting_every_match(five, monkeypatch):
    """Matches far down the order: past the timeout the database sorts them instead."""

    def cancelled(self, keys):
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setattr(PersonPaginator, "timed_walk", cancelled)
    monkeypatch.setattr(PersonPaginator, "walk_is_long", lambda self, top: False)
    monkeypatch.setattr(connection, "vendor", "postgresql")
    with CaptureQueriesContext(connection) as queries:
        _, page = page_of(3, number=2)
        given = [p.given_name for p in page]
    assert given == ["Chi", "Dũng"]
    assert "ORDER BY LOWER(" in selects(queries)[1]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_stats is PostgreSQL's")
@pytest.mark.parametrize(("budget", "walked"), [(0, False), (1_000_000, True)])
def test_the_histogram_says_when_a_walk_would_be_long(five, budget, walked):
    """The sampled keys' place in the column histogram decides walk or sort, same rows."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_person")
    paginator = PersonPaginator(Person.objects.order_by("sort_key", "id"), 2)
    paginator.cap, paginator.walk_budget = 3, budget
    with CaptureQueriesContext(connection) as queries:
        given = [p.given_name for p in paginator.page(2)]
    assert given == ["Chi", "Dũng"]
    statements = [q["sql"] for q in queries]
    assert ("SET LOCAL enable_bitmapscan = off" in statements) is walked
    assert any("ORDER BY LOWER(" in s.upper() for s in statements) is not walked


def test_people_named_by_id_prefix_or_name_in_name_order(five):
    everyone = Person.objects.all()
    # Vietnamese name order: given name first
    assert [p.given_name for p in people_named(everyone, "0010910000", 5)] == [
        "An", "Ba", "Chi", "Dũng", "Em",
    ]  # fmt: skip
    assert [p.id_number for p in people_named(everyone, "001 091 000 003", 5)] == ["001091000003"]
    assert [p.given_name for p in people_named(everyone, "van", 2)] == ["Ba", "Dũng"]
    assert [p.given_name for p in people_named(everyone, "le", 5)] == ["An", "Em"]
    assert people_named(everyone, "xuan", 5) == []
