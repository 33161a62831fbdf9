"""Exporting confidence-vote sessions, the people voted on, the agreed results of closed
sessions, evaluation rounds and their scores.

Sessions and rounds travel with their body's unit: those held by a selected unit. An open
session's tally entries are work in progress and stay where they are typed; a closed
session's two entries agree (`services.session_close`), so its first entry is the result.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from canbo.core import scope
from canbo.core.double_entry import FIRST
from canbo.exchange.cells import write_bool
from canbo.exchange.exporter import Selection, day_texts, labels, values_of
from canbo.organizations.package.exporting import units
from canbo.people.choices import EvaluationRating
from canbo.people.models import Person
from canbo.reviews.choices import OtherGround
from canbo.reviews.models import (
    EvaluationRound,
    EvaluationScore,
    VoteSession,
    VoteSubject,
    VoteTally,
)

from .sheets import VOTE_SESSIONS, VOTE_SUBJECTS

ORDER = ("unit__path", "year", "held_on", "pk")
KEY = ("unit__code", "year", "held_on")


def sessions(sel: Selection) -> QuerySet[VoteSession]:
    """Sessions held by a selected unit."""
    if sel.everything:
        return VoteSession.objects.all()
    return VoteSession.objects.filter(unit__in=units(sel).values("pk"))


def rounds(sel: Selection) -> QuerySet[EvaluationRound]:
    """Evaluation rounds held by a selected unit."""
    if sel.everything:
        return EvaluationRound.objects.all()
    return EvaluationRound.objects.filter(unit__in=units(sel).values("pk"))


def results(sel: Selection) -> QuerySet[VoteTally]:
    """The first entry of each person's figures in the closed selected sessions."""
    return VoteTally.objects.filter(
        session__in=sessions(sel), round=FIRST, session__closed_on__isnull=False
    )


def referenced(sel: Selection, kind: str) -> list:
    """The people voted on and scored (for an account that is not an administrator, only
    those it may see)."""
    if kind != "person":
        return []
    named = Person.objects.filter(
        pk__in=VoteSubject.objects.filter(session__in=sessions(sel)).values("person_id")
    ) | Person.objects.filter(
        pk__in=EvaluationScore.objects.filter(round__in=rounds(sel)).values("person_id")
    )
    if sel.user is not None:
        named = scope.restrict(named, sel.user)
    return [named.values("pk")]


def session_rows(sel: Selection) -> Iterator[list]:
    bases = labels(VOTE_SESSIONS.column("base_rule").choices)
    days = day_texts()
    fields = (*KEY, "summoned", "present", "base_rule", "ballots_returned", "closed_on", "note",
              "unit__name")  # fmt: skip
    qs = sessions(sel).order_by(*ORDER)
    for unit, year, held, summoned, present, base, ballots, closed, note, name in values_of(qs, *fields):
        yield [unit, year, days[held], summoned, present, bases[base], ballots, days[closed], note,
               name]  # fmt: skip


def subject_rows(sel: Selection) -> Iterator[list]:
    reasons = labels(VOTE_SUBJECTS.column("exclusion_reason").choices)
    days = day_texts()
    fields = (*(f"session__{f}" for f in KEY), "person__id_number", "excluded",
              "exclusion_reason", "exclusion_note", "person__full_name")  # fmt: skip
    qs = VoteSubject.objects.filter(session__in=sessions(sel)).order_by(
        *(f"session__{f}" for f in ORDER), "person__id_number"
    )
    for unit, year, held, person, excluded, reason, note, name in values_of(qs, *fields):
        yield [unit, year, days[held], person, write_bool(excluded), reasons[reason], note, name]


def result_rows(sel: Selection) -> Iterator[list]:
    days = day_texts()
    fields = (*(f"session__{f}" for f in KEY), "person__id_number", "high", "normal", "low",
              "invalid", "person__full_name")  # fmt: skip
    qs = results(sel).order_by(*(f"session__{f}" for f in ORDER), "person__id_number")
    for unit, year, held, *rest in values_of(qs, *fields):
        yield [unit, year, days[held], *rest]


def round_rows(sel: Selection) -> Iterator[list]:
    days = day_texts()
    fields = (*KEY, "closed_on", "note", "unit__name")
    for unit, year, held, closed, note, name in values_of(rounds(sel).order_by(*ORDER), *fields):
        yield [unit, year, days[held], days[closed], note, name]


def score_rows(sel: Selection) -> Iterator[list]:
    grounds = labels(OtherGround)
    ratings = labels(EvaluationRating)
    days = day_texts()
    fields = (*(f"round__{f}" for f in KEY), "person__id_number", "score", "other_ground",
              "other_note", "rating", "person__full_name")  # fmt: skip
    qs = EvaluationScore.objects.filter(round__in=rounds(sel)).order_by(
        *(f"round__{f}" for f in ORDER), "person__id_number"
    )
    for unit, year, held, person, score, ground, note, rating, name in values_of(qs, *fields):
        yield [unit, year, days[held], person, float(score), grounds[ground], note,
               ratings[rating], name]  # fmt: skip


ROWS = {
    "vote_sessions": session_rows,
    "vote_subjects": subject_rows,
    "vote_results": result_rows,
    "evaluation_rounds": round_rows,
    "evaluation_scores": score_rows,
}
