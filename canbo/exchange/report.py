"""What an import reports: every problem by sheet, row and column, and counts per sheet."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str | None
    value: str
    message: str
    severity: str = "error"

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "severity": self.severity,
        }

    def __str__(self) -> str:
        where = self.sheet
        if self.row:
            where += _(", dòng %(n)d") % {"n": self.row}
        if self.column:
            where += _(", cột “%(c)s”") % {"c": self.column}
        value = f" [{self.value}]" if self.value else ""
        return f"{where}{value}: {self.message}"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    problems: list[Problem]
    counts: dict[str, Counts]
    dry_run: bool
    applied: bool = False
    seconds: float = 0.0
    rows: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def created(self) -> int:
        return sum(c.created for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.counts.values())

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "applied": self.applied,
            "created": self.created,
            "updated": self.updated,
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
            "counts": {k: vars(v) for k, v in self.counts.items()},
            "problems": [p.as_dict() for p in self.problems],
        }

    @classmethod
    def from_dict(cls, data: dict) -> ImportReport:
        """The report `as_dict` gave (kept with a pending upload between page loads)."""
        return cls(
            problems=[Problem(**p) for p in data["problems"]],
            counts={k: Counts(**v) for k, v in data["counts"].items()},
            dry_run=data["dry_run"],
            applied=data["applied"],
            seconds=data["seconds"],
            rows=data["rows"],
        )
