"""Term-limit vacancies for the bench forecast: heads of posts who will have served two
consecutive terms when the plan's term starts (R5, DOMAIN.md §3; issue 15 item 5).

Nobody holds the same head post (`PositionTitle.is_head`) in one unit for more than
`max_terms` consecutive terms (R5's parameter, 2). A holder who keeps the post to the day
before the target term starts and will then have served `max_terms` terms cannot take it
for another: the post becomes vacant at the term's start. The terms are counted as the
people app counts them (ADR 0014, `people.tenure.count_terms`: the continuous tenure
across mergers and split history rows, a term counting when held `term_min_months` of
it), over the calendar of the post's body (party congress, People's Council); a post
without one is not counted.

Planning sits below rotation (import-linter layers) and reads this from the people app's
tenure directly, not from `canbo.rotation`. `head_tenures` reads in five queries (none
without a head holder): the head positions, the holders' tenures (three), the calendars.
`terms_at` is pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from canbo.organizations.models import Position, Term
from canbo.people.selectors_tenure import post_tenures
from canbo.people.tenure import DEFAULT_TERM_MIN_MONTHS, TermSpan, count_terms
from canbo.rules.ruleset import RuleSetData

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class HeadTenure:
    """A holder's continuous tenure in a head post, and the calendar its terms count on."""

    start: dt.date
    calendar: tuple[TermSpan, ...]


#: (position id, person id) → the holder's tenure in that head post.
HeadTenures = Mapping[tuple[int, int], HeadTenure]


def r5_limits(rule_set: RuleSetData | None) -> tuple[int, int] | None:
    """R5's (max_terms, term_min_months) whether or not it is enabled (like P5 for the
    age rule); None when the rule set has no R5: no term-limit vacancy is counted."""
    rule = None if rule_set is None else rule_set.rule("R5")
    if rule is None:
        return None
    return (int(rule.param("max_terms")),
            int(rule.param("term_min_months") or DEFAULT_TERM_MIN_MONTHS))  # fmt: skip


def head_tenures(
    holders: Mapping[int, Iterable[int]], as_of: dt.date, term_min_months: int
) -> dict[tuple[int, int], HeadTenure]:
    """The tenure on `as_of` of each holder of a head post among `holders` (position id →
    its holders' ids on `as_of`)."""
    heads = {
        pk: (unit_id, title_id)
        for pk, unit_id, title_id in Position.objects.filter(
            pk__in=[pk for pk, held in holders.items() if held], title__is_head=True
        ).values_list("pk", "unit_id", "title_id")
    }
    people = {person for pk in heads for person in holders[pk]}
    if not people:
        return {}
    tenures = post_tenures(people, as_of, term_min_months=term_min_months)
    calendars: dict[str, list[TermSpan]] = {}
    for body, start, end, name in Term.objects.order_by("body", "start_date").values_list(
        "body", "start_date", "end_date", "name"
    ):
        calendars.setdefault(body, []).append(TermSpan(start=start, end=end, name=name))
    out = {}
    for pk, (unit_id, title_id) in heads.items():
        for person in holders[pk]:
            for tenure in tenures.get(person, ()):
                if (tenure.unit_id, tenure.title_id) == (unit_id, title_id) and tenure.body:
                    calendar = tuple(calendars.get(tenure.body, ()))
                    if calendar:
                        out[(pk, person)] = HeadTenure(tenure.start, calendar)
    return out


def terms_at(tenure: HeadTenure | None, term_start: dt.date, as_of: dt.date,
             term_min_months: int) -> int | None:  # fmt: skip
    """Consecutive terms served when `term_start` comes, the post kept until the day
    before; None without a tenure in a head post, or for a term already begun."""
    if tenure is None or term_start <= as_of:
        return None
    return count_terms(tenure.start, term_start - ONE_DAY, tenure.calendar, term_min_months)
