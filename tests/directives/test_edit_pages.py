"""The pages that write a directive (issue 14, item 7 "UI"): "Thêm văn bản", "Sửa văn bản"
with its signed file, on the Central Highlands case of test_rollups (`region`): who may
(an editor of the issuing unit), who may not (a viewer 403, out of sight 404, a one-unit
grant on a child unit), and what is refused beside its field with nothing written."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from canbo.accounts.models import Role
from canbo.core.models import AuditEvent
from canbo.directives import pages, services
from canbo.directives.models import Directive
from canbo.organizations.models import Unit
from tests.factories import UserFactory, grant
from tests.ui.conftest import by_id

from .test_rollups import region as region  # noqa: F401

pytestmark = pytest.mark.django_db
TODAY = dt.date(2012, 10, 3)
NOT_FOUND_UNIT = "Không tìm thấy đơn vị này."


def user_of(code, role=Role.VIEWER, include_subtree=True):
    user = UserFactory(role=role)
    grant(user, Unit.objects.get(code=code), include_subtree)
    return user


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(pages, "today", lambda: TODAY)


@pytest.fixture(autouse=True)
def attachment_dir(settings, tmp_path):
    settings.CANBO_ATTACHMENT_DIR = tmp_path / "attachments"
    settings.CANBO_ATTACHMENT_MAX_BYTES = 1000
    return settings.CANBO_ATTACHMENT_DIR


def pdf(name="120-KH-TU.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF" + b"x" * (size - 4), content_type="application/pdf")


def form_data(**changes) -> dict:
    data = {"kind": "plan", "number": "120-KH/TU", "issued_on": "05/07/2012",
            "issuing_unit": "T01 · Tỉnh ủy 1", "title": "Kế hoạch thực hiện kiểm điểm",
            "summary": "Tóm tắt", "implements": "10-KH/TW", "implements_unit": ""}  # fmt: skip
    data.update(changes)
    return data


def own_directive(code="T01", number="05-KH/TU", issued_on=dt.date(2012, 7, 1), **extra):
    return services.directive_create(actor=None, kind="plan", number=number, issued_on=issued_on,
                                     issuing_unit=Unit.objects.get(code=code),
                                     title="Kế hoạch của tỉnh", **extra)  # fmt: skip


def add_url():
    return reverse("directives:directive-add")


def edit_url(directive):
    return reverse("directives:directive-edit", args=[directive.pk])


def audits(model, action):
    return AuditEvent.objects.filter(content_type__model=model, action=action).count()


# --- Creating ------------------------------------------------------------------------


def test_an_editor_of_the_issuing_unit_adds_a_directive(client, region):  # noqa: F811
    plan = region[0]
    editor = user_of("T01", Role.EDITOR)
    signed_in(client, editor)
    listing = client.get(reverse("directives:list"))
    assert by_id(listing, "directive-add") == "Thêm văn bản"
    form = client.get(add_url())
    assert form.status_code == 200 and by_id(form, "form-heading") == "Thêm văn bản"
    before = audits("directive", "create")

    response = client.post(add_url(), form_data())
    directive = Directive.objects.get(number="120-KH/TU")
    assert response.status_code == 302
    assert response["Location"] == reverse("directives:detail", args=[directive.pk])
    assert (directive.kind, directive.issued_on, directive.issuing_unit.code, directive.title,
            directive.summary, directive.implements, directive.file_name) == (
        "plan", dt.date(2012, 7, 5), "T01", "Kế hoạch thực hiện kiểm điểm", "Tóm tắt", plan, ""
    )  # fmt: skip
    assert audits("directive", "create") == before + 1
    event = AuditEvent.objects.filter(content_type__model="directive", action="create").latest("pk")
    assert (event.actor, event.object_id) == (editor, str(directive.pk))
    page = client.get(response["Location"])
    assert "Đã thêm văn bản 120-KH/TU." in page.content.decode()
    assert by_id(page, "directive-edit") == "Sửa" and by_id(page, "task-add") == "Thêm nhiệm vụ"
    # A child unit's editor with the subtree adds one for a district too; a bare code works.
    response = client.post(add_url(), form_data(number="01-KH/HU", issuing_unit="T01-H00"))
    assert response.status_code == 302
    assert Directive.objects.get(number="01-KH/HU").issuing_unit.code == "T01-H00"


def test_the_number_box_shows_a_hint_not_a_value(client, region):  # noqa: F811
    # A bare "120-KH/TU" in the empty box read as if it were filled in (issue 17).
    signed_in(client, user_of("T01", Role.EDITOR))
    content = client.get(add_url()).content.decode()
    box = re.search(r'<input[^>]*name="number"[^>]*>', content).group(0)
    assert 'placeholder="vd. 120-KH/TU"' in box
    assert "value=" not in box


def test_a_one_unit_grant_does_not_write_for_its_child_units(client, region):  # noqa: F811
    signed_in(client, user_of("T01", Role.EDITOR, include_subtree=False))
    count = Directive.objects.count()
    for unit in ("T01-H00", "T01-H00 · Huyện ủy 1.0", "T02", "TW", "KHONG-CO"):
        response = client.post(add_url(), form_data(issuing_unit=unit))
        assert response.status_code == 400, unit
        assert by_id(response, "error-issuing_unit") == NOT_FOUND_UNIT
    assert Directive.objects.count() == count
    assert client.post(add_url(), form_data()).status_code == 302  # its own unit: yes
    # A district's directive the one-unit editor reads (a task assigned to T01): no editing.
    district = own_directive("T01-H00", number="02-KH/HU")
    task = services.task_create(actor=None, directive=district, content="Báo cáo",
                                lead_unit=Unit.objects.get(code="T01"))  # fmt: skip
    page = client.get(reverse("directives:detail", args=[district.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert 'id="directive-edit"' not in content and f'id="task-{task.pk}-edit"' not in content
    for url in (edit_url(district), reverse("directives:task-add", args=[district.pk]),
                reverse("directives:task-edit", args=[task.pk]),
                reverse("directives:task-assign", args=[task.pk])):  # fmt: skip
        assert client.get(url).status_code == 403, url
        assert client.post(url, form_data(number="XX")).status_code == 403, url
    district.refresh_from_db()
    assert district.number == "02-KH/HU"


def test_viewers_get_403_and_those_out_of_sight_404(client, region):  # noqa: F811
    directive = own_directive()
    viewer = user_of("T01")
    signed_in(client, viewer)
    assert 'id="directive-add"' not in client.get(reverse("directives:list")).content.decode()
    assert 'id="directive-edit"' not in client.get(
        reverse("directives:detail", args=[directive.pk])).content.decode()  # fmt: skip
    count = Directive.objects.count()
    assert client.get(add_url()).status_code == 403
    assert client.post(add_url(), form_data()).status_code == 403
    refused = client.get(edit_url(directive))
    assert refused.status_code == 403
    assert "Bạn chỉ có quyền xem văn bản này." in refused.content.decode()
    assert client.post(edit_url(directive), form_data()).status_code == 403
    assert "Bạn chỉ có quyền xem văn bản chỉ đạo." in client.get(add_url()).content.decode()
    client.logout()
    signed_in(client, user_of("T99", Role.EDITOR))
    assert client.get(edit_url(directive)).status_code == 404
    assert client.post(edit_url(directive), form_data(issuing_unit="T99")).status_code == 404
    assert client.get(reverse("directives:directive-edit", args=[999999])).status_code == 404
    assert Directive.objects.count() == count
    directive.refresh_from_db()
    assert (directive.number, directive.issuing_unit.code) == ("05-KH/TU", "T01")
    client.logout()
    assert client.get(add_url()).status_code == 302  # signing in first


def test_what_is_refused_beside_its_field(client, region):  # noqa: F811
    signed_in(client, user_of("T01", Role.EDITOR))
    count, events = Directive.objects.count(), AuditEvent.objects.count()
    cases = [
        ({"issued_on": "31/02/2012"}, "issued_on", "Ngày 31/02/2012 không tồn tại."),
        ({"issued_on": "2012-07-05"}, "issued_on", "Hãy nhập ngày theo dạng dd/mm/yyyy."),
        ({"implements": "99-NQ/TW"}, "implements", "Không tìm thấy văn bản này."),
        ({"issued_on": "01/05/2012"}, "implements",
         "Văn bản được thực hiện phải ban hành trước hoặc cùng ngày."),
        ({"title": ""}, "title", "Trường này là bắt buộc."),
        ({"kind": "law"}, "kind", "Hãy chọn một lựa chọn hợp lệ. law không phải là một trong các lựa chọn khả thi."),
    ]  # fmt: skip
    for changes, field, message in cases:
        response = client.post(add_url(), form_data(**changes))
        assert response.status_code == 400, changes
        assert by_id(response, f"error-{field}") == message, changes
    # The typed values come back in the form.
    response = client.post(add_url(), form_data(issued_on="31/02/2012"))
    assert 'value="31/02/2012"' in response.content.decode()
    assert (Directive.objects.count(), AuditEvent.objects.count()) == (count, events)
    # A number the issuing unit has already used.
    own_directive(number="120-KH/TU")
    response = client.post(add_url(), form_data())
    assert response.status_code == 400
    assert by_id(response, "form-errors") == (
        "Cơ quan ban hành này đã có văn bản cùng số, ký hiệu.")  # fmt: skip
    assert Directive.objects.filter(number="120-KH/TU").count() == 1


def test_a_number_two_directives_share_asks_for_the_issuing_unit(client, region):  # noqa: F811
    first = own_directive("T01-H00", number="01-KH")
    second = own_directive("T01-H01", number="01-KH")
    signed_in(client, user_of("T01", Role.EDITOR))
    response = client.post(add_url(), form_data(implements="01-KH"))
    assert response.status_code == 400
    assert by_id(response, "error-implements_unit") == (
        "Có nhiều văn bản số 01-KH: hãy ghi mã cơ quan ban hành.")  # fmt: skip
    response = client.post(add_url(), form_data(implements="01-KH", implements_unit="T01-H01"))
    assert response.status_code == 302
    assert Directive.objects.get(number="120-KH/TU").implements == second
    assert first.implementations.count() == 0


def test_editing_and_an_implements_cycle_refused(client, region):  # noqa: F811
    plan = region[0]
    a = own_directive(implements=plan)
    b = own_directive(number="06-KH/TU", implements=a)
    signed_in(client, user_of("T01", Role.EDITOR))
    page = client.get(edit_url(a))
    assert page.status_code == 200 and by_id(page, "form-heading") == "Sửa văn bản"
    content = page.content.decode()
    assert 'value="05-KH/TU"' in content and 'value="01/07/2012"' in content
    assert 'value="T01 · Tỉnh ủy 1"' in content and 'value="10-KH/TW"' in content
    events = AuditEvent.objects.count()
    data = form_data(number="05-KH/TU", issued_on="01/07/2012", implements="06-KH/TU")
    response = client.post(edit_url(a), data)
    assert response.status_code == 400
    assert by_id(response, "error-implements") == "Một văn bản không thể thực hiện chính nó (vòng lặp)."
    a.refresh_from_db()
    assert (a.implements, a.title, AuditEvent.objects.count()) == (plan, "Kế hoạch của tỉnh", events)
    response = client.post(edit_url(b), form_data(number="06-KH/TU", issued_on="01/07/2012",
                                                  implements="06-KH/TU"))  # fmt: skip
    assert by_id(response, "error-implements") == "Một văn bản không thể thực hiện chính nó (vòng lặp)."
    # A plain change: saved and audited with before and after.
    response = client.post(edit_url(a), form_data(number="05-KH/TU", issued_on="02/07/2012",
                                                  title="Kế hoạch đã sửa", implements=""))  # fmt: skip
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.title, a.issued_on, a.implements) == ("Kế hoạch đã sửa", dt.date(2012, 7, 2), None)
    event = AuditEvent.objects.filter(content_type__model="directive", action="update").latest("pk")
    assert event.object_id == str(a.pk)
    # Moving it to a unit the editor may not edit is refused beside the field.
    response = client.post(edit_url(a), form_data(number="05-KH/TU", issuing_unit="T02"))
    assert by_id(response, "error-issuing_unit") == NOT_FOUND_UNIT
    a.refresh_from_db()
    assert a.issuing_unit.code == "T01"


def test_the_signed_file_uploaded_downloaded_replaced_and_removed(client, region, attachment_dir):  # noqa: F811
    signed_in(client, user_of("T01", Role.EDITOR))
    response = client.post(add_url(), {**form_data(), "file": pdf()})
    assert response.status_code == 302
    directive = Directive.objects.get(number="120-KH/TU")
    assert (directive.file_name, directive.file_size) == ("120-KH-TU.pdf", 100)
    assert (attachment_dir / directive.file_key).read_bytes().startswith(b"%PDF")
    page = client.get(response["Location"])
    assert by_id(page, "directive-file") == "120-KH-TU.pdf"
    download = client.get(reverse("directives:directive-file", args=[directive.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="120-KH-TU.pdf"'
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # The edit page offers "Xóa tệp"; a new file replaces the old one.
    page = client.get(edit_url(directive))
    assert by_id(page, "current-file") == "Tệp hiện có: 120-KH-TU.pdf"
    assert 'name="remove_file"' in page.content.decode()
    data = form_data(issued_on="05/07/2012")
    assert client.post(edit_url(directive), {**data, "file": pdf("ban-moi.pdf", 50)}).status_code == 302
    directive.refresh_from_db()
    assert (directive.file_name, directive.file_size) == ("ban-moi.pdf", 50)
    assert client.post(edit_url(directive), {**data, "remove_file": "on"}).status_code == 302
    directive.refresh_from_db()
    assert (directive.file_name, directive.file_key, directive.file_size) == ("", "", None)
    assert 'id="directive-file"' not in client.get(
        reverse("directives:detail", args=[directive.pk])).content.decode()  # fmt: skip
    assert client.get(reverse("directives:directive-file", args=[directive.pk])).status_code == 404


def test_a_file_refused_writes_nothing(client, region, attachment_dir):  # noqa: F811
    signed_in(client, user_of("T01", Role.EDITOR))
    count, events = Directive.objects.count(), AuditEvent.objects.count()
    for upload, message in ((pdf("chay.exe"), "Chỉ nhận tệp .pdf, .doc, .docx, .odt, .xls, "
                             ".xlsx, .ods, .jpg, .jpeg, .png, .txt, .zip."),
                            (pdf(size=1001), "Tệp quá lớn (tối đa 1000 byte).")):  # fmt: skip
        response = client.post(add_url(), {**form_data(), "file": upload})
        assert response.status_code == 400
        assert by_id(response, "error-file") == message
    assert (Directive.objects.count(), AuditEvent.objects.count()) == (count, events)
    assert not attachment_dir.exists() or list(attachment_dir.iterdir()) == []
    # On edit, the fields' change is rolled back with the file.
    directive = own_directive()
    response = client.post(edit_url(directive), {**form_data(number="05-KH/TU", title="Mới"),
                                                  "file": pdf("x.exe")})  # fmt: skip
    assert response.status_code == 400
    directive.refresh_from_db()
    assert (directive.title, directive.file_name) == ("Kế hoạch của tỉnh", "")
