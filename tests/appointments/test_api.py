"""The cases' REST API: open, dossier, close, read; errors in Vietnamese; reads logged."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from canbo.appointments.models import AppointmentCase
from canbo.core.models import AccessEvent
from canbo.people.models import Assignment
from tests.planning.factories import make_person, make_position

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(world):
    api = APIClient()
    api.force_authenticate(world.editor_a)
    return api


@pytest.fixture
def post(world):
    return make_position(world.xa, "X-BT", "Bí thư Đảng ủy xã", 40)


@pytest.fixture
def hoa(world):
    person = make_person("Nguyễn", "Thị", "Hoa", "F", dt.date(1980, 4, 5), unit=world.xa,
                         id_number="001180000123")  # fmt: skip
    return person


def test_a_case_from_opening_to_decision(client, world, post, hoa):
    opened = client.post("/api/appointment-cases/", {
        "person": "0011 8000 0123", "kind": "appoint", "position": post.pk,
        "competent_unit": "XA", "opened_on": "02/03/2026"}, format="json")  # fmt: skip
    assert opened.status_code == 201, opened.json()
    case_id = opened.json()["id"]
    assert opened.json() | {"id": 0} == {
        "id": 0, "kind": "appoint",
        "person": {"id_number": "001180000123", "full_name": "Nguyễn Thị Hoa"},
        "position": {"id": post.pk, "name": "Bí thư Đảng ủy xã – Đảng ủy xã An Bình"},
        "competent_unit": "XA", "internal": True, "opened_on": "2026-03-02",
        "dossier_received_on": None, "dossier_complete_on": None, "closed_on": None,
        "outcome": "", "decision_number": "", "decision_date": None, "term_start": None,
        "term_end": None, "election_on": None, "seats": None, "note": "",
    }  # fmt: skip
    url = f"/api/appointment-cases/{case_id}/"
    dossier = client.post(url + "dossier/", {"received_on": "2026-03-03",
                                             "complete_on": "2026-03-02"}, format="json")  # fmt: skip
    assert dossier.status_code == 400
    assert "hồ sơ đầy đủ không được trước" in str(dossier.json())
    assert client.post(url + "dossier/", {"received_on": "2026-03-03", "complete_on": "2026-03-05"},
                       format="json").status_code == 200  # fmt: skip
    early = client.post(url + "close/", {"closed_on": "2026-03-01", "outcome": "decided",
                                         "decision_number": "1", "decision_date": "2026-03-01"},
                        format="json")  # fmt: skip
    assert early.status_code == 400
    closed = client.post(url + "close/", {"closed_on": "2026-03-10", "outcome": "decided",
                                          "decision_number": "5-QĐ/ĐU", "decision_date": "2026-03-09"},
                         format="json")  # fmt: skip
    assert closed.status_code == 200
    assert (closed.json()["term_start"], closed.json()["term_end"]) == ("2026-03-09", "2031-03-08")
    assert Assignment.objects.get(person=hoa).start_date == dt.date(2026, 3, 9)
    # Reading a case names a person: logged.
    before = AccessEvent.objects.filter(kind="case").count()
    assert client.get(url).status_code == 200
    assert AccessEvent.objects.filter(kind="case").count() == before + 1
    listed = client.get("/api/appointment-cases/")
    assert [c["id"] for c in listed.json()["results"]] == [case_id]
    assert AccessEvent.objects.filter(kind="list", query="").exists()


def test_names_outside_the_users_reach_are_not_found(client, world, post, hoa):
    other = make_person("Trần", "Văn", "Bình", "M", dt.date(1979, 1, 1), unit=world.xb,
                        id_number="001079000456")  # fmt: skip
    body = {"person": other.id_number, "kind": "appoint", "position": post.pk,
            "competent_unit": "XA", "opened_on": "2026-03-02"}  # fmt: skip
    answer = client.post("/api/appointment-cases/", body, format="json")
    assert answer.status_code == 400
    assert answer.json()["person"] == ["Không có cán bộ với số định danh cá nhân này."]
    province = client.post("/api/appointment-cases/", {**body, "person": hoa.id_number,
                                                       "competent_unit": "TU"}, format="json")  # fmt: skip
    assert province.status_code == 400
    assert province.json()["competent_unit"] == ["Không có đơn vị với mã này."]
    assert not AppointmentCase.objects.exists()
