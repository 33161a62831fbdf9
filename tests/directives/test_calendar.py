"""Deadlines in working days (Vietnam's holidays, lunar ones included, and the
administrator's days) and the hearing schedule (issue 14, item 5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from canbo.accounts.models import Role
from canbo.directives import services
from canbo.directives.calendar import add_working_days
from canbo.directives.models import HearingInvitation, HearingSlot, Holiday
from canbo.organizations.choices import UnitKind, UnitLevel
from tests.factories import UserFactory, grant, make_unit

pytestmark = pytest.mark.django_db


def test_tet_2026_is_skipped():
    # Friday 13/02/2026; Giao thừa and Tết run Monday 16 to Friday 20 February.
    assert add_working_days(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 23)
    assert add_working_days(dt.date(2026, 2, 13), 3) == dt.date(2026, 2, 25)
    # Hùng Kings (Sunday 26/04, in lieu Monday 27/04), 30/04 and 01/05.
    assert add_working_days(dt.date(2026, 4, 24), 2) == dt.date(2026, 4, 29)
    assert add_working_days(dt.date(2026, 4, 29), 1) == dt.date(2026, 5, 4)


def test_the_administrators_days_count():
    Holiday.objects.create(day=dt.date(2026, 2, 21), name="Làm bù thứ Bảy", working=True)
    assert add_working_days(dt.date(2026, 2, 13), 3) == dt.date(2026, 2, 24)
    Holiday.objects.create(day=dt.date(2026, 2, 24), name="Nghỉ lễ địa phương")
    assert add_working_days(dt.date(2026, 2, 13), 3) == dt.date(2026, 2, 25)
    with pytest.raises(ValueError):
        add_working_days(dt.date(2026, 2, 13), 0)


@pytest.fixture
def plan():
    admin = UserFactory(username="quantri", role=Role.ADMIN)
    tu = make_unit("TU", "Tỉnh ủy")
    units = [make_unit(f"H{n}", f"Huyện ủy {n}", tu, UnitKind.PARTY_COMMITTEE, UnitLevel.DISTRICT)
             for n in (1, 2)]  # fmt: skip
    directive = services.directive_create(actor=admin, kind="plan", number="5-KH/TU",
                                          issued_on=dt.date(2026, 2, 2), issuing_unit=tu,
                                          title="Kế hoạch làm việc trực tiếp")  # fmt: skip
    return admin, tu, units, directive


def test_a_deadline_in_working_days_is_computed(plan):
    admin, _tu, _units, directive = plan
    task = services.task_create(actor=admin, directive=directive, content="Báo cáo",
                                start_on=dt.date(2026, 2, 13), working_days=3)  # fmt: skip
    assert task.deadline == dt.date(2026, 2, 25)
    with pytest.raises(ValidationError) as no_start:
        services.task_create(actor=admin, directive=directive, content="X", working_days=3)
    assert no_start.value.message_dict == {
        "start_on": ["Thời hạn tính theo ngày làm việc cần ngày bắt đầu."]
    }
    with pytest.raises(ValidationError) as too_long:
        services.task_create(actor=admin, directive=directive, content="X",
                             start_on=dt.date(2026, 2, 13), working_days=401)  # fmt: skip
    assert too_long.value.message_dict == {"working_days": ["Tối đa 400 ngày làm việc."]}


def test_units_book_hearing_slots_and_clashes_are_refused(plan):
    _admin, tu, units, directive = plan
    morning = HearingSlot.objects.create(directive=directive, day=dt.date(2026, 3, 2),
                                         session="morning")  # fmt: skip
    afternoon = HearingSlot.objects.create(directive=directive, day=dt.date(2026, 3, 2),
                                           session="afternoon")  # fmt: skip
    first, second = (HearingInvitation.objects.create(directive=directive, unit=u) for u in units)
    editors = []
    for unit in units:
        editors.append(UserFactory(role=Role.EDITOR))
        grant(editors[-1], unit)
    services.hearing_book(actor=editors[0], invitation=first, slot=morning)
    with pytest.raises(ValidationError) as clash:
        services.hearing_book(actor=editors[1], invitation=second, slot=morning)
    assert clash.value.message_dict == {"slot": ["Buổi 02/03/2026 (Sáng) đã có đơn vị khác đăng ký."]}
    with pytest.raises(PermissionDenied):  # another unit's invitation
        services.hearing_book(actor=editors[1], invitation=first, slot=afternoon)
    services.hearing_book(actor=editors[0], invitation=first, slot=afternoon)  # moves
    services.hearing_book(actor=editors[1], invitation=second, slot=morning)
    assert sorted(HearingInvitation.objects.values_list("unit__code", "slot__session")) == [
        ("H1", "afternoon"), ("H2", "morning")
    ]  # fmt: skip
    other = services.directive_create(actor=_admin, kind="plan", number="6-KH/TU",
                                      issued_on=dt.date(2026, 2, 2), issuing_unit=tu,
                                      title="Khác")  # fmt: skip
    foreign = HearingSlot.objects.create(directive=other, day=dt.date(2026, 3, 3), session="morning")
    with pytest.raises(ValidationError) as elsewhere:
        services.hearing_book(actor=editors[1], invitation=second, slot=foreign)
    assert elsewhere.value.message_dict == {"slot": ["Buổi này không thuộc lịch của văn bản này."]}


def test_tasks_are_numbered_in_their_directive_and_a_number_is_used_once(plan):
    admin, _tu, _units, directive = plan
    first = services.task_create(actor=admin, directive=directive, content="Một")
    second = services.task_create(actor=admin, directive=directive, content="Hai")
    assert (first.order, second.order) == (1, 2)
    with pytest.raises(ValidationError) as taken:
        services.task_create(actor=admin, directive=directive, content="Ba", order=2)
    assert taken.value.messages == ["Văn bản đã có nhiệm vụ số thứ tự này."]
