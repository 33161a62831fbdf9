"""The import report: every problem of every row in one round, errors first by sheet (issue 17)."""

from __future__ import annotations

import pytest

from canbo.core.models import AuditEvent
from canbo.people.models import Evaluation, Person

from .conftest import PEOPLE_HEADERS, json_package, person_row, run_import

pytestmark = pytest.mark.django_db

EVALUATION_HEADERS = ["Số định danh cá nhân", "Năm", "Xếp loại", "Điểm"]
DISCIPLINE_HEADERS = ["Số định danh cá nhân", "Hình thức kỷ luật", "Ngày hiệu lực",
                      "Ngày hết hiệu lực"]  # fmt: skip
BAD_DATE = "Không đọc được ngày “1980x”; hãy ghi dd/mm/yyyy, mm/yyyy hoặc yyyy."
NOT_SEX = "“Nan” không có trong danh mục. Có phải “Nam”?"
NOT_RATING = "“Hoàn thành tốt” không có trong danh mục. Có phải “Hoàn thành tốt nhiệm vụ”?"
NOT_INT = "Ô này cần một số nguyên."
NOT_NUMBER = "Ô này cần một số."
NO_PERSON = "Không có cán bộ với số định danh này trong gói hay trong hệ thống."
ID = "Số định danh cá nhân"
OUTSIDE = "Ngoài phạm vi quyền của bạn; gói bị từ chối toàn bộ."


def refused(row: int) -> str:
    return f"Cán bộ này không được nhập vì dòng {row} của sheet “Cán bộ” có lỗi (xem lỗi ở dòng đó)."


def listed(report):
    return [(p.severity, p.sheet, p.row, p.column, p.message) for p in report.problems]


def small_package(package):
    return package({
        # The evaluations come first in the file: the report follows the package's order.
        "Đánh giá": [EVALUATION_HEADERS,
                     ["001080000001", 2024, "Hoàn thành tốt", "85,5"],
                     ["001080000001", "abc", "Hoàn thành tốt nhiệm vụ", "85,5"],
                     ["001080000002", 2024, "Hoàn thành tốt nhiệm vụ", "85,5"],
                     ["001080000009", 2024, "Hoàn thành tốt nhiệm vụ", "x"],
                     ["001080000003", 2024, "Hoàn thành tốt nhiệm vụ", "90"]],
        "Cán bộ": [PEOPLE_HEADERS + ["Ghi chú riêng"],
                   person_row(born="1980x", sex="Nan") + [""],
                   person_row("001080000002", born="1980x", unit="ZZ") + [""],
                   person_row("001080000003", unit="XA") + [""]],
    })  # fmt: skip


def test_every_problem_of_every_row_in_one_round_errors_first_by_sheet(world, package):
    report = run_import(small_package(package), dry_run=True)
    assert listed(report) == [
        # A bad date does not hide the row's bad choice, nor an unknown unit code.
        ("error", "Cán bộ", 2, "Giới tính", NOT_SEX),
        ("error", "Cán bộ", 2, "Ngày sinh", BAD_DATE),
        ("error", "Cán bộ", 3, "Ngày sinh", BAD_DATE),
        ("error", "Cán bộ", 3, "Mã đơn vị", "Không có đơn vị mã “ZZ” trong gói hay trong hệ thống."),
        # A refused person's other rows say their own problems, and once that the person is
        # refused; an unknown person is still unknown, and the row's own problems follow.
        ("error", "Đánh giá", 2, ID, refused(2)),
        ("error", "Đánh giá", 2, "Xếp loại", NOT_RATING),
        ("error", "Đánh giá", 3, ID, refused(2)),
        ("error", "Đánh giá", 3, "Năm", NOT_INT),
        ("error", "Đánh giá", 4, ID, refused(3)),
        ("error", "Đánh giá", 5, ID, NO_PERSON),
        ("error", "Đánh giá", 5, "Điểm", NOT_NUMBER),
        ("warning", "Cán bộ", 1, "Ghi chú riêng",
         "Cột không có trong định dạng gói dữ liệu; bị bỏ qua."),
    ]  # fmt: skip
    assert not report.ok and not report.applied


def test_nothing_is_written_and_nothing_audited_when_any_error(world, package):
    path = small_package(package)
    report = run_import(path)
    assert (report.ok, report.applied, len(report.errors)) == (False, False, 11)
    assert (Person.objects.count(), Evaluation.objects.count(), AuditEvent.objects.count()) == (0, 0, 0)
    # The counts say what the good rows would do: one person, one evaluation.
    assert {t: vars(c) for t, c in report.counts.items()} == {
        "Cán bộ": {"created": 1, "updated": 0, "unchanged": 0},
        "Đánh giá": {"created": 1, "updated": 0, "unchanged": 0},
    }


def test_a_bad_date_and_a_bad_choice_in_one_row_are_both_reported(world, package):
    report = run_import(package({"Cán bộ": [PEOPLE_HEADERS, person_row(born="1980x", sex="Nan")]}))
    assert listed(report) == [
        ("error", "Cán bộ", 2, "Giới tính", NOT_SEX),
        ("error", "Cán bộ", 2, "Ngày sinh", BAD_DATE),
    ]


def test_a_refused_persons_row_elsewhere_reports_its_own_bad_date(world, package):
    report = run_import(package({
        "Cán bộ": [PEOPLE_HEADERS, person_row(sex="Nan")],
        "Kỷ luật": [DISCIPLINE_HEADERS,
                    ["001080000001", "Khiển trách", "32/01/2020", ""],
                    ["001080000001", "Khiển trách", "01/01/2020", "01/01/2019"]],
    }))  # fmt: skip
    assert listed(report) == [
        ("error", "Cán bộ", 2, "Giới tính", NOT_SEX),
        ("error", "Kỷ luật", 2, ID, refused(2)),
        ("error", "Kỷ luật", 2, "Ngày hiệu lực",
         "Ngày 32/01/2020 không tồn tại."),
        # Checked against the refused person as if they were to be created.
        ("error", "Kỷ luật", 3, ID, refused(2)),
        ("error", "Kỷ luật", 3, "Ngày hết hiệu lực", "Ngày hết hiệu lực không được trước ngày hiệu lực."),
    ]  # fmt: skip
    assert NO_PERSON not in [p.message for p in report.problems]


def test_a_bad_cell_does_not_hide_a_rule_across_the_rows_other_cells(world, package):
    report = run_import(package({
        "Cán bộ": [PEOPLE_HEADERS, person_row()],
        "Kỷ luật": [DISCIPLINE_HEADERS, ["001080000001", "Phạt", "01/01/2020", "01/01/2019"]],
    }))  # fmt: skip
    assert [(p.row, p.column, p.message.split(":")[0]) for p in report.errors] == [
        (2, "Hình thức kỷ luật", "“Phạt” không có trong danh mục. Giá trị hợp lệ"),
        (2, "Ngày hết hiệu lực", "Ngày hết hiệu lực không được trước ngày hiệu lực."),
    ]


def fifty_problems(package):
    people = [PEOPLE_HEADERS]
    for n in range(1, 11):  # ten refused people, two problems each
        people.append(person_row(f"0010800000{n:02d}", born="1980x", sex="Nan"))
    for n in range(11, 21):  # ten good people
        people.append(person_row(f"0010800000{n:02d}"))
    evaluations = [EVALUATION_HEADERS]
    for n in range(11, 21):  # two problems on each row of a good person
        evaluations.append([f"0010800000{n:02d}", "abc", "Hoàn thành tốt", "85"])
    disciplines = [DISCIPLINE_HEADERS]
    for n in range(11, 16):  # a bad form, and a rule across the dates still checked
        disciplines.append([f"0010800000{n:02d}", "Phạt", "01/01/2020", "01/01/2019"])
    return package({"Kỷ luật": disciplines, "Đánh giá": evaluations, "Cán bộ": people})


def test_fifty_problems_over_three_sheets_in_one_round(world, package):
    report = run_import(fifty_problems(package))
    assert (len(report.problems), len(report.errors), report.applied) == (50, 50, False)
    sheets = [p.sheet for p in report.problems]
    assert sheets == ["Cán bộ"] * 20 + ["Đánh giá"] * 20 + ["Kỷ luật"] * 10
    assert [(p.row, p.column) for p in report.problems[:4]] == [
        (2, "Giới tính"), (2, "Ngày sinh"), (3, "Giới tính"), (3, "Ngày sinh"),
    ]  # fmt: skip
    assert [(p.row, p.column) for p in report.problems[20:24]] == [
        (2, "Năm"), (2, "Xếp loại"), (3, "Năm"), (3, "Xếp loại"),
    ]  # fmt: skip
    assert [(p.row, p.column) for p in report.problems[40:42]] == [
        (2, "Hình thức kỷ luật"), (2, "Ngày hết hiệu lực"),
    ]  # fmt: skip
    assert (Person.objects.count(), AuditEvent.objects.count()) == (0, 0)


def test_an_eleven_digit_id_in_a_json_package_is_not_blamed_on_excel(world, tmp_path, package):
    row = dict(zip(PEOPLE_HEADERS, person_row("01080000001"), strict=True))
    evaluation = {ID: "01080000002", "Năm": 2024, "Xếp loại": "Hoàn thành tốt nhiệm vụ"}
    path = json_package(tmp_path / "goi.json", {"Cán bộ": [row], "Đánh giá": [evaluation]})
    report = run_import(path)
    assert listed(report) == [
        ("error", "Cán bộ", 1, ID, "Số định danh cá nhân có 11 chữ số, cần đúng 12."),
        ("error", "Đánh giá", 1, ID, "Số định danh cá nhân có 11 chữ số, cần đúng 12."),
    ]
    # In a workbook the same number keeps its hint: Excel drops leading zeros.
    report = run_import(package({"Cán bộ": [PEOPLE_HEADERS, person_row("01080000001")]}))
    assert [p.message for p in report.errors] == [
        "Số định danh cá nhân có 11 chữ số, cần đúng 12. Có thể Excel đã bỏ số 0 ở đầu: nếu "
        "đúng là 001080000001, hãy định dạng ô là Văn bản (Text) và nhập lại."
    ]


def test_a_stored_persons_refused_row_is_noted_on_their_other_rows(world, package):
    run_import(package({"Cán bộ": [PEOPLE_HEADERS, person_row()]}))
    before = AuditEvent.objects.count()
    report = run_import(package({
        "Cán bộ": [PEOPLE_HEADERS, person_row(given="Bình", born="1980x")],
        "Đánh giá": [EVALUATION_HEADERS, ["001080000001", 2024, "Hoàn thành tốt nhiệm vụ", "x"]],
    }))  # fmt: skip
    assert listed(report) == [
        ("error", "Cán bộ", 2, "Ngày sinh", BAD_DATE),
        ("error", "Đánh giá", 2, ID, refused(2)),
        ("error", "Đánh giá", 2, "Điểm", NOT_NUMBER),
    ]
    assert Person.objects.get().given_name == "An"
    assert (Evaluation.objects.count(), AuditEvent.objects.count()) == (0, before)


def test_a_refused_row_beyond_the_editors_scope_says_so_in_the_same_round(world, package):
    report = run_import(package({"Cán bộ": [
        PEOPLE_HEADERS, person_row(), person_row("001080000002", born="1980x", unit="XB"),
    ]}), actor=world.editor_a)  # fmt: skip
    assert listed(report) == [
        ("error", "Cán bộ", 3, "Ngày sinh", BAD_DATE),
        ("error", "Cán bộ", 3, "Mã đơn vị", OUTSIDE),
    ]
    assert (Person.objects.count(), AuditEvent.objects.count()) == (0, 0)
