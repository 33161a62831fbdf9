"""Importing plans, the positions they cover, their reviews and their entries.

The rules are those the planning services keep (`canbo.planning.services`),
checked on each plan and entry as the package leaves it; a status the package
gives is recorded in the plan's history as a change made by the import.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.core import scope
from canbo.core.audit import AccessKind, AuditAction, created_changes, record_rows, record_writes
from canbo.core.dates import format_day
from canbo.core.db import insert_objects
from canbo.exchange import cells
from canbo.exchange.importer import STAMPS, NewRef, Op, PackageImport, chunks
from canbo.exchange.parsing import Row
from canbo.exchange.report import Counts
from canbo.exchange.sheets import Sheet
from canbo.organizations.models import Term
from canbo.organizations.package import importing as units
from canbo.organizations.package.sheets import TERMS
from canbo.people.models import Person
from canbo.people.package import importing as people
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

from .sheets import PLAN_ENTRIES, PLAN_POSITIONS, PLAN_REVIEWS, PLANS

# The columns of an entry that name a review of its plan by date, and the link each sets.
REVIEW_LINKS = {"added_review": "added_in_review_id", "removed_review": "removed_in_review_id"}
# What a status change made by an import records as its reason in the plan's history.
IMPORT_TRANSITION_REASON = "Nhập từ gói dữ liệu."
PLAN_SHEETS = (PLANS, PLAN_POSITIONS, PLAN_REVIEWS, PLAN_ENTRIES)


class PlanningImport:
    """Planning's share of one import: its state lives here, between plan and apply."""

    def __init__(self, imp: PackageImport):
        self.imp = imp
        self.db_plan_positions: dict | None = None  # (plan pk, position pk) -> pk

    def plan_planning(self) -> None:
        """Plans, their covered positions and entries: keys, references, rules, matching."""
        self._planning_setup()
        if PLANS.key in self.imp.rows:
            self.plan_plans()
        self.covered: dict[tuple, Op | None] = {}
        if PLAN_POSITIONS.key in self.imp.rows:
            self.plan_plan_positions()
        self._load_reviews()
        if PLAN_REVIEWS.key in self.imp.rows:
            self.plan_reviews()
        if PLAN_ENTRIES.key in self.imp.rows:
            self.plan_entries()
        self.plan_review_lists()

    def _planning_setup(self) -> None:
        # Terms by body: the database's, as the package's Terms sheet leaves them.
        stored = Term.objects.values_list("pk", "body", "start_date", "end_date")
        terms: dict[tuple, tuple] = {(body, start): (end, pk) for pk, body, start, end in stored}
        for op in self.imp.ops.get(TERMS.key, ()):
            key = (op.values["body"], op.values["start_date"])
            terms[key] = (op.values["end_date"], op.pk or NewRef("term", key))
        self.terms: dict[str, list[tuple]] = defaultdict(list)
        for (body, start), (end, ref) in terms.items():
            self.terms[body].append((start, end, ref))
        # Plans of the planning units the package names, with every field.
        codes = {
            row.values.get("planning_unit") for s in PLAN_SHEETS for row in self.imp.rows.get(s.key, ())
        }
        unit_pks = sorted(self.imp.db["unit"][c]["pk"] for c in codes if c in self.imp.db["unit"])
        attnames = [f.attname for f in Plan._meta.concrete_fields]
        self.db_plans: dict[tuple, dict] = {}
        for chunk in chunks(unit_pks):
            for row in Plan.objects.filter(planning_unit_id__in=chunk).values("pk", *attnames):
                self.db_plans[(row["planning_unit_id"], row["term_id"])] = row
        self.plan_refs: dict[tuple, Any] = {}  # (planning unit, term) -> plan pk or NewRef

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
        label = self.imp.catalog(sheet.column("term_body").choices).label_of.get(body, body)
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
        self.imp.problem(sheet, row, column, shown, message)
        return None

    def resolve_plan(self, sheet: Sheet, row: Row) -> tuple:
        """(plan pk or NewRef, planning unit pk or NewRef), or (None, None) when not found."""
        unit = self.imp.resolve(sheet, row, sheet.column("planning_unit"))
        term = self.resolve_term(sheet, row)
        if unit is None or term is None:
            return None, None
        key = (unit, term)
        ref = self.plan_refs.get(key)
        if ref is None and key in self.db_plans:
            ref = self.db_plans[key]["pk"]
        if ref is None:
            self.imp.problem(sheet, row, sheet.column("planning_unit"), row.values["planning_unit"],
                         _("Không có quy hoạch của đơn vị “%(unit)s” cho nhiệm kỳ này trong sheet "
                           "Quy hoạch của gói hay trong hệ thống.")
                         % {"unit": row.values["planning_unit"]})  # fmt: skip
            return None, None
        return ref, unit

    def plan_plans(self) -> None:
        sheet = PLANS
        keys = ("planning_unit", "term_body", "term")
        attname = {"approver_unit": "approver_unit_id"}
        seen: dict = {}
        for row in self.imp.rows[sheet.key]:
            if row.bad:
                continue
            unit = self.imp.resolve(sheet, row, sheet.column("planning_unit"))
            term = self.resolve_term(sheet, row)
            values = {"planning_unit_id": unit, "term_id": term}
            absent = row.values["_absent"]
            for column in sheet.writable:
                if column.key in keys or column.key in absent:
                    continue
                if column.kind == "unit":
                    values[attname[column.key]] = self.imp.resolve(sheet, row, column)
                else:
                    values[column.key] = row.values[column.key]
            if row.bad:
                continue
            key = (unit, term)
            if self.imp.duplicate(sheet, row, seen, key, sheet.column("planning_unit")):
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
                self.imp.compare(op, current, values.keys())
            self.imp.ops[sheet.key].append(op)
            self.imp.count(sheet, op)

    def _plan_rules(self, sheet: Sheet, row: Row, plan: dict) -> None:
        """The checks the planning services make, on the plan as the package leaves it."""
        status = plan["status"]
        needed = []
        if status in (PlanStatus.APPROVED, PlanStatus.PUBLISHED):
            needed = ["approver_unit", "decision_number", "decision_date"]
        if status == PlanStatus.PUBLISHED:
            needed.append("published_on")
        label = self.imp.catalog(PlanStatus).label_of[status]
        for name in needed:
            if not plan[name]:
                self.imp.problem(sheet, row, sheet.column(name), "",
                             _("Quy hoạch ở trạng thái “%(s)s” phải có ô này.") % {"s": label})  # fmt: skip
        today = timezone.localdate()
        for name in ("decision_date", "published_on"):
            if plan[name] and plan[name] > today:
                self.imp.problem(sheet, row, sheet.column(name), plan[name],
                             _("Ngày này không được sau ngày hôm nay."))  # fmt: skip
        decided, approved = plan["decision_date"], plan["approved_on"]
        published = plan["published_on"]
        if decided and approved and approved < decided:
            self.imp.problem(sheet, row, sheet.column("approved_on"), plan["approved_on"],
                         _("Ngày phê duyệt không được trước ngày quyết định."))  # fmt: skip
        approved = approved or decided  # as the services default it
        if approved and published and published < approved:
            self.imp.problem(sheet, row, sheet.column("published_on"), plan["published_on"],
                         _("Ngày công bố không được trước ngày phê duyệt."))  # fmt: skip
        approver = row.values.get("approver_unit")
        given = approver and "approver_unit" not in row.values["_absent"]
        if given and not units.is_at_or_above(self.imp, approver, row.values["planning_unit"]):
            self.imp.problem(sheet, row, sheet.column("approver_unit"), approver,
                         _("Cấp phê duyệt phải là chính đơn vị lập quy hoạch hoặc đơn vị cấp "
                           "trên."))  # fmt: skip

    def _db_plan_pks(self) -> list[int]:
        return sorted(row["pk"] for row in self.db_plans.values())

    def stored_plan_positions(self) -> dict:
        """The positions the package's stored plans cover: (plan, position) -> pk."""
        if self.db_plan_positions is None:
            self.db_plan_positions = {}
            for chunk in chunks(self._db_plan_pks()):
                stored = PlanPosition.objects.filter(plan_id__in=chunk)
                for pk, plan, position in stored.values_list("pk", "plan_id", "position_id"):
                    self.db_plan_positions[(plan, position)] = pk
        return self.db_plan_positions

    def plan_plan_positions(self) -> None:
        sheet = PLAN_POSITIONS
        existing = self.stored_plan_positions()
        seen: dict = {}
        for row in self.imp.rows[sheet.key]:
            if row.bad:
                continue
            plan, unit = self.resolve_plan(sheet, row)
            position = units.resolve_position(self.imp, sheet, row)
            if row.bad or plan is None or position is None:
                continue
            key = (plan, position)
            if self.imp.duplicate(sheet, row, seen, key, sheet.column("unit")):
                continue
            values = {"plan_id": plan, "position_id": position}
            op = Op(sheet=sheet, row=row, values=values, pk=existing.get(key))
            op.extra["unit"] = unit
            self.covered[key] = op
            self.imp.ops[sheet.key].append(op)
            self.imp.count(sheet, op)

    def _load_reviews(self) -> None:
        """The stored reviews of the package's plans, by (plan, date) and their dates by pk."""
        self.db_reviews: dict[tuple, dict] = {}
        self.review_days: dict[int, Any] = {}
        for chunk in chunks(self._db_plan_pks()):
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
        for row in self.imp.rows[sheet.key]:
            if row.bad:
                continue
            plan, unit = self.resolve_plan(sheet, row)
            if row.bad or plan is None:
                continue
            day = row.values["reviewed_on"]
            key = (plan, day)
            if self.imp.duplicate(sheet, row, seen, key, sheet.column("reviewed_on")):
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
                self.imp.problem(sheet, row, sheet.column("reviewed_on"), day,
                             _("Ngày này không được sau ngày hôm nay."))  # fmt: skip
                continue
            if current:
                self.imp.compare(op, current, values.keys())
            self.imp.ops[sheet.key].append(op)

    def plan_review_lists(self) -> None:
        """Rebuild the lists before and after of the reviews the package creates, and of the
        stored reviews whose entries it links or unlinks; other reviews keep theirs.

        The lists name positions by database id, so the package does not carry them; they
        follow from the entries and their links (`services.review_members`).
        """
        links = set(REVIEW_LINKS.values())
        entry_ops = self.imp.ops.get(PLAN_ENTRIES.key, [])
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
        for chunk in chunks(plans):
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
                self.imp.ops[PLAN_REVIEWS.key].append(op)
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
        for op in self.imp.ops.get(PLAN_REVIEWS.key, ()):
            if not op.extra.get("implicit"):
                self.imp.count(PLAN_REVIEWS, op)
            elif op.changed:
                self.imp.counts.setdefault(PLAN_REVIEWS.title, Counts()).updated += 1

    def plan_entries(self) -> None:
        sheet = PLAN_ENTRIES
        keys = ("planning_unit", "term_body", "term", "person", "unit", "title")
        rows = [r for r in self.imp.rows[sheet.key] if not r.bad]
        known = people.load_people(self.imp, rows)
        attnames = [f.attname for f in PlanEntry._meta.concrete_fields if f.name != "id"]
        existing: dict = {}
        stored: list[dict] = []
        occurrences: dict = defaultdict(int)
        for chunk in chunks(self._db_plan_pks()):
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
            # Planning may name people beyond the actor's scope (planning from elsewhere).
            person = people.named_person(self.imp, sheet, row, person_column, id_number,
                                         action=None)  # fmt: skip
            held = known.stored.get(id_number) if id_number not in known.package else None
            if person is not None and held and self.imp.outside(held["unit__path"], scope.VIEW):
                elsewhere[person] = None
            position = units.resolve_position(self.imp, sheet, row)
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
                self.imp.compare(op, current, values.keys())
            self.imp.ops[sheet.key].append(op)
            self.imp.count(sheet, op)
        self._check_one_active(sheet, stored)
        self._cover_entry_positions()
        if elsewhere:
            # Planning may name people from elsewhere (ADR 0010 §1), and the answer tells
            # they exist: one access-log entry per import, dry run or not. Not counted
            # against the per-number lookup rate: bulk planning lists are legitimate.
            record_rows(actor=self.imp.actor, kind=AccessKind.LOOKUP, model=Person,
                        query=f"import={sheet.title} outside={len(elsewhere)}",
                        person_ids=list(elsewhere))  # fmt: skip

    def _entry_rules(self, sheet: Sheet, row: Row, entry: dict) -> None:
        today = timezone.localdate()
        for name in ("added_on", "removed_on"):
            if entry[name] and entry[name] > today:
                self.imp.problem(sheet, row, sheet.column(name), entry[name],
                             _("Ngày này không được sau ngày hôm nay."))  # fmt: skip
        removed, reason = entry["removed_on"], entry["removal_reason"]
        if removed and removed < entry["added_on"]:
            self.imp.problem(sheet, row, sheet.column("removed_on"), removed,
                         _("Ngày đưa ra không được trước ngày đưa vào quy hoạch."))  # fmt: skip
        if removed and not reason:
            self.imp.problem(sheet, row, sheet.column("removal_reason"), "",
                         _("Đưa ra khỏi quy hoạch phải có ngày và lý do."))  # fmt: skip
        if reason and not removed:
            self.imp.problem(sheet, row, sheet.column("removed_on"), "",
                         _("Đưa ra khỏi quy hoạch phải có ngày và lý do."))  # fmt: skip
        if reason == RemovalReason.OTHER and not entry["removal_note"]:
            self.imp.problem(sheet, row, sheet.column("removal_note"), "",
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
                self.imp.problem(sheet, row, sheet.column(name), day,
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
            self.imp.problem(sheet, row, column, entry[column.key], message)

    def _check_one_active(self, sheet: Sheet, stored: list[dict]) -> None:
        """One entry not yet removed per plan, person and position, as the package leaves them."""
        ops = self.imp.ops[sheet.key]
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
            self.imp.problem(sheet, op.row, sheet.column("removed_on"), "",
                         _("Cán bộ này đã có trong quy hoạch cho chức danh này (%(w)s): mỗi người "
                           "chỉ có một dòng chưa đưa ra cho một chức danh.") % {"w": where})  # fmt: skip

    def _cover_entry_positions(self) -> None:
        """A plan covers the position of each of its entries, as the services make it."""
        sheet = PLAN_POSITIONS
        for op in self.imp.ops[PLAN_ENTRIES.key]:
            key = (op.values["plan_id"], op.values["position_id"])
            if key in self.covered or self.stored_plan_positions().get(key):
                continue
            cover = Op(sheet=sheet, row=op.row, values={"plan_id": key[0], "position_id": key[1]})
            cover.extra.update(unit=op.extra["unit"], implicit=True)
            self.covered[key] = cover
            self.imp.ops[sheet.key].append(cover)
            self.imp.counts.setdefault(sheet.title, Counts()).created += 1

    def apply_planning(self) -> None:
        now = timezone.now()
        ops = self.imp.ops.get(PLANS.key, [])
        plans = [
            Plan(**{k: self.imp.pk_of(v) for k, v in op.values.items()}) for op in ops if op.pk is None
        ]
        insert_objects(Plan, plans)
        for plan in plans:
            self.imp.created["plan"][(plan.planning_unit_id, plan.term_id)] = plan.pk
        changed = [op for op in ops if op.pk is not None and op.changed]
        self.imp.bulk_update(Plan, changed, extra={op.pk: {"updated_at": now} for op in changed})
        self.imp.audit_created(PLANS, plans, exclude=STAMPS)
        self.imp.audit_updated(
            PLANS, changed, lambda op: op.row.values.get("name") or op.row.values["planning_unit"]
        )
        self._record_transitions(ops, plans, now)

        ops = self.imp.ops.get(PLAN_POSITIONS.key, [])
        new = [(PlanPosition(**{k: self.imp.pk_of(v) for k, v in op.values.items()}), op)
               for op in ops if op.pk is None]  # fmt: skip
        insert_objects(PlanPosition, [obj for obj, _op in new])
        self.imp.audit_created(PLAN_POSITIONS, [(obj.pk, obj.__dict__, self._entry_text(op))
                                            for obj, op in new])  # fmt: skip
        self.apply_reviews()

        ops = self.imp.ops.get(PLAN_ENTRIES.key, [])
        # Removals first: a person taken out and planned again for the same position must
        # not have two entries in force, even for a moment (a database constraint).
        changed = [op for op in ops if op.pk is not None and op.changed]
        self.imp.bulk_update(PlanEntry, changed, extra={op.pk: {"updated_at": now} for op in changed})
        new = [(PlanEntry(**{k: self.imp.pk_of(v) for k, v in op.values.items()}), op)
               for op in ops if op.pk is None]  # fmt: skip
        insert_objects(PlanEntry, [obj for obj, _op in new])
        self.imp.audit_created(PLAN_ENTRIES, [(obj.pk, obj.__dict__, self._entry_text(op))
                                          for obj, op in new], exclude=STAMPS)  # fmt: skip
        self.imp.audit_updated(PLAN_ENTRIES, changed)

    def apply_reviews(self) -> None:
        """New reviews, with their lists; stored ones whose fields or lists change."""
        ops = self.imp.ops.get(PLAN_REVIEWS.key, [])
        for op in ops:
            if "members" not in op.extra:
                continue
            for name, pairs in zip(("before", "after"), op.extra["members"], strict=True):
                if op.pk is None or name in op.changed:
                    op.values[name] = review_list((id_number, self.imp.pk_of(position))
                                                  for id_number, position in pairs)  # fmt: skip
        actor_id = self.imp.actor.pk if getattr(self.imp.actor, "pk", None) else None
        new = [(PlanReview(actor_id=actor_id, **{k: self.imp.pk_of(v) for k, v in op.values.items()}), op)
               for op in ops if op.pk is None]  # fmt: skip
        insert_objects(PlanReview, [obj for obj, _op in new])
        for obj, _op in new:
            self.imp.created["review"][(obj.plan_id, obj.reviewed_on)] = obj.pk
        changed = [op for op in ops if op.pk is not None and op.changed]
        self.imp.bulk_update(PlanReview, changed)
        self.imp.audit_created(PLAN_REVIEWS, [(obj.pk, obj.__dict__, self._review_text(op))
                                          for obj, op in new], exclude=("created_at",))  # fmt: skip
        self.imp.audit_updated(PLAN_REVIEWS, changed, self._review_text)

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
        actor_id = self.imp.actor.pk if getattr(self.imp.actor, "pk", None) else None
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
            record_writes(actor=self.imp.actor, action=AuditAction.CREATE, model=PlanTransition,
                          items=((t.pk, changes(t.__dict__), str(t)) for t in rows))  # fmt: skip


    def check_scope(self) -> None:
        """Plans, their positions, reviews and entries: the planning unit must be one the
        editor edits (the people planned need not be: planning from elsewhere is allowed)."""
        for sheet in (PLANS, PLAN_REVIEWS, PLAN_ENTRIES, PLAN_POSITIONS):
            for op in self.imp.ops.get(sheet.key, ()):
                if not op.writes or units.unit_editable(self.imp, op.extra["unit"]):
                    continue
                if op.extra.get("implicit") and op.row.bad:
                    continue  # its entry's row is reported already
                # A position covered because of an entry is reported on the entry's row.
                where = PLAN_ENTRIES if op.extra.get("implicit") else sheet
                column = where.column("planning_unit")
                self.imp.problem(where, op.row, column, op.row.values["planning_unit"],
                                 units.OUTSIDE)  # fmt: skip


def planning(imp: PackageImport) -> PlanningImport:
    return imp.state_of("planning", lambda: PlanningImport(imp))


def plan(imp: PackageImport) -> None:
    planning(imp).plan_planning()


def check_scope(imp: PackageImport) -> None:
    planning(imp).check_scope()


def apply(imp: PackageImport) -> None:
    planning(imp).apply_planning()
