"""Searchable pickers in Chromium (issue 17 item 5): the person form's unit box and hometown
box chosen from the keyboard (Enter chooses, never sends the form), and the unit tree's
filter box."""

import re

import pytest

from canbo.accounts.models import Role
from canbo.organizations.choices import AreaKind, AreaLevel, UnitKind, UnitLevel
from canbo.people.models import Ethnicity, Person

from ..factories import UserFactory, grant, make_area, make_unit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "mat-khau-123"


@pytest.fixture
def data():
    province = make_area("01", "Tỉnh Thử Nghiệm")
    make_area("00001", "Xã An Bình", province, AreaKind.COMMUNE, AreaLevel.COMMUNE)
    make_area("00002", "Xã Bình Minh", province, AreaKind.COMMUNE, AreaLevel.COMMUNE)
    tu = make_unit("TU", "Tỉnh ủy Thử Nghiệm", area=province)
    district = {"kind": UnitKind.PARTY_COMMITTEE, "level": UnitLevel.DISTRICT}
    commune = {"kind": UnitKind.PARTY_COMMITTEE, "level": UnitLevel.COMMUNE}
    hu = make_unit("HU", "Huyện ủy Đông Sơn", tu, **district)
    units = {
        "xa": make_unit("XA", "Đảng ủy xã An Phú", hu, **commune),
        "xb": make_unit("XB", "Đảng ủy xã Bình Minh", hu, **commune),
        "xc": make_unit("XC", "Đảng ủy xã Bình Sơn", hu, **commune),
    }
    Ethnicity.objects.get_or_create(code="01", defaults={"name": "Kinh", "is_minority": False})
    user = UserFactory(username="canbo_tinh", role=Role.EDITOR, first_name="Lê Văn Tỉnh")
    grant(user, tu)
    return {"user": user, "tu": tu, "hu": hu, **units}


def sign_in(page, live_server, path):
    page.goto(f"{live_server.url}{path}")
    page.get_by_label("Tên đăng nhập").fill("canbo_tinh")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))


def test_the_unit_and_hometown_boxes_choose_from_the_keyboard(page, live_server, data):
    from playwright.sync_api import expect

    sign_in(page, live_server, "/people/new/")
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.locator("#id_id_number").fill("001095000009")
    page.locator("#id_family_name").fill("Lê")
    page.locator("#id_given_name").fill("Nam")
    page.locator("#id_sex").select_option(label="Nam")
    page.locator("#id_birth_date").fill("03/1995")

    box = page.get_by_role("combobox", name=re.compile("^Đơn vị quản lý hồ sơ"))
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially("binh")  # no accents: Bình Minh and Bình Sơn
    options = page.locator("#id_unit-listbox [role=option]")
    expect(options).to_have_count(2)
    expect(options.first).to_contain_text("Đảng ủy xã Bình Minh")
    expect(options.first).to_contain_text("XB")
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    box.press("ArrowUp")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(options.nth(1)).to_have_attribute("aria-selected", "false")
    box.press("Enter")  # chooses Bình Minh; the form is not sent
    expect(box).to_have_value("XB · Đảng ủy xã Bình Minh")
    expect(page.locator("#id_unit-listbox")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator('input[type=hidden][name="unit"]')).to_have_value(str(data["xb"].pk))
    expect(page.locator("#id_unit")).not_to_have_attribute("name", "unit_text")
    assert page.url.endswith("/people/new/") and posts == []

    # Escape closes the suggestions; typing again clears the choice until one is made.
    box.fill("")
    box.press_sequentially("an phu")
    expect(options).to_have_count(1)
    box.press("Escape")
    expect(page.locator("#id_unit-listbox")).to_be_hidden()
    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    box.press("Escape")
    # Left without choosing: the only suggestion is taken.
    page.get_by_label("Quê quán").focus()
    expect(box).to_have_value("XA · Đảng ủy xã An Phú")
    expect(page.locator('input[type=hidden][name="unit"]')).to_have_value(str(data["xa"].pk))
    # ... and with several, the last choice comes back.
    box.fill("")
    box.press_sequentially("binh")
    expect(options).to_have_count(2)
    page.get_by_label("Quê quán").focus()
    expect(box).to_have_value("XA · Đảng ủy xã An Phú")
    box.fill("")
    box.press_sequentially("binh minh")
    expect(options).to_have_count(1)
    box.press("Enter")  # the only suggestion
    expect(box).to_have_value("XB · Đảng ủy xã Bình Minh")

    # The hometown box (htmx suggestions): the same keys; Enter never sends the form.
    hometown = page.get_by_role("combobox", name="Quê quán")
    hometown.press("Enter")
    hometown.press_sequentially("binh minh")
    areas = page.locator("#hometown-suggest [role=option]")
    expect(areas).to_have_count(1)
    hometown.press("ArrowDown")
    expect(areas.first).to_have_attribute("aria-selected", "true")
    hometown.press("Enter")
    expect(hometown).to_have_value("00002 · Xã Bình Minh, Tỉnh Thử Nghiệm")
    expect(areas).to_have_count(0)
    assert page.url.endswith("/people/new/") and posts == []

    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r"/people/\d+/$"))
    person = Person.objects.get(id_number="001095000009")
    assert (person.unit, person.hometown.code) == (data["xb"], "00002")


def test_the_unit_tree_filter_box(page, live_server, data):
    from playwright.sync_api import expect

    sign_in(page, live_server, "/units/")
    expect(page.locator("li.unit-node")).to_have_count(1)  # the root alone, closed
    page.get_by_label("Lọc đơn vị").press_sequentially("binh son")
    nodes = page.locator("#tree-body li.unit-node")
    expect(nodes).to_have_count(1)
    expect(nodes.first).to_have_attribute("data-unit", "XC")
    expect(nodes.first.locator(".unit-trail")).to_have_text(
        "Tỉnh ủy Thử Nghiệm › Huyện ủy Đông Sơn ›"
    )
    expect(page.locator("#tree-filter-count")).to_have_text("1 đơn vị khớp “binh son”.")
    expect(page).to_have_url(re.compile(r"q=binh(\+|%20)son"))
    page.get_by_label("Lọc đơn vị").fill("binh")
    expect(nodes).to_have_count(2)
    # With a date: the filter keeps it, and the date keeps the filter.
    page.get_by_label("Cây đơn vị tại ngày").fill("01/01/2026")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url(re.compile(r"as_of=01%2F01%2F2026"))
    expect(nodes).to_have_count(2)
    assert "q=binh" in page.url
    page.get_by_label("Lọc đơn vị").fill("an phu")
    expect(nodes).to_have_count(1)
    expect(page).to_have_url(re.compile(r"as_of=01%2F01%2F2026"))
    link = nodes.first.get_by_role("link", name="Đảng ủy xã An Phú")
    expect(link).to_have_attribute("href", f"/units/{data['xa'].pk}/?as_of=01/01/2026")
