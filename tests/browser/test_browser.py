"""End to end in Chromium: sign in, live search, profile with the retirement date."""

import datetime as dt
import re

import pytest

from canbo.accounts.models import Role
from canbo.organizations.choices import AreaKind, AreaLevel, UnitKind, UnitLevel
from canbo.people import services
from canbo.people.derived import retirement_date
from canbo.people.models import Ethnicity

from ..factories import (
    PositionFactory,
    PositionTitleFactory,
    UserFactory,
    grant,
    make_area,
    make_unit,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "mat-khau-123"


@pytest.fixture
def data():
    province = make_area("01", "Tỉnh Thử Nghiệm")
    commune = make_area("00001", "Xã An Bình", province, AreaKind.COMMUNE, AreaLevel.COMMUNE)
    tu = make_unit("TU", "Tỉnh ủy Thử Nghiệm", area=province)
    xa = make_unit(
        "XA", "Đảng ủy xã An Bình", tu, UnitKind.PARTY_COMMITTEE, UnitLevel.COMMUNE, area=commune
    )
    tu.refresh_from_db()
    kinh, _ = Ethnicity.objects.get_or_create(
        code="01", defaults={"name": "Kinh", "is_minority": False}
    )
    user = UserFactory(username="canbo_tinh", role=Role.EDITOR, first_name="Lê Văn Tỉnh")
    grant(user, tu)
    anh = services.person_create(
        actor=None,
        id_number="001080000001",
        family_name="Nguyễn",
        middle_name="Văn",
        given_name="Ánh",
        sex="M",
        birth_date=dt.date(1980, 3, 5),
        ethnicity=kinh,
        hometown=commune,
        unit=xa,
    )
    binh = services.person_create(
        actor=None,
        id_number="001085000003",
        family_name="Đặng",
        middle_name="Thị",
        given_name="Bình",
        sex="F",
        birth_date=dt.date(1985, 1, 1),
        birth_date_precision="Y",
        ethnicity=kinh,
        unit=tu,
    )
    title = PositionTitleFactory(
        code="BT-XA", name="Bí thư Đảng ủy xã", level=UnitLevel.COMMUNE, rank=30, is_key=True
    )
    services.section_create(
        actor=None,
        person=anh,
        kind="assignment",
        position=PositionFactory(unit=xa, title=title),
        start_date=dt.date(2020, 10, 1),
        how="elected",
    )
    services.section_create(
        actor=None,
        person=anh,
        kind="confidence_vote",
        year=2024,
        body="Ban Chấp hành Đảng bộ xã",
        high=20,
        normal=8,
        low=2,
        base=30,
    )
    return {"user": user, "anh": anh, "binh": binh, "tu": tu, "xa": xa}


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/people/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Tên đăng nhập").fill("canbo_tinh")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/people/$"))


def test_sign_in_search_and_open_profile(page, live_server, data):
    from playwright.sync_api import expect

    sign_in(page, live_server)
    rows = page.locator("#people-table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#people-table")).to_contain_text("Đặng Thị Bình")

    # Live search: typing fires an htmx request that replaces only the results.
    page.get_by_label("Tìm kiếm").fill("nguyen van")
    expect(rows).to_have_count(1)
    expect(page.locator("#people-table")).to_contain_text("Nguyễn Văn Ánh")
    expect(page.locator("#people-table")).not_to_contain_text("Đặng Thị Bình")
    expect(page.locator("#result-count")).to_have_text("Tìm thấy 1 cán bộ")
    # The address follows the search (hx-push-url), so it can be bookmarked or shared.
    expect(page).to_have_url(re.compile(r"search=nguyen(\+|%20)van"))
    page.screenshot(path="/tmp/canbo-list.png", full_page=True)

    page.get_by_role("link", name="Nguyễn Văn Ánh").click()
    page.wait_for_url(re.compile(rf"/people/{data['anh'].pk}/$"))
    expected = retirement_date("M", dt.date(1980, 3, 5)).strftime("%d/%m/%Y")
    expect(page.locator("#retirement-date")).to_have_text(expected)
    expect(page.locator("#birth-date")).to_have_text("05/03/1980")
    expect(page.locator("h1")).to_have_text("Nguyễn Văn Ánh")
    expect(page.locator("#current-positions")).to_have_text(
        "Bí thư Đảng ủy xã – Đảng ủy xã An Bình"
    )
    expect(page.locator("#confidence_vote")).to_contain_text("(66,67%)")
    page.screenshot(path="/tmp/canbo-profile.png", full_page=True)


def test_search_works_without_javascript(chromium, live_server, data):
    context = chromium.new_context(locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server)
        page.get_by_label("Tìm kiếm").fill("dang")
        page.get_by_role("button", name="Lọc").click()
        page.wait_for_url(re.compile(r"search=dang"))
        names = page.locator("#people-table tbody a").all_inner_texts()
        assert names == ["Đặng Thị Bình"]
    finally:
        context.close()


def test_unit_tree_expands_with_htmx(page, live_server, data):
    from playwright.sync_api import expect

    sign_in(page, live_server)
    page.goto(f"{live_server.url}/units/")
    root = page.locator('li[data-unit="TU"]')
    expect(root.locator("summary")).to_contain_text("2")
    root.locator("summary").click(position={"x": 4, "y": 8})
    child = page.locator('li[data-unit="XA"]')
    expect(child).to_contain_text("Đảng ủy xã An Bình")
    expect(child).to_contain_text("1")
