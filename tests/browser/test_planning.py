"""End to end in Chromium: open a plan, add an entry through the suggestions, see its finding."""

import re

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "mat-khau-123"


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/planning/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Tên đăng nhập").fill("canbo_tinh")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/planning/$"))


def test_open_a_plan_add_an_entry_and_see_its_finding(page, live_server, planning_data):
    from playwright.sync_api import expect

    sign_in(page, live_server)
    plan, gd = planning_data["plan"], planning_data["gd"]
    expect(page.locator("#mainnav").get_by_role("link", name="Quy hoạch")).to_be_visible()
    page.get_by_role("link", name=plan.name).click()
    page.wait_for_url(re.compile(rf"/planning/{plan.pk}/$"))
    expect(page.locator("#plan-status")).to_have_text("Dự thảo")
    group = page.locator(f"#position-{gd.pk}")
    expect(group).to_contain_text("Chưa có người kế cận cho chức danh này.")

    # Suggestions while typing (htmx): pick An by his ID number.
    page.get_by_label("Cán bộ").first.fill("00108000")
    suggestion = page.locator("[data-person-pick]", has_text="Trần Văn An")
    expect(suggestion).to_be_visible()
    suggestion.click()
    expect(page.get_by_label("Cán bộ").first).to_have_value("001080000001 · Trần Văn An")
    page.get_by_label("Chức danh quy hoạch").select_option(label="Giám đốc Sở – Tỉnh ủy Thử Nghiệm")
    page.get_by_role("button", name="Đưa vào quy hoạch").click()
    page.wait_for_url(re.compile(rf"/planning/{plan.pk}/$"))

    expect(page.locator(".alert-success")).to_contain_text(
        "Đã đưa Trần Văn An vào quy hoạch chức danh Giám đốc Sở."
    )
    row = group.locator("tr.entry")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Trần Văn An")
    # He already holds that post: the P3 finding appears beside him, live.
    finding = row.locator('.finding[data-rule="P3"]')
    expect(finding).to_contain_text("Trần Văn An được quy hoạch vào Giám đốc Sở")
    page.screenshot(path="/tmp/canbo-plan.png", full_page=True)

    # The what-if panel answers in place and saves nothing.
    page.locator("#what-if-form").get_by_text("Đưa ra").click()
    page.get_by_label("Trần Văn An – Giám đốc Sở").check()
    page.get_by_role("button", name="Thử").click()
    expect(page.locator("#what-if-resolved")).to_contain_text("P3")
    expect(row).to_have_count(1)
    page.screenshot(path="/tmp/canbo-plan-what-if.png", full_page=True)
