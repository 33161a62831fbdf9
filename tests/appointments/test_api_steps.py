"""The steps' REST API: record, enter the tally twice, see differences, close; scope."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from canbo.accounts.models import Role
from canbo.appointments import services, steps
from canbo.appointments.choices import CaseKind
from canbo.core.models import AccessEvent
from tests.factories import UserFactory, grant
from tests.planning.factories import make_person, make_position

pytestmark = pytest.mark.django_db

OPENED = dt.date(2026, 3, 2)


def client_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def case(world):
    post = make_position(world.xa, "X-PBT", "Phó Bí thư Đảng ủy xã", 35)
    hoa = make_person("Nguyễn", "Thị", "Hoa", "F", dt.date(1980, 4, 5), unit=world.xa,
                      id_number="001180000123")  # fmt: skip
    make_person("Trần", "Văn", "Lan", "M", dt.date(1979, 1, 9), unit=world.xa,
                id_number="001079000456")  # fmt: skip
    case = services.case_open(actor=world.editor_a, person=hoa, kind=CaseKind.APPOINT,
                              position=post, competent_unit=world.xa, opened_on=OPENED)  # fmt: skip
    for n in range(1, 5):
        steps.step_record(actor=world.editor_a, case=case, number=n,
                          held_on=OPENED + dt.timedelta(days=n), summoned=14, present=12)  # fmt: skip
        if n > 1:
            st = case.steps.get(number=n)
            for r, user in ((1, world.editor_a), (2, second(world))):
                steps.tally_enter(actor=user, step=st, round_no=r, ballots_valid=12,
                                  ballots_invalid=0, votes=[steps.Votes(hoa, 10, 2)])  # fmt: skip
        steps.step_close(actor=world.editor_a, step=case.steps.get(number=n),
                         closed_on=OPENED + dt.timedelta(days=n))  # fmt: skip
    return case


def second(world):
    user = getattr(world, "second", None)
    if user is None:
        user = world.second = UserFactory(username="sua_a2", role=Role.EDITOR)
        grant(user, world.xa)
    return user


def tally(hoa_for, round_no):
    return {"round": round_no, "ballots_valid": 12, "ballots_invalid": 0, "votes": [
        {"person": "0011 8000 0123", "votes_for": hoa_for, "votes_against": 12 - hoa_for},
        {"person": "001079000456", "votes_for": 2, "votes_against": 10}]}  # fmt: skip


def test_step_five_from_meeting_to_result_through_the_api(world, case):
    url = f"/api/appointment-cases/{case.pk}/steps/"
    first, other = client_for(world.editor_a), client_for(second(world))
    made = first.post(url, {"number": 5, "held_on": "10/03/2026", "summoned": 14, "present": 13},
                      format="json")  # fmt: skip
    assert made.status_code == 201, made.json()
    assert [s["number"] for s in made.json()] == [1, 2, 3, 4, 5]
    assert first.post(url + "5/tally/", tally(7, 1), format="json").status_code == 200
    # The second typist sees that round 1 is in, not its figures.
    seen = other.get(url).json()[4]
    assert (seen["entered_rounds"], seen["tallies"], seen["differences"]) == ([1], [], [])
    # The same user cannot type both entries.
    twice = first.post(url + "5/tally/", tally(7, 2), format="json")
    assert twice.status_code == 400
    assert "hai người khác nhau" in str(twice.json())
    answer = other.post(url + "5/tally/", tally(8, 2), format="json")
    assert answer.status_code == 200
    five = answer.json()[4]
    assert [t["round"] for t in five["tallies"]] == [1, 2]
    assert five["differences"] == [
        {"person": "001180000123", "figure": "votes_against", "first": 5, "second": 4},
        {"person": "001180000123", "figure": "votes_for", "first": 7, "second": 8},
    ]
    refused = first.post(url + "5/close/", {"closed_on": "10/03/2026"}, format="json")
    assert refused.status_code == 400
    assert "còn 2 chỗ khác nhau" in str(refused.json())
    assert other.post(url + "5/tally/", tally(7, 2), format="json").status_code == 200
    no_head = first.post(url + "5/close/", {"closed_on": "10/03/2026"}, format="json")
    assert no_head.status_code == 400  # 7 of 14: exactly half, the head decides
    assert "người đứng đầu" in str(no_head.json())
    closed = first.post(url + "5/close/", {"closed_on": "10/03/2026", "head_agrees": True},
                        format="json")  # fmt: skip
    assert closed.status_code == 200
    assert (closed.json()[4]["closed_on"], closed.json()[4]["result"]) == ("2026-03-10", "head_agreed")
    # Every answer that showed the steps was logged (not the refusals).
    assert AccessEvent.objects.filter(kind="case", query="steps").count() == 6


def test_an_unknown_candidate_and_a_missing_step_are_clear_errors(world, case):
    url = f"/api/appointment-cases/{case.pk}/steps/"
    api = client_for(world.editor_a)
    assert api.post(url + "5/tally/", tally(7, 1), format="json").status_code == 404
    api.post(url, {"number": 5, "held_on": "10/03/2026", "summoned": 14, "present": 13}, format="json")
    body = tally(7, 1)
    body["votes"][1]["person"] = "009999999999"
    bad = api.post(url + "5/tally/", body, format="json")
    assert bad.status_code == 400
    assert "Không có cán bộ với số định danh này." in str(bad.json())


def test_a_viewer_reads_but_cannot_write_and_another_commune_sees_nothing(world, case):
    url = f"/api/appointment-cases/{case.pk}/steps/"
    viewer = client_for(world.viewer_a)
    assert viewer.get(url).status_code == 200
    assert viewer.get(url).json()[1]["tallies"][0]["lines"][0]["votes_for"] == 10  # closed step
    assert viewer.post(url, {"number": 5, "held_on": "10/03/2026", "summoned": 14,
                             "present": 13}, format="json").status_code == 403  # fmt: skip
    outsider = UserFactory(username="sua_b", role=Role.EDITOR)
    grant(outsider, world.xb)
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).post(url + "2/close/", {"closed_on": "10/03/2026"},
                                     format="json").status_code == 404  # fmt: skip
    assert client_for(outsider).post(url + "5/tally/", tally(7, 1), format="json").status_code == 404
