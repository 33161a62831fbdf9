"""On a 390 px phone (issue 17 item 7): the profile does not scroll sideways (its tables
scroll inside their cards, the edit buttons stay on screen, the header's buttons wrap) and
the people list's filters fold behind a "Bộ lọc" button."""

import datetime as dt
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


def no_sideways_scroll(page) -> None:
    """The page is no wider than the screen (scrollWidth ≤ clientWidth), which is the phone's."""
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert client == WIDTH
    assert scroll <= client, f"the page scrolls sideways: {scroll} > {client}"


def on_screen(locator) -> dict:
    """The element's box, asserted to lie within the screen's width."""
    box = locator.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box
    return box


LINES = """e => { const s = getComputedStyle(e);
  return Math.round((e.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom))
                    / parseFloat(s.lineHeight)); }"""


def overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])  # fmt: skip


@pytest.fixture
def long_history(data):  # noqa: F811
    """Ánh's work history grows to twelve rows of long titles, units and decision numbers."""
    from canbo.people import services

    anh = data["anh"]
    for i in range(11):
        services.section_create(
            actor=None,
            person=anh,
            kind="assignment",
            title_name=f"Phó Trưởng Ban Thường trực Ban Tuyên giáo và Dân vận (lần {i + 1})",
            unit_name="Ban Tuyên giáo và Dân vận Tỉnh ủy Thử Nghiệm, tỉnh Thử Nghiệm",
            start_date=dt.date(2008 + i, 1, 1),
            end_date=dt.date(2008 + i, 12, 31),
            how="appointed",
            decision_number=f"{1000 + i}-QĐ/TU ngày 01/01/{2008 + i} của Ban Thường vụ",
        )
    return anh


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


def test_profile_with_a_long_work_history_fits_the_phone(phone, live_server, long_history):
    from playwright.sync_api import expect

    phone.goto(f"{live_server.url}/people/{long_history.pk}/")
    expect(phone.locator("h1")).to_have_text("Nguyễn Văn Ánh")
    rows = phone.locator("#assignment table tbody tr")
    expect(rows).to_have_count(12)
    phone.screenshot(path="/tmp/canbo-profile-top-390.png")
    no_sideways_scroll(phone)
    # The header's buttons wrap inside the screen, none over another.
    actions = phone.locator("#person-actions")
    buttons = [
        actions.get_by_role("link", name="Sửa hồ sơ"),
        actions.get_by_role("link", name="Lịch sử thay đổi"),
        actions.get_by_role("button", name="Sơ yếu lý lịch (2C)"),
    ]
    boxes = [on_screen(b) for b in buttons]
    # Each label on one line (a button group squeezed them to "Sửa / hồ / sơ").
    assert [b.evaluate(LINES) for b in buttons] == [1, 1, 1]
    assert [overlap(a, b) for a, b in ((boxes[0], boxes[1]), (boxes[0], boxes[2]), (boxes[1], boxes[2]))] == [False] * 3  # fmt: skip
    assert boxes[2]["y"] > boxes[0]["y"]  # the third went to a second line
    on_screen(actions)
    # The 2C menu opens within the screen.
    buttons[2].click()
    menu = actions.locator(".dropdown-menu")
    expect(menu).to_be_visible()
    on_screen(menu)
    no_sideways_scroll(phone)
    buttons[2].click()
    expect(menu).to_be_hidden()
    # The history's table is wider than the phone and scrolls inside its card: the last
    # row's edit and delete buttons come into view without the page scrolling sideways.
    table = phone.locator("#assignment .table-responsive")
    on_screen(table)
    assert table.evaluate("e => e.scrollWidth > e.clientWidth")
    for name in ("Sửa", "Xóa"):
        button = rows.last.get_by_role("link", name=name)
        button.scroll_into_view_if_needed()
        on_screen(button)
        no_sideways_scroll(phone)
    assert table.evaluate("e => e.scrollLeft") > 0
    phone.screenshot(path="/tmp/canbo-profile-long-390.png", full_page=True)
