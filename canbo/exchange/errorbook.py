"""The import report as a workbook: the package's rows that have a problem, to fix in Excel.

One worksheet per worksheet of the package that has a refused row, named as in the
package, with the row's original cells under the original headers and two columns
added in front: "Lỗi" (every problem of the row, each with its column, one per line)
and "Dòng" (the row's number in the uploaded file). Problems that belong to no row
(a missing column, the package's own information) are listed on a first worksheet
"Lỗi chung". Written through `canbo.core.xlsx`, so a cell is never a formula.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

from django.utils.translation import gettext as _

from canbo.core import xlsx

from . import cells
from .readers import RawPackage
from .registry import registry
from .report import ImportReport, Problem

GENERAL_TITLE = "Lỗi chung"


def problem_text(problem: Problem) -> str:
    """One problem as the "Lỗi" column says it: its column, then its message."""
    text = problem.message
    if problem.severity != "error":
        text = _("Cảnh báo: %(m)s") % {"m": text}
    if problem.column:
        return _("Cột “%(c)s”: %(m)s") % {"c": problem.column, "m": text}
    return text


def _cell(value):
    """An original cell as the workbook can hold it (times and odd numbers as text)."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else cells.shown(value)
    if isinstance(value, float) and not math.isfinite(value):
        return cells.shown(value)
    if isinstance(value, dt.date | int | float | bool | str) or value is None:
        return value
    return cells.shown(value)


def refused_rows(report: ImportReport) -> dict[tuple[str, int], list[Problem]]:
    """(worksheet, row) -> the row's problems, for the rows with at least one error."""
    by_row: dict[tuple[str, int], list[Problem]] = defaultdict(list)
    for problem in report.problems:
        if problem.row is not None:
            by_row[(problem.sheet, problem.row)].append(problem)
    return {
        where: problems
        for where, problems in by_row.items()
        if any(p.severity == "error" for p in problems)
    }


def write_error_book(raw: RawPackage, report: ImportReport, target) -> int:
    """Write the workbook to `target` (a path or binary file); returns how many rows it lists."""
    rows = refused_rows(report)
    book = xlsx.StreamingWorkbook(target)
    wrap = book.style(xlsx.Style(number_format="@", wrap=True, vertical="top"))
    data_rows = {
        (found.name_of(index), number)
        for found in raw.sheets.values()
        for index, (number, _values) in enumerate(found.rows)
        if (found.name_of(index), number) in rows
    }
    general = [p for p in report.errors if (p.sheet, p.row) not in data_rows]
    setup = xlsx.PrintSetup(title_rows=1)
    if general:
        sheet = book.add_sheet(GENERAL_TITLE, [24, 24, 90], print_setup=setup)
        sheet.write_row([_("Sheet"), _("Cột"), _("Lỗi")], [xlsx.HEADER] * 3)
        for p in general:
            sheet.write_row([p.sheet, p.column or "", p.message], [None, None, wrap])
    listed = 0
    for package_sheet in registry.sheets():
        found = raw.sheets.get(package_sheet.key)
        if found is None:
            continue
        columns = [c for c in package_sheet.columns if c.key in found.present]
        headers = [_("Lỗi"), _("Dòng"), *(c.header for c in columns)]
        widths = [60, 7, *(max(12, min(len(c.header) + 4, 30)) for c in columns)]
        styles = [wrap, None, *([None] * len(columns))]
        current = None
        for index, (number, values) in enumerate(found.rows):
            name = found.name_of(index)
            problems = rows.get((name, number))
            if problems is None:
                continue
            if current != name:
                current = name
                sheet = book.add_sheet(name, widths, print_setup=setup)
                sheet.write_row(headers, [xlsx.HEADER] * len(headers))
            text = "\n".join(problem_text(p) for p in problems)
            sheet.write_row([text, number, *(_cell(values.get(c.key)) for c in columns)], styles)
            listed += 1
    if not book.sheets:
        sheet = book.add_sheet(GENERAL_TITLE, [90], print_setup=setup)
        sheet.write_row([_("Lỗi")], [xlsx.HEADER])
        sheet.write_row([_("Gói không có lỗi.")])
    book.close()
    return listed
