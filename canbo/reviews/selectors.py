"""Reads of confidence-vote sessions and evaluation rounds: scoped querysets, the facts of
rules C1–C5 and E1–E4, and a session's tallies as a given user may see them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from django.db.models import QuerySet

from canbo.core import double_entry, scope
from canbo.core.db import value_rows
from canbo.core.lookups import Ids
from canbo.organizations.choices import TermBody
from canbo.organizations.models import Term
from canbo.people.models import Assignment, Discipline, Evaluation, Person
from canbo.rules.engine import run_review_checks
from canbo.rules.facts import CheckContext, DisciplineFacts
from canbo.rules.facts_reviews import (
    EvaluationFacts,
    PostStart,
    ReviewFacts,
    ReviewPersonFacts,
    RoundFacts,
    ScoreFacts,
    SessionFacts,
    SubjectFacts,
    TallyFacts,
    TermFacts,
)
from canbo.rules.findings import Finding
from canbo.rules.ruleset import RuleSetData
from canbo.rules.selectors import rule_set_in_force

from .choices import TALLY_FIGURES
from .models import EvaluationRound, EvaluationScore, VoteSession, VoteSubject, VoteTally


def sessions(user, action: str = scope.VIEW) -> QuerySet[VoteSession]:
    """The sessions `user` may see (or edit), by the unit of the body holding them."""
    return scope.restrict(VoteSession.objects.all(), user, action).select_related("unit")


def rounds(user, action: str = scope.VIEW) -> QuerySet[EvaluationRound]:
    """The evaluation rounds `user` may see (or edit), by the unit holding them."""
    return scope.restrict(EvaluationRound.objects.all(), user, action).select_related("unit")


def of_unit(qs: QuerySet, *, unit=None) -> QuerySet:
    """Sessions or rounds held by `unit` or a unit below it (a subtree)."""
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs


def review_facts(
    sessions_qs: QuerySet[VoteSession], rounds_qs: QuerySet[EvaluationRound], as_of: dt.date
) -> ReviewFacts:
    """Facts of the sessions and rounds held by `as_of`, their people and the party terms,
    in ten queries whatever their number (none when there is neither)."""
    session_rows = list(value_rows(
        sessions_qs.filter(held_on__lte=as_of).order_by("id").values_list(
            "id", "unit_id", "unit__name", "year", "held_on", "summoned", "present", "base_rule",
            "ballots_returned", "closed_on")))  # fmt: skip
    round_rows = list(value_rows(
        rounds_qs.filter(held_on__lte=as_of).order_by("id").values_list(
            "id", "unit_id", "unit__name", "year", "held_on", "closed_on")))  # fmt: skip
    if not session_rows and not round_rows:
        return ReviewFacts()
    session_ids = Ids(row[0] for row in session_rows)
    round_ids = Ids(row[0] for row in round_rows)
    figures: dict[tuple[int, int], dict[int, tuple]] = {}
    for session_id, person_id, round_no, *counts in value_rows(
        VoteTally.objects.filter(session_id__in_values=session_ids)
        .order_by("session_id", "person_id", "round")
        .values_list("session_id", "person_id", "round", *TALLY_FIGURES)
    ):
        figures.setdefault((session_id, person_id), {})[round_no] = tuple(counts)
    subjects: dict[int, list[SubjectFacts]] = {}
    for session_id, person_id, excluded, reason in value_rows(
        VoteSubject.objects.filter(session_id__in_values=session_ids)
        .order_by("session_id", "id")
        .values_list("session_id", "person_id", "excluded", "exclusion_reason")
    ):
        entries = figures.get((session_id, person_id), {})
        first, second = entries.get(double_entry.FIRST), entries.get(double_entry.SECOND)
        tally = TallyFacts(*first) if first is not None and first == second else None
        subjects.setdefault(session_id, []).append(
            SubjectFacts(person_id, excluded=excluded, exclusion_reason=reason, tally=tally)
        )
    scores: dict[int, list[ScoreFacts]] = {}
    for round_id, person_id, score, rating, ground in value_rows(
        EvaluationScore.objects.filter(round_id__in_values=round_ids)
        .order_by("round_id", "id")
        .values_list("round_id", "person_id", "score", "rating", "other_ground")
    ):
        scores.setdefault(round_id, []).append(ScoreFacts(person_id, score, rating, ground))
    person_ids = {s.person_id for found in subjects.values() for s in found}
    person_ids |= {s.person_id for found in scores.values() for s in found}
    sessions_found = [
        SessionFacts(id=pk, unit_id=unit_id, name=name, year=year, held_on=held, summoned=summoned,
                     present=present, base_rule=base_rule, ballots_returned=ballots,
                     closed_on=closed, subjects=tuple(subjects.get(pk, ())))
        for pk, unit_id, name, year, held, summoned, present, base_rule, ballots, closed
        in session_rows
    ]  # fmt: skip
    rounds_found = [
        RoundFacts(id=pk, unit_id=unit_id, name=name, year=year, held_on=held, closed_on=closed,
                   scores=tuple(scores.get(pk, ())))
        for pk, unit_id, name, year, held, closed in round_rows
    ]  # fmt: skip
    terms = [
        TermFacts(name, start, end)
        for name, start, end in Term.objects.filter(body=TermBody.PARTY)
        .order_by("start_date")
        .values_list("name", "start_date", "end_date")
    ]
    return ReviewFacts.of(sessions_found, rounds_found, _people(Ids(person_ids), as_of), terms)


def _people(ids: Ids, as_of: dt.date) -> list[ReviewPersonFacts]:
    """The people of the review rules: their record, the posts they took (C2), their
    disciplines (E4) and ratings with scores (E1, E3), up to `as_of` (four queries)."""

    def grouped(qs):
        return {pk: list(rows) for pk, rows in groupby(value_rows(qs), key=itemgetter(0))}

    starts = grouped(
        Assignment.objects.filter(person_id__in_values=ids, position__isnull=False,
                                  start_date__lte=as_of)
        .order_by("person_id", "start_date", "id")
        .values_list("person_id", "start_date", "how")
    )  # fmt: skip
    disciplines = grouped(
        Discipline.objects.filter(person_id__in_values=ids, effective_date__lte=as_of)
        .order_by("person_id", "effective_date", "id")
        .values_list("person_id", "form", "effective_date", "end_date", "planning_exception")
    )
    evaluations = grouped(
        Evaluation.objects.filter(person_id__in_values=ids, year__lte=as_of.year)
        .order_by("person_id", "year")
        .values_list("person_id", "year", "rating", "score")
    )
    return [
        ReviewPersonFacts(
            id=pk, id_number=id_number, full_name=name, sex=sex, birth_date=born,
            birth_date_precision=precision, retirement_age_override_months=override,
            post_starts=tuple(PostStart(start, how) for _, start, how in starts.get(pk, ())),
            disciplines=tuple(DisciplineFacts(form=form, effective_on=on, in_force_until=end,
                                              exception=exception)
                              for _, form, on, end, exception in disciplines.get(pk, ())),
            evaluations=tuple(EvaluationFacts(year, rating, score)
                              for _, year, rating, score in evaluations.get(pk, ())),
        )
        for pk, id_number, name, sex, born, precision, override in value_rows(
            Person.objects.filter(pk__in_values=ids).order_by("id").values_list(
                "id", "id_number", "full_name", "sex", "birth_date", "birth_date_precision",
                "retirement_age_override_months"))
    ]  # fmt: skip


def check_reviews(
    sessions_qs: QuerySet[VoteSession],
    rounds_qs: QuerySet[EvaluationRound],
    as_of: dt.date,
    rule_set: RuleSetData | None = None,
) -> list[Finding]:
    """Findings of the C and E rules in force on `as_of` (or `rule_set`)."""
    facts = review_facts(sessions_qs, rounds_qs, as_of)
    if rule_set is None:
        rule_set = rule_set_in_force(as_of)
    return run_review_checks(facts, rule_set, CheckContext(as_of))


# --- A session's tallies as a user may see them ------------------------------------------------


@dataclass(frozen=True)
class TallyView:
    entrants: dict[int, str | None]  # round → the entrant's user name
    visible: tuple[int, ...]  # the rounds the viewer may see
    entries: dict[int, list[VoteTally]]  # round → its rows (only the visible rounds)
    differences: list[double_entry.Difference] | None  # None until both entries are in


def tally_view(session: VoteSession, viewer) -> TallyView:
    """The session's tallies as `viewer` may see them: their own entry, and both once both
    are in (`double_entry.visible_entries`), then the differences. Two queries."""
    rows = list(
        VoteTally.objects.filter(session=session)
        .select_related("entered_by", "person")
        .order_by("round", "person__sort_key", "id")
    )
    entrant_ids = {r: None for r in double_entry.ROUNDS}
    names: dict[int, str | None] = {r: None for r in double_entry.ROUNDS}
    for row in rows:
        entrant_ids[row.round] = row.entered_by_id
        names[row.round] = row.entered_by.get_username()
    visible = tuple(double_entry.visible_entries(entrant_ids, getattr(viewer, "pk", None)))
    entries = {r: [row for row in rows if row.round == r] for r in visible}
    differences = None
    if all(entrant_ids[r] is not None for r in double_entry.ROUNDS):
        by_round = {r: {row.person_id: row.figures() for row in rows if row.round == r}
                    for r in double_entry.ROUNDS}  # fmt: skip
        differences = double_entry.differences(by_round[1], by_round[2])
    return TallyView(entrants=names, visible=visible, entries=entries, differences=differences)


def findings_of_unit(
    unit, as_of: dt.date, rule_set: RuleSetData
) -> tuple[ReviewFacts, list[Finding]]:
    """Every session and round held by `unit`'s subtree (all when None), unscoped (the
    commands), with the findings of `rule_set` over them."""
    facts = review_facts(
        of_unit(VoteSession.objects.all(), unit=unit),
        of_unit(EvaluationRound.objects.all(), unit=unit),
        as_of,
    )
    return facts, run_review_checks(facts, rule_set, CheckContext(as_of))
