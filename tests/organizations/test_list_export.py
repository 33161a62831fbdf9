"""A unit's positions and holders to Excel (issue 17 item 2): the unit page's rows, one per
holder, in scope (404 out of sight), an impossible date refused, logged as a document."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from canbo.core.models import AccessEvent
from canbo.organizations.models import PositionTitle
from canbo.people import selectors
from canbo.people.models import Assignment
from tests.factories import PersonFactory, PositionFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 2, 5)
HEADERS = ("STT", "Chức danh", "Chủ chốt", "Số lượng", "Còn trống", "Người giữ", "Ngày sinh",
           "Giữ từ ngày", "Kiêm nhiệm", "Người địa phương")  # fmt: skip


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(selectors, "today", lambda: TODAY)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def export_url(unit) -> str:
    return reverse("organizations:unit-positions-xlsx", args=[unit.pk])


@pytest.fixture
def seats(world):
    """XA: Bí thư (key, 1 seat: =Lê Thị Hoa since 2020, from the commune), Phó Bí thư
    (2 seats: Trần Văn Bình since 05/2024, concurrent, hometown unknown), Văn phòng (1 seat,
    vacant)."""
    secretary = PositionTitle.objects.create(code="BT", name="Bí thư", level="commune",
                                             rank=90, management_level=4, is_key=True)  # fmt: skip
    deputy = PositionTitle.objects.create(code="PBT", name="Phó Bí thư", level="commune",
                                          rank=80, management_level=4)  # fmt: skip
    office = PositionTitle.objects.create(code="VP", name="Văn phòng", level="commune",
                                          rank=10, management_level=4)  # fmt: skip
    posts = [PositionFactory(unit=world.xa, title=secretary),
             PositionFactory(unit=world.xa, title=deputy, seats=2),
             PositionFactory(unit=world.xa, title=office)]  # fmt: skip
    hoa = PersonFactory(family_name="=Lê", middle_name="Thị", given_name="Hoa", sex="F",
                        birth_date=dt.date(1980, 3, 2), unit=world.xa,
                        hometown=world.commune_a)  # fmt: skip
    binh = PersonFactory(family_name="Trần", middle_name="Văn", given_name="Bình",
                         birth_date=dt.date(1985, 1, 1), birth_date_precision="Y",
                         unit=world.xb)  # fmt: skip
    Assignment.objects.create(person=hoa, position=posts[0], start_date=dt.date(2020, 10, 1),
                              title_name="Bí thư", unit_name=world.xa.name)  # fmt: skip
    Assignment.objects.create(person=binh, position=posts[1], start_date=dt.date(2024, 5, 1),
                              start_precision="M", is_concurrent=True,
                              title_name="Phó Bí thư", unit_name=world.xa.name)  # fmt: skip
    return {"hoa": hoa, "binh": binh}


def sheet_of(response):
    assert response.status_code == 200, response.content[:300]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return book["Danh sách"]


def test_the_positions_and_holders_the_user_sees(world, seats, admin_user):
    response = client_of(admin_user).get(export_url(world.xa))
    assert response["Content-Disposition"] == (
        'attachment; filename="vi-tri-chuc-danh-va-nguoi-giu-xa-'
        f'{timezone.localdate():%Y-%m-%d}.xlsx"'
    )
    sheet = sheet_of(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Vị trí chức danh và người giữ — Đơn vị: Đảng ủy xã An Bình (XA)"
    assert rows[1][0] == f"Ngày xuất: {timezone.localdate():%d/%m/%Y} · 3 dòng"
    assert rows[2] == HEADERS
    assert rows[3:] == [
        (1, "Bí thư", "Có", 1, 0, "=Lê Thị Hoa", dt.datetime(1980, 3, 2),
         dt.datetime(2020, 10, 1), None, "Có"),
        (2, "Phó Bí thư", None, 2, 1, "Trần Văn Bình", "1985", "05/2024", "Có", None),
        (3, "Văn phòng", None, 1, 1, None, None, None, None, None),
    ]  # fmt: skip
    assert sheet["F4"].quotePrefix is True
    assert sheet["G4"].number_format == sheet["H4"].number_format == "DD/MM/YYYY"
    assert sheet.print_title_rows == "$1:$3"
    assert sheet.page_setup.orientation == "landscape"
    event = AccessEvent.objects.get()
    assert (event.kind, event.query, event.rows, event.object_id, event.person_ids) == (
        "document", "list=unit-positions", 2, str(world.xa.pk),
        f" {seats['hoa'].pk} {seats['binh'].pk} ",
    )


def test_at_a_date_as_the_page(world, seats, admin_user):
    client = client_of(admin_user)
    rows = list(sheet_of(client.get(export_url(world.xa), {"as_of": "01/01/2022"}))
                .iter_rows(values_only=True))  # fmt: skip
    assert rows[0][0] == (
        "Vị trí chức danh và người giữ — Đơn vị: Đảng ủy xã An Bình (XA); Tại ngày: 01/01/2022"
    )
    assert [r[1:7] for r in rows[3:]] == [
        ("Bí thư", "Có", 1, 0, "=Lê Thị Hoa", dt.datetime(1980, 3, 2)),
        ("Phó Bí thư", None, 2, 2, None, None),
        ("Văn phòng", None, 1, 1, None, None),
    ]
    event = AccessEvent.objects.get()
    assert (event.query, event.rows) == ("list=unit-positions as_of=01/01/2022", 1)


def test_holders_out_of_sight_are_left_out(world, seats):
    """The editor of XA does not see Trần Văn Bình (XB's record), as on the page."""
    client = client_of(world.editor_a)
    page = client.get(reverse("organizations:unit-detail", args=[world.xa.pk])).content.decode()
    assert "Trần Văn Bình" not in page
    assert 'id="positions-xlsx"' in page
    assert f'href="{export_url(world.xa)}"' in page
    rows = list(sheet_of(client.get(export_url(world.xa))).iter_rows(values_only=True))
    assert [(r[1], r[4], r[5]) for r in rows[3:]] == [
        ("Bí thư", 0, "=Lê Thị Hoa"), ("Phó Bí thư", 2, None), ("Văn phòng", 1, None),
    ]  # fmt: skip
    assert AccessEvent.objects.filter(kind="document").get().person_ids == f" {seats['hoa'].pk} "


def test_a_unit_out_of_sight_is_not_found(world, seats):
    client = client_of(world.editor_a)
    assert client.get(export_url(world.xb)).status_code == 404
    assert client.get(export_url(world.tu)).status_code == 404
    assert client.get("/units/999999/positions.xlsx").status_code == 404
    assert AccessEvent.objects.count() == 0


def test_a_wrong_date_is_refused_as_on_the_page(world, seats):
    client = client_of(world.editor_a)
    assert client.get(reverse("organizations:unit-detail", args=[world.xa.pk]),
                      {"as_of": "hôm qua"}).status_code == 400  # fmt: skip
    response = client.get(export_url(world.xa), {"as_of": "hôm qua"})
    assert response.status_code == 400
    assert response.content.decode() == (
        "Bộ lọc chưa hợp lệ, chưa xuất được danh sách:\n"
        "Ngày: Ngày “hôm qua” không hợp lệ; hãy viết dd/mm/yyyy.\n"
    )
    assert AccessEvent.objects.filter(kind="document").count() == 0
