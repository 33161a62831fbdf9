"""The directives API (issue 14): the Central Highlands case read through
/api/directives/{id}/rollup/, scope (a district sees its own assignment, the department
following the group its 959 units and not T99), the completion and its guards, and a
fixed number of queries whatever the number of units."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from canbo.accounts.models import Role
from canbo.core.models import AccessEvent, AuditEvent
from canbo.directives import services
from canbo.directives.models import Task, TaskAssignment
from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.organizations.models import Unit
from tests.factories import PersonFactory, UserFactory, grant, make_unit

from .test_rollups import region as region  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

FIGURES = ["13/13 (100,00%)", "221/222 (99,55%)", "709/724 (97,93%)"]


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def user_of(code, role=Role.VIEWER, include_subtree=True):
    user = UserFactory(role=role)
    grant(user, Unit.objects.get(code=code), include_subtree)
    return user


def admin():
    return UserFactory(role=Role.ADMIN)


def rollup(user, plan, query=""):
    return client_of(user).get(f"/api/directives/{plan.pk}/rollup/?as_of=2012-11-30{query}")


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- The regional case ---------------------------------------------------------------


def test_the_region_reads_13_of_13_221_of_222_and_709_of_724(region):  # noqa: F811
    plan, tasks, *_ = region
    response = rollup(admin(), plan, "&group=T%C3%A2y%20Nguy%C3%AAn")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["directive"], data["as_of"], data["unit"], data["group"]) == (
        plan.pk, "2012-11-30", None, "Tây Nguyên"
    )  # fmt: skip
    assert [r["text"] for r in data["tasks"]] == FIGURES
    assert data["tasks"][2] == {
        "task": tasks[2].pk, "content": "Cơ quan cấp tỉnh kiểm điểm", "deadline": "2012-09-30",
        "assigned": 724, "done_on_time": 700, "done_late": 9, "in_progress": 0, "overdue": 15,
        "not_started": 0, "cancelled": 0, "done": 709, "share_done": "97.93",
        "text": "709/724 (97,93%)",
    }  # fmt: skip
    assert data["tasks"][1]["share_done"] == "99.55"
    # The whole country (an administrator): the outside province's three committees too.
    national = rollup(admin(), plan).json()["tasks"]
    assert national[1]["text"] == "221/225 (98,22%)"
    first = rollup(admin(), plan, "&unit=T01").json()["tasks"]
    assert [r["text"] for r in first] == ["1/1 (100,00%)", "17/17 (100,00%)", "56/56 (100,00%)"]


def test_status_follows_the_date_asked(region):  # noqa: F811
    plan, *_ = region
    api = client_of(admin())
    before = api.get(f"/api/directives/{plan.pk}/rollup/?as_of=30/06/2012&group=Tây Nguyên")
    assert before.json()["tasks"][1]["not_started"] == 222
    assert api.get(f"/api/directives/{plan.pk}/rollup/?as_of=2012-05-31").json()["tasks"] == []


def test_the_department_following_the_group_reads_its_959_units_and_not_t99(region):  # noqa: F811
    plan, tasks, *_ = region
    department = user_of("V2")
    assert [r["text"] for r in rollup(department, plan).json()["tasks"]] == FIGURES
    assert [r["text"] for r in rollup(department, plan, "&group=Tây Nguyên").json()["tasks"]] == (
        FIGURES
    )
    rows = results(client_of(department).get("/api/assignments/?page_size=1000"))
    assert len(rows) == 959
    assert not [r for r in rows if r["unit"].startswith("T99")]
    outside = TaskAssignment.objects.get(unit__code="T99-H0")
    assert client_of(department).get(f"/api/assignments/{outside.pk}/").status_code == 404
    # T99 answers as a unit that does not exist, word for word.
    t99, none = rollup(department, plan, "&unit=T99"), rollup(department, plan, "&unit=T98")
    assert (t99.status_code, t99.json()) == (404, {"detail": "Không có đơn vị mã “T99”."})
    assert none.json() == {"detail": "Không có đơn vị mã “T98”."}
    groups = results(client_of(department).get("/api/monitoring-groups/"))
    assert [(g["name"], g["owner"], len(g["units"])) for g in groups] == [("Tây Nguyên", "V2", 13)]
    assert groups[0]["units"][0] == {"code": "T01", "name": "Tỉnh ủy 1"}


def test_a_district_sees_its_own_assignment_only(region):  # noqa: F811
    plan, tasks, *_ = region
    viewer = user_of("T03-H05")
    api = client_of(viewer)
    rows = results(api.get("/api/assignments/?as_of=2012-11-30"))
    assert [(r["unit"], r["task"], r["directive"], r["status"], r["status_label"]) for r in rows] == [
        ("T03-H05", tasks[1].pk, plan.pk, "done_on_time", "Hoàn thành đúng hạn")
    ]  # fmt: skip
    assert [d["number"] for d in results(api.get("/api/directives/"))] == ["10-KH/TW"]
    assert [r["text"] for r in rollup(viewer, plan).json()["tasks"]] == ["1/1 (100,00%)"]
    # Neither the group nor another district is theirs: as if they did not exist.
    assert rollup(viewer, plan, "&group=Tây Nguyên").json() == {"detail": "Không có nhóm “Tây Nguyên”."}
    assert rollup(viewer, plan, "&unit=T03-H06").status_code == 404
    assert results(api.get("/api/monitoring-groups/")) == []
    other = TaskAssignment.objects.get(unit__code="T03-H06")
    assert api.get(f"/api/assignments/{other.pk}/").status_code == 404
    # A viewer of a unit with no assignment sees no directive: 404 on it and its roll-up.
    stranger_user = UserFactory(role=Role.VIEWER)
    grant(stranger_user, make_unit("T50", "Tỉnh ủy khác"))
    stranger = client_of(stranger_user)
    assert stranger.get(f"/api/directives/{plan.pk}/").status_code == 404
    assert stranger.get(f"/api/directives/{plan.pk}/rollup/").status_code == 404
    assert results(stranger.get("/api/directives/")) == []


# --- Lists, filters, the detail ---------------------------------------------------


def test_assignments_by_status_on_a_date(region):  # noqa: F811
    plan, tasks, *_ = region
    api = client_of(admin())
    overdue = results(api.get(f"/api/assignments/?task={tasks[1].pk}&status=overdue&as_of=2012-11-30"))
    assert sorted(r["unit"] for r in overdue) == ["T13-H17", "T99-H0", "T99-H1", "T99-H2"]
    assert {r["deadline"] for r in overdue} == {"2012-09-30"}
    late = api.get(f"/api/assignments/?directive={plan.pk}&status=done_late&as_of=2012-10-15")
    assert late.json()["count"] == 9
    # T13's subtree: its open committee and the 15 open agencies (the last by path are T13's).
    in_t13 = api.get("/api/assignments/?unit=T13&status=overdue&as_of=2012-11-30").json()
    assert in_t13["count"] == 1 + 15
    # On the deadline the open committee is still in progress.
    on_deadline = api.get(f"/api/assignments/?task={tasks[1].pk}&unit=T13-H17&as_of=2012-09-30")
    assert [r["status"] for r in results(on_deadline)] == ["in_progress"]


@pytest.mark.parametrize(
    "query, errors",
    [
        ("as_of=2012-02-30", {"as_of": ["Ngày 2012-02-30 không tồn tại."]}),
        ("task=1.0", {"task": ["Mã số phải là một số nguyên dương."]}),
        ("task=99999999999999999999", {"task": ["Mã số phải là một số nguyên dương."]}),
        ("status=late", {"status": ["Hãy chọn một lựa chọn hợp lệ. late không phải là một trong các lựa chọn khả thi."]}),
    ],
)  # fmt: skip
def test_bad_assignment_queries_are_400_in_vietnamese(region, query, errors):  # noqa: F811
    response = client_of(admin()).get(f"/api/assignments/?{query}")
    assert (response.status_code, response.json()) == (400, errors)


def test_unknown_parameters_are_refused_naming_the_accepted_ones(region):  # noqa: F811
    plan, *_ = region
    api = client_of(admin())
    response = api.get(f"/api/directives/{plan.pk}/rollup/?as_off=2012-11-30")
    assert (response.status_code, response.json()) == (400, {"as_off": [
        "Tham số không được nhận. Các tham số được nhận: as_of, unit, group, format."
    ]})  # fmt: skip
    listed = api.get("/api/directives/?numero=1")
    assert listed.json() == {"numero": [
        "Tham số không được nhận. Các tham số được nhận: number, kind, issuing_unit, "
        "implements, page, page_size, format."
    ]}  # fmt: skip
    assert api.get("/api/assignments/?state=overdue").status_code == 400
    assert api.get("/api/monitoring-groups/?name=x").status_code == 400


def test_bad_roll_up_queries(region):  # noqa: F811
    plan, *_ = region
    api = client_of(admin())
    bad = api.get(f"/api/directives/{plan.pk}/rollup/?as_of=31/02/2012")
    assert (bad.status_code, bad.json()) == (400, {"as_of": [
        "Ngày 31/02/2012 không tồn tại."
    ]})  # fmt: skip
    both = api.get(f"/api/directives/{plan.pk}/rollup/?unit=T01&group=Tây Nguyên")
    assert (both.status_code, both.json()) == (400, {"non_field_errors": [
        "Chỉ chọn một trong hai: unit (đơn vị) hoặc group (nhóm)."
    ]})  # fmt: skip
    assert api.get("/api/directives/999999/rollup/").status_code == 404


def test_the_directive_list_filters(region):  # noqa: F811
    plan, tasks, group, provinces, _outside = region
    administrator = admin()
    province_plan = services.directive_create(
        actor=administrator, kind="plan", number="05-KH/TU", issued_on=dt.date(2012, 6, 20),
        issuing_unit=provinces[0], title="Kế hoạch thực hiện", implements=plan,
    )  # fmt: skip
    api = client_of(administrator)

    def numbers(query):
        return [d["number"] for d in results(api.get(f"/api/directives/?{query}"))]

    assert numbers("") == ["05-KH/TU", "10-KH/TW"]
    assert numbers("number=10-kh/tw") == ["10-KH/TW"]
    assert numbers("kind=plan&issuing_unit=T01") == ["05-KH/TU"]
    assert numbers(f"implements={plan.pk}") == ["05-KH/TU"]
    assert numbers("kind=resolution") == []
    assert api.get("/api/directives/?kind=decree").status_code == 400
    row = results(api.get("/api/directives/?issuing_unit=T01"))[0]
    assert row == {
        "id": province_plan.pk, "kind": "plan", "kind_label": "Kế hoạch", "number": "05-KH/TU",
        "issued_on": "2012-06-20", "issuing_unit": "T01", "issuing_unit_name": "Tỉnh ủy 1",
        "title": "Kế hoạch thực hiện", "summary": "", "implements": plan.pk,
    }  # fmt: skip
    # A province's own user does not read the central plan's page… unless assigned: T01 is.
    t01 = client_of(user_of("T01"))
    assert results(t01.get("/api/directives/?issuing_unit=T01"))[0]["implements"] == plan.pk
    # A district outside T01 reads the central plan (its assignment), not T01's plan.
    detail = client_of(user_of("T02-H00")).get(f"/api/directives/{plan.pk}/").json()
    assert detail["implemented_by"] == []
    assert client_of(administrator).get(f"/api/directives/{plan.pk}/").json()["implemented_by"] == [
        province_plan.pk
    ]


def test_the_detail_nests_tasks_and_logs_the_leaders_read(region):  # noqa: F811
    plan, tasks, *_ = region
    administrator = admin()
    leader = PersonFactory(family_name="Phạm", middle_name="Minh", given_name="Chính")
    section = services.task_create(actor=administrator, directive=plan, order=9,
                                   content="Tổng kết", leader=leader)  # fmt: skip
    child = services.task_create(
        actor=administrator, directive=plan, order=10, parent=section, content="Báo cáo tổng hợp",
        lead_unit=Unit.objects.get(code="V2"), coordinating_units=[Unit.objects.get(code="T01")],
        deadline=dt.date(2012, 11, 15),
    )  # fmt: skip
    api = client_of(administrator)
    before = AccessEvent.objects.count()
    data = api.get(f"/api/directives/{plan.pk}/").json()
    assert [t["content"] for t in data["tasks"]] == [
        "Tỉnh ủy kiểm điểm", "Cấp ủy cấp huyện kiểm điểm", "Cơ quan cấp tỉnh kiểm điểm", "Tổng kết"
    ]  # fmt: skip
    top = data["tasks"][3]
    assert top["leader"] == {"id": leader.pk, "full_name": leader.full_name}
    assert top["children"] == [{
        "id": child.pk, "parent": section.pk, "order": 10, "content": "Báo cáo tổng hợp",
        "lead_unit": "V2", "lead_unit_name": "Vụ Địa phương II", "coordinating_units": ["T01"],
        "leader": None, "deliverable": "report", "deliverable_label": "Báo cáo",
        "start_on": None, "working_days": None, "deadline": "2012-11-15", "cancelled_on": None,
        "cancel_reason": "", "children": [],
    }]  # fmt: skip
    assert "id_number" not in str(data)
    assert AccessEvent.objects.count() == before + 1
    event = AccessEvent.objects.latest("pk")
    assert (event.person_ids.split(), event.object_id, event.actor_id) == (
        [str(leader.pk)], str(plan.pk), administrator.pk
    )  # fmt: skip
    assert Task.objects.filter(directive=plan).count() == 5


# --- The completion -----------------------------------------------------------------


def completion(user, assignment, body):
    return client_of(user).post(f"/api/assignments/{assignment.pk}/completion/", body,
                                format="json")  # fmt: skip


def test_a_unit_records_its_completion_through_the_api(region):  # noqa: F811
    open_one = TaskAssignment.objects.get(completed_on=None, unit__code="T13-H17")
    editor = user_of("T13-H17", Role.EDITOR)
    response = completion(editor, open_one, {"completed_on": "02/10/2012", "note": "Đã kiểm điểm",
                                             "evidence": "Báo cáo số 12-BC/HU"})  # fmt: skip
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["completed_on"], data["note"], data["evidence"], data["status"]) == (
        "2012-10-02", "Đã kiểm điểm", "Báo cáo số 12-BC/HU", "done_late"
    )  # fmt: skip
    event = AuditEvent.objects.filter(object_id=str(open_one.pk)).latest("pk")
    assert event.changes["completed_on"] == [None, "2012-10-02"]
    # The date alone: the note and the evidence stay; null withdraws the completion.
    again = completion(editor, open_one, {"completed_on": None}).json()
    assert (again["completed_on"], again["note"], again["status"]) == (None, "Đã kiểm điểm", "overdue")


@pytest.mark.parametrize(
    "body, errors",
    [
        ({"completed_on": "2999-01-01"}, {"completed_on": ["Ngày hoàn thành không thể sau hôm nay."]}),
        ({"completed_on": "2012-05-31"},
         {"completed_on": ["Ngày hoàn thành không thể trước ngày ban hành văn bản."]}),
        ({"completed_on": "31/02/2012"},
         {"completed_on": ["Ngày 31/02/2012 không tồn tại."]}),
        ({}, {"completed_on": ["Trường này là bắt buộc."]}),
        ({"completed_on": "2012-10-02", "evidence": "a\nb"},
         {"evidence": ["Có ký tự điều khiển không được phép (U+000A, không hiển thị được); "
                       "hãy xóa ký tự này rồi nhập lại."]}),
    ],
)  # fmt: skip
def test_the_completion_guards_are_400_in_vietnamese(region, body, errors):  # noqa: F811
    open_one = TaskAssignment.objects.get(completed_on=None, unit__code="T13-H17")
    response = completion(user_of("T13-H17", Role.EDITOR), open_one, body)
    assert (response.status_code, response.json()) == (400, errors)
    open_one.refresh_from_db()
    assert (open_one.completed_on, open_one.evidence) == (None, "")


def test_who_may_not_record_a_completion(region):  # noqa: F811
    open_one = TaskAssignment.objects.get(completed_on=None, unit__code="T13-H17")
    body = {"completed_on": "2012-10-02"}
    audit = AuditEvent.objects.count()
    # A viewer of the district: refused first (403), as every write of a viewer.
    viewer = completion(user_of("T13-H17"), open_one, body)
    assert (viewer.status_code, viewer.json()) == (403, {"detail": "Bạn không có quyền thay đổi dữ liệu."})
    # A grant on the province alone does not reach its districts: not found.
    province_only = completion(user_of("T13", Role.EDITOR, include_subtree=False), open_one, body)
    missing = client_of(user_of("T13", Role.EDITOR, include_subtree=False)).post(
        "/api/assignments/999999999/completion/", body, format="json"
    )
    assert (province_only.status_code, province_only.json()) == (404, missing.json())
    # The department reads the district through its group, and may not write it.
    department = completion(user_of("V2", Role.EDITOR), open_one, body)
    assert (department.status_code, department.json()) == (
        403, {"detail": "Bạn không có quyền với đơn vị này."}
    )  # fmt: skip
    # Another district's editor: not found.
    assert completion(user_of("T13-H16", Role.EDITOR), open_one, body).status_code == 404
    open_one.refresh_from_db()
    assert open_one.completed_on is None
    assert AuditEvent.objects.count() == audit


# --- Queries ------------------------------------------------------------------------


def test_the_roll_up_takes_the_same_queries_whatever_the_number_of_units(
    region, django_assert_num_queries  # noqa: F811
):
    plan, tasks, group, provinces, _outside = region
    department, administrator = user_of("V2"), admin()
    asked = [(department, ""), (department, "&group=Tây Nguyên"), (department, "&unit=T04"),
             (administrator, ""), (administrator, "&group=Tây Nguyên")]  # fmt: skip
    counts = []
    for user, query in asked:
        rollup(user, plan, query)  # the user's grants read once
        with django_assert_num_queries(QUERIES[query]):
            assert rollup(user, plan, query).status_code == 200
    # Forty more districts in the region, assigned: the same number of queries.
    for n in range(40):
        make_unit(f"T05-HX{n:02}", f"Huyện ủy mới {n}", provinces[4], UnitKind.PARTY_COMMITTEE,
                  UnitLevel.DISTRICT)  # fmt: skip
    assert services.assign_to_units(actor=administrator, task=tasks[1], level=UnitLevel.DISTRICT,
                                    group=group) == 40  # fmt: skip
    for user, query in asked:
        with django_assert_num_queries(QUERIES[query]):
            response = rollup(user, plan, query)
        counts.append(response.json()["tasks"][1]["assigned"])
    assert counts == [262, 262, 17, 265, 262]


#: The directive (scoped), the unit or the group named (scoped), the tasks, the grouped
#: counts.
QUERIES = {"": 3, "&group=Tây Nguyên": 4, "&unit=T04": 4}
