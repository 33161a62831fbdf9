"""Report rounds and submissions in the data package (issue 16, item 5): between separate
installations a submission travels as the "Báo cáo đơn vị" and "Số liệu báo cáo" sheets.

On the known-answer province (`province.py`), TU issues a quarterly round (quý III/2026,
cut-off 14/09/2026, deadline 21/09/2026) of TK-CB to its communes XA and XB; XA corrects
the party members of its total (0 → 1) with a reason and submits on 16/09, XB on 18/09;
TU accepts XA and returns XB on 22/09. The dates lie in the past, as an import requires.
"""

import datetime as dt

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from canbo.accounts.models import Role
from canbo.core.models import AuditEvent, AuditSource
from canbo.directives.models import Directive, MonitoringGroup, Task, TaskAssignment
from canbo.exchange.exporter import selection_for, write_json, write_xlsx
from canbo.exchange.registry import registry
from canbo.organizations.choices import UnitLevel
from canbo.organizations.models import Area, Position, PositionTitle, Term, Unit, UnitSuccession
from canbo.people.models import Assignment, Person
from canbo.reports import services
from canbo.reports.models import ReportRound, Submission, SubmissionCorrection, SubmissionStatus
from canbo.reports.periods import PeriodKind
from tests.exchange.conftest import json_package, run_import
from tests.factories import UserFactory, grant

from . import province

pytestmark = pytest.mark.django_db

EXPORTED_AT = timezone.make_aware(dt.datetime(2026, 11, 29, 9, 30))
ISSUED, CUT_OFF, DEADLINE = dt.date(2026, 9, 1), dt.date(2026, 9, 14), dt.date(2026, 9, 21)
NUMBER = "BC TK-CB/2026-Q3"
REASON = "Đồng chí Lan được kết nạp Đảng ngày 01/09/2026, hồ sơ chưa cập nhật"
RETURNED = "Thiếu đồng chí mới được điều động về xã."
# The sheets' titles (the package module is not imported while the tests are collected).
ROUNDS, SUBMISSIONS, CELLS = "Đợt báo cáo", "Báo cáo đơn vị", "Số liệu báo cáo"


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def issued(world):
    """The province, its editor and an administrator, and the round (no submission yet)."""
    s = province.build(world)
    s.world = world
    s.editor = UserFactory(username="sua_tinh", role=Role.EDITOR)
    grant(s.editor, world.tu)
    s.admin = UserFactory(username="quantri", role=Role.ADMIN)
    s.round = services.round_create(
        actor=s.editor, form_codes=["TK-CB"], period_kind=PeriodKind.QUARTERLY, year=2026,
        period_number=3, deadline=DEADLINE, issuing_unit=world.tu, level=UnitLevel.COMMUNE,
        issued_on=ISSUED, note="Gửi kèm\nbản ký số")  # fmt: skip
    return s


def submit_xa(s):
    editor_a = s.world.editor_a
    s.xa = services.open_submission(actor=editor_a, report_round=s.round, unit=s.world.xa,
                                    form_code="TK-CB", now=at(dt.date(2026, 9, 15)))  # fmt: skip
    services.correct_cell(actor=editor_a, submission=s.xa, row="total", column="party", value=1,
                          reason=REASON, now=at(dt.date(2026, 9, 15), 9, 30))  # fmt: skip
    services.submit(actor=editor_a, submission=s.xa, now=at(dt.date(2026, 9, 16), 10, 30))


@pytest.fixture
def story(issued):
    s = issued
    submit_xa(s)
    s.xb = services.open_submission(actor=s.editor, report_round=s.round, unit=s.world.xb,
                                    form_code="TK-CB", now=at(dt.date(2026, 9, 15)))  # fmt: skip
    services.submit(actor=s.editor, submission=s.xb, now=at(dt.date(2026, 9, 18), 8))
    services.accept(actor=s.editor, submission=s.xa, now=at(dt.date(2026, 9, 22), 14))
    services.return_submission(actor=s.editor, submission=s.xb, comment=RETURNED,
                               now=at(dt.date(2026, 9, 22), 15))  # fmt: skip
    return s


def export(path, user=None, unit=None):
    selection = selection_for(user=user, unit_code=unit, exported_at=EXPORTED_AT)
    if path.suffix == ".json":
        with path.open("w", encoding="utf-8") as handle:
            write_json(selection, handle)
    else:
        write_xlsx(selection, str(path))
    return selection.counts


def sheets_of(path):
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def wipe():
    Directive.objects.filter(implements__isnull=False).delete()
    for model in (SubmissionCorrection, Submission, ReportRound, TaskAssignment, Task, Directive,
                  MonitoringGroup, Assignment, Person, Position, UnitSuccession, Unit, Term,
                  PositionTitle, Area, AuditEvent):  # fmt: skip
        model.objects.all().delete()


def state():
    """The rounds, submissions, corrected cells and assignments, comparable."""
    return (
        sorted(ReportRound.objects.values_list(
            "task__directive__number", "task__order", "issuing_unit__code", "name", "form_codes",
            "period_kind", "year", "period_number", "period_start", "period_end", "deadline",
            "level", "kind", "within__code", "group__name", "note"), key=str),
        sorted(Submission.objects.values_list(
            "round__task__directive__number", "unit__code", "form_code", "status", "counts",
            "computed_at", "submitted_at", "decided_at", "comment"), key=str),
        sorted(SubmissionCorrection.objects.values_list(
            "submission__unit__code", "row", "column", "computed", "corrected", "reason",
            "corrected_at")),
        sorted(TaskAssignment.objects.values_list("task__directive__number", "unit__code",
                                                  "completed_on")),
    )  # fmt: skip


def problems(report):
    return [(p.sheet, p.row, p.column, p.message) for p in report.problems]


def report_events():
    models = ("reportround", "submission", "submissioncorrection")
    return AuditEvent.objects.filter(content_type__model__in=models)


XA_TOTAL = {"people": 1, "women": 1, "age_30": 1, "bachelor": 1, "theory_low": 1}


# --- export, round trip ------------------------------------------------------------------


def test_export_writes_the_round_the_submissions_and_their_cells(story, tmp_path):
    path = tmp_path / "goi.xlsx"
    counts = export(path)
    assert (counts[ROUNDS], counts[SUBMISSIONS], counts[CELLS]) == (1, 2, 200)
    book = sheets_of(path)
    assert book[ROUNDS] == [
        [c.header for c in registry.sheet("report_rounds").columns],
        [NUMBER, "TU", 1, "Báo cáo TK-CB – Quý III/2026", "TK-CB", "Quý", 2026, 3, "15/06/2026",
         "14/09/2026", "21/09/2026", "Cấp xã", "", "TU", "", "Gửi kèm\nbản ký số"],
    ]  # fmt: skip
    assert book[SUBMISSIONS] == [
        [c.header for c in registry.sheet("report_submissions").columns],
        [NUMBER, "TU", "XA", "TK-CB", "Đã tiếp nhận", "15/09/2026 09:00", "16/09/2026 10:30",
         "22/09/2026 14:00", "", "Đảng ủy xã An Bình"],
        [NUMBER, "TU", "XB", "TK-CB", "Trả lại", "15/09/2026 09:00", "18/09/2026 08:00",
         "22/09/2026 15:00", RETURNED, "Đảng ủy xã Bình Minh"],
    ]  # fmt: skip
    header, *cells = book[CELLS]
    assert header == [c.header for c in registry.sheet("report_cells").columns]
    # The cells in the printed order: XA's five rows of twenty count columns, then XB's.
    assert cells[0] == [NUMBER, "TU", "XA", "TK-CB", "total", "people", 1, "", "", "", "Tổng số",
                        "Tổng số cán bộ"]  # fmt: skip
    assert [row[4:6] for row in cells[:21:20]] == [["total", "people"], ["central", "people"]]
    assert [row for row in cells if row[7] != ""] == [
        [NUMBER, "TU", "XA", "TK-CB", "total", "party", 0, 1, REASON, "15/09/2026 09:30",
         "Tổng số", "Đảng viên"],
    ]  # fmt: skip
    assert {row[5]: row[6] for row in cells[:20] if row[6]} == XA_TOTAL


def test_a_communes_editor_exports_its_own_submission_only(story, tmp_path):
    counts = export(tmp_path / "xa.json", user=story.world.editor_a)
    assert (counts[ROUNDS], counts[SUBMISSIONS], counts[CELLS]) == (1, 1, 100)


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_round_trip_into_an_empty_database_is_the_identity(story, tmp_path, suffix):
    before = state()
    first = tmp_path / f"mot{suffix}"
    counts = export(first)
    wipe()
    report = run_import(first, actor=story.admin)
    assert report.ok, problems(report)
    assert report.created == sum(counts.values())
    assert state() == before
    assert Submission.objects.filter(submitted_by__isnull=False).count() == 0  # not in a package
    events = report_events()
    assert sorted(events.values_list("content_type__model", flat=True)) == [
        "reportround",
        "submission",
        "submission",
        "submissioncorrection",
    ]
    assert set(events.values_list("source", flat=True)) == {AuditSource.IMPORT}
    second = tmp_path / f"hai{suffix}"
    export(second)
    if suffix == ".json":
        assert second.read_text() == first.read_text()
    else:
        assert sheets_of(second) == sheets_of(first)
    total = AuditEvent.objects.count()
    again = run_import(first, actor=story.admin)
    assert again.ok and (again.created, again.updated) == (0, 0)
    assert (state(), AuditEvent.objects.count()) == (before, total)


def test_reimport_into_the_same_database_changes_nothing(story, tmp_path):
    path = tmp_path / "goi.json"
    export(path, user=story.editor)
    before, events = state(), AuditEvent.objects.count()
    report = run_import(path, actor=story.editor)
    assert report.ok, problems(report)
    assert (report.created, report.updated) == (0, 0)
    assert tuple(report.counts[t].unchanged for t in (ROUNDS, SUBMISSIONS, CELLS)) == (1, 2, 200)
    assert (state(), AuditEvent.objects.count()) == (before, events)


# --- between installations ----------------------------------------------------------------


def test_a_submission_travels_up_and_its_acceptance_back_down(issued, tmp_path):
    s = issued
    submit_xa(s)
    up = tmp_path / "len.json"
    export(up, user=s.world.editor_a)  # the commune's package, sent up
    sent = state()
    # The province's installation: the round and its assignments, not XA's submission yet.
    Submission.objects.all().delete()
    TaskAssignment.objects.update(completed_on=None)
    report = run_import(up, actor=s.editor)
    assert report.ok, problems(report)
    assert {
        t: (c.created, c.updated) for t, c in report.counts.items() if c.created or c.updated
    } == {"Giao nhiệm vụ": (0, 1), SUBMISSIONS: (1, 0), CELLS: (100, 0)}
    assert state() == sent
    received = Submission.objects.get(unit=s.world.xa)
    assert (received.status, received.submitted_by, received.effective()[("total", "party")]) == (
        SubmissionStatus.SUBMITTED,
        None,
        1,
    )
    assert received.corrections.get().reason == REASON
    again = run_import(up, actor=s.editor)
    assert again.ok and (again.created, again.updated) == (0, 0)

    services.accept(actor=s.editor, submission=received, comment="Đạt",
                    now=at(dt.date(2026, 9, 22), 14))  # fmt: skip
    down = tmp_path / "xuong.json"
    export(down, user=s.editor, unit="XA")  # the province's package for XA, sent down
    decided = state()
    # The commune's installation: its submission still waiting.
    Submission.objects.update(status=SubmissionStatus.SUBMITTED, decided_at=None, decided_by=None,
                              comment="")  # fmt: skip
    refused = run_import(down, actor=s.world.editor_a)
    assert problems(refused) == [(SUBMISSIONS, 1, "Tình trạng", DECIDER)]
    report = run_import(down, actor=s.admin)  # the commune's administrator records the decision
    assert report.ok, problems(report)
    assert report.counts[SUBMISSIONS].updated == 1
    assert state() == decided


# --- changing what the database holds ------------------------------------------------------

SUBMISSION = {"directive_number": NUMBER, "issuing_unit": "TU", "unit": "XA", "form": "TK-CB",
              "status": "Đã gửi", "computed_at": "15/09/2026 09:00",
              "submitted_at": "16/09/2026 10:30"}  # fmt: skip
CELL = {"directive_number": NUMBER, "issuing_unit": "TU", "unit": "XA", "form": "TK-CB",
        "row": "total", "column": "women", "computed": 1}  # fmt: skip
DECIDER = ("Chỉ cấp trên (có quyền sửa với đơn vị yêu cầu báo cáo và đơn vị báo cáo) mới tiếp "
           "nhận hoặc trả lại báo cáo.")  # fmt: skip


def row_of(base: dict, **over) -> dict:
    return {key: value for key, value in {**base, **over}.items() if value is not None}


def test_a_returned_submission_is_sent_again_with_a_changed_cell(story, tmp_path):
    path = json_package(tmp_path / "goi.json", {
        "report_submissions": [row_of(SUBMISSION, unit="XB", submitted_at="23/09/2026 08:15",
                                      comment=RETURNED)],
        "report_cells": [row_of(CELL, unit="XB", column="people", computed=3)],
    })  # fmt: skip
    report = run_import(path, actor=story.editor)
    assert report.ok, problems(report)
    assert (report.counts[SUBMISSIONS].updated, report.counts[CELLS].updated) == (1, 1)
    xb = Submission.objects.get(unit=story.world.xb)
    assert (
        xb.status,
        xb.submitted_at,
        xb.decided_at,
        xb.decided_by,
        xb.counts["total:people"],
    ) == (SubmissionStatus.SUBMITTED, at(dt.date(2026, 9, 23), 8, 15), None, None, 3)
    assert len(xb.counts) == 100  # the cells the package leaves out are kept
    entry = report_events().filter(content_type__model="submission").latest("pk")
    assert (entry.action, entry.source, sorted(entry.changes)) == (
        "update", AuditSource.IMPORT, ["counts", "decided_at", "decided_by", "status",
                                       "submitted_at", "submitted_by"])  # fmt: skip


@pytest.mark.parametrize(("over", "column", "message"), [
    ({"status": "Đang lập", "submitted_at": None}, "Tình trạng",
     "Báo cáo đã được gửi: không trở lại tình trạng đang lập được."),
    ({}, "Thời điểm gửi",
     "Báo cáo đã bị trả lại lúc 22/09/2026 15:00, sau lần gửi này: gói này cũ hơn việc trả lại."),
], ids=["back to a draft", "an older sending"])  # fmt: skip
def test_an_older_package_does_not_undo_a_return(story, tmp_path, over, column, message):
    before = state()
    sent = row_of(SUBMISSION, **{"unit": "XB", "submitted_at": "18/09/2026 08:00", **over})
    path = json_package(tmp_path / "goi.json", {"report_submissions": [sent]})
    assert problems(run_import(path, actor=story.editor)) == [(SUBMISSIONS, 1, column, message)]
    assert state() == before


def test_a_blank_corrected_value_withdraws_the_correction_of_a_draft(issued, tmp_path):
    s = issued
    xa = services.open_submission(actor=s.editor, report_round=s.round, unit=s.world.xa,
                                  form_code="TK-CB", now=at(dt.date(2026, 9, 15)))  # fmt: skip
    services.correct_cell(actor=s.editor, submission=xa, row="total", column="party", value=1,
                          reason=REASON, now=at(dt.date(2026, 9, 15), 9, 30))  # fmt: skip
    path = json_package(tmp_path / "goi.json", {"report_cells": [
        {**row_of(CELL, column="party", computed=0), "corrected": ""}]})  # fmt: skip
    report = run_import(path, actor=s.editor)
    assert report.ok, problems(report)
    assert report.counts[CELLS].updated == 1
    assert SubmissionCorrection.objects.count() == 0
    entry = report_events().get(action="delete")
    assert entry.changes["corrected"] == [1, None]


FROZEN = {
    "an accepted submission's comment": (
        [row_of(SUBMISSION, status="Đã tiếp nhận", decided_at="22/09/2026 14:00", comment="Đạt")],
        [], (SUBMISSIONS, "Ý kiến của cấp trên",
             "Báo cáo đã được cấp trên tiếp nhận: không thay đổi được.")),
    "an accepted submission's cell": (
        [], [row_of(CELL, computed=2)],
        (CELLS, "Số tính từ hồ sơ", "Báo cáo đã được cấp trên tiếp nhận: số liệu không thay đổi "
         "được.")),
    "an accepted submission's new correction": (
        [], [row_of(CELL, corrected=2, reason="Bổ sung")],
        (CELLS, "Số sửa", "Báo cáo đã được cấp trên tiếp nhận: số liệu không thay đổi được.")),
}  # fmt: skip


@pytest.mark.parametrize("case", FROZEN)
def test_an_accepted_submission_does_not_change(story, tmp_path, case):
    submissions, cells, (sheet, column, message) = FROZEN[case]
    before, events = state(), AuditEvent.objects.count()
    path = json_package(tmp_path / "goi.json", {"report_submissions": submissions,
                                                "report_cells": cells})  # fmt: skip
    assert problems(run_import(path, actor=story.editor)) == [(sheet, 1, column, message)]
    assert (state(), AuditEvent.objects.count()) == (before, events)


WAITING = ("Báo cáo đã gửi, đang chờ cấp trên xem xét: không sửa được. Nếu cần sửa, đề nghị cấp "
           "trên trả lại báo cáo.")  # fmt: skip


@pytest.mark.parametrize(("submissions", "cells", "expected"), [
    ([row_of(SUBMISSION, submitted_at="17/09/2026 08:00")], [],
     (SUBMISSIONS, "Thời điểm gửi", WAITING)),
    ([row_of(SUBMISSION, status="Đang lập", submitted_at=None)], [],
     (SUBMISSIONS, "Tình trạng", WAITING)),
    ([], [row_of(CELL, column="party", computed=0, corrected=2, reason=REASON)],
     (CELLS, "Số sửa", WAITING)),
], ids=["sent again", "back to a draft", "a corrected value"])  # fmt: skip
def test_a_waiting_submission_may_only_be_decided(issued, tmp_path, submissions, cells, expected):
    submit_xa(issued)
    before = state()
    path = json_package(tmp_path / "goi.json", {"report_submissions": submissions,
                                                "report_cells": cells})  # fmt: skip
    sheet, column, message = expected
    assert problems(run_import(path, actor=issued.editor)) == [(sheet, 1, column, message)]
    assert state() == before


# --- a round and its submissions arriving together -------------------------------------------

DIRECTIVE = {"number": "BC-Q3", "kind": "Công văn", "issued_on": "01/09/2026",
             "issuing_unit": "TU", "title": "Báo cáo quý III"}  # fmt: skip
TASK = {"directive_number": "BC-Q3", "directive_unit": "TU", "order": 1, "content": "Gửi báo cáo",
        "start_on": "14/09/2026", "deadline": "21/09/2026"}  # fmt: skip
ROUND = {"directive_number": "BC-Q3", "issuing_unit": "TU", "task_order": 1,
         "name": "Báo cáo quý III", "form_codes": "TK-CB; m1a", "period_kind": "Quý", "year": 2026,
         "period_number": 3, "period_start": "15/06/2026", "period_end": "14/09/2026",
         "deadline": "21/09/2026", "level": "Cấp xã", "within": "TU"}  # fmt: skip


def new_round(**over) -> dict:
    return {"directives": [DIRECTIVE], "tasks": [TASK], "report_rounds": [row_of(ROUND, **over)]}


def test_a_package_brings_a_round_its_assignments_and_a_submission(issued, tmp_path):
    path = json_package(tmp_path / "goi.json", {
        **new_round(),
        "task_assignments": [{"directive_number": "BC-Q3", "directive_unit": "TU", "task_order": 1,
                              "unit": unit} for unit in ("XA", "XB")],
        "report_submissions": [row_of(SUBMISSION, directive_number="BC-Q3", form="m1a")],
        "report_cells": [row_of(CELL, directive_number="BC-Q3", form="M1A", row="total",
                                column="planned", computed=2)],
    })  # fmt: skip
    report = run_import(path, actor=issued.editor)
    assert report.ok, problems(report)
    assert {t: c.created for t, c in report.counts.items() if c.created} == {
        "Văn bản chỉ đạo": 1, "Nhiệm vụ": 1, "Giao nhiệm vụ": 2, ROUNDS: 1, SUBMISSIONS: 1,
        CELLS: 1}  # fmt: skip
    created = ReportRound.objects.get(task__directive__number="BC-Q3")
    assert (created.form_codes, created.within, created.period_end) == (
        ["TK-CB", "M1A"],
        issued.world.tu,
        CUT_OFF,
    )
    submission = created.submissions.get()
    assert (submission.form_code, submission.counts["total:planned"], len(submission.counts)) == (
        "M1A",
        2,
        len(FORMS_M1A_CELLS()),
    )  # the cells left out are 0
    assert sum(submission.counts.values()) == 2


def FORMS_M1A_CELLS():
    from canbo.reports.forms import FORMS

    return FORMS["M1A"].count_keys()


ROUND_GUARDS = {
    "unknown directive": (
        {"directive_number": "BC-KHAC"}, "Số văn bản",
        "Không có văn bản số “BC-KHAC” của cơ quan “TU” trong sheet Văn bản chỉ đạo của gói hay "
        "trong hệ thống."),
    "unknown task": (
        {"task_order": 2}, "Thứ tự nhiệm vụ",
        "Văn bản này không có nhiệm vụ thứ tự 2 trong sheet Nhiệm vụ của gói hay trong hệ thống."),
    "unknown form": ({"form_codes": "TK-CB; XX"}, "Các biểu", "Không có biểu báo cáo mã XX."),
    "a form twice": ({"form_codes": "TK-CB; tk-cb"}, "Các biểu", "Mỗi biểu chỉ chọn một lần."),
    "no form": ({"form_codes": ";"}, "Các biểu", "Hãy chọn ít nhất một biểu báo cáo."),
    "no year": ({"year": None}, "Năm", "Hãy nhập năm của kỳ báo cáo."),
    "no quarter": ({"period_number": None}, "Quý, tháng", "Hãy chọn quý hoặc tháng của kỳ báo cáo."),
    "a fifth quarter": ({"period_number": 5}, "Quý, tháng", "Hãy chọn quý (từ 1 đến 4)."),
    "start after the cut-off": (
        {"period_start": "15/09/2026"}, "Từ ngày",
        "Ngày bắt đầu kỳ phải trước hoặc đúng ngày chốt số liệu."),
    "deadline not the task's": (
        {"deadline": "22/09/2026"}, "Hạn gửi báo cáo",
        "Hạn gửi báo cáo phải đúng Thời hạn của nhiệm vụ báo cáo (21/09/2026)."),
    "unknown group": (
        {"group": "Nhóm lạ"}, "Nhóm đơn vị theo dõi",
        "Không có nhóm đơn vị theo dõi “Nhóm lạ” trong sheet Nhóm theo dõi của gói hay trong hệ "
        "thống."),
    "unknown period kind": (
        {"period_kind": "Hàng tuần"}, "Loại kỳ báo cáo",
        "“Hàng tuần” không có trong danh mục. Giá trị hợp lệ: Năm; 6 tháng; 9 tháng; Quý; Tháng; "
        "Đột xuất."),
}  # fmt: skip


@pytest.mark.parametrize("guard", ROUND_GUARDS)
def test_each_round_guard_is_reported_and_nothing_is_written(issued, tmp_path, guard):
    over, column, message = ROUND_GUARDS[guard]
    before, events = state(), AuditEvent.objects.count()
    report = run_import(json_package(tmp_path / "goi.json", new_round(**over)), actor=issued.editor)
    assert problems(report) == [(ROUNDS, 1, column, message)]
    assert (state(), AuditEvent.objects.count()) == (before, events)


def test_a_deadline_before_the_cut_off_is_refused_twice(issued, tmp_path):
    report = run_import(json_package(tmp_path / "goi.json", new_round(deadline="13/09/2026")),
                        actor=issued.editor)  # fmt: skip
    assert problems(report) == [
        (ROUNDS, 1, "Hạn gửi báo cáo", "Hạn gửi báo cáo không được trước ngày chốt số liệu."),
        (ROUNDS, 1, "Hạn gửi báo cáo",
         "Hạn gửi báo cáo phải đúng Thời hạn của nhiệm vụ báo cáo (21/09/2026)."),
    ]  # fmt: skip


def test_an_issued_rounds_period_forms_and_units_are_fixed(issued, tmp_path):
    stored = {"directive_number": NUMBER, "issuing_unit": "TU", "task_order": 1,
              "name": "Báo cáo quý III (sửa tên)", "form_codes": "TK-CB", "period_kind": "Quý",
              "year": 2026, "period_number": 3, "period_start": "15/06/2026",
              "period_end": "14/09/2026", "deadline": "21/09/2026", "level": "Cấp xã",
              "within": "TU", "note": "Gửi kèm\nbản ký số"}  # fmt: skip
    before = state()
    report = run_import(json_package(tmp_path / "a.json", {"report_rounds": [
        {**stored, "form_codes": "TK-CB; M1A"}, ]}), actor=issued.editor)  # fmt: skip
    assert problems(report) == [(ROUNDS, 1, "Các biểu", "Kỳ báo cáo, các biểu và đơn vị báo cáo "
                                 "của đợt đã ban hành không thay đổi được.")]  # fmt: skip
    assert state() == before
    report = run_import(json_package(tmp_path / "b.json", {"report_rounds": [stored]}),
                        actor=issued.editor)  # fmt: skip
    assert report.ok and report.counts[ROUNDS].updated == 1
    issued.round.refresh_from_db()
    assert issued.round.name == "Báo cáo quý III (sửa tên)"


SUBMISSION_GUARDS = {
    "unknown round": (
        {"directive_number": "99/BC"}, "Số văn bản",
        "Không có đợt báo cáo theo văn bản số “99/BC” của đơn vị “TU” trong sheet Đợt báo cáo "
        "của gói hay trong hệ thống."),
    "unknown unit": ({"unit": "ZZ"}, "Mã đơn vị báo cáo",
                     "Không có đơn vị mã “ZZ” trong gói hay trong hệ thống."),
    "a unit not asked to report": (
        {"unit": "TU"}, "Mã đơn vị báo cáo",
        "Đơn vị “TU” không được giao báo cáo trong đợt này (sheet Giao nhiệm vụ của gói hay "
        "trong hệ thống)."),
    "unknown form": ({"form": "XX"}, "Mã biểu", "Không có biểu báo cáo mã “XX”."),
    "a form outside the round": ({"form": "M1A"}, "Mã biểu", "Đợt báo cáo này không có biểu M1A."),
    "unknown status": (
        {"status": "Đã duyệt"}, "Tình trạng",
        "“Đã duyệt” không có trong danh mục. Giá trị hợp lệ: Đang lập; Đã gửi; Đã tiếp nhận; "
        "Trả lại."),
    "a draft already sent": (
        {"status": "Đang lập"}, "Thời điểm gửi",
        "Báo cáo đang lập chưa được gửi: để trống Thời điểm gửi."),
    "sent without its moment": (
        {"submitted_at": None}, "Thời điểm gửi", "Báo cáo đã gửi phải có Thời điểm gửi."),
    "waiting with a decision's moment": (
        {"decided_at": "22/09/2026 14:00"}, "Thời điểm tiếp nhận, trả lại",
        "Báo cáo chưa được tiếp nhận hay trả lại: để trống Thời điểm tiếp nhận, trả lại."),
    "accepted without its moment": (
        {"status": "Đã tiếp nhận"}, "Thời điểm tiếp nhận, trả lại",
        "Báo cáo đã được tiếp nhận hoặc trả lại phải có Thời điểm tiếp nhận, trả lại."),
    "returned without a comment": (
        {"status": "Trả lại", "decided_at": "22/09/2026 14:00"}, "Ý kiến của cấp trên",
        "Trả lại báo cáo thì phải ghi ý kiến."),
    "decided before it was sent": (
        {"status": "Đã tiếp nhận", "decided_at": "16/09/2026 10:29"},
        "Thời điểm tiếp nhận, trả lại",
        "Thời điểm tiếp nhận, trả lại không được trước thời điểm gửi."),
    "sent before the cut-off": (
        {"submitted_at": "13/09/2026 23:59"}, "Thời điểm gửi",
        "Thời điểm gửi không được trước ngày chốt số liệu (14/09/2026)."),
    "sent in the future": (
        {"submitted_at": "01/01/2099 08:00"}, "Thời điểm gửi",
        "Thời điểm này không được sau ngày hôm nay."),
    "an unreadable moment": (
        {"submitted_at": "16/09/2026 25:00"}, "Thời điểm gửi",
        "Không đọc được ngày giờ “16/09/2026 25:00”; hãy ghi dd/mm/yyyy hh:mm."),
}  # fmt: skip


@pytest.mark.parametrize("guard", SUBMISSION_GUARDS)
def test_each_submission_guard_is_reported_and_nothing_is_written(issued, tmp_path, guard):
    over, column, message = SUBMISSION_GUARDS[guard]
    before, events = state(), AuditEvent.objects.count()
    path = json_package(tmp_path / "goi.json", {"report_submissions": [row_of(SUBMISSION, **over)]})
    assert problems(run_import(path, actor=issued.editor)) == [(SUBMISSIONS, 1, column, message)]
    assert (state(), AuditEvent.objects.count()) == (before, events)


CELL_GUARDS = {
    "unknown row": ({"row": "xyz"}, "Mã dòng", "Biểu TK-CB không có dòng xyz."),
    "unknown column": ({"column": "xyz"}, "Mã cột", "Biểu TK-CB không có cột xyz."),
    "a share": (
        {"column": "women_share"}, "Mã cột",
        "Cột women_share của biểu TK-CB là tỷ lệ, hệ số: hệ thống tính lại từ các ô số lượng, "
        "không ghi trong gói."),
    "a negative count": ({"computed": -1}, "Số tính từ hồ sơ", "Số liệu phải là số nguyên không âm."),
    "a negative correction": (
        {"corrected": -2, "reason": "Bổ sung"}, "Số sửa", "Số liệu phải là số nguyên không âm."),
    "a correction without its reason": ({"corrected": 2}, "Lý do sửa", "Hãy ghi lý do sửa số liệu."),
    "a correction equal to the count": (
        {"corrected": 1, "reason": "Bổ sung"}, "Số sửa",
        "Số sửa bằng số tính từ hồ sơ (1): không cần sửa."),
    "a reason without a correction": (
        {"reason": "Bổ sung"}, "Lý do sửa", "Chỉ ghi lý do sửa khi có Số sửa."),
    "a cell twice": (None, "Mã cột", "Trùng với dòng 1 của sheet này."),
    "a submission nowhere": (
        {"unit": "XB"}, "Mã biểu",
        "Không có báo cáo biểu TK-CB của đơn vị “XB” trong đợt này trong sheet Báo cáo đơn vị "
        "của gói hay trong hệ thống."),
}  # fmt: skip


@pytest.mark.parametrize("guard", CELL_GUARDS)
def test_each_cell_guard_is_reported_and_nothing_is_written(issued, tmp_path, guard):
    over, column, message = CELL_GUARDS[guard]
    cells = [CELL, CELL] if over is None else [row_of(CELL, **over)]
    before, events = state(), AuditEvent.objects.count()
    path = json_package(tmp_path / "goi.json", {"report_submissions": [SUBMISSION],
                                                "report_cells": cells})  # fmt: skip
    assert problems(run_import(path, actor=issued.editor)) == [(CELLS, len(cells), column, message)]
    assert (state(), AuditEvent.objects.count()) == (before, events)


def test_cells_of_a_refused_submission_say_so_once(issued, tmp_path):
    path = json_package(
        tmp_path / "goi.json",
        {"report_submissions": [row_of(SUBMISSION, submitted_at=None)], "report_cells": [CELL]},
    )
    assert problems(run_import(path, actor=issued.editor)) == [
        (SUBMISSIONS, 1, "Thời điểm gửi", "Báo cáo đã gửi phải có Thời điểm gửi."),
        (CELLS, 1, "Mã biểu", "Báo cáo biểu “TK-CB” không được nhập vì dòng 1 của sheet “Báo cáo "
         "đơn vị” có lỗi (xem lỗi ở dòng đó)."),
    ]  # fmt: skip


# --- scope ---------------------------------------------------------------------------------

OUTSIDE = "Ngoài phạm vi quyền của bạn; gói bị từ chối toàn bộ."


def test_a_communes_editor_writes_its_own_submission_only(issued, tmp_path):
    editor_a = issued.world.editor_a
    renamed = json_package(tmp_path / "a.json", {"report_rounds": [
        {"directive_number": NUMBER, "issuing_unit": "TU", "task_order": 1, "name": "Đổi tên",
         "form_codes": "TK-CB", "period_kind": "Quý", "year": 2026, "period_number": 3,
         "period_start": "15/06/2026", "period_end": "14/09/2026", "deadline": "21/09/2026",
         "level": "Cấp xã"}]})  # fmt: skip
    assert problems(run_import(renamed, actor=editor_a)) == [
        (ROUNDS, 1, "Mã đơn vị yêu cầu báo cáo", OUTSIDE)
    ]
    path = json_package(tmp_path / "b.json", {"report_submissions": [row_of(SUBMISSION, unit="XB")],
                                              "report_cells": [row_of(CELL, unit="XB")]})  # fmt: skip
    assert problems(run_import(path, actor=editor_a)) == [
        (SUBMISSIONS, 1, "Mã đơn vị báo cáo", OUTSIDE),
        (CELLS, 1, "Mã đơn vị báo cáo", OUTSIDE),
    ]
    decided = json_package(tmp_path / "c.json", {"report_submissions": [
        row_of(SUBMISSION, status="Đã tiếp nhận", decided_at="22/09/2026 14:00")]})  # fmt: skip
    assert problems(run_import(decided, actor=editor_a)) == [
        (SUBMISSIONS, 1, "Tình trạng", DECIDER)
    ]
    own = json_package(tmp_path / "d.json", {"report_submissions": [SUBMISSION],
                                             "report_cells": [CELL]})  # fmt: skip
    report = run_import(own, actor=editor_a)
    assert report.ok, problems(report)
    assert Submission.objects.get().counts["total:women"] == 1
