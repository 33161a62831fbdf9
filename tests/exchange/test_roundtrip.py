"""Export, import into an empty database, export again: the same package."""

import datetime as dt
import json
import zipfile

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from canbo.accounts.models import Role
from canbo.appointments.models import AppointmentCase, CaseStep, StepTally, TallyLine
from canbo.core.models import AuditEvent
from canbo.directives.models import (
    Directive,
    HearingInvitation,
    HearingSlot,
    MonitoringGroup,
    Task,
    TaskAssignment,
)
from canbo.exchange.exporter import selection_for, write_json, write_xlsx
from canbo.exchange.registry import sheets
from canbo.exchange.sheets import META_TITLE
from canbo.organizations import lineage
from canbo.organizations.models import (
    Area,
    AreaLineage,
    AreaSuccession,
    Position,
    PositionTitle,
    Term,
    Unit,
    UnitSuccession,
)
from canbo.people.models import (
    Assignment,
    ConfidenceVote,
    Discipline,
    Evaluation,
    Person,
    Reward,
    Training,
)
from canbo.people.package.sheets import PEOPLE
from canbo.planning.models import Plan, PlanEntry, PlanPosition, PlanReview, PlanTransition
from canbo.reports.models import ReportRound, Submission, SubmissionCorrection
from canbo.reviews.models import (
    EvaluationRound,
    EvaluationScore,
    VoteSession,
    VoteSubject,
    VoteTally,
)
from canbo.rotation.models import Rotation, RotationPlan
from tests.factories import UserFactory, grant, make_unit
from tests.test_demo import areas as areas  # noqa: F401  (the small demo province fixture)

from .conftest import json_package, person_row, run_command, run_import

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("areas")]

EXPORTED_AT = timezone.make_aware(dt.datetime(2026, 11, 29, 9, 30))
MODELS = (SubmissionCorrection, Submission, ReportRound, VoteTally, VoteSubject, VoteSession, EvaluationScore, EvaluationRound,
          TallyLine, StepTally, CaseStep, AppointmentCase, Rotation, RotationPlan, HearingInvitation, HearingSlot, TaskAssignment, Task, Directive, MonitoringGroup,
          PlanEntry, PlanReview, PlanTransition, PlanPosition, Plan, Assignment, Evaluation, ConfidenceVote, Discipline, Reward, Training, Person, Position,
          UnitSuccession, Unit, Term, PositionTitle, AreaSuccession, Area, AuditEvent)  # fmt: skip


def wipe():
    for model in MODELS:
        if model is Directive:  # a directive others implement is protected: those first
            Directive.objects.filter(implements__isnull=False).delete()
        model.objects.all().delete()


def export(path, unit=None):
    selection = selection_for(user=None, unit_code=unit, exported_at=EXPORTED_AT)
    if path.suffix == ".json":
        with path.open("w", encoding="utf-8") as handle:
            write_json(selection, handle)
    else:
        write_xlsx(selection, str(path))
    return selection.counts


def cells(path):
    workbook = CalamineWorkbook.from_path(str(path))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


@pytest.fixture
def demo():
    run_command("seed_demo", "--people", "120", "--seed", "3")


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_round_trip_of_the_demo_province_is_the_identity(demo, tmp_path, suffix):
    first = tmp_path / f"mot{suffix}"
    counts = export(first)
    assert counts[PEOPLE.title] == 120
    assert counts["Quá trình công tác"] == Assignment.objects.count() > 120
    # Plans travel with their positions, reviews and entries (the planning part's sheets).
    assert counts["Quy hoạch"] == Plan.objects.count() > 0
    assert counts["Quy hoạch - rà soát"] == PlanReview.objects.count() > 0
    assert counts["Quy hoạch - nhân sự"] == PlanEntry.objects.count() > 0
    # Rotations travel with their competent body (the rotation part's sheets).
    assert counts["Kế hoạch luân chuyển"] == RotationPlan.objects.count()
    assert counts["Luân chuyển"] == Rotation.objects.count() > 0
    wipe()
    report = run_import(first)
    assert report.ok, [str(p) for p in report.errors[:5]]
    assert report.created == sum(counts.values())
    assert AreaLineage.objects.count() > Area.objects.count() > 0
    assert lineage.is_current()  # the import's bulk writes rebuilt it
    second = tmp_path / f"hai{suffix}"
    export(second)
    if suffix == ".json":
        assert second.read_text() == first.read_text()
    else:
        assert cells(second) == cells(first)
        assert list(cells(first)) == [META_TITLE] + [s.title for s in sheets()]
    again = run_import(first)
    assert (again.created, again.updated) == (0, 0)


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_round_trip_keeps_the_qd377_exception_of_each_discipline(demo, tmp_path, suffix):
    # The demo records no exception: three people get one discipline with each.
    exceptions = ["self_criticism", "not_imposed", "expired"]
    people = Person.objects.order_by("id_number")[:3]
    for person, exception in zip(people, exceptions, strict=True):
        Discipline.objects.create(
            person=person, form="warning", effective_date=dt.date(2025, 11, 1),
            planning_exception=exception,
        )  # fmt: skip

    def recorded():
        fields = ("person__id_number", "form", "effective_date", "planning_exception")
        return sorted(Discipline.objects.values_list(*fields))
    before = recorded()
    assert sorted(row[3] for row in before if row[3]) == sorted(exceptions)
    first = tmp_path / f"mot{suffix}"
    export(first)
    if suffix == ".json":
        sheet = json.loads(first.read_text())["sheets"]["disciplines"]
        labels = sorted(row["planning_exception"] for row in sheet if "planning_exception" in row)
    else:
        (header, *rows) = cells(first)["Kỷ luật"]
        column = header.index("Ngoại lệ theo QĐ 377")
        labels = sorted(row[column] for row in rows if row[column])
    assert labels == [
        "Khiển trách, cảnh cáo đã hết thời hạn",
        "Không bị xử lý kỷ luật hoặc đã hết thời hiệu xử lý",
        "Vi phạm chỉ đến mức kiểm điểm rút kinh nghiệm",
    ]
    wipe()
    report = run_import(first)
    assert report.ok, [str(p) for p in report.errors[:5]]
    assert recorded() == before
    second = tmp_path / f"hai{suffix}"
    export(second)
    if suffix == ".json":
        assert second.read_text() == first.read_text()
    else:
        assert cells(second) == cells(first)


def test_unit_export_is_self_contained_and_reimports(demo, tmp_path):
    # A commune whose people held posts in other units before (the demo has some).
    commune_unit = next(
        unit
        for unit in Unit.objects.filter(level="commune").order_by("path")
        if Assignment.objects.filter(person__unit=unit).exclude(position=None)
        .exclude(position__unit=unit).exists()
    )
    path = tmp_path / "xa.json"
    counts = export(path, commune_unit.code)
    subtree = Unit.objects.filter(path__startswith=commune_unit.path)
    people = Person.objects.filter(unit__in=subtree)
    # Plus the people its plans name from elsewhere (they come without their history).
    planned = Person.objects.filter(plan_entries__plan__planning_unit__in=subtree)
    ancestors = Unit.objects.filter(
        pk__in=[u.pk for u in Unit.objects.get_ancestors(commune_unit)]
    )
    assert counts["Đơn vị"] >= subtree.count() + ancestors.count()
    assert counts[PEOPLE.title] == (people | planned).distinct().count()
    assert counts["Quá trình công tác"] == Assignment.objects.filter(person__in=people).count()
    assert run_import(path).created == 0
    # Into a database that has none of it: the package carries what it refers to.
    wipe()
    report = run_import(path)
    assert report.ok, [str(p) for p in report.errors[:5]]
    assert Person.objects.count() == counts[PEOPLE.title]
    again = tmp_path / "xa-2.json"
    export(again, commune_unit.code)
    assert again.read_text() == path.read_text()


def test_editor_may_reimport_a_unit_export_that_carries_units_above_theirs(demo, tmp_path):
    commune_unit = Unit.objects.filter(level="commune").order_by("path").first()
    editor = UserFactory(username="bientap", role=Role.EDITOR)
    grant(editor, commune_unit)
    path = tmp_path / "xa.json"
    selection = selection_for(user=editor, unit_code=commune_unit.code, exported_at=EXPORTED_AT)
    with path.open("w", encoding="utf-8") as handle:
        write_json(selection, handle)
    report = run_import(path, actor=editor)
    assert report.ok, [str(p) for p in report.errors[:5]]
    assert (report.created, report.updated) == (0, 0)


def test_formula_like_text_is_exported_safely_and_reads_back(tmp_path, areas):  # noqa: F811
    make_unit("U", "Đơn vị", area=areas["province"])
    report = run_import(_package(tmp_path, given="=HYPERLINK(\"x\")", middle="+1", family="@Lê"))
    assert report.ok, [str(p) for p in report.problems]
    person = Person.objects.get()
    assert person.given_name.startswith("=")
    path = tmp_path / "xuat.xlsx"
    export(path)
    with zipfile.ZipFile(path) as archive:
        sheet_xml = b"".join(
            archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")
        )
    assert b"<f>" not in sheet_xml  # written as text, never as a formula
    rows = cells(path)[PEOPLE.title]
    assert rows[1][1:4] == [person.family_name, "+1", person.given_name]
    wipe()
    assert run_import(path).ok
    assert Person.objects.get().given_name == person.given_name


def _package(tmp_path, **names):
    # JSON, because openpyxl would store "=…" as a formula rather than as text.
    keys = ["id_number", "family_name", "middle_name", "given_name", "sex", "birth_date",
            "ethnicity", "hometown", "unit"]  # fmt: skip
    row = dict(zip(keys, person_row(unit="U", hometown="00001", **names), strict=True))
    return json_package(tmp_path / "goi.json", {"people": [row]})


def test_long_sheets_continue_on_numbered_worksheets(demo, tmp_path, monkeypatch):
    monkeypatch.setattr("canbo.exchange.exporter.MAX_SHEET_ROWS", 100)
    first = tmp_path / "mot.xlsx"
    counts = export(first)
    evaluations = counts["Đánh giá"]
    assert evaluations > 300
    names = list(cells(first))
    parts = -(-evaluations // 100)
    assert names[names.index("Đánh giá") : names.index("Đánh giá") + parts] == (
        ["Đánh giá"] + [f"Đánh giá ({n})" for n in range(2, parts + 1)]
    )
    assert len(cells(first)[f"Đánh giá ({parts})"]) == evaluations - 100 * (parts - 1) + 1
    wipe()
    report = run_import(first)
    assert report.ok and report.counts["Đánh giá"].created == evaluations
    second = tmp_path / "hai.xlsx"
    export(second)
    assert cells(second) == cells(first)

