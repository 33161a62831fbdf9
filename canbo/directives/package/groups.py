"""Importing monitoring groups ("Nhóm theo dõi"): a group gives its owner's readers sight
of its units' subtrees, so, as `editing.group_save`, only an administrator creates or
changes one; a row that changes nothing needs no right. Groups are found by name; the
units cell replaces the group's units. An import never deletes a group.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canbo.core.audit import AuditAction, _plain, record_writes
from canbo.core.db import insert_objects
from canbo.directives.models import MonitoringGroup
from canbo.exchange.importer import NewRef, Op, PackageImport, chunks

from .links import write_with_units
from .sheets import MONITORING_GROUPS

UNITS = "units"
ADMIN_ONLY = gettext_lazy("Chỉ quản trị viên được nhập nhóm đơn vị theo dõi.")


class GroupsImport:
    def __init__(self, directives):
        self.directives = directives
        self.imp: PackageImport = directives.imp

    def plan(self) -> None:
        imp, sheet = self.imp, MONITORING_GROUPS
        rows = [row for row in imp.rows[sheet.key] if not row.bad]
        self.directives._load_more_units(rows, UNITS)
        names = sorted({row.values["name"] for row in rows})
        fields = [f.attname for f in MonitoringGroup._meta.concrete_fields]
        stored: dict[str, dict] = {}
        for chunk in chunks(names):
            for found in MonitoringGroup.objects.filter(name__in=chunk).values(*fields):
                stored[found["name"]] = found
        members: dict[int, set] = defaultdict(set)
        through = MonitoringGroup.units.through
        for chunk in chunks(sorted(g["id"] for g in stored.values())):
            for group, unit in through.objects.filter(monitoringgroup_id__in=chunk).values_list(
                "monitoringgroup_id", "unit_id"
            ):
                members[group].add(unit)
        seen: dict = {}
        for row in rows:
            owner = imp.resolve(sheet, row, sheet.column("owner"))
            chosen = self.directives.unit_codes(sheet, row, UNITS)
            if row.bad or owner is None:
                continue
            if not chosen:
                imp.problem(sheet, row, sheet.column(UNITS), "", _("Nhóm cần ít nhất một đơn vị."))
                continue
            name = row.values["name"]
            if imp.duplicate(sheet, row, seen, name, sheet.column("name")):
                continue
            current = stored.get(name)
            values = {"name": name, "owner_id": owner}
            if "note" not in row.values["_absent"]:
                values["note"] = row.values["note"]
            op = Op(sheet=sheet, row=row, values=values, pk=current["id"] if current else None)
            op.extra[UNITS] = chosen
            if current:
                imp.compare(op, current, values.keys())
                before = frozenset(members.get(current["id"], ()))
                if before != chosen or any(isinstance(u, NewRef) for u in chosen):
                    op.changed.append(UNITS)
                    op.before[UNITS] = before
            imp.ops[sheet.key].append(op)
            imp.count(sheet, op)

    def check_scope(self) -> None:
        """Called for an account that is not an administrator: every row that writes is refused."""
        sheet = MONITORING_GROUPS
        for op in self.imp.ops.get(sheet.key, ()):
            if op.writes:
                self.imp.problem(sheet, op.row, sheet.column("name"), op.row.values["name"],
                                 ADMIN_ONLY)  # fmt: skip

    def apply(self) -> None:
        imp = self.imp
        ops = imp.ops.get(MONITORING_GROUPS.key, [])
        created = [op for op in ops if op.pk is None]
        new = [MonitoringGroup(**{k: imp.pk_of(v) for k, v in op.values.items()}) for op in created]
        insert_objects(MonitoringGroup, new)
        changed = [op for op in ops if op.pk is not None and op.changed]
        write_with_units(imp, MonitoringGroup, units="units", key=UNITS, new=new, created=created,
                         changed=changed)  # fmt: skip
        self._audit(new, created, changed)

    def _audit(self, new: list, created: list[Op], changed: list[Op]) -> None:
        """As `editing.group_save` records it: the fields, and the units as sorted ids."""
        imp = self.imp
        fields = [(f.name, f.attname) for f in MonitoringGroup._meta.concrete_fields]

        def listed(refs) -> list[int]:
            return sorted(imp.pk_of(u) for u in refs)

        def created_items():
            for obj, op in zip(new, created, strict=True):
                changes = {name: [None, _plain(getattr(obj, attname))] for name, attname in fields
                           if getattr(obj, attname) not in (None, "")}  # fmt: skip
                changes[UNITS] = [None, listed(op.extra[UNITS])]
                yield obj.pk, changes, f"{MONITORING_GROUPS.title}: {obj.name}"

        def changed_items():
            for op in changed:
                changes = {}
                for name in op.changed:
                    if name == UNITS:
                        changes[name] = [listed(op.before[name]), listed(op.extra[name])]
                    else:
                        changes[name.removesuffix("_id")] = [_plain(op.before.get(name)),
                                                             _plain(imp.pk_of(op.values[name]))]  # fmt: skip
                yield op.pk, changes, f"{MONITORING_GROUPS.title}: {op.values['name']}"

        record_writes(actor=imp.actor, action=AuditAction.CREATE, model=MonitoringGroup,
                      items=created_items())  # fmt: skip
        record_writes(actor=imp.actor, action=AuditAction.UPDATE, model=MonitoringGroup,
                      items=changed_items())  # fmt: skip
