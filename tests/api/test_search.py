"""Accent-insensitive search and Vietnamese name order through the API.

Order (canbo/core/vntext.py): given name, then middle, then family name; letters
a < ă < â < b … d < đ …, syllable by syllable, a shorter syllable first ("An" before
"Anh"), and the tone only after the letters ("Anh" < "Ánh" < "Ân").
"""

import pytest

from canbo.people import selectors

from ..factories import PersonFactory
from .conftest import results


@pytest.fixture
def crowd(people):
    """The three people of `people` and seven more, all in commune A except where noted."""
    names = [
        ("Nguyễn", "Văn", "An", people.xa),
        ("Nguyễn", "Thị", "Ân", people.xa),
        ("Nguyễn", "Văn", "Anh", people.xa),
        ("Dương", "Văn", "An", people.xa),
        ("Đặng", "Văn", "An", people.xa),
        ("Lê", "Thị", "An", people.xb),
        ("Hoàng", "Đăng", "Khoa", people.xb),
    ]
    for n, (family, middle, given, unit) in enumerate(names):
        PersonFactory(
            id_number=f"00109000{n:04d}",
            family_name=family,
            middle_name=middle,
            given_name=given,
            unit=unit,
            sex="F" if middle == "Thị" else "M",
        )
    return people


def names(response):
    return [r["full_name"] for r in results(response)]


def test_full_list_is_in_vietnamese_order(crowd, admin_user, as_user):
    assert names(as_user(admin_user).get("/api/people/")) == [
        "Lê Thị An",
        "Dương Văn An",
        "Đặng Văn An",
        "Nguyễn Văn An",
        "Nguyễn Văn Anh",
        "Nguyễn Văn Ánh",
        "Nguyễn Thị Ân",
        "Đặng Thị Bình",
        "Trần Thị Cúc",
        "Hoàng Đăng Khoa",
    ]


@pytest.mark.parametrize("text", ["nguyen van", "NGUYEN   VAN", "Nguyễn Văn", "nguyễn van"])
def test_search_ignores_accents_and_case(crowd, admin_user, as_user, text):
    response = as_user(admin_user).get("/api/people/", {"search": text})
    assert names(response) == ["Nguyễn Văn An", "Nguyễn Văn Anh", "Nguyễn Văn Ánh"]


def test_search_folds_d_with_stroke(crowd, admin_user, as_user):
    response = as_user(admin_user).get("/api/people/", {"search": "dang"})
    assert names(response) == ["Đặng Văn An", "Đặng Thị Bình", "Hoàng Đăng Khoa"]
    response = as_user(admin_user).get("/api/people/", {"search": "Đặng"})
    assert names(response) == ["Đặng Văn An", "Đặng Thị Bình", "Hoàng Đăng Khoa"]


def test_search_every_word_must_match(crowd, admin_user, as_user):
    response = as_user(admin_user).get("/api/people/", {"search": "anh van"})
    assert names(response) == ["Nguyễn Văn Anh", "Nguyễn Văn Ánh"]


def test_short_words_match_whole_words(crowd, admin_user, as_user):
    """'an' is the name An (or Ân), not a piece of Anh, Khoa or Hoàng."""
    api = as_user(admin_user)
    assert names(api.get("/api/people/", {"search": "an van"})) == [
        "Dương Văn An", "Đặng Văn An", "Nguyễn Văn An"
    ]  # fmt: skip
    assert names(api.get("/api/people/", {"search": "an"})) == [
        "Lê Thị An", "Dương Văn An", "Đặng Văn An", "Nguyễn Văn An", "Nguyễn Thị Ân"
    ]  # fmt: skip
    assert names(api.get("/api/people/", {"search": "le"})) == ["Lê Thị An"]
    assert names(api.get("/api/people/", {"search": "l"})) == []
    # Three letters and more still match anywhere in the name or the ID number.
    assert names(api.get("/api/people/", {"search": "oan"})) == ["Hoàng Đăng Khoa"]


def test_count_is_exact_up_to_the_cap(crowd, admin_user, as_user):
    body = as_user(admin_user).get("/api/people/", {"search": "van"}).json()
    assert (body["count"], body["count_capped"]) == (5, False)


def test_count_stops_past_the_cap_in_the_same_order(crowd, admin_user, as_user, monkeypatch):
    api = as_user(admin_user)
    exact = names(api.get("/api/people/", {"page_size": 4, "page": 2}))
    monkeypatch.setattr(selectors.PersonPaginator, "cap", 5)
    body = api.get("/api/people/", {"page_size": 4}).json()
    assert (body["count"], body["count_capped"]) == (6, True)
    assert [r["full_name"] for r in body["results"]] == [
        "Lê Thị An", "Dương Văn An", "Đặng Văn An", "Nguyễn Văn An"
    ]  # fmt: skip
    assert exact == ["Nguyễn Văn Anh", "Nguyễn Văn Ánh", "Nguyễn Thị Ân", "Đặng Thị Bình"]
    # Pages go on past the rows counted, in the same order, until the rows end.
    second = api.get("/api/people/", {"page_size": 4, "page": 2}).json()
    assert [r["full_name"] for r in second["results"]] == exact
    assert second["next"] == "http://testserver/api/people/?page=3&page_size=4"
    third = api.get("/api/people/", {"page_size": 4, "page": 3}).json()
    assert [r["full_name"] for r in third["results"]] == ["Trần Thị Cúc", "Hoàng Đăng Khoa"]
    assert third["next"] is None
    assert api.get("/api/people/", {"page_size": 4, "page": 4}).status_code == 404
    body = api.get("/api/people/", {"page_size": 4, "page": 3, "count": "exact"}).json()
    assert (body["count"], body["count_capped"]) == (10, False)
    assert [r["full_name"] for r in body["results"]] == ["Trần Thị Cúc", "Hoàng Đăng Khoa"]


def test_schema_documents_the_capped_count(admin_user, as_user):
    schema = as_user(admin_user).get("/api/schema/", {"format": "json"}).json()
    page = schema["components"]["schemas"]["PaginatedPersonList"]
    assert page["required"] == ["count", "results", "count_capped"]
    assert page["properties"]["count_capped"]["type"] == "boolean"
    params = {p["name"] for p in schema["paths"]["/api/people/"]["get"]["parameters"]}
    assert {"count", "page", "page_size", "search"} <= params


def test_search_stays_inside_scope(crowd, as_user):
    response = as_user(crowd.viewer_a).get("/api/people/", {"search": "dang"})
    assert names(response) == ["Đặng Văn An"]


def test_search_combines_with_filters(crowd, admin_user, as_user):
    response = as_user(admin_user).get("/api/people/", {"search": "nguyen", "sex": "F"})
    assert names(response) == ["Nguyễn Thị Ân"]
    response = as_user(admin_user).get("/api/people/", {"search": "thi", "unit": "XB"})
    assert names(response) == ["Lê Thị An", "Đặng Thị Bình"]


def test_area_search_ignores_accents(people, as_user):
    api = as_user(people.viewer_a)
    rows = results(api.get("/api/areas/", {"search": "binh"}))
    assert [r["name"] for r in rows] == ["Xã An Bình", "Xã Bình Minh"]
    rows = results(api.get("/api/areas/", {"search": "BÌNH minh"}))
    assert [r["code"] for r in rows] == ["00002"]


def test_unit_search_ignores_accents(people, admin_user, as_user):
    rows = results(as_user(admin_user).get("/api/units/", {"search": "dang uy xa"}))
    assert [r["code"] for r in rows] == ["XA", "XB"]
    rows = results(as_user(people.viewer_a).get("/api/units/", {"search": "binh minh"}))
    assert rows == []
