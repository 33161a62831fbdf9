import datetime as dt
from decimal import Decimal

import pytest

from canbo.organizations.choices import UnitLevel
from canbo.people import derived
from canbo.people.models import Person
from canbo.planning.figures import (
    Figures,
    coefficient_of,
    figures_by_child_unit,
    figures_by_plan,
    figures_total,
    years_before,
    younger_than_q,
)
from canbo.planning.models import Plan
from canbo.rules.selectors import rule_set_in_force

from .conftest import AS_OF
from .factories import PlanEntryFactory, PlanFactory, make_person, make_position

pytestmark = pytest.mark.django_db

PROVINCE = Figures(
    positions=6,
    planned=4,  # An (twice), Bình, Dũng, Cường; Em was removed
    coefficient=Decimal("0.67"),
    women=1,
    women_share=Decimal("25.00"),
    young_under=40,
    young=1,  # Cường, 37
    young_share=Decimal("25.00"),
    minority=1,  # Bình (Tày)
    minority_share=Decimal("25.00"),
    age_brackets=(1, 1, 2),  # under 40: Cường; 40–44: Bình; 45 and over: An, Dũng
    by_degree={4: 1, 3: 2, None: 1},
    by_political_theory={3: 2, 2: 1, 4: 1},
    positions_without_successor=2,  # TB (Em removed), GD
    positions_with_one_successor=3,  # BT, CT, PCT
    positions_with_two_or_more=1,  # PBT
)


@pytest.fixture
def commune_plan(world, plan, cadres):
    """XA's plan: Mai (F, Thái) for the secretary, An (also in the province plan) for the deputy."""
    xa = world.xa
    bt = make_position(xa, "X-BT", "Bí thư Đảng ủy xã", 46, level=UnitLevel.COMMUNE)
    pbt = make_position(xa, "X-PBT", "Phó Bí thư Đảng ủy xã", 40, level=UnitLevel.COMMUNE)
    mai = make_person("Lò", "Thị", "Mai", "F", dt.date(1990, 4, 2), unit=xa, ethnicity="03",
                      id_number="014190000011")  # fmt: skip
    commune = PlanFactory(planning_unit=xa, name="Đảng ủy xã An Bình 2030–2035")
    PlanEntryFactory(plan=commune, person=mai, position=bt)
    PlanEntryFactory(plan=commune, person=cadres.a, position=pbt)
    return commune


def test_figures_of_a_plan(plan, django_assert_num_queries):
    rules = rule_set_in_force(AS_OF)
    with django_assert_num_queries(1):
        figures = figures_by_plan(Plan.objects.all(), AS_OF, rules)
    assert figures == {plan.pk: PROVINCE}


def test_figures_by_plan_and_rolled_up(world, plan, commune_plan, django_assert_num_queries):
    commune = Figures(
        positions=2,
        planned=2,
        coefficient=Decimal("1.00"),
        women=1,
        women_share=Decimal("50.00"),
        minority=1,
        minority_share=Decimal("50.00"),
        by_degree={4: 1, None: 1},
        by_political_theory={3: 1, None: 1},
        positions_with_one_successor=2,
    )  # communes have no "young" threshold in the default rule set
    assert figures_by_plan(Plan.objects.all(), AS_OF) == {
        plan.pk: PROVINCE,
        commune_plan.pk: commune,
    }
    total = Figures(
        positions=8,
        planned=5,  # An counts once across the two plans
        coefficient=Decimal("0.62"),  # 5/8 = 0.625, rounded half-even as share_of does
        women=2,
        women_share=Decimal("40.00"),
        young=1,
        young_share=Decimal("20.00"),
        minority=2,
        minority_share=Decimal("40.00"),
        age_brackets=(1, 1, 2),  # Mai's commune plan has no brackets
        by_degree={4: 1, 3: 2, None: 2},
        by_political_theory={3: 2, 2: 1, 4: 1, None: 1},
        positions_without_successor=2,
        positions_with_one_successor=5,
        positions_with_two_or_more=1,
    )
    rules = rule_set_in_force(AS_OF)
    with django_assert_num_queries(1):
        assert figures_total(Plan.objects.all(), AS_OF, rules) == total
    by_child = figures_by_child_unit(world.tu, Plan.objects.all(), AS_OF, rules)
    assert by_child == {
        world.tu.path: PROVINCE.__class__(**{**vars(PROVINCE), "young_under": None}),
        world.xa.path: commune.__class__(**{**vars(commune), "young": 0,
                                            "young_share": Decimal("0.00"),
                                            "age_brackets": (0, 0, 0)}),
    }  # fmt: skip
    assert figures_by_child_unit(world.xa, Plan.objects.all(), AS_OF, rules) == {
        world.xa.path: by_child[world.xa.path]
    }


def test_figures_of_nothing(db):
    assert figures_total(Plan.objects.all(), AS_OF) == Figures(young=0, age_brackets=(0, 0, 0))
    assert figures_by_plan(Plan.objects.all(), AS_OF) == {}


def test_coefficient():
    assert [coefficient_of(4, 6), coefficient_of(3, 2), coefficient_of(1, 0)] == [
        Decimal("0.67"),
        Decimal("1.50"),
        None,
    ]


def test_years_before_a_29_february():
    assert years_before(dt.date(2028, 2, 29), 40) == dt.date(1988, 2, 29)
    assert years_before(dt.date(2028, 2, 29), 41) == dt.date(1987, 2, 28)


def test_younger_than_agrees_with_the_derived_age(db):
    """Under 40 on 01/03/2026 in SQL, for every precision, as `derived.age_on` says."""
    born = [
        ("D", dt.date(1986, 3, 1)), ("D", dt.date(1986, 3, 2)), ("D", dt.date(1986, 2, 28)),
        ("M", dt.date(1986, 3, 1)), ("M", dt.date(1986, 4, 1)), ("M", dt.date(1986, 2, 1)),
        ("Y", dt.date(1986, 1, 1)), ("Y", dt.date(1987, 1, 1)), ("Y", dt.date(1985, 1, 1)),
    ]  # fmt: skip
    for i, (precision, day) in enumerate(born):
        make_person("Mai", "Văn", f"Tuổi{i}", "M", day, birth_date_precision=precision,
                    id_number=f"00909900{i:04d}")  # fmt: skip
    young = set(
        Person.objects.filter(younger_than_q(40, AS_OF, prefix="")).values_list(
            "birth_date_precision", "birth_date"
        )
    )
    expected = {(p, d) for p, d in born if derived.age_on(d, p, AS_OF) < 40}
    assert young == expected == {
        ("D", dt.date(1986, 3, 2)), ("M", dt.date(1986, 4, 1)), ("Y", dt.date(1987, 1, 1)),
    }  # fmt: skip
