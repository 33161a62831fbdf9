"""Plan reviews in the data package: the sheet "Quy hoạch - rà soát" and the entries' links.

The plan of the planning world (tests/planning/conftest.py) was reviewed on 15/12/2025
(Em out of TB, Cường into PCT); `reviewed_twice` adds a second review on 01/02/2026
(Bình out of PBT, Dũng into TB) with a note of two lines.
"""

import datetime as dt
import json

import openpyxl
import pytest

from canbo.core.models import AuditEvent
from canbo.exchange.sheets import GUIDE_TITLE
from canbo.exchange.template import write_template
from canbo.organizations.models import Position
from canbo.planning import services
from canbo.planning.choices import RemovalReason
from canbo.planning.models import Plan, PlanEntry, PlanReview
from canbo.planning.package.sheets import PLAN_ENTRIES, PLAN_REVIEWS
from canbo.planning.selectors import check_plans
from tests.planning.conftest import cadres, plan, positions, term  # noqa: F401  (fixtures)

from .conftest import json_package, run_import
from .test_planning import KEY, PARTY, A, B, C, D, E, export, sheets_of, wipe

pytestmark = pytest.mark.django_db

FIRST, SECOND = dt.date(2025, 12, 15), dt.date(2026, 2, 1)
NOTE = "Rà soát giữa kỳ.\nBổ sung Trưởng Ban Tổ chức."
# 17 months after the approval (01/06/2025), 9 after the second review: P8 fires only
# when the reviews are lost.
P8_AS_OF = dt.date(2026, 11, 1)
REVIEW_HEADERS = KEY + ["Ngày rà soát", "Số quyết định", "Ghi chú"]
ENTRY_HEADERS = KEY + ["Số định danh cá nhân", "Mã đơn vị", "Mã chức danh", "Ngày đưa vào",
                       "Rà soát đưa vào (ngày)", "Ngày đưa ra", "Lý do đưa ra",
                       "Rà soát đưa ra (ngày)"]  # fmt: skip
PLAN_KEY = ["TU", PARTY, "2030–2035"]


@pytest.fixture
def reviewed_twice(plan, positions, cadres):  # noqa: F811
    bình = plan.entries.get(person=cadres.b, position=positions.pbt)
    services.review_record(
        actor=None,
        plan=plan,
        reviewed_on=SECOND,
        decision_number="7-QĐ/TU",
        note=NOTE,
        additions=[services.EntryAddition(person=cadres.d, position=positions.tb)],
        removals=[services.EntryRemoval(entry=bình, reason=RemovalReason.MOVED)],
    )
    return plan


def natural(pairs: list[dict]) -> list[tuple]:
    """A review list with positions named by unit and title codes, in stored order."""
    codes = dict(
        (pk, (unit, title))
        for pk, unit, title in Position.objects.values_list("pk", "unit__code", "title__code")
    )
    return [(row["id_number"], *codes[row["position"]]) for row in pairs]


def reviews_state() -> list[tuple]:
    """Reviews with their lists by natural key (sorted: position ids, hence the stored order,
    differ between databases; `in_stored_order` checks that order)."""
    return [
        (r.reviewed_on, r.decision_number, r.note, sorted(natural(r.before)),
         sorted(natural(r.after)))
        for r in PlanReview.objects.order_by("reviewed_on")
    ]  # fmt: skip


def links_state() -> list[tuple]:
    rows = PlanEntry.objects.values_list(
        "person__id_number", "position__title__code", "added_on",
        "added_in_review__reviewed_on", "removed_on", "removed_in_review__reviewed_on",
    )  # fmt: skip
    return sorted(rows, key=lambda r: (r[0], r[1], r[2]))


def findings_state() -> list[tuple]:
    findings = check_plans(Plan.objects.all(), P8_AS_OF)
    return sorted((f.rule, f.severity, f.reason, f.message, f.id_number or "") for f in findings)


def in_stored_order(pairs: list[tuple]) -> list[tuple]:
    """Natural pairs sorted the way `services.review_list` sorts them in this database."""
    ids = {
        (unit, title): pk
        for pk, unit, title in Position.objects.values_list("pk", "unit__code", "title__code")
    }
    stored = services.review_list((i, ids[(unit, title)]) for i, unit, title in pairs)
    return natural(stored)


BEFORE_SECOND = [(A, "TU", "BT"), (A, "TU", "PBT"), (B, "TU", "PBT"), (D, "TU", "CT"),
                 (C, "TU", "PCT")]  # fmt: skip
AFTER_SECOND = [(A, "TU", "BT"), (A, "TU", "PBT"), (D, "TU", "CT"), (D, "TU", "TB"),
                (C, "TU", "PCT")]  # fmt: skip


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_round_trip_keeps_reviews_links_lists_and_p8(reviewed_twice, tmp_path, suffix):
    reviews, links, findings = reviews_state(), links_state(), findings_state()
    assert [r[:3] for r in reviews] == [
        (FIRST, "45-QĐ/TU", ""),
        (SECOND, "7-QĐ/TU", NOTE),
    ]
    assert reviews[1][3:] == (sorted(BEFORE_SECOND), sorted(AFTER_SECOND))
    assert "P8" not in {f[0] for f in findings}
    assert sorted((r[0], r[1], r[3], r[5]) for r in links) == [
        (D, "CT", None, None),
        (D, "TB", SECOND, None),
        (A, "BT", None, None),
        (A, "PBT", None, None),
        (C, "PCT", FIRST, None),
        (E, "TB", None, FIRST),
        (B, "PBT", None, SECOND),
    ]  # by ID number
    first = tmp_path / f"mot{suffix}"
    counts = export(first)
    assert counts[PLAN_REVIEWS.title] == 2
    wipe()
    report = run_import(first)
    assert report.ok, [str(p) for p in report.errors[:5]]
    assert vars(report.counts[PLAN_REVIEWS.title]) == {"created": 2, "updated": 0, "unchanged": 0}
    assert reviews_state() == reviews  # dates, decisions, notes, lists by natural key
    for review in PlanReview.objects.all():  # and exactly as this database stores them
        assert natural(review.before) == in_stored_order(natural(review.before))
        assert natural(review.after) == in_stored_order(natural(review.after))
        assert (review.before, review.after) == services.review_lists_of(review)
    assert links_state() == links
    assert findings_state() == findings
    assert AuditEvent.objects.filter(content_type__model="planreview", action="create").count() == 2
    second = tmp_path / f"hai{suffix}"
    export(second)
    if suffix == ".json":
        assert second.read_text() == first.read_text()
    else:
        assert sheets_of(second) == sheets_of(first)
    events = AuditEvent.objects.count()
    again = run_import(first)
    assert again.ok and (again.created, again.updated) == (0, 0)
    assert again.counts[PLAN_REVIEWS.title].unchanged == 2
    assert AuditEvent.objects.count() == events


def test_without_the_reviews_p8_fires_on_the_receiving_side(reviewed_twice, tmp_path):
    """The control of the test above: what losing the reviews did."""
    path = tmp_path / "goi.json"
    export(path)
    package = json.loads(path.read_text())
    sheets = package["sheets"]
    del sheets["plan_reviews"]
    for row in sheets["plan_entries"]:
        row.pop("added_review", None)
        row.pop("removed_review", None)
    wipe()
    report = run_import(json_package(tmp_path / "mat.json", sheets, package["meta"]))
    assert report.ok, [str(p) for p in report.errors[:5]]
    assert [f[0] for f in findings_state() if f[0] == "P8"] == ["P8"]


def test_an_entry_may_name_a_stored_review_whose_lists_follow(reviewed_twice, package):
    rows = [ENTRY_HEADERS, [*PLAN_KEY, E, "TU", "PCT", "01/12/2025", "", "", "", ""],
            [*PLAN_KEY, B, "TU", "CT", "15/12/2025", "15/12/2025", "", "", ""]]  # fmt: skip
    events = AuditEvent.objects.count()
    report = run_import(package({"Quy hoạch - nhân sự": rows}))
    assert report.ok, [str(p) for p in report.problems]
    assert vars(report.counts[PLAN_ENTRIES.title]) == {"created": 2, "updated": 0, "unchanged": 0}
    # The review of 15/12/2025 is not in the package, yet its lists change: an update.
    assert vars(report.counts[PLAN_REVIEWS.title]) == {"created": 0, "updated": 1, "unchanged": 0}
    first = PlanReview.objects.get(reviewed_on=FIRST)
    bình = PlanEntry.objects.get(person__id_number=B, position__title__code="CT")
    assert (bình.added_in_review, bình.removed_in_review) == (first, None)
    assert natural(first.before) == in_stored_order(
        [(A, "TU", "BT"), (A, "TU", "PBT"), (B, "TU", "PBT"), (D, "TU", "CT"), (E, "TU", "TB"),
         (E, "TU", "PCT")]  # Em's new entry of 01/12/2025 names no review: before every review
    )  # fmt: skip
    assert natural(first.after) == in_stored_order(
        [(A, "TU", "BT"), (A, "TU", "PBT"), (B, "TU", "PBT"), (B, "TU", "CT"), (D, "TU", "CT"),
         (C, "TU", "PCT"), (E, "TU", "PCT")]
    )  # fmt: skip
    assert (first.before, first.after) == services.review_lists_of(first)
    update = AuditEvent.objects.get(content_type__model="planreview", action="update")
    assert sorted(update.changes) == ["after", "before"]
    assert AuditEvent.objects.count() == events + 3  # two entries, one review
    # The review of 01/02/2026 is neither in the package nor named: it keeps its lists.
    assert reviews_state()[1][3:] == (sorted(BEFORE_SECOND), sorted(AFTER_SECOND))


def test_review_problems_are_reported_by_cell_and_nothing_is_written(reviewed_twice, package):
    reviews = [
        REVIEW_HEADERS,
        [*PLAN_KEY, "01/03/2026", "9-QĐ/TU", ""],
        [*PLAN_KEY, "01/03/2026", "10-QĐ/TU", ""],
        ["XA", PARTY, "2030–2035", "01/03/2026", "", ""],
        [*PLAN_KEY, "01/01/2099", "", ""],
    ]
    entries = [
        ENTRY_HEADERS,
        [*PLAN_KEY, E, "TU", "PCT", "01/04/2026", "01/04/2026", "", "", ""],
        [*PLAN_KEY, B, "TU", "CT", "01/01/2026", "01/03/2026", "", "", ""],
        [*PLAN_KEY, A, "TU", "BT", "01/01/2024", "", "01/03/2026", "Chuyển công tác",
         "15/12/2025"],
    ]  # fmt: skip
    before = (reviews_state(), links_state(), AuditEvent.objects.count())
    report = run_import(package({"Quy hoạch - rà soát": reviews, "Quy hoạch - nhân sự": entries}))
    assert not report.applied
    assert [(p.sheet, p.row, p.column, p.value, p.message) for p in report.errors] == [
        ("Quy hoạch - rà soát", 3, "Ngày rà soát", "01/03/2026",
         "Trùng với dòng 2 của sheet này."),
        ("Quy hoạch - rà soát", 4, "Mã đơn vị lập quy hoạch", "XA",
         "Không có quy hoạch của đơn vị “XA” cho nhiệm kỳ này trong sheet Quy hoạch của gói "
         "hay trong hệ thống."),
        ("Quy hoạch - rà soát", 5, "Ngày rà soát", "01/01/2099",
         "Ngày này không được sau ngày hôm nay."),
        ("Quy hoạch - nhân sự", 2, "Rà soát đưa vào (ngày)", "01/04/2026",
         "Quy hoạch này không có đợt rà soát ngày 01/04/2026 trong sheet Quy hoạch - rà soát "
         "của gói hay trong hệ thống."),
        ("Quy hoạch - nhân sự", 3, "Rà soát đưa vào (ngày)", "01/03/2026",
         "Cán bộ được bổ sung trong đợt rà soát ngày 01/03/2026 phải có ngày đưa vào là ngày "
         "rà soát."),
        ("Quy hoạch - nhân sự", 4, "Rà soát đưa ra (ngày)", "15/12/2025",
         "Cán bộ được đưa ra trong đợt rà soát ngày 15/12/2025 phải có ngày đưa ra là ngày rà "
         "soát."),
    ]  # fmt: skip
    assert (reviews_state(), links_state(), AuditEvent.objects.count()) == before


@pytest.mark.usefixtures("cadres")
def test_a_review_of_a_plan_the_package_brings_and_one_review_a_day(world, positions, package):  # noqa: F811
    """A plan, its review and the entries naming it, all new; the same day twice is refused."""
    headers = KEY + ["Tên quy hoạch", "Trạng thái", "Mã đơn vị phê duyệt",
                     "Số quyết định phê duyệt", "Ngày quyết định phê duyệt"]  # fmt: skip
    key = ["TU", PARTY, "2035-2040"]
    sheets = {
        "Nhiệm kỳ": [["Loại nhiệm kỳ", "Tên nhiệm kỳ", "Bắt đầu", "Kết thúc"],
                     [PARTY, "2035–2040", "01/10/2035", "30/09/2040"]],
        "Quy hoạch": [headers, [*key, "Tỉnh 2035–2040", "Đã phê duyệt", "TU", "1-QĐ/TW",
                                "01/06/2025"]],
        "Quy hoạch - rà soát": [REVIEW_HEADERS, [*key, "15/12/2025", "2-QĐ/TU", "  Hằng năm  "]],
        "Quy hoạch - nhân sự": [
            ENTRY_HEADERS,
            [*key, A, "TU", "BT", "01/01/2025", "", "15/12/2025", "Chuyển công tác",
             "15/12/2025"],
            [*key, B, "TU", "BT", "15/12/2025", "15/12/2025", "", "", ""],
        ],
    }  # fmt: skip
    report = run_import(package(sheets))
    assert report.ok, [str(p) for p in report.problems]
    review = PlanReview.objects.get()
    assert (review.reviewed_on, review.decision_number, review.note) == (FIRST, "2-QĐ/TU", "Hằng năm")
    bt = positions.bt.pk
    assert (review.before, review.after) == (
        [{"id_number": A, "position": bt}],
        [{"id_number": B, "position": bt}],
    )
    sheets["Quy hoạch - rà soát"].append([*key, "15/12/2025", "3-QĐ/TU", ""])
    report = run_import(package(sheets))
    assert [(p.sheet, p.row, p.column, p.message) for p in report.errors] == [
        ("Quy hoạch - rà soát", 3, "Ngày rà soát", "Trùng với dòng 2 của sheet này.")
    ]


def test_template_has_the_review_sheet_and_link_columns(db, tmp_path):
    path = tmp_path / "mau.xlsx"
    write_template(str(path))
    workbook = openpyxl.load_workbook(path)
    assert [c.value for c in workbook[PLAN_REVIEWS.title][1]] == [
        "Mã đơn vị lập quy hoạch", "Loại nhiệm kỳ", "Nhiệm kỳ", "Ngày rà soát", "Số quyết định",
        "Ghi chú",
    ]  # fmt: skip
    headers = [c.value for c in workbook[PLAN_ENTRIES.title][1]]
    assert "Rà soát đưa vào (ngày)" in headers and "Rà soát đưa ra (ngày)" in headers
    guide = [[c.value for c in row] for row in workbook[GUIDE_TITLE].iter_rows()]
    row = next(r for r in guide if r[0] == PLAN_REVIEWS.title and r[1] == "Ngày rà soát")
    assert row[3] == "Ngày: dd/mm/yyyy"
    sheet_names = workbook.sheetnames
    assert sheet_names.index(PLAN_REVIEWS.title) == sheet_names.index(PLAN_ENTRIES.title) - 1


def test_an_editor_records_reviews_only_of_plans_of_their_units(world, reviewed_twice, package):
    rows = [REVIEW_HEADERS, [*PLAN_KEY, "01/03/2026", "", ""]]
    report = run_import(package({"Quy hoạch - rà soát": rows}), actor=world.editor_a)
    assert [(p.sheet, p.row, p.column, p.message) for p in report.errors] == [
        ("Quy hoạch - rà soát", 2, "Mã đơn vị lập quy hoạch",
         "Ngoài phạm vi quyền của bạn; gói bị từ chối toàn bộ."),
    ]  # fmt: skip
    assert PlanReview.objects.count() == 2
    # The same reviews as stored change nothing, so they pass whoever imports them.
    unchanged = [REVIEW_HEADERS, [*PLAN_KEY, "15/12/2025", "45-QĐ/TU", ""],
                 [*PLAN_KEY, "01/02/2026", "7-QĐ/TU", NOTE]]  # fmt: skip
    report = run_import(package({"Quy hoạch - rà soát": unchanged}), actor=world.editor_a)
    assert report.ok, [str(p) for p in report.problems]
    assert vars(report.counts[PLAN_REVIEWS.title]) == {"created": 0, "updated": 0, "unchanged": 2}
