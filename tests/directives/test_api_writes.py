"""Writing directives through the API (issue 14): create and change a directive, its file,
its tasks. Thin over `services` and `editing`: who may (the editors of the issuing unit),
what is refused (a viewer 403; a directive out of sight 404, a unit out of sight 400 beside
its field, word for word as one that does not exist), messages in Vietnamese, nothing
written on a refusal, and every write audited with before and after."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from canbo.accounts.models import Role
from canbo.core.models import AccessEvent, AuditEvent
from canbo.directives import services
from canbo.directives.models import Directive, Task, TaskAssignment
from tests.factories import PersonFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Không tìm thấy."}
VIEWER = {"detail": "Bạn không có quyền thay đổi dữ liệu."}
NO_RIGHT = {"detail": "Bạn không có quyền với đơn vị này."}
NEW = {"kind": "resolution", "number": "05-NQ/ĐU", "issued_on": "05/01/2026",
       "issuing_unit": "XA", "title": "Nghị quyết về xây dựng Đảng", "summary": "Tóm tắt"}  # fmt: skip


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def user_of(unit, role=Role.EDITOR, include_subtree=True):
    user = UserFactory(role=role)
    grant(user, unit, include_subtree)
    return user


def state():
    """What a directive write may touch."""
    return (list(Directive.objects.order_by("pk").values()), list(Task.objects.order_by("pk").values()),
            list(TaskAssignment.objects.order_by("pk").values()), AuditEvent.objects.count())  # fmt: skip


def plan_of(unit, number="01-KH/X", **extra):
    return services.directive_create(actor=None, kind="plan", number=number,
                                     issued_on=dt.date(2026, 1, 5), issuing_unit=unit,
                                     title="Kế hoạch kiểm điểm", **extra)  # fmt: skip


# --- Creating a directive ----------------------------------------------------------------


def test_an_editor_creates_a_directive_of_its_unit(world):
    response = client_of(world.editor_a).post("/api/directives/", NEW, format="json")
    assert response.status_code == 201, response.content
    directive = Directive.objects.get()
    assert response.json() == {
        "id": directive.pk, "kind": "resolution", "kind_label": "Nghị quyết", "number": "05-NQ/ĐU",
        "issued_on": "2026-01-05", "issuing_unit": "XA", "issuing_unit_name": "Đảng ủy xã An Bình",
        "title": "Nghị quyết về xây dựng Đảng", "summary": "Tóm tắt", "implements": None,
    }  # fmt: skip
    event = AuditEvent.objects.get()
    assert (event.action, event.actor_id, event.object_id) == ("create", world.editor_a.pk,
                                                                str(directive.pk))  # fmt: skip
    assert event.changes["number"] == [None, "05-NQ/ĐU"]
    assert event.changes["issuing_unit"] == [None, world.xa.pk]


@pytest.mark.parametrize("code", ["XB", "TU", "KHONGCO"])
def test_an_issuing_unit_the_user_may_not_edit_is_not_found(world, code):
    before = state()
    response = client_of(world.editor_a).post("/api/directives/", {**NEW, "issuing_unit": code},
                                              format="json")  # fmt: skip
    assert (response.status_code, response.json()) == (
        400, {"issuing_unit": ["Không tìm thấy đơn vị này."]}
    )  # fmt: skip
    assert state() == before


def test_a_one_unit_grant_does_not_reach_a_childs_directive(world):
    """A grant of the province unit alone: its own directives, not its communes'."""
    province_only = client_of(user_of(world.tu, include_subtree=False))
    child = plan_of(world.xa)
    before = state()
    refused = province_only.post("/api/directives/", NEW, format="json")
    assert (refused.status_code, refused.json()) == (400, {"issuing_unit": ["Không tìm thấy đơn vị này."]})
    # The commune's directive is out of sight: not found, as one that does not exist.
    patched = province_only.patch(f"/api/directives/{child.pk}/", {"title": "Đổi"}, format="json")
    missing = province_only.patch("/api/directives/999999999/", {"title": "Đổi"}, format="json")
    assert (patched.status_code, patched.json()) == (404, missing.json())
    # Seen through a task assigned to the province: readable, and still not its to change.
    services.task_create(actor=None, directive=child, content="Báo cáo", lead_unit=world.tu)
    before = state()
    seen = province_only.patch(f"/api/directives/{child.pk}/", {"title": "Đổi"}, format="json")
    assert (seen.status_code, seen.json()) == (403, NO_RIGHT)
    assert state() == before
    own = province_only.post("/api/directives/", {**NEW, "issuing_unit": "TU"}, format="json")
    assert (own.status_code, own.json()["issuing_unit"]) == (201, "TU")


def test_a_viewer_may_not_write(world):
    directive = plan_of(world.xa)
    viewer = client_of(world.viewer_a)
    before = state()
    for response in (viewer.post("/api/directives/", NEW, format="json"),
                     viewer.patch(f"/api/directives/{directive.pk}/", {"title": "Đổi"}, format="json"),
                     viewer.post(f"/api/directives/{directive.pk}/tasks/", {"content": "Mới"},
                                 format="json"),
                     viewer.delete(f"/api/directives/{directive.pk}/file/")):  # fmt: skip
        assert (response.status_code, response.json()) == (403, VIEWER)
    assert state() == before


@pytest.mark.parametrize(
    "change, errors",
    [
        ({"kind": "decree"}, {"kind": ["Giá trị không hợp lệ; chọn một trong: resolution, directive, "
                                       "conclusion, plan, guidance, letter."]}),
        ({"issued_on": "31/02/2026"},
         {"issued_on": ["Ngày 31/02/2026 không tồn tại."]}),
        ({"number": ""}, {"number": ["Trường này không được bỏ trống."]}),
        ({"title": None}, {"title": ["Trường này không được để trống."]}),
        ({"title": "a\u202eb"}, {"title": ["Có ký tự đảo chiều văn bản không được phép (U+202E, làm "
                                           "chữ hiển thị sai thứ tự); hãy xóa ký tự này rồi nhập lại."]}),
        ({"implements": 999999999}, {"implements": ["Không tìm thấy văn bản này."]}),
        ({"implements": 0}, {"implements": ["Giá trị không được nhỏ hơn 1."]}),
    ],
)  # fmt: skip
def test_bad_input_is_400_beside_the_field_and_writes_nothing(world, change, errors):
    before = state()
    response = client_of(world.editor_a).post("/api/directives/", {**NEW, **change}, format="json")
    assert (response.status_code, response.json()) == (400, errors)
    assert state() == before


def test_missing_fields_are_named(world):
    response = client_of(world.editor_a).post("/api/directives/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {name: ["Trường này là bắt buộc."]
                               for name in ("kind", "number", "issued_on", "issuing_unit", "title")}  # fmt: skip


def test_the_same_number_twice_for_a_unit_is_refused(world):
    plan_of(world.xa, number="05-NQ/ĐU")
    before = state()
    response = client_of(world.editor_a).post("/api/directives/", NEW, format="json")
    assert (response.status_code, response.json()) == (400, {"non_field_errors": [
        "Cơ quan ban hành này đã có văn bản cùng số, ký hiệu."
    ]})  # fmt: skip
    assert state() == before


# --- Changing a directive ---------------------------------------------------------------


def test_an_editor_changes_the_fields_sent_audited_before_and_after(world):
    province = plan_of(world.tu, number="02-KH/TU")  # read by the commune through its task
    services.task_create(actor=None, directive=province, content="Kiểm điểm", lead_unit=world.xa)
    directive = plan_of(world.xa)
    response = client_of(world.editor_a).patch(
        f"/api/directives/{directive.pk}/", {"title": "Kế hoạch sơ kết", "implements": province.pk},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["title"], data["number"], data["implements"]) == ("Kế hoạch sơ kết", "01-KH/X", province.pk)
    directive.refresh_from_db()
    assert (directive.title, directive.implements_id) == ("Kế hoạch sơ kết", province.pk)
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.actor_id) == ("update", world.editor_a.pk)
    assert event.changes == {"title": ["Kế hoạch kiểm điểm", "Kế hoạch sơ kết"],
                             "implements": [None, province.pk]}  # fmt: skip


@pytest.mark.parametrize(
    "change, errors",
    [
        ({"issuing_unit": "XB"}, {"issuing_unit": ["Không tìm thấy đơn vị này."]}),
        ({"issued_on": ""}, {"issued_on": ["Ngày không hợp lệ; hãy viết dd/mm/yyyy hoặc yyyy-mm-dd."]}),
        ({"implements": "self"}, {"implements": ["Một văn bản không thể thực hiện chính nó (vòng lặp)."]}),
        ({"implements": "later"},
         {"implements": ["Văn bản được thực hiện phải ban hành trước hoặc cùng ngày."]}),
    ],
)  # fmt: skip
def test_a_change_refused_writes_nothing(world, change, errors):
    directive = plan_of(world.xa)
    later = services.directive_create(actor=None, kind="plan", number="09-KH/X",
                                      issued_on=dt.date(2026, 2, 1), issuing_unit=world.xa,
                                      title="Sau")  # fmt: skip
    names = {"self": directive.pk, "later": later.pk}
    change = {k: names.get(v, v) for k, v in change.items()}
    before = state()
    response = client_of(world.editor_a).patch(f"/api/directives/{directive.pk}/", change,
                                               format="json")  # fmt: skip
    assert (response.status_code, response.json()) == (400, errors)
    assert state() == before


def test_a_directive_of_another_commune_is_not_found(world):
    other = plan_of(world.xb)
    editor = client_of(world.editor_a)
    before = state()
    for method, suffix, body in (("patch", "", {"title": "Đổi"}), ("post", "tasks/", {"content": "M"}),
                                 ("get", "file/", None), ("delete", "file/", None),
                                 ("get", "hearings/", None)):  # fmt: skip
        outside = getattr(editor, method)(f"/api/directives/{other.pk}/{suffix}", body, format="json")
        missing = getattr(editor, method)(f"/api/directives/999999999/{suffix}", body, format="json")
        assert (outside.status_code, outside.json()) == (404, NOT_FOUND)
        assert missing.json() == NOT_FOUND
    assert state() == before


# --- The directive's file ------------------------------------------------------------------


@pytest.fixture
def files(settings, tmp_path):
    settings.CANBO_ATTACHMENT_DIR = tmp_path / "attachments"
    settings.CANBO_ATTACHMENT_MAX_BYTES = 1000
    return settings.CANBO_ATTACHMENT_DIR


def test_the_file_is_attached_read_and_removed(world, files, django_capture_on_commit_callbacks):
    directive = plan_of(world.xa)
    editor = client_of(world.editor_a)
    upload = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 ke hoach", "application/pdf")
    response = editor.put(f"/api/directives/{directive.pk}/file/", {"file": upload},
                          format="multipart")  # fmt: skip
    assert (response.status_code, response.json()) == (200, {"file_name": "ke-hoach.pdf", "file_size": 17})
    directive.refresh_from_db()
    assert [p.name for p in files.iterdir()] == [directive.file_key]
    assert AuditEvent.objects.latest("pk").changes["file_name"] == ["", "ke-hoach.pdf"]
    # Read by whoever reads the directive (the viewer of the commune), as an attachment.
    read = client_of(world.viewer_a).get(f"/api/directives/{directive.pk}/file/")
    assert read.status_code == 200
    assert b"".join(read.streaming_content) == b"%PDF-1.4 ke hoach"
    assert read["Content-Disposition"] == 'attachment; filename="ke-hoach.pdf"'
    assert read["Cache-Control"].startswith("no-store")
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once committed
        gone = editor.delete(f"/api/directives/{directive.pk}/file/")
    assert gone.status_code == 204
    directive.refresh_from_db()
    assert (directive.file_name, directive.file_key, list(files.iterdir())) == ("", "", [])
    assert editor.get(f"/api/directives/{directive.pk}/file/").json() == NOT_FOUND


@pytest.mark.parametrize(
    "upload, errors",
    [
        (None, {"file": ["Hãy chọn tệp."]}),
        (SimpleUploadedFile("virus.exe", b"MZ"), {"file": [
            "Chỉ nhận tệp .pdf, .doc, .docx, .odt, .xls, .xlsx, .ods, .jpg, .jpeg, .png, .txt, .zip."]}),
        (SimpleUploadedFile("big.pdf", b"x" * 1001), {"file": ["Tệp quá lớn (tối đa 1000 byte)."]}),
        (SimpleUploadedFile("empty.pdf", b""), {"file": ["Tệp rỗng."]}),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused(world, files, upload, errors):
    directive = plan_of(world.xa)
    before = state()
    response = client_of(world.editor_a).put(f"/api/directives/{directive.pk}/file/",
                                             {} if upload is None else {"file": upload},
                                             format="multipart")  # fmt: skip
    assert (response.status_code, response.json()) == (400, errors)
    assert state() == before
    assert not files.exists() or list(files.iterdir()) == []


# --- Tasks ---------------------------------------------------------------------------------


def test_a_task_with_working_days_gets_its_deadline_and_its_lead_units_assignment(world):
    directive = plan_of(world.tu, number="02-KH/TU")
    leader = PersonFactory(family_name="Phạm", middle_name="Minh", given_name="Chính", unit=world.tu)
    editor = client_of(user_of(world.tu))
    # 27/04/2026 is a Monday; 30/04 and 01/05 are public holidays, 02-03/05 a weekend.
    response = editor.post(f"/api/directives/{directive.pk}/tasks/", {
        "content": "Sơ kết", "lead_unit": "XA", "coordinating_units": ["XB", "TU"],
        "leader": leader.pk, "deliverable": "meeting", "start_on": "27/04/2026", "working_days": 5,
    }, format="json")  # fmt: skip
    assert response.status_code == 201, response.content
    task = Task.objects.get()
    assert response.json() == {
        "id": task.pk, "parent": None, "order": 1, "content": "Sơ kết", "lead_unit": "XA",
        "lead_unit_name": "Đảng ủy xã An Bình", "coordinating_units": ["TU", "XB"],
        "leader": {"id": leader.pk, "full_name": "Phạm Minh Chính"}, "deliverable": "meeting",
        "deliverable_label": "Hội nghị", "start_on": "2026-04-27", "working_days": 5,
        "deadline": "2026-05-06", "cancelled_on": None, "cancel_reason": "", "children": [],
    }  # fmt: skip
    assert list(TaskAssignment.objects.values_list("task_id", "unit__code")) == [(task.pk, "XA")]
    assert AuditEvent.objects.filter(action="create", object_id=str(task.pk),
                                     content_type__model="task").count() == 1  # fmt: skip
    # The leader shown is personal data: the answer is in the access log.
    assert AccessEvent.objects.latest("pk").person_ids.split() == [str(leader.pk)]
    # A second task under it: the next number, nested in the parent's answer.
    child = editor.post(f"/api/directives/{directive.pk}/tasks/",
                        {"content": "Báo cáo", "parent": task.pk}, format="json").json()  # fmt: skip
    assert (child["order"], child["parent"], child["deadline"]) == (2, task.pk, None)
    detail = editor.get(f"/api/tasks/{task.pk}/").json()
    assert [c["content"] for c in detail["children"]] == ["Báo cáo"]


@pytest.mark.parametrize(
    "body, errors",
    [
        ({}, {"content": ["Trường này là bắt buộc."]}),
        ({"content": "X", "lead_unit": "XB"}, {"lead_unit": ["Không tìm thấy đơn vị này."]}),
        ({"content": "X", "coordinating_units": ["XB", "KHONGCO", "XA"]},
         {"coordinating_units": ["Không tìm thấy đơn vị có mã: XB, KHONGCO."]}),
        ({"content": "X", "coordinating_units": "XA"},
         {"coordinating_units": ["Cần một danh sách mã đơn vị."]}),
        ({"content": "X", "leader": "person_b"}, {"leader": ["Không tìm thấy cán bộ này."]}),
        ({"content": "X", "parent": "task_b"}, {"parent": ["Không tìm thấy nhiệm vụ này."]}),
        ({"content": "X", "working_days": 3},
         {"start_on": ["Thời hạn tính theo ngày làm việc cần ngày bắt đầu."]}),
        ({"content": "X", "working_days": 401}, {"working_days": ["Giá trị không được lớn hơn 400."]}),
        ({"content": "X", "start_on": "2026-03-01", "deadline": "2026-02-01"},
         {"deadline": ["Thời hạn phải từ ngày bắt đầu trở đi."]}),
        ({"content": "X", "deliverable": "speech"}, {"deliverable": [
            "Giá trị không hợp lệ; chọn một trong: report, project, document, meeting, other."]}),
    ],
)  # fmt: skip
def test_a_bad_task_is_refused_beside_its_field(world, body, errors):
    """Units, people and tasks of commune B are not found, as ones that do not exist."""
    directive = plan_of(world.xa)
    other = services.task_create(actor=None, directive=plan_of(world.xb, number="01-KH/XB"),
                                 content="B")  # fmt: skip
    names = {"person_b": PersonFactory(unit=world.xb).pk, "task_b": other.pk}
    body = {k: names.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    before = state()
    response = client_of(world.editor_a).post(f"/api/directives/{directive.pk}/tasks/", body,
                                              format="json")  # fmt: skip
    assert (response.status_code, response.json()) == (400, errors)
    assert state() == before


def test_a_task_is_changed_cancelled_and_its_lead_unit_moved(world):
    directive = plan_of(world.tu, number="02-KH/TU")
    task = services.task_create(actor=None, directive=directive, content="Kiểm điểm",
                                lead_unit=world.xa)  # fmt: skip
    editor = client_of(user_of(world.tu))
    url = f"/api/tasks/{task.pk}/"
    before = state()
    refused = editor.patch(url, {"cancelled_on": "2026-02-01"}, format="json")
    assert (refused.status_code, refused.json()) == (400, {"cancel_reason": ["Hãy ghi lý do hủy."]})
    early = editor.patch(url, {"cancelled_on": "2026-01-01", "cancel_reason": "Trùng"}, format="json")
    assert early.json() == {"cancelled_on": ["Ngày hủy không thể trước ngày ban hành văn bản."]}
    assert state() == before
    moved = editor.patch(url, {"lead_unit": "XB", "cancelled_on": "01/02/2026",
                               "cancel_reason": "Không còn phù hợp"}, format="json")  # fmt: skip
    assert moved.status_code == 200, moved.content
    data = moved.json()
    assert (data["lead_unit"], data["cancelled_on"], data["cancel_reason"], data["content"]) == (
        "XB", "2026-02-01", "Không còn phù hợp", "Kiểm điểm"
    )  # fmt: skip
    # The untouched assignment of the old lead unit is taken back; the new one has its own.
    assert list(TaskAssignment.objects.values_list("unit__code", flat=True)) == ["XB"]
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.changes["lead_unit"], event.changes["cancel_reason"]) == (
        "update", [world.xa.pk, world.xb.pk], ["", "Không còn phù hợp"]
    )  # fmt: skip


def test_who_may_change_a_task(world):
    directive = plan_of(world.tu, number="02-KH/TU")
    task = services.task_create(actor=None, directive=directive, content="Kiểm điểm",
                                lead_unit=world.xa)  # fmt: skip
    url = f"/api/tasks/{task.pk}/"
    before = state()
    # The commune reads the province's task through its assignment, and may not change it.
    commune = client_of(world.editor_a)
    assert commune.get(url).status_code == 200
    assert (commune.patch(url, {"content": "Đổi"}, format="json").json()) == NO_RIGHT
    assert client_of(world.viewer_a).patch(url, {"content": "Đổi"}, format="json").json() == VIEWER
    # Commune B reads nothing of it.
    outsider = client_of(user_of(world.xb))
    assert (outsider.get(url).status_code, outsider.patch(url, {}, format="json").json()) == (404, NOT_FOUND)
    assert outsider.post(f"{url}assign/", {"level": "commune", "unit": "XB"},
                         format="json").json() == NOT_FOUND  # fmt: skip
    assert state() == before
