"""What the round services refuse (Vietnamese messages; nothing changes), and the audit
rows they write with the values before and after."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from canbo.core.models import AuditAction, AuditEvent
from canbo.directives.models import TaskAssignment
from canbo.reports import services
from canbo.reports.models import (
    ReportRound,
    Submission,
    SubmissionCorrection,
    SubmissionStatus,
)

from . import test_rounds_setup as setup
from .test_rounds_setup import CUT_OFF, at, make_round

p, province_editor, editor_b, r = setup.p, setup.province_editor, setup.editor_b, setup.r  # fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def xa(world, r):
    return services.open_submission(actor=world.editor_a, report_round=r, unit=world.xa,
                                    form_code="TK-CB", now=at(CUT_OFF))  # fmt: skip


def unchanged(submission: Submission) -> tuple:
    submission.refresh_from_db()
    return (submission.status, submission.counts, submission.decided_at,
            list(submission.corrections.values_list("row", "column", "corrected")))  # fmt: skip


def correct(world, xa, **extra):
    values = {"row": "total", "column": "people", "value": 2, "reason": "Cán bộ mới về", **extra}
    return services.correct_cell(actor=world.editor_a, submission=xa, **values)


# --- Corrections ---------------------------------------------------------------------------


@pytest.mark.parametrize(("extra", "message"), [
    ({"reason": "   "}, "Hãy ghi lý do sửa số liệu."),
    ({"column": "women_share", "value": 50}, "Chỉ sửa được ô số lượng"),
    ({"column": "party_share"}, "Chỉ sửa được ô số lượng"),
    ({"row": "ward"}, "Biểu TK-CB không có dòng ward."),
    ({"column": "nope"}, "Biểu TK-CB không có cột nope."),
    ({"value": -1}, "Số sửa phải là số nguyên không âm."),
    ({"value": "3"}, "Số sửa phải là số nguyên không âm."),
    ({"value": 1}, "Số sửa bằng số tính từ hồ sơ (1)"),
])  # fmt: skip
def test_a_correction_needs_a_count_cell_a_new_value_and_a_reason(world, xa, extra, message):
    before = unchanged(xa)
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        correct(world, xa, **extra)
    assert unchanged(xa) == before and SubmissionCorrection.objects.count() == 0


def test_correcting_again_replaces_and_withdrawing_restores(world, xa):
    correct(world, xa)
    correction = correct(world, xa, value=3, reason="Hai cán bộ mới về")
    assert SubmissionCorrection.objects.count() == 1
    assert (correction.computed, correction.corrected, correction.reason) == (1, 3, "Hai cán bộ mới về")
    assert xa.effective()[("total", "people")] == 3
    services.withdraw_correction(actor=world.editor_a, correction=correction)
    assert xa.effective()[("total", "people")] == 1


def test_no_correction_after_sending_nor_after_acceptance(world, xa, province_editor):
    services.submit(actor=world.editor_a, submission=xa, now=at(CUT_OFF))
    before = unchanged(xa)
    with pytest.raises(ValidationError, match="Báo cáo đã gửi, đang chờ cấp trên xem xét"):
        correct(world, xa)
    with pytest.raises(ValidationError, match="Báo cáo đã gửi"):
        services.recompute(actor=world.editor_a, submission=xa)
    with pytest.raises(ValidationError, match="Báo cáo đã gửi"):
        services.submit(actor=world.editor_a, submission=xa, now=at(CUT_OFF))
    assert unchanged(xa) == before
    services.accept(actor=province_editor, submission=xa)
    with pytest.raises(ValidationError, match="đã được cấp trên tiếp nhận"):
        correct(world, xa)
    with pytest.raises(ValidationError, match="chưa được xem xét"):
        services.return_submission(actor=province_editor, submission=xa, comment="Sai")
    assert SubmissionCorrection.objects.count() == 0


def test_a_correction_keeps_its_reason_when_recomputed(world, p, xa):
    correct(world, xa)
    setup.hold_another(world, p)  # a second main post at XA from 01/12/2026
    services.recompute(actor=world.editor_a, submission=xa)
    xa.refresh_from_db()
    assert xa.counts["total:people"] == 2
    correction = xa.corrections.get()
    assert (correction.computed, correction.corrected, correction.reason) == (2, 2, "Cán bộ mới về")


# --- Who may do what -----------------------------------------------------------------------


def test_a_unit_opens_only_its_own_submission(world, r, editor_b):
    with pytest.raises(PermissionDenied, match="Chỉ người có quyền sửa của đơn vị báo cáo"):
        services.open_submission(actor=world.editor_a, report_round=r, unit=world.xb,
                                 form_code="TK-CB")  # fmt: skip
    with pytest.raises(PermissionDenied):  # a viewer of XA does not write
        services.open_submission(actor=world.viewer_a, report_round=r, unit=world.xa,
                                 form_code="TK-CB")  # fmt: skip
    xb = services.open_submission(actor=editor_b, report_round=r, unit=world.xb, form_code="TK-CB")
    with pytest.raises(PermissionDenied):
        services.correct_cell(actor=world.editor_a, submission=xb, row="total", column="people",
                              value=5, reason="x")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.submit(actor=world.editor_a, submission=xb, now=at(CUT_OFF))
    assert Submission.objects.count() == 1 and unchanged(xb)[0] == SubmissionStatus.DRAFT


def test_only_units_asked_and_forms_of_the_round(world, r, province_editor):
    with pytest.raises(ValidationError, match="không thuộc danh sách đơn vị báo cáo"):
        services.open_submission(actor=province_editor, report_round=r, unit=world.tu,
                                 form_code="TK-CB")  # fmt: skip
    with pytest.raises(ValidationError, match="Đợt báo cáo này không có biểu M1A"):
        services.open_submission(actor=world.editor_a, report_round=r, unit=world.xa,
                                 form_code="M1A")  # fmt: skip
    assert Submission.objects.count() == 0


def test_a_commune_neither_accepts_nor_returns(world, xa, r):
    services.submit(actor=world.editor_a, submission=xa, now=at(CUT_OFF))
    before = unchanged(xa)
    with pytest.raises(PermissionDenied, match="Chỉ cấp trên"):
        services.accept(actor=world.editor_a, submission=xa)
    with pytest.raises(PermissionDenied, match="Chỉ cấp trên"):
        services.return_submission(actor=world.editor_a, submission=xa, comment="Tự trả")
    assert unchanged(xa) == before
    assert TaskAssignment.objects.get(task=r.task, unit=world.xa).completed_on == CUT_OFF


def test_return_needs_a_comment_and_a_draft_is_not_decided(world, xa, province_editor):
    with pytest.raises(ValidationError, match="Chỉ tiếp nhận hoặc trả lại được báo cáo đã gửi"):
        services.accept(actor=province_editor, submission=xa)
    services.submit(actor=world.editor_a, submission=xa, now=at(CUT_OFF))
    before = unchanged(xa)
    with pytest.raises(ValidationError, match="Trả lại báo cáo thì phải ghi ý kiến"):
        services.return_submission(actor=province_editor, submission=xa, comment="  ")
    assert unchanged(xa) == before


def test_sending_waits_for_the_cut_off(world, xa):
    with pytest.raises(ValidationError, match=r"Chưa đến ngày chốt số liệu \(14/12/2026\)"):
        services.submit(actor=world.editor_a, submission=xa, now=at(dt.date(2026, 12, 13)))
    assert unchanged(xa)[0] == SubmissionStatus.DRAFT


def test_issuing_needs_the_issuing_unit_and_units_to_ask(world, p, province_editor):
    with pytest.raises(PermissionDenied):
        make_round(world, world.editor_a)
    with pytest.raises(ValidationError, match="Không có đơn vị nào thuộc cấp, loại đã chọn"):
        make_round(world, province_editor, level="central")
    with pytest.raises(ValidationError, match="Hạn gửi báo cáo không được trước ngày chốt"):
        make_round(world, province_editor, deadline=dt.date(2026, 12, 1))
    assert ReportRound.objects.count() == 0


# --- Audit ---------------------------------------------------------------------------------


def events(model, pk) -> list[tuple[str, dict]]:
    rows = AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                     object_id=str(pk)).order_by("pk")  # fmt: skip
    return [(e.action, e.changes) for e in rows]


def test_every_action_is_audited_with_before_and_after(world, r, xa, province_editor):
    [(action, changes)] = events(ReportRound, r.pk)
    assert action == AuditAction.CREATE and changes["form_codes"] == [None, ["TK-CB"]]
    assert changes["period_end"] == [None, "2026-12-14"]
    correction = correct(world, xa)
    services.submit(actor=world.editor_a, submission=xa, now=at(dt.date(2026, 12, 15)))
    services.return_submission(actor=province_editor, submission=xa, comment="Xem lại",
                               now=at(dt.date(2026, 12, 16)))  # fmt: skip
    services.withdraw_correction(actor=world.editor_a, correction=correction)
    services.submit(actor=world.editor_a, submission=xa, now=at(dt.date(2026, 12, 17)))
    services.accept(actor=province_editor, submission=xa, now=at(dt.date(2026, 12, 18)))

    found = events(Submission, xa.pk)
    assert [action for action, _ in found] == ["create"] + ["update"] * 4
    assert found[0][1]["counts"][1]["total:people"] == 1
    assert found[1][1]["status"] == ["draft", "submitted"]
    assert found[1][1]["submitted_by"] == [None, world.editor_a.pk]
    assert found[2][1]["status"] == ["submitted", "returned"]
    assert found[2][1]["comment"] == ["", "Xem lại"]
    assert found[3][1]["status"] == ["returned", "submitted"]
    assert found[4][1]["status"] == ["submitted", "accepted"]
    assert found[4][1]["decided_by"] == [None, province_editor.pk]
    fixes = events(SubmissionCorrection, correction.pk)
    assert [action for action, _ in fixes] == ["create", "delete"]
    assert fixes[0][1]["corrected"] == [None, 2] and fixes[0][1]["reason"] == [None, "Cán bộ mới về"]
    assert fixes[1][1]["corrected"] == [2, None]
    completions = events(TaskAssignment, TaskAssignment.objects.get(task=r.task, unit=world.xa).pk)
    assert [c["completed_on"] for _, c in completions] == [
        [None, "2026-12-15"], ["2026-12-15", None], [None, "2026-12-17"]]
