"""TK-CB on the test province: exact answers now and before the 2025 merger."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from canbo.people.models import Person
from canbo.reports.forms import form_named
from canbo.reports.selectors import report_for, reports_for_units

from . import province
from .province import BEFORE, NOW

pytestmark = pytest.mark.django_db

FORM = form_named("tk-cb")


@pytest.fixture
def p(world):
    return province.build(world)


def row(report, code):
    return {c.code: report.value(code, c.code) for c in report.form.columns}


def test_province_now(world, p):
    report = report_for(FORM, unit=world.tu, on=NOW)
    total = row(report, "total")
    assert total == {
        "people": 5, "women": 2, "women_share": Decimal("40.00"),
        "minority": 1, "minority_share": Decimal("20.00"), "religious": 1,
        # Hà 36, Hùng 56, Lan 29 (30 on 15/12), Minh 61 today, Nam 46 (year only)
        "age_30": 1, "age_31_40": 1, "age_41_50": 1, "age_51_60": 1, "age_61": 1,
        "doctor": 1, "master": 1, "bachelor": 2, "college": 1,
        "theory_high": 2, "theory_mid": 1, "theory_low": 1,
        "sm_senior": 1, "sm_principal": 1, "sm_officer": 1,
        "party": 4, "party_share": Decimal("80.00"),
    }  # fmt: skip
    assert row(report, "province")["people"] == 2
    assert row(report, "commune")["people"] == 3
    assert row(report, "district")["people"] == 0
    assert row(report, "district")["women_share"] is None


def test_before_the_merger_groups_by_the_old_units(world, p):
    report = report_for(FORM, unit=world.tu, on=BEFORE)
    assert row(report, "total")["people"] == 4
    assert row(report, "district")["people"] == 1  # Nam at HU
    assert row(report, "commune")["people"] == 1  # Oanh at XC
    assert row(report, "total")["minority"] == 2
    assert row(report, "total")["party"] == 3  # Nam joined in 2026
    by_unit = reports_for_units(FORM, [p.hu, world.xa, world.xb], BEFORE)
    assert by_unit[p.hu.pk].value("total", "people") == 2  # Nam and Oanh (XC under HU)
    assert by_unit[world.xa.pk].value("total", "people") == 0  # XA not yet in force


def test_units_in_one_go_add_up(world, p, django_assert_num_queries):
    # One statement, and on PostgreSQL one each way for its planner settings (core.db).
    settings = 2 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(1 + settings) as seen:
        by_unit = reports_for_units(FORM, [world.xa, world.xb], NOW)
    assert by_unit[world.xa.pk].value("total", "people") == 1
    assert by_unit[world.xb.pk].value("total", "people") == 2
    assert by_unit[world.xb.pk].value("commune", "party") == 2
    if settings:
        assert "set_config('random_page_cost'" in seen.captured_queries[0]["sql"]
        assert seen.captured_queries[-1]["sql"] == "RESET random_page_cost; RESET work_mem"


def test_scope_counts_only_units_in_sight(world, p):
    report = report_for(FORM, unit=world.tu, on=NOW, user=world.viewer_a)
    assert report.value("total", "people") == 1  # Lan, XA only


def test_command_json(world, p, capsys):
    call_command("report", "TK-CB", "--unit", "TU", "--as-of", "2026-12-04")
    data = json.loads(capsys.readouterr().out)
    cell = next(c for c in data["cells"] if c["row"] == "total" and c["column"] == "women_share")
    assert cell["value"] == "40.00" and cell["kind"] == "share" and cell["how"]
    assert data["unit"] == "TU" and data["as_of"] == "2026-12-04"


def test_command_list(capsys):
    call_command("report", "--list")
    assert "TK-CB" in capsys.readouterr().out


def _levels(report) -> dict:
    return {code: report.value(code, "people") for code in ("total", "province", "commune")}


def test_each_person_once_settled_or_not(world, p):
    """Hùng's commune post, recorded later, first ends before it starts (never held), then
    is corrected to be held with his province post: he is counted once, at the province,
    settled (ADR 0035) or not, and after a write no signal announces (the trigger)."""
    from canbo.people import posts_apart
    from canbo.people.models import Assignment

    second = province.hold(p.hung, p.xb_ct, dt.date(2026, 1, 1), dt.date(2025, 6, 30))
    expected = {"total": 5, "province": 2, "commune": 3}
    assert _levels(report_for(FORM, unit=world.tu, on=NOW)) == expected  # nobody settled
    assert posts_apart.settle() == 6
    assert _levels(report_for(FORM, unit=world.tu, on=NOW)) == expected
    Assignment.objects.filter(pk=second.pk).update(end_date=None)  # held from 01/01/2026
    assert _levels(report_for(FORM, unit=world.tu, on=NOW)) == expected
    assert posts_apart.settle() == 0
    assert not Person.objects.get(pk=p.hung.pk).main_posts_apart
