"""Data for the API tests: the `world` of tests/conftest.py with people and seats in both communes.

Commune A (unit XA): Nguyễn Văn Ánh (001080000001, man, born 05/03/1980, hometown
commune A, Bí thư of XA since 01/2021), Trần Thị Cúc (001085000002, woman, born
06/1985, no post).
Commune B (unit XB): Đặng Thị Bình (001075000003, woman, born 1975 (year only),
Bí thư of XB since 15/06/2020).
"""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from canbo.core.models import AccessEvent, AuditEvent
from canbo.organizations.choices import ManagementLevel, UnitLevel
from canbo.organizations.models import Position, Unit
from canbo.people import selectors
from canbo.people.models import Assignment, Ethnicity, Person

from ..factories import PersonFactory, PositionFactory, PositionTitleFactory

TODAY = dt.date(2026, 2, 5)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Derived values (age, months left, current posts) are computed as of 05/02/2026."""
    monkeypatch.setattr(selectors, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def as_user():
    """An API client signed in as the given user."""

    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def people(world):
    kinh = Ethnicity.objects.get(code="01")
    title = PositionTitleFactory(
        code="BT-XA",
        name="Bí thư Đảng ủy xã",
        level=UnitLevel.COMMUNE,
        rank=30,
        is_key=True,
        is_head=True,
        management_level=ManagementLevel.COMMUNE,
    )
    world.title = title
    world.position_a = PositionFactory(unit=world.xa, title=title, seats=1)
    world.position_b = PositionFactory(unit=world.xb, title=title, seats=1)
    world.anh = PersonFactory(
        id_number="001080000001",
        family_name="Nguyễn",
        middle_name="Văn",
        given_name="Ánh",
        sex="M",
        birth_date=dt.date(1980, 3, 5),
        ethnicity=kinh,
        hometown=world.commune_a,
        unit=world.xa,
        is_local=True,
    )
    world.cuc = PersonFactory(
        id_number="001085000002",
        family_name="Trần",
        middle_name="Thị",
        given_name="Cúc",
        sex="F",
        birth_date=dt.date(1985, 6, 1),
        birth_date_precision="M",
        ethnicity=kinh,
        unit=world.xa,
    )
    world.binh = PersonFactory(
        id_number="001075000003",
        family_name="Đặng",
        middle_name="Thị",
        given_name="Bình",
        sex="F",
        birth_date=dt.date(1975, 1, 1),
        birth_date_precision="Y",
        ethnicity=kinh,
        unit=world.xb,
    )
    Assignment.objects.create(
        person=world.anh,
        position=world.position_a,
        title_name=title.name,
        unit_name=world.xa.name,
        start_date=dt.date(2021, 1, 1),
        start_precision="M",
    )
    Assignment.objects.create(
        person=world.binh,
        position=world.position_b,
        title_name=title.name,
        unit_name=world.xb.name,
        start_date=dt.date(2020, 6, 15),
    )
    return world


def db_state():
    """Everything an API write could touch, to compare before and after a refused write."""
    return {
        "people": list(Person.objects.order_by("pk").values()),
        "units": list(Unit.objects.order_by("pk").values()),
        "positions": list(Position.objects.order_by("pk").values()),
        "assignments": list(Assignment.objects.order_by("pk").values()),
        "audit": AuditEvent.objects.count(),
        "access": AccessEvent.objects.count(),
    }


def results(response):
    """The rows of a paginated list response."""
    assert response.status_code == 200, response.content
    return response.json()["results"]
