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
        "evaluation_rounds": [{**second, "closed_on": "20/12/2025"}],
        "evaluation_scores": [{**second, "person": CUONG, "score": 61}],
    })  # fmt: skip
    before = state()
    report = run_import(path, actor=stored.world.editor_a)
    # An's entry in the open session is work in progress: a package cannot close over it.
    assert problems(report) == [(SESSIONS, 1, "Ngày kết thúc", "Phiên đã kết thúc phải có kết quả "
                                 f"lấy phiếu của mọi người được lấy phiếu; chưa có của: {AN} (sheet "
                                 "Kết quả lấy phiếu).")]  # fmt: skip
    assert state() == before
    del_an = json_package(tmp_path / "dong2.json", {
        "evaluation_rounds": [{**second, "closed_on": "20/12/2025"}],
        "evaluation_scores": [{**second, "person": CUONG, "score": 61}],
    })  # fmt: skip
    report = run_import(del_an, actor=stored.world.editor_a)
    assert report.ok, problems(report)
    assert (report.created, report.updated) == (0, 2)
    assert EvaluationScore.objects.get(person__id_number=CUONG).score == Decimal("61.00")
    assert EvaluationRound.objects.get(held_on=dt.date(2025, 12, 19)).closed_on == dt.date(2025, 12, 20)
