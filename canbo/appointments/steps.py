"""Writes on the five steps of an internal candidate's procedure and their tallies (A6).

- `step_record` records (or corrects, while it is open) a step's meeting: the day, those
  summoned, those present. Steps follow each other: a step is recorded once the one
  before it is closed, and not before its day.
- `tally_enter` records one of the two entries of a ballot step's tally, typed from the
  minutes: the ballots valid and invalid and each candidate's votes. The two entries are
  typed by two different users; an entrant corrects their own entry by entering it again
  while the step is open (`canbo.core.double_entry`).
- `step_close` closes a step. A ballot step closes only when both entries agree; the
  case's candidate then gets the result computed from the tally: more than half of all
  members (those summoned) passes; exactly half needs the head's decision, recorded here.

Each write re-checks the actor's right to edit the competent body's unit inside its
transaction, validates, and records an audit event with before and after (a tally's
before and after include its lines).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.core import double_entry, scope
from canbo.core.audit import AuditAction, record_write, snapshot
from canbo.core.dates import format_day
from canbo.core.validators import ensure_not_after
from canbo.people.models import Person

from .choices import BALLOT_STEPS, StepNumber, StepResult
from .models import AppointmentCase, CaseStep, StepTally, TallyLine

AUDIT_EXCLUDE = ("created_at", "updated_at")
BALLOT = None  # the line key of the ballot's own figures in a double-entry mapping


@dataclass(frozen=True)
class Votes:
    """A candidate's votes as typed from the minutes."""

    candidate: Person
    votes_for: int
    votes_against: int = 0


def _today() -> dt.date:
    return timezone.localdate()


def _lock_case(case: AppointmentCase) -> AppointmentCase:
    case = (
        AppointmentCase.objects.select_for_update(of=("self",))
        .select_related("competent_unit", "person")
        .get(pk=case.pk)
    )
    return case


def _ensure_editable(actor, case: AppointmentCase) -> None:
    scope.ensure_unit_allowed(actor, case.competent_unit, scope.EDIT)
    if case.closed_on is not None:
        raise ValidationError(
            _("Quy trình này đã kết thúc ngày %(date)s.") % {"date": format_day(case.closed_on)}
        )


def _ensure_step_open(step: CaseStep) -> None:
    if step.closed_on is not None:
        raise ValidationError(
            _("%(step)s đã kết thúc ngày %(date)s: không sửa được nữa.")
            % {"step": _short(step.number), "date": format_day(step.closed_on)}
        )


def _short(number: int) -> str:
    return _("Bước %(n)d") % {"n": number}


@transaction.atomic
def step_record(
    *,
    actor,
    case: AppointmentCase,
    number: int,
    held_on: dt.date,
    summoned: int,
    present: int,
    note: str = "",
) -> CaseStep:
    """Record step `number` of an internal candidate's case, or correct it while open."""
    case = _lock_case(case)
    _ensure_editable(actor, case)
    if not case.internal:
        raise ValidationError(
            _("Quy trình năm bước chỉ áp dụng với nhân sự tại chỗ; hồ sơ này là nhân sự từ nơi khác.")
        )
    if number not in StepNumber.values:
        raise ValidationError({"number": _("Bước phải từ 1 đến 5.")})
    ensure_not_after("held_on", held_on, _today())
    if held_on < case.opened_on:
        raise ValidationError({"held_on": _("Ngày họp không được trước ngày bắt đầu quy trình.")})
    steps = {s.number: s for s in CaseStep.objects.select_for_update().filter(case=case)}
    if number > 1:
        previous = steps.get(number - 1)
        if previous is None or previous.closed_on is None:
            raise ValidationError(
                {"number": _("Hãy kết thúc %(previous)s trước khi ghi %(step)s.")
                 % {"previous": _short(number - 1).lower(), "step": _short(number).lower()}}
            )  # fmt: skip
        if held_on < previous.held_on:
            raise ValidationError(
                {"held_on": _("Ngày họp không được trước ngày họp của bước trước (%(date)s).")
                 % {"date": format_day(previous.held_on)}}
            )  # fmt: skip
    step = steps.get(number)
    before = None
    if step is None:
        step = CaseStep(case=case, number=number)
    else:
        _ensure_step_open(step)
        before = snapshot(step, exclude=AUDIT_EXCLUDE)
    step.held_on = held_on
    step.summoned = summoned
    step.present = present
    step.note = (note or "").strip()
    step.full_clean()
    step.save()
    record_write(
        actor=actor,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        instance=step,
        before=before,
        after=snapshot(step, exclude=AUDIT_EXCLUDE),
    )
    return step


def _lock_step(step: CaseStep) -> CaseStep:
    step = CaseStep.objects.select_for_update(of=("self",)).get(pk=step.pk)
    step.case = _lock_case(step.case)
    return step


def _tally_snapshot(tally: StepTally) -> dict:
    data = snapshot(tally, exclude=AUDIT_EXCLUDE)
    data["lines"] = [
        {"candidate": line.candidate_id, "votes_for": line.votes_for,
         "votes_against": line.votes_against}
        for line in tally.lines.order_by("candidate_id")
    ]  # fmt: skip
    return data


@transaction.atomic
def tally_enter(
    *,
    actor,
    step: CaseStep,
    round_no: int,
    ballots_valid: int,
    ballots_invalid: int,
    votes: Sequence[Votes],
) -> StepTally:
    """Enter (or, by its own entrant, correct) one of the two entries of a step's tally."""
    step = _lock_step(step)
    _ensure_editable(actor, step.case)
    _ensure_step_open(step)
    if step.number not in BALLOT_STEPS:
        raise ValidationError(_("Bước 1 không bỏ phiếu: không có kết quả kiểm phiếu."))
    tallies = {t.round: t for t in StepTally.objects.select_for_update().filter(step=step)}
    other = tallies.get(3 - round_no) if round_no in double_entry.ROUNDS else None
    double_entry.ensure_second_entrant(
        round_no, actor.pk, other.entered_by_id if other is not None else None
    )
    tally = tallies.get(round_no)
    if tally is not None and tally.entered_by_id != actor.pk:
        raise ValidationError(
            _("Lần nhập %(round)d đã do người khác nhập; chỉ người đã nhập mới được sửa.")
            % {"round": round_no}
        )
    _validate_tally(step, ballots_valid, ballots_invalid, votes)
    before = None
    if tally is None:
        tally = StepTally(step=step, round=round_no, entered_by=actor)
    else:
        before = _tally_snapshot(tally)
    tally.ballots_valid = ballots_valid
    tally.ballots_invalid = ballots_invalid
    tally.full_clean()
    tally.save()
    tally.lines.all().delete()
    TallyLine.objects.bulk_create(
        TallyLine(tally=tally, candidate=v.candidate, votes_for=v.votes_for,
                  votes_against=v.votes_against)
        for v in votes
    )  # fmt: skip
    record_write(
        actor=actor,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        instance=tally,
        before=before,
        after=_tally_snapshot(tally),
    )
    return tally


def _validate_tally(step: CaseStep, valid: int, invalid: int, votes: Sequence[Votes]) -> None:
    errors: dict[str, list[str]] = {}
    if valid < 0 or invalid < 0:
        errors.setdefault("ballots_valid", []).append(_("Số phiếu không được âm."))
    elif valid + invalid > step.present:
        errors.setdefault("ballots_valid", []).append(
            _("Tổng số phiếu hợp lệ và không hợp lệ (%(total)d) lớn hơn số người có mặt (%(present)d).")
            % {"total": valid + invalid, "present": step.present}
        )
    seen = set()
    for v in votes:
        name = v.candidate.full_name
        if v.candidate.pk in seen:
            errors.setdefault("votes", []).append(
                _("%(name)s được nhập hai lần.") % {"name": name}
            )
        seen.add(v.candidate.pk)
        if v.votes_for < 0 or v.votes_against < 0:
            errors.setdefault("votes", []).append(
                _("Số phiếu của %(name)s không được âm.") % {"name": name}
            )
        elif v.votes_for + v.votes_against > valid:
            errors.setdefault("votes", []).append(
                _("Số phiếu của %(name)s (%(total)d) lớn hơn số phiếu hợp lệ (%(valid)d).")
                % {"name": name, "total": v.votes_for + v.votes_against, "valid": valid}
            )
    if step.case.person_id not in seen:
        errors.setdefault("votes", []).append(
            _("Kết quả kiểm phiếu phải có số phiếu của %(name)s, nhân sự của hồ sơ.")
            % {"name": step.case.person.full_name}
        )
    if errors:
        raise ValidationError(errors)


def entry_figures(tally: StepTally) -> double_entry.Entry:
    """A tally entry as the double-entry mapping: the ballot's figures and each candidate's."""
    figures = {BALLOT: {"ballots_valid": tally.ballots_valid,
                        "ballots_invalid": tally.ballots_invalid}}  # fmt: skip
    for line in tally.lines.all():
        figures[line.candidate_id] = {"votes_for": line.votes_for,
                                      "votes_against": line.votes_against}  # fmt: skip
    return figures


def result_for(votes_for: int, summoned: int, head_agrees: bool | None) -> str:
    """A6: more than half of all members passes; exactly half needs the head's decision."""
    if votes_for * 2 > summoned:
        return StepResult.PASSED
    if votes_for * 2 < summoned:
        return StepResult.FAILED
    if head_agrees is None:
        raise ValidationError(
            {"head_agrees": _("Nhân sự đạt đúng 50% tổng số thành viên: cần ghi quyết định của "
                              "người đứng đầu.")}
        )  # fmt: skip
    return StepResult.HEAD_AGREED if head_agrees else StepResult.HEAD_REFUSED


@transaction.atomic
def step_close(
    *, actor, step: CaseStep, closed_on: dt.date, head_agrees: bool | None = None
) -> CaseStep:
    """Close a step; a ballot step only once its two tally entries agree."""
    step = _lock_step(step)
    _ensure_editable(actor, step.case)
    _ensure_step_open(step)
    ensure_not_after("closed_on", closed_on, _today())
    if closed_on < step.held_on:
        raise ValidationError({"closed_on": _("Ngày kết thúc bước không được trước ngày họp.")})
    before = snapshot(step, exclude=AUDIT_EXCLUDE)
    if step.number in BALLOT_STEPS:
        tallies = {
            t.round: t
            for t in StepTally.objects.filter(step=step).prefetch_related("lines")
        }
        figures = double_entry.agreed(
            *(entry_figures(tallies[r]) if r in tallies else None for r in double_entry.ROUNDS)
        )
        mine = figures[step.case.person_id]
        step.result = result_for(mine["votes_for"], step.summoned, head_agrees)
    elif head_agrees is not None:
        raise ValidationError({"head_agrees": _("Bước 1 không bỏ phiếu: không có quyết định này.")})
    step.closed_on = closed_on
    step.full_clean()
    step.save()
    record_write(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=step,
        before=before,
        after=snapshot(step, exclude=AUDIT_EXCLUDE),
    )
    return step


def step_differences(step: CaseStep) -> list[double_entry.Difference]:
    """Where the step's two tally entries disagree (empty while one of them is missing)."""
    tallies = {t.round: t for t in StepTally.objects.filter(step=step).prefetch_related("lines")}
    if len(tallies) < len(double_entry.ROUNDS):
        return []
    return double_entry.differences(*(entry_figures(tallies[r]) for r in double_entry.ROUNDS))
