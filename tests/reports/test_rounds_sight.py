"""Who reads rounds and submissions, the decisions waiting for a user, completeness within
a user's sight, a round over a monitoring group, and changing a round's deadline."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from canbo.directives.models import MonitoringGroup, TaskAssignment
from canbo.reports import services
from canbo.reports.round_selectors import (
    acceptance_queue,
    completeness,
    reconciliation,
    visible_rounds,
    visible_submissions,
)

from . import test_rounds_setup as setup
from .test_rounds_setup import CUT_OFF, at, make_round

p, province_editor, editor_b, r = setup.p, setup.province_editor, setup.editor_b, setup.r  # fixtures

pytestmark = pytest.mark.django_db


def sent(actor, r, unit):
    submission = services.open_submission(actor=actor, report_round=r, unit=unit, form_code="TK-CB")
    return services.submit(actor=actor, submission=submission, now=at(CUT_OFF))


def test_each_level_reads_its_own(world, r, province_editor, editor_b):
    xa, xb = sent(world.editor_a, r, world.xa), sent(editor_b, r, world.xb)
    assert list(visible_rounds(world.viewer_a)) == [r]  # asked to report through XA
    assert set(visible_submissions(world.viewer_a)) == {xa}
    assert set(visible_submissions(province_editor)) == {xa, xb}
    assert set(acceptance_queue(province_editor)) == {xa, xb}
    assert list(acceptance_queue(world.editor_a)) == []  # a commune decides nothing
    c = completeness(r, on=CUT_OFF, user=world.viewer_a)
    assert (c.forms["TK-CB"].expected, c.forms["TK-CB"].submitted) == (1, 1)
    with pytest.raises(PermissionDenied, match="Bạn không có quyền với đơn vị này"):
        reconciliation(r, "TK-CB", world.tu, user=world.viewer_a)
    mine = reconciliation(r, "TK-CB", world.xa, user=world.viewer_a)
    assert [line.unit.code for line in mine.lines] == ["XA"]


def test_a_round_over_a_monitoring_group(world, p, province_editor):
    group = MonitoringGroup.objects.create(name="Xã theo dõi", owner=world.tu)
    group.units.set([world.xb])
    r = make_round(world, province_editor, group=group)
    assert r.within is None and r.group == group
    assert [a.unit.code for a in TaskAssignment.objects.filter(task=r.task)] == ["XB"]


def test_changing_the_deadline_moves_the_task_s(world, r, province_editor):
    services.round_update(actor=province_editor, report_round=r, deadline=dt.date(2026, 12, 31),
                          name="Báo cáo thống kê cán bộ năm 2026")  # fmt: skip
    r.refresh_from_db()
    assert r.task.deadline == dt.date(2026, 12, 31)
    assert r.task.directive.title == "Báo cáo thống kê cán bộ năm 2026"
    with pytest.raises(TypeError):
        services.round_update(actor=province_editor, report_round=r, period_end=CUT_OFF)
    with pytest.raises(PermissionDenied, match="quyền"):
        services.round_update(actor=world.editor_a, report_round=r, note="x")
