"""Importing the registry's sheets: the area and unit trees, catalogs and positions.

Also the questions other apps' sheets ask about units while they are planned:
which position a unit and title name, where a unit sits in the tree as the
package leaves it, and whether the actor may edit in a unit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canbo.core import scope
from canbo.core.db import insert_objects
from canbo.core.vntext import fold
from canbo.exchange.importer import NewRef, Op, PackageImport, describe_op
from canbo.exchange.parsing import Row
from canbo.exchange.sheets import Sheet
from canbo.organizations import lineage
from canbo.organizations.models import Area, Position, Unit
from canbo.organizations.signals import unit_area_changed

from .sheets import (
    AREA_SUCCESSIONS,
    AREAS,
    POSITIONS,
    TERMS,
    TITLES,
    UNIT_SUCCESSIONS,
    UNITS,
)

TREES = {AREAS.key: "area", UNITS.key: "unit"}
KEYED = {  # the fields that find a stored row of each flat sheet
    AREA_SUCCESSIONS.key: ("predecessor_id", "successor_id"),
    UNIT_SUCCESSIONS.key: ("predecessor_id", "successor_id"),
    TITLES.key: ("code",),
    TERMS.key: ("body", "start_date"),
    POSITIONS.key: ("unit_id", "title_id"),
}
# The natural key under which later rows find a record a flat sheet creates.
CREATED = {
    TITLES.key: ("title", lambda obj: obj.code),
    TERMS.key: ("term", lambda obj: (obj.body, obj.start_date)),
    POSITIONS.key: ("position", lambda obj: (obj.unit_id, obj.title_id)),
}
OUTSIDE = gettext_lazy("Ngoài phạm vi quyền của bạn; gói bị từ chối toàn bộ.")


@dataclass
class State:
    positions: dict | None = None  # (unit pk, title pk) -> position pk
    package_positions: set = field(default_factory=set)
    package_parents: dict | None = None  # unit code -> parent code, as the package says
    unit_parents: dict = field(default_factory=dict)  # unit code -> stored parent code
    area_changed_units: list[int] = field(default_factory=list)
    unit_paths: dict | None = None  # unit pk -> path, of the units the package names
    governs: dict = field(default_factory=dict)  # unit code -> governs an area (as left)
    stored_areas: dict = field(default_factory=dict)  # unit code -> stored area id
    unit_ops: dict | None = None  # unit code -> the Units sheet's op
    new_units: dict | None = None  # code -> op, of the units the package creates


def state(imp: PackageImport) -> State:
    return imp.state_of("organizations", State)


# --- planning ----------------------------------------------------------------------


def plan(imp: PackageImport) -> None:
    for sheet in (AREAS, UNITS):
        if imp.has(sheet):
            plan_tree(imp, sheet)
    for sheet in (AREA_SUCCESSIONS, UNIT_SUCCESSIONS, TITLES, TERMS, POSITIONS):
        if imp.has(sheet):
            imp.plan_keyed(sheet, KEYED[sheet.key], term_rules if sheet is TERMS else None)
    if imp.has(UNITS):
        warn_arealess_units(imp)


NO_AREA = gettext_lazy(
    "Đơn vị này và các đơn vị cấp trên đều không có địa bàn: không xác định được người địa "
    "phương cho cán bộ giữ chức vụ hay có hồ sơ ở đây. Hãy ghi Mã địa bàn."
)


def warn_arealess_units(imp: PackageImport) -> None:
    """Units the package leaves without an area they govern (their own or an ancestor's):
    locality cannot be judged for the posts and records there. Written anyway, with a
    warning that names each (issue 13)."""
    for op in imp.ops.get(UNITS.key, ()):
        if not governs_area(imp, op.row.values["code"]):
            imp.warning(UNITS, op.row, UNITS.column("area"), "", NO_AREA)


def _own_area(imp: PackageImport, code: str):
    """A unit's own area as the package leaves it: a pk, a NewRef, or None."""
    st = state(imp)
    if st.unit_ops is None:
        st.unit_ops = {o.row.values["code"]: o for o in imp.ops.get(UNITS.key, ())}
    op = st.unit_ops.get(code)
    if op is not None and "area_id" in op.values:
        return op.values["area_id"]
    if code not in st.stored_areas:
        row = imp.db["unit"].get(code)
        if row is None:
            row = Unit.objects.filter(code=code).values("area_id").first() or {"area_id": None}
        st.stored_areas[code] = row["area_id"]
    return st.stored_areas[code]


def governs_area(imp: PackageImport, code: str) -> bool:
    """Does the unit govern an area (its own or its nearest ancestor's), as the package
    leaves the tree?"""
    st = state(imp)
    chain = []
    seen: set[str] = set()
    while code and code not in seen:
        if code in st.governs:
            found = st.governs[code]
            break
        seen.add(code)
        chain.append(code)
        if _own_area(imp, code) is not None:
            found = True
            break
        code = parent_code(imp, code)
    else:
        found = False
    for item in chain:
        st.governs[item] = found
    return found


def term_rules(imp: PackageImport, sheet: Sheet, row: Row, values: dict) -> None:
    if values["end_date"] <= values["start_date"]:
        imp.problem(sheet, row, sheet.column("end_date"), values["end_date"],
                    _("Ngày kết thúc phải sau ngày bắt đầu."))  # fmt: skip


def plan_tree(imp: PackageImport, sheet: Sheet) -> None:
    model = sheet.model
    kind = TREES[sheet.key]
    db = imp.db[kind]
    fields = [c.key for c in sheet.writable if c.key not in ("code", "parent")]
    attnames = {"area": "area_id"}
    seen: dict = {}
    parent_of = {}
    for row in imp.rows[sheet.key]:
        if row.bad:
            continue
        code = row.values["code"]
        if imp.duplicate(sheet, row, seen, code, sheet.column("code")):
            continue
        values = {attnames.get(f, f): row.values[f] for f in fields}
        if model is Unit:
            values["area_id"] = imp.resolve(sheet, row, sheet.column("area"))
        absent = row.values["_absent"]
        values = {k: v for k, v in values.items() if k.removesuffix("_id") not in absent}
        parent_code = row.values.get("parent") or None
        if parent_code == code:
            imp.problem(sheet, row, sheet.column("parent"), code,
                        _("Một mục không thể là cấp trên của chính nó."))  # fmt: skip
            continue
        if parent_code and imp.resolve(sheet, row, sheet.column("parent")) is None:
            continue
        if row.bad:
            continue
        existing = db.get(code)
        op = Op(sheet=sheet, row=row, values=values, pk=existing["pk"] if existing else None)
        op.extra["parent"] = parent_code
        op.extra["parent_absent"] = "parent" in absent
        if existing:
            imp.compare(op, existing, values.keys())
            old_parent = existing["_parent_code"]
            if not op.extra["parent_absent"] and parent_code != old_parent:
                op.extra["move_from"] = old_parent
                op.changed.append("parent")
                op.before["parent"] = old_parent
        parent_of[code] = parent_code
        imp.ops[sheet.key].append(op)
        imp.count(sheet, op)
    _check_cycles(imp, sheet, parent_of)


def _check_cycles(imp: PackageImport, sheet: Sheet, parent_of: dict) -> None:
    model = sheet.model
    moves = any("move_from" in op.extra for op in imp.ops[sheet.key])
    cycle = _("Quan hệ cấp trên tạo thành vòng lặp.")
    for op in imp.ops[sheet.key]:
        code = op.row.values["code"]
        seen, current = {code}, parent_of.get(code)
        while current:
            if current in seen:
                imp.problem(sheet, op.row, sheet.column("parent"), op.extra["parent"], cycle)
                break
            seen.add(current)
            if current in parent_of:
                current = parent_of[current]
            elif not moves:
                break  # the database tree has no cycle, and nothing in it moves
            else:
                row = imp.db[TREES[sheet.key]].get(current)
                path = row["path"] if row else ""
                ancestors = [path[:i] for i in range(model.steplen, len(path), model.steplen)]
                codes = set(model.objects.filter(path__in=ancestors).values_list("code", flat=True))
                if codes & seen:
                    imp.problem(sheet, op.row, sheet.column("parent"), op.extra["parent"], cycle)
                break


# --- what other sheets ask about units and positions ------------------------------


def position_index(imp: PackageImport) -> State:
    """Stored positions by (unit, title), and those the package's Positions sheet adds."""
    st = state(imp)
    if st.positions is None:
        st.positions = {
            (unit_id, title_id): pk
            for pk, unit_id, title_id in Position.objects.values_list("pk", "unit_id", "title_id")
        }
        st.package_positions = {
            (op.values["unit_id"], op.values["title_id"]) for op in imp.ops.get(POSITIONS.key, ())
        }
    return st


def find_position(imp: PackageImport, sheet: Sheet, row: Row, unit, title):
    """The position of a resolved unit and title: a pk, a NewRef, or None (reported)."""
    st = position_index(imp)
    pair = (unit, title)
    if pair in st.positions:
        return st.positions[pair]
    if pair in st.package_positions:
        return NewRef("position", pair)
    imp.problem(sheet, row, sheet.column("title"), row.values["title"],
                _("Đơn vị này chưa có vị trí chức danh này (sheet Vị trí)."))  # fmt: skip
    return None


def resolve_position(imp: PackageImport, sheet: Sheet, row: Row):
    """The position a row names by its Mã đơn vị and Mã chức danh columns."""
    unit = imp.resolve(sheet, row, sheet.column("unit"))
    title = imp.resolve(sheet, row, sheet.column("title"))
    if unit is None or title is None:
        return None
    return find_position(imp, sheet, row, unit, title)


def parent_code(imp: PackageImport, code: str) -> str | None:
    """The code of a unit's parent, as the package leaves the tree."""
    st = state(imp)
    if st.package_parents is None:
        st.package_parents = {
            op.row.values["code"]: op.extra["parent"]
            for op in imp.ops.get(UNITS.key, ())
            if not op.extra["parent_absent"]
        }
    if code in st.package_parents:
        return st.package_parents[code]
    if code not in st.unit_parents:
        row = imp.db["unit"].get(code)
        paths = Unit.objects.values_list("path", flat=True)
        path = row["path"] if row else paths.filter(code=code).first()
        parent = path[: -Unit.steplen] if path else ""
        codes = Unit.objects.values_list("code", flat=True)
        st.unit_parents[code] = codes.filter(path=parent).first() if parent else None
    return st.unit_parents[code]


def is_at_or_above(imp: PackageImport, upper: str, code: str) -> bool:
    """Is unit `upper` the unit `code` or one above it, in the tree as the package leaves it?"""
    seen = set()
    while code and code not in seen:
        if code == upper:
            return True
        seen.add(code)
        code = parent_code(imp, code)
    return False


def unit_editable(imp: PackageImport, ref) -> bool:
    """May the actor edit in the unit `ref` (a pk, a NewRef to a new unit, or None)?"""
    if ref is None:
        return False
    if isinstance(ref, NewRef):
        return _new_unit_allowed(imp, ref.code)
    st = state(imp)
    if st.unit_paths is None:
        st.unit_paths = {row["pk"]: row["path"] for row in imp.db["unit"].values()}
    path = st.unit_paths.get(ref)
    if path is None:
        path = Unit.objects.filter(pk=ref).values_list("path", flat=True).first()
    return path is not None and scope.path_allowed(imp.actor, path, scope.EDIT)


def _new_units(imp: PackageImport) -> dict[str, Op]:
    """The units the package creates, by code (asked once planning is done)."""
    st = state(imp)
    if st.new_units is None:
        st.new_units = {
            op.row.values["code"]: op for op in imp.ops.get(UNITS.key, ()) if op.pk is None
        }
    return st.new_units


def _new_unit_allowed(imp: PackageImport, code: str) -> bool:
    """A new unit may be created under a unit the actor edits (below=True), directly or
    under other new units of the package."""
    new_units = _new_units(imp)
    seen = set()
    while code in new_units and code not in seen:
        seen.add(code)
        code = new_units[code].extra["parent"]
        if code is None:
            return False  # a new root
    row = imp.db["unit"].get(code)
    return row is not None and scope.path_allowed(imp.actor, row["path"], scope.EDIT, below=True)


# --- scope -------------------------------------------------------------------------


def check_scope(imp: PackageImport) -> None:
    new_units = _new_units(imp)
    for op in imp.ops.get(UNITS.key, ()):
        code = op.row.values["code"]
        if not op.writes:
            continue
        if op.pk is not None:
            ok = scope.path_allowed(imp.actor, imp.db["unit"][code]["path"], scope.EDIT)
            if ok and "parent" in op.changed:
                parent = op.extra["parent"]
                ok = parent is not None and unit_editable(
                    imp, NewRef("unit", parent) if parent in new_units else imp.db["unit"][parent]["pk"]
                )
        else:
            ok = _new_unit_allowed(imp, code)
        if not ok:
            imp.problem(UNITS, op.row, UNITS.column("code"), code, OUTSIDE)
    for op in imp.ops.get(POSITIONS.key, ()):
        if op.writes and not unit_editable(imp, op.values["unit_id"]):
            imp.problem(POSITIONS, op.row, POSITIONS.column("unit"), op.row.values["unit"], OUTSIDE)


# --- applying ----------------------------------------------------------------------


def apply(imp: PackageImport) -> None:
    for sheet in (AREAS, UNITS):
        if imp.has(sheet):
            apply_tree(imp, sheet)
    for sheet in (AREA_SUCCESSIONS, UNIT_SUCCESSIONS, TITLES, TERMS, POSITIONS):
        if imp.has(sheet):
            imp.apply_keyed(sheet, CREATED.get(sheet.key), describe=describe_row,
                            describe_new=describe_new)  # fmt: skip
    if imp.has(AREAS) or imp.has(AREA_SUCCESSIONS):
        lineage.rebuild()  # bulk writes send no signals


def apply_tree(imp: PackageImport, sheet: Sheet) -> None:
    model = sheet.model
    kind = TREES[sheet.key]
    ops = imp.ops[sheet.key]
    new = {op.row.values["code"]: op for op in ops if op.pk is None}
    path_of = {code: row["path"] for code, row in imp.db[kind].items()}
    next_step: dict[str, int] = {}
    added_children: dict[str, int] = defaultdict(int)

    def child_path(parent_path: str) -> str:
        if parent_path not in next_step:
            depth = len(parent_path) // model.steplen + 1
            last = (
                model.objects.filter(path__startswith=parent_path, depth=depth)
                .aggregate(m=Max("path"))["m"]
            )
            next_step[parent_path] = model._str2int(last[-model.steplen :]) + 1 if last else 1
        step = next_step[parent_path]
        next_step[parent_path] += 1
        added_children[parent_path] += 1
        return model._get_path(parent_path, len(parent_path) // model.steplen + 1, step)

    objects = []
    placed: set[str] = set()

    def place(code: str) -> None:
        if code in placed:
            return
        placed.add(code)
        op = new[code]
        parent = op.extra["parent"]
        if parent in new:
            place(parent)
        parent_path = path_of[parent] if parent else ""
        path = child_path(parent_path)
        path_of[code] = path
        values = {k: imp.pk_of(v) for k, v in op.values.items()}
        obj = model(code=code, path=path, depth=len(path) // model.steplen, numchild=0, **values)
        obj.name_folded = fold(obj.name)
        objects.append(obj)

    for code in new:
        place(code)
    insert_objects(model, objects)
    for obj in objects:
        imp.created[kind][obj.code] = obj.pk
    for parent_path, added in added_children.items():
        if parent_path:
            model.objects.filter(path=parent_path).update(numchild=models.F("numchild") + added)
    # Moves, then field changes of existing nodes.
    updated = []
    for op in ops:
        if op.pk is None or not op.changed:
            continue
        if "move_from" in op.extra:
            node = model.objects.get(pk=op.pk)
            parent = op.extra["parent"]
            if parent:
                node.move(model.objects.get(code=parent), "last-child")
            else:
                node.move(model.get_first_root_node(), "last-sibling")
        fields = [f for f in op.changed if f != "parent"]
        if fields:
            obj = model(pk=op.pk, **{f: imp.pk_of(op.values[f]) for f in fields})
            if "name" in fields:
                obj.name_folded = fold(obj.name)
                fields.append("name_folded")
            updated.append((obj, fields))
    for obj, fields in updated:
        model.objects.filter(pk=obj.pk).update(**{f: getattr(obj, f) for f in fields})
    imp.audit_created(sheet, objects, exclude=("name_folded",))
    imp.audit_updated(sheet, [op for op in ops if op.pk is not None and op.changed], describe_row)
    if model is Unit:
        state(imp).area_changed_units = [op.pk for op in ops if op.pk and "area_id" in op.changed]


def after(imp: PackageImport) -> None:
    """Units whose own area the package changed: the apps that derive values from a
    unit's area follow, as after `services.unit_update` (people's "local" flag)."""
    for pk in state(imp).area_changed_units:
        unit_area_changed.send(sender=Unit, unit=Unit.objects.get(pk=pk))


def describe_new(obj) -> str:
    if isinstance(obj, Position):
        return f"{obj.title_id} – {obj.unit_id}"
    if hasattr(obj, "predecessor_id"):
        return f"{obj.predecessor_id} → {obj.successor_id}"
    return str(obj)


def describe_row(op: Op) -> str:
    values = op.row.values
    if op.sheet in (AREAS, UNITS, TITLES):
        return f"{values.get('name') or values['code']} ({values['code']})"
    if op.sheet is POSITIONS:
        return f"{values['title']} – {values['unit']}"
    return describe_op(op)


def leading_zeros(code: str) -> list[str]:
    """Area codes a number may have been before Excel dropped its leading zeros."""
    if not code.isdigit():
        return []
    padded = [code.zfill(n) for n in (2, 5) if len(code) < n]
    if not padded:
        return []
    return list(Area.objects.filter(code__in=padded).values_list("code", flat=True))
