"""GET /api/rotations/watch/: the four watch lists of a subtree, as the page shows them."""

import pytest
from rest_framework.test import APIClient

from canbo.core.models import AccessEvent
from canbo.rotation.holders import watch_lists
from tests.factories import UserFactory, grant
from tests.rotation.holders_world import ON, build

pytestmark = pytest.mark.django_db


def test_the_watch_lists_through_the_api_match_the_page_and_are_logged(world):
    city = build(world)
    admin = UserFactory(username="quantri_watch", role="admin")
    api = APIClient()
    api.force_authenticate(admin)
    answer = api.get(f"/api/rotations/watch/?unit={city.tu.code}&as_of={ON.isoformat()}")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    lists = watch_lists(None, city.tu, ON)
    assert (body["as_of"], body["unit"], body["max_terms"]) == (ON.isoformat(), city.tu.code, 2)
    assert [(w["holder"]["person"]["id_number"], w["terms"], w["next_term_start"])
            for w in body["term_limit"]] == [
        (w.holder.person.id_number, w.terms, w.next_term_start.isoformat()) for w in lists.term_limit]  # fmt: skip
    assert [h["person"]["id_number"] for h in body["local_posts"]] == [
        h.person.id_number for h in lists.local_posts]
    assert AccessEvent.objects.filter(kind="rotation").latest("id").query == f"unit=TU as_of={ON.isoformat()}"
    # A unit out of the user's sight: not found, as an unknown code.
    viewer = UserFactory(username="xem_b_watch", role="viewer")
    grant(viewer, world.xb)
    api.force_authenticate(viewer)
    assert api.get(f"/api/rotations/watch/?unit={city.tu.code}").status_code == 404
    assert api.get("/api/rotations/watch/?unit=KHONGCO").status_code == 404
