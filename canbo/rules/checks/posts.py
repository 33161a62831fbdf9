"""Checks R4 (non-local posts) and R5 (the two-term limit) over the holders of posts
(DOMAIN.md §3; issue 15).

Each check is `check(facts, rule, ctx) -> list[Finding]` over a `PostsFacts`
(`rules.facts_posts`): who holds which post on the as-of date, local or not, since when.
A finding names the holder (`person`) and the post (`position_id`).

Counting methods chosen where the sources leave them open (parameters):

- R4: `title_codes_by_level` maps a unit level ("province", "commune"…) to the title codes
  whose holders must not be local (QĐ 65-QĐ/TW 2022 Art. 4(2); Chỉ thị 45-CT/TW 2025).
  The level is the post's unit's. Locality is judged per post against the area the post's
  unit governs (ADR 0013); a holder whose hometown or governed area is not recorded is
  not judged (the key-leaders figures count them as unknown).
- R5: heads only (`PositionTitle.is_head`). Consecutive terms are those of the post's
  calendar (party congress or People's Council, by the unit's kind; other units have no
  term count and are not judged), counted as ADR 0014 counts them, over the continuous
  tenure (across mergers and split history rows): a term counts when the post was held
  at least `term_min_months` of it, the term in progress to its end. More than
  `max_terms` is a finding.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from canbo.core.dates import format_day
from canbo.organizations.choices import UnitLevel

from ..facts import CheckContext
from ..facts_posts import PostsFacts
from ..findings import Finding, make_finding
from ..ruleset import ParameterError, RuleData


def title_codes_by_level(rule: RuleData) -> dict[str, frozenset[str]]:
    """R4's set of posts: unit level → title codes (ParameterError when malformed)."""
    value = rule.param("title_codes_by_level")
    levels = set(UnitLevel.values)
    if not isinstance(value, Mapping) or not all(
        level in levels and isinstance(codes, tuple | list)
        and all(isinstance(code, str) for code in codes)
        for level, codes in value.items()
    ):  # fmt: skip
        raise ParameterError(
            _("Tham số “title_codes_by_level” của quy tắc %(code)s phải ánh xạ mỗi cấp "
              "(%(levels)s) tới một danh sách mã chức danh.")  # fmt: skip
            % {"code": rule.code, "levels": ", ".join(UnitLevel.values)}
        )
    return {level: frozenset(codes) for level, codes in value.items()}


def _whole(rule: RuleData, name: str, value, least: int, most: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least or (
        most is not None and value > most
    ):
        raise ParameterError(
            _("Tham số “%(name)s” của quy tắc %(code)s phải là số nguyên từ %(least)d%(most)s.")
            % {"name": name, "code": rule.code, "least": least,
               "most": "" if most is None else _(" đến %(most)d") % {"most": most}}  # fmt: skip
        )
    return value


def term_limits(rule: RuleData) -> tuple[int, int]:
    """R5's (max_terms, term_min_months)."""
    return (
        _whole(rule, "max_terms", rule.param("max_terms"), 1),
        _whole(rule, "term_min_months", rule.param("term_min_months"), 1, 60),
    )


def check_r4(facts: PostsFacts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """The configured posts of each level are held by people who are not local."""
    by_level = title_codes_by_level(rule)
    text = _(
        "%(person)s là người địa phương (quê quán %(hometown)s) nhưng giữ chức vụ %(post)s: "
        "chức danh này phải bố trí cán bộ không phải người địa phương."
    )
    return [
        make_finding(
            rule,
            text % {"person": h.person.full_name, "hometown": h.hometown_name or "–",
                    "post": h.post_name},  # fmt: skip
            position_id=h.position_id,
            person=h.person,
            figures={"title": h.title_code, "level": h.level, "unit_id": h.unit_id,
                     "local": True, "hometown": h.hometown_name},  # fmt: skip
        )
        for h in facts.holders
        if h.local is True and h.title_code in by_level.get(h.level, ())
    ]


def check_r5(facts: PostsFacts, rule: RuleData, ctx: CheckContext) -> list[Finding]:
    """Nobody holds the same head post in one unit for more than two consecutive terms."""
    max_terms, min_months = term_limits(rule)
    text = _(
        "%(person)s giữ chức vụ cấp trưởng %(post)s liên tục từ %(start)s, %(terms)d nhiệm kỳ "
        "liên tiếp, quá %(max)d nhiệm kỳ."
    )
    out = []
    for h in facts.holders:
        if not h.is_head:
            continue
        terms = h.terms_on(ctx.as_of, min_months)
        if terms is None or terms <= max_terms:
            continue
        out.append(
            make_finding(
                rule,
                text % {"person": h.person.full_name, "post": h.post_name, "terms": terms,
                        "start": format_day(h.tenure_start), "max": max_terms},  # fmt: skip
                position_id=h.position_id,
                person=h.person,
                figures={"terms": terms, "max_terms": max_terms,
                         "tenure_start": h.tenure_start.isoformat(), "term_min_months": min_months,
                         "term_body": h.term_body},  # fmt: skip
            )
        )
    return out


POST_CHECKS = {"R4": check_r4, "R5": check_r5}
