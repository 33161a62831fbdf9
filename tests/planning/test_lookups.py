"""Scope for lookups on the planning pages and the person form (issue 11, item 1).

People of tests/ui/conftest.py: Ánh and Cúc in commune XA (scope of viewer_a and
editor_a), Bình in commune B. A draft plan of XA covers the XA secretary seat.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from canbo.core.models import AccessEvent
from canbo.planning import services
from canbo.planning.models import PlanEntry
from tests.api.oracle import assert_same_answer
from tests.ui.conftest import people  # noqa: F401 (fixture)

from .factories import make_term

pytestmark = pytest.mark.django_db

ANH, BINH, NOBODY = "001080000001", "001085000003", "009999999999"
ELSEWHERE = "Số định danh này đã có hồ sơ do đơn vị khác quản lý; đề nghị đơn vị đó chuyển hồ sơ."


@pytest.fixture
def plan(people):  # noqa: F811
    return services.plan_create(
        actor=None,
        planning_unit=people.xa,
        term=make_term(2030, 2035),
        name="Quy hoạch xã An Bình",
        positions=[people.position_a],
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_same_page(ask):
    return assert_same_answer(ask, BINH, NOBODY)


def lookups():
    return list(AccessEvent.objects.filter(kind="lookup").values_list("actor__username", "query"))


# --- The oracle: a viewer ----------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_viewer_what_if_page_is_the_same_for_outside_and_unknown(people, plan, htmx):  # noqa: F811
    client = signed_in(people.viewer_a)
    headers = {"HX-Request": "true"} if htmx else {}

    def ask(number):
        return client.get(
            reverse("planning:what-if", args=[plan.pk]),
            {"person": number, "position": people.position_a.pk},
            headers=headers,
        )

    status, _headers, content = assert_same_page(ask)
    assert status == 200
    assert "Không tìm thấy cán bộ có số định danh #." in content.decode()
    assert lookups() == []
    in_scope = ask(ANH).content.decode()
    assert 'id="what-if-result"' in in_scope and "Không tìm thấy cán bộ" not in in_scope


@pytest.mark.parametrize(
    "name, method, data",
    [
        ("planning:person-suggest", "get", {"q": "{number}"}),
        ("planning:person-suggest", "get", {"q": "{short}"}),
        ("people:list", "get", {"search": "{number}"}),
        ("planning:entry-add", "post", {"add-person": "{number}", "add-position": "{position}",
                                        "add-source": "outside"}),
        ("people:create", "post", {"id_number": "{number}", "family_name": "Lê", "given_name": "A",
                                   "sex": "F", "birth_date": "1990"}),
    ],
)  # fmt: skip
def test_viewer_pages_are_the_same_for_every_lookup(people, plan, name, method, data):  # noqa: F811
    client = signed_in(people.viewer_a)
    url = reverse(name, args=[plan.pk]) if name == "planning:entry-add" else reverse(name)

    def ask(number):
        values = {
            k: v.replace("{number}", number)
            .replace("{short}", number[:9])
            .replace("{position}", str(people.position_a.pk))
            for k, v in data.items()
        }
        return getattr(client, method)(url, values)

    assert_same_page(ask)
    assert lookups() == []
    assert not PlanEntry.objects.exists()


# --- Editors -----------------------------------------------------------------------------


def test_editor_plans_a_person_from_elsewhere_by_number_only(people, plan):  # noqa: F811
    client = signed_in(people.editor_a)
    add = reverse("planning:entry-add", args=[plan.pk])
    by_name = client.post(add, {"add-person": "Đặng Thị Bình", "add-position": people.position_a.pk,
                                "add-source": "outside"})  # fmt: skip
    assert "Không tìm thấy cán bộ nào khớp “Đặng Thị Bình”." in by_name.content.decode()
    suggest = client.get(reverse("planning:person-suggest"), {"q": BINH})
    assert "Bình" not in suggest.content.decode()
    assert lookups() == []

    response = client.post(add, {"add-person": BINH, "add-position": people.position_a.pk,
                                 "add-source": "outside"})  # fmt: skip
    assert response.status_code == 302
    assert PlanEntry.objects.get().person == people.binh
    assert lookups() == [("sua_a", f"plan={plan.pk} id_number={BINH}")]
    services.entry_add(actor=None, plan=plan, person=people.anh, position=people.position_a)

    detail = signed_in(people.viewer_a).get(reverse("planning:detail", args=[plan.pk]))
    content = detail.content.decode()
    # Both are shown with what the plan needs; only Ánh's profile is offered.
    assert f'href="{reverse("people:detail", args=[people.anh.pk])}"' in content
    assert f'href="{reverse("people:detail", args=[people.binh.pk])}"' not in content
    assert "Đặng Thị Bình" in content and "Nguyễn Văn Ánh" in content
    assert (
        signed_in(people.viewer_a).get(reverse("people:detail", args=[people.binh.pk])).status_code
        == 404
    )
    plan_read = AccessEvent.objects.filter(kind="plan").latest("id")
    assert sorted(plan_read.person_ids.split()) == sorted([str(people.binh.pk), str(people.anh.pk)])


def test_editor_what_if_with_a_person_from_elsewhere(people, plan):  # noqa: F811
    response = signed_in(people.editor_a).get(
        reverse("planning:what-if", args=[plan.pk]),
        {"person": BINH, "position": people.position_a.pk},
    )
    content = response.content.decode()
    assert f"{BINH} · Đặng Thị Bình" in content
    assert 'id="what-if-result"' in content
    assert lookups() == [("sua_a", f"plan={plan.pk} id_number={BINH}")]
    what_if = AccessEvent.objects.get(kind="what_if")
    assert (what_if.object_id, what_if.person_ids) == (str(plan.pk), f" {people.binh.pk} ")
    assert what_if.query == f"person={BINH} position={people.position_a.pk}"


def test_editor_lookups_are_throttled_on_the_pages(people, plan, settings):  # noqa: F811
    settings.CANBO_PERSON_LOOKUP_RATE = "1/hour"
    client = signed_in(people.editor_a)
    add = reverse("planning:entry-add", args=[plan.pk])
    client.post(add, {"add-person": NOBODY, "add-position": people.position_a.pk})
    response = client.post(add, {"add-person": BINH, "add-position": people.position_a.pk,
                                 "add-source": "outside"})  # fmt: skip
    assert response.status_code == 200
    assert re.search(
        r"Bạn đã tra cứu quá nhiều số định danh ngoài phạm vi của mình; hãy thử lại sau \d+ phút.",
        response.content.decode(),
    )
    assert not PlanEntry.objects.exists()
    assert lookups() == [("sua_a", f"plan={plan.pk} id_number={NOBODY}")]


def test_review_additions_follow_the_same_rule(people, plan):  # noqa: F811
    services.plan_submit(actor=None, plan=plan)
    services.plan_approve(actor=None, plan=plan, approver_unit=people.xa, decision_number="1",
                          decision_date=plan.transitions.first().at.date())  # fmt: skip
    client = signed_in(people.editor_a)
    data = {"reviewed_on": plan.transitions.first().at.date().strftime("%d/%m/%Y"),
            "add-TOTAL_FORMS": "1", "add-INITIAL_FORMS": "0", "add-0-person": BINH,
            "add-0-position": people.position_a.pk, "add-0-source": "outside"}  # fmt: skip
    response = client.post(reverse("planning:reviews", args=[plan.pk]), data)
    assert response.status_code == 302, response.content.decode()
    assert PlanEntry.objects.get().person == people.binh
    assert lookups() == [("sua_a", f"plan={plan.pk} id_number={BINH}")]


# --- The person form -----------------------------------------------------------------------


def test_person_form_names_a_duplicate_only_in_scope(people):  # noqa: F811
    client = signed_in(people.editor_a)
    data = {"family_name": "Lê", "given_name": "Hoa", "sex": "F", "birth_date": "1990",
            "unit": people.xa.pk}  # fmt: skip
    mine = client.post(reverse("people:create"), {**data, "id_number": ANH}).content.decode()
    assert "Đã có cán bộ với số định danh cá nhân này." in mine
    assert lookups() == []
    other = client.post(reverse("people:create"), {**data, "id_number": BINH}).content.decode()
    assert ELSEWHERE in other
    assert "Đặng Thị Bình" not in other
    assert lookups() == [("sua_a", f"id_number={BINH} (tạo/sửa hồ sơ)")]
    # Editing Ánh to take Bình's number is refused the same way.
    edit = client.post(reverse("people:update", args=[people.anh.pk]),
                       {**data, "id_number": BINH}).content.decode()  # fmt: skip
    assert ELSEWHERE in edit


def test_person_form_duplicates_from_elsewhere_are_throttled(people, settings):  # noqa: F811
    from tests.factories import PersonFactory

    settings.CANBO_PERSON_LOOKUP_RATE = "1/hour"
    other = PersonFactory(id_number="001070000009", unit=people.xb)
    client = signed_in(people.editor_a)
    data = {"family_name": "Lê", "given_name": "Hoa", "sex": "F", "birth_date": "1990",
            "unit": people.xa.pk}  # fmt: skip
    assert (
        ELSEWHERE
        in client.post(reverse("people:create"), {**data, "id_number": BINH}).content.decode()
    )
    page = client.post(reverse("people:create"), {**data, "id_number": other.id_number})
    assert page.status_code == 200
    text = page.content.decode()
    assert re.search(
        r"Bạn đã tra cứu quá nhiều số định danh ngoài phạm vi của mình; hãy thử lại sau \d+ phút.",
        text,
    )
    assert ELSEWHERE not in text
    assert lookups() == [("sua_a", f"id_number={BINH} (tạo/sửa hồ sơ)")]
