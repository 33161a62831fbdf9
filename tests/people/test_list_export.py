"""The people list to Excel (issue 17 item 2): the page's people with its filters and
columns, in scope, refused as the page refuses, logged, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from canbo.accounts.models import Role
from canbo.core.models import AccessEvent
from canbo.organizations.models import PositionTitle
from canbo.people import selectors
from canbo.people.models import Assignment
from tests.factories import PersonFactory, PositionFactory, UserFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("people:list-xlsx")
LIST = reverse("people:list")
TODAY = dt.date(2026, 2, 5)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ("STT", "Họ và tên", "Số định danh", "Giới tính", "Ngày sinh", "Tuổi", "Đơn vị",
           "Chức vụ hiện tại", "Ngày nghỉ hưu")  # fmt: skip


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(selectors, "today", lambda: TODAY)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(world):
    """XA: Lê Thị Hoa (F, 1980-03-02, Bí thư since 2020), =Trần Văn Bình (M, born 1985,
    the year only); XB: Phạm Văn Cường; TU: Đỗ Văn Dũng."""
    hoa = PersonFactory(family_name="Lê", middle_name="Thị", given_name="Hoa", sex="F",
                        birth_date=dt.date(1980, 3, 2), unit=world.xa,
                        id_number="001180000001")  # fmt: skip
    binh = PersonFactory(family_name="=Trần", middle_name="Văn", given_name="Bình",
                         birth_date=dt.date(1985, 1, 1), birth_date_precision="Y",
                         unit=world.xa, id_number="001085000002")  # fmt: skip
    cuong = PersonFactory(family_name="Phạm", middle_name="Văn", given_name="Cường",
                          unit=world.xb, id_number="001075000003")  # fmt: skip
    dung = PersonFactory(family_name="Đỗ", middle_name="Văn", given_name="Dũng",
                         unit=world.tu, id_number="001075000004")  # fmt: skip
    title = PositionTitle.objects.create(code="BT", name="Bí thư", level="commune", rank=90,
                                         management_level=4)  # fmt: skip
    post = PositionFactory(unit=world.xa, title=title)
    Assignment.objects.create(person=hoa, position=post, unit_name=world.xa.name,
                              title_name="Bí thư", start_date=dt.date(2020, 10, 1))  # fmt: skip
    Assignment.objects.create(person=hoa, unit_name="Đảng ủy khối", title_name="Ủy viên",
                              start_date=dt.date(2021, 1, 1), is_concurrent=True)  # fmt: skip
    return {"hoa": hoa, "binh": binh, "cuong": cuong, "dung": dung}


def workbook(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == XLSX
    assert response["Cache-Control"].startswith("no-store")
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Danh sách"]


def export_line(rows: int) -> str:
    return f"Ngày xuất: {timezone.localdate():%d/%m/%Y} · {rows} dòng"


def test_the_editor_of_one_commune_exports_its_people(world, people):
    response = client_of(world.editor_a).get(EXPORT)
    day = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="danh-sach-can-bo-{day:%Y-%m-%d}.xlsx"'
    )
    sheet = workbook(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Danh sách cán bộ"
    assert rows[1][0] == export_line(2)
    assert rows[2] == HEADERS
    assert rows[3:] == [
        (1, "=Trần Văn Bình", "001085000002", "Nam", "1985", 41, "Đảng ủy xã An Bình", None,
         dt.datetime(2047, 1, 31)),
        (2, "Lê Thị Hoa", "001180000001", "Nữ", dt.datetime(1980, 3, 2), 45,
         "Đảng ủy xã An Bình", "Ủy viên – Đảng ủy khối (kiêm nhiệm); Bí thư",
         dt.datetime(2040, 3, 31)),
    ]  # fmt: skip
    assert sheet["E5"].number_format == "DD/MM/YYYY"
    assert sheet["I5"].number_format == "DD/MM/YYYY"
    assert sheet["E4"].data_type == "s"  # the year only: the text the page shows
    # The formula-safe guard: text, with the quote prefix.
    assert (sheet["B4"].data_type, sheet["B4"].quotePrefix) == ("s", True)
    assert sheet["B5"].quotePrefix is False
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$1:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet["A1"].font.b and sheet["A3"].font.b
    event = AccessEvent.objects.get()
    assert (event.kind, event.query, event.rows, event.actor) == (
        "list_xlsx", "list=people", 2, world.editor_a,
    )


def test_the_filters_of_the_page_and_the_title_naming_them(world, people, admin_user):
    client = client_of(admin_user)
    query = {"unit": "XA", "sex": "F", "age_min": "40", "page": "2", "count": "exact"}
    sheet = workbook(client.get(EXPORT, query))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == (
        "Danh sách cán bộ — Đơn vị (gồm trực thuộc): Đảng ủy xã An Bình (XA); "
        "Giới tính: Nữ; Tuổi từ: 40"
    )
    assert rows[1][0] == export_line(1)
    assert [r[1] for r in rows[3:]] == ["Lê Thị Hoa"]
    sheet = workbook(client.get(EXPORT, {"as_of": "01/01/2019", "minority": "false",
                                         "search": "van"}))  # fmt: skip
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == (
        "Danh sách cán bộ — Ngày: 01/01/2019; Tìm kiếm: “van”; Dân tộc thiểu số: Không"
    )
    assert rows[2][7] == "Chức vụ tại ngày"
    # Ages on that day, no post held yet.
    assert [(r[1], r[5], r[7]) for r in rows[3:]] == [
        ("=Trần Văn Bình", 34, None), ("Phạm Văn Cường", 43, None), ("Đỗ Văn Dũng", 43, None),
    ]  # fmt: skip
    assert list(AccessEvent.objects.order_by("pk").values_list("query", "rows")) == [
        ("list=people unit=XA sex=F age_min=40 page=2 count=exact", 1),
        ("list=people as_of=01/01/2019 minority=false search=van", 3),
    ]


def test_the_same_people_as_the_page_in_the_same_order(world, people, admin_user):
    client = client_of(admin_user)
    page = client.get(LIST, {"search": "van"}).content.decode()
    sheet = workbook(client.get(EXPORT, {"search": "van"}))
    names = [r[1] for r in list(sheet.iter_rows(values_only=True))[3:]]
    # In the order of given names, as Vietnamese lists are.
    assert names == ["=Trần Văn Bình", "Phạm Văn Cường", "Đỗ Văn Dũng"]
    assert [page.index(n) for n in names] == sorted(page.index(n) for n in names)


def test_out_of_sight_units_give_no_one_and_no_name(world, people):
    """As on the page: a unit out of sight lists no one; the title says what was typed."""
    client = client_of(world.editor_a)
    assert "Tìm thấy 0 cán bộ" in client.get(LIST, {"unit": "XB"}).content.decode()
    rows = list(workbook(client.get(EXPORT, {"unit": "XB"})).iter_rows(values_only=True))
    assert rows[0][0] == "Danh sách cán bộ — Đơn vị (gồm trực thuộc): XB"
    assert rows[1][0] == export_line(0)
    assert len(rows) == 3
    assert AccessEvent.objects.get(kind="list_xlsx").rows == 0


@pytest.mark.parametrize(
    "query, body",
    [
        ({"as_of": "hôm qua"}, "Ngày: Ngày “hôm qua” không hợp lệ; hãy viết dd/mm/yyyy hoặc "
                               "YYYY-MM-DD."),
        ({"sex": "X"}, "Giới tính: Hãy chọn một lựa chọn hợp lệ. X không phải là một trong "
                       "các lựa chọn khả thi."),
        ({"age_min": "abc"}, "Tuổi từ: Hãy nhập tuổi là một số."),
        ({"colour": "red"}, "Tham số không được nhận: colour. Các tham số được nhận: as_of, "
                            "search, unit, sex, age_min, age_max, ethnicity, minority, degree, "
                            "political_theory, position_title, post_level, also_holds, "
                            "is_local, local_to_post, page, count."),
    ],
)  # fmt: skip
def test_a_query_the_page_refuses_is_a_400_and_nothing_logged(world, people, query, body):
    response = client_of(world.editor_a).get(EXPORT, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        f"Bộ lọc chưa hợp lệ, chưa xuất được danh sách:\n{body}\n"
    )
    assert AccessEvent.objects.count() == 0


def test_signed_out_is_sent_to_sign_in(world, people):
    response = Client().get(EXPORT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_list_page_has_the_button_keeping_its_query(world, people):
    page = client_of(world.viewer_a).get(LIST, {"sex": "F", "unit": "XA"}).content.decode()
    assert f'action="{EXPORT}?sex=F&amp;unit=XA"' in page
    assert 'method="post"' in page.split('id="export-xlsx"')[0].rsplit("<form", 1)[1]
    assert f'data-export-base="{EXPORT}"' in page
    assert "Xuất Excel" in page
    assert "canbo/list-export" in page


def export_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(EXPORT, {"unit": "TU"}).status_code == 200
    return len(queries)


def test_a_fixed_number_of_queries_whatever_the_number_of_people(world, people):
    viewer = UserFactory(role=Role.ADMIN)
    client = client_of(viewer)
    client.get(EXPORT)  # warms the access log's content-type cache
    PersonFactory.create_batch(3, unit=world.xa)
    small = export_queries(client)
    PersonFactory.create_batch(30, unit=world.xb)
    assert export_queries(client) == small
    # The session, the user, the unit by code, the count, its name in sight, the people,
    # their posts, the access entry.
    assert small == 8
