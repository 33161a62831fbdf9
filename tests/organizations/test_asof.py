"""The unit tree and the area tree as they stood at a date (issue 13 item 1), and the unit
suggestions of the people filter (in the user's scope only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from canbo.organizations.models import Area, Unit
from canbo.organizations.selectors import area_list, areas_on, units_on
from canbo.people import selectors as people_selectors
from tests.factories import UserFactory, grant
from tests.people.asof_city import D2015, D2018, OLD_END, REFORM, TODAY, build_city


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(people_selectors, "today", lambda: TODAY)


@pytest.fixture
def city(db):
    return build_city()


def codes(qs) -> list[str]:
    return list(qs.order_by("path").values_list("code", flat=True))


def test_areas_as_they_stood(city):
    assert codes(areas_on(Area.objects.all(), D2015)) == ["01", "cu-001", "cu-00004"]
    assert codes(areas_on(Area.objects.all(), D2018)) == ["01", "cu-001", "cu-00004"]
    assert codes(areas_on(Area.objects.all(), OLD_END)) == ["01", "cu-001", "cu-00004"]
    assert codes(areas_on(Area.objects.all(), REFORM)) == ["01", "00004"]
    assert codes(areas_on(Area.objects.all(), dt.date(2026, 1, 1))) == ["01", "00004"]
    assert codes(areas_on(Area.objects.all())) == ["01", "00004"]  # today
    assert codes(area_list(on=D2018)) == ["01", "cu-001", "cu-00004"]
    assert codes(area_list(search="dong anh", on=dt.date(2026, 1, 1))) == ["00004"]


def test_units_as_they_stood(city):
    assert codes(units_on(Unit.objects.all(), D2018)) == ["TU", "HDA", "HSS", "PX", "HDA2"]
    assert codes(units_on(Unit.objects.all(), REFORM)) == ["TU", "XDA", "PX", "HDA2"]
    assert codes(units_on(Unit.objects.all())) == ["TU", "XDA", "PX", "HDA2"]
    # A subtree at a date: the city's districts in 2018, its new commune in 2026.
    children = Unit.objects.filter(path__startswith=city.tu.path, depth=2)
    assert codes(units_on(children, D2018)) == ["HDA", "HSS"]
    assert codes(units_on(children, dt.date(2026, 1, 1))) == ["XDA"]


def test_unit_suggestions_by_name_in_scope(city, client, admin_user):
    client.force_login(admin_user)
    url = reverse("organizations:unit-suggest")
    found = client.get(url, {"q": "dong anh"}).json()["results"]
    # In force today first (by depth, then tree order), then the abolished ones.
    assert [(u["code"], u["current"]) for u in found] == [
        ("XDA", True),
        ("HDA2", True),
        ("HDA", False),
    ]
    assert found[0] == {
        "code": "XDA",
        "name": "Đảng ủy xã Đông Anh",
        "value": "XDA · Đảng ủy xã Đông Anh",
        "current": True,
    }
    assert [u["code"] for u in client.get(url, {"q": "HS"}).json()["results"]] == ["HSS"]
    assert client.get(url, {"q": "d"}).json() == {"results": []}  # too short
    assert client.get(url, {"q": "dong\x00anh"}).status_code == 400  # the site refuses NUL

    viewer = UserFactory(username="soc_son")
    grant(viewer, city.hss)
    client.force_login(viewer)
    assert client.get(url, {"q": "huyen uy"}).json()["results"] == [
        {"code": "HSS", "name": "Huyện ủy Sóc Sơn", "value": "HSS · Huyện ủy Sóc Sơn",
         "current": False}
    ]  # fmt: skip
    assert client.get(url, {"q": "dong anh"}).json() == {"results": []}


def test_unit_suggestions_need_a_signed_in_user(city, client):
    response = client.get(reverse("organizations:unit-suggest"), {"q": "dong anh"})
    assert response.status_code == 302
