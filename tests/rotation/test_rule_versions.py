"""R1–R3 are data: a parameter change changes the findings without code, and a later rule
set does not apply to earlier dates."""

import datetime as dt

import pytest

from canbo.rotation.models import Rotation
from canbo.rotation.selectors import check_rotations
from canbo.rules.models import Rule, RuleSet
from canbo.rules.selectors import rule_set_in_force

from .test_services import rotate, setting  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def rules(findings):
    return [(f.rule, f.reason) for f in findings]


def test_a_parameter_changes_the_findings_and_a_later_set_waits_for_its_day(world, setting):  # noqa: F811
    s = setting
    rotate(world, s, s.an, start=dt.date(2026, 3, 1), planned_end=dt.date(2028, 3, 1))  # 24 months
    qs = Rotation.objects.all()
    on = dt.date(2026, 6, 30)
    assert rules(check_rotations(qs, on)) == [("R3", "planned")]
    shorter = rule_set_in_force(on).with_parameters("R3", min_months=24)
    assert rules(check_rotations(qs, on, shorter)) == []
    # A rule set effective 01/01/2027 asking for 18 months: not before its day.
    later = RuleSet.objects.create(code="Thử nghiệm 2027", name="Bộ quy định thử nghiệm",
                                   effective_from=dt.date(2027, 1, 1))  # fmt: skip
    for rule in RuleSet.objects.get(code="QĐ 377/2025").rules.all():
        params = dict(rule.parameters) | ({"min_months": 18} if rule.code == "R3" else {})
        Rule.objects.create(rule_set=later, code=rule.code, name=rule.name, citation="Thử nghiệm",
                            severity=rule.severity, parameters=params, enabled=rule.enabled)  # fmt: skip
    assert rules(check_rotations(qs, on)) == [("R3", "planned")]
    assert rules(check_rotations(qs, dt.date(2027, 1, 1))) == []
