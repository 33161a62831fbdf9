"""Exporting the registry's sheets, and what an export of a unit subtree covers.

A package of a subtree also carries the units, positions and areas that its
other rows name (`Selection.referenced`), with their ancestors, so that it can
be imported into a database that has none of them.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q, QuerySet

from canbo.core import scope
from canbo.core.dates import format_day
from canbo.exchange.cells import write_bool
from canbo.exchange.exporter import CHUNK, Selection, label, values_of
from canbo.organizations.models import (
    Area,
    AreaSuccession,
    Position,
    PositionTitle,
    Term,
    Unit,
    UnitSuccession,
)

from .sheets import AREAS, TERMS, TITLES, UNITS


def units(sel: Selection) -> QuerySet[Unit]:
    """The selected units: the root's subtree (or every unit), within the user's scope."""
    qs = Unit.objects.all()
    if sel.root is not None:
        qs = qs.filter(path__startswith=sel.root.path)
    return scope.restrict(qs, sel.user) if sel.user is not None else qs


def referenced_positions(sel: Selection) -> QuerySet[Position]:
    """Positions outside the selection that its other rows name (work history, plans)."""
    named = None
    for ids in sel.referenced("position"):
        named = Q(pk__in=ids) if named is None else named | Q(pk__in=ids)
    if named is None:
        return Position.objects.none()
    return Position.objects.filter(named).exclude(unit__in=units(sel).values("pk"))


def _ancestors(model, ids: set[int]) -> set[int]:
    paths = set(model.objects.filter(pk__in=ids).values_list("path", flat=True))
    prefixes = {p[:i] for p in paths for i in range(model.steplen, len(p), model.steplen)}
    return set(model.objects.filter(path__in=prefixes).values_list("pk", flat=True))


def unit_ids(sel: Selection) -> set[int]:
    """The units a package needs: the selection, the units of the positions and other
    records its rows name, and the ancestors of all of them (the other units come
    with code and name only)."""
    ids = set(units(sel).values_list("pk", flat=True))
    ids |= set(referenced_positions(sel).values_list("unit_id", flat=True))
    for named in sel.referenced("unit"):
        ids |= set(named)
    return ids | _ancestors(Unit, ids)


def area_ids(sel: Selection) -> set[int]:
    """The areas the exported records name, their successors, and all their ancestors."""
    ids = set(Unit.objects.filter(pk__in=unit_ids(sel)).exclude(area=None).values_list("area_id", flat=True))
    for named in sel.referenced("area"):
        ids |= set(named)
    successors: dict[int, list[int]] = {}
    for pred, succ in AreaSuccession.objects.values_list("predecessor_id", "successor_id"):
        successors.setdefault(pred, []).append(succ)
    frontier = set(ids)
    while frontier:
        found = {s for pk in frontier for s in successors.get(pk, ())} - ids
        ids |= found
        frontier = found
    return ids | _ancestors(Area, ids)


def _tree_rows(model, qs: QuerySet, extra: list[str]) -> Iterator[tuple[dict, str | None]]:
    """Nodes in path order with the code of each one's parent."""
    code_at: dict[str, str] = {}
    for values in qs.order_by("path").values("path", "code", *extra).iterator(chunk_size=CHUNK):
        path = values["path"]
        code_at[path] = values["code"]
        parent_path = path[: -model.steplen]
        parent = code_at.get(parent_path)
        if parent is None and parent_path:
            parent = model.objects.filter(path=parent_path).values_list("code", flat=True).first()
        yield values, parent


def area_rows(sel: Selection) -> Iterator[list]:
    qs = Area.objects.all() if sel.everything else Area.objects.filter(pk__in=area_ids(sel))
    kinds, levels = AREAS.column("kind").choices, AREAS.column("level").choices
    fields = ["official_code", "name", "kind", "level", "valid_from", "valid_to"]
    for v, parent in _tree_rows(Area, qs, fields):
        yield [v["code"], v["official_code"], v["name"], label(kinds, v["kind"]),
               label(levels, v["level"]), parent or "",
               format_day(v["valid_from"]), format_day(v["valid_to"])]  # fmt: skip


def _succession_rows(qs: QuerySet) -> Iterator[list]:
    rows = qs.order_by("predecessor__code", "successor__code").values_list(
        "predecessor__code", "successor__code", "effective_date"
    )
    for pred, succ, day in rows.iterator(chunk_size=CHUNK):
        yield [pred, succ, format_day(day)]


def area_succession_rows(sel: Selection) -> Iterator[list]:
    qs = AreaSuccession.objects.all()
    if not sel.everything:
        ids = area_ids(sel)
        qs = qs.filter(predecessor__in=ids, successor__in=ids)
    return _succession_rows(qs)


def title_rows(sel: Selection) -> Iterator[list]:
    kinds = TITLES.column("level").choices, TITLES.column("management_level").choices
    fields = ("code", "name", "level", "rank", "is_key", "is_head", "management_level")
    for code, name, level, rank, key, head, mlevel in values_of(PositionTitle.objects.order_by("code"), *fields):
        yield [code, name, label(kinds[0], level), rank, write_bool(key), write_bool(head),
               label(kinds[1], mlevel)]  # fmt: skip


def term_rows(sel: Selection) -> Iterator[list]:
    body_choices = TERMS.column("body").choices
    qs = Term.objects.order_by("body", "start_date")
    for body, name, start, end in values_of(qs, "body", "name", "start_date", "end_date"):
        yield [label(body_choices, body), name, format_day(start), format_day(end)]


def unit_rows(sel: Selection) -> Iterator[list]:
    kind_choices, level_choices = UNITS.column("kind").choices, UNITS.column("level").choices
    fields = ["name", "short_name", "kind", "level", "area__code", "is_difficult_area",
              "valid_from", "valid_to"]  # fmt: skip
    qs = Unit.objects.all() if sel.everything else Unit.objects.filter(pk__in=unit_ids(sel))
    for v, parent in _tree_rows(Unit, qs, fields):
        yield [v["code"], v["name"], v["short_name"], label(kind_choices, v["kind"]),
               label(level_choices, v["level"]), parent or "", v["area__code"] or "",
               write_bool(v["is_difficult_area"]), format_day(v["valid_from"]), format_day(v["valid_to"])]  # fmt: skip


def unit_succession_rows(sel: Selection) -> Iterator[list]:
    qs = UnitSuccession.objects.all()
    if not sel.everything:
        selected = units(sel).values("pk")
        qs = qs.filter(predecessor__in=selected, successor__in=selected)
    return _succession_rows(qs)


def position_rows(sel: Selection) -> Iterator[list]:
    qs = Position.objects.all()
    if not sel.everything:
        qs = qs.filter(unit__in=units(sel).values("pk")) | referenced_positions(sel)
    qs = qs.order_by("unit__path", "title__code")
    for unit, title, seats, unit_name, title_name in values_of(
        qs, "unit__code", "title__code", "seats", "unit__name", "title__name"
    ):
        yield [unit, title, seats, unit_name, title_name]


ROWS = {
    "areas": area_rows,
    "area_successions": area_succession_rows,
    "titles": title_rows,
    "terms": term_rows,
    "units": unit_rows,
    "unit_successions": unit_succession_rows,
    "positions": position_rows,
}
