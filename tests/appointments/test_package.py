"""Appointment cases, their steps and tallies in the data package (issue 19 item 8).

The world (tests/conftest.py): Tỉnh ủy (TU) > Đảng ủy xã An Bình (XA), Bình Minh (XB);
sua_a edits XA. Stored: Hoa's appointment as Phó Bí thư of XA (internal; steps 1–3
closed, 2 and 3 with agreed tallies; step 4 open with one entry typed), Lan's
appointment decided (external) and Lan's nomination stopped.
"""

import datetime as dt

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from canbo.accounts.models import Role
from canbo.appointments import services, steps
from canbo.appointments.choices import CaseKind, CaseOutcome, StepResult
from canbo.appointments.models import AppointmentCase, CaseStep, StepTally, TallyLine
from canbo.appointments.steps import Votes
from canbo.core.models import AuditEvent, AuditSource
from canbo.exchange.exporter import selection_for, write_json, write_xlsx
from canbo.exchange.registry import registry
from canbo.organizations.models import Area, Position, PositionTitle, Term, Unit, UnitSuccession
from canbo.people.models import Assignment, Person
from tests.exchange.conftest import json_package, run_import
from tests.factories import UserFactory, grant
from tests.planning.factories import make_person, make_position

pytestmark = pytest.mark.django_db

EXPORTED_AT = timezone.make_aware(dt.datetime(2026, 11, 29, 9, 30))
OPENED = dt.date(2026, 3, 2)
HOA, LAN, BINH = "001180000001", "001079000002", "001080000003"
NO_PERSON = "Không có cán bộ với số định danh này trong gói hay trong hệ thống."
MODELS = (TallyLine, StepTally, CaseStep, AppointmentCase)
# The sheets' titles. The package module is not imported here: importing it while the tests
# are collected would register its part before planning's and change the sheets' order.
CASES, STEPS, TALLIES = "Hồ sơ bổ nhiệm", "Bước quy trình", "Kết quả kiểm phiếu"


@pytest.fixture
def stored(world):
    class S:
        post = make_position(world.xa, "X-PBT", "Phó Bí thư Đảng ủy xã", 35)
        chair = make_position(world.xb, "B-CT", "Chủ tịch UBND xã", 30)
        hoa = make_person("Nguyễn", "Thị", "Hoa", "F", dt.date(1980, 4, 5), unit=world.xa,
                          id_number=HOA)
        lan = make_person("Trần", "Văn", "Lan", "M", dt.date(1979, 1, 9), unit=world.xa,
                          id_number=LAN)
        binh = make_person("Lê", "Văn", "Bình", "M", dt.date(1980, 2, 2), unit=world.xb,
                           id_number=BINH)
        second = UserFactory(username="sua_a2", role=Role.EDITOR)
        admin = UserFactory(username="quantri", role=Role.ADMIN)

    grant(S.second, world.xa)
    editor = world.editor_a
    S.case = services.case_open(actor=editor, person=S.hoa, kind=CaseKind.APPOINT,
                                position=S.post, competent_unit=world.xa, opened_on=OPENED)
    for number, hoa_for in ((1, None), (2, 10), (3, 7), (4, None)):
        step = steps.step_record(actor=editor, case=S.case, number=number,
                                 held_on=OPENED + dt.timedelta(days=number), summoned=15,
                                 present=12, note=f"Họp bước {number}")
        if hoa_for is not None:
            for actor, round_no in ((editor, 1), (S.second, 2)):
                steps.tally_enter(actor=actor, step=step, round_no=round_no, ballots_valid=11,
                                  ballots_invalid=1, votes=[Votes(S.hoa, hoa_for, 11 - hoa_for),
                                                            Votes(S.lan, 3, 8)])
        if number < 4:
            steps.step_close(actor=editor, step=step, closed_on=step.held_on)
    steps.tally_enter(actor=editor, step=step, round_no=1, ballots_valid=12, ballots_invalid=0,
                      votes=[Votes(S.hoa, 9, 3)])  # step 4: work in progress
    decided = services.case_open(actor=editor, person=S.lan, kind=CaseKind.APPOINT,
                                 position=S.post, competent_unit=world.xa, opened_on=OPENED,
                                 internal=False, dossier_received_on=dt.date(2026, 3, 5))
    services.case_record_dossier(actor=editor, case=decided, received_on=dt.date(2026, 3, 5),
                                 complete_on=dt.date(2026, 3, 10))
    services.case_close(actor=editor, case=decided, closed_on=dt.date(2026, 4, 20),
                        outcome=CaseOutcome.DECIDED, decision_number="15-QĐ/ĐU",
                        decision_date=dt.date(2026, 4, 18))
    nominated = services.case_open(actor=editor, person=S.lan, kind=CaseKind.NOMINATE,
                                   position=S.post, competent_unit=world.xa,
                                   opened_on=dt.date(2026, 5, 4), note="Đại hội\nnhiệm kỳ mới")
    AppointmentCase.objects.filter(pk=nominated.pk).update(election_on=dt.date(2026, 9, 15), seats=1)
    services.case_close(actor=editor, case=nominated, closed_on=dt.date(2026, 6, 1),
                        outcome=CaseOutcome.STOPPED)
    S.world = world
    return S


def export(path, user=None):
    selection = selection_for(user=user, unit_code=None, exported_at=EXPORTED_AT)
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
    for model in (*MODELS, Assignment, Person, Position, UnitSuccession, Unit, Term,
                  PositionTitle, Area, AuditEvent):
        model.objects.all().delete()


def state():
    """Everything the appointments part stores, in a comparable form."""
    return (
        sorted(AppointmentCase.objects.values_list(
            "person__id_number", "kind", "opened_on", "internal", "closed_on", "outcome",
            "decision_number", "decision_date", "term_start", "term_end", "election_on", "seats",
            "note", "dossier_received_on", "dossier_complete_on")),
        sorted(CaseStep.objects.values_list(
            "case__person__id_number", "case__kind", "number", "held_on", "summoned", "present",
            "closed_on", "result", "note")),
        sorted(TallyLine.objects.values_list(
            "tally__step__number", "tally__round", "tally__ballots_valid",
            "tally__ballots_invalid", "candidate__id_number", "votes_for", "votes_against")),
    )


def problems(report):
    return [(p.sheet, p.row, p.column, p.message) for p in report.problems]


# --- export, round trip ------------------------------------------------------------


def test_export_writes_cases_steps_and_only_closed_steps_agreed_tallies(stored, tmp_path):
    path = tmp_path / "goi.xlsx"
    counts = export(path)
    assert (counts[CASES], counts[STEPS],
            counts[TALLIES]) == (3, 4, 4)
    book = sheets_of(path)
    cases = book[CASES]
    assert cases[0] == [c.header for c in registry.sheet("appointment_cases").columns]
    key = [HOA, "Bổ nhiệm", "XA", "X-PBT", "XA", "02/03/2026"]
    assert cases[1:] == [
        [LAN, "Bổ nhiệm", "XA", "X-PBT", "XA", "02/03/2026", "Không", "05/03/2026", "10/03/2026",
         "20/04/2026", "Đã có quyết định", "15-QĐ/ĐU", "18/04/2026", "18/04/2026", "17/04/2031",
         "", "", "", "Trần Văn Lan", "Phó Bí thư Đảng ủy xã"],
        [LAN, "Giới thiệu ứng cử", "XA", "X-PBT", "XA", "04/05/2026", "Có", "", "", "01/06/2026",
         "Dừng quy trình", "", "", "", "", "15/09/2026", 1.0, "Đại hội\nnhiệm kỳ mới",
         "Trần Văn Lan", "Phó Bí thư Đảng ủy xã"],
        key + ["Có", "", "", "", "", "", "", "", "", "", "", "", "Nguyễn Thị Hoa",
               "Phó Bí thư Đảng ủy xã"],
    ]  # fmt: skip
    assert book[STEPS][1:] == [
        key + [1.0, "03/03/2026", 15.0, 12.0, "03/03/2026", "", "Họp bước 1"],
        key + [2.0, "04/03/2026", 15.0, 12.0, "04/03/2026", "Đạt trên 50% tổng số thành viên",
               "Họp bước 2"],
        key + [3.0, "05/03/2026", 15.0, 12.0, "05/03/2026", "Không đạt trên 50%", "Họp bước 3"],
        key + [4.0, "06/03/2026", 15.0, 12.0, "", "", "Họp bước 4"],
    ]  # fmt: skip
    # Step 4 is open: its entry is work in progress and stays where it was typed.
    assert book[TALLIES][1:] == [
        key + [2.0, LAN, 11.0, 1.0, 3.0, 8.0, "Trần Văn Lan"],
        key + [2.0, HOA, 11.0, 1.0, 10.0, 1.0, "Nguyễn Thị Hoa"],
        key + [3.0, LAN, 11.0, 1.0, 3.0, 8.0, "Trần Văn Lan"],
        key + [3.0, HOA, 11.0, 1.0, 7.0, 4.0, "Nguyễn Thị Hoa"],
    ]  # fmt: skip


def test_an_editor_of_another_commune_exports_none_of_these_cases(stored, tmp_path):
    other = UserFactory(username="sua_b", role=Role.EDITOR)
    grant(other, stored.world.xb)
    counts = export(tmp_path / "b.json", user=other)
    assert (counts[CASES], counts[STEPS],
            counts[TALLIES]) == (0, 0, 0)


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_round_trip_into_an_empty_database_is_the_identity(stored, tmp_path, suffix):
    before = state()
    first = tmp_path / f"mot{suffix}"
    counts = export(first)
    wipe()
    report = run_import(first, actor=stored.admin)
    assert report.ok, problems(report)
    assert report.created == sum(counts.values())
    cases, case_steps, lines = before
    # The open step's entry did not travel; each closed step's tally is two entries.
    assert state() == (cases, case_steps, [line for line in lines if line[0] != 4])
    assert sorted(StepTally.objects.values_list("step__number", "round", "entered_by__username")) == [
        (2, 1, "quantri"), (2, 2, "quantri"), (3, 1, "quantri"), (3, 2, "quantri"),
    ]  # fmt: skip
    events = AuditEvent.objects.filter(content_type__model__in=("appointmentcase", "casestep",
                                                                "steptally"))
    assert sorted(set(events.values_list("content_type__model", "source"))) == [
        ("appointmentcase", AuditSource.IMPORT), ("casestep", AuditSource.IMPORT),
        ("steptally", AuditSource.IMPORT),
    ]  # fmt: skip
    assert events.count() == 3 + 4 + 4
    second = tmp_path / f"hai{suffix}"
    export(second)
    if suffix == ".json":
        assert second.read_text() == first.read_text()
    else:
        assert sheets_of(second) == sheets_of(first)
    total = AuditEvent.objects.count()
    again = run_import(first, actor=stored.admin)
    assert again.ok and (again.created, again.updated) == (0, 0)
    assert AuditEvent.objects.count() == total


def test_reimport_into_the_same_database_changes_nothing(stored, tmp_path):
    path = tmp_path / "goi.json"
    export(path, user=stored.world.editor_a)  # the people of XA: those the editor may write
    before, events = state(), AuditEvent.objects.count()
    report = run_import(path, actor=stored.world.editor_a)
    assert report.ok, problems(report)
    assert (report.created, report.updated) == (0, 0)
    assert report.counts[TALLIES].unchanged == 4
    assert (state(), AuditEvent.objects.count()) == (before, events)
    # Without an account too: nothing new to attribute.
    assert run_import(path).ok


# --- importing new cases -----------------------------------------------------------------

KEY = {"person": HOA, "kind": "Bổ nhiệm lại", "unit": "XA", "title": "X-PBT",
       "competent_unit": "XA", "opened_on": "01/07/2026"}  # fmt: skip


def case(**over):
    return {**KEY, **over}


def step(number, held, closed="", **over):
    row = {**KEY, "number": number, "held_on": held, "summoned": 10, "present": 9,
           "closed_on": closed}  # fmt: skip
    return {**row, **over}


def tally(number, candidate, votes_for, against=0, valid=9, invalid=0, **over):
    row = {**KEY, "number": number, "candidate": candidate, "ballots_valid": valid,
           "ballots_invalid": invalid, "votes_for": votes_for, "votes_against": against}  # fmt: skip
    return {**row, **over}


def new_case_package(tmp_path, name="moi.json", **sheets):
    base = {
        "appointment_cases": [case(closed_on="20/07/2026", outcome="Đã có quyết định",
                                   decision_number="20-QĐ/ĐU", decision_date="18/07/2026")],
        "case_steps": [step(1, "02/07/2026", "02/07/2026"), step(2, "03/07/2026", "03/07/2026"),
                       step(3, "04/07/2026", "04/07/2026", result="Đạt đúng 50%, người đứng đầu "
                            "quyết định đồng ý")],
        "step_tallies": [tally(2, HOA, 6, 3), tally(2, LAN, 2, 7), tally(3, HOA, 5, 4)],
    }  # fmt: skip
    base.update(sheets)
    return json_package(tmp_path / name, base)


def test_an_editor_imports_a_new_case_with_its_steps_and_tallies(stored, tmp_path):
    editor = stored.world.editor_a
    path = new_case_package(tmp_path)
    report = run_import(path, actor=editor)
    assert report.ok, problems(report)
    assert {title: (c.created, c.updated, c.unchanged) for title, c in report.counts.items()} == {
        CASES: (1, 0, 0), STEPS: (3, 0, 0),
        TALLIES: (3, 0, 0),
    }  # fmt: skip
    imported = AppointmentCase.objects.get(kind=CaseKind.REAPPOINT)
    # A reappointment decided gets its five-year term from the decision (A8).
    assert (imported.term_start, imported.term_end) == (dt.date(2026, 7, 18), dt.date(2031, 7, 17))
    assert list(imported.steps.values_list("number", "result")) == [
        (1, ""), (2, StepResult.PASSED), (3, StepResult.HEAD_AGREED)]
    tallies = StepTally.objects.filter(step__case=imported).order_by("step__number", "round")
    assert [(t.step.number, t.round, t.entered_by_id, t.ballots_valid) for t in tallies] == [
        (2, 1, editor.pk, 9), (2, 2, editor.pk, 9), (3, 1, editor.pk, 9), (3, 2, editor.pk, 9)]
    assert sorted(TallyLine.objects.filter(tally__step__case=imported).values_list(
        "tally__step__number", "tally__round", "candidate__id_number", "votes_for",
        "votes_against")) == [
        (2, 1, LAN, 2, 7), (2, 1, HOA, 6, 3), (2, 2, LAN, 2, 7), (2, 2, HOA, 6, 3),
        (3, 1, HOA, 5, 4), (3, 2, HOA, 5, 4)]  # fmt: skip
    entry = AuditEvent.objects.filter(content_type__model="steptally").latest("pk")
    assert entry.source == AuditSource.IMPORT
    assert entry.changes["lines"] == [None, [{"candidate": stored.hoa.pk, "votes_for": 5,
                                              "votes_against": 4}]]
    before = state()
    again = run_import(path, actor=editor)
    assert again.ok and (again.created, again.updated) == (0, 0)
    assert state() == before


def test_an_open_case_may_be_closed_and_its_open_step_corrected(stored, tmp_path):
    key = {**KEY, "kind": "Bổ nhiệm", "opened_on": "02/03/2026"}
    path = json_package(tmp_path / "dong.json", {
        "appointment_cases": [{**key, "closed_on": "10/03/2026", "outcome": "Dừng quy trình"}],
        "case_steps": [{**key, "number": 4, "held_on": "07/03/2026", "summoned": 15,
                        "present": 13}],
    })  # fmt: skip
    report = run_import(path, actor=stored.world.editor_a)
    assert report.ok, problems(report)
    assert (report.created, report.updated) == (0, 2)
    stored.case.refresh_from_db()
    assert (stored.case.closed_on, stored.case.outcome) == (dt.date(2026, 3, 10), CaseOutcome.STOPPED)
    assert CaseStep.objects.get(case=stored.case, number=4).present == 13


# --- the guards, each with its message ---------------------------------------------------

DECIDED = {"closed_on": "20/07/2026", "outcome": "Đã có quyết định",
           "decision_number": "20-QĐ/ĐU", "decision_date": "18/07/2026"}  # fmt: skip

CASE_GUARDS = {
    "term end before start": (
        case(**DECIDED, term_start="18/07/2026", term_end="17/07/2026"),
        "Thời hạn giữ chức vụ đến", "Thời hạn giữ chức vụ phải kết thúc sau khi bắt đầu."),
    "term end without start": (
        case(**DECIDED, kind="Miễn nhiệm", term_end="17/07/2031"),
        "Thời hạn giữ chức vụ đến", "Thời hạn giữ chức vụ phải kết thúc sau khi bắt đầu."),
    "decision before opening": (
        case(**{**DECIDED, "decision_date": "30/06/2026"}),
        "Ngày quyết định", "Ngày quyết định không được trước ngày bắt đầu quy trình."),
    "decision after closing": (
        case(**{**DECIDED, "decision_date": "21/07/2026"}),
        "Ngày quyết định", "Ngày quyết định không được sau ngày kết thúc quy trình."),
    "decided without a number": (
        case(**{**DECIDED, "decision_number": ""}), "Số quyết định", "Hãy nhập số quyết định."),
    "decided without a date": (
        case(**{**DECIDED, "decision_date": ""}), "Ngày quyết định", "Hãy nhập ngày quyết định."),
    "stopped with a decision": (
        case(closed_on="20/07/2026", outcome="Dừng quy trình", decision_number="20-QĐ/ĐU"),
        "Số quyết định", "Quy trình dừng lại không có quyết định: không nhập số, ngày quyết định "
        "và thời hạn."),
    "open with a decision": (
        case(decision_date="18/07/2026"),
        "Ngày quyết định", "Quy trình chưa kết thúc không có quyết định: không nhập số, ngày "
        "quyết định và thời hạn."),
    "closed without outcome": (
        case(closed_on="20/07/2026"), "Kết quả", "Kết thúc quy trình phải có ngày và kết quả."),
    "outcome without closing": (
        case(outcome="Dừng quy trình"), "Ngày kết thúc",
        "Kết thúc quy trình phải có ngày và kết quả."),
    "closed before opened": (
        case(closed_on="30/06/2026", outcome="Dừng quy trình"), "Ngày kết thúc",
        "Ngày kết thúc không được trước ngày bắt đầu."),
    "dossier complete before received": (
        case(dossier_received_on="05/07/2026", dossier_complete_on="04/07/2026"),
        "Ngày hồ sơ đầy đủ", "Ngày hồ sơ đầy đủ không được trước ngày nhận hồ sơ."),
    "dossier complete without received": (
        case(dossier_complete_on="04/07/2026"),
        "Ngày nhận hồ sơ", "Có ngày hồ sơ đầy đủ thì phải có ngày nhận hồ sơ."),
    "dossier received before opening": (
        case(dossier_received_on="30/06/2026"),
        "Ngày nhận hồ sơ", "Ngày nhận hồ sơ không được trước ngày bắt đầu quy trình."),
    "opened after today": (
        case(opened_on="01/01/2099"), "Ngày bắt đầu quy trình", "Ngày này không được sau ngày hôm nay."),
    "election day on an appointment": (
        case(election_on="15/09/2026"), "Ngày bầu cử, đại hội",
        "Ngày bầu cử và số lượng cần bầu chỉ dùng cho hồ sơ giới thiệu ứng cử."),
    "no seats to fill": (
        case(kind="Giới thiệu ứng cử", seats=0), "Số lượng cần bầu",
        "Số lượng cần bầu phải từ 1 trở lên."),
    "post outside the competent body": (
        case(unit="XB", title="B-CT"), "Mã đơn vị",
        "Chức danh này không thuộc phạm vi của cấp có thẩm quyền đã chọn."),
    "competent body out of scope": (
        case(competent_unit="XB"), "Mã cấp có thẩm quyền",
        "Không có đơn vị mã “XB” trong gói hay trong hệ thống."),
    "unknown competent body": (
        case(competent_unit="ZZ"), "Mã cấp có thẩm quyền",
        "Không có đơn vị mã “ZZ” trong gói hay trong hệ thống."),
    "person out of scope": (case(person=BINH), "Số định danh cá nhân", NO_PERSON),
    "unknown person": (case(person="001099999999"), "Số định danh cá nhân", NO_PERSON),
    "a second open case": (
        case(kind="Bổ nhiệm"), "Ngày kết thúc",
        "Cán bộ này đã có hồ sơ bổ nhiệm chức danh này đang mở từ 02/03/2026."),
    "a closed case changed": (
        case(kind="Bổ nhiệm", person=LAN, opened_on="02/03/2026", internal="Không",
             closed_on="20/04/2026", outcome="Đã có quyết định", decision_number="16-QĐ/ĐU",
             decision_date="18/04/2026"),
        "Số quyết định", "Quy trình này đã kết thúc ngày 20/04/2026."),
}  # fmt: skip


@pytest.mark.parametrize("guard", CASE_GUARDS)
def test_each_case_guard_is_reported_and_nothing_is_written(stored, tmp_path, guard):
    row, column, message = CASE_GUARDS[guard]
    before, events = state(), AuditEvent.objects.count()
    report = run_import(json_package(tmp_path / "goi.json", {"appointment_cases": [row]}),
                        actor=stored.world.editor_a)
    assert problems(report) == [(CASES, 1, column, message)]
    assert (state(), AuditEvent.objects.count()) == (before, events)


STORED_KEY = {**KEY, "kind": "Bổ nhiệm", "opened_on": "02/03/2026"}

STEP_GUARDS = {
    "present above summoned": (
        {"case_steps": [step(1, "02/07/2026", present=11)]},
        [(STEPS, 1, "Số người có mặt", "Số người có mặt không được lớn hơn số người được triệu "
          "tập (phải lớn hơn 0).")]),
    "previous step missing": (
        {"case_steps": [step(2, "03/07/2026")]},
        [(STEPS, 1, "Bước", "Hãy kết thúc bước 1 trước khi ghi bước 2.")]),
    "previous step open": (
        {"case_steps": [{**STORED_KEY, "number": 5, "held_on": "07/03/2026", "summoned": 15,
                         "present": 12}]},
        [(STEPS, 1, "Bước", "Hãy kết thúc bước 4 trước khi ghi bước 5.")]),
    "held before the previous step": (
        {"case_steps": [step(1, "03/07/2026", "03/07/2026"), step(2, "02/07/2026")]},
        [(STEPS, 2, "Ngày họp", "Ngày họp không được trước ngày họp của bước trước "
          "(03/07/2026).")]),
    "held before opening": (
        {"case_steps": [step(1, "30/06/2026")]},
        [(STEPS, 1, "Ngày họp", "Ngày họp không được trước ngày bắt đầu quy trình.")]),
    "closed before held": (
        {"case_steps": [step(1, "03/07/2026", "02/07/2026")]},
        [(STEPS, 1, "Ngày kết thúc bước", "Ngày kết thúc bước không được trước ngày họp.")]),
    "step number out of range": (
        {"case_steps": [step(6, "03/07/2026")]}, [(STEPS, 1, "Bước", "Bước phải từ 1 đến 5.")]),
    "a closed step changed": (
        {"case_steps": [{**STORED_KEY, "number": 1, "held_on": "03/03/2026", "summoned": 15,
                         "present": 11, "closed_on": "03/03/2026", "note": "Họp bước 1"}]},
        [(STEPS, 1, "Số người có mặt", "Bước 1 đã kết thúc ngày 03/03/2026: không sửa được "
          "nữa.")]),
    "a step of a closed case": (
        {"case_steps": [{**STORED_KEY, "person": LAN, "number": 1, "held_on": "03/03/2026",
                         "summoned": 15, "present": 11}]},
        [(STEPS, 1, "Bước", "Quy trình năm bước chỉ áp dụng với nhân sự tại chỗ; hồ sơ này là "
          "nhân sự từ nơi khác."),
         (STEPS, 1, "Bước", "Quy trình này đã kết thúc ngày 20/04/2026.")]),
    "a case the package and the database lack": (
        {"case_steps": [{**step(1, "03/07/2026"), "opened_on": "02/07/2026"}]},
        [(STEPS, 1, "Ngày bắt đầu quy trình", "Không có hồ sơ này trong sheet Hồ sơ bổ nhiệm "
          "của gói hay trong hệ thống.")]),
    "closed ballot step without a tally": (
        {"case_steps": [step(1, "02/07/2026", "02/07/2026"), step(2, "03/07/2026", "03/07/2026")]},
        [(STEPS, 2, "Ngày kết thúc bước", "Bước bỏ phiếu đã kết thúc phải có kết quả kiểm phiếu "
          "(sheet Kết quả kiểm phiếu).")]),
    "a result the tally contradicts": (
        {"case_steps": [step(1, "02/07/2026", "02/07/2026"),
                        step(2, "03/07/2026", "03/07/2026", result="Không đạt trên 50%")],
         "step_tallies": [tally(2, HOA, 6, 3)]},
        [(STEPS, 2, "Kết quả của nhân sự", "Kết quả không khớp với kết quả kiểm phiếu: 6 phiếu "
          "đồng ý trên 10 người được triệu tập là “Đạt trên 50% tổng số thành viên”.")]),
    "exactly half without the head's decision": (
        {"case_steps": [step(1, "02/07/2026", "02/07/2026"), step(2, "03/07/2026", "03/07/2026")],
         "step_tallies": [tally(2, HOA, 5, 4)]},
        [(STEPS, 2, "Kết quả của nhân sự", "Nhân sự đạt đúng 50% tổng số thành viên: cần ghi "
          "quyết định của người đứng đầu.")]),
    "a result on an open step": (
        {"case_steps": [step(1, "02/07/2026", result="Không đạt trên 50%")]},
        [(STEPS, 1, "Kết quả của nhân sự", "Bước chưa kết thúc và bước 1 không có kết quả.")]),
    "tally above those present": (
        {"step_tallies": [tally(2, HOA, 6, 3, valid=9, invalid=1)]},
        [(TALLIES, 1, "Số phiếu hợp lệ", "Tổng số phiếu hợp lệ và không hợp lệ (10) lớn hơn số "
          "người có mặt (9).")]),
    "votes above the valid ballots": (
        {"step_tallies": [tally(2, HOA, 6, 4)]},
        [(TALLIES, 1, "Số phiếu đồng ý, giới thiệu", "Số phiếu của nhân sự này (10) lớn hơn số "
          "phiếu hợp lệ (9).")]),
    "the case's own candidate missing": (
        {"step_tallies": [tally(2, LAN, 6, 3)]},
        [(TALLIES, 1, "Số định danh nhân sự", f"Kết quả kiểm phiếu phải có số phiếu của {HOA}, "
          "nhân sự của hồ sơ.")]),
    "ballots differing between rows": (
        {"step_tallies": [tally(2, HOA, 6, 3), tally(2, LAN, 2, 6, valid=8)]},
        [(TALLIES, 2, "Số phiếu hợp lệ", "Số phiếu hợp lệ và không hợp lệ phải giống nhau ở mọi "
          "dòng của một bước (dòng 1 ghi 9 và 0).")]),
    "a candidate out of scope": (
        {"step_tallies": [tally(2, HOA, 6, 3), tally(2, BINH, 2, 6)]},
        [(TALLIES, 2, "Số định danh nhân sự", NO_PERSON)]),
    "a tally of step 1": (
        {"case_steps": [step(1, "02/07/2026", "02/07/2026")],
         "step_tallies": [tally(1, HOA, 6, 3)]},
        [(TALLIES, 1, "Bước", "Bước 1 không bỏ phiếu: không có kết quả kiểm phiếu.")]),
}  # fmt: skip


@pytest.mark.parametrize("guard", STEP_GUARDS)
def test_each_step_and_tally_guard_is_reported_and_nothing_is_written(stored, tmp_path, guard):
    sheets, expected = STEP_GUARDS[guard]
    if "case_steps" not in sheets and "step_tallies" in sheets:
        sheets = {"case_steps": [step(1, "02/07/2026", "02/07/2026"),
                                 step(2, "03/07/2026", "03/07/2026")], **sheets}  # fmt: skip
    before, events = state(), AuditEvent.objects.count()
    path = json_package(tmp_path / "goi.json", {"appointment_cases": [case()], **sheets})
    report = run_import(path, actor=stored.world.editor_a)
    assert problems(report) == expected
    assert (state(), AuditEvent.objects.count()) == (before, events)


def test_a_tally_of_an_open_step_does_not_travel(stored, tmp_path):
    path = json_package(tmp_path / "goi.json", {"step_tallies": [
        {**STORED_KEY, "number": 4, "candidate": HOA, "ballots_valid": 12, "votes_for": 9,
         "votes_against": 3}]})  # fmt: skip
    report = run_import(path, actor=stored.world.editor_a)
    assert problems(report) == [(TALLIES, 1, "Bước", "Chỉ ghi kết quả kiểm phiếu của bước đã kết "
                                 "thúc; số liệu nhập dở của bước còn mở không có trong gói.")]


def test_closing_a_step_whose_entries_are_in_progress_is_refused(stored, tmp_path):
    path = json_package(tmp_path / "goi.json", {
        "case_steps": [{**STORED_KEY, "number": 4, "held_on": "06/03/2026", "summoned": 15,
                        "present": 12, "closed_on": "06/03/2026", "note": "Họp bước 4"}],
        "step_tallies": [{**STORED_KEY, "number": 4, "candidate": HOA, "ballots_valid": 12,
                          "votes_for": 9, "votes_against": 3}],
    })  # fmt: skip
    before = state()
    report = run_import(path, actor=stored.world.editor_a)
    assert problems(report) == [(TALLIES, 1, "Số phiếu hợp lệ", "Bước này đã có lần nhập kết quả "
                                 "kiểm phiếu trong hệ thống (đang nhập dở): gói không ghi đè.")]
    assert state() == before


def test_a_closed_steps_tally_cannot_change(stored, tmp_path):
    path = json_package(tmp_path / "goi.json", {"step_tallies": [
        {**STORED_KEY, "number": 2, "candidate": HOA, "ballots_valid": 11, "ballots_invalid": 1,
         "votes_for": 9, "votes_against": 2},
        {**STORED_KEY, "number": 2, "candidate": LAN, "ballots_valid": 11, "ballots_invalid": 1,
         "votes_for": 3, "votes_against": 8}]})  # fmt: skip
    report = run_import(path, actor=stored.world.editor_a)
    assert problems(report) == [(TALLIES, 1, "Số phiếu hợp lệ",
                                 "Bước 2 đã kết thúc ngày 04/03/2026: không sửa được nữa.")]


def test_new_tallies_need_an_account_to_be_attributed_to(stored, tmp_path):
    before = state()
    report = run_import(new_case_package(tmp_path))
    assert problems(report) == [(TALLIES, None, None, "Kết quả kiểm phiếu được lưu là hai lần "
                                 "nhập của tài khoản nhập gói: hãy nhập gói bằng một tài khoản "
                                 "(lệnh canbo import: --user).")]
    assert state() == before
