"""End to end in Chromium: from a person's profile, record a rotation down to a commune,
see its R findings, end it with a return and see the work history on the profile."""

import datetime as dt
import re

import pytest

from canbo.accounts.models import Role
from canbo.organizations.choices import AreaKind, AreaLevel, UnitKind, UnitLevel
from canbo.people.models import Ethnicity
from canbo.rules.services import ensure_default_rule_sets

from ..factories import UserFactory, grant, make_area, make_unit
from ..planning.factories import hold, make_person, make_position

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "mat-khau-123"
TODAY = dt.date.today()


def vn(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def rotation_data():
    """A province committee, its department and a commune; the province's editor; An holds
    a department post (in no plan)."""
    ensure_default_rule_sets()
    province = make_area("01", "Tỉnh Thử Nghiệm")
    commune = make_area("00001", "Xã An Bình", province, AreaKind.COMMUNE, AreaLevel.COMMUNE)
    tu = make_unit("TU", "Tỉnh ủy Thử Nghiệm", area=province)
    snv = make_unit("SNV", "Sở Nội vụ", tu, UnitKind.DEPARTMENT, UnitLevel.PROVINCE, area=province)
    xa = make_unit("XA", "Đảng ủy xã An Bình", tu, UnitKind.PARTY_COMMITTEE, UnitLevel.COMMUNE,
                   area=commune)  # fmt: skip
    Ethnicity.objects.get_or_create(code="01", defaults={"name": "Kinh", "is_minority": False})
    user = UserFactory(username="canbo_tinh", role=Role.EDITOR, first_name="Lê Văn Tỉnh")
    grant(user, tu)
    deputy = make_position(snv, "SNV-PGD", "Phó Giám đốc Sở", 60)
    make_position(xa, "X-BT", "Bí thư Đảng ủy xã", 40)
    an = make_person("Trần", "Văn", "An", "M", dt.date(1985, 5, 10), unit=tu,
                     id_number="001085000010")  # fmt: skip
    hold(an, deputy, start=dt.date(2020, 1, 1))
    return {"an": an}


def test_record_a_rotation_from_the_profile_see_its_findings_end_it_and_the_history(
    page, live_server, rotation_data
):
    from playwright.sync_api import expect

    an = rotation_data["an"]
    page.goto(f"{live_server.url}/people/{an.pk}/")
    page.get_by_label("Tên đăng nhập").fill("canbo_tinh")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(rf"/people/{an.pk}/$"))

    # The profile's "Luân chuyển" opens the form with An and the post he holds.
    page.locator("#rotate-link").click()
    page.wait_for_url(re.compile(r"/rotation/new/\?person=\d+$"))
    expect(page.locator("#id_person")).to_have_value("001085000010 · Trần Văn An")
    expect(page.locator("#id_from_position")).to_have_value(str(an.assignments.get().position_id))
    start = TODAY - dt.timedelta(days=30)
    page.get_by_label("Hình thức").select_option(label="Luân chuyển")
    page.get_by_label("Mục đích").select_option(label="Đào tạo, rèn luyện cán bộ trong quy hoạch")
    page.get_by_label("Đến chức danh").select_option(label="Bí thư Đảng ủy xã – Đảng ủy xã An Bình")
    box = page.get_by_role("combobox", name=re.compile("^Cấp có thẩm quyền"))
    box.press_sequentially("thu nghiem")
    page.locator("[role=option]", has_text="Tỉnh ủy Thử Nghiệm").first.click()
    expect(box).to_have_value("TU · Tỉnh ủy Thử Nghiệm")
    page.get_by_label("Số quyết định").fill("15-QĐ/TU")
    page.get_by_label("Ngày quyết định").fill(vn(start - dt.timedelta(days=10)))
    page.get_by_label("Ngày bắt đầu").fill(vn(start))
    page.get_by_label("Dự kiến kết thúc").fill(vn(start + dt.timedelta(days=365)))
    page.get_by_role("button", name="Ghi luân chuyển").click()
    page.wait_for_url(re.compile(r"/rotation/\d+/$"))
    expect(page.locator(".alert-success")).to_contain_text("Đã ghi luân chuyển của Trần Văn An.")
    expect(page.locator("#rotation-directions")).to_have_text(
        "Từ trên xuống · giữa các địa phương · giữa các ngành, lĩnh vực")

    # R1 (An is in no plan) and R3 (twelve months, no shorter time decided).
    findings = page.locator("#rotation-findings .finding")
    expect(findings).to_have_count(2)
    expect(findings.nth(0)).to_have_attribute("data-rule", "R1")
    expect(findings.nth(0)).to_contain_text(
        f"Trần Văn An được luân chuyển ({vn(start)}) nhưng không có trong quy hoạch nào.")
    expect(findings.nth(1)).to_have_attribute("data-rule", "R3")

    # End it with a return: the old post starts again the next day.
    end = TODAY - dt.timedelta(days=1)
    form = page.locator("#end-form")
    form.get_by_label("Ngày kết thúc").fill(vn(end))
    form.get_by_label("Kết quả sau luân chuyển").select_option(label="Trở về cơ quan, đơn vị cũ")
    form.get_by_label("Nhận xét, đánh giá khi kết thúc").fill("Hoàn thành tốt nhiệm vụ")
    form.get_by_role("button", name="Kết thúc luân chuyển").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text("Đã kết thúc luân chuyển.")
    expect(page.locator("#rotation-end")).to_have_text(f"{vn(end)}: Trở về cơ quan, đơn vị cũ")
    expect(page.locator("#rotation-status")).to_have_text("Đã kết thúc")

    # The work history on the profile: the department post, the commune, the return.
    page.locator("#rotation-person a").click()
    page.wait_for_url(re.compile(rf"/people/{an.pk}/$"))
    body = page.locator("body")
    expect(body).to_contain_text("Bí thư Đảng ủy xã")
    expect(body).to_contain_text(vn(start))
    expect(body).to_contain_text(vn(end + dt.timedelta(days=1)))
