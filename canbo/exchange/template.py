"""The empty data package: headers, lists for catalog columns, and a guide sheet."""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.people.models import Ethnicity

from .exporter import TEXT_KINDS
from .spec import CATALOG_TITLE, GUIDE_TITLE, SHEETS, Column, Sheet
from .xlsx import column_letter

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


class XlsxPackageWriter:
    """The template workbook (XlsxWriter: it needs drop-down lists); exports use `xlsx`."""

    def __init__(self, target: IO[bytes] | str, *, created: dt.datetime | None = None):
        import xlsxwriter

        self.workbook = xlsxwriter.Workbook(
            target,
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "in_memory": False,
            },
        )
        if created is not None:
            self.workbook.set_properties(
                {"created": timezone.make_naive(created) if timezone.is_aware(created) else created}
            )
        wb = self.workbook
        self.header = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                     "valign": "top"})  # fmt: skip
        self.readonly_header = wb.add_format({"bold": True, "bg_color": "#EDEDED", "border": 1,
                                              "italic": True, "text_wrap": True, "valign": "top"})  # fmt: skip
        self.text = wb.add_format({"num_format": "@"})

    def add_sheet(self, sheet: Sheet):
        ws = self.workbook.add_worksheet(sheet.title)
        for index, column in enumerate(sheet.columns):
            width = max(12, min(40, len(column.header) + 4))
            fmt = self.text if column.kind in TEXT_KINDS or column.readonly else None
            ws.set_column(index, index, width, fmt)
            ws.write_string(0, index, column.header, self.readonly_header if column.readonly else self.header)
        ws.freeze_panes(1, 0)
        return ws

    def close(self) -> None:
        self.workbook.close()


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
    writer = XlsxPackageWriter(target)
    wb = writer.workbook
    guide = wb.add_worksheet(GUIDE_TITLE)
    sheets = [(sheet, writer.add_sheet(sheet)) for sheet in SHEETS]
    catalog = wb.add_worksheet(CATALOG_TITLE)
    lists: dict[tuple, str] = {}
    columns: list[tuple[str, tuple]] = []  # the catalog sheet's columns: header, values
    for sheet, ws in sheets:
        for index, column in enumerate(sheet.columns):
            values = column_values(column)
            if not values or column.readonly:
                continue
            key = tuple(values)
            if key not in lists:
                letter = column_letter(len(columns))
                lists[key] = f"='{CATALOG_TITLE}'!${letter}$2:${letter}${len(values) + 1}"
                columns.append((column.header, key))
            ws.data_validation(
                1, index, VALIDATED_ROWS, index,
                {"validate": "list", "source": lists[key], "error_type": "warning",
                 "error_title": _("Giá trị ngoài danh mục"),
                 "error_message": _("Hãy chọn một giá trị trong danh sách.")},
            )  # fmt: skip
    # Row by row: in constant-memory mode a row is final once a later one is written.
    for index, (header, _values) in enumerate(columns):
        catalog.write_string(0, index, header, writer.header)
    for row in range(1, max((len(v) for _h, v in columns), default=0) + 1):
        for index, (_header, values) in enumerate(columns):
            if row <= len(values):
                catalog.write_string(row, index, values[row - 1])
    _write_guide(writer, guide)
    writer.close()


def _write_guide(writer: XlsxPackageWriter, ws) -> None:
    headers = ["Sheet", "Cột", "Ý nghĩa", "Kiểu dữ liệu", "Bắt buộc", "Giá trị cho phép", "Ví dụ"]
    widths = [18, 30, 60, 30, 10, 50, 24]
    for index, (header, width) in enumerate(zip(headers, widths, strict=True)):
        ws.set_column(index, index, width)
        ws.write_string(0, index, header, writer.header)
    row = 1
    ws.write_string(row, 0, _("Gói dữ liệu canbo: mỗi sheet một loại hồ sơ; dòng 1 là tiêu đề cột. "
                              "Nhập xong, dùng “Nhập dữ liệu” (hoặc lệnh canbo import) để kiểm "
                              "tra thử trước khi ghi."))  # fmt: skip
    row += 1
    for sheet in SHEETS:
        row += 1
        ws.write_string(row, 0, sheet.title, writer.header)
        ws.write_string(row, 2, sheet.help or "")
        ws.write_string(row, 5, _("Khóa nhận dạng: %(k)s") % {"k": sheet.natural_key})
        for column in sheet.columns:
            row += 1
            values = column_values(column)
            meaning = column.help or ""
            if column.readonly:
                meaning = (meaning + " " + _("Do hệ thống tính; bỏ qua khi nhập.")).strip()
            cells = [sheet.title, column.header, meaning, KIND_TEXT[column.kind] if not column.readonly
                     else _("Chỉ đọc"), "Có" if column.required else "",
                     "; ".join(values) if column.kind != "ethnicity" else _("Danh mục 54 dân tộc"),
                     column.example]  # fmt: skip
            for index, value in enumerate(cells):
                if value:
                    ws.write_string(row, index, value)
