"""Sessions and rounds: double entry of tallies, closing, the registry; scope, guards, audit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from canbo.core.models import AuditEvent
from canbo.people.models import ConfidenceVote, Evaluation
from canbo.reviews import selectors, services
from canbo.reviews.models import VoteSession, VoteTally

from .conftest import HELD, figures, make_session

pytestmark = pytest.mark.django_db

CLOSED = dt.date(2025, 12, 20)


def audit(model):
    return [
        (e.action, e.actor.username if e.actor else None, e.changes)
        for e in AuditEvent.objects.filter(content_type__model=model).order_by("id")
    ]


@pytest.fixture
def session(world, people):
    session = make_session(world, actor=world.editor_a)
    for person in (people.an, people.binh):
        services.subject_add(actor=world.editor_a, session=session, person=person)
    return session


def test_a_session_takes_its_base_from_rule_c3_and_is_audited(world):
    session = make_session(world, actor=world.editor_a)
    assert (session.base_rule, session.summoned, session.present, session.closed_on) == (
        "summoned", 30, 27, None)  # fmt: skip
    [(action, actor, changes)] = audit("votesession")
    assert (action, actor, changes["base_rule"], changes["held_on"]) == (
        "create", "sua_a", [None, "summoned"], [None, "2025-12-15"])  # fmt: skip


@pytest.mark.parametrize("who", ["viewer_a", "editor_a"])
def test_a_session_outside_the_actors_units_is_refused(world, who):
    with pytest.raises(PermissionDenied):
        make_session(world, actor=getattr(world, who), unit=world.xb)
    assert VoteSession.objects.count() == 0


def test_present_above_summoned_is_refused(world):
    with pytest.raises(ValidationError, match="không được lớn hơn số người được triệu tập"):
        make_session(world, present=31)
    with pytest.raises(ValidationError, match="phải nhập số phiếu thu về"):
        make_session(world, base_rule="ballots")
    assert VoteSession.objects.count() == 0


def test_two_entrants_agree_and_the_close_writes_the_registry(world, people, session,
                                                              second_editor):  # fmt: skip
    services.tally_enter(actor=world.editor_a, session=session, round_no=1,
                         rows=[figures(people.an, 10, 12, 5), figures(people.binh, 3, 6, 18)])  # fmt: skip
    services.tally_enter(actor=second_editor, session=session, round_no=2,
                         rows=[figures(people.an, 10, 12, 5), figures(people.binh, 3, 6, 18)])  # fmt: skip
    services.session_close(actor=world.editor_a, session=session, closed_on=CLOSED)
    session.refresh_from_db()
    assert session.closed_on == CLOSED
    assert sorted(ConfidenceVote.objects.values_list(
        "person__given_name", "year", "body", "high", "normal", "low", "base")) == [
        ("An", 2025, "Đảng ủy xã An Bình", 10, 12, 5, 30),
        ("Bình", 2025, "Đảng ủy xã An Bình", 3, 6, 18, 30),
    ]  # fmt: skip
    with pytest.raises(ValidationError, match="đã kết thúc ngày 20/12/2025"):
        services.tally_enter(actor=world.editor_a, session=session, round_no=1,
                             rows=[figures(people.an, 9, 13, 5)])  # fmt: skip


def test_a_second_entry_by_the_same_user_is_refused(world, people, session):
    services.tally_enter(actor=world.editor_a, session=session, round_no=1,
                         rows=[figures(people.an, 10, 12, 5)])  # fmt: skip
    with pytest.raises(ValidationError, match="hai người khác nhau"):
        services.tally_enter(actor=world.editor_a, session=session, round_no=2,
                             rows=[figures(people.an, 10, 12, 5)])  # fmt: skip
    assert list(VoteTally.objects.values_list("round", "entered_by__username")) == [(1, "sua_a")]


def test_only_the_rounds_entrant_may_correct_it(world, people, session, second_editor):
    services.tally_enter(actor=world.editor_a, session=session, round_no=1,
                         rows=[figures(people.an, 10, 12, 5)])  # fmt: skip
    with pytest.raises(ValidationError, match="Lần nhập 1 do người khác thực hiện"):
        services.tally_enter(actor=second_editor, session=session, round_no=1,
                             rows=[figures(people.an, 1, 1, 1)])  # fmt: skip
    assert VoteTally.objects.get().figures() == {"high": 10, "normal": 12, "low": 5, "invalid": 0}


def test_differing_entries_block_the_close_until_corrected_and_all_is_audited(
    world, people, session, second_editor
):
    services.tally_enter(actor=world.editor_a, session=session, round_no=1,
                         rows=[figures(people.an, 10, 12, 5), figures(people.binh, 3, 6, 18)])  # fmt: skip
    services.tally_enter(actor=second_editor, session=session, round_no=2,
                         rows=[figures(people.an, 10, 12, 5), figures(people.binh, 3, 7, 17)])  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.session_close(actor=world.editor_a, session=session, closed_on=CLOSED)
    assert refused.value.messages == [
        "Hai lần nhập số phiếu còn 2 chỗ khác nhau: Trần Thị Bình – tín nhiệm thấp: lần 1 là "
        "18, lần 2 là 17; Trần Thị Bình – tín nhiệm: lần 1 là 6, lần 2 là 7. Hãy đối chiếu "
        "với biên bản kiểm phiếu và sửa trước khi kết thúc."
    ]
    session.refresh_from_db()
    assert session.closed_on is None and ConfidenceVote.objects.count() == 0
    # The second entrant checks the minutes and corrects their own entry.
    services.tally_enter(actor=second_editor, session=session, round_no=2,
                         rows=[figures(people.binh, 3, 6, 18)])  # fmt: skip
    services.session_close(actor=world.editor_a, session=session, closed_on=CLOSED)
    assert ConfidenceVote.objects.count() == 2
    tallies = audit("votetally")
    assert [(action, actor) for action, actor, _ in tallies] == [
        ("create", "sua_a"), ("create", "sua_a"), ("create", "sua_a2"), ("create", "sua_a2"),
        ("update", "sua_a2"),
    ]  # fmt: skip
    assert tallies[-1][2] == {"low": [17, 18], "normal": [7, 6]}
    assert tallies[0][2]["low"] == [None, 5]


def test_a_session_without_its_quorum_does_not_close(world, people, second_editor):
    session = make_session(world, actor=world.editor_a, present=19)  # 19/30 < 2/3
    services.subject_add(actor=world.editor_a, session=session, person=people.an)
    for actor, round_no in ((world.editor_a, 1), (second_editor, 2)):
        services.tally_enter(actor=actor, session=session, round_no=round_no,
                             rows=[figures(people.an, 10, 5, 4)])  # fmt: skip
    with pytest.raises(ValidationError, match=r"chỉ có 19/30 người .* \(63,33%\), cần ít nhất 66,67%"):
        services.session_close(actor=world.editor_a, session=session, closed_on=CLOSED)
    assert ConfidenceVote.objects.count() == 0


def test_an_excluded_person_takes_no_tally_and_a_missing_entry_blocks_the_close(
    world, people, session, second_editor
):
    services.subject_exclude(actor=world.editor_a, subject=session.subjects.get(person=people.binh),
                             reason="retirement")  # fmt: skip
    with pytest.raises(ValidationError, match="không có trong danh sách được lấy phiếu"):
        services.tally_enter(actor=world.editor_a, session=session, round_no=1,
                             rows=[figures(people.binh, 1, 1, 1)])  # fmt: skip
    services.tally_enter(actor=world.editor_a, session=session, round_no=1,
                         rows=[figures(people.an, 10, 12, 5)])  # fmt: skip
    with pytest.raises(ValidationError, match="Chưa đủ hai lần nhập số phiếu của: Nguyễn Văn An"):
        services.session_close(actor=world.editor_a, session=session, closed_on=CLOSED)
    with pytest.raises(ValidationError, match=r"Tổng số phiếu của Nguyễn Văn An \(31\) vượt quá 27"):
        services.tally_enter(actor=second_editor, session=session, round_no=2,
                             rows=[figures(people.an, 10, 12, 9)])  # fmt: skip


def test_tallies_as_each_entrant_sees_them(world, people, session, second_editor):
    services.tally_enter(actor=world.editor_a, session=session, round_no=1,
                         rows=[figures(people.an, 10, 12, 5)])  # fmt: skip
    mine = selectors.tally_view(session, world.editor_a)
    assert (mine.visible, [t.low for t in mine.entries[1]], mine.differences) == ((1,), [5], None)
    assert selectors.tally_view(session, second_editor).visible == ()
    services.tally_enter(actor=second_editor, session=session, round_no=2,
                         rows=[figures(people.an, 10, 11, 6)])  # fmt: skip
    both = selectors.tally_view(session, world.viewer_a)
    assert both.visible == (1, 2)
    assert both.entrants == {1: "sua_a", 2: "sua_a2"}
    assert [(d.line, d.figure, d.first, d.second) for d in both.differences] == [
        (people.an.pk, "low", 5, 6), (people.an.pk, "normal", 12, 11)]  # fmt: skip


def test_a_round_derives_ratings_and_writes_the_registry(world, people):
    rnd = services.round_create(actor=world.editor_a, unit=world.xa, year=2025, held_on=HELD)
    for person, score, ground in ((people.an, "90", ""), (people.binh, "89.99", ""),
                                  (people.cuong, "95", "discipline")):  # fmt: skip
        services.score_set(actor=world.editor_a, evaluation_round=rnd, person=person,
                           score=Decimal(score), other_ground=ground)  # fmt: skip
    assert sorted(rnd.scores.values_list("person__given_name", "rating")) == [
        ("An", "excellent"), ("Bình", "good"), ("Cường", "not_completed")]  # fmt: skip
    # A corrected score changes the rating, audited.
    services.score_set(actor=world.editor_a, evaluation_round=rnd, person=people.binh,
                       score=Decimal("49.5"))  # fmt: skip
    assert audit("evaluationscore")[-1][2] == {
        "score": ["89.99", "49.50"], "rating": ["good", "not_completed"]}  # fmt: skip
    services.round_close(actor=world.editor_a, evaluation_round=rnd, closed_on=CLOSED)
    assert sorted(Evaluation.objects.values_list("person__given_name", "year", "rating", "score")) == [
        ("An", 2025, "excellent", Decimal("90.00")),
        ("Bình", 2025, "not_completed", Decimal("49.50")),
        ("Cường", 2025, "not_completed", Decimal("95.00")),
    ]  # fmt: skip
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.score_set(actor=world.editor_a, evaluation_round=rnd, person=people.an,
                           score=Decimal("10"))  # fmt: skip


def test_a_viewer_writes_nothing(world, people, session):
    with pytest.raises(PermissionDenied):
        services.tally_enter(actor=world.viewer_a, session=session, round_no=1,
                             rows=[figures(people.an, 1, 1, 1)])  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.round_create(actor=world.viewer_a, unit=world.xa, year=2025, held_on=HELD)
    assert VoteTally.objects.count() == 0
