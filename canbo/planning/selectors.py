"""Reads on plans: lists restricted to the user's scope, and the facts the rule checks read.

`planning_facts` fills the frozen facts of `canbo.rules.facts` for any number
of plans in a fixed number of queries (nine; one when there is no plan):

1. the plans, with their unit, term and last review on or before the as-of date;
2. their entries (removed ones included: the checks date them);
3. the people named by an entry or holding one of the plans' positions;
4. those people's posts on the as-of date (current `Assignment`, with the title);
5. their disciplines; 6. their evaluations; 7. their latest confidence votes;
8. the positions named by an entry or covered by a plan, with title and unit;
9. the holders of those positions on the as-of date.

Related rows are found by subqueries on the plan ids, never one query per plan
or person. `DisciplineFacts.exception` is the QĐ 377 exception recorded on the
discipline record (`Discipline.planning_exception`, "" when none applies). One
fact has no source yet, and stays empty: `open_case_since` (there is no
appointment-case model).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import closing
from decimal import Decimal
from fractions import Fraction
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from canbo.core import scope
from canbo.core.db import rows_ahead, value_rows
from canbo.core.lookups import Ids
from canbo.core.memory import Remembered, without_gc
from canbo.organizations.models import Position, Unit
from canbo.people.models import Assignment, ConfidenceVote, Discipline, Evaluation, Person
from canbo.people.selectors import held_on_q
from canbo.rules.engine import run_checks
from canbo.rules.facts import (
    CheckContext,
    DisciplineFacts,
    EntryFacts,
    HeldPost,
    PersonFacts,
    PlanFacts,
    PositionFacts,
    RatingFacts,
    VoteFacts,
)
from canbo.rules.findings import Finding
from canbo.rules.ruleset import RuleSetData
from canbo.rules.selectors import rule_set_in_force

from . import sources
from .choices import PlanStatus
from .models import Plan, PlanEntry, PlanPosition, PlanReview, PlanTransition


def plan_list(*, user, action: str = scope.VIEW) -> QuerySet[Plan]:
    """Plans of the units the user may see (or edit)."""
    return scope.restrict(
        Plan.objects.select_related("planning_unit", "term", "approver_unit"), user, action
    )


def plan_get(*, user, pk, action: str = scope.VIEW) -> Plan:
    return plan_list(user=user, action=action).get(pk=pk)


def approver_units(plan: Plan) -> QuerySet[Unit]:
    """The units that may approve the plan: its planning unit and those above it."""
    unit = plan.planning_unit
    steps = range(unit.steplen, len(unit.path) + 1, unit.steplen)
    return Unit.objects.filter(path__in=[unit.path[:n] for n in steps]).order_by("-depth")


def plan_units(plans: QuerySet[Plan]) -> QuerySet[Unit]:
    """The planning units of `plans`, in tree order (the plan list's unit box)."""
    unit_ids = plans.order_by().values("planning_unit_id")
    return Unit.objects.filter(pk__in=unit_ids).order_by("path")


def plans_of(
    plans: QuerySet[Plan], *, unit=None, years: tuple[int, int] | None = None
) -> QuerySet[Plan]:
    """`plans` narrowed to those of `unit` and the units below it, and of the term of `years`."""
    if unit is not None:
        plans = plans.filter(planning_unit__path__startswith=unit.path)
    if years is not None:
        plans = plans.filter(term__start_date__year=years[0], term__end_date__year=years[1])
    return plans


def active_entries_q(on: dt.date, prefix: str = "") -> Q:
    """Entries in the plan on `on`: added by then and not removed by then."""
    return Q(**{f"{prefix}added_on__lte": on}) & (
        Q(**{f"{prefix}removed_on__isnull": True}) | Q(**{f"{prefix}removed_on__gt": on})
    )


def percent_to_fraction(value: Decimal | None) -> Fraction | None:
    return None if value is None else Fraction(value) / 100


class PlanningFacts(NamedTuple):
    plans: list[PlanFacts]
    people: dict[int, PersonFacts]
    positions: dict[int, PositionFacts]


@without_gc()
def planning_facts(plans_qs: QuerySet[Plan], as_of: dt.date) -> PlanningFacts:
    """Facts of the plans of `plans_qs` and of the people and positions they name.

    `people` covers the people named by an entry and the current holders of
    the plans' positions (for the bench forecast); `positions` covers the
    positions named by an entry or covered by a plan. Built with the cyclic
    collector paused (hundreds of thousands of frozen facts, no cycles).
    """
    last_review = (
        PlanReview.objects.filter(plan=OuterRef("pk"), reviewed_on__lte=as_of)
        .order_by("-reviewed_on")
        .values("reviewed_on")[:1]
    )
    # The plan's status on the as-of date is that of its last change up to that day.
    last_change = PlanTransition.objects.filter(plan=OuterRef("pk"), at__date__lte=as_of).order_by(
        "-at", "-id"
    )
    plan_rows = list(
        plans_qs.order_by("id").values(
            "id",
            "planning_unit_id",
            "planning_unit__level",
            "name",
            "term__start_date",
            "term__end_date",
            "approved_on",
            "min_minority_share",
            last_reviewed_on=Subquery(last_review),
            status_then=Subquery(last_change.values("to_status")[:1]),
            status_since=Subquery(last_change.values("at")[:1]),
        )
    )
    if not plan_rows:
        return PlanningFacts([], {}, {})
    plan_ids = Ids(row["id"] for row in plan_rows)

    entry_rows = list(
        value_rows(
            PlanEntry.objects.filter(plan_id__in_values=plan_ids)
            .order_by("plan_id", "id")
            .values_list(
                "id", "plan_id", "person_id", "position_id", "added_on", "first_time",
                "removed_on", "removal_reason",
            )
        )
    )  # fmt: skip
    # The ids are gathered here and passed on as one list parameter each
    # (`__in_values`): a subquery would be re-run by each of the people's five
    # queries, and PostgreSQL misjudges its size (ADR 0009). Passed as `Ids`: checked
    # and written out once for all the statements that name them.
    position_ids = {row[3] for row in entry_rows}
    position_ids.update(
        PlanPosition.objects.filter(plan_id__in_values=plan_ids).values_list(
            "position_id", flat=True
        )
    )
    position_ids = Ids(position_ids)
    holder_ids = _holders(position_ids, as_of)
    person_ids = {row[2] for row in entry_rows}
    person_ids.update(pk for held in holder_ids.values() for pk in held)

    # The positions' and the people's statements run while the entries and plans are
    # built (rows_ahead).
    statements = [_positions_statement(position_ids), *_people_statements(Ids(person_ids), as_of)]
    with closing(rows_ahead(statements)) as results:
        entries: dict[int, list[EntryFacts]] = {row["id"]: [] for row in plan_rows}
        for pk, plan_id, person_id, position_id, added, first, removed, reason in entry_rows:
            entries[plan_id].append(
                EntryFacts(
                    person_id=person_id,
                    position_id=position_id,
                    added_on=added,
                    first_time=first,
                    removed_on=removed,
                    removal_reason=reason,
                    id=pk,
                )
            )
        del entry_rows
        plans = [
            PlanFacts(
                id=row["id"],
                unit_id=row["planning_unit_id"],
                name=row["name"],
                level=row["planning_unit__level"],
                term_start=row["term__start_date"],
                term_end=row["term__end_date"],
                approved_on=row["approved_on"],
                last_reviewed_on=row["last_reviewed_on"],
                awaiting_approval_since=(
                    timezone.localdate(row["status_since"])
                    if row["status_then"] == PlanStatus.SUBMITTED
                    else None
                ),
                min_minority_share=percent_to_fraction(row["min_minority_share"]),
                entries=tuple(entries[row["id"]]),
            )
            for row in plan_rows
        ]
        positions = _positions_from(next(results), holder_ids)
        people = _people_from(results)
    return PlanningFacts(plans, people, positions)


def _holders(position_ids: Ids, as_of: dt.date) -> dict[int, dict[int, None]]:
    """Position id → the ids of its holders on `as_of`, in order (one query)."""
    holders: dict[int, dict[int, None]] = {}
    for position_id, person_id in value_rows(
        Assignment.objects.filter(held_on_q(as_of), position_id__in_values=position_ids)
        .order_by("position_id", "person_id")
        .values_list("position_id", "person_id")
    ):
        holders.setdefault(position_id, {})[person_id] = None
    return holders


def _positions_statement(position_ids: Ids) -> QuerySet:
    return (
        Position.objects.filter(pk__in_values=position_ids)
        .order_by("id")
        .values_list(
            "id", "unit_id", "unit__name", "title__name", "title__code", "title__level",
            "title__rank", "title__management_level", "seats", "title__is_key",
        )
    )  # fmt: skip


def _positions_from(
    rows: Iterable[tuple], holders: dict[int, dict[int, None]]
) -> dict[int, PositionFacts]:
    """Facts of the positions from `_positions_statement`'s rows; `holders`: position id →
    its current holders' ids, in order."""
    return {
        pk: PositionFacts(
            id=pk,
            unit_id=unit_id,
            name=f"{title} – {unit}",
            title_code=code,
            level=level,
            rank=rank,
            management_level=management_level,
            seats=seats,
            is_key=is_key,
            holder_ids=tuple(holders.get(pk, ())),
        )
        for pk, unit_id, unit, title, code, level, rank, management_level, seats, is_key in rows
    }


def _people_statements(person_ids: Ids, as_of: dt.date) -> list[QuerySet]:
    """The five statements about the people (`_people_from` reads their rows in order)."""
    # The latest year with a vote on or before the as-of year; of several bodies
    # that year, the highest low share.
    latest_year = (
        ConfidenceVote.objects.filter(person_id=OuterRef("person_id"), year__lte=as_of.year)
        .order_by("-year")
        .values("year")[:1]
    )
    statements = [
        # Posts only (a row without a position has no title): the test on the joined
        # title, not `position__isnull=False`, which PostgreSQL would answer by walking
        # the assignments' position index rather than looking the people up (0.9 s
        # against 0.45 s on the national dataset).
        Assignment.objects.filter(
            held_on_q(as_of), person_id__in_values=person_ids, position__title__isnull=False
        )
        .order_by("person_id", "position_id")
        .values_list(
            "person_id", "position_id", "position__title__level", "position__title__rank",
            "position__title__management_level",
        ),
        Discipline.objects.filter(person_id__in_values=person_ids)
        .order_by("person_id", "effective_date", "id")
        .values_list("person_id", "form", "effective_date", "end_date", "planning_exception"),
        Evaluation.objects.filter(person_id__in_values=person_ids)
        .order_by("person_id", "year")
        .values_list("person_id", "year", "rating"),
        ConfidenceVote.objects.filter(person_id__in_values=person_ids, year=Subquery(latest_year))
        .order_by("person_id", "id")
        .values_list("person_id", "year", "low", "base"),
        Person.objects.filter(pk__in_values=person_ids)
        .annotate(open_case_since=sources.open_case_since(as_of))
        .order_by("id")
        .values_list(
            "id", "id_number", "full_name", "sex", "birth_date", "birth_date_precision",
            "retirement_age_override_months", "ethnicity__is_minority", "open_case_since",
        ),
    ]  # fmt: skip
    return statements


def _people_from(results: Iterator[list[tuple]]) -> dict[int, PersonFacts]:
    """Facts of the people from the rows of `_people_statements`, one list per statement
    taken from `results` in turn (each worked on while the next statements run)."""
    posts: dict[int, tuple[HeldPost, ...]] = {}
    for person_id, rows in groupby(next(results), key=itemgetter(0)):
        held = tuple(
            HeldPost(position_id=position_id, level=level, rank=rank, management_level=mgmt)
            for _, position_id, level, rank, mgmt in rows
        )
        if len(held) > 1:  # one post per position (it may be held through two rows)
            held = tuple({post.position_id: post for post in held}.values())
        posts[person_id] = held

    disciplines: dict[int, tuple[DisciplineFacts, ...]] = {}
    for person_id, rows in groupby(next(results), key=itemgetter(0)):
        disciplines[person_id] = tuple(
            DisciplineFacts(
                form=form, effective_on=effective, in_force_until=end, exception=exception
            )
            for _, form, effective, end, exception in rows
        )

    ratings: dict[int, tuple[RatingFacts, ...]] = {}
    # A few dozen (year, rating) pairs for everyone: one frozen fact each, shared.
    rating_fact = Remembered(lambda key: RatingFacts(year=key[0], rating=key[1]))
    for person_id, rows in groupby(next(results), key=itemgetter(0)):
        ratings[person_id] = tuple([rating_fact[row[1:]] for row in rows])

    votes: dict[int, VoteFacts] = {}
    for person_id, year, low, base in next(results):
        vote = VoteFacts(year=year, low=low, base=base)
        best = votes.get(person_id)
        if best is None or (vote.low_share or 0) > (best.low_share or 0):
            votes[person_id] = vote

    return {
        pk: PersonFacts(
            id=pk,
            id_number=id_number,
            full_name=full_name,
            sex=sex,
            birth_date=born,
            birth_date_precision=precision,
            retirement_age_override_months=override,
            is_minority=minority,
            posts=posts.get(pk, ()),
            disciplines=disciplines.get(pk, ()),
            ratings=ratings.get(pk, ()),
            latest_vote=votes.get(pk),
            open_case_since=case_since,
        )
        for pk, id_number, full_name, sex, born, precision, override, minority, case_since in next(
            results
        )
    }


@without_gc()
def check_plans(
    plans_qs: QuerySet[Plan], as_of: dt.date, rule_set: RuleSetData | None = None
) -> list[Finding]:
    """Findings of the rule set in force on `as_of` (or `rule_set`) over the plans."""
    facts = planning_facts(plans_qs, as_of)
    if rule_set is None:
        rule_set = rule_set_in_force(as_of)
    return run_checks(facts.plans, facts.people, facts.positions, rule_set, CheckContext(as_of))


def extra_facts(
    facts: PlanningFacts, person_ids: Iterable[int], position_ids: Iterable[int], as_of: dt.date
) -> tuple[dict[int, PersonFacts], dict[int, PositionFacts]]:
    """The facts' people and positions, plus those a proposal names that they lack (what-if).

    Built by the same helpers as `planning_facts`, so a fact has one definition.
    """
    missing_people = set(person_ids) - set(facts.people)
    missing_positions = set(position_ids) - set(facts.positions)
    people = dict(facts.people)
    positions = dict(facts.positions)
    if missing_people:
        people.update(people_facts(missing_people, as_of))
    if missing_positions:
        positions.update(position_facts(missing_positions, as_of))
    return people, positions


def entries_of_people(person_ids: Iterable[int], as_of: dt.date) -> dict[int, list[EntryFacts]]:
    """Person id → their planning entries added by `as_of`, in any plan (removed ones too:
    a check picks those active on its day), in one query. Appointment cases (A1) and
    rotations (R1) read them."""
    entries: dict[int, list[EntryFacts]] = {}
    for pk, person_id, position_id, added, first, removed, reason in value_rows(
        PlanEntry.objects.filter(person_id__in_values=Ids(person_ids), added_on__lte=as_of)
        .order_by("person_id", "id")
        .values_list("id", "person_id", "position_id", "added_on", "first_time", "removed_on",
                     "removal_reason")
    ):  # fmt: skip
        entries.setdefault(person_id, []).append(
            EntryFacts(person_id=person_id, position_id=position_id, added_on=added,
                       first_time=first, removed_on=removed, removal_reason=reason, id=pk)  # fmt: skip
        )
    return entries


def people_facts(person_ids: Iterable[int], as_of: dt.date) -> dict[int, PersonFacts]:
    """Facts of these people on `as_of` (five queries), as the planning facts build them."""
    with closing(rows_ahead(_people_statements(Ids(person_ids), as_of))) as results:
        return _people_from(results)


def people_basics(person_ids: Iterable[int]) -> dict[int, PersonFacts]:
    """The people's own facts only (ID, name, sex, birth, retirement override, minority),
    without posts, disciplines, ratings, votes or open cases: one query, for checks that
    read no more (the rotation rules R1–R3)."""
    return {
        pk: PersonFacts(id=pk, id_number=number, full_name=name, sex=sex, birth_date=born,
                        birth_date_precision=precision, retirement_age_override_months=override,
                        is_minority=minority)  # fmt: skip
        for pk, number, name, sex, born, precision, override, minority in value_rows(
            Person.objects.filter(pk__in_values=Ids(person_ids)).order_by("id").values_list(
                "id", "id_number", "full_name", "sex", "birth_date", "birth_date_precision",
                "retirement_age_override_months", "ethnicity__is_minority"))
    }  # fmt: skip


def position_basics(position_ids: Iterable[int]) -> dict[int, PositionFacts]:
    """Facts of these positions without their holders (one query)."""
    return _positions_from(value_rows(_positions_statement(Ids(position_ids))), {})


def position_facts(position_ids: Iterable[int], as_of: dt.date) -> dict[int, PositionFacts]:
    """Facts of these positions, with their holders on `as_of` (two queries)."""
    ids = Ids(position_ids)
    return _positions_from(value_rows(_positions_statement(ids)), _holders(ids, as_of))
