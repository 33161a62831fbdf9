"""People list, profile and history pages: content, scope, live search, query counts."""

import datetime as dt

import pytest
from django.urls import reverse

from canbo.core.models import AccessEvent
from canbo.people import selectors, services
from canbo.people.derived import retirement_date
from canbo.people.models import Person

from ..factories import PersonFactory
from .conftest import by_id, listed_names

LIST = reverse("people:list")


@pytest.fixture
def viewer_a(client, people):
    client.force_login(people.viewer_a)
    return client


@pytest.fixture
def admin(client, people, admin_user):
    client.force_login(admin_user)
    return client


# --- list ----------------------------------------------------------------------------


def test_list_shows_only_people_in_scope_in_vietnamese_order(viewer_a, people):
    response = viewer_a.get(LIST)
    assert response.status_code == 200
    assert listed_names(response) == ["Nguyễn Văn Ánh", "Trần Thị Cúc"]
    assert "Đặng Thị Bình" not in response.content.decode()
    assert by_id(response, "result-count") == "Tìm thấy 2 cán bộ"


def test_list_row_columns(viewer_a, people):
    content = viewer_a.get(LIST).content.decode()
    row = content.split(f'href="/people/{people.anh.pk}/"', 1)[1].split("</tr>", 1)[0]
    cells = [c.split(">", 1)[1].split("</td", 1)[0].strip() for c in row.split("<td")[1:]]
    age = (
        dt.date.today().year
        - 1980
        - (1 if dt.date.today() < dt.date(dt.date.today().year, 3, 5) else 0)
    )
    assert cells[0] == "001080000001"
    assert cells[1] == "Nam"
    assert cells[2] == "05/03/1980"
    assert cells[3] == str(age)
    assert cells[4] == "Đảng ủy xã An Bình"
    assert cells[5].startswith("Bí thư Đảng ủy xã")
    assert cells[6] == "31/03/2042"
    assert retirement_date("M", dt.date(1980, 3, 5)) == dt.date(2042, 3, 31)


def test_list_dates_follow_precision(admin, people):
    content = admin.get(LIST).content.decode()
    assert "<td>07/1990</td>" in content  # Trần Thị Cúc: month and year
    assert "<td>1985</td>" in content  # Đặng Thị Bình: year only


def test_list_unit_filter_outside_scope_gives_nothing(viewer_a, people):
    response = viewer_a.get(LIST, {"unit": "XB"})
    assert listed_names(response) == []
    assert "Không có cán bộ nào phù hợp." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen van", ["Nguyễn Văn Ánh"]),
        ("dang", ["Đặng Thị Bình"]),
        ("ĐẶNG thị", ["Đặng Thị Bình"]),
        ("thi", ["Đặng Thị Bình", "Trần Thị Cúc"]),
        ("001085", ["Đặng Thị Bình"]),
        ("khong co ai", []),
    ],
)
def test_accent_insensitive_search(admin, people, query, expected):
    assert listed_names(admin.get(LIST, {"search": query})) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sex": "F"}, ["Đặng Thị Bình", "Trần Thị Cúc"]),
        ({"unit": "XA"}, ["Nguyễn Văn Ánh", "Trần Thị Cúc"]),
        ({"unit": "TU"}, ["Nguyễn Văn Ánh", "Đặng Thị Bình", "Trần Thị Cúc"]),
        ({"minority": "true"}, ["Trần Thị Cúc"]),
        ({"ethnicity": "01"}, ["Nguyễn Văn Ánh", "Đặng Thị Bình"]),
        ({"is_local": "true"}, ["Nguyễn Văn Ánh", "Đặng Thị Bình"]),
        ({"is_local": "false"}, ["Trần Thị Cúc"]),
        ({"degree": "4"}, ["Nguyễn Văn Ánh"]),
        ({"political_theory": "3"}, ["Nguyễn Văn Ánh"]),
        ({"position_title": "BT-XA"}, ["Nguyễn Văn Ánh", "Đặng Thị Bình"]),
        ({"position_title": "BT-XA", "search": "binh"}, ["Đặng Thị Bình"]),
    ],
)
def test_list_filters(admin, people, params, expected):
    assert listed_names(admin.get(LIST, params)) == expected


def test_age_filter(admin, people):
    today = dt.date.today()
    age_cuc = today.year - 1990 - (1 if (today.month, today.day) < (7, 1) else 0)
    response = admin.get(LIST, {"age_min": age_cuc, "age_max": age_cuc})
    assert listed_names(response) == ["Trần Thị Cúc"]


def test_bad_filter_value_is_a_message_not_a_500(admin, people):
    response = admin.get(LIST, {"age_min": "abc", "page": "xyz"})
    assert response.status_code == 200
    assert "Hãy nhập tuổi là một số." in response.content.decode()


def test_live_search_returns_the_results_fragment(admin, people):
    response = admin.get(LIST, {"search": "nguyen van"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert 'id="people-table"' in content
    assert listed_names(response) == ["Nguyễn Văn Ánh"]
    assert "HX-Request" in response["Vary"]


def test_plain_form_works_without_javascript(admin, people):
    content = admin.get(LIST, {"search": "dang"}).content.decode()
    assert "<html" in content
    assert 'method="get" action="/people/"' in content
    assert 'name="search"' in content and 'value="dang"' in content


def test_pagination_50_per_page(admin, people):
    PersonFactory.create_batch(52, unit=people.xa)
    first = admin.get(LIST)
    second = admin.get(LIST, {"page": 2})
    assert len(listed_names(first)) == 50
    assert len(listed_names(second)) == 5
    assert "Trang 2/2" in second.content.decode()


def test_count_stops_past_the_cap_and_order_holds(admin, people, monkeypatch):
    """Past the cap the list says "more than" and still pages in Vietnamese name order."""
    small = listed_names(admin.get(LIST))
    monkeypatch.setattr(selectors.PersonPaginator, "cap", 2)
    response = admin.get(LIST)
    assert by_id(response, "result-count") == "Tìm thấy hơn 2 cán bộ · Đếm chính xác"
    assert listed_names(response) == small == ["Nguyễn Văn Ánh", "Đặng Thị Bình", "Trần Thị Cúc"]
    exact = admin.get(LIST, {"count": "exact"})
    assert by_id(exact, "result-count") == "Tìm thấy 3 cán bộ"
    assert listed_names(exact) == small


def test_capped_count_pages_on_to_the_last_row(admin, people, monkeypatch):
    PersonFactory.create_batch(52, unit=people.xa)
    monkeypatch.setattr(selectors.PersonPaginator, "cap", 51)
    first = admin.get(LIST)
    assert by_id(first, "result-count") == "Tìm thấy hơn 51 cán bộ · Đếm chính xác"
    assert 'href="?count=exact"' in first.content.decode()
    assert "Trang 1</span>" in first.content.decode() and "Trang 1/" not in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()
    second = admin.get(LIST, {"page": 2})
    assert len(listed_names(second)) == 5
    assert "Trang 2</span>" in second.content.decode()
    assert 'href="?page=3"' not in second.content.decode()
    # A page past the rows shows the last page counted.
    assert len(listed_names(admin.get(LIST, {"page": 7}))) == 5


def _people_with_posts(world, count):
    for person in PersonFactory.create_batch(count, unit=world.xa):
        services.section_create(
            actor=None,
            person=person,
            kind="assignment",
            title_name="Ủy viên",
            start_date=dt.date(2020, 1, 1),
        )


@pytest.mark.parametrize("count", [3, 45])
def test_list_query_count_does_not_grow_with_rows(
    client, people, count, django_assert_max_num_queries
):
    _people_with_posts(people, count)
    client.force_login(people.viewer_a)
    # 8 (one read of the titles for both title selects), the access entry and the
    # navigation's to-do count
    with django_assert_max_num_queries(10) as captured:
        response = client.get(LIST, {"search": "", "sex": ""})
    assert len(listed_names(response)) == count + 2
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1 and '"core_accessevent"' in inserts[0]


# --- profile ---------------------------------------------------------------------------


def test_profile_in_scope_shows_fields_and_derived_values(viewer_a, people):
    response = viewer_a.get(reverse("people:detail", args=[people.anh.pk]))
    assert response.status_code == 200
    assert by_id(response, "person-name") == "Nguyễn Văn Ánh"
    assert by_id(response, "birth-date") == "05/03/1980"
    assert by_id(response, "retirement-age") == "62 tuổi"
    assert by_id(response, "retirement-date") == "31/03/2042"
    assert by_id(response, "management-level") == "Cấp ủy cấp xã quản lý"
    assert by_id(response, "is-local") == "Có"
    assert by_id(response, "current-positions") == "Bí thư Đảng ủy xã – Đảng ủy xã An Bình"
    # Judged against the area the post's unit governs (ADR 0013): hometown in commune A.
    assert by_id(response, "post-locality") == "Bí thư Đảng ủy xã: Có"
    content = response.content.decode()
    # A viewer gets no edit buttons.
    assert reverse("people:update", args=[people.anh.pk]) not in content
    assert reverse("people:history", args=[people.anh.pk]) in content


def test_profile_records_an_access_entry(viewer_a, people):
    viewer_a.get(reverse("people:detail", args=[people.anh.pk]))
    event = AccessEvent.objects.get()
    assert (event.actor, event.object_id, event.source) == (
        people.viewer_a,
        str(people.anh.pk),
        "ui",
    )


def test_profile_year_only_birth_date(admin, people):
    response = admin.get(reverse("people:detail", args=[people.binh.pk]))
    assert by_id(response, "birth-date") == "1985"
    assert by_id(response, "retirement-date") == "31/01/2045"
    assert by_id(response, "retirement-age") == "60 tuổi"


def test_profile_shows_vote_shares(admin, people):
    services.section_create(
        actor=None,
        person=people.anh,
        kind="confidence_vote",
        year=2024,
        body="Hội nghị Ban Chấp hành",
        high=20,
        normal=8,
        low=2,
        base=30,
    )
    content = admin.get(reverse("people:detail", args=[people.anh.pk])).content.decode()
    assert '20 <span class="text-muted small">(66,67%)</span>' in content
    assert '2 <span class="text-muted small">(6,67%)</span>' in content


def test_profile_out_of_scope_is_not_found_and_not_logged(viewer_a, people):
    response = viewer_a.get(reverse("people:detail", args=[people.binh.pk]))
    assert response.status_code == 404
    assert "Đặng Thị Bình" not in response.content.decode()
    assert AccessEvent.objects.count() == 0


def test_profile_unknown_id_is_not_found(viewer_a, people):
    assert viewer_a.get(reverse("people:detail", args=[999999])).status_code == 404


# --- history ---------------------------------------------------------------------------


def test_history_shows_who_when_source_and_changes(client, people):
    client.force_login(people.editor_a)
    client.post(
        reverse("people:update", args=[people.anh.pk]),
        {
            "id_number": "001080000001",
            "family_name": "Nguyễn",
            "middle_name": "Văn",
            "given_name": "Ánh",
            "sex": "M",
            "birth_date": "05/03/1980",
            "ethnicity": Person.objects.get(pk=people.anh.pk).ethnicity_id,
            "unit": people.xa.pk,
            "hometown": "00001",
            "political_theory": "4",
            "professional_degree": "4",
        },
    )
    response = client.get(reverse("people:history", args=[people.anh.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('class="card mb-2 history-entry"') == 3  # update, create, work history
    first = content.split('class="card mb-2 history-entry"')[1]
    assert "sua_a" in first
    assert "Giao diện" in first
    assert "Cập nhật" in first
    assert (
        '<td>Lý luận chính trị</td><td class="text-danger-emphasis">Cao cấp</td><td class="text-success-emphasis">Cử nhân</td>'
        in first
    )
    assert "Quá trình công tác: Bí thư Đảng ủy xã – Đảng ủy xã An Bình" in content


def test_history_out_of_scope_is_not_found(viewer_a, people):
    assert viewer_a.get(reverse("people:history", args=[people.binh.pk])).status_code == 404
