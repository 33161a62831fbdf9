"""Managing a directive's hearing schedule on its page (issue 14, item 5): slots added and
removed, units chosen by code and taken off, by whoever may edit the issuing unit; on the
Central Highlands case of test_rollups (`region`, the plan issued by TW)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from canbo.accounts.models import Role
from canbo.core.models import AuditEvent
from canbo.directives import pages, services
from canbo.directives.models import HearingInvitation, HearingSlot
from canbo.organizations.models import Unit
from tests.factories import UserFactory
from tests.ui.conftest import by_id

from .test_hearing_pages import detail, signed_in, user_of
from .test_rollups import region as region  # noqa: F401

pytestmark = pytest.mark.django_db
TODAY = dt.date(2012, 10, 3)
MONDAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(pages, "today", lambda: TODAY)


@pytest.fixture
def plan(region):  # noqa: F811
    return region[0]


@pytest.fixture
def other(region):  # noqa: F811
    """A directive of the outside province, with a slot and T99-H0 invited."""
    admin = UserFactory(role=Role.ADMIN)
    directive = services.directive_create(actor=admin, kind="plan", number="5-KH/TU",
                                          issued_on=dt.date(2012, 8, 1),
                                          issuing_unit=Unit.objects.get(code="T99"),
                                          title="Kế hoạch của tỉnh ngoài vùng")  # fmt: skip
    slot = HearingSlot.objects.create(directive=directive, day=MONDAY, session="morning")
    invitation = HearingInvitation.objects.create(directive=directive,
                                                  unit=Unit.objects.get(code="T99-H0"))  # fmt: skip
    return directive, slot, invitation


def manager():
    """An editor of TW's subtree: manages the plan's schedule; reads the group's provinces
    (through V2, which follows Tây Nguyên), not the outside province."""
    return user_of("TW", Role.EDITOR)


def add_slot(client, directive, day="02/03/2026", session="morning", place=""):
    url = reverse("directives:slot-add", args=[directive.pk])
    return client.post(url, {"day": day, "session": session, "place": place})


def remove_slot(client, slot):
    return client.post(reverse("directives:slot-remove", args=[slot.pk]))


def invite(client, directive, codes):
    return client.post(reverse("directives:invite", args=[directive.pk]), {"units": codes})


def uninvite(client, invitation):
    return client.post(reverse("directives:uninvite", args=[invitation.pk]))


def audits(model, action):
    return list(AuditEvent.objects.filter(content_type__model=model, action=action)
                .order_by("pk").values_list("object_id", "changes"))  # fmt: skip


def invited(directive):
    return sorted(HearingInvitation.objects.filter(directive=directive)
                  .values_list("unit__code", flat=True))  # fmt: skip


# --- Slots ---------------------------------------------------------------------------


def test_an_editor_of_the_issuing_unit_adds_and_removes_slots(client, plan):
    signed_in(client, manager())
    page = client.get(detail(plan))
    # The card shows before the first slot, with its forms.
    assert by_id(page, "slot-rows") == "Chưa có buổi làm việc nào."
    assert by_id(page, "invitation-rows") == "Chưa chọn đơn vị nào."
    assert 'id="slot-form"' in page.content.decode()
    assert 'id="invite-form"' in page.content.decode()

    response = add_slot(client, plan, place="  Phòng 1 ")
    assert response.status_code == 302
    assert response["Location"] == detail(plan) + "#hearings"
    slot = HearingSlot.objects.get()
    assert (slot.directive, slot.day, slot.session, slot.place) == (plan, MONDAY, "morning",
                                                                    "Phòng 1")  # fmt: skip
    assert audits("hearingslot", "create") == [(str(slot.pk), {
        "day": [None, "2026-03-02"], "directive": [None, plan.pk], "id": [None, slot.pk],
        "place": [None, "Phòng 1"], "session": [None, "morning"]})]  # fmt: skip
    assert add_slot(client, plan, session="afternoon").status_code == 302
    page = client.get(detail(plan))
    assert "Đã thêm buổi 02/03/2026 (Chiều)." in page.content.decode()
    assert by_id(page, "slot-rows") == (
        "02/03/2026 Sáng Phòng 1 Còn trống Xóa buổi 02/03/2026 Chiều Còn trống Xóa buổi"
    )
    afternoon = HearingSlot.objects.get(session="afternoon")

    response = remove_slot(client, afternoon)
    assert response.status_code == 302
    assert response["Location"] == detail(plan) + "#hearings"
    assert list(HearingSlot.objects.values_list("pk", flat=True)) == [slot.pk]
    assert [pk for pk, _changes in audits("hearingslot", "delete")] == [str(afternoon.pk)]
    page = client.get(detail(plan))
    assert "Đã xóa buổi 02/03/2026 (Chiều)." in page.content.decode()
    assert f'id="slot-{afternoon.pk}"' not in page.content.decode()


def test_a_refused_slot_is_said_beside_the_form(client, plan):
    signed_in(client, manager())
    assert add_slot(client, plan).status_code == 302
    before = AuditEvent.objects.count()

    def refused(**data) -> tuple[str, str]:
        response = add_slot(client, plan, **data)
        assert response.status_code == 400
        field = next(f for f in ("day", "session", "place")
                     if f'id="slot_{f}_error"' in response.content.decode())  # fmt: skip
        return field, by_id(response, f"slot_{field}_error")

    assert refused() == ("day", "Lịch đã có buổi 02/03/2026 (Sáng).")
    assert refused(day="31/05/2012") == (
        "day", "Buổi làm việc không thể trước ngày ban hành văn bản."
    )  # fmt: skip
    assert refused(day="31/02/2026") == ("day", "Ngày 31/02/2026 không tồn tại.")
    assert refused(day="2/3") == ("day", "Hãy nhập ngày theo dạng dd/mm/yyyy.")
    assert refused(day="") == ("day", "Hãy nhập ngày.")
    assert refused(session="evening") == ("session", "Hãy chọn buổi sáng hoặc chiều.")
    assert refused(place="P" * 201) == (
        "place", "Giá trị này chỉ có tối đa 200 kí tự (hiện có 201)"
    )  # fmt: skip
    assert HearingSlot.objects.count() == 1
    assert AuditEvent.objects.count() == before
    # The form keeps what was typed; the rest of the page is there.
    response = add_slot(client, plan, place="Hội trường")
    assert 'value="Hội trường"' in response.content.decode()
    assert 'id="directive-heading"' in response.content.decode()


def test_a_booked_slot_stays_with_the_unit_named(client, plan):
    admin = UserFactory(role=Role.ADMIN)
    slot = HearingSlot.objects.create(directive=plan, day=MONDAY, session="morning")
    invitation = HearingInvitation.objects.create(directive=plan, unit=Unit.objects.get(code="T01"))
    services.hearing_book(actor=admin, invitation=invitation, slot=slot)
    signed_in(client, manager())
    response = remove_slot(client, slot)
    assert response.status_code == 400
    assert by_id(response, f"slot-{slot.pk}-error") == (
        "Buổi 02/03/2026 (Sáng) đã có Tỉnh ủy 1 đăng ký: không thể xóa."
    )
    assert HearingSlot.objects.filter(pk=slot.pk).exists()
    assert audits("hearingslot", "delete") == []


# --- Invitations ---------------------------------------------------------------------


def test_units_are_chosen_by_code_and_taken_off(client, plan):
    signed_in(client, manager())
    response = invite(client, plan, "T01\n T02 , T03;T01\r\n")
    assert response.status_code == 302
    assert response["Location"] == detail(plan) + "#hearings"
    assert invited(plan) == ["T01", "T02", "T03"]
    page = client.get(detail(plan))
    assert "Đã chọn thêm 3 đơn vị." in page.content.decode()
    assert by_id(page, "invitation-rows") == (
        "Tỉnh ủy 1: chưa đăng ký Bỏ chọn Tỉnh ủy 2: chưa đăng ký Bỏ chọn "
        "Tỉnh ủy 3: chưa đăng ký Bỏ chọn"
    )  # fmt: skip
    # Those already chosen are left as they are.
    assert invite(client, plan, "T03, T04-H01").status_code == 302
    assert "Đã chọn thêm 1 đơn vị." in client.get(detail(plan)).content.decode()
    assert invited(plan) == ["T01", "T02", "T03", "T04-H01"]
    assert len(audits("hearinginvitation", "create")) == 4

    slot = HearingSlot.objects.create(directive=plan, day=MONDAY, session="morning")
    t02 = HearingInvitation.objects.get(directive=plan, unit__code="T02")
    services.hearing_book(actor=UserFactory(role=Role.ADMIN), invitation=t02, slot=slot)
    response = uninvite(client, t02)
    assert response.status_code == 302
    assert response["Location"] == detail(plan) + "#hearings"
    assert invited(plan) == ["T01", "T03", "T04-H01"]
    slot.refresh_from_db()
    assert not HearingInvitation.objects.filter(slot=slot).exists()  # the slot is free
    [(pk, changes)] = audits("hearinginvitation", "delete")
    assert (pk, changes["slot"], changes["unit"]) == (str(t02.pk), [slot.pk, None],
                                                      [t02.unit_id, None])  # fmt: skip
    page = client.get(detail(plan))
    assert "Đã bỏ chọn Tỉnh ủy 2." in page.content.decode()
    assert by_id(page, f"slot-{slot.pk}-holder") == "Còn trống"


def test_unknown_codes_are_listed_in_one_message_and_nothing_is_written(client, plan):
    signed_in(client, manager())
    before = AuditEvent.objects.count()

    def refused(codes) -> str:
        response = invite(client, plan, codes)
        assert response.status_code == 400
        return by_id(response, "invite_units_error")

    # T99 exists but is out of the manager's sight: not found, as a code that does not exist.
    assert refused("T01\nT99\nZZZ, T02") == "Không tìm thấy đơn vị có mã: T99, ZZZ."
    assert refused(" \n , ") == "Hãy nhập ít nhất một mã đơn vị."
    assert refused(",".join(f"X{n}" for n in range(2001))) == "Tối đa 2000 mã đơn vị mỗi lần."
    assert invited(plan) == []
    assert AuditEvent.objects.count() == before
    response = invite(client, plan, "T01\nZZZ")
    assert "T01\nZZZ</textarea>" in response.content.decode()  # kept in the form


# --- Who may manage ------------------------------------------------------------------


def test_only_an_editor_of_the_issuing_unit_manages_the_schedule(client, plan):
    slot = HearingSlot.objects.create(directive=plan, day=MONDAY, session="morning")
    t01 = HearingInvitation.objects.create(directive=plan, unit=Unit.objects.get(code="T01"))
    before = AuditEvent.objects.count()

    def all_refused(expected: int) -> None:
        assert add_slot(client, plan, day="03/03/2026").status_code == expected
        assert remove_slot(client, slot).status_code == expected
        assert invite(client, plan, "T02").status_code == expected
        assert uninvite(client, t01).status_code == expected

    # A one-unit grant on T01 reads the plan through its assignment and books for T01,
    # but the schedule belongs to TW: 403, and no management form.
    signed_in(client, user_of("T01", Role.EDITOR, include_subtree=False))
    page = client.get(detail(plan))
    assert page.status_code == 200
    assert f'id="hearing-form-{t01.pk}"' in page.content.decode()
    for marker in ('id="slot-form"', 'id="invite-form"', "slot-remove-", "uninvite-"):
        assert marker not in page.content.decode()
    all_refused(403)
    client.logout()
    # Viewers of TW itself, and of the department following the group: 403.
    for user in (user_of("TW"), user_of("V2")):
        signed_in(client, user)
        assert 'id="slot-form"' not in client.get(detail(plan)).content.decode()
        all_refused(403)
        client.logout()
    # Editors of V2 (a child of TW), with or without its subtree, do not edit TW either.
    for subtree in (True, False):
        signed_in(client, user_of("V2", Role.EDITOR, include_subtree=subtree))
        all_refused(403)
        client.logout()
    # Signed out: to the sign-in page.
    all_refused(302)
    assert HearingSlot.objects.count() == 1 and invited(plan) == ["T01"]
    assert AuditEvent.objects.count() == before
    # A grant of TW alone (not its subtree) is enough: the schedule is the issuing unit's.
    signed_in(client, user_of("TW", Role.EDITOR, include_subtree=False))
    assert 'id="slot-form"' in client.get(detail(plan)).content.decode()
    assert add_slot(client, plan, day="03/03/2026").status_code == 302
    assert HearingSlot.objects.count() == 2


def test_out_of_sight_is_not_found(client, plan, other):
    directive, slot, invitation = other
    before = AuditEvent.objects.count()
    signed_in(client, manager())  # TW's subtree does not reach the outside province
    assert client.get(detail(directive)).status_code == 404
    assert add_slot(client, directive, day="03/03/2026").status_code == 404
    assert invite(client, directive, "T01").status_code == 404
    assert remove_slot(client, slot).status_code == 404
    assert uninvite(client, invitation).status_code == 404
    for name in ("slot-add", "invite", "slot-remove", "uninvite"):
        assert client.post(reverse(f"directives:{name}", args=[999999])).status_code == 404
    client.logout()
    # T01's editor reads the plan, not T99-H0's invitation to it: 404, not 403.
    foreign = HearingInvitation.objects.create(directive=plan,
                                               unit=Unit.objects.get(code="T99-H0"))  # fmt: skip
    signed_in(client, user_of("T01", Role.EDITOR))
    assert uninvite(client, foreign).status_code == 404
    # A GET on these URLs is not allowed.
    assert client.get(reverse("directives:slot-add", args=[plan.pk])).status_code == 405
    assert HearingSlot.objects.filter(directive=directive).count() == 1
    assert invited(directive) == ["T99-H0"] and invited(plan) == ["T99-H0"]
    assert AuditEvent.objects.count() == before


def test_readers_see_the_card_as_before(client, plan):
    # Without slots, someone who does not manage the schedule sees no card.
    signed_in(client, user_of("V2"))
    assert 'id="hearings"' not in client.get(detail(plan)).content.decode()
    client.logout()
    # The outside province's editor manages its own directive's schedule, before a slot too.
    signed_in(client, user_of("T99", Role.EDITOR))
    directive = services.directive_create(actor=UserFactory(role=Role.ADMIN), kind="plan",
                                          number="6-KH/TU", issued_on=dt.date(2012, 8, 1),
                                          issuing_unit=Unit.objects.get(code="T99"),
                                          title="Kế hoạch khác")  # fmt: skip
    page = client.get(detail(directive))
    assert by_id(page, "slot-rows") == "Chưa có buổi làm việc nào."
    assert invite(client, directive, "T99-H1").status_code == 302
    assert invite(client, directive, "T01").status_code == 400  # out of its sight
    page = client.get(detail(directive))
    assert by_id(page, "invitation-rows") == "Huyện ủy ngoài 1: chưa đăng ký Bỏ chọn"


def test_the_managed_schedule_takes_a_fixed_number_of_queries(client, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    slot = HearingSlot.objects.create(directive=plan, day=MONDAY, session="morning")
    HearingInvitation.objects.create(directive=plan, unit=Unit.objects.get(code="T01"), slot=slot)
    users = [UserFactory(role=Role.ADMIN), manager()]

    def count(user) -> int:
        signed_in(client, user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail(plan)).status_code == 200
        return len(queries)

    before = [count(user) for user in users]
    for n in range(3, 13):
        slot = HearingSlot.objects.create(directive=plan, day=dt.date(2026, 4, n), session="morning")
        unit = Unit.objects.get(code=f"T{n:02}")
        HearingInvitation.objects.create(directive=plan, unit=unit, slot=slot if n % 2 else None)
    assert [count(user) for user in users] == before
