"""Appointment checks A1, A3, A4, A5, A7, A8 (DOMAIN.md §3, Appointment; issue 19).

Each check is `check(facts, rule, ctx) -> list[Finding]` over `facts.cases` (with the
people and positions they name). A stopped case is not judged. A condition of the
appointment itself is judged on the decision's date once it is made (by the as-of date),
and until then on the as-of date (`CaseFacts.judged_on`): a case still open shows what
would stop the decision today.

Counting methods chosen where the sources leave it open (parameters):

- A1 looks for a planning entry active on that day for the post or one of equal or
  higher rank (`PositionTitle.rank`), in any plan; only internal candidates
  (`internal_only`) of the kinds listed (`kinds`: appointment, nomination).
- A3 ("first appointment to a higher post") applies when the post's rank is above every
  post the person holds besides it; months left are counted on the day the dossier was
  received (no finding before it is).
- A4 counts each discipline's waiting time from its effective date, by form
  (`waiting_months_by_form`); a discipline carrying QĐ 377's "self-criticism only" or
  "not imposed" exception does not count.
- A5: a decision made before the dossier was complete (or with no completion date).
- A7: working days after the dossier was complete until the decision (or, still
  undecided, until the as-of date), Monday to Friday less the rule's holidays.
- A8: a decided appointment or reappointment whose term of office ends: from
  `notice_working_days` before its end, a later case about the same person and post
  (reappointment, or an end of office) must have been opened; "due" until the end,
  "expired" after it.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.utils.translation import gettext as _

from canbo.core.dates import format_day, working_days_after
from canbo.core.durations import duration_text

from ..choices import DisciplineException
from ..facts import CaseFacts, CheckContext, Facts
from ..findings import Finding, make_finding
from ..ruleset import RuleData
from .common import discipline_form_label, holidays_between, months_after, working_day_before

_NOT_COUNTING = (DisciplineException.SELF_CRITICISM, DisciplineException.NOT_IMPOSED)


def _judged(facts: Facts, rule: RuleData, ctx: CheckContext, default_kinds) -> list[CaseFacts]:
    """The cases a check judges: opened by the as-of date, not stopped, of its kinds."""
    kinds = set(rule.parameters.get("kinds", default_kinds))
    return [
        c for c in facts.cases if c.opened_on <= ctx.as_of and not c.stopped and c.kind in kinds
    ]


def check_a1(facts: Facts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """An internal candidate is in the plan for the post or one equivalent or higher."""
    internal_only = bool(rule.parameters.get("internal_only", True))
    text = _(
        "%(person)s chưa có trong quy hoạch chức danh %(position)s hoặc chức danh tương "
        "đương, cao hơn (ngày %(date)s)."
    )
    out = []
    for case in _judged(facts, rule, ctx, ("appoint", "nominate")):
        if internal_only and not case.internal:
            continue
        on = case.judged_on(ctx.as_of)
        target = facts.positions[case.position_id]
        ranks = sorted(
            facts.positions[e.position_id].rank for e in case.plan_entries if e.is_active(on)
        )
        if ranks and ranks[-1] >= target.rank:
            continue
        person = facts.people[case.person_id]
        out.append(
            make_finding(
                rule,
                text % {"person": person.full_name, "position": target.name,
                        "date": format_day(on)},  # fmt: skip
                case_id=case.id,
                position_id=target.id,
                person=person,
                figures={"judged_on": on.isoformat(), "target_rank": target.rank,
                         "planned_ranks": ranks},  # fmt: skip
            )
        )
    return out


def check_a3(facts: Facts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """First appointment to a higher post: months of service left when the dossier came."""
    required = int(rule.param("min_months_left"))
    text = _(
        "%(person)s được đề nghị bổ nhiệm lần đầu vào chức vụ cao hơn nhưng tại ngày nhận "
        "hồ sơ %(date)s chỉ còn %(left)s công tác, cần ít nhất %(required)s."
    )
    out = []
    for case in _judged(facts, rule, ctx, ("appoint",)):
        received = case.dossier_received_on
        if received is None or received > ctx.as_of:
            continue
        person = facts.people[case.person_id]
        target = facts.positions[case.position_id]
        held = [p.rank for p in person.posts if p.position_id != target.id]
        if held and max(held) >= target.rank:
            continue  # not a higher post
        left = facts.months_left(person, received, ctx.schedule)
        if left >= required:
            continue
        out.append(
            make_finding(
                rule,
                text % {"person": person.full_name, "date": format_day(received),
                        "left": duration_text(max(left, 0)), "required": duration_text(required)},  # fmt: skip
                case_id=case.id,
                position_id=target.id,
                person=person,
                figures={"months_left": left, "required": required,
                         "dossier_received_on": received.isoformat()},  # fmt: skip
            )
        )
    return out


def check_a4(facts: Facts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """No appointment before the waiting time after a discipline has passed."""
    waiting = {str(k): int(v) for k, v in rule.param("waiting_months_by_form").items()}
    text = _(
        "%(person)s bị kỷ luật (%(form)s) từ %(date)s: chưa hết %(months)s chờ đến "
        "%(until)s, chưa được bổ nhiệm, giới thiệu ứng cử (ngày %(on)s)."
    )
    labels = functools.cache(discipline_form_label)
    out = []
    for case in _judged(facts, rule, ctx, ("appoint", "reappoint", "nominate")):
        on = case.judged_on(ctx.as_of)
        person = facts.people[case.person_id]
        blocking = [
            (months_after(d.effective_on, waiting[d.form]), d)
            for d in person.disciplines
            if d.form in waiting and d.effective_on <= on and d.exception not in _NOT_COUNTING
        ]
        blocking = [(until, d) for until, d in blocking if on < until]
        if not blocking:
            continue
        until, d = max(blocking, key=lambda pair: pair[0])
        out.append(
            make_finding(
                rule,
                text % {"person": person.full_name, "form": labels(d.form),
                        "date": format_day(d.effective_on), "months": duration_text(waiting[d.form]),
                        "until": format_day(until), "on": format_day(on)},  # fmt: skip
                case_id=case.id,
                position_id=case.position_id,
                person=person,
                figures={"form": d.form, "effective_on": d.effective_on.isoformat(),
                         "waiting_months": waiting[d.form], "until": until.isoformat()},  # fmt: skip
            )
        )
    return out


def check_a5(facts: Facts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """The decision comes after the dossier is complete."""
    text = _(
        "Quyết định ngày %(decided)s đối với %(person)s được ban hành khi hồ sơ chưa đầy đủ"
        "%(complete)s."
    )
    out = []
    for case in _judged(facts, rule, ctx, ("appoint", "reappoint", "nominate")):
        if not case.decided_by(ctx.as_of):
            continue
        complete = case.dossier_complete_on
        if complete is not None and complete <= case.decision_date:
            continue
        person = facts.people[case.person_id]
        out.append(
            make_finding(
                rule,
                text % {
                    "decided": format_day(case.decision_date), "person": person.full_name,
                    "complete": "" if complete is None
                    else _(" (đầy đủ từ %(date)s)") % {"date": format_day(complete)},
                },  # fmt: skip
                case_id=case.id,
                position_id=case.position_id,
                person=person,
                figures={"decision_date": case.decision_date.isoformat(),
                         "dossier_complete_on": complete.isoformat() if complete else None},  # fmt: skip
            )
        )
    return out


def check_a7(facts: Facts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """The competent body decides within N working days of the complete dossier."""
    limit = int(rule.param("max_working_days"))
    late = _(
        "Quyết định đối với %(person)s ban hành ngày %(decided)s, %(days)d ngày làm việc sau "
        "khi hồ sơ đầy đủ (%(complete)s), quá thời hạn %(limit)d ngày làm việc."
    )
    waiting = _(
        "Hồ sơ của %(person)s đầy đủ từ %(complete)s, sau %(days)d ngày làm việc chưa có "
        "quyết định (thời hạn %(limit)d ngày làm việc)."
    )
    out = []
    for case in _judged(facts, rule, ctx, ("appoint", "reappoint", "nominate")):
        complete = case.dossier_complete_on
        if complete is None or complete >= ctx.as_of:
            continue
        decided = case.decided_by(ctx.as_of)
        if not decided and case.closed_on is not None and case.closed_on <= ctx.as_of:
            continue
        end = case.decision_date if decided else ctx.as_of
        days = working_days_after(complete, end, holidays_between(rule, complete, end))
        if days <= limit:
            continue
        person = facts.people[case.person_id]
        values = {"person": person.full_name, "complete": format_day(complete), "days": days,
                  "limit": limit, "decided": format_day(end)}  # fmt: skip
        out.append(
            make_finding(
                rule,
                (late if decided else waiting) % values,
                case_id=case.id,
                position_id=case.position_id,
                person=person,
                reason="late" if decided else "waiting",
                figures={"dossier_complete_on": complete.isoformat(), "working_days": days,
                         "max_working_days": limit},  # fmt: skip
            )
        )
    return out


def notice_day(rule: RuleData, term_end: dt.date) -> dt.date:
    """A8: the working day from which a term of office ending on `term_end` must be under
    review (`notice_working_days` before it, less the rule's holidays)."""
    notice = int(rule.param("notice_working_days"))
    holidays = holidays_between(rule, term_end.replace(year=term_end.year - 1, day=1), term_end)
    return working_day_before(term_end, notice, holidays)


def check_a8(facts: Facts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """Before a term of office ends, its reappointment (or an end of office) is under way."""
    notice = int(rule.param("notice_working_days"))
    due = _(
        "Thời hạn giữ chức vụ %(position)s của %(person)s hết ngày %(end)s: phải xem xét bổ "
        "nhiệm lại từ %(notice)s (%(days)d ngày làm việc trước), chưa có hồ sơ."
    )
    expired = _(
        "Thời hạn giữ chức vụ %(position)s của %(person)s đã hết ngày %(end)s, chưa có hồ sơ "
        "bổ nhiệm lại hoặc thôi giữ chức vụ."
    )
    later: dict[tuple[int, int], list[dt.date]] = {}
    for c in facts.cases:
        later.setdefault((c.person_id, c.position_id), []).append(c.opened_on)
    out = []
    for case in _judged(facts, rule, ctx, ("appoint", "reappoint")):
        if not case.decided_by(ctx.as_of) or case.term_end is None:
            continue
        end = case.term_end
        notice_by = notice_day(rule, end)
        if ctx.as_of < notice_by:
            continue
        opened = later[case.person_id, case.position_id]
        if any(case.decision_date < day <= ctx.as_of for day in opened):
            continue
        person = facts.people[case.person_id]
        position = facts.positions[case.position_id]
        is_due = ctx.as_of <= end
        out.append(
            make_finding(
                rule,
                (due if is_due else expired)
                % {"position": position.name, "person": person.full_name,
                   "end": format_day(end), "notice": format_day(notice_by), "days": notice},  # fmt: skip
                case_id=case.id,
                position_id=position.id,
                person=person,
                reason="due" if is_due else "expired",
                figures={"term_end": end.isoformat(), "notice_by": notice_by.isoformat(),
                         "notice_working_days": notice},  # fmt: skip
            )
        )
    return out


APPOINTMENT_CHECKS = {
    "A1": check_a1,
    "A3": check_a3,
    "A4": check_a4,
    "A5": check_a5,
    "A7": check_a7,
    "A8": check_a8,
}
