"""The people list reads its posts as plain values (`selectors.posts_held`, issue 18): the
same posts, in the same order, as the prefetched `current_positions`, on any date and for
any number of people (the statement is kept per size, padded)."""

import datetime as dt

import pytest

from canbo.people import selectors, services
from canbo.people.models import Person

from ..factories import PersonFactory
from ..ui.conftest import anh_also_in_commune_b, people  # noqa: F401 (the fixture)


@pytest.fixture
def posted(people):  # noqa: F811
    anh_also_in_commune_b(people)
    services.section_create(
        actor=None,
        person=people.binh,
        kind="assignment",
        title_name="Ủy viên",
        unit_name="Ban Tổ chức",
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2021, 6, 1),
        end_precision="M",
    )
    PersonFactory(family_name="Lê", given_name="Không")  # no post at all
    return people


def expected(on: dt.date) -> dict[int, list[tuple[str, str, bool]]]:
    listed = selectors.with_current_positions(Person.objects.all(), on)
    return {
        person.pk: [(a.title_name, a.unit_name, a.is_concurrent) for a in posts]
        for person in listed
        if (posts := selectors.current_positions(person, on))
    }


@pytest.mark.parametrize("on", [dt.date(2026, 6, 1), dt.date(2021, 6, 30), dt.date(2021, 7, 1),
                                dt.date(2018, 1, 1)])  # fmt: skip
def test_the_same_posts_as_the_prefetch(posted, on, django_assert_num_queries):
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    want = expected(on)
    if on.year == 2026:  # Ánh holds two posts then, one concurrent
        assert any(len(posts) > 1 for posts in want.values())
    for count in range(1, len(ids) + 1):  # sizes 1, 2, 3 (padded to 4), …
        with django_assert_num_queries(1):
            held = selectors.posts_held(ids[:count], on)
        assert held == {pk: posts for pk, posts in want.items() if pk in ids[:count]}
    assert selectors.posts_held([], on) == {}
