"""Exporting report rounds, the units' submissions and their count cells.

A round travels with the document that carries it: a package carries the rounds whose
directive it carries (`canbo.directives.package.exporting.directives`: issued by a
selected unit, or with a task assigned to one), so a commune's package holds the rounds
it reports in, and the province's the rounds it issued. Submissions travel with their
unit (a selected unit's own) and with their round's issuer (every submission of a round
a selected unit issued); their cells with them. For an account that is not an
administrator, only the rounds and submissions `round_selectors` lets it read.

Who sent or decided a submission is not written: the accounts of one installation mean
nothing in another.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q, QuerySet

from canbo.directives.package.exporting import directives
from canbo.exchange.exporter import CHUNK, Selection, day_texts, labels, values_of
from canbo.organizations.package.exporting import units
from canbo.reports.forms import FORMS
from canbo.reports.models import ReportRound, Submission, SubmissionCorrection, split_key
from canbo.reports.round_selectors import visible_rounds, visible_submissions
from canbo.reports.spec import FormSpec

from .cells import write_moment
from .sheets import CODES_SEPARATOR, REPORT_ROUNDS, REPORT_SUBMISSIONS

ROUND_ORDER = ("issuing_unit__path", "task__directive__issued_on", "task__directive__number")
SUBMISSION_ORDER = (*(f"round__{f}" for f in ROUND_ORDER), "unit__path", "form_code")


def rounds(sel: Selection) -> QuerySet[ReportRound]:
    """The rounds of the directives the package carries (that the account may read)."""
    if sel.everything:
        return ReportRound.objects.all()
    qs = ReportRound.objects.filter(task__directive__in=directives(sel).values("pk"))
    if sel.user is not None:
        qs = qs.filter(pk__in=visible_rounds(sel.user).values("pk"))
    return qs


def submissions(sel: Selection) -> QuerySet[Submission]:
    """The selected units' submissions, and every submission of a round they issued."""
    if sel.everything:
        return Submission.objects.all()
    selected = units(sel).values("pk")
    qs = Submission.objects.filter(Q(unit__in=selected) | Q(round__issuing_unit__in=selected),
                                   round__in=rounds(sel).values("pk"))  # fmt: skip
    if sel.user is not None:
        qs = qs.filter(pk__in=visible_submissions(sel.user).values("pk"))
    return qs


def referenced(sel: Selection, kind: str) -> list:
    """The units the rows name: a round's issuing unit and the unit it reports within,
    and each submission's unit."""
    if kind != "unit":
        return []
    selected = rounds(sel)
    return [
        selected.values_list("issuing_unit_id", flat=True).distinct(),
        selected.exclude(within=None).values_list("within_id", flat=True).distinct(),
        submissions(sel).values_list("unit_id", flat=True).distinct(),
    ]


def round_rows(sel: Selection) -> Iterator[list]:
    kinds = labels(REPORT_ROUNDS.column("period_kind").choices)
    levels = labels(REPORT_ROUNDS.column("level").choices)
    unit_kinds = labels(REPORT_ROUNDS.column("kind").choices)
    days = day_texts()
    fields = ("task__directive__number", "issuing_unit__code", "task__order", "name", "form_codes",
              "period_kind", "year", "period_number", "period_start", "period_end", "deadline",
              "level", "kind", "within__code", "group__name", "note")  # fmt: skip
    for (number, unit, order, name, codes, period_kind, year, period_number, start, end,
         deadline, level, kind, within, group, note) in values_of(
            rounds(sel).order_by(*ROUND_ORDER), *fields):  # fmt: skip
        yield [number, unit, order, name, CODES_SEPARATOR.join(codes or ()), kinds[period_kind],
               year, period_number, days[start], days[end], days[deadline], levels[level],
               unit_kinds[kind], within or "", group or "", note]  # fmt: skip


def submission_rows(sel: Selection) -> Iterator[list]:
    statuses = labels(REPORT_SUBMISSIONS.column("status").choices)
    fields = ("round__task__directive__number", "round__issuing_unit__code", "unit__code",
              "form_code", "status", "computed_at", "submitted_at", "decided_at", "comment",
              "unit__name")  # fmt: skip
    qs = submissions(sel).order_by(*SUBMISSION_ORDER)
    for (number, issuer, unit, form, status, computed, submitted, decided, comment,
         name) in values_of(qs, *fields):  # fmt: skip
        yield [number, issuer, unit, form, statuses[status], write_moment(computed),
               write_moment(submitted), write_moment(decided), comment, name]  # fmt: skip


class CellOrder:
    """A form's count cells in the printed order (rows, then count columns), with their
    labels; cells the form does not know (a form changed since) after them, sorted."""

    def __init__(self, form: FormSpec | None):
        self.index: dict[tuple[str, str], int] = {}
        self.labels: dict[tuple[str, str], tuple[str, str]] = {}
        if form is None:
            return
        for row in form.rows:
            for column in form.count_columns:
                self.index[(row.code, column.code)] = len(self.index)
                self.labels[(row.code, column.code)] = (str(row.label), str(column.label))

    def sorted(self, keys) -> list[tuple[str, str]]:
        known = sorted((k for k in keys if k in self.index), key=self.index.__getitem__)
        return known + sorted(k for k in keys if k not in self.index)


def _corrections(pks: list[int]) -> dict[int, dict[tuple[str, str], tuple]]:
    found: dict[int, dict[tuple[str, str], tuple]] = {}
    fields = ("submission_id", "row", "column", "computed", "corrected", "reason", "corrected_at")
    for pk, row, column, computed, corrected, reason, at in SubmissionCorrection.objects.filter(
        submission_id__in=pks
    ).values_list(*fields):
        found.setdefault(pk, {})[(row, column)] = (computed, corrected, reason, at)
    return found


def cell_rows(sel: Selection) -> Iterator[list]:
    orders = {code: CellOrder(form) for code, form in FORMS.items()}
    fields = ("pk", "round__task__directive__number", "round__issuing_unit__code", "unit__code",
              "form_code", "counts")  # fmt: skip
    batch: list[tuple] = []

    def flush() -> Iterator[list]:
        corrections = _corrections([item[0] for item in batch])
        for pk, number, issuer, unit, form, counts in batch:
            order = orders.get(form) or CellOrder(None)
            fixed = corrections.get(pk, {})
            counts = {split_key(key): n for key, n in (counts or {}).items()}
            for key in order.sorted(set(counts) | set(fixed)):
                computed = counts[key] if key in counts else fixed[key][0]
                _computed, corrected, reason, at = fixed.get(key, (None, None, "", None))
                row_label, column_label = order.labels.get(key, ("", ""))
                yield [number, issuer, unit, form, key[0], key[1], int(computed), corrected,
                       reason, write_moment(at), row_label, column_label]  # fmt: skip
        batch.clear()

    for item in values_of(submissions(sel).order_by(*SUBMISSION_ORDER), *fields):
        batch.append(item)
        if len(batch) >= CHUNK // 10:
            yield from flush()
    yield from flush()


ROWS = {
    "report_rounds": round_rows,
    "report_submissions": submission_rows,
    "report_cells": cell_rows,
}
