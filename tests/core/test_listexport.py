"""The one list-export path: the sheet's head, rows, dates, print setup and file name."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from canbo.core import listexport
from canbo.core.listexport import Column

ON = dt.date(2026, 12, 4)


def written(rows, count=None, **kwargs):
    handle = io.BytesIO()
    rows = list(rows)
    n = listexport.write_list(
        handle, title=kwargs.pop("title", "Danh sách — Giới tính: Nữ"),
        columns=[Column("Họ và tên", 20), Column("Ngày sinh", 12), Column("Số", 8)],
        rows=iter(rows), count=len(rows) if count is None else count, on=ON, **kwargs,
    )  # fmt: skip
    return n, openpyxl.load_workbook(io.BytesIO(handle.getvalue()))


def test_the_head_the_rows_and_the_print_setup():
    n, book = written([["=A", dt.date(1980, 3, 2), 3], ["Bình", "1985", None]])
    assert n == 2
    sheet = book["Danh sách"]
    assert list(sheet.iter_rows(values_only=True)) == [
        ("Danh sách — Giới tính: Nữ", None, None, None),
        ("Ngày xuất: 04/12/2026 · 2 dòng", None, None, None),
        ("STT", "Họ và tên", "Ngày sinh", "Số"),
        (1, "=A", dt.datetime(1980, 3, 2), 3),
        (2, "Bình", "1985", None),
    ]
    assert sheet["A1"].font.b and sheet["A1"].font.sz == 14
    assert sheet["A2"].font.i
    assert all(c.font.b and c.border.left.style == "thin" for c in sheet[3])
    assert (sheet["B4"].data_type, sheet["B4"].quotePrefix) == ("s", True)
    assert sheet["C4"].number_format == "DD/MM/YYYY"
    assert [sheet.column_dimensions[c].width for c in "ABCD"] == [6, 20, 12, 8]
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$1:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True


def test_no_rows_and_large_counts():
    n, book = written([], count=0, sheet_title="Nhật ký")
    assert n == 0
    assert [r[0] for r in book["Nhật ký"].iter_rows(values_only=True)] == [
        "Danh sách — Giới tính: Nữ", "Ngày xuất: 04/12/2026 · 0 dòng", "STT",
    ]  # fmt: skip
    assert listexport.export_line(ON, 1234567) == "Ngày xuất: 04/12/2026 · 1.234.567 dòng"


def test_titles_cells_and_names():
    assert listexport.list_title("Danh sách cán bộ") == "Danh sách cán bộ"
    assert listexport.list_title(
        "Danh sách cán bộ", [("Đơn vị", "Tỉnh ủy A"), ("Tuổi từ", ""), ("Giới tính", "Nữ")]
    ) == "Danh sách cán bộ — Đơn vị: Tỉnh ủy A; Giới tính: Nữ"
    assert listexport.day_cell(dt.date(1980, 3, 2)) == dt.date(1980, 3, 2)
    assert listexport.day_cell(dt.date(1980, 3, 1), "M") == "03/1980"
    assert listexport.day_cell(dt.date(1980, 1, 1), "Y") == "1980"
    assert listexport.day_cell(None) is None
    assert (listexport.yes_no(True), listexport.yes_no(False), listexport.yes_no(None)) == (
        "Có", "Không", "",
    )  # fmt: skip
    assert listexport.ascii_stem("Danh sách cán bộ") == "danh-sach-can-bo"
    assert listexport.ascii_stem("Vị trí chức danh và người giữ ĐU-01") == (
        "vi-tri-chuc-danh-va-nguoi-giu-du-01"
    )
    assert listexport.ascii_stem("— ") == "danh-sach"


def test_the_download():
    response = listexport.download(io.BytesIO(b"x"), name="Danh sách cán bộ", on=ON)
    assert response["Content-Disposition"] == (
        'attachment; filename="danh-sach-can-bo-2026-12-04.xlsx"'
    )
    assert response["Content-Type"] == listexport.XLSX
    assert response["Cache-Control"] == "no-store"
    refused = listexport.refused([("Ngày", "Sai."), ("", "Tham số lạ.")])
    assert refused.status_code == 400
    assert refused.content.decode() == (
        "Bộ lọc chưa hợp lệ, chưa xuất được danh sách:\nNgày: Sai.\nTham số lạ.\n"
    )


def test_a_list_longer_than_a_worksheet_goes_on_over_the_next_sheets(monkeypatch):
    monkeypatch.setattr(listexport, "SHEET_ROWS", 2)
    n, book = written([[f"Người {i}", None, i] for i in range(1, 6)])
    assert n == 5
    assert book.sheetnames == ["Danh sách", "Danh sách (2)", "Danh sách (3)"]
    assert [list(s.iter_rows(values_only=True)) for s in book] == [
        [("Danh sách — Giới tính: Nữ", None, None, None),
         ("Ngày xuất: 04/12/2026 · 5 dòng", None, None, None),
         ("STT", "Họ và tên", "Ngày sinh", "Số"),
         (1, "Người 1", None, 1), (2, "Người 2", None, 2)],
        [("Danh sách — Giới tính: Nữ (tiếp theo)", None, None, None),
         ("Ngày xuất: 04/12/2026 · 5 dòng", None, None, None),
         ("STT", "Họ và tên", "Ngày sinh", "Số"),
         (3, "Người 3", None, 3), (4, "Người 4", None, 4)],
        [("Danh sách — Giới tính: Nữ (tiếp theo)", None, None, None),
         ("Ngày xuất: 04/12/2026 · 5 dòng", None, None, None),
         ("STT", "Họ và tên", "Ngày sinh", "Số"),
         (5, "Người 5", None, 5)],
    ]  # fmt: skip
    assert all((s.freeze_panes, s.print_title_rows) == ("A4", "$1:$3") for s in book)


def test_a_full_worksheet_takes_no_second_sheet(monkeypatch):
    monkeypatch.setattr(listexport, "SHEET_ROWS", 2)
    n, book = written([["An", None, 1], ["Bình", None, 2]])
    assert (n, book.sheetnames) == (2, ["Danh sách"])


def test_the_real_limit_is_excels():
    assert listexport.HEAD_ROWS + listexport.SHEET_ROWS == 1_048_576
