"""The dismissal queue: C5, E3 and E4 propose dismissal cases; an open case shows under way."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from canbo.accounts.models import Role
from canbo.appointments import services
from canbo.appointments.choices import CaseKind
from canbo.appointments.queue import dismissal_queue
from canbo.core.models import AccessEvent
from canbo.reviews import services as services_reviews
from tests.factories import UserFactory, grant
from tests.planning.factories import hold, make_position
from tests.reviews.conftest import make_session, people, second_editor  # noqa: F401 (fixtures)
from tests.reviews.test_checks import AS_OF, designed  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user read again (their grants not yet loaded)."""
    return type(user).objects.get(pk=user.pk)


def rows(queue):
    return [(p.rule, p.id_number, p.source, p.under_way.pk if p.under_way else None)
            for p in queue]  # fmt: skip


def test_the_queue_lists_the_proposed_dismissals_with_their_sources(world, people, designed,  # noqa: F811
                                                                    django_assert_num_queries):  # fmt: skip
    viewer = fresh(world.viewer_a)
    with django_assert_num_queries(14):  # grants, review facts (10), rule set (2), open cases
        queue = dismissal_queue(viewer, as_of=AS_OF)
    source = "Lấy phiếu tín nhiệm năm 2025 – Đảng ủy xã An Bình"
    rated = "Đánh giá, xếp loại năm 2025 – Đảng ủy xã An Bình"
    assert rows(queue) == [
        ("C5", "001180000102", source, None),
        ("E3", "001180000102", rated, None),
        ("E4", "001075000101", rated, None),
    ]
    assert queue[0].message.endswith("đề nghị cấp có thẩm quyền xem xét miễn nhiệm.")
    # The staff open a dismissal case for Bình: both her proposals show it under way.
    post = make_position(world.xa, "X-CT", "Chủ tịch UBND xã", 38)
    hold(people.binh, post, start=dt.date(2021, 1, 1))
    case = services.case_open(actor=world.editor_a, person=people.binh, kind=CaseKind.DISMISS,
                              position=post, competent_unit=world.xa, opened_on=AS_OF)  # fmt: skip
    more = make_session(world, actor=world.editor_a, held_on=dt.date(2025, 12, 20))
    services_reviews.subject_add(actor=world.editor_a, session=more, person=people.cuong)
    viewer = fresh(world.viewer_a)
    with django_assert_num_queries(14):  # the same with one more session and the case
        again = dismissal_queue(viewer, as_of=AS_OF)
    assert rows(again) == [
        ("C5", "001180000102", source, case.pk),
        ("E3", "001180000102", rated, case.pk),
        ("E4", "001075000101", rated, None),
    ]
    # Before the sessions were held there is nothing; another commune sees nothing.
    assert dismissal_queue(world.viewer_a, as_of=dt.date(2025, 12, 1)) == []
    other = UserFactory(username="xem_b", role=Role.VIEWER)
    grant(other, world.xb)
    assert dismissal_queue(other, as_of=AS_OF) == []
    assert dismissal_queue(world.viewer_a, as_of=AS_OF, unit=world.xb) == []


def test_the_queue_through_the_api_is_logged(world, people, designed):  # noqa: F811
    api = APIClient()
    api.force_authenticate(world.viewer_a)
    answer = api.get("/api/appointment-cases/dismissal-queue/?as_of=2026-01-10&unit=XA")
    assert answer.status_code == 200, answer.json()
    assert [(p["rule"], p["person"]["id_number"], p["under_way"]) for p in answer.json()] == [
        ("C5", "001180000102", None), ("E3", "001180000102", None), ("E4", "001075000101", None),
    ]
    event = AccessEvent.objects.filter(kind="case").latest("id")
    assert event.query == "as_of=2026-01-10 unit=XA"
    assert api.get("/api/appointment-cases/dismissal-queue/?unit=XB").status_code == 404


def test_the_queue_page_links_to_a_prefilled_dismissal_case(client, world, people, designed):  # noqa: F811
    client.force_login(world.editor_a)
    page = client.get("/appointments/queue/?as_of=10/01/2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-rule="C5"') == html.count('data-rule="E3"') == 1
    assert 'data-rule="E4" data-person="001075000101"' in html
    assert "/appointments/new/?kind=dismiss&amp;person=001180000102" in html
    assert "Lấy phiếu tín nhiệm năm 2025 – Đảng ủy xã An Bình" in html
    form = client.get("/appointments/new/?kind=dismiss&person=001180000102").content.decode()
    assert 'value="001180000102"' in form
    assert '<option value="dismiss" selected>' in form
    # A viewer sees the queue, without the button; another commune's viewer sees nothing.
    client.force_login(world.viewer_a)
    html = client.get("/appointments/queue/?as_of=10/01/2026").content.decode()
    assert "Lập hồ sơ miễn nhiệm" not in html and 'data-rule="C5"' in html
    other = UserFactory(username="xem_b", role=Role.VIEWER)
    grant(other, world.xb)
    client.force_login(other)
    html = client.get("/appointments/queue/?as_of=10/01/2026").content.decode()
    assert "Không có đề nghị miễn nhiệm nào." in html
