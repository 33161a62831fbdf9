"""Writes on confidence-vote sessions and evaluation rounds: validated, scoped, audited.

Every service re-checks inside its transaction that the actor may edit the unit of the
session's or round's body (`canbo.core.scope`), validates with `full_clean` and records an
audit event with the row before and after. Tallies are typed twice by two different
users (`canbo.core.double_entry`); an entrant corrects only their own entry, and only
while the session is open. Closing writes the agreed figures, or the ratings, into the
people registry through `canbo.people.services` (scoped by each person's unit, audited).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canbo.core import double_entry, scope
from canbo.core.audit import AuditAction, record_write, snapshot
from canbo.core.dates import format_day
from canbo.core.validators import ensure_not_after
from canbo.organizations.models import Unit
from canbo.people import services as people_services
from canbo.people.models import Evaluation, Person
from canbo.rules.checks.reviews import check_c1, rating_thresholds
from canbo.rules.facts import CheckContext
from canbo.rules.facts_reviews import ReviewFacts, SessionFacts, base_of, rating_for
from canbo.rules.ruleset import RuleData
from canbo.rules.selectors import NoRuleSetInForce, rule_set_in_force

from .choices import TALLY_FIGURES, BaseRule, ExclusionReason, OtherGround
from .models import EvaluationRound, EvaluationScore, VoteSession, VoteSubject, VoteTally

AUDIT_EXCLUDE = ("created_at", "updated_at")
FIGURE_LABELS = {"high": gettext_lazy("tín nhiệm cao"), "normal": gettext_lazy("tín nhiệm"),
                 "low": gettext_lazy("tín nhiệm thấp"),
                 "invalid": gettext_lazy("phiếu không hợp lệ")}  # fmt: skip


def _today() -> dt.date:
    return timezone.localdate()


def _save(actor, row, before: dict | None):
    row.full_clean()
    row.save()
    record_write(
        actor=actor,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        instance=row,
        before=before,
        after=snapshot(row, exclude=AUDIT_EXCLUDE),
    )
    return row


def _rule(code: str, on: dt.date) -> RuleData | None:
    try:
        return rule_set_in_force(on).rule(code)
    except NoRuleSetInForce:
        return None


def _ensure_open(row) -> None:
    if row.closed_on is not None:
        raise ValidationError(
            _("Việc này đã kết thúc ngày %(date)s.") % {"date": format_day(row.closed_on)}
        )


# --- Confidence-vote sessions --------------------------------------------------------------


def _lock_session(session: VoteSession) -> VoteSession:
    return VoteSession.objects.select_for_update(of=("self",)).select_related("unit").get(
        pk=session.pk
    )


@transaction.atomic
def session_create(
    *,
    actor,
    unit: Unit,
    year: int,
    held_on: dt.date,
    summoned: int,
    present: int,
    base_rule: str | None = None,
    ballots_returned: int | None = None,
    note: str = "",
) -> VoteSession:
    """A session held by the body of `unit`. The base of its shares is the rule C3's in
    force on the day (summoned by default) unless given, and is kept with the session."""
    scope.ensure_unit_allowed(actor, unit, scope.EDIT)
    ensure_not_after("held_on", held_on, _today())
    if base_rule is None:
        rule = _rule("C3", held_on)
        base_rule = rule.parameters.get("base", BaseRule.SUMMONED) if rule else BaseRule.SUMMONED
    session = VoteSession(
        unit=unit, year=year, held_on=held_on, summoned=summoned, present=present,
        base_rule=base_rule, ballots_returned=ballots_returned, note=(note or "").strip(),
    )  # fmt: skip
    return _save(actor, session, None)


@transaction.atomic
def subject_add(*, actor, session: VoteSession, person: Person) -> VoteSubject:
    """Put a person on the session's list (voted on unless excluded later)."""
    session = _lock_session(session)
    scope.ensure_unit_allowed(actor, session.unit, scope.EDIT)
    _ensure_open(session)
    if VoteSubject.objects.filter(session=session, person=person).exists():
        raise ValidationError(_("Cán bộ này đã có trong danh sách lấy phiếu của hội nghị."))
    return _save(actor, VoteSubject(session=session, person=person), None)


@transaction.atomic
def subject_exclude(
    *, actor, subject: VoteSubject, reason: str, note: str = ""
) -> VoteSubject:
    """Not voted on (C2): notified of retirement, new in the year, or another reason."""
    subject = VoteSubject.objects.select_for_update(of=("self",)).get(pk=subject.pk)
    session = _lock_session(subject.session)
    scope.ensure_unit_allowed(actor, session.unit, scope.EDIT)
    _ensure_open(session)
    if reason not in ExclusionReason.values:
        raise ValidationError({"reason": _("Hãy chọn lý do không lấy phiếu.")})
    if VoteTally.objects.filter(session=session, person_id=subject.person_id).exists():
        raise ValidationError(_("Đã nhập số phiếu của cán bộ này: không thể đưa ra khỏi danh sách."))
    before = snapshot(subject)
    subject.excluded = True
    subject.exclusion_reason = reason
    subject.exclusion_note = (note or "").strip()
    return _save(actor, subject, before)


def _entrants(session: VoteSession) -> dict[int, int | None]:
    """Round → the user who typed it (None: not yet)."""
    found = dict(
        VoteTally.objects.filter(session=session)
        .order_by("round", "id")
        .values_list("round", "entered_by_id")
        .distinct()
    )
    return {r: found.get(r) for r in double_entry.ROUNDS}


@transaction.atomic
def tally_enter(
    *, actor, session: VoteSession, round_no: int, rows: Sequence[Mapping]
) -> list[VoteTally]:
    """Type (or correct) the figures of round `round_no`: each row names a `person` voted
    on and its `high`, `normal`, `low`, `invalid` counts. A round is its first entrant's:
    nobody else may type in it, and the other round must be someone else's."""
    session = _lock_session(session)
    scope.ensure_unit_allowed(actor, session.unit, scope.EDIT)
    _ensure_open(session)
    if getattr(actor, "pk", None) is None:
        raise ValidationError(_("Số liệu kiểm phiếu phải do một người dùng nhập."))
    entrants = _entrants(session)
    other = double_entry.SECOND if round_no == double_entry.FIRST else double_entry.FIRST
    double_entry.ensure_second_entrant(round_no, actor.pk, entrants.get(other))
    if entrants.get(round_no) not in (None, actor.pk):
        raise ValidationError(
            _("Lần nhập %(round)d do người khác thực hiện; chỉ người đó được sửa.")
            % {"round": round_no}
        )
    voted = set(
        VoteSubject.objects.filter(session=session, excluded=False).values_list("person_id", flat=True)
    )
    limit = session.ballots_returned if session.ballots_returned is not None else session.present
    existing = {t.person_id: t for t in VoteTally.objects.select_for_update().filter(
        session=session, round=round_no)}  # fmt: skip
    seen: set[int] = set()
    out = []
    for row in rows:
        person = row["person"]
        if person.pk not in voted:
            raise ValidationError(
                _("%(person)s không có trong danh sách được lấy phiếu của hội nghị này.")
                % {"person": person.full_name}
            )
        if person.pk in seen:
            raise ValidationError(
                _("%(person)s được nhập hai lần.") % {"person": person.full_name}
            )
        seen.add(person.pk)
        figures = {name: row.get(name, 0) for name in TALLY_FIGURES}
        if sum(int(v or 0) for v in figures.values()) > limit:
            raise ValidationError(
                _("Tổng số phiếu của %(person)s (%(total)d) vượt quá %(limit)d.")
                % {"person": person.full_name, "total": sum(figures.values()), "limit": limit}
            )
        tally = existing.get(person.pk)
        before = snapshot(tally, exclude=AUDIT_EXCLUDE) if tally is not None else None
        if tally is None:
            tally = VoteTally(session=session, person=person, round=round_no, entered_by=actor)
        for name, value in figures.items():
            setattr(tally, name, value)
        out.append(_save(actor, tally, before))
    return out


def entries_of(session: VoteSession) -> dict[int, dict[int, dict[str, int]]]:
    """Round → {person id → figures} of the session's tallies."""
    entries: dict[int, dict[int, dict[str, int]]] = {r: {} for r in double_entry.ROUNDS}
    for tally in VoteTally.objects.filter(session=session).order_by("round", "person_id"):
        entries[tally.round][tally.person_id] = tally.figures()
    return entries


def difference_text(differences, names: Mapping[int, str]) -> str:
    """ "Nguyễn Văn An – tín nhiệm thấp: lần 1 là 60, lần 2 là 59; …" """
    return "; ".join(
        _("%(person)s – %(figure)s: lần 1 là %(first)s, lần 2 là %(second)s")
        % {"person": names.get(d.line, d.line), "figure": FIGURE_LABELS.get(d.figure, d.figure),
           "first": "–" if d.first is None else d.first,
           "second": "–" if d.second is None else d.second}  # fmt: skip
        for d in differences
    )


@transaction.atomic
def session_close(*, actor, session: VoteSession, closed_on: dt.date) -> VoteSession:
    """Close once the session is valid (C1) and both entries agree for every person voted
    on; the agreed figures go to each person's record (`people.ConfidenceVote`), with the
    base the session's rule gives."""
    session = _lock_session(session)
    scope.ensure_unit_allowed(actor, session.unit, scope.EDIT)
    _ensure_open(session)
    ensure_not_after("closed_on", closed_on, _today())
    rule = _rule("C1", session.held_on)
    if rule is not None and rule.enabled:
        facts = ReviewFacts.of([SessionFacts(
            id=session.pk, unit_id=session.unit_id, name=session.unit.name, year=session.year,
            held_on=session.held_on, summoned=session.summoned, present=session.present)], [], [])  # fmt: skip
        invalid = check_c1(facts, rule, CheckContext(session.held_on))
        if invalid:
            raise ValidationError(invalid[0].message)
    subjects = list(
        VoteSubject.objects.filter(session=session, excluded=False).select_related("person")
    )
    if not subjects:
        raise ValidationError(_("Hội nghị chưa có người được lấy phiếu."))
    names = {s.person_id: s.person.full_name for s in subjects}
    entries = entries_of(session)
    first, second = entries[double_entry.FIRST], entries[double_entry.SECOND]
    missing = [names[pk] for pk in names if pk not in first or pk not in second]
    if missing:
        raise ValidationError(
            _("Chưa đủ hai lần nhập số phiếu của: %(people)s.") % {"people": ", ".join(missing)}
        )
    found = double_entry.differences(first, second)
    if found:
        raise ValidationError(
            _("Hai lần nhập số phiếu còn %(count)d chỗ khác nhau: %(list)s. Hãy đối chiếu với "
              "biên bản kiểm phiếu và sửa trước khi kết thúc.")
            % {"count": len(found), "list": difference_text(found, names)}  # fmt: skip
        )
    agreed = double_entry.agreed(first, second)
    before = snapshot(session, exclude=AUDIT_EXCLUDE)
    session.closed_on = closed_on
    _save(actor, session, before)
    base = base_of(session.base_rule, session.summoned, session.present, session.ballots_returned)
    for subject in subjects:
        figures = agreed[subject.person_id]
        people_services.section_create(
            actor=actor, person=subject.person, kind="confidence_vote", year=session.year,
            body=session.unit.name[:200], high=figures["high"], normal=figures["normal"],
            low=figures["low"], base=base,
        )  # fmt: skip
    return session


# --- Evaluation rounds ---------------------------------------------------------------------


def _lock_round(evaluation_round: EvaluationRound) -> EvaluationRound:
    return EvaluationRound.objects.select_for_update(of=("self",)).select_related("unit").get(
        pk=evaluation_round.pk
    )


@transaction.atomic
def round_create(
    *, actor, unit: Unit, year: int, held_on: dt.date, note: str = ""
) -> EvaluationRound:
    scope.ensure_unit_allowed(actor, unit, scope.EDIT)
    ensure_not_after("held_on", held_on, _today())
    row = EvaluationRound(unit=unit, year=year, held_on=held_on, note=(note or "").strip())
    return _save(actor, row, None)


@transaction.atomic
def score_set(
    *,
    actor,
    evaluation_round: EvaluationRound,
    person: Person,
    score: Decimal,
    other_ground: str = "",
    other_note: str = "",
) -> EvaluationScore:
    """A person's score in an open round (set or corrected); the rating follows from it by
    the thresholds of rule E1 in force on the round's day, or is "not completed" when
    another ground applies."""
    evaluation_round = _lock_round(evaluation_round)
    scope.ensure_unit_allowed(actor, evaluation_round.unit, scope.EDIT)
    _ensure_open(evaluation_round)
    if other_ground and other_ground not in OtherGround.values:
        raise ValidationError({"other_ground": _("Căn cứ không hợp lệ.")})
    rule = _rule("E1", evaluation_round.held_on)
    if rule is None:
        raise ValidationError(
            _("Không có quy định xếp loại theo điểm (E1) có hiệu lực ngày %(date)s.")
            % {"date": format_day(evaluation_round.held_on)}
        )
    row = EvaluationScore.objects.select_for_update().filter(
        round=evaluation_round, person=person
    ).first()
    before = snapshot(row, exclude=AUDIT_EXCLUDE) if row is not None else None
    if row is None:
        row = EvaluationScore(round=evaluation_round, person=person)
    row.score = Decimal(score).quantize(Decimal("0.01"))
    row.other_ground = other_ground or ""
    row.other_note = (other_note or "").strip()
    if not (0 <= row.score <= 100):
        raise ValidationError({"score": _("Điểm phải từ 0 đến 100.")})
    row.rating = rating_for(row.score, rating_thresholds(rule), row.other_ground)
    return _save(actor, row, before)


@transaction.atomic
def round_close(*, actor, evaluation_round: EvaluationRound, closed_on: dt.date) -> EvaluationRound:
    """Close the round; each person's rating and score go to their record
    (`people.Evaluation` of the round's year, replacing one typed there before)."""
    evaluation_round = _lock_round(evaluation_round)
    scope.ensure_unit_allowed(actor, evaluation_round.unit, scope.EDIT)
    _ensure_open(evaluation_round)
    ensure_not_after("closed_on", closed_on, _today())
    scores = list(EvaluationScore.objects.filter(round=evaluation_round).select_related("person"))
    if not scores:
        raise ValidationError(_("Đợt đánh giá chưa có điểm của ai."))
    before = snapshot(evaluation_round, exclude=AUDIT_EXCLUDE)
    evaluation_round.closed_on = closed_on
    _save(actor, evaluation_round, before)
    recorded = {e.person_id: e for e in Evaluation.objects.filter(
        person__in=[row.person_id for row in scores], year=evaluation_round.year)}  # fmt: skip
    for row in scores:
        note = str(OtherGround(row.other_ground).label if row.other_ground else "")[:500]
        earlier = recorded.get(row.person_id)
        if earlier is not None:
            # A rating typed into the record before the round is replaced by the round's
            # (audited with its before; its note kept unless the round gives one): the
            # round is how the year's rating is decided.
            people_services.section_update(actor=actor, item=earlier, rating=row.rating,
                                           score=row.score, note=note or earlier.note)  # fmt: skip
            continue
        people_services.section_create(
            actor=actor, person=row.person, kind="evaluation", year=evaluation_round.year,
            rating=row.rating, score=row.score, note=note,
        )  # fmt: skip
    return evaluation_round
