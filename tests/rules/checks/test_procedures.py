"""A2, A6, A9, A10 at their edges (the designed set is in test_appointments.py)."""

import dataclasses
import datetime as dt

from canbo.rules.checks.procedures import months_in_rank
from canbo.rules.engine import run_case_checks
from canbo.rules.facts import CheckContext, PostSpan, StepFacts
from tests.rules.checks.test_appointments import CASES, PEOPLE, POSITIONS, five_steps, run

BY_ID = {c.id: c for c in CASES}
D = dt.date


def found(rules, *cases, code, on=None):
    kw = {"on": on} if on else {}
    return [(f.reason, f.case_id, dict(f.figures)) for f in run(rules, cases, **kw) if f.rule == code]


def test_a2_adds_up_periods_counts_overlaps_once_and_passes_at_exactly_24_months(rules):
    spans = (
        PostSpan(21, 2, 60, D(2020, 1, 1), D(2020, 12, 31)),  # 12 months
        PostSpan(21, 2, 60, D(2020, 6, 1), D(2020, 12, 31)),  # inside the first: once
        PostSpan(22, 2, 40, D(2021, 1, 1), D(2025, 2, 28)),  # another rank: not counted
        PostSpan(21, 2, 60, D(2025, 3, 1)),  # through 28/02/2026: 12 months on AS_OF - 1 day
    )
    assert months_in_rank(spans, 60, D(2026, 2, 27)) == 23
    assert months_in_rank(spans, 60, D(2026, 2, 28)) == 24
    base = BY_ID[12]
    ok = dataclasses.replace(base, post_history=spans)
    assert found(rules, ok, code="A2") == []
    assert found(rules, ok, code="A2", on=D(2026, 2, 27)) == [
        ("", 12, {"months_in_rank": 23, "required": 24, "rank": 60, "judged_on": "2026-02-27"})
    ]
    # Two adjoining rows of the same rank chain without a gap.
    chained = (PostSpan(21, 2, 60, D(2024, 1, 1), D(2024, 12, 31)), PostSpan(21, 2, 60, D(2025, 1, 1)))
    assert months_in_rank(chained, 60, D(2025, 12, 31)) == 24


def test_a2_is_not_for_a_first_appointment_nor_a_post_of_the_same_rank(rules):
    base = BY_ID[12]
    first = dataclasses.replace(base, post_history=(PostSpan(None, None, None, D(2025, 1, 1)),))
    assert found(rules, first, code="A2") == []
    ended = dataclasses.replace(base, post_history=(PostSpan(21, 2, 60, D(2025, 1, 1), D(2025, 12, 31)),))
    assert found(rules, ended, code="A2") == []  # holds nothing ranked on the day: first
    lateral = dataclasses.replace(base, post_history=(PostSpan(23, 1, 75, D(2025, 1, 1)),))
    assert found(rules, lateral, code="A2") == []  # already above the post's rank
    stopped = dataclasses.replace(base, closed_on=D(2026, 2, 20), outcome="stopped")
    assert found(rules, stopped, code="A2") == []


def test_a6_quorum_is_two_thirds_of_those_summoned(rules):
    base = BY_ID[13]
    at = dataclasses.replace(base, steps=(StepFacts(1, D(2026, 2, 3), 15, 10),))  # 10/15 = 2/3
    assert found(rules, at, code="A6") == []
    below = dataclasses.replace(base, steps=(StepFacts(1, D(2026, 2, 3), 16, 10),))
    assert found(rules, below, code="A6") == [
        ("quorum", 13, {"step": 1, "present": 10, "summoned": 16})
    ]
    outside = dataclasses.replace(below, internal=False)
    assert found(rules, outside, code="A6") == []


def test_a6_a_decision_needs_the_five_steps_closed_before_it(rules):
    decided = BY_ID[5]  # decided 20/02/2026 after five steps from 02/01/2026
    assert found(rules, decided, code="A6") == []
    late = dataclasses.replace(decided, steps=five_steps(D(2026, 1, 23)))  # step 5 on 20/02
    assert found(rules, late, code="A6") == []
    later = dataclasses.replace(decided, steps=five_steps(D(2026, 1, 24)))  # step 5 on 21/02
    assert found(rules, later, code="A6") == [
        ("steps", 5, {"closed_steps": [1, 2, 3, 4], "steps": 5})
    ]
    none = dataclasses.replace(decided, steps=())
    assert found(rules, none, code="A6") == [("steps", 5, {"closed_steps": [], "steps": 5})]


def test_a6_the_deciding_step_must_pass(rules):
    base = BY_ID[13]
    for result, expected in (("passed", []), ("head_agreed", []), ("failed", ["majority"]),
                             ("head_refused", ["majority"])):  # fmt: skip
        steps = five_steps(D(2026, 2, 2), result=result)
        assert [r for r, *_ in found(rules, dataclasses.replace(base, steps=steps), code="A6")] == expected
    # A failed earlier step is not the deciding one.
    steps = tuple(dataclasses.replace(s, result="failed") if s.number == 3 else s
                  for s in five_steps(D(2026, 2, 2)))  # fmt: skip
    assert found(rules, dataclasses.replace(base, steps=steps), code="A6") == []


def test_a9_reelection_needs_48_months_and_no_congress_day_is_not_judged(rules):
    base = BY_ID[14]  # 59 months left on 01/04/2026
    again = dataclasses.replace(base, post_history=(PostSpan(23, 1, 75, D(2020, 10, 1)),))
    assert found(rules, again, code="A9") == []
    gone = dataclasses.replace(base, post_history=(PostSpan(23, 1, 75, D(2020, 10, 1), D(2026, 3, 30)),))
    assert [r for r, *_ in found(rules, gone, code="A9")] == ["first_time"]  # not held the day before
    early = dataclasses.replace(base, election_on=D(2026, 3, 1))  # 60 months left then
    assert found(rules, early, code="A9") == []
    assert found(rules, dataclasses.replace(base, election_on=None), code="A9") == []
    assert found(rules, dataclasses.replace(base, unit_kind="peoples_council"), code="A9") == []


def test_a10_between_one_more_than_the_seats_and_thirty_percent_more(rules):
    group = [BY_ID[i] for i in (15, 16, 17, 18)]
    assert found(rules, *group[:3], code="A10") == []  # 3 for 2 seats
    assert found(rules, *group[:2], code="A10") == [
        ("no_surplus", 15, {"candidates": 2, "seats": 2, "most": 3, "election_on": "2026-03-20"})
    ]
    stopped = dataclasses.replace(group[3], closed_on=D(2026, 2, 20), outcome="stopped")
    assert found(rules, *group[:3], stopped, code="A10") == []
    # Another day or another body is another election.
    other_day = dataclasses.replace(group[3], election_on=D(2026, 3, 21))
    assert [f[1] for f in found(rules, *group[:3], other_day, code="A10")] == [18]
    ten = [dataclasses.replace(group[0], id=100 + i, person_id=15, seats=10) for i in range(14)]
    assert [f[2]["most"] for f in found(rules, *ten, code="A10")] == [13]
    assert found(rules, *ten[:13], code="A10") == []


def test_a9_provincial_deputy_secretaries_are_reelected_with_42_months(rules):
    base = BY_ID[14]  # born 15/03/1969: 59 months left on 01/04/2026
    again = dataclasses.replace(base, election_on=D(2027, 5, 1),  # 46 months left then
                                post_history=(PostSpan(23, 1, 75, D(2020, 10, 1)),))  # fmt: skip

    def a9(title_code):
        positions = [dataclasses.replace(p, title_code=title_code) if p.id == 23 else p
                     for p in POSITIONS]  # fmt: skip
        return [(f.reason, f.figures["months_left"], f.figures["required"])
                for f in run_case_checks((again,), PEOPLE, positions, rules, CheckContext(D(2026, 3, 1)))
                if f.rule == "A9"]  # fmt: skip

    assert a9("TU-UVBTV") == [("reelection", 46, 48)]
    assert a9("TU-PBT") == []  # 46 ≥ 42
    shorter = rules.with_parameters("A9", reelection_months_by_title={"TU-PBT": 47})
    assert [f.rule for f in run_case_checks(
        (again,), PEOPLE, [dataclasses.replace(p, title_code="TU-PBT") if p.id == 23 else p
                           for p in POSITIONS], shorter, CheckContext(D(2026, 3, 1)))
        if f.rule == "A9"] == ["A9"]  # fmt: skip
