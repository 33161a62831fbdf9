import pytest

from canbo.rules.loader import read_rule_sets
from canbo.rules.ruleset import RuleData, RuleSetData


def default_rule_set() -> RuleSetData:
    """The shipped rule set, read from its data file (no database)."""
    data = read_rule_sets()[0]
    return RuleSetData(
        code=data["code"],
        name=data["name"],
        effective_from=data["effective_from"],
        note=data["note"],
        rules=tuple(RuleData(**r) for r in data["rules"]),
    )


@pytest.fixture
def rules() -> RuleSetData:
    return default_rule_set()
