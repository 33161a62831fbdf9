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

Section rows (work history, evaluations, …) have no identifier of their own:
each is recognised by its person and a few fields (see `spec.Sheet.natural_key`);
when a person has several rows with the same key, the n-th row of the package
matches the n-th such row in the database. Rows in the database that the
package does not mention are kept: an import never deletes.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from operator import itemgetter
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import RegexValidator
from django.db import DatabaseError, IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canbo.core import scope
from canbo.core.audit import (
    AccessKind,
    AuditAction,
    _plain,
    created_changes,
    record_rows,
    record_writes,
)
from canbo.core.dates import DatePrecision, format_day
from canbo.core.db import insert_objects, insert_rows, large_write_cache
from canbo.core.vntext import fold
from canbo.organizations import locality
from canbo.organizations.models import (
    Area,
    AreaSuccession,
    Position,
    PositionTitle,
    Term,
    Unit,
    UnitSuccession,
)
from canbo.organizations.selectors import governed_area_ids, locality_maps
from canbo.people.models import (
    Assignment,
    ConfidenceVote,
    Discipline,
    Ethnicity,
    Evaluation,
    Person,
    Reward,
    Training,
)
from canbo.people.selectors import DUPLICATE_ELSEWHERE
from canbo.people.services import (
    AUDIT_EXCLUDE,
    person_date_errors,
    person_derive_text,
    section_validate,
)
from canbo.planning.choices import PlanStatus, RemovalReason
from canbo.planning.models import Plan, PlanEntry, PlanPosition, PlanReview, PlanTransition
from canbo.planning.services import (
    LISTED_FIELDS,
    ListedEntry,
    listed_entry,
    review_link_errors,
    review_list,
    review_members,
)

from . import cells
from .readers import RawPackage, without_gc
from .spec import (
    AREA_SUCCESSIONS,
    AREAS,
    ASSIGNMENTS,
    DISCIPLINES,
    EVALUATIONS,
    FORMAT_NAME,
    FORMAT_VERSION,
    PEOPLE,
    PLAN_ENTRIES,
    PLAN_POSITIONS,
    PLAN_REVIEWS,
    PLANS,
    POSITIONS,
    REWARDS,
    SHEETS,
    TERMS,
    TITLES,
    TRAININGS,
    UNIT_SUCCESSIONS,
    UNITS,
    VOTES,
    Column,
    Sheet,
)

CHUNK = 5000
KNOWN_LIMIT = 100_000  # spellings remembered per column while reading cells
_MISSING = object()
# The one answer for an ID number no record has and for a person beyond the actor's
# edit scope, on every sheet that names people (ADR 0010 §1: no existence oracle).
NO_PERSON = gettext_lazy("Không có cán bộ với số định danh này trong gói hay trong hệ thống.")


def person_defaults() -> dict:
    """Every stored column of a new person (attname -> default), the key left out."""
    return {
        f.attname: f.get_default() for f in Person._meta.concrete_fields if not f.primary_key
    }

# Fields the person text and date rules read, for rows that leave them out.
PERSON_DRAFT = {"middle_name": "", "birth_date": None, "party_joined_date": None,
                "party_official_date": None}  # fmt: skip

MODEL_OF = {
    AREAS.key: Area,
    AREA_SUCCESSIONS.key: AreaSuccession,
    TITLES.key: PositionTitle,
    TERMS.key: Term,
    UNITS.key: Unit,
    UNIT_SUCCESSIONS.key: UnitSuccession,
    POSITIONS.key: Position,
    PEOPLE.key: Person,
    ASSIGNMENTS.key: Assignment,
    EVALUATIONS.key: Evaluation,
    VOTES.key: ConfidenceVote,
    DISCIPLINES.key: Discipline,
    REWARDS.key: Reward,
    TRAININGS.key: Training,
    PLANS.key: Plan,
    PLAN_POSITIONS.key: PlanPosition,
    PLAN_REVIEWS.key: PlanReview,
    PLAN_ENTRIES.key: PlanEntry,
}
PLAN_SHEETS = (PLANS, PLAN_POSITIONS, PLAN_REVIEWS, PLAN_ENTRIES)
# The columns of an entry that name a review of its plan by date, and the link each sets.
REVIEW_LINKS = {"added_review": "added_in_review_id", "removed_review": "removed_in_review_id"}
# What a status change made by an import records as its reason in the plan's history.
IMPORT_TRANSITION_REASON = "Nhập từ gói dữ liệu."
STAMPS = ("created_at", "updated_at")
# Section sheets: the fields (besides the person) that recognise a row, and
# whether several rows may share them (then the n-th matches the n-th).
SECTION_KEYS = {
    ASSIGNMENTS.key: (("start_date", "start_precision", "unit_name", "title_name"), True),
    EVALUATIONS.key: (("year",), False),
    VOTES.key: (("year", "body"), False),
    DISCIPLINES.key: (("form", "effective_date"), True),
    REWARDS.key: (("year", "form"), True),
    TRAININGS.key: (("kind", "program", "start_date"), True),
}
CODE_KINDS = {AREAS.key: "area", UNITS.key: "unit", TITLES.key: "title"}
CATALOG_SHEETS = {AREAS.key, AREA_SUCCESSIONS.key, TITLES.key, TERMS.key, UNIT_SUCCESSIONS.key}
TREE_SHEETS = {AREAS.key: Area, UNITS.key: Unit}


@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str | None
    value: str
    message: str
    severity: str = "error"

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "severity": self.severity,
        }

    def __str__(self) -> str:
        where = self.sheet
        if self.row:
            where += _(", dòng %(n)d") % {"n": self.row}
        if self.column:
            where += _(", cột “%(c)s”") % {"c": self.column}
        value = f" [{self.value}]" if self.value else ""
        return f"{where}{value}: {self.message}"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    problems: list[Problem]
    counts: dict[str, Counts]
    dry_run: bool
    applied: bool = False
    seconds: float = 0.0
    rows: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def created(self) -> int:
        return sum(c.created for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.counts.values())

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "applied": self.applied,
            "created": self.created,
            "updated": self.updated,
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
            "counts": {k: vars(v) for k, v in self.counts.items()},
            "problems": [p.as_dict() for p in self.problems],
        }

    @classmethod
    def from_dict(cls, data: dict) -> ImportReport:
        """The report `as_dict` gave (kept with a pending upload between page loads)."""
        return cls(
            problems=[Problem(**p) for p in data["problems"]],
            counts={k: Counts(**v) for k, v in data["counts"].items()},
            dry_run=data["dry_run"],
            applied=data["applied"],
            seconds=data["seconds"],
            rows=data["rows"],
        )


class NewRef:
    """A reference to a record created by this same package (resolved when applying)."""

    __slots__ = ("kind", "code")

    def __init__(self, kind: str, code):
        self.kind, self.code = kind, code

    def __eq__(self, other):
        return isinstance(other, NewRef) and (self.kind, self.code) == (other.kind, other.code)

    def __hash__(self):
        return hash((self.kind, self.code))


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    bad: bool = False
    sheet_name: str | None = None  # set on the rows of a continuation worksheet


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


def _field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _plain_value(value):
    if isinstance(value, NewRef):
        return value.code
    return _plain(value)


class PackageImport:
    def __init__(self, *, actor, raw: RawPackage):
        self.actor = actor
        self.raw = raw
        self.problems: list[Problem] = [Problem(*p) for p in raw.problems]
        self.rows: dict[str, list[Row]] = {}
        self.ops: dict[str, list[Op]] = defaultdict(list)
        self.counts: dict[str, Counts] = {s.title: Counts() for s in SHEETS if s.key in raw.sheets}
        self.admin = actor is None or scope.is_administrator(actor)
        ethnic = list(Ethnicity.objects.values_list("pk", "code", "name"))
        self.ethnicity_catalog = cells.Catalog([(pk, name) for pk, _c, name in ethnic])
        self.catalogs: dict[type, cells.Catalog] = {}
        self._allowed: dict[tuple[str, str], bool] = {}  # (unit path, action) -> may the actor

    def outside(self, path: str | None, action: str = scope.EDIT) -> bool:
        """Is a stored person (by their unit's path; None: no unit) beyond the actor's scope?

        Administrators and commands reach everyone. Asked once per unit path.
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

    def problem(self, sheet: Sheet, row: Row | None, column: Column | None, value, message):
        if row is not None and row.sheet_name:
            name = row.sheet_name
        elif sheet.key in self.raw.sheets:
            name = self.raw.sheets[sheet.key].name
        else:
            name = sheet.title
        self.problems.append(
            Problem(
                sheet=name,
                row=row.number if row else None,
                column=column.header if column else None,
                value=cells.shown(value),
                message=str(message),
            )
        )
        if row is not None:
            row.bad = True

    # --- phase 1: cells ----------------------------------------------------------

    def catalog(self, choices) -> cells.Catalog:
        if choices not in self.catalogs:
            self.catalogs[choices] = cells.Catalog(choices.choices)
        return self.catalogs[choices]

    def reader(self, column: Column):
        """The function that reads this column's cells (chosen once per sheet)."""
        kind = column.kind
        if kind in ("text", "code", "area", "unit", "title"):
            return cells.read_text
        if kind == "note":
            return cells.read_note
        if kind in ("id_number", "person"):
            return cells.read_id_number
        if kind == "term":
            return cells.read_term
        if kind == "choice":
            return self.catalog(column.choices).read
        if kind == "ethnicity":
            return self.ethnicity_catalog.read
        return {
            "partial_date": cells.read_partial_date,
            "date": cells.read_date,
            "int": cells.read_int,
            "decimal": cells.read_decimal,
            "bool": cells.read_bool,
        }[kind]

    def blank_value(self, column: Column, model):
        if column.kind == "partial_date":
            return (None, DatePrecision.DAY)
        model_field = _field(model, column.model_field)
        if model_field is not None and column.kind not in ("area", "unit", "title", "term"):
            if model_field.has_default():
                return model_field.get_default()
            if model_field.null:
                return None
            return "" if isinstance(model_field, models.CharField | models.TextField) else None
        return None

    @staticmethod
    def checker(column: Column, model):
        """The model field's own rules for a read value, or None when it has none."""
        model_field = _field(model, column.model_field)
        if model_field is None or column.kind in ("area", "unit", "title", "person", "term"):
            return None
        validators = model_field.validators
        if not validators:
            return None
        length = getattr(model_field, "max_length", None)
        if isinstance(model_field, models.CharField) and len(validators) == 1 and length:
            message = _("Tối đa %(n)d ký tự (ô này có %(m)d).")

            def check_length(value):  # the common case, without Django's validator machinery
                if len(value) > length:
                    raise ValidationError(message % {"n": length, "m": len(value)})

            return check_length
        run = model_field.run_validators
        empty = model_field.empty_values
        steps = []
        for validator in validators:
            if type(validator) is RegexValidator:
                # Its pattern sits behind a lazy object that costs more than the search.
                steps.append((validator.regex.search, validator.inverse_match))
            else:
                steps.append((validator, None))

        def check(value):
            if value in empty:
                return
            # Each validator in turn; only a failure goes through Django's run_validators,
            # which gathers the messages of every validator that fails.
            try:
                for validator, inverse in steps:
                    if inverse is None:
                        validator(value)
                    elif (validator(str(value)) is not None) is inverse:  # RegexValidator's rule
                        raise ValidationError("")
            except ValidationError:
                run(value)
                raise

        if column.kind == "partial_date":
            return lambda value: check(value[0])
        return check

    def parse_sheet(self, sheet: Sheet) -> None:
        model = MODEL_OF[sheet.key]
        raw_sheet = self.raw.sheets[sheet.key]
        if any(c.required and c.key not in raw_sheet.present for c in sheet.columns):
            self.rows[sheet.key] = []  # "Thiếu cột bắt buộc" is reported; nothing to plan
            return
        absent = [c for c in sheet.writable if c.key not in raw_sheet.present]
        absent_keys = frozenset(c.key for c in absent)
        defaults = {c.key: self.blank_value(c, model) for c in absent}
        plan = []
        for c in sheet.writable:
            if c.key not in raw_sheet.present:
                continue
            blank = self.blank_value(c, model)
            # What each spelling of a cell reads as, once read and checked: the same few
            # names, dates and catalog labels fill a column. Only text (and empty) cells
            # are remembered, so 1, 1.0 and True never share an entry.
            known = {} if c.required else {None: blank, "": blank}
            remember = c.kind != "id_number"  # unique by nature
            plan.append((c.key, c, self.reader(c), self.checker(c, model), blank, known, remember))
        required = _("Ô bắt buộc, không được để trống.")
        missing = _MISSING
        parsed = []
        split = raw_sheet.parts[0][0] if raw_sheet.parts else None
        for index, (number, values) in enumerate(raw_sheet.rows):
            row = Row(number=number, values={})
            if split is not None and index >= split:
                row.sheet_name = raw_sheet.name_of(index)
            out = row.values
            get = values.get
            for key, column, read, check, blank, known, remember in plan:
                raw = get(key)
                try:
                    value = known.get(raw, missing)
                except TypeError:  # an unhashable value: read it the long way
                    value = missing
                if value is not missing:
                    out[key] = value
                    continue
                if raw is None or raw == "" or (type(raw) is str and raw.isspace()):
                    if column.required:
                        self.problem(sheet, row, column, "", required)
                    elif type(raw) is str:
                        known[raw] = blank
                    out[key] = blank
                    continue
                try:
                    value = read(raw)
                    if check is not None and value is not None and value != "":
                        check(value)
                except cells.CellError as error:
                    self.problem(sheet, row, column, raw, error)
                    continue
                except ValidationError as error:
                    self.problem(sheet, row, column, raw, " ".join(error.messages))
                    continue
                out[key] = value
                if remember and type(raw) is str and len(known) < KNOWN_LIMIT:
                    known[raw] = value
            out.update(defaults)
            out["_absent"] = absent_keys
            parsed.append(row)
        self.rows[sheet.key] = parsed

    # --- phase 2: references ------------------------------------------------------

    def load_references(self) -> None:
        codes = defaultdict(set)
        for sheet in SHEETS:
            rows = self.rows.get(sheet.key, ())
            if not rows:
                continue
            wanted = [(c.key, c.kind) for c in sheet.writable if c.kind in ("area", "unit", "title")]
            if sheet.key in CODE_KINDS:
                wanted.append(("code", CODE_KINDS[sheet.key]))
            for key, kind in wanted:
                found = codes[kind]
                found.update(value for row in rows if (value := row.values.get(key)))
        self.db_areas = self._load_tree(Area, codes["area"])
        self.db_units = self._load_tree(Unit, codes["unit"])
        self.db_titles = {
            code: (pk, name)
            for code, pk, name in PositionTitle.objects.values_list("code", "pk", "name")
        }
        self.package_codes = {
            "area": {r.values.get("code") for r in self.rows.get(AREAS.key, ()) if not r.bad},
            "unit": {r.values.get("code") for r in self.rows.get(UNITS.key, ()) if not r.bad},
            "title": {r.values.get("code") for r in self.rows.get(TITLES.key, ()) if not r.bad},
        }

    @staticmethod
    def _load_tree(model, codes: set[str]) -> dict[str, dict]:
        """Referenced nodes with every field, and the code of each one's parent."""
        found = {}
        fields = [f.attname for f in model._meta.concrete_fields]
        for chunk in _chunks(sorted(codes)):
            for row in model.objects.filter(code__in=chunk).values("pk", *fields):
                found[row["code"]] = row
        parent_paths = {row["path"][: -model.steplen] for row in found.values()} - {""}
        parent_code = {}
        for chunk in _chunks(sorted(parent_paths)):
            parent_code.update(model.objects.filter(path__in=chunk).values_list("path", "code"))
        for row in found.values():
            row["_parent_code"] = parent_code.get(row["path"][: -model.steplen])
        return found

    def db_map(self, kind: str) -> dict:
        return {"area": self.db_areas, "unit": self.db_units, "title": self.db_titles}[kind]

    def resolve(self, sheet: Sheet, row: Row, column: Column):
        """The pk of a referenced record, a NewRef, or None (reported when missing)."""
        code = row.values.get(column.key)
        if not code:
            return None
        found = self.db_map(column.kind).get(code)
        if found is not None:
            return found["pk"] if isinstance(found, dict) else found[0]
        if code in self.package_codes[column.kind]:
            return NewRef(column.kind, code)
        names = {"area": _("địa bàn"), "unit": _("đơn vị"), "title": _("chức danh")}
        message = _("Không có %(what)s mã “%(code)s” trong gói hay trong hệ thống.") % {
            "what": names[column.kind],
            "code": code,
        }
        if code.isdigit():
            padded = [code.zfill(n) for n in (2, 5) if len(code) < n]
            if column.kind == "area" and padded:
                hits = Area.objects.filter(code__in=padded).values_list("code", flat=True)
                for hit in hits:
                    message += " " + _("Có thể Excel đã bỏ số 0 ở đầu: có phải “%(c)s”?") % {
                        "c": hit
                    }
        self.problem(sheet, row, column, code, message)
        return None

    # --- phase 3: planning, sheet by sheet ---------------------------------------

    def plan(self) -> None:
        for sheet in SHEETS:
            if sheet.key in self.raw.sheets:
                self.parse_sheet(sheet)
        self.load_references()
        for sheet in (AREAS, UNITS):
            if sheet.key in self.rows:
                self.plan_tree(sheet)
        for sheet in (AREA_SUCCESSIONS, UNIT_SUCCESSIONS, TITLES, TERMS, POSITIONS):
            if sheet.key in self.rows:
                self.plan_flat(sheet)
        if PEOPLE.key in self.rows:
            self.plan_people()
        for sheet in (ASSIGNMENTS, EVALUATIONS, VOTES, DISCIPLINES, REWARDS, TRAININGS):
            if sheet.key in self.rows:
                self.plan_sections(sheet)
        if any(sheet.key in self.rows for sheet in PLAN_SHEETS):
            self.plan_planning()
        self.check_scope()

    def _duplicate(self, sheet, row, seen: dict, key, column: Column) -> bool:
        if key in seen:
            self.problem(
                sheet, row, column, row.values.get(column.key),
                _("Trùng với dòng %(n)d của sheet này.") % {"n": seen[key]},
            )  # fmt: skip
            return True
        seen[key] = row.number
        return False

    def _compare(self, op: Op, current: dict, fields) -> None:
        for name in fields:
            new = op.values.get(name)
            if isinstance(new, NewRef) or new != current.get(name):
                op.changed.append(name)
        op.before = {name: current.get(name) for name in op.changed}

    def _count(self, sheet: Sheet, op: Op | None) -> None:
        counts = self.counts[sheet.title]
        if op is None:
            counts.unchanged += 1
        elif op.pk is None:
            counts.created += 1
        elif op.changed:
            counts.updated += 1
        else:
            counts.unchanged += 1

    def plan_tree(self, sheet: Sheet) -> None:
        model = TREE_SHEETS[sheet.key]
        kind = "area" if model is Area else "unit"
        db = self.db_map(kind)
        fields = [c.key for c in sheet.writable if c.key not in ("code", "parent")]
        attnames = {"area": "area_id"}
        seen: dict = {}
        parent_of = {}
        for row in self.rows[sheet.key]:
            if row.bad:
                continue
            code = row.values["code"]
            if self._duplicate(sheet, row, seen, code, sheet.column("code")):
                continue
            values = {attnames.get(f, f): row.values[f] for f in fields}
            if model is Unit:
                values["area_id"] = self.resolve(sheet, row, sheet.column("area"))
            values = {k: v for k, v in values.items() if k.removesuffix("_id") not in row.values["_absent"]}
            parent_code = row.values.get("parent") or None
            if parent_code == code:
                self.problem(sheet, row, sheet.column("parent"), code,
                             _("Một mục không thể là cấp trên của chính nó."))  # fmt: skip
                continue
            if parent_code and self.resolve(sheet, row, sheet.column("parent")) is None:
                continue
            if row.bad:
                continue
            existing = db.get(code)
            op = Op(sheet=sheet, row=row, values=values, pk=existing["pk"] if existing else None)
            op.extra["parent"] = parent_code
            op.extra["parent_absent"] = "parent" in row.values["_absent"]
            if existing:
                self._compare(op, existing, values.keys())
                old_parent = existing["_parent_code"]
                if not op.extra["parent_absent"] and parent_code != old_parent:
                    op.extra["move_from"] = old_parent
                    op.changed.append("parent")
                    op.before["parent"] = old_parent
            parent_of[code] = parent_code
            self.ops[sheet.key].append(op)
            self._count(sheet, op)
        self._check_cycles(sheet, model, parent_of)

    def _check_cycles(self, sheet: Sheet, model, parent_of: dict) -> None:
        moves = any("move_from" in op.extra for op in self.ops[sheet.key])
        for op in self.ops[sheet.key]:
            code = op.row.values["code"]
            seen, current = {code}, parent_of.get(code)
            while current:
                if current in seen:
                    self.problem(sheet, op.row, sheet.column("parent"), op.extra["parent"],
                                 _("Quan hệ cấp trên tạo thành vòng lặp."))  # fmt: skip
                    break
                seen.add(current)
                if current in parent_of:
                    current = parent_of[current]
                elif not moves:
                    break  # the database tree has no cycle, and nothing in it moves
                else:
                    row = self.db_map("area" if model is Area else "unit").get(current)
                    path = row["path"] if row else ""
                    ancestors = [path[:i] for i in range(model.steplen, len(path), model.steplen)]
                    codes = set(model.objects.filter(path__in=ancestors).values_list("code", flat=True))
                    if codes & seen:
                        self.problem(sheet, op.row, sheet.column("parent"), op.extra["parent"],
                                     _("Quan hệ cấp trên tạo thành vòng lặp."))  # fmt: skip
                    break

    def plan_flat(self, sheet: Sheet) -> None:
        """Catalog-like sheets: successions, titles, terms, positions."""
        model = MODEL_OF[sheet.key]
        refs = {c.key: c for c in sheet.writable if c.kind in ("area", "unit", "title")}
        key_fields = {
            AREA_SUCCESSIONS.key: ("predecessor_id", "successor_id"),
            UNIT_SUCCESSIONS.key: ("predecessor_id", "successor_id"),
            TITLES.key: ("code",),
            TERMS.key: ("body", "start_date"),
            POSITIONS.key: ("unit_id", "title_id"),
        }[sheet.key]
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
            if self._duplicate(sheet, row, seen, key, first):
                continue
            current = existing.get(key)
            op = Op(sheet=sheet, row=row, values=values, pk=current["pk"] if current else None)
            if sheet is TERMS and values["end_date"] <= values["start_date"]:
                self.problem(sheet, row, sheet.column("end_date"), values["end_date"],
                             _("Ngày kết thúc phải sau ngày bắt đầu."))  # fmt: skip
                continue
            if current:
                self._compare(op, current, values.keys())
            self.ops[sheet.key].append(op)
            self._count(sheet, op)

    def plan_people(self) -> None:
        sheet = PEOPLE
        rows = [r for r in self.rows[sheet.key] if not r.bad]
        refs = {"hometown": "area", "birthplace": "area", "unit": "unit"}
        fields = [c.key for c in sheet.writable]
        compare = [f for f in Person._meta.concrete_fields if f.name not in AUDIT_EXCLUDE]
        attnames = [f.attname for f in compare if f.name not in ("id", "full_name", "is_local")]
        existing = {}
        ids = [r.values["id_number"] for r in rows]
        for chunk in _chunks(ids):
            for current in Person.objects.filter(id_number__in_values=chunk).values(
                "pk", "unit__path", *attnames
            ):
                existing[current["id_number"]] = current
        self.db_people = existing
        seen: dict = {}
        id_column = sheet.column("id_number")
        self.package_people = {}
        plans: dict[frozenset, list] = {}  # the columns a row has, in order: one plan each

        def plan_of(absent: frozenset) -> list:
            steps = []
            for name in fields:
                if name in absent:
                    continue
                if name in refs:
                    steps.append((name, name + "_id", sheet.column(name), self.db_map(refs[name])))
                elif name == "birth_date":
                    steps.append((name, "birth_date", None, None))
                elif name == "ethnicity":
                    steps.append((name, "ethnicity_id", None, None))
                else:
                    steps.append((name, name, None, None))
            return steps

        for row in rows:
            raw = row.values
            absent = raw["_absent"]
            steps = plans.get(absent)
            if steps is None:
                steps = plans[absent] = plan_of(absent)
            values = {}
            for name, attname, column, db in steps:
                if column is not None:  # a reference by code
                    code = raw.get(name)
                    found = db.get(code) if code else None
                    if found is not None:
                        values[attname] = found["pk"]
                    else:
                        values[attname] = self.resolve(sheet, row, column)
                elif name == "birth_date":
                    values["birth_date"], values["birth_date_precision"] = raw[name]
                else:
                    values[attname] = raw[name]
            if row.bad or self._duplicate(sheet, row, seen, values["id_number"], id_column):
                continue
            # A plain object is enough for the text and date rules, and much cheaper.
            person = SimpleNamespace(**{**PERSON_DRAFT, **values})
            person_derive_text(person)
            for name in ("family_name", "middle_name", "given_name", "id_number"):
                if name in values:
                    values[name] = getattr(person, name)
            derived = {n: getattr(person, n) for n in ("full_name", "search_text", "sort_key")}
            for name, message in person_date_errors(person).items():
                column = sheet.column(name if name != "birth_date_precision" else "birth_date")
                self.problem(sheet, row, column, row.values.get(column.key), message)
            if row.bad:
                continue
            current = existing.get(values["id_number"])
            if current and self.outside(current["unit__path"]):
                # Another unit's record: refused whatever the row says, never compared,
                # so the report tells nothing of what is stored (ADR 0010 §1).
                self.problem(sheet, row, id_column, raw["id_number"], DUPLICATE_ELSEWHERE)
                continue
            op = Op(sheet=sheet, row=row, values=values, pk=current["pk"] if current else None)
            op.extra["derived"] = derived
            if current:
                op.extra["old_unit_path"] = current["unit__path"]
                self._compare(op, current, values.keys())
            self.package_people[values["id_number"]] = op
            self.ops[sheet.key].append(op)
            self._count(sheet, op)

    def plan_sections(self, sheet: Sheet) -> None:
        model = MODEL_OF[sheet.key]
        key_fields, repeats = SECTION_KEYS[sheet.key]
        rows = [r for r in self.rows[sheet.key] if not r.bad]
        people = getattr(self, "package_people", {})
        db_people = getattr(self, "db_people", {})
        missing = {r.values["person"] for r in rows} - set(people) - set(db_people)
        for chunk in _chunks(sorted(missing)):
            for current in Person.objects.filter(id_number__in_values=chunk).values(
                "pk", "id_number", "unit__path", "unit_id"
            ):
                db_people[current["id_number"]] = current
        self.db_people = db_people
        attnames = [f.attname for f in model._meta.concrete_fields if f.name != "id"]
        person_pks = sorted(
            {db_people[r.values["person"]]["pk"] for r in rows if r.values["person"] in db_people}
        )
        existing: dict = {}
        occurrences: dict = defaultdict(int)
        for chunk in _chunks(person_pks):
            for current in model.objects.filter(person_id__in=chunk).order_by("pk").values("pk", *attnames):
                key = (current["person_id"], *(current[k] for k in key_fields))
                occurrences[key] += 1
                existing[(*key, occurrences[key])] = current
        if sheet is ASSIGNMENTS:
            self._position_index()
        seen_count: dict = defaultdict(int)
        seen_rows: dict = {}
        person_column = sheet.column("person")
        for row in rows:
            id_number = row.values["person"]
            if id_number in people:
                person_ref = people[id_number].pk or NewRef("person", id_number)
            elif id_number in db_people and not self.outside(db_people[id_number]["unit__path"]):
                person_ref = db_people[id_number]["pk"]
            else:  # unknown, or beyond the actor's edit scope: one answer for both
                self.problem(sheet, row, person_column, id_number,
                             NO_PERSON)  # fmt: skip
                continue
            values = self._section_values(sheet, row)
            if values is None:
                continue
            item = model(**{k: v for k, v in values.items() if not isinstance(v, NewRef)})
            try:
                section_validate(item)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    column = next((c for c in sheet.columns if c.key == name), None)
                    self.problem(sheet, row, column, row.values.get(name), " ".join(messages))
                continue
            base = (person_ref, *(values[k] for k in key_fields))
            if not repeats and self._duplicate(sheet, row, seen_rows, base, person_column):
                continue
            seen_count[base] += 1
            current = existing.get((*base, seen_count[base]))
            values["person_id"] = person_ref
            op = Op(sheet=sheet, row=row, values=values, pk=current["pk"] if current else None)
            op.extra["person"] = id_number
            if current:
                self._compare(op, current, values.keys())
            self.ops[sheet.key].append(op)
            self._count(sheet, op)

    def _position_index(self) -> None:
        self.positions = {
            (unit_id, title_id): pk
            for pk, unit_id, title_id in Position.objects.values_list("pk", "unit_id", "title_id")
        }
        self.package_positions = {
            (op.values["unit_id"], op.values["title_id"]) for op in self.ops.get(POSITIONS.key, ())
        }

    def _section_values(self, sheet: Sheet, row: Row) -> dict | None:
        values = {}
        keys = SECTION_KEYS[sheet.key][0]
        absent = row.values["_absent"]
        for column in sheet.writable:
            if column.key in ("person", "unit", "title"):
                continue
            if column.key in absent and column.key not in keys:
                continue  # a column the package leaves out keeps what is stored
            value = row.values[column.key]
            if column.kind == "partial_date":
                precision_field = column.key.replace("_date", "_precision")
                values[column.key], values[precision_field] = value
            else:
                values[column.key] = value
        if sheet is ASSIGNMENTS and {"unit", "title"} <= absent:
            pass  # neither column given: the position stays as stored
        elif sheet is ASSIGNMENTS:
            unit = self.resolve(sheet, row, sheet.column("unit"))
            title = self.resolve(sheet, row, sheet.column("title"))
            if row.bad:
                return None
            if (unit is None) != (title is None):
                self.problem(sheet, row, sheet.column("title" if unit else "unit"), "",
                             _("Cần ghi cả Mã đơn vị và Mã chức danh để xác định vị trí."))  # fmt: skip
                return None
            values["position_id"] = None
            if unit is not None:
                pair = (unit, title)
                if pair in self.positions:
                    values["position_id"] = self.positions[pair]
                elif pair in self.package_positions:
                    values["position_id"] = NewRef("position", pair)
                else:
                    self.problem(sheet, row, sheet.column("title"), row.values["title"],
                                 _("Đơn vị này chưa có vị trí chức danh này (sheet Vị trí)."))  # fmt: skip
                    return None
                if not values["unit_name"]:
                    values["unit_name"] = self._name("unit", row.values["unit"])
                if not values["title_name"]:
                    values["title_name"] = self._name("title", row.values["title"])
        return values

    def _name(self, kind: str, code: str) -> str:
        sheet = UNITS if kind == "unit" else TITLES
        for op in self.ops.get(sheet.key, ()):
            if op.row.values["code"] == code:
                return op.values.get("name") or ""
        found = self.db_map(kind).get(code)
        return found["name"] if isinstance(found, dict) else found[1]

    # --- plans ------------------------------------------------------------------

    def plan_planning(self) -> None:
        """Plans, their covered positions and entries: keys, references, rules, matching."""
        self._planning_setup()
        if PLANS.key in self.rows:
            self.plan_plans()
        self.covered: dict[tuple, Op | None] = {}
        if PLAN_POSITIONS.key in self.rows:
            self.plan_plan_positions()
        self._load_reviews()
        if PLAN_REVIEWS.key in self.rows:
            self.plan_reviews()
        if PLAN_ENTRIES.key in self.rows:
            self.plan_entries()
        self.plan_review_lists()

    def _planning_setup(self) -> None:
        # Terms by body: the database's, as the package's Terms sheet leaves them.
        stored = Term.objects.values_list("pk", "body", "start_date", "end_date")
        terms: dict[tuple, tuple] = {(body, start): (end, pk) for pk, body, start, end in stored}
        for op in self.ops.get(TERMS.key, ()):
            key = (op.values["body"], op.values["start_date"])
            terms[key] = (op.values["end_date"], op.pk or NewRef("term", key))
        self.terms: dict[str, list[tuple]] = defaultdict(list)
        for (body, start), (end, ref) in terms.items():
            self.terms[body].append((start, end, ref))
        # Plans of the planning units the package names, with every field.
        codes = {
            row.values.get("planning_unit") for s in PLAN_SHEETS for row in self.rows.get(s.key, ())
        }
        unit_pks = sorted(self.db_units[c]["pk"] for c in codes if c in self.db_units)
        attnames = [f.attname for f in Plan._meta.concrete_fields]
        self.db_plans: dict[tuple, dict] = {}
        for chunk in _chunks(unit_pks):
            for row in Plan.objects.filter(planning_unit_id__in=chunk).values("pk", *attnames):
                self.db_plans[(row["planning_unit_id"], row["term_id"])] = row
        self.plan_refs: dict[tuple, Any] = {}  # (planning unit, term) -> plan pk or NewRef
        self.unit_parents: dict[str, str | None] = {}
        if not hasattr(self, "positions"):
            self._position_index()

    def resolve_term(self, sheet: Sheet, row: Row):
        """The term a row names by body and years (or start date): a pk, a NewRef or None."""
        body, spec = row.values.get("term_body"), row.values.get("term")
        if not body or spec is None:
            return None  # a blank required cell, already reported
        start_year, end_year, start_date = spec
        found = [
            ref
            for start, end, ref in self.terms.get(body, ())
            if (start == start_date if start_date else start.year == start_year)
            and (end_year is None or end.year == end_year)
        ]
        if len(found) == 1:
            return found[0]
        column = sheet.column("term")
        shown = start_date or (f"{start_year}–{end_year}" if end_year else str(start_year))
        label = self.catalog(sheet.column("term_body").choices).label_of.get(body, body)
        if not found:
            message = _(
                "Không có nhiệm kỳ “%(body)s %(term)s” trong sheet Nhiệm kỳ của gói hay trong "
                "hệ thống."
            ) % {"body": label, "term": cells.shown(shown)}
        else:
            message = _(
                "Có %(n)d nhiệm kỳ “%(body)s” bắt đầu năm %(year)d; hãy ghi ngày bắt đầu "
                "(dd/mm/yyyy) để chọn một."
            ) % {"n": len(found), "body": label, "year": start_year}
        self.problem(sheet, row, column, shown, message)
        return None

    def resolve_plan(self, sheet: Sheet, row: Row) -> tuple:
        """(plan pk or NewRef, planning unit pk or NewRef), or (None, None) when not found."""
        unit = self.resolve(sheet, row, sheet.column("planning_unit"))
        term = self.resolve_term(sheet, row)
        if unit is None or term is None:
            return None, None
        key = (unit, term)
        ref = self.plan_refs.get(key)
        if ref is None and key in self.db_plans:
            ref = self.db_plans[key]["pk"]
        if ref is None:
            self.problem(sheet, row, sheet.column("planning_unit"), row.values["planning_unit"],
                         _("Không có quy hoạch của đơn vị “%(unit)s” cho nhiệm kỳ này trong sheet "
                           "Quy hoạch của gói hay trong hệ thống.")
                         % {"unit": row.values["planning_unit"]})  # fmt: skip
            return None, None
        return ref, unit

    def resolve_position(self, sheet: Sheet, row: Row):
        unit = self.resolve(sheet, row, sheet.column("unit"))
        title = self.resolve(sheet, row, sheet.column("title"))
        if unit is None or title is None:
            return None
        pair = (unit, title)
        if pair in self.positions:
            return self.positions[pair]
        if pair in self.package_positions:
            return NewRef("position", pair)
        self.problem(sheet, row, sheet.column("title"), row.values["title"],
                     _("Đơn vị này chưa có vị trí chức danh này (sheet Vị trí)."))  # fmt: skip
        return None

    def _parent_code(self, code: str) -> str | None:
        """The code of a unit's parent, as the package leaves the tree."""
        if not hasattr(self, "package_parents"):
            self.package_parents = {
                op.row.values["code"]: op.extra["parent"]
                for op in self.ops.get(UNITS.key, ())
                if not op.extra["parent_absent"]
            }
        if code in self.package_parents:
            return self.package_parents[code]
        if code not in self.unit_parents:
            row = self.db_units.get(code)
            paths = Unit.objects.values_list("path", flat=True)
            path = row["path"] if row else paths.filter(code=code).first()
            parent = path[: -Unit.steplen] if path else ""
            codes = Unit.objects.values_list("code", flat=True)
            self.unit_parents[code] = codes.filter(path=parent).first() if parent else None
        return self.unit_parents[code]

    def _is_at_or_above(self, upper: str, code: str) -> bool:
        seen = set()
        while code and code not in seen:
            if code == upper:
                return True
            seen.add(code)
            code = self._parent_code(code)
        return False

    def plan_plans(self) -> None:
        sheet = PLANS
        keys = ("planning_unit", "term_body", "term")
        attname = {"approver_unit": "approver_unit_id"}
        seen: dict = {}
        for row in self.rows[sheet.key]:
            if row.bad:
                continue
            unit = self.resolve(sheet, row, sheet.column("planning_unit"))
            term = self.resolve_term(sheet, row)
            values = {"planning_unit_id": unit, "term_id": term}
            absent = row.values["_absent"]
            for column in sheet.writable:
                if column.key in keys or column.key in absent:
                    continue
                if column.kind == "unit":
                    values[attname[column.key]] = self.resolve(sheet, row, column)
                else:
                    values[column.key] = row.values[column.key]
            if row.bad:
                continue
            key = (unit, term)
            if self._duplicate(sheet, row, seen, key, sheet.column("planning_unit")):
                continue
            current = self.db_plans.get(key)
            # Known from here on, so that its positions and entries are checked even when
            # this row has errors of its own.
            self.plan_refs[key] = current["pk"] if current else NewRef("plan", key)
            merged = {c.key: values.get(attname.get(c.key, c.key), row.values[c.key])
                      for c in sheet.writable if c.key not in keys}  # fmt: skip
            if current:
                for name in absent:
                    if name in merged:
                        merged[name] = current[attname.get(name, name)]
            self._plan_rules(sheet, row, merged)
            if row.bad:
                continue
            op = Op(sheet=sheet, row=row, values=values, pk=current["pk"] if current else None)
            op.extra["unit"] = unit
            op.extra["merged"] = merged
            if current:
                self._compare(op, current, values.keys())
            self.ops[sheet.key].append(op)
            self._count(sheet, op)

    def _plan_rules(self, sheet: Sheet, row: Row, plan: dict) -> None:
        """The checks the planning services make, on the plan as the package leaves it."""
        status = plan["status"]
        needed = []
        if status in (PlanStatus.APPROVED, PlanStatus.PUBLISHED):
            needed = ["approver_unit", "decision_number", "decision_date"]
        if status == PlanStatus.PUBLISHED:
            needed.append("published_on")
        label = self.catalog(PlanStatus).label_of[status]
        for name in needed:
            if not plan[name]:
                self.problem(sheet, row, sheet.column(name), "",
                             _("Quy hoạch ở trạng thái “%(s)s” phải có ô này.") % {"s": label})  # fmt: skip
        today = timezone.localdate()
        for name in ("decision_date", "published_on"):
            if plan[name] and plan[name] > today:
                self.problem(sheet, row, sheet.column(name), plan[name],
                             _("Ngày này không được sau ngày hôm nay."))  # fmt: skip
        decided, approved = plan["decision_date"], plan["approved_on"]
        published = plan["published_on"]
        if decided and approved and approved < decided:
            self.problem(sheet, row, sheet.column("approved_on"), plan["approved_on"],
                         _("Ngày phê duyệt không được trước ngày quyết định."))  # fmt: skip
        approved = approved or decided  # as the services default it
        if approved and published and published < approved:
            self.problem(sheet, row, sheet.column("published_on"), plan["published_on"],
                         _("Ngày công bố không được trước ngày phê duyệt."))  # fmt: skip
        approver = row.values.get("approver_unit")
        given = approver and "approver_unit" not in row.values["_absent"]
        if given and not self._is_at_or_above(approver, row.values["planning_unit"]):
            self.problem(sheet, row, sheet.column("approver_unit"), approver,
                         _("Cấp phê duyệt phải là chính đơn vị lập quy hoạch hoặc đơn vị cấp "
                           "trên."))  # fmt: skip

    def _db_plan_pks(self) -> list[int]:
        return sorted(row["pk"] for row in self.db_plans.values())

    def plan_plan_positions(self) -> None:
        sheet = PLAN_POSITIONS
        existing = {}
        for chunk in _chunks(self._db_plan_pks()):
            for pk, plan, position in PlanPosition.objects.filter(plan_id__in=chunk).values_list(
                "pk", "plan_id", "position_id"
            ):
                existing[(plan, position)] = pk
        self.db_plan_positions = existing
        seen: dict = {}
        for row in self.rows[sheet.key]:
            if row.bad:
                continue
            plan, unit = self.resolve_plan(sheet, row)
            position = self.resolve_position(sheet, row)
            if row.bad or plan is None or position is None:
                continue
            key = (plan, position)
            if self._duplicate(sheet, row, seen, key, sheet.column("unit")):
                continue
            values = {"plan_id": plan, "position_id": position}
            op = Op(sheet=sheet, row=row, values=values, pk=existing.get(key))
            op.extra["unit"] = unit
            self.covered[key] = op
            self.ops[sheet.key].append(op)
            self._count(sheet, op)

    def _load_reviews(self) -> None:
        """The stored reviews of the package's plans, by (plan, date) and their dates by pk."""
        self.db_reviews: dict[tuple, dict] = {}
        self.review_days: dict[int, Any] = {}
        for chunk in _chunks(self._db_plan_pks()):
            reviews = PlanReview.objects.filter(plan_id__in=chunk).values(
                "pk", "plan_id", "reviewed_on", "decision_number", "note", "before", "after"
            )
            for row in reviews:
                self.db_reviews[(row["plan_id"], row["reviewed_on"])] = row
                self.review_days[row["pk"]] = row["reviewed_on"]
        self.review_ops: dict[tuple, Op] = {}  # (plan ref, date) -> the review's op

    def review_ref(self, plan, day):
        """The review of `plan` on `day`: in the package (pk or NewRef), in the database, or None."""
        op = self.review_ops.get((plan, day))
        if op is not None:
            return op.pk or NewRef("review", (plan, day))
        current = None if isinstance(plan, NewRef) else self.db_reviews.get((plan, day))
        return current["pk"] if current else None

    def plan_reviews(self) -> None:
        sheet = PLAN_REVIEWS
        seen: dict = {}
        today = timezone.localdate()
        for row in self.rows[sheet.key]:
            if row.bad:
                continue
            plan, unit = self.resolve_plan(sheet, row)
            if row.bad or plan is None:
                continue
            day = row.values["reviewed_on"]
            key = (plan, day)
            if self._duplicate(sheet, row, seen, key, sheet.column("reviewed_on")):
                continue
            current = None if isinstance(plan, NewRef) else self.db_reviews.get(key)
            values = {"plan_id": plan, "reviewed_on": day}
            absent = row.values["_absent"]
            for name in ("decision_number", "note"):
                if name not in absent:
                    values[name] = row.values[name]
            op = Op(sheet=sheet, row=row, values=values, pk=current["pk"] if current else None)
            op.extra.update(unit=unit, key=key)
            # Known from here on, so that entries naming it are checked even when this row
            # has errors of its own.
            self.review_ops[key] = op
            if day > today:
                self.problem(sheet, row, sheet.column("reviewed_on"), day,
                             _("Ngày này không được sau ngày hôm nay."))  # fmt: skip
                continue
            if current:
                self._compare(op, current, values.keys())
            self.ops[sheet.key].append(op)

    def plan_review_lists(self) -> None:
        """Rebuild the lists before and after of the reviews the package creates, and of the
        stored reviews whose entries it links or unlinks; other reviews keep theirs.

        The lists name positions by database id, so the package does not carry them; they
        follow from the entries and their links (`services.review_members`).
        """
        links = set(REVIEW_LINKS.values())
        entry_ops = self.ops.get(PLAN_ENTRIES.key, [])
        touched: dict[tuple, Op | None] = {}  # (plan ref, date) -> the entry row naming it
        for key, op in self.review_ops.items():
            if op.pk is None:
                touched[key] = None
        for op in entry_ops:
            if op.pk is not None and not links & set(op.changed):
                continue
            days = {op.extra["added_review"], op.extra["removed_review"], *op.extra["old_links"]}
            for day in sorted(days - {None}):
                touched.setdefault((op.values["plan_id"], day), op)
        listed: dict[Any, list[ListedEntry]] = defaultdict(list)
        for op in entry_ops:
            listed[op.values["plan_id"]].append(ListedEntry(
                op.extra["id_number"], op.values["position_id"], op.extra["added_review"],
                op.extra["removed_on"] is not None, op.extra["removed_review"],
            ))  # fmt: skip
        matched = {op.pk for op in entry_ops if op.pk is not None}
        plans = sorted({plan for plan, _day in touched if not isinstance(plan, NewRef)})
        for chunk in _chunks(plans):
            stored = PlanEntry.objects.filter(plan_id__in=chunk).values_list(
                "pk", "plan_id", *LISTED_FIELDS
            )
            for pk, plan, *fields in stored:
                if pk not in matched:
                    listed[plan].append(listed_entry(*fields))
        for key, entry_op in touched.items():
            plan, day = key
            op = self.review_ops.get(key)
            if op is None:  # a stored review named by entries only
                current = self.db_reviews[key]
                op = Op(sheet=PLAN_REVIEWS, row=entry_op.row, values={}, pk=current["pk"])
                op.extra.update(unit=entry_op.extra["unit"], key=key, implicit=True)
                self.review_ops[key] = op
                self.ops[PLAN_REVIEWS.key].append(op)
            elif op.row.bad:
                continue
            members = review_members(listed[plan], day)
            op.extra["members"] = members
            if op.pk is None:
                continue
            current = self.db_reviews[key]
            for name, pairs in zip(("before", "after"), members, strict=True):
                if any(isinstance(position, NewRef) for _id, position in pairs):
                    op.changed.append(name)  # a new position: the list changes
                elif review_list(pairs) != current[name]:
                    op.values[name] = review_list(pairs)
                    op.changed.append(name)
                else:
                    continue
                op.before[name] = current[name]
        for op in self.ops.get(PLAN_REVIEWS.key, ()):
            if not op.extra.get("implicit"):
                self._count(PLAN_REVIEWS, op)
            elif op.changed:
                self.counts.setdefault(PLAN_REVIEWS.title, Counts()).updated += 1

    def plan_entries(self) -> None:
        sheet = PLAN_ENTRIES
        keys = ("planning_unit", "term_body", "term", "person", "unit", "title")
        rows = [r for r in self.rows[sheet.key] if not r.bad]
        people = getattr(self, "package_people", {})
        db_people = getattr(self, "db_people", {})
        missing = {r.values["person"] for r in rows} - set(people) - set(db_people)
        for chunk in _chunks(sorted(missing)):
            for current in Person.objects.filter(id_number__in_values=chunk).values(
                "pk", "id_number", "unit__path", "unit_id"
            ):
                db_people[current["id_number"]] = current
        self.db_people = db_people
        if not hasattr(self, "db_plan_positions"):
            self.db_plan_positions = {}
            for chunk in _chunks(self._db_plan_pks()):
                self.db_plan_positions.update(
                    ((plan, position), pk)
                    for pk, plan, position in PlanPosition.objects.filter(
                        plan_id__in=chunk
                    ).values_list("pk", "plan_id", "position_id")
                )
        attnames = [f.attname for f in PlanEntry._meta.concrete_fields if f.name != "id"]
        existing: dict = {}
        stored: list[dict] = []
        occurrences: dict = defaultdict(int)
        for chunk in _chunks(self._db_plan_pks()):
            entries = PlanEntry.objects.filter(plan_id__in=chunk).order_by("pk")
            for current in entries.values("pk", *attnames):
                key = (current["plan_id"], current["person_id"], current["position_id"],
                       current["added_on"])  # fmt: skip
                occurrences[key] += 1
                existing[(*key, occurrences[key])] = current
                stored.append(current)
        seen_count: dict = defaultdict(int)
        person_column = sheet.column("person")
        elsewhere: dict[int, None] = {}  # people named from beyond the actor's view scope
        for row in rows:
            plan, unit = self.resolve_plan(sheet, row)
            id_number = row.values["person"]
            if id_number in people:
                person = people[id_number].pk or NewRef("person", id_number)
            elif id_number in db_people:
                person = db_people[id_number]["pk"]
                if self.outside(db_people[id_number]["unit__path"], scope.VIEW):
                    elsewhere[person] = None
            else:
                person = None
                self.problem(sheet, row, person_column, id_number,
                             NO_PERSON)  # fmt: skip
            position = self.resolve_position(sheet, row)
            if row.bad or plan is None or position is None:
                continue
            values = {"plan_id": plan, "person_id": person, "position_id": position}
            absent = row.values["_absent"]
            for column in sheet.writable:
                name = column.key
                if name not in keys and name not in REVIEW_LINKS and name not in absent:
                    values[name] = row.values[name]
            base = (plan, person, position, values["added_on"])
            seen_count[base] += 1
            current = existing.get((*base, seen_count[base]))
            merged = {c.key: row.values[c.key] for c in sheet.writable if c.key not in keys}
            old_links = ()
            if current:
                old_links = tuple(self.review_days.get(current[a]) for a in REVIEW_LINKS.values())
                merged.update((name, current[name]) for name in absent
                              if name in merged and name not in REVIEW_LINKS)  # fmt: skip
                for name, stored_day in zip(REVIEW_LINKS, old_links, strict=True):
                    if name in absent:
                        merged[name] = stored_day
            self._entry_rules(sheet, row, merged)
            self._entry_review_links(sheet, row, plan, merged, values)
            if row.bad:
                continue
            op = Op(sheet=sheet, row=row, values=values, pk=current["pk"] if current else None)
            op.extra["unit"] = unit
            op.extra["removed_on"] = merged["removed_on"]
            op.extra.update(id_number=id_number, added_review=merged["added_review"],
                            removed_review=merged["removed_review"], old_links=old_links)  # fmt: skip
            if current:
                self._compare(op, current, values.keys())
            self.ops[sheet.key].append(op)
            self._count(sheet, op)
        self._check_one_active(sheet, stored)
        self._cover_entry_positions()
        if elsewhere:
            # Planning may name people from elsewhere (ADR 0010 §1), and the answer tells
            # they exist: one access-log entry per import, dry run or not. Not counted
            # against the per-number lookup rate: bulk planning lists are legitimate.
            record_rows(actor=self.actor, kind=AccessKind.LOOKUP, model=Person,
                        query=f"import={sheet.title} outside={len(elsewhere)}",
                        person_ids=list(elsewhere))  # fmt: skip

    def _entry_rules(self, sheet: Sheet, row: Row, entry: dict) -> None:
        today = timezone.localdate()
        for name in ("added_on", "removed_on"):
            if entry[name] and entry[name] > today:
                self.problem(sheet, row, sheet.column(name), entry[name],
                             _("Ngày này không được sau ngày hôm nay."))  # fmt: skip
        removed, reason = entry["removed_on"], entry["removal_reason"]
        if removed and removed < entry["added_on"]:
            self.problem(sheet, row, sheet.column("removed_on"), removed,
                         _("Ngày đưa ra không được trước ngày đưa vào quy hoạch."))  # fmt: skip
        if removed and not reason:
            self.problem(sheet, row, sheet.column("removal_reason"), "",
                         _("Đưa ra khỏi quy hoạch phải có ngày và lý do."))  # fmt: skip
        if reason and not removed:
            self.problem(sheet, row, sheet.column("removed_on"), "",
                         _("Đưa ra khỏi quy hoạch phải có ngày và lý do."))  # fmt: skip
        if reason == RemovalReason.OTHER and not entry["removal_note"]:
            self.problem(sheet, row, sheet.column("removal_note"), "",
                         _("Lý do khác: hãy ghi rõ lý do."))  # fmt: skip

    def _entry_review_links(self, sheet: Sheet, row: Row, plan, entry: dict, values: dict) -> None:
        """The reviews an entry names by date, and the rules `review_record` keeps for them."""
        absent = row.values["_absent"]
        for name, attname in REVIEW_LINKS.items():
            day = entry[name]
            if name in absent:
                continue  # the stored link stays
            if day is None:
                values[attname] = None
                continue
            ref = self.review_ref(plan, day)
            if ref is None:
                self.problem(sheet, row, sheet.column(name), day,
                             _("Quy hoạch này không có đợt rà soát ngày %(date)s trong sheet "
                               "Quy hoạch - rà soát của gói hay trong hệ thống.")
                             % {"date": format_day(day)})  # fmt: skip
                continue
            values[attname] = ref
        if row.bad:
            return
        errors = review_link_errors(
            added_on=entry["added_on"],
            removed_on=entry["removed_on"],
            added_review_on=entry["added_review"],
            removed_review_on=entry["removed_review"],
        )
        columns = {"added_in_review": "added_review", "removed_in_review": "removed_review"}
        for field_name, message in errors.items():
            column = sheet.column(columns[field_name])
            self.problem(sheet, row, column, entry[column.key], message)

    def _check_one_active(self, sheet: Sheet, stored: list[dict]) -> None:
        """One entry not yet removed per plan, person and position, as the package leaves them."""
        ops = self.ops[sheet.key]
        matched = {op.pk for op in ops if op.pk is not None}
        active: dict[tuple, list] = defaultdict(list)  # ops, and dates of stored entries
        for op in ops:
            if op.extra["removed_on"] is None:
                key = (op.values["plan_id"], op.values["person_id"], op.values["position_id"])
                active[key].append(op)
        for current in stored:
            if current["pk"] not in matched and current["removed_on"] is None:
                key = (current["plan_id"], current["person_id"], current["position_id"])
                if key in active:
                    active[key].append(current["added_on"])
        for op in ops:
            if op.extra["removed_on"] is not None:
                continue
            key = (op.values["plan_id"], op.values["person_id"], op.values["position_id"])
            others = [o for o in active[key] if o is not op]
            if not others:
                continue
            where = "; ".join(
                _("dòng %(n)d") % {"n": o.row.number} if isinstance(o, Op)
                else _("trong hệ thống, đưa vào ngày %(d)s") % {"d": format_day(o)}
                for o in others
            )  # fmt: skip
            self.problem(sheet, op.row, sheet.column("removed_on"), "",
                         _("Cán bộ này đã có trong quy hoạch cho chức danh này (%(w)s): mỗi người "
                           "chỉ có một dòng chưa đưa ra cho một chức danh.") % {"w": where})  # fmt: skip

    def _cover_entry_positions(self) -> None:
        """A plan covers the position of each of its entries, as the services make it."""
        sheet = PLAN_POSITIONS
        for op in self.ops[PLAN_ENTRIES.key]:
            key = (op.values["plan_id"], op.values["position_id"])
            if key in self.covered or self.db_plan_positions.get(key):
                continue
            cover = Op(sheet=sheet, row=op.row, values={"plan_id": key[0], "position_id": key[1]})
            cover.extra.update(unit=op.extra["unit"], implicit=True)
            self.covered[key] = cover
            self.ops[sheet.key].append(cover)
            self.counts.setdefault(sheet.title, Counts()).created += 1

    # --- scope ------------------------------------------------------------------

    def check_scope(self) -> None:
        actor = self.actor
        if self.admin:
            return
        for key in CATALOG_SHEETS:
            for op in self.ops.get(key, ()):
                if op.pk is None or op.changed:
                    self.problem(op.sheet, op.row, None, "",
                                 _("Chỉ quản trị viên được thêm hoặc sửa danh mục này."))  # fmt: skip
        unit_paths = {code: row["path"] for code, row in self.db_units.items()}
        path_by_pk = {row["pk"]: row["path"] for row in self.db_units.values()}
        new_units = {op.row.values["code"]: op for op in self.ops.get(UNITS.key, ()) if op.pk is None}

        def editable(ref, code=None) -> bool:
            """May the actor edit in the unit `ref` (a pk, NewRef or None)?"""
            if ref is None:
                return False
            if isinstance(ref, NewRef):
                return self._new_unit_allowed(ref.code, new_units, unit_paths)
            path = path_by_pk.get(ref)
            if path is None:
                path = Unit.objects.filter(pk=ref).values_list("path", flat=True).first()
            return path is not None and scope.path_allowed(actor, path, scope.EDIT)

        outside = _("Ngoài phạm vi quyền của bạn; gói bị từ chối toàn bộ.")

        def writes(op: Op) -> bool:
            # A row that changes nothing writes nothing: a package may carry records
            # outside the editor's scope unchanged (e.g. the units above their own).
            return op.pk is None or bool(op.changed)

        for op in self.ops.get(UNITS.key, ()):
            code = op.row.values["code"]
            if not writes(op):
                continue
            if op.pk is not None:
                ok = scope.path_allowed(actor, unit_paths[code], scope.EDIT)
                if ok and "parent" in op.changed:
                    parent = op.extra["parent"]
                    ok = parent is not None and editable(
                        NewRef("unit", parent) if parent in new_units else self.db_units[parent]["pk"]
                    )
            else:
                ok = self._new_unit_allowed(code, new_units, unit_paths)
            if not ok:
                self.problem(UNITS, op.row, UNITS.column("code"), code, outside)
        for op in self.ops.get(POSITIONS.key, ()):
            if writes(op) and not editable(op.values["unit_id"]):
                self.problem(POSITIONS, op.row, POSITIONS.column("unit"), op.row.values["unit"], outside)
        for op in self.ops.get(PEOPLE.key, ()):
            if not writes(op):
                continue
            old_path = op.extra.get("old_unit_path")
            ok = (op.pk is None or (old_path and scope.path_allowed(actor, old_path, scope.EDIT)))
            unit = op.values.get("unit_id")
            if op.pk is not None and "unit_id" not in op.values:
                ok = ok and bool(old_path)
            else:
                ok = ok and editable(unit)
            if not ok and op.pk is None and unit is None:
                self.problem(PEOPLE, op.row, PEOPLE.column("unit"), "",
                             _("Cán bộ mới cần Mã đơn vị thuộc phạm vi của bạn."))  # fmt: skip
            elif not ok:
                self.problem(PEOPLE, op.row, PEOPLE.column("unit"), op.row.values.get("unit"), outside)
        for sheet in (ASSIGNMENTS, EVALUATIONS, VOTES, DISCIPLINES, REWARDS, TRAININGS):
            for op in self.ops.get(sheet.key, ()):
                id_number = op.extra["person"]
                if not writes(op):
                    continue
                person = self.package_people.get(id_number)
                if person is not None and person.pk is None:
                    continue  # a new person: their unit is checked on the people sheet
                path = self.db_people[id_number]["unit__path"]
                if not (path and scope.path_allowed(actor, path, scope.EDIT)):
                    self.problem(sheet, op.row, sheet.column("person"), id_number, outside)
        # Plans, their positions and entries: the planning unit must be in the editor's units
        # (the people planned need not be: planning from outside the unit is allowed).
        for sheet in (PLANS, PLAN_REVIEWS, PLAN_ENTRIES, PLAN_POSITIONS):
            for op in self.ops.get(sheet.key, ()):
                if not writes(op) or editable(op.extra["unit"]):
                    continue
                if op.extra.get("implicit") and op.row.bad:
                    continue  # its entry's row is reported already
                # A position covered because of an entry is reported on the entry's row.
                where = PLAN_ENTRIES if op.extra.get("implicit") else sheet
                column = where.column("planning_unit")
                self.problem(where, op.row, column, op.row.values["planning_unit"], outside)

    def _new_unit_allowed(self, code: str, new_units: dict, unit_paths: dict) -> bool:
        seen = set()
        while code in new_units and code not in seen:
            seen.add(code)
            code = new_units[code].extra["parent"]
            if code is None:
                return False  # a new root
        path = unit_paths.get(code)
        return path is not None and scope.path_allowed(self.actor, path, scope.EDIT, below=True)

    # --- phase 4: applying ------------------------------------------------------

    def apply(self) -> None:
        self.created: dict[str, dict] = defaultdict(dict)  # kind -> natural key -> pk
        for sheet in (AREAS, UNITS):
            if sheet.key in self.rows:
                self.apply_tree(sheet)
        for sheet in (AREA_SUCCESSIONS, UNIT_SUCCESSIONS, TITLES, TERMS, POSITIONS):
            if sheet.key in self.rows:
                self.apply_flat(sheet)
        if PEOPLE.key in self.rows:
            self.apply_people()
        for sheet in (ASSIGNMENTS, EVALUATIONS, VOTES, DISCIPLINES, REWARDS, TRAININGS):
            if sheet.key in self.rows:
                self.apply_flat(sheet)
        if any(sheet.key in self.ops for sheet in PLAN_SHEETS):
            self.apply_planning()

    def pk_of(self, value):
        if not isinstance(value, NewRef):
            return value
        if value.kind == "review":  # (plan, date): the plan may be new
            plan, day = value.code
            return self.created["review"][(self.pk_of(plan), day)]
        if value.kind in ("position", "plan"):
            # (unit, title) of a position, (planning unit, term) of a plan: either may be new.
            return self.created[value.kind][tuple(self.pk_of(v) for v in value.code)]
        return self.created[value.kind][value.code]

    def apply_tree(self, sheet: Sheet) -> None:
        model = TREE_SHEETS[sheet.key]
        kind = "area" if model is Area else "unit"
        db = self.db_map(kind)
        ops = self.ops[sheet.key]
        new = {op.row.values["code"]: op for op in ops if op.pk is None}
        path_of = {code: row["path"] for code, row in db.items()}
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
            values = {k: self.pk_of(v) for k, v in op.values.items()}
            obj = model(code=code, path=path, depth=len(path) // model.steplen, numchild=0, **values)
            obj.name_folded = fold(obj.name)
            objects.append((obj, op))

        for code in new:
            place(code)
        created = [obj for obj, _op in objects]
        insert_objects(model, created)
        for obj in created:
            self.created[kind][obj.code] = obj.pk
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
                    target = model.objects.get(code=parent)
                    node.move(target, "last-child")
                else:
                    node.move(model.get_first_root_node(), "last-sibling")
            fields = [f for f in op.changed if f != "parent"]
            if fields:
                obj = model(pk=op.pk, **{f: self.pk_of(op.values[f]) for f in fields})
                if "name" in fields:
                    obj.name_folded = fold(obj.name)
                    fields.append("name_folded")
                updated.append((obj, fields))
        for obj, fields in updated:
            model.objects.filter(pk=obj.pk).update(**{f: getattr(obj, f) for f in fields})
        self.audit_created(sheet, created, exclude=("name_folded",))
        self.audit_updated(sheet, [op for op in ops if op.pk is not None and op.changed])
        if model is Unit:
            self.area_changed_units = [op.pk for op in ops if op.pk and "area_id" in op.changed]

    def apply_flat(self, sheet: Sheet) -> None:
        model = MODEL_OF[sheet.key]
        ops = self.ops[sheet.key]
        new_objects = []
        for op in ops:
            if op.pk is None:
                new_objects.append(model(**{k: self.pk_of(v) for k, v in op.values.items()}))
        insert_objects(model, new_objects)
        if sheet is TITLES:
            for obj in new_objects:
                self.created["title"][obj.code] = obj.pk
        if sheet is POSITIONS:
            for obj in new_objects:
                self.created["position"][(obj.unit_id, obj.title_id)] = obj.pk
        if sheet is TERMS:
            for obj in new_objects:
                self.created["term"][(obj.body, obj.start_date)] = obj.pk
        changed = [op for op in ops if op.pk is not None and op.changed]
        self._bulk_update(model, changed)
        self.audit_created(sheet, new_objects)
        self.audit_updated(sheet, changed)

    def _bulk_update(self, model, ops: list[Op], extra: dict | None = None) -> None:
        by_fields: dict[tuple, list] = defaultdict(list)
        for op in ops:
            fields = tuple(sorted(set(op.changed) | set((extra or {}).get(op.pk, {}))))
            values = {f: self.pk_of(op.values[f]) for f in op.changed}
            values.update((extra or {}).get(op.pk, {}))
            by_fields[fields].append(model(pk=op.pk, **values))
        for fields, objects in by_fields.items():
            model.objects.bulk_update(objects, list(fields), batch_size=500)

    def apply_people(self) -> None:
        ops = self.ops[PEOPLE.key]
        new_ops = [op for op in ops if op.pk is None]
        changed = [op for op in ops if op.pk is not None and op.changed]
        if not new_ops and not changed:
            return
        now = timezone.now()
        # New people are plain rows (attname -> value): no model instance is needed to
        # insert them, and building a hundred thousand instances is most of the cost.
        template = person_defaults()
        stamps = {"created_at": now, "updated_at": now}
        refs = ("hometown_id", "birthplace_id", "unit_id")  # the only values that may be NewRefs
        rows = []
        for op in new_ops:
            row = {**template, **op.values, **op.extra["derived"], **stamps}
            for name in refs:
                if type(row[name]) is NewRef:
                    row[name] = self.pk_of(row[name])
            rows.append(row)
        stored = {}
        names = [f.attname for f in Person._meta.concrete_fields]
        for chunk in _chunks([op.pk for op in changed]):
            for row in Person.objects.filter(pk__in=chunk).values(*names):
                stored[row["id"]] = row
        updated = []
        for op in changed:
            person = Person(**{**stored[op.pk], **{k: self.pk_of(v) for k, v in op.values.items()}})
            person_derive_text(person)
            updated.append(person.__dict__)
        path_of, successors_of = locality_maps()
        every = rows + updated
        units = Unit.objects.filter(pk__in={r["unit_id"] for r in every} - {None}).only("pk", "path")
        governed = governed_area_ids(list(units))
        local: dict[tuple, bool | None] = {}  # the same few (hometown, area) pairs repeat
        for row in every:
            key = (row["hometown_id"], governed.get(row["unit_id"]))
            if key not in local:
                local[key] = locality.is_local(*key, path_of, successors_of)
            row["is_local"] = local[key]
        columns = list(template)
        pks = insert_rows(Person, columns, list(map(itemgetter(*columns), rows)), returning=True)
        for row, pk in zip(rows, pks, strict=True):
            row["id"] = pk
            self.created["person"][row["id_number"]] = pk
        derived = {
            row["id"]: {name: row[name] for name in
                        ("full_name", "search_text", "sort_key", "is_local")} | {"updated_at": now}
            for row in updated
        }  # fmt: skip
        self._bulk_update(Person, changed, extra=derived)
        self.audit_created(
            PEOPLE,
            [(r["id"], r, f"{r['full_name']} ({r['id_number']})") for r in rows],
            exclude=AUDIT_EXCLUDE,
        )
        self.audit_updated(PEOPLE, changed)

    def apply_planning(self) -> None:
        now = timezone.now()
        ops = self.ops.get(PLANS.key, [])
        plans = [
            Plan(**{k: self.pk_of(v) for k, v in op.values.items()}) for op in ops if op.pk is None
        ]
        insert_objects(Plan, plans)
        for plan in plans:
            self.created["plan"][(plan.planning_unit_id, plan.term_id)] = plan.pk
        changed = [op for op in ops if op.pk is not None and op.changed]
        self._bulk_update(Plan, changed, extra={op.pk: {"updated_at": now} for op in changed})
        self.audit_created(PLANS, plans, exclude=STAMPS)
        self.audit_updated(PLANS, changed)
        self._record_transitions(ops, plans, now)

        ops = self.ops.get(PLAN_POSITIONS.key, [])
        new = [(PlanPosition(**{k: self.pk_of(v) for k, v in op.values.items()}), op)
               for op in ops if op.pk is None]  # fmt: skip
        insert_objects(PlanPosition, [obj for obj, _op in new])
        self.audit_created(PLAN_POSITIONS, [(obj.pk, obj.__dict__, self._entry_text(op))
                                            for obj, op in new])  # fmt: skip
        self.apply_reviews()

        ops = self.ops.get(PLAN_ENTRIES.key, [])
        # Removals first: a person taken out and planned again for the same position must
        # not have two entries in force, even for a moment (a database constraint).
        changed = [op for op in ops if op.pk is not None and op.changed]
        self._bulk_update(PlanEntry, changed, extra={op.pk: {"updated_at": now} for op in changed})
        new = [(PlanEntry(**{k: self.pk_of(v) for k, v in op.values.items()}), op)
               for op in ops if op.pk is None]  # fmt: skip
        insert_objects(PlanEntry, [obj for obj, _op in new])
        self.audit_created(PLAN_ENTRIES, [(obj.pk, obj.__dict__, self._entry_text(op))
                                          for obj, op in new], exclude=STAMPS)  # fmt: skip
        self.audit_updated(PLAN_ENTRIES, changed)

    def apply_reviews(self) -> None:
        """New reviews, with their lists; stored ones whose fields or lists change."""
        ops = self.ops.get(PLAN_REVIEWS.key, [])
        for op in ops:
            if "members" not in op.extra:
                continue
            for name, pairs in zip(("before", "after"), op.extra["members"], strict=True):
                if op.pk is None or name in op.changed:
                    op.values[name] = review_list((id_number, self.pk_of(position))
                                                  for id_number, position in pairs)  # fmt: skip
        actor_id = self.actor.pk if getattr(self.actor, "pk", None) else None
        new = [(PlanReview(actor_id=actor_id, **{k: self.pk_of(v) for k, v in op.values.items()}), op)
               for op in ops if op.pk is None]  # fmt: skip
        insert_objects(PlanReview, [obj for obj, _op in new])
        for obj, _op in new:
            self.created["review"][(obj.plan_id, obj.reviewed_on)] = obj.pk
        changed = [op for op in ops if op.pk is not None and op.changed]
        self._bulk_update(PlanReview, changed)
        self.audit_created(PLAN_REVIEWS, [(obj.pk, obj.__dict__, self._review_text(op))
                                          for obj, op in new], exclude=("created_at",))  # fmt: skip
        self.audit_updated(PLAN_REVIEWS, changed)

    @staticmethod
    def _review_text(op: Op) -> str:
        return (f"{PLAN_REVIEWS.title}: {op.row.values['planning_unit']} "
                f"({format_day(op.extra['key'][1])})")  # fmt: skip

    @staticmethod
    def _entry_text(op: Op) -> str:
        v = op.row.values
        person = f"{v['person']} → " if op.sheet is PLAN_ENTRIES else ""
        return f"{op.sheet.title}: {person}{v['title']} – {v['unit']} ({v['planning_unit']})"

    def _record_transitions(self, ops: list[Op], created: list[Plan], now) -> None:
        """A status set by the package is a change of status: the plan's history records it."""
        actor_id = self.actor.pk if getattr(self.actor, "pk", None) else None
        rows = []
        new = iter(created)
        for op in ops:
            if op.pk is None:
                pk, before = next(new).pk, ""
            elif "status" in op.changed:
                pk, before = op.pk, op.before["status"]
            else:
                continue
            plan = op.extra["merged"]
            approved = plan["status"] == PlanStatus.APPROVED
            rows.append(PlanTransition(
                plan_id=pk, from_status=before, to_status=plan["status"], at=now,
                actor_id=actor_id, reason=IMPORT_TRANSITION_REASON,
                decision_number=plan["decision_number"] if approved else "",
                decision_date=plan["decision_date"] if approved else None,
            ))  # fmt: skip
        insert_objects(PlanTransition, rows)
        if rows:
            changes = created_changes(
                sorted((f.name, f.attname) for f in PlanTransition._meta.concrete_fields)
            )
            record_writes(actor=self.actor, action=AuditAction.CREATE, model=PlanTransition,
                          items=((t.pk, changes(t.__dict__), str(t)) for t in rows))  # fmt: skip

    # --- audit ------------------------------------------------------------------

    def audit_created(self, sheet: Sheet, records: list, exclude=()) -> None:
        """One event per created record: every non-empty field as [None, value].

        `records` are saved model instances, or (pk, {attname: value}, text) triples.
        """
        if not records:
            return
        model = MODEL_OF[sheet.key]
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
                    yield record.pk, changes(record.__dict__), self.describe(sheet, record)

        record_writes(actor=self.actor, action=AuditAction.CREATE, model=model, items=items())

    def audit_updated(self, sheet: Sheet, ops: list[Op]) -> None:
        if not ops:
            return
        model = MODEL_OF[sheet.key]
        record_writes(
            actor=self.actor,
            action=AuditAction.UPDATE,
            model=model,
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
                    self.describe_op(op),
                )
                for op in ops
            ),
        )

    def describe(self, sheet: Sheet, obj) -> str:
        if sheet is POSITIONS:
            return f"{obj.title_id} – {obj.unit_id}"
        if sheet in (AREA_SUCCESSIONS, UNIT_SUCCESSIONS):
            return f"{obj.predecessor_id} → {obj.successor_id}"
        return str(obj)

    def describe_op(self, op: Op) -> str:
        values = op.row.values
        if op.sheet in (AREAS, UNITS, TITLES):
            return f"{values.get('name') or values['code']} ({values['code']})"
        if op.sheet is PEOPLE:
            return values["id_number"]
        if op.sheet is PLANS:
            return values.get("name") or values["planning_unit"]
        if op.sheet is PLAN_REVIEWS:
            return self._review_text(op)
        if op.sheet is POSITIONS:
            return f"{values['title']} – {values['unit']}"
        if "person" in values:
            return f"{op.sheet.title}: {values['person']}"
        return op.sheet.title

    # --- after ------------------------------------------------------------------

    def refresh_locality(self) -> None:
        from canbo.people.services import people_refresh_local

        for pk in getattr(self, "area_changed_units", ()):
            people_refresh_local(unit=Unit.objects.get(pk=pk))


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


def import_package(*, actor, raw: RawPackage, dry_run: bool = False) -> ImportReport:
    """Plan, and unless dry_run or any error, apply the package in one transaction."""
    with without_gc():
        return _import_package(actor=actor, raw=raw, dry_run=dry_run)


def _import_package(*, actor, raw: RawPackage, dry_run: bool) -> ImportReport:
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
        importer.plan()
    report = ImportReport(
        problems=importer.problems,
        counts=importer.counts,
        dry_run=dry_run,
        rows=sum(len(s.rows) for s in raw.sheets.values()),
    )
    if report.ok and not dry_run:
        try:
            with transaction.atomic(), large_write_cache():
                importer.apply()
                importer.refresh_locality()
            report.applied = True
        except (IntegrityError, DatabaseError):
            report.problems.append(
                Problem("", None, None, "",
                        _("Dữ liệu trong hệ thống vừa thay đổi trong khi nhập; không có gì được "
                          "ghi. Hãy thử lại."))  # fmt: skip
            )
    report.seconds = time.perf_counter() - started
    return report


