"""Plans, their covered positions and entries in the data package.

The plan of the planning world (tests/planning/conftest.py): Tỉnh ủy (TU) for
the party term 2030–2035, approved, six positions, six entries of which one
(Em, TB) was removed for discipline in a review.
"""

import datetime as dt

import openpyxl
import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from canbo.core.models import AuditEvent
from canbo.exchange import cells as cell_readers
from canbo.exchange.exporter import selection_for, write_json, write_xlsx
from canbo.exchange.sheets import CATALOG_TITLE, GUIDE_TITLE
from canbo.exchange.template import write_template
from canbo.organizations.choices import UnitLevel
from canbo.organizations.models import Area, Position, PositionTitle, Term, Unit, UnitSuccession
from canbo.people.models import Assignment, ConfidenceVote, Discipline, Evaluation, Person
from canbo.planning import services
from canbo.planning.choices import PlanStatus, RemovalReason
from canbo.planning.models import Plan, PlanEntry, PlanPosition, PlanReview, PlanTransition
from canbo.planning.package.sheets import PLAN_ENTRIES, PLAN_POSITIONS, PLANS
from tests.planning.conftest import cadres, plan, positions, term  # noqa: F401  (fixtures)
from tests.planning.factories import make_person, make_position, make_term

from .conftest import run_import

pytestmark = pytest.mark.django_db

EXPORTED_AT = timezone.make_aware(dt.datetime(2026, 11, 29, 9, 30))
KEY = ["Mã đơn vị lập quy hoạch", "Loại nhiệm kỳ", "Nhiệm kỳ"]
PLAN_HEADERS = KEY + ["Tên quy hoạch", "Trạng thái", "Mã đơn vị phê duyệt",
                      "Số quyết định phê duyệt", "Ngày quyết định phê duyệt"]  # fmt: skip
COVER_HEADERS = KEY + ["Mã đơn vị", "Mã chức danh"]
ENTRY_HEADERS = KEY + ["Số định danh cá nhân", "Mã đơn vị", "Mã chức danh", "Ngày đưa vào",
                       "Ngày đưa ra", "Lý do đưa ra", "Ghi chú lý do"]  # fmt: skip
PARTY = "Đại hội Đảng bộ"
A, B, C, D, E = "001080000001", "001185000002", "001088000003", "001074000004", "001170000005"


def export(path, unit=None, user=None):
    selection = selection_for(user=user, unit_code=unit, exported_at=EXPORTED_AT)
    if path.suffix == ".json":
        with path.open("w", encoding="utf-8") as handle:
            write_json(selection, handle)
    else:
        write_xlsx(selection, str(path))
    return selection.counts


def sheets_of(path):
    workbook = CalamineWorkbook.from_path(str(path))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


def wipe():
    for model in (PlanEntry, PlanReview, PlanTransition, PlanPosition, Plan, Assignment,
                  Discipline, Evaluation, ConfidenceVote, Person, Position, UnitSuccession, Unit,
                  Term, PositionTitle, Area, AuditEvent):  # fmt: skip
        model.objects.all().delete()


def audited(model) -> int:
    return AuditEvent.objects.filter(content_type__model=model._meta.model_name).count()


def entry(plan_key, person, unit, title, added, removed="", reason="", note=""):
    return [*plan_key, person, unit, title, added, removed, reason, note]


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_round_trip_keeps_status_positions_and_removed_entries(plan, tmp_path, suffix):  # noqa: F811
    first = tmp_path / f"mot{suffix}"
    counts = export(first)
    assert (counts[PLANS.title], counts[PLAN_POSITIONS.title], counts[PLAN_ENTRIES.title]) == (
        1,
        6,
        6,
    )
    wipe()
    report = run_import(first)
    assert report.ok, [str(p) for p in report.errors[:5]]
    assert report.created == sum(counts.values())
    imported = Plan.objects.get()
    assert (imported.status, imported.decision_number, imported.approver_unit.code) == (
        PlanStatus.APPROVED,
        "123-QĐ/TW",
        "TU",
    )
    assert imported.min_minority_share == 20
    removed = PlanEntry.objects.get(person__id_number=E)
    assert (removed.removed_on, removed.removal_reason) == (
        dt.date(2025, 12, 15),
        RemovalReason.DISCIPLINE,
    )
    assert PlanEntry.objects.get(person__id_number=C).first_time is True
    # The status given by the package is a change of status: one history row, audited.
    (transition,) = PlanTransition.objects.all()
    assert (transition.from_status, transition.to_status, transition.reason) == (
        "",
        PlanStatus.APPROVED,
        "Nhập từ gói dữ liệu.",
    )
    assert (transition.decision_number, transition.decision_date) == (
        "123-QĐ/TW",
        dt.date(2025, 6, 1),
    )
    assert (audited(Plan), audited(PlanPosition), audited(PlanEntry), audited(PlanTransition)) == (
        1,
        6,
        6,
        1,
    )
    second = tmp_path / f"hai{suffix}"
    export(second)
    if suffix == ".json":
        assert second.read_text() == first.read_text()
    else:
        assert sheets_of(second) == sheets_of(first)
    events = AuditEvent.objects.count()
    again = run_import(first)
    assert again.ok and (again.created, again.updated) == (0, 0)
    assert AuditEvent.objects.count() == events
    assert PlanTransition.objects.count() == 1


@pytest.mark.usefixtures("positions", "cadres")
def test_good_package_in_any_row_order_creates_audits_and_reimports_as_nothing(world, package):
    key = ["TU", PARTY, "2035-2040"]  # a hyphen, and a term the package itself brings
    path = package({
        "Quy hoạch - nhân sự": [
            ENTRY_HEADERS,
            entry(key, A, "TU", "BT", "01/01/2025"),
            entry(key, E, "TU", "BT", "01/01/2025", "01/06/2025", "Bị kỷ luật"),
            entry(key, E, "TU", "BT", "01/07/2025"),  # planned again: a second row
            entry(key, B, "TU", "PBT", "01/01/2025"),  # not in the covered positions sheet
        ],
        "Quy hoạch - chức danh": [COVER_HEADERS, [*key, "TU", "BT"], [*key, "TU", "CT"]],
        "Quy hoạch": [PLAN_HEADERS, [*key, "Quy hoạch Tỉnh ủy 2035–2040", "da phe duyet", "TU",
                                     "12-QĐ/TW", "01/06/2025"]],
        "Nhiệm kỳ": [["Loại nhiệm kỳ", "Tên nhiệm kỳ", "Bắt đầu", "Kết thúc"],
                     [PARTY, "2035–2040", "01/10/2035", "30/09/2040"]],
    })  # fmt: skip
    report = run_import(path)
    assert report.ok, [str(p) for p in report.problems]
    counts = {title: (c.created, c.updated) for title, c in report.counts.items()}
    assert counts[PLANS.title] == (1, 0)
    assert counts[PLAN_POSITIONS.title] == (3, 0)  # BT, CT and PBT, covered for Bình's entry
    assert counts[PLAN_ENTRIES.title] == (4, 0)
    plan = Plan.objects.get(term__start_date=dt.date(2035, 10, 1))  # noqa: F811
    assert (plan.planning_unit.code, plan.status, plan.decision_date) == (
        "TU",
        PlanStatus.APPROVED,
        dt.date(2025, 6, 1),
    )
    assert sorted(plan.positions.values_list("title__code", flat=True)) == ["BT", "CT", "PBT"]
    assert list(
        plan.entries.filter(person__id_number=E)
        .order_by("added_on")
        .values_list("removed_on", flat=True)
    ) == [dt.date(2025, 6, 1), None]
    assert (audited(Plan), audited(PlanPosition), audited(PlanEntry), audited(PlanTransition)) == (
        1,
        3,
        4,
        1,
    )
    assert set(AuditEvent.objects.values_list("source", flat=True)) == {"import"}
    events = AuditEvent.objects.count()
    again = run_import(path)
    assert again.ok and (again.created, again.updated) == (0, 0)
    assert again.counts[PLAN_ENTRIES.title].unchanged == 4
    assert AuditEvent.objects.count() == events


def test_changed_status_and_entry_are_updates_with_history(plan, package):  # noqa: F811
    key = ["TU", PARTY, "2030–2035"]
    path = package({
        "Quy hoạch": [PLAN_HEADERS + ["Ngày công bố"],
                      [*key, plan.name, "Đã công bố", "TU", "123-QĐ/TW", "01/06/2025", "01/07/2025"]],
        "Quy hoạch - nhân sự": [ENTRY_HEADERS,
                                entry(key, D, "TU", "CT", "01/01/2024", "01/09/2026", "Chuyển công tác")],
    })  # fmt: skip
    events = AuditEvent.objects.count()
    report = run_import(path)
    assert report.ok, [str(p) for p in report.problems]
    assert (report.created, report.updated) == (0, 2)
    plan.refresh_from_db()
    assert (plan.status, plan.published_on) == (PlanStatus.PUBLISHED, dt.date(2025, 7, 1))
    last = plan.transitions.order_by("at", "id").last()
    assert (last.from_status, last.to_status) == (PlanStatus.APPROVED, PlanStatus.PUBLISHED)
    update = AuditEvent.objects.get(action="update", content_type__model="plan", source="import")
    assert update.changes == {
        "published_on": [None, "2025-07-01"],
        "status": ["approved", "published"],
    }
    assert AuditEvent.objects.count() == events + 3  # the plan, the entry, the history row
    dung = plan.entries.get(person__id_number=D)
    assert (dung.removed_on, dung.removal_reason) == (dt.date(2026, 9, 1), RemovalReason.MOVED)


def test_every_problem_is_listed_and_nothing_is_written(world, term, positions, cadres, package):  # noqa: F811
    make_term(2025, 2030)  # a term without a plan
    key = ["TU", PARTY, "2030–2035"]
    path = package({
        "Quy hoạch": [
            PLAN_HEADERS + ["Ngày công bố"],
            ["TU", PARTY, "2040–2045", "Không có nhiệm kỳ", "", "", "", ""],
            ["XA", PARTY, "2030–2035", "Xã A", "Đã phê duyệt", "XB", "", "", ""],
            ["XB", PARTY, "2030–2035", "Xã B", "Phê duyệt xong", "", "", ""],
            ["XB", PARTY, "hai nghìn", "Xã B", "", "", "", ""],
            [*key, "Tỉnh", "Đã công bố", "TU", "1-QĐ/TW", "01/06/2025", "01/05/2025"],
            [*key, "Tỉnh", "", "", "", "", ""],
        ],
        "Quy hoạch - nhân sự": [
            ENTRY_HEADERS,
            entry(key, "001099999999", "TU", "BT", "01/01/2024"),
            entry(key, A, "TU", "KHONG", "01/01/2024"),
            entry(key, A, "TU", "BT", "01/01/2024", "01/01/2023", "Bị kỷ luật"),
            entry(key, B, "TU", "PBT", "01/01/2024", "", "Nghỉ hưu"),
            entry(key, D, "TU", "CT", "01/01/2024", "01/02/2024", "Lý do khác"),
            entry(key, A, "TU", "PBT", "01/01/2024"),
            entry(key, A, "TU", "PBT", "01/03/2024"),
            entry(key, C, "TU", "PCT", "01/01/2099"),
            entry(["TU", PARTY, "2025–2030"], C, "TU", "PCT", "01/01/2024"),
        ],
    })  # fmt: skip
    report = run_import(path)
    assert not report.applied
    # By sheet, then row, then column (issue 17: the report is in the package's order).
    assert [(p.sheet, p.row, p.column) for p in report.errors] == [
        ("Quy hoạch", 2, "Nhiệm kỳ"),
        ("Quy hoạch", 3, "Mã đơn vị phê duyệt"),
        ("Quy hoạch", 3, "Số quyết định phê duyệt"),
        ("Quy hoạch", 3, "Ngày quyết định phê duyệt"),
        ("Quy hoạch", 4, "Trạng thái"),
        ("Quy hoạch", 5, "Nhiệm kỳ"),
        ("Quy hoạch", 6, "Ngày công bố"),
        ("Quy hoạch", 7, "Mã đơn vị lập quy hoạch"),
        ("Quy hoạch - nhân sự", 2, "Số định danh cá nhân"),
        ("Quy hoạch - nhân sự", 3, "Mã chức danh"),
        ("Quy hoạch - nhân sự", 4, "Ngày đưa ra"),
        ("Quy hoạch - nhân sự", 5, "Ngày đưa ra"),
        ("Quy hoạch - nhân sự", 6, "Ghi chú lý do"),
        ("Quy hoạch - nhân sự", 7, "Ngày đưa ra"),
        ("Quy hoạch - nhân sự", 8, "Ngày đưa ra"),
        ("Quy hoạch - nhân sự", 9, "Ngày đưa vào"),
        ("Quy hoạch - nhân sự", 10, "Mã đơn vị lập quy hoạch"),
    ]
    messages = {(p.sheet, p.row, p.column): p.message for p in report.errors}
    assert messages[("Quy hoạch", 2, "Nhiệm kỳ")] == (
        "Không có nhiệm kỳ “Đại hội Đảng bộ 2040–2045” trong sheet Nhiệm kỳ của gói hay trong hệ thống."
    )
    assert "Có phải “Đã phê duyệt”?" in messages[("Quy hoạch", 4, "Trạng thái")]
    assert messages[("Quy hoạch", 3, "Mã đơn vị phê duyệt")] == (
        "Cấp phê duyệt phải là chính đơn vị lập quy hoạch hoặc đơn vị cấp trên."
    )
    assert (
        messages[("Quy hoạch", 6, "Ngày công bố")]
        == "Ngày công bố không được trước ngày phê duyệt."
    )
    assert (
        messages[("Quy hoạch", 7, "Mã đơn vị lập quy hoạch")] == "Trùng với dòng 6 của sheet này."
    )
    assert messages[("Quy hoạch - nhân sự", 4, "Ngày đưa ra")] == (
        "Ngày đưa ra không được trước ngày đưa vào quy hoạch."
    )
    assert messages[("Quy hoạch - nhân sự", 6, "Ghi chú lý do")] == "Lý do khác: hãy ghi rõ lý do."
    assert messages[("Quy hoạch - nhân sự", 7, "Ngày đưa ra")].startswith(
        "Cán bộ này đã có trong quy hoạch cho chức danh này (dòng 8)"
    )
    assert messages[("Quy hoạch - nhân sự", 10, "Mã đơn vị lập quy hoạch")] == (
        "Không có quy hoạch của đơn vị “TU” cho nhiệm kỳ này trong sheet Quy hoạch của gói hay "
        "trong hệ thống."
    )
    assert (Plan.objects.count(), PlanEntry.objects.count(), AuditEvent.objects.count()) == (
        0,
        0,
        0,
    )


def test_an_active_entry_in_the_database_counts(plan, package):  # noqa: F811
    key = ["TU", PARTY, "2030–2035"]
    again = entry(key, A, "TU", "BT", "01/02/2026")
    report = run_import(package({"Quy hoạch - nhân sự": [ENTRY_HEADERS, again]}))
    (problem,) = report.errors
    assert (problem.row, problem.column) == (2, "Ngày đưa ra")
    assert "(trong hệ thống, đưa vào ngày 01/01/2024)" in problem.message
    # Taking the stored entry out in the same package makes the new one valid.
    out = entry(key, A, "TU", "BT", "01/01/2024", "01/02/2026", "Chuyển công tác")
    report = run_import(package({"Quy hoạch - nhân sự": [ENTRY_HEADERS, again, out]}))
    assert report.ok, [str(p) for p in report.problems]
    assert (report.created, report.updated) == (1, 1)
    rows = plan.entries.filter(person__id_number=A, position__title__code="BT").order_by("added_on")
    assert list(rows.values_list("removed_on", flat=True)) == [dt.date(2026, 2, 1), None]


@pytest.fixture
def commune_plans(world, term):  # noqa: F811
    """XA's plan names Bình Minh's (XB) secretary; XB has a plan of its own."""
    bt_xa = make_position(world.xa, "BTX", "Bí thư Đảng ủy xã", 50, level=UnitLevel.COMMUNE)
    make_position(world.xb, "BTX", "Bí thư Đảng ủy xã", 50, level=UnitLevel.COMMUNE)
    local = make_person(
        "Lê", "Văn", "Tâm", "M", dt.date(1985, 1, 1), unit=world.xa, id_number="001085000011"
    )
    outside = make_person("Trịnh", "Thị", "Hà", "F", dt.date(1986, 2, 2), unit=world.xb,
                          id_number="001186000012")  # fmt: skip
    xa_plan = services.plan_create(actor=None, planning_unit=world.xa, term=term, name="Xã A")
    for person in (local, outside):
        services.entry_add(actor=None, plan=xa_plan, person=person, position=bt_xa,
                           added_on=dt.date(2025, 1, 1), source="outside" if person is outside
                           else "inside")  # fmt: skip
    services.plan_create(actor=None, planning_unit=world.xb, term=term, name="Xã B")
    return xa_plan


def test_unit_export_carries_the_people_and_units_its_plans_name(world, commune_plans, tmp_path):
    path = tmp_path / "xa.json"
    counts = export(path, "XA")
    assert (counts[PLANS.title], counts[PLAN_ENTRIES.title]) == (1, 2)  # not XB's plan
    rows = sheets_of_json(path)
    assert {r["id_number"] for r in rows["people"]} == {"001085000011", "001186000012"}
    assert {r["code"] for r in rows["units"]} == {"TU", "XA", "XB"}
    wipe()
    report = run_import(path)
    assert report.ok, [str(p) for p in report.errors[:5]]
    assert Person.objects.get(id_number="001186000012").unit.code == "XB"
    again = tmp_path / "xa-2.json"
    export(again, "XA")
    assert again.read_text() == path.read_text()


def sheets_of_json(path):
    import json

    return json.loads(path.read_text())["sheets"]


def test_an_editor_export_names_only_the_people_they_may_see(world, commune_plans, tmp_path):
    path = tmp_path / "xa.json"
    export(path, "XA", user=world.editor_a)
    rows = sheets_of_json(path)
    assert {r["id_number"] for r in rows["people"]} == {"001085000011"}
    assert {r["person"] for r in rows["plan_entries"]} == {"001085000011", "001186000012"}
    report = run_import(path, actor=world.editor_a)
    assert report.ok and (report.created, report.updated) == (0, 0)


def test_editor_imports_plans_of_their_units_only(world, commune_plans, package):
    xa_key, xb_key = ["XA", PARTY, "2030–2035"], ["XB", PARTY, "2030–2035"]
    headers = PLAN_HEADERS[:5]
    unchanged_xb = [*xb_key, "Xã B", "Dự thảo"]
    ok = package({"Quy hoạch": [headers, [*xa_key, "Xã A (sửa)", "Dự thảo"], unchanged_xb]})
    report = run_import(ok, actor=world.editor_a)
    assert report.ok, [str(p) for p in report.problems]
    assert (report.created, report.updated) == (0, 1)
    refused = package({
        "Quy hoạch": [headers, [*xb_key, "Xã B (sửa)", "Dự thảo"]],
        "Quy hoạch - nhân sự": [ENTRY_HEADERS, entry(xb_key, "001085000011", "XB", "BTX", "01/01/2025")],
    })  # fmt: skip
    events = AuditEvent.objects.count()
    report = run_import(refused, actor=world.editor_a)
    assert not report.applied
    assert [(p.sheet, p.row, p.column) for p in report.errors] == [
        ("Quy hoạch", 2, "Mã đơn vị lập quy hoạch"),
        ("Quy hoạch - nhân sự", 2, "Mã đơn vị lập quy hoạch"),
    ]
    assert {p.message for p in report.errors} == {
        "Ngoài phạm vi quyền của bạn; gói bị từ chối toàn bộ."
    }
    assert Plan.objects.get(planning_unit=world.xb).name == "Xã B"
    assert not PlanEntry.objects.filter(plan__planning_unit=world.xb).exists()
    assert AuditEvent.objects.count() == events


def test_terms_are_named_by_years_or_start_date():
    read = cell_readers.read_term
    assert read("2030-2035") == (2030, 2035, None)
    assert read(" 2030 – 2035 ") == (2030, 2035, None)
    assert read(2030) == read("2030") == (2030, None, None)
    assert read("01/10/2030") == (2030, None, dt.date(2030, 10, 1))
    assert read(dt.datetime(2030, 10, 1)) == (2030, None, dt.date(2030, 10, 1))
    for bad in ("2035-2030", "hai nghìn", "1800-1805", True):
        with pytest.raises(cell_readers.CellError):
            read(bad)


def test_terms_sharing_their_years_are_written_and_read_by_start_date(world, package, tmp_path):
    early = make_term(2030, 2035)
    Term.objects.create(body=early.body, name="2030–2035 (bầu lại)", start_date=dt.date(2030, 1, 1),
                        end_date=dt.date(2035, 9, 30))  # fmt: skip
    services.plan_create(actor=None, planning_unit=world.tu, term=early, name="Tỉnh")
    path = tmp_path / "mot.json"
    export(path)
    assert sheets_of_json(path)["plans"][0]["term"] == "01/10/2030"
    report = run_import(
        package({"Quy hoạch": [PLAN_HEADERS[:4], ["TU", PARTY, "2030–2035", "Tỉnh"]]})
    )
    (problem,) = report.errors
    assert problem.message == (
        "Có 2 nhiệm kỳ “Đại hội Đảng bộ” bắt đầu năm 2030; hãy ghi ngày bắt đầu (dd/mm/yyyy) để chọn một."
    )
    wipe_plans_only = run_import(path)
    assert wipe_plans_only.ok and (wipe_plans_only.created, wipe_plans_only.updated) == (0, 0)


def test_template_has_the_planning_sheets_lists_and_guide(db, tmp_path):
    path = tmp_path / "mau.xlsx"
    write_template(str(path))
    workbook = openpyxl.load_workbook(path)
    for sheet in (PLANS, PLAN_POSITIONS, PLAN_ENTRIES):
        ws = workbook[sheet.title]
        assert [c.value for c in ws[1]] == [c.header for c in sheet.columns]
    catalog = workbook[CATALOG_TITLE]
    lists = {col[0].value: [c.value for c in col[1:] if c.value] for col in catalog.iter_cols()}
    assert lists["Trạng thái"] == ["Dự thảo", "Đã trình phê duyệt", "Đã phê duyệt", "Đã công bố"]
    assert lists["Nguồn"] == ["Nguồn tại chỗ", "Nguồn từ nơi khác"]
    assert "Bị kỷ luật" in lists["Lý do đưa ra"]

    def validated(sheet, key):
        letter = openpyxl.utils.get_column_letter([c.key for c in sheet.columns].index(key) + 1)
        ws = workbook[sheet.title]
        return [
            v.formula1 for v in ws.data_validations.dataValidation if letter + "2" in str(v.sqref)
        ]

    assert validated(PLANS, "status") and validated(PLANS, "term_body")
    assert validated(PLAN_ENTRIES, "source") and validated(PLAN_ENTRIES, "removal_reason")
    guide = [[c.value for c in row] for row in workbook[GUIDE_TITLE].iter_rows()]
    reason = next(r for r in guide if r[0] == PLAN_ENTRIES.title and r[1] == "Lý do đưa ra")
    assert "Lý do khác" in reason[5]
    term_row = next(r for r in guide if r[0] == PLANS.title and r[1] == "Nhiệm kỳ")
    assert "2030–2035" in term_row[3]
    assert any(r[0] == PLAN_POSITIONS.title and r[5] and "Khóa nhận dạng" in r[5] for r in guide)
