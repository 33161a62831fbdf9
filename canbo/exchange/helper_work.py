"""What the helper process of a large export does (exchange.helper, ADR 0022)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

from django.contrib.auth import get_user_model

from canbo.core import replica
from canbo.core.db import whole_result_plans

from .exporter import (
    package_workbook,
    rows_of,
    selection_for,
    text_kinds,
    write_json_sheet,
    write_sheet,
)
from .helper import take
from .registry import registry
from .sheets import Sheet


def helper_sheets(task: dict) -> None:
    """Take the next sheet until none is left; write each to a file of its own (a
    workbook, or its JSON) and note it, a JSON line in `task["done"]`, once finished."""
    user = None if task["user"] is None else get_user_model().objects.get(pk=task["user"])
    exported_at = dt.datetime.fromisoformat(task["exported_at"])
    sel = selection_for(user=user, unit_code=task["unit"], exported_at=exported_at)
    by_key = {s.key: s for s in registry.sheets()}
    kinds = text_kinds()
    workdir = Path(task["workdir"])
    # The exporting process's reads come from the replica when its work may: so do these.
    with replica.work_for(user, replica_reads=task["replica_reads"]), whole_result_plans():
        for sheet in _taken(task, by_key):
            rows = _Counted(rows_of(sheet, sel), task["parent"])
            if task["format"] == "json":
                path = workdir / f"{sheet.key}.json"
                with path.open("w", encoding="utf-8", newline="") as out:
                    write_json_sheet(out, sheet, rows)
                note = {"parts": [[sheet.title, str(path)]], "path": None, "styles": None}
            else:
                path = workdir / f"{sheet.key}.xlsx"
                book = package_workbook(str(path), sel)  # deflated here, copied as it is
                written = write_sheet(book, sheet, rows, kinds)
                book.close()
                note = {
                    "parts": [[ws.title, ws.part_name] for ws in written],
                    "path": str(path),
                    "styles": [dataclasses.asdict(s) for s in book.styles],
                }
            note.update(key=sheet.key, rows=rows.count)
            with open(task["done"], "a", encoding="utf-8") as done:
                done.write(json.dumps(note) + "\n")


def _taken(task: dict, by_key: dict[str, Sheet]) -> Iterator[Sheet]:
    counter = Path(task["counter"])
    while (index := take(counter, len(task["keys"]))) is not None:
        _parent_alive(task["parent"])
        yield by_key[task["keys"][index]]


def _parent_alive(parent: int) -> None:
    """Stop when the exporting process is gone (killed: nobody would read what follows)."""
    if os.getppid() != parent:
        raise SystemExit("the exporting process has ended")


class _Counted:
    """Rows passed through, counted; every 100,000 the exporting process is looked for."""

    def __init__(self, rows, parent: int):
        self.rows, self.count, self.parent = rows, 0, parent

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            if self.count % 100_000 == 0:
                _parent_alive(self.parent)
            yield row
