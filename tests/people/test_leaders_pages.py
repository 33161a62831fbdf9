"""The page "Cán bộ chủ chốt" and its workbook over the synthetic city of test_leaders.py
(issue 13 item 4): the summary, double holdings and posts at two dates, errors instead of
an answer, the scope, the access log, a fixed query count, the XLSX cell by cell."""

from __future__ import annotations

import datetime as dt
import io

import lxml.html
import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canbo.accounts.models import Role
from canbo.core.models import AccessEvent
from canbo.people import selectors
from tests.api.oracle import answer
from tests.factories import UserFactory, grant

from . import test_leaders as leaders_city

#: The synthetic city (a fixture) and how to add a district to it.
city, district = leaders_city.city, leaders_city.district
pytestmark = pytest.mark.django_db

PAGE = reverse("people:key-leaders")
TODAY = dt.date(2026, 2, 5)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(selectors, "today", lambda: TODAY)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(city):
    return client_of(UserFactory(username="quantri", role=Role.ADMIN))


def viewer_of(unit, include_subtree=True):
    user = UserFactory(role=Role.VIEWER)
    grant(user, unit, include_subtree)
    return user


def texts(page, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in page.xpath(xpath)]


def parsed(response):
    assert response.status_code == 200, response.content[:500]
    return lxml.html.fromstring(response.content.decode())


def rows(page) -> list[list[str]]:
    return [
        [" ".join(td.text_content().split()) for td in tr.xpath("td")]
        for tr in page.xpath('//tbody[@id="key-leaders-posts"]/tr')
    ]


def test_the_city_at_30_11_2018(admin, city):
    page = parsed(admin.get(PAGE, {"unit": "TU · Tỉnh ủy", "as_of": "30/11/2018"}))
    assert texts(page, '//*[@id="key-leaders-heading"]') == ["Tỉnh ủy · tại ngày 30/11/2018"]
    assert texts(page, '//ul[@id="key-leaders-sentences"]/li') == [
        "Bí thư Huyện ủy — Cấp huyện (trước 01/7/2025): 2/3 không phải người địa phương (66,67%)",
        "Chủ tịch UBND huyện — Cấp huyện (trước 01/7/2025): 0/3 không phải người địa phương "
        "(0,00%)",
        "Bí thư Đảng ủy xã — Cấp xã: 0/1 không phải người địa phương (0,00%)",
    ]
    assert [
        [" ".join(td.text_content().split()) for td in tr.xpath("td")]
        for tr in page.xpath('//tbody[@id="key-leaders-summary"]/tr')
    ] == [
        ["Bí thư Huyện ủy", "Cấp huyện (trước 01/7/2025)", "3", "3", "2/3 (66,67%)", "0"],
        ["Chủ tịch UBND huyện", "Cấp huyện (trước 01/7/2025)", "3", "3", "0/3 (0,00%)", "0"],
        ["Bí thư Đảng ủy xã", "Cấp xã", "1", "1", "0/1 (0,00%)", "0"],
    ]
    assert texts(page, '//ul[@id="key-leaders-doubles"]/li') == [
        "Bí thư Huyện ủy + Chủ tịch UBND huyện: 1 người (Nguyễn Văn P1)"
    ]
    assert rows(page) == [
        ["1", "Huyện ủy 1", "Bí thư Huyện ủy", "Nguyễn Văn P1", "Có", "01/01/2016",
         "2 năm 11 tháng (từ 01/01/2016)", "", "Chủ tịch UBND huyện"],
        ["2", "Đảng ủy xã 1A", "Bí thư Đảng ủy xã", "Nguyễn Văn P9", "Có", "01/01/2017",
         "1 năm 11 tháng (từ 01/01/2017)", "", ""],
        ["3", "UBND huyện 1", "Chủ tịch UBND huyện", "Nguyễn Văn P1", "Có", "01/03/2017",
         "1 năm 9 tháng (từ 01/03/2017)", "", "Bí thư Huyện ủy"],
        ["4", "Huyện ủy 2", "Bí thư Huyện ủy", "Nguyễn Văn P2", "Không", "01/10/2015",
         "3 năm 2 tháng (từ 01/10/2015)", "", ""],
        ["5", "UBND huyện 2", "Chủ tịch UBND huyện", "Nguyễn Văn P4", "Có", "01/01/2014",
         "4 năm 11 tháng (từ 01/01/2014)", "", ""],
        ["6", "Huyện ủy 3", "Bí thư Huyện ủy", "Nguyễn Văn P3", "Không", "01/10/2015",
         "3 năm 2 tháng (từ 01/10/2015)", "", ""],
        ["7", "UBND huyện 3", "Chủ tịch UBND huyện", "Nguyễn Văn P5", "Có", "01/01/2015",
         "3 năm 11 tháng (từ 01/01/2015)", "", ""],
    ]  # fmt: skip
    p1 = city.people["p1"]
    links = page.xpath('//tbody[@id="key-leaders-posts"]/tr[1]/td[4]/a/@href')
    assert links == [reverse("people:detail", args=[p1.pk])]
    xlsx = page.xpath('//a[@id="key-leaders-xlsx"]/@href')
    assert xlsx == ["?unit=TU+%C2%B7+T%E1%BB%89nh+%E1%BB%A7y&as_of=30%2F11%2F2018&format=xlsx"]


def test_the_city_at_30_06_2015_for_the_district_level(admin):
    page = parsed(admin.get(PAGE, {"unit": "TU", "as_of": "30/06/2015", "level": "district"}))
    assert texts(page, '//ul[@id="key-leaders-sentences"]/li') == [
        "Bí thư Huyện ủy — Cấp huyện (trước 01/7/2025): 1/1 không phải người địa phương "
        "(100,00%)",
        "Chủ tịch UBND huyện — Cấp huyện (trước 01/7/2025): 0/2 không phải người địa phương "
        "(0,00%)",
    ]
    assert texts(page, '//*[@id="key-leaders-doubles"]') == ["Không có."]
    assert [r[:5] for r in rows(page)] == [
        ["1", "Huyện ủy 1", "Bí thư Huyện ủy", "Nguyễn Văn P7", "Không"],
        ["2", "UBND huyện 1", "Chủ tịch UBND huyện", "(còn trống)"],
        ["3", "Huyện ủy 2", "Bí thư Huyện ủy", "(còn trống)"],
        ["4", "UBND huyện 2", "Chủ tịch UBND huyện", "Nguyễn Văn P4", "Có"],
        ["5", "Huyện ủy 3", "Bí thư Huyện ủy", "(còn trống)"],
        ["6", "UBND huyện 3", "Chủ tịch UBND huyện", "Nguyễn Văn P5", "Có"],
    ]


def test_without_a_query_the_form_offers_the_users_unit_and_today(city):
    client = client_of(viewer_of(city.d[2][2]))
    response = client.get(PAGE)
    page = parsed(response)
    assert page.xpath('//input[@name="unit"]/@value') == ["HU2 · Huyện ủy 2"]
    assert page.xpath('//input[@name="as_of"]/@value') == ["05/02/2026"]
    assert page.xpath('//tbody[@id="key-leaders-posts"]') == []
    assert AccessEvent.objects.count() == 0
    # The nav names the page; CSP strict: no inline script or style.
    assert page.xpath('//nav//a[@href="/people/key-leaders/"]/@class') == ["nav-link active fw-semibold"]
    assert page.xpath("//script[not(@src)]") == [] and page.xpath("//*[@style]") == []


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ({"unit": "TU", "as_of": "31/02/2018"},
         ["Ngày 31/02/2018 không tồn tại."]),
        ({"unit": "TU", "as_off": "2018-01-01"},
         ["Tham số không được nhận: as_off. Các tham số được nhận: unit, as_of, level, format."]),
        ({"unit": "TU", "level": "huyen"},
         ["Cấp “huyen” không có; chọn một trong: central, province, district, commune."]),
        ({"unit": "KHONGCO"}, ["Không có đơn vị “KHONGCO”."]),
        ({"unit": ""}, ["Trường này là bắt buộc."]),
    ],
)  # fmt: skip
def test_a_query_the_page_cannot_read_shows_its_errors_and_no_list(admin, query, errors):
    page = parsed(admin.get(PAGE, query))
    shown = texts(page, '//*[contains(@class, "invalid-feedback")]') + texts(
        page, '//div[contains(@class, "alert-danger")]//li'
    )
    assert shown == errors
    assert page.xpath('//tbody[@id="key-leaders-posts"]') == []
    assert AccessEvent.objects.count() == 0


def test_the_scope(city):
    """A commune's editor asking for the province gets the unknown-unit answer; a
    district viewer sees their district only."""
    editor = UserFactory(role=Role.EDITOR)
    grant(editor, city.x1a)
    client = client_of(editor)
    outside = client.get(PAGE, {"unit": "TU", "as_of": "30/11/2018"})
    missing = client.get(PAGE, {"unit": "KHONGCO", "as_of": "30/11/2018"})
    assert "Không có đơn vị “TU”." in outside.content.decode()
    assert answer(outside, ["TU"]) == answer(missing, ["KHONGCO"])
    page = parsed(client_of(viewer_of(city.d[2][2])).get(PAGE, {"unit": "HU2", "as_of": "30/11/2018"}))
    assert rows(page) == [
        ["1", "Huyện ủy 2", "Bí thư Huyện ủy", "Nguyễn Văn P2", "Không", "01/10/2015",
         "3 năm 2 tháng (từ 01/10/2015)", "", ""],
    ]  # fmt: skip


def test_the_page_and_the_workbook_are_logged(admin, city):
    query = {"unit": "HU2", "as_of": "30/11/2018"}
    admin.get(PAGE, query)
    admin.get(PAGE, {**query, "format": "xlsx"})
    p2 = city.people["p2"].pk
    assert [(e.kind, e.query, e.rows, e.person_ids) for e in AccessEvent.objects.order_by("pk")] == [
        ("list", "unit=HU2 as_of=30/11/2018", 1, f" {p2} "),
        ("document", "unit=HU2 as_of=30/11/2018 format=xlsx", 1, f" {p2} "),
    ]


def page_queries(user) -> int:
    client = client_of(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE, {"unit": "TU", "as_of": "30/11/2018"}).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_number_of_units(city):
    viewer = viewer_of(city.tu)
    client_of(viewer).get(PAGE, {"unit": "HU1"})  # warms the access log's content-type cache
    small = page_queries(viewer)
    for n in (4, 5, 6, 7):
        district(city.province, n, city.tu, city.titles)
    assert page_queries(viewer) == small
    # The session, the user, the grants, the unit, key_leaders' 4 (the units in scope
    # inside the first), the access-log entry, the navigation's to-do count.
    assert small == 10


def workbook(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def values(sheet) -> list[tuple]:
    return [tuple(v for v in row) for row in sheet.iter_rows(values_only=True)]


def test_the_workbook_cell_by_cell(admin, city):
    response = admin.get(PAGE, {"unit": "TU", "as_of": "30/11/2018", "format": "xlsx"})
    assert response["Content-Disposition"] == (
        'attachment; filename="can-bo-chu-chot-TU-2018-11-30.xlsx"'
    )
    book = workbook(response)
    assert book.sheetnames == ["Tổng hợp", "Danh sách"]
    heading = [
        ("DANH SÁCH CÁN BỘ CHỦ CHỐT THUỘC TỈNH ỦY TẠI NGÀY 30/11/2018",),
        ("Đơn vị", "Tỉnh ủy (TU)"),
        ("Cấp", "Tất cả các cấp"),
        ("Số liệu tại ngày", "30/11/2018"),
        (),
    ]

    def trimmed(sheet):
        out = []
        for row in values(sheet):
            row = list(row)
            while row and row[-1] is None:
                row.pop()
            out.append(tuple(row))
        return out

    assert trimmed(book["Tổng hợp"]) == [
        *heading,
        ("STT", "Chức danh", "Cấp", "Số vị trí", "Đang có người giữ",
         "Không phải người địa phương", "Chưa xác định",
         "Tỷ lệ không phải người địa phương (%)", "Số không phải người địa phương / đang giữ"),
        (1, "Bí thư Huyện ủy", "Cấp huyện (trước 01/7/2025)", 3, 3, 2, 0, 66.67, "2/3 (66,67%)"),
        (2, "Chủ tịch UBND huyện", "Cấp huyện (trước 01/7/2025)", 3, 3, 0, 0, 0, "0/3 (0,00%)"),
        (3, "Bí thư Đảng ủy xã", "Cấp xã", 1, 1, 0, 0, 0, "0/1 (0,00%)"),
        (),
        (None, "Giữ đồng thời hai chức danh chủ chốt trở lên"),
        (1, "Bí thư Huyện ủy + Chủ tịch UBND huyện", "1 người", "Nguyễn Văn P1"),
    ]  # fmt: skip
    assert book["Tổng hợp"]["H7"].number_format == "0.00"
    born = {k: p.birth_date.strftime("%d/%m/%Y") for k, p in city.people.items()}
    assert trimmed(book["Danh sách"]) == [
        *heading,
        ("STT", "Đơn vị", "Chức danh", "Họ và tên", "Ngày sinh", "Người địa phương",
         "Giữ từ ngày", "Giữ liên tục từ", "Thời gian giữ liên tục", "Số nhiệm kỳ",
         "Đồng thời giữ chức danh chủ chốt"),
        (1, "Huyện ủy 1", "Bí thư Huyện ủy", "Nguyễn Văn P1", born["p1"], "Có", "01/01/2016",
         dt.datetime(2016, 1, 1), "2 năm 11 tháng", None, "Chủ tịch UBND huyện"),
        (2, "Đảng ủy xã 1A", "Bí thư Đảng ủy xã", "Nguyễn Văn P9", born["p9"], "Có",
         "01/01/2017", dt.datetime(2017, 1, 1), "1 năm 11 tháng"),
        (3, "UBND huyện 1", "Chủ tịch UBND huyện", "Nguyễn Văn P1", born["p1"], "Có",
         "01/03/2017", dt.datetime(2017, 3, 1), "1 năm 9 tháng", None, "Bí thư Huyện ủy"),
        (4, "Huyện ủy 2", "Bí thư Huyện ủy", "Nguyễn Văn P2", born["p2"], "Không", "01/10/2015",
         dt.datetime(2015, 10, 1), "3 năm 2 tháng"),
        (5, "UBND huyện 2", "Chủ tịch UBND huyện", "Nguyễn Văn P4", born["p4"], "Có",
         "01/01/2014", dt.datetime(2014, 1, 1), "4 năm 11 tháng"),
        (6, "Huyện ủy 3", "Bí thư Huyện ủy", "Nguyễn Văn P3", born["p3"], "Không", "01/10/2015",
         dt.datetime(2015, 10, 1), "3 năm 2 tháng"),
        (7, "UBND huyện 3", "Chủ tịch UBND huyện", "Nguyễn Văn P5", born["p5"], "Có",
         "01/01/2015", dt.datetime(2015, 1, 1), "3 năm 11 tháng"),
    ]  # fmt: skip
    assert book["Danh sách"]["H7"].number_format == "DD/MM/YYYY"


def test_the_workbook_at_2015_lists_vacant_posts_and_no_double_holding(admin):
    book = workbook(admin.get(PAGE, {"unit": "TU", "as_of": "2015-06-30", "format": "xlsx",
                                     "level": "commune"}))  # fmt: skip
    summary = values(book["Tổng hợp"])
    assert summary[0][0] == "DANH SÁCH CÁN BỘ CHỦ CHỐT THUỘC TỈNH ỦY TẠI NGÀY 30/06/2015"
    assert summary[2][:2] == ("Cấp", "Cấp xã")
    assert [r[:9] for r in summary[6:]] == [
        (1, "Bí thư Đảng ủy xã", "Cấp xã", 1, 0, 0, 0, None, "0/0"),
        (None,) * 9,
        (None, "Giữ đồng thời hai chức danh chủ chốt trở lên") + (None,) * 7,
        (None, "Không có") + (None,) * 7,
    ]
    assert [r[:4] for r in values(book["Danh sách"])[6:]] == [
        (1, "Đảng ủy xã 1A", "Bí thư Đảng ủy xã", "(còn trống)")
    ]


def test_the_unit_page_links_to_its_key_leaders(admin, city):
    page = parsed(admin.get(reverse("organizations:unit-detail", args=[city.d[2][2].pk])))
    assert page.xpath('//a[@id="unit-key-leaders"]/@href') == ["/people/key-leaders/?unit=HU2"]
