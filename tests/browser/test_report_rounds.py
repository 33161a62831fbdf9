"""End to end in Chromium (issue 16, item 7): a commune's editor opens its report of the
province's round from the round's page, corrects a cell with its reason (the cell is then
marked, the share beside it recomputed) and sends the report up."""

import datetime as dt
import re

import pytest

from canbo.reports import views_rounds
from canbo.reports.models import Submission, SubmissionStatus

from ..factories import UserFactory, grant
from ..reports import province
from ..reports.test_rounds_setup import at, make_round

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "mat-khau-123"
REASON = "Đồng chí Lan được kết nạp Đảng ngày 01/12/2026, hồ sơ chưa cập nhật"


def test_a_commune_opens_corrects_and_sends_its_report(page, live_server, world, monkeypatch):
    from playwright.sync_api import expect

    province.build(world)
    issuer = UserFactory(username="sua_tinh", role="editor")
    grant(issuer, world.tu)
    r = make_round(world, issuer)  # TK-CB, annual 2026: cut-off 14/12/2026
    # the pages' clock after the cut-off (the live server runs in this process)
    monkeypatch.setattr(views_rounds, "now", lambda: at(dt.date(2026, 12, 16)))

    page.goto(f"{live_server.url}/reports/rounds/{r.pk}/")
    page.get_by_label("Tên đăng nhập").fill(world.editor_a.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(rf"/reports/rounds/{r.pk}/$"))
    expect(page.locator("#round-heading")).to_have_text("Báo cáo TK-CB – Năm 2026")

    page.locator("#open-XA-TK-CB").click()
    page.wait_for_url(re.compile(r"/reports/submissions/\d+/$"))
    expect(page.locator("#submission-status")).to_have_text("Đang lập")
    party = page.locator('#report-table tr[data-row="total"] td[data-column="party"]')
    expect(party).to_have_text("0")

    page.get_by_label("Dòng").select_option(label="Tổng số")
    page.get_by_label("Cột").select_option(label="Đảng viên")
    page.get_by_label("Số sửa").fill("1")
    page.get_by_label("Lý do sửa").fill(REASON)
    page.locator("#correction-save").click()
    expect(page.locator(".alert-success")).to_have_text("Đã sửa ô “Tổng số / Đảng viên”: 0 → 1.")
    expect(party).to_have_text("1")
    expect(party).to_have_class(re.compile(r"\btable-warning\b"))
    expect(party).to_have_attribute("title", f"Đã sửa (tính từ hồ sơ: 0). Lý do: {REASON}")
    share = page.locator('#report-table tr[data-row="total"] td[data-column="party_share"]')
    expect(share).to_have_text("100,00")
    expect(page.locator("#correction-rows")).to_contain_text(REASON)

    page.locator("#submission-submit").click()
    expect(page.locator(".alert-success")).to_have_text(
        "Đã gửi báo cáo TK-CB của Đảng ủy xã An Bình lên cấp trên.")
    expect(page.locator("#submission-status")).to_have_text("Đã gửi")
    expect(page.locator("#submission-submit")).to_have_count(0)

    submission = Submission.objects.get(round=r, unit=world.xa)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_at == at(dt.date(2026, 12, 16))
    assert [(c.row, c.column, c.computed, c.corrected, c.reason)
            for c in submission.corrections.all()] == [("total", "party", 0, 1, REASON)]  # fmt: skip
