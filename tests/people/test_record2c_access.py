"""The 2C record from the profile page and the API: scoped like the profile (out of sight
is 404, as no record at all), readable by a viewer in scope, one access entry per file
made and none for a refusal; an unknown format is a 400, a PDF LibreOffice cannot make a
503 saying why (never a server error)."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from canbo.core.models import AccessEvent, AccessKind, AuditSource
from canbo.people import record2c
from tests.people.record2c_fixtures import (  # noqa: F401
    docx_lines,
    fixed_today_fixture,
    pdf_text,
    record_fixture,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MISSING = ("Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF; hãy tải bản Word (DOCX) "
           "hoặc đề nghị quản trị viên cài gói libreoffice-writer-nogui.")  # fmt: skip


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def only_access(person, user, source) -> None:
    entry = AccessEvent.objects.get()
    assert (entry.kind, entry.object_id, entry.object_repr, entry.actor, entry.source) == (
        AccessKind.DOCUMENT, str(person.pk), str(person), user, source)  # fmt: skip


# --- The profile page's links and downloads -------------------------------------------


def test_the_profile_offers_word_and_pdf(record):
    page = signed_in(record.viewer_a).get(f"/people/{record.an.pk}/").content.decode()
    assert "Sơ yếu lý lịch (2C)" in page
    assert f'href="/people/{record.an.pk}/2c.docx"' in page
    assert f'href="/people/{record.an.pk}/2c.pdf"' in page


@pytest.mark.parametrize("user", ["viewer_a", "editor_a"])
def test_page_docx_for_a_user_in_scope(record, user):
    account = getattr(record, user)
    response = signed_in(account).get(f"/people/{record.an.pk}/2c.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == (
        'attachment; filename="so-yeu-ly-lich-2c-001080000001.docx"')  # fmt: skip
    assert response["Cache-Control"] == "no-store, max-age=0, no-cache, must-revalidate, private"
    assert "1) Họ và tên khai sinh (viết chữ in hoa): NGUYỄN VĂN AN" in docx_lines(response.content)
    only_access(record.an, account, AuditSource.UI)


def test_page_pdf(record):
    response = signed_in(record.viewer_a).get(f"/people/{record.an.pk}/2c.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="so-yeu-ly-lich-2c-001080000001.pdf"')  # fmt: skip
    assert response.content.startswith(b"%PDF")
    assert "NGUYỄN VĂN AN" in pdf_text(response.content)
    only_access(record.an, record.viewer_a, AuditSource.UI)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_page_out_of_scope_or_missing_is_404(record, fmt):
    client = signed_in(record.editor_a)
    assert client.get(f"/people/{record.binh.pk}/2c.{fmt}").status_code == 404
    assert client.get(f"/people/{2**40}/2c.{fmt}").status_code == 404
    assert client.get(f"/people/{record.an.pk}/2c.odt").status_code == 404  # no such address
    assert AccessEvent.objects.count() == 0


def test_page_needs_a_signed_in_user(record):
    response = Client().get(f"/people/{record.an.pk}/2c.docx")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert AccessEvent.objects.count() == 0


def test_page_says_when_libreoffice_is_missing(record, monkeypatch):
    monkeypatch.setattr(record2c, "soffice_binary", lambda: None)
    response = signed_in(record.viewer_a).get(f"/people/{record.an.pk}/2c.pdf")
    assert response.status_code == 503
    page = response.content.decode()
    assert MISSING in page
    assert "Chưa tạo được bản PDF của sơ yếu lý lịch" in page
    assert f'href="/people/{record.an.pk}/2c.docx"' in page
    assert AccessEvent.objects.count() == 0


# --- GET /api/people/{id_number}/2c/ --------------------------------------------------


@pytest.mark.parametrize(("query", "fmt"), [("", "docx"), ("?format=docx", "docx"),
                                            ("?format=", "docx"), ("?format=pdf", "pdf")])  # fmt: skip
def test_api_file_for_a_viewer_in_scope(record, query, fmt):
    response = api_of(record.viewer_a).get(f"/api/people/001080000001/2c/{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == record2c.CONTENT_TYPES[fmt]
    assert response["Content-Disposition"] == (
        f'attachment; filename="so-yeu-ly-lich-2c-001080000001.{fmt}"')  # fmt: skip
    if fmt == "pdf":
        assert "NGUYỄN VĂN AN" in pdf_text(response.content)
    else:
        assert "3) Sinh ngày: 05/03/1980; Giới tính: Nam" in docx_lines(response.content)
    only_access(record.an, record.viewer_a, AuditSource.API)


def test_api_an_accept_header_does_not_change_the_answer(record):
    response = api_of(record.viewer_a).get("/api/people/001080000001/2c/?format=pdf",
                                           HTTP_ACCEPT="text/html")  # fmt: skip
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")


@pytest.mark.parametrize("id_number", ["001075000003", "009999999999", "abc"])
def test_api_out_of_scope_is_not_found(record, id_number):
    response = api_of(record.editor_a).get(f"/api/people/{id_number}/2c/?format=pdf")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}
    assert AccessEvent.objects.count() == 0


@pytest.mark.parametrize("value", ["xml", "DOCX", "json", "odt"])
def test_api_unknown_format_is_400(record, value):
    response = api_of(record.viewer_a).get(f"/api/people/001080000001/2c/?format={value}")
    assert response.status_code == 400
    assert response.json() == {"format": ["Định dạng không được hỗ trợ; chọn docx hoặc pdf."]}
    assert AccessEvent.objects.count() == 0


def test_api_refuses_other_parameters(record):
    response = api_of(record.viewer_a).get("/api/people/001080000001/2c/?unit=XA")
    assert response.status_code == 400
    assert response.json() == {
        "unit": ["Tham số không được nhận. Các tham số được nhận: format."]}  # fmt: skip


def test_api_says_when_libreoffice_is_missing(record, monkeypatch):
    monkeypatch.setattr(record2c, "soffice_binary", lambda: None)
    response = api_of(record.viewer_a).get("/api/people/001080000001/2c/?format=pdf")
    assert response.status_code == 503
    assert response.json() == {"detail": MISSING}
    assert AccessEvent.objects.count() == 0


def test_api_needs_credentials(record):
    response = APIClient().get("/api/people/001080000001/2c/")
    assert response.status_code == 401
    assert AccessEvent.objects.count() == 0
