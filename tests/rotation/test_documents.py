"""Rotation files: the watch lists and a rotation plan as XLSX (formula-safe), the decision
list as a DOCX in the official format; all open in openpyxl / python-docx and LibreOffice."""

import datetime as dt
import io
import shutil

import docx
import openpyxl
import pytest
from docx.enum.section import WD_ORIENT
from docx.shared import Pt

from canbo.rotation.documents import write_plan_docx, write_plan_xlsx, write_watch_xlsx
from canbo.rotation.holders import watch_lists
from canbo.rotation.models import Rotation
from tests.planning.test_documents import soffice_pdf

from .figure_data import AS_OF, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world):
    return build(world)


def values(sheet):
    return [[c.value for c in row] for row in sheet.iter_rows()]


def saved(write, *args, **kwargs) -> bytes:
    handle = io.BytesIO()
    write(*args, handle, **kwargs)
    return handle.getvalue()


def test_plan_xlsx(data):
    book = openpyxl.load_workbook(io.BytesIO(saved(write_plan_xlsx, data.plan, on=AS_OF)))
    (sheet,) = book.worksheets
    rows = values(sheet)
    assert rows[0][0] == "KẾ HOẠCH LUÂN CHUYỂN CÁN BỘ: Kế hoạch luân chuyển 2025–2030"
    assert rows[1][0] == ("Cấp lập kế hoạch: Tỉnh ủy Thử Nghiệm · Nhiệm kỳ: 2025–2030 · "
                          "Tình trạng tại ngày: 30/06/2026")  # fmt: skip
    assert rows[2][:6] == ["STT", "Họ và tên", "Số định danh cá nhân", "Ngày sinh",
                           "Chức vụ, đơn vị trước luân chuyển", "Chức vụ, đơn vị đến"]  # fmt: skip
    # Dũng's intended rotation, its note a would-be formula written as text.
    assert len(rows) == 4
    assert rows[3][:2] + rows[3][4:] == [
        1, "Nguyễn Văn Dũng", "Phó Bí thư Đảng ủy xã – Đảng ủy xã An Bình",
        "Phó Giám đốc Sở – Sở Nội vụ", "Luân chuyển", "Đào tạo, rèn luyện cán bộ trong quy hoạch",
        None, None, None, "Dự kiến", '=HYPERLINK("http://x")',
    ]  # fmt: skip
    assert rows[3][3] == dt.datetime(1988, 1, 1)
    note = sheet.cell(row=4, column=13)
    assert (note.data_type, note.quotePrefix) == ("s", True)
    assert sheet.freeze_panes == "A4"


def test_watch_lists_xlsx(world, data):
    Rotation.objects.filter(pk=data.r_an.pk).update(planned_end=dt.date(2026, 10, 1))
    lists = watch_lists(None, world.tu, AS_OF)
    book = openpyxl.load_workbook(io.BytesIO(saved(write_watch_xlsx, lists)))
    assert book.sheetnames == ["Người địa phương", "Giới hạn nhiệm kỳ", "Sắp kết thúc", "Quá hạn"]
    local, terms, ending, overdue = (values(s) for s in book.worksheets)
    assert local[1][0] == "Đơn vị: Tỉnh ủy Thử Nghiệm (TU) · Tại ngày: 30/06/2026"
    # R4 names the provincial secretary: Hải comes from commune A, inside the province.
    assert local[3:] == [[1, "Bí thư Tỉnh ủy – Tỉnh ủy Thử Nghiệm", "Nguyễn Văn Hải",
                          data.hai.id_number, "Xã An Bình", dt.datetime(2015, 10, 1)]]  # fmt: skip
    # At the next congress (01/10/2030): Hải three terms, Khoa two.
    assert terms[0][0] == "CẤP TRƯỞNG ĐỦ 2 NHIỆM KỲ LIÊN TIẾP KHI BẮT ĐẦU NHIỆM KỲ TỚI"
    assert [(r[2], r[5], r[6]) for r in terms[3:]] == [
        ("Nguyễn Văn Hải", dt.datetime(2030, 10, 1), 3),
        ("Nguyễn Văn Khoa", dt.datetime(2030, 10, 1), 2),
    ]
    assert ending[3:] == [[1, "Nguyễn Văn An", data.an.id_number, "Phó Giám đốc Sở – Sở Nội vụ",
                           "Bí thư Đảng ủy xã – Đảng ủy xã An Bình", "Luân chuyển",
                           dt.datetime(2026, 3, 1), dt.datetime(2026, 10, 1)]]  # fmt: skip
    assert overdue[3:] == []


def test_decision_list_docx(world, data):
    data.r_dung.delete()  # the plan lists the two decided ones of its body
    for r in (data.r_an, data.r_cu):
        r.plan = data.plan
        r.save()
    content = saved(write_plan_docx, data.plan, on=AS_OF, number="12-DS/TU",
                    decision="Quyết định số 15-QĐ/TU ngày 20/02/2026",
                    signed_on=dt.date(2026, 2, 5))  # fmt: skip
    document = docx.Document(io.BytesIO(content))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert [round(v.mm) for v in (section.page_width, section.page_height)] == [297, 210]
    left, right = document.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == ["TỈNH ỦY THỬ NGHIỆM", "*",
                                                          "Số 12-DS/TU"]  # fmt: skip
    assert [p.text for p in right.paragraphs if p.text] == [
        "ĐẢNG CỘNG SẢN VIỆT NAM", "Thử Nghiệm, ngày 05 tháng 02 năm 2026"]
    (party,) = [r for r in right.paragraphs[0].runs if r.text.strip()]
    assert (party.font.size, party.bold, party.underline) == (Pt(15), True, True)
    body = [p.text for p in document.paragraphs if p.text]
    assert body[:4] == [
        "DANH SÁCH CÁN BỘ LUÂN CHUYỂN", "Kế hoạch luân chuyển 2025–2030",
        "(Kèm theo Quyết định số 15-QĐ/TU ngày 20/02/2026)",
        "Tổng số: 2 lượt cán bộ luân chuyển.",
    ]
    rows = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert rows == [
        ["STT", "Họ và tên", "Ngày sinh", "Chức vụ, đơn vị trước luân chuyển",
         "Chức vụ, đơn vị đến", "Hình thức", "Thời gian"],
        ["1", "Nguyễn Văn An", "10/05/1985", "Phó Giám đốc Sở – Sở Nội vụ",
         "Bí thư Đảng ủy xã – Đảng ủy xã An Bình", "Luân chuyển", "Từ 01/03/2026 đến 01/03/2029"],
        ["2", "Nguyễn Văn Cư", "01/03/1975", "Phó Giám đốc Sở – Sở Nội vụ",
         "Bí thư Đảng ủy xã – Đảng ủy xã Bình Minh", "Điều động", "Từ 01/04/2026 đến 01/04/2029"],
    ]  # fmt: skip
    assert document.tables[1].rows[0]._tr.trPr.xml.count("<w:tblHeader") == 1
    sign = document.tables[2].rows[0].cells[1].paragraphs[0].text
    assert sign == "T/M TỈNH ỦY THỬ NGHIỆM"


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_the_files_open_in_libreoffice(world, data, tmp_path):
    files = {
        "ke-hoach.xlsx": saved(write_plan_xlsx, data.plan, on=AS_OF),
        "theo-doi.xlsx": saved(write_watch_xlsx, watch_lists(None, world.tu, AS_OF)),
        "danh-sach.docx": saved(write_plan_docx, data.plan, on=AS_OF),
    }
    for name, content in files.items():
        path = tmp_path / name
        path.write_bytes(content)
        soffice_pdf(path, tmp_path)
