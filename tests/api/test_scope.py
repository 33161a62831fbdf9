"""Scope, endpoint by endpoint: a viewer and an editor of commune A (unit XA) never reach
commune B (unit XB), and every refused write leaves the database exactly as it was."""

import pytest

from .conftest import Endpoint, check_scope, db_state, results

NEW_PERSON = {
    "id_number": "001090000010",
    "family_name": "Lê",
    "middle_name": "Thị",
    "given_name": "Hoa",
    "sex": "F",
    "birth_date": "05/03/1990",
    "unit": "XA",
}


# --- The matrix: every endpoint, a viewer and an editor of commune A ------------------
# One line per endpoint: (method, path, status for a viewer, for an editor, body, out).
# `check_scope` asks it of commune B and of records that do not exist (same answer, 404,
# nothing written), then of commune A (the status given; nothing of commune B shown).

PERSON = {"id_number": "001090000010", "family_name": "Lê", "given_name": "Hoa", "sex": "F",
          "birth_date": "05/03/1990", "unit": "{unit}"}  # fmt: skip
PERSON_EDIT = {**PERSON, "id_number": "{person}", "given_name": "Ánh"}
PLACED = {"person": "{person}", "position": "{position}"}

DIRECTIVE = {"kind": "plan", "number": "02-KH/{unit}", "issued_on": "05/01/2026",
             "issuing_unit": "{unit}", "title": "Kế hoạch sơ kết"}  # fmt: skip
TASK = {"content": "Sơ kết", "lead_unit": "{unit}", "deadline": "2026-06-30"}
SLOT = {"day": "2026-03-03", "session": "afternoon", "place": "Hội trường"}
GROUP = {"name": "Nhóm mới", "owner": "{unit}", "units": ["{unit}"]}
SESSION = {"unit": "{unit}", "year": 2025, "held_on": "2025-12-15", "summoned": 30,
           "present": 27}  # fmt: skip
VOTE_TALLY = {"round_no": 1, "rows": [{"person": "{person}", "high": 10, "normal": 12, "low": 5}]}
CASE = {"person": "{person}", "kind": "nominate", "position": "{position}",
        "competent_unit": "{unit}", "opened_on": "2026-01-07"}  # fmt: skip

ROTATION = {"person": "{person}", "kind": "rotation", "purpose": "training",
            "to_position": "{position}", "competent_unit": "{unit}", "plan": "{rotation_plan}"}  # fmt: skip
ROTATION_WHAT_IF = {"person": "{person}", "kind": "rotation", "purpose": "training",
                    "to_position": "{position}", "competent_unit": "{unit}",
                    "start_date": "2026-02-01", "planned_end": "2029-02-01"}  # fmt: skip
TALLY = {"round": 1, "ballots_valid": 9, "votes": [{"person": "{candidate}", "votes_for": 6}]}
REPORT_ROUND = {"form_codes": ["{form}"], "period_kind": "annual", "year": 2026,
                "deadline": "2026-12-31", "issuing_unit": "{unit}", "level": "commune"}  # fmt: skip
OPENED = {"round": "{report_round}", "unit": "{unit}", "form": "{form}"}
CORRECTED = {"row": "total", "column": "women", "value": 3, "reason": "Hồ sơ chưa cập nhật"}

MATRIX = [
    Endpoint("get", "/api/people/", 200, 200, out=None),
    Endpoint("get", "/api/people/{person}/", 200, 200),
    Endpoint("get", "/api/people/{person}/2c/", 200, 200),  # the 2C record (DOCX)
    Endpoint("get", "/api/people/{person}/2c/?format=pdf", 200, 200),
    Endpoint("get", "/api/key-leaders/?unit={unit}", 200, 200),  # unknown unit: 404
    Endpoint("get", "/api/report-forms/", 200, 200, out=None, scoped=False),
    Endpoint("get", "/api/report-forms/{form}/", 200, 200, out=None, scoped=False),
    Endpoint("get", "/api/report-forms/{form}/report/?unit={unit}", 200, 200),  # unknown unit: 404
    Endpoint("options", "/api/people/{person}/", 200, 200, out=200),  # no "actions" outside
    Endpoint("post", "/api/people/", 403, 201, PERSON, out=400),
    Endpoint("put", "/api/people/{person}/", 403, 200, PERSON_EDIT),
    Endpoint("patch", "/api/people/{person}/", 403, 200, {"middle_name": "Văn"}),
    Endpoint("get", "/api/units/", 200, 200, out=None),
    Endpoint("get", "/api/units/{unit}/", 200, 200),
    Endpoint("get", "/api/positions/", 200, 200, out=None),
    Endpoint("get", "/api/positions/{position}/", 200, 200),
    Endpoint("get", "/api/areas/", 200, 200, out=None),
    Endpoint("get", "/api/areas/{area}/", 200, 200, scoped=False),
    Endpoint("get", "/api/plans/", 200, 200, out=None),
    Endpoint(
        "post", "/api/plans/", 403, 201, {"planning_unit": "{unit}", "term": "2035-2040"}, out=400
    ),  # fmt: skip
    Endpoint("get", "/api/plans/{plan}/", 200, 200),
    Endpoint("post", "/api/plans/{plan}/submit/", 403, 200, {}),
    Endpoint(
        "post",
        "/api/plans/{plan}/approve/",
        403,
        400,
        {"approver_unit": "{unit}", "decision_number": "1", "decision_date": "2026-02-01"},
    ),  # fmt: skip
    Endpoint("post", "/api/plans/{plan}/publish/", 403, 400, {}),
    Endpoint("post", "/api/plans/{plan}/reopen/", 403, 400, {"reason": "Bổ sung"}),
    Endpoint("post", "/api/plans/{plan}/entries/", 403, 201, PLACED),
    Endpoint("get", "/api/plans/{plan}/reviews/", 200, 200),
    Endpoint("post", "/api/plans/{plan}/reviews/", 403, 400, {"reviewed_on": "2026-02-01"}),
    Endpoint("get", "/api/plans/{plan}/findings/", 200, 200),
    Endpoint("post", "/api/plans/{plan}/what-if/", 200, 200, {"additions": [PLACED]}),
    Endpoint("get", "/api/plans/{plan}/figures/", 200, 200),
    Endpoint("get", "/api/plans/{plan}/bench/", 200, 200),
    Endpoint("get", "/api/plan-entries/{entry}/", 200, 200),
    Endpoint("post", "/api/plan-entries/{entry}/remove/", 403, 200, {"removal_reason": "moved"}),
    Endpoint("get", "/api/planning/findings/?unit={unit}", 200, 200),
    # Placement proposals (a read: nothing saved); a unit outside the scope: 404.
    Endpoint("get", "/api/rotation-proposals/?unit={unit}&mode=chosen&positions={position}", 200, 200),
    Endpoint("get", "/api/appointment-cases/", 200, 200, out=None),
    Endpoint("get", "/api/appointment-cases/calendar/?unit={unit}", 200, 200),
    Endpoint("get", "/api/appointment-cases/dismissal-queue/?unit={unit}", 200, 200),
    Endpoint("get", "/api/appointment-cases/{case}/", 200, 200),
    Endpoint("post", "/api/appointment-cases/", 403, 201, CASE, out=400),
    Endpoint("post", "/api/appointment-cases/{case}/dossier/", 403, 200,
             {"received_on": "2026-01-08", "complete_on": "2026-01-09"}),  # fmt: skip
    Endpoint("post", "/api/appointment-cases/{case}/close/", 403, 200,
             {"closed_on": "2026-01-10", "outcome": "stopped"}),  # fmt: skip
    Endpoint("get", "/api/appointment-cases/{case}/steps/", 200, 200),
    # A read (logged): its body names no record, so it has no body check of its own.
    Endpoint("post", "/api/appointment-cases/{case}/what-if/", 200, 200),
    Endpoint("post", "/api/appointment-cases/{case}/steps/", 403, 201,
             {"number": 2, "held_on": "2026-01-09", "summoned": 9, "present": 8}),  # fmt: skip
    Endpoint("post", "/api/appointment-cases/{case}/steps/{step}/tally/", 403, 200, TALLY),
    Endpoint("post", "/api/appointment-cases/{case}/steps/{step}/close/", 403, 400,
             {"closed_on": "2026-01-09"}),  # one entry only: refused  # fmt: skip
    # Confidence-vote sessions and evaluation rounds (the body's unit): Ánh is voted on in A.
    Endpoint("get", "/api/vote-sessions/", 200, 200, out=None),
    Endpoint("get", "/api/vote-sessions/{session}/", 200, 200),
    Endpoint("get", "/api/vote-sessions/{session}/differences/", 200, 200),
    Endpoint("post", "/api/vote-sessions/", 403, 201, SESSION, out=400),
    Endpoint("post", "/api/vote-sessions/{session}/subjects/", 403, 400, {"person": "{person}"}),
    Endpoint("post", "/api/vote-sessions/{session}/exclude/", 403, 200,
             {"person": "{person}", "exclusion_reason": "other"}),  # fmt: skip
    Endpoint("post", "/api/vote-sessions/{session}/tallies/", 403, 200, VOTE_TALLY),
    Endpoint("post", "/api/vote-sessions/{session}/close/", 403, 400, {"closed_on": "2026-01-10"}),
    Endpoint("get", "/api/evaluation-rounds/", 200, 200, out=None),
    Endpoint("get", "/api/evaluation-rounds/{round}/", 200, 200),
    Endpoint("post", "/api/evaluation-rounds/", 403, 201,
             {"unit": "{unit}", "year": 2025, "held_on": "2025-12-18"}, out=400),  # fmt: skip
    Endpoint("post", "/api/evaluation-rounds/{round}/scores/", 403, 200,
             {"person": "{person}", "score": "80"}),  # fmt: skip
    Endpoint("post", "/api/evaluation-rounds/{round}/close/", 403, 400, {"closed_on": "2026-01-10"}),
    # Rotations and rotation plans (the competent or planning body's unit): Ánh's intended
    # rotation in commune A's plan. Ending one not started is refused (400).
    Endpoint("get", "/api/rotations/", 200, 200, out=None),
    Endpoint("get", "/api/rotations/watch/?unit={unit}", 200, 200),
    Endpoint("get", "/api/rotations/{rotation}/", 200, 200),
    Endpoint("post", "/api/rotations/", 403, 201, ROTATION, out=400),
    Endpoint("post", "/api/rotations/{rotation}/start/", 403, 200,
             {"decision_number": "3-QĐ/ĐU", "decision_date": "2026-01-20",
              "start_date": "2026-02-01"}),  # fmt: skip
    Endpoint("post", "/api/rotations/{rotation}/end/", 403, 400,
             {"actual_end": "2026-02-01", "outcome": "returned"}),  # fmt: skip
    Endpoint("get", "/api/rotations/findings/?unit={unit}", 200, 200),
    # A read (logged, nothing written): what a proposed rotation would raise.
    Endpoint("post", "/api/rotations/what-if/", 200, 200, ROTATION_WHAT_IF, out=400),
    Endpoint("get", "/api/rotation-plans/", 200, 200, out=None),
    Endpoint("get", "/api/rotation-plans/{rotation_plan}/", 200, 200),
    Endpoint("post", "/api/rotation-plans/", 403, 201, {"unit": "{unit}", "term": "2035-2040"},
             out=400),  # fmt: skip
    # Report rounds and submissions (issue 16): the commune's own round of 2025, its draft.
    Endpoint("get", "/api/report-rounds/", 200, 200, out=None),
    Endpoint("post", "/api/report-rounds/", 403, 201, REPORT_ROUND, out=400),
    Endpoint("get", "/api/report-rounds/{report_round}/", 200, 200),
    Endpoint("patch", "/api/report-rounds/{report_round}/", 403, 200, {"note": "Gửi qua mạng"}),
    Endpoint("get", "/api/report-rounds/{report_round}/completeness/", 200, 200),
    Endpoint("get", "/api/report-rounds/{report_round}/total/?unit={unit}", 200, 200),
    Endpoint("get", "/api/report-rounds/{report_round}/reconciliation/?unit={unit}", 200, 200),
    Endpoint("get", "/api/submissions/", 200, 200, out=None),
    Endpoint("get", "/api/submissions/queue/", 200, 200, out=None),
    Endpoint("post", "/api/submissions/", 403, 200, OPENED, out=400),  # opened already: 200
    Endpoint("get", "/api/submissions/{submission}/", 200, 200),
    Endpoint("post", "/api/submissions/{submission}/corrections/", 403, 200, CORRECTED),
    Endpoint("delete", "/api/submissions/{submission}/corrections/{correction}/", 403, 204),
    Endpoint("post", "/api/submissions/{submission}/recompute/", 403, 200, {}),
    Endpoint("post", "/api/submissions/{submission}/submit/", 403, 200, {}),
    Endpoint("post", "/api/submissions/{submission}/accept/", 403, 400, {}),  # a draft: refused
    Endpoint("post", "/api/submissions/{submission}/return/", 403, 400, {"comment": "Xem lại"}),
    Endpoint("get", "/api/jobs/", 200, 200, out=None),  # the user's own jobs only
    Endpoint("get", "/api/jobs/{job}/", 200, 200),  # another user's job: 404
    Endpoint("get", "/api/jobs/{job}/file/", 200, 200),
    Endpoint("get", "/api/directives/", 200, 200, out=None),
    Endpoint("get", "/api/directives/{directive}/", 200, 200),
    Endpoint("get", "/api/directives/{directive}/rollup/", 200, 200),
    Endpoint("get", "/api/assignments/", 200, 200, out=None),
    Endpoint("get", "/api/assignments/{assignment}/", 200, 200),
    Endpoint(
        "post", "/api/assignments/{assignment}/completion/", 403, 200, {"completed_on": "2026-02-01"}
    ),  # fmt: skip
    Endpoint("get", "/api/monitoring-groups/", 200, 200, out=None),
    # Writes of directives and what hangs on them (issue 14): the editors of the issuing unit.
    Endpoint("post", "/api/directives/", 403, 201, DIRECTIVE, out=400),
    Endpoint("patch", "/api/directives/{directive}/", 403, 200, {"title": "Kế hoạch sửa"}),
    Endpoint("get", "/api/directives/{directive}/file/", 404, 404),  # no file: as none at all
    Endpoint("put", "/api/directives/{directive}/file/", 403, 400),  # no file sent
    Endpoint("delete", "/api/directives/{directive}/file/", 403, 204),
    Endpoint("post", "/api/directives/{directive}/tasks/", 403, 201, TASK),
    Endpoint("get", "/api/tasks/{task}/", 200, 200),
    Endpoint("patch", "/api/tasks/{task}/", 403, 200, {"content": "Kiểm điểm cá nhân"}),
    Endpoint("post", "/api/tasks/{task}/assign/", 403, 200, {"level": "commune", "unit": "{unit}"}),
    Endpoint("delete", "/api/assignments/{assignment}/", 403, 204),
    Endpoint("get", "/api/directives/{directive}/hearings/", 200, 200),
    Endpoint("post", "/api/directives/{directive}/hearings/slots/", 403, 201, SLOT),
    Endpoint("post", "/api/directives/{directive}/hearings/invitations/", 403, 200,
             {"units": ["{unit}"]}),  # fmt: skip
    Endpoint("delete", "/api/hearing-slots/{slot}/", 403, 204),
    Endpoint("post", "/api/hearing-invitations/{invitation}/book/", 403, 200, {"slot": "{slot}"}),
    Endpoint("delete", "/api/hearing-invitations/{invitation}/", 403, 204),
    # Monitoring groups: read in scope, written by administrators only (403 first).
    Endpoint("get", "/api/monitoring-groups/{group}/", 200, 200),
    Endpoint("post", "/api/monitoring-groups/", 403, 403, GROUP, out=403),
    Endpoint("patch", "/api/monitoring-groups/{group}/", 403, 403, {"note": "Sửa"}),
    Endpoint("delete", "/api/monitoring-groups/{group}/", 403, 403),
    Endpoint("get", "/audit/access-log/?person={person}", 403, 403, out=403),
]


@pytest.mark.parametrize("role", ["viewer", "editor"])
@pytest.mark.parametrize("endpoint", MATRIX, ids=str)
def test_scope_matrix(matrix, endpoint, role):
    check_scope(matrix, endpoint, role)


def test_the_matrix_covers_every_api_route():
    """A new endpoint fails this test until it has its line in MATRIX."""
    import re

    from django.urls import get_resolver

    def routes(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            text = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                yield from routes(pattern, text)
            else:
                yield text

    def shape(path: str) -> str:
        path = re.sub(r"\(\?P<[^>]+>[^)]*\)|<[^>]+>|\{[^}]+\}", "*", path)
        path = path.replace("^", "").replace("$", "").split("?")[0]
        return "/" + path.strip("/") + "/"

    api = {
        shape(r)
        for r in routes(get_resolver())
        if r.startswith("api/") and "format" not in r and ".*" not in r  # suffixes, catch-all
    }
    api -= {"/api/", "/api/schema/"}  # the root and the schema describe, they hold no record
    covered = {shape(e.path) for e in MATRIX}
    assert sorted(api - covered) == []


# --- Lists show only what is in scope -----------------------------------------


def test_people_list_shows_only_commune_a(people, as_user):
    rows = results(as_user(people.viewer_a).get("/api/people/"))
    assert [r["id_number"] for r in rows] == ["001080000001", "001085000002"]


def test_people_list_unit_filter_cannot_widen_scope(people, as_user):
    api = as_user(people.viewer_a)
    assert results(api.get("/api/people/?unit=XB")) == []
    rows = results(api.get("/api/people/?unit=TU"))
    assert [r["id_number"] for r in rows] == ["001080000001", "001085000002"]


def test_units_list_shows_only_commune_a(people, as_user):
    rows = results(as_user(people.viewer_a).get("/api/units/"))
    assert [r["code"] for r in rows] == ["XA"]


def test_positions_list_shows_only_commune_a(people, as_user):
    rows = results(as_user(people.viewer_a).get("/api/positions/"))
    assert [(r["id"], r["unit"]) for r in rows] == [(people.position_a.pk, "XA")]


def test_areas_are_reference_data_for_every_signed_in_user(people, as_user):
    rows = results(as_user(people.viewer_a).get("/api/areas/"))
    assert [r["code"] for r in rows] == ["01", "00001", "00002"]


def test_administrator_sees_everything(people, admin_user, as_user):
    api = as_user(admin_user)
    assert [r["id_number"] for r in results(api.get("/api/people/"))] == [
        "001080000001",
        "001075000003",
        "001085000002",
    ]
    assert [r["code"] for r in results(api.get("/api/units/"))] == ["TU", "XA", "XB"]
    assert len(results(api.get("/api/positions/"))) == 2


# --- Details outside scope are not found ---------------------------------------


@pytest.mark.parametrize("user", ["viewer_a", "editor_a"])
def test_details_in_commune_b_are_not_found(people, as_user, user):
    api = as_user(getattr(people, user))
    before = db_state()
    assert api.get("/api/people/001075000003/").status_code == 404
    assert api.get("/api/units/XB/").status_code == 404
    assert api.get("/api/units/TU/").status_code == 404
    assert api.get(f"/api/positions/{people.position_b.pk}/").status_code == 404
    assert db_state() == before  # no access entry for a record that was not shown


def test_details_in_commune_a_are_shown(people, as_user):
    api = as_user(people.viewer_a)
    assert api.get("/api/people/001080000001/").status_code == 200
    assert api.get("/api/units/XA/").status_code == 200
    assert api.get(f"/api/positions/{people.position_a.pk}/").status_code == 200
    assert api.get("/api/areas/00002/").status_code == 200


# --- Refused writes change nothing --------------------------------------------


def test_viewer_cannot_create_a_person(people, as_user):
    before = db_state()
    response = as_user(people.viewer_a).post("/api/people/", NEW_PERSON, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Bạn không có quyền thay đổi dữ liệu."}
    assert db_state() == before


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("id_number", ["001080000001", "001075000003"])
def test_viewer_cannot_update_a_person(people, as_user, method, id_number):
    before = db_state()
    payload = {**NEW_PERSON, "id_number": id_number, "given_name": "Đổi"}
    response = getattr(as_user(people.viewer_a), method)(
        f"/api/people/{id_number}/", payload, format="json"
    )
    assert response.status_code == 403
    assert db_state() == before


UNIT_NOT_FOUND = {"unit": ["Không có đơn vị với mã này."]}


@pytest.mark.parametrize("unit", ["XB", "TU", "KHONGCO"])
def test_editor_cannot_create_a_person_outside_the_units_it_edits(people, as_user, unit):
    """Commune B, the province unit above, and a code no unit has: the same answer."""
    before = db_state()
    response = as_user(people.editor_a).post(
        "/api/people/", {**NEW_PERSON, "unit": unit}, format="json"
    )
    assert (response.status_code, response.json()) == (400, UNIT_NOT_FOUND)
    assert db_state() == before


def test_editor_cannot_create_a_person_without_unit(people, as_user):
    before = db_state()
    payload = {k: v for k, v in NEW_PERSON.items() if k != "unit"}
    response = as_user(people.editor_a).post("/api/people/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"unit": ["Hãy chọn đơn vị quản lý hồ sơ."]}
    assert db_state() == before


@pytest.mark.parametrize("method", ["put", "patch"])
def test_editor_cannot_update_a_person_of_commune_b(people, as_user, method):
    before = db_state()
    payload = {**NEW_PERSON, "id_number": "001075000003", "unit": "XA"}
    response = getattr(as_user(people.editor_a), method)(
        "/api/people/001075000003/", payload, format="json"
    )
    assert response.status_code == 404
    assert db_state() == before


@pytest.mark.parametrize("method", ["put", "patch"])
def test_editor_cannot_move_a_person_of_commune_a_into_commune_b(people, as_user, method):
    before = db_state()
    payload = {
        "id_number": "001080000001",
        "family_name": "Nguyễn",
        "middle_name": "Văn",
        "given_name": "Ánh",
        "sex": "M",
        "birth_date": "1980-03-05",
        "unit": "XB",
    }
    response = getattr(as_user(people.editor_a), method)(
        "/api/people/001080000001/", payload, format="json"
    )
    assert (response.status_code, response.json()) == (400, UNIT_NOT_FOUND)
    assert db_state() == before
    people.anh.refresh_from_db()
    assert people.anh.unit == people.xa


def test_people_cannot_be_deleted_through_the_api(people, as_user, admin_user):
    before = db_state()
    assert as_user(people.editor_a).delete("/api/people/001080000001/").status_code == 405
    assert as_user(admin_user).delete("/api/people/001080000001/").status_code == 405
    assert db_state() == before


@pytest.mark.parametrize(
    "path", ["/api/units/", "/api/units/XA/", "/api/positions/", "/api/areas/", "/api/areas/01/"]
)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_reference_endpoints_are_read_only(people, as_user, admin_user, path, method):
    before = db_state()
    for user in (people.viewer_a, people.editor_a, admin_user):
        response = getattr(as_user(user), method)(path, {"name": "Đổi tên"}, format="json")
        assert response.status_code == 405
    assert db_state() == before


# --- Anonymous requests ------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/",
        "/api/people/",
        "/api/people/001080000001/",
        "/api/units/",
        "/api/units/XA/",
        "/api/positions/",
        "/api/areas/",
        "/api/areas/01/",
        "/api/schema/",
    ],
)
def test_anonymous_requests_are_refused(people, anonymous, path):
    response = anonymous.get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_anonymous_cannot_write(people, anonymous):
    before = db_state()
    assert anonymous.post("/api/people/", NEW_PERSON, format="json").status_code == 401
    assert (
        anonymous.patch("/api/people/001080000001/", {"given_name": "X"}, format="json").status_code
        == 401
    )
    assert db_state() == before
