"""The stored merger lineage (ADR 0015) and "local or not" judged inside SQL.

The lineage must always be what `lineage.rebuild` would write, whichever way areas and
links are written; and the SQL judgement must give the Python rule's answer
(`locality.is_local_to_post`) for any merger graph, including a unit without an area of
its own (judged by its nearest ancestor's).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canbo.organizations import lineage, locality
from canbo.organizations.choices import AreaKind, AreaLevel
from canbo.organizations.locality_sql import with_local_to_post
from canbo.organizations.models import Area, AreaLineage, AreaSuccession
from canbo.organizations.selectors import governed_area_ids
from canbo.people.models import Person
from tests.factories import PersonFactory, make_area, make_unit

pytestmark = pytest.mark.django_db

REFORM = dt.date(2025, 7, 1)


def test_closure_follows_links_both_ways_transitively():
    assert lineage.closure([(1, 2), (2, 3), (4, 3)]) == [
        (1, 2, True), (1, 3, True), (2, 3, True), (4, 3, True),
        (2, 1, False), (3, 1, False), (3, 2, False), (3, 4, False),
    ]  # fmt: skip
    assert lineage.closure([(1, 2), (2, 1)]) == [(1, 2, True), (2, 1, True),
                                                 (1, 2, False), (2, 1, False)]  # fmt: skip


def rows():
    return sorted(AreaLineage.objects.values_list("area__code", "relative__code", "later"))


def test_every_single_write_keeps_the_lineage_current():
    p = make_area("P", "Tỉnh P")
    a = make_area("A", "Xã A", p, AreaKind.COMMUNE, AreaLevel.COMMUNE)
    b = make_area("B", "Xã B", p, AreaKind.COMMUNE, AreaLevel.COMMUNE)
    c = make_area("C", "Xã C", p, AreaKind.COMMUNE, AreaLevel.COMMUNE)
    assert rows() == [("A", "A", True), ("B", "B", True), ("C", "C", True), ("P", "P", True)]
    link = AreaSuccession.objects.create(predecessor=a, successor=b, effective_date=REFORM)
    b.successors.add(c, through_defaults={"effective_date": REFORM})
    assert [r for r in rows() if r[0] != r[1]] == [
        ("A", "B", True), ("A", "C", True), ("B", "A", False), ("B", "C", True),
        ("C", "A", False), ("C", "B", False),
    ]  # fmt: skip
    assert lineage.is_current()
    link.delete()
    assert [r for r in rows() if r[0] != r[1]] == [("B", "C", True), ("C", "B", False)]
    b.successors.clear()
    assert [r for r in rows() if r[0] != r[1]] == []
    c.delete()
    assert lineage.is_current()
    # A stale table is noticed (what the bulk writers' rebuild prevents).
    AreaLineage.objects.filter(area=a).delete()
    assert not lineage.is_current()
    assert lineage.rebuild() == 3
    assert lineage.is_current()


@pytest.fixture
def world(db):
    """Two provinces: P (districts D1 with communes C11, C12; D2 with C21) and Q (E1);
    a unit governing each area, and an office without an area under D1's unit; one
    person from each area recorded at each unit (the record unit stands in for the
    post's unit here: the rule takes any unit)."""
    p = make_area("P", "Tỉnh P")
    d1 = make_area("D1", "Huyện 1", p, AreaKind.DISTRICT, AreaLevel.DISTRICT)
    d2 = make_area("D2", "Huyện 2", p, AreaKind.DISTRICT, AreaLevel.DISTRICT)
    areas = [p, d1, d2,
             make_area("C11", "Xã 11", d1, AreaKind.COMMUNE, AreaLevel.COMMUNE),
             make_area("C12", "Xã 12", d1, AreaKind.COMMUNE, AreaLevel.COMMUNE),
             make_area("C21", "Xã 21", d2, AreaKind.COMMUNE, AreaLevel.COMMUNE)]  # fmt: skip
    q = make_area("Q", "Tỉnh Q")
    areas += [q, make_area("E1", "Xã E1", q, AreaKind.COMMUNE, AreaLevel.COMMUNE)]
    top = make_unit("U-P", "Tỉnh ủy P", area=p)
    units = [top]
    for area in areas[1:6]:
        units.append(make_unit(f"U-{area.code}", f"Đơn vị {area.code}", top, area=area))
    units.append(make_unit("VP-D1", "Văn phòng", units[1]))  # no area: D1's
    units.append(make_unit("U-Q", "Tỉnh ủy Q", area=q))
    units.append(make_unit("U-E1", "Đảng ủy E1", units[-1], area=areas[7]))
    for unit in units:
        for area in areas:
            PersonFactory(hometown=area, unit=unit)
        PersonFactory(hometown=None, unit=unit)
    return areas, units


def judged_in_sql() -> dict[tuple, bool | None]:
    qs = with_local_to_post(Person.objects.all(), hometown="hometown_id", unit="unit")
    return {(h, u): local for h, u, local in qs.values_list("hometown_id", "unit_id", "local")}


def judged_in_python(units) -> dict[tuple, bool | None]:
    path_of = dict(Area.objects.values_list("pk", "path"))
    successors: dict[int, list[int]] = {}
    for pred, succ in AreaSuccession.objects.values_list("predecessor_id", "successor_id"):
        successors.setdefault(pred, []).append(succ)
    predecessors = locality.predecessors(successors)
    governed = governed_area_ids(units)
    return {
        (h, u.pk): locality.is_local_to_post(h, governed[u.pk], path_of, successors, predecessors)
        for h in [*path_of, None]
        for u in units
    }


def test_without_mergers_a_post_is_local_to_its_own_area_and_what_lies_inside(world):
    areas, units = world
    by_code = {a.code: a.pk for a in areas}
    sql = judged_in_sql()
    office = next(u for u in units if u.code == "VP-D1")
    assert sql[(by_code["C11"], office.pk)] is True  # inside D1, the office's ancestor's
    assert sql[(by_code["C21"], office.pk)] is False
    assert sql[(None, office.pk)] is None
    assert sql == judged_in_python(units)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(links=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=6))
def test_sql_and_python_agree_on_any_merger_graph(world, links):
    areas, units = world
    AreaSuccession.objects.all().delete()
    AreaSuccession.objects.bulk_create(
        [AreaSuccession(predecessor=areas[a], successor=areas[b], effective_date=REFORM)
         for a, b in sorted(set(links)) if a != b]  # fmt: skip
    )
    lineage.rebuild()
    assert judged_in_sql() == judged_in_python(units)
