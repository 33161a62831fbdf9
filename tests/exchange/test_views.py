"""Data package pages: template and export downloads, upload → dry run → confirm, roles, hostile input.

The dry run and the import run in the background: `reviewed` and `confirmed` visit the
page, run the queued work with the real worker, and read the page again."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import os
import re
import time

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from canbo.core.models import AuditEvent
from canbo.exchange import uploads
from canbo.exchange.readers import read_package
from canbo.exchange.registry import sheets
from canbo.people import services
from canbo.people.models import Ethnicity, Person
from tests.workers import run_queued

pytestmark = pytest.mark.django_db

INDEX = reverse("exchange:index")
TEMPLATE = reverse("exchange:template")
EXPORT = reverse("exchange:export")
IMPORT = reverse("exchange:import")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ["Số định danh cá nhân", "Họ", "Tên đệm", "Tên", "Giới tính", "Ngày sinh", "Dân tộc",
           "Mã quê quán", "Mã đơn vị"]  # fmt: skip


def person_row(id_number="001080000001", born="05/03/1980", unit="XA", given="An"):
    return [id_number, "Nguyễn", "Văn", given, "Nam", born, "Kinh", "00001", unit]


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def people_package(*rows) -> bytes:
    return workbook_bytes({"Cán bộ": [HEADERS, *(rows or [person_row()])]})


def upload(client, content: bytes, name="goi.xlsx"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


def token_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    match = re.fullmatch(r"/exchange/import/([A-Za-z0-9_-]{32})/", response["Location"])
    assert match, response["Location"]
    return match.group(1)


def review_url(token: str) -> str:
    return reverse("exchange:import-review", args=[token])


def reviewed(client, token: str):
    """The review page once the dry run its first visit started has run."""
    first = client.get(review_url(token))
    assert first.status_code == 200, first.content.decode()[:2000]
    run_queued()
    return client.get(review_url(token))


def confirmed(client, token: str):
    """The page once the import the confirmation started has run."""
    response = client.post(review_url(token))
    assert (response.status_code, response["Location"]) == (302, review_url(token))
    run_queued()
    return client.get(review_url(token))


def text_of(response) -> str:
    """The page's text: tags removed, entities decoded, spaces collapsed."""
    content = response.content.decode()
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


def by_id(response, element_id: str) -> str:
    content = response.content.decode()
    m = re.search(rf'<(\w+)[^>]*id="{re.escape(element_id)}"[^>]*>(.*?)</\1>', content, re.S)
    assert m, f"no element #{element_id}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", m.group(2))).split())


def problem_rows(response) -> list[list[str]]:
    content = response.content.decode()
    body = re.search(r'id="problem-table".*?<tbody>(.*?)</tbody>', content, re.S)
    if not body:
        return []
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        rows.append([" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return rows


def stored_files(settings) -> list[str]:
    folder = settings.CANBO_IMPORT_DIR
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.CANBO_IMPORT_DIR = tmp_path / "imports"
    settings.CANBO_JOB_DIR = tmp_path / "jobs"
    return settings.CANBO_IMPORT_DIR


@pytest.fixture
def editor(client, world):
    client.force_login(world.editor_a)
    return client


@pytest.fixture
def viewer(client, world):
    client.force_login(world.viewer_a)
    return client


@pytest.fixture
def an(world):
    return services.person_create(
        actor=None,
        id_number="001080000001",
        family_name="Nguyễn",
        middle_name="Văn",
        given_name="An",
        sex="M",
        birth_date=dt.date(1980, 3, 5),
        ethnicity=Ethnicity.objects.get(code="01"),
        hometown=world.commune_a,
        unit=world.xa,
    )


# --- Access ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", [INDEX, TEMPLATE, EXPORT + "?unit=XA&format=xlsx", IMPORT,
                                 reverse("exchange:import-review", args=["a" * 32])])  # fmt: skip
def test_anonymous_users_are_sent_to_sign_in(client, world, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_upload_is_sent_to_sign_in_and_stores_nothing(client, world, settings):
    response = upload(client, people_package())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert stored_files(settings) == []


def test_viewer_sees_template_and_export_but_not_import(viewer):
    response = viewer.get(INDEX)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="template-download"' in content
    assert 'id="export-form"' in content
    assert 'id="import-form"' not in content
    assert by_id(response, "import-forbidden") == (
        "Tài khoản của bạn chỉ có quyền xem nên không nhập được dữ liệu."
    )
    # Units offered for export are those in the viewer's scope only.
    options = re.findall(r'<option value="([^"]*)"', content)
    assert options == ["", "XA", "xlsx", "json"]


def test_viewer_gets_403_on_every_import_address(viewer, world, settings):
    assert viewer.get(IMPORT).status_code == 403
    response = upload(viewer, people_package())
    assert response.status_code == 403
    assert stored_files(settings) == []
    token = "b" * 32
    assert viewer.get(review_url(token)).status_code == 403
    assert viewer.post(review_url(token)).status_code == 403
    assert Person.objects.count() == 0


def test_nav_has_the_data_entry(viewer):
    response = viewer.get(reverse("home"))
    assert f'href="{INDEX}"' in response.content.decode()


# --- Template and export ----------------------------------------------------------------


def download(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_template_download_is_a_readable_empty_package(viewer, tmp_path):
    response = viewer.get(TEMPLATE)
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="goi-du-lieu-mau.xlsx"'
    path = tmp_path / "mau.xlsx"
    path.write_bytes(download(response))
    raw = read_package(path)
    assert set(raw.sheets) == {s.key for s in sheets()}
    assert all(s.rows == [] for s in raw.sheets.values())
    assert [p for p in raw.problems if p[5] == "error"] == []


def test_export_xlsx_holds_the_person_in_scope(viewer, an, tmp_path):
    response = viewer.get(EXPORT, {"unit": "XA", "format": "xlsx"})
    assert response["Content-Type"] == XLSX
    today = dt.date.today().strftime("%d-%m-%Y")
    assert response["Content-Disposition"] == f'attachment; filename="goi-du-lieu-XA-{today}.xlsx"'
    path = tmp_path / "xa.xlsx"
    path.write_bytes(download(response))
    raw = read_package(path)
    rows = [values for _n, values in raw.sheets["people"].rows]
    assert len(rows) == 1
    person = rows[0]
    assert (person["id_number"], person["family_name"], person["middle_name"],
            person["given_name"], person["birth_date"], person["unit"]) == (
        "001080000001", "Nguyễn", "Văn", "An", "05/03/1980", "XA")  # fmt: skip
    # The unit above comes along (code and name) so the package imports anywhere.
    assert [values["code"] for _n, values in raw.sheets["units"].rows] == ["TU", "XA"]
    assert raw.meta["Đơn vị"] == "XA – Đảng ủy xã An Bình"


def test_export_json_of_everything_in_scope(viewer, an):
    response = viewer.get(EXPORT, {"unit": "", "format": "json"})
    assert response["Content-Type"] == "application/json"
    today = dt.date.today().strftime("%d-%m-%Y")
    assert response["Content-Disposition"] == (
        f'attachment; filename="goi-du-lieu-toan-bo-{today}.json"'
    )
    data = json.loads(download(response).decode("utf-8"))
    assert [p["id_number"] for p in data["sheets"]["people"]] == ["001080000001"]
    assert data["sheets"]["people"][0]["full_name"] == "Nguyễn Văn An"
    assert [u["code"] for u in data["sheets"]["units"]] == ["TU", "XA"]  # with the unit above


def test_many_units_are_chosen_by_code(client, admin_user, an, monkeypatch, tmp_path):
    monkeypatch.setattr("canbo.exchange.forms.UNIT_SELECT_LIMIT", 2)
    client.force_login(admin_user)
    content = client.get(INDEX).content.decode()
    assert re.search(r'<input type="text" name="unit"[^>]*placeholder="Mã đơn vị', content)
    response = client.get(EXPORT, {"unit": "TU", "format": "xlsx"})
    path = tmp_path / "tu.xlsx"
    path.write_bytes(download(response))
    raw = read_package(path)
    assert [v["code"] for _n, v in raw.sheets["units"].rows] == ["TU", "XA", "XB"]
    assert [v["id_number"] for _n, v in raw.sheets["people"].rows] == ["001080000001"]


def test_export_of_a_unit_out_of_scope_is_refused_on_the_page(viewer, an):
    response = viewer.get(EXPORT, {"unit": "XB", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Không có đơn vị mã “XB” trong phạm vi của bạn." in text_of(response)


@pytest.mark.parametrize("query", [{"unit": "XA", "format": "pdf"}, {"unit": "x" * 500},
                                   {"format[]": "xlsx"}])  # fmt: skip
def test_export_with_bad_parameters_shows_the_form(viewer, an, query):
    response = viewer.get(EXPORT, query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert 'id="export-form"' in response.content.decode()


def test_export_without_parameters_goes_to_the_page(viewer):
    response = viewer.get(EXPORT)
    assert (response.status_code, response["Location"]) == (302, INDEX)


def test_export_with_nul_byte_is_400(viewer):
    assert viewer.get(EXPORT, {"unit": "X\x00A", "format": "xlsx"}).status_code == 400


# --- Import: dry run, then confirm -------------------------------------------------------


def test_upload_dry_run_then_confirm_creates_the_person(editor, world, settings):
    response = upload(editor, people_package(), name="can-bo xã A.xlsx")
    token = token_of(response)
    assert stored_files(settings) == [f"{world.editor_a.pk}-{token}.json",
                                      f"{world.editor_a.pk}-{token}.upload"]  # fmt: skip

    page = reviewed(editor, token)
    assert page.status_code == 200
    summary = by_id(page, "import-summary")
    assert re.fullmatch(
        r"Tổng: 1 tạo mới, 0 cập nhật, 0 không đổi\. \(1 dòng, \d+,\d giây\)", summary
    )
    assert by_id(page, "import-counts") == "Sheet Tạo mới Cập nhật Không đổi Cán bộ 1 0 0"
    assert by_id(page, "import-status").startswith("Gói hợp lệ. Chạy thử: chưa ghi gì.")
    assert "can-bo xã A.xlsx" in by_id(page, "upload-info")
    assert 'id="confirm-import"' in page.content.decode()
    assert problem_rows(page) == []
    assert Person.objects.count() == 0  # the dry run wrote nothing
    assert AuditEvent.objects.count() == 0

    result = confirmed(editor, token)
    assert result.status_code == 200
    assert by_id(result, "import-status") == "Đã nhập xong. 1 tạo mới, 0 cập nhật, 0 không đổi."
    person = Person.objects.get(id_number="001080000001")
    assert (person.full_name, person.birth_date, person.unit.code) == (
        "Nguyễn Văn An", dt.date(1980, 3, 5), "XA")  # fmt: skip
    event = AuditEvent.objects.get()
    assert (event.source, event.action, event.actor) == ("import", "create", world.editor_a)
    assert 'id="confirm-import"' not in result.content.decode()
    # The upload is deleted once applied; its outcome stays for the page.
    assert stored_files(settings) == [f"{world.editor_a.pk}-{token}.result"]
    # The token is spent: a second confirmation (double click, back button) finds nothing;
    # the page shows the result again.
    assert editor.post(review_url(token)).status_code == 404
    again = editor.get(review_url(token))
    assert by_id(again, "import-status") == by_id(result, "import-status")
    assert 'id="confirm-import"' not in again.content.decode()
    assert Person.objects.count() == 1


def test_cancel_deletes_the_upload_and_writes_nothing(editor, settings):
    token = token_of(upload(editor, people_package(), name="goi-xa.xlsx"))
    page = reviewed(editor, token)
    assert 'id="cancel-import"' in page.content.decode()
    response = editor.post(review_url(token), {"cancel": "1"}, follow=True)
    assert response.redirect_chain == [(INDEX, 302)]
    assert "Đã hủy nhập tệp goi-xa.xlsx; không có gì được ghi." in text_of(response)
    assert stored_files(settings) == []
    assert Person.objects.count() == 0
    assert editor.post(review_url(token)).status_code == 404


def test_reimporting_the_same_package_reports_unchanged(editor, an):
    token = token_of(upload(editor, people_package()))
    page = reviewed(editor, token)
    assert "Tổng: 0 tạo mới, 0 cập nhật, 1 không đổi." in by_id(page, "import-summary")
    result = confirmed(editor, token)
    assert by_id(result, "import-status") == "Đã nhập xong. 0 tạo mới, 0 cập nhật, 1 không đổi."
    assert AuditEvent.objects.filter(source="import").count() == 0


def test_bad_cell_is_listed_by_sheet_row_column_and_nothing_can_be_confirmed(editor, settings):
    content = people_package(
        person_row(), person_row("001080000002", born="31/02/1980", given="Bá")
    )
    token = token_of(upload(editor, content))
    page = reviewed(editor, token)
    assert page.status_code == 200
    rows = problem_rows(page)
    assert len(rows) == 1
    level, sheet, row, column, value, message = rows[0]
    assert (level, sheet, row, column, value) == ("Lỗi", "Cán bộ", "3", "Ngày sinh", "31/02/1980")
    assert message == "Ngày 31/02/1980 không tồn tại."
    assert by_id(page, "error-count") == "1 lỗi"
    assert by_id(page, "import-status").startswith("Gói có 1 lỗi nên không thể nhập.")
    assert 'id="confirm-import"' not in page.content.decode()
    assert 'id="confirm-form"' not in page.content.decode()
    # Forcing the confirmation anyway writes nothing and lists the same problem.
    forced = confirmed(editor, token)
    assert forced.status_code == 200
    assert problem_rows(forced) == rows
    assert by_id(forced, "import-status").startswith("Không nhập được: không có gì được ghi.")
    assert Person.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_warnings_are_shown_apart_and_do_not_block(editor):
    content = workbook_bytes({"Cán bộ": [[*HEADERS, "Ghi chú riêng"], [*person_row(), "x"]]})
    token = token_of(upload(editor, content))
    page = reviewed(editor, token)
    rows = problem_rows(page)
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("Cảnh báo", "Cán bộ", "1", "Ghi chú riêng")
    ]
    assert by_id(page, "warning-count") == "1 cảnh báo"
    assert by_id(page, "error-count") == "0 lỗi"
    assert 'id="confirm-import"' in page.content.decode()


def test_long_problem_lists_are_cut_with_a_count(editor, monkeypatch):
    monkeypatch.setattr("canbo.exchange.review.PROBLEM_LIMIT", 2)
    rows = [person_row(f"00108000000{n}", born="99/99/1980", given=f"An{n}") for n in range(1, 6)]
    token = token_of(upload(editor, people_package(*rows)))
    page = reviewed(editor, token)
    assert [r[2] for r in problem_rows(page)] == ["2", "3"]
    assert by_id(page, "error-count") == "5 lỗi"
    assert by_id(page, "hidden-problems") == (
        "Còn 3 lỗi, cảnh báo khác không hiển thị; hãy sửa các lỗi trên rồi tải lên lại."
    )


def test_person_out_of_the_editors_scope_is_an_error(editor):
    token = token_of(upload(editor, people_package(person_row(unit="XB"))))
    page = reviewed(editor, token)
    assert problem_rows(page) == [
        [
            "Lỗi",
            "Cán bộ",
            "2",
            "Mã đơn vị",
            "XB",
            "Ngoài phạm vi quyền của bạn; gói bị từ chối toàn bộ.",
        ]
    ]
    assert 'id="confirm-import"' not in page.content.decode()
    confirmed(editor, token)
    assert Person.objects.count() == 0


def test_another_users_token_is_404(client, world, admin_user, settings):
    client.force_login(world.editor_a)
    token = token_of(upload(client, people_package()))
    client.force_login(admin_user)
    assert client.get(review_url(token)).status_code == 404
    assert client.post(review_url(token)).status_code == 404
    assert Person.objects.count() == 0
    assert len(stored_files(settings)) == 2  # still there for its owner
    client.force_login(world.editor_a)
    assert client.get(review_url(token)).status_code == 200


@pytest.mark.parametrize("token", ["abc", "a" * 32, "../" * 11, "a" * 31 + "/", "%2e%2e" * 6])
def test_malformed_or_unknown_token_is_404(editor, token):
    url = f"/exchange/import/{token}/"
    assert editor.get(url).status_code == 404
    assert editor.post(url).status_code == 404


def test_token_with_nul_byte_is_400(editor):
    assert editor.get("/exchange/import/" + "a" * 16 + "%00" + "a" * 15 + "/").status_code == 400


# --- Hostile and broken files: a message, never a server error ---------------------------


@pytest.mark.parametrize(
    "content, message",
    [
        (b"hello, this is not a workbook", "Tệp không phải bảng tính Excel .xlsx hay gói dữ liệu JSON."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "Tệp được đặt mật khẩu (mã hóa) hoặc là định dạng .xls cũ."),
        (b"PK\x03\x04" + b"\x00garbage" * 50, "Tệp bảng tính bị hỏng hoặc không đọc được."),
        (b"{not json", "Tệp JSON không hợp lệ."),
        (b"\x00" * 1000, "Tệp không phải bảng tính Excel .xlsx hay gói dữ liệu JSON."),
    ],
)  # fmt: skip
def test_unreadable_file_shows_a_vietnamese_message(editor, settings, content, message):
    token = token_of(upload(editor, content, name="tep.xlsx"))
    page = reviewed(editor, token)
    assert page.status_code == 200
    assert message in by_id(page, "import-status")
    assert 'id="confirm-import"' not in page.content.decode()
    # An unreadable file is not kept; what the page says of it is.
    assert stored_files(settings) == [f"{editor.session['_auth_user_id']}-{token}.result"]
    assert Person.objects.count() == 0


def test_workbook_without_package_sheets_cannot_be_confirmed(editor):
    token = token_of(upload(editor, workbook_bytes({"Sheet1": [["a", "b"], [1, 2]]})))
    page = reviewed(editor, token)
    assert problem_rows(page) == [
        ["Lỗi", "—", "—", "—", "", "Tệp không có sheet nào của gói dữ liệu."]
    ]
    assert 'id="confirm-import"' not in page.content.decode()


def test_json_package_imports_too(editor):
    content = json.dumps({"sheets": {"people": [dict(zip(
        ["id_number", "family_name", "middle_name", "given_name", "sex", "birth_date", "ethnicity",
         "hometown", "unit"], person_row(), strict=True))]}}, ensure_ascii=False).encode()  # fmt: skip
    token = token_of(upload(editor, content, name="goi.json"))
    assert "1 tạo mới" in by_id(reviewed(editor, token), "import-summary")
    confirmed(editor, token)
    assert Person.objects.filter(id_number="001080000001").exists()


def test_a_defect_in_the_importer_is_a_message_not_a_server_error(editor, settings, monkeypatch):
    token = token_of(upload(editor, people_package()))

    def broken(**kwargs):
        raise KeyError("end_date")

    monkeypatch.setattr("canbo.exchange.jobs.import_package", broken)
    for response in (reviewed(editor, token), confirmed(editor, token)):
        assert response.status_code == 200
        assert by_id(response, "import-status") == (
            "Hệ thống gặp lỗi không mong đợi khi xử lý gói này; không có gì được ghi. "
            "Lỗi đã được ghi vào nhật ký máy chủ. Hãy báo quản trị viên, gửi kèm tệp."
        )
        assert 'id="confirm-import"' not in response.content.decode()
    # The file is kept (for the administrator, and to try again once fixed).
    assert len(stored_files(settings)) == 2
    monkeypatch.undo()
    again = editor.post(review_url(token), {"check": "1"})
    assert again["Location"] == review_url(token)
    run_queued()
    assert by_id(editor.get(review_url(token)), "import-status").startswith("Gói hợp lệ.")


def test_empty_upload_is_refused_with_a_message(editor, settings):
    response = upload(editor, b"", name="rong.xlsx")
    assert response.status_code == 200
    assert "Tệp rỗng." in text_of(response)
    assert stored_files(settings) == []


def test_missing_file_is_refused_with_a_message(editor, settings):
    response = editor.post(IMPORT, {})
    assert response.status_code == 200
    assert "Hãy chọn tệp gói dữ liệu cần nhập." in text_of(response)
    assert stored_files(settings) == []


def test_nul_byte_in_a_form_field_is_400(editor, settings):
    response = editor.post(IMPORT, {"file": SimpleUploadedFile("a.xlsx", b"x"), "note": "a\x00b"})
    assert response.status_code == 400
    assert stored_files(settings) == []


def test_file_name_with_control_characters_is_stored_safely(editor, settings):
    token = token_of(upload(editor, people_package(), name="../../etc/pa\x01ss\x00wd.xlsx"))
    page = reviewed(editor, token)
    assert page.status_code == 200
    assert "passwd.xlsx" in by_id(page, "upload-info")
    assert all(
        name.startswith(f"{editor.session['_auth_user_id']}-") for name in stored_files(settings)
    )


def test_malformed_multipart_body_is_not_a_server_error(editor, settings):
    response = editor.generic(
        "POST", IMPORT, b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nabc",
        content_type="multipart/form-data; boundary=xyz",
    )  # fmt: skip
    assert response.status_code in (200, 400)
    assert stored_files(settings) == []


def test_file_beyond_the_limit_is_refused_and_not_stored(editor, settings):
    settings.CANBO_IMPORT_MAX_BYTES = 1024 * 1024
    response = upload(editor, b"PK\x03\x04" + b"\x00" * (1024 * 1024 + 10))
    assert response.status_code == 200
    # The upload handler in settings stops receiving it at the limit, before its size is known.
    assert "Tệp quá lớn; giới hạn là 1 MB." in text_of(response)
    assert stored_files(settings) == []


def test_file_beyond_the_limit_is_refused_by_the_view_without_the_handler(editor, settings):
    settings.CANBO_IMPORT_MAX_BYTES = 1024 * 1024
    settings.FILE_UPLOAD_HANDLERS = [
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
    response = upload(editor, b"PK\x03\x04" + b"\x00" * (1024 * 1024 + 10))
    assert response.status_code == 200
    assert "Tệp quá lớn (1 MB); giới hạn là 1 MB." in text_of(response)
    assert stored_files(settings) == []
    # Files within the limit pass through untouched.
    token = token_of(upload(editor, people_package()))
    assert "1 tạo mới" in by_id(reviewed(editor, token), "import-summary")


def test_old_pending_files_are_removed_when_a_new_upload_arrives(editor, settings, import_dir):
    import_dir.mkdir(parents=True)
    old = import_dir / "999-oldoldoldoldoldoldoldoldoldoldo.upload"
    old.write_bytes(b"x")
    recent = import_dir / "999-newnewnewnewnewnewnewnewnewnewn.upload"
    recent.write_bytes(b"x")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    token_of(upload(editor, people_package()))
    files = stored_files(settings)
    assert old.name not in files
    assert recent.name in files
    assert len(files) == 3


def test_upload_store_refuses_a_stream_longer_than_declared(world, settings, import_dir):
    settings.CANBO_IMPORT_MAX_BYTES = 10

    class Lying:
        size = 5
        name = "a.xlsx"

        def chunks(self):
            yield b"x" * 8
            yield b"x" * 8

    with pytest.raises(uploads.UploadTooLarge):
        uploads.upload_store(user=world.editor_a, upload=Lying())
    assert os.listdir(import_dir) == []


def test_unit_export_with_history_in_another_commune_imports_into_an_empty_database(
    world, tmp_path
):
    from canbo.exchange.exporter import selection_for, write_json
    from canbo.organizations.models import Area, Position, PositionTitle, Unit
    from canbo.people.models import Assignment, Person

    from .conftest import json_package, run_import

    title = PositionTitle.objects.create(code="bi-thu", name="Bí thư", level="commune")
    elsewhere = Position.objects.create(unit=world.xb, title=title)
    keys = ["id_number", "family_name", "given_name", "sex", "birth_date", "unit", "hometown"]
    row = dict(zip(keys, ["001080000001", "Lê", "Ba", "Nam", "1980", "XA", "00001"], strict=True))
    history = {"person": "001080000001", "start_date": "2015", "end_date": "2020",
               "unit": "XB", "title": "bi-thu"}  # fmt: skip
    run_import(json_package(tmp_path / "in.json", {"people": [row], "assignments": [history]}))
    assert Assignment.objects.get().position == elsewhere
    out = tmp_path / "xa.json"
    with out.open("w", encoding="utf-8") as handle:
        write_json(selection_for(user=None, unit_code="XA"), handle)
    for model in (Assignment, Person, Position, Unit, PositionTitle, Area):
        model.objects.all().delete()
    report = run_import(out)
    assert report.ok, [str(p) for p in report.errors]
    assert Assignment.objects.get().position.unit.area.code == "00002"
