"""Plan documents: the DOCX in the party's official format, the XLSX, both opened by LibreOffice."""

import datetime as dt
import os
import shutil
import subprocess

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from canbo.planning.documents import default_place, vn_long_date, write_plan_docx, write_plan_xlsx

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
        (dt.date(2026, 1, 9), "ngày 09 tháng 01 năm 2026"),
        (dt.date(2026, 3, 1), "ngày 01 tháng 3 năm 2026"),
        (dt.date(2026, 12, 25), "ngày 25 tháng 12 năm 2026"),
        (dt.date(2026, 10, 10), "ngày 10 tháng 10 năm 2026"),
    ],
)
def test_long_date_pads_days_under_10_and_months_under_3(day, text):
    assert vn_long_date(day) == text


def test_default_place_drops_the_kind(world):
    assert default_place(world.tu) == "Thử Nghiệm"
    assert default_place(world.xa) == "An Bình"


def runs_of(paragraph):
    return [r for r in paragraph.runs if r.text.strip()]


@pytest.fixture
def docx_path(plan, tmp_path):
    path = tmp_path / "quy-hoach.docx"
    with path.open("wb") as handle:
        write_plan_docx(plan, handle, on=ON, number="127-DS/TU", signed_on=dt.date(2026, 2, 5))
    return path


def test_docx_official_format(docx_path):
    document = docx.Document(str(docx_path))
    section = document.sections[0]
    # Word stores lengths in twentieths of a point: compare in whole millimetres.
    mm = [round(v.mm) for v in (section.page_width, section.page_height, section.top_margin,
                                 section.bottom_margin, section.left_margin, section.right_margin)]  # fmt: skip
    # Landscape: the list is a table (Nghị định 30/2020 allows it for tables).
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert len(document.sections) == 1
    assert mm == [297, 210, 20, 20, 30, 15]
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size == Pt(14)

    left, right = document.tables[0].rows[0].cells
    # Top right: the party's name, 15 pt bold underlined; then the place and date in italics.
    party = right.paragraphs[0]
    assert party.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    (run,) = runs_of(party)
    assert (run.font.name, run.font.size, run.bold, run.underline) == (
        "Times New Roman", Pt(15), True, True,
    )  # fmt: skip
    assert party.alignment == WD_ALIGN_PARAGRAPH.CENTER
    date = [p for p in right.paragraphs if p.text][-1]
    assert date.text == "Thử Nghiệm, ngày 05 tháng 02 năm 2026"
    assert all(r.italic and r.font.size == Pt(14) for r in runs_of(date))

    # Top left: the issuing body in bold caps (the province committee has no superior
    # unit in the tree), the star, the number.
    lines = [p for p in left.paragraphs if p.text]
    assert [p.text for p in lines] == ["TỈNH ỦY THỬ NGHIỆM", "*", "Số 127-DS/TU"]
    (issuer,) = runs_of(lines[0])
    assert (issuer.bold, issuer.font.size, issuer.font.name) == (True, Pt(14), "Times New Roman")
    assert runs_of(lines[2])[0].font.size == Pt(14)

    body = [p for p in document.paragraphs if p.text]
    assert [p.text for p in body[:3]] == [
        "DANH SÁCH CÁN BỘ TRONG QUY HOẠCH",
        "Ban Chấp hành Đảng bộ tỉnh 2030–2035",
        "(Kèm theo Quyết định phê duyệt số 123-QĐ/TW ngày 01/06/2025)",
    ]
    assert body[3].text == "Danh sách cán bộ trong quy hoạch tại ngày 01/03/2026: 5 lượt người."
    for paragraph in body:
        for run in runs_of(paragraph):
            assert run.font.name == "Times New Roman"
            assert run.font.size == Pt(14)

    table = document.tables[1]
    # The table's heading repeated on every page; its columns fill the landscape width.
    assert table.rows[0]._tr.trPr.xml.count("<w:tblHeader") == 1
    assert [round(c.width.mm) for c in table.rows[1].cells] == [12, 45, 25, 70, 70, 30]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["STT", "Họ và tên", "Ngày sinh", "Chức vụ hiện tại",
                       "Chức danh quy hoạch", "Nguồn"]  # fmt: skip
    assert rows[1] == ["1", "Trần Văn An", "10/05/1980", "Giám đốc Sở – Tỉnh ủy Thử Nghiệm",
                       "Bí thư Tỉnh ủy – Tỉnh ủy Thử Nghiệm", "Nguồn tại chỗ"]  # fmt: skip
    assert [r[1] for r in rows[1:]] == [
        "Trần Văn An", "Trần Văn An", "Lê Thị Bình", "Hoàng Văn Dũng", "Phạm Văn Cường",
    ]  # fmt: skip


def test_docx_of_a_commune_names_its_superior(world, plan, tmp_path):
    from canbo.planning import services

    from .factories import make_term

    commune = services.plan_create(actor=None, planning_unit=world.xa, term=make_term(2030, 2035))
    path = tmp_path / "xa.docx"
    with path.open("wb") as handle:
        write_plan_docx(commune, handle, on=ON)
    left, right = docx.Document(str(path)).tables[0].rows[0].cells
    lines = [p for p in left.paragraphs if p.text]
    assert [p.text for p in lines] == ["TỈNH ỦY THỬ NGHIỆM", "ĐẢNG ỦY XÃ AN BÌNH", "*", "Số      -DS/ĐU"]  # fmt: skip
    superior, issuer = runs_of(lines[0])[0], runs_of(lines[1])[0]
    assert (superior.bold, superior.font.size) == (False, Pt(14))
    assert (issuer.bold, issuer.font.size) == (True, Pt(14))
    assert [p.text for p in right.paragraphs if p.text][-1] == "An Bình, ngày 01 tháng 3 năm 2026"


def soffice_pdf(path, tmp_path):
    """Convert with LibreOffice headless, as users' machines open the files."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is installed by ./run test"
    out = tmp_path / "pdf"
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180, env=env,
    )  # fmt: skip
    pdf = out / f"{path.stem}.pdf"
    assert pdf.exists(), f"LibreOffice did not convert {path.name}" + (
        " (DOCX needs Writer: apt-get install libreoffice-writer-nogui)"
        if path.suffix == ".docx"
        else ""
    )
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1000
    return data


def test_both_files_open_in_libreoffice(plan, docx_path, tmp_path):
    xlsx_path = tmp_path / "quy-hoach-excel.xlsx"
    with xlsx_path.open("wb") as handle:
        write_plan_xlsx(plan, handle, on=ON)
    soffice_pdf(docx_path, tmp_path)
    soffice_pdf(xlsx_path, tmp_path)
