"""The data package carries a task's deadline in working days ("Số ngày làm việc"): exported
with the deadline it gives, computed on import from the start (as `services.task_create`),
a disagreeing deadline refused naming both dates, by sheet, row and column."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from canbo.core.models import AuditEvent
from canbo.directives import services
from canbo.directives.models import Holiday, Task
from tests.directives.test_package import campaign as campaign  # noqa: F401  (fixtures)
from tests.directives.test_package import export, problems, state, wipe_directives
from tests.directives.test_rollups import region as region  # noqa: F401
from tests.exchange.conftest import json_package, run_import
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _task(**fields) -> dict:
    row = {"directive_number": "05-KH/TU", "directive_unit": "T01", "order": 4,
           "content": "Báo cáo nhanh"}  # fmt: skip
    row.update(fields)
    return row


def _tasks(tmp_path, name: str, *rows: dict):
    return json_package(tmp_path / name, {"tasks": list(rows)})


def working(order: int = 4) -> tuple:
    return Task.objects.filter(directive__number="05-KH/TU", order=order).values_list(
        "start_on", "working_days", "deadline").get()  # fmt: skip


def test_working_days_travel_and_round_trip(campaign, tmp_path):  # noqa: F811
    _plan, own, _provinces = campaign
    admin = UserFactory(username="quantri-ngay", role="admin")
    # Sunday 01/07/2012 + 5 working days: Friday 06/07/2012.
    services.task_create(actor=admin, directive=own, order=4, content="Báo cáo nhanh",
                         start_on=dt.date(2012, 7, 1), working_days=5)  # fmt: skip
    assert working() == (dt.date(2012, 7, 1), 5, dt.date(2012, 7, 6))
    before = state()
    path = tmp_path / "mot.json"
    export(path)
    rows = json.loads(path.read_text())["sheets"]["tasks"]
    row = next(r for r in rows if r["directive_number"] == "05-KH/TU" and r["order"] == 4)
    assert (row["start_on"], row["working_days"], row["deadline"]) == ("01/07/2012", 5, "06/07/2012")
    assert all("working_days" not in r for r in rows if r is not row)  # empty cells left out
    wipe_directives()
    report = run_import(path)
    assert report.ok, problems(report)
    assert state() == before
    assert working() == (dt.date(2012, 7, 1), 5, dt.date(2012, 7, 6))
    events = AuditEvent.objects.count()
    again = run_import(path)
    assert again.ok and (again.created, again.updated) == (0, 0)
    assert AuditEvent.objects.count() == events
    # A day off added since is not a reason to refuse the unchanged row.
    Holiday.objects.create(day=dt.date(2012, 7, 4), name="Nghỉ bù")
    assert run_import(path).ok


def test_the_deadline_is_computed_from_the_start(campaign, tmp_path):  # noqa: F811
    report = run_import(_tasks(tmp_path, "tinh.json",
                               _task(start_on="01/07/2012", working_days=5)))  # fmt: skip
    assert report.ok, problems(report)
    assert report.counts["Nhiệm vụ"].created == 1
    assert working() == (dt.date(2012, 7, 1), 5, dt.date(2012, 7, 6))
    # The same deadline written in the row agrees: nothing changes.
    same = run_import(_tasks(tmp_path, "cung.json",
                             _task(start_on="01/07/2012", working_days=5, deadline="06/07/2012")))  # fmt: skip
    assert same.ok and (same.created, same.updated) == (0, 0)
    # A new start without the other columns: the deadline follows the stored working days,
    # over the administrator's day off (Wednesday 11/07/2012).
    Holiday.objects.create(day=dt.date(2012, 7, 11), name="Nghỉ bù")
    moved = run_import(_tasks(tmp_path, "doi.json", {
        "directive_number": "05-KH/TU", "directive_unit": "T01", "order": 4,
        "content": "Báo cáo nhanh", "start_on": "08/07/2012"}))  # fmt: skip
    assert moved.ok and (moved.created, moved.updated) == (0, 1)
    assert working() == (dt.date(2012, 7, 8), 5, dt.date(2012, 7, 16))
    # Clearing the working days keeps the deadline as a fixed day.
    fixed = run_import(_tasks(tmp_path, "co-dinh.json", _task(
        start_on="08/07/2012", working_days="", deadline="20/07/2012")))  # fmt: skip
    assert fixed.ok and fixed.updated == 1
    assert working() == (dt.date(2012, 7, 8), None, dt.date(2012, 7, 20))


def test_working_day_errors_by_sheet_row_and_column(campaign, tmp_path):  # noqa: F811
    before = state()
    events = AuditEvent.objects.count()
    report = run_import(_tasks(
        tmp_path, "sai.json",
        _task(order=10, start_on="01/07/2012", working_days=5),  # fine alone
        _task(order=11, start_on="01/07/2012", working_days=5, deadline="05/07/2012"),
        _task(order=12, working_days=5, deadline="06/07/2012"),
        _task(order=13, start_on="01/07/2012", working_days=401),
        _task(order=14, start_on="01/07/2012", working_days=0),
        _task(order=15, start_on="01/07/2012", working_days=5, deadline="30/06/2012"),
    ))  # fmt: skip
    assert problems(report) == [
        ("Nhiệm vụ", 2, "Thời hạn", "Thời hạn 05/07/2012 khác thời hạn tính theo 5 ngày làm "
         "việc từ ngày bắt đầu 01/07/2012: 06/07/2012."),
        ("Nhiệm vụ", 3, "Ngày bắt đầu", "Thời hạn tính theo ngày làm việc cần ngày bắt đầu."),
        ("Nhiệm vụ", 4, "Số ngày làm việc", "Tối đa 400 ngày làm việc."),
        ("Nhiệm vụ", 5, "Số ngày làm việc", "Số ngày làm việc phải từ 1 trở lên."),
        ("Nhiệm vụ", 6, "Thời hạn", "Thời hạn 30/06/2012 khác thời hạn tính theo 5 ngày làm "
         "việc từ ngày bắt đầu 01/07/2012: 06/07/2012."),
    ]  # fmt: skip
    # All or nothing: the good row is not written either.
    assert not report.applied and state() == before
    assert not Task.objects.filter(directive__number="05-KH/TU", order=10).exists()
    assert AuditEvent.objects.count() == events


def test_a_stored_start_is_needed_when_the_row_gives_none(campaign, tmp_path):  # noqa: F811
    # Task 1 of 05-KH/TU (a section) has no start: working days alone are refused.
    report = run_import(_tasks(tmp_path, "muc.json", {
        "directive_number": "05-KH/TU", "directive_unit": "T01", "order": 1,
        "content": "I. Cấp tỉnh", "working_days": 3}))  # fmt: skip
    assert problems(report) == [
        ("Nhiệm vụ", 1, "Ngày bắt đầu", "Thời hạn tính theo ngày làm việc cần ngày bắt đầu."),
    ]
    assert Task.objects.get(directive__number="05-KH/TU", order=1).working_days is None
