"""The rotations' REST API: record, start, end, read; plans; findings; what-if (nothing
written); errors in Vietnamese; scope 200/404/403; reads logged; fixed query counts.

The world of tests/rotation/test_views.py: a province department (TU > SNV) and commune
A's committee; the province's editor and viewer; commune A's editor sees none of it.
"""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from canbo.core.models import AccessEvent, AuditEvent
from canbo.people.models import Assignment
from canbo.rotation.models import Rotation, RotationPlan

from .test_views import history
from .test_views import s as s  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

LIST_QUERIES = 4  # count, page, the access log (two)
FINDINGS_QUERIES = 9  # the unit, the rules in force, the facts (four), the log


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def apis(s, world):
    return api_for(s.editor), api_for(s.viewer), api_for(world.editor_a)


def test_a_rotation_from_its_plan_to_its_end(s, world, apis):
    editor, viewer, outsider = apis
    made = editor.post("/api/rotation-plans/", {"unit": "TU", "term": "2025-2030"}, format="json")
    assert made.status_code == 201, made.json()
    plan_id = made.json()["id"]
    assert made.json() == {"id": plan_id, "unit": "TU", "term": "2025-2030",
                           "name": "Kế hoạch luân chuyển Tỉnh ủy Thử Nghiệm nhiệm kỳ 2025–2030",
                           "note": ""}  # fmt: skip
    again = editor.post("/api/rotation-plans/", {"unit": "TU", "term": "2025-2030"}, format="json")
    assert (again.status_code, again.json()) == (
        400, {"non_field_errors": ["Cấp này đã có kế hoạch luân chuyển cho nhiệm kỳ 2025–2030."]})  # fmt: skip
    created = editor.post("/api/rotations/", {
        "person": "0010 7000 0020", "kind": "rotation", "purpose": "difficult_area",
        "to_position": s.secretary.pk, "competent_unit": "TU", "plan": plan_id}, format="json")  # fmt: skip
    assert created.status_code == 201, created.json()
    rid = created.json()["id"]
    assert created.json() | {"id": 0} == {
        "id": 0, "person": {"id_number": "001070000020", "full_name": "Lê Văn Cư"},
        "kind": "rotation", "purpose": "difficult_area", "from_position": None,
        "to_position": {"id": s.secretary.pk, "name": "Bí thư Đảng ủy xã – Đảng ủy xã An Bình"},
        "competent_unit": "TU", "plan": plan_id, "decision_number": "", "decision_date": None,
        "start_date": None, "planned_end": None, "shorter_approved": False, "actual_end": None,
        "outcome": "", "evaluation": "", "level_direction": "same", "across_localities": False,
        "across_sectors": False, "note": "",
    }  # fmt: skip
    url = f"/api/rotations/{rid}/"
    # The plan lists it, intended, with R1 and R2 (Cư is in no plan and has < 10 years left).
    plan = viewer.get(f"/api/rotation-plans/{plan_id}/?as_of=2026-06-01").json()
    assert [(x["rotation"]["id"], x["status"], x["rules"]) for x in plan["rotations"]] == [
        (rid, "intended", ["R1", "R2"])]  # fmt: skip
    # Ending before it started is refused; its start needs the decision.
    assert editor.post(url + "end/", {"actual_end": "2026-06-01", "outcome": "returned"},
                       format="json").json() == {"non_field_errors": ["Luân chuyển này chưa bắt đầu."]}  # fmt: skip
    refused = editor.post(url + "start/", {"start_date": "2026-05-01"}, format="json")
    assert (refused.status_code, refused.json()) == (400, {
        "decision_number": ["Hãy nhập số quyết định."], "decision_date": ["Hãy nhập ngày quyết định."]})  # fmt: skip
    assert viewer.post(url + "start/", {"start_date": "2026-05-01"}, format="json").status_code == 403
    assert outsider.post(url + "start/", {"start_date": "2026-05-01"}, format="json").status_code == 404
    started = editor.post(url + "start/", {"decision_number": "30-QĐ/TU", "decision_date": "20/04/2026",
                                           "start_date": "2026-05-01", "planned_end": "2029-05-01"},
                          format="json")  # fmt: skip
    assert started.status_code == 200, started.json()
    assert (started.json()["from_position"], started.json()["level_direction"],
            started.json()["across_localities"], started.json()["across_sectors"]) == (
        {"id": s.deputy.pk, "name": "Phó Giám đốc Sở – Sở Nội vụ"}, "down", True, True)  # fmt: skip
    ended = editor.post(url + "end/", {"actual_end": "2026-09-30", "outcome": "returned",
                                       "evaluation": "Hoàn thành tốt"}, format="json")  # fmt: skip
    assert ended.status_code == 200, ended.json()
    assert (ended.json()["actual_end"], ended.json()["outcome"]) == ("2026-09-30", "returned")
    assert history(s.cu) == [
        ("SNV-PGD", dt.date(2019, 1, 1), dt.date(2026, 4, 30), "appointed"),
        ("X-BT", dt.date(2026, 5, 1), dt.date(2026, 9, 30), "rotated"),
        ("SNV-PGD", dt.date(2026, 10, 1), None, "rotated"),
    ]
    audit = AuditEvent.objects.filter(content_type__model="rotation", object_id=str(rid))
    assert list(audit.order_by("id").values_list("action", flat=True)) == ["create", "update", "update"]
    # Reads name the person: logged.
    before = AccessEvent.objects.filter(kind="rotation", actor=s.viewer).count()
    assert viewer.get(url).status_code == 200
    assert AccessEvent.objects.filter(kind="rotation", actor=s.viewer).count() == before + 1
    assert outsider.get(url).status_code == 404
    assert outsider.get(f"/api/rotation-plans/{plan_id}/").status_code == 404
    assert [r["id"] for r in viewer.get("/api/rotations/").json()["results"]] == [rid, s.rotation.pk]
    assert outsider.get("/api/rotations/").json()["results"] == []


def test_names_outside_the_users_reach_are_not_found(s, world, apis):
    editor, viewer, outsider = apis
    body = {"person": "001070000020", "kind": "rotation", "purpose": "training",
            "to_position": s.secretary.pk, "competent_unit": "TU", "decision_number": "1",
            "decision_date": "2026-04-01", "start_date": "2026-04-02"}  # fmt: skip
    answer = outsider.post("/api/rotations/", body, format="json")
    assert (answer.status_code, answer.json()) == (400, {
        "person": ["Không có cán bộ với số định danh cá nhân này."],
        "competent_unit": ["Không có đơn vị với mã này."],
    })  # fmt: skip
    answer = outsider.post("/api/rotations/", {**body, "person": "001188000099",
                                               "to_position": s.deputy.pk}, format="json")  # fmt: skip
    assert answer.json()["to_position"] == ["Không có chức danh này."]
    refused = editor.post("/api/rotations/", {**body, "decision_date": "2026-04-03"}, format="json")
    assert (refused.status_code, refused.json()) == (400, {
        "non_field_errors": ["Ngày bắt đầu không được trước ngày quyết định."]})  # fmt: skip
    assert viewer.post("/api/rotations/", body, format="json").status_code == 403
    assert Rotation.objects.count() == 1 and RotationPlan.objects.count() == 0
    assert len(Assignment.objects.filter(person=s.cu)) == 1


def test_findings_of_a_subtree_and_a_what_if_writing_nothing(s, world, apis, django_assert_num_queries):
    editor, viewer, outsider = apis
    Rotation.objects.filter(pk=s.rotation.pk).update(planned_end=dt.date(2027, 3, 1))
    with django_assert_num_queries(FINDINGS_QUERIES):
        found = viewer.get("/api/rotations/findings/?unit=TU&as_of=2026-06-30")
    assert found.status_code == 200
    assert found.json() == [{
        "rule": "R3", "severity": "warning", "citation": "Nghị định 170/2025/NĐ-CP, Điều 26 và Điều 48",
        "message": found.json()[0]["message"], "reason": "planned",
        "rotation": {"id": s.rotation.pk, "kind": "rotation", "purpose": "training",
                     "start_date": "2026-03-01"},
        "position": {"id": s.secretary.pk, "name": "Bí thư Đảng ủy xã – Đảng ủy xã An Bình"},
        "person": "001085000010", "figures": found.json()[0]["figures"],
    }]  # fmt: skip
    assert found.json()[0]["figures"] == {"months": 12, "start": "2026-03-01", "end": "2027-03-01",
                                          "required": 36}  # fmt: skip
    assert viewer.get("/api/rotations/findings/?unit=XB").status_code == 200
    assert outsider.get("/api/rotations/findings/?unit=TU").status_code == 404
    assert outsider.get("/api/rotations/findings/").json() == []
    # What if Cư (no planning entry; under ten years left) were rotated for 24 months?
    before = (Rotation.objects.count(), Assignment.objects.count(), AuditEvent.objects.count())
    body = {"person": "001070000020", "kind": "rotation", "purpose": "training",
            "to_position": s.secretary.pk, "competent_unit": "TU", "start_date": "2026-07-01",
            "planned_end": "2028-07-01", "as_of": "2026-06-30"}  # fmt: skip
    answer = viewer.post("/api/rotations/what-if/", body, format="json")
    assert answer.status_code == 200, answer.json()
    data = answer.json()
    assert (data["as_of"], [(f["rule"], f["reason"], f["rotation"]["id"]) for f in data["findings"]]) == (
        "2026-07-01", [("R1", "", 0), ("R2", "", 0), ("R3", "planned", 0)])  # fmt: skip
    assert data["findings"][0]["message"] == (
        "Lê Văn Cư được luân chuyển (01/07/2026) nhưng không có trong quy hoạch nào.")
    # For the non-local rule, one term is enough (R2 reduced); shorter decided: no R3.
    answer = viewer.post("/api/rotations/what-if/", {**body, "purpose": "non_local",
                                                     "shorter_approved": True}, format="json")  # fmt: skip
    assert [f["rule"] for f in answer.json()["findings"]] == ["R1"]
    assert (Rotation.objects.count(), Assignment.objects.count(), AuditEvent.objects.count()) == before
    assert AccessEvent.objects.filter(actor=s.viewer, kind="rotation", query="what-if").count() == 2
    wrong = viewer.post("/api/rotations/what-if/", {**body, "planned_end": "2026-06-01"}, format="json")
    assert (wrong.status_code, wrong.json()) == (400, {
        "planned_end": ["Ngày dự kiến kết thúc phải sau ngày bắt đầu."]})  # fmt: skip


def test_the_list_reads_a_fixed_number_of_queries(s, world, apis, django_assert_num_queries):
    from canbo.rotation import services
    from tests.planning.factories import hold, make_person

    for i in range(4):
        person = make_person("Phạm", "Văn", f"Số{i}", "M", dt.date(1980, 1, 1 + i), unit=world.tu)
        hold(person, s.deputy)
        services.rotation_create(actor=None, person=person, kind="transfer", purpose="other",
                                 to_position=s.secretary, competent_unit=world.tu,
                                 decision_number="9", decision_date=dt.date(2026, 4, 1),
                                 start_date=dt.date(2026, 4, 2))  # fmt: skip
    with django_assert_num_queries(LIST_QUERIES):
        assert viewer_count(apis[1]) == 5


def viewer_count(api) -> int:
    return api.get("/api/rotations/").json()["count"]
