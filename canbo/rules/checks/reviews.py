"""Confidence-vote checks C1–C5 and evaluation checks E1–E4 (DOMAIN.md §3; issue 19).

Each check is `check(facts, rule, ctx) -> list[Finding]` over a `ReviewFacts`
(`rules.facts_reviews`): sessions and rounds held by the as-of date, the people they name.
A finding names its session (`session_id`) or round (`round_id`).

Counting methods chosen where the sources leave them open (parameters):

- C1: present × denominator ≥ numerator × summoned, in whole numbers (no rounding).
- C2 judges the people voted on (not excluded) of each session: one who took a post in the
  vote's year, from 1 January to the day of the vote, in one of the ways `new_post_how`
  (elected, appointed: a reappointment is no new post), or whose retirement date falls
  within `retirement_notice_months` after the vote (the retirement notice is given that
  long before) [notice period unverified: parameter].
- C3 is a report, not the computation: each session records the base its shares are
  taken on (summoned, present, or ballots returned), chosen when it is created (the rule's
  `base` by default) and kept, since the vote was counted on it; C3 flags a session whose
  base differs from the rule in force, so that the difference is seen and explained. The
  shares themselves are one computation (`facts_reviews.base_of`, then count ÷ base)
  that the services (the registry's `ConfidenceVote.base`) and C4/C5 share.
- C4/C5 judge closed sessions only (their figures agreed by both entries and written to
  the registry). Shares are compared exactly (whole numbers); the figures carry the share
  as a percentage with the project's rounding (`core.shares.share_of`). C5's `comparison`
  is "at_or_above" (QĐ 96) or "above" (QĐ 41). C4 covers `above` < share < `below`; with
  C5 "above", a share of exactly `below` is left to C5's reader (neither fires).
- E1 compares every rating in the registry of the people scored in the rounds with the
  rating its score gives (thresholds `excellent`, `good`, `completed`); "not completed"
  on another ground recorded in a round of that year is not a contradiction.
- E2 counts, per round, the excellent ratings against those rated good and above (`base`
  "good_and_above") or good only ("good"), at most `max_share`.
- E3: `years` consecutive years rated "not completed" in the registry, up to the as-of
  year → dismissal from the post (miễn nhiệm) proposed; one finding per person, on the
  latest such run, named by the latest round that scored them.
- E4: `min_count` disciplines of the `forms` (reprimands) effective within one party term
  (`organizations.Term`) → dismissal proposed; one finding per person, on the latest term.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.utils.translation import gettext as _

from canbo.core.dates import format_day
from canbo.core.shares import share_of
from canbo.people.choices import EvaluationRating

from ..facts import CheckContext
from ..facts_reviews import (
    BASE_RULES,
    COMPLETED,
    EXCELLENT,
    GOOD,
    NOT_COMPLETED,
    ReviewFacts,
    SessionFacts,
    rating_for,
)
from ..findings import Finding, make_finding
from ..ruleset import ParameterError, RuleData
from .common import discipline_form_label, months_after, number_text, percent

AT_OR_ABOVE, ABOVE = "at_or_above", "above"
E2_BASES = ("good_and_above", "good")


def _sessions(facts: ReviewFacts, ctx: CheckContext) -> list[SessionFacts]:
    return [s for s in facts.sessions if s.held_on <= ctx.as_of]


def _closed_tallies(facts: ReviewFacts, ctx: CheckContext):
    """(session, person, low, base) of the people voted on in the closed sessions."""
    for session in _sessions(facts, ctx):
        base = session.base
        if not session.closed_by(ctx.as_of) or not base:
            continue
        for subject in session.subjects:
            if subject.excluded or subject.tally is None:
                continue
            yield session, facts.people[subject.person_id], subject.tally.low, base


def _scored(facts: ReviewFacts, ctx: CheckContext):
    """The people scored in the rounds held by the as-of date (E1, E3, E4 judge them)."""
    ids = {s.person_id for r in facts.rounds if r.held_on <= ctx.as_of for s in r.scores}
    return [person for pk, person in facts.people.items() if pk in ids]


def _share_figures(low: int, base: int, year: int) -> dict:
    return {"low": low, "base": base, "share": share_of(low, base), "year": year}


def check_c1(facts: ReviewFacts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """A session is valid only with at least 2/3 of those summoned present."""
    need = rule.fraction("min_present_share")
    text = _(
        "Hội nghị lấy phiếu tín nhiệm %(name)s ngày %(date)s chỉ có %(present)d/%(summoned)d "
        "người được triệu tập có mặt (%(share)s%%), cần ít nhất %(need)s%%: kết quả không có "
        "giá trị."
    )
    out = []
    for s in _sessions(facts, ctx):
        if s.present * need.denominator >= need.numerator * s.summoned:
            continue
        out.append(
            make_finding(
                rule,
                text % {"name": s.name, "date": format_day(s.held_on), "present": s.present,
                        "summoned": s.summoned, "share": number_text(share_of(s.present, s.summoned)),
                        "need": number_text(percent(need))},  # fmt: skip
                session_id=s.id,
                figures={"present": s.present, "summoned": s.summoned,
                         "share": share_of(s.present, s.summoned), "min_share": percent(need)},  # fmt: skip
            )
        )
    return out


def check_c2(facts: ReviewFacts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """Not voted on: people notified of retirement; people appointed or elected that year."""
    how = set(rule.param("new_post_how"))
    notice = int(rule.param("retirement_notice_months"))
    new_post = _(
        "%(person)s được lấy phiếu tín nhiệm ngày %(date)s dù mới nhận chức vụ ngày "
        "%(started)s, trong năm lấy phiếu: không lấy phiếu đối với người này."
    )
    retiring = _(
        "%(person)s được lấy phiếu tín nhiệm ngày %(date)s dù đến tuổi nghỉ hưu ngày "
        "%(retires)s (đã có thông báo nghỉ hưu): không lấy phiếu đối với người này."
    )
    out = []
    for s in _sessions(facts, ctx):
        notice_until = months_after(s.held_on, notice)
        for subject in s.subjects:
            if subject.excluded:
                continue
            person = facts.people[subject.person_id]
            values = {"person": person.full_name, "date": format_day(s.held_on)}
            started = [
                p.started_on for p in person.post_starts
                if p.how in how and p.started_on.year == s.year and p.started_on <= s.held_on
            ]  # fmt: skip
            retires = person.retirement_date(ctx.schedule)
            if started:
                reason, message = "new_post", new_post % {**values, "started": format_day(max(started))}
                figures = {"started_on": max(started).isoformat(), "year": s.year}
            elif retires <= notice_until:
                reason, message = "retirement", retiring % {**values, "retires": format_day(retires)}
                figures = {"retires_on": retires.isoformat(), "notice_months": notice}
            else:
                continue
            out.append(make_finding(rule, message, session_id=s.id, person=person,
                                    reason=reason, figures=figures))  # fmt: skip
    return out


def check_c3(facts: ReviewFacts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """Shares are taken on the base the rule names (summoned, present, ballots returned)."""
    base = rule.param("base")
    if base not in BASE_RULES:
        raise ParameterError(
            _("Tham số “base” của quy tắc %(code)s phải là một trong: %(values)s.")
            % {"code": rule.code, "values": ", ".join(BASE_RULES)}
        )
    text = _(
        "Hội nghị lấy phiếu tín nhiệm %(name)s ngày %(date)s tính tỷ lệ trên %(used)s, quy "
        "định đang áp dụng tính trên %(base)s."
    )
    labels = {"summoned": _("số người được triệu tập"), "present": _("số người có mặt"),
              "ballots": _("số phiếu thu về")}  # fmt: skip
    return [
        make_finding(
            rule,
            text % {"name": s.name, "date": format_day(s.held_on), "used": labels[s.base_rule],
                    "base": labels[base]},  # fmt: skip
            session_id=s.id,
            figures={"base_rule": s.base_rule, "expected": base, "base": s.base},
        )
        for s in _sessions(facts, ctx)
        if s.base_rule != base
    ]


def _c5_reached(low: int, base: int, share: Fraction, comparison: str) -> bool:
    if comparison == AT_OR_ABOVE:
        return low * share.denominator >= share.numerator * base
    return low * share.denominator > share.numerator * base


def _comparison(rule: RuleData) -> str:
    comparison = rule.param("comparison")
    if comparison not in (AT_OR_ABOVE, ABOVE):
        raise ParameterError(
            _("Tham số “comparison” của quy tắc %(code)s phải là at_or_above hoặc above.")
            % {"code": rule.code}
        )
    return comparison


def check_c4(facts: ReviewFacts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """Low share above 1/2 and below 2/3: out of planning for higher posts."""
    above, below = rule.fraction("above"), rule.fraction("below")
    text = _(
        "%(person)s có %(low)d/%(base)d phiếu tín nhiệm thấp (%(share)s%%) tại %(name)s năm "
        "%(year)d, quá %(above)s%%: không quy hoạch vào chức vụ cao hơn; xem xét bố trí "
        "công tác khác hoặc cho thôi giữ chức vụ."
    )
    out = []
    for s, person, low, base in _closed_tallies(facts, ctx):
        if not (low * above.denominator > above.numerator * base
                and low * below.denominator < below.numerator * base):  # fmt: skip
            continue
        out.append(
            make_finding(
                rule,
                text % {"person": person.full_name, "low": low, "base": base, "name": s.name,
                        "share": number_text(share_of(low, base)), "year": s.year,
                        "above": number_text(percent(above))},  # fmt: skip
                session_id=s.id,
                person=person,
                figures={**_share_figures(low, base, s.year), "above_share": percent(above)},
            )
        )
    return out


def check_c5(facts: ReviewFacts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """Low share at or above 2/3 (or above, by parameter): a dismissal case is proposed."""
    share = rule.fraction("share")
    comparison = _comparison(rule)
    text = _(
        "%(person)s có %(low)d/%(base)d phiếu tín nhiệm thấp (%(share)s%%) tại %(name)s năm "
        "%(year)d, %(from)s %(limit)s%%: đề nghị cấp có thẩm quyền xem xét miễn nhiệm."
    )
    word = _("từ") if comparison == AT_OR_ABOVE else _("quá")
    out = []
    for s, person, low, base in _closed_tallies(facts, ctx):
        if not _c5_reached(low, base, share, comparison):
            continue
        out.append(
            make_finding(
                rule,
                text % {"person": person.full_name, "low": low, "base": base, "name": s.name,
                        "share": number_text(share_of(low, base)), "year": s.year,
                        "from": word, "limit": number_text(percent(share))},  # fmt: skip
                session_id=s.id,
                person=person,
                figures={**_share_figures(low, base, s.year), "limit_share": percent(share),
                         "comparison": comparison},  # fmt: skip
            )
        )
    return out


def rating_thresholds(rule: RuleData) -> dict[str, Decimal]:
    """E1's thresholds, excellent ≥ good ≥ completed (ParameterError otherwise)."""
    try:
        found = {EXCELLENT: Decimal(str(rule.param("excellent"))),
                 GOOD: Decimal(str(rule.param("good"))),
                 COMPLETED: Decimal(str(rule.param("completed")))}  # fmt: skip
    except (InvalidOperation, ValueError):
        raise ParameterError(
            _("Ngưỡng điểm của quy tắc %(code)s phải là số.") % {"code": rule.code}
        ) from None
    if not (100 >= found[EXCELLENT] >= found[GOOD] >= found[COMPLETED] >= 0):
        raise ParameterError(
            _("Ngưỡng điểm của quy tắc %(code)s phải giảm dần từ xuất sắc đến hoàn thành, "
              "trong khoảng 0–100.") % {"code": rule.code}  # fmt: skip
        )
    return found


def _rating_label(rating: str) -> str:
    try:
        return str(EvaluationRating(rating).label).lower()
    except ValueError:
        return rating


def check_e1(facts: ReviewFacts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """A rating in the registry agrees with its score (100-point scale)."""
    thresholds = rating_thresholds(rule)
    other = {(s.person_id, r.year) for r in facts.rounds for s in r.scores if s.other_ground}
    text = _(
        "%(person)s năm %(year)d được %(score)s điểm nhưng xếp loại “%(rating)s”; theo điểm "
        "là “%(expected)s”."
    )
    out = []
    for person in _scored(facts, ctx):
        for e in person.evaluations:
            if e.score is None or e.year > ctx.as_of.year:
                continue
            expected = rating_for(e.score, thresholds)
            if e.rating == expected or (e.rating == NOT_COMPLETED and (person.id, e.year) in other):
                continue
            found = facts.latest_round_of(person.id, e.year)
            out.append(
                make_finding(
                    rule,
                    text % {"person": person.full_name, "year": e.year, "score": number_text(e.score),
                            "rating": _rating_label(e.rating), "expected": _rating_label(expected)},  # fmt: skip
                    round_id=found.id if found else None,
                    person=person,
                    figures={"year": e.year, "score": e.score, "rating": e.rating,
                             "expected": expected},  # fmt: skip
                )
            )
    return out


def check_e2(facts: ReviewFacts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """Excellent ratings at most 20% of those rated good and above in the round."""
    limit = rule.fraction("max_share")
    base_kind = rule.param("base")
    if base_kind not in E2_BASES:
        raise ParameterError(
            _("Tham số “base” của quy tắc %(code)s phải là good_and_above hoặc good.")
            % {"code": rule.code}
        )
    text = _(
        "Đợt đánh giá %(name)s năm %(year)d có %(excellent)d người hoàn thành xuất sắc nhiệm "
        "vụ trên %(base)d người %(of)s (%(share)s%%), quá %(limit)s%%."
    )
    of = _("hoàn thành tốt nhiệm vụ trở lên") if base_kind == "good_and_above" else _(
        "hoàn thành tốt nhiệm vụ")  # fmt: skip
    out = []
    for r in facts.rounds:
        if r.held_on > ctx.as_of:
            continue
        excellent = sum(1 for s in r.scores if s.rating == EXCELLENT)
        good = sum(1 for s in r.scores if s.rating == GOOD)
        base = excellent + good if base_kind == "good_and_above" else good
        if excellent * limit.denominator <= limit.numerator * base:
            continue
        share = share_of(excellent, base)
        out.append(
            make_finding(
                rule,
                text % {"name": r.name, "year": r.year, "excellent": excellent, "base": base,
                        "of": of, "share": number_text(share) if share is not None else "–",
                        "limit": number_text(percent(limit))},  # fmt: skip
                round_id=r.id,
                figures={"excellent": excellent, "good": good, "base": base, "share": share,
                         "max_share": percent(limit)},  # fmt: skip
            )
        )
    return out


def check_e3(facts: ReviewFacts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """Two consecutive years "not completed": dismissal from the post (miễn nhiệm)."""
    years = int(rule.param("years"))
    if years < 1:
        raise ParameterError(_("Tham số “years” của quy tắc %(code)s phải từ 1.") % {"code": rule.code})
    text = _(
        "%(person)s xếp loại không hoàn thành nhiệm vụ %(count)d năm liên tiếp (%(years)s): "
        "đề nghị xem xét miễn nhiệm."
    )
    out = []
    for person in _scored(facts, ctx):
        failed = sorted({e.year for e in person.evaluations
                         if e.rating == NOT_COMPLETED and e.year <= ctx.as_of.year})  # fmt: skip
        run: list[int] = []
        found: list[int] = []
        for year in failed:
            run = [*run, year] if run and run[-1] == year - 1 else [year]
            if len(run) >= years:
                found = run[-years:]
        if not found:
            continue
        latest = facts.latest_round_of(person.id)
        out.append(
            make_finding(
                rule,
                text % {"person": person.full_name, "count": years,
                        "years": ", ".join(str(y) for y in found)},  # fmt: skip
                round_id=latest.id if latest else None,
                person=person,
                figures={"years": found},
            )
        )
    return out


def check_e4(facts: ReviewFacts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """Two or more reprimands within one term: dismissal proposed."""
    forms = set(rule.param("forms"))
    least = int(rule.param("min_count"))
    text = _(
        "%(person)s bị kỷ luật %(count)d lần (%(forms)s) trong nhiệm kỳ %(term)s: đề nghị "
        "xem xét miễn nhiệm."
    )
    out = []
    for person in _scored(facts, ctx):
        counted = [d for d in person.disciplines if d.form in forms and d.effective_on <= ctx.as_of]
        if len(counted) < least:
            continue
        for term in reversed(facts.terms):
            within = sorted(d.effective_on for d in counted if term.start <= d.effective_on <= term.end)
            if len(within) < least:
                continue
            latest = facts.latest_round_of(person.id)
            out.append(
                make_finding(
                    rule,
                    text % {"person": person.full_name, "count": len(within), "term": term.name,
                            "forms": ", ".join(sorted({discipline_form_label(d.form).lower()
                                                       for d in counted}))},  # fmt: skip
                    round_id=latest.id if latest else None,
                    person=person,
                    figures={"term": term.name, "count": len(within),
                             "dates": [d.isoformat() for d in within]},  # fmt: skip
                )
            )
            break
    return out


REVIEW_CHECKS = {
    "C1": check_c1,
    "C2": check_c2,
    "C3": check_c3,
    "C4": check_c4,
    "C5": check_c5,
    "E1": check_e1,
    "E2": check_e2,
    "E3": check_e3,
    "E4": check_e4,
}
