"""Importing report rounds, the units' submissions and their count cells.

A lower level sends its submissions up as the "Báo cáo đơn vị" and "Số liệu báo cáo" sheets
(with the round, its directive, task and assignment rows, unchanged, so they need no
scope); the upper level imports them into the round, and its decision (accepted or
returned, with its comment) travels back down the same way. All-or-nothing and idempotent
like every sheet: a row that changes nothing writes nothing.

Rounds are found by their issuing unit and document number (the directive that carries
them), submissions by round, unit and form, cells by submission, row and column. The rules
are those of `canbo.reports.models` and `canbo.reports.services` on each record as the
package leaves it (submissions and cells: `submissions.py`). Nothing is computed again: the
counts are those computed from the records where the report was made. What the services
write elsewhere travels in its own sheet: the round's directive, task and assignments
(sheets Văn bản chỉ đạo, Nhiệm vụ, Giao nhiệm vụ), the unit's completion of its
assignment when it submits (Giao nhiệm vụ).

Scope, as the services: a round is written by editors of its issuing unit, a submission
and its cells by editors of the reporting unit, a decision (accepted, returned) by editors
of both (ADR 0010: a row beyond them refuses the whole package).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.core.dates import format_day
from canbo.core.db import insert_objects
from canbo.directives.models import Directive, MonitoringGroup, Task, TaskAssignment
from canbo.directives.package.sheets import DIRECTIVES, MONITORING_GROUPS, TASK_ASSIGNMENTS, TASKS
from canbo.exchange.importer import STAMPS, NewRef, Op, PackageImport, chunks, refused_note
from canbo.exchange.parsing import Row
from canbo.exchange.sheets import Sheet
from canbo.organizations.package import importing as units
from canbo.reports.forms import FORMS
from canbo.reports.models import ReportRound
from canbo.reports.periods import PeriodKind, needs_number, period_problem

from .sheets import REPORT_CELLS, REPORT_ROUNDS, REPORT_SUBMISSIONS
from .submissions import SubmissionsImport

ROUND = "report_round"
GROUP = "monitoring_group"
ROUND_FIELDS = ("name", "period_kind", "year", "period_number", "period_start", "period_end",
                "deadline", "level", "kind", "note")  # fmt: skip
# What `services.round_update` may change once a round is issued; the rest is fixed.
CHANGEABLE = {"name", "deadline", "note"}
COLUMN_OF = {"task_id": "task_order", "within_id": "within", "group_id": "group"}


def fixed_message() -> str:
    return _("Kỳ báo cáo, các biểu và đơn vị báo cáo của đợt đã ban hành không thay đổi được.")


class ReportsImport:
    """The reports part's share of one import, between plan and apply."""

    def __init__(self, imp: PackageImport):
        self.imp = imp
        self.today = timezone.localdate()
        self.now = timezone.now()
        # (issuing unit ref, number) -> the round as the package leaves it: its ref, task,
        # forms, cut-off and issuing unit.
        self.rounds: dict[tuple, dict] = {}
        self.refused_rounds: dict[tuple, int] = {}  # key -> the round's refused row
        self.submissions = SubmissionsImport(self)

    # --- stored records the rows name -------------------------------------------------

    def load(self) -> None:
        imp = self.imp
        codes = {row.values.get("issuing_unit") for sheet in (REPORT_ROUNDS, REPORT_SUBMISSIONS,
                                                                REPORT_CELLS)
                 for row in imp.rows.get(sheet.key, ())}  # fmt: skip
        unit_pks = sorted(imp.db["unit"][c]["pk"] for c in codes if c in imp.db["unit"])
        names = [f.attname for f in ReportRound._meta.concrete_fields]
        self.db_rounds: dict[tuple, dict] = {}
        self.db_directives: dict[tuple, int] = {}  # (unit, number) -> stored directive
        self.db_tasks: dict[tuple, list[int]] = {}  # (directive, order) -> stored tasks
        self.task_deadlines: dict[Any, Any] = {}  # task ref -> its deadline, as left
        for chunk in chunks(unit_pks):
            stored = ReportRound.objects.filter(issuing_unit_id__in=chunk)
            for row in stored.values(*names, "task__directive__number"):
                self.db_rounds[(row["issuing_unit_id"], row["task__directive__number"])] = row
            directives = Directive.objects.filter(issuing_unit_id__in=chunk)
            for pk, unit, number in directives.values_list("pk", "issuing_unit_id", "number"):
                self.db_directives[(unit, number)] = pk
            tasks = Task.objects.filter(directive__issuing_unit_id__in=chunk).order_by("pk")
            for pk, directive, order, deadline in tasks.values_list(
                "pk", "directive_id", "order", "deadline"
            ):
                self.db_tasks.setdefault((directive, order), []).append(pk)
                self.task_deadlines[pk] = deadline
        self.package_directives = {
            (op.values["issuing_unit_id"], op.values["number"])
            for op in imp.ops.get(DIRECTIVES.key, ())
        }
        self.package_tasks: dict[tuple, Any] = {}  # (directive ref, order) -> task ref
        for op in imp.ops.get(TASKS.key, ()):
            ref = op.pk or NewRef("task", (op.extra["directive"], op.values["order"]))
            self.package_tasks[(op.extra["directive"], op.values["order"])] = ref
            if "deadline" in op.values:
                self.task_deadlines[ref] = op.values["deadline"]
        self.package_groups = {op.values["name"] for op in imp.ops.get(MONITORING_GROUPS.key, ())}
        self.assigned = {(op.values["task_id"], op.values["unit_id"])
                         for op in imp.ops.get(TASK_ASSIGNMENTS.key, ())}  # fmt: skip

    def load_assignments(self) -> None:
        """The stored assignments of the rounds' tasks (who must report)."""
        tasks = sorted({info["task"] for info in self.rounds.values() if isinstance(info["task"], int)}
                       | {row["task_id"] for row in self.db_rounds.values()})  # fmt: skip
        for chunk in chunks(tasks):
            found = TaskAssignment.objects.filter(task_id__in=chunk).values_list(
                "task_id", "unit_id"
            )
            self.assigned.update(found)

    # --- naming a round -----------------------------------------------------------------

    def task_of(self, sheet: Sheet, row: Row, unit, number: str, order: int):
        """The task of that order of the directive (`unit`, `number`): a pk, a NewRef or
        None (reported, as the directives' sheets report it)."""
        directive = None if isinstance(unit, NewRef) else self.db_directives.get((unit, number))
        if directive is None and (unit, number) in self.package_directives:
            directive = NewRef("directive", (unit, number))
        if directive is None:
            self.imp.problem(sheet, row, sheet.column("directive_number"), number,
                             _("Không có văn bản số “%(number)s” của cơ quan “%(unit)s” trong "
                               "sheet Văn bản chỉ đạo của gói hay trong hệ thống.")
                             % {"number": number, "unit": row.values["issuing_unit"]})  # fmt: skip
            return None
        task = self.package_tasks.get((directive, order))
        stored = self.db_tasks.get((directive, order), [])
        if task is None and len(stored) == 1:
            task = stored[0]
        if task is not None:
            return task
        column = sheet.column("task_order")
        if len(stored) > 1:
            self.imp.problem(sheet, row, column, order,
                             _("Văn bản này có %(n)d nhiệm vụ cùng thứ tự %(order)s trong hệ "
                               "thống; hãy đánh lại thứ tự các nhiệm vụ trước khi nhập.")
                             % {"n": len(stored), "order": order})  # fmt: skip
        else:
            self.imp.problem(sheet, row, column, order,
                             _("Văn bản này không có nhiệm vụ thứ tự %(order)s trong sheet "
                               "Nhiệm vụ của gói hay trong hệ thống.") % {"order": order})  # fmt: skip
        return None

    def round_of(self, sheet: Sheet, row: Row) -> tuple[tuple | None, dict | None]:
        """The round a submission or cell row names: (its key, the round as the package
        leaves it), or (key or None, None) when unknown (reported)."""
        unit = self.imp.resolve(sheet, row, sheet.column("issuing_unit"))
        number = row.values.get("directive_number")
        if unit is None or not number:
            return None, None
        key = (unit, number)
        info = self.rounds.get(key)
        if info is None and key in self.db_rounds:
            info = self._stored_round(self.db_rounds[key])
        if info is not None:
            return key, info
        column = sheet.column("directive_number")
        if key in self.refused_rounds:
            self.imp.problem(sheet, row, column, number,
                             refused_note(_("đợt báo cáo"), number, self.imp.sheet_name(REPORT_ROUNDS),
                                          self.refused_rounds[key]))  # fmt: skip
        else:
            self.imp.problem(sheet, row, column, number,
                             _("Không có đợt báo cáo theo văn bản số “%(number)s” của đơn vị "
                               "“%(unit)s” trong sheet Đợt báo cáo của gói hay trong hệ thống.")
                             % {"number": number, "unit": row.values["issuing_unit"]})  # fmt: skip
        return key, None

    @staticmethod
    def _stored_round(row: dict) -> dict:
        return {"ref": row["id"], "task": row["task_id"], "form_codes": row["form_codes"],
                "period_end": row["period_end"], "issuing_unit": row["issuing_unit_id"]}  # fmt: skip

    # --- rounds ---------------------------------------------------------------------------

    def plan_rounds(self) -> None:
        imp, sheet = self.imp, REPORT_ROUNDS
        seen: dict = {}
        for row in imp.rows[sheet.key]:
            if row.bad:
                continue
            unit = imp.resolve(sheet, row, sheet.column("issuing_unit"))
            number = row.values["directive_number"]
            task = (
                None
                if unit is None
                else self.task_of(sheet, row, unit, number, row.values["task_order"])
            )
            within = imp.resolve(sheet, row, sheet.column("within"))
            group = self._group(sheet, row)
            if unit is None or task is None:
                continue
            key = (unit, number)
            if imp.duplicate(sheet, row, seen, key, sheet.column("directive_number")):
                continue
            current = self.db_rounds.get(key)
            absent = row.values["_absent"]
            values = {"issuing_unit_id": unit, "task_id": task,
                      "form_codes": list(row.values["form_codes"])}  # fmt: skip
            values.update((name, row.values[name]) for name in ROUND_FIELDS if name not in absent)
            if "within" not in absent:
                values["within_id"] = within
            if "group" not in absent:
                values["group_id"] = group
            merged = {**(current or {}), **values}
            self._round_rules(sheet, row, merged)
            op = Op(sheet=sheet, row=row, values=values, pk=current["id"] if current else None)
            if current:
                imp.compare(op, current, values.keys())
                fixed = [name for name in op.changed if name not in CHANGEABLE]
                if fixed:
                    key_of = COLUMN_OF.get(fixed[0], fixed[0])
                    imp.problem(sheet, row, sheet.column(key_of), row.values.get(key_of),
                                fixed_message())  # fmt: skip
            if row.bad:
                self.refused_rounds[key] = row.number
                continue
            self.rounds[key] = {"ref": current["id"] if current else NewRef(ROUND, key),
                                "task": task, "form_codes": merged["form_codes"],
                                "period_end": merged["period_end"], "issuing_unit": unit}  # fmt: skip
            imp.ops[sheet.key].append(op)
            imp.count(sheet, op)

    def _group(self, sheet: Sheet, row: Row):
        """The monitoring group a round row names (a pk, a NewRef, or None)."""
        name = row.values.get("group")
        if not name:
            return None
        if name in self.package_groups:
            stored = self._stored_groups().get(name)
            return stored if stored is not None else NewRef(GROUP, name)
        stored = self._stored_groups().get(name)
        if stored is None:
            self.imp.problem(sheet, row, sheet.column("group"), name,
                             _("Không có nhóm đơn vị theo dõi “%(name)s” trong sheet Nhóm theo dõi "
                               "của gói hay trong hệ thống.") % {"name": name})  # fmt: skip
        return stored

    def _stored_groups(self) -> dict[str, int]:
        if not hasattr(self, "_groups"):
            names = sorted(
                {row.values.get("group") for row in self.imp.rows[REPORT_ROUNDS.key]} - {None, ""}
            )
            self._groups: dict[str, int] = {}
            for chunk in chunks(names):
                self._groups.update(
                    MonitoringGroup.objects.filter(name__in=chunk).values_list("name", "pk")
                )
        return self._groups

    def _round_rules(self, sheet: Sheet, row: Row, r: dict) -> None:
        """`ReportRound.clean` and its constraints, on the round as the package leaves it."""

        def report(name: str, message: str) -> None:
            self.imp.problem(sheet, row, sheet.column(name), row.values.get(name), message)

        codes = r["form_codes"]
        unknown = [code for code in codes if code not in FORMS]
        if not codes:
            report("form_codes", _("Hãy chọn ít nhất một biểu báo cáo."))
        elif unknown:
            report(
                "form_codes",
                _("Không có biểu báo cáo mã %(codes)s.") % {"codes": ", ".join(unknown)},
            )
        elif len(set(codes)) != len(codes):
            report("form_codes", _("Mỗi biểu chỉ chọn một lần."))
        kind, year, number = r["period_kind"], r.get("year"), r.get("period_number")
        if kind != PeriodKind.AD_HOC and not year:
            report("year", _("Hãy nhập năm của kỳ báo cáo."))
        if needs_number(kind) and not number:
            report("period_number", _("Hãy chọn quý hoặc tháng của kỳ báo cáo."))
        elif needs_number(kind) and period_problem(kind, year or self.today.year, number):
            report("period_number", period_problem(kind, year or self.today.year, number))
        if r["period_start"] > r["period_end"]:
            report("period_start", _("Ngày bắt đầu kỳ phải trước hoặc đúng ngày chốt số liệu."))
        if r["deadline"] < r["period_end"]:
            report("deadline", _("Hạn gửi báo cáo không được trước ngày chốt số liệu."))
        due = self.task_deadlines.get(r["task_id"])
        if due is not None and due != r["deadline"]:
            report("deadline", _("Hạn gửi báo cáo phải đúng Thời hạn của nhiệm vụ báo cáo (%(date)s).")
                   % {"date": format_day(due)})  # fmt: skip

    # --- scope -----------------------------------------------------------------------------

    def check_scope(self) -> None:
        imp, sheet = self.imp, REPORT_ROUNDS
        for op in imp.ops.get(sheet.key, ()):
            if op.writes and not units.unit_editable(imp, op.values["issuing_unit_id"]):
                imp.problem(sheet, op.row, sheet.column("issuing_unit"),
                            op.row.values["issuing_unit"], units.OUTSIDE)  # fmt: skip
        self.submissions.check_scope()

    # --- applying --------------------------------------------------------------------------

    def apply(self) -> None:
        imp = self.imp
        ops = imp.ops.get(REPORT_ROUNDS.key, [])
        wanted = sorted({op.values["group_id"].code for op in ops
                         if isinstance(op.values.get("group_id"), NewRef)})  # fmt: skip
        for chunk in chunks(wanted):  # groups the directives part has just created
            imp.created[GROUP].update(
                MonitoringGroup.objects.filter(name__in=chunk).values_list("name", "pk")
            )
        created = [op for op in ops if op.pk is None]
        new = [imp.new_object(ReportRound, op) for op in created]
        insert_objects(ReportRound, new)
        for obj, op in zip(new, created, strict=True):
            imp.created[ROUND][(obj.issuing_unit_id, op.row.values["directive_number"])] = obj.pk
        changed = [op for op in ops if op.pk is not None and op.changed]
        imp.bulk_update(
            ReportRound, changed, extra={op.pk: {"updated_at": self.now} for op in changed}
        )
        imp.audit_created(REPORT_ROUNDS, new, exclude=STAMPS,
                          describe=lambda obj: f"{REPORT_ROUNDS.title}: {obj.name}")  # fmt: skip
        imp.audit_updated(REPORT_ROUNDS, changed, _round_text)
        self.submissions.apply()


def _round_text(op: Op) -> str:
    values = op.row.values
    return f"{REPORT_ROUNDS.title}: {values['directive_number']} ({values['issuing_unit']})"


def reports(imp: PackageImport) -> ReportsImport:
    return imp.state_of("reports", lambda: ReportsImport(imp))


def plan(imp: PackageImport) -> None:
    state = reports(imp)
    state.load()
    if imp.has(REPORT_ROUNDS):
        state.plan_rounds()
    state.load_assignments()
    state.submissions.plan()


def check_scope(imp: PackageImport) -> None:
    reports(imp).check_scope()


def apply(imp: PackageImport) -> None:
    reports(imp).apply()
