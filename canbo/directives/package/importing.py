"""Importing directives, their tasks, and each unit's assignment with its completion.

The rules are those of the models and of `canbo.directives.services` (a deadline from the
start on, a cancellation with its reason, a completion neither before the directive's
date nor in the future), checked on each record as the package leaves it. A lower level
sends its completions up as the "Giao nhiệm vụ" sheet (with the directive and task rows
they belong to, unchanged, so they need no scope); the upper level imports them.

Directives are found by issuing unit and number, tasks by directive and order,
assignments by task and unit.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.core import scope
from canbo.core.audit import AuditAction, _plain, record_writes
from canbo.core.dates import format_day
from canbo.core.db import insert_objects
from canbo.directives.editing import check_task
from canbo.directives.models import Directive, Task, TaskAssignment
from canbo.exchange.importer import NewRef, Op, PackageImport, chunks
from canbo.exchange.parsing import Row
from canbo.exchange.report import Counts
from canbo.exchange.sheets import Sheet
from canbo.organizations.models import Unit
from canbo.organizations.package import importing as units
from canbo.people.package import importing as people

from .groups import GroupsImport
from .hearings import HearingsImport
from .links import write_with_units
from .sheets import (
    DIRECTIVES,
    HEARING_INVITATIONS,
    HEARING_SLOTS,
    MONITORING_GROUPS,
    TASK_ASSIGNMENTS,
    TASKS,
)

COORDINATING = "coordinating_units"
DIRECTIVE_UNIT_COLUMNS = {
    DIRECTIVES.key: ("issuing_unit", "implements_unit"),
    TASKS.key: ("directive_unit",),
    TASK_ASSIGNMENTS.key: ("directive_unit",),
    HEARING_SLOTS.key: ("directive_unit",),
    HEARING_INVITATIONS.key: ("directive_unit",),
}


class DirectivesImport:
    """The directives part's share of one import: its state lives here, between plan and apply."""

    def __init__(self, imp: PackageImport):
        self.imp = imp
        self.directive_refs: dict[tuple, object] = {}  # (unit ref, number) -> pk or NewRef
        self.issued: dict = {}  # directive ref -> its date, as the package leaves it
        self.task_refs: dict[tuple, object] = {}  # (directive ref, order) -> pk or NewRef
        self.assignment_keys: set[tuple] = set()
        self.unit_of: dict = {}  # directive ref -> its issuing unit (pk or NewRef)
        self.implements: dict = {}  # directive ref -> the one it implements, as planned so far
        self.parents: dict = {}  # task ref -> its section, as planned so far
        self.computed: dict[tuple, object] = {}  # (start, working days) -> deadline
        self.hearings = HearingsImport(self)
        self.groups = GroupsImport(self)
        self.more_units: dict[str, dict] = {}  # code -> unit, named only in cells of codes

    # --- stored records the package names ---------------------------------------------

    def load(self) -> None:
        imp = self.imp
        codes = {row.values.get(key) for sheet_key, keys in DIRECTIVE_UNIT_COLUMNS.items()
                 for row in imp.rows.get(sheet_key, ()) for key in keys}  # fmt: skip
        unit_pks = sorted(imp.db["unit"][c]["pk"] for c in codes if c in imp.db["unit"])
        attnames = [f.attname for f in Directive._meta.concrete_fields]
        self.db_directives: dict[tuple, dict] = {}
        for chunk in chunks(unit_pks):
            for row in Directive.objects.filter(issuing_unit_id__in=chunk).values(*attnames):
                key = (row["issuing_unit_id"], row["number"])
                self.db_directives[key] = row
                self.directive_refs[key] = row["id"]
                self.issued[row["id"]] = row["issued_on"]
                self.unit_of[row["id"]] = row["issuing_unit_id"]
        directive_pks = sorted(row["id"] for row in self.db_directives.values())
        attnames = [f.attname for f in Task._meta.concrete_fields]
        self.db_tasks: dict[tuple, list[dict]] = defaultdict(list)
        for chunk in chunks(directive_pks):
            for row in Task.objects.filter(directive_id__in=chunk).order_by("pk").values(*attnames):
                self.db_tasks[(row["directive_id"], row["order"])].append(row)
        for key, rows in self.db_tasks.items():
            if len(rows) == 1:
                self.task_refs[key] = rows[0]["id"]
        self.db_parent_of = {row["id"]: row["parent_id"] for rows in self.db_tasks.values()
                             for row in rows}  # fmt: skip

    def _stored_task_pks(self) -> list[int]:
        return sorted(rows[0]["id"] for rows in self.db_tasks.values() if len(rows) == 1)

    # --- references between the sheets --------------------------------------------------

    def directive_ref(self, sheet: Sheet, row: Row, number_key: str, unit_key: str):
        """The directive a row names by number and issuing unit: a pk, a NewRef, or None
        (reported)."""
        unit = self.imp.resolve(sheet, row, sheet.column(unit_key))
        number = row.values.get(number_key)
        if unit is None or not number:
            return None
        ref = self.directive_refs.get((unit, number))
        if ref is not None:
            self.unit_of.setdefault(ref, unit)
        else:
            self.imp.problem(sheet, row, sheet.column(number_key), number,
                             _("Không có văn bản số “%(number)s” của cơ quan “%(unit)s” trong "
                               "sheet Văn bản chỉ đạo của gói hay trong hệ thống.")
                             % {"number": number, "unit": row.values[unit_key]})  # fmt: skip
        return ref

    def task_ref(self, sheet: Sheet, row: Row, directive, order_key: str):
        """The task of `directive` a row names by order: a pk, a NewRef, or None (reported)."""
        order = row.values.get(order_key)
        ref = self.task_refs.get((directive, order))
        if ref is None:
            stored = self.db_tasks.get((directive, order), ())
            if len(stored) > 1:
                self._ambiguous(sheet, row, sheet.column(order_key), order, len(stored))
            else:
                self.imp.problem(sheet, row, sheet.column(order_key), order,
                                 _("Văn bản này không có nhiệm vụ thứ tự %(order)s trong sheet "
                                   "Nhiệm vụ của gói hay trong hệ thống.") % {"order": order})  # fmt: skip
        return ref

    def _ambiguous(self, sheet, row, column, order, count: int) -> None:
        self.imp.problem(sheet, row, column, order,
                         _("Văn bản này có %(n)d nhiệm vụ cùng thứ tự %(order)s trong hệ thống; "
                           "hãy đánh lại thứ tự các nhiệm vụ trước khi nhập.")
                         % {"n": count, "order": order})  # fmt: skip

    def unit_codes(self, sheet: Sheet, row: Row, key: str) -> frozenset | None:
        """The units a cell of several codes names (pks or NewRefs); None when one is missing
        (reported)."""
        found = set()
        for code in row.values.get(key) or ():
            stored = self.imp.db["unit"].get(code) or self.more_units.get(code)
            if stored is not None:
                found.add(stored["pk"])
            elif code in self.imp.package_codes["unit"]:
                found.add(NewRef("unit", code))
            else:
                self.imp.problem(sheet, row, sheet.column(key), code,
                                 _("Không có %(what)s mã “%(code)s” trong gói hay trong hệ thống.")
                                 % {"what": _("đơn vị"), "code": code})  # fmt: skip
        return None if row.bad else frozenset(found)

    # --- planning -----------------------------------------------------------------------

    def plan(self) -> None:
        self.load()
        if self.imp.has(DIRECTIVES):
            self.plan_directives()
        if self.imp.has(TASKS):
            self.plan_tasks()
        if self.imp.has(TASK_ASSIGNMENTS):
            self.plan_assignments()
        self.assign_lead_units()
        self.hearings.plan()
        if self.imp.has(MONITORING_GROUPS):
            self.groups.plan()

    def plan_directives(self) -> None:
        imp, sheet = self.imp, DIRECTIVES
        seen: dict = {}
        planned = []
        for row in imp.rows[sheet.key]:
            if row.bad:
                continue
            unit = imp.resolve(sheet, row, sheet.column("issuing_unit"))
            if unit is None:
                continue
            absent = row.values["_absent"]
            values = {"issuing_unit_id": unit}
            for name in ("number", "kind", "issued_on", "title", "summary"):
                if name not in absent:
                    values[name] = row.values[name]
            key = (unit, values["number"])
            if imp.duplicate(sheet, row, seen, key, sheet.column("number")):
                continue
            current = self.db_directives.get(key)
            ref = current["id"] if current else NewRef("directive", key)
            # Known from here on, so that the tasks and assignments naming it are checked
            # even when this row has errors of its own.
            self.directive_refs[key] = ref
            self.unit_of[ref] = unit
            self.issued[ref] = values.get("issued_on", current and current["issued_on"])
            planned.append((row, values, current, ref))
        for row, values, current, ref in planned:
            self._implements(sheet, row, values, ref)
            if row.bad:
                continue
            op = Op(sheet=sheet, row=row, values=values, pk=current["id"] if current else None)
            op.extra["unit"] = values["issuing_unit_id"]
            if "implements_id" in values:
                self.implements[ref] = values["implements_id"]
            if current:
                imp.compare(op, current, values.keys())
            imp.ops[sheet.key].append(op)
            imp.count(sheet, op)

    def _implements(self, sheet: Sheet, row: Row, values: dict, ref) -> None:
        """The directive a row implements (both columns, or neither), without a cycle."""
        absent = row.values["_absent"]
        if "implements_number" in absent and "implements_unit" in absent:
            return
        number, code = row.values.get("implements_number"), row.values.get("implements_unit")
        if not number and not code:
            values["implements_id"] = None
            return
        if not number or not code:
            missing = "implements_unit" if number else "implements_number"
            self.imp.problem(sheet, row, sheet.column(missing), "",
                             _("Ghi cả Số và Mã cơ quan ban hành của văn bản được thực hiện, "
                               "hoặc bỏ trống cả hai."))  # fmt: skip
            return
        target = self.directive_ref(sheet, row, "implements_number", "implements_unit")
        if target is None:
            return
        if target == ref:
            self.imp.problem(sheet, row, sheet.column("implements_number"), number,
                             _("Một văn bản không thể thực hiện chính nó."))  # fmt: skip
            return
        values["implements_id"] = target
        self._check_chain(sheet, row, ref, target, "implements")

    def _check_chain(self, sheet: Sheet, row: Row, ref, target, kind: str) -> None:
        """A directive's chain of implemented directives (a task's of sections) must not
        come back to it, as the package leaves the links."""
        package = self.implements if kind == "implements" else self.parents
        seen = {ref}
        current = target
        while current is not None:
            if current in seen:
                column = "implements_number" if kind == "implements" else "parent_order"
                self.imp.problem(sheet, row, sheet.column(column), row.values[column],
                                 _("Các liên kết tạo thành vòng lặp."))  # fmt: skip
                return
            seen.add(current)
            current = package[current] if current in package else self._stored_link(kind, current)

    def _stored_link(self, kind: str, ref):
        if isinstance(ref, NewRef):
            return None
        if kind == "implements":
            if not hasattr(self, "db_implements"):
                self.db_implements = dict(Directive.objects.values_list("pk", "implements_id"))
            return self.db_implements.get(ref)
        return self.db_parent_of.get(ref)

    def plan_tasks(self) -> None:
        imp, sheet = self.imp, TASKS
        rows = [row for row in imp.rows[sheet.key] if not row.bad]
        people.load_people(imp, [Row(0, {"person": row.values["leader"]})
                                 for row in rows if row.values.get("leader")])  # fmt: skip
        self._load_more_units(rows)
        stored_coordinating = self._stored_coordinating()
        seen: dict = {}
        planned = []
        for row in rows:
            directive = self.directive_ref(sheet, row, "directive_number", "directive_unit")
            if directive is None:
                continue
            order = row.values["order"]
            key = (directive, order)
            if imp.duplicate(sheet, row, seen, key, sheet.column("order")):
                continue
            stored = self.db_tasks.get(key, ())
            if len(stored) > 1:
                self._ambiguous(sheet, row, sheet.column("order"), order, len(stored))
                continue
            current = stored[0] if stored else None
            self.task_refs[key] = current["id"] if current else NewRef("task", key)
            planned.append((row, directive, current))
        for row, directive, current in planned:
            values = self._task_values(sheet, row, directive)
            if values is None:
                continue
            ref = self.task_refs[(directive, row.values["order"])]
            self._task_rules(sheet, row, values, current)
            if row.bad:
                continue
            if "parent_id" in values:
                self.parents[ref] = values["parent_id"]
            op = Op(sheet=sheet, row=row, values=values, pk=current["id"] if current else None)
            op.extra["directive"] = directive
            if current:
                imp.compare(op, current, values.keys())
            coordinating = self.unit_codes(sheet, row, COORDINATING)
            if row.bad:
                continue
            if COORDINATING not in row.values["_absent"]:
                op.extra[COORDINATING] = coordinating
                before = stored_coordinating.get(op.pk, frozenset())
                if op.pk is not None and (before != coordinating or
                                          any(isinstance(u, NewRef) for u in coordinating)):  # fmt: skip
                    op.changed.append(COORDINATING)
                    op.before[COORDINATING] = before
            imp.ops[sheet.key].append(op)
            imp.count(sheet, op)

    def _task_values(self, sheet: Sheet, row: Row, directive) -> dict | None:
        imp = self.imp
        absent = row.values["_absent"]
        values = {"directive_id": directive, "order": row.values["order"]}
        for name in ("content", "deliverable", "start_on", "working_days", "deadline",
                     "cancelled_on", "cancel_reason"):  # fmt: skip
            if name not in absent:
                values[name] = row.values[name]
        if "lead_unit" not in absent:
            values["lead_unit_id"] = imp.resolve(sheet, row, sheet.column("lead_unit"))
        if "leader" not in absent:
            id_number = row.values["leader"]
            values["leader_id"] = (people.named_person(imp, sheet, row, sheet.column("leader"),
                                                       id_number, scope.VIEW)
                                   if id_number else None)  # fmt: skip
        if "parent_order" not in absent:
            parent_order = row.values["parent_order"]
            values["parent_id"] = None
            if parent_order is not None:
                ref = self.task_refs[(directive, row.values["order"])]
                parent = self.task_ref(sheet, row, directive, "parent_order")
                if parent is not None and parent == ref:
                    imp.problem(sheet, row, sheet.column("parent_order"), parent_order,
                                _("Một nhiệm vụ không thể thuộc mục là chính nó."))  # fmt: skip
                elif parent is not None:
                    values["parent_id"] = parent
                    self._check_chain(sheet, row, ref, parent, "parent")
        return values  # a refused row's rules are still checked (every problem in one round)

    def _task_rules(self, sheet: Sheet, row: Row, values: dict, current: dict | None) -> None:
        """The model's rules, on the task as the package leaves it."""
        task = {name: values.get(name, current[name] if current else None)
                for name in ("start_on", "deadline", "cancelled_on", "cancel_reason",
                             "working_days")}  # fmt: skip
        late = task["start_on"] and task["deadline"] and task["deadline"] < task["start_on"]
        if late and not task["working_days"]:  # with working days: computed, or refused below
            self.imp.problem(sheet, row, sheet.column("deadline"), task["deadline"],
                             _("Thời hạn phải từ ngày bắt đầu trở đi."))  # fmt: skip
        if task["cancelled_on"] and not (task["cancel_reason"] or "").strip():
            self.imp.problem(sheet, row, sheet.column("cancel_reason"), "",
                             _("Hãy ghi lý do hủy."))  # fmt: skip
        if task["working_days"] is not None and not task["working_days"]:
            self.imp.problem(sheet, row, sheet.column("working_days"), 0,
                             _("Số ngày làm việc phải từ 1 trở lên."))  # fmt: skip
        elif task["working_days"] and not task["start_on"]:
            self.imp.problem(sheet, row, sheet.column("start_on"), "",
                             _("Thời hạn tính theo ngày làm việc cần ngày bắt đầu."))  # fmt: skip
        elif task["working_days"]:
            self._working_day_deadline(sheet, row, values, current, task)

    def _working_day_deadline(self, sheet: Sheet, row: Row, values: dict, current: dict | None,
                              task: dict) -> None:  # fmt: skip
        """A deadline in working days is computed from the start (`editing.check_task`); a
        deadline the row gives must be that day. A row that leaves the three fields as
        stored is not computed again (the calendar may have changed since)."""
        fields = ("start_on", "working_days", "deadline")
        if current and all(task[f] == current[f] for f in fields):
            return
        probe = Task(start_on=task["start_on"], working_days=task["working_days"])
        key = (probe.start_on, probe.working_days)
        try:
            if key not in self.computed:
                check_task(probe)
                self.computed[key] = probe.deadline
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.imp.problem(sheet, row, sheet.column(field), row.values.get(field),
                                     message)  # fmt: skip
            return
        computed = self.computed[key]
        given = values.get("deadline")
        if given and given != computed:
            self.imp.problem(sheet, row, sheet.column("deadline"), given,
                             _("Thời hạn %(given)s khác thời hạn tính theo %(n)d ngày làm việc "
                               "từ ngày bắt đầu %(start)s: %(computed)s.")
                             % {"given": format_day(given), "n": task["working_days"],
                                "start": format_day(task["start_on"]),
                                "computed": format_day(computed)})  # fmt: skip
            return
        values["deadline"] = computed

    def _load_more_units(self, rows: list[Row], key: str = COORDINATING) -> None:
        """Units the cells of several codes name that no reference column loaded."""
        codes = {code for row in rows for code in row.values.get(key) or ()}
        missing = sorted(codes - set(self.imp.db["unit"]) - set(self.more_units))
        for chunk in chunks(missing):
            for row in Unit.objects.filter(code__in=chunk).values("pk", "code", "path"):
                self.more_units[row["code"]] = row

    def _stored_coordinating(self) -> dict[int, frozenset]:
        found: dict[int, set] = defaultdict(set)
        through = Task.coordinating_units.through
        for chunk in chunks(self._stored_task_pks()):
            for task, unit in through.objects.filter(task_id__in=chunk).values_list("task_id", "unit_id"):
                found[task].add(unit)
        return {task: frozenset(units) for task, units in found.items()}

    def plan_assignments(self) -> None:
        imp, sheet = self.imp, TASK_ASSIGNMENTS
        stored: dict[tuple, dict] = {}
        fields = ("id", "task_id", "unit_id", "completed_on", "note", "evidence")
        for chunk in chunks(self._stored_task_pks()):
            for row in TaskAssignment.objects.filter(task_id__in=chunk).values(*fields):
                stored[(row["task_id"], row["unit_id"])] = row
        today = timezone.localdate()
        seen: dict = {}
        for row in imp.rows[sheet.key]:
            if row.bad:
                continue
            directive = self.directive_ref(sheet, row, "directive_number", "directive_unit")
            task = None if directive is None else self.task_ref(sheet, row, directive, "task_order")
            unit = imp.resolve(sheet, row, sheet.column("unit"))
            if row.bad or task is None or unit is None:
                continue
            key = (task, unit)
            if imp.duplicate(sheet, row, seen, key, sheet.column("unit")):
                continue
            self.assignment_keys.add(key)
            current = None if isinstance(task, NewRef) else stored.get(key)
            absent = row.values["_absent"]
            values = {"task_id": task, "unit_id": unit}
            values.update((name, row.values[name]) for name in ("completed_on", "note", "evidence")
                          if name not in absent)  # fmt: skip
            done = values.get("completed_on", current and current["completed_on"])
            column = sheet.column("completed_on")
            if done and done > today:
                imp.problem(sheet, row, column, done, _("Ngày hoàn thành không thể sau hôm nay."))
            issued = self.issued.get(directive)
            if done and issued and done < issued:
                imp.problem(sheet, row, column, done,
                            _("Ngày hoàn thành không thể trước ngày ban hành văn bản "
                              "(%(date)s).") % {"date": format_day(issued)})  # fmt: skip
            if row.bad:
                continue
            op = Op(sheet=sheet, row=row, values=values, pk=current["id"] if current else None)
            op.extra["unit"] = unit
            if current:
                imp.compare(op, current, values.keys())
            imp.ops[sheet.key].append(op)
            imp.count(sheet, op)

    def assign_lead_units(self) -> None:
        """A new task with a lead unit is assigned to it, as `services.task_create` does,
        unless the package's Giao nhiệm vụ sheet has that row."""
        for op in self.imp.ops.get(TASKS.key, ()):
            lead = op.values.get("lead_unit_id")
            if op.pk is not None or lead is None:
                continue
            task = self.task_refs[(op.extra["directive"], op.values["order"])]
            if (task, lead) in self.assignment_keys:
                continue
            self.assignment_keys.add((task, lead))
            implicit = Op(sheet=TASK_ASSIGNMENTS, row=op.row, values={"task_id": task, "unit_id": lead})
            implicit.extra.update(unit=lead, implicit=True)
            self.imp.ops[TASK_ASSIGNMENTS.key].append(implicit)
            self.imp.counts.setdefault(TASK_ASSIGNMENTS.title, Counts()).created += 1

    # --- scope ---------------------------------------------------------------------------

    def check_scope(self) -> None:
        """Directives and tasks: the issuing unit must be one the editor edits;
        assignments: the assignment's unit (a lead unit's assignment that comes with a new
        task goes with the task, as in the services)."""
        imp = self.imp
        for op in imp.ops.get(DIRECTIVES.key, ()):
            if op.writes and not units.unit_editable(imp, op.extra["unit"]):
                imp.problem(DIRECTIVES, op.row, DIRECTIVES.column("issuing_unit"),
                            op.row.values["issuing_unit"], units.OUTSIDE)  # fmt: skip
        for op in imp.ops.get(TASKS.key, ()):
            if op.writes and not units.unit_editable(imp, self.unit_of.get(op.extra["directive"])):
                imp.problem(TASKS, op.row, TASKS.column("directive_unit"),
                            op.row.values["directive_unit"], units.OUTSIDE)  # fmt: skip
        for op in imp.ops.get(TASK_ASSIGNMENTS.key, ()):
            if op.extra.get("implicit") or not op.writes:
                continue
            if not units.unit_editable(imp, op.extra["unit"]):
                imp.problem(TASK_ASSIGNMENTS, op.row, TASK_ASSIGNMENTS.column("unit"),
                            op.row.values["unit"], units.OUTSIDE)  # fmt: skip
        self.hearings.check_scope()
        self.groups.check_scope()

    # --- applying ------------------------------------------------------------------------

    def apply(self) -> None:
        self.apply_directives()
        self.apply_tasks()
        if self.imp.ops.get(TASK_ASSIGNMENTS.key):
            self.imp.apply_keyed(TASK_ASSIGNMENTS, describe=_assignment_text,
                                 describe_new=lambda obj: f"{obj.task_id} → {obj.unit_id}")  # fmt: skip
        self.hearings.apply()
        if self.imp.ops.get(MONITORING_GROUPS.key):
            self.groups.apply()

    def apply_directives(self) -> None:
        imp = self.imp
        ops = imp.ops.get(DIRECTIVES.key, [])
        new = self._insert(Directive, [op for op in ops if op.pk is None], "implements_id",
                           "directive", lambda obj: (obj.issuing_unit_id, obj.number))  # fmt: skip
        changed = [op for op in ops if op.pk is not None and op.changed]
        imp.bulk_update(Directive, changed)
        imp.audit_created(DIRECTIVES, new)
        imp.audit_updated(DIRECTIVES, changed, _directive_text)

    def apply_tasks(self) -> None:
        imp = self.imp
        ops = imp.ops.get(TASKS.key, [])
        created = [op for op in ops if op.pk is None]
        new = self._insert(Task, created, "parent_id", "task",
                           lambda obj: (obj.directive_id, obj.order))  # fmt: skip
        changed = [op for op in ops if op.pk is not None and op.changed]
        write_with_units(imp, Task, units="coordinating_units", key=COORDINATING, new=new,
                         created=created, changed=changed)  # fmt: skip
        self._audit_tasks(new, created, changed)

    def _insert(self, model, ops: list[Op], link: str, kind: str, key) -> list:
        """Insert new records; a link to another new record of the same sheet (an
        implemented directive, a section) is set once both have their ids."""
        imp = self.imp
        objects = []
        for op in ops:
            values = {k: v for k, v in op.values.items() if k != link}
            objects.append(model(**{k: imp.pk_of(v) for k, v in values.items()}))
        insert_objects(model, objects)
        for obj in objects:
            imp.created[kind][key(obj)] = obj.pk
        linked = []
        for obj, op in zip(objects, ops, strict=True):
            if op.values.get(link) is not None:
                setattr(obj, link, imp.pk_of(op.values[link]))
                linked.append(obj)
        if linked:
            model.objects.bulk_update(linked, [link.removesuffix("_id")], batch_size=500)
        return objects

    def _audit_tasks(self, new: list[Task], created: list[Op], changed: list[Op]) -> None:
        imp = self.imp
        codes = self._unit_codes(
            {imp.pk_of(u) for op in created + changed for u in op.extra.get(COORDINATING) or ()}
            | {u for op in changed for u in op.before.get(COORDINATING, ())}
        )
        fields = [(f.name, f.attname) for f in Task._meta.concrete_fields]

        def listed(refs) -> list[str]:
            return sorted(codes[imp.pk_of(u)] for u in refs)

        def created_items():
            for obj, op in zip(new, created, strict=True):
                changes = {name: [None, _plain(getattr(obj, attname))] for name, attname in fields
                           if getattr(obj, attname) not in (None, "")}  # fmt: skip
                if op.extra.get(COORDINATING):
                    changes[COORDINATING] = [None, listed(op.extra[COORDINATING])]
                yield obj.pk, changes, _task_text(op)

        def changed_items():
            for op in changed:
                changes = {}
                for name in op.changed:
                    if name == COORDINATING:
                        changes[name] = [listed(op.before[name]), listed(op.extra[name])]
                    else:
                        changes[name.removesuffix("_id")] = [_plain(op.before.get(name)),
                                                             _plain(imp.pk_of(op.values[name]))]  # fmt: skip
                yield op.pk, changes, _task_text(op)

        record_writes(actor=imp.actor, action=AuditAction.CREATE, model=Task, items=created_items())
        record_writes(actor=imp.actor, action=AuditAction.UPDATE, model=Task, items=changed_items())

    @staticmethod
    def _unit_codes(pks: set) -> dict[int, str]:
        found = {}
        for chunk in chunks(sorted(pks)):
            found.update(Unit.objects.filter(pk__in=chunk).values_list("pk", "code"))
        return found


def _directive_text(op: Op) -> str:
    return f"{DIRECTIVES.title}: {op.row.values['number']} ({op.row.values['issuing_unit']})"


def _task_text(op: Op) -> str:
    v = op.row.values
    return f"{TASKS.title}: {v['directive_number']} ({v['directive_unit']}) – {v['order']}"


def _assignment_text(op: Op) -> str:
    v = op.row.values
    return f"{TASK_ASSIGNMENTS.title}: {v['directive_number']} – {v['task_order']} → {v['unit']}"


def directives(imp: PackageImport) -> DirectivesImport:
    return imp.state_of("directives", lambda: DirectivesImport(imp))


def plan(imp: PackageImport) -> None:
    directives(imp).plan()


def check_scope(imp: PackageImport) -> None:
    directives(imp).check_scope()


def apply(imp: PackageImport) -> None:
    directives(imp).apply()
