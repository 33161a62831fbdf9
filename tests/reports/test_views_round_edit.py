"""Editing a round from its page: the name, deadline and note, for the editors of the
issuing unit; what is refused and what stays fixed."""

import datetime as dt

import pytest

from canbo.accounts.models import Role
from canbo.core.models import AuditEvent
from canbo.reports.models import ReportRound
from tests.factories import UserFactory, grant, make_unit

from . import test_rounds_setup as setup
from .test_rounds_setup import CUT_OFF, DEADLINE
from .test_views_rounds import client_for, text

p, province_editor, editor_b, r = setup.p, setup.province_editor, setup.editor_b, setup.r  # fixtures

pytestmark = pytest.mark.django_db


def test_the_issuer_changes_name_deadline_and_note(world, r, province_editor):
    client = client_for(province_editor)
    page = text(client.get(f"/reports/rounds/{r.pk}/"))
    assert f'href="/reports/rounds/{r.pk}/edit/"' in page
    page = text(client.get(f"/reports/rounds/{r.pk}/edit/"))
    assert f'value="{r.name}"' in page and 'value="21/12/2026"' in page
    assert "chốt số liệu ngày 14/12/2026, biểu TK-CB" in page  # what stays fixed
    answer = client.post(f"/reports/rounds/{r.pk}/edit/", {
        "name": "  Báo cáo thống kê   cán bộ năm 2026 ", "deadline": "31/12/2026",
        "note": "Gửi kèm bản ký số."})  # fmt: skip
    assert answer.status_code == 302 and answer["Location"] == f"/reports/rounds/{r.pk}/"
    r.refresh_from_db()
    assert (r.name, r.deadline, r.note) == ("Báo cáo thống kê cán bộ năm 2026",
                                            dt.date(2026, 12, 31), "Gửi kèm bản ký số.")  # fmt: skip
    assert r.task.deadline == dt.date(2026, 12, 31)
    assert r.task.directive.title == "Báo cáo thống kê cán bộ năm 2026"
    assert (r.period_end, r.form_codes) == (CUT_OFF, ["TK-CB"])
    event = AuditEvent.objects.filter(object_id=str(r.pk), action="update",
                                      content_type__model="reportround").get()  # fmt: skip
    assert event.changes["deadline"] == ["2026-12-21", "2026-12-31"]
    page = text(client.get(f"/reports/rounds/{r.pk}/"))
    assert "Đã lưu đợt báo cáo “Báo cáo thống kê cán bộ năm 2026”." in page
    assert "31/12/2026" in page


def test_errors_are_shown_and_nothing_changes(world, r, province_editor):
    client = client_for(province_editor)
    before = ReportRound.objects.values().get(pk=r.pk)
    page = text(client.post(f"/reports/rounds/{r.pk}/edit/",
                            {"name": " ", "deadline": "32/12/2026", "note": ""}))  # fmt: skip
    assert "Hãy nhập tên đợt báo cáo." in page
    assert "32/12/2026" in page  # what was typed stays in the box
    page = text(client.post(f"/reports/rounds/{r.pk}/edit/", {"name": "Đợt 2026", "deadline": ""}))
    assert "Hãy nhập hạn gửi báo cáo." in page
    page = text(client.post(f"/reports/rounds/{r.pk}/edit/",
                            {"name": "Đợt 2026", "deadline": "13/12/2026"}))  # fmt: skip
    assert "Hạn gửi báo cáo không được trước ngày chốt số liệu." in page
    assert ReportRound.objects.values().get(pk=r.pk) == before
    assert r.task.deadline == DEADLINE


def test_a_reporting_unit_reads_the_round_but_cannot_edit_it(world, r, editor_b):
    client = client_for(editor_b)
    page = text(client.get(f"/reports/rounds/{r.pk}/"))
    assert 'id="round-edit"' not in page
    for answer in (client.get(f"/reports/rounds/{r.pk}/edit/", follow=True),
                   client.post(f"/reports/rounds/{r.pk}/edit/",
                               {"name": "Đổi tên", "deadline": "31/12/2026"}, follow=True)):  # fmt: skip
        assert answer.redirect_chain == [(f"/reports/rounds/{r.pk}/", 302)]
        assert "Chỉ người được sửa dữ liệu của" in text(answer)
    r.refresh_from_db()
    assert r.name != "Đổi tên" and r.deadline == DEADLINE


def test_a_round_out_of_sight_is_not_found(world, r):
    other = make_unit("KHAC", "Tỉnh ủy Khác")
    stranger = UserFactory(username="sua_khac", role=Role.EDITOR)
    grant(stranger, other)
    client = client_for(stranger)
    assert client.get(f"/reports/rounds/{r.pk}/edit/").status_code == 404
    answer = client.post(f"/reports/rounds/{r.pk}/edit/", {"name": "Đổi", "deadline": "31/12/2026"})
    assert answer.status_code == 404
    assert ReportRound.objects.get(pk=r.pk).name == r.name
