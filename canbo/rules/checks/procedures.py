"""Appointment checks A2, A6, A9, A10: time in post, the five steps, election candidates
(DOMAIN.md §3, Appointment; issue 19). A1, A3–A5, A7, A8 are in `appointments.py`.

Counting methods chosen where the sources leave them open (parameters):

- A2 applies to an appointment (`kinds`) to a post ranked above every post the person
  holds on the day it is judged besides it; a person holding no ranked post is a first
  appointment and is not judged. Months are those spent in posts of the rank of the
  highest post held (the current or an equivalent one), **added up when not continuous**
  (state rules): overlapping rows count once, each period in whole months through the
  day judged (`canbo.people.tenure.months_through`).
- A6 judges internal candidates' cases of its `kinds`: each step held with fewer than
  `quorum` of those summoned present ("quorum"), a decision made before all `steps`
  steps were closed ("steps"), and a deciding step (`deciding_step`) closed without the
  candidate passing: not more than half of all members, or exactly half with the head
  not agreeing ("majority"). The step's result was computed from the agreed double-entry
  tally when the step closed (`appointments.steps.result_for`).
- A9: a nomination for a post in a unit of `unit_kinds` (party committees) with an
  election day: months of service left on that day at least `first_time_months`, or
  `reelection_months` for someone holding a post in the same unit the day before — or
  the months `reelection_months_by_title` gives the post's title (Chỉ thị 45: 42 for
  provincial deputy secretaries; the shipped set names the demo's code, `TU-PBT`).
- A10: nominations with seats and an election day, grouped by competent body, post and
  day (stopped cases do not count): seats < candidates ≤ seats × (1 + `max_surplus`),
  rounded up (one more candidate than seats is always allowed, as for a single seat).
  One finding per group, on its first case.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from fractions import Fraction

from django.utils.translation import gettext as _

from canbo.core.dates import format_day
from canbo.core.durations import duration_text
from canbo.people.tenure import months_through

from ..facts import CaseFacts, CheckContext, Facts, PostSpan
from ..findings import Finding, make_finding
from ..ruleset import RuleData
from .appointments import _judged

ONE_DAY = dt.timedelta(days=1)


def months_in_rank(history: tuple[PostSpan, ...], rank: int, on: dt.date) -> int:
    """Whole months spent in posts of `rank` through `on`, periods added up, overlaps once."""
    spans = sorted(
        (s.start, min(s.end, on) if s.end is not None else on)
        for s in history
        if s.rank == rank and s.start <= on
    )
    merged: list[list[dt.date]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + ONE_DAY:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return sum(months_through(start, end) for start, end in merged)


def check_a2(facts: Facts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """At least N months in the current or an equivalent post before a higher one."""
    required = int(rule.param("min_months"))
    text = _(
        "%(person)s mới giữ chức vụ hiện tại hoặc tương đương %(held)s (cộng dồn đến ngày "
        "%(date)s), cần ít nhất %(required)s để bổ nhiệm vào chức vụ %(position)s."
    )
    out = []
    for case in _judged(facts, rule, ctx, ("appoint",)):
        on = case.judged_on(ctx.as_of)
        target = facts.positions[case.position_id]
        held = [
            s.rank for s in case.post_history
            if s.rank is not None and s.position_id != target.id and s.held_on(on)
        ]  # fmt: skip
        if not held or max(held) >= target.rank:
            continue  # a first appointment, or not to a higher post
        current = max(held)
        months = months_in_rank(case.post_history, current, on)
        if months >= required:
            continue
        person = facts.people[case.person_id]
        out.append(
            make_finding(
                rule,
                text % {"person": person.full_name, "held": duration_text(months),
                        "date": format_day(on), "required": duration_text(required),
                        "position": target.name},  # fmt: skip
                case_id=case.id,
                position_id=target.id,
                person=person,
                figures={"months_in_rank": months, "required": required, "rank": current,
                         "judged_on": on.isoformat()},  # fmt: skip
            )
        )
    return out


def check_a6(facts: Facts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """The five steps: quorum at each, all of them before the decision, the majority."""
    quorum = rule.fraction("quorum")
    steps_required = int(rule.param("steps"))
    deciding = int(rule.param("deciding_step"))
    quorum_text = _(
        "Bước %(step)d (họp ngày %(date)s) chỉ có %(present)d/%(summoned)d người có mặt, chưa "
        "đủ %(share)s số người được triệu tập."
    )
    steps_text = _(
        "Quyết định đối với %(person)s ngày %(date)s khi mới hoàn thành %(done)d/%(steps)d "
        "bước của quy trình."
    )
    majority_text = _(
        "Tại bước %(step)d, %(person)s không đạt trên 50%% tổng số thành viên được triệu tập "
        "(%(result)s): không đủ điều kiện để quyết định."
    )
    results = {"failed": _("không đạt"), "head_refused": _("đạt đúng 50%, người đứng đầu không đồng ý")}
    out = []
    for case in _judged(facts, rule, ctx, ("appoint", "nominate")):
        if not case.internal:
            continue
        person = facts.people[case.person_id]

        def add(text: str, reason: str, figures: dict, case: CaseFacts = case, person=person):
            out.append(make_finding(rule, text, case_id=case.id, position_id=case.position_id,
                                    person=person, reason=reason, figures=figures))  # fmt: skip

        for step in case.steps:
            if Fraction(step.present, step.summoned) < quorum:
                add(quorum_text % {"step": step.number, "date": format_day(step.held_on),
                                   "present": step.present, "summoned": step.summoned,
                                   "share": _share(quorum)},
                    "quorum", {"step": step.number, "present": step.present,
                               "summoned": step.summoned})  # fmt: skip
        if case.decided_by(ctx.as_of):
            done = {s.number for s in case.steps
                    if s.closed_on is not None and s.closed_on <= case.decision_date}  # fmt: skip
            if len(done) < steps_required:
                add(steps_text % {"person": person.full_name, "steps": steps_required,
                                  "date": format_day(case.decision_date), "done": len(done)},
                    "steps", {"closed_steps": sorted(done), "steps": steps_required})  # fmt: skip
        for step in case.steps:
            if step.number == deciding and step.result in results:
                add(majority_text % {"step": step.number, "person": person.full_name,
                                     "result": results[step.result]},
                    "majority", {"step": step.number, "result": step.result,
                                 "summoned": step.summoned})  # fmt: skip
    return out


def _share(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def check_a9(facts: Facts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """Party committee candidates: months of service left at the congress."""
    first_time = int(rule.param("first_time_months"))
    reelection = int(rule.param("reelection_months"))
    by_title = {str(k): int(v) for k, v in rule.param("reelection_months_by_title").items()}
    unit_kinds = set(rule.param("unit_kinds"))
    text = _(
        "%(person)s được giới thiệu ứng cử %(what)s nhưng tại ngày đại hội %(date)s chỉ còn "
        "%(left)s công tác, cần ít nhất %(required)s."
    )
    out = []
    for case in _judged(facts, rule, ctx, ("nominate",)):
        on = case.election_on
        if on is None or case.unit_kind not in unit_kinds:
            continue
        target = facts.positions[case.position_id]
        again = any(
            s.unit_id == target.unit_id and s.held_on(on - ONE_DAY) for s in case.post_history
        )
        required = by_title.get(target.title_code, reelection) if again else first_time
        person = facts.people[case.person_id]
        left = facts.months_left(person, on, ctx.schedule)
        if left >= required:
            continue
        out.append(
            make_finding(
                rule,
                text % {"person": person.full_name, "date": format_day(on),
                        "what": _("tái cử") if again else _("lần đầu"),
                        "left": duration_text(max(left, 0)), "required": duration_text(required)},  # fmt: skip
                case_id=case.id,
                position_id=target.id,
                person=person,
                reason="reelection" if again else "first_time",
                figures={"months_left": left, "required": required,
                         "election_on": on.isoformat()},  # fmt: skip
            )
        )
    return out


def check_a10(facts: Facts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """Elections with a surplus: more candidates than seats, at most the surplus allowed."""
    surplus = rule.fraction("max_surplus")
    text = _(
        "Bầu %(position)s ngày %(date)s: %(candidates)d người được giới thiệu cho %(seats)d "
        "chỗ; số dư phải có và không quá %(share)s số cần bầu (tối đa %(most)d người)."
    )
    groups: dict[tuple, list[CaseFacts]] = defaultdict(list)
    for case in _judged(facts, rule, ctx, ("nominate",)):
        if case.seats and case.election_on is not None:
            groups[(case.competent_unit_id, case.position_id, case.election_on)].append(case)
    out = []
    for (_unit, position_id, on), found in groups.items():
        seats = max(c.seats for c in found)
        most = math.ceil(seats * (1 + surplus))
        if seats < len(found) <= most:
            continue
        first = min(found, key=lambda c: c.id)
        out.append(
            make_finding(
                rule,
                text % {"position": facts.positions[position_id].name, "date": format_day(on),
                        "candidates": len(found), "seats": seats, "share": _percent(surplus),
                        "most": most},  # fmt: skip
                case_id=first.id,
                position_id=position_id,
                reason="no_surplus" if len(found) <= seats else "surplus",
                figures={"candidates": len(found), "seats": seats, "most": most,
                         "election_on": on.isoformat()},  # fmt: skip
            )
        )
    return out


def _percent(value: Fraction) -> str:
    return f"{int(value * 100)}%" if (value * 100).denominator == 1 else _share(value)


PROCEDURE_CHECKS = {"A2": check_a2, "A6": check_a6, "A9": check_a9, "A10": check_a10}
