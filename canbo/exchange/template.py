"""The empty data package: headers, lists for catalog columns, and a guide sheet.

Written with the shared formula-safe writer (`canbo.core.xlsx`) like every export: the
catalog values come from the database (ethnicity names), and the guide quotes examples.
"""

from __future__ import annotations

from typing import IO

from django.utils.translation import gettext as _

from canbo.core import xlsx

from .docs import allowed_text, key_text, kind_text
from .exporter import start_sheet
from .registry import registry
from .sheets import CATALOG_TITLE, GUIDE_TITLE, Column, Sheet

# Rows of each sheet that get the drop-down lists.
VALIDATED_ROWS = 5000


def column_values(column: Column) -> list[str]:
    """The allowed values of a catalog column, as users pick them."""
    if column.kind == "choice":
        return [str(label) for _value, label in column.choices.choices]
    lookup = registry.lookups().get(column.kind)
    if lookup is not None:
        return [label for _value, label in lookup.entries()]
    if column.kind == "bool":
        return ["Có", "Không"]
    return []


def write_template(target: IO[bytes] | str) -> None:
    book = xlsx.StreamingWorkbook(target)
    sheets = registry.sheets()
    values = {(s.key, c.key): column_values(c) for s in sheets for c in s.columns}
    # The catalog sheet's columns (header, values), one per distinct list, and the
    # range each catalog column of the data sheets takes its drop-down list from.
    columns: list[tuple[str, tuple]] = []
    lists: dict[tuple, str] = {}
    for sheet in sheets:
        for column in sheet.columns:
            key = tuple(values[sheet.key, column.key])
            if key and not column.readonly and key not in lists:
                letter = xlsx.column_letter(len(columns))
                lists[key] = f"'{CATALOG_TITLE}'!${letter}$2:${letter}${len(key) + 1}"
                columns.append((column.header, key))
    _write_guide(book, sheets)
    for sheet in sheets:
        _write_sheet(
            book, sheet, [lists.get(tuple(values[sheet.key, c.key])) for c in sheet.columns]
        )
    catalog = book.add_sheet(CATALOG_TITLE, [max(12, min(40, len(h) + 4)) for h, _v in columns])
    catalog.write_row([header for header, _values in columns], [xlsx.HEADER] * len(columns))
    for row in range(max((len(v) for _h, v in columns), default=0)):
        catalog.write_row([items[row] if row < len(items) else None for _h, items in columns])
    book.close()


def _write_sheet(book: xlsx.StreamingWorkbook, sheet: Sheet, sources: list[str | None]) -> None:
    ws = start_sheet(book, sheet)
    for index, (column, source) in enumerate(zip(sheet.columns, sources, strict=True)):
        if source and not column.readonly:
            letter = xlsx.column_letter(index)
            ws.add_list_validation(
                f"{letter}2:{letter}{VALIDATED_ROWS + 1}", source,
                title=_("Giá trị ngoài danh mục"),
                message=_("Hãy chọn một giá trị trong danh sách."),
            )  # fmt: skip


def _write_guide(book: xlsx.StreamingWorkbook, sheets) -> None:
    headers = ["Sheet", "Cột", "Ý nghĩa", "Kiểu dữ liệu", "Bắt buộc", "Giá trị cho phép", "Ví dụ"]
    ws = book.add_sheet(GUIDE_TITLE, [18, 30, 60, 30, 10, 50, 24], freeze_rows=0)
    ws.write_row(headers, [xlsx.HEADER] * len(headers))
    ws.write_row([_("Gói dữ liệu canbo: mỗi sheet một loại hồ sơ; dòng 1 là tiêu đề cột. "
                    "Nhập xong, dùng “Nhập dữ liệu” (hoặc lệnh canbo import) để kiểm "
                    "tra thử trước khi ghi.")])  # fmt: skip
    # The same descriptions as the tables of docs/data-package.md (`docs.py`).
    for sheet in sheets:
        ws.write_row([])
        ws.write_row([sheet.title, None, sheet.help, None, None, key_text(sheet, bold=False)],
                     [xlsx.HEADER, None, None, None, None, None])  # fmt: skip
        for column in sheet.columns:
            ws.write_row([sheet.title, column.header, column.help, kind_text(column),
                          "Có" if column.required else "", allowed_text(column),
                          column.example])  # fmt: skip
