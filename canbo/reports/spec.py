"""Report forms: what a form is made of, and a computed report (issue 16, ADR 0032).

A form (`FormSpec`) is rows × columns. Its **count** columns hold whole numbers that
add up across units: a level's report is the sum of its units' counts. Every other
column is **derived** from two count columns of the same row, with one rounding rule:

- `share`: part ÷ base × 100, two decimals (`core.shares.share_of`), None on a zero base;
- `ratio`: a ÷ b, two decimals (the planning coefficient), None on a zero base.

So a report is its counts (`Report.counts`, keyed by (row code, column code)); derived
cells are recomputed from the counts whenever they are read, never stored, never summed.
Submissions (`models.Submission`) store and correct counts only.

A form computes the counts of any number of subtrees at a date in a fixed number of
grouped queries (`FormSpec.compute(roots, on, within)`): `roots` are units (the subtree
of each is counted separately, the tree as it stood on `on`), or None for everything;
`within`, when given, limits the units counted to those a user may read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from canbo.core.shares import share_of

COUNT, SHARE, RATIO = "count", "share", "ratio"
Key = tuple[str, str]  # (row code, column code)
Counts = dict[Key, int]


@dataclass(frozen=True)
class Column:
    code: str
    label: str
    group: str = ""  # the merged header above consecutive columns of the same group
    kind: str = COUNT
    of: tuple[str, str] | None = None  # derived: (part or a, base or b) column codes
    how: str = ""  # how the column's cells are computed (tooltip, API)

    def __post_init__(self):
        if (self.kind == COUNT) != (self.of is None):
            raise ValueError(f"column {self.code}: a count has no 'of', a derived one needs it")


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    how: str = ""
    indent: int = 0  # 0 a total or a heading row, 1 a part of the row above
    bold: bool = False


@dataclass(frozen=True)
class FormSpec:
    code: str  # "TK-CB", "M1A"…: what `canbo report FORM` takes
    title: str
    short: str  # a few words for lists
    variant: str  # "A" provinces, "B" central bodies, "" any level
    population: str  # who or what is counted, one sentence (shown above the table)
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]
    compute: Callable[[list | None, dt.date, QuerySet | None], dict[int | None, Counts]]
    notes: tuple[str, ...] = ()
    # A short paragraph for documents, its figures read from the report's cells.
    narrative: Callable[[Report], str] | None = None

    def __post_init__(self):
        codes = {c.code for c in self.columns}
        for column in self.columns:
            if column.of and not set(column.of) <= codes:
                raise ValueError(f"{self.code}: column {column.code} is derived from unknown columns")

    @property
    def count_columns(self) -> list[Column]:
        return [c for c in self.columns if c.kind == COUNT]

    def column(self, code: str) -> Column:
        return next(c for c in self.columns if c.code == code)

    def row(self, code: str) -> Row:
        return next(r for r in self.rows if r.code == code)

    def header_groups(self) -> list[tuple[str, list[Column]]]:
        """The header's top row: each run of consecutive columns of the same group with
        that group's label; a column without a group is a run of its own, labelled ""
        (its own label then spans both header rows)."""
        runs: list[tuple[str, list[Column]]] = []
        for column in self.columns:
            if column.group and runs and runs[-1][0] == column.group:
                runs[-1][1].append(column)
            else:
                runs.append((column.group, [column]))
        return runs

    def count_keys(self) -> list[Key]:
        return [(r.code, c.code) for r in self.rows for c in self.count_columns]

    def how(self, row: Row, column: Column) -> str:
        if row.how and column.how:
            return f"{row.how} — {column.how}"
        return str(row.how or column.how)


def derived(kind: str, a: int | None, b: int | None) -> Decimal | None:
    """A derived cell from its two counts, with the one rounding rule (two decimals)."""
    if kind == SHARE:
        return share_of(a, b)
    if not b or a is None:
        return None
    return (Decimal(a) / Decimal(b)).quantize(Decimal("0.01"))


def decimal_text(value) -> str:
    """A share or ratio as Vietnamese writes it ("40,00"); "—" when there is none."""
    return "—" if value is None else str(value).replace(".", ",")


@dataclass(frozen=True)
class Cell:
    row: Row
    column: Column
    value: int | Decimal | None
    how: str

    def as_dict(self) -> dict:
        value = self.value
        return {
            "row": self.row.code,
            "column": self.column.code,
            "value": str(value) if isinstance(value, Decimal) else value,
            "kind": self.column.kind,
            "how": str(self.how),
        }


@dataclass
class Report:
    """A form's figures for a unit (None: the whole scope) at a date."""

    form: FormSpec
    unit: object | None
    on: dt.date
    counts: Counts = field(default_factory=dict)

    def value(self, row: str, column: str) -> int | Decimal | None:
        spec = self.form.column(column)
        if spec.kind == COUNT:
            return self.counts.get((row, column), 0)
        a, b = spec.of
        return derived(spec.kind, self.value(row, a), self.value(row, b))

    def cells(self) -> list[Cell]:
        return [
            Cell(row, column, self.value(row.code, column.code), self.form.how(row, column))
            for row in self.form.rows
            for column in self.form.columns
        ]

    def grid(self) -> list[tuple[Row, list[Cell]]]:
        """Rows with their cells in column order (the page: each cell says how)."""
        cells = self.cells()
        width = len(self.form.columns)
        return [(row, cells[i * width:(i + 1) * width]) for i, row in enumerate(self.form.rows)]

    def table(self) -> list[tuple[Row, list]]:
        """Rows with their values in column order (documents, pages)."""
        return [(row, [self.value(row.code, c.code) for c in self.form.columns])
                for row in self.form.rows]  # fmt: skip

    def as_dict(self) -> dict:
        unit = self.unit
        return {
            "form": self.form.code,
            "title": str(self.form.title),
            "unit": getattr(unit, "code", None),
            "unit_name": getattr(unit, "name", None),
            "as_of": self.on.isoformat(),
            "rows": [{"code": r.code, "label": str(r.label)} for r in self.form.rows],
            "columns": [{"code": c.code, "label": str(c.label), "group": str(c.group),
                         "kind": c.kind, "how": str(c.how)} for c in self.form.columns],
            "cells": [cell.as_dict() for cell in self.cells()],
        }


def summed(form: FormSpec, unit, on: dt.date, parts: Iterable[Counts]) -> Report:
    """The report whose counts are the sums of `parts` (a level adding up its units)."""
    total: Counts = {}
    for counts in parts:
        for key, n in counts.items():
            total[key] = total.get(key, 0) + (n or 0)
    return Report(form, unit, on, total)
