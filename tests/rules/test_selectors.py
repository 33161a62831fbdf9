import datetime as dt

import pytest

from canbo.rules.engine import run_checks
from canbo.rules.models import Rule, RuleSet
from canbo.rules.ruleset import RuleSetData
from canbo.rules.selectors import NoRuleSetInForce, rule_set_in_force
from tests.rules.world import CTX, PEOPLE, POSITIONS, entry, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def later_set():
    """A rule set effective 01/01/2027 in which P1 allows only 2 people per position."""
    rule_set = RuleSet.objects.create(
        code="Thử nghiệm 2027", name="Bộ quy định thử nghiệm", effective_from=dt.date(2027, 1, 1)
    )
    for rule in RuleSet.objects.get(code="QĐ 377/2025").rules.all():
        params = dict(rule.parameters)
        if rule.code == "P1":
            params["max_people_per_position"] = 2
        Rule.objects.create(
            rule_set=rule_set, code=rule.code, name=rule.name, citation="Thử nghiệm",
            severity=rule.severity, parameters=params, enabled=rule.enabled,
        )  # fmt: skip
    return rule_set


def test_rule_set_in_force_returns_plain_data(django_assert_num_queries):
    with django_assert_num_queries(2):
        data = rule_set_in_force(dt.date(2026, 3, 1))
    assert isinstance(data, RuleSetData)
    assert (data.code, data.effective_from) == ("QĐ 377/2025", dt.date(2025, 10, 8))
    assert [r.code for r in data.rules] == [
        "A1", "A10", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "C1", "C2", "C3", "C4", "C5",
        "E1", "E2", "E3", "E4", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9",
        "R1", "R2", "R3", "R4", "R5",
    ]  # fmt: skip
    assert not any(isinstance(v, RuleSet | Rule) for v in vars(data).values())
    with pytest.raises(TypeError):
        data.rule("P1").parameters["max_people_per_position"] = 9


def test_rule_set_in_force_from_its_effective_date():
    assert rule_set_in_force(dt.date(2025, 10, 8)).code == "QĐ 377/2025"
    with pytest.raises(NoRuleSetInForce, match="08/10/2024"):
        rule_set_in_force(dt.date(2024, 10, 8))


def test_a_later_rule_set_does_not_apply_to_earlier_dates(later_set):
    assert rule_set_in_force(dt.date(2026, 12, 31)).code == "QĐ 377/2025"
    assert rule_set_in_force(dt.date(2027, 1, 1)).code == "Thử nghiệm 2027"
    assert rule_set_in_force(dt.date(2030, 1, 1)).code == "Thử nghiệm 2027"

    three = [plan(entry(3, 11, dt.date(2026, 1, 1)))]
    on_2026 = run_checks(three, PEOPLE, POSITIONS, rule_set_in_force(CTX.as_of), CTX)
    assert on_2026 == []
    in_2027 = CTX.__class__(as_of=dt.date(2027, 1, 5))
    findings = run_checks(three, PEOPLE, POSITIONS, rule_set_in_force(in_2027.as_of), in_2027)
    assert [(f.rule, f.citation, dict(f.figures)) for f in findings if f.rule == "P1"] == [
        ("P1", "Thử nghiệm", {"planned": 3, "max": 2, "seats": 1})
    ]


def test_editing_a_parameter_in_the_database_changes_the_findings():
    three = [plan(entry(3, 11, dt.date(2026, 1, 1)))]
    assert run_checks(three, PEOPLE, POSITIONS, rule_set_in_force(CTX.as_of), CTX) == []
    rule = Rule.objects.get(code="P1")
    rule.parameters = {**rule.parameters, "max_people_per_position": 2}
    rule.save()
    findings = run_checks(three, PEOPLE, POSITIONS, rule_set_in_force(CTX.as_of), CTX)
    assert [(f.rule, f.position_id, dict(f.figures)) for f in findings] == [
        ("P1", 11, {"planned": 3, "max": 2, "seats": 1})
    ]
    Rule.objects.filter(code="P1").update(enabled=False)
    assert run_checks(three, PEOPLE, POSITIONS, rule_set_in_force(CTX.as_of), CTX) == []
