"""Writing through the directives API (issue 14), continued: assigning a task to every unit
of a level in a group or a subtree (the Central Highlands' 222 district committees), taking
an assignment back, monitoring groups (administrators only) and the hearing schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from canbo.accounts.models import Role
from canbo.core.models import AuditEvent
from canbo.directives import services
from canbo.directives.models import (
    HearingInvitation,
    HearingSlot,
    MonitoringGroup,
    Task,
    TaskAssignment,
)
from canbo.organizations.models import Unit
from tests.factories import UserFactory, grant, make_unit

from .test_rollups import region as region  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Không tìm thấy."}
VIEWER = {"detail": "Bạn không có quyền thay đổi dữ liệu."}
NO_RIGHT = {"detail": "Bạn không có quyền với đơn vị này."}
ADMINS_ONLY = {"detail": "Chỉ quản trị viên được thực hiện thao tác này."}


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def user_of(unit, role=Role.EDITOR, include_subtree=True):
    user = UserFactory(role=role)
    grant(user, unit if isinstance(unit, Unit) else Unit.objects.get(code=unit), include_subtree)
    return user


def admin():
    return UserFactory(role=Role.ADMIN)


def state():
    return (list(TaskAssignment.objects.order_by("pk").values()),
            list(MonitoringGroup.objects.order_by("pk").values()),
            list(MonitoringGroup.units.through.objects.order_by("pk").values()),
            list(HearingSlot.objects.order_by("pk").values()),
            list(HearingInvitation.objects.order_by("pk").values()), AuditEvent.objects.count())  # fmt: skip


# --- Assigning a task to many units ------------------------------------------------------


def test_a_district_task_assigned_by_group_reaches_the_222_committees_once(region):  # noqa: F811
    plan, *_ = region
    api = client_of(admin())
    created = api.post(f"/api/directives/{plan.pk}/tasks/",
                       {"content": "Cấp ủy cấp huyện báo cáo", "start_on": "2012-07-01"},
                       format="json")  # fmt: skip
    assert created.status_code == 201, created.content
    url = f"/api/tasks/{created.json()['id']}/assign/"
    first = api.post(url, {"level": "district", "group": "Tây Nguyên"}, format="json")
    assert (first.status_code, first.json()) == (200, {"assigned": 222, "total": 222})
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.changes) == ("update", {"assigned": [0, 222]})
    again = api.post(url, {"level": "district", "group": "Tây Nguyên"}, format="json")
    assert again.json() == {"assigned": 0, "total": 222}
    # The province outside the region, by its subtree; the group by its id: nothing new.
    outside = api.post(url, {"level": "district", "unit": "T99"}, format="json")
    assert outside.json() == {"assigned": 3, "total": 225}
    group = MonitoringGroup.objects.get().pk
    assert api.post(url, {"level": "district", "group": str(group)}, format="json").json() == {
        "assigned": 0, "total": 225}  # fmt: skip


def test_the_central_editor_assigns_the_units_its_department_follows(region):  # noqa: F811
    """An editor of the centre reads the region's units through V2's group: 13 provinces'
    committees by kind, not the agencies; the province outside is not in sight."""
    plan, *_ = region
    task = services.task_create(actor=None, directive=plan, content="Tỉnh ủy báo cáo",
                                start_on=dt.date(2012, 7, 1))  # fmt: skip
    api = client_of(user_of("TW"))
    url = f"/api/tasks/{task.pk}/assign/"
    response = api.post(url, {"level": "province", "kind": "party_committee", "group": "Tây Nguyên"},
                        format="json")  # fmt: skip
    assert response.json() == {"assigned": 13, "total": 13}
    before = state()
    unseen = api.post(url, {"level": "district", "unit": "T99"}, format="json")
    assert (unseen.status_code, unseen.json()) == (400, {"unit": ["Không tìm thấy đơn vị này."]})
    assert state() == before


@pytest.mark.parametrize(
    "body, errors",
    [
        ({"level": "district"}, {"non_field_errors": ["Hãy chọn unit (đơn vị) hoặc group (nhóm)."]}),
        ({"level": "district", "unit": "T01", "group": "Tây Nguyên"},
         {"non_field_errors": ["Chỉ chọn một trong hai: unit (đơn vị) hoặc group (nhóm)."]}),
        ({"level": "ward", "unit": "T01"}, {"level": [
            "Giá trị không hợp lệ; chọn một trong: central, province, district, commune."]}),
        ({"unit": "T01"}, {"level": ["Trường này là bắt buộc."]}),
        ({"level": "district", "group": "Tây Bắc"}, {"group": ["Không tìm thấy nhóm này."]}),
        ({"level": "district", "unit": "T01", "on": "30/02/2012"},
         {"on": ["Ngày 30/02/2012 không tồn tại."]}),
    ],
)  # fmt: skip
def test_bad_assignments_are_refused(region, body, errors):  # noqa: F811
    plan, tasks, *_ = region
    before = state()
    response = client_of(admin()).post(f"/api/tasks/{tasks[1].pk}/assign/", body, format="json")
    assert (response.status_code, response.json()) == (400, errors)
    assert state() == before


def test_who_may_assign(region):  # noqa: F811
    plan, tasks, *_ = region
    url = f"/api/tasks/{tasks[1].pk}/assign/"
    body = {"level": "district", "unit": "T01"}
    before = state()
    assert client_of(user_of("TW", Role.VIEWER)).post(url, body, format="json").json() == VIEWER
    # A district reads the task through its assignment, and may not assign it.
    district = client_of(user_of("T01-H00")).post(url, {"level": "district", "unit": "T01-H00"},
                                                  format="json")  # fmt: skip
    assert (district.status_code, district.json()) == (403, NO_RIGHT)
    # A province without assignment of it does not read it.
    stranger = user_of(make_unit("T50", "Tỉnh ủy khác"))
    assert client_of(stranger).post(url, body, format="json").json() == NOT_FOUND
    assert state() == before


# --- Taking an assignment back --------------------------------------------------------------


def test_an_untouched_assignment_is_taken_back_a_completed_one_is_not(world):
    directive = services.directive_create(actor=None, kind="plan", number="01-KH/TU",
                                          issued_on=dt.date(2026, 1, 5), issuing_unit=world.tu,
                                          title="Kế hoạch")  # fmt: skip
    task = services.task_create(actor=None, directive=directive, content="Kiểm điểm")
    services.assign_to_units(actor=None, task=task, level="commune", within=world.tu)
    a, b = TaskAssignment.objects.order_by("unit__path")
    TaskAssignment.objects.filter(pk=b.pk).update(completed_on=dt.date(2026, 1, 20))
    province = client_of(user_of(world.tu))
    before = state()
    # The commune reads its assignment and may not take it back; its viewer is refused first.
    assert client_of(world.editor_a).delete(f"/api/assignments/{a.pk}/").json() == NO_RIGHT
    assert client_of(world.viewer_a).delete(f"/api/assignments/{a.pk}/").json() == VIEWER
    assert client_of(world.editor_a).delete(f"/api/assignments/{b.pk}/").json() == NOT_FOUND
    refused = province.delete(f"/api/assignments/{b.pk}/")
    assert (refused.status_code, refused.json()) == (400, {"non_field_errors": [
        "Đơn vị đã ghi nhận kết quả hoặc tiến độ: không thể thu hồi; hãy hủy nhiệm vụ nếu cần."
    ]})  # fmt: skip
    assert state() == before
    assert province.delete(f"/api/assignments/{a.pk}/").status_code == 204
    assert list(TaskAssignment.objects.values_list("unit__code", flat=True)) == ["XB"]
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.object_id, event.changes["unit"]) == ("delete", str(a.pk),
                                                                      [world.xa.pk, None])  # fmt: skip


# --- Monitoring groups -------------------------------------------------------------------


def test_an_administrator_creates_changes_and_removes_a_group(world):
    api = client_of(admin())
    created = api.post("/api/monitoring-groups/", {"name": "Các xã", "owner": "TU",
                                                   "units": ["XB", "XA"], "note": "Theo dõi"},
                       format="json")  # fmt: skip
    assert created.status_code == 201, created.content
    group = MonitoringGroup.objects.get()
    assert created.json() == {
        "id": group.pk, "name": "Các xã", "owner": "TU", "owner_name": "Tỉnh ủy Thử Nghiệm",
        "note": "Theo dõi", "units": [{"code": "XA", "name": "Đảng ủy xã An Bình"},
                                      {"code": "XB", "name": "Đảng ủy xã Bình Minh"}],
    }  # fmt: skip
    assert AuditEvent.objects.latest("pk").changes["units"] == [None, [world.xa.pk, world.xb.pk]]
    # What is not sent stays.
    changed = api.patch(f"/api/monitoring-groups/{group.pk}/", {"units": ["XA"]}, format="json")
    assert (changed.json()["name"], changed.json()["owner"], changed.json()["units"]) == (
        "Các xã", "TU", [{"code": "XA", "name": "Đảng ủy xã An Bình"}])  # fmt: skip
    assert AuditEvent.objects.latest("pk").changes == {"units": [[world.xa.pk, world.xb.pk],
                                                                 [world.xa.pk]]}  # fmt: skip
    assert api.get(f"/api/monitoring-groups/{group.pk}/").json() == changed.json()
    assert api.delete(f"/api/monitoring-groups/{group.pk}/").status_code == 204
    assert MonitoringGroup.objects.count() == 0
    assert AuditEvent.objects.latest("pk").action == "delete"


@pytest.mark.parametrize(
    "body, errors",
    [
        ({"name": "Nhóm", "owner": "TU", "units": []}, {"units": ["Nhóm cần ít nhất một đơn vị."]}),
        ({"name": "Nhóm", "owner": "TU"}, {"units": ["Nhóm cần ít nhất một đơn vị."]}),
        ({"name": "Nhóm", "owner": "KHONGCO", "units": ["XA"]},
         {"owner": ["Không tìm thấy đơn vị này."]}),
        ({"name": "Nhóm", "owner": "TU", "units": ["XA", "X9"]},
         {"units": ["Không tìm thấy đơn vị có mã: X9."]}),
        ({"name": "Nhóm cũ", "owner": "TU", "units": ["XA"]},
         {"name": ["Đã có nhóm theo dõi tên này."]}),
        ({"owner": "TU", "units": ["XA"]}, {"name": ["Trường này là bắt buộc."]}),
    ],
)  # fmt: skip
def test_bad_groups_are_refused(world, body, errors):
    MonitoringGroup.objects.create(name="Nhóm cũ", owner=world.tu).units.set([world.xb])
    before = state()
    response = client_of(admin()).post("/api/monitoring-groups/", body, format="json")
    assert (response.status_code, response.json()) == (400, errors)
    assert state() == before


def test_only_administrators_write_groups(world):
    group = MonitoringGroup.objects.create(name="Các xã", owner=world.xa)
    group.units.set([world.xa])
    url = f"/api/monitoring-groups/{group.pk}/"
    body = {"name": "Mới", "owner": "XA", "units": ["XA"]}
    before = state()
    editor, viewer = client_of(world.editor_a), client_of(world.viewer_a)
    for api, expected in ((editor, ADMINS_ONLY), (viewer, VIEWER)):
        for response in (api.post("/api/monitoring-groups/", body, format="json"),
                         api.patch(url, {"note": "x"}, format="json"), api.delete(url),
                         api.delete("/api/monitoring-groups/999999999/")):  # fmt: skip
            assert (response.status_code, response.json()) == (403, expected)
    assert state() == before
    # Read by the owner's users; another commune's do not see it.
    assert viewer.get(url).json()["units"] == [{"code": "XA", "name": "Đảng ủy xã An Bình"}]
    assert client_of(user_of(world.xb, Role.VIEWER)).get(url).json() == NOT_FOUND


# --- The hearing schedule -------------------------------------------------------------------


@pytest.fixture
def hearing(world):
    """A province plan, its task assigned to both communes (so that each reads the plan)."""
    directive = services.directive_create(actor=None, kind="plan", number="01-KH/TU",
                                          issued_on=dt.date(2026, 1, 5), issuing_unit=world.tu,
                                          title="Kế hoạch làm việc")  # fmt: skip
    task = services.task_create(actor=None, directive=directive, content="Báo cáo")
    services.assign_to_units(actor=None, task=task, level="commune", within=world.tu)
    world.directive, world.province = directive, client_of(user_of(world.tu))
    world.editor_b = user_of(world.xb)
    return world


def test_the_schedule_is_built_booked_and_read(hearing):
    w = hearing
    base = f"/api/directives/{w.directive.pk}/hearings/"
    slot = w.province.post(f"{base}slots/", {"day": "02/03/2026", "session": "morning",
                                             "place": "Hội trường tỉnh"}, format="json")  # fmt: skip
    assert slot.status_code == 201, slot.content
    pk = HearingSlot.objects.get().pk
    assert slot.json() == {"id": pk, "day": "2026-03-02", "session": "morning",
                           "session_label": "Sáng", "place": "Hội trường tỉnh", "booked": False,
                           "unit": None, "unit_name": None}  # fmt: skip
    invited = w.province.post(f"{base}invitations/", {"units": ["XA", "XB"]}, format="json")
    assert invited.json() == {"invited": 2, "total": 2}
    assert w.province.post(f"{base}invitations/", {"units": ["XA"]}, format="json").json() == {
        "invited": 0, "total": 2}  # fmt: skip
    inv_a, inv_b = HearingInvitation.objects.order_by("unit__path")
    booked = client_of(w.editor_a).post(f"/api/hearing-invitations/{inv_a.pk}/book/", {"slot": pk},
                                        format="json")  # fmt: skip
    assert booked.json() == {"id": inv_a.pk, "directive": w.directive.pk, "unit": "XA",
                             "unit_name": "Đảng ủy xã An Bình", "slot": pk, "editable": True}  # fmt: skip
    before = state()
    clash = client_of(w.editor_b).post(f"/api/hearing-invitations/{inv_b.pk}/book/", {"slot": pk},
                                       format="json")  # fmt: skip
    assert (clash.status_code, clash.json()) == (400, {"slot": [
        "Buổi 02/03/2026 (Sáng) đã có đơn vị khác đăng ký."]})  # fmt: skip
    # Commune B reads the slot as booked without the unit's name, and only its own invitation.
    seen = client_of(w.editor_b).get(base).json()
    assert seen == {"directive": w.directive.pk, "slots": [{
        "id": pk, "day": "2026-03-02", "session": "morning", "session_label": "Sáng",
        "place": "Hội trường tỉnh", "booked": True, "unit": None, "unit_name": None}],
        "invitations": [{"id": inv_b.pk, "directive": w.directive.pk, "unit": "XB",
                         "unit_name": "Đảng ủy xã Bình Minh", "slot": None, "editable": True}]}  # fmt: skip
    province_view = w.province.get(base).json()
    assert province_view["slots"][0]["unit"] == "XA"
    assert [(i["unit"], i["editable"]) for i in province_view["invitations"]] == [("XA", True),
                                                                                  ("XB", True)]  # fmt: skip
    # A booked slot stays; given back, it can go.
    removed = w.province.delete(f"/api/hearing-slots/{pk}/")
    assert (removed.status_code, removed.json()) == (400, {"non_field_errors": [
        "Buổi 02/03/2026 (Sáng) đã có Đảng ủy xã An Bình đăng ký: không thể xóa."]})  # fmt: skip
    assert state() == before
    back = client_of(w.editor_a).post(f"/api/hearing-invitations/{inv_a.pk}/book/", {"slot": None},
                                      format="json")  # fmt: skip
    assert back.json()["slot"] is None
    assert w.province.delete(f"/api/hearing-slots/{pk}/").status_code == 204
    assert w.province.delete(f"/api/hearing-invitations/{inv_b.pk}/").status_code == 204
    assert list(HearingInvitation.objects.values_list("unit__code", flat=True)) == ["XA"]
    assert HearingSlot.objects.count() == 0


@pytest.mark.parametrize(
    "path, body, errors",
    [
        ("slots/", {"day": "2026-01-04", "session": "morning"},
         {"day": ["Buổi làm việc không thể trước ngày ban hành văn bản."]}),
        ("slots/", {"day": "2026-03-02", "session": "morning"}, {"day": ["Lịch đã có buổi 02/03/2026 (Sáng)."]}),
        ("slots/", {"day": "2026-03-02", "session": "evening"},
         {"session": ["Giá trị không hợp lệ; chọn một trong: morning, afternoon."]}),
        ("invitations/", {"units": []}, {"units": ["Hãy chọn ít nhất một đơn vị."]}),
        ("invitations/", {}, {"units": ["Hãy chọn ít nhất một đơn vị."]}),
        ("invitations/", {"units": ["XA", "KHONGCO"]}, {"units": ["Không tìm thấy đơn vị có mã: KHONGCO."]}),
    ],
)  # fmt: skip
def test_bad_schedule_writes_are_refused(hearing, path, body, errors):
    HearingSlot.objects.create(directive=hearing.directive, day=dt.date(2026, 3, 2), session="morning")
    before = state()
    response = hearing.province.post(f"/api/directives/{hearing.directive.pk}/hearings/{path}", body,
                                     format="json")  # fmt: skip
    assert (response.status_code, response.json()) == (400, errors)
    assert state() == before


def test_who_may_write_the_schedule(hearing):
    w = hearing
    slot = HearingSlot.objects.create(directive=w.directive, day=dt.date(2026, 3, 2), session="morning")
    other = services.directive_create(actor=None, kind="plan", number="02-KH/TU",
                                      issued_on=dt.date(2026, 1, 5), issuing_unit=w.tu, title="Khác")  # fmt: skip
    foreign = HearingSlot.objects.create(directive=other, day=dt.date(2026, 3, 3), session="morning")
    invitation = HearingInvitation.objects.create(directive=w.directive, unit=w.xb)
    base = f"/api/directives/{w.directive.pk}/hearings/"
    before = state()
    commune = client_of(w.editor_a)
    # A commune reads the schedule and does not write it; another's invitation is out of sight.
    assert commune.get(base).status_code == 200
    assert commune.post(f"{base}slots/", {"day": "2026-03-03", "session": "morning"},
                        format="json").json() == NO_RIGHT  # fmt: skip
    assert commune.delete(f"/api/hearing-slots/{slot.pk}/").json() == NO_RIGHT
    assert commune.post(f"/api/hearing-invitations/{invitation.pk}/book/", {"slot": slot.pk},
                        format="json").json() == NOT_FOUND  # fmt: skip
    assert commune.delete(f"/api/hearing-invitations/{invitation.pk}/").json() == NOT_FOUND
    # The province reads commune B's invitation and may not book for it; a slot of another
    # directive is not found.
    assert w.province.post(f"/api/hearing-invitations/{invitation.pk}/book/", {"slot": slot.pk},
                           format="json").status_code == 200  # fmt: skip
    HearingInvitation.objects.filter(pk=invitation.pk).update(slot=None)
    assert client_of(w.editor_b).post(f"/api/hearing-invitations/{invitation.pk}/book/",
                                      {"slot": foreign.pk}, format="json").json() == {
        "slot": ["Không tìm thấy buổi làm việc này."]}  # fmt: skip
    assert client_of(w.viewer_a).post(f"{base}slots/", {"day": "2026-03-03", "session": "morning"},
                                      format="json").json() == VIEWER  # fmt: skip
    assert state()[:5] == before[:5]


# --- The API describes its writes -----------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/directives/", "/api/directives/{d}/", "/api/directives/{d}/tasks/",
                                  "/api/directives/{d}/hearings/slots/", "/api/tasks/{t}/",
                                  "/api/tasks/{t}/assign/", "/api/monitoring-groups/"])  # fmt: skip
def test_options_and_the_browsable_api_describe_the_bodies(hearing, path):
    path = path.format(d=hearing.directive.pk, t=Task.objects.get().pk)
    api = client_of(admin())
    described = api.options(path)
    assert described.status_code == 200
    if path.endswith("/assign/"):
        assert list(described.json()["actions"]["POST"]) == ["level", "kind", "unit", "group", "on"]
    page = api.get(path, HTTP_ACCEPT="text/html")
    assert page.status_code == (405 if path.endswith(("/assign/", "/slots/", "/tasks/")) else 200)
