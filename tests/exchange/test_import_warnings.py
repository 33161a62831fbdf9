"""Imports warn about records for which "local or not" cannot be judged (issue 13 item 6).

A unit that governs no area (neither its own nor an ancestor's), and a person with neither a
record unit nor any post in their work history, are written as asked, with a warning that
names each at its sheet, row and column.
"""

import pytest

from canbo.organizations.models import Position, PositionTitle, Unit
from canbo.people.models import Assignment, Person

from .conftest import PEOPLE_HEADERS, person_row, run_import

pytestmark = pytest.mark.django_db

UNIT_HEADERS = ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Cấp", "Mã đơn vị cấp trên", "Mã địa bàn"]
NO_AREA = (
    "Đơn vị này và các đơn vị cấp trên đều không có địa bàn: không xác định được người địa "
    "phương cho cán bộ giữ chức vụ hay có hồ sơ ở đây. Hãy ghi Mã địa bàn."
)
NO_PLACE = (
    "Cán bộ không có đơn vị quản lý hồ sơ và không giữ vị trí nào trong quá trình công tác: "
    "không xác định được người địa phương. Hãy ghi Mã đơn vị, hoặc quá trình công tác có Mã "
    "đơn vị và Mã chức danh."
)


def warnings(report):
    return [(p.sheet, p.row, p.column, p.message) for p in report.warnings]


def test_a_unit_that_governs_no_area_is_written_with_a_warning_naming_it(world, package):
    units = [
        UNIT_HEADERS,
        ["BQL", "Ban quản lý dự án", "Khác", "Cấp tỉnh", "", ""],  # a new root, no area
        ["BQL.1", "Phòng dự án 1", "Khác", "Cấp tỉnh", "BQL", ""],  # nor its parent
        ["XA.VP", "Văn phòng Đảng ủy xã An Bình", "Cơ quan tham mưu của cấp ủy", "Cấp xã", "XA",
         ""],  # XA governs commune A
        ["BQL.2", "Phòng dự án 2", "Khác", "Cấp tỉnh", "BQL", "01"],  # its own area
    ]  # fmt: skip
    report = run_import(package({"Đơn vị": units}))
    assert report.ok and report.applied
    assert report.created == 4
    assert warnings(report) == [
        ("Đơn vị", 2, "Mã địa bàn", NO_AREA),
        ("Đơn vị", 3, "Mã địa bàn", NO_AREA),
    ]
    assert Unit.objects.filter(code__startswith="BQL").count() == 3


def test_a_unit_that_the_package_gives_an_area_or_moves_under_one_is_not_warned(world, package):
    Unit.objects.filter(code="XB").update(area=None)  # XB now governs only through TU
    units = [UNIT_HEADERS, ["XB", "Đảng ủy xã Bình Minh", "Cấp ủy, tổ chức đảng", "Cấp xã", "TU",
                            ""]]  # fmt: skip
    report = run_import(package({"Đơn vị": units}))
    assert report.ok and warnings(report) == []
    Unit.objects.filter(code="TU").update(area=None)
    report = run_import(package({"Đơn vị": units}))
    assert warnings(report) == [("Đơn vị", 2, "Mã địa bàn", NO_AREA)]


def test_a_person_with_neither_record_unit_nor_post_is_written_with_a_warning(world, package):
    people = [PEOPLE_HEADERS,
              person_row(unit=""),  # no record unit, no post: warned
              person_row("001080000002", given="Bình", unit=""),  # a post in the package
              person_row("001080000003", given="Cường")]  # a record unit
    titles = [["Mã chức danh", "Tên chức danh", "Cấp"], ["bi-thu", "Bí thư", "Cấp xã"]]
    positions = [["Mã đơn vị", "Mã chức danh"], ["XA", "bi-thu"]]
    history = [["Số định danh cá nhân", "Từ ngày", "Mã đơn vị", "Mã chức danh",
                "Chức vụ (tại thời điểm)"],
               ["001080000002", "2021", "XA", "bi-thu", ""],
               ["001080000001", "2019", "", "", "Chuyên viên"]]  # a row without a post: no post  # fmt: skip
    report = run_import(package({"Cán bộ": people, "Chức danh": titles, "Vị trí": positions,
                                 "Quá trình công tác": history}))  # fmt: skip
    assert report.ok and report.applied, [str(p) for p in report.errors]
    assert warnings(report) == [("Cán bộ", 2, "Mã đơn vị", NO_PLACE)]
    assert Person.objects.get(id_number="001080000001").unit is None


def test_a_stored_post_counts_and_a_package_that_takes_it_away_is_warned(world, package):
    title = PositionTitle.objects.create(code="bi-thu", name="Bí thư", level=3)
    position = Position.objects.create(unit=world.xa, title=title)
    assert run_import(package({"Cán bộ": [PEOPLE_HEADERS, person_row(unit="")]})).ok
    person = Person.objects.get()
    Assignment.objects.create(person=person, position=position, start_date="2021-01-01",
                              unit_name="Đảng ủy xã An Bình", title_name="Bí thư")  # fmt: skip
    again = run_import(package({"Cán bộ": [PEOPLE_HEADERS, person_row(unit="")]}))
    assert warnings(again) == []
    # The package keeps the row (same start, unit and title names) but clears its post.
    history = [["Số định danh cá nhân", "Từ ngày", "Tên đơn vị (tại thời điểm)",
                "Chức vụ (tại thời điểm)", "Mã đơn vị", "Mã chức danh"],
               ["001080000001", "01/01/2021", "Đảng ủy xã An Bình", "Bí thư", "", ""]]  # fmt: skip
    cleared = run_import(package({"Cán bộ": [PEOPLE_HEADERS, person_row(unit="")],
                                  "Quá trình công tác": history}))  # fmt: skip
    assert cleared.ok, [str(p) for p in cleared.errors]
    assert warnings(cleared) == [("Cán bộ", 2, "Mã đơn vị", NO_PLACE)]
    assert Assignment.objects.get().position is None
