"""Each planning rule over a fact set that breaks it exactly once, and over the clean world.

Every test runs the whole default rule set, so it also shows that no other
rule fires on the same facts.
"""

import dataclasses
import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from canbo.rules.engine import run_checks
from canbo.rules.facts import DisciplineFacts, RatingFacts, VoteFacts
from canbo.rules.ruleset import ParameterError
from tests.rules.world import (
    AS_OF,
    CTX,
    PEOPLE,
    PLAN,
    POSITIONS,
    entry,
    people,
    person,
    plan,
    summary,
)

Q377 = "Quy định 377-QĐ/TW ngày 08/10/2025"


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def run(rules, plans=(PLAN,), persons=PEOPLE, positions=POSITIONS, ctx=CTX, **kw):
    return run_checks(plans, persons, positions, rules, ctx, **kw)


def test_the_clean_world_breaks_nothing(rules):
    assert run(rules) == []


# P1 ─ at most 3 people per position


def test_p1_four_people_for_one_position(rules):
    findings = run(rules, [plan(entry(2, 10, AS_OF), entry(3, 10, AS_OF), entry(4, 10, AS_OF))])
    assert summary(findings) == [
        ("P1", "error", "", 1, 10, None, None, {"planned": 4, "max": 3, "seats": 1})
    ]
    assert findings[0].citation == Q377
    assert findings[0].message == (
        "Chức danh Bí thư Tỉnh ủy có 4 người trong quy hoạch nhiệm kỳ 2030–2035, "
        "vượt quá tối đa 3 người."
    )


def test_p1_the_maximum_is_a_parameter(rules):
    three = [plan(entry(3, 11, AS_OF))]  # persons 1, 2, 3 for Phó Bí thư
    assert run(rules, three) == []
    stricter = rules.with_parameters("P1", max_people_per_position=2)
    assert summary(run(stricter, three)) == [
        ("P1", "error", "", 1, 11, None, None, {"planned": 3, "max": 2, "seats": 1})
    ]


def test_p1_counts_per_seat_when_the_parameter_says_so(rules):
    # Position 13 has two seats: up to 6 people, or 3 without multiplying.
    extra = [entry(i, 13, AS_OF) for i in (1, 2, 4)]  # with person 3: four people
    assert run(rules, [plan(*extra)], codes={"P1"}) == []
    flat = rules.with_parameters("P1", multiply_by_seats=False)
    assert summary(run(flat, [plan(*extra)], codes={"P1"})) == [
        ("P1", "error", "", 1, 13, None, None, {"planned": 4, "max": 3, "seats": 2})
    ]


def test_p1_removed_entries_and_future_entries_do_not_count(rules):
    later = dt.date(2026, 6, 1)
    facts = [plan(entry(3, 11, AS_OF), entry(4, 11, later))]  # 1, 2, 3 now; 4 from June
    assert run(rules, facts, codes={"P1"}) == []
    in_june = CTX.__class__(as_of=later)
    assert summary(run(rules, facts, ctx=in_june, codes={"P1"})) == [
        ("P1", "error", "", 1, 11, None, None, {"planned": 4, "max": 3, "seats": 1})
    ]


# P2 ─ at most 3 positions of the same level per person and term


def test_p2_one_person_for_four_positions_of_one_level(rules):
    facts = [plan(entry(1, 12, AS_OF), entry(1, 13, AS_OF))]  # 10, 11, 12, 13
    findings = run(rules, facts)
    assert summary(findings) == [
        ("P2", "error", "", None, None, 1, "001080000001",
         {"planned": 4, "max": 3, "term": "2030–2035", "same_level": "province",
          "position_ids": [10, 11, 12, 13]}),
    ]  # fmt: skip
    assert findings[0].message == (
        "Trần Văn An được quy hoạch vào 4 chức danh cùng cấp trong nhiệm kỳ 2030–2035, "
        "vượt quá tối đa 3 chức danh."
    )


def test_p2_same_level_grouping_is_a_parameter(rules):
    facts = [plan(entry(1, 12, AS_OF), entry(1, 13, AS_OF))]
    # Grouped by management level: 10, 11, 12 are level 1 (3 positions), 13 is level 2.
    by_management = rules.with_parameters("P2", same_level_by="management_level")
    assert run(by_management, facts) == []
    by_rank = rules.with_parameters("P2", same_level_by="rank")
    assert run(by_rank, facts) == []
    with pytest.raises(ParameterError):
        run(rules.with_parameters("P2", same_level_by="colour"), facts)


def test_p2_counts_across_plans_of_the_same_term_only(rules):
    other = dataclasses.replace(PLAN, id=2, entries=(entry(1, 12, AS_OF), entry(1, 13, AS_OF)))
    assert [f.rule for f in run(rules, [PLAN, other], codes={"P2"})] == ["P2"]
    next_term = dataclasses.replace(
        PLAN,
        id=2,
        term_start=dt.date(2035, 10, 1),
        term_end=dt.date(2040, 9, 30),
        entries=(entry(1, 12, AS_OF), entry(1, 13, AS_OF)),
    )
    assert run(rules, [PLAN, next_term], codes={"P2"}) == []


# P3 ─ only for a position above the one held


def test_p3_planned_for_a_post_of_the_same_rank(rules):
    findings = run(rules, [plan(entry(4, 14, AS_OF))])  # holds rank 80, planned for rank 80
    assert summary(findings) == [
        ("P3", "error", "", 1, 14, 4, "001074000004", {"target_rank": 80, "held_rank": 80})
    ]
    assert findings[0].message == (
        "Hoàng Văn Dũng được quy hoạch vào Phó Chủ tịch HĐND tỉnh, không cao hơn chức danh "
        "đang đảm nhiệm."
    )
    assert run(rules.with_parameters("P3", allow_same_rank=True), [plan(entry(4, 14, AS_OF))]) == []


def test_p3_planned_for_the_post_already_held(rules):
    findings = run(rules.with_parameters("P3", allow_same_rank=True), [plan(entry(4, 13, AS_OF))])
    assert summary(findings) == [
        ("P3", "error", "", 1, 13, 4, "001074000004", {"target_rank": 80, "held_rank": 80})
    ]


def test_p3_planned_below(rules):
    # Person 1 holds rank 70 and is planned for Phó Giám đốc Sở (60).
    findings = run(rules, [plan(entry(1, 21, AS_OF))], codes={"P3"})
    assert summary(findings) == [
        ("P3", "error", "", 1, 21, 1, "001080000001", {"target_rank": 60, "held_rank": 70})
    ]


# P4 ─ no entry while an appointment or nomination case is open


def test_p4_entry_added_during_an_open_case(rules):
    persons = people(
        p3={"open_case_since": dt.date(2025, 12, 1)},  # entry added 10/01/2026
        p1={
            "open_case_since": dt.date(2026, 2, 1)
        },  # entries added in 2024: appointment of a planned cadre
    )
    findings = run(rules, persons=persons)
    assert summary(findings) == [
        ("P4", "error", "", 1, 13, 3, "001088000003",
         {"case_opened_on": "2025-12-01", "added_on": "2026-01-10"}),
    ]  # fmt: skip
    assert findings[0].message == (
        "Phạm Văn Cường đang trong quy trình bổ nhiệm, giới thiệu ứng cử (từ 01/12/2025), "
        "không đưa vào quy hoạch Phó Chủ tịch UBND tỉnh."
    )
    every_entry = rules.with_parameters("P4", only_entries_added_during_case=False)
    assert [(f.position_id, f.person_id) for f in run(every_entry, persons=persons)] == [
        (10, 1),
        (11, 1),
        (13, 3),
    ]


# P5 ─ age at the start of the target term


def test_p5_new_entry_cannot_serve_a_full_term(rules):
    # Born 01/06/1974, a woman retires on 31/10/2033 (59 years 4 months): 36 months
    # left on 01/10/2030. With her the plan has 2 women of 5 and ages 37–52.
    late = person(6, "Đỗ Thị Giang", "F", dt.date(1974, 6, 1))
    findings = run(rules, [plan(entry(6, 13, AS_OF))], persons=PEOPLE + (late,))
    assert summary(findings) == [
        ("P5", "error", "full_term", 1, 13, 6, "001074000006",
         {"months_left": 36, "required": 60, "term_start": "2030-10-01"}),
    ]  # fmt: skip
    assert late.retirement_date() == dt.date(2033, 10, 31)
    assert findings[0].message == (
        "Đỗ Thị Giang không đủ tuổi công tác trọn một nhiệm kỳ tính từ đầu nhiệm kỳ 2030–2035: "
        "còn 3 năm, cần ít nhất 5 năm."
    )


def test_p5_first_time_planning_expects_two_terms(rules):
    # Person 3 (first time) has 237 months left on 01/10/2030.
    assert run(rules, codes={"P5"}) == []
    findings = run(rules.with_parameters("P5", first_time_months=240))
    assert summary(findings) == [
        ("P5", "warning", "first_time", 1, 13, 3, "001088000003",
         {"months_left": 237, "required": 240, "term_start": "2030-10-01"}),
    ]  # fmt: skip
    # The months in years and months (the figures keep the number of months).
    assert findings[0].message.endswith(
        "được quy hoạch lần đầu nhưng không đủ tuổi công tác hai nhiệm kỳ tính từ đầu nhiệm "
        "kỳ 2030–2035: còn 19 năm 9 tháng, cần 20 năm."
    )


def test_p5_judges_only_entries_since_the_last_review(rules):
    # Person 4 (64 months left) entered before the last review: a 70-month rule
    # judges only the new entry of person 3, until told to judge all.
    stricter = rules.with_parameters("P5", full_term_months=70)
    assert run(stricter, codes={"P5"}) == []
    all_entries = stricter.with_parameters("P5", only_new_entries=False)
    assert summary(run(all_entries, codes={"P5"})) == [
        ("P5", "error", "full_term", 1, 12, 4, "001074000004",
         {"months_left": 64, "required": 70, "term_start": "2030-10-01"}),
    ]  # fmt: skip


# P6 ─ structure of a plan


def test_p6_too_few_women(rules):
    findings = run(rules, persons=people(p2={"sex": "M"}))
    assert summary(findings) == [
        ("P6", "warning", "women", 1, None, None, None,
         {"count": 0, "total": 4, "share": Decimal("0.00"), "min_share": Decimal("25.00")}),
    ]  # fmt: skip
    assert findings[0].message == (
        "Quy hoạch Ban Chấp hành Đảng bộ tỉnh 2030–2035 có 0/4 người là nữ (0,00%), "
        "thấp hơn tối thiểu 25,00%."
    )


def test_p6_too_few_young(rules):
    findings = run(rules, persons=people(p3={"birth_date": dt.date(1985, 7, 1)}))  # 40
    assert summary(findings) == [
        ("P6", "warning", "young", 1, None, None, None,
         {"count": 0, "total": 4, "share": Decimal("0.00"), "min_share": Decimal("15.00"),
          "under_age": 40}),
    ]  # fmt: skip


def test_p6_young_threshold_by_level(rules):
    # At central level "young" is under 45: persons 2 and 3 (40, 37) are young.
    central = plan(level="central")
    assert run(rules, [central], codes={"P6"}) == []
    stricter = rules.with_parameters("P6", min_young_share="3/4")
    assert summary(run(stricter, [central], codes={"P6"})) == [
        ("P6", "warning", "young", 1, None, None, None,
         {"count": 2, "total": 4, "share": Decimal("50.00"), "min_share": Decimal("75.00"),
          "under_age": 45}),
    ]  # fmt: skip
    # A level with no threshold in the rule set is not checked for young cadres.
    assert run(stricter, [plan(level="commune")], codes={"P6"}) == []


def test_p6_age_brackets(rules):
    findings = run(rules, persons=people(p4={"birth_date": dt.date(1979, 2, 2)}))  # 37, 40, 45, 47
    assert summary(findings) == [
        ("P6", "warning", "age_brackets", 1, None, None, None,
         {"brackets": 2, "min": 3, "gap_years": 5}),
    ]  # fmt: skip


def test_p6_minority_share_suited_to_the_area(rules):
    suited = plan(min_minority_share=Fraction(1, 5))
    assert summary(run(rules, [suited])) == [
        ("P6", "warning", "minority", 1, None, None, None,
         {"count": 0, "total": 4, "share": Decimal("0.00"), "min_share": Decimal("20.00")}),
    ]  # fmt: skip
    assert run(rules, [suited], persons=people(p1={"is_minority": True})) == []


def test_p6_shares_are_exact_at_the_boundary(rules):
    # 1 woman of 4 is exactly 25%: no finding; a fifth (male) person makes it 20%.
    assert run(rules, codes={"P6"}) == []
    extra = person(6, "Bùi Văn Hải", "M", dt.date(1982, 1, 1))
    findings = run(rules, [plan(entry(6, 14, AS_OF))], persons=PEOPLE + (extra,), codes={"P6"})
    assert [(f.reason, f.figures["count"], f.figures["total"]) for f in findings] == [
        ("women", 1, 5)
    ]


# P7 ─ flags for removal


def test_p7_age_of_someone_already_in_the_plan(rules):
    # Person 4, in the plan before the last review, born 02/02/1973: retires 28/02/2035.
    findings = run(rules, persons=people(p4={"birth_date": dt.date(1973, 2, 2)}))
    assert summary(findings) == [
        ("P7", "flag", "age", 1, None, 4, "001074000004", {"months_left": 52, "required": 60}),
    ]
    assert findings[0].message == (
        "Xem xét đưa Hoàng Văn Dũng ra khỏi quy hoạch Ban Chấp hành Đảng bộ tỉnh 2030–2035: "
        "thời gian công tác tính từ đầu nhiệm kỳ còn 4 năm 4 tháng, cần 5 năm."
    )


def test_p7_discipline_in_force(rules):
    warning = DisciplineFacts("warning", dt.date(2025, 9, 1), dt.date(2026, 9, 1))
    findings = run(rules, persons=people(p1={"disciplines": (warning,)}))
    assert summary(findings) == [
        ("P7", "flag", "discipline", 1, None, 1, "001080000001",
         {"form": "warning", "effective_on": "2025-09-01"}),
    ]  # fmt: skip
    assert findings[0].message.endswith(": bị kỷ luật (Cảnh cáo) từ 01/09/2025.")


@pytest.mark.parametrize(
    ("record", "flagged"),
    [
        (DisciplineFacts("reprimand", dt.date(2025, 9, 1)), True),
        (DisciplineFacts("reprimand", dt.date(2026, 6, 1)), False),  # not yet in effect
        (DisciplineFacts("reprimand", dt.date(2025, 1, 1), dt.date(2026, 1, 1)), False),
        (DisciplineFacts("warning", dt.date(2025, 9, 1), expired=True), False),
        (DisciplineFacts("warning", dt.date(2025, 9, 1), exception="expired"), False),
        (DisciplineFacts("warning", dt.date(2025, 9, 1), exception="self_criticism"), False),
        (DisciplineFacts("removal", dt.date(2025, 9, 1), exception="not_imposed"), False),
        # Only an expired reprimand or warning is excepted; a heavier form stays flagged.
        (DisciplineFacts("removal", dt.date(2020, 1, 1), dt.date(2021, 1, 1)), True),
    ],
)
def test_p7_discipline_exceptions(rules, record, flagged):
    findings = run(rules, persons=people(p1={"disciplines": (record,)}))
    assert [(f.rule, f.reason, f.person_id) for f in findings] == (
        [("P7", "discipline", 1)] if flagged else []
    )


def test_p7_not_completed_rating(rules):
    ratings = (RatingFacts(2024, "good"), RatingFacts(2025, "not_completed"))
    findings = run(rules, persons=people(p2={"ratings": ratings}))
    assert summary(findings) == [
        ("P7", "flag", "rating", 1, None, 2, "001185000002", {"year": 2025, "count": 1}),
    ]
    old = (RatingFacts(2023, "not_completed"), RatingFacts(2025, "good"))
    assert run(rules, persons=people(p2={"ratings": old})) == []


def test_p7_low_confidence_above_half(rules):
    findings = run(rules, persons=people(p3={"latest_vote": VoteFacts(2025, 51, 100)}))
    assert summary(findings) == [
        ("P7", "flag", "confidence", 1, None, 3, "001088000003",
         {"low": 51, "base": 100, "share": Decimal("51.00"), "above_share": Decimal("50.00"),
          "year": 2025}),
    ]  # fmt: skip
    assert findings[0].message.endswith(
        ": 51/100 phiếu tín nhiệm thấp (51,00%) năm 2025, quá 50,00%."
    )
    exactly_half = people(p3={"latest_vote": VoteFacts(2025, 50, 100)})
    assert run(rules, persons=exactly_half) == []
    too_old = people(p3={"latest_vote": VoteFacts(2023, 90, 100)})
    assert run(rules, persons=too_old) == []
    nobody_voted = people(p3={"latest_vote": VoteFacts(2025, 0, 0)})
    assert run(rules, persons=nobody_voted) == []
    lower = rules.with_parameters("P7", low_confidence_share_above="1/3")
    assert [f.reason for f in run(lower, persons=people(p3={"latest_vote": VoteFacts(2025, 34, 100)}))] == ["confidence"]  # fmt: skip


# P8 ─ yearly review


def test_p8_review_overdue(rules):
    findings = run(rules, [plan(last_reviewed_on=dt.date(2025, 2, 28))])
    assert summary(findings) == [
        ("P8", "warning", "", 1, None, None, None,
         {"since": "2025-02-28", "months_since": 12, "interval_months": 12}),
    ]  # fmt: skip
    assert findings[0].message == (
        "Quy hoạch Ban Chấp hành Đảng bộ tỉnh 2030–2035 chưa được rà soát từ 28/02/2025 "
        "(1 năm), quá thời hạn 1 năm."
    )


def test_p8_says_the_months_in_years_and_months(rules):
    findings = run(rules.with_parameters("P8", review_interval_months=9),
                   [plan(last_reviewed_on=dt.date(2024, 12, 15))], codes={"P8"})  # fmt: skip
    assert [f.figures for f in findings] == [
        {"since": "2024-12-15", "months_since": 14, "interval_months": 9},
    ]
    assert findings[0].message == (
        "Quy hoạch Ban Chấp hành Đảng bộ tỉnh 2030–2035 chưa được rà soát từ 15/12/2024 "
        "(1 năm 2 tháng), quá thời hạn 9 tháng."
    )


def test_p8_due_date_and_fallbacks(rules):
    due_today = plan(last_reviewed_on=dt.date(2025, 3, 1))
    assert run(rules, [due_today], codes={"P8"}) == []
    approved_only = plan(last_reviewed_on=None, approved_on=dt.date(2024, 12, 1))
    assert [f.figures["since"] for f in run(rules, [approved_only], codes={"P8"})] == ["2024-12-01"]
    never_approved = plan(last_reviewed_on=None, approved_on=None)
    assert run(rules, [never_approved], codes={"P8"}) == []
    six_monthly = rules.with_parameters("P8", review_interval_months=6)
    assert [f.figures["months_since"] for f in run(six_monthly, [plan(last_reviewed_on=dt.date(2025, 8, 31))], codes={"P8"})] == [6]  # fmt: skip


# P9 ─ approval within 30 working days of the dossier


def test_p9_a_dossier_awaiting_approval_too_long(rules):
    # Submitted Thursday 15/01/2026: 31 working days to Sunday 01/03/2026.
    findings = run(rules, [plan(awaiting_approval_since=dt.date(2026, 1, 15))])
    assert summary(findings) == [
        ("P9", "warning", "", 1, None, None, None,
         {"submitted_on": "2026-01-15", "working_days": 31, "max_working_days": 30}),
    ]  # fmt: skip
    assert findings[0].message == (
        "Quy hoạch Ban Chấp hành Đảng bộ tỉnh 2030–2035 đã trình phê duyệt từ 15/01/2026, "
        "sau 31 ngày làm việc vẫn chưa được phê duyệt (thời hạn 30 ngày làm việc)."
    )


def test_p9_limit_holidays_and_plans_not_waiting(rules):
    assert run(rules, [plan(awaiting_approval_since=dt.date(2026, 1, 16))], codes={"P9"}) == []
    assert run(rules, [plan(awaiting_approval_since=None)], codes={"P9"}) == []
    late = [plan(awaiting_approval_since=dt.date(2026, 1, 15))]
    tet = rules.with_parameters("P9", holidays=["2026-02-16", "2026-02-17"])
    assert run(tet, late, codes={"P9"}) == []
    stricter = rules.with_parameters("P9", max_working_days=20)
    assert [f.figures["working_days"] for f in run(stricter, late, codes={"P9"})] == [31]
    yearly = rules.with_parameters("P9", yearly_holidays=["01-16", "01-19"])
    assert run(yearly, late, codes={"P9"}) == []
    with pytest.raises(ParameterError, match="P9"):
        run(rules.with_parameters("P9", holidays=["16/02/2026"]), late, codes={"P9"})
