"""The 2C record (sơ yếu lý lịch, mẫu 2C/TCTW-98): what the DOCX says, the PDF LibreOffice
makes of it, the `export-2c` command, and a LibreOffice missing, failing or overrunning."""

import io
import stat
import time

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from canbo.core.models import AccessEvent, AccessKind, AuditSource
from canbo.people import record2c
from canbo.people.models import Person
from tests.people.record2c_fixtures import (  # noqa: F401
    docx_lines,
    docx_tables,
    fixed_today_fixture,
    pdf_text,
    record_fixture,
)


def docx_of(person) -> bytes:
    return record2c.build_docx(record2c.load(Person.objects.all(), pk=person.pk))


def test_the_items_the_record_holds_are_filled_in(record):
    lines = docx_lines(docx_of(record.an))
    items = [line for line in lines if line[:3].rstrip(")").rstrip(".").split(")")[0][:2].isdigit()
             and ")" in line[:6] and ":" in line]  # fmt: skip
    assert items[:25] == [
        "1) Họ và tên khai sinh (viết chữ in hoa): NGUYỄN VĂN AN",
        "2) Tên gọi khác: \t",
        "3) Sinh ngày: 05/03/1980; Giới tính: Nam",
        "4) Nơi sinh: Xã An Bình, Tỉnh Thử Nghiệm",
        "5) Quê quán: Xã An Bình, Tỉnh Thử Nghiệm",
        "6) Dân tộc: Kinh; 7) Tôn giáo: Không",
        "8) Nơi đăng ký thường trú: \t",
        "9) Nơi ở hiện nay: \t",
        "10) Nghề nghiệp khi được tuyển dụng: \t",
        "11) Ngày tuyển dụng: ……………; Cơ quan tuyển dụng: \t",
        "12) Chức vụ (chức danh) hiện tại: Bí thư Đảng ủy xã, Đảng ủy xã An Bình",
        "13) Cơ quan, đơn vị công tác hiện nay: Đảng ủy xã An Bình",
        "14) Ngạch, bậc lương, hệ số, phụ cấp: \t",
        "15.1) Trình độ giáo dục phổ thông: \t",
        "15.2) Trình độ chuyên môn cao nhất: Đại học, Luật",
        "15.3) Lý luận chính trị: Cao cấp; 15.4) Quản lý nhà nước: Chuyên viên",
        "15.5) Ngoại ngữ: Tiếng Anh B1; 15.6) Tin học: Cơ bản",
        "16) Ngày vào Đảng Cộng sản Việt Nam: 19/05/2005; Ngày chính thức: 19/05/2006",
        "17) Ngày tham gia tổ chức chính trị - xã hội: \t",
        "18) Ngày nhập ngũ: ……………; Ngày xuất ngũ: ……………; Quân hàm cao nhất: \t",
        "19) Danh hiệu được phong tặng cao nhất: \t",
        "20) Sở trường công tác: \t",
        "23) Tình trạng sức khỏe: ……………; Chiều cao: ……………; Cân nặng: \t",
        "24) Là thương binh hạng: ……………; Là con gia đình chính sách: \t",
        "25) Số định danh cá nhân: 001080000001",
    ]
    # Header: the bodies managing and employing the person (the record's unit and its parent).
    assert lines[:4] == [
        "Cơ quan, đơn vị có thẩm quyền quản lý: TỈNH ỦY THỬ NGHIỆM",
        "Cơ quan, đơn vị sử dụng: ĐẢNG ỦY XÃ AN BÌNH",
        "Mẫu 2C/TCTW-98",
        "Số hiệu cán bộ: ……………",
    ]
    assert "SƠ YẾU LÝ LỊCH" in lines
    # Rewards, discipline and evaluations, oldest first.
    at = lines.index("21) Khen thưởng")
    assert lines[at : at + 4] == [
        "21) Khen thưởng",
        "- 2022: Bằng khen (UBND tỉnh, 123/QĐ-UBND)",
        "22) Kỷ luật",
        "- 02/04/2018: Khiển trách (Đảng ủy xã) – Chậm nộp báo cáo",
    ]
    at = lines.index("33) NHẬN XÉT, ĐÁNH GIÁ CỦA CƠ QUAN, ĐƠN VỊ QUẢN LÝ VÀ SỬ DỤNG")
    assert lines[at + 1 : at + 3] == [
        "- Năm 2023: Hoàn thành xuất sắc nhiệm vụ",
        "- Năm 2024: Hoàn thành tốt nhiệm vụ",
    ]


def test_work_history_training_and_the_family_to_fill(record):
    tables = docx_tables(docx_of(record.an))
    assert len(tables) == 8
    header, photo, training, history, own, spouse, salary, signatures = tables
    assert history == [
        ["Từ tháng năm đến tháng năm",
         "Chức danh, chức vụ, đơn vị công tác (đảng, chính quyền, đoàn thể)"],
        ["2003 – 31/05/2015", "Công chức Văn phòng - Thống kê, Ủy ban nhân dân xã An Bình"],
        ["06/2015 – 12/2020", "Phó Chủ tịch Ủy ban nhân dân xã, Ủy ban nhân dân xã An Bình"],
        ["01/2021 – nay", "Bí thư Đảng ủy xã, Đảng ủy xã An Bình"],
    ]  # fmt: skip
    assert training[1] == ["Học viện Chính trị quốc gia Hồ Chí Minh", "Cao cấp lý luận chính trị",
                           "01/03/2017 – 30/09/2018", "Lý luận chính trị", "Bằng cao cấp"]  # fmt: skip
    # The record holds no family: the rows are there, empty, to fill in by hand.
    assert [row[0] for row in own[1:]] == ["Bố", "Mẹ", "Vợ (chồng)", "Con", "Anh, chị, em ruột"]
    assert {cell for row in own[1:] for cell in row[1:]} == {""}
    assert [row[0] for row in spouse[1:]] == ["Bố", "Mẹ", "Anh, chị, em ruột"]
    assert salary[1:] == [["", "", ""]] * 3
    assert photo[0][0].split("\n")[-2:] == ["Ảnh", "3 × 4 cm"]
    assert signatures[0][0].endswith("Nguyễn Văn An")


def test_a_record_with_little_data_keeps_its_lines_to_fill(record):
    data = docx_of(record.cuc)
    lines = docx_lines(data)
    assert "1) Họ và tên khai sinh (viết chữ in hoa): TRẦN THỊ CÚC" in lines
    assert "3) Sinh ngày: 06/1985; Giới tính: Nữ" in lines  # known to the month only
    assert "5) Quê quán: \t" in lines
    assert "12) Chức vụ (chức danh) hiện tại: \t" in lines
    assert "16) Ngày vào Đảng Cộng sản Việt Nam: ……………; Ngày chính thức: \t" in lines
    history = docx_tables(data)[3]
    assert history[1:] == [["", ""]] * 3
    assert "2003" not in "".join(lines)  # nothing of An's record
    assert "3) Sinh ngày: 1975; Giới tính: Nữ" in docx_lines(docx_of(record.binh))


def test_page_font_and_margins_of_an_official_document(record):
    document = Document(io.BytesIO(docx_of(record.an)))
    section = document.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin,
             section.bottom_margin, section.left_margin, section.right_margin)  # fmt: skip
    assert [round(size.mm) for size in sizes] == [210, 297, 20, 20, 30, 15]
    fonts = {run.font.name for p in document.paragraphs for run in p.runs}
    assert fonts == {"Times New Roman"}
    assert document.core_properties.title == "Sơ yếu lý lịch Nguyễn Văn An"


def test_the_pdf_is_made_by_libreoffice_with_the_vietnamese_text_intact(record):
    assert record2c.soffice_binary(), "LibreOffice (soffice) is installed by ./run test"
    data = record2c.render(record2c.load(Person.objects.all(), pk=record.an.pk), "pdf")
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for words in ("SƠ YẾU LÝ LỊCH", "NGUYỄN VĂN AN", "Sinh ngày: 05/03/1980",
                  "Mẫu 2C/TCTW-98", "Bí thư Đảng ủy xã, Đảng ủy xã An Bình", "QUAN HỆ GIA ĐÌNH",
                  "Xã An Bình, Tỉnh Thử Nghiệm"):  # fmt: skip
        assert words in text, words


# --- LibreOffice missing, failing, overrunning ----------------------------------------


MISSING = ("Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF; hãy tải bản Word (DOCX) "
           "hoặc đề nghị quản trị viên cài gói libreoffice-writer-nogui.")  # fmt: skip
FAILED = "LibreOffice không chuyển được sơ yếu lý lịch sang PDF; hãy thử lại hoặc tải bản Word (DOCX)."


def fake_soffice(monkeypatch, tmp_path, script: str) -> None:
    path = tmp_path / "soffice"
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(record2c, "soffice_binary", lambda: str(path))


def test_missing_libreoffice(monkeypatch):
    monkeypatch.setattr(record2c, "soffice_binary", lambda: None)
    with pytest.raises(record2c.ConversionError) as error:
        record2c.docx_to_pdf(b"PK")
    assert str(error.value) == MISSING


def test_libreoffice_that_fails(monkeypatch, tmp_path):
    fake_soffice(monkeypatch, tmp_path, "exit 1")
    with pytest.raises(record2c.ConversionError) as error:
        record2c.docx_to_pdf(b"PK")
    assert str(error.value) == FAILED


def test_libreoffice_that_overruns_is_stopped(monkeypatch, tmp_path):
    marker = tmp_path / "child.pid"
    # A helper left running in the background, as soffice's own would be: stopped too.
    fake_soffice(monkeypatch, tmp_path, f"sleep 30 & echo $! > {marker}; wait")
    with pytest.raises(record2c.ConversionError) as error:
        record2c.docx_to_pdf(b"PK", timeout=1)
    assert str(error.value) == ("LibreOffice chưa chuyển xong bản PDF sau 1 giây; hãy thử lại "
                                "hoặc tải bản Word (DOCX).")  # fmt: skip
    assert not stays_running(int(marker.read_text()))


def stays_running(pid: int, seconds: float = 5) -> bool:
    """Whether the process still runs after `seconds` (a killed process group takes a
    moment to go on a loaded machine)."""
    deadline = time.monotonic() + seconds
    while running(pid):
        if time.monotonic() > deadline:
            return True
        time.sleep(0.05)
    return False


def running(pid: int) -> bool:
    """Whether the process runs (a killed one not yet reaped by its new parent is a zombie)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            status = handle.read()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status


# --- canbo export-2c ------------------------------------------------------------------


def test_command_writes_the_docx_and_an_access_entry(record, tmp_path):
    out = tmp_path / "an.docx"
    stdout = io.StringIO()
    call_command("export_2c", "001080000001", "-o", str(out), stdout=stdout)
    assert "1) Họ và tên khai sinh (viết chữ in hoa): NGUYỄN VĂN AN" in docx_lines(out.read_bytes())
    assert stdout.getvalue() == f"Đã xuất sơ yếu lý lịch của Nguyễn Văn An vào {out}.\n"
    entry = AccessEvent.objects.get()
    assert (entry.kind, entry.object_id, entry.actor, entry.source) == (
        AccessKind.DOCUMENT, str(record.an.pk), None, AuditSource.COMMAND)  # fmt: skip


def test_command_pdf_by_extension_or_option(record, tmp_path):
    call_command("export_2c", "001080000001", "-o", str(tmp_path / "an.pdf"), stdout=io.StringIO())
    call_command("export_2c", "001080000001", "-o", str(tmp_path / "an.bin"), "--format", "pdf",
                 stdout=io.StringIO())  # fmt: skip
    for name in ("an.pdf", "an.bin"):
        assert (tmp_path / name).read_bytes().startswith(b"%PDF")
    assert AccessEvent.objects.filter(kind=AccessKind.DOCUMENT).count() == 2


def test_command_with_a_users_scope(record, tmp_path):
    out = tmp_path / "x.docx"
    with pytest.raises(CommandError) as error:
        call_command("export_2c", "001075000003", "-o", str(out), "--user", "xem_a")
    assert str(error.value) == ("Không có cán bộ với số định danh “001075000003” trong phạm vi "
                                "được xem.")  # fmt: skip
    assert not out.exists()
    assert AccessEvent.objects.count() == 0
    call_command("export_2c", "001080000001", "-o", str(out), "--user", "xem_a",
                 stdout=io.StringIO())  # fmt: skip
    entry = AccessEvent.objects.get()
    assert (entry.actor, entry.object_id) == (record.viewer_a, str(record.an.pk))


def test_command_refusals(record, tmp_path, monkeypatch):
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError) as error:
        call_command("export_2c", "009999999999", "-o", str(out))
    assert str(error.value) == "Không có cán bộ với số định danh “009999999999” trong phạm vi được xem."
    with pytest.raises(CommandError) as error:
        call_command("export_2c", "001080000001", "-o", str(out), "--user", "khongco")
    assert str(error.value) == "Không có tài khoản “khongco”."
    monkeypatch.setattr(record2c, "soffice_binary", lambda: None)
    with pytest.raises(CommandError) as error:
        call_command("export_2c", "001080000001", "-o", str(out))
    assert str(error.value) == MISSING
    assert not out.exists()
    assert AccessEvent.objects.count() == 0
