"""Acceptance of the planning checks (issue 4): real rows in, exact findings out.

Built through the services on the planning world of conftest.py: the
provincial committee's plan (`plan`, breaks nothing on AS_OF), a clean commune
plan, and seven department plans that each break one rule once. P4 (an open
appointment or nomination case) has no source in the database yet — there is
no appointment-case record, so `planning_facts` leaves `open_case_since`
empty —; it is shown by supplying that one fact to the same facts in memory,
as the missing selector will.

Department plans are drafts (P8 does not apply to a plan never approved),
except the one approved in 2024 and never reviewed and the one submitted on
15/01/2026 and still awaiting approval on AS_OF (P9). Each has its own people
(P2 counts a person's posts across every plan of the term): a woman of 35, men
of 44 and 50 (women 1/3, young 1/3, three age brackets), none holding a post.
"""

import dataclasses
import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from canbo.demo.builder import build_demo
from canbo.demo.planning import CHECKED_ON
from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.organizations.models import Position, Unit
from canbo.people import services as people_services
from canbo.people.models import Person
from canbo.planning import services
from canbo.planning.choices import PlanStatus
from canbo.planning.models import Plan
from canbo.planning.selectors import check_plans, planning_facts
from canbo.rules.engine import run_checks
from canbo.rules.facts import CheckContext
from canbo.rules.models import Rule, RuleSet
from canbo.rules.selectors import rule_set_in_force
from tests.factories import make_unit
from tests.test_demo import areas as areas  # noqa: F401  (the small demo province fixture)

from .conftest import AS_OF
from .factories import discipline, hold, make_person, make_position

ADDED = dt.date(2025, 3, 1)
LATER = dt.date(2026, 7, 1)
DEPARTMENTS = ("P1", "P2", "P3", "P5", "P6", "P7", "P8", "P9")

pytestmark = pytest.mark.django_db


def make_people(tag: str, *, woman: bool = True):
    """Three people for one plan: (35, 44, 50) years old on AS_OF; the first a woman."""
    n = DEPARTMENTS.index(tag) + 1 if tag in DEPARTMENTS else 9
    first = ("Lê", "Thị", "Hoa", "F") if woman else ("Lê", "Văn", "Hòa", "M")
    return [
        make_person(*first, dt.date(1990, 4, 10), id_number=f"001{int(woman)}900000{n}1"),
        make_person("Trần", "Văn", "Nam", "M", dt.date(1982, 2, 1), id_number=f"0010820000{n}2"),
        make_person("Phạm", "Văn", "Sơn", "M", dt.date(1976, 1, 15), id_number=f"0010760000{n}3"),
    ]


def department(world, tag: str):
    unit = make_unit(
        f"SO-{tag}", f"Sở thử nghiệm {tag}", world.tu, UnitKind.DEPARTMENT, UnitLevel.PROVINCE
    )
    head = make_position(unit, "AT-GD", "Giám đốc Sở", 70)
    deputy = make_position(unit, "AT-PGD", "Phó Giám đốc Sở", 60, seats=2)
    return unit, head, deputy


def draft(unit, term, positions, entries) -> Plan:
    """A draft plan with (person, position) entries added on ADDED."""
    plan = services.plan_create(actor=None, planning_unit=unit, term=term, positions=positions)
    for person, position in entries:
        services.entry_add(actor=None, plan=plan, person=person, position=position, added_on=ADDED)
    return plan


@pytest.fixture
def broken(world, term, plan):
    """Plans that break each rule once (P4 aside), and one more that breaks none."""
    w = SimpleNamespace(clean_tu=plan)

    # A clean commune plan: three successors for the secretary (the most P1 allows).
    xbt = make_position(world.xa, "AT-XBT", "Bí thư Đảng ủy xã", 50, level=UnitLevel.COMMUNE)
    w.xa_people = make_people("XA")
    w.xbt = xbt
    w.clean_xa = draft(world.xa, term, [xbt], [(p, xbt) for p in w.xa_people])

    def two_and_one(people, head, deputy):
        return [(people[0], head), (people[1], head), (people[2], deputy)]

    # P1: four people for a one-seat post.
    unit, w.p1_head, deputy = department(world, "P1")
    people = make_people("P1")
    w.p1_extra = make_person("Đinh", "Văn", "Tùng", "M", dt.date(1979, 6, 1))
    w.p1 = draft(unit, term, [w.p1_head, deputy], [(p, w.p1_head) for p in [*people, w.p1_extra]])

    # P2: Nam planned for four posts of the province level.
    unit, head, deputy = department(world, "P2")
    office = make_position(unit, "AT-CVP", "Chánh Văn phòng Sở", 65)
    team = make_position(unit, "AT-TP", "Trưởng phòng", 45)
    people = make_people("P2")
    w.p2_person = people[1]
    w.p2 = draft(
        unit,
        term,
        [head, deputy, office, team],
        [(people[0], head), (people[2], deputy)]
        + [(people[1], pos) for pos in (head, deputy, office, team)],
    )

    # P3: a deputy director planned for the post he holds.
    unit, head, w.p3_deputy = department(world, "P3")
    people = make_people("P3")
    w.p3_person = make_person("Võ", "Văn", "Hưng", "M", dt.date(1980, 9, 9))
    hold(w.p3_person, w.p3_deputy)
    w.p3 = draft(
        unit,
        term,
        [head, w.p3_deputy],
        two_and_one(people, head, w.p3_deputy) + [(w.p3_person, w.p3_deputy)],
    )

    # P5: 41 months of work left on 01/10/2030 (retires 31/03/2034).
    unit, w.p5_head, deputy = department(world, "P5")
    people = make_people("P5")
    w.p5_person = make_person("Hà", "Văn", "Long", "M", dt.date(1972, 3, 1))
    w.p5 = draft(
        unit,
        term,
        [w.p5_head, deputy],
        [(people[0], w.p5_head), (w.p5_person, w.p5_head), (people[1], deputy),
         (people[2], deputy)],
    )  # fmt: skip

    # P6: no woman (the young share and the age brackets are met).
    unit, head, deputy = department(world, "P6")
    people = make_people("P6", woman=False)
    w.p6 = draft(unit, term, [head, deputy], two_and_one(people, head, deputy))

    # P7: a warning in force since 01/11/2025.
    unit, head, deputy = department(world, "P7")
    people = make_people("P7")
    w.p7_person = make_person("Mai", "Văn", "Đức", "M", dt.date(1983, 3, 3))
    discipline(w.p7_person, "warning", dt.date(2025, 11, 1))
    w.p7 = draft(
        unit, term, [head, deputy], two_and_one(people, head, deputy) + [(w.p7_person, deputy)]
    )

    # P8: approved on 01/06/2024, never reviewed.
    unit, head, deputy = department(world, "P8")
    people = make_people("P8")
    w.p8 = services.plan_create(actor=None, planning_unit=unit, term=term)
    for person, position in two_and_one(people, head, deputy):
        services.entry_add(
            actor=None, plan=w.p8, person=person, position=position, added_on=dt.date(2024, 5, 2)
        )
    services.plan_submit(actor=None, plan=w.p8)
    services.plan_approve(
        actor=None,
        plan=w.p8,
        approver_unit=world.tu,
        decision_number="17-QĐ/TU",
        decision_date=dt.date(2024, 6, 1),
    )

    # P9: submitted on Thursday 15/01/2026, 31 working days before AS_OF.
    unit, head, deputy = department(world, "P9")
    people = make_people("P9")
    w.p9 = draft(unit, term, [head, deputy], two_and_one(people, head, deputy))
    services.plan_submit(actor=None, plan=w.p9)
    w.p9.transitions.filter(to_status=PlanStatus.SUBMITTED).update(
        at=timezone.make_aware(dt.datetime(2026, 1, 15, 16, 30))
    )
    return w


def expected(w):
    """Each finding's identity: (rule, reason, plan, position, person)."""
    return {
        ("P1", "", w.p1.pk, w.p1_head.pk, None),
        ("P2", "", None, None, w.p2_person.pk),
        ("P3", "", w.p3.pk, w.p3_deputy.pk, w.p3_person.pk),
        ("P5", "full_term", w.p5.pk, w.p5_head.pk, w.p5_person.pk),
        ("P6", "women", w.p6.pk, None, None),
        ("P7", "discipline", w.p7.pk, None, w.p7_person.pk),
        ("P8", "", w.p8.pk, None, None),
        ("P9", "", w.p9.pk, None, None),
    }


def keys(findings):
    assert all(f.case_id is None for f in findings)  # planning findings name no case
    out = [f.key[:5] for f in findings]
    assert len(out) == len(set(out)), "a finding came twice"
    return set(out)


def test_each_rule_broken_once_gives_exactly_its_finding(broken):
    w = broken
    findings = check_plans(Plan.objects.all(), AS_OF)
    assert keys(findings) == expected(w)
    assert len(findings) == 8
    # The plans that break nothing have no finding.
    assert not [f for f in findings if f.plan_id in (w.clean_tu.pk, w.clean_xa.pk)]
    p1 = next(f for f in findings if f.rule == "P1")
    assert dict(p1.figures) == {"planned": 4, "max": 3, "seats": 1}
    p9 = next(f for f in findings if f.rule == "P9")
    assert dict(p9.figures) == {
        "submitted_on": "2026-01-15", "working_days": 31, "max_working_days": 30,
    }  # fmt: skip
    # The day before the submission, the plan was a draft: nothing to approve yet.
    assert (
        planning_facts(Plan.objects.filter(pk=w.p9.pk), dt.date(2026, 1, 14))
        .plans[0]
        .awaiting_approval_since
        is None
    )
    p5 = next(f for f in findings if f.rule == "P5")
    assert (p5.severity, p5.figures["months_left"]) == ("error", 41)


def test_p9_waits_until_the_approval(world, broken):
    w = broken
    today = timezone.localdate()  # the approval's transition is stamped now, after AS_OF
    services.plan_approve(
        actor=None, plan=w.p9, approver_unit=world.tu, decision_number="9-QĐ/TU",
        decision_date=today,
    )  # fmt: skip
    [on_as_of] = planning_facts(Plan.objects.filter(pk=w.p9.pk), AS_OF).plans
    [now] = planning_facts(Plan.objects.filter(pk=w.p9.pk), today).plans
    assert (on_as_of.awaiting_approval_since, now.awaiting_approval_since) == (
        dt.date(2026, 1, 15), None,
    )  # fmt: skip
    assert ("P9", "", w.p9.pk, None, None) in keys(check_plans(Plan.objects.all(), AS_OF))
    assert not [f for f in check_plans(Plan.objects.all(), today) if f.rule == "P9"]


def test_p4_from_an_open_case(broken):
    """P4 once the facts carry an open case (from the database: test_p4_open_cases.py)."""
    w = broken
    facts = planning_facts(Plan.objects.all(), AS_OF)
    assert all(p.open_case_since is None for p in facts.people.values())
    someone = w.xa_people[0]
    people = dict(facts.people)
    people[someone.pk] = dataclasses.replace(
        people[someone.pk], open_case_since=dt.date(2025, 1, 15)
    )
    findings = run_checks(
        facts.plans, people, facts.positions, rule_set_in_force(AS_OF), CheckContext(AS_OF)
    )
    assert keys(findings) == expected(w) | {("P4", "", w.clean_xa.pk, w.xbt.pk, someone.pk)}


def test_p7_not_flagged_once_the_qd377_exception_is_recorded(broken):
    w = broken
    item = w.p7_person.disciplines.get()
    people_services.section_update(actor=None, item=item, planning_exception="expired")
    assert keys(check_plans(Plan.objects.all(), AS_OF)) == expected(w) - {
        ("P7", "discipline", w.p7.pk, None, w.p7_person.pk)
    }
    people_services.section_update(actor=None, item=item, planning_exception="")
    assert keys(check_plans(Plan.objects.all(), AS_OF)) == expected(w)


def test_a_parameter_changed_in_the_database_changes_the_findings(broken):
    w = broken
    rule = Rule.objects.get(rule_set__code="QĐ 377/2025", code="P1")
    rule.parameters = {**rule.parameters, "max_people_per_position": 2}
    rule.save()
    findings = check_plans(Plan.objects.all(), AS_OF)
    # The commune's three successors for one seat are now one too many.
    assert keys(findings) == expected(w) | {("P1", "", w.clean_xa.pk, w.xbt.pk, None)}
    p1 = [f for f in findings if f.rule == "P1"]
    assert [dict(f.figures)["max"] for f in p1] == [2, 2]


def test_a_later_rule_set_does_not_apply_to_earlier_dates(broken):
    w = broken
    later = RuleSet.objects.create(
        code="Thử nghiệm 06/2026", name="Bộ quy định thử nghiệm", effective_from=dt.date(2026, 6, 1)
    )
    for rule in Rule.objects.filter(rule_set__code="QĐ 377/2025").order_by("code"):
        parameters = dict(rule.parameters)
        if rule.code == "P1":
            parameters["max_people_per_position"] = 2
        Rule.objects.create(
            rule_set=later, code=rule.code, name=rule.name, citation=rule.citation,
            severity=rule.severity, parameters=parameters, enabled=rule.enabled,
        )  # fmt: skip
    assert keys(check_plans(Plan.objects.all(), AS_OF)) == expected(w)
    assert keys(check_plans(Plan.objects.all(), LATER)) == expected(w) | {
        ("P1", "", w.clean_xa.pk, w.xbt.pk, None)
    }


def count_queries(plans, as_of):
    with CaptureQueriesContext(connection) as ctx:
        findings = check_plans(plans, as_of)
    return len(ctx.captured_queries), findings


def test_checking_every_plan_of_the_demo_takes_a_fixed_number_of_queries(areas):  # noqa: F811
    summary = build_demo(seed=7, people=300)
    queries, findings = count_queries(Plan.objects.all(), CHECKED_ON)
    assert Plan.objects.count() == summary.plans.plans == 25
    # Ten for the facts (selectors.planning_facts), two for the rule set in force.
    assert queries == 12
    assert findings

    # More plans, with entries: the councils and people's committees of the
    # province and its five communes, the police, the court and the procuracy.
    term = Plan.objects.first().term
    people = list(Person.objects.order_by("id_number"))
    added = 0
    prefixes = Q()
    for prefix in ("HDND-", "UBND-", "CA-", "TAND-", "VKS-"):
        prefixes |= Q(code__startswith=prefix)
    units = Unit.objects.filter(prefixes).order_by("code")
    for index, unit in enumerate(units):
        positions = list(Position.objects.filter(unit=unit).order_by("id")[:3])
        plan = services.plan_create(actor=None, planning_unit=unit, term=term, positions=positions)
        for k, position in enumerate(positions):
            person = people[(index * 7 + k) % len(people)]
            services.entry_add(
                actor=None, plan=plan, person=person, position=position, added_on=ADDED
            )
        added += 1
    assert added == 15
    more_queries, more_findings = count_queries(Plan.objects.all(), CHECKED_ON)
    assert more_queries == queries
    assert len(planning_facts(Plan.objects.all(), CHECKED_ON).plans) == 25 + added
    assert len(more_findings) > len(findings)
