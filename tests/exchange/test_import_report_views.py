"""The dry-run page: errors first by sheet, then the counts of what changes; the errors workbook."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from canbo.core.models import AuditEvent
from canbo.people.models import Person

from .conftest import PEOPLE_HEADERS, person_row, write_workbook
from .test_import_report import (
    BAD_DATE,
    EVALUATION_HEADERS,
    NO_PERSON,
    NOT_INT,
    NOT_NUMBER,
    NOT_RATING,
    NOT_SEX,
    refused,
)
from .test_views import by_id, problem_rows, review_url, reviewed, token_of, upload

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNKNOWN_UNIT = "Không có đơn vị mã “ZZ” trong gói hay trong hệ thống."


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.CANBO_IMPORT_DIR = tmp_path / "imports"
    settings.CANBO_JOB_DIR = tmp_path / "jobs"
    return settings.CANBO_IMPORT_DIR


def workbook_bytes(tmp_path, sheets) -> bytes:
    return write_workbook(tmp_path / "goi.xlsx", sheets).read_bytes()


def refused_package(tmp_path) -> bytes:
    return workbook_bytes(tmp_path, {
        "Đánh giá": [EVALUATION_HEADERS,
                     ["001080000001", 2024, "Hoàn thành tốt", "85,5"],
                     ["001080000001", "abc", "Hoàn thành tốt nhiệm vụ", "85,5"],
                     ["001080000002", 2024, "Hoàn thành tốt nhiệm vụ", "85,5"],
                     ["001080000009", 2024, "Hoàn thành tốt nhiệm vụ", "x"],
                     ["001080000003", 2024, "Hoàn thành tốt nhiệm vụ", "90"]],
        "Cán bộ": [PEOPLE_HEADERS,
                   person_row(born="1980x", sex="Nan"),
                   person_row("001080000002", born="1980x", unit="ZZ"),
                   person_row("001080000003", unit="XA")],
        "Kỷ luật": [["Số định danh cá nhân", "Hình thức kỷ luật", "Ngày hiệu lực"]],
    })  # fmt: skip


def errors_url(token: str) -> str:
    return reverse("exchange:import-errors", args=[token])


def workbook_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Cache-Control"].startswith("no-store")
    content = b"".join(response.streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def test_the_dry_run_page_lists_errors_first_then_only_the_sheets_that_change(client, world, tmp_path):
    client.force_login(world.editor_a)
    token = token_of(upload(client, refused_package(tmp_path)))
    response = reviewed(client, token)
    content = response.content.decode()
    assert response.status_code == 200
    assert content.index('id="problems"') < content.index('id="import-summary"')
    assert [row[1:4] + row[5:] for row in problem_rows(response)] == [
        ["Cán bộ", "2", "Giới tính", NOT_SEX],
        ["Cán bộ", "2", "Ngày sinh", BAD_DATE],
        ["Cán bộ", "3", "Ngày sinh", BAD_DATE],
        ["Cán bộ", "3", "Mã đơn vị", UNKNOWN_UNIT],
        ["Đánh giá", "2", "Số định danh cá nhân", refused(2)],
        ["Đánh giá", "2", "Xếp loại", NOT_RATING],
        ["Đánh giá", "3", "Số định danh cá nhân", refused(2)],
        ["Đánh giá", "3", "Năm", NOT_INT],
        ["Đánh giá", "4", "Số định danh cá nhân", refused(3)],
        ["Đánh giá", "5", "Số định danh cá nhân", NO_PERSON],
        ["Đánh giá", "5", "Điểm", NOT_NUMBER],
    ]
    assert by_id(response, "errors-by-sheet") == "Lỗi theo sheet: Cán bộ 4 Đánh giá 7"
    assert by_id(response, "download-errors") == "Tải báo cáo lỗi (Excel)"
    # Kỷ luật has no row: its zero counts are one line, not a row of the table.
    assert by_id(response, "import-counts") == (
        "Sheet Tạo mới Cập nhật Không đổi Cán bộ 1 0 0 Đánh giá 1 0 0"
    )
    assert by_id(response, "quiet-sheets") == "Các sheet khác: không thay đổi"
    assert Person.objects.count() == 0


def test_the_errors_workbook_lists_the_refused_rows_with_their_problems(client, world, tmp_path):
    client.force_login(world.editor_a)
    token = token_of(upload(client, refused_package(tmp_path)))
    reviewed(client, token)
    events = AuditEvent.objects.count()
    sheets = workbook_of(client.get(errors_url(token)))
    header = ["Lỗi", "Dòng", *PEOPLE_HEADERS]
    assert sheets == {
        "Cán bộ": [
            header,
            [f"Cột “Giới tính”: {NOT_SEX}\nCột “Ngày sinh”: {BAD_DATE}", 2,
             *person_row(born="1980x", sex="Nan")],
            [f"Cột “Ngày sinh”: {BAD_DATE}\nCột “Mã đơn vị”: {UNKNOWN_UNIT}", 3,
             *person_row("001080000002", born="1980x", unit="ZZ")],
        ],
        "Đánh giá": [
            ["Lỗi", "Dòng", *EVALUATION_HEADERS],
            [f"Cột “Số định danh cá nhân”: {refused(2)}\nCột “Xếp loại”: {NOT_RATING}", 2,
             "001080000001", 2024, "Hoàn thành tốt", "85,5"],
            [f"Cột “Số định danh cá nhân”: {refused(2)}\nCột “Năm”: {NOT_INT}", 3,
             "001080000001", "abc", "Hoàn thành tốt nhiệm vụ", "85,5"],
            [f"Cột “Số định danh cá nhân”: {refused(3)}", 4,
             "001080000002", 2024, "Hoàn thành tốt nhiệm vụ", "85,5"],
            [f"Cột “Số định danh cá nhân”: {NO_PERSON}\nCột “Điểm”: {NOT_NUMBER}", 5,
             "001080000009", 2024, "Hoàn thành tốt nhiệm vụ", "x"],
        ],
    }  # fmt: skip
    assert (Person.objects.count(), AuditEvent.objects.count()) == (0, events)


def test_the_errors_workbook_waits_for_the_dry_run(client, world, tmp_path):
    client.force_login(world.editor_a)
    package = workbook_bytes(tmp_path, {"Cán bộ": [["Số định danh cá nhân", "Họ"],
                                                   ["001080000001", "Nguyễn"]]})  # fmt: skip
    token = token_of(upload(client, package))
    early = client.get(errors_url(token))
    assert (early.status_code, early["Location"]) == (302, review_url(token))
    reviewed(client, token)
    sheets = workbook_of(client.get(errors_url(token)))
    # Problems of no row of data (a missing column) go on a first sheet of their own.
    assert sheets == {
        "Lỗi chung": [["Sheet", "Cột", "Lỗi"],
                      ["Cán bộ", "Tên", "Thiếu cột bắt buộc."],
                      ["Cán bộ", "Giới tính", "Thiếu cột bắt buộc."],
                      ["Cán bộ", "Ngày sinh", "Thiếu cột bắt buộc."]],
    }  # fmt: skip
    assert Person.objects.count() == 0


def test_a_valid_package_offers_no_errors_workbook_button(client, world, tmp_path):
    client.force_login(world.editor_a)
    token = token_of(upload(client, workbook_bytes(tmp_path, {"Cán bộ": [PEOPLE_HEADERS, person_row()]})))
    response = reviewed(client, token)
    assert 'id="download-errors"' not in response.content.decode()
    assert 'id="quiet-sheets"' not in response.content.decode()
    assert workbook_of(client.get(errors_url(token))) == {"Lỗi chung": [["Lỗi"], ["Gói không có lỗi."]]}


def test_the_errors_workbook_is_its_senders_only(client, world, tmp_path, admin_user):
    client.force_login(world.editor_a)
    token = token_of(upload(client, refused_package(tmp_path)))
    reviewed(client, token)
    client.force_login(admin_user)
    assert client.get(errors_url(token)).status_code == 404
    client.force_login(world.viewer_a)
    assert client.get(errors_url(token)).status_code == 403
    client.logout()
    response = client.get(errors_url(token))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(world.editor_a)
    assert client.get(errors_url("a" * 32)).status_code == 404
    assert client.post(errors_url(token)).status_code == 405
    assert client.get(errors_url(token)).status_code == 200
