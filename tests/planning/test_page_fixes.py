"""Planning pages' rough edges (issue 17 item 7): each bench bar is the row's own successors
(green: the eligible among them), no blank column heading on the plan and review pages."""

import datetime as dt
import re

import pytest

from canbo.planning import services

from .test_views import ON, draft, editor, text, url, viewer  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def bar(response, position) -> tuple[str, str]:
    """(whole bar's colour, the green part's width) of the position's row."""
    row = text(response).split(f'id="bench-{position.pk}"', 1)[1].split("</tr>", 1)[0]
    svg = re.search(r'<svg[^>]*class="bench-bar"[^>]*>(.*?)</svg>', row, re.S).group(1)
    rects = re.findall(r'<rect [^>]*width="([^"]*)" fill="([^"]*)"', svg)
    assert len(rects) == 2
    (whole, colour), (green, green_colour) = rects
    assert (whole, green_colour) == ("100%", "#198754")
    return colour, green


def test_bench_bars_are_scaled_to_their_own_row(viewer, plan, positions):  # noqa: F811
    response = viewer.get(url("bench", plan) + "?" + ON)
    assert response.status_code == 200
    # BT: An, eligible (1/1): all green, though PBT has two successors.
    assert bar(response, positions.bt) == ("#ffc107", "100%")
    # PBT: An and Bình, both eligible.
    assert bar(response, positions.pbt) == ("#ffc107", "100%")
    # TB: nobody (0/0): a grey bar, no green.
    assert bar(response, positions.tb) == ("#e9ecef", "0%")
    assert "scale" not in response.context


def test_a_row_half_eligible_is_half_green(viewer, draft, positions, cadres):  # noqa: F811
    # Hải retires on 31/10/2027, before the 2035 term: a successor, not an eligible one.
    services.entry_add(actor=None, plan=draft, person=cadres.h, position=positions.bt,
                       added_on=dt.date(2026, 1, 5))  # fmt: skip
    response = viewer.get(url("bench", draft) + "?" + ON)
    assert bar(response, positions.bt) == ("#ffc107", "50%")
    assert bar(response, positions.pbt) == ("#ffc107", "100%")
    assert bar(response, positions.gd) == ("#e9ecef", "0%")


def test_review_page_names_its_columns(editor, plan):  # noqa: F811
    response = editor.get(url("reviews", plan))
    assert response.status_code == 200
    head = text(response).split('id="removal-table"', 1)[1].split("</thead>", 1)[0]
    assert re.findall(r'<th scope="col">([^<]*)</th>', head) == [
        "Người trong quy hoạch", "Lý do đưa ra", "Ghi chú",
    ]  # fmt: skip


def test_plan_page_has_no_blank_heading(editor, draft):  # noqa: F811
    response = editor.get(url("detail", draft))
    assert response.status_code == 200
    content = text(response)
    assert re.search(r"<th[^>]*>\s*</th>", content) is None
    assert '<th scope="col"><span class="visually-hidden">Thao tác</span></th>' in content
