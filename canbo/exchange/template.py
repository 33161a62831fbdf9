"""The empty data package: headers, lists for catalog columns, and a guide sheet."""

from __future__ import annotations

from typing import IO

from django.utils.translation import gettext as _

from canbo.people.models import Ethnicity

from .exporter import XlsxPackageWriter
from .spec import CATALOG_TITLE, GUIDE_TITLE, SHEETS, Column

# Rows of each sheet that get the drop-down lists.
VALIDATED_ROWS = 5000

KIND_TEXT = {
    "text": "Chữ",
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
    writer = XlsxPackageWriter(target)
    wb = writer.workbook
    guide = wb.add_worksheet(GUIDE_TITLE)
    sheets = [(sheet, writer.add_sheet(sheet)) for sheet in SHEETS]
    catalog = wb.add_worksheet(CATALOG_TITLE)
    lists: dict[tuple, str] = {}
    next_col = 0
    for sheet, ws in sheets:
        for index, column in enumerate(sheet.columns):
            values = column_values(column)
            if not values or column.readonly:
                continue
            key = tuple(values)
            if key not in lists:
                catalog.write_string(0, next_col, column.header, writer.header)
                for row, value in enumerate(values, start=1):
                    catalog.write_string(row, next_col, value)
                letter = _col_letter(next_col)
                lists[key] = f"='{CATALOG_TITLE}'!${letter}$2:${letter}${len(values) + 1}"
                next_col += 1
            ws.data_validation(
                1, index, VALIDATED_ROWS, index,
                {"validate": "list", "source": lists[key], "error_type": "warning",
                 "error_title": _("Giá trị ngoài danh mục"),
                 "error_message": _("Hãy chọn một giá trị trong danh sách.")},
            )  # fmt: skip
    _write_guide(writer, guide)
    writer.close()


def _col_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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
