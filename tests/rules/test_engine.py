import dataclasses
import datetime as dt
import random

import pytest

from canbo.rules.engine import (
    Addition,
    MissingFacts,
    Proposal,
    ProposalError,
    Removal,
    apply_proposal,
    run_checks,
    run_what_if,
)
from canbo.rules.facts import VoteFacts
from canbo.rules.findings import code_key
from canbo.rules.ruleset import RuleData
from tests.rules.world import AS_OF, CTX, PEOPLE, PLAN, POSITIONS, entry, people, plan, summary


def test_findings_come_in_a_stable_order_whatever_the_input_order(rules):
    # P8 on both plans, P1 and P2 on plan 2, P7 on persons 1 and 3 in both plans.
    persons = people(
        p1={"latest_vote": VoteFacts(2025, 70, 100)}, p3={"latest_vote": VoteFacts(2025, 60, 100)}
    )
    second = dataclasses.replace(
        PLAN, id=2, entries=PLAN.entries + tuple(entry(i, 10) for i in (2, 3, 4)) + (
            entry(1, 12), entry(1, 13)),
    )  # fmt: skip
    plans = [plan(last_reviewed_on=dt.date(2024, 1, 1)), dataclasses.replace(second, last_reviewed_on=dt.date(2024, 1, 1))]  # fmt: skip
    expected = [
        ("P1", 2, 10, None, ""),
        ("P2", None, None, 1, ""),
        ("P7", 1, None, 1, "confidence"),
        ("P7", 1, None, 3, "confidence"),
        ("P7", 2, None, 1, "confidence"),
        ("P7", 2, None, 3, "confidence"),
        ("P8", 1, None, None, ""),
        ("P8", 2, None, None, ""),
    ]
    for seed in range(5):
        shuffled = [plans[:], list(persons), list(POSITIONS)]
        for items in shuffled:
            random.Random(seed).shuffle(items)
        findings = run_checks(*shuffled, rules, CTX)
        assert [
            (f.rule, f.plan_id, f.position_id, f.person_id, f.reason) for f in findings
        ] == expected


def test_rule_codes_sort_by_number():
    assert sorted(["P10", "P2", "A1", "P1"], key=code_key) == ["A1", "P1", "P2", "P10"]


def test_disabled_rules_and_rules_without_a_check_are_skipped(rules):
    facts = [plan(entry(2, 10, AS_OF), entry(3, 10, AS_OF), entry(4, 10, AS_OF))]
    assert [f.rule for f in run_checks(facts, PEOPLE, POSITIONS, rules, CTX)] == ["P1"]
    p1 = rules.rule("P1")
    off = rules.replace_rule(dataclasses.replace(p1, enabled=False))
    assert run_checks(facts, PEOPLE, POSITIONS, off, CTX) == []
    r1 = RuleData(code="R1", name="Luân chuyển", citation="", severity="warning")
    assert [f.rule for f in run_checks(facts, PEOPLE, POSITIONS, rules.replace_rule(r1), CTX)] == [
        "P1"
    ]


def test_people_and_positions_may_be_given_as_mappings(rules):
    facts = [plan(entry(2, 10, AS_OF), entry(3, 10, AS_OF), entry(4, 10, AS_OF))]
    as_maps = run_checks(facts, {p.id: p for p in PEOPLE}, {p.id: p for p in POSITIONS}, rules, CTX)
    assert as_maps == run_checks(facts, PEOPLE, POSITIONS, rules, CTX)


def test_missing_facts_are_refused(rules):
    with pytest.raises(MissingFacts, match=r"Thiếu dữ liệu cán bộ \[99\], vị trí \[98\]"):
        run_checks([plan(entry(99, 98, AS_OF))], PEOPLE, POSITIONS, rules, CTX)


def test_what_if_an_addition_breaks_p1_and_a_removal_clears_it(rules):
    crowded = plan(entry(3, 11, AS_OF))  # persons 1, 2, 3 for position 11
    add = Proposal(additions=(Addition(plan_id=1, person_id=4, position_id=11),))
    result = run_what_if([crowded], PEOPLE, POSITIONS, rules, CTX, add)
    assert result.before == ()
    assert summary(result.new) == [
        ("P1", "error", "", 1, 11, None, None, {"planned": 4, "max": 3, "seats": 1})
    ]
    assert result.resolved == ()

    swap = Proposal(
        additions=(Addition(plan_id=1, person_id=4, position_id=11),),
        removals=(Removal(plan_id=1, person_id=2, position_id=11, reason="Luân chuyển"),),
    )
    result = run_what_if([crowded], PEOPLE, POSITIONS, rules, CTX, swap)
    # Without person 2 the plan has no woman left.
    assert [(f.rule, f.reason) for f in result.after] == [("P6", "women")]
    assert [(f.rule, f.reason) for f in result.new] == [("P6", "women")]


def test_what_if_resolves_a_finding(rules):
    crowded = plan(entry(2, 10, AS_OF), entry(3, 10, AS_OF), entry(4, 10, AS_OF))
    remove = Proposal(removals=(Removal(plan_id=1, person_id=4, position_id=10),))
    result = run_what_if([crowded], PEOPLE, POSITIONS, rules, CTX, remove)
    assert [(f.rule, f.position_id) for f in result.resolved] == [("P1", 10)]
    assert result.after == () and result.new == ()


def test_apply_proposal_leaves_the_input_unchanged_and_dates_changes_on_the_as_of_day():
    proposal = Proposal(
        additions=(Addition(plan_id=1, person_id=3, position_id=12, first_time=True),),
        removals=(Removal(plan_id=1, person_id=2, position_id=11, reason="Nghỉ hưu"),),
    )
    (after,) = apply_proposal([PLAN], proposal, CTX)
    assert PLAN.entries[2].removed_on is None and len(PLAN.entries) == 6
    assert after.entries[2] == entry(2, 11, removed_on=AS_OF, removal_reason="Nghỉ hưu")
    assert after.entries[-1] == entry(3, 12, AS_OF, first_time=True)
    assert len(after.entries) == 7


def test_apply_proposal_refuses_unknown_plans_and_entries():
    with pytest.raises(ProposalError):
        apply_proposal([PLAN], Proposal(additions=(Addition(9, 1, 10),)), CTX)
    with pytest.raises(ProposalError):
        apply_proposal([PLAN], Proposal(removals=(Removal(9, 1, 10),)), CTX)
    with pytest.raises(ProposalError, match="không có cán bộ 5"):
        apply_proposal([PLAN], Proposal(removals=(Removal(1, 5, 11),)), CTX)  # already removed
