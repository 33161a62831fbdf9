"""Reported figures of plans (DOMAIN.md §1.8, the M1A/M1B forms), computed in grouped SQL.

Counts are over the entries active on the as-of date. "Planned" counts
distinct people: a person planned for two positions counts once (in a roll-up,
once across all its plans). The coefficient is planned people ÷ positions
covered (`PlanPosition` rows); shares are percentages of the planned people
(`canbo.core.shares.share_of`), people whose ethnicity is not recorded
counting as not minority.

"Young" and the three age brackets take their thresholds from the P6 rule of
the rule set in force: young = under the level's age (45 central, 40
province); brackets = under that age / from it to under it + the bracket gap
(5 years) / that age and over. The level is the planning unit's. Levels with
no threshold have no young count and no brackets in a plan's figures, and
count in neither in a roll-up. Ages are whole years on the as-of date.

Every figure comes from four grouped queries (people, degrees, political
theory, successors per position; a fifth reads the plans' levels when grouping
by plan; two more read the rule set unless one is given) whatever the number
of plans: grouped by plan (`figures_by_plan`), by the unit directly below a
given unit through a path prefix (`figures_by_child_unit`), or not at all
(`figures_total`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Substr

from canbo.core.shares import share_of
from canbo.people.choices import Sex
from canbo.rules.ruleset import RuleSetData
from canbo.rules.selectors import rule_set_in_force

from .models import Plan, PlanEntry, PlanPosition
from .selectors import active_entries_q


@dataclass(frozen=True)
class Figures:
    positions: int = 0
    planned: int = 0
    coefficient: Decimal | None = None
    women: int = 0
    women_share: Decimal | None = None
    young_under: int | None = None  # the plan's threshold; None in roll-ups or without one
    young: int | None = None
    young_share: Decimal | None = None
    minority: int = 0
    minority_share: Decimal | None = None
    # (under T, T to under T+gap, T+gap and over); None when the level has no threshold.
    age_brackets: tuple[int, int, int] | None = None
    by_degree: dict[int | None, int] = field(default_factory=dict)
    by_political_theory: dict[int | None, int] = field(default_factory=dict)
    positions_without_successor: int = 0
    positions_with_one_successor: int = 0
    positions_with_two_or_more: int = 0


def coefficient_of(planned: int, positions: int) -> Decimal | None:
    """Planned people per position, two decimals; None without positions."""
    if not positions:
        return None
    return (Decimal(planned) / Decimal(positions)).quantize(Decimal("0.01"))


def years_before(on: dt.date, years: int) -> dt.date:
    """The same day `years` earlier (28 February for a 29 February)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def younger_than_q(age: int, on: dt.date, prefix: str = "person__") -> Q:
    """People under `age` whole years on `on`, by the effective birth date of ADR 0005.

    A birth date known only by month counts from the 1st, by year from 1 January:
    the effective date is after the cutoff when the stored month (year) is.
    """
    cutoff = years_before(on, age)
    next_month = (
        dt.date(cutoff.year + 1, 1, 1)
        if cutoff.month == 12
        else dt.date(cutoff.year, cutoff.month + 1, 1)
    )
    return (
        Q(**{f"{prefix}birth_date_precision": "D", f"{prefix}birth_date__gt": cutoff})
        | Q(**{f"{prefix}birth_date_precision": "M", f"{prefix}birth_date__gte": next_month})
        | Q(**{f"{prefix}birth_date_precision": "Y", f"{prefix}birth_date__year__gt": cutoff.year})
    )


def _p6_thresholds(rule_set: RuleSetData) -> tuple[dict[str, int], int]:
    rule = rule_set.rule("P6")
    if rule is None:
        return {}, 5
    by_level = {
        k: int(v) for k, v in (rule.parameters.get("young_under_age_by_level") or {}).items()
    }
    return by_level, int(rule.parameters.get("age_bracket_gap_years", 5))


def _by_level_q(thresholds: dict[str, int], on: dt.date, offset: int) -> Q:
    q = Q(pk__in=[])
    for level, age in sorted(thresholds.items()):
        q |= Q(plan__planning_unit__level=level) & younger_than_q(age + offset, on)
    return q


def _grouped(qs: QuerySet, key, aggregates: dict) -> dict:
    """{group: row} grouped by the expression `key`; {None: row} when `key` is None."""
    if key is None:
        return {None: qs.aggregate(**aggregates)}
    rows = qs.annotate(_group=key).order_by().values("_group").annotate(**aggregates)
    return {row.pop("_group"): row for row in rows}


def _figures(plans_qs: QuerySet[Plan], as_of: dt.date, rule_set, key: str | None):
    if rule_set is None:
        rule_set = rule_set_in_force(as_of)
    thresholds, gap = _p6_thresholds(rule_set)
    plan_ids = plans_qs.order_by().values("pk")
    active = PlanEntry.objects.filter(active_entries_q(as_of), plan_id__in=plan_ids)
    group = None if key is None else F(key) if key == "plan_id" else key

    person = "person_id"
    young = _by_level_q(thresholds, as_of, 0)
    under_next = _by_level_q(thresholds, as_of, gap)
    has_threshold = Q(plan__planning_unit__level__in=list(thresholds))
    people = _grouped(
        active,
        group,
        {
            "planned": Count(person, distinct=True),
            "women": Count(person, distinct=True, filter=Q(person__sex=Sex.FEMALE)),
            "minority": Count(person, distinct=True, filter=Q(person__ethnicity__is_minority=True)),
            "young": Count(person, distinct=True, filter=young),
            "middle": Count(person, distinct=True, filter=under_next & ~young),
            "older": Count(person, distinct=True, filter=has_threshold & ~under_next),
        },
    )
    degrees = _count_by(active, group, "person__professional_degree")
    theory = _count_by(active, group, "person__political_theory")

    successors = Coalesce(
        Subquery(
            PlanEntry.objects.filter(
                active_entries_q(as_of),
                plan_id=OuterRef("plan_id"),
                position_id=OuterRef("position_id"),
            )
            .order_by()
            .values("plan_id")
            .annotate(n=Count("person_id", distinct=True))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )
    slots = _grouped(
        PlanPosition.objects.filter(plan_id__in=plan_ids).annotate(successors=successors),
        group,
        {
            "positions": Count("pk"),
            "none": Count("pk", filter=Q(successors=0)),
            "one": Count("pk", filter=Q(successors=1)),
            "more": Count("pk", filter=Q(successors__gte=2)),
        },
    )
    levels = {}
    if key == "plan_id":
        levels = dict(plans_qs.order_by().values_list("pk", "planning_unit__level"))
    out = {}
    for g in sorted(set(people) | set(slots), key=lambda v: (v is None, v)):
        p = people.get(g) or {}
        s = slots.get(g) or {}
        planned = p.get("planned") or 0
        positions = s.get("positions") or 0
        under = thresholds.get(levels.get(g)) if key == "plan_id" else None
        counted = (key != "plan_id" and bool(thresholds)) or under is not None
        young_n = (p.get("young") or 0) if counted else None
        out[g] = Figures(
            positions=positions,
            planned=planned,
            coefficient=coefficient_of(planned, positions),
            women=p.get("women") or 0,
            women_share=share_of(p.get("women") or 0, planned),
            young_under=under,
            young=young_n,
            young_share=share_of(young_n, planned) if counted else None,
            minority=p.get("minority") or 0,
            minority_share=share_of(p.get("minority") or 0, planned),
            age_brackets=(
                (p.get("young") or 0, p.get("middle") or 0, p.get("older") or 0)
                if counted
                else None
            ),
            by_degree=degrees.get(g, {}),
            by_political_theory=theory.get(g, {}),
            positions_without_successor=s.get("none") or 0,
            positions_with_one_successor=s.get("one") or 0,
            positions_with_two_or_more=s.get("more") or 0,
        )
    return out


def _count_by(active: QuerySet, group, field_name: str) -> dict:
    """{group: {value: distinct people}} in one grouped query."""
    qs = active.order_by()
    if group is None:
        rows = qs.values(field_name).annotate(n=Count("person_id", distinct=True))
        return {None: {row[field_name]: row["n"] for row in rows}}
    rows = (
        qs.annotate(_group=group)
        .values("_group", field_name)
        .annotate(n=Count("person_id", distinct=True))
    )
    out: dict = {}
    for row in rows:
        out.setdefault(row["_group"], {})[row[field_name]] = row["n"]
    return out


def figures_by_plan(
    plans_qs: QuerySet[Plan], as_of: dt.date, rule_set: RuleSetData | None = None
) -> dict[int, Figures]:
    """Figures of each plan (plans with no position and no entry are left out)."""
    return _figures(plans_qs, as_of, rule_set, "plan_id")


def figures_total(
    plans_qs: QuerySet[Plan], as_of: dt.date, rule_set: RuleSetData | None = None
) -> Figures:
    """One set of figures over all the plans (distinct people across plans)."""
    return _figures(plans_qs, as_of, rule_set, None).get(None, Figures())


def figures_by_child_unit(
    unit, plans_qs: QuerySet[Plan], as_of: dt.date, rule_set: RuleSetData | None = None
) -> dict[str, Figures]:
    """Figures of the plans below `unit`, rolled up to `unit` and each unit directly below it.

    Keys are unit paths: `unit.path` for its own plans, a child's path for the
    plans of that child's subtree (one GROUP BY over a path prefix).
    """
    plans_qs = plans_qs.filter(planning_unit__path__startswith=unit.path)
    width = len(unit.path) + unit.steplen
    return _figures(plans_qs, as_of, rule_set, Substr("plan__planning_unit__path", 1, width))
