"""The access log to Excel (issue 17 item 2): administrators only, the page's search,
refused as the page refuses, itself an access entry."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from canbo.core.audit import AccessKind, record_access, record_rows
from canbo.core.models import AccessEvent
from canbo.people.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("core:access-log-xlsx")
HEADERS = ("STT", "Ngày", "Giờ", "Người xem", "Nguồn", "Loại", "Đối tượng", "Điều kiện lọc",
           "Số dòng")  # fmt: skip


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def log(world):
    """The viewer read Ánh's profile and a list showing Ánh and =Cúc on 03/02/2026 09:30;
    the editor read =Cúc's profile on 04/02/2026 14:05:09 (written outside a request: the
    source "Hệ thống")."""
    anh = PersonFactory(family_name="Nguyễn", middle_name="Văn", given_name="Ánh",
                        unit=world.xa, id_number="001080000001")  # fmt: skip
    cuc = PersonFactory(family_name="=Trần", middle_name="Thị", given_name="Cúc",
                        unit=world.xa, id_number="001090000002")  # fmt: skip
    first = record_access(actor=world.viewer_a, instance=anh)
    second = record_rows(actor=world.viewer_a, kind=AccessKind.LIST, model=Person,
                         query="sex=F", person_ids=[anh.pk, cuc.pk])  # fmt: skip
    third = record_access(actor=world.editor_a, instance=cuc)
    day = timezone.make_aware(dt.datetime(2026, 2, 3, 9, 30))
    AccessEvent.objects.filter(pk__in=[first.pk, second.pk]).update(at=day)
    AccessEvent.objects.filter(pk=third.pk).update(at=day + dt.timedelta(days=1, hours=4.5, seconds=309))
    return {"anh": anh, "cuc": cuc}


def rows_of(response) -> tuple[list[tuple], object]:
    assert response.status_code == 200, response.content[:300]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Danh sách"]
    return list(sheet.iter_rows(values_only=True)), sheet


def test_the_whole_log_newest_first(world, log, admin_user):
    response = client_of(admin_user).get(EXPORT)
    assert response["Content-Disposition"] == (
        'attachment; filename="nhat-ky-truy-cap-du-lieu-ca-nhan-'
        f'{timezone.localdate():%Y-%m-%d}.xlsx"'
    )
    rows, sheet = rows_of(response)
    assert rows[0][0] == "Nhật ký truy cập dữ liệu cá nhân"
    assert rows[1][0] == f"Ngày xuất: {timezone.localdate():%d/%m/%Y} · 3 dòng"
    assert rows[2] == HEADERS
    assert rows[3:] == [
        (1, dt.datetime(2026, 2, 4), "14:05:09", "sua_a", "Hệ thống", "Hồ sơ",
         "=Trần Thị Cúc (001090000002)", None, None),
        (2, dt.datetime(2026, 2, 3), "09:30:00", "xem_a", "Hệ thống", "Danh sách", "Cán bộ",
         "sex=F", 2),
        (3, dt.datetime(2026, 2, 3), "09:30:00", "xem_a", "Hệ thống", "Hồ sơ",
         "Nguyễn Văn Ánh (001080000001)", None, None),
    ]  # fmt: skip
    assert sheet["B4"].number_format == "DD/MM/YYYY"
    assert sheet["G4"].quotePrefix is True
    assert sheet.print_title_rows == "$1:$3"
    export = AccessEvent.objects.get(kind="list_xlsx")
    assert (export.actor, export.query, export.rows) == (admin_user, "list=access-log", 3)
    assert AccessEvent.objects.count() == 4


def test_the_search_of_the_page(world, log, admin_user):
    client = client_of(admin_user)
    query = {"person": "cuc", "actor": world.viewer_a.pk, "kind": "list",
             "date_from": "03/02/2026", "date_to": "03/02/2026", "page": "1"}  # fmt: skip
    rows, _sheet = rows_of(client.get(EXPORT, query))
    assert rows[0][0] == (
        "Nhật ký truy cập dữ liệu cá nhân — Cán bộ: “cuc”; Người xem: xem_a; "
        "Loại truy cập: Danh sách; Từ ngày: 03/02/2026; Đến ngày: 03/02/2026"
    )
    assert rows[1][0].endswith(" · 1 dòng")
    assert [r[6] for r in rows[3:]] == ["Cán bộ"]
    assert AccessEvent.objects.get(kind="list_xlsx").query == (
        f"list=access-log person=cuc actor={world.viewer_a.pk} kind=list "
        "date_from=03/02/2026 date_to=03/02/2026 page=1"
    )
    rows, _sheet = rows_of(client.get(EXPORT, {"person": "khong ai"}))
    assert rows[1][0].endswith(" · 0 dòng") and len(rows) == 3


@pytest.mark.parametrize("who", ["viewer_a", "editor_a"])
def test_for_administrators_only(world, log, who):
    response = client_of(getattr(world, who)).get(EXPORT)
    assert response.status_code == 403
    assert "Chỉ quản trị viên được xem trang này." in response.content.decode()
    assert AccessEvent.objects.filter(kind="list_xlsx").count() == 0


@pytest.mark.parametrize(
    "query, body",
    [
        ({"date_from": "hôm qua"}, "Từ ngày: Hãy nhập ngày theo dạng dd/mm/yyyy."),
        ({"date_from": "05/02/2026", "date_to": "04/02/2026"},
         "Đến ngày: Ngày cuối không được trước ngày đầu."),
        ({"actor": "999999"}, "Người xem: Không có tài khoản này."),
    ],
)  # fmt: skip
def test_a_search_the_page_refuses_is_a_400(world, log, admin_user, query, body):
    response = client_of(admin_user).get(EXPORT, query)
    assert response.status_code == 400
    assert response.content.decode() == (
        f"Bộ lọc chưa hợp lệ, chưa xuất được danh sách:\n{body}\n"
    )
    assert AccessEvent.objects.filter(kind="list_xlsx").count() == 0


def test_the_page_has_the_button_keeping_its_search(world, log, admin_user):
    page = client_of(admin_user).get(reverse("core:access-log"), {"kind": "list"}).content.decode()
    assert f'href="{EXPORT}?kind=list"' in page
