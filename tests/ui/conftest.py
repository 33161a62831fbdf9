"""Data for the page tests: the `world` of tests/conftest.py with people in both communes.

Commune A (unit XA): Nguyễn Văn Ánh (Bí thư, local), Trần Thị Cúc.
Commune B (unit XB): Đặng Thị Bình (born 1985, year only).
"""

import datetime as dt
import html
import re

import pytest

from canbo.organizations.choices import ManagementLevel, UnitLevel
from canbo.people import services
from canbo.people.models import Ethnicity

from ..factories import PositionFactory, PositionTitleFactory


@pytest.fixture
def people(world):
    kinh = Ethnicity.objects.get(code="01")
    tay = Ethnicity.objects.get(code="02")
    title = PositionTitleFactory(
        code="BT-XA",
        name="Bí thư Đảng ủy xã",
        level=UnitLevel.COMMUNE,
        rank=30,
        is_key=True,
        is_head=True,
        management_level=ManagementLevel.COMMUNE,
    )
    world.position_a = PositionFactory(unit=world.xa, title=title, seats=1)
    world.position_b = PositionFactory(unit=world.xb, title=title, seats=1)
    world.anh = services.person_create(
        actor=None,
        id_number="001080000001",
        family_name="Nguyễn",
        middle_name="Văn",
        given_name="Ánh",
        sex="M",
        birth_date=dt.date(1980, 3, 5),
        ethnicity=kinh,
        hometown=world.commune_a,
        unit=world.xa,
        political_theory=3,
        professional_degree=4,
    )
    world.cuc = services.person_create(
        actor=None,
        id_number="001090000002",
        family_name="Trần",
        middle_name="Thị",
        given_name="Cúc",
        sex="F",
        birth_date=dt.date(1990, 7, 1),
        birth_date_precision="M",
        ethnicity=tay,
        hometown=world.commune_b,
        unit=world.xa,
    )
    world.binh = services.person_create(
        actor=None,
        id_number="001085000003",
        family_name="Đặng",
        middle_name="Thị",
        given_name="Bình",
        sex="F",
        birth_date=dt.date(1985, 1, 1),
        birth_date_precision="Y",
        ethnicity=kinh,
        hometown=world.commune_b,
        unit=world.xb,
    )
    world.anh_post = services.section_create(
        actor=None,
        person=world.anh,
        kind="assignment",
        position=world.position_a,
        start_date=dt.date(2020, 10, 1),
    )
    services.section_create(
        actor=None,
        person=world.binh,
        kind="assignment",
        position=world.position_b,
        start_date=dt.date(2021, 1, 1),
    )
    return world


def anh_also_in_commune_b(people):
    """Ánh also holds commune B's post, concurrently, from 01/05/2022."""
    services.section_create(
        actor=None,
        person=people.anh,
        kind="assignment",
        position=people.position_b,
        start_date=dt.date(2022, 5, 1),
        is_concurrent=True,
    )


def by_id(response, element_id: str) -> str:
    """Text of the element with this id (tags removed, spaces collapsed)."""
    content = response.content.decode()
    m = re.search(rf'<(\w+)[^>]*id="{re.escape(element_id)}"[^>]*>(.*?)</\1>', content, re.S)
    assert m, f"no element #{element_id}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", m.group(2))).split())


def listed_names(response) -> list[str]:
    """Full names in the people table, in page order."""
    content = response.content.decode()
    return [
        html.unescape(n)
        for n in re.findall(r'<a class="fw-semibold" href="/people/\d+/">([^<]+)</a>', content)
    ]
