"""Scope for lookups through the API (issue 11, item 1).

The oracle: whatever a viewer asks with the ID number of a person outside their
scope gets byte for byte the answer the same request gets with a number no
record has. Editors of a plan's unit name people from elsewhere by the exact
number only, see only what the plan needs of them, leave a lookup entry each
time and are throttled.

People (tests/api/conftest.py): Ánh and Cúc in commune XA (the users' scope),
Bình in commune B (XB). A draft plan of XA covers the XA secretary seat.
"""

import json

import pytest

from canbo.core.models import AccessEvent
from canbo.planning import services as planning_services
from canbo.planning.models import PlanEntry
from tests.planning.factories import make_term

from . import oracle
from .conftest import db_state

ANH, BINH, NOBODY = "001080000001", "001075000003", "009999999999"
ELSEWHERE = "Số định danh này đã có hồ sơ do đơn vị khác quản lý; đề nghị đơn vị đó chuyển hồ sơ."
NOT_FOUND = "Không có cán bộ với số định danh cá nhân này."


@pytest.fixture
def xa_plan(people):
    return planning_services.plan_create(
        actor=None,
        planning_unit=people.xa,
        term=make_term(2030, 2035),
        name="Quy hoạch xã An Bình",
        positions=[people.position_a],
    )


def assert_same_answer(ask):
    return oracle.assert_same_answer(ask, BINH, NOBODY)


def lookup_entries():
    return list(AccessEvent.objects.filter(kind="lookup").values_list("actor__username", "query"))


# --- The oracle: a viewer ------------------------------------------------------------


def test_viewer_what_if_answers_alike_for_outside_and_unknown(people, xa_plan, as_user):
    api = as_user(people.viewer_a)

    def ask(number):
        additions = [{"person": number, "position": people.position_a.pk}]
        return api.post(
            f"/api/plans/{xa_plan.pk}/what-if/",
            {"as_of": "2026-02-05", "additions": additions},
            format="json",
        )

    status, _headers, content = assert_same_answer(ask)
    assert status == 400
    assert json.loads(content) == {"additions": {"0": {"person": [NOT_FOUND]}}}
    assert lookup_entries() == []
    # In scope the same request is answered (the oracle is not "everything fails").
    assert ask(ANH).status_code == 200


@pytest.mark.parametrize(
    "method, path, payload",
    [
        ("get", "/api/people/{number}/", None),
        ("options", "/api/people/{number}/", None),
        ("get", "/api/people/?search={number}", None),
        ("get", "/api/people/?search={short}", None),
        ("post", "/api/plans/{plan}/entries/", {"person": "{number}", "position": "{position}"}),
        ("post", "/api/people/", {"id_number": "{number}", "family_name": "Lê", "given_name": "A",
                                  "sex": "F", "birth_date": "1990", "unit": "XA"}),
    ],
)  # fmt: skip
def test_viewer_answers_alike_for_every_lookup(people, xa_plan, as_user, method, path, payload):
    api = as_user(people.viewer_a)

    def fill(text, number):
        return (
            text.replace("{number}", number)
            .replace("{short}", number[:9])
            .replace("{plan}", str(xa_plan.pk))
            .replace("{position}", str(people.position_a.pk))
        )

    def ask(number):
        body = {k: fill(v, number) for k, v in payload.items()} if payload else None
        return getattr(api, method)(fill(path, number), body, format="json")

    before = db_state()
    assert_same_answer(ask)
    assert lookup_entries() == []
    if method != "get":
        assert db_state() == before


# --- Editors: from elsewhere by the exact number, logged, limited ------------------------


def test_editor_plans_a_person_from_elsewhere_by_number(people, xa_plan, as_user):
    api = as_user(people.editor_a)
    response = api.post(
        f"/api/plans/{xa_plan.pk}/entries/",
        {"person": BINH, "position": people.position_a.pk, "source": "outside"},
        format="json",
    )
    assert response.status_code == 201, response.content
    entry = PlanEntry.objects.get()
    assert entry.person == people.binh
    assert (response.json()["person"], response.json()["full_name"]) == (BINH, "Đặng Thị Bình")
    assert lookup_entries() == [("sua_a", f"plan={xa_plan.pk} id_number={BINH}")]
    # The plan shows what it needs of her and nothing of her profile; her profile stays closed.
    viewer = as_user(people.viewer_a)
    plan = viewer.get(f"/api/plans/{xa_plan.pk}/").json()
    [seat] = plan["positions"]
    assert [set(e) for e in seat["entries"]] == [
        {"id", "plan", "person", "full_name", "position", "source", "added_on", "added_decision",
         "first_time", "removed_on", "removal_reason", "removal_note", "added_in_review",
         "removed_in_review"}
    ]  # fmt: skip
    assert viewer.get(f"/api/people/{BINH}/").status_code == 404


def test_editor_unknown_number_is_not_found_and_logged(people, xa_plan, as_user):
    before = db_state()
    response = as_user(people.editor_a).post(
        f"/api/plans/{xa_plan.pk}/entries/",
        {"person": NOBODY, "position": people.position_a.pk},
        format="json",
    )
    assert (response.status_code, response.json()) == (400, {"person": [NOT_FOUND]})
    assert db_state() == {**before, "access": before["access"] + 1}
    assert lookup_entries() == [("sua_a", f"plan={xa_plan.pk} id_number={NOBODY}")]


def test_editor_what_if_with_a_person_from_elsewhere(people, xa_plan, as_user):
    response = as_user(people.editor_a).post(
        f"/api/plans/{xa_plan.pk}/what-if/",
        {"as_of": "2026-02-05", "additions": [{"person": BINH, "position": people.position_a.pk}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    kinds = list(AccessEvent.objects.order_by("id").values_list("kind", "person_ids"))
    assert kinds[0] == ("lookup", f" {people.binh.pk} ")
    assert kinds[1][0] == "what_if" and f" {people.binh.pk} " in kinds[1][1]


def test_editor_lookups_beyond_scope_are_throttled(people, xa_plan, as_user, settings):
    settings.CANBO_PERSON_LOOKUP_RATE = "2/hour"
    api = as_user(people.editor_a)

    def add(number):
        return api.post(
            f"/api/plans/{xa_plan.pk}/entries/",
            {"person": number, "position": people.position_a.pk},
            format="json",
        )

    assert add("009999999998").status_code == 400
    assert add(NOBODY).status_code == 400
    before = db_state()
    refused = add(BINH)
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Gửi quá nhiều yêu cầu. Có thể thử lại sau ")
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert db_state() == before  # neither read nor logged, nothing planned
    # People of the editor's own scope are still planned.
    assert add(ANH).status_code == 201


# --- "Already exists" on create ----------------------------------------------------------

NEW = {"family_name": "Lê", "given_name": "Hoa", "sex": "F", "birth_date": "1990", "unit": "XA"}


def test_create_with_an_id_number_of_the_editors_scope_names_the_duplicate(people, as_user):
    before = db_state()
    response = as_user(people.editor_a).post(
        "/api/people/", {**NEW, "id_number": ANH}, format="json"
    )
    assert (response.status_code, response.json()) == (
        400, {"id_number": ["Đã có cán bộ với số định danh cá nhân này."]},
    )  # fmt: skip
    assert db_state() == before


def test_create_with_an_id_number_from_elsewhere_names_no_one(people, as_user):
    before = db_state()
    response = as_user(people.editor_a).post(
        "/api/people/", {**NEW, "id_number": BINH}, format="json"
    )
    assert (response.status_code, response.json()) == (400, {"id_number": [ELSEWHERE]})
    assert "Bình" not in response.content.decode()
    assert db_state() == {**before, "access": before["access"] + 1}
    assert lookup_entries() == [("sua_a", f"id_number={BINH} (tạo/sửa hồ sơ)")]


def test_create_with_numbers_from_elsewhere_is_throttled(people, as_user, settings):
    """Probing which numbers exist elsewhere through "already exists" stops at the rate."""
    from tests.factories import PersonFactory

    settings.CANBO_PERSON_LOOKUP_RATE = "1/hour"
    other = PersonFactory(id_number="001070000009", unit=people.xb)
    api = as_user(people.editor_a)
    first = api.post("/api/people/", {**NEW, "id_number": BINH}, format="json")
    assert (first.status_code, first.json()) == (400, {"id_number": [ELSEWHERE]})
    before = db_state()
    second = api.post("/api/people/", {**NEW, "id_number": other.id_number}, format="json")
    assert second.status_code == 429
    assert int(second["Retry-After"]) > 0
    assert db_state() == before  # refused before reading or logging
    # The same number again costs nothing more; numbers of the editor's scope never count.
    again = api.post("/api/people/", {**NEW, "id_number": BINH}, format="json")
    assert again.status_code == 400
    mine = api.post("/api/people/", {**NEW, "id_number": ANH}, format="json")
    assert mine.json() == {"id_number": ["Đã có cán bộ với số định danh cá nhân này."]}
