"""On a 390 px phone (issue 17 item 7): the profile does not scroll sideways (its tables
scroll inside their cards, the edit buttons stay on screen) and the people list's filters
fold behind a "Bộ lọc" button."""

import re

import pytest

from .test_browser import PASSWORD, data  # noqa: F401 - the same people as the desktop tests

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTH = 390


@pytest.fixture
def phone(chromium, live_server, data):  # noqa: F811 - the user signs in
    context = chromium.new_context(
        locale="vi-VN", viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True
    )
    failed: list[str] = []
    page = context.new_page()
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/people/")
    page.get_by_label("Tên đăng nhập").fill("canbo_tinh")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/people/$"))
    yield page
    context.close()
    assert failed == [], f"requests failed: {failed}"


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_profile_has_no_sideways_scroll(phone, live_server, data):  # noqa: F811
    from playwright.sync_api import expect

    phone.goto(f"{live_server.url}/people/{data['anh'].pk}/")
    expect(phone.locator("h1")).to_have_text("Nguyễn Văn Ánh")
    assert page_width(phone) <= WIDTH
    # The work history's table scrolls inside its card; its edit buttons can be reached.
    history = phone.locator("#assignment .table-responsive")
    expect(history).to_have_count(1)
    box = history.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    edit = phone.locator("#assignment table tbody tr").first.locator("a, button").first
    edit.scroll_into_view_if_needed()
    edit_box = edit.bounding_box()
    assert edit_box is not None and edit_box["x"] >= 0 and edit_box["x"] + edit_box["width"] <= WIDTH
    assert page_width(phone) <= WIDTH
    # The months left are said in years and months.
    assert re.fullmatch(r"\d+ năm( ([1-9]|1[01]) tháng)?|([1-9]|1[01]) tháng", phone.locator("#months-left").inner_text())  # fmt: skip
    # The favicon every page links to is served (no 404 on every page).
    icon = phone.locator('link[rel="icon"]').get_attribute("href")
    assert icon == "/static/canbo/favicon.svg"
    answer = phone.request.get(f"{live_server.url}{icon}")
    assert (answer.status, answer.headers["content-type"]) == (200, "image/svg+xml")
    phone.screenshot(path="/tmp/canbo-profile-390.png", full_page=True)


def test_list_filters_fold_behind_a_button(phone, live_server, data):  # noqa: F811
    from playwright.sync_api import expect

    panel = phone.locator("#filters")
    toggle = phone.get_by_role("button", name="Bộ lọc")
    expect(toggle).to_be_visible()
    expect(panel).to_be_hidden()
    expect(phone.locator("#people-table tbody tr")).to_have_count(2)
    assert page_width(phone) <= WIDTH

    toggle.click()
    expect(panel).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(panel).to_have_class(re.compile(r"\bshow\b"))  # the opening has ended
    toggle.click()
    expect(panel).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    phone.screenshot(path="/tmp/canbo-list-390.png", full_page=True)


def test_on_a_wide_screen_the_filters_show_without_the_button(page, live_server, data):  # noqa: F811
    from playwright.sync_api import expect

    from .test_browser import sign_in

    sign_in(page, live_server)
    expect(page.locator("#filters")).to_be_visible()
    expect(page.get_by_role("button", name="Bộ lọc")).to_be_hidden()
