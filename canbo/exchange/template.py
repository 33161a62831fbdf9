"""The empty data package: headers, lists for catalog columns, and a guide sheet.

Written with the shared formula-safe writer (`canbo.core.xlsx`) like every export: the
catalog values come from the database (ethnicity names), and the guide quotes examples.
"""

from __future__ import annotations

from typing import IO

from django.utils.translation import gettext as _

from canbo.core import xlsx
from canbo.people.models import Ethnicity

from .exporter import TEXT_KINDS
from .spec import CATALOG_TITLE, GUIDE_TITLE, SHEETS, Column, Sheet

# Rows of each sheet that get the drop-down lists.
VALIDATED_ROWS = 5000

KIND_TEXT = {
    "text": "Chữ",
    "note": "Chữ (có thể nhiều dòng)",
    "code": "Mã (chữ)",
    "id_number": "12 chữ số (định dạng Văn bản)",
    "person": "Số định danh cá nhân (12 chữ số)",
    "partial_date": "Ngày: dd/mm/yyyy, mm/yyyy hoặc yyyy",
    "date": "Ngày: dd/mm/yyyy",
    "int": "Số nguyên",
    "decimal": "Số (dấu phẩy hoặc chấm thập phân)",
    "bool": "Có / Không",
    "choice": "Chọn trong danh mục",
    "ethnicity": "Tên dân tộc (danh mục 54 dân tộc)",
    "area": "Mã địa bàn",
    "unit": "Mã đơn vị",
    "title": "Mã chức danh",
    "term": "Nhiệm kỳ: năm bắt đầu–năm kết thúc (2030–2035) hoặc ngày bắt đầu dd/mm/yyyy",
}


def column_values(column: Column) -> list[str]:
    """The allowed values of a catalog column, as users pick them."""
    if column.kind == "choice":
        return [str(label) for _value, label in column.choices.choices]
    if column.kind == "ethnicity":
        return list(Ethnicity.objects.order_by("code").values_list("name", flat=True))
    if column.kind == "bool":
        return ["Có", "Không"]
    return []


def write_template(target: IO[bytes] | str) -> None:
    book = xlsx.StreamingWorkbook(target)
    values = {(s.key, c.key): column_values(c) for s in SHEETS for c in s.columns}
    # The catalog sheet's columns (header, values), one per distinct list, and the
    # range each catalog column of the data sheets takes its drop-down list from.
    columns: list[tuple[str, tuple]] = []
    lists: dict[tuple, str] = {}
    for sheet in SHEETS:
        for column in sheet.columns:
            key = tuple(values[sheet.key, column.key])
            if key and not column.readonly and key not in lists:
                letter = xlsx.column_letter(len(columns))
                lists[key] = f"'{CATALOG_TITLE}'!${letter}$2:${letter}${len(key) + 1}"
                columns.append((column.header, key))
    _write_guide(book, values)
    for sheet in SHEETS:
        _write_sheet(
            book, sheet, [lists.get(tuple(values[sheet.key, c.key])) for c in sheet.columns]
        )
    catalog = book.add_sheet(CATALOG_TITLE, [max(12, min(40, len(h) + 4)) for h, _v in columns])
    catalog.write_row([header for header, _values in columns], [xlsx.HEADER] * len(columns))
    for row in range(max((len(v) for _h, v in columns), default=0)):
        catalog.write_row([items[row] if row < len(items) else None for _h, items in columns])
    book.close()


def _write_sheet(book: xlsx.StreamingWorkbook, sheet: Sheet, sources: list[str | None]) -> None:
    widths = [max(12, min(40, len(c.header) + 4)) for c in sheet.columns]
    styles = [xlsx.TEXT if c.kind in TEXT_KINDS or c.readonly else None for c in sheet.columns]
    ws = book.add_sheet(sheet.title, widths, styles)
    ws.write_row([c.header for c in sheet.columns],
                 [xlsx.READONLY_HEADER if c.readonly else xlsx.HEADER for c in sheet.columns])  # fmt: skip
    for index, (column, source) in enumerate(zip(sheet.columns, sources, strict=True)):
        if source and not column.readonly:
            letter = xlsx.column_letter(index)
            ws.add_list_validation(
                f"{letter}2:{letter}{VALIDATED_ROWS + 1}", source,
                title=_("Giá trị ngoài danh mục"),
                message=_("Hãy chọn một giá trị trong danh sách."),
            )  # fmt: skip


def _write_guide(book: xlsx.StreamingWorkbook, values: dict[tuple, list[str]]) -> None:
    headers = ["Sheet", "Cột", "Ý nghĩa", "Kiểu dữ liệu", "Bắt buộc", "Giá trị cho phép", "Ví dụ"]
    ws = book.add_sheet(GUIDE_TITLE, [18, 30, 60, 30, 10, 50, 24], freeze_rows=0)
    ws.write_row(headers, [xlsx.HEADER] * len(headers))
    ws.write_row([_("Gói dữ liệu canbo: mỗi sheet một loại hồ sơ; dòng 1 là tiêu đề cột. "
                    "Nhập xong, dùng “Nhập dữ liệu” (hoặc lệnh canbo import) để kiểm "
                    "tra thử trước khi ghi.")])  # fmt: skip
    for sheet in SHEETS:
        ws.write_row([])
        ws.write_row([sheet.title, None, sheet.help or "", None, None,
                      _("Khóa nhận dạng: %(k)s") % {"k": sheet.natural_key}],
                     [xlsx.HEADER, None, None, None, None, None])  # fmt: skip
        for column in sheet.columns:
            allowed = values[sheet.key, column.key]
            meaning = column.help or ""
            if column.readonly:
                meaning = (meaning + " " + _("Do hệ thống tính; bỏ qua khi nhập.")).strip()
            ws.write_row([sheet.title, column.header, meaning,
                          KIND_TEXT[column.kind] if not column.readonly else _("Chỉ đọc"),
                          "Có" if column.required else "",
                          "; ".join(allowed) if column.kind != "ethnicity" else _("Danh mục 54 dân tộc"),
                          column.example])  # fmt: skip
