import datetime as dt
from fractions import Fraction

import pytest

from canbo.rules.ruleset import ParameterError, RuleData, as_fraction, freeze, thaw


def test_default_rule_set_as_data(rules):
    assert (rules.code, rules.effective_from) == ("QĐ 377/2025", dt.date(2025, 10, 8))
    assert [(r.code, r.severity) for r in rules.rules] == [
        ("P1", "error"), ("P2", "error"), ("P3", "error"), ("P4", "error"),
        ("P5", "error"), ("P6", "warning"), ("P7", "flag"), ("P8", "warning"),
        ("P9", "warning"), ("A1", "error"), ("A2", "error"), ("A3", "error"), ("A4", "error"),
        ("A5", "error"), ("A6", "error"), ("A7", "warning"), ("A8", "warning"), ("A9", "error"),
        ("A10", "error"), ("C1", "error"), ("C2", "error"), ("C3", "flag"), ("C4", "warning"),
        ("C5", "error"), ("E1", "error"), ("E2", "warning"), ("E3", "error"), ("E4", "error"),
        ("R1", "error"), ("R2", "error"), ("R3", "warning"), ("R4", "warning"), ("R5", "error"),
    ]  # fmt: skip
    assert thaw(rules.rule("P6").parameters) == {
        "min_women_share": "1/4",
        "min_young_share": "3/20",
        "young_under_age_by_level": {"central": 45, "province": 40},
        "age_reference": "as_of",
        "age_bracket_gap_years": 5,
        "min_age_brackets": 3,
    }
    assert thaw(rules.rule("P9").parameters) == {
        "max_working_days": 30,
        "yearly_holidays": ["01-01", "04-30", "05-01", "09-02"],
        "holidays": [],
    }
    assert rules.rule("Z1") is None


def test_parameters_are_read_only(rules):
    with pytest.raises(TypeError):
        rules.rule("P1").parameters["max_people_per_position"] = 2
    with pytest.raises(AttributeError):
        rules.rule("P7").parameters["discipline_forms"].append("x")


def test_with_parameters_returns_a_changed_copy(rules):
    changed = rules.with_parameters("P1", max_people_per_position=2)
    assert changed.rule("P1").parameters["max_people_per_position"] == 2
    assert rules.rule("P1").parameters["max_people_per_position"] == 3
    assert changed.rule("P2") is rules.rule("P2")
    with pytest.raises(KeyError):
        rules.with_parameters("P42", x=1)


def test_fractions_are_exact():
    assert [as_fraction(v) for v in ("1/2", "2/3", 0.25, "0.15", 1)] == [
        Fraction(1, 2), Fraction(2, 3), Fraction(1, 4), Fraction(3, 20), Fraction(1)
    ]  # fmt: skip
    rule = RuleData("X1", "", "", "warning", {"share": "một nửa"})
    with pytest.raises(ParameterError, match="không phải là một tỷ lệ"):
        rule.fraction("share")
    with pytest.raises(ParameterError, match="thiếu tham số “other”"):
        rule.param("other")


def test_freeze_and_thaw_round_trip():
    data = {"a": [1, {"b": [2, 3]}], "c": "x"}
    assert thaw(freeze(data)) == data
