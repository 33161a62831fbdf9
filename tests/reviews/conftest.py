"""Helpers of the reviews tests: a second editor of commune A, people of commune A, a
session and a round built through the services."""

import datetime as dt

import pytest

from canbo.accounts.models import Role
from canbo.reviews import services
from tests.factories import UserFactory, grant
from tests.planning.factories import make_person

HELD = dt.date(2025, 12, 15)


@pytest.fixture
def second_editor(world):
    user = UserFactory(username="sua_a2", role=Role.EDITOR)
    grant(user, world.xa)
    return user


@pytest.fixture
def people(world):
    """Three people of commune A: An (born 1975), Bình (1980), Cường (1978)."""

    def person(family, middle, given, sex, born, number):
        return make_person(family, middle, given, sex, born, unit=world.xa, id_number=number)

    class People:
        an = person("Nguyễn", "Văn", "An", "M", dt.date(1975, 5, 1), "001075000101")
        binh = person("Trần", "Thị", "Bình", "F", dt.date(1980, 6, 2), "001180000102")
        cuong = person("Lê", "Văn", "Cường", "M", dt.date(1978, 7, 3), "001078000103")

    return People


def make_session(world, actor=None, **extra):
    values = {"unit": world.xa, "year": 2025, "held_on": HELD, "summoned": 30, "present": 27,
              **extra}  # fmt: skip
    return services.session_create(actor=actor, **values)


def figures(person, high, normal, low, invalid=0):
    return {"person": person, "high": high, "normal": normal, "low": low, "invalid": invalid}
