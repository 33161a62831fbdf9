"""Plan documents (issue 17 item 6): the subtitle, the number line left for the clerk, the
issuing body's letters, and the XLSX's dates, labels and print setup."""

import datetime as dt
import io
import re
import zipfile
from types import SimpleNamespace

import docx
import openpyxl
import pypdf
import pytest

from canbo.core import officedoc
from canbo.planning import documents, services
from canbo.planning.documents import subtitle_of, write_plan_docx, write_plan_xlsx

from .factories import make_term
from .test_documents import soffice_pdf

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 3, 1)


def unit(name, area="", short_name="", code="X-00001"):
    return SimpleNamespace(name=name, short_name=short_name, code=code,
                           area=SimpleNamespace(name=area) if area else None)  # fmt: skip


@pytest.mark.parametrize(
    ("body", "letters"),
    [
        (unit("Tỉnh ủy Thử Nghiệm", "Tỉnh Thử Nghiệm"), "TU"),
        (unit("Đảng ủy xã An Bình", "Xã An Bình", code="DU-00004"), "ĐU"),
        (unit("Đảng ủy phường Hòa Bình", "Phường Hòa Bình"), "ĐU"),
        (unit("Thành ủy Hà Nội", "Thành phố Hà Nội"), "TU"),
        (unit("Ban Tổ chức Tỉnh ủy Thử Nghiệm", "Tỉnh Thử Nghiệm"), "BTCTU"),
        (unit("Ủy ban nhân dân tỉnh Thử Nghiệm", "Tỉnh Thử Nghiệm"), "UBND"),
        (unit("Ban Chấp hành Trung ương"), "BCHTW"),
        (unit("Vụ Địa phương II", code="V2"), "VĐPII"),
        # A one-word short name is the body's own symbol; a longer one is not.
        (unit("Ban Tổ chức Tỉnh ủy Thử Nghiệm", "Tỉnh Thử Nghiệm", short_name="BTC"), "BTC"),
        (unit("Đảng ủy xã An Bình", "Xã An Bình", short_name="ĐU xã An Bình"), "ĐU"),
    ],
)
def test_the_issuing_body_s_letters_never_its_code(body, letters):
    assert officedoc.body_symbol(body) == letters


def test_the_number_line_is_left_blank_for_the_clerk():
    body = unit("Đảng ủy xã An Bình", "Xã An Bình", code="DU-00004")
    assert officedoc.number_line("DS", body) == "Số      -DS/ĐU"
    assert officedoc.number_line("BC", body) == "Số      -BC/ĐU"
    assert officedoc.number_line("DS", body, "127-DS/ĐU") == "Số 127-DS/ĐU"


def test_subtitle_does_not_repeat_the_term(world, plan):
    assert subtitle_of(plan) == "Ban Chấp hành Đảng bộ tỉnh 2030–2035"
    default = services.plan_create(actor=None, planning_unit=world.xa, term=make_term(2030, 2035))
    assert default.name == "Đảng ủy xã An Bình, nhiệm kỳ 2030–2035"
    assert subtitle_of(default) == "Đảng ủy xã An Bình, nhiệm kỳ 2030–2035"
    named = services.plan_create(actor=None, planning_unit=world.xb, term=make_term(2030, 2035),
                                 name="Quy hoạch Ban Chấp hành")  # fmt: skip
    assert subtitle_of(named) == "Quy hoạch Ban Chấp hành, nhiệm kỳ 2030–2035"


def test_docx_without_a_number_names_the_body_not_its_code(plan, tmp_path):
    path = tmp_path / "tu.docx"
    with path.open("wb") as handle:
        write_plan_docx(plan, handle, on=ON)
    document = docx.Document(str(path))
    left, _right = document.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == ["TỈNH ỦY THỬ NGHIỆM", "*", "Số      -DS/TU"]  # fmt: skip
    body = [p.text for p in document.paragraphs if p.text]
    assert body[1] == "Ban Chấp hành Đảng bộ tỉnh 2030–2035"


HEADER = ("STT", "Họ và tên", "Số định danh cá nhân", "Ngày sinh", "Giới tính", "Chức vụ hiện tại",
          "Chức danh quy hoạch", "Nguồn", "Ngày đưa vào", "Quyết định")  # fmt: skip


@pytest.fixture
def workbook(plan, cadres):
    # Bình's birth date known to the year only: text, not a made-up date.
    cadres.b.birth_date_precision = "Y"
    cadres.b.save(update_fields=["birth_date_precision"])
    handle = io.BytesIO()
    write_plan_xlsx(plan, handle, on=ON)
    return handle.getvalue()


def test_xlsx_dates_are_dates_and_labels_whole(workbook):
    sheet = openpyxl.load_workbook(io.BytesIO(workbook))["Quy hoạch"]
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[:3]] == [
        "DANH SÁCH CÁN BỘ TRONG QUY HOẠCH",
        "Ban Chấp hành Đảng bộ tỉnh 2030–2035",
        "Đơn vị lập quy hoạch: Tỉnh ủy Thử Nghiệm · Trạng thái: Đã phê duyệt – Quyết định số "
        "123-QĐ/TW ngày 01/06/2025 · Danh sách tại ngày: 01/03/2026",
    ]
    assert all(len([v for v in r if v is not None]) == 1 for r in rows[:3])
    assert rows[3] == HEADER
    body = rows[4:]
    assert [(r[1], r[3]) for r in body] == [
        ("Trần Văn An", dt.datetime(1980, 5, 10)),
        ("Trần Văn An", dt.datetime(1980, 5, 10)),
        ("Lê Thị Bình", "1985"),
        ("Hoàng Văn Dũng", dt.datetime(1974, 2, 2)),
        ("Phạm Văn Cường", dt.datetime(1988, 7, 1)),
    ]
    assert sheet["D5"].number_format == "DD/MM/YYYY"
    assert sheet["D5"].is_date
    assert sheet["I5"].is_date and sheet["I5"].value == dt.datetime(2024, 1, 1)
    # Long text wraps inside its column instead of being cut by the next cell.
    assert sheet["G5"].alignment.wrap_text is True
    assert sheet["G5"].value == "Bí thư Tỉnh ủy – Tỉnh ủy Thử Nghiệm"
    widths = [sheet.column_dimensions[c].width for c in "ABCDEFGHIJ"]
    assert widths == [6, 28, 16, 12, 10, 40, 40, 20, 13, 22]


def test_xlsx_prints_landscape_fitted_to_width_with_title_rows(workbook):
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    sheet = book["Quy hoạch"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    # The title, the plan's name, its facts' line and the table's header: on every page.
    assert sheet.print_title_rows == "$1:$4"
    assert sheet.freeze_panes == "A5"
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        assert "_xlnm.Print_Titles" in archive.read("xl/workbook.xml").decode()


def test_xlsx_every_printed_page_starts_with_the_title_and_the_header(plan, monkeypatch, tmp_path):
    """LibreOffice prints a long list on several pages, each beginning with the title and
    the table's header, the rows following on from the page before."""
    rows = [
        documents.Row(number=i, full_name=f"Người Thứ {i:03d}", id_number=f"001080{i:06d}",
                      birth_date="10/05/1980", birth_value=dt.date(1980, 5, 10), sex="Nam",
                      posts="Giám đốc Sở – Tỉnh ủy Thử Nghiệm",
                      position="Bí thư Tỉnh ủy – Tỉnh ủy Thử Nghiệm", source="Nguồn tại chỗ",
                      added_on=dt.date(2024, 1, 1), decision="45-QĐ/TU")
        for i in range(1, 121)
    ]  # fmt: skip
    monkeypatch.setattr(documents, "plan_rows", lambda plan, on: rows)
    path = tmp_path / "quy-hoach-dai.xlsx"
    with path.open("wb") as handle:
        write_plan_xlsx(plan, handle, on=ON)
    pages = [" ".join(page.extract_text().split())
             for page in pypdf.PdfReader(io.BytesIO(soffice_pdf(path, tmp_path))).pages]  # fmt: skip
    assert len(pages) >= 2
    head = (
        "DANH SÁCH CÁN BỘ TRONG QUY HOẠCH Ban Chấp hành Đảng bộ tỉnh 2030–2035 Đơn vị lập quy "
        "hoạch: Tỉnh ủy Thử Nghiệm · Trạng thái: Đã phê duyệt – Quyết định số 123-QĐ/TW ngày "
        "01/06/2025 · Danh sách tại ngày: 01/03/2026 " + " ".join(HEADER) + " "
    )
    names = []
    for text in pages:
        # The head, then straight the page's first row.
        assert text.startswith(head)
        assert re.match(r"\d+ Người Thứ \d{3} ", text[len(head):])
        assert text.count("DANH SÁCH CÁN BỘ TRONG QUY HOẠCH") == 1
        names.append(re.findall(r"Người Thứ (\d{3})", text))
    # Every row printed once, in order, each page carrying on from the one before.
    assert [n for page in names for n in page] == [f"{i:03d}" for i in range(1, 121)]
    assert all(page for page in names)
