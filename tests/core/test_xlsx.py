"""The shared XLSX writer: cells, styles, sheets, and text that never becomes a formula."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from canbo.core import xlsx

FORMULA_LIKE = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\t=1", "\r=1", "\n=1",
                "\uff1d1+1", "\uff0b1", "\uff0d1", "\uff201"]  # fmt: skip
ORDINARY = ["Nguyễn Văn An", "1=1", " =1", "a-b", "'=1"]


def write(path, rows, *, styles=None, **sheet_options):
    book = xlsx.StreamingWorkbook(str(path))
    extra = [book.style(style) for style in styles or []]
    sheet = book.add_sheet("Trang", [12, 20, 20, 20, 20], **sheet_options)
    for row in rows:
        sheet.write_row(*row(extra) if callable(row) else (row,))
    book.close()
    return openpyxl.load_workbook(path)["Trang"]


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_is_quoted_text_in_every_style(tmp_path, text):
    custom = xlsx.Style(font="Times New Roman", bold=True, wrap=True, horizontal="center")
    sheet = write(
        tmp_path / "a.xlsx",
        [lambda extra: ([text] * 5, [None, xlsx.PLAIN, xlsx.HEADER, xlsx.TEXT, extra[0]])],
        styles=[custom],
    )
    cells = list(sheet.iter_rows())[0]
    # XML readers take a carriage return for a line feed.
    assert [c.value for c in cells] == [text.replace("\r", "\n")] * 5
    assert [c.data_type for c in cells] == ["s"] * 5
    assert [c.quotePrefix for c in cells] == [True] * 5
    # The quoted twin keeps the look of the style it stands for.
    assert cells[2].font.b and cells[2].fill.fgColor.rgb == "FFDDEBF7"
    assert cells[4].font.name == "Times New Roman" and cells[4].alignment.horizontal == "center"
    assert cells[3].number_format == "@"


def test_ordinary_text_is_not_quoted(tmp_path):
    sheet = write(tmp_path / "a.xlsx", [ORDINARY])
    cells = list(sheet.iter_rows())[0]
    assert [c.value for c in cells] == ORDINARY
    assert [c.quotePrefix for c in cells] == [False] * len(ORDINARY)
    assert (
        xlsx.is_formula_like("=1")
        and not xlsx.is_formula_like("")
        and not xlsx.is_formula_like("a")
    )


def test_numbers_booleans_and_dates(tmp_path):
    sheet = write(
        tmp_path / "a.xlsx", [[-5, 2.5, Decimal("7.25"), True, dt.date(2025, 12, 15), None, ""]]
    )
    cells = list(sheet.iter_rows())[0]
    assert [c.value for c in cells[:5]] == [-5, 2.5, 7.25, True, dt.datetime(2025, 12, 15)]
    assert [c.data_type for c in cells[:5]] == ["n", "n", "n", "b", "d"]
    assert cells[4].number_format == "DD/MM/YYYY"
    assert sheet.max_column == 5  # None and "" leave the cell out


@pytest.mark.parametrize(
    "value, error",
    [(float("nan"), ValueError), (float("inf"), ValueError), (Decimal("NaN"), ValueError),
     (dt.datetime(2025, 1, 1, 8), TypeError), (object(), TypeError), (b"=1", TypeError)],
)  # fmt: skip
def test_values_a_cell_cannot_hold_are_refused(tmp_path, value, error):
    book = xlsx.StreamingWorkbook(str(tmp_path / "a.xlsx"))
    sheet = book.add_sheet("Trang", [10])
    with pytest.raises(error):
        sheet.write_row([value])
    book.close()


def test_control_characters_spaces_and_escapes_survive(tmp_path):
    """As the importer (python-calamine) reads them back: the same text."""
    texts = ["A\x07B\x1b", " cách ", "dòng 1\ndòng 2", "a<b&c>", "x_x0041_y", "_x005F_"]
    write(tmp_path / "a.xlsx", [texts])
    assert CalamineWorkbook.from_path(str(tmp_path / "a.xlsx")).get_sheet_by_name(
        "Trang"
    ).to_python() == [texts]


def test_frozen_rows_widths_and_column_styles(tmp_path):
    sheet = write(
        tmp_path / "a.xlsx", [["x"]], freeze_rows=7, column_styles=[xlsx.TEXT] + [None] * 4
    )
    assert sheet.freeze_panes == "A8"
    assert sheet.column_dimensions["A"].width == 12
    assert sheet.column_dimensions["B"].width == 20
    assert sheet.column_dimensions["A"].number_format == "@"
    assert write(tmp_path / "b.xlsx", [["x"]], freeze_rows=0).freeze_panes is None
    assert write(tmp_path / "c.xlsx", [["x"]]).freeze_panes == "A2"


def test_rows_wider_than_the_widths_given(tmp_path):
    book = xlsx.StreamingWorkbook(str(tmp_path / "a.xlsx"))
    book.add_sheet("Trang", []).write_row(list(range(30)))
    book.close()
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx")["Trang"]
    assert [c.value for c in list(sheet.iter_rows())[0]] == list(range(30))
    assert sheet["AD1"].value == 29


def test_list_validation(tmp_path):
    book = xlsx.StreamingWorkbook(str(tmp_path / "a.xlsx"))
    sheet = book.add_sheet("Cán bộ", [12, 12])
    sheet.write_row(["Giới tính"])
    sheet.add_list_validation("A2:A5001", "='Danh mục'!$A$2:$A$3", title="Giá trị ngoài danh mục",
                              message="Hãy chọn một giá trị trong danh sách.")  # fmt: skip
    catalog = book.add_sheet("Danh mục", [12])
    for value in ("Giới tính", "Nam", "Nữ"):
        catalog.write_row([value])
    book.close()
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx")["Cán bộ"]
    (rule,) = ws.data_validations.dataValidation
    assert (rule.type, rule.errorStyle, str(rule.sqref)) == ("list", "warning", "A2:A5001")
    assert rule.formula1 == "'Danh mục'!$A$2:$A$3"
    assert (rule.errorTitle, rule.error) == ("Giá trị ngoài danh mục", "Hãy chọn một giá trị trong danh sách.")  # fmt: skip


def test_sheet_order_and_names(tmp_path):
    book = xlsx.StreamingWorkbook(str(tmp_path / "a.xlsx"))
    book.add_sheet("Hai", [10]).write_row(["2"])
    book.add_sheet("Một", [10], position=0).write_row(["1"])
    for bad in ("", "x" * 32, "a/b", "a[b]", "a:b", "'a", "hai"):
        with pytest.raises(ValueError):
            book.add_sheet(bad, [10])
    book.close()
    assert openpyxl.load_workbook(tmp_path / "a.xlsx").sheetnames == ["Một", "Hai"]


def test_styles_are_added_once_and_written_once(tmp_path):
    book = xlsx.StreamingWorkbook(str(tmp_path / "a.xlsx"))
    bold = xlsx.Style(font="Times New Roman", bold=True)
    first = book.style(bold)
    assert (
        book.style(xlsx.Style(font="Times New Roman", bold=True)) == first == len(xlsx.BASE_STYLES)
    )
    assert book.quoted(first) == book.quoted(first) != first
    assert book.styles[book.quoted(first)] == xlsx.Style(font="Times New Roman", bold=True, quote_prefix=True)  # fmt: skip
    book.add_sheet("Trang", [10]).write_row(["=1"], [first])
    book.close()
    styles = zipfile.ZipFile(tmp_path / "a.xlsx").read("xl/styles.xml").decode()
    assert styles.count('<name val="Times New Roman"/>') == 1
    assert styles.count('quotePrefix="1"') == 1


def test_a_full_worksheet_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    book = xlsx.StreamingWorkbook(str(tmp_path / "a.xlsx"))
    sheet = book.add_sheet("Trang", [10])
    for n in range(3):
        sheet.write_row([n])
    with pytest.raises(ValueError, match="worksheet full"):
        sheet.write_row([4])
    book.close()


def test_print_setup(tmp_path):
    """Landscape A4 fit to one page wide, the first rows repeated on every printed page."""
    book = xlsx.StreamingWorkbook(str(tmp_path / "a.xlsx"))
    book.add_sheet("Khác", [10]).write_row(["x"])
    setup = xlsx.PrintSetup(title_rows=3)
    sheet = book.add_sheet("Danh sách d'x", [10, 10], freeze_rows=3, print_setup=setup, position=0)
    for n in range(5):
        sheet.write_row(["=1", n])
    book.add_sheet("Dọc", [10], print_setup=xlsx.PrintSetup(landscape=False, fit_to_width=False))
    book.close()
    wb = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert wb.sheetnames == ["Danh sách d'x", "Khác", "Dọc"]
    ws = wb["Danh sách d'x"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$1:$3"
    assert ws.freeze_panes == "A4"
    assert ws["A1"].quotePrefix and ws["A1"].value == "=1" and ws["A1"].data_type == "s"
    plain = wb["Khác"]
    assert plain.print_title_rows is None
    assert not plain.sheet_properties.pageSetUpPr.fitToPage
    assert plain.page_setup.orientation is None
    upright = wb["Dọc"]
    assert upright.page_setup.orientation == "portrait"
    assert upright.page_setup.fitToWidth is None
    assert not upright.sheet_properties.pageSetUpPr.fitToPage
    assert upright.print_title_rows is None
    workbook = zipfile.ZipFile(tmp_path / "a.xlsx").read("xl/workbook.xml").decode()
    assert workbook.count("<definedName ") == 1
    assert "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'Danh sách d''x'!$1:$3" in workbook  # fmt: skip
    with pytest.raises(ValueError):
        xlsx.PrintSetup(title_rows=-1)


def test_repeated_text_is_written_alike_and_formula_like_text_stays_quoted(tmp_path, monkeypatch):
    """Text cells' endings are remembered per column (up to a cap): a value written the
    thousandth time, or past the cap, reads exactly like its first time, quote prefix and
    all, and a remembered value in one column does not leak its style into another."""
    monkeypatch.setattr(xlsx, "TAILS_PER_COLUMN", 3)
    path = tmp_path / "a.xlsx"
    book = xlsx.StreamingWorkbook(str(path))
    sheet = book.add_sheet("Trang", [12, 12, 12])
    rows = [["=1+1", "a", 5], ["=1+1", "a", None], ["b", "=1+1", "c"]]
    rows += [[f"v{i}", "=1+1" if i % 2 else "-x", "a"] for i in range(10)] * 2
    for row in rows:
        sheet.write_row(row)
    book.close()
    ws = openpyxl.load_workbook(path)["Trang"]
    values = [[c.value for c in r] for r in ws.iter_rows()]
    assert values == [[v for v in row] for row in rows]
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                assert cell.quotePrefix is xlsx.is_formula_like(cell.value), cell.coordinate
                assert cell.number_format == "@"
    assert len(sheet.tails) == 0  # forgotten once the sheet is closed


def test_parts_are_deflated_with_isal(tmp_path):
    """The worksheets go through ISA-L's deflate (python-isal), not zlib: if a Python upgrade
    renamed the ZIP writer's compressor, this fails instead of the export slowing down."""
    book = xlsx.StreamingWorkbook(str(tmp_path / "a.xlsx"))
    sheet = book.add_sheet("Trang", [12])
    sheet.write_row(["x"])
    book.close()
    assert type(sheet.part._compressor).__module__.startswith("isal")
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
        assert archive.testzip() is None
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        assert info.compress_type == zipfile.ZIP_DEFLATED
    assert CalamineWorkbook.from_path(str(tmp_path / "a.xlsx")).get_sheet_by_name("Trang").to_python() == [["x"]]


@pytest.mark.parametrize("compressed_source", [True, False])
def test_a_copied_worksheet_reads_the_same_and_a_deflated_one_is_copied_verbatim(tmp_path,
                                                                               compressed_source):  # fmt: skip
    """A helper's worksheet copied into the package (ADR 0022): deflated, its bytes are taken
    as they are (not inflated and deflated again) with the source's size and CRC; stored,
    it is deflated on the way. Either way the package passes the ZIP check and reads the
    same, next to a sheet of its own, in the tab order asked for."""
    source_path = tmp_path / "helper.xlsx"
    helper = xlsx.StreamingWorkbook(str(source_path), compress=compressed_source)
    sheet = helper.add_sheet("Của phụ", [12, 12])
    rows = [[f"Nguyễn Văn {n}", n] for n in range(20_000)] + [["=1+1", 2]]
    for row in rows:
        sheet.write_row(row)
    helper.close()
    book = xlsx.StreamingWorkbook(str(tmp_path / "package.xlsx"))
    for style in helper.styles:  # the same styles, numbered alike (as package_workbook does)
        book.style(style)
    assert book.styles == helper.styles
    book.add_sheet("Của mình", [12]).write_row(["a"])
    with zipfile.ZipFile(source_path) as source:
        book.copy_sheet("Của phụ", source, sheet.part_name)
        book.arrange(["Của phụ", "Của mình"])
        book.close()
        original = source.getinfo(sheet.part_name)
        with open(source_path, "rb") as handle:  # the member's bytes as stored in the source
            handle.seek(original.header_offset + 26)
            name_length, extra_length = int.from_bytes(handle.read(2), "little"), int.from_bytes(handle.read(2), "little")
            handle.seek(original.header_offset + 30 + name_length + extra_length)
            source_bytes = handle.read(original.compress_size)
    with zipfile.ZipFile(tmp_path / "package.xlsx") as package:
        assert package.testzip() is None
        copied = package.getinfo("xl/worksheets/sheet2.xml")
        assert (copied.compress_type, copied.CRC, copied.file_size) == (
            zipfile.ZIP_DEFLATED, original.CRC, original.file_size)
        with open(tmp_path / "package.xlsx", "rb") as handle:
            handle.seek(copied.header_offset + 26)
            name_length, extra_length = int.from_bytes(handle.read(2), "little"), int.from_bytes(handle.read(2), "little")
            handle.seek(copied.header_offset + 30 + name_length + extra_length)
            copied_bytes = handle.read(copied.compress_size)
        assert (copied_bytes == source_bytes) is compressed_source
    read = CalamineWorkbook.from_path(str(tmp_path / "package.xlsx"))
    assert read.sheet_names == ["Của phụ", "Của mình"]
    assert read.get_sheet_by_name("Của phụ").to_python() == [[text, float(n)] for text, n in rows]
    assert openpyxl.load_workbook(tmp_path / "package.xlsx")["Của phụ"]["A20001"].quotePrefix is True


def test_an_error_on_the_writing_thread_is_raised_to_the_caller(tmp_path):
    class Full:
        def write(self, data):
            raise OSError("disk full")

        def tell(self):
            return 0

        def flush(self):
            pass

    book = xlsx.StreamingWorkbook(Full())
    sheet = book.add_sheet("Trang", [12])
    with pytest.raises(OSError, match="disk full"):
        for _ in range(100_000):
            sheet.write_row(["x" * 100])
        book.close()


def test_merged_cells_row_heights_blank_styled_cells_and_indent(tmp_path):
    """A report form's head: a group's label merged across its columns, a column without a
    group merged over both header rows; the covered cells keep the border (BLANK)."""
    book = xlsx.StreamingWorkbook(str(tmp_path / "a.xlsx"))
    boxed = book.style(xlsx.Style(bold=True, border=True, wrap=True, horizontal="center"))
    part = book.style(xlsx.Style(indent=2))
    sheet = book.add_sheet("Biểu", [20, 8, 8, 8], freeze_rows=2,
                           print_setup=xlsx.PrintSetup(title_rows=2))  # fmt: skip
    sheet.merge("A1:A2")  # before its rows are written
    sheet.write_row(["=Chỉ tiêu", "Giới tính", xlsx.BLANK, "Tổng"], [boxed] * 4, height=30)
    sheet.write_row([xlsx.BLANK, "Nữ", "Tỷ lệ", xlsx.BLANK], [boxed] * 4)
    sheet.write_row(["Cấp xã", 3, xlsx.BLANK, None], [part, None, None, None])
    sheet.write_row([xlsx.BLANK, "x"])  # no style: nothing written for it
    sheet.merge("B1:C1")
    sheet.merge("D1:D2")
    sheet.add_list_validation("B3:B9", "'Biểu'!$A$1:$A$2")
    for bad in ("A1", "A1:A1", "a1:b1", "B1:A1", "A2:A1", "A0:B1", "XFE1:XFE2", "C1:D1",
                "A2:B5"):  # fmt: skip
        with pytest.raises(ValueError):
            sheet.merge(bad)
    book.close()
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx")["Biểu"]
    assert sorted(str(r) for r in ws.merged_cells.ranges) == ["A1:A2", "B1:C1", "D1:D2"]
    assert ws["A1"].value == "=Chỉ tiêu" and ws["A1"].quotePrefix and ws["A1"].data_type == "s"
    assert ws["B1"].value == "Giới tính" and ws["B1"].alignment.horizontal == "center"
    # The covered cells carry the border of the range.
    assert all(ws[ref].border.right.style == "thin" for ref in ("C1", "A2", "D2"))
    assert ws.row_dimensions[1].height == 30 and ws.row_dimensions[1].customHeight
    assert ws.row_dimensions[2].height is None
    assert ws["A3"].alignment.indent == 2 and ws["B3"].value == 3
    assert ws["B4"].value == "x" and ws["A4"].value is None and not ws["A4"].has_style
    # The schema's order: sheetData, mergeCells, dataValidations, pageMargins, pageSetup.
    part = zipfile.ZipFile(tmp_path / "a.xlsx").read("xl/worksheets/sheet1.xml").decode()
    tags = ["</sheetData>", '<mergeCells count="3">', "<dataValidations ", "<pageMargins ",
            "<pageSetup "]  # fmt: skip
    positions = [part.index(tag) for tag in tags]
    assert positions == sorted(positions)
    assert '<mergeCell ref="A1:A2"/><mergeCell ref="B1:C1"/><mergeCell ref="D1:D2"/>' in part
    other = xlsx.StreamingWorkbook(str(tmp_path / "b.xlsx"))
    with pytest.raises(ValueError, match="row height"):
        other.add_sheet("T", [5]).write_row(["a"], height=0)
    other.close()


def test_column_index_is_the_inverse_of_column_letter():
    for index in (0, 25, 26, 701, 702, 16_383):
        assert xlsx.column_index(xlsx.column_letter(index)) == index
    assert xlsx.column_letter(16_383) == "XFD"
