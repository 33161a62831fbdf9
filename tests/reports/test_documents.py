"""Report forms as files: TK-CB of the test province (TU, 04/12/2026) as XLSX in the
printed layout, DOCX in the official format and PDF, each read back; LibreOffice opens
them; any FormSpec renders."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.core.management import call_command
from docx.enum.section import WD_ORIENT

from canbo.core import officepdf
from canbo.reports import documents
from canbo.reports.forms import FORMS, form_named
from canbo.reports.selectors import report_for
from canbo.reports.spec import RATIO, SHARE, Column, FormSpec, Report, Row

from . import province
from .province import NOW

pytestmark = pytest.mark.django_db

FORM = form_named("TK-CB")
HAS_SOFFICE = shutil.which("soffice") is not None
POPULATION = ("Đối tượng thống kê: Người giữ chức vụ chính (không tính kiêm nhiệm) tại ngày chốt "
              "số liệu, ở các đơn vị có hiệu lực tại ngày đó; mỗi người tính một lần.")  # fmt: skip
NARRATIVE = ("Tại ngày 04/12/2026, tổng số cán bộ giữ chức vụ là 5 người; nữ 2 người (40,00%); "
             "người dân tộc thiểu số 1 người (20,00%); đảng viên 4 người (80,00%).")  # fmt: skip
NOTES = ["1. Các tỷ lệ tính từ số người, làm tròn 2 chữ số thập phân.",
         "2. Dân tộc, tôn giáo, trình độ lấy theo hồ sơ hiện tại của từng người."]  # fmt: skip


@pytest.fixture
def report(world):
    province.build(world)
    return report_for(FORM, unit=world.tu, on=NOW)


def sheet_of(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))["TK-CB"]


def bold(cell) -> bool:
    return all(run.bold for run in cell.paragraphs[0].runs if run.text)


def values(ws, row: int) -> list:
    return [cell.value for cell in ws[row]]


# --- XLSX -----------------------------------------------------------------------------------


def test_xlsx_in_the_printed_layout(report):
    ws = sheet_of(documents.render(report, "xlsx"))
    assert [ws[f"A{n}"].value for n in range(1, 6)] == [
        "Mẫu TK-CB", "THỐNG KÊ SỐ LƯỢNG, CHẤT LƯỢNG ĐỘI NGŨ CÁN BỘ", "Tỉnh ủy Thử Nghiệm",
        "Số liệu tại ngày 04/12/2026", POPULATION,
    ]  # fmt: skip
    assert ws["A2"].font.b and ws["A2"].font.sz == 14 and ws["A2"].font.name == "Times New Roman"
    assert sorted(map(str, ws.merged_cells.ranges)) == sorted([
        "A2:X2", "A3:X3", "A4:X4", "A5:X5",  # the title rows across the table
        "A6:A7", "B6:B7",  # no group: over both header rows
        "C6:D6", "E6:F6", "H6:L6", "M6:P6", "Q6:S6", "T6:V6", "W6:X6",  # the groups
        "A16:X16", "A17:X17",  # the notes
    ])  # fmt: skip
    assert values(ws, 6)[:8] == ["Chỉ tiêu", "Tổng số cán bộ", "Giới tính", None, "Dân tộc",
                                 None, "Tôn giáo", "Độ tuổi"]  # fmt: skip
    assert values(ws, 7)[:8] == [None, None, "Nữ", "Tỷ lệ nữ (%)", "Dân tộc thiểu số",
                                 "Tỷ lệ (%)", "Có tôn giáo", "30 trở xuống"]  # fmt: skip
    assert ws["B7"].border.bottom.style == "thin"  # the covered cell keeps the box
    assert values(ws, 8) == [f"({n})" for n in range(1, 25)]
    total = values(ws, 9)
    assert total == ["Tổng số", 5, 2, 40, 1, 20, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 2, 1, 1, 1, 1, 1,
                     4, 80]  # fmt: skip
    assert all(cell.font.b for cell in ws[9])
    assert ws["D9"].data_type == "n" and ws["D9"].number_format == "0.00"
    assert ws["B9"].data_type == "n" and ws["B9"].number_format == "General"
    assert ws["A10"].value == "Trung ương" and ws["A10"].alignment.indent == 1
    assert not ws["B10"].font.b
    assert values(ws, 11)[:6] == ["Cấp tỉnh", 2, 1, 50, 1, 50]
    assert values(ws, 12)[:6] == ["Cấp huyện (trước 01/7/2025)", 0, 0, "—", 0, "—"]
    assert values(ws, 13)[:6] == ["Cấp xã", 3, 1, 33.33, 0, 0]
    assert ws["X13"].value == pytest.approx(66.67)
    assert values(ws, 14) == [None] * 24
    assert [ws[f"A{n}"].value for n in (15, 16, 17)] == ["Ghi chú:", *NOTES]
    assert ws.max_row == 17
    # A4 landscape, one page wide, the rows down to the column numbers on every page.
    assert (ws.page_setup.orientation, ws.page_setup.paperSize) == ("landscape", 9)
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$1:$8"
    assert ws.freeze_panes == "A9"


def test_command_writes_the_xlsx(report, tmp_path):
    target = tmp_path / "tk-cb.xlsx"
    out = io.StringIO()
    call_command("report", "TK-CB", "--unit", "TU", "--as-of", "2026-12-04", "--format", "xlsx",
                 "-o", str(target), stdout=out)  # fmt: skip
    assert out.getvalue() == f"Đã ghi {target}.\n"
    ws = sheet_of(target.read_bytes())
    assert ws["A3"].value == "Tỉnh ủy Thử Nghiệm"
    assert values(ws, 9)[:4] == ["Tổng số", 5, 2, 40]


def test_file_names(report):
    assert documents.filename(report, "xlsx") == "bao-cao-tk-cb-tu-2026-12-04.xlsx"
    everything = Report(FORM, None, dt.date(2026, 1, 9))
    assert documents.filename(everything, "pdf") == "bao-cao-tk-cb-toan-bo-2026-01-09.pdf"
    with pytest.raises(ValueError):
        documents.render(report, "odt")


# --- DOCX -----------------------------------------------------------------------------------


def test_docx_in_the_official_format(report):
    document = docx.Document(io.BytesIO(documents.render(report, "docx")))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    left, right = document.tables[0].rows[0].cells
    # TU is a root: no superior body above it.
    assert [p.text for p in left.paragraphs] == ["TỈNH ỦY THỬ NGHIỆM", "*", "Số      -BC/TU"]
    assert all(run.bold for run in left.paragraphs[0].runs if run.text)
    assert right.paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    (party,) = (run for run in right.paragraphs[0].runs if run.text)
    assert party.underline and party.bold and party.font.size.pt == 15
    date_line = right.paragraphs[-1]
    assert date_line.text == "Thử Nghiệm, ngày 04 tháng 12 năm 2026"
    assert all(run.italic for run in date_line.runs)
    texts = [p.text for p in document.paragraphs]
    start = texts.index("BÁO CÁO")
    assert texts[start:start + 6] == [
        "BÁO CÁO", "Thống kê số lượng, chất lượng đội ngũ cán bộ",
        "(Mẫu TK-CB; số liệu tại ngày 04/12/2026)", "-----", POPULATION, NARRATIVE,
    ]  # fmt: skip
    assert texts[texts.index("Ghi chú:") + 1:][:2] == NOTES

    table = document.tables[1]
    assert [r._tr.trPr is not None and r._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None
            for r in table.rows][:4] == [True, True, True, False]  # fmt: skip
    top, second, numbers = ([c.text for c in table.rows[n].cells] for n in range(3))
    assert top[:6] == ["Chỉ tiêu", "Tổng số cán bộ", "Giới tính", "Giới tính", "Dân tộc",
                       "Dân tộc"]  # fmt: skip
    assert second[:6] == ["Chỉ tiêu", "Tổng số cán bộ", "Nữ", "Tỷ lệ nữ (%)", "Dân tộc thiểu số",
                          "Tỷ lệ (%)"]  # fmt: skip
    assert table.rows[0].cells[2]._tc.grid_span == 2  # "Giới tính" over two columns
    assert table.rows[0].cells[7]._tc.grid_span == 5  # "Độ tuổi" over five
    assert table.rows[0].cells[0]._tc.vMerge == "restart"  # "Chỉ tiêu" over both rows
    assert numbers == [f"({n})" for n in range(1, 25)]
    rows = [[c.text for c in row.cells] for row in table.rows[3:]]
    assert rows[0] == ["Tổng số", "5", "2", "40,00", "1", "20,00", "1", "1", "1", "1", "1", "1",
                       "1", "1", "2", "1", "2", "1", "1", "1", "1", "1", "4", "80,00"]  # fmt: skip
    assert rows[3][:6] == ["Cấp huyện (trước 01/7/2025)", "0", "0", "—", "0", "—"]
    assert rows[4][-2:] == ["2", "66,67"]
    assert bold(table.rows[3].cells[1]) and bold(table.rows[3].cells[0])  # the total
    assert not bold(table.rows[4].cells[1])
    assert round(table.rows[4].cells[0].paragraphs[0].paragraph_format.left_indent.mm) == 3
    sign = document.tables[-1].rows[0].cells
    assert [p.text for p in sign[0].paragraphs] == ["Nơi nhận:", "- Lưu."]
    assert sign[1].paragraphs[0].text == "T/M TỈNH ỦY THỬ NGHIỆM"


def test_docx_of_a_commune_names_its_superior(world):
    province.build(world)
    commune = report_for(FORM, unit=world.xa, on=NOW)
    data = documents.render(commune, "docx", signed_on=dt.date(2026, 12, 7))
    document = docx.Document(io.BytesIO(data))
    left, right = document.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs] == ["TỈNH ỦY THỬ NGHIỆM", "ĐẢNG ỦY XÃ AN BÌNH", "*",
                                                 "Số      -BC/ĐU"]  # fmt: skip
    assert right.paragraphs[-1].text == "An Bình, ngày 07 tháng 12 năm 2026"
    sign = document.tables[-1].rows[0].cells
    assert [p.text for p in sign[0].paragraphs] == [
        "Nơi nhận:", "- Tỉnh ủy Thử Nghiệm (để báo cáo),", "- Lưu."]  # fmt: skip
    assert "tổng số cán bộ giữ chức vụ là 1 người" in "\n".join(p.text for p in document.paragraphs)


def test_everything_in_scope_is_issued_by_the_only_root(world):
    province.build(world)
    everything = report_for(FORM, unit=None, on=NOW)
    document = docx.Document(io.BytesIO(documents.render(everything, "docx")))
    assert document.tables[0].rows[0].cells[0].paragraphs[0].text == "TỈNH ỦY THỬ NGHIỆM"
    ws = sheet_of(documents.render(everything, "xlsx"))
    assert ws["A3"].value == "Toàn bộ phạm vi được xem" and ws["B9"].value == 5


# --- Any form -------------------------------------------------------------------------------


def test_any_form_renders_and_its_labels_stay_text(world):
    """A form without narrative or notes, a ratio, a one-column group, a long label, and
    labels that look like formulas."""
    form = FormSpec(
        code="T-1", title="=Thử", short="thử", variant="", population="+mọi người",
        rows=(Row("all", "@Tổng", bold=True), Row("part", "-" + "phần rất dài " * 6, indent=1)),
        columns=(
            Column("posts", "Vị trí"),
            Column("people", "Người", "Nhóm"),
            Column("ratio", "Hệ số", "Nhóm", RATIO, ("people", "posts")),
            Column("share", "Tỷ lệ", "Riêng", SHARE, ("people", "posts")),
        ),
        compute=lambda roots, on, within: {None: {}},
    )  # fmt: skip
    report = Report(form, world.tu, NOW, {("all", "posts"): 3, ("all", "people"): 5})
    ws = openpyxl.load_workbook(io.BytesIO(documents.render(report, "xlsx")))["T-1"]
    assert ws["A2"].value == "=THỬ" and ws["A2"].quotePrefix and ws["A2"].data_type == "s"
    assert ws["A9"].value == "@Tổng" and ws["A9"].quotePrefix
    assert ws["A10"].quotePrefix and ws["A10"].alignment.wrap_text
    assert ws.row_dimensions[10].height > 15  # the long label's lines
    assert values(ws, 9) == ["@Tổng", 3, 5, pytest.approx(1.67), pytest.approx(166.67)]
    assert values(ws, 10)[1:] == [0, 0, "—", "—"]
    assert sorted(map(str, ws.merged_cells.ranges)) == [
        "A2:E2", "A3:E3", "A4:E4", "A5:E5", "A6:A7", "B6:B7", "C6:D6"]  # fmt: skip
    assert values(ws, 6) == ["Chỉ tiêu", "Vị trí", "Nhóm", None, "Riêng"]
    assert values(ws, 7) == [None, None, "Người", "Hệ số", "Tỷ lệ"]
    assert ws.max_row == 10
    document = docx.Document(io.BytesIO(documents.render(report, "docx")))
    table = document.tables[1]
    assert [c.text for c in table.rows[3].cells] == ["@Tổng", "3", "5", "1,67", "166,67"]
    assert [c.text for c in table.rows[0].cells] == ["Chỉ tiêu", "Vị trí", "Nhóm", "Nhóm", "Riêng"]


@pytest.mark.parametrize("code", sorted(FORMS))
def test_every_form_renders(world, code):
    province.build(world)
    report = report_for(FORMS[code], unit=world.tu, on=NOW)
    width = len(report.form.columns) + 1
    ws = openpyxl.load_workbook(io.BytesIO(documents.render(report, "xlsx"))).worksheets[0]
    assert ws["A1"].value == f"Mẫu {code}"
    assert values(ws, 8) == [f"({n})" for n in range(1, width + 1)]
    assert ws.max_row == 8 + len(report.form.rows) + (2 + len(report.form.notes)
                                                      if report.form.notes else 0)  # fmt: skip
    document = docx.Document(io.BytesIO(documents.render(report, "docx")))
    table = document.tables[1]
    assert len(table.rows) == 3 + len(report.form.rows)
    assert len(table.columns) == width


def test_vietnamese_numbers():
    assert [documents.number_text(v) for v in (0, 1234, 1234567, Decimal("40.00"),
                                                Decimal("1234.50"), None)] == [
        "0", "1.234", "1.234.567", "40,00", "1.234,50", "—"]  # fmt: skip


# --- LibreOffice ----------------------------------------------------------------------------


def soffice_convert(path, target: str, tmp_path):
    """`path` converted by LibreOffice headless, as users' machines open the files."""
    soffice = shutil.which("soffice")
    out = tmp_path / "lo"
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", target, "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180, env=env,
    )  # fmt: skip
    return out


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice is not installed")
def test_pdf_is_a4_landscape_with_the_figures(report):
    from pypdf import PdfReader

    data = documents.render(report, "pdf")
    pages = PdfReader(io.BytesIO(data)).pages
    assert data.startswith(b"%PDF")
    for page in pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
    text = "\n".join(page.extract_text() for page in pages)
    for words in ("ĐẢNG CỘNG SẢN VIỆT NAM", "TỈNH ỦY THỬ NGHIỆM", "BÁO CÁO", "(40,00%)",
                  "Thử Nghiệm, ngày 04 tháng 12 năm 2026", "66,67"):  # fmt: skip
        assert words in text, words


def test_pdf_says_when_libreoffice_is_missing(report, monkeypatch):
    monkeypatch.setattr(officepdf, "soffice_binary", lambda: None)
    with pytest.raises(documents.ConversionError) as error:
        documents.render(report, "pdf")
    assert str(error.value).startswith("Máy chủ chưa cài LibreOffice")


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice is not installed")
def test_xlsx_opens_in_libreoffice_calc(report, tmp_path):
    path = tmp_path / "tk-cb.xlsx"
    path.write_bytes(documents.render(report, "xlsx"))
    # 44 = comma, 34 = quote, 76 = UTF-8; values (not as shown); every sheet (-1).
    options = "44,34,76,1,,0,false,true,false,false,false,-1"
    out = soffice_convert(path, f"csv:Text - txt - csv (StarCalc):{options}", tmp_path)
    with (out / "tk-cb-TK-CB.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[2][0] == "Tỉnh ủy Thử Nghiệm"
    assert rows[5][:4] == ["Chỉ tiêu", "Tổng số cán bộ", "Giới tính", ""]
    assert rows[8][:6] == ["Tổng số", "5", "2", "40", "1", "20"]
    assert rows[12][:4] == ["Cấp xã", "3", "1", "33.33"]
    assert rows[11][:4] == ["Cấp huyện (trước 01/7/2025)", "0", "0", "—"]
    pdf = soffice_convert(path, "pdf", tmp_path) / "tk-cb.pdf"
    from pypdf import PdfReader

    (page,) = PdfReader(pdf).pages  # one page wide, the whole form on one page
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
