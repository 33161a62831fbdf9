"""Issue 17's acceptance in a real browser: a filtered list to Excel, the 2C record, and a
long list exported in the background whose page follows the work to its end."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import openpyxl
import pytest

from canbo.jobs.models import Job, JobStatus
from tests.workers import worker_thread

from .test_browser import data, sign_in  # noqa: F401  (the fixture is used by name)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def data_rows(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Danh sách"]
    return list(sheet.iter_rows(values_only=True))


def test_a_filtered_list_downloads_at_once(page, live_server, data):  # noqa: F811
    from playwright.sync_api import expect

    sign_in(page, live_server)
    page.get_by_label("Tìm kiếm").fill("nguyen van")
    expect(page.locator("#people-table tbody tr")).to_have_count(1)
    with page.expect_download() as info:
        page.locator("#export-xlsx").click()
    rows = data_rows(Path(info.value.path()).read_bytes())
    assert rows[0][0] == "Danh sách cán bộ — Tìm kiếm: “nguyen van”"
    assert [r[1] for r in rows[3:]] == ["Nguyễn Văn Ánh"]
    assert not Job.objects.exists()


def test_the_2c_record_downloads_from_the_profile(page, live_server, data):  # noqa: F811
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/people/{data['anh'].pk}/")
    page.locator("#record-2c button").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Word (DOCX)").click()
    assert info.value.suggested_filename.endswith(".docx")
    text = "\n".join(p.text for p in docx.Document(info.value.path()).paragraphs)
    assert "NGUYỄN VĂN ÁNH" in text.upper()


def test_a_long_list_is_followed_to_its_end_in_the_background(page, live_server, data,  # noqa: F811
                                                                settings):  # fmt: skip
    from playwright.sync_api import expect

    settings.CANBO_LIST_INLINE_ROWS = 1  # the two people make a "long" list here
    sign_in(page, live_server)
    page.locator("#export-xlsx").click()
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]{36}/$"))
    # No worker yet: the page says the work waits, and keeps asking (htmx, every second).
    expect(page.locator("#job-status")).to_have_text("Đang chờ")
    expect(page.locator("#job-bar")).to_be_visible()
    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED
    with worker_thread():
        # The page follows the work without being reloaded, to the file.
        expect(page.locator("#job-status")).to_have_text("Hoàn thành", timeout=20_000)
    expect(page.locator("#job-download")).to_contain_text("danh-sach-can-bo-")
    expect(page.locator("#job-progress")).to_contain_text("2 dòng")
    with page.expect_download() as info:
        page.locator("#job-download").click()
    rows = data_rows(Path(info.value.path()).read_bytes())
    assert sorted(r[1] for r in rows[3:]) == ["Nguyễn Văn Ánh", "Đặng Thị Bình"]
    # The list of my background work names it, with its file.
    page.locator("#nav-jobs").click()
    expect(page.locator("#job-list tbody tr")).to_have_count(1)
    expect(page.locator("#job-list")).to_contain_text("Hoàn thành")
