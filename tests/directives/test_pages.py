"""The directive pages (issue 14): list, a directive's roll-ups and table by unit, a unit's
assignments with the completion form, "Việc cần làm" and its count in the navigation bar.
The Central Highlands case of test_rollups (`region`) read through the web pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canbo.accounts.models import Role
from canbo.directives import context, pages, services
from canbo.directives.models import TaskAssignment
from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.organizations.models import Unit
from tests.factories import UserFactory, grant, make_unit
from tests.ui.conftest import by_id

from .test_rollups import region as region  # noqa: F401

pytestmark = pytest.mark.django_db

LIST = reverse("directives:list")
TODO = reverse("directives:todo")
ASSIGNMENTS = reverse("directives:assignments")


def user_of(code, role=Role.VIEWER, include_subtree=True):
    user = UserFactory(role=role)
    grant(user, Unit.objects.get(code=code), include_subtree)
    return user


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def on_day(monkeypatch):
    """Fix the pages' today."""

    def fix(day: dt.date):
        monkeypatch.setattr(pages, "today", lambda: day)

    return fix


@pytest.fixture
def province_plan(region):  # noqa: F811
    plan = region[0]
    admin = UserFactory(role=Role.ADMIN)
    return services.directive_create(
        actor=admin, kind="plan", number="05-KH/TU", issued_on=dt.date(2012, 6, 20),
        issuing_unit=Unit.objects.get(code="T01"), implements=plan,
        title="Kế hoạch thực hiện Kế hoạch 10-KH/TW",
    )  # fmt: skip


def detail(directive, **query):
    url = reverse("directives:detail", args=[directive.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# --- The list --------------------------------------------------------------------------


def test_the_list_shows_visible_directives_and_searches_number_and_title(client, region,  # noqa: F811
                                                                         province_plan):  # fmt: skip
    plan = region[0]
    signed_in(client, UserFactory(role=Role.ADMIN))
    response = client.get(LIST)
    assert by_id(response, "directive-count") == "2 văn bản"
    assert by_id(response, f"directive-{province_plan.pk}") == (
        "05-KH/TU Kế hoạch 20/06/2012 Tỉnh ủy 1 Kế hoạch thực hiện Kế hoạch 10-KH/TW 10-KH/TW"
    )
    assert by_id(response, f"directive-{plan.pk}") == (
        "10-KH/TW Kế hoạch 01/06/2012 Ban Chấp hành Trung ương "
        "Kế hoạch kiểm điểm tự phê bình và phê bình —"
    )
    assert by_id(client.get(LIST, {"q": "05-kh"}), "directive-count") == "1 văn bản"
    assert by_id(client.get(LIST, {"q": "phê bình kiểm điểm"}), "directive-count") == "1 văn bản"
    assert by_id(client.get(LIST, {"q": "không có"}), "directive-count") == "0 văn bản"
    # A district sees the central plan through its own assignment, not the province's plan.
    signed_in(client, user_of("T03-H05"))
    response = client.get(LIST)
    assert by_id(response, "directive-count") == "1 văn bản"
    assert f'id="directive-{plan.pk}"' in response.content.decode()


# --- A directive -----------------------------------------------------------------------


def test_the_directive_page_reads_the_regions_roll_ups_for_the_department(client, region,  # noqa: F811
                                                                         province_plan):  # fmt: skip
    plan, tasks = region[0], region[1]
    signed_in(client, user_of("V2"))
    response = client.get(detail(plan, as_of="30/11/2012"))
    assert response.status_code == 200
    assert by_id(response, "directive-heading") == "Kế hoạch 10-KH/TW"
    # The province's plan is issued outside the department's sight and has no tasks there.
    assert by_id(response, "directive-implementations") == "Chưa có."
    # Without a group chosen, the table by unit is the department's group's provinces.
    assert by_id(response, "by-unit-T13").startswith("Tỉnh ủy 13 1 1/1 (100,00%)")
    texts = [by_id(response, f"task-{t.pk}-rollup") for t in tasks]
    assert texts == ["13/13 (100,00%)", "221/222 (99,55%)", "709/724 (97,93%)"]
    assert by_id(response, f"task-{tasks[2].pk}-badges") == (
        "Hoàn thành đúng hạn: 700 Hoàn thành quá hạn: 9 Quá hạn, chưa hoàn thành: 15"
    )
    # By unit, over the group's provinces.
    response = client.get(detail(plan, as_of="30/11/2012", group="Tây Nguyên", task=tasks[1].pk))
    assert by_id(response, "by-unit-T13") == (
        "Tỉnh ủy 13 18 17/18 (94,44%) Hoàn thành đúng hạn: 17 Quá hạn, chưa hoàn thành: 1"
    )
    # a bar per unit: done of assigned
    assert '<progress class="w-100" value="17" max="18"' in response.content.decode()
    assert by_id(response, "by-unit-T01").startswith("Tỉnh ủy 1 17 17/17 (100,00%)")
    assert "T99" not in response.content.decode()
    # The province's plan names the central plan it carries out (both ways).
    signed_in(client, UserFactory(role=Role.ADMIN))
    assert by_id(client.get(detail(plan)), "directive-implementations") == (
        "05-KH/TU – Kế hoạch thực hiện Kế hoạch 10-KH/TW (Tỉnh ủy 1, 20/06/2012)"
    )
    response = client.get(detail(province_plan))
    assert by_id(response, "directive-implements") == (
        "10-KH/TW – Kế hoạch kiểm điểm tự phê bình và phê bình"
    )
    # One province, as of before the deadline.
    response = client.get(detail(plan, as_of="2012-09-30", unit="T13", task=tasks[1].pk))
    assert by_id(response, f"task-{tasks[1].pk}-rollup") == "17/18 (94,44%)"
    assert by_id(response, f"task-{tasks[1].pk}-badges") == (
        "Hoàn thành đúng hạn: 17 Đang thực hiện, trong hạn: 1"
    )
    assert by_id(response, "by-unit-T13-H17").startswith("Huyện ủy 13.17 1 0/1 (0,00%)")


def test_the_directive_page_guards(client, region, province_plan):  # noqa: F811
    plan = region[0]
    outside = user_of("T99")
    signed_in(client, outside)
    # Out of sight answers exactly like what does not exist.
    assert client.get(detail(province_plan)).status_code == 404
    assert client.get(reverse("directives:detail", args=[999999])).status_code == 404
    assert client.get(detail(plan, unit="T01")).status_code == 404
    assert client.get(detail(plan, unit="NOPE")).status_code == 404
    assert client.get(detail(plan, group="Tây Nguyên")).status_code == 404
    response = client.get(detail(plan, as_of="31/02/2012"))
    assert response.status_code == 400
    assert (
        by_id(response, "error-message") == "Ngày 31/02/2012 không tồn tại."
    )
    response = client.get(detail(plan, unit="T99", group="x"))
    assert response.status_code == 400
    assert by_id(response, "error-message") == (
        "Hãy chọn một đơn vị hoặc một nhóm, không chọn cả hai."
    )
    assert client.get(detail(plan, task="abc", as_of="30/11/2012")).status_code == 200
    # The outside province's figures are its own three committees only.
    response = client.get(detail(plan, as_of="30/11/2012"))
    assert by_id(response, f"task-{region[1][1].pk}-rollup") == "0/3 (0,00%)"
    client.logout()
    assert client.get(detail(plan)).status_code == 302


def test_the_directive_page_takes_a_fixed_number_of_queries(client, region):  # noqa: F811
    plan, tasks, group, provinces = region[0], region[1], region[2], region[3]
    admin = UserFactory(role=Role.ADMIN)
    department = user_of("V2")

    def count(user, **query):
        signed_in(client, user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail(plan, as_of="30/11/2012", **query)).status_code == 200
        return len(queries)

    shapes = [(admin, {}), (admin, {"group": "Tây Nguyên"}), (department, {}),
              (department, {"unit": "T02"})]  # fmt: skip
    before = [count(user, **query) for user, query in shapes]
    # Many more units and assignments: the same number of queries.
    for n in range(40):
        make_unit(f"T02-HX{n:02}", f"Huyện ủy mới {n}", provinces[1], UnitKind.PARTY_COMMITTEE,
                  UnitLevel.DISTRICT, valid_from=dt.date(2012, 1, 1))  # fmt: skip
    assert services.assign_to_units(actor=admin, task=tasks[1], level=UnitLevel.DISTRICT,
                                    group=group) == 40  # fmt: skip
    assert [count(user, **query) for user, query in shapes] == before
    assert max(before) <= 16  # with the hearing schedule's query (test_hearing_pages)


# --- A unit's assignments and the completion form ----------------------------------------


def open_assignment():
    return TaskAssignment.objects.get(completed_on=None, unit__code="T13-H17")


def test_a_unit_records_its_completion_through_the_form(client, region, on_day):  # noqa: F811
    on_day(dt.date(2012, 10, 3))
    assignment = open_assignment()
    url = reverse("directives:assignment", args=[assignment.pk])
    signed_in(client, user_of("T13-H17", Role.EDITOR))
    response = client.get(ASSIGNMENTS)
    assert by_id(response, "assignment-count") == "1 nhiệm vụ"
    assert by_id(response, f"assignment-{assignment.pk}") == (
        "10-KH/TW Cấp ủy cấp huyện kiểm điểm Huyện ủy 13.17 30/09/2012 "
        "Quá hạn, chưa hoàn thành Ghi nhận"
    )
    response = client.get(url)
    assert by_id(response, "assignment-status") == "Quá hạn, chưa hoàn thành"
    assert 'id="completion-form"' in response.content.decode()
    # A date in the future is refused beside the field; nothing changes.
    response = client.post(url, {"completed_on": "04/10/2012", "note": "", "evidence": ""})
    assert response.status_code == 400
    assert by_id(response, "error-completed_on") == "Ngày hoàn thành không thể sau hôm nay."
    response = client.post(url, {"completed_on": "2012-10-02"})
    assert by_id(response, "error-completed_on") == "Hãy nhập ngày theo dạng dd/mm/yyyy."
    response = client.post(url, {"completed_on": "31/05/2012"})
    assert by_id(response, "error-completed_on") == (
        "Ngày hoàn thành không thể trước ngày ban hành văn bản."
    )
    assignment.refresh_from_db()
    assert assignment.completed_on is None
    response = client.post(url, {"completed_on": "02/10/2012", "note": "Đã kiểm điểm",
                                 "evidence": "Báo cáo 12-BC/HU"})  # fmt: skip
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.completed_on, assignment.note, assignment.evidence) == (
        dt.date(2012, 10, 2),
        "Đã kiểm điểm",
        "Báo cáo 12-BC/HU",
    )
    response = client.get(url)
    assert by_id(response, "assignment-status") == "Hoàn thành quá hạn"
    assert by_id(response, "assignment-completed") == "02/10/2012"


def test_the_completion_form_guards(client, region, on_day):  # noqa: F811
    on_day(dt.date(2012, 10, 3))
    assignment = open_assignment()
    url = reverse("directives:assignment", args=[assignment.pk])
    # A viewer of the district reads it, without a form, and cannot post.
    signed_in(client, user_of("T13-H17"))
    response = client.get(url)
    assert response.status_code == 200
    assert by_id(response, "read-only") == "Bạn chỉ có quyền xem nhiệm vụ của đơn vị này."
    assert 'id="completion-form"' not in response.content.decode()
    assert client.post(url, {"completed_on": "02/10/2012"}).status_code == 403
    # The department following the group reads it, read-only.
    signed_in(client, user_of("V2", Role.EDITOR))
    assert 'id="completion-form"' not in client.get(url).content.decode()
    assert client.post(url, {"completed_on": "02/10/2012"}).status_code == 403
    # A grant on the province alone does not reach its districts: not found.
    signed_in(client, user_of("T13", Role.EDITOR, include_subtree=False))
    assert client.get(url).status_code == 404
    assert client.post(url, {"completed_on": "02/10/2012"}).status_code == 404
    signed_in(client, user_of("T99", Role.EDITOR))
    assert client.get(url).status_code == 404
    assignment.refresh_from_db()
    assert assignment.completed_on is None


def test_the_assignments_page_filters_by_status(client, region, on_day):  # noqa: F811
    on_day(dt.date(2012, 11, 30))
    signed_in(client, user_of("V2"))
    assert by_id(client.get(ASSIGNMENTS), "assignment-count") == "959 nhiệm vụ"
    response = client.get(ASSIGNMENTS, {"status": "overdue"})
    assert by_id(response, "assignment-count") == "16 nhiệm vụ"
    assert "Ghi nhận" not in by_id(response, "assignment-rows")
    assert (
        by_id(client.get(ASSIGNMENTS, {"status": "done_late"}), "assignment-count") == "9 nhiệm vụ"
    )
    assert by_id(client.get(ASSIGNMENTS, {"status": "bogus"}), "assignment-count") == "959 nhiệm vụ"


# --- Việc cần làm and the navigation bar's count ------------------------------------------


def test_the_todo_page_lists_what_falls_due_this_week_and_what_is_overdue(client, region,  # noqa: F811
                                                                         on_day):  # fmt: skip
    assignment = open_assignment()
    district = user_of("T13-H17")
    signed_in(client, district)
    on_day(dt.date(2012, 9, 22))  # the deadline is 8 days away: nothing yet
    response = client.get(TODO)
    assert by_id(response, "todo-summary") == (
        "0 nhiệm vụ quá hạn, 0 nhiệm vụ đến hạn trong 7 ngày tới (chưa hoàn thành)."
    )
    assert 'id="nav-todo-count"' not in response.content.decode()
    on_day(dt.date(2012, 9, 23))  # 7 days away
    response = client.get(TODO)
    assert by_id(response, "todo-summary").startswith("0 nhiệm vụ quá hạn, 1 nhiệm vụ đến hạn")
    assert by_id(response, f"assignment-{assignment.pk}").endswith(
        "30/09/2012 Đang thực hiện, trong hạn Xem"
    )
    assert by_id(response, "nav-todo-count") == "1"
    on_day(dt.date(2012, 10, 1))
    response = client.get(TODO)
    assert by_id(response, "todo-summary").startswith("1 nhiệm vụ quá hạn, 0 nhiệm vụ đến hạn")
    assert "Quá hạn, chưa hoàn thành" in by_id(response, f"assignment-{assignment.pk}")
    # The department: the district and the 24 agencies not done by 5 October.
    signed_in(client, user_of("V2"))
    on_day(dt.date(2012, 10, 5))
    response = client.get(TODO)
    assert by_id(response, "todo-summary").startswith("25 nhiệm vụ quá hạn, 0 nhiệm vụ")
    assert by_id(response, "nav-todo-count") == "25"
    # Once done, it leaves the list.
    TaskAssignment.objects.filter(pk=assignment.pk).update(completed_on=dt.date(2012, 10, 2))
    signed_in(client, district)
    response = client.get(TODO)
    assert by_id(response, "todo-summary").startswith("0 nhiệm vụ quá hạn, 0 nhiệm vụ")


def test_the_navigation_count_costs_one_query_and_nothing_for_anonymous(region, on_day,  # noqa: F811
                                                                       django_assert_num_queries):  # fmt: skip
    on_day(dt.date(2012, 10, 5))
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert context.todo_count(request)["directives_todo"].total == 0
    request.user = user_of("V2")
    pages.visible_units(request.user)  # the page reads the user's grants once
    with django_assert_num_queries(1):
        counts = context.todo_count(request)["directives_todo"]
        assert (counts.overdue, counts.due, counts.total) == (25, 0, 25)
    request.user = UserFactory(role=Role.ADMIN)
    with django_assert_num_queries(1):
        assert context.todo_count(request)["directives_todo"].overdue == 25 + 3


def test_the_directive_page_links_the_progress_report_files(client, region):  # noqa: F811
    plan = region[0]
    signed_in(client, user_of("V2"))
    content = client.get(detail(plan, as_of="30/11/2012", group="Tây Nguyên")).content.decode()
    query = "as_of=30%2F11%2F2012&amp;unit=&amp;group=T%C3%A2y+Nguy%C3%AAn"
    assert f'href="/directives/{plan.pk}/report.xlsx?{query}"' in content
    response = client.get(f"/directives/{plan.pk}/report.xlsx?as_of=30/11/2012&group=Tây Nguyên")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    signed_in(client, user_of("T99"))
    assert client.get(f"/directives/{plan.pk}/report.docx?unit=T01").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/directives/?q=%25%27%22&page=x", "/directives/?q=" + "a" * 5000,
     "/directives/assignments/?status=%27&page=-1", "/directives/todo/?page=99999",
     "/directives/assignments/0/"],
)  # fmt: skip
def test_odd_input_is_never_a_server_error(client, url):
    user = UserFactory(role=Role.ADMIN)
    signed_in(client, user)
    assert client.get(url).status_code in (200, 404)


def test_sections_hold_their_tasks(client, on_day):
    on_day(dt.date(2024, 3, 1))
    admin = UserFactory(role=Role.ADMIN)
    province = make_unit("TX", "Tỉnh ủy X")
    commune = make_unit("TX-X1", "Đảng ủy xã Một", province, level=UnitLevel.COMMUNE)
    directive = services.directive_create(actor=admin, kind="resolution", number="01-NQ/TU",
                                          issued_on=dt.date(2024, 1, 2), issuing_unit=province,
                                          title="Nghị quyết về công tác cán bộ")  # fmt: skip
    section = services.task_create(actor=admin, directive=directive, order=1,
                                   content="I. Công tác quy hoạch")  # fmt: skip
    task = services.task_create(actor=admin, directive=directive, parent=section, order=2,
                                content="Rà soát quy hoạch", lead_unit=commune,
                                deadline=dt.date(2024, 2, 1))  # fmt: skip
    signed_in(client, admin)
    response = client.get(detail(directive))
    content = response.content.decode()
    assert by_id(response, f"task-{section.pk}-rollup") == ""
    assert by_id(response, f"task-{task.pk}") == (
        "Rà soát quy hoạch Đảng ủy xã Một 01/02/2024 0/1 (0,00%) Quá hạn, chưa hoàn thành: 1"
    )
    assert 'class="ps-2">Rà soát quy hoạch' in content
    assert by_id(response, "by-unit-TX-X1") == (
        "Đảng ủy xã Một 1 0/1 (0,00%) Quá hạn, chưa hoàn thành: 1"
    )
    assert by_id(response, "nav-todo-count") == "1"
