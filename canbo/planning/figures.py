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

Every figure comes from one statement whatever the number of plans (two more
queries read the rule set unless one is given): grouped by plan
(`figures_by_plan`), by the unit directly below a given unit through a path
prefix (`figures_by_child_unit`, with the total beside in
`figures_by_child_unit_and_total`), by a path prefix of any length, optionally split
by a field of the post (`figures_by_prefix`: the M1A/M1B report forms, many subtrees of
one depth at once), or not at all (`figures_total`). Django
compiles the plans' active entries (with each entry's flags: woman, minority,
age bracket by its plan's level) and covered positions; a hand-written SQL
around them (`SQL`) keeps one row per group and person, counts the successors
of each covered position, and groups both. Degrees and political theory are
counted per value found, so a value outside the choices is not lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, CharField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Concat, Substr

from canbo.core.compiled import StatementCache
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


def _flag(condition: Q) -> Case:
    """1 when an entry meets `condition`, else 0 (the statement takes the largest per person)."""
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _bracket(thresholds: dict[str, int], on: dt.date, gap: int) -> Case:
    """An entry's age bracket by its plan's level: 1 young, 2 middle, 3 older, 0 no threshold."""
    young = _by_level_q(thresholds, on, 0)
    under_next = _by_level_q(thresholds, on, gap)
    has_threshold = Q(plan__planning_unit__level__in=list(thresholds))
    return Case(
        When(young, then=Value(1)),
        When(under_next, then=Value(2)),
        When(has_threshold, then=Value(3)),
        default=Value(0),
        output_field=IntegerField(),
    )


# The statement. {plans} (the plans' ids), {entries} (their active entries, one row
# each with its flags) and {slots} (their covered positions) are compiled by Django, the
# columns named after ENTRY_COLUMNS and SLOT_COLUMNS; the rest is written here, standard
# SQL on both databases. f_people has one row per group and person (whatever their
# entries: a flag is set when one of them sets it), f_named the people of each covered
# position. Four kinds of rows come back, all of the same shape (kind, group, value,
# level, five counts): 0 the people of a group (planned, women, minority, young, middle,
# older); 1 and 2 the people of a group by professional degree and by political theory
# (value); 3 the covered positions of a group (positions, without, with one, with two or
# more successors). A NULL group is the total of every group. PostgreSQL is told to
# inline f_plans where it is named: materialized, it would hide the plans' number from
# the planner and keep it from scanning the entries in parallel (the whole country took
# 1.6× a hand-written floor, against 1.1–1.2× inlined; docs/performance/planning.md).
ENTRY_COLUMNS = ("f_g", "f_plan", "f_position", "f_person", "f_level", "f_women", "f_minority",
                 "f_bracket", "f_degree", "f_theory")  # fmt: skip
SLOT_COLUMNS = ("f_g", "f_plan", "f_position", "f_level")
PERSON = """MAX(f_level), MAX(f_women), MAX(f_minority),
           MAX(CASE WHEN f_bracket = 1 THEN 1 ELSE 0 END),
           MAX(CASE WHEN f_bracket = 2 THEN 1 ELSE 0 END),
           MAX(CASE WHEN f_bracket = 3 THEN 1 ELSE 0 END), MAX(f_degree), MAX(f_theory)"""
SQL = f"""
WITH f_plans AS{{inline}} ({{plans}}),
f_entries AS ({{entries}}),
f_slots AS ({{slots}}),
f_people (f_g, f_person, f_level, f_women, f_minority, f_young, f_middle, f_older, f_degree,
          f_theory) AS (
    SELECT f_g, f_person, {PERSON}
    FROM f_entries GROUP BY f_g, f_person{{total_people}}
),
f_named AS (
    SELECT f_plan, f_position, COUNT(DISTINCT f_person) AS n
    FROM f_entries GROUP BY f_plan, f_position
),
f_covered AS (
    SELECT s.f_g, s.f_level, COALESCE(n.n, 0) AS n
    FROM f_slots s LEFT JOIN f_named n ON n.f_plan = s.f_plan AND n.f_position = s.f_position{{total_slots}}
)
SELECT 0, f_g, CAST(NULL AS INTEGER), MAX(f_level), COUNT(*), SUM(f_women), SUM(f_minority),
       SUM(f_young), SUM(f_middle), SUM(f_older)
FROM f_people GROUP BY f_g
UNION ALL
SELECT 1, f_g, f_degree, NULL, COUNT(*), NULL, NULL, NULL, NULL, NULL
FROM f_people GROUP BY f_g, f_degree
UNION ALL
SELECT 2, f_g, f_theory, NULL, COUNT(*), NULL, NULL, NULL, NULL, NULL
FROM f_people GROUP BY f_g, f_theory
UNION ALL
SELECT 3, f_g, NULL, MAX(f_level), COUNT(*),
       SUM(CASE WHEN n = 0 THEN 1 ELSE 0 END), SUM(CASE WHEN n = 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN n >= 2 THEN 1 ELSE 0 END), NULL, NULL
FROM f_covered GROUP BY f_g
"""
# With a total beside the groups: every person once more under the NULL group (flags
# set by any of their entries), every covered position once more.
TOTAL_PEOPLE = f"""
    UNION ALL
    SELECT NULL, f_person, {PERSON}
    FROM f_entries GROUP BY f_person"""
TOTAL_SLOTS = """
    UNION ALL
    SELECT NULL, s.f_level, COALESCE(n.n, 0)
    FROM f_slots s LEFT JOIN f_named n ON n.f_plan = s.f_plan AND n.f_position = s.f_position"""

#: The entries' and slots' statements as Django compiled them, per database, date, P6
#: thresholds and grouping: building them (the age conditions of every level) costs
#: Django as long as the statement takes to run for a province. They name the plans
#: through the f_plans CTE, compiled on every call (`core.compiled`).
_STATEMENTS = StatementCache()
_IN_PLANS = RawSQL('SELECT "pk" FROM f_plans', ())


POST, POST_SEPARATOR = "post", "|"  # tree paths and the fields grouped by hold no "|"


def _group(key: str | int | tuple | None):
    """The grouping expression: a constant (None), the plan, a path prefix `key` long, or
    (POST, length, field): the prefix (none when length is None), "|" and the value of a
    field of the position planned for or covered (`figures_by_prefix`)."""
    if key is None:
        return Value(0, output_field=IntegerField())
    if key == "plan_id":
        return F("plan_id")
    if isinstance(key, tuple):
        _post, length, name = key
        value = Cast(F(f"position__{name}"), CharField())
        prefix = Value("") if length is None else Substr("plan__planning_unit__path", 1, length)
        return Concat(prefix, Value(POST_SEPARATOR), value, output_field=CharField())
    return Substr("plan__planning_unit__path", 1, key)


def _entries(as_of: dt.date, thresholds: dict[str, int], gap: int, key) -> QuerySet:
    return (
        PlanEntry.objects.filter(active_entries_q(as_of), plan_id__in=_IN_PLANS)
        .order_by()
        .annotate(
            f_g=_group(key),
            f_plan=F("plan_id"),
            f_position=F("position_id"),
            f_person=F("person_id"),
            f_level=F("plan__planning_unit__level"),
            f_women=_flag(Q(person__sex=Sex.FEMALE)),
            f_minority=_flag(Q(person__ethnicity__is_minority=True)),
            f_bracket=_bracket(thresholds, as_of, gap),
            f_degree=F("person__professional_degree"),
            f_theory=F("person__political_theory"),
        )
        .values(*ENTRY_COLUMNS)
    )


def _slots(key) -> QuerySet:
    return (
        PlanPosition.objects.filter(plan_id__in=_IN_PLANS)
        .order_by()
        .annotate(
            f_g=_group(key),
            f_plan=F("plan_id"),
            f_position=F("position_id"),
            f_level=F("plan__planning_unit__level"),
        )
        .values(*SLOT_COLUMNS)
    )


def _statement(plans_qs: QuerySet[Plan], as_of: dt.date, thresholds: dict[str, int], gap: int,
               key, total: bool) -> tuple[str, str, list]:  # fmt: skip
    """The figures statement (database, SQL, parameters) over the plans' active entries
    and covered positions, grouped by `key` (see `_group`), with the total if asked."""
    db = PlanEntry.objects.db
    plans = plans_qs.order_by().values("pk")
    plans_sql, plans_params = plans.query.get_compiler(db).as_sql()
    shape = (db, as_of, tuple(sorted(thresholds.items())), gap, key)
    entries_sql, entries_params = _STATEMENTS.statement(
        ("entries", *shape), lambda: _entries(as_of, thresholds, gap, key), {}
    )
    slots_sql, slots_params = _STATEMENTS.statement(("slots", *shape), lambda: _slots(key), {})
    sql = SQL.format(
        inline=" NOT MATERIALIZED" if connections[db].vendor == "postgresql" else "",
        plans=plans_sql,
        entries=entries_sql,
        slots=slots_sql,
        total_people=TOTAL_PEOPLE if total else "",
        total_slots=TOTAL_SLOTS if total else "",
    )
    return db, sql, [*plans_params, *entries_params, *slots_params]


def _figures(plans_qs: QuerySet[Plan], as_of: dt.date, rule_set, key: str | int | None,
             total: bool = False) -> dict:  # fmt: skip
    """{group: Figures} in one query (the rule set in force is read first unless given).

    `key` None: one group, the total (under None, present even with no plan). Otherwise
    the groups of `key` ("plan_id", or the length of a path prefix) and, with `total`,
    the total under None."""
    if rule_set is None:
        rule_set = rule_set_in_force(as_of)
    thresholds, gap = _p6_thresholds(rule_set)
    total = total and key is not None
    try:
        db, sql, params = _statement(plans_qs, as_of, thresholds, gap, key, total)
    except EmptyResultSet:  # no plan can match (`.none()`): no query
        rows = []
    else:
        with connections[db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    return _assembled(rows, thresholds, key, total)


def _assembled(rows: list, thresholds: dict[str, int], key, total: bool) -> dict:
    """{group: Figures} from the statement's rows (see SQL)."""
    people: dict = {}
    slots: dict = {}
    values: tuple[dict, dict] = ({}, {})  # by degree, by political theory
    levels: dict = {}
    for row in rows:  # kind, group, value, level, counts
        kind, g = row[0], None if key is None else row[1]
        if kind == 0:
            people[g] = row[4:10]
        elif kind == 3:
            slots[g] = row[4:8]
        else:
            values[kind - 1].setdefault(g, {})[row[2]] = row[4]
        if row[3] is not None:
            levels[g] = row[3]
    groups = set(people) | set(slots)
    if key is None or total:
        groups.add(None)
    out = {}
    for g in sorted(groups, key=lambda v: (v is None, v)):
        planned, women, minority, *ages = people.get(g) or (0, 0, 0, 0, 0, 0)
        positions, *successors = slots.get(g) or (0, 0, 0, 0)
        by_plan = key == "plan_id" and g is not None
        under = thresholds.get(levels.get(g)) if by_plan else None
        counted = under is not None if by_plan else bool(thresholds)
        out[g] = Figures(
            positions=positions,
            planned=planned,
            coefficient=coefficient_of(planned, positions),
            women=women,
            women_share=share_of(women, planned),
            young_under=under,
            young=ages[0] if counted else None,
            young_share=share_of(ages[0], planned) if counted else None,
            minority=minority,
            minority_share=share_of(minority, planned),
            age_brackets=tuple(ages) if counted else None,
            by_degree=_in_order(values[0].get(g, {})),
            by_political_theory=_in_order(values[1].get(g, {})),
            positions_without_successor=successors[0],
            positions_with_one_successor=successors[1],
            positions_with_two_or_more=successors[2],
        )
    return out


def _in_order(counts: dict) -> dict:
    """The counts by value, lowest first, unknown (None) last."""
    return dict(sorted(counts.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)))


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
    plans_qs, key = _below(unit, plans_qs)
    return _figures(plans_qs, as_of, rule_set, key)


def figures_by_child_unit_and_total(
    unit, plans_qs: QuerySet[Plan], as_of: dt.date, rule_set: RuleSetData | None = None
) -> tuple[dict[str, Figures], Figures]:
    """`figures_by_child_unit` and the `figures_total` of the same plans, in one query."""
    plans_qs, key = _below(unit, plans_qs)
    grouped = _figures(plans_qs, as_of, rule_set, key, total=True)
    total = grouped.pop(None)
    return grouped, total


def figures_by_prefix(
    plans_qs: QuerySet[Plan], as_of: dt.date, length: int | None, *, post: str | None = None,
    total: bool = False, rule_set: RuleSetData | None = None,
) -> dict:
    """Figures of `plans_qs` grouped by the first `length` characters of their planning
    unit's path (None: not at all, one group keyed None, present even with no plan), in
    one query (after the rule set unless given): many subtrees of one depth at once.

    With `post`, a field of the position (e.g. "unit__level",
    "title__management_level"), each group is split by the value of that field of the
    position planned for (entries) or covered (positions): keys (prefix, value as text),
    prefix None when `length` is. A person planned for posts of two values counts in
    both; every other rule is `figures_total`'s. `total` adds the figures of all the
    plans under the key None (in the same statement)."""
    if post is None:
        return _figures(plans_qs, as_of, rule_set, length, total)
    grouped = _figures(plans_qs, as_of, rule_set, (POST, length, post), total)
    out = {}
    for key, figures in grouped.items():
        if key is None:
            out[None] = figures
            continue
        prefix, _sep, value = key.partition(POST_SEPARATOR)
        out[(prefix if length is not None else None, value)] = figures
    return out


def _below(unit, plans_qs: QuerySet[Plan]) -> tuple[QuerySet[Plan], int]:
    """The plans of `unit`'s subtree and the length of the path naming `unit` or its child."""
    plans_qs = plans_qs.filter(planning_unit__path__startswith=unit.path)
    return plans_qs, len(unit.path) + unit.steplen
