"""The sessions' and rounds' REST API: create, list, tallies by two entrants, close; reads
logged; the other entrant's figures hidden until both are in; outside the scope, 404."""

import pytest
from rest_framework.test import APIClient

from canbo.core.models import AccessEvent
from canbo.people.models import ConfidenceVote, Evaluation
from canbo.reviews.models import VoteSession

from .conftest import make_session

pytestmark = pytest.mark.django_db


def client_of(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def rows(low):
    return [{"person": "001075000101", "high": 10, "normal": 27 - 10 - low, "low": low}]


def test_a_session_from_creation_to_close(world, people, second_editor):
    first, second = client_of(world.editor_a), client_of(second_editor)
    made = first.post("/api/vote-sessions/", {"unit": "XA", "year": 2025, "held_on": "15/12/2025",
                                              "summoned": 30, "present": 27}, format="json")  # fmt: skip
    assert made.status_code == 201, made.json()
    url = f"/api/vote-sessions/{made.json()['id']}/"
    assert made.json() | {"id": 0} == {
        "id": 0, "unit": "XA", "year": 2025, "held_on": "2025-12-15", "summoned": 30,
        "present": 27, "base_rule": "summoned", "ballots_returned": None, "closed_on": None,
        "note": "", "subjects": [],
        "tallies": {"first_entrant": None, "second_entrant": None, "visible_rounds": [],
                    "entries": [], "differences": None},
    }  # fmt: skip
    assert first.post(url + "subjects/", {"person": "0010 7500 0101"}, format="json").status_code == 201
    entered = first.post(url + "tallies/", {"round_no": 1, "rows": rows(5)}, format="json")
    assert entered.status_code == 200, entered.json()
    # The second entrant sees neither the first entry nor differences before typing theirs.
    hidden = second.get(url).json()["tallies"]
    assert (hidden["first_entrant"], hidden["visible_rounds"], hidden["entries"]) == ("sua_a", [], [])
    same = first.post(url + "tallies/", {"round_no": 2, "rows": rows(5)}, format="json")
    assert same.status_code == 400
    assert "hai người khác nhau" in str(same.json())
    assert second.post(url + "tallies/", {"round_no": 2, "rows": rows(6)}, format="json").status_code == 200
    both = client_of(world.viewer_a).get(url + "differences/").json()
    assert both["visible_rounds"] == [1, 2]
    assert [(d["person"], d["figure"], d["first"], d["second"]) for d in both["differences"]] == [
        ("001075000101", "low", 5, 6), ("001075000101", "normal", 12, 11)]  # fmt: skip
    refused = first.post(url + "close/", {"closed_on": "2025-12-20"}, format="json")
    assert refused.status_code == 400
    assert "còn 2 chỗ khác nhau" in str(refused.json())
    assert second.post(url + "tallies/", {"round_no": 2, "rows": rows(5)}, format="json").status_code == 200
    closed = first.post(url + "close/", {"closed_on": "2025-12-20"}, format="json")
    assert closed.status_code == 200, closed.json()
    assert closed.json()["closed_on"] == "2025-12-20"
    assert list(ConfidenceVote.objects.values_list("low", "base")) == [(5, 30)]
    kinds = set(AccessEvent.objects.values_list("kind", flat=True))
    assert {"vote"} <= kinds


def test_a_session_outside_the_scope_is_not_found_and_its_tallies_never_shown(world, people):
    other = make_session(world, unit=world.xb)
    for user in (world.viewer_a, world.editor_a):
        api = client_of(user)
        for path in (f"/api/vote-sessions/{other.pk}/", f"/api/vote-sessions/{other.pk}/differences/"):
            assert api.get(path).status_code == 404
        assert api.get("/api/vote-sessions/").json()["results"] == []
    assert AccessEvent.objects.filter(kind="vote").count() == 0
    assert VoteSession.objects.count() == 1


def test_a_round_scores_derives_ratings_and_closes(world, people):
    api = client_of(world.editor_a)
    made = api.post("/api/evaluation-rounds/", {"unit": "XA", "year": 2025, "held_on": "2025-12-18"},
                    format="json")  # fmt: skip
    assert made.status_code == 201, made.json()
    url = f"/api/evaluation-rounds/{made.json()['id']}/"
    scored = api.post(url + "scores/", {"person": "001075000101", "score": "71.5"}, format="json")
    assert scored.status_code == 200, scored.json()
    assert scored.json()["scores"] == [{
        "person": {"id_number": "001075000101", "full_name": "Nguyễn Văn An"}, "score": "71.50",
        "rating": "good", "other_ground": "", "other_note": ""}]  # fmt: skip
    assert api.post(url + "scores/", {"person": "001075000101", "score": "101"},
                    format="json").status_code == 400  # fmt: skip
    assert api.post(url + "close/", {"closed_on": "2025-12-20"}, format="json").status_code == 200
    assert list(Evaluation.objects.values_list("year", "rating")) == [(2025, "good")]
    assert client_of(world.viewer_a).post(url + "close/", {"closed_on": "2025-12-21"},
                                          format="json").status_code == 403  # fmt: skip


def test_a_viewer_cannot_create(world):
    api = client_of(world.viewer_a)
    assert api.post("/api/vote-sessions/", {"unit": "XA", "year": 2025, "held_on": "2025-12-15",
                                            "summoned": 30, "present": 27}, format="json").status_code == 403  # fmt: skip
    assert api.post("/api/evaluation-rounds/", {"unit": "XA", "year": 2025, "held_on": "2025-12-15"},
                    format="json").status_code == 403  # fmt: skip
    assert VoteSession.objects.count() == 0
