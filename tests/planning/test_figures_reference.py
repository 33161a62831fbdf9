"""The figures' one statement against the obvious computation over the records.

A designed world, as of AS_OF (01/03/2026), thresholds of the default rule set (young
under 45 central, 40 province; brackets 5 years wide; none for communes):

    plan      unit (level)            positions (successors)             notes
    tw        TW (central)            TW-BT (2: Hạnh 44, Quân 45)        Quân also in tu
    tu        TU (province)           BT (2), PBT (1), CT (0), GD (1)    Phúc twice; a removal
    ban       BTC under TU (province)  TB (1: Thảo, minority, F)
    xa        XA (commune)            X-BT (2), X-PBT (0)                 no thresholds
    xb        XB (commune)            X-BT (0)                            positions only
    empty     XB (commune)            –                                   left out

Ages sit on the thresholds: 40 today (not young in a province), 39 (young), a month or
a year of birth counting from its 1st; Quân is 45: middle in the central plan, older in
the province one, and so both in the total. Removed and future entries do not count;
one removed after AS_OF does.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest

from canbo.core.shares import share_of
from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.people.derived import age_on
from canbo.planning.choices import RemovalReason
from canbo.planning.figures import (
    Figures,
    _p6_thresholds,
    coefficient_of,
    figures_by_child_unit,
    figures_by_child_unit_and_total,
    figures_by_plan,
    figures_total,
)
from canbo.planning.models import Plan, PlanEntry, PlanPosition
from canbo.rules.selectors import rule_set_in_force
from tests.factories import make_unit

from .conftest import AS_OF
from .factories import PlanEntryFactory, PlanFactory, make_person, make_position, make_term

pytestmark = pytest.mark.django_db

# name, sex, born, precision, ethnicity (None: not recorded), degree, theory
PEOPLE = [
    ("Hạnh", "F", dt.date(1981, 3, 2), "D", "01", 4, 3),  # 44
    ("Quân", "M", dt.date(1981, 3, 1), "D", "02", 5, 4),  # 45 today
    ("Phúc", "M", dt.date(1986, 3, 1), "D", "01", 3, 3),  # 40 today
    ("Lực", "M", dt.date(1986, 3, 2), "D", None, None, 2),  # 39
    ("Mơ", "F", dt.date(1986, 3, 1), "M", "01", 3, None),  # March 1986: 40
    ("Nga", "F", dt.date(1986, 4, 1), "M", "01", 2, 1),  # April 1986: 39
    ("Ổn", "M", dt.date(1986, 1, 1), "Y", "03", 0, 0),  # 1986: 40
    ("Sâm", "M", dt.date(1987, 1, 1), "Y", "01", None, None),  # 1987: 39
    ("Thảo", "F", dt.date(1970, 6, 1), "D", "04", 4, 4),  # 55
    ("Uyên", "F", dt.date(1995, 6, 1), "D", "05", 3, 1),  # 30, commune
    ("Vĩnh", "M", dt.date(1960, 6, 1), "D", "01", 3, 3),  # removed before AS_OF
    ("Xuân", "F", dt.date(1990, 6, 1), "D", "01", 3, 3),  # added after AS_OF
    ("Yến", "F", dt.date(1975, 6, 1), "D", "01", 1, 2),  # removed after AS_OF: counts
]


@pytest.fixture
def designed(world):
    tw = make_unit("TW", "Ban Chấp hành Trung ương", level=UnitLevel.CENTRAL)
    ban = make_unit("BTC", "Ban Tổ chức Tỉnh ủy", world.tu, UnitKind.PARTY_AGENCY)
    people = {}
    for i, (name, sex, born, precision, ethnicity, degree, theory) in enumerate(PEOPLE):
        person = make_person("Thử", "", name, sex, born, birth_date_precision=precision,
                             ethnicity=ethnicity or "01", id_number=f"0010900{i:05d}",
                             professional_degree=degree, political_theory=theory)  # fmt: skip
        if ethnicity is None:
            person.ethnicity = None
            person.save(update_fields=["ethnicity"])
        people[name] = person
    pos = {
        code: make_position(unit, code, code, rank, level=level)
        for unit, code, rank, level in [
            (tw, "TW-BT", 200, UnitLevel.CENTRAL),
            (world.tu, "BT", 100, UnitLevel.PROVINCE),
            (world.tu, "PBT", 92, UnitLevel.PROVINCE),
            (world.tu, "CT", 90, UnitLevel.PROVINCE),
            (world.tu, "GD", 70, UnitLevel.PROVINCE),
            (ban, "TB", 85, UnitLevel.PROVINCE),
            (world.xa, "X-BT", 46, UnitLevel.COMMUNE),
            (world.xa, "X-PBT", 40, UnitLevel.COMMUNE),
            (world.xb, "XB-BT", 46, UnitLevel.COMMUNE),
        ]
    }
    plans = {
        name: PlanFactory(planning_unit=unit, name=name)
        for name, unit in [
            ("tw", tw),
            ("tu", world.tu),
            ("ban", ban),
            ("xa", world.xa),
            ("xb", world.xb),
        ]  # fmt: skip
    }
    PlanFactory(planning_unit=world.xb, name="empty", term=make_term(2035, 2040))
    for plan, code in [("tu", "CT"), ("xa", "X-PBT"), ("xb", "XB-BT")]:
        PlanPosition.objects.create(plan=plans[plan], position=pos[code])
    later = {"added_on": dt.date(2026, 3, 2)}

    def out(on):
        return {"removed_on": on, "removal_reason": RemovalReason.MOVED}

    for plan, code, name, extra in [
        ("tw", "TW-BT", "Hạnh", {}),
        ("tw", "TW-BT", "Quân", {}),
        ("tu", "BT", "Quân", {}),
        ("tu", "BT", "Phúc", {}),
        ("tu", "PBT", "Phúc", {}),
        ("tu", "PBT", "Vĩnh", out(AS_OF)),
        ("tu", "GD", "Lực", {}),
        ("tu", "GD", "Xuân", later),
        ("tu", "CT", "Mơ", later),
        ("tu", "BT", "Nga", out(dt.date(2025, 1, 1))),
        ("ban", "TB", "Thảo", {}),
        ("ban", "TB", "Yến", out(dt.date(2026, 3, 2))),
        ("ban", "TB", "Mơ", {}),
        ("ban", "TB", "Nga", {}),
        ("ban", "TB", "Ổn", {}),
        ("ban", "TB", "Sâm", {}),
        ("xa", "X-BT", "Uyên", {}),
        ("xa", "X-BT", "Lực", {}),
    ]:
        PlanEntryFactory(plan=plans[plan], person=people[name], position=pos[code], **extra)
    return plans


def reference(plans, group_of, as_of, rule_set) -> dict:
    """{group: Figures} computed plainly from the rows, one entry at a time."""
    thresholds, gap = _p6_thresholds(rule_set)
    ids = {p.pk for p in plans}
    people = defaultdict(dict)  # group -> person -> the person's row
    brackets = defaultdict(lambda: defaultdict(set))  # group -> bracket -> people
    named = defaultdict(set)  # (plan, position) -> people
    for e in PlanEntry.objects.select_related("person__ethnicity", "plan__planning_unit"):
        active = e.added_on <= as_of and (e.removed_on is None or e.removed_on > as_of)
        if e.plan_id not in ids or not active:
            continue
        g, person = group_of(e.plan), e.person
        people[g][person.pk] = person
        named[e.plan_id, e.position_id].add(person.pk)
        under = thresholds.get(e.plan.planning_unit.level)
        if under is not None:
            age = age_on(person.birth_date, person.birth_date_precision, as_of)
            bracket = 0 if age < under else 1 if age < under + gap else 2
            brackets[g][bracket].add(person.pk)
    slots = defaultdict(list)
    for c in PlanPosition.objects.select_related("plan__planning_unit"):
        if c.plan_id in ids:
            slots[group_of(c.plan)].append(len(named[c.plan_id, c.position_id]))
    out = {}
    for g in set(people) | set(slots):
        rows, n = list(people[g].values()), slots[g]
        planned = len(rows)
        women = sum(p.sex == "F" for p in rows)
        minority = sum(bool(p.ethnicity and p.ethnicity.is_minority) for p in rows)
        plan = next((p for p in plans if p.pk == g), None)
        under = thresholds.get(plan.planning_unit.level) if plan else None
        counted = under is not None if plan else bool(thresholds)
        ages = tuple(len(brackets[g][b]) for b in range(3))
        out[g] = Figures(
            positions=len(n),
            planned=planned,
            coefficient=coefficient_of(planned, len(n)),
            women=women,
            women_share=share_of(women, planned),
            young_under=under,
            young=ages[0] if counted else None,
            young_share=share_of(ages[0], planned) if counted else None,
            minority=minority,
            minority_share=share_of(minority, planned),
            age_brackets=ages if counted else None,
            by_degree=count(p.professional_degree for p in rows),
            by_political_theory=count(p.political_theory for p in rows),
            positions_without_successor=sum(k == 0 for k in n),
            positions_with_one_successor=sum(k == 1 for k in n),
            positions_with_two_or_more=sum(k >= 2 for k in n),
        )
    return out


def count(values) -> dict:
    out: dict = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


def test_figures_equal_the_plain_computation(world, designed, django_assert_num_queries):
    rules = rule_set_in_force(AS_OF)
    plans = list(Plan.objects.select_related("planning_unit"))
    child = len(world.tu.path) + world.tu.steplen

    with django_assert_num_queries(1):
        by_plan = figures_by_plan(Plan.objects.all(), AS_OF, rules)
    assert by_plan == reference(plans, lambda p: p.pk, AS_OF, rules)
    with django_assert_num_queries(1):
        total = figures_total(Plan.objects.all(), AS_OF, rules)
    assert total == reference(plans, lambda p: None, AS_OF, rules)[None]
    in_tu = [p for p in plans if p.planning_unit.path.startswith(world.tu.path)]
    with django_assert_num_queries(1):
        by_child = figures_by_child_unit(world.tu, Plan.objects.all(), AS_OF, rules)
    assert by_child == reference(in_tu, lambda p: p.planning_unit.path[:child], AS_OF, rules)
    with django_assert_num_queries(1):
        both = figures_by_child_unit_and_total(world.tu, Plan.objects.all(), AS_OF, rules)
    assert both == (by_child, reference(in_tu, lambda p: None, AS_OF, rules)[None])

    # The design, by hand: the plain computation sees what the table above says.
    tw, tu, ban, xa, xb = (designed[k].pk for k in ("tw", "tu", "ban", "xa", "xb"))
    assert set(by_plan) == {tw, tu, ban, xa, xb}  # the empty plan is left out
    assert by_plan[tw].age_brackets == (1, 1, 0)  # Hạnh 44 young, Quân 45 middle
    assert by_plan[tu].age_brackets == (1, 1, 1)  # Lực 39; Phúc 40; Quân 45
    assert by_plan[ban].age_brackets == (2, 2, 2)  # Nga, Sâm; Mơ, Ổn; Thảo, Yến
    assert by_plan[tu].planned == 3 and by_plan[tu].positions == 4
    assert (by_plan[tu].positions_without_successor, by_plan[tu].positions_with_one_successor,
            by_plan[tu].positions_with_two_or_more) == (1, 2, 1)  # fmt: skip
    assert by_plan[xa].young is None and by_plan[xa].young_under is None
    assert by_plan[xb] == Figures(
        positions=1, coefficient=Decimal("0.00"), positions_without_successor=1
    )
    assert total.planned == 11  # Quân and Lực in two plans each, counted once
    assert total.age_brackets == (4, 4, 3)  # Quân is middle (TW) and older (TU)
    assert total.minority == 4  # Quân, Ổn, Thảo, Uyên; Lực's ethnicity is not recorded
    assert total.by_degree == {0: 1, 2: 1, 3: 3, 4: 2, 5: 1, 1: 1, None: 2}
    assert list(total.by_degree) == [0, 1, 2, 3, 4, 5, None]


def test_figures_and_total_of_a_unit_without_plans(world, designed):
    rules = rule_set_in_force(AS_OF)
    empty = Plan.objects.none()
    assert figures_by_child_unit_and_total(world.tu, empty, AS_OF, rules) == (
        {},
        Figures(young=0, age_brackets=(0, 0, 0)),
    )
