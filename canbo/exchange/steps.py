"""How far a long package step got: reading, checking, importing or exporting a package.

The exporter, the readers and the importer report their progress to a `Steps` object they
are given; the default, `QUIET`, ignores it, so callers that do not care pass nothing. A
step has stages ("Ghi các sheet", "Kiểm tra dữ liệu"), each of `total` units (sheets, or
the apps' parts) or of an unknown size, and within a unit the rows done so far.

Two receivers exist: the background job's (`exchange.jobs.JobSteps`, which moves the bar
of the job's page and stops the work when the user cancels it) and the commands'
(`management/commands/_progress.StderrSteps`, a line per sheet on stderr).
"""

from __future__ import annotations

#: Rows between two reports of the rows of a unit (the receivers throttle again).
ROWS_EVERY = 500


class Steps:
    """Progress receiver that ignores everything (the default); subclasses show it."""

    def stage(self, text: str, total: int | None = None) -> None:
        """A new stage of `total` units (None: size not known)."""

    def final_stage(self, text: str) -> None:
        """The last stage, which cannot be stopped once begun (the write in one
        transaction); its size is not known."""
        self.stage(text)

    def item(self, done: int, title: str, rows: int = 0) -> None:
        """`done` units of the stage are finished; `title` is under way, `rows` rows so far."""

    def item_done(self, done: int, title: str, rows: int) -> None:
        """`title` is finished with `rows` rows; `done` units of the stage are finished."""


QUIET = Steps()
