import dataclasses
import datetime as dt
from fractions import Fraction

import pytest

from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.planning.choices import PlanStatus
from canbo.planning.models import Plan
from canbo.planning.selectors import check_plans, plan_list, planning_facts, plans_of
from canbo.rules.facts import (
    DisciplineFacts,
    EntryFacts,
    HeldPost,
    PersonFacts,
    PlanFacts,
    PositionFacts,
    RatingFacts,
    VoteFacts,
)
from canbo.rules.selectors import rule_set_in_force
from tests.factories import make_unit

from .conftest import AS_OF, DRAFTED, REVIEWED
from .factories import (
    PlanEntryFactory,
    PlanFactory,
    discipline,
    hold,
    make_person,
    make_position,
    make_term,
    rating,
    vote,
)

pytestmark = pytest.mark.django_db


def test_plan_list_is_scoped(world, admin_user, plan):
    commune = PlanFactory(planning_unit=world.xa, status=PlanStatus.DRAFT)
    other = PlanFactory(planning_unit=world.xb, status=PlanStatus.DRAFT)
    assert list(plan_list(user=world.viewer_a)) == [commune]
    assert list(plan_list(user=world.editor_a, action="edit")) == [commune]
    assert list(plan_list(user=world.viewer_a, action="edit")) == []
    assert list(plan_list(user=admin_user)) == [plan, commune, other]
    everything = plan_list(user=admin_user)
    assert list(plans_of(everything, unit=world.xa)) == [commune]
    assert list(plans_of(plan_list(user=world.viewer_a), unit=world.tu)) == [commune]
    assert list(plans_of(everything, unit=world.xb, years=(2030, 2035))) == [other]
    assert list(plans_of(everything, years=(2030, 2035))) == [plan, commune, other]
    assert list(plans_of(everything, unit=world.tu, years=(2025, 2030))) == []


def test_facts_from_database_rows(plan, positions, cadres):
    pos, p = positions, cadres
    plans, people, facts_positions = planning_facts(Plan.objects.all(), AS_OF)
    e = {(row.person_id, row.position_id): row.pk for row in plan.entries.all()}
    assert plans == [
        PlanFacts(
            id=plan.pk,
            unit_id=plan.planning_unit_id,
            name="Ban Chấp hành Đảng bộ tỉnh 2030–2035",
            level="province",
            term_start=dt.date(2030, 10, 1),
            term_end=dt.date(2035, 9, 30),
            approved_on=dt.date(2025, 6, 1),
            last_reviewed_on=REVIEWED,
            min_minority_share=Fraction(1, 5),
            entries=(
                EntryFacts(p.a.pk, pos.bt.pk, DRAFTED, id=e[p.a.pk, pos.bt.pk]),
                EntryFacts(p.a.pk, pos.pbt.pk, DRAFTED, id=e[p.a.pk, pos.pbt.pk]),
                EntryFacts(p.b.pk, pos.pbt.pk, DRAFTED, id=e[p.b.pk, pos.pbt.pk]),
                EntryFacts(p.d.pk, pos.ct.pk, DRAFTED, id=e[p.d.pk, pos.ct.pk]),
                EntryFacts(
                    p.e.pk,
                    pos.tb.pk,
                    DRAFTED,
                    removed_on=REVIEWED,
                    removal_reason="discipline",
                    id=e[p.e.pk, pos.tb.pk],
                ),
                EntryFacts(p.c.pk, pos.pct.pk, REVIEWED, first_time=True, id=e[p.c.pk, pos.pct.pk]),
            ),  # fmt: skip
        )
    ]
    # People named by an entry, and the holders of the plan's positions (Hải, Lan, Khoa).
    assert sorted(people) == sorted(x.pk for x in vars(p).values())
    assert people[p.a.pk] == PersonFacts(
        id=p.a.pk,
        id_number="001080000001",
        full_name="Trần Văn An",
        sex="M",
        birth_date=dt.date(1980, 5, 10),
        is_minority=False,
        # Only the post held on the as-of date, not the earlier one.
        posts=(HeldPost(position_id=pos.gd.pk, level="province", rank=70, management_level=2),),
        ratings=(RatingFacts(2024, "good"), RatingFacts(2025, "excellent")),
        # The latest year's votes; of two bodies, the higher low share (5/40 > 10/100).
        latest_vote=VoteFacts(year=2025, low=5, base=40),
    )
    assert people[p.b.pk].is_minority is True
    assert people[p.b.pk].disciplines == (
        DisciplineFacts("reprimand", dt.date(2023, 5, 1), dt.date(2024, 5, 1)),
    )
    assert people[p.e.pk].disciplines == (DisciplineFacts("warning", dt.date(2025, 11, 1)),)
    assert people[p.e.pk].latest_vote == VoteFacts(2025, 80, 100)
    assert (people[p.e.pk].open_case_since, people[p.c.pk].posts) == (None, ())
    assert sorted(facts_positions) == sorted(
        x.pk for x in (pos.bt, pos.pbt, pos.ct, pos.tb, pos.pct, pos.gd)
    )
    assert facts_positions[pos.pct.pk] == PositionFacts(
        id=pos.pct.pk,
        unit_id=plan.planning_unit_id,
        name="Phó Chủ tịch UBND tỉnh – Tỉnh ủy Thử Nghiệm",
        title_code="PCT",
        level="province",
        rank=80,
        management_level=2,
        seats=2,
        holder_ids=(p.d.pk,),
    )
    assert facts_positions[pos.ct.pk].holder_ids == ()
    assert facts_positions[pos.bt.pk].is_key is True


def test_facts_as_of_an_earlier_date(plan, cadres):
    plans, people, _ = planning_facts(Plan.objects.all(), dt.date(2025, 12, 1))
    # The review of 15/12/2025 had not happened: Em was still in, Cường not yet.
    assert plans[0].last_reviewed_on is None
    on = dt.date(2025, 12, 1)
    assert plans[0].people_ids(on) == (cadres.a.pk, cadres.b.pk, cadres.d.pk, cadres.e.pk)
    assert people[cadres.a.pk].latest_vote == VoteFacts(2025, 5, 40)
    plans, people, _ = planning_facts(Plan.objects.all(), dt.date(2024, 12, 31))
    assert people[cadres.a.pk].latest_vote == VoteFacts(2024, 30, 100)


def test_no_plan_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert planning_facts(Plan.objects.all(), AS_OF) == ([], {}, {})


def many_plans(world, n):
    """n plans, each of its own unit, with 3 people holding posts, with every kind of record."""
    term = make_term(2030, 2035)
    for i in range(n):
        unit = make_unit(f"U{i}", f"Sở {i}", world.tu, UnitKind.DEPARTMENT, UnitLevel.PROVINCE)
        head = make_position(unit, f"GD{i}", f"Giám đốc Sở {i}", 70)
        deputy = make_position(unit, f"PGD{i}", f"Phó Giám đốc Sở {i}", 60, seats=2)
        plan = PlanFactory(planning_unit=unit, term=term)
        for j in range(3):
            person = make_person("Lê", "Văn", f"Số{i}x{j}", "M", dt.date(1980 + j, 1, 1),
                                 id_number=f"0010{i:04d}{j:04d}")  # fmt: skip
            hold(person, deputy)
            discipline(person, "reprimand", dt.date(2020, 1, 1), dt.date(2021, 1, 1))
            rating(person, 2025, "good")
            vote(person, 2025, 1, 50)
            PlanEntryFactory(plan=plan, person=person, position=head)
        hold(make_person("Hà", "Văn", f"Trưởng{i}", "M", dt.date(1970, 1, 1)), head)


@pytest.mark.parametrize("n", [1, 10])
def test_facts_take_the_same_queries_for_one_plan_or_ten(world, n, django_assert_num_queries):
    many_plans(world, n)
    with django_assert_num_queries(10):
        plans, people, positions = planning_facts(Plan.objects.all(), AS_OF)
    assert (len(plans), len(people), len(positions)) == (n, 4 * n, n)
    assert sum(len(p.entries) for p in plans) == 3 * n
    everyone = people.values()
    assert [
        sum(len(x.posts) for x in everyone),
        sum(len(x.disciplines) for x in everyone),
        sum(len(x.ratings) for x in everyone),
        sum(x.latest_vote is not None for x in everyone),
        sum(len(x.holder_ids) for x in positions.values()),
    ] == [4 * n, 3 * n, 3 * n, 3 * n, n]


def test_checks_over_the_database(plan, cadres, positions):
    assert check_plans(Plan.objects.all(), AS_OF) == []
    later = check_plans(Plan.objects.all(), dt.date(2027, 1, 1))
    assert [(f.rule, f.severity, f.plan_id, f.message, dict(f.figures)) for f in later] == [
        (
            "P8",
            "warning",
            plan.pk,
            "Quy hoạch Ban Chấp hành Đảng bộ tỉnh 2030–2035 chưa được rà soát từ 15/12/2025 "
            "(1 năm), quá thời hạn 1 năm.",
            {"since": "2025-12-15", "months_since": 12, "interval_months": 12},
        )
    ]
    discipline(cadres.d, "warning", dt.date(2026, 1, 10))
    flagged = check_plans(Plan.objects.all(), AS_OF)
    assert [(f.rule, f.reason, f.person_id, f.id_number, f.message) for f in flagged] == [
        (
            "P7",
            "discipline",
            cadres.d.pk,
            "001074000004",
            "Xem xét đưa Hoàng Văn Dũng ra khỏi quy hoạch Ban Chấp hành Đảng bộ tỉnh 2030–2035: "
            "bị kỷ luật (Cảnh cáo) từ 10/01/2026.",
        )
    ]


def test_facts_carry_the_qd377_exception_recorded_on_the_discipline(plan, cadres):
    discipline(cadres.d, "warning", dt.date(2026, 1, 10), exception="self_criticism")
    _, people, _ = planning_facts(Plan.objects.all(), AS_OF)
    assert people[cadres.d.pk].disciplines == (
        DisciplineFacts("warning", dt.date(2026, 1, 10), exception="self_criticism"),
    )
    # The others recorded none.
    assert people[cadres.b.pk].disciplines == (
        DisciplineFacts("reprimand", dt.date(2023, 5, 1), dt.date(2024, 5, 1), exception=""),
    )


P7_DUNG = (
    "P7",
    "discipline",
    "Xem xét đưa Hoàng Văn Dũng ra khỏi quy hoạch Ban Chấp hành Đảng bộ tỉnh 2030–2035: "
    "bị kỷ luật (%s) từ 10/01/2026.",
)


@pytest.mark.parametrize(
    ("form", "exception", "flagged"),
    [
        ("warning", "", True),
        ("warning", "self_criticism", False),
        ("warning", "not_imposed", False),
        ("warning", "expired", False),
        ("removal", "self_criticism", False),
        ("removal", "not_imposed", False),
        # Only a reprimand or a warning may lapse (`expired_exempt_forms`).
        ("removal", "expired", True),
    ],
)
def test_p7_applies_the_qd377_exception_recorded_in_the_database(
    plan, cadres, form, exception, flagged
):
    discipline(cadres.d, form, dt.date(2026, 1, 10), exception=exception)
    findings = check_plans(Plan.objects.all(), AS_OF)
    got = [(f.rule, f.reason, f.person_id, f.message) for f in findings]
    label = {"warning": "Cảnh cáo", "removal": "Cách chức"}[form]
    want = [(P7_DUNG[0], P7_DUNG[1], cadres.d.pk, P7_DUNG[2] % label)] if flagged else []
    assert got == want


def test_p7_flag_goes_once_the_exception_is_recorded_and_returns_once_cleared(plan, cadres):
    item = discipline(cadres.d, "warning", dt.date(2026, 1, 10))
    assert [f.rule for f in check_plans(Plan.objects.all(), AS_OF)] == ["P7"]
    item.planning_exception = "expired"
    item.save()
    assert check_plans(Plan.objects.all(), AS_OF) == []
    item.planning_exception = ""
    item.save()
    assert [f.rule for f in check_plans(Plan.objects.all(), AS_OF)] == ["P7"]


def test_checks_with_a_given_rule_set(plan, positions):
    strict = rule_set_in_force(AS_OF).with_parameters("P1", max_people_per_position=1)
    findings = check_plans(Plan.objects.all(), AS_OF, rule_set=strict)
    assert [(f.rule, f.position_id, dict(f.figures)) for f in findings] == [
        ("P1", positions.pbt.pk, {"planned": 2, "max": 1, "seats": 1})
    ]
    assert dataclasses.replace(findings[0], figures={}).plan_id == plan.pk
