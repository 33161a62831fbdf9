"""Date guards of the importer, beside its rules: a term that ends before (or when) it starts
and a plan approved before its decision are refused at their cell, and nothing is written."""

import pytest

from canbo.core.models import AuditEvent
from canbo.organizations.models import Term
from canbo.planning.models import Plan
from tests.planning.conftest import cadres, positions, term  # noqa: F401  (fixtures)

from .conftest import run_import

pytestmark = pytest.mark.django_db

TERM_HEADERS = ["Loại nhiệm kỳ", "Tên nhiệm kỳ", "Bắt đầu", "Kết thúc"]
PARTY = "Đại hội Đảng bộ"
PLAN_HEADERS = ["Mã đơn vị lập quy hoạch", "Loại nhiệm kỳ", "Nhiệm kỳ", "Tên quy hoạch",
                "Trạng thái", "Mã đơn vị phê duyệt", "Số quyết định phê duyệt",
                "Ngày quyết định phê duyệt", "Ngày phê duyệt"]  # fmt: skip


@pytest.mark.parametrize(
    ("start", "end", "refused"),
    [
        ("01/10/2035", "30/09/2035", True),  # ends before it starts
        ("01/10/2035", "01/10/2035", True),  # ends the day it starts
        ("01/10/2035", "02/10/2035", False),  # one day long: accepted
    ],
)
def test_term_end_not_after_start_is_refused(world, package, start, end, refused):
    terms = Term.objects.count()
    report = run_import(package({"Nhiệm kỳ": [TERM_HEADERS, [PARTY, "2035–2040", start, end]]}))
    if not refused:
        assert report.ok, [str(p) for p in report.problems]
        assert Term.objects.count() == terms + 1
        return
    assert not report.applied
    assert [(p.sheet, p.row, p.column, p.message) for p in report.errors] == [
        ("Nhiệm kỳ", 2, "Kết thúc", "Ngày kết thúc phải sau ngày bắt đầu.")
    ]
    assert Term.objects.count() == terms
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("decided", "approved", "refused"),
    [
        ("10/06/2025", "09/06/2025", True),  # approved the day before the decision
        ("10/06/2025", "10/06/2025", False),  # the same day: accepted
        ("10/06/2025", "11/06/2025", False),
    ],
)
@pytest.mark.usefixtures("world", "term", "positions", "cadres")
def test_plan_approved_before_its_decision_is_refused(package, decided, approved, refused):
    row = ["TU", PARTY, "2030–2035", "Tỉnh", "Đã phê duyệt", "TU", "1-QĐ/TW", decided, approved]
    report = run_import(package({"Quy hoạch": [PLAN_HEADERS, row]}))
    if not refused:
        assert report.ok, [str(p) for p in report.problems]
        assert Plan.objects.count() == 1
        return
    assert not report.applied
    assert [(p.sheet, p.row, p.column, p.message) for p in report.errors] == [
        ("Quy hoạch", 2, "Ngày phê duyệt", "Ngày phê duyệt không được trước ngày quyết định.")
    ]
    assert Plan.objects.count() == 0
    assert AuditEvent.objects.count() == 0
