"""`canbo seed-demo` also fills the demo province's plans for 2030–2035 (canbo/demo/planning.py)."""

import datetime as dt
from collections import Counter

import pytest

from canbo.core.models import AuditEvent
from canbo.demo.builder import build_demo
from canbo.demo.planning import CHECKED_ON, Violation
from canbo.planning.choices import EntrySource, PlanStatus
from canbo.planning.models import Plan, PlanEntry, PlanPosition, PlanReview, PlanTransition
from canbo.planning.selectors import check_plans
from tests.test_demo import areas as areas  # noqa: F401  (the small demo province fixture)
from tests.test_demo import dataset, seed, wipe_demo

pytestmark = pytest.mark.usefixtures("areas")


def finding_key(finding, units):
    """A finding as the demo designs it: rule, reason, planning unit, person."""
    return (finding.rule, finding.reason, units.get(finding.plan_id), finding.id_number)


def designed_key(v: Violation):
    # P2 is about a person across the plans of a term: the finding names no plan.
    return (v.rule, v.reason, None if v.rule == "P2" else v.unit_code, v.id_number)


@pytest.fixture
def demo(areas):  # noqa: F811
    return build_demo(seed=7, people=300)


def test_the_demo_has_plans_in_every_status(demo):
    summary = demo.plans
    plans = Plan.objects.select_related("planning_unit", "term")
    assert {p.term.name for p in plans} == {"2030–2035"}
    # The provincial committee, 19 agencies and the 5 communes.
    assert summary.plans == plans.count() == 1 + 19 + 5
    assert {p.planning_unit.code.split("-")[0] for p in plans} >= {"TU", "BTC", "SNV", "DU"}
    statuses = Counter(plans.values_list("status", flat=True))
    assert set(statuses) == set(PlanStatus.values)
    assert dict(statuses) == summary.by_status
    # Approved plans carry their decision; each status change is in the history.
    for plan in plans.exclude(status__in=[PlanStatus.DRAFT, PlanStatus.SUBMITTED]):
        assert plan.decision_number and plan.approved_on <= CHECKED_ON
        assert plan.approver_unit.code == "TU-01"
    assert PlanTransition.objects.count() == sum(
        {"draft": 1, "submitted": 2, "approved": 3, "published": 4}[status] * count
        for status, count in statuses.items()
    )
    # Nothing is dated after the data's reference date.
    assert not PlanEntry.objects.filter(added_on__gt=CHECKED_ON).exists()
    assert not PlanEntry.objects.filter(removed_on__gt=CHECKED_ON).exists()


def test_entries_successors_removals_and_the_review(demo):
    summary = demo.plans
    entries = PlanEntry.objects.all()
    assert entries.count() == summary.entries
    assert summary.positions == PlanPosition.objects.count()
    # Key posts mostly have two or three successors; some covered posts have none.
    active = entries.filter(removed_on__isnull=True)
    per_position = Counter(
        active.filter(position__title__is_key=True).values_list("plan", "position")
    )
    assert sum(1 for n in per_position.values() if n in (2, 3)) > len(per_position) / 2
    planned = set(active.values_list("plan", "position"))
    empty = [pp for pp in PlanPosition.objects.values_list("plan", "position") if pp not in planned]
    assert empty
    # People from inside and from outside the planning unit.
    assert {e.source for e in entries} == {EntrySource.INSIDE, EntrySource.OUTSIDE}
    for entry in entries.select_related("plan__planning_unit", "person__unit"):
        inside = entry.person.unit.path.startswith(entry.plan.planning_unit.path)
        assert entry.source == (EntrySource.INSIDE if inside else EntrySource.OUTSIDE)
    # Removed entries keep their row, date and reason.
    removed = entries.filter(removed_on__isnull=False)
    assert removed.count() == summary.removed >= 2
    assert all(e.removal_reason for e in removed)
    # One annual review of the provincial committee's plan: one out, people in.
    review = PlanReview.objects.get()
    assert review.plan.planning_unit.code == "TU-01"
    assert review.reviewed_on == dt.date(2025, 11, 25)
    assert review.removed_entries.count() == 1
    assert review.added_entries.count() >= 2
    assert len(review.after) == len(review.before) - 1 + review.added_entries.count()
    # Written through the services: audited.
    assert AuditEvent.objects.filter(content_type__model="planentry").count() == (
        summary.entries + summary.removed
    )


def test_the_findings_are_the_designed_violations(demo):
    violations = demo.plans.violations
    units = dict(Plan.objects.values_list("pk", "planning_unit__code"))
    findings = check_plans(Plan.objects.all(), CHECKED_ON)
    found = Counter(finding_key(f, units) for f in findings)
    assert found == Counter(designed_key(v) for v in violations)
    # Every rule: P4 from the open appointment case of canbo.demo.appointments.
    assert {f.rule for f in findings} == {"P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9"}
    assert demo.cases == 14  # the P4 case and the A1–A10 ones (tests/demo/test_appointments.py)
    [p4] = [f for f in findings if f.rule == "P4"]
    assert units[p4.plan_id] == "TU-01" and p4.figures["added_on"] == "2025-11-25"
    assert p4.figures["case_opened_on"] == "2025-11-11"
    assert {(f.rule, f.reason) for f in findings} >= {
        ("P5", "full_term"), ("P5", "first_time"), ("P6", "women"), ("P6", "young"),
        ("P7", "age"),
    }  # fmt: skip
    # On a later day the plans not reviewed for a year are overdue too.
    later = check_plans(Plan.objects.all(), dt.date(2026, 11, 1))
    assert sum(f.rule == "P8" for f in later) > 1
    # The status history is dated as the story has it: P9 sees the dossiers still waiting.
    waiting = Plan.objects.filter(status=PlanStatus.SUBMITTED).count()
    assert waiting >= 2
    assert sum(f.rule == "P9" for f in later) == waiting


def test_same_seed_same_plans():
    seed("--people", "300", "--seed", "7")
    first = dataset()
    wipe_demo()
    seed("--people", "300", "--seed", "7")
    assert dataset() == first
    assert first["plans"] and first["plan_entries"]
