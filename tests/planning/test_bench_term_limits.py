"""The bench forecast counts term-limit vacancies beside retirements (R5; issue 15 item 5).

The planning world (conftest) with the party's term calendar 2015–2020 … 2030–2035 (1
October) and three head posts of the provincial committee: BT (Hải, since 01/01/2020,
retires 2027), TB (Khoa, since 01/01/2020, retires 2028) and GD (An, since 01/01/2020). The
plan's term starts 01/10/2030: on 30/09/2030 each will have served 2025–2030 fully and
2020–2025 for 57 months (2015–2020 only 9 months, under the 30 that count a term): two
consecutive terms, so each post becomes vacant at the term's start.
"""

import datetime as dt

import pytest

from canbo.people.models import Assignment
from canbo.planning.bench import plan_bench
from canbo.planning.models import Plan
from canbo.rules.selectors import rule_set_in_force

from .conftest import AS_OF
from .factories import hold, make_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def heads(plan, positions):
    for start in (2015, 2020, 2025):
        make_term(start, start + 5)
    for p in (positions.bt, positions.tb, positions.gd):
        p.title.is_head = True
        p.title.save()
    return positions


def forecast(plan, positions, rule_set=None):
    code = {getattr(positions, c).pk: c.upper() for c in vars(positions)}
    bench = plan_bench(Plan.objects.all(), AS_OF, rule_set)[plan.pk]
    return [
        (code[row.position.id],
         [(h.terms_at_term_start, h.term_limit_reached, h.retires_before_term)
          for h in row.holders],
         row.vacancy_expected, row.term_limit_vacancy, row.at_risk)
        for row in bench
    ]  # fmt: skip


def test_heads_with_two_terms_at_the_term_start_leave_their_posts(plan, heads):
    assert forecast(plan, heads) == [
        ("BT", [(2, True, True)], True, True, False),  # retires too
        ("PBT", [(None, False, False)], False, False, False),  # not a head post
        ("CT", [], True, False, False),
        ("TB", [(2, True, True)], True, True, True),
        ("PCT", [(None, False, False)], True, False, False),
        # An's department post: no longer a safe seat, and nobody planned for it.
        ("GD", [(2, True, False)], True, True, True),
    ]


def test_one_term_and_a_half_is_not_two(plan, heads, cadres):
    row = Assignment.objects.get(person=cadres.a, position=heads.gd)
    row.start_date = dt.date(2023, 6, 1)  # 28 months of 2020–2025: under 30
    row.save()
    assert forecast(plan, heads)[-1] == ("GD", [(1, False, False)], False, False, False)
    row.start_date = dt.date(2023, 1, 1)  # 33 months: the term counts
    row.save()
    assert forecast(plan, heads)[-1] == ("GD", [(2, True, False)], True, True, True)


def test_split_history_rows_count_as_one_tenure(plan, heads, cadres):
    row = Assignment.objects.get(person=cadres.a, position=heads.gd)
    row.end_date = dt.date(2024, 12, 31)
    row.save()
    hold(cadres.a, heads.gd, start=dt.date(2025, 1, 1))  # the same post, the next day
    assert forecast(plan, heads)[-1] == ("GD", [(2, True, False)], True, True, True)


def test_r5_parameters_decide(plan, heads):
    three = rule_set_in_force(AS_OF).with_parameters("R5", max_terms=3)
    assert forecast(plan, heads, three)[-1] == ("GD", [(2, False, False)], False, False, False)
    shorter = rule_set_in_force(AS_OF).with_parameters("R5", term_min_months=6)
    # 2015–2020 now counts (9 months): three terms.
    assert forecast(plan, heads, shorter)[-1] == ("GD", [(3, True, False)], True, True, True)


def test_no_term_calendar_no_term_limit(plan, positions):
    for p in (positions.bt, positions.tb, positions.gd):
        p.title.is_head = True
        p.title.save()
    # Only the plan's own term is recorded: nothing before it counts.
    assert forecast(plan, positions)[-1] == ("GD", [(0, False, False)], False, False, False)


def test_the_page_and_the_api_say_why(client, admin_user, plan, heads):
    client.force_login(admin_user)
    page = client.get(f"/planning/{plan.pk}/bench/?as_of=01/03/2026").content.decode()
    assert page.count("giới hạn nhiệm kỳ (2 nhiệm kỳ liên tiếp)") == 3
    data = client.get(f"/api/plans/{plan.pk}/bench/?as_of=2026-03-01").json()
    gd = data["positions"][-1]
    assert (gd["vacancy_expected"], gd["holders"][0]["terms_at_term_start"],
            gd["holders"][0]["term_limit_reached"]) == (True, 2, True)  # fmt: skip
