"""The page "Nhiệm vụ của đơn vị" to Excel (issue 17 item 2): the page's assignments (same
scope, status filter and order), logged, a fixed number of queries. The Central Highlands
case of test_rollups (`region`)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from canbo.accounts.models import Role
from canbo.core.models import AccessEvent
from canbo.directives import pages
from canbo.organizations.models import Unit
from tests.factories import UserFactory, grant
from tests.ui.conftest import by_id

from .test_rollups import region as region  # noqa: F401

pytestmark = pytest.mark.django_db

EXPORT = reverse("directives:assignments-xlsx")
ASSIGNMENTS = reverse("directives:assignments")
HEADERS = ("STT", "Văn bản", "Trích yếu", "Nhiệm vụ", "Đơn vị thực hiện", "Thời hạn",
           "Tình trạng", "Ngày hoàn thành")  # fmt: skip
PLAN = "Kế hoạch kiểm điểm tự phê bình và phê bình"


@pytest.fixture(autouse=True)
def on_day(monkeypatch):
    monkeypatch.setattr(pages, "today", lambda: dt.date(2012, 11, 30))


def user_of(code, role=Role.VIEWER):
    user = UserFactory(role=role)
    grant(user, Unit.objects.get(code=code))
    return user


def rows_of(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"] == (
        f'attachment; filename="nhiem-vu-cua-don-vi-{timezone.localdate():%Y-%m-%d}.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Danh sách"]
    return list(sheet.iter_rows(values_only=True)), sheet


def test_a_district_exports_its_assignment(client, region):  # noqa: F811
    client.force_login(user_of("T13-H17", Role.EDITOR))
    rows, sheet = rows_of(client.get(EXPORT))
    assert rows[0][0] == "Nhiệm vụ của đơn vị — Tình trạng tại ngày: 30/11/2012"
    assert rows[1][0] == f"Ngày xuất: {timezone.localdate():%d/%m/%Y} · 1 dòng"
    assert rows[2] == HEADERS
    assert rows[3:] == [
        (1, "10-KH/TW", PLAN, "Cấp ủy cấp huyện kiểm điểm", "Huyện ủy 13.17",
         dt.datetime(2012, 9, 30), "Quá hạn, chưa hoàn thành", None),
    ]  # fmt: skip
    assert sheet["F4"].number_format == "DD/MM/YYYY"
    assert sheet.print_title_rows == "$1:$3"
    assert sheet.page_setup.orientation == "landscape"
    event = AccessEvent.objects.get()
    assert (event.kind, event.query, event.rows) == ("list_xlsx", "list=assignments", 1)


def test_the_status_filter_of_the_page(client, region):  # noqa: F811
    client.force_login(user_of("V2"))
    rows, _sheet = rows_of(client.get(EXPORT, {"status": "done_late"}))
    assert rows[0][0] == (
        "Nhiệm vụ của đơn vị — Tình trạng tại ngày: 30/11/2012; Tình trạng: Hoàn thành quá hạn"
    )
    assert rows[1][0].endswith(" · 9 dòng")
    assert {r[6] for r in rows[3:]} == {"Hoàn thành quá hạn"}
    assert {r[7] for r in rows[3:]} == {dt.datetime(2012, 10, 15)}
    assert len(rows[3:]) == 9
    # In the page's order.
    page = by_id(client.get(ASSIGNMENTS, {"status": "done_late"}), "assignment-rows")
    units = [r[4] for r in rows[3:]]
    assert [page.index(u) for u in units] == sorted(page.index(u) for u in units)
    # A status the page does not know: ignored by both.
    rows, _sheet = rows_of(client.get(EXPORT, {"status": "bogus"}))
    assert rows[0][0] == "Nhiệm vụ của đơn vị — Tình trạng tại ngày: 30/11/2012"
    assert rows[1][0].endswith(" · 959 dòng")
    assert list(AccessEvent.objects.order_by("pk").values_list("query", "rows")) == [
        ("list=assignments status=done_late", 9), ("list=assignments status=bogus", 959),
    ]  # fmt: skip


def test_only_what_the_page_shows(client, region):  # noqa: F811
    """The province outside the region: its three district committees, as on the page."""
    client.force_login(user_of("T99", Role.EDITOR))
    assert by_id(client.get(ASSIGNMENTS), "assignment-count") == "3 nhiệm vụ"
    rows, _sheet = rows_of(client.get(EXPORT))
    assert rows[1][0].endswith(" · 3 dòng")
    assert {r[3] for r in rows[3:]} == {"Cấp ủy cấp huyện kiểm điểm"}
    assert [r[4] for r in rows[3:]] == ["Huyện ủy ngoài 0", "Huyện ủy ngoài 1", "Huyện ủy ngoài 2"]


def test_the_page_has_the_button_keeping_its_status(client, region):  # noqa: F811
    client.force_login(user_of("V2"))
    page = client.get(ASSIGNMENTS, {"status": "overdue"}).content.decode()
    assert f'href="{EXPORT}?status=overdue"' in page
    assert f'href="{EXPORT}"' in client.get(ASSIGNMENTS).content.decode()


def queries_of(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(EXPORT).status_code == 200
    return len(queries)


def test_a_fixed_number_of_queries_whatever_the_number_of_rows(client, region):  # noqa: F811
    queries_of(client, user_of("T13-H17"))  # warms the content-type cache
    one = queries_of(client, user_of("T13-H17"))
    many = queries_of(client, user_of("V2"))
    assert one == many
