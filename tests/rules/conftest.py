import pytest

from canbo.rules.ruleset import RuleSetData
from canbo.rules.sample import shipped_rule_set


@pytest.fixture
def rules() -> RuleSetData:
    """The shipped rule set, read from its data file (no database)."""
    return shipped_rule_set()
