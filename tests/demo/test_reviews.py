"""`canbo seed-demo` writes vote sessions and a round breaking each of C1–C5 and E1–E4
exactly once, typed twice by two clerks; the dismissal queue shows C5, E3, E4."""

from collections import Counter

import pytest

from canbo.accounts.models import User
from canbo.appointments.queue import dismissal_queue
from canbo.demo.builder import build_demo
from canbo.demo.planning import CHECKED_ON
from canbo.reviews.models import EvaluationRound, VoteSession, VoteTally
from canbo.reviews.selectors import check_reviews
from tests.test_demo import areas as areas  # noqa: F401  (the small demo province fixture)

pytestmark = pytest.mark.usefixtures("areas")

RULES = ["C1", "C2", "C3", "C4", "C5", "E1", "E2", "E3", "E4"]


def test_each_review_rule_is_broken_exactly_once(areas, admin_user):  # noqa: F811
    summary = build_demo(seed=7, people=300)
    assert summary.reviews == RULES
    findings = check_reviews(VoteSession.objects.all(), EvaluationRound.objects.all(), CHECKED_ON)
    assert Counter(f.rule for f in findings) == Counter(RULES)
    assert {f.rule: f.reason for f in findings if f.reason} == {"C2": "new_post"}
    # Two clerks typed every tally, one round each.
    entrants = set(VoteTally.objects.values_list("round", "entered_by__username"))
    assert entrants == {(1, "thuky_tctu_1"), (2, "thuky_tctu_2")}
    assert User.objects.get(username="thuky_tctu_2").role == "editor"
    # The dismissal queue proposes the three the rules name, none under way yet.
    queue = dismissal_queue(admin_user, as_of=CHECKED_ON)
    by_rule = {f.rule: f.id_number for f in findings}
    assert [(p.rule, p.id_number, p.under_way) for p in queue] == [
        ("C5", by_rule["C5"], None), ("E3", by_rule["E3"], None), ("E4", by_rule["E4"], None)]
