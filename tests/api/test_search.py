"""Accent-insensitive search and Vietnamese name order through the API.

Order (canbo/core/vntext.py): given name, then middle, then family name; letters
a < ă < â < b … d < đ …, syllable by syllable, a shorter syllable first ("An" before
"Anh"), and the tone only after the letters ("Anh" < "Ánh" < "Ân").
"""

import pytest

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
    response = as_user(admin_user).get("/api/people/", {"search": "an van"})
    assert names(response) == [
        "Dương Văn An",
        "Đặng Văn An",
        "Nguyễn Văn An",
        "Nguyễn Văn Anh",
        "Nguyễn Văn Ánh",
    ]


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
