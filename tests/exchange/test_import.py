"""Importing a data package: all or nothing, every problem listed, idempotent, scoped."""

import datetime as dt

import openpyxl
import pytest
from django.core.management.base import CommandError

from canbo.core.models import AuditEvent
from canbo.exchange.sheets import CATALOG_TITLE
from canbo.exchange.template import write_template
from canbo.organizations.models import Position, PositionTitle, Unit
from canbo.people.choices import PoliticalTheory
from canbo.people.models import Assignment, Discipline, Evaluation, Person, Reward
from canbo.people.package.sheets import DISCIPLINES

from .conftest import PEOPLE_HEADERS, person_row, run_command, run_import

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(Person.objects.order_by("id_number").values_list("id_number", "full_name", "unit__code")),
        list(Unit.objects.order_by("code").values_list("code", "name", "path")),
        Evaluation.objects.count(),
        Assignment.objects.count(),
        AuditEvent.objects.count(),
    )


def test_people_are_created_with_derived_values_and_audited(world, package):
    path = package({"Cán bộ": [PEOPLE_HEADERS, person_row(),
                               person_row("001185000002", "Đặng", "Thị", "Hoa", "Nữ", "1985", "Tày",
                                          "00002", "XB")]})  # fmt: skip
    report = run_import(path)
    assert report.ok and report.applied
    assert (report.created, report.updated) == (2, 0)
    an = Person.objects.get(id_number="001080000001")
    assert an.full_name == "Nguyễn Văn An"
    assert an.birth_date == dt.date(1980, 3, 5)  # dd/mm/yyyy, never mm/dd
    assert an.unit.code == "XA"
    assert an.is_local is True  # hometown 00001 is inside XA's commune
    assert "nguyen van an" in an.search_text
    hoa = Person.objects.get(id_number="001185000002")
    assert (hoa.birth_date, hoa.birth_date_precision) == (dt.date(1985, 1, 1), "Y")
    assert hoa.ethnicity.name == "Tày"
    events = AuditEvent.objects.filter(source="import", action="create")
    assert events.count() == 2
    assert events.get(object_repr__contains="Hoa").changes["given_name"] == [None, "Hoa"]


def test_same_package_twice_changes_nothing_and_audits_nothing(world, package):
    path = package({"Cán bộ": [PEOPLE_HEADERS, person_row()],
                    "Đánh giá": [["Số định danh cá nhân", "Năm", "Xếp loại", "Điểm"],
                                 ["001080000001", 2024, "Hoàn thành tốt nhiệm vụ", "85,5"]]})  # fmt: skip
    first = run_import(path)
    assert (first.created, first.updated) == (2, 0)
    before = snapshot()
    second = run_import(path)
    assert second.ok and (second.created, second.updated) == (0, 0)
    assert second.counts["Cán bộ"].unchanged == 1
    assert second.counts["Đánh giá"].unchanged == 1
    assert snapshot() == before
    out = run_command("import", str(path))
    assert "Tổng: 0 tạo mới, 0 cập nhật" in out
    assert snapshot() == before


def test_changed_row_updates_with_before_and_after(world, package):
    run_import(package({"Cán bộ": [PEOPLE_HEADERS, person_row()]}))
    report = run_import(package({"Cán bộ": [PEOPLE_HEADERS, person_row(given="Bình")]}))
    assert (report.created, report.updated) == (0, 1)
    person = Person.objects.get(id_number="001080000001")
    assert person.full_name == "Nguyễn Văn Bình"
    event = AuditEvent.objects.filter(action="update").get()
    assert event.changes == {"given_name": ["An", "Bình"]}
    assert event.source == "import"


def test_one_bad_cell_changes_nothing_and_names_sheet_row_column(world, package):
    rows = [PEOPLE_HEADERS, person_row(), person_row("001080000003", born="31/02/1980")]
    path = package({"Cán bộ": rows})
    before = snapshot()
    with pytest.raises(CommandError, match="1 lỗi"):
        run_command("import", str(path))
    assert snapshot() == before
    report = run_import(path)
    assert not report.applied
    assert [(p.sheet, p.row, p.column, p.value) for p in report.errors] == [
        ("Cán bộ", 3, "Ngày sinh", "31/02/1980")
    ]
    assert report.errors[0].message == "Ngày 31/02/1980 không tồn tại."
    assert snapshot() == before


def test_fifty_bad_rows_are_all_listed(world, package):
    rows = [PEOPLE_HEADERS] + [
        person_row(f"0010800{n:05d}", sex="Nam giới" if n % 2 else "X") for n in range(1, 51)
    ]
    report = run_import(package({"Cán bộ": rows}))
    assert not report.ok and not report.applied
    assert len(report.errors) == 50
    assert [p.row for p in report.errors] == list(range(2, 52))
    assert {p.column for p in report.errors} == {"Giới tính"}
    assert Person.objects.count() == 0


def test_a_spelling_read_once_never_stands_for_another_value(world, package):
    # Cells are remembered by their text only: True (== 1) is still refused after "1" and 1.
    rows = [PEOPLE_HEADERS] + [
        person_row(f"0010800{n:05d}", middle=middle)
        for n, middle in enumerate(["1", 1, True, "1", " ", ""], start=1)
    ]
    rows[-1][3] = "  "  # a required given name left blank, twice
    rows[-2][3] = ""
    report = run_import(package({"Cán bộ": rows}))
    problems = [(p.row, p.column) for p in report.errors]
    assert problems == [(4, "Tên đệm"), (6, "Tên"), (7, "Tên")]
    assert Person.objects.count() == 0


def test_lost_leading_zero_is_flagged_with_the_likely_value(world, package):
    report = run_import(package({"Cán bộ": [PEOPLE_HEADERS, person_row(id_number=1080000001)]}))
    (problem,) = report.errors
    assert (problem.row, problem.column, problem.value) == (2, "Số định danh cá nhân", "1080000001")
    assert "001080000001" in problem.message
    assert Person.objects.count() == 0


def test_real_world_cells(world, package):
    headers = PEOPLE_HEADERS + ["Ngày vào Đảng", "Lý luận chính trị"]
    row = ["  001080000001 ", "NGUYỄN ", " văn", "an  ", "nam", 29285, "kinh", "00001", " XA ",
           "19/05/2005", "cao cap"]  # fmt: skip
    report = run_import(package({"Cán bộ": [headers, row]}))
    assert report.ok, [str(p) for p in report.problems]
    person = Person.objects.get()
    assert person.birth_date == dt.date(1980, 3, 5)  # Excel serial 29285
    assert person.sex == "M"
    assert person.party_joined_date == dt.date(2005, 5, 19)
    assert person.political_theory == PoliticalTheory.ADVANCED
    assert person.full_name == "Nguyễn Văn An"
    assert person.ethnicity.name == "Kinh"


def test_catalog_value_close_to_a_label_gets_a_suggestion(world, package):
    headers = PEOPLE_HEADERS + ["Lý luận chính trị"]
    report = run_import(package({"Cán bộ": [headers, person_row() + ["Cao cấpp"]]}))
    (problem,) = report.errors
    assert problem.column == "Lý luận chính trị"
    assert "Có phải “Cao cấp”?" in problem.message


def test_header_row_below_a_title_and_columns_in_any_order(world, package):
    rows = [
        ["DANH SÁCH CÁN BỘ NĂM 2026"],
        [],
        ["STT", "Tên", "Họ", "Số định danh cá nhân", "Giới tính", "Ngày sinh", "Mã đơn vị",
         "Ghi chú riêng"],
        [1, "An", "Nguyễn", "001080000001", "Nam", "03/1980", "XA", "x"],
    ]  # fmt: skip
    report = run_import(package({"Cán bộ": rows}))
    assert report.ok
    assert [(p.row, p.column, p.severity) for p in report.warnings] == [
        (3, "Ghi chú riêng", "warning")
    ]
    person = Person.objects.get()
    assert (person.birth_date, person.birth_date_precision) == (dt.date(1980, 3, 1), "M")


def test_missing_required_column_is_reported(world, package):
    report = run_import(package({"Cán bộ": [PEOPLE_HEADERS[:4], person_row()[:4]]}))
    assert not report.ok
    missing = sorted(p.column for p in report.errors if p.message == "Thiếu cột bắt buộc.")
    assert missing == ["Giới tính", "Ngày sinh"]


def test_units_resolve_in_any_row_order_with_positions_and_history(world, package):
    units = [
        ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Cấp", "Mã đơn vị cấp trên", "Mã địa bàn"],
        ["XA.VP", "Văn phòng Đảng ủy xã An Bình", "Cơ quan tham mưu của cấp ủy", "Cấp xã",
         "XA.BTC", ""],
        ["XA.BTC", "Ban Tổ chức Đảng ủy xã An Bình", "Cơ quan tham mưu của cấp ủy", "Cấp xã",
         "XA", "00001"],
    ]  # fmt: skip
    titles = [["Mã chức danh", "Tên chức danh", "Cấp", "Thứ bậc", "Chủ chốt"],
              ["chanh-vp", "Chánh Văn phòng", "Cấp xã", 20, "Không"]]  # fmt: skip
    positions = [["Mã đơn vị", "Mã chức danh", "Số lượng"], ["XA.VP", "chanh-vp", 1]]
    history = [["Số định danh cá nhân", "Từ ngày", "Mã đơn vị", "Mã chức danh"],
               ["001080000001", "06/2021", "XA.VP", "chanh-vp"]]  # fmt: skip
    people = [PEOPLE_HEADERS, person_row(unit="XA.VP")]
    report = run_import(package({"Quá trình công tác": history, "Cán bộ": people,
                                 "Vị trí": positions, "Chức danh": titles, "Đơn vị": units}))  # fmt: skip
    assert report.ok, [str(p) for p in report.problems]
    vp = Unit.objects.get(code="XA.VP")
    btc = Unit.objects.get(code="XA.BTC")
    assert Unit.objects.get_parent(vp).code == "XA.BTC"
    assert Unit.objects.get_parent(btc).code == "XA"
    assert Unit.objects.get(code="XA").numchild == 1
    assert Unit.objects.find_problems() == ([], [], [], [], [])
    assignment = Assignment.objects.get()
    assert assignment.position == Position.objects.get(unit=vp, title__code="chanh-vp")
    assert (assignment.unit_name, assignment.title_name) == (
        "Văn phòng Đảng ủy xã An Bình",
        "Chánh Văn phòng",
    )
    assert PositionTitle.objects.get(code="chanh-vp").rank == 20


def test_unknown_reference_and_parent_cycle_are_reported(world, package):
    units = [
        ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Cấp", "Mã đơn vị cấp trên"],
        ["U1", "Đơn vị 1", "Khác", "Cấp xã", "U2"],
        ["U2", "Đơn vị 2", "Khác", "Cấp xã", "U1"],
    ]
    people = [PEOPLE_HEADERS, person_row(unit="KHONG-CO")]
    report = run_import(package({"Đơn vị": units, "Cán bộ": people}))
    messages = {(p.sheet, p.row, p.column): p.message for p in report.errors}
    assert messages[("Cán bộ", 2, "Mã đơn vị")] == (
        "Không có đơn vị mã “KHONG-CO” trong gói hay trong hệ thống."
    )
    assert messages[("Đơn vị", 2, "Mã đơn vị cấp trên")] == "Quan hệ cấp trên tạo thành vòng lặp."
    assert Unit.objects.filter(code__in=["U1", "U2"]).count() == 0


def test_duplicate_rows_in_one_sheet_are_reported(world, package):
    report = run_import(package({"Cán bộ": [PEOPLE_HEADERS, person_row(), person_row()]}))
    (problem,) = report.errors
    assert (problem.row, problem.message) == (3, "Trùng với dòng 2 của sheet này.")


def test_a_database_error_while_writing_leaves_nothing_written(world, package, monkeypatch):
    """Every record written, then the database refuses something (another user's change):
    the whole import is undone, people, sections and audit events alike, and the user is
    told in Vietnamese to try again."""
    from django.db import IntegrityError

    from canbo.exchange.importer import PackageImport

    written = PackageImport.apply

    def apply_then_fail(self):
        written(self)
        assert Person.objects.filter(id_number="001080000001").exists()  # it did write
        raise IntegrityError("simulated: a unique key taken meanwhile")

    monkeypatch.setattr(PackageImport, "apply", apply_then_fail)
    before = snapshot()
    path = package({"Cán bộ": [PEOPLE_HEADERS, person_row()],
                    "Đánh giá": [["Số định danh cá nhân", "Năm", "Xếp loại", "Điểm"],
                                 ["001080000001", 2024, "Hoàn thành tốt nhiệm vụ", "85,5"]]})  # fmt: skip
    report = run_import(path)
    assert not report.applied
    assert [p.message for p in report.problems] == [
        "Dữ liệu trong hệ thống vừa thay đổi trong khi nhập; không có gì được ghi. Hãy thử lại."
    ]
    assert snapshot() == before


def test_dry_run_writes_nothing_but_counts(world, package):
    before = snapshot()
    report = run_import(package({"Cán bộ": [PEOPLE_HEADERS, person_row()]}), dry_run=True)
    assert report.ok and not report.applied
    assert report.created == 1
    assert snapshot() == before


def test_editor_scoped_to_one_commune_cannot_import_into_another(world, package):
    inside = package({"Cán bộ": [PEOPLE_HEADERS, person_row(unit="XA")]})
    mixed = package({"Cán bộ": [PEOPLE_HEADERS, person_row("001080000002", unit="XA"),
                                person_row("001080000003", unit="XB")]})  # fmt: skip
    report = run_import(mixed, actor=world.editor_a)
    assert not report.applied
    assert [(p.row, p.column) for p in report.errors] == [(3, "Mã đơn vị")]
    assert "Ngoài phạm vi" in report.errors[0].message
    assert Person.objects.count() == 0
    assert run_import(inside, actor=world.editor_a).applied
    assert Person.objects.get().unit == world.xa


def test_editor_cannot_move_someone_elses_person_or_add_catalogs(world, package):
    run_import(package({"Cán bộ": [PEOPLE_HEADERS, person_row(unit="XB")]}))
    steal = package({"Cán bộ": [PEOPLE_HEADERS, person_row(unit="XA")]})
    assert not run_import(steal, actor=world.editor_a).applied
    titles = package({"Chức danh": [["Mã chức danh", "Tên chức danh", "Cấp"],
                                   ["moi", "Chức danh mới", "Cấp xã"]]})  # fmt: skip
    report = run_import(titles, actor=world.editor_a)
    assert [p.message for p in report.errors] == ["Chỉ quản trị viên được thêm hoặc sửa danh mục này."]
    assert Person.objects.get().unit == world.xb
    assert not PositionTitle.objects.filter(code="moi").exists()


def test_viewer_cannot_import(world, package):
    report = run_import(package({"Cán bộ": [PEOPLE_HEADERS, person_row()]}), actor=world.viewer_a)
    assert [p.message for p in report.errors] == ["Bạn không có quyền nhập dữ liệu."]
    assert Person.objects.count() == 0


def test_sections_match_the_nth_row_and_never_delete(world, package):
    run_import(package({"Cán bộ": [PEOPLE_HEADERS, person_row()]}))
    rewards = [["Số định danh cá nhân", "Năm", "Hình thức khen thưởng", "Cơ quan quyết định"],
               ["001080000001", 2022, "Bằng khen", "UBND tỉnh"],
               ["001080000001", 2022, "Bằng khen", "Tỉnh ủy"]]  # fmt: skip
    assert run_import(package({"Khen thưởng": rewards})).created == 2
    again = run_import(package({"Khen thưởng": rewards[:2]}))
    assert (again.created, again.updated) == (0, 0)
    changed = rewards[:2] + [["001080000001", 2022, "Bằng khen", "Bộ Nội vụ"]]
    report = run_import(package({"Khen thưởng": changed}))
    assert (report.created, report.updated) == (0, 1)
    assert list(Reward.objects.order_by("pk").values_list("authority", flat=True)) == [
        "UBND tỉnh",
        "Bộ Nội vụ",
    ]


DISCIPLINE_HEADERS = ["Số định danh cá nhân", "Hình thức kỷ luật", "Ngày hiệu lực",
                      "Ngày hết hiệu lực", "Ngoại lệ theo QĐ 377"]  # fmt: skip


def test_discipline_qd377_exception_is_read_by_label_kept_when_absent_cleared_when_blank(
    world, package
):
    run_import(package({"Cán bộ": [PEOPLE_HEADERS, person_row()]}))
    rows = [DISCIPLINE_HEADERS,
            ["001080000001", "Khiển trách", "10/05/2023", "10/05/2024",
             "Khiển trách, cảnh cáo đã hết thời hạn"],
            ["001080000001", "Cảnh cáo", "01/11/2025", "", "khong bi xu ly ky luat hoac da het thoi hieu xu ly"],
            ["001080000001", "Cách chức", "01/02/2026", "", ""]]  # fmt: skip
    report = run_import(package({"Kỷ luật": rows}))
    assert (report.ok, report.created) == (True, 3)
    values = ("form", "effective_date", "planning_exception")
    assert list(Discipline.objects.order_by("effective_date").values_list(*values)) == [
        ("reprimand", dt.date(2023, 5, 10), "expired"),
        ("warning", dt.date(2025, 11, 1), "not_imposed"),
        ("removal", dt.date(2026, 2, 1), ""),
    ]
    # Without the column the recorded exception stays; a blank cell clears it.
    report = run_import(package({"Kỷ luật": [row[:4] for row in rows]}))
    assert (report.created, report.updated) == (0, 0)
    header, reprimand, warning, removal = rows
    cleared = [header, reprimand, warning[:4] + [""], removal]
    report = run_import(package({"Kỷ luật": cleared}))
    assert (report.created, report.updated) == (0, 1)
    assert list(Discipline.objects.order_by("effective_date").values_list(*values)) == [
        ("reprimand", dt.date(2023, 5, 10), "expired"),
        ("warning", dt.date(2025, 11, 1), ""),
        ("removal", dt.date(2026, 2, 1), ""),
    ]


def test_discipline_qd377_exception_outside_the_list_is_an_error(world, package):
    run_import(package({"Cán bộ": [PEOPLE_HEADERS, person_row()]}))
    report = run_import(package({"Kỷ luật": [
        DISCIPLINE_HEADERS, ["001080000001", "Khiển trách", "10/05/2023", "", "Được miễn"]
    ]}))  # fmt: skip
    assert [(p.sheet, p.row, p.column, p.message) for p in report.errors] == [
        ("Kỷ luật", 2, "Ngoại lệ theo QĐ 377",
         "“Được miễn” không có trong danh mục. Giá trị hợp lệ: Vi phạm chỉ đến mức kiểm điểm "
         "rút kinh nghiệm; Không bị xử lý kỷ luật hoặc đã hết thời hiệu xử lý; Khiển trách, "
         "cảnh cáo đã hết thời hạn."),
    ]  # fmt: skip
    assert not Discipline.objects.exists()


def test_template_offers_the_qd377_exceptions_as_a_drop_down(db, tmp_path):
    path = tmp_path / "mau.xlsx"
    write_template(str(path))
    workbook = openpyxl.load_workbook(path)
    ws = workbook["Kỷ luật"]
    headers = [c.value for c in ws[1]]
    assert headers == [c.header for c in DISCIPLINES.columns]
    assert headers[-1] == "Ngoại lệ theo QĐ 377"
    catalog = workbook[CATALOG_TITLE]
    lists = {col[0].value: [c.value for c in col[1:] if c.value] for col in catalog.iter_cols()}
    assert lists["Ngoại lệ theo QĐ 377"] == [
        "Vi phạm chỉ đến mức kiểm điểm rút kinh nghiệm",
        "Không bị xử lý kỷ luật hoặc đã hết thời hiệu xử lý",
        "Khiển trách, cảnh cáo đã hết thời hạn",
    ]
    letter = openpyxl.utils.get_column_letter(len(headers))
    assert [v.type for v in ws.data_validations.dataValidation if f"{letter}2" in str(v.sqref)] == [
        "list"
    ]


def test_section_for_an_unknown_person_is_reported(world, package):
    report = run_import(package({"Đánh giá": [["Số định danh cá nhân", "Năm", "Xếp loại"],
                                              ["001080000009", 2024, "Hoàn thành nhiệm vụ"]]}))  # fmt: skip
    (problem,) = report.errors
    assert (problem.sheet, problem.row, problem.column) == ("Đánh giá", 2, "Số định danh cá nhân")
    assert problem.message == "Không có cán bộ với số định danh này trong gói hay trong hệ thống."


def test_sheet_without_its_required_columns_is_reported_not_planned(world, package):
    report = run_import(package({"Nhiệm kỳ": [["Loại nhiệm kỳ", "Tên nhiệm kỳ"],
                                              ["Đại hội Đảng bộ", "2030–2035"]]}))  # fmt: skip
    assert [(p.sheet, p.row, p.column, p.message) for p in report.errors] == [
        ("Nhiệm kỳ", 1, "Bắt đầu", "Thiếu cột bắt buộc."),
        ("Nhiệm kỳ", 1, "Kết thúc", "Thiếu cột bắt buộc."),
    ]


def test_editor_adding_a_person_without_a_unit_is_told_to_give_one(world, package):
    headers = PEOPLE_HEADERS[:6]
    report = run_import(package({"Cán bộ": [headers, person_row()[:6]]}), actor=world.editor_a)
    assert [(p.row, p.column, p.message) for p in report.errors] == [
        (2, "Mã đơn vị", "Cán bộ mới cần Mã đơn vị thuộc phạm vi của bạn.")
    ]


def test_problems_on_a_continuation_worksheet_name_it(world, package):
    header = ["Số định danh cá nhân", "Năm", "Xếp loại"]
    run_import(package({"Cán bộ": [PEOPLE_HEADERS, person_row()]}))
    report = run_import(package({
        "Đánh giá": [header, ["001080000001", 2023, "Hoàn thành nhiệm vụ"]],
        "Đánh giá (2)": [header, ["001080000001", 2024, "Hoàn thành nhiệm vụ"],
                         ["001080000001", 2025, "Xuất sắc lắm"]],
    }))  # fmt: skip
    assert [(p.sheet, p.row, p.column) for p in report.errors] == [
        ("Đánh giá (2)", 3, "Xếp loại")
    ]


def test_work_history_without_position_columns_keeps_the_position(world, package):
    titles = [["Mã chức danh", "Tên chức danh", "Cấp"], ["bi-thu", "Bí thư", "Cấp xã"]]
    positions = [["Mã đơn vị", "Mã chức danh"], ["XA", "bi-thu"]]
    history = [["Số định danh cá nhân", "Từ ngày", "Mã đơn vị", "Mã chức danh"],
               ["001080000001", "2021", "XA", "bi-thu"]]  # fmt: skip
    run_import(package({"Chức danh": titles, "Vị trí": positions,
                        "Cán bộ": [PEOPLE_HEADERS, person_row()], "Quá trình công tác": history}))  # fmt: skip
    position = Assignment.objects.get().position
    assert position is not None
    names_only = [["Số định danh cá nhân", "Từ ngày", "Tên đơn vị (tại thời điểm)",
                   "Chức vụ (tại thời điểm)", "Số quyết định"],
                  ["001080000001", "2021", "Đảng ủy xã An Bình", "Bí thư", "12-QĐ/TU"]]  # fmt: skip
    report = run_import(package({"Quá trình công tác": names_only}))
    assert (report.created, report.updated) == (0, 1)
    assignment = Assignment.objects.get()
    assert (assignment.position, assignment.decision_number) == (position, "12-QĐ/TU")


def test_a_column_check_runs_every_model_validator_and_words_failures_like_django():
    from django.core.exceptions import ValidationError

    from canbo.exchange.importer import PackageImport
    from canbo.people.package.sheets import PEOPLE

    check = PackageImport.checker(PEOPLE.column("id_number"), Person)
    check("001080000001")
    field = Person._meta.get_field("id_number")
    for bad in ("00108000000x", "0010800000012", "1234"):
        with pytest.raises(ValidationError) as caught:
            check(bad)
        with pytest.raises(ValidationError) as django:
            field.run_validators(bad)
        assert caught.value.messages == django.value.messages
    with pytest.raises(ValidationError) as caught:
        check("0010800000012")
    assert len(caught.value.messages) == 2  # the pattern and the length, both named


def test_a_unit_moved_to_another_area_makes_its_people_follow_in_the_same_import(world, package):
    # An is local to XA's commune A; the package moves XA to commune B and names no person.
    assert run_import(package({"Cán bộ": [PEOPLE_HEADERS, person_row()]})).ok
    assert Person.objects.get(id_number="001080000001").is_local is True
    units = [["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Cấp", "Mã địa bàn"],
             ["XA", "Đảng ủy xã An Bình", "Cấp ủy, tổ chức đảng", "Cấp xã", "00002"]]  # fmt: skip
    report = run_import(package({"Đơn vị": units}))
    assert (report.created, report.updated) == (0, 1), [str(p) for p in report.problems]
    assert Unit.objects.get(code="XA").area.code == "00002"
    assert Person.objects.get(id_number="001080000001").is_local is False


def test_new_people_are_written_a_chunk_at_a_time_with_every_link_kept(world, package, monkeypatch):
    """Five new people written two at a time: each gets its key, its local flag (hometown
    against the unit's commune, also for a unit the same package creates), one audit event,
    and the sections that name them find them."""
    monkeypatch.setattr("canbo.people.package.importing.PEOPLE_CHUNK", 2)
    units = [["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Cấp", "Mã đơn vị cấp trên", "Mã địa bàn"],
             ["XA.VP", "Văn phòng Đảng ủy xã An Bình", "Cơ quan tham mưu của cấp ủy", "Cấp xã",
              "XA", ""]]  # fmt: skip
    people = [PEOPLE_HEADERS]
    for n, (hometown, unit) in enumerate(
        [("00001", "XA"), ("00002", "XA"), ("00001", "XA.VP"), ("00002", "XB"), ("00002", "XB")]
    ):
        people.append(person_row(f"00108000001{n}", "Lê", "Văn", f"Tư{n}", hometown=hometown, unit=unit))
    evaluations = [["Số định danh cá nhân", "Năm", "Xếp loại", "Điểm"]] + [
        [f"00108000001{n}", 2024, "Hoàn thành tốt nhiệm vụ", ""] for n in range(5)
    ]
    report = run_import(package({"Cán bộ": people, "Đơn vị": units, "Đánh giá": evaluations}))
    assert report.ok, [str(p) for p in report.problems]
    found = dict(Person.objects.values_list("id_number", "is_local"))
    assert found == {"001080000010": True, "001080000011": False, "001080000012": True,
                     "001080000013": True, "001080000014": True}  # fmt: skip
    assert Evaluation.objects.filter(person__id_number__startswith="00108000001").count() == 5
    people_events = AuditEvent.objects.filter(source="import", action="create",
                                              object_repr__contains="Lê Văn Tư")  # fmt: skip
    assert people_events.count() == 5
    assert sorted(e.changes["id_number"][1] for e in people_events) == sorted(found)


def test_the_people_whose_history_was_imported_are_settled_after_the_commit(
        world, package, django_capture_on_commit_callbacks):  # fmt: skip
    """ADR 0035: the import writes work history in bulk (no signal); once it commits, the
    people it wrote history for are judged again: new rows and changed rows alike."""
    titles = [["Mã chức danh", "Tên chức danh", "Cấp", "Thứ bậc", "Chủ chốt"],
              ["bi-thu", "Bí thư", "Cấp xã", 40, "Có"], ["chu-tich", "Chủ tịch", "Cấp xã", 38, "Có"]]  # fmt: skip
    positions = [["Mã đơn vị", "Mã chức danh", "Số lượng"], ["XA", "bi-thu", 1], ["XA", "chu-tich", 1]]
    header = ["Số định danh cá nhân", "Từ ngày", "Đến ngày", "Mã đơn vị", "Mã chức danh"]
    first = ["001080000001", "06/2021", "", "XA", "bi-thu"]
    second = ["001080000001", "01/2024", "", "XA", "chu-tich"]

    def imported(history):
        with django_capture_on_commit_callbacks(execute=True):
            report = run_import(package({"Chức danh": titles, "Vị trí": positions,
                                         "Cán bộ": [PEOPLE_HEADERS, person_row()],
                                         "Quá trình công tác": [header, *history]}))  # fmt: skip
        assert report.ok, [str(p) for p in report.problems]
        return Person.objects.get(id_number="001080000001").main_posts_apart

    assert imported([first]) is True
    assert imported([first, second]) is False  # both held from 01/2024
    assert imported([first[:2] + ["12/2023"] + first[3:], second]) is True  # a changed row
