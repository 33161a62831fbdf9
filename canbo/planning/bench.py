"""Bench strength and vacancy forecast (độ "dày" nguồn kế cận) for each position of a plan.

For every position a plan covers: who holds it on the as-of date, when each
holder retires (`canbo.people.derived`, ADR 0005) against the first day of
the plan's target term, whether a vacancy is expected by then, and how many
of the position's active successors will be eligible then.

- A vacancy is expected when a seat is empty on the as-of date, a holder's
  retirement date falls before the term starts, or a holder of a head post will
  have served R5's `max_terms` consecutive terms (two) when the term starts
  (`term_limits`: the people app's tenure, read by planning itself; rotation is
  above planning). Rotations under way are not counted.
- A successor is eligible when P5's age rule passes at the term start
  (months left ≥ `full_term_months` of the rule set in force) and P7 raises
  no flag for them in this plan on the as-of date.
- At risk: a vacancy is expected and no successor is eligible.
- `most`: how many people the plan may name for the position (P1 of the rule
  set in force: per position, times the seats by default). The page's bars are
  drawn against it, so their length says how full the bench is (1 of 3 is a
  third), not just the share of eligible among however many there are.

The facts come from `planning_facts` (a fixed number of queries); the rest
is computed in memory by the same pure checks the rule engine runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from canbo.rules.checks import CHECKS
from canbo.rules.checks.planning import planned_limit
from canbo.rules.facts import CheckContext, Facts, PersonFacts, PlanFacts, PositionFacts
from canbo.rules.ruleset import RuleSetData
from canbo.rules.selectors import rule_set_in_force

from .models import Plan, PlanPosition
from .selectors import planning_facts
from .term_limits import HeadTenures, head_tenures, r5_limits, terms_at


@dataclass(frozen=True)
class HolderForecast:
    person_id: int
    id_number: str
    full_name: str
    retirement_date: dt.date
    term_start: dt.date
    months_left_at_term_start: int
    # Consecutive terms served in the head post when the term starts (None: not a head
    # post, no term calendar, or no R5); `max_terms` R5's limit (0 without R5).
    terms_at_term_start: int | None = None
    max_terms: int = 0

    @property
    def retires_before_term(self) -> bool:
        return self.retirement_date < self.term_start

    @property
    def term_limit_reached(self) -> bool:
        """The holder will have served the most consecutive terms at the term's start."""
        return self.terms_at_term_start is not None and self.terms_at_term_start >= self.max_terms


@dataclass(frozen=True)
class PositionBench:
    plan_id: int
    position: PositionFacts
    term_start: dt.date
    holders: tuple[HolderForecast, ...]
    vacancy_expected: bool
    successor_ids: tuple[int, ...]  # active on the as-of date
    eligible_ids: tuple[int, ...]  # of those, eligible at the term start
    most: int = 0  # P1's most people planned for the position (0: no P1 in the rule set)

    @property
    def successors(self) -> int:
        return len(self.successor_ids)

    @property
    def eligible(self) -> int:
        return len(self.eligible_ids)

    def _share(self, count: int) -> int:
        """`count` as a whole percentage of the bar: of P1's most, or of the successors
        when there is no P1 (or more successors than it allows: then the bar is full)."""
        scale = max(self.most, self.successors)
        return round(100 * count / scale) if scale else 0

    @property
    def successors_share(self) -> int:
        return self._share(self.successors)

    @property
    def eligible_share(self) -> int:
        return self._share(self.eligible)

    @property
    def term_limit_vacancy(self) -> bool:
        return any(h.term_limit_reached for h in self.holders)

    @property
    def retirement_vacancy(self) -> bool:
        return any(h.retires_before_term for h in self.holders)

    @property
    def at_risk(self) -> bool:
        return self.vacancy_expected and not self.eligible_ids


def _holder(person: PersonFacts, term_start: dt.date, ctx: CheckContext,
            terms: int | None = None, max_terms: int = 0) -> HolderForecast:  # fmt: skip
    return HolderForecast(
        person_id=person.id,
        id_number=person.id_number,
        full_name=person.full_name,
        retirement_date=person.retirement_date(ctx.schedule),
        months_left_at_term_start=person.months_left(term_start, ctx.schedule),
        term_start=term_start,
        terms_at_term_start=terms,
        max_terms=max_terms,
    )


def bench_of(
    plans: list[PlanFacts],
    people: dict[int, PersonFacts],
    positions: dict[int, PositionFacts],
    plan_positions: dict[int, list[int]],
    rule_set: RuleSetData,
    ctx: CheckContext,
    heads: HeadTenures | None = None,
) -> dict[int, list[PositionBench]]:
    """The forecast over facts already gathered (pure: no database); `heads` the
    holders' tenures in head posts (`term_limits.head_tenures`), none by default."""
    limits = r5_limits(rule_set)
    heads = heads or {}
    p5 = rule_set.rule("P5")
    full_term = int(p5.param("full_term_months")) if p5 is not None else 0
    p1 = rule_set.rule("P1")
    p7 = rule_set.rule("P7")
    flagged: set[tuple[int, int]] = set()
    if p7 is not None and p7.enabled:
        facts = Facts.of(plans, people.values(), positions.values())
        flagged = {(f.plan_id, f.person_id) for f in CHECKS["P7"](facts, p7, ctx)}
    out: dict[int, list[PositionBench]] = {}
    for plan in plans:
        successors: dict[int, dict[int, None]] = {}
        for entry in plan.active_entries(ctx.as_of):
            successors.setdefault(entry.position_id, {})[entry.person_id] = None
        rows = []
        for position_id in plan_positions.get(plan.id, []):
            position = positions[position_id]
            holders = tuple(
                _holder(people[pk], plan.term_start, ctx,
                        *_terms(heads.get((position_id, pk)), plan.term_start, ctx, limits))
                for pk in position.holder_ids
            )  # fmt: skip
            vacancy = len(holders) < position.seats or any(
                h.retires_before_term or h.term_limit_reached for h in holders
            )
            ids = tuple(successors.get(position_id, ()))
            eligible = tuple(
                pk
                for pk in ids
                if people[pk].months_left(plan.term_start, ctx.schedule) >= full_term
                and (plan.id, pk) not in flagged
            )
            rows.append(
                PositionBench(
                    plan_id=plan.id,
                    position=position,
                    term_start=plan.term_start,
                    holders=holders,
                    vacancy_expected=vacancy,
                    successor_ids=ids,
                    eligible_ids=eligible,
                    most=planned_limit(p1, position) if p1 is not None else 0,
                )
            )
        out[plan.id] = rows
    return out


def _terms(tenure, term_start: dt.date, ctx: CheckContext, limits) -> tuple[int | None, int]:
    if limits is None:
        return None, 0
    max_terms, min_months = limits
    return terms_at(tenure, term_start, ctx.as_of, min_months), max_terms


def heads_of(positions: dict[int, PositionFacts], as_of: dt.date,
             rule_set: RuleSetData) -> HeadTenures:  # fmt: skip
    """The tenures `bench_of` needs for term limits (none without R5: no query)."""
    limits = r5_limits(rule_set)
    if limits is None:
        return {}
    holders = {pk: p.holder_ids for pk, p in positions.items()}
    return head_tenures(holders, as_of, limits[1])


def plan_bench(
    plans_qs: QuerySet[Plan], as_of: dt.date, rule_set: RuleSetData | None = None
) -> dict[int, list[PositionBench]]:
    """{plan id: the forecast of each position it covers, by position id}."""
    plans, people, positions = planning_facts(plans_qs, as_of)
    if not plans:
        return {}
    plan_positions: dict[int, list[int]] = {}
    for plan_id, position_id in (
        PlanPosition.objects.filter(plan_id__in=[p.id for p in plans])
        .order_by("plan_id", "position_id")
        .values_list("plan_id", "position_id")
    ):
        plan_positions.setdefault(plan_id, []).append(position_id)
    if rule_set is None:
        rule_set = rule_set_in_force(as_of)
    heads = heads_of(positions, as_of, rule_set)
    return bench_of(plans, people, positions, plan_positions, rule_set, CheckContext(as_of),
                    heads)  # fmt: skip
