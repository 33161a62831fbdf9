"""Exporting a unit subtree (or everything the user may see) as a data package.

Rows are streamed from the database in chunks and written as they come: the
workbook goes through the streaming, formula-safe writer of canbo/core/xlsx.py and JSON is written piece by
piece, so memory stays flat whatever the number of people. Rows come in a
fixed order (units and areas by tree position, people by unit, name and ID
number, sections by ID number and key fields), so exporting, importing into
an empty database and exporting again gives the same package; only the
export time in the "Thông tin gói" sheet differs.

Every text cell is written as text. Text that begins with "=", "+", "-" or
"@" gets Excel's quote prefix, so neither Excel nor LibreOffice can take it
for a formula, and it reads back unchanged.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from canbo.core import scope, xlsx
from canbo.core.dates import format_day
from canbo.core.shares import share_of
from canbo.organizations.models import (
    Area,
    AreaSuccession,
    Position,
    PositionTitle,
    Term,
    Unit,
    UnitSuccession,
)
from canbo.people.derived import age_on, retirement_date
from canbo.people.models import (
    Assignment,
    ConfidenceVote,
    Discipline,
    Evaluation,
    Person,
    Reward,
    Training,
)
from canbo.planning.models import Plan, PlanEntry, PlanPosition, PlanReview

from .cells import write_bool, write_partial_date, write_term
from .spec import (
    AREA_SUCCESSIONS,
    AREAS,
    ASSIGNMENTS,
    DISCIPLINES,
    EVALUATIONS,
    FORMAT_NAME,
    FORMAT_VERSION,
    META_TITLE,
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
    Sheet,
    continuation_title,
)

CHUNK = 5000
# Data rows per worksheet: Excel's 1,048,576 rows less the header row.
MAX_SHEET_ROWS = 1_048_575
TEXT_KINDS = {"text", "note", "code", "id_number", "person", "area", "unit", "title", "date",
              "partial_date", "choice", "ethnicity", "bool", "term"}  # fmt: skip


class ExportError(Exception):
    """The export cannot be made (message in Vietnamese)."""


def _label(choices, value) -> str:
    if value is None or value == "":
        return ""
    return _cached_label(choices, value, get_language())


@functools.lru_cache(maxsize=4096)
def _cached_label(choices, value, language) -> str:
    # Translating a label costs more than writing its cell; an export repeats a few labels.
    return str(choices(value).label)


@dataclass
class Selection:
    """What an export covers: a unit subtree or everything, within the user's scope."""

    user: object
    root: Unit | None
    exported_at: dt.datetime
    counts: dict[str, int] = field(default_factory=dict)

    def units(self) -> QuerySet[Unit]:
        qs = Unit.objects.all()
        if self.root is not None:
            qs = qs.filter(path__startswith=self.root.path)
        return scope.restrict(qs, self.user) if self.user is not None else qs

    def people(self) -> QuerySet[Person]:
        """The people of the selected units, and the people their plans name (for an
        account that is not an administrator, only those it may see)."""
        qs = Person.objects.all()
        if self.root is not None or (self.user is not None and not scope.is_administrator(self.user)):
            qs = qs.filter(Q(unit__in=self.units().values("pk")) | Q(pk__in=self.planned_people()))
        return qs

    def planned_people(self) -> QuerySet[Person]:
        """People planned in the selection's plans, as ids (a subquery)."""
        qs = Person.objects.filter(
            pk__in=PlanEntry.objects.filter(plan__in=self.plans()).values("person_id")
        )
        if self.user is not None:
            qs = scope.restrict(qs, self.user)
        return qs.values("pk")

    def plans(self) -> QuerySet[Plan]:
        """Plans whose planning unit is selected."""
        if self.everything:
            return Plan.objects.all()
        return Plan.objects.filter(planning_unit__in=self.units().values("pk"))

    def sections(self, model) -> QuerySet:
        qs = model.objects.all()
        if self.root is not None or (self.user is not None and not scope.is_administrator(self.user)):
            qs = qs.filter(person__unit__in=self.units().values("pk"))
        return qs

    @property
    def everything(self) -> bool:
        return self.root is None and (self.user is None or scope.is_administrator(self.user))

    def referenced_positions(self) -> QuerySet[Position]:
        """Positions outside the selection that its people's work history or its plans name."""
        plans = self.plans()
        named = (
            Q(pk__in=self.sections(Assignment).exclude(position=None).values("position_id"))
            | Q(pk__in=PlanPosition.objects.filter(plan__in=plans).values("position_id"))
            | Q(pk__in=PlanEntry.objects.filter(plan__in=plans).values("position_id"))
        )
        return Position.objects.filter(named).exclude(unit__in=self.units().values("pk"))

    def unit_ids(self) -> set[int]:
        """The units a package needs: the selection, the units of the positions its work
        history and plans name, the units of the people its plans name and of their
        approvers, and the ancestors of all of them, so that it can be imported into a
        database that has none of them (the other units come with code and name only)."""
        ids = set(self.units().values_list("pk", flat=True))
        ids |= set(self.referenced_positions().values_list("unit_id", flat=True))
        plans = self.plans().exclude(approver_unit=None)
        ids |= set(plans.values_list("approver_unit_id", flat=True))
        people = Person.objects.filter(pk__in=self.planned_people()).exclude(unit=None)
        ids |= set(people.values_list("unit_id", flat=True).distinct())
        paths = set(Unit.objects.filter(pk__in=ids).values_list("path", flat=True))
        prefixes = {p[:i] for p in paths for i in range(Unit.steplen, len(p), Unit.steplen)}
        ids |= set(Unit.objects.filter(path__in=prefixes).values_list("pk", flat=True))
        return ids


def _iter(qs: QuerySet, *fields) -> Iterator:
    return qs.values_list(*fields).iterator(chunk_size=CHUNK)


def _tree_rows(model, qs: QuerySet, extra: list[str]) -> Iterator[tuple[dict, list]]:
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
    qs = Area.objects.all() if sel.everything else Area.objects.filter(pk__in=_area_ids(sel))
    fields = ["official_code", "name", "kind", "level", "valid_from", "valid_to"]
    for v, parent in _tree_rows(Area, qs, fields):
        yield [v["code"], v["official_code"], v["name"], _label(AREAS.column("kind").choices, v["kind"]),
               _label(AREAS.column("level").choices, v["level"]), parent or "",
               format_day(v["valid_from"]), format_day(v["valid_to"])]  # fmt: skip


def _area_ids(sel: Selection) -> set[int]:
    """The areas the exported records name, their successors, and all their ancestors."""
    units = Unit.objects.filter(pk__in=sel.unit_ids())
    ids = set(units.exclude(area=None).values_list("area_id", flat=True))
    people = sel.people()
    ids |= set(people.exclude(hometown=None).values_list("hometown_id", flat=True).distinct())
    ids |= set(people.exclude(birthplace=None).values_list("birthplace_id", flat=True).distinct())
    successors: dict[int, list[int]] = {}
    for pred, succ in AreaSuccession.objects.values_list("predecessor_id", "successor_id"):
        successors.setdefault(pred, []).append(succ)
    frontier = set(ids)
    while frontier:
        found = {s for pk in frontier for s in successors.get(pk, ())} - ids
        ids |= found
        frontier = found
    paths = set(Area.objects.filter(pk__in=ids).values_list("path", flat=True))
    prefixes = {p[:i] for p in paths for i in range(Area.steplen, len(p), Area.steplen)}
    ids |= set(Area.objects.filter(path__in=prefixes).values_list("pk", flat=True))
    return ids


def _succession_rows(model, qs: QuerySet) -> Iterator[list]:
    rows = qs.order_by("predecessor__code", "successor__code").values_list(
        "predecessor__code", "successor__code", "effective_date"
    )
    for pred, succ, day in rows.iterator(chunk_size=CHUNK):
        yield [pred, succ, format_day(day)]


def area_succession_rows(sel: Selection) -> Iterator[list]:
    qs = AreaSuccession.objects.all()
    if not sel.everything:
        ids = _area_ids(sel)
        qs = qs.filter(predecessor__in=ids, successor__in=ids)
    return _succession_rows(AreaSuccession, qs)


def title_rows(sel: Selection) -> Iterator[list]:
    kinds = TITLES.column("level").choices, TITLES.column("management_level").choices
    fields = ("code", "name", "level", "rank", "is_key", "is_head", "management_level")
    for code, name, level, rank, key, head, mlevel in _iter(PositionTitle.objects.order_by("code"), *fields):
        yield [code, name, _label(kinds[0], level), rank, write_bool(key), write_bool(head),
               _label(kinds[1], mlevel)]  # fmt: skip


def term_rows(sel: Selection) -> Iterator[list]:
    body_choices = TERMS.column("body").choices
    qs = Term.objects.order_by("body", "start_date")
    for body, name, start, end in _iter(qs, "body", "name", "start_date", "end_date"):
        yield [_label(body_choices, body), name, format_day(start), format_day(end)]


def unit_rows(sel: Selection) -> Iterator[list]:
    kind_choices, level_choices = UNITS.column("kind").choices, UNITS.column("level").choices
    fields = ["name", "short_name", "kind", "level", "area__code", "is_difficult_area",
              "valid_from", "valid_to"]  # fmt: skip
    qs = Unit.objects.all() if sel.everything else Unit.objects.filter(pk__in=sel.unit_ids())
    for v, parent in _tree_rows(Unit, qs, fields):
        yield [v["code"], v["name"], v["short_name"], _label(kind_choices, v["kind"]),
               _label(level_choices, v["level"]), parent or "", v["area__code"] or "",
               write_bool(v["is_difficult_area"]), format_day(v["valid_from"]), format_day(v["valid_to"])]  # fmt: skip


def unit_succession_rows(sel: Selection) -> Iterator[list]:
    qs = UnitSuccession.objects.all()
    if not sel.everything:
        units = sel.units().values("pk")
        qs = qs.filter(predecessor__in=units, successor__in=units)
    return _succession_rows(UnitSuccession, qs)


def position_rows(sel: Selection) -> Iterator[list]:
    qs = Position.objects.all()
    if not sel.everything:
        qs = qs.filter(unit__in=sel.units().values("pk")) | sel.referenced_positions()
    qs = qs.order_by("unit__path", "title__code")
    for unit, title, seats, unit_name, title_name in _iter(
        qs, "unit__code", "title__code", "seats", "unit__name", "title__name"
    ):
        yield [unit, title, seats, unit_name, title_name]


def people_rows(sel: Selection) -> Iterator[list]:
    choices = {c.key: c.choices for c in PEOPLE.columns if c.choices}
    on = timezone.localtime(sel.exported_at).date()
    fields = ("id_number", "family_name", "middle_name", "given_name", "sex", "birth_date",
              "birth_date_precision", "ethnicity__name", "religion", "hometown__code",
              "birthplace__code", "unit__code", "party_joined_date", "party_official_date",
              "professional_degree", "professional_major", "political_theory",
              "state_management", "foreign_language", "it_level",
              "retirement_age_override_months", "full_name", "is_local")  # fmt: skip
    qs = sel.people().order_by("unit__path", "sort_key", "id_number")
    for (id_number, family, middle, given, sex, born, precision, ethnicity, religion, hometown,
         birthplace, unit, joined, official, degree, major, theory, management, language, it,
         override, full_name, is_local) in _iter(qs, *fields):  # fmt: skip
        retire = retirement_date(sex, born, precision, override)
        yield [id_number, family, middle, given, _label(choices["sex"], sex),
               write_partial_date(born, precision), ethnicity or "",
               _label(choices["religion"], religion), hometown or "", birthplace or "",
               unit or "", format_day(joined), format_day(official),
               _label(choices["professional_degree"], degree), major,
               _label(choices["political_theory"], theory),
               _label(choices["state_management"], management), language, it,
               override, full_name, age_on(born, precision, on), format_day(retire),
               write_bool(is_local)]  # fmt: skip


def _section_qs(sel: Selection, model, *order) -> QuerySet:
    return sel.sections(model).order_by("person__id_number", *order, "pk")


def assignment_rows(sel: Selection) -> Iterator[list]:
    how = ASSIGNMENTS.column("how").choices
    qs = _section_qs(sel, Assignment, "start_date", "unit_name", "title_name")
    fields = ("person__id_number", "start_date", "start_precision", "end_date", "end_precision",
              "position__unit__code", "position__title__code", "unit_name", "title_name",
              "is_concurrent", "how", "decision_number", "note")  # fmt: skip
    for (person, start, sp, end, ep, unit, title, unit_name, title_name, concurrent, kind,
         decision, note) in _iter(qs, *fields):  # fmt: skip
        yield [person, write_partial_date(start, sp), write_partial_date(end, ep), unit or "",
               title or "", unit_name, title_name, write_bool(concurrent), _label(how, kind),
               decision, note]  # fmt: skip


def evaluation_rows(sel: Selection) -> Iterator[list]:
    rating = EVALUATIONS.column("rating").choices
    qs = _section_qs(sel, Evaluation, "year")
    for person, year, value, score, note in _iter(qs, "person__id_number", "year", "rating", "score", "note"):
        yield [person, year, _label(rating, value), float(score) if score is not None else None, note]


def vote_rows(sel: Selection) -> Iterator[list]:
    qs = _section_qs(sel, ConfidenceVote, "year", "body")
    fields = ("person__id_number", "year", "body", "high", "normal", "low", "base")
    for person, year, body, high, normal, low, base in _iter(qs, *fields):
        share = share_of(low, base)
        yield [person, year, body, high, normal, low, base,
               f"{share}%".replace(".", ",") if share is not None else ""]  # fmt: skip


def discipline_rows(sel: Selection) -> Iterator[list]:
    form = DISCIPLINES.column("form").choices
    exception_choices = DISCIPLINES.column("planning_exception").choices
    qs = _section_qs(sel, Discipline, "form", "effective_date")
    fields = ("person__id_number", "form", "effective_date", "end_date", "authority",
              "decision_number", "reason", "planning_exception")  # fmt: skip
    for person, kind, start, end, authority, decision, reason, exception in _iter(qs, *fields):
        yield [person, _label(form, kind), format_day(start), format_day(end), authority, decision, reason,
               _label(exception_choices, exception)]  # fmt: skip


def reward_rows(sel: Selection) -> Iterator[list]:
    qs = _section_qs(sel, Reward, "year", "form")
    fields = ("person__id_number", "year", "form", "authority", "decision_number")
    for row in _iter(qs, *fields):
        yield list(row)


def training_rows(sel: Selection) -> Iterator[list]:
    kind_choices = TRAININGS.column("kind").choices
    qs = _section_qs(sel, Training, "kind", "program", "start_date")
    fields = ("person__id_number", "kind", "program", "institution", "start_date", "end_date",
              "qualification")  # fmt: skip
    for person, kind, program, institution, start, end, qualification in _iter(qs, *fields):
        yield [person, _label(kind_choices, kind), program, institution, format_day(start),
               format_day(end), qualification]  # fmt: skip


def _term_writer():
    """How each term is written: its years, or its start date when the years are shared."""
    terms = list(Term.objects.values_list("body", "start_date", "end_date"))
    years: dict[tuple, int] = {}
    for body, start, end in terms:
        years[(body, start.year, end.year)] = years.get((body, start.year, end.year), 0) + 1

    def write(body, start, end) -> str:
        return write_term(start, end, ambiguous=years[(body, start.year, end.year)] > 1)

    return write


PLAN_ORDER = ("plan__planning_unit__path", "plan__term__body", "plan__term__start_date")


def plan_rows(sel: Selection) -> Iterator[list]:
    body_choices, status_choices = PLANS.column("term_body").choices, PLANS.column("status").choices
    term = _term_writer()
    qs = sel.plans().order_by("planning_unit__path", "term__body", "term__start_date")
    fields = ("planning_unit__code", "term__body", "term__start_date", "term__end_date", "name",
              "status", "approver_unit__code", "decision_number", "decision_date", "approved_on",
              "published_on", "min_minority_share")  # fmt: skip
    for (unit, body, start, end, name, status, approver, decision, decided, approved, published,
         minority) in _iter(qs, *fields):  # fmt: skip
        yield [unit, _label(body_choices, body), term(body, start, end), name,
               _label(status_choices, status), approver or "", decision, format_day(decided),
               format_day(approved), format_day(published),
               float(minority) if minority is not None else None]  # fmt: skip


def plan_position_rows(sel: Selection) -> Iterator[list]:
    body_choices = PLAN_POSITIONS.column("term_body").choices
    term = _term_writer()
    qs = PlanPosition.objects.filter(plan__in=sel.plans()).order_by(
        *PLAN_ORDER, "position__unit__path", "position__title__code"
    )
    fields = ("plan__planning_unit__code", "plan__term__body", "plan__term__start_date",
              "plan__term__end_date", "position__unit__code", "position__title__code",
              "position__title__name")  # fmt: skip
    for unit, body, start, end, position_unit, title, title_name in _iter(qs, *fields):
        yield [unit, _label(body_choices, body), term(body, start, end), position_unit, title,
               title_name]  # fmt: skip


def plan_review_rows(sel: Selection) -> Iterator[list]:
    """Reviews by plan and date; their before/after lists name positions by database id,
    so they are left out and rebuilt on import from the entries' links."""
    body_choices = PLAN_REVIEWS.column("term_body").choices
    term = _term_writer()
    qs = PlanReview.objects.filter(plan__in=sel.plans()).order_by(*PLAN_ORDER, "reviewed_on", "pk")
    fields = ("plan__planning_unit__code", "plan__term__body", "plan__term__start_date",
              "plan__term__end_date", "reviewed_on", "decision_number", "note")  # fmt: skip
    for unit, body, start, end, reviewed_on, decision, note in _iter(qs, *fields):
        yield [unit, _label(body_choices, body), term(body, start, end), format_day(reviewed_on),
               decision, note]  # fmt: skip


def plan_entry_rows(sel: Selection) -> Iterator[list]:
    choices = {c.key: c.choices for c in PLAN_ENTRIES.columns if c.choices}
    term = _term_writer()
    qs = PlanEntry.objects.filter(plan__in=sel.plans()).order_by(
        *PLAN_ORDER, "position__unit__path", "position__title__code", "person__id_number",
        "added_on", "pk",
    )  # fmt: skip
    fields = ("plan__planning_unit__code", "plan__term__body", "plan__term__start_date",
              "plan__term__end_date", "person__id_number", "position__unit__code",
              "position__title__code", "source", "added_on", "added_decision",
              "added_in_review__reviewed_on", "first_time", "removed_on", "removal_reason",
              "removal_note", "removed_in_review__reviewed_on", "person__full_name",
              "position__title__name")  # fmt: skip
    for (unit, body, start, end, person, position_unit, title, source, added, decision,
         added_in, first, removed, reason, note, removed_in, full_name,
         title_name) in _iter(qs, *fields):  # fmt: skip
        yield [unit, _label(choices["term_body"], body), term(body, start, end), person,
               position_unit, title, _label(choices["source"], source), format_day(added), decision,
               format_day(added_in), write_bool(first), format_day(removed),
               _label(choices["removal_reason"], reason), note, format_day(removed_in),
               full_name, title_name]  # fmt: skip


ROWS = {
    AREAS.key: area_rows,
    AREA_SUCCESSIONS.key: area_succession_rows,
    TITLES.key: title_rows,
    TERMS.key: term_rows,
    UNITS.key: unit_rows,
    UNIT_SUCCESSIONS.key: unit_succession_rows,
    POSITIONS.key: position_rows,
    PEOPLE.key: people_rows,
    ASSIGNMENTS.key: assignment_rows,
    EVALUATIONS.key: evaluation_rows,
    VOTES.key: vote_rows,
    DISCIPLINES.key: discipline_rows,
    REWARDS.key: reward_rows,
    TRAININGS.key: training_rows,
    PLANS.key: plan_rows,
    PLAN_POSITIONS.key: plan_position_rows,
    PLAN_REVIEWS.key: plan_review_rows,
    PLAN_ENTRIES.key: plan_entry_rows,
}


def selection_for(*, user, unit_code: str | None, exported_at: dt.datetime | None = None) -> Selection:
    root = None
    if unit_code:
        qs = Unit.objects.filter(code=unit_code)
        if user is not None:
            qs = scope.restrict(qs, user)
        root = qs.first()
        if root is None:
            raise ExportError(_("Không có đơn vị mã “%(code)s” trong phạm vi của bạn.") % {"code": unit_code})
    return Selection(user=user, root=root, exported_at=exported_at or timezone.now())


def meta_rows(sel: Selection) -> list[tuple[str, str]]:
    when = timezone.localtime(sel.exported_at)
    rows = [
        ("Định dạng", FORMAT_NAME),
        ("Phiên bản", str(FORMAT_VERSION)),
        ("Thời điểm xuất", when.strftime("%d/%m/%Y %H:%M:%S")),
        ("Đơn vị", f"{sel.root.code} – {sel.root.name}" if sel.root else
                   _("Toàn bộ") if sel.everything else
                   _("Toàn bộ phạm vi của tài khoản %(u)s") % {"u": sel.user.get_username()}),
    ]
    return rows


def _start_sheet(book: xlsx.StreamingWorkbook, sheet: Sheet, part: int = 1) -> xlsx.Sheet:
    widths = [max(12, min(40, len(c.header) + 4)) for c in sheet.columns]
    styles = [xlsx.TEXT if c.kind in TEXT_KINDS or c.readonly else None for c in sheet.columns]
    ws = book.add_sheet(continuation_title(sheet.title, part), widths, styles)
    ws.write_row([c.header for c in sheet.columns],
                 [xlsx.READONLY_HEADER if c.readonly else xlsx.HEADER for c in sheet.columns])  # fmt: skip
    return ws


def write_xlsx(sel: Selection, target: IO[bytes] | str) -> Selection:
    book = xlsx.StreamingWorkbook(target, created=sel.exported_at)
    for sheet in SHEETS:
        ws = _start_sheet(book, sheet)
        count = 0
        part = 1
        for values in ROWS[sheet.key](sel):
            count += 1
            if ws.row > MAX_SHEET_ROWS:
                # A worksheet holds 1,048,576 rows: the rest goes on "Đánh giá (2)", … .
                part += 1
                ws = _start_sheet(book, sheet, part)
            ws.write_row(values)
        sel.counts[sheet.title] = count
    meta = book.add_sheet(META_TITLE, [24, 50], [None, xlsx.TEXT], position=0)
    rows = meta_rows(sel) + [(_("Số dòng – %(s)s") % {"s": t}, str(n)) for t, n in sel.counts.items()]
    for key, value in rows:
        meta.write_row([key, value], [xlsx.HEADER, xlsx.TEXT])
    book.close()
    return sel


def write_json(sel: Selection, out: IO[str]) -> Selection:
    meta = dict(meta_rows(sel))
    out.write('{"meta": ' + json.dumps(meta, ensure_ascii=False) + ',\n "sheets": {')
    for index, sheet in enumerate(SHEETS):
        keys = [c.key for c in sheet.columns]
        out.write(("," if index else "") + f"\n  {json.dumps(sheet.key)}: [")
        count = 0
        for count, values in enumerate(ROWS[sheet.key](sel), start=1):
            row = {k: v for k, v in zip(keys, values, strict=True) if v not in (None, "")}
            out.write(("," if count > 1 else "") + "\n   " + json.dumps(row, ensure_ascii=False))
        out.write("\n  ]")
        sel.counts[sheet.title] = count
    out.write("\n }\n}\n")
    return sel


