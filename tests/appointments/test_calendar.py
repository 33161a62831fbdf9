"""The reappointment calendar: terms of office ending in the coming months (A8's notice)."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from canbo.appointments import services
from canbo.appointments.choices import CaseKind, CaseOutcome
from canbo.appointments.selectors import reappointment_calendar
from tests.planning.factories import make_person, make_position

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 3, 1)


def decided(person, position, unit, *, kind=CaseKind.APPOINT, decided_on, term_end=None):
    case = services.case_open(actor=None, person=person, kind=kind, position=position,
                              competent_unit=unit, opened_on=decided_on - dt.timedelta(days=20))  # fmt: skip
    return services.case_close(actor=None, case=case, closed_on=decided_on,
                               outcome=CaseOutcome.DECIDED, decision_number="1-QĐ",
                               decision_date=decided_on, term_end=term_end)  # fmt: skip


@pytest.fixture
def calendar_world(world):
    w = world
    head_a = make_position(w.xa, "X-BT", "Bí thư Đảng ủy xã", 40)
    deputy_a = make_position(w.xa, "X-PBT", "Phó Bí thư Đảng ủy xã", 35)
    chair_a = make_position(w.xa, "X-CT", "Chủ tịch UBND xã", 38)
    head_b = make_position(w.xb, "X-BT", "Bí thư Đảng ủy xã", 40)
    people = [make_person("Nguyễn", "Văn", f"Số{i}", "M", dt.date(1975, 1, 1) + dt.timedelta(days=i),
                          unit=w.xa) for i in range(6)]  # fmt: skip
    ends_soon = decided(people[0], head_a, w.xa, decided_on=dt.date(2021, 4, 1))  # 31/03/2026
    under_way = decided(people[1], deputy_a, w.xa, decided_on=dt.date(2022, 2, 1))  # 31/01/2027
    services.case_open(actor=None, person=people[1], kind=CaseKind.REAPPOINT, position=deputy_a,
                       competent_unit=w.xa, opened_on=dt.date(2026, 2, 1))  # fmt: skip
    decided(people[2], chair_a, w.xa, decided_on=dt.date(2023, 6, 1))  # 31/05/2028: later
    # Reappointed already: the old term no longer ends anything.
    decided(people[3], chair_a, w.xa, decided_on=dt.date(2021, 6, 1))
    decided(people[3], chair_a, w.xa, kind=CaseKind.REAPPOINT, decided_on=dt.date(2026, 2, 20))
    decided(people[4], head_b, w.xb, decided_on=dt.date(2021, 5, 1))  # another commune
    return ends_soon, under_way


def test_the_calendar_lists_the_terms_ending_within_the_months(world, calendar_world,
                                                                 admin_user, django_assert_num_queries):  # fmt: skip
    ends_soon, under_way = calendar_world
    with django_assert_num_queries(4):  # grants, the cases, the rule set in force (two)
        endings = reappointment_calendar(world.viewer_a, as_of=AS_OF)
    assert [(e.case.pk, e.term_end, e.notice_by, e.under_way) for e in endings] == [
        (ends_soon.pk, dt.date(2026, 3, 31), dt.date(2025, 11, 24), False),
        (under_way.pk, dt.date(2027, 1, 31), dt.date(2026, 9, 25), True),
    ]
    assert len(reappointment_calendar(admin_user, as_of=AS_OF)) == 3  # commune B's too
    assert [e.case.pk for e in reappointment_calendar(world.viewer_a, as_of=AS_OF, months=6)] == [
        ends_soon.pk
    ]
    assert reappointment_calendar(world.viewer_a, as_of=AS_OF, unit=world.xb) == []
    # A term ending on its last day is still listed that day, not the day after.
    assert len(reappointment_calendar(world.viewer_a, as_of=dt.date(2026, 3, 31), months=1)) == 1
    assert reappointment_calendar(world.viewer_a, as_of=dt.date(2026, 4, 1), months=1) == []


def test_the_calendar_through_the_api(world, calendar_world):
    ends_soon, _ = calendar_world
    api = APIClient()
    api.force_authenticate(world.viewer_a)
    answer = api.get("/api/appointment-cases/calendar/", {"as_of": "01/03/2026", "months": 6})
    assert answer.status_code == 200
    [row] = answer.json()
    assert (row["case"]["id"], row["term_end"], row["notice_by"], row["under_way"]) == (
        ends_soon.pk, "2026-03-31", "2025-11-24", False)  # fmt: skip
    assert api.get("/api/appointment-cases/calendar/", {"unit": "XB"}).status_code == 404
    assert api.get("/api/appointment-cases/calendar/", {"months": 0}).status_code == 400
