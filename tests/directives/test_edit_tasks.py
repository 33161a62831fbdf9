"""The pages that write a directive's tasks (issue 14, item 7 "UI"): "Thêm nhiệm vụ",
"Sửa nhiệm vụ" (cancelling too), "Giao cho các đơn vị" and "Thu hồi", on the Central
Highlands case of test_rollups (`region`); the directive page with its editing buttons
asks a fixed number of queries whatever the number of tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canbo.accounts.models import Role
from canbo.core.models import AuditEvent
from canbo.directives import services
from canbo.directives.models import Task, TaskAssignment
from canbo.organizations.choices import UnitLevel
from canbo.organizations.models import Unit
from tests.factories import PersonFactory, UserFactory
from tests.ui.conftest import by_id

from .test_edit_pages import attachment_dir as attachment_dir  # noqa: F401
from .test_edit_pages import own_directive, signed_in, user_of
from .test_edit_pages import today as today  # noqa: F401
from .test_rollups import region as region  # noqa: F401

pytestmark = pytest.mark.django_db


def unit(code):
    return Unit.objects.get(code=code)


def task_data(**changes) -> dict:
    data = {"parent": "", "order": "", "content": "Tổ chức hội nghị quán triệt",
            "lead_unit": "T01-H00 · Huyện ủy 1.0", "coordinating_units": "", "leader": "",
            "deliverable": "meeting", "start_on": "", "working_days": "", "deadline": "",
            "cancelled_on": "", "cancel_reason": ""}  # fmt: skip
    data.update(changes)
    return data


@pytest.fixture
def directive(region):  # noqa: F811
    return own_directive(issued_on=dt.date(2026, 2, 2))


def add_url(directive):
    return reverse("directives:task-add", args=[directive.pk])


def edit_url(task):
    return reverse("directives:task-edit", args=[task.pk])


def assign_url(task):
    return reverse("directives:task-assign", args=[task.pk])


def test_a_task_with_working_days_gets_its_deadline(client, directive):
    leader = PersonFactory(unit=unit("T01-H00"), id_number="001080000123")
    signed_in(client, user_of("T01", Role.EDITOR))
    page = client.get(add_url(directive))
    assert page.status_code == 200 and by_id(page, "form-heading") == "Thêm nhiệm vụ"
    assert 'name="cancelled_on"' not in page.content.decode()
    response = client.post(add_url(directive), task_data(
        start_on="13/02/2026", working_days="3", leader="0010 8000 0123",
        coordinating_units="T01-S00, T01-S01\nT01-H01 · Huyện ủy 1.1\nT01-S00"))  # fmt: skip
    task = Task.objects.get(directive=directive)
    assert response.status_code == 302
    assert response["Location"] == reverse("directives:detail", args=[directive.pk]) + f"#task-{task.pk}"
    assert (task.order, task.content, task.lead_unit.code, task.leader, task.deliverable,
            task.start_on, task.working_days, task.deadline) == (
        1, "Tổ chức hội nghị quán triệt", "T01-H00", leader, "meeting", dt.date(2026, 2, 13), 3,
        dt.date(2026, 2, 25),  # Tết: 16–20/02/2026 are days off
    )  # fmt: skip
    assert sorted(task.coordinating_units.values_list("code", flat=True)) == [
        "T01-H01", "T01-S00", "T01-S01"]  # fmt: skip
    assert list(TaskAssignment.objects.filter(task=task).values_list("unit__code", flat=True)) == [
        "T01-H00"]  # fmt: skip
    assert AuditEvent.objects.filter(content_type__model="task", action="create",
                                     object_id=str(task.pk)).count() == 1  # fmt: skip
    page = client.get(response["Location"])
    assert "Đã thêm nhiệm vụ số 1." in page.content.decode()
    assert f'id="task-{task.pk}-edit"' in page.content.decode()
    # The next one is numbered 2, under the first one (a section).
    response = client.post(add_url(directive), task_data(parent=task.pk, lead_unit="",
                                                         deadline="31/03/2026"))  # fmt: skip
    second = Task.objects.get(directive=directive, order=2)
    assert (second.parent, second.deadline, second.lead_unit, second.working_days) == (
        task, dt.date(2026, 3, 31), None, None)  # fmt: skip
    assert second.assignments.count() == 0


def test_what_is_refused_on_a_task(client, directive):
    other = own_directive(number="09-KH/TU", issued_on=dt.date(2026, 2, 2))
    foreign = services.task_create(actor=None, directive=other, content="Khác")
    PersonFactory(unit=unit("T99"), id_number="001080000999")  # out of sight
    signed_in(client, user_of("T01", Role.EDITOR))
    counts = (Task.objects.count(), TaskAssignment.objects.count(), AuditEvent.objects.count())
    cases = [
        ({"coordinating_units": "T01-S00, XX1\nT99-H0;T01-S01, YY"}, "coordinating_units",
         "Không tìm thấy đơn vị có mã: XX1, T99-H0, YY."),
        ({"lead_unit": "T99"}, "lead_unit", "Không tìm thấy đơn vị này."),
        ({"leader": "001080000999"}, "leader", "Không tìm thấy cán bộ có số định danh này."),
        ({"leader": "12345"}, "leader", "Không tìm thấy cán bộ có số định danh này."),
        ({"start_on": "13/02/2026", "working_days": "3", "deadline": "31/03/2026"}, "deadline",
         "Hãy ghi số ngày làm việc hoặc thời hạn, không ghi cả hai."),
        ({"working_days": "3"}, "start_on", "Thời hạn tính theo ngày làm việc cần ngày bắt đầu."),
        ({"start_on": "13/02/2026", "deadline": "12/02/2026"}, "deadline",
         "Thời hạn phải từ ngày bắt đầu trở đi."),
        ({"start_on": "30/02/2026"}, "start_on", "Ngày 30/02/2026 không tồn tại."),
        ({"working_days": "ba"}, "working_days", "Hãy nhập một số nguyên."),
        ({"parent": foreign.pk}, "parent", "Hãy chọn một nhiệm vụ của văn bản này."),
        ({"content": "  "}, "content", "Trường này là bắt buộc."),
    ]  # fmt: skip
    for changes, field, message in cases:
        response = client.post(add_url(directive), task_data(**changes))
        assert response.status_code == 400, changes
        assert by_id(response, f"error-{field}") == message, changes
    assert (Task.objects.count(), TaskAssignment.objects.count(),
            AuditEvent.objects.count()) == counts  # fmt: skip
    # A number the directive already has.
    services.task_create(actor=None, directive=directive, order=1, content="Một")
    response = client.post(add_url(directive), task_data(order="1"))
    assert response.status_code == 400
    assert by_id(response, "form-errors") == "Văn bản đã có nhiệm vụ số thứ tự này."


def test_editing_cancelling_and_uncancelling_a_task(client, directive):
    task = services.task_create(actor=None, directive=directive, content="Kiểm điểm",
                                lead_unit=unit("T01-H00"), start_on=dt.date(2026, 2, 13),
                                working_days=3)  # fmt: skip
    task.coordinating_units.set([unit("T01-S00")])
    signed_in(client, user_of("T01", Role.EDITOR))
    page = client.get(edit_url(task))
    assert page.status_code == 200 and by_id(page, "form-heading") == "Sửa nhiệm vụ"
    content = page.content.decode()
    assert 'value="T01-H00 · Huyện ủy 1.0"' in content and 'value="13/02/2026"' in content
    assert 'name="deadline" placeholder="dd/mm/yyyy"' in content.replace(' class="form-control"', "")
    data = task_data(order="1", content="Kiểm điểm", start_on="13/02/2026", working_days="3",
                     coordinating_units="T01-S00", cancelled_on="20/03/2026")  # fmt: skip
    response = client.post(edit_url(task), data)
    assert response.status_code == 400
    assert by_id(response, "error-cancel_reason") == "Hãy ghi lý do hủy."
    task.refresh_from_db()
    assert task.cancelled_on is None
    response = client.post(edit_url(task), {**data, "cancel_reason": "Gộp vào nhiệm vụ 2"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.cancelled_on, task.cancel_reason) == (dt.date(2026, 3, 20), "Gộp vào nhiệm vụ 2")
    event = AuditEvent.objects.filter(content_type__model="task", action="update").latest("pk")
    assert event.object_id == str(task.pk)
    # Un-cancelled: the reason goes with the date. A new lead unit takes the assignment.
    response = client.post(edit_url(task), {**data, "cancelled_on": "", "cancel_reason": "x",
                                            "lead_unit": "T01-H01"})  # fmt: skip
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.cancelled_on, task.cancel_reason, task.lead_unit.code) == (None, "", "T01-H01")
    assert list(task.assignments.values_list("unit__code", flat=True)) == ["T01-H01"]
    # A cancellation before the directive's date.
    response = client.post(edit_url(task), {**data, "cancelled_on": "01/01/2026",
                                            "cancel_reason": "Sai"})  # fmt: skip
    assert by_id(response, "error-cancelled_on") == "Ngày hủy không thể trước ngày ban hành văn bản."


def test_a_leader_out_of_sight_is_kept_not_shown(client, directive):
    hidden = PersonFactory(unit=unit("T99"), id_number="001080000999")
    task = services.task_create(actor=None, directive=directive, content="Kiểm điểm",
                                leader=hidden)  # fmt: skip
    signed_in(client, user_of("T01", Role.EDITOR))
    page = client.get(edit_url(task))
    assert "001080000999" not in page.content.decode()
    assert f"Để trống để giữ: {hidden.full_name}." in page.content.decode()
    assert client.post(edit_url(task), task_data(order="1", lead_unit="")).status_code == 302
    task.refresh_from_db()
    assert task.leader == hidden


def test_tasks_out_of_sight_404_and_viewers_403(client, directive):
    task = services.task_create(actor=None, directive=directive, content="Kiểm điểm")
    signed_in(client, user_of("T99", Role.EDITOR))
    for url in (add_url(directive), edit_url(task), assign_url(task),
                reverse("directives:task-edit", args=[999999])):  # fmt: skip
        assert client.get(url).status_code == 404, url
        assert client.post(url, task_data()).status_code == 404, url
    client.logout()
    signed_in(client, user_of("T01"))
    for url in (add_url(directive), edit_url(task), assign_url(task)):
        assert client.get(url).status_code == 403, url
        assert client.post(url, task_data(level="district", unit="T01")).status_code == 403, url
    assert (Task.objects.filter(directive=directive).count(), task.assignments.count()) == (1, 0)


def test_assigning_by_group_counts_and_twice_gives_none(client, region):  # noqa: F811
    plan, _tasks, group = region[0], region[1], region[2]
    task = services.task_create(actor=None, directive=plan, content="Báo cáo sơ kết")
    signed_in(client, UserFactory(role=Role.ADMIN))
    page = client.get(assign_url(task))
    assert page.status_code == 200
    assert by_id(page, "assign-count") == (
        "Đã giao cho 0 đơn vị; giao lại chỉ thêm các đơn vị chưa được giao.")  # fmt: skip
    data = {"level": UnitLevel.PROVINCE, "kind": "party_committee", "unit": "", "group": group.pk,
            "on": ""}  # fmt: skip
    response = client.post(assign_url(task), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("directives:detail", args=[plan.pk]) + f"#task-{task.pk}"
    assert "Đã giao cho 13 đơn vị." in client.get(response["Location"]).content.decode()
    assert task.assignments.count() == 13
    response = client.post(assign_url(task), data)
    assert "Không có đơn vị mới nào để giao." in client.get(response["Location"]).content.decode()
    assert task.assignments.count() == 13
    # The district committees of the group's provinces (222, with vnnumber for thousands).
    response = client.post(assign_url(task), {**data, "level": "district", "kind": ""})
    assert "Đã giao cho 222 đơn vị." in client.get(response["Location"]).content.decode()


def test_an_editor_assigns_within_its_unit_only(client, directive):
    task = services.task_create(actor=None, directive=directive, content="Kiểm điểm")
    signed_in(client, user_of("T01", Role.EDITOR))
    page = client.get(assign_url(task))
    assert by_id(page, "id_group") == "(không chọn)"  # T01 follows no group
    data = {"level": "district", "kind": "", "unit": "T01 · Tỉnh ủy 1", "group": "", "on": ""}
    cases = [
        ({"unit": ""}, "unit", "Hãy chọn một đơn vị hoặc một nhóm."),
        ({"unit": "T02"}, "unit", "Không tìm thấy đơn vị này."),
        ({"group": "1"}, "group", "Hãy chọn một nhóm trong danh sách."),
        ({"level": "galaxy"}, "level",
         "Hãy chọn một lựa chọn hợp lệ. galaxy không phải là một trong các lựa chọn khả thi."),
        ({"on": "32/01/2026"}, "on", "Ngày 32/01/2026 không tồn tại."),
    ]  # fmt: skip
    for changes, field, message in cases:
        response = client.post(assign_url(task), {**data, **changes})
        assert response.status_code == 400, changes
        assert by_id(response, f"error-{field}") == message, changes
    assert task.assignments.count() == 0
    response = client.post(assign_url(task), data)
    assert response.status_code == 302
    assert task.assignments.count() == 17
    assert not task.assignments.exclude(unit__code__startswith="T01-H").exists()


def test_taking_an_assignment_back_and_refused_after_completion(client, directive):
    task = services.task_create(actor=None, directive=directive, content="Kiểm điểm",
                                lead_unit=unit("T01-H00"))  # fmt: skip
    services.assign_to_units(actor=None, task=task, level="district", within=unit("T01"))
    taken, done = (TaskAssignment.objects.get(task=task, unit__code=c) for c in ("T01-H01", "T01-H02"))
    TaskAssignment.objects.filter(pk=done.pk).update(completed_on=dt.date(2026, 3, 1))
    url = reverse("directives:assignment-remove", args=[taken.pk])
    # The district's own editor reads and records it, but does not take it back.
    district = user_of("T01-H01", Role.EDITOR)
    signed_in(client, district)
    page = client.get(reverse("directives:assignment", args=[taken.pk]))
    assert page.status_code == 200 and 'id="assignment-remove"' not in page.content.decode()
    assert client.post(url).status_code == 403
    client.logout()
    signed_in(client, user_of("T01"))
    assert client.post(url).status_code == 403
    client.logout()
    signed_in(client, user_of("T99", Role.EDITOR))
    assert client.post(url).status_code == 404
    client.logout()
    signed_in(client, user_of("T01", Role.EDITOR))
    page = client.get(reverse("directives:assignment", args=[taken.pk]))
    assert by_id(page, "assignment-remove") == "Thu hồi"
    events = AuditEvent.objects.count()
    response = client.post(reverse("directives:assignment-remove", args=[done.pk]))
    assert response.status_code == 400
    assert ("Đơn vị đã ghi nhận kết quả hoặc tiến độ: không thể thu hồi; hãy hủy nhiệm vụ nếu cần."
            in response.content.decode())  # fmt: skip
    assert TaskAssignment.objects.filter(pk=done.pk).exists()
    assert AuditEvent.objects.count() == events
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("directives:detail", args=[directive.pk]) + f"#task-{task.pk}"
    assert not TaskAssignment.objects.filter(pk=taken.pk).exists()
    assert "Đã thu hồi nhiệm vụ của Huyện ủy 1.1." in client.get(response["Location"]).content.decode()
    assert AuditEvent.objects.filter(content_type__model="taskassignment", action="delete",
                                     object_id=str(taken.pk)).count() == 1  # fmt: skip
    assert task.assignments.count() == 16


def test_the_directive_page_with_its_buttons_asks_a_fixed_number_of_queries(client, directive):
    signed_in(client, user_of("T01", Role.EDITOR))
    url = reverse("directives:detail", args=[directive.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response

    def add(n):
        for _ in range(n):
            task = services.task_create(actor=None, directive=directive, content="Việc",
                                        lead_unit=unit("T01-H00"))  # fmt: skip
            task.coordinating_units.set([unit("T01-S00")])

    add(2)
    before, page = count()
    add(6)
    after, page = count()
    assert after == before
    ids = list(Task.objects.filter(directive=directive).values_list("pk", flat=True))
    content = page.content.decode()
    assert all(f'id="task-{pk}-edit"' in content and f'id="task-{pk}-assign"' in content
               for pk in ids)  # fmt: skip
    assert by_id(page, "directive-edit") == "Sửa"
