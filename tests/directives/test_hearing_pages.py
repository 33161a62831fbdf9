"""The hearing schedule on the directive page and the progress notes on the assignment
page (issue 14, items 2 and 5), read and written through the web pages, on the Central
Highlands case of test_rollups (`region`)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canbo.accounts.models import Role
from canbo.directives import pages, services
from canbo.directives.models import HearingInvitation, HearingSlot, TaskAssignment, TaskNote
from canbo.organizations.models import Unit
from tests.factories import UserFactory, grant
from tests.ui.conftest import by_id

from .test_rollups import region as region  # noqa: F401

pytestmark = pytest.mark.django_db
TODAY = dt.date(2012, 10, 3)
CLASH = "Buổi 02/03/2026 (Sáng) đã có đơn vị khác đăng ký."


def user_of(code, role=Role.VIEWER, include_subtree=True, first_name=""):
    user = UserFactory(role=role, first_name=first_name)
    grant(user, Unit.objects.get(code=code), include_subtree)
    return user


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(pages, "today", lambda: TODAY)


@pytest.fixture
def schedule(region):  # noqa: F811
    """Three slots of the plan (listed morning first), invitations for T01, T02 and the
    outside province's district T99-H0."""
    plan = region[0]
    slots = [
        HearingSlot.objects.create(directive=plan, day=dt.date(2026, 3, 2), session=s, place=p)
        for s, p in (("afternoon", "Phòng 2"), ("morning", "Phòng 1"))
    ]
    slots.append(HearingSlot.objects.create(directive=plan, day=dt.date(2026, 3, 3),
                                            session="morning"))  # fmt: skip
    afternoon, morning, third = slots
    invitations = {code: HearingInvitation.objects.create(directive=plan,
                                                          unit=Unit.objects.get(code=code))
                   for code in ("T01", "T02", "T99-H0")}  # fmt: skip
    return plan, morning, afternoon, third, invitations


def detail(plan):
    return reverse("directives:detail", args=[plan.pk])


def book(client, invitation, slot):
    url = reverse("directives:hearing-book", args=[invitation.pk])
    return client.post(url, {"slot": "" if slot is None else getattr(slot, "pk", slot)})


def slot_of(invitation):
    invitation.refresh_from_db()
    return invitation.slot


# --- Hearings ------------------------------------------------------------------------


def test_an_editor_books_moves_and_gives_back(client, schedule):
    plan, morning, afternoon, third, inv = schedule
    signed_in(client, user_of("T01", Role.EDITOR, include_subtree=False))
    page = client.get(detail(plan))
    assert by_id(page, "slot-rows") == (
        "02/03/2026 Sáng Phòng 1 Còn trống 02/03/2026 Chiều Phòng 2 Còn trống "
        "03/03/2026 Sáng Còn trống"
    )  # fmt: skip
    # A one-unit grant on T01 reads T01 only: its invitation, with the form.
    assert by_id(page, "invitation-rows").startswith("Tỉnh ủy 1: chưa đăng ký (chưa đăng ký)")
    assert f'id="hearing-form-{inv["T01"].pk}"' in page.content.decode()
    assert f'id="invitation-{inv["T02"].pk}"' not in page.content.decode()

    response = book(client, inv["T01"], morning)
    assert response.status_code == 302
    assert response["Location"] == detail(plan) + "#hearings"
    assert slot_of(inv["T01"]) == morning
    page = client.get(detail(plan))
    assert by_id(page, f"slot-{morning.pk}-holder") == "Tỉnh ủy 1"
    assert by_id(page, f"invitation-{inv['T01'].pk}-slot") == "02/03/2026 (Sáng), Phòng 1"
    assert "Đã đăng ký buổi 02/03/2026 (Sáng)." in page.content.decode()

    assert book(client, inv["T01"], afternoon).status_code == 302  # moves
    assert slot_of(inv["T01"]) == afternoon
    page = client.get(detail(plan))
    assert by_id(page, f"slot-{morning.pk}-holder") == "Còn trống"
    assert by_id(page, f"slot-{afternoon.pk}-holder") == "Tỉnh ủy 1"

    assert book(client, inv["T01"], None).status_code == 302  # gives it back
    assert slot_of(inv["T01"]) is None
    page = client.get(detail(plan))
    assert "Đã trả lại buổi làm việc." in page.content.decode()
    assert by_id(page, f"invitation-{inv['T01'].pk}-slot") == "chưa đăng ký"


def test_a_clash_is_refused_with_its_message_beside_the_form(client, schedule):
    plan, morning, _afternoon, third, inv = schedule
    signed_in(client, user_of("T01", Role.EDITOR))
    assert book(client, inv["T01"], morning).status_code == 302
    client.logout()
    signed_in(client, user_of("T02", Role.EDITOR))
    # T02's form offers only the free slots.
    page = client.get(detail(plan))
    form = by_id(page, f"hearing-form-{inv['T02'].pk}")
    assert form == ("(chưa đăng ký) 02/03/2026 (Chiều), Phòng 2 03/03/2026 (Sáng) Đăng ký")
    response = book(client, inv["T02"], morning)
    assert response.status_code == 400
    assert by_id(response, f"hearing-error-{inv['T02'].pk}") == CLASH
    assert by_id(response, f"slot-{morning.pk}-holder") == "Đã có đơn vị đăng ký"
    assert slot_of(inv["T02"]) is None and slot_of(inv["T01"]) == morning
    # Not a slot of this directive, or not a number: a Vietnamese message, no server error.
    for bad in ("abc", "999999", "-1", "1" * 30):
        response = book(client, inv["T02"], bad)
        assert response.status_code == 400, bad
        assert by_id(response, f"hearing-error-{inv['T02'].pk}") == (
            "Hãy chọn một buổi trong lịch của văn bản này."
        )
    assert book(client, inv["T02"], third).status_code == 302
    assert slot_of(inv["T02"]) == third


def test_who_sees_the_booking_unit_and_who_may_book(client, schedule):
    plan, morning, afternoon, _third, inv = schedule
    services.hearing_book(actor=UserFactory(role=Role.ADMIN), invitation=inv["T01"], slot=morning)
    services.hearing_book(actor=UserFactory(role=Role.ADMIN), invitation=inv["T99-H0"],
                          slot=afternoon)  # fmt: skip
    # The regional department reads the group's provinces, not the outside district.
    signed_in(client, user_of("V2"))
    page = client.get(detail(plan))
    assert by_id(page, f"slot-{morning.pk}-holder") == "Tỉnh ủy 1"
    assert by_id(page, f"slot-{afternoon.pk}-holder") == "Đã có đơn vị đăng ký"
    assert by_id(page, "invitation-rows") == (
        "Tỉnh ủy 1: 02/03/2026 (Sáng), Phòng 1 Tỉnh ủy 2: chưa đăng ký"
    )  # fmt: skip
    assert "hearing-form-" not in page.content.decode()  # a viewer has no form
    assert book(client, inv["T01"], afternoon).status_code == 403
    assert book(client, inv["T99-H0"], None).status_code == 404  # out of sight
    client.logout()
    # The outside district's editor: its own booking named, T01's not; T01's invitation 404.
    signed_in(client, user_of("T99-H0", Role.EDITOR))
    page = client.get(detail(plan))
    assert by_id(page, f"slot-{morning.pk}-holder") == "Đã có đơn vị đăng ký"
    assert by_id(page, f"slot-{afternoon.pk}-holder") == "Huyện ủy ngoài 0"
    assert "Tỉnh ủy 1" not in page.content.decode()
    assert book(client, inv["T01"], None).status_code == 404
    assert book(client, inv["T02"], None).status_code == 404
    missing = reverse("directives:hearing-book", args=[999999])
    assert client.post(missing, {"slot": ""}).status_code == 404
    client.logout()
    # A one-unit grant on T99 cannot act on its child's invitation (out of its sight).
    signed_in(client, user_of("T99", Role.EDITOR, include_subtree=False))
    assert book(client, inv["T99-H0"], None).status_code == 404
    assert slot_of(inv["T99-H0"]) == afternoon and slot_of(inv["T01"]) == morning
    client.logout()
    assert book(client, inv["T01"], None).status_code == 302  # to sign in
    assert slot_of(inv["T01"]) == morning
    # A GET on the booking URL is not allowed.
    signed_in(client, user_of("T01", Role.EDITOR))
    url = reverse("directives:hearing-book", args=[inv["T01"].pk])
    assert client.get(url).status_code == 405


def test_the_schedule_takes_a_fixed_number_of_queries(client, schedule):
    plan, morning, _afternoon, _third, inv = schedule
    services.hearing_book(actor=UserFactory(role=Role.ADMIN), invitation=inv["T01"], slot=morning)
    users = [UserFactory(role=Role.ADMIN), user_of("V2"), user_of("T01", Role.EDITOR)]

    def count(user):
        signed_in(client, user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail(plan)).status_code == 200
        return len(queries)

    before = [count(user) for user in users]
    for n in range(3, 13):  # ten more provinces invited, each with a slot, half booked
        slot = HearingSlot.objects.create(
            directive=plan, day=dt.date(2026, 4, n), session="morning"
        )
        unit = Unit.objects.get(code=f"T{n:02}")
        HearingInvitation.objects.create(directive=plan, unit=unit, slot=slot if n % 2 else None)
    assert [count(user) for user in users] == before


def test_no_card_without_slots_for_a_reader_but_one_for_the_schedules_editor(client, region):  # noqa: F811
    signed_in(client, user_of("V2"))  # reads the plan through its group, manages nothing
    page = client.get(detail(region[0]))
    assert page.status_code == 200 and 'id="hearings"' not in page.content.decode()
    signed_in(client, UserFactory(role=Role.ADMIN))
    page = client.get(detail(region[0]))
    assert page.status_code == 200 and 'id="hearings"' in page.content.decode()


# --- Progress notes --------------------------------------------------------------------


@pytest.fixture
def attachment_dir(settings, tmp_path):
    settings.CANBO_ATTACHMENT_DIR = tmp_path / "attachments"
    settings.CANBO_ATTACHMENT_MAX_BYTES = 1000
    return settings.CANBO_ATTACHMENT_DIR


def pdf(name="bien-ban.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF" + b"x" * (size - 4), content_type="application/pdf")


def note_url(assignment):
    return reverse("directives:note-add", args=[assignment.pk])


def page_url(assignment):
    return reverse("directives:assignment", args=[assignment.pk])


def test_an_editor_adds_notes_and_everyone_in_sight_reads_them(client, region, attachment_dir):  # noqa: F811
    assignment = TaskAssignment.objects.get(unit__code="T13-H17")
    editor = user_of("T13-H17", Role.EDITOR, first_name="Lan")
    signed_in(client, editor)
    page = client.get(page_url(assignment))
    assert by_id(page, "note-rows") == "Chưa có ghi nhận tiến độ."
    assert 'enctype="multipart/form-data"' in by_id_raw(page, "note-form")

    response = client.post(note_url(assignment), {"text": "  Đã họp chi bộ  ", "file": pdf()})
    assert response.status_code == 302
    assert response["Location"] == page_url(assignment) + "#notes"
    first = TaskNote.objects.get()
    response = client.post(note_url(assignment), {"text": "Đã gửi báo cáo"})
    assert response.status_code == 302
    second = TaskNote.objects.exclude(pk=first.pk).get()
    page = client.get(page_url(assignment))
    assert "Đã ghi nhận tiến độ." in page.content.decode()
    assert by_id(page, "note-rows") == (
        "03/10/2012 · Lan Đã gửi báo cáo 03/10/2012 · Lan Đã họp chi bộ bien-ban.pdf"
    )  # fmt: skip
    assert f'href="{reverse("directives:note-file", args=[first.pk])}"' in page.content.decode()
    assert f'id="note-{second.pk}-file"' not in page.content.decode()
    assert (first.text, first.written_on, first.author, first.file_name) == (
        "Đã họp chi bộ", TODAY, editor, "bien-ban.pdf"
    )  # fmt: skip
    client.logout()
    # A viewer of the province reads them with the link, but has no form; a POST is 403.
    signed_in(client, user_of("T13"))
    page = client.get(page_url(assignment))
    assert by_id(page, f"note-{first.pk}-file") == "bien-ban.pdf"
    assert 'id="note-form"' not in page.content.decode()
    assert client.post(note_url(assignment), {"text": "X"}).status_code == 403
    assert client.get(reverse("directives:note-file", args=[first.pk])).status_code == 200
    client.logout()
    # A one-unit grant on the province cannot write on its district's assignment.
    signed_in(client, user_of("T13", Role.EDITOR, include_subtree=False))
    assert client.post(note_url(assignment), {"text": "X"}).status_code == 404
    client.logout()
    # Out of sight: 404, as a missing assignment.
    signed_in(client, user_of("T13-H16", Role.EDITOR))
    assert client.get(page_url(assignment)).status_code == 404
    assert client.post(note_url(assignment), {"text": "X"}).status_code == 404
    assert client.post(note_url(TaskAssignment(pk=999999)), {"text": "X"}).status_code == 404
    assert TaskNote.objects.count() == 2


def test_what_is_refused_is_said_beside_the_form(client, region, attachment_dir):  # noqa: F811
    assignment = TaskAssignment.objects.get(unit__code="T13-H17")
    signed_in(client, user_of("T13-H17", Role.EDITOR))

    def refused(data) -> tuple[str, str]:
        response = client.post(note_url(assignment), data)
        assert response.status_code == 400
        field = "text" if 'id="note-error-text"' in response.content.decode() else "file"
        return field, by_id(response, f"note-error-{field}")

    assert refused({"text": "   "}) == ("text", "Hãy ghi nội dung.")
    assert refused({"text": "X", "file": pdf(size=1001)}) == (
        "file",
        "Tệp quá lớn (tối đa 1000 byte).",
    )
    assert refused({"text": "X", "file": pdf("chay.exe")}) == ("file", (
        "Chỉ nhận tệp .pdf, .doc, .docx, .odt, .xls, .xlsx, .ods, .jpg, .jpeg, .png, .txt, .zip."
    ))  # fmt: skip
    assert refused({"text": "X", "file": SimpleUploadedFile("rong.pdf", b"")}) == (
        "file",
        "Tệp rỗng.",
    )
    assert TaskNote.objects.count() == 0
    assert not attachment_dir.exists() or list(attachment_dir.iterdir()) == []
    # The page still answers with the completion form and the note kept in the form.
    response = client.post(note_url(assignment), {"text": "Giữ lại", "file": pdf("x.exe")})
    assert 'id="completion-form"' in response.content.decode()
    assert "Giữ lại" in by_id_raw(response, "note-form")
    assert client.get(note_url(assignment)).status_code == 302


def by_id_raw(response, element_id: str) -> str:
    """The raw HTML from the element with this id to the end of its form."""
    content = response.content.decode()
    start = content.index(f'id="{element_id}"')
    return content[content.rindex("<", 0, start) : content.index("</form>", start)]
