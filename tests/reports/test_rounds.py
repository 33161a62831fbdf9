"""Report rounds across three levels (issue 16, items 3 and 4): the province TU asks its
communes XA and XB for TK-CB at 14/12/2026; XA corrects a cell with its reason, both
submit, TU accepts XA and returns XB; TU's total adds up the accepted figures, the
reconciliation lists the corrected cell and the returned unit, completeness reads 1/2
accepted and 2/2 submitted. Exact values on the known-answer province."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from canbo.directives.choices import Deliverable, DirectiveKind, Status
from canbo.directives.models import Directive, TaskAssignment
from canbo.people.models import Person
from canbo.reports import services
from canbo.reports.forms import FORMS
from canbo.reports.models import ReportRound, Submission, SubmissionStatus
from canbo.reports.round_selectors import (
    completeness,
    reconciliation,
    round_list_counts,
    round_total,
)

from . import test_rounds_setup as setup
from .test_rounds_setup import CUT_OFF, DEADLINE, ISSUED, at, make_round, nonzero

p, province_editor, editor_b = setup.p, setup.province_editor, setup.editor_b  # fixtures

pytestmark = pytest.mark.django_db

XA_TOTAL = {"people": 1, "women": 1, "age_30": 1, "bachelor": 1, "theory_low": 1}
XB_TOTAL = {"people": 2, "age_41_50": 1, "age_61": 1, "bachelor": 1, "college": 1,
            "theory_high": 1, "sm_principal": 1, "party": 2}  # fmt: skip
REASON = "Đồng chí Lan được kết nạp Đảng ngày 01/12/2026, hồ sơ chưa cập nhật"


def test_creating_a_round_issues_its_directive_task_and_assignments(world, p, province_editor):
    r = make_round(world, province_editor)
    assert (r.period_start, r.period_end, r.cut_off) == (dt.date(2025, 12, 15), CUT_OFF, CUT_OFF)
    assert r.form_codes == ["TK-CB"] and r.within == world.tu and r.group is None
    assert r.name == "Báo cáo TK-CB – Năm 2026"
    directive = r.task.directive
    assert (directive.kind, directive.number, directive.issued_on, directive.issuing_unit) == (
        DirectiveKind.LETTER, "BC TK-CB/2026", ISSUED, world.tu)
    assert (r.task.deliverable, r.task.start_on, r.task.deadline) == (
        Deliverable.REPORT, CUT_OFF, DEADLINE)
    # the communes in force at the cut-off: XA and XB (XC ended on 30/06/2025)
    units = TaskAssignment.objects.filter(task=r.task).order_by("unit__path")
    assert [a.unit.code for a in units] == ["XA", "XB"]
    again = make_round(world, province_editor)  # a second round of the same period
    assert again.task.directive.number == "BC TK-CB/2026-2"


def test_acceptance_scenario(world, p, province_editor, editor_b):
    r = make_round(world, province_editor)

    xa = services.open_submission(actor=world.editor_a, report_round=r, unit=world.xa,
                                  form_code="TK-CB", now=at(dt.date(2026, 12, 15)))  # fmt: skip
    assert xa.status == SubmissionStatus.DRAFT
    assert nonzero(xa.counts) == XA_TOTAL
    assert nonzero(xa.counts, "commune") == XA_TOTAL
    assert len(xa.counts) == 5 * 20  # every count cell of the five rows, zeros included
    correction = services.correct_cell(actor=world.editor_a, submission=xa, row="total",
                                       column="party", value=1, reason=REASON)  # fmt: skip
    assert (correction.computed, correction.corrected) == (0, 1)

    xb = services.open_submission(actor=editor_b, report_round=r, unit=world.xb,
                                  form_code="TK-CB")  # fmt: skip
    assert nonzero(xb.counts) == XB_TOTAL
    services.submit(actor=editor_b, submission=xb, now=at(dt.date(2026, 12, 16)))
    services.submit(actor=world.editor_a, submission=xa, now=at(dt.date(2026, 12, 22)))  # late

    assignments = {a.unit.code: a for a in TaskAssignment.objects.filter(task=r.task)}
    assert assignments["XA"].completed_on == dt.date(2026, 12, 22)
    assert assignments["XB"].completed_on == dt.date(2026, 12, 16)

    services.accept(actor=province_editor, submission=xa, now=at(dt.date(2026, 12, 23)))
    services.return_submission(actor=province_editor, submission=xb, now=at(dt.date(2026, 12, 23)),
                               comment="Thiếu đồng chí mới được điều động về xã.")  # fmt: skip
    xa.refresh_from_db()
    xb.refresh_from_db()
    assert (xa.status, xa.decided_by, xa.submitted_by) == (
        SubmissionStatus.ACCEPTED, province_editor, world.editor_a)
    assert (xb.status, xb.comment) == (SubmissionStatus.RETURNED,
                                       "Thiếu đồng chí mới được điều động về xã.")  # fmt: skip
    assert TaskAssignment.objects.get(task=r.task, unit=world.xb).completed_on is None

    # The province's figures: XA's accepted ones, with its corrected cell.
    total = round_total(r, "TK-CB", world.tu)
    assert nonzero(total.counts) == {**XA_TOTAL, "party": 1}
    assert total.value("total", "party_share") == Decimal("100.00")
    assert total.value("total", "women_share") == Decimal("100.00")
    assert total.on == CUT_OFF
    assert nonzero(round_total(r, "TK-CB", world.xb).counts) == {}

    rec = reconciliation(r, "TK-CB", world.tu)
    assert nonzero(rec.lower.counts) == {**XA_TOTAL, "party": 1}
    assert nonzero(rec.own.counts) == XA_TOTAL  # the records of the same unit, XA
    assert nonzero(rec.own_all.counts) == {  # XA and XB
        "people": 3, "women": 1, "age_30": 1, "age_41_50": 1, "age_61": 1, "bachelor": 2,
        "college": 1, "theory_high": 1, "theory_low": 1, "sm_principal": 1, "party": 2}  # fmt: skip
    assert [(c.unit.code, c.status, c.row, c.column, c.computed, c.corrected, c.reason)
            for c in rec.corrections] == [("XA", "accepted", "total", "party", 0, 1, REASON)]  # fmt: skip
    assert [d.as_dict() for d in rec.differences] == [
        {"row": "total", "column": "party", "lower": 1, "own": 0, "difference": 1,
         "units": ["XA"], "corrected": True}]  # fmt: skip
    assert [u.code for u in rec.returned] == ["XB"]
    assert rec.not_submitted == [] and rec.waiting == []
    cell = next(c for c in rec.cells() if (c["row"], c["column"]) == ("total", "party"))
    assert (cell["lower"], cell["own"], cell["own_all"], cell["differs"]) == (1, 0, 2, True)
    data = rec.as_dict()
    assert data["returned"] == ["XB"] and data["corrections"][0]["reason"] == REASON

    c = completeness(r, on=dt.date(2026, 12, 23))
    tally = c.forms["TK-CB"]
    assert (tally.expected, tally.submitted, tally.accepted, tally.returned, tally.on_time,
            tally.waiting, tally.opened) == (2, 2, 1, 1, 1, 0, 0)  # fmt: skip
    assert tally.text("accepted") == "1/2 (50,00%)"
    assert tally.text("submitted") == "2/2 (100,00%)"
    # the directives' roll-up of the round's task: XA done late, XB (returned) overdue
    assert c.rollup.assigned == 2 and c.rollup.counts == {Status.DONE_LATE: 1, Status.OVERDUE: 1}
    [(level, label, by_form)] = c.by_level()
    assert level == "commune" and by_form["TK-CB"].accepted == 1
    assert c.as_dict()["forms"]["TK-CB"]["share_accepted"] == "50.00"
    # the rounds list: both communes for the province, XA's own for its viewer
    assert round_list_counts(province_editor, [r]) == {
        r.pk: {"units": 2, "expected": 2, "sent": 2, "accepted": 1}}
    assert round_list_counts(world.viewer_a, [r]) == {
        r.pk: {"units": 1, "expected": 1, "sent": 1, "accepted": 1}}

    # XB recomputes and sends again, after the deadline now: waiting, none on time.
    services.recompute(actor=editor_b, submission=xb)
    services.submit(actor=editor_b, submission=xb, now=at(dt.date(2026, 12, 24)))
    assert TaskAssignment.objects.get(task=r.task, unit=world.xb).completed_on == dt.date(2026, 12, 24)
    tally = completeness(r, on=dt.date(2026, 12, 24)).forms["TK-CB"]
    assert (tally.submitted, tally.waiting, tally.returned, tally.on_time) == (2, 1, 0, 0)


def test_acceptance_freezes_the_figures(world, p, province_editor):
    r = make_round(world, province_editor)
    xa = services.open_submission(actor=world.editor_a, report_round=r, unit=world.xa,
                                  form_code="TK-CB")  # fmt: skip
    services.submit(actor=world.editor_a, submission=xa, now=at(CUT_OFF))
    services.accept(actor=province_editor, submission=xa)
    Person.objects.filter(pk=p.lan.pk).update(sex="M")  # the record changes afterwards

    xa.refresh_from_db()
    assert nonzero(xa.counts) == XA_TOTAL
    assert round_total(r, "TK-CB", world.tu).value("total", "women") == 1
    rec = reconciliation(r, "TK-CB", world.tu)
    assert rec.own.value("total", "women") == 0  # the records say so now
    assert [(d.row, d.column, d.lower, d.own, d.units, d.corrected) for d in rec.differences] == [
        ("total", "women", 1, 0, ("XA",), False), ("commune", "women", 1, 0, ("XA",), False)]
    assert [u.code for u in rec.not_submitted] == ["XB"]
    with pytest.raises(ValidationError, match="đã được cấp trên tiếp nhận"):
        services.recompute(actor=world.editor_a, submission=xa)


def test_opening_twice_and_sending_again_after_a_return(world, p, province_editor):
    """Opening twice gives the same submission; a returned one keeps its corrections and
    takes new ones."""
    r = make_round(world, province_editor)
    first = services.open_submission(actor=world.editor_a, report_round=r, unit=world.xa,
                                     form_code="TK-CB")  # fmt: skip
    again = services.open_submission(actor=world.editor_a, report_round=r, unit=world.xa,
                                     form_code="TK-CB")  # fmt: skip
    assert again.pk == first.pk and Submission.objects.count() == 1
    services.correct_cell(actor=world.editor_a, submission=first, row="total", column="party",
                          value=1, reason=REASON)  # fmt: skip
    services.submit(actor=world.editor_a, submission=first, now=at(CUT_OFF))
    services.return_submission(actor=province_editor, submission=first, comment="Xem lại cột nữ.")
    services.correct_cell(actor=world.editor_a, submission=first, row="total", column="women",
                          value=2, reason="Thêm một cán bộ nữ mới về")  # fmt: skip
    services.submit(actor=world.editor_a, submission=first, now=at(CUT_OFF))
    first.refresh_from_db()
    assert first.status == SubmissionStatus.SUBMITTED and first.decided_at is None
    assert nonzero(first.effective()) == {**XA_TOTAL, "party": 1, "women": 2}
    assert ReportRound.objects.get().task_id == r.task_id


def test_a_round_of_two_forms_completes_when_both_are_sent(world, p, province_editor, monkeypatch):
    """A second form (TK-CB under another code, registered for the test): the unit's
    assignment completes when its last form is sent, and a return clears it."""
    monkeypatch.setitem(FORMS, "TK-X", dataclasses.replace(FORMS["TK-CB"], code="TK-X"))
    r = make_round(world, province_editor, form_codes=["TK-CB", "tk-x"])
    assert r.form_codes == ["TK-CB", "TK-X"] and r.task.directive.number == "BC TK-CB+TK-X/2026"
    subs = [services.open_submission(actor=world.editor_a, report_round=r, unit=world.xa,
                                     form_code=code) for code in r.form_codes]  # fmt: skip
    assignment = TaskAssignment.objects.get(task=r.task, unit=world.xa)
    services.submit(actor=world.editor_a, submission=subs[0], now=at(dt.date(2026, 12, 15)))
    assignment.refresh_from_db()
    assert assignment.completed_on is None
    services.submit(actor=world.editor_a, submission=subs[1], now=at(dt.date(2026, 12, 17)))
    assignment.refresh_from_db()
    assert assignment.completed_on == dt.date(2026, 12, 17)
    services.return_submission(actor=province_editor, submission=subs[0], comment="Sai cột tuổi.")
    assignment.refresh_from_db()
    assert assignment.completed_on is None
    c = completeness(r, on=dt.date(2026, 12, 18))
    assert {code: (t.expected, t.submitted, t.returned, t.waiting) for code, t in c.forms.items()} == {
        "TK-CB": (2, 1, 1, 0), "TK-X": (2, 1, 0, 1)}


def test_form_codes_are_checked(world, p, province_editor):
    with pytest.raises(ValidationError, match="Mỗi biểu chỉ chọn một lần"):
        make_round(world, province_editor, form_codes=["TK-CB", "tk-cb"])
    with pytest.raises(ValidationError, match="Không có biểu báo cáo mã XX"):
        make_round(world, province_editor, form_codes=["XX"])
    with pytest.raises(ValidationError, match="ít nhất một biểu"):
        make_round(world, province_editor, form_codes=[])
    assert ReportRound.objects.count() == 0 and Directive.objects.count() == 0
