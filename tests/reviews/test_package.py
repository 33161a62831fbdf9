"""Confidence-vote sessions and evaluation rounds in the data package (issue 19 item 8).

The world (tests/conftest.py): Tỉnh ủy (TU) > Đảng ủy xã An Bình (XA), Bình Minh (XB);
sua_a edits XA. Stored through the services: a session of XA on 15/12/2025, closed on
20/12/2025 (An and Bình voted on, Cường excluded; both entries typed and agreed), an open
session on 16/12/2025 (An, one entry typed: work in progress), a round on 18/12/2025
closed on 22/12/2025 (An 92.5; Bình 75, "not completed" on another ground) and an open
round on 19/12/2025 (Cường 60). Dũng belongs to XB, beyond sua_a's scope.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from canbo.accounts.models import Role
from canbo.core.models import AuditEvent, AuditSource
from canbo.exchange.exporter import selection_for, write_json, write_xlsx
from canbo.exchange.registry import registry
from canbo.organizations.models import Area, Position, PositionTitle, Term, Unit, UnitSuccession
from canbo.people.models import Assignment, ConfidenceVote, Evaluation, Person
from canbo.reviews import services
from canbo.reviews.choices import ExclusionReason, OtherGround
from canbo.reviews.models import (
    EvaluationRound,
    EvaluationScore,
    VoteSession,
    VoteSubject,
    VoteTally,
)
from tests.exchange.conftest import json_package, run_import
from tests.factories import UserFactory, grant
from tests.planning.factories import make_person

from .conftest import figures, make_session

pytestmark = pytest.mark.django_db

EXPORTED_AT = timezone.make_aware(dt.datetime(2026, 11, 29, 9, 30))
AN, BINH, CUONG, DUNG = "001075000101", "001180000102", "001078000103", "001081000104"
NO_PERSON = "Không có cán bộ với số định danh này trong gói hay trong hệ thống."
MODELS = (VoteTally, VoteSubject, VoteSession, EvaluationScore, EvaluationRound)
# The sheets' titles. The package module is not imported here: importing it while the tests
# are collected would register its part before planning's and change the sheets' order.
SESSIONS, SUBJECTS, RESULTS = "Phiên lấy phiếu tín nhiệm", "Người được lấy phiếu", "Kết quả lấy phiếu"
ROUNDS, SCORES = "Đợt đánh giá, xếp loại", "Điểm đánh giá"
XA_NAME = "Đảng ủy xã An Bình"


@pytest.fixture
def stored(world, people, second_editor):
    editor = world.editor_a
    closed = make_session(world, actor=editor)
    for person in (people.an, people.binh, people.cuong):
        services.subject_add(actor=editor, session=closed, person=person)
    services.subject_exclude(actor=editor, subject=closed.subjects.get(person=people.cuong),
                             reason=ExclusionReason.RETIREMENT, note="Thông báo nghỉ hưu")
    for actor, round_no in ((editor, 1), (second_editor, 2)):
        services.tally_enter(actor=actor, session=closed, round_no=round_no,
                             rows=[figures(people.an, 10, 12, 5), figures(people.binh, 3, 5, 18, 1)])
    services.session_close(actor=editor, session=closed, closed_on=dt.date(2025, 12, 20))
    open_session = make_session(world, actor=editor, held_on=dt.date(2025, 12, 16),
                                base_rule="ballots", ballots_returned=26, note="Phiên\nbổ sung")
    services.subject_add(actor=editor, session=open_session, person=people.an)
    services.tally_enter(actor=editor, session=open_session, round_no=1,
                         rows=[figures(people.an, 20, 4, 1)])  # work in progress
    closed_round = services.round_create(actor=editor, unit=world.xa, year=2025,
                                         held_on=dt.date(2025, 12, 18), note="Cuối năm")
    services.score_set(actor=editor, evaluation_round=closed_round, person=people.an,
                       score=Decimal("92.5"))
    services.score_set(actor=editor, evaluation_round=closed_round, person=people.binh,
                       score=Decimal("75"), other_ground=OtherGround.DISCIPLINE,
                       other_note="Khiển trách 03/2025")
    services.round_close(actor=editor, evaluation_round=closed_round, closed_on=dt.date(2025, 12, 22))
    open_round = services.round_create(actor=editor, unit=world.xa, year=2025,
                                       held_on=dt.date(2025, 12, 19))
    services.score_set(actor=editor, evaluation_round=open_round, person=people.cuong,
                       score=Decimal("60"))

    class S:
        admin = UserFactory(username="quantri", role=Role.ADMIN)
        dung = make_person("Phạm", "Văn", "Dũng", "M", dt.date(1981, 1, 1), unit=world.xb,
                           id_number=DUNG)

    S.world, S.people, S.closed, S.open = world, people, closed, open_session
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
    for model in (*MODELS, Assignment, Evaluation, ConfidenceVote, Person, Position,
                  UnitSuccession, Unit, Term, PositionTitle, Area, AuditEvent):
        model.objects.all().delete()


def state():
    """Everything the reviews part stores, in a comparable form."""
    return (
        sorted(VoteSession.objects.values_list(
            "unit__code", "year", "held_on", "summoned", "present", "base_rule",
            "ballots_returned", "closed_on", "note")),
        sorted(VoteSubject.objects.values_list(
            "session__held_on", "person__id_number", "excluded", "exclusion_reason",
            "exclusion_note")),
        sorted(VoteTally.objects.values_list(
            "session__held_on", "person__id_number", "round", "high", "normal", "low", "invalid")),
        sorted(EvaluationRound.objects.values_list("unit__code", "year", "held_on", "closed_on",
                                                   "note")),
        sorted(EvaluationScore.objects.values_list(
            "round__held_on", "person__id_number", "score", "other_ground", "other_note", "rating")),
    )  # fmt: skip


def registry_rows():
    """The rows closing wrote into the people's records."""
    return (
        sorted(ConfidenceVote.objects.values_list("person__id_number", "year", "body", "high",
                                                  "normal", "low", "base")),
        sorted(Evaluation.objects.values_list("person__id_number", "year", "rating", "score",
                                              "note")),
    )  # fmt: skip


def problems(report):
    return [(p.sheet, p.row, p.column, p.message) for p in report.problems]


# --- export, round trip ------------------------------------------------------------


def test_export_writes_sessions_lists_closed_results_rounds_and_scores(stored, tmp_path):
    path = tmp_path / "goi.xlsx"
    counts = export(path)
    assert [counts[t] for t in (SESSIONS, SUBJECTS, RESULTS, ROUNDS, SCORES)] == [2, 4, 2, 2, 3]
    book = sheets_of(path)
    assert book[SESSIONS][0] == [c.header for c in registry.sheet("vote_sessions").columns]
    first, second = ["XA", 2025.0, "15/12/2025"], ["XA", 2025.0, "16/12/2025"]
    assert book[SESSIONS][1:] == [
        first + [30.0, 27.0, "Số người được triệu tập", "", "20/12/2025", "", XA_NAME],
        second + [30.0, 27.0, "Số phiếu thu về", 26.0, "", "Phiên\nbổ sung", XA_NAME],
    ]  # fmt: skip
    assert book[SUBJECTS][1:] == [
        first + [AN, "Không", "", "", "Nguyễn Văn An"],
        first + [CUONG, "Có", "Đã có thông báo nghỉ hưu", "Thông báo nghỉ hưu", "Lê Văn Cường"],
        first + [BINH, "Không", "", "", "Trần Thị Bình"],
        second + [AN, "Không", "", "", "Nguyễn Văn An"],
    ]  # fmt: skip
    # The open session's entry is work in progress and stays where it was typed.
    assert book[RESULTS][1:] == [
        first + [AN, 10.0, 12.0, 5.0, 0.0, "Nguyễn Văn An"],
        first + [BINH, 3.0, 5.0, 18.0, 1.0, "Trần Thị Bình"],
    ]  # fmt: skip
    assert book[ROUNDS][1:] == [
        ["XA", 2025.0, "18/12/2025", "22/12/2025", "Cuối năm", XA_NAME],
        ["XA", 2025.0, "19/12/2025", "", "", XA_NAME],
    ]  # fmt: skip
    assert book[SCORES][1:] == [
        ["XA", 2025.0, "18/12/2025", AN, 92.5, "", "", "Hoàn thành xuất sắc nhiệm vụ",
         "Nguyễn Văn An"],
        ["XA", 2025.0, "18/12/2025", BINH, 75.0, "Bị kỷ luật từ khiển trách trở lên trong năm",
         "Khiển trách 03/2025", "Không hoàn thành nhiệm vụ", "Trần Thị Bình"],
        ["XA", 2025.0, "19/12/2025", CUONG, 60.0, "", "", "Hoàn thành nhiệm vụ", "Lê Văn Cường"],
    ]  # fmt: skip
    # What closing wrote into the records travels in the people's sheets.
    assert book["Phiếu tín nhiệm"][1:] == [
        [AN, 2025.0, XA_NAME, 10.0, 12.0, 5.0, 30.0, "16,67%"],
        [BINH, 2025.0, XA_NAME, 3.0, 5.0, 18.0, 30.0, "60,00%"],
    ]  # fmt: skip
    assert [row[:3] for row in book["Đánh giá"][1:]] == [
        [AN, 2025.0, "Hoàn thành xuất sắc nhiệm vụ"], [BINH, 2025.0, "Không hoàn thành nhiệm vụ"]]


def test_an_editor_of_another_commune_exports_none_of_these(stored, tmp_path):
    other = UserFactory(username="sua_b", role=Role.EDITOR)
    grant(other, stored.world.xb)
    counts = export(tmp_path / "b.json", user=other)
    assert [counts[t] for t in (SESSIONS, SUBJECTS, RESULTS, ROUNDS, SCORES)] == [0, 0, 0, 0, 0]


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_round_trip_into_an_empty_database_is_the_identity(stored, tmp_path, suffix):
    before, records = state(), registry_rows()
    first = tmp_path / f"mot{suffix}"
    counts = export(first)
    wipe()
    report = run_import(first, actor=stored.admin)
    assert report.ok, problems(report)
    assert report.problems == []  # the people's sheets carried what closing wrote
    assert report.created == sum(counts.values())
    sessions, subjects, tallies, rounds, scores = before
    # The open session's entry did not travel; each closed session's result is two entries.
    assert state() == (sessions, subjects, [t for t in tallies if t[0] == dt.date(2025, 12, 15)],
                       rounds, scores)  # fmt: skip
    assert sorted(VoteTally.objects.values_list("person__id_number", "round",
                                                "entered_by__username")) == [
        (AN, 1, "quantri"), (AN, 2, "quantri"), (BINH, 1, "quantri"), (BINH, 2, "quantri")]
    # The records closing wrote came once, with the people's sheets; the import wrote none.
    assert registry_rows() == records
    events = AuditEvent.objects.filter(content_type__model__in=(
        "votesession", "votesubject", "votetally", "evaluationround", "evaluationscore"))
    assert set(events.values_list("source", flat=True)) == {AuditSource.IMPORT}
    assert events.count() == 2 + 4 + 4 + 2 + 3
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
    export(path, user=stored.world.editor_a)
    before, events = (state(), registry_rows()), AuditEvent.objects.count()
    report = run_import(path, actor=stored.world.editor_a)
    assert report.ok, problems(report)
    assert (report.created, report.updated) == (0, 0)
    assert report.counts[RESULTS].unchanged == 2
    assert ((state(), registry_rows()), AuditEvent.objects.count()) == (before, events)
    assert run_import(path).ok  # without an account too: nothing new to attribute


# --- importing new sessions and rounds ---------------------------------------------------

NEW = {"unit": "XA", "year": 2026, "held_on": "10/06/2026"}


def session(**over):
    return {**NEW, "summoned": 10, "present": 9, **over}


def subject(person, **over):
    return {**NEW, "person": person, **over}


def result(person, high, normal=0, low=0, **over):
    return {**NEW, "person": person, "high": high, "normal": normal, "low": low, **over}


def score(person, value, **over):
    return {**NEW, "person": person, "score": value, **over}


def new_package(tmp_path, name="moi.json", **sheets):
    base = {
        "vote_sessions": [session(closed_on="11/06/2026")],
        "vote_subjects": [subject(AN), subject(BINH), subject(CUONG, excluded="Có",
                          exclusion_reason="Mới được bầu, bổ nhiệm trong năm lấy phiếu")],
        "vote_results": [result(AN, 6, 2, 1), result(BINH, 2, 3, 4, invalid=0)],
        "evaluation_rounds": [{**NEW, "closed_on": "12/06/2026"}],
        "evaluation_scores": [score(AN, "95,5", rating="Không hoàn thành nhiệm vụ"),
                              score(BINH, 40)],
    }  # fmt: skip
    base.update(sheets)
    return json_package(tmp_path / name, base)


def test_an_editor_imports_new_sessions_and_rounds(stored, tmp_path):
    editor = stored.world.editor_a
    records = registry_rows()
    path = new_package(tmp_path)
    report = run_import(path, actor=editor)
    assert report.ok, problems(report)
    assert {title: (c.created, c.updated, c.unchanged) for title, c in report.counts.items()} == {
        SESSIONS: (1, 0, 0), SUBJECTS: (3, 0, 0), RESULTS: (2, 0, 0), ROUNDS: (1, 0, 0),
        SCORES: (2, 0, 0),
    }  # fmt: skip
    imported = VoteSession.objects.get(held_on=dt.date(2026, 6, 10))
    # The base follows rule C3 when the cell is blank, as session_create gives it.
    assert (imported.base_rule, imported.closed_on) == ("summoned", dt.date(2026, 6, 11))
    assert sorted(imported.tallies.values_list("person__id_number", "round", "entered_by_id",
                                               "high", "normal", "low")) == [
        (AN, 1, editor.pk, 6, 2, 1), (AN, 2, editor.pk, 6, 2, 1),
        (BINH, 1, editor.pk, 2, 3, 4), (BINH, 2, editor.pk, 2, 3, 4)]  # fmt: skip
    # The rating is derived by E1 from the score, never read from the package.
    assert sorted(EvaluationScore.objects.filter(round__held_on=dt.date(2026, 6, 10))
                  .values_list("person__id_number", "score", "rating")) == [
        (AN, Decimal("95.50"), "excellent"), (BINH, Decimal("40.00"), "not_completed")]  # fmt: skip
    # The people's records are the Phiếu tín nhiệm and Đánh giá sheets' to write.
    assert registry_rows() == records
    entry = AuditEvent.objects.filter(content_type__model="votetally").latest("pk")
    assert entry.source == AuditSource.IMPORT and entry.changes["entered_by"] == [None, editor.pk]
    before = state()
    again = run_import(path, actor=editor)
    assert again.ok and (again.created, again.updated) == (0, 0)
    assert state() == before


def test_an_open_session_and_round_may_be_closed_by_a_package(stored, tmp_path):
    first = {"unit": "XA", "year": 2025, "held_on": "16/12/2025"}
    second = {"unit": "XA", "year": 2025, "held_on": "19/12/2025"}
    path = json_package(tmp_path / "dong.json", {
        "vote_sessions": [{**first, "summoned": 30, "present": 27, "base_rule": "Số phiếu thu về",
                           "ballots_returned": 26, "closed_on": "17/12/2025",
                           "note": "Phiên\nbổ sung"}],
        "vote_subjects": [{**first, "person": BINH}],
        "vote_results": [{**first, "person": BINH, "high": 1, "normal": 1, "low": 1}],
    })  # fmt: skip
    before = state()
    report = run_import(path, actor=stored.world.editor_a)
    # An's entry in the open session is work in progress: a package cannot close over it.
    assert problems(report) == [(SESSIONS, 1, "Ngày kết thúc", "Phiên đã kết thúc phải có kết quả "
                                 f"lấy phiếu của mọi người được lấy phiếu; chưa có của: {AN} (sheet "
                                 "Kết quả lấy phiếu).")]  # fmt: skip
    assert state() == before
    closing = json_package(tmp_path / "dong2.json", {
        "evaluations": [{"person": CUONG, "year": 2025, "rating": "Hoàn thành xuất sắc nhiệm vụ",
                         "score": "95,5"}],
        "evaluation_rounds": [{**second, "closed_on": "20/12/2025"}],
        "evaluation_scores": [{**second, "person": CUONG, "score": "95,5"}],
    })  # fmt: skip
    report = run_import(closing, actor=stored.world.editor_a)
    assert report.ok and report.problems == [], problems(report)
    assert (report.created, report.updated) == (1, 2)
    # The corrected score gets its rating again (E1), as score_set gives it.
    changed = EvaluationScore.objects.get(person__id_number=CUONG)
    assert (changed.score, changed.rating) == (Decimal("95.50"), "excellent")
    entry = AuditEvent.objects.filter(content_type__model="evaluationscore").latest("pk")
    assert entry.changes == {"score": ["60.00", "95.50"], "rating": ["completed", "excellent"]}
    assert EvaluationRound.objects.get(held_on=dt.date(2025, 12, 19)).closed_on == dt.date(2025, 12, 20)
    # The Đánh giá row came from its own sheet, once.
    assert Evaluation.objects.filter(person__id_number=CUONG).count() == 1


def test_closing_without_the_records_closing_writes_is_written_with_a_warning(stored, tmp_path):
    """What closing writes into the people's records travels in the Phiếu tín nhiệm and Đánh
    giá sheets; a package closing a session or round without those rows is imported, and
    says whose records lack them."""
    records = registry_rows()
    report = run_import(new_package(tmp_path), actor=stored.world.editor_a)
    assert report.ok
    assert [(p.severity, p.sheet, p.row, p.column, p.message) for p in report.problems] == [
        ("warning", SESSIONS, 1, "Ngày kết thúc", "Nhập gói không ghi kết quả của phiên vào hồ sơ "
         "cán bộ: sheet Phiếu tín nhiệm (của gói hay trong hệ thống) chưa có dòng năm 2026, hội "
         f"nghị “{XA_NAME}” đúng với kết quả của {AN}, {BINH}."),
        ("warning", ROUNDS, 1, "Ngày kết thúc", "Nhập gói không ghi xếp loại của đợt vào hồ sơ cán "
         "bộ: sheet Đánh giá (của gói hay trong hệ thống) chưa có dòng năm 2026 đúng với điểm và "
         f"xếp loại của {AN}, {BINH}."),
    ]  # fmt: skip
    assert registry_rows() == records
    with_records = json_package(tmp_path / "du.json", {
        "confidence_votes": [
            {"person": AN, "year": 2026, "body": XA_NAME, "high": 6, "normal": 2, "low": 1,
             "base": 10},
            {"person": BINH, "year": 2026, "body": XA_NAME, "high": 2, "normal": 3, "low": 4,
             "base": 10}],
        "evaluations": [
            {"person": AN, "year": 2026, "rating": "Hoàn thành xuất sắc nhiệm vụ", "score": 95.5},
            {"person": BINH, "year": 2026, "rating": "Không hoàn thành nhiệm vụ", "score": 40}],
    })  # fmt: skip
    assert run_import(with_records, actor=stored.world.editor_a).ok
    # Once the records are there (here, stored), the same package imports without a word.
    VoteSession.objects.filter(held_on=dt.date(2026, 6, 10)).update(closed_on=None)
    EvaluationRound.objects.filter(held_on=dt.date(2026, 6, 10)).update(closed_on=None)
    VoteTally.objects.filter(session__held_on=dt.date(2026, 6, 10)).delete()
    again = run_import(new_package(tmp_path, "lai.json"), actor=stored.world.editor_a)
    assert again.ok and again.problems == [], problems(again)


# --- the guards, each with its message ---------------------------------------------------

STORED = {"unit": "XA", "year": 2025, "held_on": "15/12/2025"}  # the closed session
OPEN = {"unit": "XA", "year": 2025, "held_on": "16/12/2025"}  # the open session
CLOSED_ROUND = {"unit": "XA", "year": 2025, "held_on": "18/12/2025"}
CLOSED_TEXT = "Phiên lấy phiếu này đã kết thúc ngày 20/12/2025: không sửa được nữa."
ROUND_CLOSED_TEXT = "Đợt đánh giá này đã kết thúc ngày 22/12/2025: không sửa được nữa."
VOTED = {"vote_subjects": [subject(AN)], "vote_results": [result(AN, 5, 3, 1)]}

GUARDS = {
    "present above summoned": (
        {"vote_sessions": [session(present=11)]},
        [(SESSIONS, 1, "Số người có mặt", "Số người có mặt không được lớn hơn số người được "
          "triệu tập.")]),
    "nobody summoned": (
        {"vote_sessions": [session(summoned=0, present=0)]},
        [(SESSIONS, 1, "Số người được triệu tập", "Số người được triệu tập phải lớn hơn 0.")]),
    "ballots above those present": (
        {"vote_sessions": [session(ballots_returned=10)]},
        [(SESSIONS, 1, "Số phiếu thu về", "Số phiếu thu về không được lớn hơn số người có mặt.")]),
    "a base on ballots without them": (
        {"vote_sessions": [session(base_rule="Số phiếu thu về")]},
        [(SESSIONS, 1, "Số phiếu thu về", "Tính tỷ lệ trên số phiếu thu về thì phải nhập số "
          "phiếu thu về.")]),
    "closed before held": (
        {"vote_sessions": [session(closed_on="09/06/2026")]},
        [(SESSIONS, 1, "Ngày kết thúc", "Ngày kết thúc không được trước ngày lấy phiếu.")]),
    "held after today": (
        {"vote_sessions": [session(held_on="01/01/2099")]},
        [(SESSIONS, 1, "Ngày lấy phiếu", "Ngày này không được sau ngày hôm nay.")]),
    "a unit out of scope": (
        {"vote_sessions": [session(unit="XB")]},
        [(SESSIONS, 1, "Mã đơn vị", "Không có đơn vị mã “XB” trong gói hay trong hệ thống.")]),
    "an unknown unit": (
        {"vote_sessions": [session(unit="ZZ")]},
        [(SESSIONS, 1, "Mã đơn vị", "Không có đơn vị mã “ZZ” trong gói hay trong hệ thống.")]),
    "a session twice": (
        {"vote_sessions": [session(), session(present=8)]},
        [(SESSIONS, 2, "Ngày lấy phiếu", "Trùng với dòng 1 của sheet này.")]),
    "a closed session changed": (
        {"vote_sessions": [{**STORED, "summoned": 30, "present": 26,
                            "base_rule": "Số người được triệu tập", "closed_on": "20/12/2025"}]},
        [(SESSIONS, 1, "Số người có mặt", CLOSED_TEXT)]),
    "closed without its quorum (C1)": (
        {"vote_sessions": [session(summoned=30, present=19, closed_on="11/06/2026")], **VOTED},
        [(SESSIONS, 1, "Số người có mặt", "Hội nghị lấy phiếu tín nhiệm Đảng ủy xã An Bình ngày "
          "10/06/2026 chỉ có 19/30 người được triệu tập có mặt (63,33%), cần ít nhất 66,67%: kết "
          "quả không có giá trị.")]),
    "closed with nobody voted on": (
        {"vote_sessions": [session(closed_on="11/06/2026")],
         "vote_subjects": [subject(AN, excluded="Có", exclusion_reason="Lý do khác")]},
        [(SESSIONS, 1, "Ngày kết thúc", "Phiên lấy phiếu chưa có người được lấy phiếu (sheet "
          "Người được lấy phiếu).")]),
    "closed without a result for someone voted on": (
        {"vote_sessions": [session(closed_on="11/06/2026")],
         "vote_subjects": [subject(AN), subject(BINH)], "vote_results": [result(AN, 5)]},
        [(SESSIONS, 1, "Ngày kết thúc", "Phiên đã kết thúc phải có kết quả lấy phiếu của mọi "
          f"người được lấy phiếu; chưa có của: {BINH} (sheet Kết quả lấy phiếu).")]),
    "a person out of scope": (
        {"vote_sessions": [session()], "vote_subjects": [subject(DUNG)]},
        [(SUBJECTS, 1, "Số định danh cá nhân", NO_PERSON)]),
    "an unknown person": (
        {"vote_sessions": [session()], "vote_subjects": [subject("001099999999")]},
        [(SUBJECTS, 1, "Số định danh cá nhân", NO_PERSON)]),
    "a person twice on a list": (
        {"vote_sessions": [session()], "vote_subjects": [subject(AN), subject(AN)]},
        [(SUBJECTS, 2, "Số định danh cá nhân", "Trùng với dòng 1 của sheet này.")]),
    "excluded without a reason": (
        {"vote_sessions": [session()], "vote_subjects": [subject(AN, excluded="Có")]},
        [(SUBJECTS, 1, "Lý do không lấy phiếu", "Không lấy phiếu thì phải chọn lý do.")]),
    "a reason without exclusion": (
        {"vote_sessions": [session()],
         "vote_subjects": [subject(AN, exclusion_reason="Lý do khác")]},
        [(SUBJECTS, 1, "Lý do không lấy phiếu", "Chỉ ghi lý do khi Không lấy phiếu là Có.")]),
    "a session the package and the database lack": (
        {"vote_subjects": [subject(AN)]},
        [(SUBJECTS, 1, "Ngày lấy phiếu", "Không có phiên lấy phiếu này trong sheet Phiên lấy "
          "phiếu tín nhiệm của gói hay trong hệ thống.")]),
    "a closed session's list changed": (
        {"vote_subjects": [{**STORED, "person": DUNG},
                           {**STORED, "person": CUONG, "excluded": "Không", "exclusion_reason": ""}]},
        [(SUBJECTS, 1, "Số định danh cá nhân", NO_PERSON),
         (SUBJECTS, 2, "Số định danh cá nhân", CLOSED_TEXT)]),
    "excluding someone whose figures are typed": (
        {"vote_subjects": [{**OPEN, "person": AN, "excluded": "Có",
                            "exclusion_reason": "Lý do khác"}]},
        [(SUBJECTS, 1, "Không lấy phiếu", "Đã nhập số phiếu của cán bộ này: không thể đưa ra khỏi "
          "danh sách.")]),
    "results above those present": (
        {"vote_sessions": [session(closed_on="11/06/2026")], "vote_subjects": [subject(AN)],
         "vote_results": [result(AN, 5, 3, 1, invalid=1)]},
        [(RESULTS, 1, "Tín nhiệm cao", "Tổng số phiếu (10) lớn hơn số người có mặt (9).")]),
    "results above the ballots returned": (
        {"vote_sessions": [session(closed_on="11/06/2026", ballots_returned=8)],
         "vote_subjects": [subject(AN)], "vote_results": [result(AN, 5, 3, 1)]},
        [(RESULTS, 1, "Tín nhiệm cao", "Tổng số phiếu (9) lớn hơn số phiếu thu về (8).")]),
    "a result for someone excluded": (
        {"vote_sessions": [session(closed_on="11/06/2026")],
         "vote_subjects": [subject(AN), subject(BINH, excluded="Có", exclusion_reason="Lý do khác")],
         "vote_results": [result(AN, 5), result(BINH, 5)]},
        [(RESULTS, 2, "Số định danh cá nhân", "Cán bộ này không được lấy phiếu ở phiên này (sheet "
          "Người được lấy phiếu): không có kết quả lấy phiếu.")]),
    "a result for someone not on the list": (
        {"vote_sessions": [session(closed_on="11/06/2026")], "vote_subjects": [subject(AN)],
         "vote_results": [result(AN, 5), result(BINH, 5)]},
        [(RESULTS, 2, "Số định danh cá nhân", "Cán bộ này không có trong danh sách được lấy phiếu "
          "của phiên (sheet Người được lấy phiếu của gói hay trong hệ thống).")]),
    "a result twice": (
        {"vote_sessions": [session(closed_on="11/06/2026")], "vote_subjects": [subject(AN)],
         "vote_results": [result(AN, 5), result(AN, 4)]},
        [(RESULTS, 2, "Số định danh cá nhân", "Trùng với dòng 1 của sheet này.")]),
    "a result of an open session": (
        {"vote_sessions": [session()], "vote_subjects": [subject(AN)],
         "vote_results": [result(AN, 5)]},
        [(RESULTS, 1, "Ngày lấy phiếu", "Chỉ ghi kết quả lấy phiếu của phiên đã kết thúc; số liệu "
          "nhập dở của phiên còn mở không có trong gói.")]),
    "a closed session's result changed": (
        {"vote_results": [{**STORED, "person": AN, "high": 11, "normal": 11, "low": 5}]},
        [(RESULTS, 1, "Tín nhiệm cao", CLOSED_TEXT)]),
    "closing over entries in progress": (
        {"vote_sessions": [{**OPEN, "summoned": 30, "present": 27, "base_rule": "Số phiếu thu về",
                            "ballots_returned": 26, "closed_on": "17/12/2025"}],
         "vote_results": [{**OPEN, "person": AN, "high": 20, "normal": 4, "low": 1}]},
        [(RESULTS, 1, "Tín nhiệm cao", "Phiên này còn mở và đã có số phiếu của cán bộ này nhập "
          "trong hệ thống: gói không ghi đè.")]),
    "a score above 100": (
        {"evaluation_rounds": [NEW], "evaluation_scores": [score(AN, "100,5")]},
        [(SCORES, 1, "Điểm", "Điểm phải từ 0 đến 100.")]),
    "a score below 0": (
        {"evaluation_rounds": [NEW], "evaluation_scores": [score(AN, -1)]},
        [(SCORES, 1, "Điểm", "Điểm phải từ 0 đến 100.")]),
    "a score twice": (
        {"evaluation_rounds": [NEW], "evaluation_scores": [score(AN, 80), score(AN, 81)]},
        [(SCORES, 2, "Số định danh cá nhân", "Trùng với dòng 1 của sheet này.")]),
    "a score of someone out of scope": (
        {"evaluation_rounds": [NEW], "evaluation_scores": [score(DUNG, 80)]},
        [(SCORES, 1, "Số định danh cá nhân", NO_PERSON)]),
    "a round the package and the database lack": (
        {"evaluation_scores": [score(AN, 80)]},
        [(SCORES, 1, "Ngày đánh giá", "Không có đợt đánh giá này trong sheet Đợt đánh giá, xếp "
          "loại của gói hay trong hệ thống.")]),
    "a round of a unit out of scope": (
        {"evaluation_rounds": [{**NEW, "unit": "XB"}]},
        [(ROUNDS, 1, "Mã đơn vị", "Không có đơn vị mã “XB” trong gói hay trong hệ thống.")]),
    "a round closed before held": (
        {"evaluation_rounds": [{**NEW, "closed_on": "09/06/2026"}],
         "evaluation_scores": [score(AN, 80)]},
        [(ROUNDS, 1, "Ngày kết thúc", "Ngày kết thúc không được trước ngày đánh giá.")]),
    "a round closed without scores": (
        {"evaluation_rounds": [{**NEW, "closed_on": "11/06/2026"}]},
        [(ROUNDS, 1, "Ngày kết thúc", "Đợt đánh giá chưa có điểm của ai (sheet Điểm đánh giá).")]),
    "a closed round changed": (
        {"evaluation_rounds": [{**CLOSED_ROUND, "closed_on": "22/12/2025", "note": "Khác"}]},
        [(ROUNDS, 1, "Ghi chú", ROUND_CLOSED_TEXT)]),
    "a score changed in a closed round": (
        {"evaluation_scores": [{**CLOSED_ROUND, "person": AN, "score": 91}]},
        [(SCORES, 1, "Điểm", ROUND_CLOSED_TEXT)]),
    "a round without rule E1 in force": (
        {"evaluation_rounds": [{**NEW, "year": 1990, "held_on": "15/12/1990"}],
         "evaluation_scores": [score(AN, 80, year=1990, held_on="15/12/1990")]},
        [(SCORES, 1, "Điểm", "Không có quy định xếp loại theo điểm (E1) có hiệu lực ngày "
          "15/12/1990.")]),
}  # fmt: skip


@pytest.mark.parametrize("guard", GUARDS)
def test_each_guard_is_reported_and_nothing_is_written(stored, tmp_path, guard):
    sheets, expected = GUARDS[guard]
    before, events = (state(), registry_rows()), AuditEvent.objects.count()
    report = run_import(json_package(tmp_path / "goi.json", sheets), actor=stored.world.editor_a)
    assert problems(report) == expected
    assert ((state(), registry_rows()), AuditEvent.objects.count()) == (before, events)


def test_new_results_need_an_account_to_be_attributed_to(stored, tmp_path):
    before = state()
    report = run_import(new_package(tmp_path))
    assert [problem for problem, p in zip(problems(report), report.problems, strict=True)
            if p.severity == "error"] == [(RESULTS, None, None, "Kết quả lấy phiếu được lưu là hai lần nhập "
                                 "của tài khoản nhập gói: hãy nhập gói bằng một tài khoản (lệnh "
                                 "canbo import: --user).")]  # fmt: skip
    assert state() == before
