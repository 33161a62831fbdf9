"""Rotation plans and rotations in the data package (issue 15 item 6).

The world (tests/conftest.py): Tỉnh ủy (TU) > Đảng ủy xã An Bình (XA), Bình Minh (XB), and
here Sở Nội vụ (SNV, a provincial government agency) under TU; sua_a edits XA, sua_tu edits
TU's subtree. Stored through the services: TU's and XA's plans for 2025–2030; An rotated
from SNV down to XA's secretary and returned (ended); Cư seconded to XB's chair (started,
shorter approved); Bình intended for XA's secretary in TU's plan (no decision yet).
"""

import datetime as dt

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from canbo.accounts.models import Role
from canbo.core.models import AuditEvent, AuditSource
from canbo.exchange.exporter import selection_for, write_json, write_xlsx
from canbo.exchange.registry import registry
from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.organizations.models import Area, Position, PositionTitle, Term, Unit, UnitSuccession
from canbo.people.models import Assignment, Person
from canbo.rotation import services
from canbo.rotation.choices import LevelDirection, RotationKind, RotationOutcome, RotationPurpose
from canbo.rotation.models import Rotation, RotationPlan
from tests.exchange.conftest import json_package, run_import
from tests.factories import UserFactory, grant, make_unit
from tests.planning.factories import hold, make_person, make_position, make_term

pytestmark = pytest.mark.django_db

EXPORTED_AT = timezone.make_aware(dt.datetime(2026, 11, 29, 9, 30))
AN, CU, BINH = "001085000001", "001068000002", "001080000003"
NO_PERSON = "Không có cán bộ với số định danh này trong gói hay trong hệ thống."
# The sheets' titles (the package module is not imported while the tests are collected).
PLANS, ROTATIONS = "Kế hoạch luân chuyển", "Luân chuyển"
PLAN_KEY = {"plan_unit": "TU", "plan_term_body": "Đại hội Đảng bộ", "plan_term": "2025–2030"}


@pytest.fixture
def stored(world):
    snv = make_unit("SNV", "Sở Nội vụ", world.tu, UnitKind.DEPARTMENT, UnitLevel.PROVINCE,
                    area=world.province)  # fmt: skip

    class S:
        deputy = make_position(snv, "SNV-PGD", "Phó Giám đốc Sở", 60)
        secretary = make_position(world.xa, "X-BT", "Bí thư Đảng ủy xã", 40)
        xa_deputy = make_position(world.xa, "X-PBT", "Phó Bí thư Đảng ủy xã", 35)
        chair = make_position(world.xb, "B-CT", "Chủ tịch UBND xã", 30)
        an = make_person("Trần", "Văn", "An", "M", dt.date(1985, 5, 10), unit=world.xa,
                         id_number=AN)
        cu = make_person("Lê", "Văn", "Cư", "M", dt.date(1968, 3, 1), unit=world.xa,
                         id_number=CU)
        binh = make_person("Phạm", "Văn", "Bình", "M", dt.date(1980, 2, 2), unit=world.xb,
                           id_number=BINH)
        editor = UserFactory(username="sua_tu", role=Role.EDITOR)
        admin = UserFactory(username="quantri", role=Role.ADMIN)
        term = make_term(2025, 2030)

    S.snv, S.world = snv, world
    grant(S.editor, world.tu)
    hold(S.an, S.deputy, start=dt.date(2020, 1, 1))
    hold(S.cu, S.xa_deputy, start=dt.date(2019, 1, 1))
    S.plan = services.plan_create(actor=None, unit=world.tu, term=S.term,
                                  name="Kế hoạch luân chuyển 2025–2030", note="Ưu tiên\nbiên giới")
    services.plan_create(actor=None, unit=world.xa, term=S.term, name="Kế hoạch của xã")
    S.ended = services.rotation_create(
        actor=None, person=S.an, kind=RotationKind.ROTATION, purpose=RotationPurpose.TRAINING,
        to_position=S.secretary, competent_unit=world.tu, plan=S.plan,
        decision_number="15-QĐ/TU", decision_date=dt.date(2026, 2, 20),
        start_date=dt.date(2026, 3, 1), planned_end=dt.date(2029, 3, 1))  # fmt: skip
    services.rotation_end(actor=None, rotation=S.ended, actual_end=dt.date(2026, 6, 1),
                          outcome=RotationOutcome.RETURNED, evaluation="Hoàn thành tốt")  # fmt: skip
    S.seconded = services.rotation_create(
        actor=None, person=S.cu, kind=RotationKind.SECONDMENT, purpose=RotationPurpose.OTHER,
        to_position=S.chair, competent_unit=world.tu, decision_number="20-QĐ/TU",
        decision_date=dt.date(2026, 3, 25), start_date=dt.date(2026, 4, 1),
        planned_end=dt.date(2027, 4, 1), shorter_approved=True, note="Biệt phái\nmột năm")  # fmt: skip
    S.intended = services.rotation_create(
        actor=None, person=S.binh, kind=RotationKind.REINFORCEMENT,
        purpose=RotationPurpose.DIFFICULT_AREA, to_position=S.secretary, competent_unit=world.tu,
        plan=S.plan)  # fmt: skip
    return S


def export(path, user=None):
    selection = selection_for(user=user, unit_code=None, exported_at=EXPORTED_AT)
    if path.suffix == ".json":
        with path.open("w", encoding="utf-8") as handle:
            write_json(selection, handle)
    else:
        write_xlsx(selection, str(path))
    return selection.counts


def sheets_of(path):
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def wipe():
    for model in (Rotation, RotationPlan, Assignment, Person, Position, UnitSuccession, Unit,
                  Term, PositionTitle, Area, AuditEvent):  # fmt: skip
        model.objects.all().delete()


def state():
    """Everything the rotation part stores, and the work history, in a comparable form."""
    return (
        sorted(RotationPlan.objects.values_list("unit__code", "term__start_date", "name", "note")),
        sorted(Rotation.objects.values_list(
            "person__id_number", "kind", "purpose", "from_position__title__code",
            "to_position__title__code", "competent_unit__code", "plan__unit__code",
            "decision_number", "decision_date", "start_date", "planned_end", "shorter_approved",
            "actual_end", "outcome", "evaluation", "note", "level_direction",
            "across_localities", "across_sectors"), key=str),  # fmt: skip
        sorted(Assignment.objects.values_list(
            "person__id_number", "position__title__code", "start_date", "end_date", "how")),
    )


def problems(report):
    return [(p.sheet, p.row, p.column, p.message) for p in report.problems]


# --- export, round trip ------------------------------------------------------------


def test_export_writes_plans_and_rotations_with_their_directions(stored, tmp_path):
    path = tmp_path / "goi.xlsx"
    counts = export(path)
    assert (counts[PLANS], counts[ROTATIONS]) == (2, 3)
    book = sheets_of(path)
    assert book[PLANS] == [
        [c.header for c in registry.sheet("rotation_plans").columns],
        ["TU", "Đại hội Đảng bộ", "2025–2030", "Kế hoạch luân chuyển 2025–2030",
         "Ưu tiên\nbiên giới"],
        ["XA", "Đại hội Đảng bộ", "2025–2030", "Kế hoạch của xã", ""],
    ]  # fmt: skip
    assert book[ROTATIONS][0] == [c.header for c in registry.sheet("rotations").columns]
    assert book[ROTATIONS][1:] == [
        [CU, "Biệt phái", "Mục đích khác", "XA", "X-PBT", "XB", "B-CT", "TU", "", "", "",
         "20-QĐ/TU", "25/03/2026", "01/04/2026", "01/04/2027", "Có", "", "", "",
         "Biệt phái\nmột năm", "Cùng cấp", "Có", "Không", "Lê Văn Cư", "Chủ tịch UBND xã"],
        [BINH, "Tăng cường", "Tăng cường cho địa bàn khó khăn", "", "", "XA", "X-BT", "TU", "TU",
         "Đại hội Đảng bộ", "2025–2030", "", "", "", "", "Không", "", "", "", "", "Cùng cấp",
         "Không", "Không", "Phạm Văn Bình", "Bí thư Đảng ủy xã"],
        [AN, "Luân chuyển", "Đào tạo, rèn luyện cán bộ trong quy hoạch", "SNV", "SNV-PGD", "XA",
         "X-BT", "TU", "TU", "Đại hội Đảng bộ", "2025–2030", "15-QĐ/TU", "20/02/2026",
         "01/03/2026", "01/03/2029", "Không", "01/06/2026", "Trở về cơ quan, đơn vị cũ",
         "Hoàn thành tốt", "", "Từ trên xuống", "Có", "Có", "Trần Văn An", "Bí thư Đảng ủy xã"],
    ]  # fmt: skip


def test_an_editor_of_a_commune_exports_none_of_the_provinces_rotations(stored, tmp_path):
    counts = export(tmp_path / "a.json", user=stored.world.editor_a)
    assert (counts[PLANS], counts[ROTATIONS]) == (1, 0)  # XA's plan only


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_round_trip_into_an_empty_database_is_the_identity(stored, tmp_path, suffix):
    before = state()
    first = tmp_path / f"mot{suffix}"
    counts = export(first)
    wipe()
    report = run_import(first, actor=stored.admin)
    assert report.ok, problems(report)
    assert report.created == sum(counts.values())
    # The work history is the Quá trình công tác sheet's: written once, not again by the
    # rotations' import (ADR 0029); the directions are derived again from the units.
    assert state() == before
    events = AuditEvent.objects.filter(content_type__model__in=("rotation", "rotationplan"))
    assert sorted(set(events.values_list("content_type__model", "source"))) == [
        ("rotation", AuditSource.IMPORT), ("rotationplan", AuditSource.IMPORT)]
    assert events.count() == 2 + 3
    second = tmp_path / f"hai{suffix}"
    export(second)
    if suffix == ".json":
        assert second.read_text() == first.read_text()
    else:
        assert sheets_of(second) == sheets_of(first)
    total = AuditEvent.objects.count()
    again = run_import(first, actor=stored.admin)
    assert again.ok and (again.created, again.updated) == (0, 0)
    assert (state(), AuditEvent.objects.count()) == (before, total)


def test_reimport_into_the_same_database_changes_nothing(stored, tmp_path):
    path = tmp_path / "goi.json"
    export(path, user=stored.editor)
    before, events = state(), AuditEvent.objects.count()
    report = run_import(path, actor=stored.editor)
    assert report.ok, problems(report)
    assert (report.created, report.updated) == (0, 0)
    assert (report.counts[PLANS].unchanged, report.counts[ROTATIONS].unchanged) == (2, 3)
    assert (state(), AuditEvent.objects.count()) == (before, events)
    assert run_import(path).ok


# --- importing new and changed rotations ------------------------------------------------

ROW = {"person": CU, "kind": "Luân chuyển", "purpose": "Mục đích khác", "to_unit": "XA",
       "to_title": "X-PBT", "competent_unit": "TU", "decision_number": "30-QĐ/TU",
       "decision_date": "01/08/2026", "start_date": "15/08/2026"}  # fmt: skip


def rotation(**over):
    return {key: value for key, value in {**ROW, **over}.items() if value is not None}


def test_an_editor_imports_a_plan_and_its_rotations_without_writing_the_work_history(stored, tmp_path):
    history = state()[2]
    path = json_package(tmp_path / "moi.json", {
        "rotation_plans": [{"unit": "SNV", "term_body": "Đại hội Đảng bộ", "term": "2025",
                            "name": "Kế hoạch của Sở"}],
        "rotations": [
            rotation(person=AN, from_unit="SNV", from_title="SNV-PGD", to_unit="XB",
                     to_title="B-CT", competent_unit="TU"),
            rotation(person=AN, kind="Điều động", to_unit="SNV", to_title="SNV-PGD",
                     competent_unit="SNV", plan_unit="SNV", plan_term_body="Đại hội Đảng bộ",
                     plan_term="2025–2030", decision_number=None, decision_date=None,
                     start_date=None),
        ],
    })  # fmt: skip
    report = run_import(path, actor=stored.editor)
    assert report.ok, problems(report)
    assert {title: (c.created, c.updated, c.unchanged) for title, c in report.counts.items()} == {
        PLANS: (1, 0, 0), ROTATIONS: (2, 0, 0)}
    moved = Rotation.objects.get(person=stored.an, to_position=stored.chair)
    assert (moved.from_position, moved.level_direction, moved.across_localities,
            moved.across_sectors) == (stored.deputy, LevelDirection.DOWN, True, True)  # fmt: skip
    intended = Rotation.objects.get(person=stored.an, to_position=stored.deputy)
    assert (intended.plan.unit, intended.start_date, intended.kind) == (
        stored.snv, None, RotationKind.TRANSFER)
    assert state()[2] == history  # no Assignment row written
    before = state()
    again = run_import(path, actor=stored.editor)
    assert again.ok and (again.created, again.updated) == (0, 0)
    assert state() == before


def test_a_package_decides_an_intended_rotation_and_ends_a_started_one(stored, tmp_path):
    path = json_package(tmp_path / "goi.json", {"rotations": [
        rotation(person=BINH, kind="Tăng cường", purpose="Tăng cường cho địa bàn khó khăn",
                 to_title="X-BT", **PLAN_KEY),
        rotation(person=CU, kind="Biệt phái", to_unit="XB", to_title="B-CT", from_unit="XA",
                 from_title="X-PBT", decision_number="20-QĐ/TU", decision_date="25/03/2026",
                 start_date="01/04/2026", planned_end="01/04/2027", shorter_approved="Có",
                 actual_end="30/09/2026", outcome="Bố trí, bổ nhiệm tại nơi đến",
                 evaluation="Hoàn thành xuất sắc", note="Biệt phái\nmột năm"),
    ]})  # fmt: skip
    report = run_import(path, actor=stored.editor)
    assert report.ok, problems(report)
    assert (report.created, report.updated) == (0, 2)
    stored.intended.refresh_from_db()
    assert (stored.intended.decision_number, stored.intended.start_date) == (
        "30-QĐ/TU", dt.date(2026, 8, 15))
    stored.seconded.refresh_from_db()
    assert (stored.seconded.actual_end, stored.seconded.outcome, stored.seconded.evaluation) == (
        dt.date(2026, 9, 30), RotationOutcome.APPOINTED_THERE, "Hoàn thành xuất sắc")
    entry = AuditEvent.objects.filter(content_type__model="rotation").latest("pk")
    assert (entry.source, entry.action) == (AuditSource.IMPORT, "update")


# --- the guards, each with its message -------------------------------------------------

GUARDS = {
    "start before the decision": (
        rotation(decision_date="16/08/2026"), "Ngày bắt đầu",
        "Ngày bắt đầu không được trước ngày quyết định."),
    "planned end not after the start": (
        rotation(planned_end="15/08/2026"), "Dự kiến kết thúc",
        "Ngày dự kiến kết thúc phải sau ngày bắt đầu."),
    "planned end without a start": (
        rotation(start_date=None, planned_end="15/08/2029", **PLAN_KEY), "Dự kiến kết thúc",
        "Ngày dự kiến kết thúc phải sau ngày bắt đầu."),
    "end before the start": (
        rotation(actual_end="14/08/2026", outcome="Khác"), "Ngày kết thúc",
        "Ngày kết thúc không được trước ngày bắt đầu."),
    "end without a start": (
        rotation(start_date=None, actual_end="14/08/2026", outcome="Khác", **PLAN_KEY),
        "Ngày kết thúc", "Luân chuyển này chưa bắt đầu."),
    "ended without an outcome": (
        rotation(actual_end="20/08/2026"), "Kết quả sau luân chuyển",
        "Kết thúc luân chuyển phải có ngày và kết quả."),
    "an outcome without an end": (
        rotation(outcome="Khác"), "Ngày kết thúc", "Kết thúc luân chuyển phải có ngày và kết quả."),
    "returned without the post left": (
        rotation(actual_end="20/08/2026", outcome="Trở về cơ quan, đơn vị cũ"),
        "Kết quả sau luân chuyển", "Không rõ nơi đi: không ghi được là trở về."),
    "started without a decision number": (
        rotation(decision_number=None), "Số quyết định", "Hãy nhập số quyết định."),
    "started without a decision date": (
        rotation(decision_date=None), "Ngày quyết định", "Hãy nhập ngày quyết định."),
    "outside a plan without a start": (
        rotation(start_date=None), "Ngày bắt đầu",
        "Luân chuyển ngoài kế hoạch phải có quyết định và ngày bắt đầu."),
    "a start after today": (
        rotation(start_date="01/01/2099"), "Ngày bắt đầu", "Ngày này không được sau ngày hôm nay."),
    "the post taken outside the competent body": (
        rotation(competent_unit="XA", to_unit="XB", to_title="B-CT"), "Mã đơn vị đến",
        "Chức danh này không thuộc phạm vi của cấp có thẩm quyền đã chọn."),
    "the post left outside the competent body": (
        rotation(competent_unit="XA", from_unit="SNV", from_title="SNV-PGD"), "Mã đơn vị đi",
        "Chức danh này không thuộc phạm vi của cấp có thẩm quyền đã chọn."),
    "the same post left and taken": (
        rotation(from_unit="XA", from_title="X-PBT"), "Mã đơn vị đến", "Nơi đến phải khác nơi đi."),
    "half of the post left": (
        rotation(from_unit="SNV"), "Mã chức danh đi",
        "Ghi cả Mã đơn vị đi và Mã chức danh đi, hoặc bỏ trống cả hai."),
    "a post the unit lacks": (
        rotation(to_title="SNV-PGD"), "Mã chức danh đến",
        "Đơn vị này chưa có vị trí chức danh này (sheet Vị trí)."),
    "a plan of another body": (
        rotation(**{**PLAN_KEY, "plan_unit": "XA"}), "Mã đơn vị của kế hoạch",
        "Kế hoạch này là của cấp khác."),
    "a plan neither in the package nor stored": (
        rotation(**{**PLAN_KEY, "plan_unit": "XB"}), "Mã đơn vị của kế hoạch",
        "Không có kế hoạch luân chuyển của đơn vị “XB” cho nhiệm kỳ này trong sheet Kế hoạch "
        "luân chuyển của gói hay trong hệ thống."),
    "half a plan": (
        rotation(plan_unit="TU"), "Loại nhiệm kỳ của kế hoạch",
        "Ghi đủ Mã đơn vị, Loại nhiệm kỳ và Nhiệm kỳ của kế hoạch, hoặc bỏ trống cả ba."),
    "a plan's unknown term": (
        rotation(**{**PLAN_KEY, "plan_term": "2030–2035"}), "Nhiệm kỳ của kế hoạch",
        "Không có nhiệm kỳ “Đại hội Đảng bộ 2030–2035” trong sheet Nhiệm kỳ của gói hay trong "
        "hệ thống."),
    "unknown competent body": (
        rotation(competent_unit="ZZ"), "Mã cấp có thẩm quyền",
        "Không có đơn vị mã “ZZ” trong gói hay trong hệ thống."),
    "unknown person": (rotation(person="001099999999"), "Số định danh cá nhân", NO_PERSON),
    "an ended rotation changed": (
        rotation(person=AN, kind="Luân chuyển", purpose="Đào tạo, rèn luyện cán bộ trong quy "
                 "hoạch", from_unit="SNV", from_title="SNV-PGD", to_title="X-BT",
                 decision_number="15-QĐ/TU", decision_date="20/02/2026", start_date="01/03/2026",
                 planned_end="01/03/2029", actual_end="01/06/2026",
                 outcome="Trở về cơ quan, đơn vị cũ", evaluation="Hoàn thành", **PLAN_KEY),
        "Nhận xét, đánh giá khi kết thúc", "Luân chuyển này đã kết thúc ngày 01/06/2026."),
    "a started rotation's decision changed": (
        rotation(kind="Biệt phái", to_unit="XB", to_title="B-CT", from_unit="XA",
                 from_title="X-PBT", decision_number="21-QĐ/TU", decision_date="25/03/2026",
                 start_date="01/04/2026", planned_end="01/04/2027", shorter_approved="Có",
                 note="Biệt phái\nmột năm"),
        "Số quyết định", "Luân chuyển này đã bắt đầu ngày 01/04/2026."),
}  # fmt: skip


@pytest.mark.parametrize("guard", GUARDS)
def test_each_rotation_guard_is_reported_and_nothing_is_written(stored, tmp_path, guard):
    row, column, message = GUARDS[guard]
    before, events = state(), AuditEvent.objects.count()
    report = run_import(json_package(tmp_path / "goi.json", {"rotations": [row]}),
                        actor=stored.editor)
    assert problems(report) == [(ROTATIONS, 1, column, message)]
    assert (state(), AuditEvent.objects.count()) == (before, events)


SCOPE_GUARDS = {
    "a competent body out of scope": (
        {"rotations": [rotation(competent_unit="TU", to_title="X-BT")]},
        (ROTATIONS, 1, "Mã cấp có thẩm quyền", "Không có đơn vị mã “TU” trong gói hay trong hệ "
         "thống.")),
    "a person out of scope": (
        {"rotations": [rotation(person=BINH, competent_unit="XA")]},
        (ROTATIONS, 1, "Số định danh cá nhân", NO_PERSON)),
    "a plan's unit out of scope": (
        {"rotation_plans": [{"unit": "TU", "term_body": "Đại hội Đảng bộ", "term": "2025–2030",
                             "name": "Kế hoạch"}]},
        (PLANS, 1, "Mã đơn vị", "Không có đơn vị mã “TU” trong gói hay trong hệ thống.")),
}  # fmt: skip


@pytest.mark.parametrize("guard", SCOPE_GUARDS)
def test_beyond_the_editors_scope_is_answered_as_unknown(stored, tmp_path, guard):
    sheets, expected = SCOPE_GUARDS[guard]
    before = state()
    report = run_import(json_package(tmp_path / "goi.json", sheets), actor=stored.world.editor_a)
    assert problems(report) == [expected]
    assert state() == before


def test_duplicates_and_unknown_terms_are_refused(stored, tmp_path):
    path = json_package(tmp_path / "goi.json", {
        "rotation_plans": [
            {"unit": "SNV", "term_body": "Đại hội Đảng bộ", "term": "2025–2030", "name": "A"},
            {"unit": "SNV", "term_body": "Đại hội Đảng bộ", "term": "2025", "name": "B"},
            {"unit": "SNV", "term_body": "Đại hội Đảng bộ", "term": "2040", "name": "C"},
        ],
        "rotations": [rotation(), rotation(note="lần hai"),
                      rotation(person=BINH, kind="Tăng cường", to_title="X-BT", start_date=None,
                               decision_number=None, decision_date=None, **PLAN_KEY),
                      rotation(person=BINH, kind="Tăng cường", to_title="X-BT", **PLAN_KEY)],
    })  # fmt: skip
    before = state()
    report = run_import(path, actor=stored.editor)
    assert problems(report) == [
        (PLANS, 2, "Mã đơn vị", "Trùng với dòng 1 của sheet này."),
        (PLANS, 3, "Nhiệm kỳ", "Không có nhiệm kỳ “Đại hội Đảng bộ 2040” trong sheet Nhiệm kỳ "
         "của gói hay trong hệ thống."),
        (ROTATIONS, 2, "Ngày bắt đầu", "Trùng với dòng 1 của sheet này."),
        # Both name Bình's intended rotation: the second one decides it, once.
        (ROTATIONS, 4, "Ngày bắt đầu", "Trùng với dòng 3 của sheet này."),
    ]  # fmt: skip
    assert state() == before
