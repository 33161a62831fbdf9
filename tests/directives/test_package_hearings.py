"""The hearing schedule in the data package ("Lịch làm việc", "Làm việc trực tiếp"): slots and
invited units with their bookings import, a second import changes nothing and writes no
audit, a booked slot is one unit's (a clash names the other unit and its row), rows beyond
the editor's scope reject the whole package, and export → import is the identity."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from canbo.accounts.models import Role
from canbo.core.models import AuditEvent
from canbo.directives import editing, services
from canbo.directives.models import HearingInvitation, HearingSlot, TaskAssignment
from canbo.organizations.models import Unit
from tests.directives.test_package import OUTSIDE, export, problems
from tests.directives.test_package import campaign as campaign  # noqa: F401  (fixtures)
from tests.directives.test_rollups import region as region  # noqa: F401
from tests.exchange.conftest import json_package, run_import
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

KEY = {"directive_number": "05-KH/TU", "directive_unit": "T01"}


def slot(day: str, session: str, **fields) -> dict:
    return {**KEY, "day": day, "session": session, **fields}


def invited(unit: str, day: str | None = None, session: str | None = None) -> dict:
    row = {**KEY, "unit": unit}
    if day is not None:
        row.update(slot_day=day, slot_session=session)
    return row


def package(tmp_path, name: str, slots=(), invitations=()):
    sheets = {}
    if slots:
        sheets["hearing_slots"] = list(slots)
    if invitations:
        sheets["hearing_invitations"] = list(invitations)
    return json_package(tmp_path / name, sheets)


def schedule() -> list:
    """The slots, and each invited unit with the slot it holds."""
    slots = sorted(HearingSlot.objects.values_list("directive__number", "day", "session", "place"))
    invitations = sorted(
        (i.directive.number, i.unit.code, (i.slot.day, i.slot.session) if i.slot else None)
        for i in HearingInvitation.objects.select_related("directive", "unit", "slot")
    )
    return [slots, invitations]


MORNING, AFTERNOON = dt.date(2012, 7, 15), dt.date(2012, 7, 16)


@pytest.fixture
def stored(campaign):  # noqa: F811
    """05-KH/TU's schedule on the server: two slots, T01-H00 holding the morning one,
    T01-H01 invited without a booking."""
    _plan, own, _provinces = campaign
    admin = UserFactory(username="quantri-lich", role=Role.ADMIN)
    first = editing.slot_add(actor=admin, directive=own, day=MORNING, session="morning",
                             place="Hội trường Tỉnh ủy")  # fmt: skip
    editing.slot_add(actor=admin, directive=own, day=AFTERNOON, session="afternoon")
    editing.invite(actor=admin, directive=own,
                   units=list(Unit.objects.filter(code__in=["T01-H00", "T01-H01"])))  # fmt: skip
    services.hearing_book(actor=admin, invitation=HearingInvitation.objects.get(unit__code="T01-H00"),
                          slot=first)  # fmt: skip
    return own


def test_the_schedule_imports_once(campaign, tmp_path):  # noqa: F811
    events = AuditEvent.objects.count()
    path = package(tmp_path, "lich.json", slots=[
        slot("15/07/2012", "Sáng", place="Hội trường Tỉnh ủy"),
        slot("15/07/2012", "Chiều"),
        slot("16/07/2012", "Sáng"),
    ], invitations=[
        invited("T01-H00", "15/07/2012", "Sáng"),
        invited("T01-H01", "15/07/2012", "Chiều"),
        invited("T01-H02"),
    ])  # fmt: skip
    report = run_import(path)
    assert report.ok, problems(report)
    assert (report.counts["Lịch làm việc"].created, report.counts["Làm việc trực tiếp"].created) == (3, 3)
    assert (report.created, report.updated) == (6, 0)
    assert schedule() == [
        [("05-KH/TU", MORNING, "afternoon", ""), ("05-KH/TU", MORNING, "morning", "Hội trường Tỉnh ủy"),
         ("05-KH/TU", AFTERNOON, "morning", "")],
        [("05-KH/TU", "T01-H00", (MORNING, "morning")), ("05-KH/TU", "T01-H01", (MORNING, "afternoon")),
         ("05-KH/TU", "T01-H02", None)],
    ]  # fmt: skip
    assert AuditEvent.objects.count() == events + 6
    again = run_import(path)
    assert again.ok and (again.created, again.updated) == (0, 0)
    assert AuditEvent.objects.count() == events + 6


def test_units_swap_move_and_give_back_their_slots(stored, tmp_path):
    events = AuditEvent.objects.count()
    report = run_import(package(tmp_path, "doi.json", slots=[
        slot("15/07/2012", "Sáng", place="Phòng họp số 1"),
    ], invitations=[
        invited("T01-H00", "16/07/2012", "Chiều"),
        invited("T01-H01", "15/07/2012", "Sáng"),
    ]))  # fmt: skip
    assert report.ok, problems(report)
    assert (report.created, report.updated) == (0, 3)
    assert schedule()[1] == [("05-KH/TU", "T01-H00", (AFTERNOON, "afternoon")),
                             ("05-KH/TU", "T01-H01", (MORNING, "morning"))]  # fmt: skip
    assert HearingSlot.objects.get(day=MORNING).place == "Phòng họp số 1"
    assert AuditEvent.objects.count() == events + 3
    back = run_import(package(tmp_path, "tra.json", invitations=[invited("T01-H00", "", "")]))
    assert back.ok and (back.created, back.updated) == (0, 1)
    assert HearingInvitation.objects.get(unit__code="T01-H00").slot is None


def test_clashes_and_bad_slots_by_sheet_row_and_column(stored, tmp_path):
    before = schedule()
    events = AuditEvent.objects.count()
    report = run_import(package(tmp_path, "sai.json", slots=[
        slot("20/07/2012", "Sáng"),  # fine alone
        slot("14/06/2012", "Chiều"),
        slot("21/07/2012", "Sáng", directive_number="99-KH/TU"),
        slot("20/07/2012", "Sáng", place="Trùng"),
    ], invitations=[
        invited("T01-H02", "15/07/2012", "Sáng"),
        invited("T01-H03", "20/07/2012", "Sáng"),
        invited("T01-H04", "20/07/2012", "Sáng"),
        invited("T01-H05", "17/07/2012", "Sáng"),
        invited("T01-H06", "20/07/2012", ""),
        invited("T01-H03"),
    ]))  # fmt: skip
    assert sorted(problems(report)) == sorted([
        ("Lịch làm việc", 2, "Ngày", "Buổi làm việc không thể trước ngày ban hành văn bản."),
        ("Lịch làm việc", 3, "Số văn bản", "Không có văn bản số “99-KH/TU” của cơ quan “T01” "
         "trong sheet Văn bản chỉ đạo của gói hay trong hệ thống."),
        ("Lịch làm việc", 4, "Ngày", "Trùng với dòng 1 của sheet này."),
        ("Làm việc trực tiếp", 4, "Ngày đăng ký", "Văn bản này không có buổi 17/07/2012 (Sáng) "
         "trong sheet Lịch làm việc của gói hay trong hệ thống."),
        ("Làm việc trực tiếp", 5, "Buổi đăng ký",
         "Ghi cả Ngày đăng ký và Buổi đăng ký, hoặc bỏ trống cả hai."),
        ("Làm việc trực tiếp", 6, "Mã đơn vị được làm việc", "Trùng với dòng 2 của sheet này."),
        ("Làm việc trực tiếp", 1, "Ngày đăng ký",
         "Buổi 15/07/2012 (Sáng) đã có đơn vị “T01-H00” đăng ký."),
        ("Làm việc trực tiếp", 3, "Ngày đăng ký",
         "Buổi 20/07/2012 (Sáng) đã có đơn vị “T01-H03” đăng ký ở dòng 2 của sheet này."),
    ])  # fmt: skip
    assert not report.applied
    assert schedule() == before and AuditEvent.objects.count() == events


def test_rows_beyond_the_editor_scope_reject_the_package(stored, tmp_path):
    district = UserFactory(username="huyen-h00", role=Role.EDITOR)
    grant(district, Unit.objects.get(code="T01-H00"))
    before = schedule()
    report = run_import(package(tmp_path, "vuot.json", slots=[
        slot("20/07/2012", "Sáng"),
        slot("15/07/2012", "Sáng", place="Hội trường Tỉnh ủy"),  # unchanged: no scope needed
    ], invitations=[
        invited("T01-H02"),
        invited("T01-H01", "16/07/2012", "Chiều"),
        invited("T01-H00", "15/07/2012", "Sáng"),  # unchanged
    ]), actor=district)  # fmt: skip
    assert problems(report) == [
        ("Lịch làm việc", 1, "Mã cơ quan ban hành", OUTSIDE),
        ("Làm việc trực tiếp", 1, "Mã cơ quan ban hành", OUTSIDE),
        ("Làm việc trực tiếp", 2, "Mã đơn vị được làm việc", OUTSIDE),
    ]
    assert not report.applied and schedule() == before
    # The district books for itself, as on the directive page.
    events = AuditEvent.objects.count()
    own = run_import(package(tmp_path, "huyen.json", invitations=[
        invited("T01-H00", "16/07/2012", "Chiều"),
    ]), actor=district)  # fmt: skip
    assert own.ok, problems(own)
    assert (own.created, own.updated) == (0, 1)
    assert HearingInvitation.objects.get(unit__code="T01-H00").slot.day == AFTERNOON
    assert AuditEvent.objects.count() == events + 1
    # The province's editor adds slots and invited units (and books for its districts).
    province = UserFactory(username="tinh-lich", role=Role.EDITOR)
    grant(province, Unit.objects.get(code="T01"))
    report = run_import(package(tmp_path, "tinh.json", slots=[slot("20/07/2012", "Sáng")],
                                invitations=[invited("T01-H02", "20/07/2012", "Sáng")]),
                        actor=province)  # fmt: skip
    assert report.ok, problems(report)
    assert (report.created, report.updated) == (2, 0)


def test_export_then_import_is_the_identity(stored, tmp_path):
    before = schedule()
    path = tmp_path / "mot.json"
    counts = export(path)
    assert (counts["Lịch làm việc"], counts["Làm việc trực tiếp"]) == (2, 2)
    sheets = json.loads(path.read_text())["sheets"]
    assert sheets["hearing_slots"] == [
        {**KEY, "day": "15/07/2012", "session": "Sáng", "place": "Hội trường Tỉnh ủy"},
        {**KEY, "day": "16/07/2012", "session": "Chiều"},
    ]
    assert [(r["unit"], r.get("slot_day"), r.get("slot_session"))
            for r in sheets["hearing_invitations"]] == [
        ("T01-H00", "15/07/2012", "Sáng"), ("T01-H01", None, None)]  # fmt: skip
    HearingInvitation.objects.all().delete()
    HearingSlot.objects.all().delete()
    report = run_import(path)
    assert report.ok, problems(report)
    assert (report.counts["Lịch làm việc"].created, report.counts["Làm việc trực tiếp"].created) == (2, 2)
    assert schedule() == before
    second = tmp_path / "hai.json"
    export(second)
    assert second.read_text() == path.read_text()
    again = run_import(path)
    assert again.ok and (again.created, again.updated) == (0, 0)


def test_a_district_sends_its_booking_up(stored, tmp_path):
    district = UserFactory(username="huyen-gui", role=Role.EDITOR)
    grant(district, Unit.objects.get(code="T01-H00"))
    path = tmp_path / "huyen.json"
    # 05-KH/TU is not one the district may read yet: neither it nor the booking travel.
    export(path, user=district, unit="T01-H00")
    sheets = json.loads(path.read_text())["sheets"]
    assert [r["number"] for r in sheets["directives"]] == ["10-KH/TW"]  # its own assignment's
    assert (sheets["hearing_slots"], sheets["hearing_invitations"]) == ([], [])
    # Once a task of it is assigned to the district, its booking goes up with the schedule.
    task = stored.tasks.get(order=2)
    TaskAssignment.objects.create(task=task, unit=Unit.objects.get(code="T01-H00"))
    export(path, user=district, unit="T01-H00")
    sheets = json.loads(path.read_text())["sheets"]
    assert [r["number"] for r in sheets["directives"]] == ["10-KH/TW", "05-KH/TU"]
    assert [(r["unit"], r.get("slot_day")) for r in sheets["hearing_invitations"]] == [
        ("T01-H00", "15/07/2012")]  # fmt: skip
    assert [r["day"] for r in sheets["hearing_slots"]] == ["15/07/2012", "16/07/2012"]
    # The province's server, where the district had not booked yet, takes it.
    HearingInvitation.objects.filter(unit__code="T01-H00").update(slot=None)
    report = run_import(path, actor=UserFactory(username="tinh-nhan", role=Role.ADMIN))
    assert report.ok, problems(report)
    assert (report.created, report.updated) == (0, 1)
    assert HearingInvitation.objects.get(unit__code="T01-H00").slot.day == MORNING
