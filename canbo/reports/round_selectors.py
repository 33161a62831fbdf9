"""Reading report rounds: who sees what, completeness, a level's total, reconciliation.

- **Sight.** A round is read by whoever may read its issuing unit, and by the units asked
  to report (through their assignments, ADR 0016's sight: a department following a
  monitoring group included). A submission is read by whoever reads its unit, and by the
  round's issuer.
- **Completeness** (`completeness`) is the directives' roll-up of the round's task (every
  reporting unit's assignment: expected, done on time or late…) beside, per form and per
  level of the reporting units, the submissions: opened, submitted (sent at least once,
  returned ones included), on time (sent by the deadline), waiting, accepted, returned.
  Three grouped queries whatever the number of units.
- **A level's total** (`round_total`) adds up the accepted submissions of the reporting
  units in its subtree, each as the unit vouches for it (computed, with its corrected
  cells): two queries.
- **Reconciliation** (`reconciliation`) sets, cell by cell, the sum of the lower
  submissions (submitted or accepted) beside the level's own computation from its records
  over the same units at the cut-off, lists the corrected cells and every difference
  (with the units behind it), and the units returned, waiting or not submitted: three
  queries and the form's own (one per depth of the units).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from canbo.core import scope
from canbo.core.shares import share_of
from canbo.directives.models import TaskAssignment
from canbo.directives.selectors import (
    RollUp,
    counted_on,
    rollups,
    visible_assignments,
    visible_units,
)
from canbo.organizations.choices import UnitLevel
from canbo.organizations.models import Unit

from .forms import form_named
from .models import (
    COUNTED,
    SENT,
    ReportRound,
    Submission,
    SubmissionCorrection,
    SubmissionStatus,
)
from .selectors import reports_for_units
from .spec import Counts, FormSpec, Key, Report, summed

# --- Sight -------------------------------------------------------------------------------


def visible_rounds(user) -> QuerySet[ReportRound]:
    """Rounds issued in the user's scope, or asking a unit they may read to report."""
    if user is None or scope.is_administrator(user):
        return ReportRound.objects.all()
    issued = scope.restrict(ReportRound.objects.all(), user).values("pk")
    asked = visible_assignments(user).values("task_id")
    return ReportRound.objects.filter(Q(pk__in=issued) | Q(task__in=asked))


def visible_submissions(user) -> QuerySet[Submission]:
    """Submissions of units the user may read, and of rounds issued in their scope."""
    if user is None or scope.is_administrator(user):
        return Submission.objects.all()
    issued = scope.restrict(ReportRound.objects.all(), user).values("pk")
    return Submission.objects.filter(Q(unit__in=visible_units(user).values("pk"))
                                     | Q(round__in=issued))  # fmt: skip



def round_list_counts(user, rounds: list[ReportRound]) -> dict[int, dict[str, int]]:
    """For each round of a page of the list: the reporting units the user sees, the
    reports expected of them (units × forms), sent (at least once) and accepted. Two
    grouped queries whatever the number of rounds."""
    units = dict(visible_assignments(user).filter(task__in=[r.task_id for r in rounds])
                 .order_by().values_list("task_id").annotate(n=Count("pk")))  # fmt: skip
    sent = {row["round_id"]: row for row in visible_submissions(user)
            .filter(round__in=rounds).order_by().values("round_id")
            .annotate(sent=Count("pk", filter=Q(status__in=SENT)),
                      accepted=Count("pk", filter=Q(status=SubmissionStatus.ACCEPTED)))}  # fmt: skip
    return {r.pk: {"units": units.get(r.task_id, 0),
                   "expected": units.get(r.task_id, 0) * len(r.form_codes),
                   "sent": sent.get(r.pk, {}).get("sent", 0),
                   "accepted": sent.get(r.pk, {}).get("accepted", 0)} for r in rounds}  # fmt: skip

def acceptance_queue(user) -> QuerySet[Submission]:
    """Submissions waiting for a decision that `user` may take (`services.accept`)."""
    waiting = Submission.objects.filter(status=SubmissionStatus.SUBMITTED)
    if user is None or scope.is_administrator(user):
        return waiting
    issuers = scope.restrict(ReportRound.objects.all(), user, scope.EDIT).values("pk")
    units = scope.restrict(Unit.objects.all(), user, scope.EDIT).values("pk")
    return waiting.filter(round__in=issuers, unit__in=units)


def _within(user) -> QuerySet | None:
    if user is None or scope.is_administrator(user):
        return None
    return visible_units(user).values("pk")


def _form(form: FormSpec | str) -> FormSpec:
    spec = form if isinstance(form, FormSpec) else form_named(form)
    if spec is None:
        raise ValueError(f"unknown form {form!r}")
    return spec


# --- Completeness --------------------------------------------------------------------------


@dataclass
class Tally:
    """One form's submissions among `expected` reporting units."""

    expected: int = 0
    opened: int = 0  # drafts not sent yet
    submitted: int = 0  # sent at least once: waiting, accepted or returned
    on_time: int = 0  # sent by the deadline (the last sending)
    waiting: int = 0
    accepted: int = 0
    returned: int = 0

    @property
    def not_submitted(self) -> int:
        return max(self.expected - self.submitted, 0)

    def share(self, name: str) -> Decimal | None:
        return share_of(getattr(self, name), self.expected)

    def text(self, name: str) -> str:
        """"1/2 (50,00%)"."""
        share = self.share(name)
        shown = "—" if share is None else f"{share}%".replace(".", ",")
        return f"{getattr(self, name)}/{self.expected} ({shown})"

    def add(self, status: str, n: int, on_time: int) -> None:
        if status == SubmissionStatus.DRAFT:
            self.opened += n
            return
        self.submitted += n
        self.on_time += on_time
        if status == SubmissionStatus.SUBMITTED:
            self.waiting += n
        elif status == SubmissionStatus.ACCEPTED:
            self.accepted += n
        elif status == SubmissionStatus.RETURNED:
            self.returned += n

    def as_dict(self) -> dict:
        names = ("expected", "opened", "submitted", "on_time", "waiting", "accepted", "returned",
                 "not_submitted")  # fmt: skip
        found = {name: getattr(self, name) for name in names}
        for name in ("submitted", "on_time", "accepted"):
            share = self.share(name)
            found[f"share_{name}"] = None if share is None else str(share)
        return found


@dataclass
class Completeness:
    """A round on a date: the task's roll-up, each form's tally, and each level's."""

    round: ReportRound
    on: dt.date
    rollup: RollUp
    forms: dict[str, Tally] = field(default_factory=dict)
    levels: dict[str, dict[str, Tally]] = field(default_factory=dict)  # level → form → tally

    def by_level(self) -> list[tuple[str, str, dict[str, Tally]]]:
        """(level, label, tallies by form) for the levels that report, top level first."""
        return [(level.value, str(level.label), self.levels[level.value])
                for level in UnitLevel if level.value in self.levels]  # fmt: skip

    def as_dict(self) -> dict:
        return {
            "round": self.round.pk,
            "on": self.on.isoformat(),
            "deadline": self.round.deadline.isoformat(),
            "assignments": self.rollup.as_dict(),
            "forms": {code: tally.as_dict() for code, tally in self.forms.items()},
            "levels": [{"level": level, "label": label,
                        "forms": {code: t.as_dict() for code, t in tallies.items()}}
                       for level, label, tallies in self.by_level()],
        }  # fmt: skip


def completeness(report_round: ReportRound, *, on: dt.date | None = None,
                 user=None) -> Completeness:  # fmt: skip
    """The round's completeness on `on` (today by default) over the reporting units the
    user may read: three grouped queries whatever the number of units (module doc)."""
    on = on or timezone.localdate()
    task = report_round.task
    within = _within(user)
    rollup = rollups([task], on, within=within)[0]
    codes = list(report_round.form_codes)
    found = Completeness(report_round, on, rollup,
                         forms={code: Tally(expected=rollup.assigned) for code in codes})  # fmt: skip
    assignments = TaskAssignment.objects.filter(counted_on(on), task=task)
    if within is not None:
        assignments = assignments.filter(unit__in=within)
    cancelled = task.cancelled_on is not None and task.cancelled_on <= on
    for row in assignments.order_by().values("unit__level").annotate(n=Count("pk")):
        found.levels[row["unit__level"]] = {
            code: Tally(expected=0 if cancelled else row["n"]) for code in codes}
    rows = (Submission.objects.filter(round=report_round,
                                      unit__in=assignments.values("unit_id"))
            .order_by().values("form_code", "unit__level", "status")
            .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(
                submitted_at__date__lte=report_round.deadline))))  # fmt: skip
    for row in rows:
        code, level = row["form_code"], row["unit__level"]
        if code not in found.forms:
            continue
        found.forms[code].add(row["status"], row["n"], row["on_time"])
        found.levels.setdefault(level, {c: Tally() for c in codes})[code].add(
            row["status"], row["n"], row["on_time"])
    return found


# --- A level's total and reconciliation -------------------------------------------------


def _with_corrections(submissions: QuerySet[Submission]) -> list[tuple[Submission, list]]:
    """The submissions and their corrections: two queries."""
    rows = list(submissions)
    corrections: dict[int, list[SubmissionCorrection]] = {}
    for c in SubmissionCorrection.objects.filter(
            submission__in=submissions.values("pk")).order_by("submission_id", "pk"):  # fmt: skip
        corrections.setdefault(c.submission_id, []).append(c)
    return [(s, corrections.get(s.pk, [])) for s in rows]


def _in_sight(user, unit: Unit) -> QuerySet | None:
    """Refuse a unit out of the user's sight; the units the user may read (None: all)."""
    if user is not None and not scope.is_administrator(user):
        scope.ensure_unit_allowed(user, unit, scope.VIEW)
    return _within(user)


def round_total(report_round: ReportRound, form: FormSpec | str, unit: Unit, *,
                user=None) -> Report:  # fmt: skip
    """`unit`'s figures of `form` in the round: the sum of the accepted submissions of the
    reporting units in its subtree, each computed with its corrected cells (two queries)."""
    spec = _form(form)
    within = _in_sight(user, unit)
    accepted = Submission.objects.filter(round=report_round, form_code=spec.code,
                                         status=SubmissionStatus.ACCEPTED,
                                         unit__path__startswith=unit.path)  # fmt: skip
    if within is not None:
        accepted = accepted.filter(unit__in=within)
    parts = [s.effective(corrections) for s, corrections in _with_corrections(accepted)]
    return summed(spec, unit, report_round.cut_off, parts)


@dataclass(frozen=True)
class CorrectedCell:
    unit: Unit
    status: str
    row: str
    column: str
    computed: int
    corrected: int
    reason: str

    def as_dict(self) -> dict:
        return {"unit": self.unit.code, "unit_name": self.unit.name, "status": self.status,
                "row": self.row, "column": self.column, "computed": self.computed,
                "corrected": self.corrected, "reason": self.reason}  # fmt: skip


@dataclass
class UnitLine:
    """A reporting unit: its submission's status and figures (None before it opened one),
    and its figures computed by the level above from the records at the cut-off."""

    unit: Unit
    status: str | None
    figures: Counts | None
    own: Counts

    @property
    def counted(self) -> bool:
        return self.status in COUNTED

    def as_dict(self, keys: list[Key]) -> dict:
        return {
            "unit": self.unit.code, "unit_name": self.unit.name, "status": self.status,
            "figures": None if self.figures is None else
            [{"row": r, "column": c, "value": self.figures.get((r, c), 0)} for r, c in keys],
            "own": [{"row": r, "column": c, "value": self.own.get((r, c), 0)} for r, c in keys],
        }  # fmt: skip


@dataclass(frozen=True)
class Difference:
    """A count cell where a counted unit's figure differs from the records (the sums then
    differ too, unless two differences even out)."""

    row: str
    column: str
    lower: int
    own: int
    units: tuple[str, ...]  # codes of the counted units whose figure differs from the records
    corrected: bool  # one of them corrected this cell

    @property
    def delta(self) -> int:
        return self.lower - self.own

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "lower": self.lower, "own": self.own,
                "difference": self.delta, "units": list(self.units),
                "corrected": self.corrected}  # fmt: skip


@dataclass
class Reconciliation:
    """A level's view of a round's form (module doc). `lower` is the sum of the submitted
    and accepted submissions; `own` the level's computation over those same units;
    `own_all` over every reporting unit in the subtree (the missing ones included)."""

    round: ReportRound
    form: FormSpec
    unit: Unit
    on: dt.date
    lower: Report
    own: Report
    own_all: Report
    lines: list[UnitLine]
    corrections: list[CorrectedCell]
    differences: list[Difference]

    def _units(self, *statuses) -> list[Unit]:
        return [line.unit for line in self.lines if line.status in statuses]

    @property
    def returned(self) -> list[Unit]:
        return self._units(SubmissionStatus.RETURNED)

    @property
    def waiting(self) -> list[Unit]:
        return self._units(SubmissionStatus.SUBMITTED)

    @property
    def not_submitted(self) -> list[Unit]:
        """Reporting units that have sent nothing (no submission, or a draft)."""
        return self._units(None, SubmissionStatus.DRAFT)

    def cells(self) -> list[dict]:
        """Every count cell: the lower sum, the records, the corrections on it, and
        whether the two sums differ."""
        corrected: dict[Key, list[CorrectedCell]] = {}
        for c in self.corrections:
            corrected.setdefault((c.row, c.column), []).append(c)
        differs = {(d.row, d.column) for d in self.differences}
        return [{"row": r, "column": c, "lower": self.lower.counts.get((r, c), 0),
                 "own": self.own.counts.get((r, c), 0),
                 "own_all": self.own_all.counts.get((r, c), 0),
                 "corrections": corrected.get((r, c), []), "differs": (r, c) in differs}
                for r, c in self.form.count_keys()]  # fmt: skip

    def as_dict(self) -> dict:
        keys = self.form.count_keys()

        def codes(units):
            return [u.code for u in units]

        return {
            "round": self.round.pk, "form": self.form.code, "unit": self.unit.code,
            "as_of": self.on.isoformat(),
            "cells": [{**cell, "corrections": [c.as_dict() for c in cell["corrections"]]}
                      for cell in self.cells()],
            "corrections": [c.as_dict() for c in self.corrections],
            "differences": [d.as_dict() for d in self.differences],
            "units": [line.as_dict(keys) for line in self.lines],
            "returned": codes(self.returned), "waiting": codes(self.waiting),
            "not_submitted": codes(self.not_submitted),
        }  # fmt: skip


def reconciliation(report_round: ReportRound, form: FormSpec | str, unit: Unit, *,
                   user=None) -> Reconciliation:  # fmt: skip
    """`unit`'s reconciliation of `form` in the round over the reporting units of its
    subtree that the user may read (module doc): three queries and the form's own."""
    spec = _form(form)
    on = report_round.cut_off
    within = _in_sight(user, unit)
    assignments = TaskAssignment.objects.filter(task_id=report_round.task_id,
                                                unit__path__startswith=unit.path)  # fmt: skip
    if within is not None:
        assignments = assignments.filter(unit__in=within)
    units = [a.unit for a in assignments.select_related("unit").order_by("unit__path")]
    submissions = Submission.objects.filter(round=report_round, form_code=spec.code,
                                            unit__in=assignments.values("unit_id"))  # fmt: skip
    by_unit = {s.unit_id: (s, corrections) for s, corrections in _with_corrections(submissions)}
    own = reports_for_units(spec, units, on, user=user)
    lines, corrected = [], []
    for u in units:
        submission, corrections = by_unit.get(u.pk, (None, []))
        status = None if submission is None else submission.status
        lines.append(UnitLine(u, status, None if submission is None else
                              submission.effective(corrections), own[u.pk].counts))  # fmt: skip
        if status in SENT:
            corrected += [CorrectedCell(u, status, c.row, c.column, c.computed, c.corrected,
                                        c.reason) for c in corrections]  # fmt: skip
    counted = [line for line in lines if line.counted]
    lower = summed(spec, unit, on, [line.figures for line in counted])
    own_counted = summed(spec, unit, on, [line.own for line in counted])
    own_all = summed(spec, unit, on, [line.own for line in lines])
    cells_corrected = {(c.row, c.column) for c in corrected if c.status in COUNTED}
    differences = []
    for key in spec.count_keys():
        units_off = tuple(line.unit.code for line in counted
                          if line.figures.get(key, 0) != line.own.get(key, 0))  # fmt: skip
        if units_off:  # a unit differs, even when another's difference evens the sums out
            differences.append(Difference(key[0], key[1], lower.counts.get(key, 0),
                                          own_counted.counts.get(key, 0), units_off,
                                          key in cells_corrected))  # fmt: skip
    return Reconciliation(report_round, spec, unit, on, lower, own_counted, own_all, lines,
                          corrected, differences)  # fmt: skip
