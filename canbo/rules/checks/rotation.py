"""Rotation checks R1–R3 (DOMAIN.md §3, Rotation; issue 15) over rotation records.
R4 (non-local posts) and R5 (two consecutive terms) judge the holders of posts
(`checks.posts`).

Each check is `check(facts, rule, ctx) -> list[Finding]` over `RotationCheckFacts`.
A rotation is judged on its start once decided, an intended one (in a plan) on the as-of
date ("if it started today"); rotations started after the as-of date are not judged.

Counting methods chosen where the sources leave them open (parameters):

- R1 (QĐ 65 Art. 1(2): "cán bộ luân chuyển phải trong quy hoạch"): of the `kinds` and
  `purposes` listed, the person has a planning entry active on the day judged, in any
  plan, for any post (not necessarily the post rotated to).
- R2: whole months of service left on the day judged (the retirement schedule of NĐ
  135), at least `min_months`, or `reduced_months` for the `reduced_purposes` (non-local
  placement, the two-term limit: one full term).
- R3: of the `kinds` listed, the planned length (start to planned end; the actual end
  once ended) is at least `min_months`, unless the competent level decided a shorter
  one (recorded on the rotation); a `max_months_by_kind` (a secondment, NĐ 170 Art. 26)
  may not be exceeded.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from canbo.core.dates import format_day, whole_months_between
from canbo.core.durations import duration_text

from ..facts import CheckContext
from ..facts_rotation import RotationCheckFacts, RotationFacts
from ..findings import Finding, make_finding
from ..ruleset import RuleData


def _judged(facts: RotationCheckFacts, rule: RuleData, ctx: CheckContext, default_kinds):
    kinds = set(rule.parameters.get("kinds", default_kinds))
    return [
        r for r in facts.rotations
        if r.kind in kinds and (r.start_date is None or r.start_date <= ctx.as_of)
    ]  # fmt: skip


def _finding(rule, facts, rotation: RotationFacts, text: str, **extra) -> Finding:
    return make_finding(
        rule, text, rotation_id=rotation.id, position_id=rotation.to_position_id,
        person=facts.people[rotation.person_id], **extra,
    )  # fmt: skip


def check_r1(facts: RotationCheckFacts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """A rotated cadre is in a plan."""
    purposes = set(rule.param("purposes"))
    text = _("%(person)s được luân chuyển (%(date)s) nhưng không có trong quy hoạch nào.")
    out = []
    for r in _judged(facts, rule, ctx, ("rotation",)):
        if r.purpose not in purposes:
            continue
        on = r.judged_on(ctx.as_of)
        if any(e.is_active(on) for e in r.plan_entries):
            continue
        person = facts.people[r.person_id]
        out.append(_finding(rule, facts, r, text % {"person": person.full_name,
                                                   "date": format_day(on)},
                            figures={"judged_on": on.isoformat()}))  # fmt: skip
    return out


def check_r2(facts: RotationCheckFacts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """Enough months of service left when the rotation starts."""
    required = int(rule.param("min_months"))
    reduced = int(rule.param("reduced_months"))
    reduced_purposes = set(rule.param("reduced_purposes"))
    text = _(
        "%(person)s chỉ còn %(left)s công tác khi luân chuyển (%(date)s), cần ít nhất %(required)s."
    )
    out = []
    for r in _judged(facts, rule, ctx, ("rotation",)):
        on = r.judged_on(ctx.as_of)
        need = reduced if r.purpose in reduced_purposes else required
        person = facts.people[r.person_id]
        left = facts.months_left(person, on, ctx.schedule)
        if left >= need:
            continue
        out.append(_finding(rule, facts, r, text % {
            "person": person.full_name, "left": duration_text(max(left, 0)),
            "date": format_day(on), "required": duration_text(need)},
            reason="reduced" if need == reduced and r.purpose in reduced_purposes else "",
            figures={"months_left": left, "required": need, "judged_on": on.isoformat()}))  # fmt: skip
    return out


def check_r3(facts: RotationCheckFacts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """A rotation lasts long enough (and a secondment not too long)."""
    required = int(rule.param("min_months"))
    longest = {str(k): int(v) for k, v in rule.param("max_months_by_kind").items()}
    kinds = set(rule.parameters.get("kinds", ("rotation",)))
    short = _(
        "Luân chuyển %(person)s từ %(start)s đến %(end)s là %(months)s, dưới %(required)s mà "
        "không có quyết định của cấp có thẩm quyền cho thời gian ngắn hơn."
    )
    long = _(
        "%(kind)s %(person)s từ %(start)s đến %(end)s là %(months)s, quá %(most)s."
    )
    out = []
    for r in facts.rotations:
        if r.start_date is None or r.start_date > ctx.as_of:
            continue
        end = r.actual_end if r.actual_end is not None and r.actual_end <= ctx.as_of else r.planned_end
        if end is None:
            continue
        months = whole_months_between(r.start_date, end)
        person = facts.people[r.person_id]
        values = {"person": person.full_name, "start": format_day(r.start_date),
                  "end": format_day(end), "months": duration_text(months)}  # fmt: skip
        figures = {"months": months, "start": r.start_date.isoformat(), "end": end.isoformat()}
        ended = r.actual_end is not None and r.actual_end <= ctx.as_of
        if r.kind in kinds and months < required and not r.shorter_approved:
            out.append(_finding(rule, facts, r, short % {**values, "required": duration_text(required)},
                                reason="ended" if ended else "planned",
                                figures={**figures, "required": required}))  # fmt: skip
        if r.kind in longest and months > longest[r.kind]:
            out.append(_finding(rule, facts, r, long % {**values, "kind": _kind_label(r.kind),
                                                       "most": duration_text(longest[r.kind])},
                                reason="too_long", figures={**figures, "most": longest[r.kind]}))  # fmt: skip
    return out


def _kind_label(kind: str) -> str:
    labels = {"secondment": _("Biệt phái"), "rotation": _("Luân chuyển"),
              "transfer": _("Điều động"), "reinforcement": _("Tăng cường")}  # fmt: skip
    return labels.get(kind, kind)


ROTATION_CHECKS = {"R1": check_r1, "R2": check_r2, "R3": check_r3}
