"""Report rounds through the REST API (issue 16, item 7): the acceptance scenario across
three levels on the known-answer province, and what the API refuses.

The province TU asks its communes XA and XB for TK-CB with figures at 04/12/2026 (an ad
hoc period whose cut-off has passed: nothing is sent before the cut-off). XA corrects a
cell with its reason, both submit, TU accepts XA and returns XB; TU's total adds up the
accepted figures, the reconciliation lists the corrected cell and the returned unit,
completeness reads 1/2 accepted and 2/2 submitted.
"""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from canbo.core.models import AccessEvent, AccessKind, AuditEvent
from canbo.directives.models import TaskAssignment
from canbo.reports.models import ReportRound, Submission, SubmissionCorrection, SubmissionStatus
from tests.api.oracle import answer

from . import test_rounds_setup as setup
from .test_rounds import REASON, XA_TOTAL, XB_TOTAL

p, province_editor, editor_b = setup.p, setup.province_editor, setup.editor_b  # fixtures

pytestmark = pytest.mark.django_db

CUT_OFF = dt.date(2026, 12, 4)  # the province's known answers are at this date
ROUND = {"form_codes": ["tk-cb"], "period_kind": "ad_hoc", "period_start": "01/01/2026",
         "period_end": "2026-12-04", "deadline": "2030-12-31", "issuing_unit": "TU",
         "level": "commune", "issued_on": "2026-11-20"}  # fmt: skip
RETURNED = "Thiếu đồng chí mới được điều động về xã."


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def counts(cells: list[dict], row: str = "total") -> dict:
    """The non-zero count cells of a row, {column: value}."""
    return {c["column"]: c["value"] for c in cells
            if c["row"] == row and c["kind"] == "count" and c["value"]}  # fmt: skip


def cell(cells: list[dict], row: str, column: str) -> dict:
    return next(c for c in cells if (c["row"], c["column"]) == (row, column))


def state() -> tuple:
    return (list(ReportRound.objects.order_by("pk").values()),
            list(Submission.objects.order_by("pk").values()),
            list(SubmissionCorrection.objects.order_by("pk").values()),
            list(TaskAssignment.objects.order_by("pk").values()),
            AuditEvent.objects.count(), AccessEvent.objects.count())  # fmt: skip


@pytest.fixture
def round_id(world, p, province_editor):
    response = api(province_editor).post("/api/report-rounds/", ROUND, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def opened(user, round_id, unit) -> dict:
    response = api(user).post("/api/submissions/", {"round": round_id, "unit": unit,
                                                    "form": "TK-CB"}, format="json")  # fmt: skip
    assert response.status_code == 201, response.content
    return response.json()


def test_issuing_a_round(world, p, province_editor, round_id):
    data = api(province_editor).get(f"/api/report-rounds/{round_id}/").json()
    assert {k: data[k] for k in ("name", "form_codes", "period_kind", "period_start",
                                 "period_end", "cut_off", "deadline", "issuing_unit", "level",
                                 "kind", "within", "group", "directive_number")} == {
        "name": "Báo cáo TK-CB – Từ 01/01/2026 đến 04/12/2026", "form_codes": ["TK-CB"],
        "period_kind": "ad_hoc", "period_start": "2026-01-01", "period_end": "2026-12-04",
        "cut_off": "2026-12-04", "deadline": "2030-12-31", "issuing_unit": "TU",
        "level": "commune", "kind": "", "within": "TU", "group": None,
        "directive_number": "BC TK-CB/20261204"}  # fmt: skip
    r = ReportRound.objects.get(pk=round_id)
    assert [a.unit.code for a in TaskAssignment.objects.filter(task=r.task).order_by("unit__path")
            ] == ["XA", "XB"]  # fmt: skip
    # The period's dates by default (Nghị định 09/2019): annual 2030 is 15/12/2029 → 14/12/2030.
    annual = api(province_editor).post("/api/report-rounds/", {
        "form_codes": ["TK-CB"], "period_kind": "annual", "year": 2030, "deadline": "31/12/2030",
        "issuing_unit": "TU", "level": "commune"}, format="json")  # fmt: skip
    assert annual.status_code == 201, annual.content
    assert (annual.json()["period_start"], annual.json()["cut_off"], annual.json()["name"]) == (
        "2029-12-15", "2030-12-14", "Báo cáo TK-CB – Năm 2030")
    # Seen by the communes asked to report (the viewer of XA), listed newest cut-off first.
    rows = api(world.viewer_a).get("/api/report-rounds/").json()["results"]
    assert [row["cut_off"] for row in rows] == ["2030-12-14", "2026-12-04"]
    # Changing the deadline moves the task's.
    changed = api(province_editor).patch(f"/api/report-rounds/{round_id}/",
                                         {"deadline": "2030-12-30"}, format="json")  # fmt: skip
    assert changed.status_code == 200 and changed.json()["deadline"] == "2030-12-30"
    r.task.refresh_from_db()
    assert r.task.deadline == dt.date(2030, 12, 30)


def test_acceptance_scenario(world, p, province_editor, editor_b, round_id):
    xa = opened(world.editor_a, round_id, "XA")
    assert (xa["status"], xa["as_of"], xa["unit"], xa["form"]) == ("draft", "2026-12-04", "XA",
                                                                   "TK-CB")  # fmt: skip
    assert counts(xa["cells"]) == XA_TOTAL
    assert counts(xa["cells"], "commune") == XA_TOTAL
    assert len(xa["cells"]) == 5 * 23  # every cell of the five rows: 20 counts, 3 shares
    corrected = api(world.editor_a).post(f"/api/submissions/{xa['id']}/corrections/", {
        "row": "total", "column": "party", "value": 1, "reason": REASON}, format="json")  # fmt: skip
    assert corrected.status_code == 200, corrected.content
    cells = corrected.json()["cells"]
    assert cell(cells, "total", "party") | {"how": ""} == {
        "row": "total", "column": "party", "value": 1, "kind": "count", "how": "",
        "computed": 0, "corrected": True}  # fmt: skip
    assert cell(cells, "total", "party_share")["value"] == "100.00"  # recomputed from the cells
    assert [(c["row"], c["column"], c["computed"], c["corrected"], c["reason"], c["corrected_by"])
            for c in corrected.json()["corrections"]] == [
        ("total", "party", 0, 1, REASON, "sua_a")]  # fmt: skip

    xb = opened(editor_b, round_id, "XB")
    assert counts(xb["cells"]) == XB_TOTAL
    sent = api(editor_b).post(f"/api/submissions/{xb['id']}/submit/", {}, format="json")
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    sent = api(world.editor_a).post(f"/api/submissions/{xa['id']}/submit/", format="json")
    assert (sent.json()["status"], sent.json()["submitted_by"]) == ("submitted", "sua_a")
    today = timezone.localdate()
    assert {a.unit.code: a.completed_on for a in TaskAssignment.objects.filter(
        task__report_round=round_id)} == {"XA": today, "XB": today}  # fmt: skip

    province = api(province_editor)
    queue = province.get("/api/submissions/queue/").json()
    assert [(row["unit"], row["status"]) for row in queue["results"]] == [
        ("XB", "submitted"), ("XA", "submitted")]  # in the order they were sent
    assert api(world.editor_a).get("/api/submissions/queue/").json()["results"] == []

    accepted = province.post(f"/api/submissions/{xa['id']}/accept/", {}, format="json")
    assert accepted.status_code == 200, accepted.content
    assert (accepted.json()["status"], accepted.json()["decided_by"]) == ("accepted", "sua_tinh")
    before = state()
    refused = province.post(f"/api/submissions/{xb['id']}/return/", {"comment": " "},
                            format="json")  # fmt: skip
    assert (refused.status_code, refused.json()) == (
        400, {"comment": ["Trả lại báo cáo thì phải ghi ý kiến: cần sửa, bổ sung gì."]})
    assert state() == before
    returned = province.post(f"/api/submissions/{xb['id']}/return/", {"comment": RETURNED},
                             format="json")  # fmt: skip
    assert (returned.json()["status"], returned.json()["comment"]) == ("returned", RETURNED)
    assert TaskAssignment.objects.get(task__report_round=round_id, unit=world.xb).completed_on is None

    # The province's figures: XA's accepted ones, with its corrected cell.
    total = province.get(f"/api/report-rounds/{round_id}/total/?unit=TU&form=tk-cb")
    assert total.status_code == 200, total.content
    data = total.json()
    assert (data["round"], data["form"], data["unit"], data["as_of"]) == (
        round_id, "TK-CB", "TU", "2026-12-04")
    assert counts(data["cells"]) == {**XA_TOTAL, "party": 1}
    assert cell(data["cells"], "total", "party_share")["value"] == "100.00"
    assert cell(data["cells"], "total", "women_share")["value"] == "100.00"
    assert cell(data["cells"], "total", "people")["how"]  # each cell says how it is computed
    assert counts(province.get(f"/api/report-rounds/{round_id}/total/?unit=XB").json()["cells"]) == {}

    rec = province.get(f"/api/report-rounds/{round_id}/reconciliation/?unit=TU").json()
    assert rec["corrections"] == [{
        "unit": "XA", "unit_name": "Đảng ủy xã An Bình", "status": "accepted", "row": "total",
        "column": "party", "computed": 0, "corrected": 1, "reason": REASON}]  # fmt: skip
    assert rec["differences"] == [{"row": "total", "column": "party", "lower": 1, "own": 0,
                                   "difference": 1, "units": ["XA"], "corrected": True}]  # fmt: skip
    assert (rec["returned"], rec["waiting"], rec["not_submitted"]) == (["XB"], [], [])
    party = cell(rec["cells"], "total", "party")
    assert (party["lower"], party["own"], party["own_all"], party["differs"]) == (1, 0, 2, True)
    assert [(u["unit"], u["status"]) for u in rec["units"]] == [("XA", "accepted"),
                                                                ("XB", "returned")]  # fmt: skip

    c = province.get(f"/api/report-rounds/{round_id}/completeness/").json()
    tally = c["forms"]["TK-CB"]
    assert {k: tally[k] for k in ("expected", "opened", "submitted", "on_time", "waiting",
                                  "accepted", "returned", "not_submitted")} == {
        "expected": 2, "opened": 0, "submitted": 2, "on_time": 2, "waiting": 0, "accepted": 1,
        "returned": 1, "not_submitted": 0}  # fmt: skip
    assert (tally["text_accepted"], tally["text_submitted"]) == ("1/2 (50,00%)", "2/2 (100,00%)")
    assert (tally["share_accepted"], tally["share_submitted"]) == ("50.00", "100.00")
    assert [(level["level"], level["forms"]["TK-CB"]["accepted"]) for level in c["levels"]] == [
        ("commune", 1)]
    assert (c["assignments"]["assigned"], c["assignments"]["done"]) == (2, 1)

    # Accepted figures are frozen; a returned report is corrected and sent again.
    frozen = api(world.editor_a).post(f"/api/submissions/{xa['id']}/recompute/", format="json")
    assert frozen.status_code == 400
    assert frozen.json() == {"non_field_errors": [
        "Báo cáo đã được cấp trên tiếp nhận: số liệu không thay đổi được."]}  # fmt: skip
    again = api(editor_b).post(f"/api/submissions/{xb['id']}/recompute/", format="json")
    assert again.status_code == 200 and again.json()["status"] == "returned"
    again = api(editor_b).post(f"/api/submissions/{xb['id']}/submit/", format="json")
    assert again.json()["status"] == "submitted"
    assert list(Submission.objects.filter(round=round_id).order_by("unit__path")
                .values_list("status", flat=True)) == [SubmissionStatus.ACCEPTED,
                                                       SubmissionStatus.SUBMITTED]  # fmt: skip


def test_reading_leaves_an_access_entry(world, p, round_id):
    xa = opened(world.editor_a, round_id, "XA")
    AccessEvent.objects.all().delete()
    viewer = api(world.viewer_a)
    shown = viewer.get(f"/api/submissions/{xa['id']}/")
    assert shown.status_code == 200 and counts(shown.json()["cells"]) == XA_TOTAL
    assert viewer.get(f"/api/report-rounds/{round_id}/reconciliation/?unit=XA").status_code == 200
    entries = list(AccessEvent.objects.order_by("pk").values_list("kind", "actor__username",
                                                                  "query"))  # fmt: skip
    assert entries == [
        (AccessKind.REPORT, "xem_a", "report=TK-CB unit=XA"),
        (AccessKind.REPORT, "xem_a", "report=TK-CB unit=XA unit=XA"),
    ]
    rows = viewer.get(f"/api/submissions/?round={round_id}&status=draft&form=tk-cb").json()
    assert [(row["unit"], row["status"]) for row in rows["results"]] == [("XA", "draft")]
    assert viewer.get("/api/submissions/?status=accepted").json()["results"] == []


def test_refusals(world, p, province_editor, editor_b, round_id):
    xa = opened(world.editor_a, round_id, "XA")
    before = state()

    # A viewer writes nothing (403), whatever it names.
    refused = api(world.viewer_a).post(f"/api/submissions/{xa['id']}/submit/", format="json")
    assert (refused.status_code, refused.json()) == (
        403, {"detail": "Bạn không có quyền thay đổi dữ liệu."})
    assert state() == before
    # A record in sight, a right the user does not have: 403 (a commune decides nothing).
    api(world.editor_a).post(f"/api/submissions/{xa['id']}/submit/", format="json")
    before = state()
    refused = api(world.editor_a).post(f"/api/submissions/{xa['id']}/accept/", {}, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("Chỉ cấp trên")
    assert state() == before

    # Out of sight answers exactly as what does not exist: 404, nothing written.
    other = api(editor_b)
    missing = 2**62
    correction = {"row": "total", "column": "people", "value": 2, "reason": "x"}
    for method, path, data in ((other.get, "/api/submissions/{}/", None),
                               (other.post, "/api/submissions/{}/submit/", {}),
                               (other.post, "/api/submissions/{}/corrections/", correction)):  # fmt: skip
        outside = method(path.format(xa["id"]), data, format="json")
        nothing = method(path.format(missing), data, format="json")
        assert outside.status_code == 404
        assert answer(outside, [str(xa["id"])]) == answer(nothing, [str(missing)])
    outside = other.get(f"/api/report-rounds/{round_id}/reconciliation/?unit=XA")
    nothing = other.get(f"/api/report-rounds/{round_id}/reconciliation/?unit=KHONGCO")
    assert (outside.status_code, outside.json()) == (404, {"detail": "Không có đơn vị “XA”."})
    assert answer(outside, ["XA"]) == answer(nothing, ["KHONGCO"])
    assert state() == before

    # Before the cut-off nothing is sent (an annual round of 2030).
    annual = api(province_editor).post("/api/report-rounds/", {
        "form_codes": ["TK-CB"], "period_kind": "annual", "year": 2030, "deadline": "2030-12-31",
        "issuing_unit": "TU", "level": "commune"}, format="json").json()  # fmt: skip
    early = opened(world.editor_a, annual["id"], "XA")
    before = state()
    refused = api(world.editor_a).post(f"/api/submissions/{early['id']}/submit/", format="json")
    assert (refused.status_code, refused.json()) == (400, {"non_field_errors": [
        "Chưa đến ngày chốt số liệu (14/12/2030): chưa gửi được báo cáo."]})  # fmt: skip
    assert state() == before


@pytest.mark.parametrize(("body", "errors"), [
    ({"row": "total", "column": "women_share", "value": 50, "reason": "x"},
     {"column": ["Chỉ sửa được ô số lượng; tỷ lệ, hệ số được tính lại từ các ô số lượng."]}),
    ({"row": "total", "column": "people", "value": 2, "reason": "  "},
     {"reason": ["Trường này không được bỏ trống."]}),
    ({"row": "total", "column": "people", "value": -1, "reason": "x"},
     {"value": ["Giá trị không được nhỏ hơn 0."]}),
    ({"row": "ward", "column": "people", "value": 2, "reason": "x"},
     {"row": ["Biểu TK-CB không có dòng ward."]}),
])  # fmt: skip
def test_a_correction_refused_by_field(world, p, round_id, body, errors):
    xa = opened(world.editor_a, round_id, "XA")
    before = state()
    refused = api(world.editor_a).post(f"/api/submissions/{xa['id']}/corrections/", body,
                                       format="json")  # fmt: skip
    assert (refused.status_code, refused.json()) == (400, errors)
    assert state() == before


def test_withdrawing_a_correction(world, p, round_id):
    xa = opened(world.editor_a, round_id, "XA")
    client = api(world.editor_a)
    data = client.post(f"/api/submissions/{xa['id']}/corrections/", {
        "row": "total", "column": "people", "value": 2, "reason": "Cán bộ mới về"},
        format="json").json()  # fmt: skip
    [correction] = data["corrections"]
    assert cell(data["cells"], "total", "people")["value"] == 2
    path = f"/api/submissions/{xa['id']}/corrections/{correction['id']}/"
    assert client.delete(path).status_code == 204
    assert client.delete(path).status_code == 404  # taken back already
    shown = client.get(f"/api/submissions/{xa['id']}/").json()
    assert shown["corrections"] == [] and cell(shown["cells"], "total", "people")["value"] == 1


def test_round_refusals(world, p, province_editor, round_id):
    province = api(province_editor)
    bad = province.post("/api/report-rounds/", {**ROUND, "form_codes": ["XX"]}, format="json")
    assert (bad.status_code, bad.json()) == (400, {"form_codes": ["Không có biểu báo cáo mã XX."]})
    bad = province.post("/api/report-rounds/", {**ROUND, "period_end": None}, format="json")
    assert (bad.status_code, bad.json()) == (400, {"period_end": [
        "Báo cáo đột xuất: hãy nhập ngày bắt đầu và ngày chốt số liệu."]})  # fmt: skip
    bad = api(world.editor_a).post("/api/report-rounds/", ROUND, format="json")
    assert (bad.status_code, bad.json()) == (400, {"issuing_unit": ["Không tìm thấy đơn vị này."]})
    bad = api(world.editor_a).patch(f"/api/report-rounds/{round_id}/", {"note": "x"}, format="json")
    assert bad.status_code == 403  # in sight (XA is asked to report), not the issuer's editor
    bad = province.get(f"/api/report-rounds/{round_id}/total/?unit=TU&form=M1A")
    assert (bad.status_code, bad.json()) == (400, {"form": ["Đợt báo cáo này không có biểu M1A."]})
    bad = province.get(f"/api/report-rounds/{round_id}/total/")
    assert (bad.status_code, bad.json()) == (400, {"unit": ["Hãy chọn đơn vị."]})
    bad = province.get(f"/api/report-rounds/{round_id}/total/?unit=TU&as_of=2026-12-04")
    assert bad.status_code == 400 and list(bad.json()) == ["as_of"]
