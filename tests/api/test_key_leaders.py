"""GET /api/key-leaders/ over the synthetic city of tests/people/test_leaders.py (issue 13
item 4): the answer at 30/11/2018 and 30/06/2015, the 400s, the scope (an unknown unit
and a unit outside the scope answered alike), the access log and a fixed query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from canbo.accounts.models import Role
from canbo.core.models import AccessEvent
from tests.factories import UserFactory, grant
from tests.people import test_leaders as leaders_city

from .oracle import answer

#: The synthetic city (a fixture) and how to add a district to it.
city, district = leaders_city.city, leaders_city.district
pytestmark = pytest.mark.django_db

URL = "/api/key-leaders/"
ACCEPTED = (
    "Tham số không được nhận. Các tham số được nhận: unit, as_of, level, posts, format."
)


@pytest.fixture
def admin(city, as_user):
    return as_user(UserFactory(username="quantri", role=Role.ADMIN))


def viewer_of(unit, include_subtree=True, role=Role.VIEWER):
    user = UserFactory(role=role)
    grant(user, unit, include_subtree)
    return user


def posts(data):
    return [
        (p["unit"]["code"], p["title"]["code"],
         p["holder"]["full_name"] if p["holder"] else None, p["local"], p["start_date"],
         p["tenure_start"], p["tenure_months"], p["terms"],
         [t["code"] for t in p["also_holds"]])
        for p in data["posts"]
    ]  # fmt: skip


def summary(data):
    return [
        (s["title"]["code"], s["level"], s["level_name"], s["posts"], s["held"], s["not_local"],
         s["unknown"], s["share_not_local"], s["share_text"])
        for s in data["summary"]
    ]  # fmt: skip


DISTRICT = "Cấp huyện (trước 01/7/2025)"


def test_the_city_at_30_11_2018(city, admin):
    response = admin.get(f"{URL}?unit=TU&as_of=2018-11-30")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["unit"] == {"code": "TU", "name": "Tỉnh ủy", "level": "province"}
    assert (data["as_of"], data["level"]) == ("2018-11-30", None)
    assert posts(data) == [
        ("HU1", "bt-huyen", "Nguyễn Văn P1", True, "2016-01-01", "2016-01-01", 35, None,
         ["ct-huyen"]),
        ("X1a", "bt-xa", "Nguyễn Văn P9", True, "2017-01-01", "2017-01-01", 23, None, []),
        ("UB1", "ct-huyen", "Nguyễn Văn P1", True, "2017-03-01", "2017-03-01", 21, None,
         ["bt-huyen"]),
        ("HU2", "bt-huyen", "Nguyễn Văn P2", False, "2015-10-01", "2015-10-01", 38, None, []),
        ("UB2", "ct-huyen", "Nguyễn Văn P4", True, "2014-01-01", "2014-01-01", 59, None, []),
        ("HU3", "bt-huyen", "Nguyễn Văn P3", False, "2015-10-01", "2015-10-01", 38, None, []),
        ("UB3", "ct-huyen", "Nguyễn Văn P5", True, "2015-01-01", "2015-01-01", 47, None, []),
    ]  # fmt: skip
    assert summary(data) == [
        ("bt-huyen", "district", DISTRICT, 3, 3, 2, 0, "66.67", "2/3 (66,67%)"),
        ("ct-huyen", "district", DISTRICT, 3, 3, 0, 0, "0.00", "0/3 (0,00%)"),
        ("bt-xa", "commune", "Cấp xã", 1, 1, 0, 0, "0.00", "0/1 (0,00%)"),
    ]
    p1 = city.people["p1"]
    assert data["posts"][0]["holder"] == {
        "id": p1.pk, "id_number": p1.id_number, "full_name": "Nguyễn Văn P1"
    }  # fmt: skip
    assert data["doubles"] == [
        {
            "titles": [{"code": "bt-huyen", "name": "Bí thư Huyện ủy"},
                       {"code": "ct-huyen", "name": "Chủ tịch UBND huyện"}],
            "count": 1,
            "people": [{"id": p1.pk, "id_number": p1.id_number, "full_name": "Nguyễn Văn P1"}],
        }
    ]  # fmt: skip


def test_the_city_at_30_06_2015_in_either_date_form(city, admin):
    data = admin.get(f"{URL}?unit=TU&as_of=30/06/2015").json()
    assert data["as_of"] == "2015-06-30"
    # P7 held district 1 "đến 2015" (through 31/12/2015): a former holder counted on his date.
    assert posts(data) == [
        ("HU1", "bt-huyen", "Nguyễn Văn P7", False, "2010-01-01", "2010-01-01", 66, None, []),
        ("X1a", "bt-xa", None, None, None, None, None, None, []),
        ("UB1", "ct-huyen", None, None, None, None, None, None, []),
        ("HU2", "bt-huyen", None, None, None, None, None, None, []),
        ("UB2", "ct-huyen", "Nguyễn Văn P4", True, "2014-01-01", "2014-01-01", 18, None, []),
        ("HU3", "bt-huyen", None, None, None, None, None, None, []),
        ("UB3", "ct-huyen", "Nguyễn Văn P5", True, "2015-01-01", "2015-01-01", 6, None, []),
    ]  # fmt: skip
    assert summary(data) == [
        ("bt-huyen", "district", DISTRICT, 3, 1, 1, 0, "100.00", "1/1 (100,00%)"),
        ("ct-huyen", "district", DISTRICT, 3, 2, 0, 0, "0.00", "0/2 (0,00%)"),
        ("bt-xa", "commune", "Cấp xã", 1, 0, 0, 0, None, "0/0"),
    ]
    assert data["doubles"] == []
    assert admin.get(f"{URL}?unit=TU&as_of=2015-06-30").json() == data


def test_a_level_and_a_unit_by_name(city, admin):
    data = admin.get(f"{URL}?unit=Huyện ủy 1&as_of=2018-11-30&level=commune").json()
    assert data["unit"]["code"] == "HU1" and data["level"] == "commune"
    assert [(p[0], p[2]) for p in posts(data)] == [("X1a", "Nguyễn Văn P9")]
    assert summary(data) == [("bt-xa", "commune", "Cấp xã", 1, 1, 0, 0, "0.00", "0/1 (0,00%)")]


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("unit=TU&as_of=2018-02-31",
         {"as_of": ["Ngày 2018-02-31 không tồn tại."]}),
        ("unit=TU&as_of=31/02/2018",
         {"as_of": ["Ngày 31/02/2018 không tồn tại."]}),
        ("unit=TU&as_off=2018-01-01", {"as_off": [ACCEPTED]}),
        ("unit=TU&level=huyen",
         {"level": ["Cấp “huyen” không có; chọn một trong: central, province, district, "
                    "commune."]}),
        ("as_of=2018-11-30", {"unit": ["Trường này là bắt buộc."]}),
        ("unit=", {"unit": ["Trường này là bắt buộc."]}),
        ("unit=TU&unit=HU1", {"unit": ["Tham số này chỉ được ghi một lần."]}),
        ("unit=TU&posts=maybe",
         {"posts": ["“maybe” không hợp lệ; hãy viết true hoặc false."]}),
        ("unit=KHONGCO&date=2018",
         {"date": [ACCEPTED], "unit": ["Không có đơn vị “KHONGCO”."]}),
    ],
)  # fmt: skip
def test_a_query_the_api_cannot_read_is_a_400_naming_the_problem(city, admin, query, errors):
    response = admin.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response.json() == errors
    assert AccessEvent.objects.count() == 0


def test_posts_false_answers_the_figures_alone_and_names_no_one(city, as_user):
    admin = as_user(UserFactory(username="quantri", role=Role.ADMIN))
    full = admin.get(f"{URL}?unit=TU&as_of=2018-11-30").json()
    alone = admin.get(f"{URL}?unit=TU&as_of=2018-11-30&posts=false").json()
    assert alone["posts"] == []
    assert alone["summary"] == full["summary"]
    assert alone["doubles"] == [{**full["doubles"][0], "people": []}]
    assert full["doubles"][0]["count"] == 1
    assert admin.get(f"{URL}?unit=TU&as_of=2018-11-30&posts=true").json() == full
    event = AccessEvent.objects.order_by("pk")[1]
    assert (event.query, event.rows) == ("unit=TU as_of=2018-11-30 posts=false", 0)
    # A viewer of district 2 alone: the same counts as the full answer gives them.
    viewer = as_user(viewer_of(city.d[2][2]))
    assert viewer.get(f"{URL}?unit=HU2&as_of=2018-11-30&posts=false").json()["summary"] == (
        viewer.get(f"{URL}?unit=HU2&as_of=2018-11-30").json()["summary"]
    )


def test_a_unit_outside_the_scope_is_answered_as_an_unknown_unit(city, as_user):
    """A commune editor asking for the province, or a district viewer for another
    district: the same 404 as for a code no unit has, and nothing logged."""
    cases = [
        (viewer_of(city.x1a, role=Role.EDITOR), "TU"),
        (viewer_of(city.d[2][2]), "HU1"),
        (viewer_of(city.d[2][2]), "Huyện ủy 1"),  # by name, the same
    ]
    for user, unit in cases:
        api = as_user(user)
        outside = api.get(f"{URL}?unit={unit}&as_of=2018-11-30")
        missing = api.get(f"{URL}?unit=KHONGCO&as_of=2018-11-30")
        assert outside.status_code == 404
        assert outside.json() == {"detail": f"Không có đơn vị “{unit}”."}
        assert answer(outside, [unit]) == answer(missing, ["KHONGCO"])
    assert AccessEvent.objects.count() == 0


def test_a_district_viewer_sees_only_their_district(city, as_user):
    api = as_user(viewer_of(city.d[2][2]))
    data = api.get(f"{URL}?unit=HU2&as_of=2018-11-30").json()
    assert [(p[0], p[2], p[3]) for p in posts(data)] == [("HU2", "Nguyễn Văn P2", False)]
    assert summary(data) == [
        ("bt-huyen", "district", DISTRICT, 1, 1, 1, 0, "100.00", "1/1 (100,00%)")
    ]


def test_a_grant_without_the_subtree_shows_that_unit_alone(city, as_user):
    """HU1 granted alone: its secretary, not commune 1A's; P1's chair of UB1 is out of
    sight, so no double holding is shown either."""
    api = as_user(viewer_of(city.d[1][2], include_subtree=False))
    data = api.get(f"{URL}?unit=HU1&as_of=2018-11-30").json()
    assert posts(data) == [
        ("HU1", "bt-huyen", "Nguyễn Văn P1", True, "2016-01-01", "2016-01-01", 35, None, []),
    ]
    assert summary(data) == [("bt-huyen", "district", DISTRICT, 1, 1, 0, 0, "0.00", "0/1 (0,00%)")]
    assert data["doubles"] == []


def test_the_answer_is_logged_with_the_holders_shown(city, admin):
    admin.get(f"{URL}?unit=TU&as_of=2018-11-30&level=district")
    event = AccessEvent.objects.get()
    shown = sorted(city.people[k].pk for k in ("p1", "p2", "p3", "p4", "p5"))
    assert (event.kind, event.query, event.rows) == (
        "list", "unit=TU as_of=2018-11-30 level=district", 5
    )  # fmt: skip
    assert event.person_ids == " " + " ".join(map(str, shown)) + " "
    assert event.content_type.model == "person"


def count_queries(api, query) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(f"{URL}?{query}").status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["admin", "viewer"])
def test_the_query_count_does_not_grow_with_the_number_of_units(city, as_user, role):
    user = (
        UserFactory(username="quantri", role=Role.ADMIN) if role == "admin"
        else viewer_of(city.tu, include_subtree=True)
    )  # fmt: skip
    as_user(user).get(f"{URL}?unit=HU1")  # warms the content-type cache of the access log
    user = type(user).objects.get(pk=user.pk)  # a fresh user: no cached grants
    small = count_queries(as_user(user), "unit=TU&as_of=2018-11-30")
    for n in (4, 5, 6, 7):
        district(city.province, n, city.tu, city.titles)
    big_api = as_user(type(user).objects.get(pk=user.pk))  # a fresh user: no cached grants
    assert count_queries(big_api, "unit=TU&as_of=2018-11-30") == small
    assert len(big_api.get(f"{URL}?unit=TU&as_of=2018-11-30").json()["posts"]) == 7 + 4 * 2
    # key_leaders' 4, the unit, the access-log entry; a viewer's grants (the units in scope
    # are read inside key_leaders' first query).
    assert small == {"admin": 6, "viewer": 7}[role]


def test_a_name_several_units_share_is_a_400_naming_their_codes(city, admin):
    from canbo.organizations.models import Unit

    Unit.objects.filter(code="UB2").update(name="Huyện ủy 1", name_folded="huyen uy 1")
    response = admin.get(f"{URL}?unit=huyện ủy 1")
    assert response.status_code == 400
    assert response.json() == {
        "unit": ["Có nhiều đơn vị tên “huyện ủy 1”: HU1, UB2. Hãy ghi mã đơn vị."]
    }
    assert AccessEvent.objects.count() == 0
