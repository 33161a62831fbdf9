"""Who reads and who writes a unit's assignment (issue 14, ADR 0016)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from canbo.accounts.models import Role
from canbo.core.models import AuditEvent
from canbo.directives import services
from canbo.directives.models import TaskAssignment
from canbo.directives.selectors import (
    directive_rollups,
    visible_assignments,
    visible_directives,
)
from canbo.organizations.models import Unit
from tests.factories import UserFactory, grant

from .test_rollups import ON  # noqa: F401
from .test_rollups import region as region

pytestmark = pytest.mark.django_db


def user_of(code, role=Role.VIEWER, include_subtree=True):
    user = UserFactory(role=role)
    grant(user, Unit.objects.get(code=code), include_subtree)
    return user


def units_seen(user) -> set[str]:
    return set(visible_assignments(user).values_list("unit__code", flat=True))


def test_a_district_sees_its_own_assignments_only(region):  # noqa: F811
    plan = region[0]
    viewer = user_of("T03-H05")
    assert units_seen(viewer) == {"T03-H05"}
    assert list(visible_directives(viewer)) == [plan]  # through its own assignment
    assert units_seen(user_of("T99-H1")) == {"T99-H1"}


def test_the_department_following_the_group_sees_the_groups_units_and_nothing_else(region):  # noqa: F811
    plan, _tasks, group = region[0], region[1], region[2]
    department = user_of("V2")
    seen = units_seen(department)
    assert len(seen) == 13 + 222 + 724
    assert not any(code.startswith("T99") for code in seen)
    within = Unit.objects.filter(pk__in=visible_assignments(department).values("unit"))
    assert [r.text for r in directive_rollups(plan, ON, within=within)] == [
        "13/13 (100,00%)", "221/222 (99,55%)", "709/724 (97,93%)"
    ]  # fmt: skip
    # Reading only: the department cannot record a province's completion.
    assignment = TaskAssignment.objects.filter(unit__code="T01").first()
    with pytest.raises(PermissionDenied):
        services.record_completion(actor=user_of("V2", Role.EDITOR), assignment=assignment,
                                   completed_on=dt.date(2012, 9, 1))  # fmt: skip
    assert not group.units.filter(code="V2").exists()


def test_a_unit_records_its_own_completion_with_its_audit(region):  # noqa: F811
    open_one = TaskAssignment.objects.get(completed_on=None, unit__code="T13-H17")
    editor = user_of("T13-H17", Role.EDITOR)
    services.record_completion(actor=editor, assignment=open_one,
                               completed_on=dt.date(2012, 10, 2), note="Đã kiểm điểm",
                               today=dt.date(2012, 10, 3))  # fmt: skip
    open_one.refresh_from_db()
    assert (open_one.completed_on, open_one.note) == (dt.date(2012, 10, 2), "Đã kiểm điểm")
    event = AuditEvent.objects.filter(object_id=str(open_one.pk)).latest("pk")
    assert event.changes["completed_on"] == [None, "2012-10-02"]


def test_the_completion_guards(region):  # noqa: F811
    open_one = TaskAssignment.objects.get(completed_on=None, unit__code="T13-H17")
    editor = user_of("T13-H17", Role.EDITOR)
    with pytest.raises(ValidationError) as future:
        services.record_completion(actor=editor, assignment=open_one,
                                   completed_on=dt.date(2012, 10, 4), today=dt.date(2012, 10, 3))  # fmt: skip
    assert future.value.message_dict == {"completed_on": ["Ngày hoàn thành không thể sau hôm nay."]}
    with pytest.raises(ValidationError) as early:
        services.record_completion(actor=editor, assignment=open_one,
                                   completed_on=dt.date(2012, 5, 31), today=dt.date(2012, 10, 3))  # fmt: skip
    assert early.value.message_dict == {
        "completed_on": ["Ngày hoàn thành không thể trước ngày ban hành văn bản."]
    }
    # A grant on the province alone (not its subtree) does not reach its districts.
    province_only = user_of("T13", Role.EDITOR, include_subtree=False)
    with pytest.raises(PermissionDenied):
        services.record_completion(actor=province_only, assignment=open_one,
                                   completed_on=dt.date(2012, 10, 2), today=dt.date(2012, 10, 3))  # fmt: skip
    # A viewer of the district may read it but not write it.
    with pytest.raises(PermissionDenied):
        services.record_completion(actor=user_of("T13-H17"), assignment=open_one,
                                   completed_on=dt.date(2012, 10, 2), today=dt.date(2012, 10, 3))  # fmt: skip
    open_one.refresh_from_db()
    assert open_one.completed_on is None
