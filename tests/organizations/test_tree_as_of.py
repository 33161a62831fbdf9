"""The unit tree as it stood on a date (issue 13): 2018 sees the pre-2025 districts,
2026 no longer does; the date follows the links and the children fragments; an
impossible date is a 400 naming it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.people.test_leaders import city as city  # noqa: F401  (the synthetic city)
from tests.people.test_leaders_pages import client_of, viewer_of
from tests.ui.conftest import by_id

pytestmark = pytest.mark.django_db

TREE = reverse("organizations:unit-tree")
HTMX = {"HTTP_HX_REQUEST": "true"}


def names(response) -> list[str]:
    return re.findall(r'data-unit="([^"]+)"', response.content.decode())


def test_the_tree_at_a_date_lists_the_units_in_force_then(city):  # noqa: F811
    client = client_of(viewer_of(city.tu))
    children = reverse("organizations:unit-children", args=[city.tu.pk])
    assert names(client.get(children, **HTMX)) == ["HU1", "UB1", "HU2", "UB2", "HU3", "UB3"]
    in_2018 = client.get(children, {"as_of": "30/11/2018"}, **HTMX)
    assert names(in_2018) == ["HU1", "UB1", "HU2", "UB2", "HU3", "UB3"]
    # the links and the next fragments keep the date; no counts (they are today's)
    assert f'/units/{city.d[1][2].pk}/children/?as_of=30/11/2018"' in in_2018.content.decode()
    assert f'/units/{city.d[2][3].pk}/?as_of=30/11/2018"' in in_2018.content.decode()
    assert "badge" not in in_2018.content.decode()
    in_2026 = client.get(children, {"as_of": "2026-01-15"}, **HTMX)
    assert names(in_2026) == []
    assert "Không có đơn vị trực thuộc trong phạm vi của bạn." in in_2026.content.decode()
    page = client.get(TREE, {"as_of": "15/01/2026"})
    assert page.status_code == 200
    assert names(page) == ["TU"]
    assert "như cây đơn vị tại ngày 15/01/2026" in page.content.decode()
    assert f'/units/{city.tu.pk}/?as_of=15/01/2026"' in page.content.decode()
    detail = client.get(reverse("organizations:unit-detail", args=[city.tu.pk]),
                        {"as_of": "30/11/2018"}).content.decode()  # fmt: skip
    assert f'/units/{city.d[1][2].pk}/?as_of=30/11/2018"' in detail  # its children, that day


def test_a_unit_abolished_before_the_date_is_not_a_root_then(city):  # noqa: F811
    client = client_of(viewer_of(city.d[1][2]))  # HU1 alone, abolished 30/06/2025
    assert names(client.get(TREE)) == ["HU1"]
    assert names(client.get(TREE, {"as_of": "30/11/2018"})) == ["HU1"]
    empty = client.get(TREE, {"as_of": "01/07/2025"})
    assert names(empty) == []
    assert "Không có đơn vị nào trong phạm vi của bạn còn hiệu lực tại ngày này." in (
        empty.content.decode()
    )


def test_an_impossible_date_is_a_400_naming_it(city):  # noqa: F811
    client = client_of(viewer_of(city.tu))
    refused = client.get(TREE, {"as_of": "31/02/2018"})
    assert refused.status_code == 400
    assert by_id(refused, "as-of-error") == "Ngày 31/02/2018 không tồn tại."
    children = reverse("organizations:unit-children", args=[city.tu.pk])
    assert client.get(children, {"as_of": "31/02/2018"}, **HTMX).status_code == 400
    # without htmx, the unit page at that date
    moved = client.get(children, {"as_of": "2018-11-30"})
    assert moved.status_code == 302
    assert moved["Location"] == f"/units/{city.tu.pk}/?as_of=30/11/2018"
