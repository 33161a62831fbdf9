"""What-if on a case: the findings if it were decided on another day, or its dossier were
complete on another day; nothing written; the API answers before and after."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from canbo.accounts.models import Role
from canbo.appointments import services
from canbo.appointments.choices import CaseKind
from canbo.appointments.models import AppointmentCase
from canbo.appointments.what_if import case_what_if
from canbo.core.models import AccessEvent, AuditEvent
from canbo.planning import services as planning
from tests.factories import UserFactory, grant
from tests.planning.factories import make_person, make_position, make_term

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 4, 30)


@pytest.fixture
def case(world):
    post = make_position(world.xa, "X-BT", "Bí thư Đảng ủy xã", 40)
    hoa = make_person("Nguyễn", "Thị", "Hoa", "F", dt.date(1980, 4, 5), unit=world.xa,
                      id_number="001180000123")  # fmt: skip
    plan = planning.plan_create(actor=None, planning_unit=world.xa, term=make_term(2025, 2030),
                                name="Quy hoạch 2025–2030", positions=[post])  # fmt: skip
    planning.entry_add(actor=None, plan=plan, person=hoa, position=post, added_on=dt.date(2025, 1, 5))
    return services.case_open(actor=world.editor_a, person=hoa, kind=CaseKind.APPOINT, position=post,
                              competent_unit=world.xa, opened_on=dt.date(2026, 3, 2), internal=False,
                              dossier_received_on=dt.date(2026, 3, 3))  # fmt: skip


def rules(findings):
    return [(f.rule, f.reason) for f in findings]


def test_deciding_before_the_dossier_is_complete_would_break_a5(case):
    audit = AuditEvent.objects.count()
    result = case_what_if(case, as_of=AS_OF, changes={"decision_date": dt.date(2026, 3, 20)})
    assert (rules(result.before), rules(result.after)) == ([], [("A5", "")])
    complete = case_what_if(case, as_of=AS_OF, changes={
        "dossier_complete_on": dt.date(2026, 3, 5), "decision_date": dt.date(2026, 3, 20)})  # fmt: skip
    assert rules(complete.after) == []
    # Complete on 05/03, decided 30/04: more than 15 working days (A7, late).
    late = case_what_if(case, as_of=AS_OF, changes={
        "dossier_complete_on": dt.date(2026, 3, 5), "decision_date": dt.date(2026, 4, 30)})  # fmt: skip
    assert rules(late.after) == [("A7", "late")]
    assert AuditEvent.objects.count() == audit  # nothing written
    case.refresh_from_db()
    assert (case.decision_date, case.dossier_complete_on, case.closed_on) == (None, None, None)


def test_what_cannot_be_tried_is_refused(case):
    with pytest.raises(ValidationError) as exc:
        case_what_if(case, as_of=AS_OF, changes={"person": 1})
    assert exc.value.messages == ["Không thử được thay đổi: person."]
    with pytest.raises(ValidationError) as exc:
        case_what_if(case, as_of=AS_OF, changes={"decision_date": dt.date(2026, 5, 2)})
    assert exc.value.message_dict == {"decision_date": ["Ngày quyết định thử không được sau ngày xem."]}
    with pytest.raises(ValidationError):
        case_what_if(case, as_of=dt.date(2026, 3, 1), changes={})


def test_the_api_answers_before_and_after_and_logs_the_read(world, case):
    api = APIClient()
    api.force_authenticate(world.viewer_a)  # a read: viewers may try
    answer = api.post(f"/api/appointment-cases/{case.pk}/what-if/",
                      {"as_of": "30/04/2026", "decision_date": "20/03/2026"}, format="json")  # fmt: skip
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert (body["as_of"], body["rule_set"], body["before"]) == ("2026-04-30", "QĐ 377/2025", [])
    assert [(f["rule"], f["case"]["id"], f["person"]) for f in body["after"]] == [
        ("A5", case.pk, "001180000123")]  # fmt: skip
    assert AccessEvent.objects.filter(kind="case", query="what-if").count() == 1
    assert AppointmentCase.objects.get(pk=case.pk).closed_on is None
    bad = api.post(f"/api/appointment-cases/{case.pk}/what-if/", {"decision_date": "31/02/2026"},
                   format="json")  # fmt: skip
    assert bad.status_code == 400


def test_the_what_if_page_shows_before_and_after_and_writes_nothing(client, world, case):
    client.force_login(world.viewer_a)
    detail = client.get(f"/appointments/{case.pk}/").content.decode()
    assert f'href="/appointments/{case.pk}/what-if/"' in detail
    blank = client.get(f"/appointments/{case.pk}/what-if/")
    assert blank.status_code == 200 and 'id="what-if-before"' not in blank.content.decode()
    page = client.get(f"/appointments/{case.pk}/what-if/",
                      {"as_of": "30/04/2026", "decision_date": "20/03/2026"}).content.decode()  # fmt: skip
    after = page.split('id="what-if-after"', 1)[1]
    assert 'data-rule="A5"' in after and 'data-rule="A5"' not in page.split('id="what-if-after"')[0]
    assert "Không có lỗi, cảnh báo nào." in page.split('id="what-if-after"')[0]
    wrong = client.get(f"/appointments/{case.pk}/what-if/",
                       {"as_of": "30/04/2026", "decision_date": "02/05/2026"}).content.decode()  # fmt: skip
    assert "Ngày quyết định thử không được sau ngày xem." in wrong
    assert AppointmentCase.objects.get(pk=case.pk).closed_on is None
    # Another commune's viewer: not found.
    other = UserFactory(username="xem_b", role=Role.VIEWER)
    grant(other, world.xb)
    client.force_login(other)
    assert client.get(f"/appointments/{case.pk}/what-if/").status_code == 404
