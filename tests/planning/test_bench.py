import datetime as dt

import pytest

from canbo.planning.bench import plan_bench
from canbo.planning.models import Plan
from canbo.rules.selectors import rule_set_in_force

from .conftest import AS_OF
from .factories import discipline

pytestmark = pytest.mark.django_db


def summary(bench, positions, cadres):
    """Per position code: holders (name, retirement date, months left at term start),
    vacancy expected, successors, eligible successors, at risk."""
    code = {getattr(positions, c).pk: c.upper() for c in vars(positions)}
    name = {x.pk: x.given_name for x in vars(cadres).values()}
    return [
        (
            code[row.position.id],
            [(h.full_name, h.retirement_date, h.months_left_at_term_start) for h in row.holders],
            row.vacancy_expected,
            [name[pk] for pk in row.successor_ids],
            [name[pk] for pk in row.eligible_ids],
            row.at_risk,
        )
        for row in bench
    ]


def test_forecast_for_each_position_of_the_plan(plan, positions, cadres):
    bench = plan_bench(Plan.objects.all(), AS_OF)
    assert list(bench) == [plan.pk]
    assert summary(bench[plan.pk], positions, cadres) == [
        # The secretary retires before the term starts (01/10/2030); An can succeed.
        ("BT", [("Đỗ Văn Hải", dt.date(2027, 10, 31), -35)], True, ["An"], ["An"], False),
        ("PBT", [("Ngô Thị Lan", dt.date(2035, 6, 30), 56)], False, ["An", "Bình"],
         ["An", "Bình"], False),
        # Nobody holds it: a vacancy now.
        ("CT", [], True, ["Dũng"], ["Dũng"], False),
        # Em was removed: a retirement and no successor.
        ("TB", [("Bùi Văn Khoa", dt.date(2028, 6, 30), -27)], True, [], [], True),
        # Two seats, one holder.
        ("PCT", [("Hoàng Văn Dũng", dt.date(2036, 2, 29), 64)], True, ["Cường"], ["Cường"],
         False),
        ("GD", [("Trần Văn An", dt.date(2042, 5, 31), 139)], False, [], [], False),
    ]  # fmt: skip
    assert [row.eligible for row in bench[plan.pk]] == [1, 2, 1, 0, 1, 0]


def test_successors_fail_the_age_rule_or_carry_a_p7_flag(plan, positions, cadres):
    # Dũng has 64 months left at the term start: not enough if a full term were 70.
    rules = rule_set_in_force(AS_OF).with_parameters("P5", full_term_months=70)
    # A warning in force on Bình raises P7's flag.
    discipline(cadres.b, "warning", dt.date(2026, 2, 1))
    bench = summary(plan_bench(Plan.objects.all(), AS_OF, rules)[plan.pk], positions, cadres)
    assert [(row[0], row[4], row[5]) for row in bench] == [
        ("BT", ["An"], False),
        ("PBT", ["An"], False),
        ("CT", [], True),
        ("TB", [], True),
        ("PCT", ["Cường"], False),
        ("GD", [], False),
    ]


def test_no_plan(db):
    assert plan_bench(Plan.objects.all(), AS_OF) == {}
