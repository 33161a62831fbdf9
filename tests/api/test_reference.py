"""Areas, units and positions: fields, filters and lookups."""

import datetime as dt

import pytest

from canbo.organizations.choices import AreaKind, AreaLevel
from canbo.organizations.models import AreaSuccession
from canbo.people.models import Assignment

from ..factories import PersonFactory, make_area
from .conftest import results


@pytest.fixture
def old_commune(world):
    """A commune abolished on 1 July 2025 and merged into commune A."""
    old = make_area(
        "cu-00009",
        "Xã Đồng Tâm",
        world.province,
        AreaKind.COMMUNE,
        AreaLevel.COMMUNE,
        valid_to=dt.date(2025, 6, 30),
    )
    AreaSuccession.objects.create(
        predecessor=old, successor=world.commune_a, effective_date=dt.date(2025, 7, 1)
    )
    return old


def test_area_fields(old_commune, as_user, world):
    api = as_user(world.viewer_a)
    assert api.get("/api/areas/cu-00009/").json() == {
        "code": "cu-00009",
        "official_code": "cu-00009",
        "name": "Xã Đồng Tâm",
        "kind": "commune",
        "level": 3,
        "parent": "01",
        "valid_from": None,
        "valid_to": "2025-06-30",
        "successors": ["00001"],
    }
    assert api.get("/api/areas/01/").json() == {
        "code": "01",
        "official_code": "01",
        "name": "Tỉnh Thử Nghiệm",
        "kind": "province",
        "level": 1,
        "parent": None,
        "valid_from": None,
        "valid_to": None,
        "successors": [],
    }


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("", ["01", "00001", "00002", "cu-00009"]),
        ("current=true", ["01", "00001", "00002"]),
        ("current=false", ["cu-00009"]),
        ("level=3", ["00001", "00002", "cu-00009"]),
        ("level=1", ["01"]),
        ("level=3&current=true", ["00001", "00002"]),
        ("kind=province", ["01"]),
        ("parent=01", ["00001", "00002", "cu-00009"]),
        ("parent=00001", []),
        ("parent=nope", []),
        ("search=dong tam", ["cu-00009"]),
        ("search=xa", ["00001", "00002", "cu-00009"]),
    ],
)
def test_area_filters(old_commune, as_user, world, query, codes):
    rows = results(as_user(world.viewer_a).get(f"/api/areas/?{query}"))
    assert [r["code"] for r in rows] == codes


@pytest.mark.parametrize("query", ["level=9", "level=abc", "kind=planet"])
def test_area_filter_junk_is_400(world, as_user, query):
    assert as_user(world.viewer_a).get(f"/api/areas/?{query}").status_code == 400


def test_unknown_area_is_404(world, as_user):
    assert as_user(world.viewer_a).get("/api/areas/nope/").status_code == 404


def test_unit_fields(people, as_user, admin_user):
    rows = results(as_user(admin_user).get("/api/units/"))
    assert rows == [
        {
            "code": "TU",
            "name": "Tỉnh ủy Thử Nghiệm",
            "short_name": "",
            "kind": "party_committee",
            "level": "province",
            "parent": None,
            "area": "01",
            "is_difficult_area": False,
            "valid_from": None,
            "valid_to": None,
        },
        {
            "code": "XA",
            "name": "Đảng ủy xã An Bình",
            "short_name": "",
            "kind": "party_committee",
            "level": "commune",
            "parent": "TU",
            "area": "00001",
            "is_difficult_area": False,
            "valid_from": None,
            "valid_to": None,
        },
        {
            "code": "XB",
            "name": "Đảng ủy xã Bình Minh",
            "short_name": "",
            "kind": "party_committee",
            "level": "commune",
            "parent": "TU",
            "area": "00002",
            "is_difficult_area": False,
            "valid_from": None,
            "valid_to": None,
        },
    ]


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("level=commune", ["XA", "XB"]),
        ("parent=TU", ["XA", "XB"]),
        ("current=true", ["TU", "XA"]),
        ("current=false", ["XB"]),
        ("kind=department", []),
    ],
)
def test_unit_filters(people, as_user, admin_user, query, codes):
    people.xb.valid_to = dt.date(2025, 6, 30)
    people.xb.save(update_fields=["valid_to"])
    rows = results(as_user(admin_user).get(f"/api/units/?{query}"))
    assert [r["code"] for r in rows] == codes


def test_position_fields_count_current_holders(people, as_user, admin_user):
    # A second, concurrent holder of XA's seat, and one whose term ended.
    other = PersonFactory(id_number="001090000020", unit=people.xa)
    Assignment.objects.create(
        person=other,
        position=people.position_a,
        title_name="Bí thư",
        start_date=dt.date(2025, 1, 1),
        is_concurrent=True,
    )
    former = PersonFactory(id_number="001090000021", unit=people.xa)
    Assignment.objects.create(
        person=former,
        position=people.position_a,
        title_name="Bí thư",
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2020, 12, 31),
    )
    rows = results(as_user(admin_user).get("/api/positions/"))
    assert rows == [
        {
            "id": people.position_a.pk,
            "unit": "XA",
            "unit_name": "Đảng ủy xã An Bình",
            "title": "BT-XA",
            "title_name": "Bí thư Đảng ủy xã",
            "seats": 1,
            "holders": 2,
        },
        {
            "id": people.position_b.pk,
            "unit": "XB",
            "unit_name": "Đảng ủy xã Bình Minh",
            "title": "BT-XA",
            "title_name": "Bí thư Đảng ủy xã",
            "seats": 1,
            "holders": 1,
        },
    ]


def test_position_filters(people, as_user, admin_user):
    api = as_user(admin_user)
    assert [r["unit"] for r in results(api.get("/api/positions/?unit=XB"))] == ["XB"]
    assert len(results(api.get("/api/positions/?title=BT-XA"))) == 2
    assert results(api.get("/api/positions/?title=nope")) == []
