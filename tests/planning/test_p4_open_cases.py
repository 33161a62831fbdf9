"""P4 fed by the appointment cases open on the as-of date (issue 19, item 3)."""

import datetime as dt

import pytest

from canbo.appointments import services as cases
from canbo.appointments.choices import CaseKind, CaseOutcome
from canbo.planning.models import Plan
from canbo.planning.selectors import check_plans, planning_facts

from .conftest import AS_OF

OPENED = dt.date(2025, 12, 1)  # before Cường's entry (15/12/2025)


def open_case(world, person, position, kind=CaseKind.APPOINT, opened_on=OPENED):
    return cases.case_open(
        actor=None, person=person, kind=kind, position=position, competent_unit=world.tu,
        opened_on=opened_on,
    )  # fmt: skip


def p4(on=AS_OF):
    return [
        (f.rule, f.severity, f.plan_id, f.position_id, f.person_id, f.message, dict(f.figures))
        for f in check_plans(Plan.objects.all(), on)
        if f.rule == "P4"
    ]


def test_an_open_appointment_case_makes_p4_fire_for_entries_added_during_it(
    world, plan, cadres, positions
):
    assert p4() == []
    open_case(world, cadres.c, positions.gd)
    assert p4() == [
        (
            "P4",
            "error",
            plan.pk,
            positions.pct.pk,
            cadres.c.pk,
            "Phạm Văn Cường đang trong quy trình bổ nhiệm, giới thiệu ứng cử (từ 01/12/2025), "
            "không đưa vào quy hoạch Phó Chủ tịch UBND tỉnh – Tỉnh ủy Thử Nghiệm.",
            {"case_opened_on": "2025-12-01", "added_on": "2025-12-15"},
        )
    ]
    # An was planned (01/01/2024) before his case opened: his entries stand.
    open_case(world, cadres.a, positions.ct)
    assert [row[4] for row in p4()] == [cadres.c.pk]


def test_p4_sees_only_cases_open_on_the_date_and_bringing_a_new_post(
    world, plan, cadres, positions
):
    case = open_case(world, cadres.c, positions.gd)
    assert p4(dt.date(2025, 11, 30)) == []  # not opened yet (and not yet planned)
    cases.case_close(
        actor=None, case=case, closed_on=dt.date(2026, 2, 1), outcome=CaseOutcome.STOPPED
    )
    assert [row[4] for row in p4(dt.date(2026, 1, 31))] == [cadres.c.pk]  # still open then
    assert p4(dt.date(2026, 2, 1)) == []  # closed that day
    assert p4() == []
    # Dismissal, resignation and removal bring no new post.
    for kind in (CaseKind.DISMISS, CaseKind.RESIGN, CaseKind.REMOVE, CaseKind.REAPPOINT):
        open_case(world, cadres.c, positions.gd, kind=kind)
    assert p4() == []
    open_case(world, cadres.c, positions.gd, kind=CaseKind.NOMINATE)
    assert [row[4] for row in p4()] == [cadres.c.pk]


def test_open_cases_cost_the_facts_no_query(world, plan, cadres, positions, django_assert_num_queries):
    open_case(world, cadres.c, positions.gd, opened_on=dt.date(2025, 12, 3))
    open_case(world, cadres.c, positions.ct, opened_on=dt.date(2025, 12, 2))
    open_case(world, cadres.b, positions.gd, kind=CaseKind.NOMINATE)
    with django_assert_num_queries(10):
        facts = planning_facts(Plan.objects.all(), AS_OF)
    since = {pk: p.open_case_since for pk, p in facts.people.items() if p.open_case_since}
    # The earliest open case counts.
    assert since == {cadres.c.pk: dt.date(2025, 12, 2), cadres.b.pk: OPENED}


@pytest.mark.django_db
def test_check_planning_command_prints_the_p4_finding(world, plan, cadres, positions):
    import json
    from io import StringIO

    from django.core.management import call_command

    open_case(world, cadres.c, positions.gd)
    out = StringIO()
    call_command("check_planning", "--as-of", AS_OF.isoformat(), "--format", "json", stdout=out)
    findings = [f for f in json.loads(out.getvalue()) if f["rule"] == "P4"]
    assert [(f["person"], f["figures"]["case_opened_on"]) for f in findings] == [
        (cadres.c.id_number, "2025-12-01")
    ]
