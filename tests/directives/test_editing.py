"""The editing services of directives (issue 14): who may write, what is refused (with
which message), what is audited — the guards as carefully as the rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from canbo.accounts.models import Role
from canbo.core.models import AuditEvent
from canbo.directives import attachments, editing, services
from canbo.directives.models import (
    Directive,
    HearingInvitation,
    HearingSlot,
    MonitoringGroup,
    Task,
    TaskAssignment,
    TaskNote,
)
from canbo.organizations.choices import UnitLevel
from tests.factories import UserFactory, grant, make_unit

pytestmark = pytest.mark.django_db

ISSUED = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def attachment_dir(settings, tmp_path):
    settings.CANBO_ATTACHMENT_DIR = str(tmp_path)
    return tmp_path


@pytest.fixture
def tree():
    province = make_unit("T01", "Tỉnh ủy A")
    commune = make_unit("T01-X1", "Đảng ủy xã 1", province, level=UnitLevel.COMMUNE)
    other = make_unit("T01-X2", "Đảng ủy xã 2", province, level=UnitLevel.COMMUNE)
    outside = make_unit("T02", "Tỉnh ủy B")
    return province, commune, other, outside


def user_of(unit, role=Role.EDITOR, include_subtree=True):
    user = UserFactory(role=role)
    grant(user, unit, include_subtree)
    return user


@pytest.fixture
def plan(tree):
    province = tree[0]
    return services.directive_create(actor=None, kind="plan", number="120-KH/TU",
                                     issued_on=ISSUED, issuing_unit=province,
                                     title="Kế hoạch thực hiện")  # fmt: skip


def last_audit(instance):
    return AuditEvent.objects.filter(object_id=str(instance.pk)).latest("pk")


def messages_of(error: ValidationError) -> dict:
    return {k: [str(m) for m in v] for k, v in error.message_dict.items()}


# --- Directives ----------------------------------------------------------------------


def test_an_editor_of_the_issuing_unit_edits_with_before_and_after(tree, plan):
    editor = user_of(tree[0])
    editing.directive_update(actor=editor, directive=plan, title="Kế hoạch sửa đổi")
    plan.refresh_from_db()
    assert plan.title == "Kế hoạch sửa đổi"
    event = last_audit(plan)
    assert event.action == "update"
    assert event.changes == {"title": ["Kế hoạch thực hiện", "Kế hoạch sửa đổi"]}


def test_a_one_unit_grant_below_cannot_edit_the_province_plan(tree, plan):
    commune_editor = user_of(tree[1], include_subtree=False)
    with pytest.raises(PermissionDenied):
        editing.directive_update(actor=commune_editor, directive=plan, title="X")
    one_unit = user_of(tree[0], include_subtree=False)  # the province itself only: may edit
    editing.directive_update(actor=one_unit, directive=plan, title="Y")
    assert Directive.objects.get(pk=plan.pk).title == "Y"


def test_a_viewer_and_an_outsider_cannot_edit(tree, plan):
    for actor in (user_of(tree[0], role=Role.VIEWER), user_of(tree[3])):
        with pytest.raises(PermissionDenied):
            editing.directive_update(actor=actor, directive=plan, title="X")
    assert Directive.objects.get(pk=plan.pk).title == "Kế hoạch thực hiện"


def test_moving_a_directive_to_a_unit_out_of_reach_is_refused(tree, plan):
    editor = user_of(tree[0])
    with pytest.raises(PermissionDenied):
        editing.directive_update(actor=editor, directive=plan, issuing_unit=tree[3])
    assert Directive.objects.get(pk=plan.pk).issuing_unit == tree[0]


def test_an_implements_chain_cannot_loop_nor_point_later_nor_out_of_sight(tree, plan):
    editor = user_of(tree[0])
    commune_plan = services.directive_create(actor=editor, kind="plan", number="05-KH/ĐU",
                                             issued_on=dt.date(2026, 3, 10),
                                             issuing_unit=tree[1], implements=plan,
                                             title="Kế hoạch của xã")  # fmt: skip
    with pytest.raises(ValidationError) as error:
        editing.directive_update(actor=editor, directive=plan, implements=commune_plan)
    assert messages_of(error.value) == {
        "implements": ["Văn bản được thực hiện phải ban hành trước hoặc cùng ngày."]
    }
    with pytest.raises(ValidationError) as error:
        editing.directive_update(actor=editor, directive=plan, implements=plan)
    assert messages_of(error.value) == {
        "implements": ["Một văn bản không thể thực hiện chính nó (vòng lặp)."]
    }
    # Same date both ways: the loop is caught by the chain, not by the dates.
    Directive.objects.filter(pk=commune_plan.pk).update(issued_on=ISSUED)
    commune_plan.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        editing.directive_update(actor=editor, directive=plan, implements=commune_plan)
    assert messages_of(error.value) == {
        "implements": ["Một văn bản không thể thực hiện chính nó (vòng lặp)."]
    }
    secret = services.directive_create(actor=None, kind="plan", number="1-KH/TU",
                                       issued_on=dt.date(2026, 1, 1), issuing_unit=tree[3],
                                       title="Kế hoạch tỉnh khác")  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.directive_create(actor=editor, kind="plan", number="06-KH/TU",
                                  issued_on=ISSUED, issuing_unit=tree[0], implements=secret,
                                  title="X")  # fmt: skip
    assert messages_of(error.value) == {"implements": ["Không tìm thấy văn bản này."]}
    assert not Directive.objects.filter(number="06-KH/TU").exists()


def test_the_date_cannot_move_after_a_recorded_completion(tree, plan):
    editor = user_of(tree[0])
    task = services.task_create(actor=editor, directive=plan, content="Báo cáo",
                                lead_unit=tree[1])  # fmt: skip
    TaskAssignment.objects.filter(task=task).update(completed_on=dt.date(2026, 3, 5))
    with pytest.raises(ValidationError) as error:
        editing.directive_update(actor=editor, directive=plan, issued_on=dt.date(2026, 3, 6))
    assert messages_of(error.value) == {"issued_on": [
        "Đã có đơn vị hoàn thành nhiệm vụ ngày 05/03/2026: ngày ban hành không thể sau ngày đó."
    ]}  # fmt: skip
    editing.directive_update(actor=editor, directive=plan, issued_on=dt.date(2026, 3, 5))
    assert Directive.objects.get(pk=plan.pk).issued_on == dt.date(2026, 3, 5)


def test_unknown_fields_are_a_programming_error(plan):
    with pytest.raises(TypeError):
        editing.directive_update(actor=None, directive=plan, file_key="x")


def test_the_directive_file_is_attached_replaced_and_removed(
    tree, plan, attachment_dir, django_capture_on_commit_callbacks
):
    editor = user_of(tree[0])
    editing.directive_attach(actor=editor, directive=plan,
                             upload=SimpleUploadedFile("120-KH.pdf", b"%PDF-1 a"))  # fmt: skip
    plan.refresh_from_db()
    first = plan.file_key
    assert (plan.file_name, plan.file_size) == ("120-KH.pdf", 8)
    assert (attachment_dir / first).read_bytes() == b"%PDF-1 a"
    assert last_audit(plan).changes["file_name"] == ["", "120-KH.pdf"]
    with django_capture_on_commit_callbacks(execute=True):
        editing.directive_attach(actor=editor, directive=plan,
                                 upload=SimpleUploadedFile("120-KH-ky.pdf", b"%PDF-1 bb"))  # fmt: skip
    plan.refresh_from_db()
    assert plan.file_name == "120-KH-ky.pdf" and plan.file_key != first
    assert not (attachment_dir / first).exists()  # the replaced file is gone
    with django_capture_on_commit_callbacks(execute=True):
        editing.directive_attach(actor=editor, directive=plan, upload=None)
    plan.refresh_from_db()
    assert (plan.file_name, plan.file_key, plan.file_size) == ("", "", None)
    assert list(attachment_dir.iterdir()) == []


def test_a_bad_file_or_a_reader_attaches_nothing(tree, plan, attachment_dir):
    with pytest.raises(ValidationError) as error:
        editing.directive_attach(actor=user_of(tree[0]), directive=plan,
                                 upload=SimpleUploadedFile("x.exe", b"MZ"))  # fmt: skip
    assert messages_of(error.value)["file"][0].startswith("Chỉ nhận tệp .pdf, .doc")
    with pytest.raises(PermissionDenied):
        editing.directive_attach(actor=user_of(tree[0], role=Role.VIEWER), directive=plan,
                                 upload=SimpleUploadedFile("a.pdf", b"%PDF"))  # fmt: skip
    assert list(attachment_dir.iterdir()) == []
    assert Directive.objects.get(pk=plan.pk).file_name == ""


# --- Tasks ---------------------------------------------------------------------------


def test_a_task_is_edited_and_its_lead_reassigned(tree, plan):
    editor = user_of(tree[0])
    task = services.task_create(actor=editor, directive=plan, content="Tổ chức hội nghị",
                                lead_unit=tree[1])  # fmt: skip
    editing.task_update(actor=editor, task=task, lead_unit=tree[2], coordinating_units=[tree[1]])
    assert list(TaskAssignment.objects.filter(task=task).values_list("unit__code", flat=True)) == [
        "T01-X2"
    ]
    event = last_audit(task)
    assert event.changes == {"lead_unit": [tree[1].pk, tree[2].pk],
                             "coordinating_units": [[], [tree[1].pk]]}  # fmt: skip


def test_a_lead_that_recorded_keeps_its_assignment(tree, plan):
    editor = user_of(tree[0])
    task = services.task_create(actor=editor, directive=plan, content="Báo cáo",
                                lead_unit=tree[1])  # fmt: skip
    assignment = task.assignments.get()
    TaskNote.objects.create(assignment=assignment, written_on=ISSUED, text="Đang làm")
    editing.task_update(actor=editor, task=task, lead_unit=tree[2])
    assert sorted(task.assignments.values_list("unit__code", flat=True)) == ["T01-X1", "T01-X2"]


def test_a_task_with_working_days_gets_its_deadline_recomputed(tree, plan):
    editor = user_of(tree[0])
    task = services.task_create(actor=editor, directive=plan, content="Báo cáo",
                                start_on=dt.date(2026, 3, 2), deadline=dt.date(2026, 3, 31))  # fmt: skip
    editing.task_update(actor=editor, task=task, working_days=5)
    task.refresh_from_db()
    assert task.deadline == dt.date(2026, 3, 9)  # Mon 2 + 5 working days, the weekend skipped
    with pytest.raises(ValidationError) as error:
        editing.task_update(actor=editor, task=task, working_days=401)
    assert messages_of(error.value) == {"working_days": ["Tối đa 400 ngày làm việc."]}


def test_a_parent_must_be_in_the_directive_and_not_below_the_task(tree, plan):
    editor = user_of(tree[0])
    section = services.task_create(actor=editor, directive=plan, content="I. Cấp tỉnh")
    child = services.task_create(actor=editor, directive=plan, content="1. Hội nghị",
                                 parent=section)  # fmt: skip
    with pytest.raises(ValidationError) as error:
        editing.task_update(actor=editor, task=section, parent=child)
    assert messages_of(error.value) == {"parent": ["Một nhiệm vụ không thể nằm trong chính nó."]}
    other = services.directive_create(actor=None, kind="plan", number="2-KH/TU",
                                      issued_on=ISSUED, issuing_unit=tree[0], title="Khác")  # fmt: skip
    foreign = services.task_create(actor=None, directive=other, content="Việc khác")
    with pytest.raises(ValidationError) as error:
        services.task_create(actor=editor, directive=plan, content="X", parent=foreign)
    assert messages_of(error.value) == {"parent": ["Mục cha phải thuộc cùng văn bản."]}
    assert Task.objects.get(pk=section.pk).parent is None


def test_units_out_of_sight_cannot_lead_or_coordinate(tree, plan):
    editor = user_of(tree[0])
    with pytest.raises(ValidationError) as error:
        services.task_create(actor=editor, directive=plan, content="X", lead_unit=tree[3])
    assert messages_of(error.value) == {"lead_unit": ["Không tìm thấy đơn vị này."]}
    task = services.task_create(actor=editor, directive=plan, content="Y")
    with pytest.raises(ValidationError) as error:
        editing.task_update(actor=editor, task=task, coordinating_units=[tree[1], tree[3]])
    assert messages_of(error.value) == {"coordinating_units": ["Không tìm thấy đơn vị này."]}
    assert not task.coordinating_units.exists()
    assert Task.objects.filter(directive=plan).count() == 1


def test_cancelling_needs_a_reason_and_a_date_after_the_directive(tree, plan):
    editor = user_of(tree[0])
    task = services.task_create(actor=editor, directive=plan, content="X", lead_unit=tree[1])
    with pytest.raises(ValidationError) as error:
        editing.task_update(actor=editor, task=task, cancelled_on=dt.date(2026, 4, 1))
    assert messages_of(error.value) == {"cancel_reason": ["Hãy ghi lý do hủy."]}
    with pytest.raises(ValidationError) as error:
        editing.task_update(actor=editor, task=task, cancelled_on=dt.date(2026, 3, 1),
                            cancel_reason="Trùng")  # fmt: skip
    assert messages_of(error.value) == {
        "cancelled_on": ["Ngày hủy không thể trước ngày ban hành văn bản."]
    }
    editing.task_update(actor=editor, task=task, cancelled_on=dt.date(2026, 4, 1),
                        cancel_reason="Trùng với kế hoạch khác")  # fmt: skip
    task.refresh_from_db()
    assert (task.cancelled_on, task.cancel_reason) == (dt.date(2026, 4, 1), "Trùng với kế hoạch khác")


def test_a_child_units_editor_cannot_edit_the_parents_task(tree, plan):
    task = services.task_create(actor=None, directive=plan, content="X", lead_unit=tree[1])
    with pytest.raises(PermissionDenied):
        editing.task_update(actor=user_of(tree[1]), task=task, content="Y")
    assert Task.objects.get(pk=task.pk).content == "X"


def test_an_assignment_is_taken_back_only_while_untouched(tree, plan):
    editor = user_of(tree[0])
    task = services.task_create(actor=editor, directive=plan, content="X")
    assert services.assign_to_units(actor=editor, task=task, level=UnitLevel.COMMUNE,
                                    within=tree[0]) == 2  # fmt: skip
    first, second = task.assignments.order_by("unit__path")
    editing.assignment_remove(actor=editor, assignment=first)
    assert list(task.assignments.values_list("unit__code", flat=True)) == ["T01-X2"]
    assert AuditEvent.objects.filter(action="delete", object_id=str(first.pk)).count() == 1
    second.completed_on = ISSUED
    second.save()
    with pytest.raises(ValidationError) as error:
        editing.assignment_remove(actor=editor, assignment=second)
    assert error.value.messages == [
        "Đơn vị đã ghi nhận kết quả hoặc tiến độ: không thể thu hồi; hãy hủy nhiệm vụ nếu cần."
    ]
    with pytest.raises(PermissionDenied):  # the unit itself cannot take its task back
        editing.assignment_remove(actor=user_of(tree[2]), assignment=second)


def test_assigning_reaches_only_units_in_the_actors_sight(tree, plan):
    make_unit("T02-X1", "Đảng ủy xã B1", tree[3], level=UnitLevel.COMMUNE)
    editor = user_of(tree[0])
    task = services.task_create(actor=editor, directive=plan, content="X")
    assert services.assign_to_units(actor=editor, task=task, level=UnitLevel.COMMUNE) == 2
    assert services.assign_to_units(actor=None, task=task, level=UnitLevel.COMMUNE) == 1
    assert task.assignments.count() == 3


# --- Hearings ------------------------------------------------------------------------


def test_slots_are_added_once_and_removed_while_free(tree, plan):
    editor = user_of(tree[0])
    slot = editing.slot_add(actor=editor, directive=plan, day=dt.date(2026, 4, 6),
                            session="morning", place="Phòng họp số 1")  # fmt: skip
    with pytest.raises(ValidationError) as error:
        editing.slot_add(actor=editor, directive=plan, day=dt.date(2026, 4, 6), session="morning")
    assert messages_of(error.value) == {"day": ["Lịch đã có buổi 06/04/2026 (Sáng)."]}
    with pytest.raises(ValidationError) as error:
        editing.slot_add(actor=editor, directive=plan, day=dt.date(2026, 3, 1), session="morning")
    assert messages_of(error.value) == {
        "day": ["Buổi làm việc không thể trước ngày ban hành văn bản."]
    }
    assert editing.invite(actor=editor, directive=plan, units=[tree[1], tree[2]]) == 2
    assert editing.invite(actor=editor, directive=plan, units=[tree[1]]) == 0
    invitation = HearingInvitation.objects.get(unit=tree[1])
    services.hearing_book(actor=user_of(tree[1]), invitation=invitation, slot=slot)
    with pytest.raises(ValidationError) as error:
        editing.slot_remove(actor=editor, slot=slot)
    assert error.value.messages == [
        "Buổi 06/04/2026 (Sáng) đã có Đảng ủy xã 1 đăng ký: không thể xóa."
    ]
    editing.uninvite(actor=editor, invitation=invitation)
    editing.slot_remove(actor=editor, slot=slot)
    assert not HearingSlot.objects.exists()
    assert list(HearingInvitation.objects.values_list("unit__code", flat=True)) == ["T01-X2"]


def test_hearings_are_managed_only_by_the_issuing_units_editors(tree, plan):
    for actor in (user_of(tree[1]), user_of(tree[0], role=Role.VIEWER)):
        with pytest.raises(PermissionDenied):
            editing.slot_add(actor=actor, directive=plan, day=dt.date(2026, 4, 6),
                             session="morning")  # fmt: skip
        with pytest.raises(PermissionDenied):
            editing.invite(actor=actor, directive=plan, units=[tree[1]])
    with pytest.raises(ValidationError) as error:
        editing.invite(actor=user_of(tree[0]), directive=plan, units=[tree[1], tree[3]])
    assert messages_of(error.value) == {"units": ["Không tìm thấy đơn vị này."]}
    assert not HearingInvitation.objects.exists() and not HearingSlot.objects.exists()


# --- Monitoring groups ---------------------------------------------------------------


def test_groups_are_written_by_administrators_with_their_units_audited(tree):
    admin = UserFactory(role=Role.ADMIN)
    group = editing.group_save(actor=admin, name="Hai tỉnh", owner=tree[0], units=[tree[0], tree[3]])
    assert sorted(group.units.values_list("code", flat=True)) == ["T01", "T02"]
    assert last_audit(group).changes["units"] == [None, sorted([tree[0].pk, tree[3].pk])]
    editing.group_save(actor=admin, group=group, name="Một tỉnh", owner=tree[0], units=[tree[3]])
    event = last_audit(group)
    assert event.changes["units"] == [sorted([tree[0].pk, tree[3].pk]), [tree[3].pk]]
    assert event.changes["name"] == ["Hai tỉnh", "Một tỉnh"]
    with pytest.raises(ValidationError) as error:
        editing.group_save(actor=admin, group=group, name="Rỗng", owner=tree[0], units=[])
    assert messages_of(error.value) == {"units": ["Nhóm cần ít nhất một đơn vị."]}
    with pytest.raises(PermissionDenied):
        editing.group_save(actor=user_of(tree[0]), group=group, name="X", owner=tree[0],
                           units=[tree[1]])  # fmt: skip
    with pytest.raises(PermissionDenied):
        editing.group_delete(actor=user_of(tree[0]), group=group)
    pk = group.pk
    editing.group_delete(actor=admin, group=group)
    assert not MonitoringGroup.objects.exists()
    event = AuditEvent.objects.filter(object_id=str(pk)).latest("pk")
    assert (event.action, event.changes["name"]) == ("delete", ["Một tỉnh", None])


def test_attachments_discard_ignores_an_empty_key():
    attachments.discard("")
