"""Progress of the data package commands on stderr (quiet with -v0).

Each stage is a line ("Ghi các sheet"), then each sheet (or the apps' parts, while
checking) with its rows once it is done ("  Cán bộ: 5.000 dòng (6/17)"). On a terminal
the sheet under way is shown too, rewritten in place, so a long sheet is seen moving.
"""

from __future__ import annotations

import time

from canbo.exchange.limits import number
from canbo.exchange.steps import QUIET, Steps

#: Seconds between two rewrites of the line in place.
EVERY = 0.2


class StderrSteps(Steps):
    def __init__(self, stream, *, tty: bool | None = None):
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.total: int | None = None
        self.shown = float("-inf")
        self.pending = False  # a line written in place, to be cleared

    def stage(self, text: str, total: int | None = None) -> None:
        self.clear()
        self.total = total
        self.stream.write(text)

    def item(self, done: int, title: str, rows: int = 0) -> None:
        now = time.monotonic()
        if not self.tty or now - self.shown < EVERY:
            return
        self.shown = now
        self.stream.write(f"\r\x1b[K  {self.line(done + 1, title, rows)}", ending="")
        self.stream.flush()
        self.pending = True

    def item_done(self, done: int, title: str, rows: int) -> None:
        self.clear()
        if rows:
            self.stream.write(f"  {self.line(done, title, rows)}")

    def line(self, done: int, title: str, rows: int) -> str:
        text = f"{title}: {number(rows)} dòng"
        return f"{text} ({done}/{self.total})" if self.total else text

    def clear(self) -> None:
        if self.pending:
            self.stream.write("\r\x1b[K", ending="")
            self.pending = False


def steps_for(command, verbosity: int) -> Steps:
    """The command's progress on its stderr, or nothing with -v0."""
    return StderrSteps(command.stderr) if verbosity >= 1 else QUIET
