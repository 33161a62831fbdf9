"""`local_to_post` (issue 13 item 3): people holding on `as_of` a post judged local, or not
local, to the area its unit governs; anything but true/false is a 400 naming the problem."""

from __future__ import annotations

import pytest

from tests.people.test_leaders import city as leaders_city

from .conftest import results

city = leaders_city


@pytest.fixture
def api(city, admin_user, as_user):
    return as_user(admin_user)


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["given_name"] for row in results(response))


def test_not_local_to_post_at_two_dates(api):
    # 2018: P2 and P3 lead districts they do not come from; P8 deputises in district 1.
    assert names(api.get("/api/people/?as_of=2018-11-30&local_to_post=false")) == ["P2", "P3", "P8"]
    # 2015: P7 still led district 1 ("đến 2015"); P2 and P3 had not started.
    assert names(api.get("/api/people/?as_of=2015-06-30&local_to_post=false")) == ["P7", "P8"]


def test_local_to_post_with_a_title_is_that_post(api):
    assert names(api.get("/api/people/?as_of=2018-11-30&local_to_post=true")) == [
        "P1", "P4", "P5", "P9"]  # fmt: skip
    assert names(api.get("/api/people/?as_of=2018-11-30&local_to_post=false"
                         "&position_title=bt-huyen")) == ["P2", "P3"]  # fmt: skip
    assert names(api.get("/api/people/?as_of=2018-11-30&local_to_post=true"
                         "&position_title=bt-huyen&post_level=district")) == ["P1"]  # fmt: skip


def test_the_record_unit_does_not_change_the_answer(api, city):
    from canbo.people.models import Person

    before = names(api.get("/api/people/?as_of=2018-11-30&local_to_post=false"))
    Person.objects.filter(given_name__in=["P2", "P3", "P8"]).update(unit=city.d[2][2])
    assert names(api.get("/api/people/?as_of=2018-11-30&local_to_post=false")) == before


@pytest.mark.parametrize("value", ["maybe", "1", "Có", ""])
def test_anything_but_true_or_false_is_a_400(api, value):
    response = api.get(f"/api/people/?local_to_post={value}")
    if value == "":
        assert response.status_code == 200  # an empty filter filters nothing
        return
    assert response.status_code == 400
    assert list(response.json()) == ["local_to_post"]
    assert value in response.json()["local_to_post"][0]
