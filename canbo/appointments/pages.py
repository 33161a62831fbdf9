"""Reads of the appointment pages and documents, over what `selectors` already scoped.

The case list's filters, one case's findings, a step's tally as a table (the entries the
user may read, side by side, their differences marked), the round a user types, the
agreed figures of the closed steps (the minutes). No writes, no scope of their own: the
case comes from `selectors.cases(user)`, the steps from `selectors.case_steps`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from canbo.core import double_entry, scope
from canbo.rules.findings import Finding
from canbo.rules.selectors import NoRuleSetInForce

from . import selectors
from .choices import BALLOT_STEPS, StepNumber
from .models import AppointmentCase, CaseStep, StepTally
from .selectors import StepView, open_on_q
from .steps import BALLOT

OPEN, CLOSED = "open", "closed"
BALLOT_FIGURES = ("ballots_valid", "ballots_invalid")
VOTE_FIGURES = ("votes_for", "votes_against")


def filter_cases(
    qs: QuerySet[AppointmentCase], *, as_of: dt.date, status: str = "", kind: str = "", unit=None
) -> QuerySet[AppointmentCase]:
    """The list's filters: open on `as_of` or closed by then, of a kind, of a unit's subtree
    (the competent body's); opened by `as_of` in any case."""
    qs = selectors.cases_of(qs.filter(opened_on__lte=as_of), unit=unit)
    if status == OPEN:
        qs = qs.filter(open_on_q(as_of))
    elif status == CLOSED:
        qs = qs.filter(closed_on__lte=as_of)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def can_edit(user, case: AppointmentCase) -> bool:
    return scope.unit_allowed(user, case.competent_unit, scope.EDIT)


def case_findings(case: AppointmentCase, as_of: dt.date) -> tuple[list[Finding], str]:
    """The appointment rules' findings on this one case as of `as_of`, or the message
    saying no rule set is in force then."""
    try:
        return selectors.check_cases(AppointmentCase.objects.filter(pk=case.pk), as_of), ""
    except NoRuleSetInForce as error:
        return [], str(error)


# --- A step's tally as a table -------------------------------------------------------


FIGURE_LABELS = {
    "ballots_valid": gettext_lazy("Số phiếu hợp lệ"),
    "ballots_invalid": gettext_lazy("Số phiếu không hợp lệ"),
    "votes_for": gettext_lazy("đồng ý, giới thiệu"),
    "votes_against": gettext_lazy("không đồng ý"),
}


@dataclass(frozen=True)
class Cell:
    value: int | None
    differs: bool = False


@dataclass(frozen=True)
class TableLine:
    """One figure of the tally (a ballot figure, or one candidate's votes for or against),
    with its value in each entry the user may read."""

    name: str  # the candidate ("" for the ballot's own figures)
    figure: str
    label: str
    cells: tuple[Cell, ...]
    is_case_person: bool = False

    @property
    def differs(self) -> bool:
        return any(c.differs for c in self.cells)


@dataclass(frozen=True)
class TallyTable:
    heads: tuple[tuple[int, str], ...]  # (round, its entrant's name) per column
    lines: tuple[TableLine, ...]


def _user_name(user) -> str:
    return user.get_full_name() or user.username


def _figures(tally: StepTally, line) -> dict[str, int]:
    if line is BALLOT:
        return {"ballots_valid": tally.ballots_valid, "ballots_invalid": tally.ballots_invalid}
    found = next((x for x in tally.lines.all() if x.candidate_id == line), None)
    if found is None:
        return {}
    return {"votes_for": found.votes_for, "votes_against": found.votes_against}


def tally_table(view: StepView, case: AppointmentCase) -> TallyTable | None:
    """The entries the user may read side by side (None: none), differing figures marked."""
    if not view.entries:
        return None
    differs = {(d.line, d.figure) for d in view.differences}
    names: dict[int, str] = {}
    for tally in view.entries:
        for x in tally.lines.all():
            names.setdefault(x.candidate_id, x.candidate.full_name)
    order = sorted(names, key=lambda pk: (pk != case.person_id, names[pk], pk))
    lines = []
    for line in (BALLOT, *order):
        values = [_figures(t, line) for t in view.entries]
        for figure in BALLOT_FIGURES if line is BALLOT else VOTE_FIGURES:
            name = "" if line is BALLOT else names[line]
            text = str(FIGURE_LABELS[figure])
            lines.append(TableLine(
                name=name, figure=figure,
                label=text if line is BALLOT else f"{name}: {text}",
                cells=tuple(Cell(v.get(figure), (line, figure) in differs) for v in values),
                is_case_person=line == case.person_id,
            ))  # fmt: skip
    return TallyTable(
        heads=tuple((t.round, _user_name(t.entered_by)) for t in view.entries),
        lines=tuple(lines),
    )


def round_for(view: StepView, user) -> int | None:
    """The round `user` types: the one they typed, else the free one (the first free);
    None when both are typed by others."""
    for r in double_entry.ROUNDS:
        if view.entrants.get(r) == user.pk:
            return r
    for r in double_entry.ROUNDS:
        if view.entrants.get(r) is None:
            return r
    return None


def own_entry(view: StepView, user) -> StepTally | None:
    return next((t for t in view.entries if t.entered_by_id == user.pk), None)


def hidden_rounds(view: StepView, user) -> list[int]:
    """Rounds typed by someone else that the user may not read yet."""
    shown = {t.round for t in view.entries}
    return [r for r in double_entry.ROUNDS
            if view.entrants.get(r) not in (None, user.pk) and r not in shown]  # fmt: skip


def needs_head(view: StepView, case: AppointmentCase) -> bool:
    """Both entries in and agreeing, and the case's candidate got exactly half of all
    members: closing needs the head's decision (A6)."""
    if view.step.number not in BALLOT_STEPS or not view.both_in or view.differences:
        return False
    if view.step.closed_on is not None or not view.entries:
        return False
    line = next((x for x in view.entries[0].lines.all() if x.candidate_id == case.person_id), None)
    return line is not None and line.votes_for * 2 == view.step.summoned


def next_step_number(views: list[StepView]) -> int | None:
    """The step the record form is for: the open one (a correction), else the next one."""
    for view in views:
        if view.step.closed_on is None:
            return view.step.number
    done = max((v.step.number for v in views), default=0)
    return done + 1 if done < max(StepNumber.values) else None


# --- The minutes ---------------------------------------------------------------------


@dataclass(frozen=True)
class MinutesLine:
    full_name: str
    votes_for: int
    votes_against: int
    is_case_person: bool


@dataclass(frozen=True)
class MinutesStep:
    step: CaseStep
    ballots_valid: int | None
    ballots_invalid: int | None
    lines: tuple[MinutesLine, ...]


def minutes_steps(case: AppointmentCase) -> list[MinutesStep]:
    """The closed steps of the case with the agreed tally of each ballot step (a closed
    step's two entries agree: the first is the agreed one); three queries."""
    steps = list(CaseStep.objects.filter(case=case, closed_on__isnull=False).order_by("number"))
    agreed: dict[int, StepTally] = {}
    for tally in (
        StepTally.objects.filter(step__in=steps, round=double_entry.FIRST)
        .prefetch_related("lines__candidate")
    ):
        agreed[tally.step_id] = tally
    out = []
    for step in steps:
        tally = agreed.get(step.pk)
        lines = ()
        if tally is not None:
            lines = tuple(sorted(
                (MinutesLine(x.candidate.full_name, x.votes_for, x.votes_against,
                             x.candidate_id == case.person_id) for x in tally.lines.all()),
                key=lambda m: (not m.is_case_person, m.full_name),
            ))  # fmt: skip
        out.append(MinutesStep(
            step,
            tally.ballots_valid if tally else None,
            tally.ballots_invalid if tally else None,
            lines,
        ))  # fmt: skip
    return out
