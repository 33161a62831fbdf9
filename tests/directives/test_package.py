"""The directives' sheets of the data package (issue 14, item 7): directives, tasks and
each unit's assignment travel between levels; export → import is the identity, a second
import changes nothing, every guard is reported by sheet, row and column in Vietnamese,
and an editor's row beyond their scope rejects the whole package."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from canbo.accounts.models import Role
from canbo.directives import services
from canbo.directives.models import Directive, Task, TaskAssignment
from canbo.directives.selectors import directive_rollups
from canbo.exchange.exporter import selection_for, write_json, write_xlsx
from canbo.organizations.models import Unit
from tests.directives.test_rollups import ON
from tests.directives.test_rollups import region as region  # noqa: F401  (the fixture)
from tests.exchange.conftest import json_package, run_import
from tests.factories import PersonFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

EXPORTED_AT = timezone.make_aware(dt.datetime(2026, 11, 29, 9, 30))
OUTSIDE = "Ngoài phạm vi quyền của bạn; gói bị từ chối toàn bộ."
SHEETS = ("directives", "tasks", "task_assignments")


def export(path, *, user=None, unit=None) -> dict:
    selection = selection_for(user=user, unit_code=unit, exported_at=EXPORTED_AT)
    if path.suffix == ".json":
        with path.open("w", encoding="utf-8") as handle:
            write_json(selection, handle)
    else:
        write_xlsx(selection, str(path))
    return selection.counts


def state() -> list:
    """Everything the three sheets carry, by natural keys."""
    directives = sorted(Directive.objects.values_list(
        "number", "kind", "issued_on", "issuing_unit__code", "title", "summary",
        "implements__number"))  # fmt: skip
    tasks = sorted(
        (t.directive.number, t.order, t.parent.order if t.parent else None, t.content,
         t.lead_unit.code if t.lead_unit else None, sorted(u.code for u in t.coordinating_units.all()),
         t.deliverable, t.start_on, t.deadline, t.cancelled_on, t.cancel_reason)
        for t in Task.objects.select_related("directive", "parent", "lead_unit")
    )  # fmt: skip
    assignments = sorted(TaskAssignment.objects.values_list(
        "task__directive__number", "task__order", "unit__code", "completed_on", "note",
        "evidence"))  # fmt: skip
    return [directives, tasks, assignments]


def problems(report) -> list[tuple]:
    return [(p.sheet, p.row, p.column, p.message) for p in report.errors]


@pytest.fixture
def campaign(region):  # noqa: F811
    """The region's central plan, and a province's plan that carries it out: a section
    with a task led by the province, two coordinating units, a cancelled task."""
    plan, tasks, group, provinces, outside = region
    admin = UserFactory(username="quantri-goi", role=Role.ADMIN)
    province = provinces[0]
    own = services.directive_create(
        actor=admin, kind="plan", number="05-KH/TU", issued_on=dt.date(2012, 6, 15),
        issuing_unit=province, title="Kế hoạch thực hiện Kế hoạch 10-KH/TW",
        summary="Kiểm điểm ở cấp mình\nvà chỉ đạo cấp dưới.", implements=plan,
    )  # fmt: skip
    section = services.task_create(actor=admin, directive=own, order=1, content="I. Cấp tỉnh")
    led = services.task_create(
        actor=admin, directive=own, order=2, parent=section, content="Tỉnh ủy kiểm điểm",
        lead_unit=province, deliverable="meeting", start_on=dt.date(2012, 7, 1),
        deadline=dt.date(2012, 8, 31),
        coordinating_units=list(Unit.objects.filter(code__in=["T01-S00", "T01-H01"])),
    )  # fmt: skip
    services.task_create(
        actor=admin, directive=own, order=3, content="Sơ kết", start_on=dt.date(2012, 7, 1),
        cancelled_on=dt.date(2012, 8, 1), cancel_reason="Gộp vào nhiệm vụ 2",
    )  # fmt: skip
    assignment = TaskAssignment.objects.get(task=led)
    services.record_completion(actor=admin, assignment=assignment,
                               completed_on=dt.date(2012, 8, 20), note="Đã kiểm điểm",
                               evidence="Báo cáo 12-BC/TU", today=ON)  # fmt: skip
    return plan, own, provinces


def wipe_directives():
    TaskAssignment.objects.all().delete()
    Task.objects.all().delete()
    Directive.objects.filter(implements__isnull=False).delete()
    Directive.objects.all().delete()


@pytest.mark.parametrize("suffix", [".json", ".xlsx"])
def test_round_trip_of_the_region_is_the_identity(campaign, tmp_path, suffix):
    before = state()
    first = tmp_path / f"mot{suffix}"
    counts = export(first)
    assert (counts["Văn bản chỉ đạo"], counts["Nhiệm vụ"], counts["Giao nhiệm vụ"]) == (
        2, 6, 13 + 225 + 724 + 1)  # fmt: skip
    wipe_directives()
    report = run_import(first)
    assert report.ok, problems(report)
    created = {title: (c.created, c.updated) for title, c in report.counts.items()
               if title in ("Văn bản chỉ đạo", "Nhiệm vụ", "Giao nhiệm vụ")}  # fmt: skip
    assert created == {"Văn bản chỉ đạo": (2, 0), "Nhiệm vụ": (6, 0), "Giao nhiệm vụ": (963, 0)}
    assert report.created == 2 + 6 + 963  # units, people… unchanged
    assert state() == before
    plan = Directive.objects.get(number="10-KH/TW")
    assert [r.text for r in directive_rollups(plan, ON)] == [
        "13/13 (100,00%)", "221/225 (98,22%)", "709/724 (97,93%)"]  # fmt: skip
    second = tmp_path / f"hai{suffix}"
    export(second)
    if suffix == ".json":
        assert second.read_text() == first.read_text()
    again = run_import(first)
    assert again.ok and (again.created, again.updated) == (0, 0)


def test_a_lower_level_sends_its_completions_up(campaign, tmp_path):
    plan, _own, provinces = campaign
    last = provinces[-1]
    skipped = TaskAssignment.objects.get(task__directive=plan, task__order=2, completed_on=None,
                                         unit__code__startswith=last.code)  # fmt: skip
    # The province's editor records the last district's completion on their own server.
    editor = UserFactory(username="tinh13", role=Role.EDITOR)
    grant(editor, last)
    services.record_completion(actor=editor, assignment=skipped,
                               completed_on=dt.date(2012, 10, 2), today=ON)  # fmt: skip
    path = tmp_path / "tinh13.json"
    counts = export(path, user=editor, unit=last.code)
    # The central plan and its three tasks come along, with the province's own rows only.
    assert (counts["Văn bản chỉ đạo"], counts["Nhiệm vụ"], counts["Giao nhiệm vụ"]) == (1, 3, 1 + 18 + 52)
    # The centre's server does not have it yet.
    TaskAssignment.objects.filter(pk=skipped.pk).update(completed_on=None)
    # The region's provinces are roots of their own: the centre's administrator imports.
    centre = UserFactory(username="trunguong", role=Role.ADMIN)
    report = run_import(path, actor=centre)
    assert report.ok, problems(report)
    assert (report.created, report.updated) == (0, 1)
    assert report.counts["Giao nhiệm vụ"].updated == 1
    assert TaskAssignment.objects.get(pk=skipped.pk).completed_on == dt.date(2012, 10, 2)
    assert directive_rollups(plan, ON)[1].text == "222/225 (98,67%)"
    again = run_import(path, actor=centre)
    assert again.ok and (again.created, again.updated) == (0, 0)


def _rows(sheet: str, *rows: dict) -> dict:
    return {sheet: list(rows)}


def _task(**fields) -> dict:
    row = {"directive_number": "05-KH/TU", "directive_unit": "T01", "order": 4,
           "content": "Tổng kết"}  # fmt: skip
    row.update(fields)
    return row


def _assignment(**fields) -> dict:
    row = {"directive_number": "10-KH/TW", "directive_unit": "TW", "task_order": 2,
           "unit": "T01-H00"}  # fmt: skip
    row.update(fields)
    return row


def test_the_guards_are_reported_by_sheet_row_and_column(campaign, tmp_path):
    before = state()
    path = json_package(tmp_path / "sai.json", {
        "tasks": [
            _task(start_on="01/09/2012", deadline="31/08/2012"),
            _task(order=5, cancelled_on="01/10/2012"),
            _task(order=6, parent_order=9, leader="999999999999"),
            _task(order=7, coordinating_units="T01-S00; KHONGCO"),
            _task(order=8, directive_number="99-KH/TU"),
        ],
        "task_assignments": [
            _assignment(completed_on="31/05/2012"),
            _assignment(unit="T01-H01", completed_on="01/01/2099"),
            _assignment(unit="T01-H02", task_order=9),
        ],
    })  # fmt: skip
    report = run_import(path)
    assert sorted(problems(report)) == sorted([
        ("Nhiệm vụ", 1, "Thời hạn", "Thời hạn phải từ ngày bắt đầu trở đi."),
        ("Nhiệm vụ", 2, "Lý do hủy", "Hãy ghi lý do hủy."),
        ("Nhiệm vụ", 3, "Số định danh lãnh đạo phụ trách",
         "Không có cán bộ với số định danh này trong gói hay trong hệ thống."),
        ("Nhiệm vụ", 3, "Thuộc mục (thứ tự)",
         "Văn bản này không có nhiệm vụ thứ tự 9 trong sheet Nhiệm vụ của gói hay trong hệ thống."),
        ("Nhiệm vụ", 4, "Mã đơn vị phối hợp",
         "Không có đơn vị mã “KHONGCO” trong gói hay trong hệ thống."),
        ("Nhiệm vụ", 5, "Số văn bản", "Không có văn bản số “99-KH/TU” của cơ quan “T01” trong "
         "sheet Văn bản chỉ đạo của gói hay trong hệ thống."),
        ("Giao nhiệm vụ", 1, "Ngày hoàn thành",
         "Ngày hoàn thành không thể trước ngày ban hành văn bản (01/06/2012)."),
        ("Giao nhiệm vụ", 2, "Ngày hoàn thành", "Ngày hoàn thành không thể sau hôm nay."),
        ("Giao nhiệm vụ", 3, "Thứ tự nhiệm vụ",
         "Văn bản này không có nhiệm vụ thứ tự 9 trong sheet Nhiệm vụ của gói hay trong hệ thống."),
    ])  # fmt: skip
    assert not report.applied and state() == before


def test_a_leader_whose_own_row_is_refused_is_named_as_such(campaign, tmp_path):
    before = state()
    path = json_package(tmp_path / "sai.json", {
        "people": [{"id_number": "001080000777", "family_name": "Lê", "given_name": "Ba",
                    "sex": "Nan", "birth_date": "01/01/1980", "unit": "T01"}],
        "tasks": [_task(leader="001080000777", start_on="01/09/2012", deadline="31/08/2012")],
    })  # fmt: skip
    report = run_import(path)
    assert [p for p in problems(report) if p[0] == "Nhiệm vụ"] == [
        ("Nhiệm vụ", 1, "Số định danh lãnh đạo phụ trách",
         "Cán bộ này không được nhập vì dòng 1 của sheet “Cán bộ” có lỗi (xem lỗi ở dòng đó)."),
        ("Nhiệm vụ", 1, "Thời hạn", "Thời hạn phải từ ngày bắt đầu trở đi."),
    ]  # fmt: skip
    assert not report.applied and state() == before


def test_links_sections_and_leaders_and_their_cycles(campaign, tmp_path):
    leader = PersonFactory(unit=Unit.objects.get(code="T01"))
    path = json_package(tmp_path / "goi.json", {
        "directives": [
            {"number": "10-KH/TW", "kind": "Kế hoạch", "issued_on": "01/06/2012",
             "issuing_unit": "TW", "title": "Kế hoạch kiểm điểm tự phê bình và phê bình",
             "implements_number": "05-KH/TU", "implements_unit": "T01"},
        ],
        "tasks": [
            _task(order=1, content="I. Cấp tỉnh", parent_order=2),
            _task(order=10, parent_order=10),
        ],
    })  # fmt: skip
    report = run_import(path)
    assert problems(report) == [
        ("Văn bản chỉ đạo", 1, "Thực hiện văn bản số", "Các liên kết tạo thành vòng lặp."),
        ("Nhiệm vụ", 1, "Thuộc mục (thứ tự)", "Các liên kết tạo thành vòng lặp."),
        ("Nhiệm vụ", 2, "Thuộc mục (thứ tự)", "Một nhiệm vụ không thể thuộc mục là chính nó."),
    ]
    fine = json_package(tmp_path / "dung.json", {"tasks": [
        _task(order=4, parent_order=1, leader=leader.id_number, lead_unit="T01-H03",
              coordinating_units="T01-S01;T01-S02"),
    ]})  # fmt: skip
    report = run_import(fine)
    assert report.ok, problems(report)
    task = Task.objects.get(directive__number="05-KH/TU", order=4)
    assert (task.parent.order, task.leader, task.lead_unit.code) == (1, leader, "T01-H03")
    assert sorted(u.code for u in task.coordinating_units.all()) == ["T01-S01", "T01-S02"]
    # A new task with a lead unit is assigned to it, as on the form.
    assert list(task.assignments.values_list("unit__code", flat=True)) == ["T01-H03"]
    assert report.counts["Giao nhiệm vụ"].created == 1
    assert run_import(fine).updated == 0
    changed = json_package(tmp_path / "doi.json", {"tasks": [
        _task(order=4, parent_order=1, leader=leader.id_number, lead_unit="T01-H03",
              coordinating_units="T01-S02"),
    ]})  # fmt: skip
    report = run_import(changed)
    assert (report.created, report.updated) == (0, 1)
    assert [u.code for u in task.coordinating_units.all()] == ["T01-S02"]


def test_an_editor_row_beyond_their_scope_rejects_the_whole_package(campaign, tmp_path):
    _plan, _own, provinces = campaign
    editor = UserFactory(username="tinh1", role=Role.EDITOR)
    grant(editor, provinces[0])
    before = state()
    path = json_package(tmp_path / "vuot.json", {
        "directives": [
            {"number": "11-KH/TW", "kind": "Kế hoạch", "issued_on": "01/07/2012",
             "issuing_unit": "TW", "title": "Kế hoạch khác"},
        ],
        "task_assignments": [
            _assignment(unit="T01-H00", completed_on="20/09/2012", note="Trong phạm vi"),
            _assignment(unit="T02-H00", completed_on="21/09/2012"),
        ],
    })  # fmt: skip
    report = run_import(path, actor=editor)
    assert problems(report) == [
        ("Văn bản chỉ đạo", 1, "Mã cơ quan ban hành", OUTSIDE),
        ("Giao nhiệm vụ", 2, "Mã đơn vị thực hiện", OUTSIDE),
    ]
    assert not report.applied and state() == before
    # A grant on the province alone does not reach its districts.
    own_only = UserFactory(username="chi-tinh", role=Role.EDITOR)
    grant(own_only, provinces[0], include_subtree=False)
    report = run_import(json_package(tmp_path / "huyen.json", {"task_assignments": [
        _assignment(unit="T01-H00", note="Sửa"),
    ]}), actor=own_only)  # fmt: skip
    assert problems(report) == [("Giao nhiệm vụ", 1, "Mã đơn vị thực hiện", OUTSIDE)]
    assert state() == before
    # The same rows within scope go in; unchanged rows need no scope.
    report = run_import(json_package(tmp_path / "dung.json", {"task_assignments": [
        _assignment(unit="T01-H00", completed_on="25/09/2012", note="Trong phạm vi"),
        _assignment(unit="T02-H00", completed_on="25/09/2012"),
    ]}), actor=editor)  # fmt: skip
    assert report.ok, problems(report)
    assert (report.created, report.updated) == (0, 1)


def test_the_template_and_an_empty_export_carry_the_three_sheets(tmp_path):
    path = tmp_path / "rong.json"
    export(path)
    sheets = json.loads(path.read_text())["sheets"]
    assert [key for key in sheets if key in SHEETS] == list(SHEETS)
    assert all(sheets[key] == [] for key in SHEETS)
