"""Importing people and the sections of their records (work history, evaluations, …).

Section rows have no identifier of their own: each is recognised by its person
and a few fields (`SECTION_KEYS`); when a person has several rows with the
same key, the n-th row of the package matches the n-th such row in the
database. Other sheets that name people (plans) find them through
`person_ref`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from operator import itemgetter
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canbo.core import scope
from canbo.core.db import insert_rows
from canbo.exchange.importer import NewRef, Op, PackageImport, chunks
from canbo.exchange.parsing import Row
from canbo.exchange.sheets import Sheet
from canbo.organizations import locality
from canbo.organizations.models import Unit
from canbo.organizations.package import importing as units
from canbo.organizations.selectors import governed_area_ids, locality_maps
from canbo.people import posts_apart
from canbo.people.models import Assignment, Person
from canbo.people.selectors import DUPLICATE_ELSEWHERE
from canbo.people.services import (
    AUDIT_EXCLUDE,
    person_date_errors,
    person_derive_text,
    section_validate,
)

from .sheets import (
    ASSIGNMENTS,
    DISCIPLINES,
    EVALUATIONS,
    PEOPLE,
    REWARDS,
    SECTION_SHEETS,
    TRAININGS,
    VOTES,
)

# The one answer for an ID number no record has and for a person beyond the actor's
# edit scope, on every sheet that names people (ADR 0010 §1: no existence oracle).
NO_PERSON = gettext_lazy("Không có cán bộ với số định danh này trong gói hay trong hệ thống.")
OUTSIDE = units.OUTSIDE
# Fields the person text and date rules read, for rows that leave them out.
PERSON_DRAFT = {"middle_name": "", "birth_date": None, "party_joined_date": None,
                "party_official_date": None}  # fmt: skip
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


@dataclass
class State:
    package: dict[str, Op] = field(default_factory=dict)  # id number -> the People row's op
    stored: dict[str, dict] = field(default_factory=dict)  # id number -> stored person
    # id number -> the People row's op for a person whose row has errors: checked as if it
    # were to be written, never written; other sheets' rows of that person are checked too.
    refused: dict[str, Op] = field(default_factory=dict)


def state(imp: PackageImport) -> State:
    return imp.state_of("people", State)


def person_defaults() -> dict:
    """Every stored column of a new person (attname -> default), the key left out."""
    return {
        f.attname: f.get_default() for f in Person._meta.concrete_fields if not f.primary_key
    }


def load_people(imp: PackageImport, rows: list[Row]) -> State:
    """The stored people that rows name (column "person") and that are not known yet."""
    st = state(imp)
    missing = {r.values["person"] for r in rows} - set(st.package) - set(st.stored)
    for chunk in chunks(sorted(missing)):
        for current in Person.objects.filter(id_number__in_values=chunk).values(
            "pk", "id_number", "unit__path", "unit_id"
        ):
            st.stored[current["id_number"]] = current
    return st


def refused_person(imp: PackageImport, id_number: str):
    """A person whose row on the People sheet is refused, as their other rows name them:
    (a pk or a NewRef, the note for those rows), or None. A stored person beyond the
    actor's scope stays unknown (`NO_PERSON`, ADR 0010 §1)."""
    op = state(imp).refused.get(id_number)
    if op is None or op.extra.get("elsewhere"):
        return None
    note = _("Cán bộ này không được nhập vì dòng %(n)d của sheet “%(s)s” có lỗi (xem lỗi ở "
             "dòng đó).") % {"n": op.row.number, "s": imp.sheet_name(PEOPLE, op.row)}  # fmt: skip
    return op.pk or NewRef("person", id_number), note


def person_ref(imp: PackageImport, id_number: str, action: str | None = scope.EDIT):
    """The person an ID number names: a pk, a NewRef to a new person of the package, or
    None for an unknown number. With `action`, a stored person beyond the actor's scope
    for it is None too (one answer for both, ADR 0010 §1); `load_people` first."""
    st = state(imp)
    if id_number in st.package:
        return st.package[id_number].pk or NewRef("person", id_number)
    current = st.stored.get(id_number)
    if current is None or (action is not None and imp.outside(current["unit__path"], action)):
        return None
    return current["pk"]


def named_person(imp: PackageImport, sheet, row, column, id_number: str,
                 action: str | None = scope.EDIT):  # fmt: skip
    """The person a row of another part's sheet names (a planning entry, a task's leader):
    `person_ref`; for a person whose own row is refused, their placeholder with the note
    beside the cell (the row's other cells are still checked); None with NO_PERSON beside
    the cell for an unknown number."""
    refused = refused_person(imp, id_number)
    if refused is not None:
        person, note = refused
        imp.problem(sheet, row, column, id_number, note)
        return person
    person = person_ref(imp, id_number, action)
    if person is None:
        imp.problem(sheet, row, column, id_number, NO_PERSON)
    return person


# --- people --------------------------------------------------------------------------


def plan(imp: PackageImport) -> None:
    if imp.has(PEOPLE):
        plan_people(imp)
    for sheet in SECTION_SHEETS:
        if imp.has(sheet):
            plan_sections(imp, sheet)
    if imp.has(PEOPLE):
        warn_placeless_people(imp)


NO_PLACE = gettext_lazy(
    "Cán bộ không có đơn vị quản lý hồ sơ và không giữ vị trí nào trong quá trình công tác: "
    "không xác định được người địa phương. Hãy ghi Mã đơn vị, hoặc quá trình công tác có Mã "
    "đơn vị và Mã chức danh."
)


def warn_placeless_people(imp: PackageImport) -> None:
    """People the package leaves with neither a record unit nor any post in their work
    history: locality cannot be judged for them. Written anyway, with a warning that names
    each (issue 13)."""
    st = state(imp)
    placeless = {}
    for op in imp.ops.get(PEOPLE.key, ()):
        stored = st.stored.get(op.values["id_number"], {})
        unit = op.values["unit_id"] if "unit_id" in op.values else stored.get("unit_id")
        if unit is None:
            placeless[op.values["id_number"]] = op
    if not placeless:
        return
    posts = set()  # people with a post, as the package leaves their work history
    cleared = set()  # stored rows whose post the package takes away
    for op in imp.ops.get(ASSIGNMENTS.key, ()):
        if "position_id" not in op.values:
            continue
        if op.values["position_id"] is not None:
            posts.add(op.extra["person"])
        elif op.pk is not None:
            cleared.add(op.pk)
    stored = {op.pk: id_number for id_number, op in placeless.items() if op.pk is not None}
    for chunk in chunks(sorted(stored)):
        rows = Assignment.objects.filter(person_id__in=chunk, position__isnull=False)
        for pk, person in rows.values_list("pk", "person_id"):
            if pk not in cleared:
                posts.add(stored[person])
    for id_number, op in placeless.items():
        if id_number not in posts:
            imp.warning(PEOPLE, op.row, PEOPLE.column("unit"), "", NO_PLACE)


def plan_people(imp: PackageImport) -> None:
    sheet = PEOPLE
    st = state(imp)
    # Rows a cell of which could not be read are checked as far as their other cells go.
    rows = imp.rows[sheet.key]
    refs = {"hometown": "area", "birthplace": "area", "unit": "unit"}
    fields = [c.key for c in sheet.writable]
    compare = [f for f in Person._meta.concrete_fields if f.name not in AUDIT_EXCLUDE]
    attnames = [f.attname for f in compare if f.name not in ("id", "full_name", "is_local")]
    existing = st.stored
    ids = [r.values["id_number"] for r in rows if "id_number" not in r.failed]
    for chunk in chunks(ids):
        for current in Person.objects.filter(id_number__in_values=chunk).values(
            "pk", "unit__path", *attnames
        ):
            existing[current["id_number"]] = current
    seen: dict = {}
    id_column = sheet.column("id_number")
    plans: dict[frozenset, list] = {}  # the columns a row has, in order: one plan each

    def plan_of(absent: frozenset) -> list:
        steps = []
        for name in fields:
            if name in absent:
                continue
            if name in refs:
                steps.append((name, name + "_id", sheet.column(name), imp.db[refs[name]]))
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
        unread = row.bad
        if unread:
            absent = absent | row.failed
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
                    values[attname] = imp.resolve(sheet, row, column)
            elif name == "birth_date":
                values["birth_date"], values["birth_date_precision"] = raw[name]
            else:
                values[attname] = raw[name]
        if row.bad:  # a cell not read, or a code not found: the other rules still speak
            _check_refused_person(imp, row, values)
            continue
        if imp.duplicate(sheet, row, seen, values["id_number"], id_column):
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
            imp.problem(sheet, row, column, row.values.get(column.key), message)
        if row.bad:
            _refuse_person(imp, row, values)
            continue
        current = existing.get(values["id_number"])
        if current and imp.outside(current["unit__path"]):
            # Another unit's record: refused whatever the row says, never compared,
            # so the report tells nothing of what is stored (ADR 0010 §1).
            imp.problem(sheet, row, id_column, raw["id_number"], DUPLICATE_ELSEWHERE)
            continue
        op = Op(sheet=sheet, row=row, values=values, pk=current["pk"] if current else None)
        op.extra["derived"] = derived
        if current:
            op.extra["old_unit_path"] = current["unit__path"]
            imp.compare(op, current, values.keys())
        st.package[values["id_number"]] = op
        imp.ops[sheet.key].append(op)
        imp.count(sheet, op)


def _check_refused_person(imp: PackageImport, row: Row, values: dict) -> None:
    """The rules of a People row some cell of which could not be read, on its other cells."""
    sheet = PEOPLE
    person = SimpleNamespace(**{**PERSON_DRAFT, "family_name": "", "given_name": "",
                                "id_number": "", **values})  # fmt: skip
    person_derive_text(person)
    for name, message in person_date_errors(person).items():
        column = sheet.column(name if name != "birth_date_precision" else "birth_date")
        if column.key not in row.failed:
            imp.problem(sheet, row, column, row.values.get(column.key), message)
    if "id_number" in values:
        values["id_number"] = person.id_number
        _refuse_person(imp, row, values)


def _refuse_person(imp: PackageImport, row: Row, values: dict) -> None:
    """Keep a refused People row (as if it were to be written) for the person's other rows
    and the scope check; a stored person beyond the actor's scope is said so here once."""
    st = state(imp)
    id_number = values.get("id_number")
    if not id_number or id_number in st.package or id_number in st.refused:
        return
    current = st.stored.get(id_number)
    op = Op(sheet=PEOPLE, row=row, values=values, pk=current["pk"] if current else None)
    if current:
        op.extra["old_unit_path"] = current["unit__path"]
        if imp.outside(current["unit__path"]):
            imp.problem(PEOPLE, row, PEOPLE.column("id_number"), row.values["id_number"],
                        DUPLICATE_ELSEWHERE)  # fmt: skip
            op.extra["elsewhere"] = True
        else:
            imp.compare(op, current, values.keys())
    unit_unread = "unit" in row.failed or (row.values.get("unit") and values.get("unit_id") is None)
    op.extra["scope"] = not op.extra.get("elsewhere") and not unit_unread
    st.refused[id_number] = op


# --- sections --------------------------------------------------------------------------


def plan_sections(imp: PackageImport, sheet: Sheet) -> None:
    model = sheet.model
    key_fields, repeats = SECTION_KEYS[sheet.key]
    # Rows a cell of which could not be read are checked as far as their other cells go.
    rows = [r for r in imp.rows[sheet.key] if not r.bad or "person" not in r.failed]
    st = load_people(imp, rows)
    attnames = [f.attname for f in model._meta.concrete_fields if f.name != "id"]
    person_pks = sorted(
        {st.stored[r.values["person"]]["pk"] for r in rows if r.values["person"] in st.stored}
    )
    existing: dict = {}
    occurrences: dict = defaultdict(int)
    for chunk in chunks(person_pks):
        for current in model.objects.filter(person_id__in=chunk).order_by("pk").values("pk", *attnames):
            key = (current["person_id"], *(current[k] for k in key_fields))
            occurrences[key] += 1
            existing[(*key, occurrences[key])] = current
    seen_count: dict = defaultdict(int)
    seen_rows: dict = {}
    person_column = sheet.column("person")
    for row in rows:
        unread = row.bad
        id_number = row.values["person"]
        person, note = person_ref(imp, id_number), None
        if (refused := refused_person(imp, id_number)) is not None:
            person, note = refused  # checked as if the person's own row were written
        if person is None:  # unknown, or beyond the actor's edit scope: one answer for both
            imp.problem(sheet, row, person_column, id_number, NO_PERSON)
            if not unread:
                continue
        if note is not None:
            imp.problem(sheet, row, person_column, id_number, note)
        values = _section_values(imp, sheet, row)
        if values is None:
            continue
        item = model(**{k: v for k, v in values.items() if not isinstance(v, NewRef)})
        try:
            section_validate(item)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = next((c for c in sheet.columns if c.key == name), None)
                imp.problem(sheet, row, column, row.values.get(name), " ".join(messages))
            continue
        except TypeError:  # a rule across a cell that could not be read
            if not unread:
                raise
        if unread or person is None or note is not None:
            continue
        base = (person, *(values[k] for k in key_fields))
        if not repeats and imp.duplicate(sheet, row, seen_rows, base, person_column):
            continue
        seen_count[base] += 1
        current = existing.get((*base, seen_count[base]))
        values["person_id"] = person
        op = Op(sheet=sheet, row=row, values=values, pk=current["pk"] if current else None)
        op.extra["person"] = id_number
        if current:
            imp.compare(op, current, values.keys())
        imp.ops[sheet.key].append(op)
        imp.count(sheet, op)


def _section_values(imp: PackageImport, sheet: Sheet, row: Row) -> dict | None:
    values = {}
    keys = SECTION_KEYS[sheet.key][0]
    absent = row.values["_absent"]
    for column in sheet.writable:
        if column.key in ("person", "unit", "title") or column.key in row.failed:
            continue
        if column.key in absent and column.key not in keys:
            continue  # a column the package leaves out keeps what is stored
        value = row.values[column.key]
        if column.kind == "partial_date":
            precision_field = column.key.replace("_date", "_precision")
            values[column.key], values[precision_field] = value
        else:
            values[column.key] = value
    if sheet is ASSIGNMENTS and not {"unit", "title"} <= absent:
        # Neither column given: the position stays as stored.
        if {"unit", "title"} & row.failed:
            return values  # checked without its position
        unit = imp.resolve(sheet, row, sheet.column("unit"))
        title = imp.resolve(sheet, row, sheet.column("title"))
        if (unit is None and row.values.get("unit")) or (title is None and row.values.get("title")):
            return None
        if (unit is None) != (title is None):
            imp.problem(sheet, row, sheet.column("title" if unit else "unit"), "",
                        _("Cần ghi cả Mã đơn vị và Mã chức danh để xác định vị trí."))  # fmt: skip
            return None
        values["position_id"] = None
        if unit is not None:
            values["position_id"] = units.find_position(imp, sheet, row, unit, title)
            if values["position_id"] is None:
                return None
            if not values["unit_name"]:
                values["unit_name"] = imp.name_of("unit", row.values["unit"])
            if not values["title_name"]:
                values["title_name"] = imp.name_of("title", row.values["title"])
    return values


# --- scope -------------------------------------------------------------------------------


def check_scope(imp: PackageImport) -> None:
    actor = imp.actor
    st = state(imp)
    refused = [op for op in st.refused.values() if op.extra["scope"]]  # their unit too, now
    for op in [*imp.ops.get(PEOPLE.key, ()), *refused]:
        if not op.writes:
            continue
        old_path = op.extra.get("old_unit_path")
        ok = op.pk is None or (old_path and scope.path_allowed(actor, old_path, scope.EDIT))
        unit = op.values.get("unit_id")
        if op.pk is not None and "unit_id" not in op.values:
            ok = ok and bool(old_path)
        else:
            ok = ok and units.unit_editable(imp, unit)
        if not ok and op.pk is None and unit is None:
            imp.problem(PEOPLE, op.row, PEOPLE.column("unit"), "",
                        _("Cán bộ mới cần Mã đơn vị thuộc phạm vi của bạn."))  # fmt: skip
        elif not ok:
            imp.problem(PEOPLE, op.row, PEOPLE.column("unit"), op.row.values.get("unit"), OUTSIDE)
    for sheet in SECTION_SHEETS:
        for op in imp.ops.get(sheet.key, ()):
            id_number = op.extra["person"]
            if not op.writes:
                continue
            person = st.package.get(id_number)
            if person is not None and person.pk is None:
                continue  # a new person: their unit is checked on the people sheet
            path = st.stored[id_number]["unit__path"]
            if not (path and scope.path_allowed(actor, path, scope.EDIT)):
                imp.problem(sheet, op.row, sheet.column("person"), id_number, OUTSIDE)


# --- applying ------------------------------------------------------------------------------


def apply(imp: PackageImport) -> None:
    if imp.has(PEOPLE):
        apply_people(imp)
    for sheet in SECTION_SHEETS:
        if imp.has(sheet) and sheet is ASSIGNMENTS:
            _settle_on_commit(imp, imp.apply_keyed(sheet))
        elif imp.has(sheet):
            imp.apply_keyed(sheet)  # (its records are not kept: a sheet's worth of objects)


def _settle_on_commit(imp: PackageImport, new: list[Assignment]) -> None:
    """Once the import commits, settle the people whose work history it wrote (ADR 0035;
    the trigger has unsettled them, and bulk writes send no signal)."""
    people = {a.person_id for a in new}
    changed = [op.pk for op in imp.ops[ASSIGNMENTS.key] if op.pk is not None and op.changed]
    for chunk in chunks(changed):
        people.update(Assignment.objects.filter(pk__in=chunk).values_list("person_id", flat=True))
    if people:
        posts_apart.settle_on_commit(people)


# New people written (rows, insert, audit) this many at a time.
PEOPLE_CHUNK = 5000


def _local_judge():
    """Sets `is_local` on rows of people (attname -> value): the hometown against the area
    the unit governs, each (hometown, area) pair judged once for the whole import."""
    path_of, successors_of = locality_maps()
    local: dict[tuple, bool | None] = {}  # the same few (hometown, area) pairs repeat
    governed: dict[int, int | None] = {}

    def judge(rows: list[dict]) -> None:
        units = {r["unit_id"] for r in rows} - {None} - set(governed)
        if units:
            governed.update(governed_area_ids(list(Unit.objects.filter(pk__in=units).only("pk", "path"))))
        for row in rows:
            key = (row["hometown_id"], governed.get(row["unit_id"]))
            if key not in local:
                local[key] = locality.is_local(*key, path_of, successors_of)
            row["is_local"] = local[key]

    return judge


def apply_people(imp: PackageImport) -> None:
    ops = imp.ops[PEOPLE.key]
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
    stored = {}
    names = [f.attname for f in Person._meta.concrete_fields]
    for chunk in chunks([op.pk for op in changed]):
        for row in Person.objects.filter(pk__in=chunk).values(*names):
            stored[row["id"]] = row
    updated = []
    for op in changed:
        person = Person(**{**stored[op.pk], **{k: imp.pk_of(v) for k, v in op.values.items()}})
        person_derive_text(person)
        updated.append(person.__dict__)
    judge_local = _local_judge()
    columns = list(template)
    # A chunk at a time, so that a hundred thousand people's rows, their insert tuples and
    # their audit events are never all held at once (the write's peak was 230 MB).
    for chunk in chunks(new_ops, PEOPLE_CHUNK):
        rows = []
        for op in chunk:
            row = {**template, **op.values, **op.extra["derived"], **stamps}
            for name in refs:
                if type(row[name]) is NewRef:
                    row[name] = imp.pk_of(row[name])
            rows.append(row)
        judge_local(rows)
        pks = insert_rows(Person, columns, list(map(itemgetter(*columns), rows)), returning=True)
        for row, pk in zip(rows, pks, strict=True):
            row["id"] = pk
            imp.created["person"][row["id_number"]] = pk
        imp.audit_created(
            PEOPLE,
            [(r["id"], r, f"{r['full_name']} ({r['id_number']})") for r in rows],
            exclude=AUDIT_EXCLUDE,
        )
    judge_local(updated)
    derived = {
        row["id"]: {name: row[name] for name in
                    ("full_name", "search_text", "sort_key", "is_local")} | {"updated_at": now}
        for row in updated
    }  # fmt: skip
    imp.bulk_update(Person, changed, extra=derived)
    imp.audit_updated(PEOPLE, changed, lambda op: op.row.values["id_number"])

