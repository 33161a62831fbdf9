import datetime as dt
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from canbo.people import derived
from canbo.people.derived import RetirementSchedule
from canbo.rules.facts import DisciplineFacts, Facts, VoteFacts
from tests.rules.world import PEOPLE, PLAN, POSITIONS, entry, people, person


def test_person_facts_reuse_the_derived_retirement_rules():
    p = person(9, "Nguyễn Thị Hoa", "F", dt.date(1975, 9, 1), birth_date_precision="Y")
    # Year-only birth date counts from 1 January 1975.
    assert p.retirement_date() == derived.retirement_date("F", dt.date(1975, 1, 1))
    assert p.retirement_date() == dt.date(2034, 9, 30)  # 59 years 8 months
    assert p.months_left(dt.date(2030, 10, 1)) == 47
    assert p.age_on(dt.date(2026, 3, 1)) == 51
    at_sixty = person(9, "Nguyễn Thị Hoa", "F", dt.date(1975, 1, 1), retirement_age_override_months=720)  # fmt: skip
    assert at_sixty.retirement_date() == dt.date(2035, 1, 31)
    flat = RetirementSchedule(start_year=2100)  # the schedule is a parameter of the context
    assert p.retirement_date(flat) == dt.date(2030, 1, 31)


def test_person_management_level_and_rank_come_from_held_posts():
    assert (PEOPLE[0].management_level, PEOPLE[0].highest_rank) == (2, 70)
    assert (PEOPLE[2].management_level, PEOPLE[2].highest_rank) == (None, None)


def test_discipline_in_force():
    d = DisciplineFacts("warning", dt.date(2025, 1, 10), dt.date(2026, 1, 9))
    assert [d.in_force(day) for day in (dt.date(2025, 1, 9), dt.date(2025, 1, 10), dt.date(2026, 1, 9), dt.date(2026, 1, 10))] == [False, True, True, False]  # fmt: skip
    assert DisciplineFacts("warning", dt.date(2025, 1, 10), expired=True).in_force(dt.date(2025, 6, 1)) is False  # fmt: skip


def test_vote_share_is_exact():
    assert VoteFacts(2025, 2, 3).low_share == Fraction(2, 3)
    assert VoteFacts(2025, 0, 0).low_share is None


def test_plan_active_entries_new_entries_and_people():
    on = dt.date(2026, 3, 1)
    assert [(e.person_id, e.position_id) for e in PLAN.active_entries(on)] == [
        (1, 10), (1, 11), (2, 11), (3, 13), (4, 12)
    ]  # fmt: skip
    assert PLAN.people_ids(on) == (1, 2, 3, 4)
    assert [PLAN.is_new(e) for e in PLAN.entries] == [False, False, False, True, False, False]
    assert PLAN.term_label == "2030–2035"
    assert entry(1, 10, removed_on=on).is_active(on) is False


def test_facts_report_missing_people_and_positions():
    facts = Facts.of([PLAN], people()[:2], POSITIONS[:1])
    assert facts.missing() == ({3, 4, 5}, {11, 12, 13})


@given(
    sex=st.sampled_from(["M", "F"]),
    born=st.dates(dt.date(1940, 1, 1), dt.date(2005, 12, 31)),
    precision=st.sampled_from(["D", "M", "Y"]),
    override=st.one_of(st.none(), st.integers(600, 780)),
    on=st.dates(dt.date(2020, 1, 1), dt.date(2045, 12, 31)),
    schedule=st.sampled_from([RetirementSchedule(), RetirementSchedule(start_year=2100)]),
)
def test_months_left_remembered_for_a_run_equal_the_persons_own(
    sex, born, precision, override, on, schedule
):
    """A run remembers months left by `retirement_inputs` (sex, month of birth, an age set
    by decision), not by person: whatever the day of birth, the answer is the person's."""
    p = person(1, "Nguyễn Văn A", sex, born, birth_date_precision=precision,
               retirement_age_override_months=override)  # fmt: skip
    twin = person(2, "Trần Văn B", sex, born.replace(day=1), birth_date_precision=precision,
                  retirement_age_override_months=override)  # fmt: skip
    facts = Facts.of([], [p, twin], [])
    assert facts.months_left(p, on, schedule) == p.months_left(on, schedule)
    # The twin born the 1st of the same month shares the remembered answer and it is right.
    assert facts.months_left_on(on, schedule)[twin.retirement_inputs] == twin.months_left(
        on, schedule
    )
