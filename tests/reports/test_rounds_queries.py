"""Completeness, a level's total and reconciliation read a fixed number of queries
whatever the number of reporting units (2 or 4 communes here)."""

import pytest
from django.db import connection

from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.reports import services
from canbo.reports.round_selectors import completeness, reconciliation, round_total
from tests.factories import make_unit

from . import test_rounds_setup as setup
from .test_rounds_setup import CUT_OFF, at, make_round

p, province_editor = setup.p, setup.province_editor  # fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[0, 2], ids=["2 communes", "4 communes"])
def sent(request, world, p, province_editor):
    """A round to 2 + n communes; each sends TK-CB with a corrected cell; every other one
    is accepted, the others returned."""
    for n in range(request.param):
        make_unit(f"XN{n}", f"Đảng ủy xã Mới {n}", world.tu, UnitKind.PARTY_COMMITTEE,
                  UnitLevel.COMMUNE)  # fmt: skip
    r = make_round(world, province_editor)
    units = [a.unit for a in r.task.assignments.select_related("unit").order_by("unit__path")]
    assert len(units) == 2 + request.param
    for n, unit in enumerate(units):
        submission = services.open_submission(actor=province_editor, report_round=r, unit=unit,
                                              form_code="TK-CB")  # fmt: skip
        services.correct_cell(actor=province_editor, submission=submission, row="total",
                              column="people", value=10 + n, reason="Theo danh sách")  # fmt: skip
        services.submit(actor=province_editor, submission=submission, now=at(CUT_OFF))
        if n % 2:
            services.return_submission(actor=province_editor, submission=submission, comment="Xem lại")
        else:
            services.accept(actor=province_editor, submission=submission)
    return r, len(units)


@pytest.mark.parametrize("as_user", [False, True], ids=["everything", "province editor"])
def test_fixed_number_of_queries(world, sent, province_editor, as_user,
                                 django_assert_num_queries):  # fmt: skip
    r, units = sent
    user = province_editor if as_user else None
    if user is not None:
        completeness(r, on=CUT_OFF, user=user)  # the user's grants are read once, then kept
    with django_assert_num_queries(3):
        c = completeness(r, on=CUT_OFF, user=user)
    with django_assert_num_queries(2):
        total = round_total(r, "TK-CB", world.tu, user=user)
    # units, submissions, corrections, the form's one (and its planner settings, core.db)
    with django_assert_num_queries(4 + (2 if connection.vendor == "postgresql" else 0)):
        rec = reconciliation(r, "TK-CB", world.tu, user=user)
    accepted = (units + 1) // 2
    tally = c.forms["TK-CB"]
    assert (tally.expected, tally.submitted, tally.accepted, tally.returned) == (
        units, units, accepted, units - accepted)
    assert total.value("total", "people") == sum(10 + n for n in range(0, units, 2))
    assert len(rec.corrections) == units and len(rec.returned) == units - accepted
