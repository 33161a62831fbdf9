"""End to end in Chromium: record a confidence-vote session, put three people on its list,
two editors type the tallies with one difference, see it, correct it, close the session
and see the shares."""

import datetime as dt
import re

import pytest

from canbo.accounts.models import Role
from canbo.people.models import Ethnicity
from canbo.rules.services import ensure_default_rule_sets

from ..factories import UserFactory, grant, make_area, make_unit
from ..planning.factories import make_person

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "mat-khau-123"
HELD = dt.date.today() - dt.timedelta(days=3)


@pytest.fixture
def review_data():
    """A province committee, two of its editors and three of its people."""
    ensure_default_rule_sets()
    province = make_area("01", "Tỉnh Thử Nghiệm")
    tu = make_unit("TU", "Tỉnh ủy Thử Nghiệm", area=province)
    Ethnicity.objects.get_or_create(code="01", defaults={"name": "Kinh", "is_minority": False})
    for username, name in (("canbo_tinh", "Lê Văn Tỉnh"), ("canbo_hai", "Phạm Thị Hai")):
        grant(UserFactory(username=username, role=Role.EDITOR, first_name=name), tu)
    people = [
        make_person("Trần", "Văn", "An", "M", dt.date(1975, 5, 10), unit=tu, id_number="001075000001"),
        make_person("Lê", "Thị", "Bình", "F", dt.date(1980, 7, 1), unit=tu, id_number="001180000002"),
        make_person("Đỗ", "Văn", "Cường", "M", dt.date(1978, 3, 2), unit=tu, id_number="001078000003"),
    ]  # fmt: skip
    return {"tu": tu, "people": people}


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/reviews/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/reviews/$"))


def enter_tally(page, figures: dict[str, tuple[int, int, int, int]]):
    """figures: ID number → (high, normal, low, invalid)."""
    form = page.locator("#tally-form")
    if not form.is_visible():
        page.locator("#tallies summary").click()
    for id_number, values in figures.items():
        inputs = form.locator(f'tr.tally-line-form[data-person="{id_number}"] input')
        for i, value in enumerate(values):
            inputs.nth(i).fill(str(value))
    form.get_by_role("button", name="Lưu lần nhập").click()
    page.wait_for_load_state()


AGREED = {"001075000001": (15, 10, 2, 0), "001180000002": (8, 12, 7, 0),
          "001078000003": (20, 6, 1, 0)}  # fmt: skip


def test_a_session_with_double_entered_tallies_closes_and_shows_the_shares(
    page, chromium, live_server, review_data
):
    from playwright.sync_api import expect

    sign_in(page, live_server, "canbo_tinh")
    expect(page.locator("#mainnav").get_by_role("link", name="Tín nhiệm, đánh giá")).to_be_visible()
    page.locator("#create-link").click()
    page.wait_for_url(re.compile(r"/reviews/sessions/new/$"))
    box = page.get_by_role("combobox", name=re.compile("^Cơ quan, hội nghị lấy phiếu"))
    box.press_sequentially("thu nghiem")
    page.locator("[role=option]", has_text="Tỉnh ủy Thử Nghiệm").first.click()
    expect(box).to_have_value("TU · Tỉnh ủy Thử Nghiệm")
    page.get_by_label("Năm lấy phiếu").fill(str(HELD.year))
    page.get_by_label("Ngày lấy phiếu").fill(HELD.strftime("%d/%m/%Y"))
    page.get_by_label("Số người được triệu tập").fill("30")
    page.get_by_label("Số người có mặt").fill("27")
    page.get_by_role("button", name="Ghi hội nghị").click()
    page.wait_for_url(re.compile(r"/reviews/sessions/\d+/$"))
    expect(page.locator(".alert-success")).to_contain_text(
        f"Đã ghi hội nghị lấy phiếu tín nhiệm ngày {HELD:%d/%m/%Y}."
    )
    expect(page.locator("#session-present")).to_have_text(
        "27/30 người được triệu tập (90,00%)"
    )
    session_url = page.url

    # An through the suggestions, Bình and Cường by their ID numbers.
    person = page.locator("#subject-form").get_by_label("Cán bộ")
    person.fill("00107500")
    suggestion = page.locator("[data-person-pick]", has_text="Trần Văn An")
    expect(suggestion).to_be_visible()
    suggestion.click()
    expect(person).to_have_value("001075000001 · Trần Văn An")
    page.get_by_role("button", name="Thêm vào danh sách").click()
    page.wait_for_load_state()
    for id_number in ("001180000002", "001078000003"):
        page.locator("#subject-form").get_by_label("Cán bộ").fill(id_number)
        page.get_by_role("button", name="Thêm vào danh sách").click()
        page.wait_for_load_state()
    expect(page.locator("#subject-table tr.subject")).to_have_count(3)

    # The first editor types round 1.
    enter_tally(page, AGREED)
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu lần nhập 1 số phiếu tín nhiệm.")

    # The second editor, in a browser of their own, sees that round 1 exists, not its figures.
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1440, "height": 1000})
    other = context.new_page()
    other.set_default_timeout(15_000)
    sign_in(other, live_server, "canbo_hai")
    other.goto(session_url)
    expect(other.locator(".hidden-round")).to_have_text(
        "Lần nhập 1 đã có (người khác nhập); số liệu chỉ hiện khi đủ hai lần nhập."
    )
    expect(other.locator("table.tally-table")).to_have_count(0)
    expect(other.locator("#tallies summary")).to_have_text(
        "Nhập số phiếu theo biên bản kiểm phiếu (lần nhập 2 của bạn)"
    )
    # … and types Bình's low figure as 6 instead of 7.
    enter_tally(other, {**AGREED, "001180000002": (8, 12, 6, 0)})
    expect(other.locator(".tally-differences")).to_contain_text("Hai lần nhập còn 1 chỗ khác nhau")

    page.reload()
    expect(page.locator(".tally-differences")).to_contain_text(
        "Lê Thị Bình – tín nhiệm thấp: lần 1 là 7, lần 2 là 6"
    )
    differing = page.locator("tr.tally-line.differs")
    expect(differing).to_have_count(1)
    expect(differing).to_contain_text("Lê Thị Bình")
    expect(differing.locator("td.table-danger")).to_have_count(2)
    page.screenshot(path="/tmp/canbo-review-difference.png", full_page=True)

    # Closing is refused while they differ.
    page.locator("#close-form").get_by_role("button", name="Kết thúc hội nghị").click()
    page.wait_for_load_state()
    expect(page.locator("#close-form .alert-danger")).to_contain_text(
        "Hai lần nhập số phiếu còn 1 chỗ khác nhau: Lê Thị Bình – tín nhiệm thấp: lần 1 là 7, "
        "lần 2 là 6."
    )
    # The second editor checks the minutes and corrects their entry.
    other.reload()
    enter_tally(other, {"001180000002": (8, 12, 7, 0)})
    expect(other.locator(".tally-agree")).to_have_text("Hai lần nhập khớp nhau.")
    context.close()

    page.goto(session_url)
    page.locator("#close-form").get_by_role("button", name="Kết thúc hội nghị").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text("Đã kết thúc hội nghị lấy phiếu")
    expect(page.locator("#session-status")).to_contain_text("Đã kết thúc")
    expect(page.locator("#results-base")).to_have_text(
        "Tỷ lệ tính trên số người được triệu tập: 30"
    )
    results = page.locator("#result-table tr.result")
    expect(results).to_have_count(3)
    expect(results.filter(has_text="Lê Thị Bình")).to_have_text(
        re.compile(r"Lê Thị Bình\s+8 \(26,67%\)\s+12 \(40,00%\)\s+7 \(23,33%\)\s+0")
    )
    expect(results.filter(has_text="Trần Văn An")).to_contain_text("15 (50,00%)")
    expect(page.locator("#tally-form")).to_have_count(0)
    page.screenshot(path="/tmp/canbo-review-results.png", full_page=True)
