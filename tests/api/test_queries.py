"""List endpoints run a fixed number of queries, whatever the page size."""

import datetime as dt

import pytest

from canbo.organizations.choices import AreaKind, AreaLevel
from canbo.organizations.models import AreaSuccession
from canbo.people.models import Assignment, Ethnicity

from ..factories import PersonFactory, PositionFactory, PositionTitleFactory, make_area, make_unit
from .conftest import results


def populate(world, count: int) -> None:
    """`count` units under commune A, each with a seat, a holder and an area with a successor."""
    kinh = Ethnicity.objects.get(code="01")
    title = PositionTitleFactory(code="CT", name="Chủ tịch")
    for n in range(count):
        area = make_area(
            f"cu-{n:05d}",
            f"Xã Cũ {n}",
            world.province,
            AreaKind.COMMUNE,
            AreaLevel.COMMUNE,
            valid_to=dt.date(2025, 6, 30),
        )
        AreaSuccession.objects.create(
            predecessor=area, successor=world.commune_a, effective_date=dt.date(2025, 7, 1)
        )
        world.xa.refresh_from_db()
        unit = make_unit(f"XA-{n}", f"Chi bộ {n}", world.xa, area=area)
        position = PositionFactory(unit=unit, title=title)
        person = PersonFactory(id_number=f"00109{n:07d}", unit=unit, hometown=area, ethnicity=kinh)
        Assignment.objects.create(
            person=person, position=position, title_name="Chủ tịch", start_date=dt.date(2024, 1, 1)
        )


@pytest.mark.parametrize("count", [2, 40])
@pytest.mark.parametrize(
    ("path", "queries", "expected_rows"),
    [
        # count, page, current posts (with their seats, titles and units), the access entry,
        # and locality per post: the governed areas, the merger links, the areas' paths
        ("/api/people/", 7, lambda n: n),
        # count, page (parent codes by a correlated subquery)
        ("/api/units/", 2, lambda n: n + 1),
        # count, page (holders counted in the same query)
        ("/api/positions/", 2, lambda n: n),
        # count, page, successors
        ("/api/areas/", 3, lambda n: n + 3),
    ],
)
def test_list_queries_do_not_grow_with_page_size(
    world, as_user, django_assert_max_num_queries, count, path, queries, expected_rows
):
    populate(world, count)
    api = as_user(world.editor_a)
    api.get(path)  # the user's scope grants are cached on the user from here on
    with django_assert_max_num_queries(queries) as captured:
        rows = results(api.get(f"{path}?page_size=100"))
    assert len(rows) == expected_rows(count)
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    # Logging a page of people is one insert, whatever its size; other lists log nothing.
    assert len(inserts) == (1 if path == "/api/people/" else 0)
    assert all('"core_accessevent"' in sql for sql in inserts)


def test_detail_queries_are_bounded(world, as_user, django_assert_max_num_queries):
    populate(world, 3)
    api = as_user(world.editor_a)
    api.get("/api/people/")
    # person id, profile, 6 sections, the access entry, locality per post (3)
    with django_assert_max_num_queries(12):
        response = api.get("/api/people/001090000001/")
    assert response.status_code == 200
