"""Holders of posts on a date: the facts of rules R4 and R5, and the watch lists (issue 15).

R4 (non-local posts) and R5 (the two-term limit for heads) are about who holds a post,
not about rotation records. `holder_facts` reads the holders of the head posts (and of
the titles R4 names) of any set of units at a date, each judged local or not against
the area the post's unit governs (ADR 0013, `organizations.locality_sql`, the same SQL
the key-leaders figures use) and with the continuous tenure and consecutive terms of the
post (ADR 0014, `people.selectors_tenure.post_tenures`: across merged units and split
history rows), in five queries whatever the number of units (one when nobody holds them).

The watch lists of a subtree at a date: (a) R4 posts held by local people; (b) holders
of head posts who will have served the limit of consecutive terms when the next term of
their post's calendar starts, and must move then; (c) rotations ending within six months;
(d) rotations whose planned end passed without an outcome. Scoped by the user's grants
when a user is given (`core.scope`); a command passes None and sees everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from canbo.core import scope
from canbo.core.db import value_rows
from canbo.organizations.locality_sql import with_local_to_post
from canbo.organizations.models import Term, Unit
from canbo.organizations.selectors import valid_on_q
from canbo.people.models import Assignment
from canbo.people.selectors import held_on_q
from canbo.people.selectors_tenure import post_tenures
from canbo.people.tenure import TermSpan, term_body_for
from canbo.rules.checks.common import months_after
from canbo.rules.checks.posts import term_limits, title_codes_by_level
from canbo.rules.engine import run_post_checks
from canbo.rules.facts import CheckContext, PersonFacts
from canbo.rules.facts_posts import HolderFacts, PostsFacts, next_term_start
from canbo.rules.findings import Finding
from canbo.rules.ruleset import RuleSetData
from canbo.rules.selectors import rule_set_in_force

from . import selectors
from .models import Rotation

#: Rotations ending within this many months of the date are watched (list c).
ENDING_WITHIN_MONTHS = 6

_FIELDS = (
    "id", "position_id", "position__unit_id", "position__unit__name", "position__unit__path",
    "position__unit__level", "position__unit__kind", "position__title_id",
    "position__title__code", "position__title__name", "position__title__is_head",
    "position__title__is_key", "person_id", "person__id_number", "person__full_name",
    "person__sex", "person__birth_date", "person__birth_date_precision",
    "person__retirement_age_override_months", "person__hometown__name", "local",
)  # fmt: skip


def holder_facts(
    units: Unit | QuerySet[Unit], as_of: dt.date, *, title_codes: Iterable[str] | None = None
) -> PostsFacts:
    """The holders on `as_of` of the head posts of `units` (a unit: its subtree; a queryset:
    those units), and of the posts whose title is in `title_codes` (None: the key posts),
    of the units valid on `as_of`. Five queries (one when nobody holds such a post)."""
    where = Q(position__isnull=False) & held_on_q(as_of) & valid_on_q(as_of, "position__unit__")
    if isinstance(units, Unit):
        where &= Q(position__unit__path__startswith=units.path)
    else:
        where &= Q(position__unit__in=units.values("pk"))
    titles = Q(position__title__is_head=True)
    if title_codes is None:
        titles |= Q(position__title__is_key=True)
    else:
        titles |= Q(position__title__code__in=sorted(set(title_codes)))
    qs = with_local_to_post(
        Assignment.objects.filter(where & titles), hometown="person__hometown_id",
        unit="position__unit",
    )  # fmt: skip
    rows, seen = [], set()
    for row in value_rows(qs.order_by("position__unit__path", "position_id", "person_id", "id")
                          .values_list(*_FIELDS)):  # fmt: skip
        if (row[1], row[12]) not in seen:  # one holder per post, whatever rows of it are held
            seen.add((row[1], row[12]))
            rows.append(row)
    if not rows:
        return PostsFacts()
    tenures = post_tenures({row[12] for row in rows}, as_of)
    calendars: dict[str, list[TermSpan]] = {}
    for body, start, end, name in Term.objects.order_by("body", "start_date").values_list(
        "body", "start_date", "end_date", "name"
    ):
        calendars.setdefault(body, []).append(TermSpan(start=start, end=end, name=name))
    people: dict[int, PersonFacts] = {}
    holders = []
    for (
        pk, position_id, unit_id, unit_name, unit_path, level, unit_kind, title_id, title_code,
        title_name, is_head, is_key, person_id, id_number, full_name, sex, born, precision,
        override, hometown, local,
    ) in rows:  # fmt: skip
        person = people.get(person_id)
        if person is None:
            person = people[person_id] = PersonFacts(
                id=person_id, id_number=id_number, full_name=full_name, sex=sex,
                birth_date=born, birth_date_precision=precision,
                retirement_age_override_months=override,
            )  # fmt: skip
        tenure = next((t for t in tenures.get(person_id, ()) if pk in t.row_ids), None)
        body = term_body_for(unit_kind)
        body = str(body) if body else None
        calendar = tuple(calendars.get(body, ())) if body else ()
        holders.append(
            HolderFacts(
                person=person, position_id=position_id, unit_id=unit_id, unit_name=unit_name,
                unit_path=unit_path, level=level, title_id=title_id, title_code=title_code,
                title_name=title_name, is_head=is_head, is_key=is_key,
                local=None if local is None else bool(local), hometown_name=hometown or "",
                tenure_start=tenure.start if tenure else None,
                tenure_months=tenure.months if tenure else None,
                terms=tenure.terms if tenure and calendar else None,
                term_body=body if calendar else None, calendar=calendar,
                next_term_start=next_term_start(calendar, as_of),
            )  # fmt: skip
        )
    return PostsFacts.of(holders)


def _units(user, unit: Unit | None) -> QuerySet[Unit]:
    """`unit`'s subtree (None: every unit), restricted to what `user` may see (None: a
    command, everything)."""
    units = Unit.objects.all() if unit is None else Unit.objects.filter(path__startswith=unit.path)
    return units if user is None else scope.restrict(units, user)


def r4_title_codes(rule_set: RuleSetData) -> frozenset[str]:
    """Every title code R4 names, whatever the level (empty without R4)."""
    rule = rule_set.rule("R4")
    if rule is None:
        return frozenset()
    return frozenset().union(*title_codes_by_level(rule).values())


def check_posts(
    user, unit: Unit | None, as_of: dt.date, rule_set: RuleSetData | None = None
) -> list[Finding]:
    """Findings of R4 and R5 (the rule set in force on `as_of`, or `rule_set`) over the
    holders of posts in `unit`'s subtree that `user` may see."""
    if rule_set is None:
        rule_set = rule_set_in_force(as_of)
    facts = holder_facts(_units(user, unit), as_of, title_codes=r4_title_codes(rule_set))
    return run_post_checks(facts, rule_set, CheckContext(as_of))


# --- Watch lists ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TermLimitWatch:
    """A head who will have served `terms` consecutive terms (at least the limit) when the
    next term starts on `next_term_start`, and must move then."""

    holder: HolderFacts
    terms: int
    next_term_start: dt.date


@dataclass
class WatchLists:
    unit: Unit
    as_of: dt.date
    local_posts: list[HolderFacts] = field(default_factory=list)  # (a) R4 posts, local holders
    term_limit: list[TermLimitWatch] = field(default_factory=list)  # (b)
    ending_soon: list[Rotation] = field(default_factory=list)  # (c) within six months
    overdue: list[Rotation] = field(default_factory=list)  # (d) planned end passed, no outcome
    max_terms: int = 2


def local_posts(facts: PostsFacts, rule_set: RuleSetData) -> list[HolderFacts]:
    """(a) The posts R4 names for their level, held by people local to them."""
    rule = rule_set.rule("R4")
    if rule is None:
        return []
    by_level = title_codes_by_level(rule)
    return [h for h in facts.holders
            if h.local is True and h.title_code in by_level.get(h.level, ())]  # fmt: skip


def term_limit_watch(facts: PostsFacts, rule_set: RuleSetData) -> list[TermLimitWatch]:
    """(b) Heads who will have served at least R5's `max_terms` consecutive terms when the
    next term of their post's calendar starts (the post kept until then), earliest first."""
    rule = rule_set.rule("R5")
    if rule is None:
        return []
    max_terms, min_months = term_limits(rule)
    found = []
    for h in facts.holders:
        terms = h.terms_at_next_term(min_months) if h.is_head else None
        if terms is not None and terms >= max_terms:
            found.append(TermLimitWatch(h, terms, h.next_term_start))
    return sorted(found, key=lambda w: (w.next_term_start, w.holder.unit_path,
                                        w.holder.title_code, w.holder.person_id))  # fmt: skip


def rotation_watch(
    user, unit: Unit, as_of: dt.date, months: int = ENDING_WITHIN_MONTHS
) -> tuple[list[Rotation], list[Rotation]]:
    """(c) and (d) in one query: rotations decided by `unit`'s subtree, started and not
    ended on `as_of`, whose planned end falls within `months` (c) or has passed (d)."""
    qs = selectors.rotations(user) if user is not None else Rotation.objects.select_related(
        "person", "from_position__title", "from_position__unit", "to_position__title",
        "to_position__unit", "competent_unit", "plan",
    )  # fmt: skip
    qs = selectors.rotations_of(qs, unit=unit).filter(
        Q(actual_end__isnull=True) | Q(actual_end__gt=as_of),
        start_date__lte=as_of, planned_end__lte=months_after(as_of, months),
    ).order_by("planned_end", "id")  # fmt: skip
    ending, overdue = [], []
    for rotation in qs:
        (overdue if rotation.planned_end < as_of else ending).append(rotation)
    return ending, overdue


def watch_lists(
    user, unit: Unit, as_of: dt.date, rule_set: RuleSetData | None = None
) -> WatchLists:
    """The four watch lists of `unit`'s subtree on `as_of`, as `user` may see them."""
    if rule_set is None:
        rule_set = rule_set_in_force(as_of)
    facts = holder_facts(_units(user, unit), as_of, title_codes=r4_title_codes(rule_set))
    ending, overdue = rotation_watch(user, unit, as_of)
    r5 = rule_set.rule("R5")
    return WatchLists(
        unit=unit, as_of=as_of, local_posts=local_posts(facts, rule_set),
        term_limit=term_limit_watch(facts, rule_set), ending_soon=ending, overdue=overdue,
        max_terms=term_limits(r5)[0] if r5 else 2,
    )  # fmt: skip
