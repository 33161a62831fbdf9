"""Progress notes with attached files (issue 14, item 2): who writes them, what files are
taken, and who may download them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from canbo.accounts.models import Role
from canbo.core.models import AuditEvent
from canbo.directives import services
from canbo.directives.models import TaskAssignment, TaskNote
from canbo.organizations.models import Unit
from tests.factories import UserFactory, grant

from .test_rollups import region as region  # noqa: F401

pytestmark = pytest.mark.django_db
TODAY = dt.date(2012, 10, 3)


@pytest.fixture(autouse=True)
def attachment_dir(settings, tmp_path):
    settings.CANBO_ATTACHMENT_DIR = tmp_path / "attachments"
    settings.CANBO_ATTACHMENT_MAX_BYTES = 1000
    return settings.CANBO_ATTACHMENT_DIR


def user_of(code, role=Role.VIEWER, include_subtree=True):
    user = UserFactory(role=role)
    grant(user, Unit.objects.get(code=code), include_subtree)
    return user


def pdf(name="bien-ban.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF" + b"x" * (size - 4), content_type="application/pdf")


def test_an_editor_of_the_unit_writes_a_note_with_its_file(region, attachment_dir):  # noqa: F811
    assignment = TaskAssignment.objects.get(unit__code="T13-H17")
    editor = user_of("T13-H17", Role.EDITOR)
    note = services.note_add(actor=editor, assignment=assignment, text="  Đã họp chi bộ  ",
                             upload=pdf(), today=TODAY)  # fmt: skip
    note.refresh_from_db()
    assert (note.text, note.written_on, note.file_name, note.file_size, note.author) == (
        "Đã họp chi bộ", TODAY, "bien-ban.pdf", 100, editor
    )  # fmt: skip
    stored = attachment_dir / note.file_key
    assert stored.read_bytes().startswith(b"%PDF") and note.file_key != "bien-ban.pdf"
    assert AuditEvent.objects.filter(object_id=str(note.pk), action="create",
                                     content_type__model="tasknote").count() == 1  # fmt: skip
    # Read back by whoever reads the assignment; nobody else.
    url = reverse("directives:note-file", args=[note.pk])
    for user, status in ((editor, 200), (user_of("T13"), 200), (user_of("V2"), 200),
                         (user_of("T13-H16"), 404), (user_of("T99"), 404)):  # fmt: skip
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert response["Content-Disposition"] == 'attachment; filename="bien-ban.pdf"'
            assert "no-store" in response["Cache-Control"]
            assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert Client().get(url).status_code == 302  # signing in first


def test_what_is_refused(region, attachment_dir):  # noqa: F811
    assignment = TaskAssignment.objects.get(unit__code="T13-H17")
    editor = user_of("T13-H17", Role.EDITOR)

    def refused(**kwargs) -> dict:
        with pytest.raises(ValidationError) as error:
            services.note_add(actor=editor, assignment=assignment, today=TODAY,
                              **{"text": "Ghi chú", **kwargs})  # fmt: skip
        return error.value.message_dict

    assert refused(text="   ") == {"text": ["Hãy ghi nội dung."]}
    assert refused(upload=pdf(size=1001)) == {"file": ["Tệp quá lớn (tối đa 1000 byte)."]}
    assert refused(upload=pdf("chay.exe")) == {"file": [
        "Chỉ nhận tệp .pdf, .doc, .docx, .odt, .xls, .xlsx, .ods, .jpg, .jpeg, .png, .txt, .zip."
    ]}  # fmt: skip
    assert refused(upload=pdf("ten\u202egnp.pdf")) == {"file": ["Tên tệp không hợp lệ."]}
    assert refused(upload=SimpleUploadedFile("rong.pdf", b"")) == {"file": ["Tệp rỗng."]}
    assert TaskNote.objects.count() == 0
    assert not attachment_dir.exists() or list(attachment_dir.iterdir()) == []
    for actor in (user_of("T13-H17"), user_of("T13", Role.EDITOR, include_subtree=False),
                  user_of("V2", Role.EDITOR)):  # fmt: skip
        with pytest.raises(PermissionDenied):
            services.note_add(actor=actor, assignment=assignment, text="X", today=TODAY)
    assert TaskNote.objects.count() == 0
