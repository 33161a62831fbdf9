"""End to end in Chromium: open an appointment case, record its five steps; two users type
step 5's tally with a difference, see it, correct it, close the step and see the result."""

import datetime as dt
import re

import pytest

from canbo.accounts.models import Role
from canbo.people.models import Ethnicity
from canbo.rules.services import ensure_default_rule_sets

from ..factories import UserFactory, grant, make_area, make_unit
from ..planning.factories import make_person, make_position

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "mat-khau-123"


@pytest.fixture
def case_data():
    """A province committee, two of its editors, a post and two candidates."""
    ensure_default_rule_sets()
    province = make_area("01", "Tỉnh Thử Nghiệm")
    tu = make_unit("TU", "Tỉnh ủy Thử Nghiệm", area=province)
    Ethnicity.objects.get_or_create(code="01", defaults={"name": "Kinh", "is_minority": False})
    first = UserFactory(username="canbo_tinh", role=Role.EDITOR, first_name="Lê Văn Tỉnh")
    second = UserFactory(username="canbo_hai", role=Role.EDITOR, first_name="Phạm Thị Hai")
    grant(first, tu)
    grant(second, tu)
    make_position(tu, "GD", "Giám đốc Sở", 70)
    an = make_person("Trần", "Văn", "An", "M", dt.date(1980, 5, 10), unit=tu,
                     id_number="001080000001")  # fmt: skip
    binh = make_person("Lê", "Thị", "Bình", "F", dt.date(1982, 7, 1), unit=tu,
                       id_number="001182000002")  # fmt: skip
    return {"tu": tu, "an": an, "binh": binh}


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/appointments/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/appointments/$"))


def day(n: int) -> str:
    """Meetings on consecutive past days, step 1 ten days ago."""
    return (dt.date.today() - dt.timedelta(days=11 - n)).strftime("%d/%m/%Y")


def record_step(page, number: int, summoned: int = 15, present: int = 12):
    form = page.locator("#step-form")
    form.get_by_label("Bước").select_option(value=str(number))
    form.get_by_label("Ngày họp").fill(day(number))
    form.get_by_label("Số người được triệu tập").fill(str(summoned))
    form.get_by_label("Số người có mặt").fill(str(present))
    form.get_by_role("button", name="Ghi cuộc họp").click()
    page.wait_for_load_state()


def enter_tally(page, number: int, an_for: int, binh_for: int | None = None, valid: int = 12):
    form = page.locator(f"#tally-form-{number}")
    if not form.is_visible():
        page.locator(f"#step-{number} summary").click()
    form.get_by_label("Số phiếu hợp lệ").fill(str(valid))
    form.get_by_label("Số phiếu không hợp lệ").fill("0")
    rows = form.locator("tr.tally-line-form")
    rows.nth(0).locator("input").nth(1).fill(str(an_for))
    rows.nth(0).locator("input").nth(2).fill(str(valid - an_for))
    if binh_for is not None:
        rows.nth(1).locator("input").nth(0).fill("001182000002")
        rows.nth(1).locator("input").nth(1).fill(str(binh_for))
        rows.nth(1).locator("input").nth(2).fill(str(valid - binh_for))
    form.get_by_role("button", name="Lưu lần nhập").click()
    page.wait_for_load_state()


def close_step(page, number: int):
    form = page.locator(f"#step-close-{number}")
    form.get_by_label("Ngày kết thúc bước").fill(day(number))
    form.get_by_role("button", name="Kết thúc bước").click()
    page.wait_for_load_state()


def test_a_case_through_its_five_steps_with_a_double_entered_tally(page, chromium, live_server,
                                                                   case_data):  # fmt: skip
    from playwright.sync_api import expect

    sign_in(page, live_server, "canbo_tinh")
    expect(page.locator("#mainnav").get_by_role("link", name="Bổ nhiệm")).to_be_visible()
    page.locator("#create-link").click()
    page.wait_for_url(re.compile(r"/appointments/new/$"))

    # The person through the suggestions, the post, the competent body through its picker.
    page.get_by_label("Cán bộ").fill("00108000")
    suggestion = page.locator("[data-person-pick]", has_text="Trần Văn An")
    expect(suggestion).to_be_visible()
    suggestion.click()
    expect(page.get_by_label("Cán bộ")).to_have_value("001080000001 · Trần Văn An")
    page.get_by_label("Loại việc").select_option(label="Bổ nhiệm")
    page.get_by_label("Chức danh").select_option(label="Giám đốc Sở – Tỉnh ủy Thử Nghiệm")
    box = page.get_by_role("combobox", name=re.compile("^Cấp có thẩm quyền"))
    box.press_sequentially("thu nghiem")
    page.locator("[role=option]", has_text="Tỉnh ủy Thử Nghiệm").first.click()
    expect(box).to_have_value("TU · Tỉnh ủy Thử Nghiệm")
    page.get_by_label("Ngày bắt đầu quy trình").fill(day(0))
    page.get_by_role("button", name="Lập hồ sơ").click()
    page.wait_for_url(re.compile(r"/appointments/\d+/$"))
    expect(page.locator(".alert-success")).to_contain_text("Đã lập hồ sơ bổ nhiệm của Trần Văn An.")
    expect(page.locator("#case-title")).to_have_text("Bổ nhiệm: Trần Văn An")
    case_url = page.url

    # The second editor in a browser of their own.
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1440, "height": 1000})
    other = context.new_page()
    other.set_default_timeout(15_000)
    sign_in(other, live_server, "canbo_hai")

    # Step 1 (no ballot), then 2 to 4 with agreeing entries by the two editors.
    record_step(page, 1)
    expect(page.locator("#step-1 .step-meeting")).to_contain_text("12/15 người có mặt (80,00%)")
    close_step(page, 1)
    for number in (2, 3, 4):
        record_step(page, number)
        enter_tally(page, number, 10)
        other.goto(case_url)
        enter_tally(other, number, 10)
        page.reload()
        expect(page.locator(f"#step-{number} .tally-agree")).to_have_text("Hai lần nhập khớp nhau.")
        close_step(page, number)
        expect(page.locator(f"#step-{number} .step-result")).to_contain_text(
            "Kết quả của Trần Văn An: Đạt trên 50% tổng số thành viên."
        )

    # Step 5: the first editor types 9 for An and adds Bình by her ID number.
    record_step(page, 5)
    enter_tally(page, 5, 9, binh_for=3)
    step5 = page.locator("#step-5")
    expect(step5.locator("tr.tally-line")).to_have_count(6)
    # The second editor sees that an entry exists, not its figures.
    other.goto(case_url)
    other_step5 = other.locator("#step-5")
    expect(other_step5.locator(".hidden-round")).to_have_text(
        "Lần nhập 1 đã có (người khác nhập); số liệu chỉ hiện khi đủ hai lần nhập."
    )
    expect(other_step5.locator("table.tally-table")).to_have_count(0)
    # … and types 8 for An: both entries show, the difference in red.
    enter_tally(other, 5, 8, binh_for=3)
    expect(other_step5.locator(".tally-differences")).to_contain_text("Hai lần nhập còn 2 chỗ khác nhau")
    page.reload()
    expect(step5.locator(".tally-differences")).to_contain_text("Hai lần nhập còn 2 chỗ khác nhau")
    differing = step5.locator("tr.tally-line.differs")
    expect(differing).to_have_count(2)
    expect(differing.first).to_contain_text("Trần Văn An: đồng ý, giới thiệu")
    expect(differing.first.locator("td.table-danger")).to_have_count(2)
    page.screenshot(path="/tmp/canbo-appointment-difference.png", full_page=True)

    # Closing is refused while they differ.
    close_step(page, 5)
    expect(page.locator("#step-close-5 .alert-danger")).to_contain_text(
        "Hai lần nhập số liệu còn 2 chỗ khác nhau"
    )
    # The second editor checks the minutes and corrects their entry.
    other.reload()
    enter_tally(other, 5, 9, binh_for=3)
    expect(other_step5.locator(".tally-agree")).to_have_text("Hai lần nhập khớp nhau.")
    context.close()

    page.goto(case_url)
    close_step(page, 5)
    expect(step5.locator(".step-result")).to_have_text(
        "Kết quả của Trần Văn An: Đạt trên 50% tổng số thành viên."
    )
    expect(step5.locator(".step-status")).to_contain_text("Đã kết thúc")
    expect(page.locator("#step-form")).to_have_count(0)  # the five steps are done
    page.screenshot(path="/tmp/canbo-appointment-steps.png", full_page=True)
