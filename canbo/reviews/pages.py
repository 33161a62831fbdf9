"""Reads of the confidence-vote and evaluation pages, over what `selectors` already scoped.

The lists' filters, a session's tallies as a table (the entries the user may read side by
side, their differences marked), the round a user types, the agreed results with their
shares, and the C or E findings of one session or round. No writes, no scope of their own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from canbo.core import double_entry, scope
from canbo.core.shares import share_of
from canbo.rules.facts_reviews import base_of
from canbo.rules.findings import Finding
from canbo.rules.selectors import NoRuleSetInForce

from . import selectors
from .choices import TALLY_FIGURES
from .models import EvaluationRound, VoteSession, VoteSubject
from .selectors import TallyView

OPEN, CLOSED = "open", "closed"


def filter_rows(qs: QuerySet, *, year=None, unit=None, status: str = "") -> QuerySet:
    """The lists' filters (sessions or rounds): a year, a unit's subtree, open or closed."""
    qs = selectors.of_unit(qs, unit=unit)
    if year:
        qs = qs.filter(year=year)
    if status == OPEN:
        qs = qs.filter(closed_on__isnull=True)
    elif status == CLOSED:
        qs = qs.filter(closed_on__isnull=False)
    return qs


def session_list(qs: QuerySet[VoteSession]) -> QuerySet[VoteSession]:
    return qs.annotate(
        voted=Count("subjects", filter=Q(subjects__excluded=False)),
        excluded_count=Count("subjects", filter=Q(subjects__excluded=True)),
    ).order_by("-held_on", "-id")


def round_list(qs: QuerySet[EvaluationRound]) -> QuerySet[EvaluationRound]:
    return qs.annotate(scored=Count("scores")).order_by("-held_on", "-id")


def can_edit(user, row) -> bool:
    """May `user` write on this session or round (the unit of its body)?"""
    return scope.unit_allowed(user, row.unit, scope.EDIT)


def findings_of(*, session=None, evaluation_round=None, as_of: dt.date) -> tuple[list[Finding], str]:
    """The C findings of one session, or the E findings of one round, as of `as_of`; or the
    message saying no rule set is in force then."""
    sessions = VoteSession.objects.filter(pk=session.pk) if session else VoteSession.objects.none()
    rounds = (EvaluationRound.objects.filter(pk=evaluation_round.pk) if evaluation_round
              else EvaluationRound.objects.none())  # fmt: skip
    try:
        return selectors.check_reviews(sessions, rounds, as_of), ""
    except NoRuleSetInForce as error:
        return [], str(error)


# --- A session's tallies ----------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    value: int | None
    differs: bool = False


@dataclass(frozen=True)
class TallyLine:
    """One person voted on, with their four figures in each entry the user may read."""

    subject: VoteSubject
    cells: tuple[Cell, ...]

    @property
    def differs(self) -> bool:
        return any(c.differs for c in self.cells)


@dataclass(frozen=True)
class TallyTable:
    heads: tuple[tuple[int, str], ...]  # (round, its entrant's name) per group of columns
    lines: tuple[TallyLine, ...]


def _user_name(user) -> str:
    return user.get_full_name() or user.username


def tally_table(view: TallyView, voted: list[VoteSubject]) -> TallyTable | None:
    """The entries the user may read side by side (None: none), differing figures marked."""
    if not any(view.entries.get(r) for r in view.visible):
        return None
    differs = {(d.line, d.figure) for d in view.differences or ()}
    by_round = {r: {t.person_id: t for t in view.entries[r]} for r in view.visible}
    lines = []
    for subject in voted:
        cells = []
        for r in view.visible:
            tally = by_round[r].get(subject.person_id)
            for figure in TALLY_FIGURES:
                value = getattr(tally, figure) if tally is not None else None
                cells.append(Cell(value, (subject.person_id, figure) in differs))
        lines.append(TallyLine(subject, tuple(cells)))
    heads = tuple((r, _user_name(view.entries[r][0].entered_by)) for r in view.visible
                  if view.entries[r])  # fmt: skip
    return TallyTable(heads=heads, lines=tuple(lines))


def both_in(view: TallyView) -> bool:
    return all(view.entrants.get(r) is not None for r in double_entry.ROUNDS)


def own_round(view: TallyView, user) -> int | None:
    """The round `user` typed, if any (their entry is always among the visible ones)."""
    for r in view.visible:
        rows = view.entries.get(r) or ()
        if rows and rows[0].entered_by_id == user.pk:
            return r
    return None


def round_for(view: TallyView, user) -> int | None:
    """The round `user` types: the one they typed, else the free one (the first free);
    None when both are typed by others."""
    own = own_round(view, user)
    if own is not None:
        return own
    return next((r for r in double_entry.ROUNDS if view.entrants.get(r) is None), None)


def hidden_rounds(view: TallyView) -> list[int]:
    """Rounds typed by someone else that the user may not read yet."""
    return [r for r in double_entry.ROUNDS
            if view.entrants.get(r) is not None and r not in view.visible]  # fmt: skip


def own_figures(view: TallyView, user) -> dict[str, int]:
    """The initial values of the user's entry form: what they typed (`<person>-<figure>`)."""
    own = own_round(view, user)
    if own is None:
        return {}
    return {f"{t.person_id}-{figure}": getattr(t, figure)
            for t in view.entries[own] for figure in TALLY_FIGURES}  # fmt: skip


# --- The agreed results -----------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    subject: VoteSubject
    high: int
    normal: int
    low: int
    invalid: int
    base: int | None

    def share(self, figure: str):
        return share_of(getattr(self, figure), self.base)


def results(session: VoteSession, view: TallyView, voted: list[VoteSubject]) -> list[Result]:
    """A closed session's figures (its two entries agree: the first is the agreed one),
    each with its share of the session's base (C3). Empty while the session is open."""
    if session.closed_on is None or double_entry.FIRST not in view.visible:
        return []
    base = base_of(session.base_rule, session.summoned, session.present, session.ballots_returned)
    first = {t.person_id: t for t in view.entries[double_entry.FIRST]}
    out = []
    for subject in voted:
        tally = first.get(subject.person_id)
        if tally is not None:
            out.append(Result(subject, tally.high, tally.normal, tally.low, tally.invalid, base))
    return out
