"""Reads on areas, units and positions. Units and positions are scoped."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from canbo.core import scope
from canbo.core.search import match_words
from canbo.core.vntext import fold

from . import locality
from .models import Area, AreaSuccession, Position, PositionTitle, Unit


def area_list(
    *, search: str = "", current_only: bool = False, on: dt.date | None = None
) -> QuerySet[Area]:
    """Areas are public reference data: every signed-in user may read them.

    `current_only`: those not abolished; `on`: those in force on that date (`areas_on`).
    """
    qs = Area.objects.all().order_by("path")
    if search:
        qs = match_words(qs, "name_folded", search)
    if current_only:
        qs = qs.filter(valid_to__isnull=True)
    if on is not None:
        qs = areas_on(qs, on)
    return qs


def unit_list(*, user, action: str = scope.VIEW) -> QuerySet[Unit]:
    return scope.restrict(Unit.objects.select_related("area"), user, action).order_by("path")


def unit_get(*, user, pk, action: str = scope.VIEW) -> Unit:
    return unit_list(user=user, action=action).get(pk=pk)


def units_matching(units: QuerySet[Unit], text: str) -> QuerySet[Unit]:
    """The units of `units` whose name has a word starting with each word of `text`, accents
    and case aside ("an binh" finds xã An Bình, not Đảng ủy xã Bình Minh, whose "dang" holds
    "an"), or whose code starts with `text` (as typed or in capitals); all for no text."""
    text = (text or "").strip()
    if not text:
        return units
    by_name = Q()
    for word in fold(text).split():
        by_name &= Q(name_folded__startswith=word) | Q(name_folded__contains=f" {word}")
    by_code = Q(code__startswith=text) | Q(code__startswith=text.upper())
    return units.filter(by_name | by_code)


def unit_search(
    units: QuerySet[Unit], text: str, *, on: dt.date, limit: int
) -> list[tuple[Unit, bool]]:
    """At most `limit` units of `units` matching `text` (`units_matching`), each with
    whether it is in force on `on`: those in force first, then the abolished ones; each
    group by depth, then in tree order. Two queries at most."""
    matching = units_matching(units.select_related(None), text)
    found = list(units_on(matching, on).order_by("depth", "path")[:limit])
    current = {u.pk for u in found}
    if len(found) < limit:
        others = matching.exclude(pk__in=current).order_by("depth", "path")
        found += list(others[: limit - len(found)])
    return [(u, u.pk in current) for u in found]


def unit_parents(*, user, units: list[Unit]) -> dict[int, list[Unit]]:
    """For each unit, its ancestors that `user` may see, from the top down (one query).
    A unit's path in a search result: ancestors out of sight are not named."""
    prefixes = {u.path[:i] for u in units for i in range(u.steplen, len(u.path), u.steplen)}
    if not prefixes:
        return {u.pk: [] for u in units}
    seen = {a.path: a for a in unit_list(user=user).select_related(None).filter(path__in=prefixes)}
    return {
        u.pk: [seen[u.path[:i]] for i in range(u.steplen, len(u.path), u.steplen)
               if u.path[:i] in seen]
        for u in units
    }  # fmt: skip


def unit_roots(*, user) -> list[Unit]:
    """The top of the tree a user sees: the root units for administrators, else the
    granted units that no other subtree grant of the user already covers."""
    if scope.is_administrator(user):
        return list(Unit.objects.get_root_nodes().select_related("area"))
    if not getattr(user, "is_authenticated", False):
        return []
    grants = user.scope_grants.select_related("unit__area").order_by("unit__path")
    roots: list[Unit] = []
    covering: list[str] = []
    for g in grants:
        if any(g.unit.path.startswith(p) for p in covering):
            continue
        roots.append(g.unit)
        if g.include_subtree:
            covering.append(g.unit.path)
    return roots


def unit_children(*, user, unit: Unit) -> QuerySet[Unit]:
    """The direct children of a unit that the user may see."""
    return unit_list(user=user).filter(path__startswith=unit.path, depth=unit.depth + 1)


def unit_effective_area(unit: Unit | None) -> Area | None:
    """The area a unit governs: its own, else the nearest ancestor's."""
    if unit is None:
        return None
    if unit.area_id:
        return unit.area
    ancestors = (
        Unit.objects.filter(
            path__in=[unit.path[:i] for i in range(unit.steplen, len(unit.path), unit.steplen)]
        )
        .exclude(area__isnull=True)
        .select_related("area")
        .order_by("-depth")
    )
    first = ancestors.first()
    return first.area if first else None


def area_current_paths(area: Area | None) -> list[str]:
    """The area's path and the paths of its successors, followed to the present."""
    if area is None:
        return []
    paths, seen, frontier = [area.path], {area.pk}, [area.pk]
    while frontier:
        rows = list(
            Area.objects.filter(predecessors__in=frontier).values_list("pk", "path").distinct()
        )
        frontier = [pk for pk, _ in rows if pk not in seen]
        seen.update(frontier)
        paths.extend(path for pk, path in rows if pk in frontier)
    return paths


def is_local_to(hometown: Area | None, unit: Unit | None) -> bool | None:
    """A person is local to a unit when their hometown lies inside the unit's area.

    Old (pre-2025) hometowns count through their successors. None when unknown.
    """
    governed = unit_effective_area(unit)
    if hometown is None or governed is None:
        return None
    return locality.paths_are_local(area_current_paths(hometown), area_current_paths(governed))


def locality_maps() -> tuple[dict[int, str], dict[int, list[int]]]:
    """Every area's path and successors, for bulk use of `locality.is_local`."""
    path_of = dict(Area.objects.values_list("pk", "path"))
    successors_of: dict[int, list[int]] = {}
    for pred, succ in AreaSuccession.objects.values_list("predecessor_id", "successor_id"):
        successors_of.setdefault(pred, []).append(succ)
    return path_of, successors_of


def governed_area_ids(units: list[Unit]) -> dict[int, int | None]:
    """For each unit, the area it governs (its own, else the nearest ancestor's), in one query."""
    prefixes = {u.path[:i] for u in units for i in range(u.steplen, len(u.path) + 1, u.steplen)}
    area_at = dict(Unit.objects.filter(path__in=prefixes).values_list("path", "area_id"))
    result = {}
    for u in units:
        candidates = (area_at.get(u.path[:i]) for i in range(len(u.path), 0, -u.steplen))
        result[u.pk] = next((a for a in candidates if a), None)
    return result


def position_list(*, user, action: str = scope.VIEW) -> QuerySet[Position]:
    return scope.restrict(Position.objects.select_related("unit", "title"), user, action).order_by(
        "unit__path", "-title__rank"
    )


def position_title_list() -> QuerySet[PositionTitle]:
    return PositionTitle.objects.all()


def valid_on_q(on: dt.date, prefix: str = "") -> Q:
    """Rows in force on `on`: no start or started by then, no end or not ended before.

    `valid_to` is the last day a unit or area existed (the pre-2025 districts and
    communes end on 30/06/2025; their successors start on 01/07/2025).
    """
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": on})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


def units_on(qs: QuerySet[Unit], on: dt.date | None = None) -> QuerySet[Unit]:
    """The units of `qs` as the tree stood on `on` (today by default)."""
    return qs.filter(valid_on_q(on or dt.date.today()))


def areas_on(qs: QuerySet[Area], on: dt.date | None = None) -> QuerySet[Area]:
    """The areas of `qs` as they stood on `on`: 2018 sees the pre-2025 districts and
    communes (codes "cu-…"), 2026 the new communes (docs/areas.md)."""
    return qs.filter(valid_on_q(on or dt.date.today()))
