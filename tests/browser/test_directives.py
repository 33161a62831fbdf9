"""End to end in Chromium (issue 14): a province's editor writes a plan, adds a task and
assigns it to every commune; a commune records its completion; the province reads
"1/2 (50,00%)" on the plan's page."""

import datetime as dt
import re

import pytest

from canbo.accounts.models import Role
from canbo.directives.models import Directive, TaskAssignment
from canbo.organizations.choices import UnitLevel

from ..factories import UserFactory, grant, make_unit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "mat-khau-123"


@pytest.fixture
def province():
    tu = make_unit("TU", "Tỉnh ủy Thử Nghiệm")
    x1 = make_unit("TU-X1", "Đảng ủy xã Một", tu, level=UnitLevel.COMMUNE)
    make_unit("TU-X2", "Đảng ủy xã Hai", tu, level=UnitLevel.COMMUNE)
    grant(UserFactory(username="canbo_tinh", role=Role.EDITOR), tu)
    grant(UserFactory(username="canbo_xa", role=Role.EDITOR), x1, include_subtree=False)
    return tu


def sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/directives/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/directives/$"))


def test_a_plan_written_assigned_recorded_and_rolled_up(page, live_server, province):
    from playwright.sync_api import expect

    today = dt.date.today()
    day = lambda d: f"{d:%d/%m/%Y}"  # noqa: E731
    sign_in(page, live_server, "canbo_tinh")

    page.get_by_role("link", name="Thêm văn bản").click()
    page.get_by_label("Loại văn bản").select_option(label="Kế hoạch")
    page.get_by_label("Số, ký hiệu", exact=True).fill("120-KH/TU")
    page.get_by_label("Ngày ban hành").fill(day(today - dt.timedelta(days=10)))
    page.get_by_label("Cơ quan ban hành", exact=True).fill("TU")
    page.get_by_label("Trích yếu").fill("Kế hoạch kiểm điểm cuối năm")
    page.get_by_role("button", name="Lưu").click()
    plan = Directive.objects.get(number="120-KH/TU")
    page.wait_for_url(re.compile(rf"/directives/{plan.pk}/$"))
    expect(page.locator(".alert-success")).to_be_visible()

    page.get_by_role("link", name="Thêm nhiệm vụ").click()
    page.get_by_label("Nội dung", exact=True).fill("Các đảng ủy xã tổ chức kiểm điểm")
    page.get_by_label("Ngày bắt đầu", exact=True).fill(day(today - dt.timedelta(days=5)))
    page.get_by_label("Thời hạn (ngày)").fill(day(today + dt.timedelta(days=20)))
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã thêm nhiệm vụ số 1.")
    task = plan.tasks.get()

    page.locator(f"#task-{task.pk}-assign").click()
    page.get_by_label("Cấp", exact=True).select_option(label="Cấp xã")
    page.get_by_label("Trong đơn vị").fill("TU")
    page.get_by_role("button", name="Giao").click()
    page.wait_for_url(re.compile(rf"/directives/{plan.pk}/"))
    expect(page.locator(".alert-success")).to_contain_text("Đã giao cho 2 đơn vị.")
    expect(page.locator(f"#task-{task.pk}-rollup")).to_have_text("0/2 (0,00%)")

    # The commune records its own completion.
    sign_in(page, live_server, "canbo_xa")
    assignment = TaskAssignment.objects.get(task=task, unit__code="TU-X1")
    page.goto(f"{live_server.url}/directives/assignments/{assignment.pk}/")
    page.get_by_label("Ngày hoàn thành").fill(day(today))
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã ghi nhận hoàn thành.")

    sign_in(page, live_server, "canbo_tinh")
    page.goto(f"{live_server.url}/directives/{plan.pk}/")
    expect(page.locator(f"#task-{task.pk}-rollup")).to_have_text("1/2 (50,00%)")
    page.screenshot(path="/tmp/canbo-directive.png", full_page=True)
