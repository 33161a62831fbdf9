"""Appointment cases: opening, the dossier, closing; scope, guards and audit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from canbo.appointments import services
from canbo.appointments.choices import CaseKind, CaseOutcome
from canbo.appointments.models import AppointmentCase
from canbo.appointments.selectors import cases
from canbo.core.models import AuditEvent
from tests.planning.factories import make_person, make_position

pytestmark = pytest.mark.django_db

OPENED = dt.date(2026, 3, 2)


@pytest.fixture
def posts(world):
    class Posts:
        director = make_position(world.tu, "GD", "Giám đốc Sở", 70)
        secretary_a = make_position(world.xa, "X-BT", "Bí thư Đảng ủy xã", 40)
        secretary_b = make_position(world.xb, "X-BT", "Bí thư Đảng ủy xã", 40)

    return Posts


@pytest.fixture
def hoa(world):
    person = make_person("Nguyễn", "Thị", "Hoa", "F", dt.date(1980, 4, 5))
    person.unit = world.xa
    person.save()
    return person


def opened(world, posts, hoa, actor=None, **extra):
    values = {"person": hoa, "kind": CaseKind.APPOINT, "position": posts.secretary_a,
              "competent_unit": world.xa, "opened_on": OPENED, **extra}  # fmt: skip
    return services.case_open(actor=actor, **values)


def audit(case):
    return [
        (e.action, e.actor.username if e.actor else None, e.changes)
        for e in AuditEvent.objects.filter(object_id=str(case.pk), content_type__model="appointmentcase").order_by("id")
    ]  # fmt: skip


def test_an_editor_opens_a_case_of_their_unit_and_it_is_audited(world, posts, hoa):
    case = opened(world, posts, hoa, actor=world.editor_a, dossier_received_on=dt.date(2026, 3, 5))
    case.refresh_from_db()
    assert (case.kind, case.position, case.competent_unit, case.opened_on, case.closed_on,
            case.outcome, case.internal) == (
        CaseKind.APPOINT, posts.secretary_a, world.xa, OPENED, None, "", True)  # fmt: skip
    [(action, actor, changes)] = audit(case)
    assert (action, actor) == ("create", "sua_a")
    assert changes["opened_on"] == [None, "2026-03-02"]
    assert changes["dossier_received_on"] == [None, "2026-03-05"]
    assert changes["kind"] == [None, "appoint"]
    assert case.is_open_on(OPENED) and not case.is_open_on(OPENED - dt.timedelta(days=1))


@pytest.mark.parametrize("who", ["viewer_a", "editor_a"])
def test_a_case_outside_the_actors_units_is_refused_and_nothing_is_written(
    world, posts, hoa, who
):
    actor = getattr(world, who)
    # The province decides (competent body TU); a commune grant does not reach it, nor
    # the sister commune.
    for unit, post in ((world.tu, posts.director), (world.xb, posts.secretary_b)):
        with pytest.raises(PermissionDenied):
            opened(world, posts, hoa, actor=actor, competent_unit=unit, position=post)
    if who == "viewer_a":
        with pytest.raises(PermissionDenied):
            opened(world, posts, hoa, actor=actor)
    assert AppointmentCase.objects.count() == 0
    assert not AuditEvent.objects.filter(content_type__model="appointmentcase").exists()


def test_opening_guards(world, posts, hoa):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    bad = [
        # The post must lie in the competent body's subtree.
        ({"competent_unit": world.xa, "position": posts.director}, "position"),
        ({"competent_unit": world.xa, "position": posts.secretary_b}, "position"),
        ({"opened_on": tomorrow}, "opened_on"),
        ({"dossier_received_on": OPENED - dt.timedelta(days=1)}, "dossier_received_on"),
    ]
    for extra, field in bad:
        with pytest.raises(ValidationError) as error:
            opened(world, posts, hoa, **extra)
        assert field in error.value.message_dict, extra
    assert AppointmentCase.objects.count() == 0
    # The province body may decide on a commune post (its subtree).
    opened(world, posts, hoa, competent_unit=world.tu)
    with pytest.raises(ValidationError, match="đang mở từ 02/03/2026"):
        opened(world, posts, hoa, competent_unit=world.tu)
    assert AppointmentCase.objects.count() == 1
    # The commune's editor is not told of the province's case (outside their scope).
    opened(world, posts, hoa, actor=world.editor_a)
    assert AppointmentCase.objects.count() == 2


def test_the_dossier_dates_are_checked_and_audited_with_before_and_after(world, posts, hoa):
    case = opened(world, posts, hoa)
    with pytest.raises(ValidationError) as error:
        services.case_record_dossier(actor=None, case=case, received_on=dt.date(2026, 3, 10),
                                     complete_on=dt.date(2026, 3, 9))  # fmt: skip
    assert "__all__" in error.value.message_dict
    assert "hồ sơ đầy đủ không được trước" in str(error.value)
    with pytest.raises(ValidationError):  # complete without received
        services.case_record_dossier(actor=None, case=case, received_on=None,
                                     complete_on=dt.date(2026, 3, 9))  # fmt: skip
    with pytest.raises(ValidationError):
        services.case_record_dossier(actor=None, case=case, received_on=dt.date(2026, 3, 1),
                                     complete_on=None)  # fmt: skip
    case.refresh_from_db()
    assert (case.dossier_received_on, case.dossier_complete_on) == (None, None)
    services.case_record_dossier(actor=world.editor_a, case=case,
                                 received_on=dt.date(2026, 3, 10), complete_on=dt.date(2026, 3, 12))  # fmt: skip
    assert audit(case)[-1] == (
        "update",
        "sua_a",
        {"dossier_complete_on": [None, "2026-03-12"], "dossier_received_on": [None, "2026-03-10"]},
    )
    with pytest.raises(PermissionDenied):
        services.case_record_dossier(actor=world.viewer_a, case=case, received_on=None,
                                     complete_on=None)  # fmt: skip


def test_closing_with_a_decision_gives_a_five_year_term(world, posts, hoa):
    case = opened(world, posts, hoa, opened_on=dt.date(2024, 1, 2))
    services.case_close(actor=world.editor_a, case=case, closed_on=dt.date(2024, 3, 1),
                        outcome=CaseOutcome.DECIDED, decision_number=" 12-QĐ/ĐU ",
                        decision_date=dt.date(2024, 2, 29))  # fmt: skip
    case.refresh_from_db()
    assert (case.closed_on, case.outcome, case.decision_number, case.decision_date,
            case.term_start, case.term_end) == (
        dt.date(2024, 3, 1), "decided", "12-QĐ/ĐU", dt.date(2024, 2, 29),
        dt.date(2024, 2, 29), dt.date(2029, 2, 28))  # fmt: skip
    assert audit(case)[-1][2]["term_end"] == [None, "2029-02-28"]
    assert not case.is_open_on(dt.date(2024, 3, 1)) and case.is_open_on(dt.date(2024, 2, 29))
    with pytest.raises(ValidationError, match="đã kết thúc ngày 01/03/2024"):
        services.case_close(actor=None, case=case, closed_on=dt.date(2024, 3, 2),
                            outcome=CaseOutcome.STOPPED)  # fmt: skip
    assert services.term_end_for(dt.date(2025, 7, 1)) == dt.date(2030, 6, 30)


def test_closing_guards_leave_the_case_open(world, posts, hoa):
    case = opened(world, posts, hoa)
    decided = {"outcome": CaseOutcome.DECIDED, "decision_number": "1-QĐ",
               "decision_date": dt.date(2026, 3, 20), "closed_on": dt.date(2026, 3, 20)}  # fmt: skip
    bad = [
        {**decided, "closed_on": dt.date(2026, 3, 1), "decision_date": dt.date(2026, 3, 1)},
        {**decided, "decision_date": dt.date(2026, 3, 1)},  # decision before the case opened
        {**decided, "decision_date": dt.date(2026, 3, 21)},  # decision after the close
        {**decided, "decision_number": " "},
        {**decided, "decision_date": None},
        {**decided, "term_start": dt.date(2026, 4, 1), "term_end": dt.date(2026, 3, 31)},
        {**decided, "outcome": "won"},
        {"outcome": CaseOutcome.STOPPED, "closed_on": dt.date(2026, 3, 20), "decision_number": "1"},
        {"outcome": CaseOutcome.STOPPED, "closed_on": dt.date.today() + dt.timedelta(days=1)},
    ]
    for values in bad:
        with pytest.raises(ValidationError):
            services.case_close(actor=None, case=case, **values)
        case.refresh_from_db()
        assert (case.closed_on, case.outcome, case.decision_number) == (None, "", ""), values
    with pytest.raises(PermissionDenied):
        services.case_close(actor=world.viewer_a, case=case, **decided)
    assert len(audit(case)) == 1  # only its creation


def test_cases_are_read_within_the_users_scope(world, posts, hoa, admin_user):
    mine = opened(world, posts, hoa)
    theirs = opened(world, posts, hoa, competent_unit=world.xb, position=posts.secretary_b)
    province = opened(world, posts, hoa, competent_unit=world.tu, position=posts.director)
    assert set(cases(world.viewer_a)) == {mine}
    assert set(cases(admin_user)) == {mine, theirs, province}
    services.case_close(actor=None, case=theirs, closed_on=dt.date(2026, 3, 3),
                        outcome=CaseOutcome.STOPPED)  # fmt: skip
    assert set(cases(admin_user, on=dt.date(2026, 3, 3))) == {mine, province}
    with CaptureQueriesContext(connection) as ctx:
        rows = [(c.person.full_name, c.position.title.name, c.competent_unit.name)
                for c in cases(admin_user)]  # fmt: skip
    assert len(rows) == 3 and len(ctx.captured_queries) == 1


def test_a_decision_is_written_into_the_work_history(world, posts, hoa):
    from canbo.people.models import Assignment

    case = opened(world, posts, hoa, actor=world.editor_a, opened_on=dt.date(2026, 1, 5))
    services.case_close(actor=world.editor_a, case=case, closed_on=dt.date(2026, 2, 10),
                        outcome=CaseOutcome.DECIDED, decision_number="7-QĐ/ĐU",
                        decision_date=dt.date(2026, 2, 9), term_start=dt.date(2026, 2, 15))  # fmt: skip
    [row] = Assignment.objects.filter(person=hoa)
    assert (row.position, row.start_date, row.end_date, row.how, row.decision_number,
            row.unit_name, row.title_name) == (
        posts.secretary_a, dt.date(2026, 2, 15), None, "appointed", "7-QĐ/ĐU",
        "Đảng ủy xã An Bình", "Bí thư Đảng ủy xã")  # fmt: skip
    assert AuditEvent.objects.filter(content_type__model="assignment", action="create",
                                     actor=world.editor_a).count() == 1  # fmt: skip
    # A reappointment continues the post: nothing new.
    again = opened(world, posts, hoa, kind=CaseKind.REAPPOINT, opened_on=dt.date(2026, 2, 20))
    services.case_close(actor=None, case=again, closed_on=dt.date(2026, 2, 25),
                        outcome=CaseOutcome.DECIDED, decision_number="8-QĐ/ĐU",
                        decision_date=dt.date(2026, 2, 25))  # fmt: skip
    assert Assignment.objects.filter(person=hoa).count() == 1
    # A dismissal ends the post on the decision's day.
    out = opened(world, posts, hoa, kind=CaseKind.DISMISS, opened_on=dt.date(2026, 2, 26))
    services.case_close(actor=None, case=out, closed_on=dt.date(2026, 3, 2),
                        outcome=CaseOutcome.DECIDED, decision_number="9-QĐ/ĐU",
                        decision_date=dt.date(2026, 3, 1))  # fmt: skip
    row.refresh_from_db()
    assert (row.end_date, row.note) == (dt.date(2026, 3, 1), "Miễn nhiệm theo quyết định 9-QĐ/ĐU")
    out.refresh_from_db()
    assert (out.term_start, out.term_end) == (None, None)


def test_a_decision_about_someone_outside_the_actors_units_changes_nothing(world, posts, hoa):
    from canbo.people.models import Assignment

    hoa.unit = world.xb  # managed by the other commune
    hoa.save()
    case = opened(world, posts, hoa, actor=world.editor_a)
    with pytest.raises(PermissionDenied):
        services.case_close(actor=world.editor_a, case=case, closed_on=dt.date(2026, 3, 2),
                            outcome=CaseOutcome.DECIDED, decision_number="7-QĐ/ĐU",
                            decision_date=dt.date(2026, 3, 2))  # fmt: skip
    case.refresh_from_db()
    assert (case.closed_on, case.outcome) == (None, "")
    assert not Assignment.objects.exists()
