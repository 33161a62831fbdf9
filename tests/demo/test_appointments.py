"""`canbo seed-demo` writes appointment cases breaking each of A1–A10 exactly once."""

from collections import Counter

import pytest

from canbo.appointments.models import AppointmentCase
from canbo.appointments.selectors import check_cases
from canbo.demo.builder import build_demo
from canbo.demo.planning import CHECKED_ON
from tests.test_demo import areas as areas  # noqa: F401  (the small demo province fixture)

pytestmark = pytest.mark.usefixtures("areas")

RULES = ["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "A10"]


def test_each_appointment_rule_is_broken_exactly_once_by_its_designed_case(areas):  # noqa: F811
    summary = build_demo(seed=7, people=300)
    designed = summary.plans.case_violations
    assert [rule for rule, _ in designed] == RULES
    findings = check_cases(AppointmentCase.objects.all(), CHECKED_ON)
    assert Counter(f.rule for f in findings) == Counter(RULES)
    # Each finding names the person designed for it (A10: the first of its four).
    assert sorted((f.rule, f.id_number or _first_of(f)) for f in findings) == sorted(designed)
    assert {f.rule: f.reason for f in findings if f.reason} == {
        "A6": "quorum", "A7": "waiting", "A8": "due", "A9": "first_time", "A10": "surplus"}
    # The P4 case, one per rule, and three more candidates for A10's election.
    assert summary.cases == AppointmentCase.objects.count() == 1 + 10 + 3


def _first_of(finding):
    return AppointmentCase.objects.get(pk=finding.case_id).person.id_number
