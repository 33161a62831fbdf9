"""Importing appointment cases, their steps and the agreed tallies of their closed steps.

The rules are those the services keep (`canbo.appointments.services` for cases,
`canbo.appointments.steps` for steps and tallies), checked on each record as the package
leaves it (its rows over the stored records). What a package cannot change: a case or a
step already closed in the database (as the services refuse it), and tally entries typed
in the database while a step is open (work in progress, never overwritten). A closed
ballot step's tally is stored as its two entries, both by the importing account (ADR 0026).

Scope: a case's competent body must be a unit the importing account edits, and its person
and the candidates of its tallies people it sees; either out of scope gets the answer an
unknown code or number gets (ADR 0010 §1).
"""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.appointments.choices import BALLOT_STEPS, CaseKind, CaseOutcome, StepNumber, StepResult
from canbo.appointments.models import AppointmentCase, CaseStep, StepTally, TallyLine
from canbo.appointments.services import WITH_TERM, term_end_for
from canbo.appointments.steps import result_for
from canbo.core import double_entry, scope
from canbo.core.audit import AuditAction, record_writes
from canbo.core.dates import format_day
from canbo.core.db import insert_objects
from canbo.exchange.importer import STAMPS, NewRef, Op, PackageImport, chunks
from canbo.exchange.parsing import Row
from canbo.exchange.sheets import Sheet
from canbo.organizations.package import importing as units
from canbo.people.package import importing as people

from .sheets import APPOINTMENT_CASES, CASE_KEYS, CASE_STEPS, STEP_TALLIES

CASE_SHEETS = (APPOINTMENT_CASES, CASE_STEPS, STEP_TALLIES)
CASE_FIELDS = ("person_id", "kind", "position_id", "competent_unit_id", "opened_on")
DECISION_COLUMNS = ("decision_number", "decision_date", "term_start", "term_end")
HEAD = {StepResult.HEAD_AGREED: True, StepResult.HEAD_REFUSED: False}
NO_ACTOR = (
    "Kết quả kiểm phiếu được lưu là hai lần nhập của tài khoản nhập gói: hãy nhập gói bằng "
    "một tài khoản (lệnh canbo import: --user)."
)


def _closed(when) -> str:
    return _("Quy trình này đã kết thúc ngày %(date)s.") % {"date": format_day(when)}


def _step_closed(number: int, when) -> str:
    return _("%(step)s đã kết thúc ngày %(date)s: không sửa được nữa.") % {
        "step": _("Bước %(n)d") % {"n": number}, "date": format_day(when),
    }  # fmt: skip


class AppointmentsImport:
    """The appointments part's share of one import, between plan and apply."""

    def __init__(self, imp: PackageImport):
        self.imp = imp
        self.today = timezone.localdate()
        self.cases: dict[tuple, dict] = {}  # case key -> the case as the package leaves it
        self.steps: dict[tuple, dict] = {}  # (case ref, number) -> the step as left
        self.tallies: dict[tuple, dict] = {}  # (case ref, number) -> the package's figures
        self.case_of_ref: dict[Any, dict] = {}
        self.step_ops: list[Op] = []

    # --- loading ------------------------------------------------------------------

    def load(self) -> None:
        """The stored cases of the competent bodies the package names, their steps and the
        first two entries of their tallies."""
        codes = {row.values.get("competent_unit") for s in CASE_SHEETS
                 for row in self.imp.rows.get(s.key, ())}  # fmt: skip
        unit_pks = sorted(self.imp.db["unit"][c]["pk"] for c in codes if c in self.imp.db["unit"])
        attnames = [f.attname for f in AppointmentCase._meta.concrete_fields]
        self.db_cases: dict[tuple, dict] = {}
        self.db_open: list[dict] = []
        for chunk in chunks(unit_pks):
            stored = AppointmentCase.objects.filter(competent_unit_id__in=chunk).order_by("pk")
            for row in stored.values(*attnames):
                self.db_cases.setdefault(tuple(row[f] for f in CASE_FIELDS), row)
                if row["closed_on"] is None:
                    self.db_open.append(row)
        case_pks = sorted(row["id"] for row in self.db_cases.values())
        step_names = [f.attname for f in CaseStep._meta.concrete_fields]
        self.db_steps: dict[tuple, dict] = {}  # (case pk, number) -> stored step
        entries: dict[int, dict[int, dict]] = defaultdict(dict)  # step pk -> round -> entry
        for chunk in chunks(case_pks):
            for row in CaseStep.objects.filter(case_id__in=chunk).values(*step_names):
                self.db_steps[(row["case_id"], row["number"])] = row
            tallies = StepTally.objects.filter(step__case_id__in=chunk)
            for pk, step, round_no, valid, invalid in tallies.values_list(
                "pk", "step_id", "round", "ballots_valid", "ballots_invalid"
            ):
                entries[step][round_no] = {"pk": pk, "ballots": (valid, invalid), "lines": {}}
            lines = TallyLine.objects.filter(tally__step__case_id__in=chunk)
            for step, round_no, candidate, votes_for, against in lines.values_list(
                "tally__step_id", "tally__round", "candidate_id", "votes_for", "votes_against"
            ):
                entries[step][round_no]["lines"][candidate] = (votes_for, against)
        self.db_entries = entries

    def stored_figures(self, step_pk) -> dict | None:
        """A stored step's tally when both entries are in and agree; {} when it has no
        entry; None when its entries are work in progress (one, or two that differ)."""
        found = self.db_entries.get(step_pk, {}) if step_pk else {}
        if not found:
            return {}
        first, second = found.get(1), found.get(2)
        if first is None or second is None:
            return None
        if (first["ballots"], first["lines"]) != (second["ballots"], second["lines"]):
            return None
        return {"ballots": first["ballots"], "lines": first["lines"]}

    # --- naming a case -----------------------------------------------------------

    def competent(self, sheet: Sheet, row: Row):
        """The competent body a row names: a unit the actor edits, else None with the answer
        an unknown code gets (a body beyond the actor's scope is not revealed)."""
        column = sheet.column("competent_unit")
        ref = self.imp.resolve(sheet, row, column)
        if ref is None or self.imp.admin or units.unit_editable(self.imp, ref):
            return ref
        code = row.values["competent_unit"]
        message = _("Không có %(what)s mã “%(code)s” trong gói hay trong hệ thống.") % {
            "what": self.imp.references["unit"].label, "code": code,
        }  # fmt: skip
        self.imp.problem(sheet, row, column, code, message)
        return None

    def case_key(self, sheet: Sheet, row: Row) -> tuple | None:
        """The natural key of the case a row names, its references resolved (or None)."""
        id_number = row.values["person"]
        person = people.named_person(self.imp, sheet, row, sheet.column("person"), id_number,
                                     action=scope.VIEW)  # fmt: skip
        position = units.resolve_position(self.imp, sheet, row)
        competent = self.competent(sheet, row)
        if person is None or position is None or competent is None:
            return None
        return (person, row.values["kind"], position, competent, row.values["opened_on"])

    def named_case(self, sheet: Sheet, row: Row) -> dict | None:
        """The case a Steps or Tallies row names, as the package leaves it (or None)."""
        key = self.case_key(sheet, row)
        if key is None:
            return None
        case = self.cases.get(key)
        if case is None and key in self.db_cases:
            case = self.cases[key] = self._case_as_left(key, self.db_cases[key], None)
        if case is None:
            self.imp.problem(sheet, row, sheet.column("opened_on"), row.values["opened_on"],
                             _("Không có hồ sơ này trong sheet Hồ sơ bổ nhiệm của gói hay trong "
                               "hệ thống."))  # fmt: skip
        return case

    @staticmethod
    def _case_as_left(key: tuple, merged: dict, op: Op | None) -> dict:
        stored_closed = merged.get("_stored_closed_on") if op else merged["closed_on"]
        return {"key": key, "ref": op.pk or NewRef("appointment_case", key) if op else merged["id"],
                "person": key[0], "internal": merged["internal"], "opened_on": key[4],
                "closed_on": merged["closed_on"], "stored_closed_on": stored_closed, "op": op}  # fmt: skip

    # --- cases --------------------------------------------------------------------

    def plan_cases(self) -> None:
        sheet = APPOINTMENT_CASES
        seen: dict = {}
        for row in self.imp.rows[sheet.key]:
            if row.bad:
                continue
            key = self.case_key(sheet, row)
            if row.bad or key is None:
                continue
            if self.imp.duplicate(sheet, row, seen, key, sheet.column("person")):
                continue
            values = dict(zip(CASE_FIELDS, key, strict=True))
            absent = row.values["_absent"]
            for column in sheet.writable:
                if column.key not in CASE_KEYS and column.key not in absent:
                    values[column.key] = row.values[column.key]
            current = self.db_cases.get(key)
            merged = {c.key: row.values[c.key] for c in sheet.writable if c.key not in CASE_KEYS}
            merged["opened_on"] = key[4]
            if current:
                merged.update((name, current[name]) for name in absent if name in merged)
            self._with_term(row, merged, values)
            op = Op(sheet=sheet, row=row, values=values, pk=current["id"] if current else None)
            merged["_stored_closed_on"] = current["closed_on"] if current else None
            self.cases[key] = self._case_as_left(key, merged, op)
            self._case_rules(sheet, row, key, merged)
            if current:
                self.imp.compare(op, current, values.keys())
                if op.changed and current["closed_on"] is not None:
                    column = sheet.column(op.changed[0].removesuffix("_id"))
                    self.imp.problem(sheet, row, column, row.values.get(column.key, ""),
                                     _closed(current["closed_on"]))  # fmt: skip
            if row.bad:
                continue
            self.imp.ops[sheet.key].append(op)
            self.imp.count(sheet, op)
        self._one_open_case(sheet)

    @staticmethod
    def _with_term(row: Row, merged: dict, values: dict) -> None:
        """An appointment or reappointment decided gets its term of office: from the decision
        unless the package says otherwise, five years (A8), as `case_close` gives it."""
        if merged["outcome"] != CaseOutcome.DECIDED or row.values["kind"] not in WITH_TERM:
            return
        if merged["decision_date"] is None:
            return  # reported by the rules
        merged["term_start"] = merged["term_start"] or merged["decision_date"]
        merged["term_end"] = merged["term_end"] or term_end_for(merged["term_start"])
        values["term_start"], values["term_end"] = merged["term_start"], merged["term_end"]

    def _case_rules(self, sheet: Sheet, row: Row, key: tuple, case: dict) -> None:
        """The checks `case_open`, `case_record_dossier`, `case_close` and the case's database
        constraints make, on the case as the package leaves it."""

        def report(name: str, message: str) -> None:
            self.imp.problem(sheet, row, sheet.column(name), case[name], message)

        for name in ("opened_on", "dossier_received_on", "dossier_complete_on", "closed_on",
                     "decision_date"):  # fmt: skip
            if case[name] and case[name] > self.today:
                report(name, _("Ngày này không được sau ngày hôm nay."))
        opened, received, complete = case["opened_on"], case["dossier_received_on"], case["dossier_complete_on"]
        if received and received < opened:
            report("dossier_received_on", _("Ngày nhận hồ sơ không được trước ngày bắt đầu quy trình."))
        if complete and not received:
            report("dossier_received_on", _("Có ngày hồ sơ đầy đủ thì phải có ngày nhận hồ sơ."))
        elif complete and complete < received:
            report("dossier_complete_on", _("Ngày hồ sơ đầy đủ không được trước ngày nhận hồ sơ."))
        closed, outcome, decided = case["closed_on"], case["outcome"], case["decision_date"]
        if bool(closed) != bool(outcome):
            report("outcome" if closed else "closed_on", _("Kết thúc quy trình phải có ngày và kết quả."))
        if closed and closed < opened:
            report("closed_on", _("Ngày kết thúc không được trước ngày bắt đầu."))
        if decided and decided < opened:
            report("decision_date", _("Ngày quyết định không được trước ngày bắt đầu quy trình."))
        if outcome == CaseOutcome.DECIDED:
            if not case["decision_number"]:
                report("decision_number", _("Hãy nhập số quyết định."))
            if decided is None:
                report("decision_date", _("Hãy nhập ngày quyết định."))
            elif closed and decided > closed:
                report("decision_date", _("Ngày quyết định không được sau ngày kết thúc quy trình."))
        else:
            given = next((name for name in DECISION_COLUMNS if case[name]), None)
            if given and outcome == CaseOutcome.STOPPED:
                report(given, _("Quy trình dừng lại không có quyết định: không nhập số, ngày "
                                "quyết định và thời hạn."))  # fmt: skip
            elif given:
                report(given, _("Quy trình chưa kết thúc không có quyết định: không nhập số, "
                                "ngày quyết định và thời hạn."))  # fmt: skip
        start, end = case["term_start"], case["term_end"]
        if end and (start is None or end <= start):
            report("term_end", _("Thời hạn giữ chức vụ phải kết thúc sau khi bắt đầu."))
        if row.values["kind"] != CaseKind.NOMINATE and (case["election_on"] or case["seats"] is not None):
            report("election_on" if case["election_on"] else "seats",
                   _("Ngày bầu cử và số lượng cần bầu chỉ dùng cho hồ sơ giới thiệu ứng cử."))
        if case["seats"] is not None and case["seats"] < 1:
            report("seats", _("Số lượng cần bầu phải từ 1 trở lên."))
        competent = row.values["competent_unit"]
        if not units.is_at_or_above(self.imp, competent, row.values["unit"]):
            self.imp.problem(sheet, row, sheet.column("unit"), row.values["unit"],
                             _("Chức danh này không thuộc phạm vi của cấp có thẩm quyền đã "
                               "chọn."))  # fmt: skip

    def _one_open_case(self, sheet: Sheet) -> None:
        """One open case per person, post and kind at one body, as the package leaves them
        (the stored cases looked at are those of the bodies the package names)."""
        matched = {case["op"].pk for case in self.cases.values() if case["op"] and case["op"].pk}
        open_cases: dict[tuple, list] = defaultdict(list)
        for key, case in self.cases.items():
            if case["op"] is not None and case["closed_on"] is None:
                open_cases[(key[0], key[1], key[2], key[3])].append(case)
        for stored in self.db_open:
            key = tuple(stored[f] for f in CASE_FIELDS[:4])
            if stored["id"] not in matched and key in open_cases:
                open_cases[key].append({"opened_on": stored["opened_on"], "op": None})
        for found in open_cases.values():
            for case in found:
                others = [o for o in found if o is not case]
                if not others or case["op"] is None:
                    continue
                first = min(others, key=lambda o: o["opened_on"])
                row = case["op"].row
                kind = self.imp.catalog(sheet.column("kind").choices).label_of[row.values["kind"]]
                self.imp.problem(sheet, row, sheet.column("closed_on"), "",
                                 _("Cán bộ này đã có hồ sơ %(kind)s chức danh này đang mở từ "
                                   "%(date)s.") % {"kind": kind.lower(),
                                                   "date": format_day(first["opened_on"])})  # fmt: skip

    # --- steps --------------------------------------------------------------------

    def plan_steps(self) -> None:
        sheet = CASE_STEPS
        seen: dict = {}
        for row in self.imp.rows[sheet.key]:
            if row.bad:
                continue
            case = self.named_case(sheet, row)
            number = row.values["number"]
            if number not in StepNumber.values:
                self.imp.problem(sheet, row, sheet.column("number"), number,
                                 _("Bước phải từ 1 đến 5."))  # fmt: skip
            if row.bad or case is None:
                continue
            key = (case["ref"], number)
            if self.imp.duplicate(sheet, row, seen, key, sheet.column("number")):
                continue
            current = None if isinstance(case["ref"], NewRef) else self.db_steps.get(key)
            values = {"case_id": case["ref"], "number": number}
            absent = row.values["_absent"]
            fields = ("held_on", "summoned", "present", "closed_on", "result", "note")
            values.update((name, row.values[name]) for name in fields if name not in absent)
            merged = {name: row.values[name] for name in fields}
            if current:
                merged.update((name, current[name]) for name in absent if name in merged)
            op = Op(sheet=sheet, row=row, values=values, pk=current["id"] if current else None)
            op.extra.update(case=case, merged=merged, current=current)
            self.steps[key] = {"op": op, **merged}
            self._step_rules(sheet, row, case, merged)
            self.step_ops.append(op)

    def _step_rules(self, sheet: Sheet, row: Row, case: dict, step: dict) -> None:
        """The checks `step_record`, `step_close` and the step's constraints make."""

        def report(name: str, message: str) -> None:
            self.imp.problem(sheet, row, sheet.column(name), step[name], message)

        if not case["internal"]:
            self.imp.problem(sheet, row, sheet.column("number"), row.values["number"],
                             _("Quy trình năm bước chỉ áp dụng với nhân sự tại chỗ; hồ sơ này là "
                               "nhân sự từ nơi khác."))  # fmt: skip
        for name in ("held_on", "closed_on"):
            if step[name] and step[name] > self.today:
                report(name, _("Ngày này không được sau ngày hôm nay."))
        if step["held_on"] < case["opened_on"]:
            report("held_on", _("Ngày họp không được trước ngày bắt đầu quy trình."))
        if step["summoned"] == 0 or step["present"] > step["summoned"]:
            report("present", _("Số người có mặt không được lớn hơn số người được triệu tập "
                                "(phải lớn hơn 0)."))  # fmt: skip
        if step["closed_on"] and step["closed_on"] < step["held_on"]:
            report("closed_on", _("Ngày kết thúc bước không được trước ngày họp."))

    def finish_steps(self) -> None:
        """Order, results and what may no longer change, once the tallies are known."""
        sheet = CASE_STEPS
        stored_by_case: dict[Any, dict[int, dict]] = defaultdict(dict)
        for (case_pk, number), stored in self.db_steps.items():
            stored_by_case[case_pk][number] = stored
        for op in self.step_ops:
            row, case, step = op.row, op.extra["case"], op.extra["merged"]
            number = op.values["number"]
            left = self.steps.get((case["ref"], number - 1))
            if left is None and not isinstance(case["ref"], NewRef):
                left = stored_by_case[case["ref"]].get(number - 1)
            if number > 1 and (left is None or left["closed_on"] is None):
                self.imp.problem(sheet, row, sheet.column("number"), number,
                                 _("Hãy kết thúc %(previous)s trước khi ghi %(step)s.")
                                 % {"previous": _("bước %(n)d") % {"n": number - 1},
                                    "step": _("bước %(n)d") % {"n": number}})  # fmt: skip
            elif number > 1 and step["held_on"] < left["held_on"]:
                self.imp.problem(sheet, row, sheet.column("held_on"), step["held_on"],
                                 _("Ngày họp không được trước ngày họp của bước trước "
                                   "(%(date)s).") % {"date": format_day(left["held_on"])})  # fmt: skip
            self._step_result(op)
            current = op.extra["current"]
            if current:
                self.imp.compare(op, current, op.values.keys())
            if op.writes and case["stored_closed_on"] is not None:
                self.imp.problem(sheet, row, sheet.column("number"), number,
                                 _closed(case["stored_closed_on"]))  # fmt: skip
            elif current and op.changed and current["closed_on"] is not None:
                column = sheet.column(op.changed[0])
                self.imp.problem(sheet, row, column, row.values[column.key],
                                 _step_closed(number, current["closed_on"]))  # fmt: skip
            if row.bad:
                continue
            self.imp.ops[sheet.key].append(op)
            self.imp.count(sheet, op)

    def _step_result(self, op: Op) -> None:
        """A closed ballot step's result follows from its tally (A6): computed when the cell
        is blank, checked when it is given; other steps have none."""
        sheet, row, step = CASE_STEPS, op.row, op.extra["merged"]
        number, given = op.values["number"], step["result"]
        column = sheet.column("result")
        if number not in BALLOT_STEPS or step["closed_on"] is None:
            if given:
                self.imp.problem(sheet, row, column, given,
                                 _("Bước chưa kết thúc và bước 1 không có kết quả."))  # fmt: skip
            return
        case = op.extra["case"]
        figures = self.tallies.get((case["ref"], number))
        if figures is None and op.extra["current"]:
            figures = self.stored_figures(op.extra["current"]["id"])
        if not figures:
            self.imp.problem(sheet, row, sheet.column("closed_on"), step["closed_on"],
                             _("Bước bỏ phiếu đã kết thúc phải có kết quả kiểm phiếu (sheet Kết "
                               "quả kiểm phiếu)."))  # fmt: skip
            return
        mine = figures["lines"].get(case["person"])
        if mine is None:
            return  # reported on the tally
        votes_for = mine[0]
        if votes_for * 2 == step["summoned"] and given not in HEAD:
            self.imp.problem(sheet, row, column, given,
                             _("Nhân sự đạt đúng 50% tổng số thành viên: cần ghi quyết định của "
                               "người đứng đầu."))  # fmt: skip
            return
        expected = result_for(votes_for, step["summoned"], HEAD.get(given))
        if given and given != expected:
            labels = self.imp.catalog(StepResult).label_of
            self.imp.problem(sheet, row, column, given,
                             _("Kết quả không khớp với kết quả kiểm phiếu: %(votes)d phiếu đồng ý "
                               "trên %(summoned)d người được triệu tập là “%(result)s”.")
                             % {"votes": votes_for, "summoned": step["summoned"],
                                "result": labels[expected]})  # fmt: skip
            return
        step["result"] = op.values["result"] = expected

    # --- tallies --------------------------------------------------------------------

    def plan_tallies(self) -> None:
        sheet = STEP_TALLIES
        rows = [r for r in self.imp.rows[sheet.key] if not r.bad]
        people.load_people(self.imp, [SimpleNamespace(values={"person": r.values["candidate"]})
                                      for r in rows])  # fmt: skip
        seen: dict = {}
        groups: dict[tuple, list[tuple[Row, Any]]] = defaultdict(list)
        for row in rows:
            case = self.named_case(sheet, row)
            candidate = people.named_person(self.imp, sheet, row, sheet.column("candidate"),
                                            row.values["candidate"], action=scope.VIEW)  # fmt: skip
            if row.bad or case is None or candidate is None:
                continue
            number = row.values["number"]
            step = self._tally_step(sheet, row, case, number)
            if step is None:
                continue
            if self.imp.duplicate(sheet, row, seen, (case["ref"], number, candidate),
                                  sheet.column("candidate")):  # fmt: skip
                continue
            groups[(case["ref"], number)].append((row, candidate))
            self.case_of_ref[case["ref"]] = case
        for key, lines in groups.items():
            self._plan_tally(sheet, key, lines)

    def _tally_step(self, sheet: Sheet, row: Row, case: dict, number: int) -> dict | None:
        """The step a tally row names, as the package leaves it: a closed ballot step."""
        column = sheet.column("number")
        step = self.steps.get((case["ref"], number))
        if step is None and not isinstance(case["ref"], NewRef):
            stored = self.db_steps.get((case["ref"], number))
            if stored is not None:
                step = self.steps[(case["ref"], number)] = {"op": None, **stored}
        if number not in BALLOT_STEPS:
            message = _("Bước 1 không bỏ phiếu: không có kết quả kiểm phiếu.")
            if number not in StepNumber.values:
                message = _("Bước phải từ 1 đến 5.")
            self.imp.problem(sheet, row, column, number, message)
        elif step is None:
            self.imp.problem(sheet, row, column, number,
                             _("Không có bước %(n)d của hồ sơ này trong sheet Bước quy trình của "
                               "gói hay trong hệ thống.") % {"n": number})  # fmt: skip
        elif step["closed_on"] is None:
            self.imp.problem(sheet, row, column, number,
                             _("Chỉ ghi kết quả kiểm phiếu của bước đã kết thúc; số liệu nhập dở "
                               "của bước còn mở không có trong gói."))  # fmt: skip
        return None if row.bad else step

    def _plan_tally(self, sheet: Sheet, key: tuple, lines: list[tuple[Row, Any]]) -> None:
        """One step's agreed figures: the rules `tally_enter` keeps, then whether they are
        new, the same as stored, or a change the database refuses."""
        case_ref, number = key
        step = self.steps[key]
        first = lines[0][0]
        ballots = (first.values["ballots_valid"], first.values["ballots_invalid"] or 0)
        figures = {"ballots": ballots, "lines": {}}
        for row, candidate in lines:
            mine = (row.values["ballots_valid"], row.values["ballots_invalid"] or 0)
            if mine != ballots:
                self.imp.problem(sheet, row, sheet.column("ballots_valid"), mine[0],
                                 _("Số phiếu hợp lệ và không hợp lệ phải giống nhau ở mọi dòng "
                                   "của một bước (dòng %(n)d ghi %(valid)d và %(invalid)d).")
                                 % {"n": first.number, "valid": ballots[0], "invalid": ballots[1]})  # fmt: skip
            valid = mine[0]
            if sum(mine) > step["present"]:
                self.imp.problem(sheet, row, sheet.column("ballots_valid"), valid,
                                 _("Tổng số phiếu hợp lệ và không hợp lệ (%(total)d) lớn hơn số "
                                   "người có mặt (%(present)d).")
                                 % {"total": sum(mine), "present": step["present"]})  # fmt: skip
            votes = (row.values["votes_for"], row.values["votes_against"] or 0)
            if sum(votes) > valid:
                self.imp.problem(sheet, row, sheet.column("votes_for"), votes[0],
                                 _("Số phiếu của nhân sự này (%(total)d) lớn hơn số phiếu hợp lệ "
                                   "(%(valid)d).") % {"total": sum(votes), "valid": valid})  # fmt: skip
            figures["lines"][candidate] = votes
        if self.case_of_ref[case_ref]["person"] not in figures["lines"]:
            self.imp.problem(sheet, first, sheet.column("candidate"), first.values["candidate"],
                             _("Kết quả kiểm phiếu phải có số phiếu của %(id)s, nhân sự của hồ "
                               "sơ.") % {"id": first.values["person"]})  # fmt: skip
        self.tallies[key] = figures
        step_op = step["op"]
        stored_step = step_op.pk if step_op is not None else step["id"]
        stored = self.stored_figures(stored_step) if stored_step else {}
        op = Op(sheet=sheet, row=first, values={"step_id": None})
        op.extra.update(key=key, figures=figures, rows=[row for row, _c in lines])
        if stored and self._same(stored, figures):
            op.pk = self.db_entries[stored_step][1]["pk"]  # unchanged
        elif stored is None or stored:  # entries in progress, or other agreed figures
            closed = step_op.extra["current"]["closed_on"] if step_op else step["closed_on"]
            message = (_step_closed(number, closed) if closed else
                       _("Bước này đã có lần nhập kết quả kiểm phiếu trong hệ thống (đang nhập "
                         "dở): gói không ghi đè."))  # fmt: skip
            self.imp.problem(sheet, first, sheet.column("ballots_valid"), ballots[0], message)
        elif self.imp.actor is None:
            self.imp.problem(sheet, None, None, "", NO_ACTOR)
        if any(row.bad for row, _c in lines):
            return
        self.imp.ops[sheet.key].append(op)
        for _row in lines:
            self.imp.count(sheet, op)

    @staticmethod
    def _same(stored: dict, figures: dict) -> bool:
        return (stored["ballots"], stored["lines"]) == (figures["ballots"], figures["lines"])

    # --- applying -----------------------------------------------------------------

    def apply(self) -> None:
        imp = self.imp
        ops = imp.ops.get(APPOINTMENT_CASES.key, [])
        now = timezone.now()
        new = [imp.new_object(AppointmentCase, op) for op in ops if op.pk is None]
        insert_objects(AppointmentCase, new)
        for obj in new:
            imp.created["appointment_case"][tuple(getattr(obj, f) for f in CASE_FIELDS)] = obj.pk
        changed = [op for op in ops if op.pk is not None and op.changed]
        imp.bulk_update(AppointmentCase, changed, extra={op.pk: {"updated_at": now} for op in changed})
        imp.audit_created(APPOINTMENT_CASES, new, exclude=STAMPS, describe=self._case_text)
        imp.audit_updated(APPOINTMENT_CASES, changed)

        ops = imp.ops.get(CASE_STEPS.key, [])
        new = [imp.new_object(CaseStep, op) for op in ops if op.pk is None]
        insert_objects(CaseStep, new)
        steps_by_key = {}
        for obj, op in zip(new, [op for op in ops if op.pk is None], strict=True):
            steps_by_key[(op.values["case_id"], obj.number)] = obj.pk
        changed = [op for op in ops if op.pk is not None and op.changed]
        imp.bulk_update(CaseStep, changed, extra={op.pk: {"updated_at": now} for op in changed})
        imp.audit_created(CASE_STEPS, new, exclude=STAMPS)
        imp.audit_updated(CASE_STEPS, changed, lambda op: f"{CASE_STEPS.title}: "
                          f"{op.row.values['person']} – {op.values['number']}")  # fmt: skip
        self.apply_tallies(steps_by_key)

    def apply_tallies(self, steps_by_key: dict) -> None:
        """Each new tally as its two entries by the importing account, with their lines."""
        imp = self.imp
        ops = [op for op in imp.ops.get(STEP_TALLIES.key, []) if op.pk is None]
        if not ops:
            return
        tallies, lines = [], []
        for op in ops:
            step = self.steps[op.extra["key"]]
            step_pk = steps_by_key.get(op.extra["key"])
            if step_pk is None:
                step_pk = step["op"].pk if step["op"] is not None else step["id"]
            valid, invalid = op.extra["figures"]["ballots"]
            for round_no in double_entry.ROUNDS:
                tallies.append(StepTally(step_id=step_pk, round=round_no, entered_by_id=imp.actor.pk,
                                         ballots_valid=valid, ballots_invalid=invalid))  # fmt: skip
        insert_objects(StepTally, tallies)
        snapshots = []
        for index, op in enumerate(ops):
            for tally in tallies[2 * index : 2 * index + 2]:
                mine = [TallyLine(tally_id=tally.pk, candidate_id=imp.pk_of(candidate),
                                  votes_for=votes[0], votes_against=votes[1])
                        for candidate, votes in op.extra["figures"]["lines"].items()]  # fmt: skip
                lines += mine
                snapshots.append((tally, mine, op))
        insert_objects(TallyLine, lines)
        record_writes(actor=imp.actor, action=AuditAction.CREATE, model=StepTally,
                      items=((tally.pk, self._tally_changes(tally, mine),
                              f"{STEP_TALLIES.title}: {op.row.values['person']} – "
                              f"{tally.round}") for tally, mine, op in snapshots))  # fmt: skip

    @staticmethod
    def _tally_changes(tally: StepTally, lines: list[TallyLine]) -> dict:
        """A created tally as the services audit it (`steps._tally_snapshot`): its fields
        and its lines, each [None, value]."""
        data = {"step": tally.step_id, "round": tally.round, "entered_by": tally.entered_by_id,
                "ballots_valid": tally.ballots_valid, "ballots_invalid": tally.ballots_invalid,
                "lines": [{"candidate": line.candidate_id, "votes_for": line.votes_for,
                           "votes_against": line.votes_against}
                          for line in sorted(lines, key=lambda line: line.candidate_id)]}  # fmt: skip
        return {name: [None, value] for name, value in data.items()}

    @staticmethod
    def _case_text(obj) -> str:
        return f"{APPOINTMENT_CASES.title}: {obj.person_id} – {obj.kind} ({obj.opened_on})"


def appointments(imp: PackageImport) -> AppointmentsImport:
    return imp.state_of("appointments", lambda: AppointmentsImport(imp))


def plan(imp: PackageImport) -> None:
    state = appointments(imp)
    for sheet in CASE_SHEETS:
        if imp.has(sheet):
            rows = [r for r in imp.rows[sheet.key] if not r.bad]
            people.load_people(imp, rows)
    state.load()
    if imp.has(APPOINTMENT_CASES):
        state.plan_cases()
    if imp.has(CASE_STEPS):
        state.plan_steps()
    if imp.has(STEP_TALLIES):
        state.plan_tallies()
    state.finish_steps()


def apply(imp: PackageImport) -> None:
    appointments(imp).apply()
