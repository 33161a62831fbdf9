"""The people API as of a date (issue 13 items 1 and 3): `as_of`, the post filters, the unit
by name, and a 400 for an impossible date or a parameter the API does not read."""

from __future__ import annotations

import pytest

from tests.people.asof_city import build_city

from .conftest import results

ACCEPTED = (
    "Tham số không được nhận. Các tham số được nhận: as_of, search, unit, sex, age_min, "
    "age_max, ethnicity, minority, degree, political_theory, position_title, post_level, "
    "also_holds, is_local, local_to_post, page, page_size, count, format."
)


@pytest.fixture
def city(db):
    return build_city()


@pytest.fixture
def api(city, admin_user, as_user):
    return as_user(admin_user)


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(r["given_name"] for r in results(response))


def test_impossible_as_of_is_a_400_naming_the_problem(api):
    response = api.get("/api/people/?as_of=31/02/2018")
    assert response.status_code == 400
    assert response.json() == {
        "as_of": ["Ngày 31/02/2018 không tồn tại."]
    }
    response = api.get("/api/people/001065000002/?as_of=2018-02-31")
    assert response.status_code == 400


def test_an_unknown_parameter_is_a_400_naming_the_accepted_ones(api):
    response = api.get("/api/people/?as_off=2018-01-01")
    assert response.status_code == 400
    assert response.json() == {"as_off": [ACCEPTED]}
    for path in ("/api/people/001065000002/?on=2018-01-01", "/api/people/?date=2018-01-01"):
        assert api.get(path).status_code == 400, path
    # A write is refused too, before anything is read or written.
    response = api.patch("/api/people/001065000002/?dry=1", {"middle_name": "Văn"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["dry"]


def test_the_list_answers_as_of_the_date(api):
    response = api.get("/api/people/?as_of=2018-11-30&position_title=BT")
    assert names(response) == ["Bình", "Cường", "Em"]
    binh = next(r for r in results(response) if r["given_name"] == "Bình")
    assert (binh["age"], binh["months_left"]) == (53, 92)
    assert [(p["title"], p["unit"], p["since"], p["is_concurrent"])
            for p in binh["current_positions"]] == [
        ("CT", "HDA", "2017", True),
        ("BT", "HDA", "2016-06", False),
    ]  # fmt: skip
    # dd/mm/yyyy is read too; 30/06/2015: An and Em held a BT post.
    response = api.get("/api/people/?as_of=30/06/2015&position_title=BT")
    assert names(response) == ["An", "Em"]
    an = next(r for r in results(response) if r["given_name"] == "An")
    assert (an["age"], an["months_left"]) == (55, 60)
    assert [p["unit"] for p in an["current_positions"]] == ["HDA"]
    # Today (05/02/2026, the API tests' date): Bình is secretary only.
    today = next(r for r in results(api.get("/api/people/")) if r["given_name"] == "Bình")
    assert [p["title"] for p in today["current_positions"]] == ["BT"]
    assert today["age"] == 61


def test_the_detail_answers_as_of_the_date(api):
    body = api.get("/api/people/001065000002/?as_of=2015-06-30").json()
    assert (body["age"], body["months_left"], body["current_positions"]) == (50, 133, [])
    body = api.get("/api/people/001065000002/?as_of=2018-11-30").json()
    assert [p["title"] for p in body["current_positions"]] == ["CT", "BT"]


def test_post_level_and_also_holds(api):
    base = "/api/people/?as_of=2018-11-30&position_title=BT"
    assert names(api.get(base + "&post_level=district")) == ["Bình", "Cường"]
    assert names(api.get(base + "&post_level=province")) == ["Em"]
    assert names(api.get(base + "&also_holds=CT")) == ["Bình"]
    assert names(api.get("/api/people/?as_of=2015-06-30&position_title=BT&also_holds=CT")) == []
    response = api.get(base + "&post_level=ward")
    assert response.status_code == 400
    assert list(response.json()) == ["post_level"]


def test_unit_by_name(api):
    response = api.get("/api/people/", {"unit": "Huyện ủy Đông Anh"})
    assert response.status_code == 400
    assert response.json() == {
        "unit": ["Có nhiều đơn vị tên “Huyện ủy Đông Anh”: HDA, HDA2. Hãy ghi mã đơn vị."]
    }
    assert names(api.get("/api/people/", {"unit": "thanh uy thu nghiem"})) == [
        "An", "Bình", "Cường", "Dung", "Em"
    ]  # fmt: skip
    assert names(api.get("/api/people/", {"unit": "HDA"})) == []  # no record kept there


def test_the_schema_documents_the_new_parameters(admin_user, as_user):
    schema = as_user(admin_user).get("/api/schema/?format=json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/people/"]["get"]["parameters"]}
    assert parameters["as_of"]["schema"] == {
        "type": "string",
        "format": "date",
        "example": "2018-11-30",
    }
    assert parameters["post_level"]["schema"]["enum"] == [
        "central",
        "commune",
        "district",
        "province",
    ]
    assert parameters["also_holds"]["schema"] == {"type": "string"}
    assert parameters["unit"]["description"] == (
        "Mã đơn vị, hoặc tên đơn vị (không phân biệt dấu, hoa thường)."
    )
