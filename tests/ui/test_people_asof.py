"""The people list page as of a date (issue 13 item 3): the "Ngày" field, the note
"Số liệu tại ngày …", the posts and ages of that date, and errors instead of a full list."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from canbo.people import selectors
from tests.factories import PersonFactory
from tests.people.asof_city import TODAY, build_city, hold

from .conftest import by_id, listed_names

LIST = reverse("people:list")


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(selectors, "today", lambda: TODAY)


@pytest.fixture
def city(db):
    return build_city()


@pytest.fixture
def admin(client, admin_user, city):
    client.force_login(admin_user)
    return client


def row_of(response, name: str) -> list[str]:
    """The cells of the row of `name`, tags removed."""
    content = response.content.decode()
    for row in re.findall(r"<tr>(.*?)</tr>", content, re.S):
        if f">{name}</a>" in row:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]
    raise AssertionError(f"no row for {name}")


def test_the_form_has_the_date_field_and_the_unit_box(admin):
    content = admin.get(LIST).content.decode()
    assert '<label class="form-label small fw-semibold" for="id_as_of">Ngày</label>' in content
    assert 'placeholder="dd/mm/yyyy"' in content
    assert 'list="unit-options"' in content and '<datalist id="unit-options">' in content
    assert f'data-unit-suggest="{reverse("organizations:unit-suggest")}"' in content
    assert '<script src="/static/canbo/unit-suggest.js"></script>' in content
    assert 'id="as-of-note"' not in content  # today: no note


def test_the_list_as_of_a_past_date(admin):
    response = admin.get(LIST, {"as_of": "30/11/2018", "position_title": "BT"})
    assert response.status_code == 200
    assert by_id(response, "as-of-note") == "Số liệu tại ngày 30/11/2018"
    assert listed_names(response) == ["Phạm Văn Bình", "Trần Văn Cường", "Đỗ Văn Em"]
    binh = row_of(response, "Phạm Văn Bình")
    assert binh[5] == "53"  # age on 30/11/2018
    assert binh[7] == "Chủ tịch UBND – Huyện ủy Đông Anh (kiêm nhiệm) Bí thư – Huyện ủy Đông Anh"
    assert "Chức vụ tại ngày" in response.content.decode()
    # The same list today: Cường's district is gone, Bình chairs no more.
    today = admin.get(LIST, {"position_title": "BT"})
    assert row_of(today, "Phạm Văn Bình")[5:8] == ["61", "Thành ủy Thử Nghiệm",
                                                   "Bí thư – Huyện ủy Đông Anh"]  # fmt: skip
    assert 'id="as-of-note"' not in today.content.decode()


def test_the_htmx_fragment_carries_the_note(admin):
    response = admin.get(LIST, {"as_of": "30/06/2015"}, HTTP_HX_REQUEST="true")
    assert by_id(response, "as-of-note") == "Số liệu tại ngày 30/06/2015"
    assert len(listed_names(response)) == 5


def test_an_impossible_date_shows_the_error_and_nobody(admin):
    response = admin.get(LIST, {"as_of": "31/02/2018"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert by_id(response, "filter-errors") == (
        "Ngày: Ngày 31/02/2018 không tồn tại."
    )
    assert listed_names(response) == []
    full = admin.get(LIST, {"as_of": "31/02/2018"}).content.decode()
    assert "Bộ lọc chưa hợp lệ, chưa có kết quả:" in full
    assert "Ngày 31/02/2018 không tồn tại." in full


def test_an_unknown_parameter_shows_the_error_and_nobody(admin):
    response = admin.get(LIST, {"as_off": "2018-01-01"})
    assert by_id(response, "filter-errors") == (
        "Tham số không được nhận: as_off. "
        "Các tham số được nhận: as_of, search, unit, sex, age_min, age_max, ethnicity, minority, "
        "degree, political_theory, position_title, post_level, also_holds, is_local, local_to_post, page, count."
    )
    assert listed_names(response) == []
    # The page's own parameters are accepted.
    assert len(listed_names(admin.get(LIST, {"page": "1", "count": "exact"}))) == 5


def test_an_ambiguous_unit_name_shows_the_codes(admin):
    response = admin.get(LIST, {"unit": "huyen uy dong anh"})
    assert by_id(response, "filter-errors") == (
        "Đơn vị (gồm trực thuộc): "
        "Có nhiều đơn vị tên “huyen uy dong anh”: HDA, HDA2. Hãy ghi mã đơn vị."
    )
    assert listed_names(response) == []
    picked = admin.get(LIST, {"unit": "TU · Thành ủy Thử Nghiệm"})
    assert len(listed_names(picked)) == 5


@pytest.mark.parametrize("extra", [0, 40])
def test_query_count_as_of_a_date_does_not_grow_with_rows(
    admin, city, extra, django_assert_max_num_queries
):
    for n in range(extra):
        person = PersonFactory(id_number=f"0010990{n:05d}", unit=city.tu)
        hold(person, city.pbt_hda, dt.date(2014, 1, 1), dt.date(2019, 1, 1), end_precision="Y")
    query = {"as_of": "30/11/2018", "post_level": "district", "unit": "Thành ủy Thử Nghiệm"}
    # The list without a date takes 10 (access entry and the navigation's to-do count
    # included); a unit named by name one more.
    with django_assert_max_num_queries(11):
        response = admin.get(LIST, query)
    assert len(listed_names(response)) == 3 + extra  # Bình, Cường, Dung and the new deputies
