"""Planning pages' rough edges (issue 17 item 7): each bench bar is drawn against P1's most
people for the position (its length says how full the bench is), no blank column heading
on the plan and review pages."""

import dataclasses
import datetime as dt
import re

import pytest

from canbo.planning import services
from canbo.planning.bench import plan_bench
from canbo.planning.models import Plan
from canbo.rules.selectors import rule_set_in_force

from .conftest import AS_OF
from .test_views import ON, draft, editor, text, url, viewer  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def bar(response, position) -> tuple[str, str, str]:
    """(the successors' width, the eligible's width, the numbers beside) of the row."""
    row = text(response).split(f'id="bench-{position.pk}"', 1)[1].split("</tr>", 1)[0]
    svg = re.search(r'<svg[^>]*class="bench-bar"[^>]*>(.*?)</svg>', row, re.S).group(1)
    rects = re.findall(r'<rect [^>]*width="([^"]*)" fill="([^"]*)"', svg)
    assert [colour for _width, colour in rects] == ["#e9ecef", "#ffc107", "#198754"]
    assert rects[0][0] == "100%"
    numbers = re.search(r'<span class="small eligible-count">(.*?)</td>', row, re.S).group(1)
    numbers = " ".join(re.sub(r"<[^>]+>", "", numbers).split())
    return rects[1][0], rects[2][0], numbers


def test_bench_bars_are_drawn_against_p1s_most(viewer, plan, positions):  # noqa: F811
    response = viewer.get(url("bench", plan) + "?" + ON)
    assert response.status_code == 200
    # P1: at most 3 people per seat. BT: An, eligible: a third of the bar, not all of it.
    assert bar(response, positions.bt) == ("33%", "33%", "1/1 (tối đa 3)")
    # PBT: An and Bình, both eligible.
    assert bar(response, positions.pbt) == ("67%", "67%", "2/2 (tối đa 3)")
    # TB: nobody.
    assert bar(response, positions.tb) == ("0%", "0%", "0/0 (tối đa 3)")
    # PCT has two seats: up to six people; Cường is one.
    assert bar(response, positions.pct) == ("17%", "17%", "1/1 (tối đa 6)")
    assert "Cả thanh là số người tối đa được quy hoạch vào chức danh (P1)" in text(response)


def test_a_row_half_eligible_is_half_green(viewer, draft, positions, cadres):  # noqa: F811
    # Hải retires on 31/10/2027, before the 2035 term: a successor, not an eligible one.
    services.entry_add(actor=None, plan=draft, person=cadres.h, position=positions.bt,
                       added_on=dt.date(2026, 1, 5))  # fmt: skip
    response = viewer.get(url("bench", draft) + "?" + ON)
    assert bar(response, positions.bt) == ("67%", "33%", "1/2 (tối đa 3)")
    assert bar(response, positions.pbt) == ("33%", "33%", "1/1 (tối đa 3)")
    assert bar(response, positions.gd) == ("0%", "0%", "0/0 (tối đa 3)")


def test_more_successors_than_p1_allows_fill_the_bar(viewer, draft, positions, cadres):  # noqa: F811
    for person in (cadres.c, cadres.d, cadres.h):
        services.entry_add(actor=None, plan=draft, person=person, position=positions.bt,
                           added_on=dt.date(2026, 1, 5))  # fmt: skip
    response = viewer.get(url("bench", draft) + "?" + ON)
    # Four named for at most three (P1 reports it): the whole bar. Hải and Dũng retire
    # before the 2035 term is through: An and Cường, half of them, are eligible.
    assert bar(response, positions.bt) == ("100%", "50%", "2/4 (tối đa 3)")


def test_most_follows_the_rule_set(plan, positions):
    rules = rule_set_in_force(AS_OF)
    rows = {r.position.id: r for r in plan_bench(Plan.objects.all(), AS_OF, rules)[plan.pk]}
    assert [(r.most, r.successors_share, r.eligible_share) for r in rows.values()] == [
        (3, 33, 33), (3, 67, 67), (3, 33, 33), (3, 0, 0), (6, 17, 17), (3, 0, 0),
    ]  # fmt: skip
    # Per position whatever its seats: PCT's bar is against 2.
    per_position = rules.with_parameters("P1", max_people_per_position=2, multiply_by_seats=False)
    rows = plan_bench(Plan.objects.all(), AS_OF, per_position)[plan.pk]
    assert [(r.most, r.successors_share) for r in rows] == [
        (2, 50), (2, 100), (2, 50), (2, 0), (2, 50), (2, 0),
    ]  # fmt: skip
    # Without P1 in the rule set: each bar against its own successors (the numbers still say).
    no_p1 = dataclasses.replace(rules, rules=tuple(r for r in rules.rules if r.code != "P1"))
    rows = plan_bench(Plan.objects.all(), AS_OF, no_p1)[plan.pk]
    assert [(r.most, r.successors_share, r.eligible_share) for r in rows] == [
        (0, 100, 100), (0, 100, 100), (0, 100, 100), (0, 0, 0), (0, 100, 100), (0, 0, 0),
    ]  # fmt: skip


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


def test_export_number_box_shows_a_hint_not_a_value(editor, draft):  # noqa: F811
    # Left empty, the document leaves the number for the clerk: a bare "127-DS/TU" in the
    # box read as the number it would carry (issue 17).
    content = text(editor.get(url("detail", draft)))
    box = re.search(r'<input[^>]*id="export-number"[^>]*>', content).group(0)
    assert 'placeholder="vd. 127-DS/TU"' in box
    assert "value=" not in box
