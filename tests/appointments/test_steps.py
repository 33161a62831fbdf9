"""The five steps of A6 and their double-entered tallies: order, guards, results, audit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from canbo.accounts.models import Role
from canbo.appointments import services, steps
from canbo.appointments.choices import CaseKind, StepResult
from canbo.appointments.models import CaseStep, StepTally
from canbo.appointments.steps import Votes
from canbo.core.models import AuditEvent
from tests.factories import UserFactory, grant
from tests.planning.factories import make_person, make_position

pytestmark = pytest.mark.django_db

OPENED = dt.date(2026, 3, 2)


@pytest.fixture
def setup(world):
    class S:
        post = make_position(world.xa, "X-PBT", "Phó Bí thư Đảng ủy xã", 35)
        hoa = make_person("Nguyễn", "Thị", "Hoa", "F", dt.date(1980, 4, 5), unit=world.xa)
        lan = make_person("Trần", "Văn", "Lan", "M", dt.date(1979, 1, 9), unit=world.xa)
        second = UserFactory(username="sua_a2", role=Role.EDITOR)

    grant(S.second, world.xa)
    S.case = services.case_open(
        actor=world.editor_a, person=S.hoa, kind=CaseKind.APPOINT, position=S.post,
        competent_unit=world.xa, opened_on=OPENED,
    )  # fmt: skip
    return S


def step(world, s, number, *, summoned=15, present=12, day=None, actor=None):
    return steps.step_record(
        actor=actor or world.editor_a, case=s.case, number=number,
        held_on=day or OPENED + dt.timedelta(days=number), summoned=summoned, present=present,
    )  # fmt: skip


def close(world, st, head_agrees=None, actor=None):
    return steps.step_close(
        actor=actor or world.editor_a, step=st, closed_on=st.held_on, head_agrees=head_agrees
    )


def enter(actor, st, round_no, hoa_for, *, s, lan_for=3, valid=12, invalid=0):
    return steps.tally_enter(
        actor=actor, step=st, round_no=round_no, ballots_valid=valid, ballots_invalid=invalid,
        votes=[Votes(s.hoa, hoa_for, valid - hoa_for), Votes(s.lan, lan_for, valid - lan_for)],
    )  # fmt: skip


def through_step(world, s, number):
    """Steps 1 … number-1 recorded and closed, each ballot step with agreeing entries."""
    for n in range(1, number):
        st = step(world, s, n)
        if n > 1:
            enter(world.editor_a, st, 1, 10, s=s)
            enter(s.second, st, 2, 10, s=s)
        close(world, st)


def test_steps_follow_each_other(world, setup):
    with pytest.raises(ValidationError) as exc:
        step(world, setup, 2)
    assert exc.value.message_dict == {"number": ["Hãy kết thúc bước 1 trước khi ghi bước 2."]}
    first = step(world, setup, 1)
    with pytest.raises(ValidationError):
        step(world, setup, 2)  # step 1 still open
    close(world, first)
    with pytest.raises(ValidationError) as exc:
        step(world, setup, 2, day=OPENED)  # before step 1's meeting
    assert exc.value.message_dict == {
        "held_on": ["Ngày họp không được trước ngày họp của bước trước (03/03/2026)."]
    }
    assert step(world, setup, 2).number == 2


def test_present_above_summoned_and_steps_of_an_outside_candidate_are_refused(world, setup):
    with pytest.raises(ValidationError) as exc:
        step(world, setup, 1, summoned=10, present=11)
    assert "Số người có mặt không được lớn hơn số người được triệu tập" in str(exc.value)
    outside = services.case_open(
        actor=world.editor_a, person=setup.lan, kind=CaseKind.APPOINT, position=setup.post,
        competent_unit=world.xa, opened_on=OPENED, internal=False,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        steps.step_record(actor=world.editor_a, case=outside, number=1, held_on=OPENED,
                          summoned=9, present=9)  # fmt: skip
    assert CaseStep.objects.count() == 0


def test_a_viewer_and_an_editor_of_another_unit_cannot_record_steps(world, setup):
    with pytest.raises(PermissionDenied):
        step(world, setup, 1, actor=world.viewer_a)
    other = UserFactory(username="sua_b", role=Role.EDITOR)
    grant(other, world.xb)
    with pytest.raises(PermissionDenied):
        step(world, setup, 1, actor=other)
    assert CaseStep.objects.count() == 0


def test_the_second_entry_must_be_by_another_user_and_only_its_entrant_corrects_it(world, setup):
    through_step(world, setup, 2)
    st = step(world, setup, 2)
    enter(world.editor_a, st, 1, 9, s=setup)
    with pytest.raises(ValidationError) as exc:
        enter(world.editor_a, st, 2, 9, s=setup)
    assert exc.value.messages == [
        "Hai lần nhập phải do hai người khác nhau thực hiện: lần nhập kia là của bạn."
    ]
    with pytest.raises(ValidationError) as exc:
        enter(setup.second, st, 1, 9, s=setup)  # round 1 is someone else's
    assert exc.value.messages == [
        "Lần nhập 1 đã do người khác nhập; chỉ người đã nhập mới được sửa."
    ]
    assert StepTally.objects.filter(step=st).count() == 1


def test_differing_entries_block_the_close_and_a_correction_lets_it_close(world, setup):
    through_step(world, setup, 5)
    st = step(world, setup, 5)
    enter(world.editor_a, st, 1, 9, s=setup)
    enter(setup.second, st, 2, 8, s=setup)  # a typo: 8 for 9
    assert [(d.line, d.figure, d.first, d.second) for d in steps.step_differences(st)] == [
        (setup.hoa.pk, "votes_against", 3, 4),
        (setup.hoa.pk, "votes_for", 9, 8),
    ]
    with pytest.raises(ValidationError) as exc:
        close(world, st)
    assert exc.value.messages == [
        "Hai lần nhập số liệu còn 2 chỗ khác nhau; hãy đối chiếu với biên bản và sửa trước khi "
        "kết thúc."
    ]
    st.refresh_from_db()
    assert (st.closed_on, st.result) == (None, "")
    enter(setup.second, st, 2, 9, s=setup)  # corrected by its entrant
    assert steps.step_differences(st) == []
    closed = close(world, st)
    # 9 of 15 summoned is more than half.
    assert (closed.closed_on, closed.result) == (st.held_on, StepResult.PASSED)
    # Every entry and correction is audited, the correction with its before.
    events = list(
        AuditEvent.objects.filter(content_type__model="steptally", object_id=str(
            StepTally.objects.get(step=st, round=2).pk)).order_by("id")
    )  # fmt: skip
    assert [(e.action, e.actor.username) for e in events] == [("create", "sua_a2"), ("update", "sua_a2")]
    assert events[1].changes["lines"][0][0]["votes_for"] == 8
    assert events[1].changes["lines"][1][0]["votes_for"] == 9
    with pytest.raises(ValidationError):
        enter(setup.second, closed, 2, 10, s=setup)  # a closed step is not changed


def test_a_ballot_step_needs_both_entries_to_close(world, setup):
    through_step(world, setup, 3)
    st = step(world, setup, 3)
    enter(world.editor_a, st, 1, 9, s=setup)
    with pytest.raises(ValidationError) as exc:
        close(world, st)
    assert exc.value.messages == ["Cần đủ hai lần nhập số liệu do hai người khác nhau thực hiện."]


@pytest.mark.parametrize(
    ("votes_for", "head", "result"),
    [
        (8, None, StepResult.PASSED),  # 8 of 15 > 50 %
        (7, None, StepResult.FAILED),
        (6, True, StepResult.FAILED),  # the head decides only at exactly half
    ],
)
def test_the_result_is_computed_from_the_tally_over_all_members(world, setup, votes_for, head, result):
    through_step(world, setup, 5)
    st = step(world, setup, 5)
    enter(world.editor_a, st, 1, votes_for, s=setup)
    enter(setup.second, st, 2, votes_for, s=setup)
    assert close(world, st, head_agrees=head).result == result


def test_exactly_half_needs_the_heads_decision(world, setup):
    through_step(world, setup, 5)
    st = step(world, setup, 5, summoned=14, present=12)
    enter(world.editor_a, st, 1, 7, s=setup)
    enter(setup.second, st, 2, 7, s=setup)
    with pytest.raises(ValidationError) as exc:
        close(world, st)
    assert exc.value.message_dict == {"head_agrees": [
        "Nhân sự đạt đúng 50% tổng số thành viên: cần ghi quyết định của người đứng đầu."]}  # fmt: skip
    assert close(world, st, head_agrees=True).result == StepResult.HEAD_AGREED


def test_tally_figures_are_checked(world, setup):
    through_step(world, setup, 2)
    st = step(world, setup, 2)
    with pytest.raises(ValidationError) as exc:
        enter(world.editor_a, st, 1, 9, s=setup, valid=12, invalid=1)  # 13 ballots, 12 present
    assert exc.value.message_dict["ballots_valid"] == [
        "Tổng số phiếu hợp lệ và không hợp lệ (13) lớn hơn số người có mặt (12)."
    ]
    with pytest.raises(ValidationError) as exc:
        steps.tally_enter(
            actor=world.editor_a, step=st, round_no=1, ballots_valid=10, ballots_invalid=0,
            votes=[Votes(setup.hoa, 8, 3), Votes(setup.lan, 2, 0), Votes(setup.lan, 2, 0)],
        )  # fmt: skip
    assert exc.value.message_dict["votes"] == [
        "Số phiếu của Nguyễn Thị Hoa (11) lớn hơn số phiếu hợp lệ (10).",
        "Trần Văn Lan được nhập hai lần.",
    ]
    with pytest.raises(ValidationError) as exc:
        steps.tally_enter(actor=world.editor_a, step=st, round_no=1, ballots_valid=10,
                          ballots_invalid=0, votes=[Votes(setup.lan, 2, 0)])  # fmt: skip
    assert exc.value.message_dict["votes"] == [
        "Kết quả kiểm phiếu phải có số phiếu của Nguyễn Thị Hoa, nhân sự của hồ sơ."
    ]
    with pytest.raises(ValidationError):
        enter(world.editor_a, st, 3, 9, s=setup)  # only rounds 1 and 2
    assert StepTally.objects.count() == 0
