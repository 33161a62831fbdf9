"""Directive roll-ups (issue 14): the Central Highlands review of 2012 as the source
reports it — 13/13 provinces, 221/222 district-level committees, 709/724 provincial
agencies — computed from each unit's own completion, never typed; status derived from
the dates; a fixed number of queries whatever the number of units."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from canbo.accounts.models import Role
from canbo.core.vntext import fold
from canbo.directives import services
from canbo.directives.choices import Status
from canbo.directives.models import Directive, MonitoringGroup, TaskAssignment
from canbo.directives.selectors import directive_rollups, rollups
from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.organizations.models import Unit
from tests.factories import UserFactory, make_unit

pytestmark = pytest.mark.django_db

ISSUED, START, DEADLINE = dt.date(2012, 6, 1), dt.date(2012, 7, 1), dt.date(2012, 9, 30)
ON = dt.date(2012, 11, 30)
DISTRICTS = [17] * 12 + [18]  # 222 district-level committees
AGENCIES = [56] * 12 + [52]  # 724 provincial agencies


def bulk_tree(rows: list[tuple]) -> dict[str, Unit]:
    """Units (code, name, parent code or None, kind, level) in one insert, with the paths
    treebeard would give them (roots after the last one stored), so that add_child works
    on them afterwards. 960 units one by one cost seconds on PostgreSQL."""
    last = Unit.objects.filter(depth=1).order_by("-path").first()
    next_root = Unit._str2int(last.path) + 1 if last else 1
    children: dict[str | None, list] = {}
    for row in rows:
        children.setdefault(row[2], []).append(row)
    made: dict[str, Unit] = {}

    def visit(row, path):
        code, name, _parent, kind, level = row
        made[code] = Unit(code=code, name=name, kind=kind, level=level, name_folded=fold(name),
                          path=path, depth=len(path) // Unit.steplen,
                          numchild=len(children.get(code, ())))  # fmt: skip
        for n, child in enumerate(children.get(code, ()), start=1):
            visit(child, path + Unit._int2str(n).rjust(Unit.steplen, "0"))

    for n, row in enumerate(children[None], start=next_root):
        visit(row, Unit._int2str(n).rjust(Unit.steplen, "0"))
    Unit.objects.bulk_create(made.values(), batch_size=1000)
    return {u.code: u for u in Unit.objects.filter(code__in=list(made))}


def build_region():
    rows = [("TW", "Ban Chấp hành Trung ương", None, UnitKind.CENTRAL_BODY, UnitLevel.CENTRAL),
            ("V2", "Vụ Địa phương II", "TW", UnitKind.PARTY_AGENCY, UnitLevel.CENTRAL)]  # fmt: skip
    for n, (districts, agencies) in enumerate(zip(DISTRICTS, AGENCIES, strict=True), start=1):
        rows.append((f"T{n:02}", f"Tỉnh ủy {n}", None, UnitKind.PARTY_COMMITTEE,
                     UnitLevel.PROVINCE))  # fmt: skip
        rows += [(f"T{n:02}-H{d:02}", f"Huyện ủy {n}.{d}", f"T{n:02}", UnitKind.PARTY_COMMITTEE,
                  UnitLevel.DISTRICT) for d in range(districts)]  # fmt: skip
        rows += [(f"T{n:02}-S{a:02}", f"Sở {n}.{a}", f"T{n:02}", UnitKind.DEPARTMENT,
                  UnitLevel.PROVINCE) for a in range(agencies)]  # fmt: skip
    rows.append(("T99", "Tỉnh ủy ngoài vùng", None, UnitKind.PARTY_COMMITTEE, UnitLevel.PROVINCE))
    rows += [(f"T99-H{d}", f"Huyện ủy ngoài {d}", "T99", UnitKind.PARTY_COMMITTEE,
              UnitLevel.DISTRICT) for d in range(3)]  # fmt: skip
    units = bulk_tree(rows)
    provinces = [units[f"T{n:02}"] for n in range(1, 14)]
    group = MonitoringGroup.objects.create(name="Tây Nguyên", owner=units["V2"])
    group.units.set(provinces)
    return units["TW"], group, provinces, units["T99"]


@pytest.fixture
def region():
    admin = UserFactory(username="quantri", role=Role.ADMIN)
    tw, group, provinces, outside = build_region()
    plan = services.directive_create(
        actor=admin, kind="plan", number="10-KH/TW", issued_on=ISSUED, issuing_unit=tw,
        title="Kế hoạch kiểm điểm tự phê bình và phê bình",
    )  # fmt: skip
    tasks = [
        services.task_create(actor=admin, directive=plan, order=n, content=content,
                             start_on=START, deadline=DEADLINE)  # fmt: skip
        for n, content in enumerate(["Tỉnh ủy kiểm điểm", "Cấp ủy cấp huyện kiểm điểm",
                                     "Cơ quan cấp tỉnh kiểm điểm"], start=1)  # fmt: skip
    ]
    assert services.assign_to_units(actor=admin, task=tasks[0], level=UnitLevel.PROVINCE,
                                    kind=UnitKind.PARTY_COMMITTEE, group=group) == 13  # fmt: skip
    assert services.assign_to_units(actor=admin, task=tasks[1], level=UnitLevel.DISTRICT,
                                    group=group) == 222  # fmt: skip
    assert services.assign_to_units(actor=admin, task=tasks[2], level=UnitLevel.PROVINCE,
                                    kind=UnitKind.DEPARTMENT, group=group) == 724  # fmt: skip
    # The province outside the region is assigned the district task too (another group).
    assert services.assign_to_units(actor=admin, task=tasks[1], level=UnitLevel.DISTRICT,
                                    within=outside) == 3  # fmt: skip
    # Completions: all provinces; all district committees but one; 709 of 724 agencies,
    # 9 of them after the deadline.
    TaskAssignment.objects.filter(task=tasks[0]).update(completed_on=dt.date(2012, 9, 20))
    districts = TaskAssignment.objects.filter(task=tasks[1], unit__code__startswith="T0")
    districts = districts | TaskAssignment.objects.filter(task=tasks[1],
                                                          unit__code__startswith="T1")  # fmt: skip
    skipped = districts.order_by("unit__path").last()
    districts.exclude(pk=skipped.pk).update(completed_on=dt.date(2012, 9, 25))
    agencies = list(TaskAssignment.objects.filter(task=tasks[2]).order_by("unit__path"))
    TaskAssignment.objects.filter(pk__in=[a.pk for a in agencies[:700]]).update(
        completed_on=dt.date(2012, 9, 28))
    TaskAssignment.objects.filter(pk__in=[a.pk for a in agencies[700:709]]).update(
        completed_on=dt.date(2012, 10, 15))
    return plan, tasks, group, provinces, outside


def test_the_region_reads_13_of_13_221_of_222_and_709_of_724(region):
    plan, tasks, group, _provinces, _outside = region
    rolled = directive_rollups(plan, ON, group=group)
    assert [r.text for r in rolled] == ["13/13 (100,00%)", "221/222 (99,55%)",
                                        "709/724 (97,93%)"]  # fmt: skip
    agencies = rolled[2]
    assert (agencies.done_on_time, agencies.done_late, agencies.in_progress,
            agencies.overdue) == (700, 9, 0, 15)  # fmt: skip
    # Over the whole country the outside province's three open committees count too.
    national = directive_rollups(plan, ON)
    assert national[1].text == "221/225 (98,22%)"
    # One province: its own units.
    first = directive_rollups(plan, ON, unit=_provinces[0])
    assert [r.text for r in first] == ["1/1 (100,00%)", "17/17 (100,00%)", "56/56 (100,00%)"]


def test_status_follows_the_dates(region):
    plan, tasks, group, _provinces, _outside = region
    before = directive_rollups(plan, dt.date(2012, 6, 30), group=group)[1]
    assert (before.not_started, before.assigned, before.text) == (222, 222, "0/222 (0,00%)")
    on_deadline = directive_rollups(plan, DEADLINE, group=group)[1]
    assert (on_deadline.done_on_time, on_deadline.in_progress) == (221, 1)
    after = directive_rollups(plan, DEADLINE + dt.timedelta(days=1), group=group)[1]
    assert (after.done_on_time, after.overdue) == (221, 1)
    agencies = [directive_rollups(plan, day, group=group)[2] for day in
                (dt.date(2012, 10, 14), dt.date(2012, 10, 15))]  # fmt: skip
    assert [(a.done_late, a.overdue) for a in agencies] == [(0, 24), (9, 15)]
    # Before the directive was issued nothing is assigned yet.
    assert directive_rollups(plan, dt.date(2012, 5, 31), group=group) == []
    tasks[2].cancelled_on, tasks[2].cancel_reason = dt.date(2012, 10, 1), "Gộp vào nhiệm vụ 2"
    tasks[2].save()
    cancelled = directive_rollups(plan, ON, group=group)[2]
    assert (cancelled.assigned, cancelled.cancelled, cancelled.share_done) == (0, 724, None)


def test_a_roll_up_is_one_query_whatever_the_number_of_units(region, django_assert_num_queries):
    plan, tasks, group, provinces, _outside = region
    for where in ({}, {"group": group}, {"unit": provinces[3]}):
        with django_assert_num_queries(1):
            rollups(tasks, ON, **where)


def test_assigning_again_adds_only_the_units_created_since(region):
    plan, tasks, group, provinces, _outside = region
    admin = UserFactory(role=Role.ADMIN)
    make_unit("T01-HNEW", "Huyện ủy mới", provinces[0], UnitKind.PARTY_COMMITTEE,
              UnitLevel.DISTRICT)  # fmt: skip
    assert services.assign_to_units(actor=admin, task=tasks[1], level=UnitLevel.DISTRICT,
                                    group=group) == 1  # fmt: skip
    assert directive_rollups(plan, ON, group=group)[1].text == "221/223 (99,10%)"


def test_the_command_prints_each_task_in_json_and_text(region):
    out = io.StringIO()
    call_command("directive_status", "10-kh/tw", "--group", "Tây Nguyên", "--as-of",
                 "2012-11-30", "--format", "json", stdout=out)  # fmt: skip
    rows = json.loads(out.getvalue())
    assert [(r["assigned"], r["done_on_time"], r["done_late"], r["in_progress"], r["overdue"],
             r["share_done"]) for r in rows] == [
        (13, 13, 0, 0, 0, "100.00"), (222, 221, 0, 0, 1, "99.55"), (724, 700, 9, 0, 15, "97.93"),
    ]  # fmt: skip
    text = io.StringIO()
    call_command("directive_status", "10-KH/TW", "--as-of", "30/11/2012", stdout=text)
    assert "2. Cấp ủy cấp huyện kiểm điểm: 221/225 (98,22%)" in text.getvalue()
    assert Directive.objects.count() == 1
    assert Status.OVERDUE in rows[1]


def test_the_breakdown_by_province_is_one_query(region, django_assert_num_queries):
    from canbo.directives.selectors import breakdown

    plan, tasks, group, provinces, outside = region
    with django_assert_num_queries(1):
        rows = breakdown(tasks[1], ON, [*provinces, outside])
    assert [(unit.code, r.text) for unit, r in rows][-3:] == [
        ("T12", "17/17 (100,00%)"), ("T13", "17/18 (94,44%)"), ("T99", "0/3 (0,00%)")
    ]  # fmt: skip
    assert sum(r.assigned for _u, r in rows) == 225
