"""Importing rotation plans and rotations.

The rules are those the services keep (`canbo.rotation.services`: `plan_create`,
`rotation_create`, `rotation_start`, `rotation_end`) and the rotation's constraints, checked
on each record as the package leaves it (its rows over the stored records). A package may
record a rotation, decide an intended one (give it its decision and start) and end a
started one; what a stored rotation already started or ended no longer allows is refused
with the services' messages. The directions between levels, localities and sectors are
derived from the two units as the package leaves the tree, never read.

The work history the services write when a rotation starts or ends (the post left ends, the
post taken starts, a return starts the old post again) is not written here: the Quá trình
công tác sheet carries those rows, once (ADR 0029, after ADR 0026). Nor is the post left
looked up in the work history when the package leaves it blank: a package is a copy of
rotations recorded elsewhere, where the post left was already decided.

Scope: a plan's unit and a rotation's competent body must be units the importing account
edits, and the person rotated someone it sees; either out of scope gets the answer an
unknown code or number gets (ADR 0010 §1).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.core import scope
from canbo.core.dates import format_day
from canbo.core.db import insert_objects
from canbo.exchange import cells
from canbo.exchange.importer import STAMPS, NewRef, Op, PackageImport, chunks
from canbo.exchange.parsing import Row
from canbo.exchange.sheets import Sheet
from canbo.organizations.models import Term, Unit
from canbo.organizations.package import importing as units
from canbo.organizations.package.sheets import TERMS, UNITS
from canbo.people.package import importing as people
from canbo.rotation.choices import LevelDirection, RotationOutcome
from canbo.rotation.models import Rotation, RotationPlan
from canbo.rotation.services import LEVEL_ORDER, SECTOR_OF

from .sheets import ROTATION_PLANS, ROTATIONS

PLAN = "rotation_plan"
FIELDS = ("kind", "purpose", "decision_number", "decision_date", "start_date", "planned_end",
          "shorter_approved", "actual_end", "outcome", "evaluation", "note")  # fmt: skip
DIRECTIONS = ("level_direction", "across_localities", "across_sectors")
# What a package may still write into a rotation stored as started (as `rotation_end`).
END_FIELDS = {"actual_end", "outcome", "evaluation", "note"}
PLAN_COLUMNS = ("plan_unit", "plan_term_body", "plan_term")


class RotationImport:
    """The rotation part's share of one import, between plan and apply."""

    def __init__(self, imp: PackageImport):
        self.imp = imp
        self.today = timezone.localdate()
        self.plan_refs: dict[tuple, Any] = {}  # (unit ref, term ref) -> plan pk or NewRef
        self._units: dict[str, Op] | None = None
        self._areas: dict[str, Any] = {}  # unit code -> the area it governs, as left
        self._stored_units: dict[str, dict] = {}  # ancestors the package's rows do not name

    # --- loading ------------------------------------------------------------------

    def load(self) -> None:
        """Terms as the package leaves them; the stored plans and rotations of the bodies
        the package names."""
        terms = {(body, start): (end, pk) for pk, body, start, end in
                 Term.objects.values_list("pk", "body", "start_date", "end_date")}  # fmt: skip
        for op in self.imp.ops.get(TERMS.key, ()):
            key = (op.values["body"], op.values["start_date"])
            terms[key] = (op.values["end_date"], op.pk or NewRef("term", key))
        self.terms: dict[str, list[tuple]] = defaultdict(list)
        for (body, start), (end, ref) in terms.items():
            self.terms[body].append((start, end, ref))
        codes = {row.values.get(key) for sheet in (ROTATION_PLANS, ROTATIONS)
                 for row in self.imp.rows.get(sheet.key, ())
                 for key in ("unit", "plan_unit", "competent_unit")}  # fmt: skip
        unit_pks = sorted(self.imp.db["unit"][c]["pk"] for c in codes if c in self.imp.db["unit"])
        plan_names = [f.attname for f in RotationPlan._meta.concrete_fields]
        names = [f.attname for f in Rotation._meta.concrete_fields]
        self.db_plans: dict[tuple, dict] = {}
        self.started: dict[tuple, dict] = {}  # (person, to post, start) -> stored rotation
        self.intended: dict[tuple, dict] = {}  # (person, to post, plan) -> stored, not started
        for chunk in chunks(unit_pks):
            for row in RotationPlan.objects.filter(unit_id__in=chunk).values(*plan_names):
                self.db_plans[(row["unit_id"], row["term_id"])] = row
            stored = Rotation.objects.filter(competent_unit_id__in=chunk).order_by("pk")
            for row in stored.values(*names):
                if row["start_date"] is not None:
                    key = (row["person_id"], row["to_position_id"], row["start_date"])
                    self.started.setdefault(key, row)
                else:
                    key = (row["person_id"], row["to_position_id"], row["plan_id"])
                    self.intended.setdefault(key, row)

    # --- naming records -------------------------------------------------------------

    def editable(self, sheet: Sheet, row: Row, key: str):
        """A unit the actor edits, else None with the answer an unknown code gets (a unit
        beyond the actor's scope is not revealed)."""
        column = sheet.column(key)
        ref = self.imp.resolve(sheet, row, column)
        if ref is None or self.imp.admin or units.unit_editable(self.imp, ref):
            return ref
        code = row.values[key]
        self.imp.problem(sheet, row, column, code,
                         _("Không có %(what)s mã “%(code)s” trong gói hay trong hệ thống.")
                         % {"what": self.imp.references["unit"].label, "code": code})  # fmt: skip
        return None

    def term(self, sheet: Sheet, row: Row, body_key: str, term_key: str):
        """The term a row names by body and years (or start date): a pk, a NewRef or None
        (reported), as the planning sheets name terms."""
        body, spec = row.values.get(body_key), row.values.get(term_key)
        if not body or spec is None:
            return None
        start_year, end_year, start_date = spec
        found = [ref for start, end, ref in self.terms.get(body, ())
                 if (start == start_date if start_date else start.year == start_year)
                 and (end_year is None or end.year == end_year)]  # fmt: skip
        if len(found) == 1:
            return found[0]
        shown = start_date or (f"{start_year}–{end_year}" if end_year else str(start_year))
        label = self.imp.catalog(sheet.column(body_key).choices).label_of.get(body, body)
        if not found:
            message = _("Không có nhiệm kỳ “%(body)s %(term)s” trong sheet Nhiệm kỳ của gói hay "
                        "trong hệ thống.") % {"body": label, "term": cells.shown(shown)}  # fmt: skip
        else:
            message = _("Có %(n)d nhiệm kỳ “%(body)s” bắt đầu năm %(year)d; hãy ghi ngày bắt đầu "
                        "(dd/mm/yyyy) để chọn một.") % {"n": len(found), "body": label,
                                                        "year": start_year}  # fmt: skip
        self.imp.problem(sheet, row, sheet.column(term_key), shown, message)
        return None

    def position(self, sheet: Sheet, row: Row, prefix: str):
        """The post a row names by its unit and title columns (`prefix`_unit, _title)."""
        unit = self.imp.resolve(sheet, row, sheet.column(f"{prefix}_unit"))
        title = self.imp.resolve(sheet, row, sheet.column(f"{prefix}_title"))
        if unit is None or title is None:
            return None
        index = units.position_index(self.imp)
        if (unit, title) in index.positions:
            return index.positions[(unit, title)]
        if (unit, title) in index.package_positions:
            return NewRef("position", (unit, title))
        self.imp.problem(sheet, row, sheet.column(f"{prefix}_title"), row.values[f"{prefix}_title"],
                         _("Đơn vị này chưa có vị trí chức danh này (sheet Vị trí)."))  # fmt: skip
        return None

    # --- plans --------------------------------------------------------------------

    def plan_plans(self) -> None:
        sheet = ROTATION_PLANS
        seen: dict = {}
        for row in self.imp.rows[sheet.key]:
            if row.bad:
                continue
            unit = self.editable(sheet, row, "unit")
            term = self.term(sheet, row, "term_body", "term")
            if row.bad or unit is None or term is None:
                continue
            key = (unit, term)
            if self.imp.duplicate(sheet, row, seen, key, sheet.column("unit")):
                continue
            current = self.db_plans.get(key)
            self.plan_refs[key] = current["id"] if current else NewRef(PLAN, key)
            values = {"unit_id": unit, "term_id": term}
            values.update((name, row.values[name]) for name in ("name", "note")
                          if name not in row.values["_absent"])  # fmt: skip
            op = Op(sheet=sheet, row=row, values=values, pk=current["id"] if current else None)
            if current:
                self.imp.compare(op, current, values.keys())
            self.imp.ops[sheet.key].append(op)
            self.imp.count(sheet, op)

    def plan_of(self, sheet: Sheet, row: Row, competent):
        """(False, None) when the row names a plan that cannot be found or is another body's
        (reported); else (True, the plan's pk or NewRef, or None when outside any plan)."""
        given = [key for key in PLAN_COLUMNS if row.values.get(key) not in (None, "")]
        if not given:
            return True, None
        if len(given) < len(PLAN_COLUMNS):
            missing = next(key for key in PLAN_COLUMNS if key not in given)
            self.imp.problem(sheet, row, sheet.column(missing), "",
                             _("Ghi đủ Mã đơn vị, Loại nhiệm kỳ và Nhiệm kỳ của kế hoạch, hoặc "
                               "bỏ trống cả ba."))  # fmt: skip
            return False, None
        unit = self.imp.resolve(sheet, row, sheet.column("plan_unit"))
        term = self.term(sheet, row, "plan_term_body", "plan_term")
        if unit is None or term is None:
            return False, None
        ref = self.plan_refs.get((unit, term))
        if ref is None and (unit, term) in self.db_plans:
            ref = self.db_plans[(unit, term)]["id"]
        column = sheet.column("plan_unit")
        if ref is None:
            self.imp.problem(sheet, row, column, row.values["plan_unit"],
                             _("Không có kế hoạch luân chuyển của đơn vị “%(unit)s” cho nhiệm kỳ "
                               "này trong sheet Kế hoạch luân chuyển của gói hay trong hệ thống.")
                             % {"unit": row.values["plan_unit"]})  # fmt: skip
            return False, None
        if competent is not None and unit != competent:
            self.imp.problem(sheet, row, column, row.values["plan_unit"],
                             _("Kế hoạch này là của cấp khác."))  # fmt: skip
            return False, None
        return True, ref

    # --- rotations ----------------------------------------------------------------

    def plan_rotations(self) -> None:
        sheet = ROTATIONS
        seen: dict = {}
        matched: dict[int, int] = {}  # stored rotation pk -> the row that names it
        for row in self.imp.rows[sheet.key]:
            if row.bad:
                continue
            person = people.named_person(self.imp, sheet, row, sheet.column("person"),
                                         row.values["person"], action=scope.VIEW)  # fmt: skip
            competent = self.editable(sheet, row, "competent_unit")
            to_position = self.position(sheet, row, "to")
            from_position = self._from_position(sheet, row)
            found, plan = self.plan_of(sheet, row, competent)
            if row.bad or None in (person, competent, to_position) or not found:
                continue
            start = row.values["start_date"]
            key = (person, to_position, start) if start else (person, to_position, ("plan", plan))
            if self.imp.duplicate(sheet, row, seen, key, sheet.column("start_date")):
                continue
            current = self._stored(person, to_position, start, plan)
            if current is not None:
                if current["id"] in matched:
                    self.imp.problem(sheet, row, sheet.column("start_date"), start,
                                     _("Trùng với dòng %(n)d của sheet này.")
                                     % {"n": matched[current["id"]]})  # fmt: skip
                    continue
                matched[current["id"]] = row.number
            absent = row.values["_absent"]
            values = {"person_id": person, "to_position_id": to_position,
                      "competent_unit_id": competent}  # fmt: skip
            if "from_unit" not in absent:
                values["from_position_id"] = from_position
            if "plan_unit" not in absent:
                values["plan_id"] = plan
            values.update((name, row.values[name]) for name in FIELDS if name not in absent)
            merged = {"from_position_id": from_position, "to_position_id": to_position, "plan_id": plan,
                      **{name: row.values[name] for name in FIELDS}}  # fmt: skip
            if current:
                merged.update((name, current[name]) for name in FIELDS if name in absent)
                if "from_unit" in absent:
                    merged["from_position_id"] = current["from_position_id"]
                if "plan_unit" in absent:
                    merged["plan_id"] = current["plan_id"]
            if current is None or current["start_date"] is None:
                values.update(self._directions(row, merged["from_position_id"]))
            self._rules(sheet, row, merged)
            op = Op(sheet=sheet, row=row, values=values, pk=current["id"] if current else None)
            if current:
                self.imp.compare(op, current, values.keys())
                self._frozen(sheet, row, current, op)
            if row.bad:
                continue
            self.imp.ops[sheet.key].append(op)
            self.imp.count(sheet, op)

    def _from_position(self, sheet: Sheet, row: Row):
        """The post left: both columns or neither (None: not known)."""
        unit, title = row.values.get("from_unit"), row.values.get("from_title")
        if not unit and not title:
            return None
        if not unit or not title:
            blank = "from_title" if unit else "from_unit"
            self.imp.problem(sheet, row, sheet.column(blank), "",
                             _("Ghi cả Mã đơn vị đi và Mã chức danh đi, hoặc bỏ trống cả hai."))  # fmt: skip
            return None
        return self.position(sheet, row, "from")

    def _stored(self, person, to_position, start, plan) -> dict | None:
        """The stored rotation a row names: started on its start day, else the intended one
        of the same plan (which the row then decides)."""
        if isinstance(person, NewRef) or isinstance(to_position, NewRef):
            return None
        if start is not None and (person, to_position, start) in self.started:
            return self.started[(person, to_position, start)]
        if plan is None or isinstance(plan, NewRef):
            return None
        return self.intended.get((person, to_position, plan))

    def _rules(self, sheet: Sheet, row: Row, rotation: dict) -> None:
        """The checks `rotation_create`, `rotation_start`, `rotation_end` and the rotation's
        constraints make, on the rotation as the package leaves it."""

        def report(name: str, message: str) -> None:
            self.imp.problem(sheet, row, sheet.column(name), rotation[name], message)

        for name in ("decision_date", "start_date", "actual_end"):
            if rotation[name] and rotation[name] > self.today:
                report(name, _("Ngày này không được sau ngày hôm nay."))
        start, decided = rotation["start_date"], rotation["decision_date"]
        competent = row.values["competent_unit"]
        for prefix in ("to", "from"):
            code = row.values.get(f"{prefix}_unit")
            if code and not units.is_at_or_above(self.imp, competent, code):
                self.imp.problem(sheet, row, sheet.column(f"{prefix}_unit"), code,
                                 _("Chức danh này không thuộc phạm vi của cấp có thẩm quyền đã "
                                   "chọn."))  # fmt: skip
        if rotation["from_position_id"] is not None and (
            rotation["from_position_id"] == rotation["to_position_id"]
        ):
            self.imp.problem(sheet, row, sheet.column("to_unit"), row.values["to_unit"],
                             _("Nơi đến phải khác nơi đi."))  # fmt: skip
        if rotation["plan_id"] is None and start is None:
            report("start_date", _("Luân chuyển ngoài kế hoạch phải có quyết định và ngày bắt đầu."))
        if start is not None:
            if not (rotation["decision_number"] or "").strip():
                report("decision_number", _("Hãy nhập số quyết định."))
            if decided is None:
                report("decision_date", _("Hãy nhập ngày quyết định."))
            elif start < decided:
                report("start_date", _("Ngày bắt đầu không được trước ngày quyết định."))
        if rotation["planned_end"] and (start is None or rotation["planned_end"] <= start):
            report("planned_end", _("Ngày dự kiến kết thúc phải sau ngày bắt đầu."))
        end, outcome = rotation["actual_end"], rotation["outcome"]
        if end and start is None:
            report("actual_end", _("Luân chuyển này chưa bắt đầu."))
        elif end and end < start:
            report("actual_end", _("Ngày kết thúc không được trước ngày bắt đầu."))
        if bool(end) != bool(outcome):
            report("outcome" if end else "actual_end", _("Kết thúc luân chuyển phải có ngày và kết quả."))
        if outcome == RotationOutcome.RETURNED and rotation["from_position_id"] is None:
            report("outcome", _("Không rõ nơi đi: không ghi được là trở về."))

    def _frozen(self, sheet: Sheet, row: Row, current: dict, op: Op) -> None:
        """A stored rotation ended cannot change; one started may only be ended (and its
        note written), as `rotation_start` and `rotation_end` refuse the rest."""
        if not op.changed:
            return
        if current["actual_end"] is not None:
            message = _("Luân chuyển này đã kết thúc ngày %(date)s.")
            changed, day = op.changed, current["actual_end"]
        elif current["start_date"] is not None:
            message = _("Luân chuyển này đã bắt đầu ngày %(date)s.")
            changed, day = [n for n in op.changed if n not in END_FIELDS], current["start_date"]
        else:
            return
        if changed:
            name = changed[0].removesuffix("_id")
            key = {"from_position": "from_unit", "to_position": "to_unit", "plan": "plan_unit",
                   "competent_unit": "competent_unit"}.get(name, name)  # fmt: skip
            self.imp.problem(sheet, row, sheet.column(key), row.values.get(key),
                             message % {"date": format_day(day)})  # fmt: skip

    # --- directions, from the units as the package leaves them -------------------------

    def _unit(self, code: str) -> dict:
        """A unit's level, kind and own area as the package leaves it."""
        if self._units is None:
            self._units = {op.row.values["code"]: op for op in self.imp.ops.get(UNITS.key, ())}
        stored = self.imp.db["unit"].get(code) or self._stored_units.get(code)
        if stored is None:
            stored = self._stored_units[code] = Unit.objects.filter(code=code).values(
                "level", "kind", "area_id").first() or {"level": "", "kind": "", "area_id": None}  # fmt: skip
        op = self._units.get(code)
        values = op.values if op is not None else {}
        return {name: values.get(name, stored.get(name)) for name in ("level", "kind", "area_id")}

    def _governed_area(self, code: str):
        """The area a unit governs (its own, else its nearest ancestor's), as left."""
        if code not in self._areas:
            chain, seen, found = code, set(), None
            while chain and chain not in seen:
                seen.add(chain)
                found = self._unit(chain)["area_id"]
                if found is not None:
                    break
                chain = units.parent_code(self.imp, chain)
            self._areas[code] = found
        return self._areas[code]

    def _directions(self, row: Row, from_position) -> dict:
        """As `services.directions`, from the units the row names."""
        if from_position is None:
            return {"level_direction": LevelDirection.SAME, "across_localities": False,
                    "across_sectors": False}  # fmt: skip
        a_code, b_code = row.values["from_unit"], row.values["to_unit"]
        a, b = self._unit(a_code), self._unit(b_code)
        up, down = LEVEL_ORDER.get(a["level"], 9), LEVEL_ORDER.get(b["level"], 9)
        level = LevelDirection.SAME if up == down else (
            LevelDirection.UP if down < up else LevelDirection.DOWN)  # fmt: skip
        return {
            "level_direction": level,
            "across_localities": self._governed_area(a_code) != self._governed_area(b_code),
            "across_sectors": SECTOR_OF.get(a["kind"], "other") != SECTOR_OF.get(b["kind"], "other"),
        }

    # --- applying -----------------------------------------------------------------

    def apply(self) -> None:
        imp = self.imp
        now = timezone.now()
        ops = imp.ops.get(ROTATION_PLANS.key, [])
        new = [imp.new_object(RotationPlan, op) for op in ops if op.pk is None]
        insert_objects(RotationPlan, new)
        for obj in new:
            imp.created[PLAN][(obj.unit_id, obj.term_id)] = obj.pk
        changed = [op for op in ops if op.pk is not None and op.changed]
        imp.bulk_update(RotationPlan, changed, extra={op.pk: {"updated_at": now} for op in changed})
        imp.audit_created(ROTATION_PLANS, new, exclude=STAMPS,
                          describe=lambda obj: f"{ROTATION_PLANS.title}: {obj.name}")  # fmt: skip
        imp.audit_updated(ROTATION_PLANS, changed,
                          lambda op: f"{ROTATION_PLANS.title}: {op.row.values['unit']}")  # fmt: skip

        ops = imp.ops.get(ROTATIONS.key, [])
        new_ops = [op for op in ops if op.pk is None]
        new = [imp.new_object(Rotation, op) for op in new_ops]
        insert_objects(Rotation, new)
        changed = [op for op in ops if op.pk is not None and op.changed]
        imp.bulk_update(Rotation, changed, extra={op.pk: {"updated_at": now} for op in changed})
        texts = {id(obj): self._text(op) for obj, op in zip(new, new_ops, strict=True)}
        imp.audit_created(ROTATIONS, new, exclude=STAMPS, describe=lambda obj: texts[id(obj)])
        imp.audit_updated(ROTATIONS, changed, self._text)

    @staticmethod
    def _text(op: Op) -> str:
        values = op.row.values
        start = format_day(values["start_date"]) if values["start_date"] else ""
        return f"{ROTATIONS.title}: {values['person']} – {values['to_unit']}/{values['to_title']} {start}".strip()


def rotation(imp: PackageImport) -> RotationImport:
    return imp.state_of("rotation", lambda: RotationImport(imp))


def plan(imp: PackageImport) -> None:
    state = rotation(imp)
    if imp.has(ROTATIONS):
        people.load_people(imp, [r for r in imp.rows[ROTATIONS.key] if not r.bad])
    state.load()
    if imp.has(ROTATION_PLANS):
        state.plan_plans()
    if imp.has(ROTATIONS):
        state.plan_rotations()


def apply(imp: PackageImport) -> None:
    rotation(imp).apply()
