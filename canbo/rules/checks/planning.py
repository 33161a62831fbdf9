"""Succession-planning checks P1–P9 (DOMAIN.md §3, Planning).

Each check is `check(facts, rule, ctx) -> list[Finding]`: it reads only the
facts, the rule's parameters and the as-of date. Only active entries count:
added on or before the as-of date and not removed by then.

Counting methods chosen where the sources leave it open (parameters, see
docs/adr/0007-rule-engine.md):

- P1 counts distinct people per position within one plan; with
  `multiply_by_seats` the maximum is multiplied by the position's seats
  (several deputy seats of one title).
- P2 counts distinct positions per person across all plans of the same term,
  grouped by the parameter `same_level_by`: the title's `level`,
  `management_level` or `rank`.
- P3 compares `PositionTitle.rank` of the target with the highest rank the
  person holds; a person who holds nothing passes.
- P4 concerns entries added on or after the day the case was opened (with
  `only_entries_added_during_case`), since appointment itself requires being
  in the plan (A1).
- P5 is an admission rule: it judges entries added at or since the plan's last
  review (`only_new_entries`), counting months left at the first day of the
  target term. P7's age flag judges the people already in the plan at the
  last review, so one cause yields one finding.
- P6 shares are over distinct people with an active entry; "young" means an
  age under the level's threshold on the as-of date (or at the term start,
  `age_reference`); the age-bracket count is the longest chain of ages each at
  least `age_bracket_gap_years` above the previous one, from the youngest.
- P7 discipline: a form in `discipline_forms` counts unless it carries one of
  QĐ 377's exceptions; once lapsed, the forms in `expired_exempt_forms` stop
  counting while heavier forms keep the flag for review.
- P8 measures from the last review, or from approval when never reviewed;
  overdue when the as-of date is past the same day `review_interval_months`
  later.
- P9 [source unverified] looks only at plans still awaiting approval on the
  as-of date (their status then is "submitted"), counting working days after
  the submission day up to the as-of date: Monday to Friday, less
  `yearly_holidays` (MM-DD) and `holidays` (YYYY-MM-DD, e.g. the lunar New
  Year and the days moved by the government each year, kept by the
  administrator). An approval that came late is history, not a finding.
"""

from __future__ import annotations

import datetime as dt
import functools
from fractions import Fraction

from django.utils.translation import gettext as _

from canbo.core.dates import (
    format_day,
    whole_months_between,
    working_days_after,
)
from canbo.core.durations import duration_text
from canbo.core.shares import share_of
from canbo.people.choices import Sex

from ..choices import DisciplineException
from ..facts import CheckContext, Facts, PersonFacts, PlanFacts, PositionFacts
from ..findings import Finding, make_finding
from ..ruleset import ParameterError, RuleData
from .common import discipline_form_label, holidays_between, months_after
from .common import number_text as _number
from .common import percent as _percent


def _time_left(months: int) -> str:
    """Working time left at a date as people say it (core.durations): "còn 4 năm 2 tháng";
    once past the retirement date, how long before: "đã nghỉ hưu trước đó 2 năm 9 tháng".
    Only the message: the findings' figures keep the number of months."""
    if months >= 0:
        return _("còn %(time)s") % {"time": duration_text(months)}
    return _("đã nghỉ hưu trước đó %(time)s") % {"time": duration_text(-months)}


def planned_limit(rule: RuleData, position: PositionFacts) -> int:
    """P1's most people planned for the position: per position, times its seats when
    `multiply_by_seats` (several deputy seats of one title)."""
    per_position = int(rule.param("max_people_per_position"))
    by_seats = bool(rule.parameters.get("multiply_by_seats", False))
    return per_position * (position.seats if by_seats else 1)


def check_p1(facts: Facts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """At most N people planned per position (and term: a plan has one term)."""
    out = []
    for plan in facts.plans:
        people: dict[int, dict[int, None]] = {}
        for entry in facts.active_entries(plan, ctx.as_of):
            people.setdefault(entry.position_id, {})[entry.person_id] = None
        for position_id in sorted(people):
            position = facts.positions[position_id]
            planned = len(people[position_id])
            limit = planned_limit(rule, position)
            if planned > limit:
                out.append(
                    make_finding(
                        rule,
                        _(
                            "Chức danh %(position)s có %(planned)d người trong quy hoạch "
                            "nhiệm kỳ %(term)s, vượt quá tối đa %(max)d người."
                        )
                        % {
                            "position": position.name,
                            "planned": planned,
                            "term": plan.term_label,
                            "max": limit,
                        },
                        plan_id=plan.id,
                        position_id=position_id,
                        figures={"planned": planned, "max": limit, "seats": position.seats},
                    )
                )
    return out


_LEVEL_KEYS = ("level", "management_level", "rank")


def check_p2(facts: Facts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """One person planned for at most N positions of the same level in one term."""
    limit = int(rule.param("max_positions_per_person"))
    group_by = rule.param("same_level_by")
    if group_by not in _LEVEL_KEYS:
        raise ParameterError(
            _("Tham số “same_level_by” của quy tắc %(code)s phải là một trong: %(keys)s.")
            % {"code": rule.code, "keys": ", ".join(_LEVEL_KEYS)}
        )
    groups: dict[tuple, dict[int, None]] = {}
    positions = facts.positions
    for plan in facts.plans:
        start, end = plan.term_start, plan.term_end
        for entry in facts.active_entries(plan, ctx.as_of):
            key = (entry.person_id, start, end, getattr(positions[entry.position_id], group_by))
            groups.setdefault(key, {})[entry.position_id] = None
    out = []
    over = [key for key, planned in groups.items() if len(planned) > limit]
    for key in sorted(over, key=lambda k: (k[0], k[1], k[2], str(k[3]))):
        planned = len(groups[key])
        term_label = f"{key[1].year}–{key[2].year}"  # as PlanFacts.term_label
        person = facts.people[key[0]]
        out.append(
            make_finding(
                rule,
                _(
                    "%(person)s được quy hoạch vào %(planned)d chức danh cùng cấp trong "
                    "nhiệm kỳ %(term)s, vượt quá tối đa %(max)d chức danh."
                )
                % {
                    "person": person.full_name,
                    "planned": planned,
                    "term": term_label,
                    "max": limit,
                },
                person=person,
                figures={
                    "planned": planned,
                    "max": limit,
                    "term": term_label,
                    "same_level": key[3],
                    "position_ids": sorted(groups[key]),
                },
            )
        )
    return out


def check_p3(facts: Facts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """Planned only for a position above the one held."""
    allow_same = bool(rule.parameters.get("allow_same_rank", False))
    out = []
    for plan in facts.plans:
        for entry in facts.active_entries(plan, ctx.as_of):
            person = facts.people[entry.person_id]
            posts = person.posts
            if not posts:
                continue  # holds nothing: passes
            target = facts.positions[entry.position_id]
            # Above every post held (or level with the highest, with allow_same), and not
            # one of them: one pass over the posts (a national check judges 50,000).
            rank, target_id, passes = target.rank, target.id, True
            for post in posts:
                if post.position_id == target_id or post.rank > rank:
                    passes = False
                    break
                if post.rank == rank and not allow_same:
                    passes = False
                    break
            if passes:
                continue
            held = person.highest_rank
            out.append(
                make_finding(
                    rule,
                    _(
                        "%(person)s được quy hoạch vào %(position)s, không cao hơn "
                        "chức danh đang đảm nhiệm."
                    )
                    % {"person": person.full_name, "position": target.name},
                    plan_id=plan.id,
                    position_id=target.id,
                    person=person,
                    figures={"target_rank": target.rank, "held_rank": held},
                )
            )
    return out


def check_p4(facts: Facts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """No planning entry for someone with an open appointment or nomination case."""
    only_during = bool(rule.parameters.get("only_entries_added_during_case", True))
    out = []
    for plan in facts.plans:
        for entry in facts.active_entries(plan, ctx.as_of):
            person = facts.people[entry.person_id]
            opened = person.open_case_since
            if opened is None or (only_during and entry.added_on < opened):
                continue
            out.append(
                make_finding(
                    rule,
                    _(
                        "%(person)s đang trong quy trình bổ nhiệm, giới thiệu ứng cử "
                        "(từ %(opened)s), không đưa vào quy hoạch %(position)s."
                    )
                    % {
                        "person": person.full_name,
                        "opened": format_day(opened),
                        "position": facts.positions[entry.position_id].name,
                    },
                    plan_id=plan.id,
                    position_id=entry.position_id,
                    person=person,
                    figures={
                        "case_opened_on": opened.isoformat(),
                        "added_on": entry.added_on.isoformat(),
                    },
                )
            )
    return out


def check_p5(facts: Facts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """At the start of the target term: one full term left; first-time planning, two."""
    full_term = int(rule.param("full_term_months"))
    first_time = rule.parameters.get("first_time_months")
    first_time_severity = rule.parameters.get("first_time_severity") or rule.severity
    only_new = bool(rule.parameters.get("only_new_entries", True))
    # Translated and worded once per run, not per finding (thousands on a national run).
    full_term_text = _(
        "%(person)s không đủ tuổi công tác trọn một nhiệm kỳ tính từ đầu nhiệm kỳ "
        "%(term)s: %(left)s, cần ít nhất %(required)s."
    )
    first_time_text = _(
        "%(person)s được quy hoạch lần đầu nhưng không đủ tuổi công tác hai nhiệm kỳ "
        "tính từ đầu nhiệm kỳ %(term)s: %(left)s, cần %(required)s."
    )
    time_left = functools.cache(_time_left)
    duration = functools.cache(duration_text)
    out = []
    for plan in facts.plans:
        months_left = facts.months_left_on(plan.term_start, ctx.schedule)
        for entry in facts.active_entries(plan, ctx.as_of):
            if only_new and not plan.is_new(entry):
                continue
            person = facts.people[entry.person_id]
            left = months_left[person.retirement_inputs]
            if left < full_term:
                message = full_term_text
                required, reason, severity = full_term, "full_term", rule.severity
            elif entry.first_time and first_time is not None and left < int(first_time):
                message = first_time_text
                required, reason, severity = int(first_time), "first_time", first_time_severity
            else:
                continue
            out.append(
                make_finding(
                    rule,
                    message
                    % {
                        "person": person.full_name,
                        "term": plan.term_label,
                        "left": time_left(left),
                        "required": duration(required),
                    },
                    plan_id=plan.id,
                    position_id=entry.position_id,
                    person=person,
                    reason=reason,
                    severity=severity,
                    figures={
                        "months_left": left,
                        "term_start": plan.term_start.isoformat(),
                        "required": required,
                    },
                )
            )
    return out


def _below(count: int, total: int, share: Fraction) -> bool:
    """count / total < share, in whole numbers (total > 0): no Fraction per plan."""
    return count * share.denominator < share.numerator * total


def _age_brackets(ages: list[int], gap: int) -> int:
    count, floor = 0, None
    for age in sorted(ages):
        if floor is None or age >= floor + gap:
            count, floor = count + 1, age
    return count


def _share_finding(
    rule: RuleData,
    plan: PlanFacts,
    reason: str,
    count: int,
    total: int,
    minimum: Fraction,
    text: str,
    **extra,
) -> Finding:
    share = share_of(count, total)
    figures = {"count": count, "total": total, "share": share, "min_share": _percent(minimum)}
    figures.update(extra)
    return make_finding(
        rule,
        text
        % {
            **figures,
            "plan": plan.name,
            "share": _number(share),
            "min": _number(_percent(minimum)),
        },
        plan_id=plan.id,
        reason=reason,
        figures=figures,
    )


def check_p6(facts: Facts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """Structure of each plan: women, young, ethnic minorities, age brackets."""
    min_women = rule.fraction("min_women_share")
    min_young = rule.fraction("min_young_share")
    young_by_level = rule.param("young_under_age_by_level")
    age_reference = rule.parameters.get("age_reference", "as_of")
    if age_reference not in ("as_of", "term_start"):
        raise ParameterError(
            _("Tham số “age_reference” của quy tắc %(code)s phải là as_of hoặc term_start.")
            % {"code": rule.code}
        )
    gap = int(rule.param("age_bracket_gap_years"))
    min_brackets = int(rule.param("min_age_brackets"))
    out = []
    for plan in facts.plans:
        people = [facts.people[i] for i in facts.people_ids(plan, ctx.as_of)]
        if not people:
            continue
        total = len(people)
        on = ctx.as_of if age_reference == "as_of" else plan.term_start
        ages = [p.age_on(on) for p in people]

        women = sum(1 for p in people if p.sex == Sex.FEMALE)
        if _below(women, total, min_women):
            out.append(
                _share_finding(
                    rule,
                    plan,
                    "women",
                    women,
                    total,
                    min_women,
                    _(
                        "Quy hoạch %(plan)s có %(count)d/%(total)d người là nữ (%(share)s%%), "
                        "thấp hơn tối thiểu %(min)s%%."
                    ),
                )
            )
        under = young_by_level.get(plan.level)
        if under is not None:
            under_age = int(under)
            young = sum(1 for age in ages if age < under_age)
            if _below(young, total, min_young):
                out.append(
                    _share_finding(
                        rule,
                        plan,
                        "young",
                        young,
                        total,
                        min_young,
                        _(
                            "Quy hoạch %(plan)s có %(count)d/%(total)d người dưới %(under_age)d "
                            "tuổi (%(share)s%%), thấp hơn tối thiểu %(min)s%%."
                        ),
                        under_age=int(under),
                    )
                )
        if plan.min_minority_share is not None:
            minority = sum(1 for p in people if p.is_minority)
            if _below(minority, total, plan.min_minority_share):
                out.append(
                    _share_finding(
                        rule,
                        plan,
                        "minority",
                        minority,
                        total,
                        plan.min_minority_share,
                        _(
                            "Quy hoạch %(plan)s có %(count)d/%(total)d người dân tộc thiểu số "
                            "(%(share)s%%), thấp hơn mức phù hợp với địa bàn %(min)s%%."
                        ),
                    )
                )
        brackets = _age_brackets(ages, gap)
        if brackets < min_brackets:
            out.append(
                make_finding(
                    rule,
                    _(
                        "Quy hoạch %(plan)s chỉ có %(brackets)d nhóm độ tuổi (mỗi nhóm cách nhau "
                        "%(gap)d năm), cần ít nhất %(min)d nhóm."
                    )
                    % {"plan": plan.name, "brackets": brackets, "gap": gap, "min": min_brackets},
                    plan_id=plan.id,
                    reason="age_brackets",
                    figures={"brackets": brackets, "min": min_brackets, "gap_years": gap},
                )
            )
    return out


def _counting_discipline(
    person: PersonFacts, forms: set[str], exempt_when_lapsed: set[str], on: dt.date
):
    """The latest discipline that still counts for P7 (`discipline_forms`, less QĐ 377's
    exceptions and the lapsed `expired_exempt_forms`), or None."""
    counting = []
    for d in person.disciplines:
        if d.form not in forms or d.effective_on > on:
            continue
        if d.exception in (DisciplineException.SELF_CRITICISM, DisciplineException.NOT_IMPOSED):
            continue
        lapsed = d.has_lapsed(on) or d.exception == DisciplineException.EXPIRED
        if lapsed and d.form in exempt_when_lapsed:
            continue
        counting.append(d)
    return max(counting, key=lambda d: d.effective_on, default=None)


def check_p7(facts: Facts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """Flag for removal: age, discipline, 'not completed' rating, low confidence."""
    on = ctx.as_of
    min_months = int(rule.param("min_months_at_term_start"))
    flagged_ratings = set(rule.param("flagged_ratings"))
    rating_since = on.year - int(rule.param("rating_lookback_years"))
    low_above = rule.fraction("low_confidence_share_above")
    vote_since = on.year - int(rule.param("vote_lookback_years"))
    time_left = functools.cache(_time_left)
    flag_text = _("Xem xét đưa %(person)s ra khỏi quy hoạch %(plan)s: %(why)s")
    age_text = _("thời gian công tác tính từ đầu nhiệm kỳ %(left)s, cần %(required)s.")
    required_text = duration_text(min_months)
    forms = set(rule.param("discipline_forms"))
    exempt_when_lapsed = set(rule.param("expired_exempt_forms"))
    out = []
    for plan in facts.plans:
        active = facts.active_entries(plan, on)
        incumbents = {e.person_id for e in active if not plan.is_new(e)}
        months_left = facts.months_left_on(plan.term_start, ctx.schedule)
        for person_id in facts.people_ids(plan, on):
            person = facts.people[person_id]

            def flag(reason: str, text: str, figures: dict, person=person, plan=plan) -> None:
                out.append(
                    make_finding(
                        rule,
                        flag_text % {"person": person.full_name, "plan": plan.name, "why": text},
                        plan_id=plan.id,
                        person=person,
                        reason=reason,
                        figures=figures,
                    )
                )

            if person_id in incumbents:
                left = months_left[person.retirement_inputs]
                if left < min_months:
                    flag(
                        "age",
                        age_text % {"left": time_left(left), "required": required_text},
                        {"months_left": left, "required": min_months},
                    )
            discipline = (
                _counting_discipline(person, forms, exempt_when_lapsed, on)
                if person.disciplines
                else None
            )
            if discipline is not None:
                flag(
                    "discipline",
                    _("bị kỷ luật (%(form)s) từ %(date)s.")
                    % {
                        "form": discipline_form_label(discipline.form),
                        "date": format_day(discipline.effective_on),
                    },
                    {"form": discipline.form, "effective_on": discipline.effective_on.isoformat()},
                )
            years = [
                r.year
                for r in person.ratings
                if r.rating in flagged_ratings and rating_since <= r.year <= on.year
            ]
            years.sort()
            if years:
                flag(
                    "rating",
                    _("xếp loại không hoàn thành nhiệm vụ năm %(year)d.") % {"year": years[-1]},
                    {"year": years[-1], "count": len(years)},
                )
            vote = person.latest_vote
            # low / base > low_above, in whole numbers (no Fraction per person)
            if (
                vote is not None
                and vote.year >= vote_since
                and vote.base
                and vote.low * low_above.denominator > low_above.numerator * vote.base
            ):
                flag(
                    "confidence",
                    _(
                        "%(low)d/%(base)d phiếu tín nhiệm thấp (%(share)s%%) năm %(year)d, "
                        "quá %(above)s%%."
                    )
                    % {
                        "low": vote.low,
                        "base": vote.base,
                        "share": _number(share_of(vote.low, vote.base)),
                        "year": vote.year,
                        "above": _number(_percent(low_above)),
                    },
                    {
                        "low": vote.low,
                        "base": vote.base,
                        "share": share_of(vote.low, vote.base),
                        "above_share": _percent(low_above),
                        "year": vote.year,
                    },
                )
    return out


def check_p8(facts: Facts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """Each plan is reviewed at least once every N months."""
    interval = int(rule.param("review_interval_months"))
    out = []
    for plan in facts.plans:
        since = plan.last_reviewed_on or plan.approved_on
        if since is None or ctx.as_of <= months_after(since, interval):
            continue
        months = whole_months_between(since, ctx.as_of)
        out.append(
            make_finding(
                rule,
                _(
                    "Quy hoạch %(plan)s chưa được rà soát từ %(since)s (%(months)s), "
                    "quá thời hạn %(interval)s."
                )
                % {
                    "plan": plan.name,
                    "since": format_day(since),
                    "months": duration_text(months),
                    "interval": duration_text(interval),
                },
                plan_id=plan.id,
                figures={
                    "since": since.isoformat(),
                    "months_since": months,
                    "interval_months": interval,
                },
            )
        )
    return out


def check_p9(facts: Facts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """A submitted plan is approved within N working days of the dossier."""
    limit = int(rule.param("max_working_days"))
    out = []
    for plan in facts.plans:
        since = plan.awaiting_approval_since
        if since is None or since >= ctx.as_of:
            continue
        waited = working_days_after(since, ctx.as_of, holidays_between(rule, since, ctx.as_of))
        if waited <= limit:
            continue
        out.append(
            make_finding(
                rule,
                _(
                    "Quy hoạch %(plan)s đã trình phê duyệt từ %(since)s, sau %(days)d ngày "
                    "làm việc vẫn chưa được phê duyệt (thời hạn %(limit)d ngày làm việc)."
                )
                % {"plan": plan.name, "since": format_day(since), "days": waited, "limit": limit},
                plan_id=plan.id,
                figures={
                    "submitted_on": since.isoformat(),
                    "working_days": waited,
                    "max_working_days": limit,
                },
            )
        )
    return out


PLANNING_CHECKS = {
    "P1": check_p1,
    "P2": check_p2,
    "P3": check_p3,
    "P4": check_p4,
    "P5": check_p5,
    "P6": check_p6,
    "P7": check_p7,
    "P8": check_p8,
    "P9": check_p9,
}
