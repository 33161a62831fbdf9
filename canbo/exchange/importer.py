"""Importing a data package: all-or-nothing, idempotent, scoped and audited.

The import runs in two phases. Planning reads every sheet, reads every cell,
resolves references by natural key (in the package, in any row order, or in
the database), checks the rules of each record and the user's scope, and
works out for each row whether it creates, changes or leaves a record as it
is. Nothing is written while planning, so a dry run is planning alone, and
its report lists every problem at once. Applying happens only when planning
found no error, inside one transaction, with bulk writes and one audit event
per created or changed record. A row that changes nothing writes nothing, so
importing the same package twice reports "0 created, 0 updated" the second
time and leaves no audit entry.

This module is the machinery every sheet shares; the rules of each sheet live
with the app that owns it (its `package` module, see `registry.py`), which
plans, checks and applies its rows through the helpers of `PackageImport`.

Rows without an identifier of their own (work history, evaluations, …) are
each recognised by their person and a few fields (see `Sheet.natural_key`);
when several rows share such a key, the n-th row of the package matches the
n-th such row in the database. Rows in the database that the package does not
mention are kept: an import never deletes.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.utils.translation import gettext as _

from canbo.core import scope
from canbo.core.audit import AuditAction, _plain, created_changes, record_writes
from canbo.core.db import insert_objects, large_write_cache
from canbo.core.memory import without_gc

from . import cells
from .parsing import Row, SheetParsing
from .readers import RawPackage
from .registry import Part, registry
from .report import Counts, ImportReport, Problem
from .sheets import FORMAT_NAME, FORMAT_VERSION, Column, Sheet
from .steps import QUIET, Steps

__all__ = ["Counts", "ImportReport", "NewRef", "Op", "PackageImport", "Problem", "Row",
           "chunks", "import_package"]  # fmt: skip

CHUNK = 5000
STAMPS = ("created_at", "updated_at")


class NewRef:
    """A reference to a record created by this same package (resolved when applying).

    `code` is the record's natural key: a code, or a tuple whose members may be
    NewRefs themselves (a position of a new unit, a review of a new plan).
    """

    __slots__ = ("kind", "code")

    def __init__(self, kind: str, code):
        self.kind, self.code = kind, code

    def __eq__(self, other):
        return isinstance(other, NewRef) and (self.kind, self.code) == (other.kind, other.code)

    def __hash__(self):
        return hash((self.kind, self.code))


@dataclass
class Op:
    """What one row does: create, or update an existing record."""

    sheet: Sheet
    row: Row
    values: dict[str, Any]  # model attname -> value (NewRef allowed)
    pk: int | None = None
    before: dict[str, Any] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def writes(self) -> bool:
        """A row that changes nothing writes nothing (and needs no scope)."""
        return self.pk is None or bool(self.changed)


def chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _plain_value(value):
    if isinstance(value, NewRef):
        return value.code
    return _plain(value)


class PackageImport(SheetParsing):
    def __init__(self, *, actor, raw: RawPackage):
        self.actor = actor
        self.raw = raw
        self.problems: list[Problem] = [Problem(*p) for p in raw.problems]
        self.rows: dict[str, list[Row]] = {}
        self.ops: dict[str, list[Op]] = defaultdict(list)
        self.sheets = registry.sheets()
        self.parts: list[Part] = registry.parts()
        self.kinds = registry.kinds()
        self.lookups = registry.lookups()
        self.references = registry.references()
        self.counts: dict[str, Counts] = {
            s.title: Counts() for s in self.sheets if s.key in raw.sheets
        }
        self.admin = actor is None or scope.is_administrator(actor)
        self.catalogs: dict[Any, cells.Catalog] = {}
        self.state: dict[str, Any] = {}  # each part's own state, by app label (`state_of`)
        self.created: dict[str, dict] = defaultdict(dict)  # kind -> natural key -> pk
        self._allowed: dict[tuple[str, str], bool] = {}  # (unit path, action) -> may the actor
        self._reported: set[tuple] = set()  # each problem once, whichever step finds it again
        # Rows some cell of which could not be read, by sheet key: planned no further by
        # their part, but their references are still checked (`check_unread_rows`).
        self.unread: dict[str, list[Row]] = {}
        # kind -> code -> (worksheet, row) of a package row for that code that was refused
        self.refused: dict[str, dict[str, tuple[str, int]]] = {}

    def state_of(self, app: str, make: Callable[[], Any]) -> Any:
        """A part's own state for this import (made by `make` the first time)."""
        found = self.state.get(app)
        if found is None:
            found = self.state[app] = make()
        return found

    def has(self, sheet: Sheet) -> bool:
        """Does the package hold this sheet (with its required columns)?"""
        return sheet.key in self.rows

    def outside(self, path: str | None, action: str = scope.EDIT) -> bool:
        """Is a stored record (by its unit's path; None: no unit) beyond the actor's scope?

        Administrators and commands reach everything. Asked once per unit path.
        """
        if self.admin:
            return False
        if not path:
            return True
        allowed = self._allowed.get((path, action))
        if allowed is None:
            allowed = scope.path_allowed(self.actor, path, action)
            self._allowed[(path, action)] = allowed
        return not allowed

    # --- reporting ---------------------------------------------------------------

    def problem(self, sheet: Sheet, row: Row | None, column: Column | None, value, message,
                severity: str = "error") -> None:  # fmt: skip
        """Report a problem at a sheet, row and column; an error also marks the row bad."""
        name = self.sheet_name(sheet, row)
        message = str(message)
        number = row.number if row else None
        header = column.header if column else None
        seen = (name, number, header, message)
        if seen not in self._reported:
            self._reported.add(seen)
            self.problems.append(
                Problem(sheet=name, row=number, column=header, value=cells.shown(value),
                        message=message, severity=severity)
            )  # fmt: skip
        if row is not None and severity == "error":
            row.bad = True

    def sheet_name(self, sheet: Sheet, row: Row | None = None) -> str:
        """The worksheet a row is on, as the package names it."""
        if row is not None and row.sheet_name:
            return row.sheet_name
        if sheet.key in self.raw.sheets:
            return self.raw.sheets[sheet.key].name
        return sheet.title

    def warning(self, sheet: Sheet, row: Row | None, column: Column | None, value, message):
        """Something the import writes as asked but the user should know (nothing stops)."""
        self.problem(sheet, row, column, value, message, severity="warning")

    def count(self, sheet: Sheet, op: Op | None) -> None:
        counts = self.counts.get(sheet.title)
        if counts is None:
            counts = self.counts[sheet.title] = Counts()
        if op is None:
            counts.unchanged += 1
        elif op.pk is None:
            counts.created += 1
        elif op.changed:
            counts.updated += 1
        else:
            counts.unchanged += 1

    # --- references by code ------------------------------------------------------

    def load_references(self) -> None:
        """The stored records every reference column names, and the package's own codes."""
        codes: dict[str, set] = defaultdict(set)
        code_sheets = {ref.sheet: name for name, ref in self.references.items()}
        for sheet in self.sheets:
            rows = self.rows.get(sheet.key, ())
            if not rows:
                continue
            wanted = [(c.key, c.kind) for c in sheet.writable if c.kind in self.references]
            if sheet.key in code_sheets:
                wanted.append(("code", code_sheets[sheet.key]))
            for key, kind in wanted:
                found = codes[kind]
                found.update(value for row in rows if (value := row.values.get(key)))
        self.db: dict[str, dict[str, dict]] = {}
        self.package_codes: dict[str, set] = {}
        for name, ref in self.references.items():
            if ref.tree:
                self.db[name] = self._load_tree(ref.model, codes[name])
            else:
                self.db[name] = self._load_codes(ref.model, codes[name])
            self.package_codes[name] = {
                r.values.get("code") for r in self.rows.get(ref.sheet, ()) if not r.bad
            }
            code_sheet = next((s for s in self.sheets if s.key == ref.sheet), None)
            self.refused[name] = {
                code: (self.sheet_name(code_sheet, r), r.number)
                for r in self.rows.get(ref.sheet, ())
                if r.bad and (code := r.values.get("code")) and code not in self.package_codes[name]
            }

    @staticmethod
    def _load_codes(model, codes: set[str]) -> dict[str, dict]:
        found = {}
        for chunk in chunks(sorted(codes)):
            for row in model.objects.filter(code__in=chunk).values("pk", "code", "name"):
                found[row["code"]] = row
        return found

    @staticmethod
    def _load_tree(model, codes: set[str]) -> dict[str, dict]:
        """Referenced nodes with every field, and the code of each one's parent."""
        found = {}
        fields = [f.attname for f in model._meta.concrete_fields]
        for chunk in chunks(sorted(codes)):
            for row in model.objects.filter(code__in=chunk).values("pk", *fields):
                found[row["code"]] = row
        parent_paths = {row["path"][: -model.steplen] for row in found.values()} - {""}
        parent_code = {}
        for chunk in chunks(sorted(parent_paths)):
            parent_code.update(model.objects.filter(path__in=chunk).values_list("path", "code"))
        for row in found.values():
            row["_parent_code"] = parent_code.get(row["path"][: -model.steplen])
        return found

    def resolve(self, sheet: Sheet, row: Row, column: Column):
        """The pk of a referenced record, a NewRef, or None (reported when missing)."""
        code = row.values.get(column.key)
        if not code:
            return None
        kind = column.kind
        found = self.db[kind].get(code)
        if found is not None:
            return found["pk"]
        if code in self.package_codes[kind]:
            return NewRef(kind, code)
        ref = self.references[kind]
        refused = self.refused.get(kind, {}).get(code)
        if refused is not None:
            # The row that would create it has errors of its own: say so, briefly.
            self.problem(sheet, row, column, code, refused_note(ref.label, code, *refused))
            return None
        message = _("Không có %(what)s mã “%(code)s” trong gói hay trong hệ thống.") % {
            "what": ref.label,
            "code": code,
        }
        hints = ref.suggest(code) if ref.suggest and self.raw.source != "json" else ()
        for hit in hints:
            message += " " + _("Có thể Excel đã bỏ số 0 ở đầu: có phải “%(c)s”?") % {"c": hit}
        self.problem(sheet, row, column, code, message)
        return None

    def check_unread_rows(self) -> None:
        """The references of rows a cell of which could not be read: their part planned
        them no further, but an unknown code is worth knowing in the same round."""
        for sheet in self.sheets:
            for row in self.unread.get(sheet.key, ()):
                for column in sheet.writable:
                    if column.kind in self.references and column.key not in row.failed:
                        self.resolve(sheet, row, column)

    def name_of(self, kind: str, code: str) -> str:
        """The name of a record a row names by code: as the package gives it, or stored."""
        for op in self.ops.get(self.references[kind].sheet, ()):
            if op.row.values["code"] == code:
                return op.values.get("name") or ""
        found = self.db[kind].get(code)
        return found["name"] if found else ""

    # --- planning helpers --------------------------------------------------------

    def duplicate(self, sheet, row, seen: dict, key, column: Column) -> bool:
        if key in seen:
            self.problem(
                sheet, row, column, row.values.get(column.key),
                _("Trùng với dòng %(n)d của sheet này.") % {"n": seen[key]},
            )  # fmt: skip
            return True
        seen[key] = row.number
        return False

    def compare(self, op: Op, current: dict, fields) -> None:
        for name in fields:
            new = op.values.get(name)
            if isinstance(new, NewRef) or new != current.get(name):
                op.changed.append(name)
        op.before = {name: current.get(name) for name in op.changed}

    def plan_keyed(self, sheet: Sheet, key_fields: tuple[str, ...],
                   rules: Callable[..., None] | None = None) -> None:  # fmt: skip
        """A sheet whose rows are records found by a few fields (codes resolved to `_id`s):
        every stored record is read once; `rules(imp, sheet, row, values)` may report a
        row's problems."""
        model = sheet.model
        refs = {c.key for c in sheet.writable if c.kind in self.references}
        existing = {
            tuple(row[k] for k in key_fields): row
            for row in model.objects.values("pk", *[f.attname for f in model._meta.concrete_fields])
        }
        seen: dict = {}
        first = sheet.writable[0]
        for row in self.rows[sheet.key]:
            if row.bad:
                continue
            values = {}
            for column in sheet.writable:
                if column.key in row.values["_absent"] and column.key not in refs:
                    continue
                if column.key in refs:
                    values[column.key + "_id"] = self.resolve(sheet, row, column)
                else:
                    values[column.key] = row.values[column.key]
            if row.bad:
                continue
            key = tuple(values.get(k) for k in key_fields)
            if self.duplicate(sheet, row, seen, key, first):
                continue
            current = existing.get(key)
            op = Op(sheet=sheet, row=row, values=values, pk=current["pk"] if current else None)
            if rules is not None:
                rules(self, sheet, row, values)
                if row.bad:
                    continue
            if current:
                self.compare(op, current, values.keys())
            self.ops[sheet.key].append(op)
            self.count(sheet, op)

    # --- the phases ----------------------------------------------------------------

    def plan(self, steps: Steps = QUIET) -> None:
        present = [sheet for sheet in self.sheets if sheet.key in self.raw.sheets]
        steps.stage(_("Đọc các ô"), total=len(present))
        for index, sheet in enumerate(present):
            name = self.sheet_name(sheet)
            steps.item(index, name)
            self.parse_sheet(sheet)
            unread = [row for row in self.rows[sheet.key] if row.bad]
            if unread:
                self.unread[sheet.key] = unread
            steps.item_done(index + 1, name, len(self.rows[sheet.key]))
        self.load_references()
        parts = [part for part in self.parts if any(self.has(sheet) for sheet in part.sheets)]
        steps.stage(_("Kiểm tra dữ liệu"), total=len(parts))
        for index, part in enumerate(parts):
            held = [sheet for sheet in part.sheets if self.has(sheet)]
            names = ", ".join(self.sheet_name(sheet) for sheet in held)
            steps.item(index, names)
            part.plan(self)
            steps.item_done(index + 1, names, sum(len(self.rows[sheet.key]) for sheet in held))
        self.check_unread_rows()
        self.check_scope()

    def problem_order(self) -> Callable[[Problem], tuple]:
        """Errors first, then warnings; each by sheet (in the package's order), row and
        column (in the sheet's order); the package's own problems before any sheet's."""
        sheet_rank: dict[str, int] = {"": -1, "Thông tin gói": -1}
        column_rank: dict[str, dict[str, int]] = {}
        for index, sheet in enumerate(self.sheets):
            names = [sheet.title]
            found = self.raw.sheets.get(sheet.key)
            if found is not None:
                names += [found.name, *(name for _start, name in found.parts)]
            headers = {c.header: i for i, c in enumerate(sheet.columns)}
            for name in names:
                sheet_rank.setdefault(name, index)
                column_rank.setdefault(name, headers)
        last = len(self.sheets)

        def key(p: Problem) -> tuple:
            columns = column_rank.get(p.sheet, {})
            return (p.severity != "error", sheet_rank.get(p.sheet, last),
                    p.row or 0, columns.get(p.column, -1 if p.column is None else len(columns)))  # fmt: skip

        return key

    def check_scope(self) -> None:
        if self.admin:
            return
        for sheet in self.sheets:
            if sheet.admin_only:
                for op in self.ops.get(sheet.key, ()):
                    if op.writes:
                        self.problem(op.sheet, op.row, None, "",
                                     _("Chỉ quản trị viên được thêm hoặc sửa danh mục này."))  # fmt: skip
        for part in self.parts:
            if any(self.ops.get(sheet.key) for sheet in part.sheets):
                part.check_scope(self)

    def apply(self) -> None:
        for part in self.parts:
            if any(self.ops.get(sheet.key) for sheet in part.sheets):
                part.apply(self)
        for part in self.parts:
            part.after(self)

    # --- applying helpers ----------------------------------------------------------

    def pk_of(self, value):
        if not isinstance(value, NewRef):
            return value
        code = value.code
        if isinstance(code, tuple):
            code = tuple(self.pk_of(v) for v in code)
        return self.created[value.kind][code]

    def new_object(self, model, op: Op):
        return model(**{k: self.pk_of(v) for k, v in op.values.items()})

    def apply_keyed(self, sheet: Sheet, created: tuple[str, Callable] | None = None,
                    describe: Callable[[Op], str] | None = None,
                    describe_new: Callable[[Any], str] = str) -> list:  # fmt: skip
        """Insert the sheet's new records and update its changed ones, with their audit;
        `created` = (kind, key): `key(obj)` is the natural key under which later rows
        find a new record of that kind (`pk_of`)."""
        model = sheet.model
        ops = self.ops[sheet.key]
        new_objects = [self.new_object(model, op) for op in ops if op.pk is None]
        insert_objects(model, new_objects)
        if created is not None:
            kind, key = created
            for obj in new_objects:
                self.created[kind][key(obj)] = obj.pk
        changed = [op for op in ops if op.pk is not None and op.changed]
        self.bulk_update(model, changed)
        self.audit_created(sheet, new_objects, describe=describe_new)
        self.audit_updated(sheet, changed, describe)
        return new_objects

    def bulk_update(self, model, ops: list[Op], extra: dict | None = None) -> None:
        by_fields: dict[tuple, list] = defaultdict(list)
        for op in ops:
            fields = tuple(sorted(set(op.changed) | set((extra or {}).get(op.pk, {}))))
            values = {f: self.pk_of(op.values[f]) for f in op.changed}
            values.update((extra or {}).get(op.pk, {}))
            by_fields[fields].append(model(pk=op.pk, **values))
        for fields, objects in by_fields.items():
            model.objects.bulk_update(objects, list(fields), batch_size=500)

    # --- audit ------------------------------------------------------------------

    def audit_created(self, sheet: Sheet, records: list, exclude=(),
                      describe: Callable[[Any], str] = str) -> None:  # fmt: skip
        """One event per created record: every non-empty field as [None, value].

        `records` are saved model instances (named by `describe`), or
        (pk, {attname: value}, text) triples.
        """
        if not records:
            return
        model = sheet.model
        skip = set(exclude)
        changes = created_changes(
            sorted((f.name, f.attname) for f in model._meta.concrete_fields if f.name not in skip)
        )

        def items():
            for record in records:
                if isinstance(record, tuple):
                    pk, data, text = record
                    yield pk, changes(data), text
                else:
                    yield record.pk, changes(record.__dict__), describe(record)

        record_writes(actor=self.actor, action=AuditAction.CREATE, model=sheet.model,
                      items=items())  # fmt: skip

    def audit_updated(self, sheet: Sheet, ops: list[Op],
                      describe: Callable[[Op], str] | None = None) -> None:  # fmt: skip
        if not ops:
            return
        describe = describe or describe_op
        record_writes(
            actor=self.actor,
            action=AuditAction.UPDATE,
            model=sheet.model,
            items=(
                (
                    op.pk,
                    {
                        name.removesuffix("_id") if name.endswith("_id") else name: [
                            _plain_value(op.before.get(name)),
                            _plain_value(self.pk_of(op.values[name]))
                            if name in op.values
                            else op.extra.get("parent"),
                        ]
                        for name in op.changed
                    },
                    describe(op),
                )
                for op in ops
            ),
        )


def refused_note(label: str, code: str, sheet: str, number: int) -> str:
    """The one short note of a row naming a record whose own row in the package is refused."""
    return _("%(what)s “%(code)s” không được nhập vì dòng %(n)d của sheet “%(s)s” có lỗi "
             "(xem lỗi ở dòng đó).") % {"what": label[:1].upper() + label[1:], "code": code,
                                          "n": number, "s": sheet}  # fmt: skip


def describe_op(op: Op) -> str:
    """How the audit names a changed row, unless its sheet says better."""
    values = op.row.values
    if "person" in values:
        return f"{op.sheet.title}: {values['person']}"
    return op.sheet.title


def _check_meta(importer: PackageImport) -> None:
    meta = importer.raw.meta
    name = meta.get("Định dạng")
    version = meta.get("Phiên bản")
    if name and name != FORMAT_NAME:
        importer.problems.append(
            Problem("Thông tin gói", None, "Định dạng", name, _("Không phải gói dữ liệu canbo."))
        )
    if version and version.isdigit() and int(version) > FORMAT_VERSION:
        importer.problems.append(
            Problem("Thông tin gói", None, "Phiên bản", version,
                    _("Gói được tạo bởi phiên bản mới hơn; hãy cập nhật hệ thống."))  # fmt: skip
        )


def import_package(*, actor, raw: RawPackage, dry_run: bool = False,
                   steps: Steps = QUIET) -> ImportReport:  # fmt: skip
    """Plan, and unless dry_run or any error, apply the package in one transaction.

    Planning reports its sheets and parts to `steps`; applying is one stage of unknown
    size, reported before the transaction opens and never inside it (a background job's
    progress is a write of its own, which must not wait for the import's commit)."""
    with without_gc():
        return _import_package(actor=actor, raw=raw, dry_run=dry_run, steps=steps)


def _import_package(*, actor, raw: RawPackage, dry_run: bool, steps: Steps) -> ImportReport:
    started = time.perf_counter()
    if actor is not None and not scope.can_edit(actor):
        report = ImportReport(problems=[], counts={}, dry_run=dry_run)
        report.problems.append(
            Problem("", None, None, "", _("Bạn không có quyền nhập dữ liệu."))
        )
        return report
    importer = PackageImport(actor=actor, raw=raw)
    _check_meta(importer)
    if not raw.sheets and not importer.problems:
        importer.problems.append(
            Problem("", None, None, "", _("Tệp không có sheet nào của gói dữ liệu."))
        )
    if raw.sheets:
        importer.plan(steps)
    importer.problems.sort(key=importer.problem_order())
    report = ImportReport(
        problems=importer.problems,
        counts=importer.counts,
        dry_run=dry_run,
        rows=sum(len(s.rows) for s in raw.sheets.values()),
    )
    if report.ok and not dry_run:
        steps.final_stage(_("Ghi vào cơ sở dữ liệu"))
        try:
            with transaction.atomic(), large_write_cache():
                importer.apply()
            report.applied = True
        except (IntegrityError, DatabaseError):
            report.problems.append(
                Problem("", None, None, "",
                        _("Dữ liệu trong hệ thống vừa thay đổi trong khi nhập; không có gì được "
                          "ghi. Hãy thử lại."))  # fmt: skip
            )
    report.seconds = time.perf_counter() - started
    return report
