"""Files that are not what they claim: each is refused with a Vietnamese message, nothing written."""

import zipfile

import pytest
import xlsxwriter
from django.core.management.base import CommandError

from canbo.exchange.readers import PackageError, read_package
from canbo.people.models import Person

from .conftest import PEOPLE_HEADERS, json_package, person_row, run_command, run_import

pytestmark = pytest.mark.django_db


def refused(path) -> str:
    with pytest.raises(PackageError) as info:
        read_package(path)
    with pytest.raises(CommandError) as command:
        run_command("import", str(path))
    assert str(command.value) == str(info.value)
    assert Person.objects.count() == 0
    return str(info.value)


def test_plain_text_and_pdf_are_refused(tmp_path):
    text = tmp_path / "danh-sach.xlsx"
    text.write_text("Nguyễn Văn An;001080000001\n")
    assert refused(text) == "Tệp không phải bảng tính Excel .xlsx hay gói dữ liệu JSON."
    pdf = tmp_path / "bao-cao.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + b"0" * 100)
    assert refused(pdf) == "Tệp không phải bảng tính Excel .xlsx hay gói dữ liệu JSON."


def test_empty_and_missing_files(tmp_path):
    empty = tmp_path / "rong.xlsx"
    empty.write_bytes(b"")
    assert refused(empty) == "Tệp rỗng."
    assert refused(tmp_path / "khong-co.xlsx") == "Không tìm thấy tệp khong-co.xlsx."


def test_encrypted_or_old_xls_is_refused(tmp_path):
    path = tmp_path / "mat-khau.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    assert refused(path).startswith("Tệp được đặt mật khẩu (mã hóa) hoặc là định dạng .xls cũ.")


def test_zip_that_is_not_a_workbook_and_a_truncated_workbook(tmp_path, package):
    other = tmp_path / "nen.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "xin chào")
    assert refused(other) == "Tệp ZIP này không phải bảng tính Excel .xlsx."
    good = package({"Cán bộ": [PEOPLE_HEADERS, person_row()]})
    cut = tmp_path / "hong.xlsx"
    cut.write_bytes(good.read_bytes()[:-300])
    assert refused(cut) == "Tệp bảng tính bị hỏng hoặc không đọc được."


def test_zip_bomb_is_refused_before_parsing(tmp_path, settings):
    settings.CANBO_IMPORT_MAX_UNPACKED_BYTES = 20 * 1024 * 1024
    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 1024 * 1024))
    assert bomb.stat().st_size < 200 * 1024
    assert refused(bomb) == "Tệp giải nén ra quá lớn (có thể là “bom zip”); từ chối."


def test_zip_part_that_lies_about_its_size_is_refused(tmp_path, settings, package):
    good = package({"Cán bộ": [PEOPLE_HEADERS, person_row()]})
    data = bytearray(good.read_bytes())
    # Halve the declared uncompressed size of every part in the central directory.
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) >= 0:
        size = int.from_bytes(data[position + 24 : position + 28], "little")
        data[position + 24 : position + 28] = (size // 2).to_bytes(4, "little")
        position += 4
    liar = tmp_path / "noi-doi.xlsx"
    liar.write_bytes(bytes(data))
    assert refused(liar) == "Tệp bảng tính bị hỏng hoặc không đọc được."


def test_oversize_file_is_refused_with_the_limit(tmp_path, settings, package):
    settings.CANBO_IMPORT_MAX_BYTES = 1024 * 1024
    big = tmp_path / "lon.json"
    big.write_text('{"sheets": {}, "pad": "' + "x" * (2 * 1024 * 1024) + '"}')
    assert refused(big) == (
        "Tệp quá lớn (2 MB); giới hạn là 1 MB. Hãy chia nhỏ gói theo đơn vị."
    )


def test_formulas_are_read_as_their_values_never_evaluated(world, tmp_path):
    path = tmp_path / "cong-thuc.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    ws = workbook.add_worksheet("Cán bộ")
    ws.write_row(0, 0, PEOPLE_HEADERS)
    row = person_row()
    ws.write_row(1, 0, row)
    ws.write_string(1, 0, row[0])
    # The cached value is what Excel last showed; the formula itself never runs.
    ws.write_formula(1, 3, '=UPPER("bình")', None, "An")
    ws.write_formula(1, 2, '=WEBSERVICE("http://example.invalid/")', None, "Văn")
    workbook.close()
    report = run_import(path)
    assert report.ok, [str(p) for p in report.problems]
    assert Person.objects.get().full_name == "Nguyễn Văn An"


def test_macros_are_ignored(world, tmp_path):
    vba = tmp_path / "vbaProject.bin"
    vba.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name" + b"\0" * 512)
    path = tmp_path / "macro.xlsm"
    workbook = xlsxwriter.Workbook(str(path))
    ws = workbook.add_worksheet("Cán bộ")
    ws.write_row(0, 0, PEOPLE_HEADERS)
    ws.write_row(1, 0, person_row())
    ws.write_string(1, 0, "001080000001")
    workbook.add_vba_project(str(vba))
    workbook.close()
    report = run_import(path)
    assert report.ok and report.created == 1


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "Tệp JSON không hợp lệ."),
        ("[" * 100000, "Tệp không phải bảng tính Excel .xlsx hay gói dữ liệu JSON."),
        ('{"meta": {}}', "Tệp JSON không đúng định dạng gói dữ liệu (thiếu mục “sheets”)."),
        ("{" + '"a":{' * 50000 + "}" * 50001, "Tệp JSON không hợp lệ."),
    ],
)
def test_broken_json(tmp_path, content, message):
    path = tmp_path / "goi.json"
    path.write_text(content)
    assert refused(path) == message


def test_json_sheet_of_the_wrong_shape_is_an_error_not_a_crash(world, tmp_path):
    path = json_package(tmp_path / "goi.json", {"people": {"id_number": 1}, "la": []})
    report = run_import(path)
    assert [(p.sheet, p.message, p.severity) for p in report.problems] == [
        ("Cán bộ", "Sheet phải là một danh sách đối tượng.", "error"),
        ("la", "Sheet không có trong định dạng; bị bỏ qua.", "warning"),
    ]


def test_json_cells_of_any_type_give_cell_errors(world, tmp_path):
    row = {"id_number": ["001080000001"], "family_name": {"x": 1}, "given_name": True,
           "sex": 3.5, "birth_date": None}  # fmt: skip
    report = run_import(json_package(tmp_path / "goi.json", {"people": [row]}))
    assert not report.ok
    assert {p.column for p in report.errors} == {
        "Số định danh cá nhân", "Tên", "Giới tính", "Ngày sinh"
    }
    assert Person.objects.count() == 0


def test_control_characters_in_cells_are_refused(world, tmp_path):
    row = dict(zip(["id_number", "family_name", "middle_name", "given_name", "sex", "birth_date"],
                   person_row(given="A\x00n"), strict=False))  # fmt: skip
    report = run_import(json_package(tmp_path / "goi.json", {"people": [row]}))
    assert [(p.row, p.column, p.message) for p in report.errors] == [
        (1, "Tên", "Ô chứa ký tự không hợp lệ.")
    ]
    assert Person.objects.count() == 0

