"""Importing confidence-vote sessions, the people voted on, the agreed results of closed
sessions, evaluation rounds and their scores.

The rules are those the services keep (`canbo.reviews.services`), checked on each record as
the package leaves it (its rows over the stored records). What a package cannot change: a
session or round already closed in the database (as the services refuse it), and tally
entries typed in the database while a session is open (work in progress, never
overwritten). A closed session's result for a person is stored as its two entries, both by
the importing account (ADR 0026, ADR 0028). A score's rating is derived by rule E1, never
read. The registry rows closing writes (`people.ConfidenceVote`, `people.Evaluation`) are
not written here: the Phiếu tín nhiệm and Đánh giá sheets carry them (ADR 0028).

Scope: a session's or round's unit must be one the importing account edits, and the people
it names people it sees; either out of scope gets the answer an unknown code or number
gets (ADR 0010 §1).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.core import double_entry, scope
from canbo.core.dates import format_day
from canbo.core.db import insert_objects
from canbo.exchange.importer import STAMPS, NewRef, Op, PackageImport, chunks
from canbo.exchange.parsing import Row
from canbo.exchange.sheets import Sheet
from canbo.organizations.package import importing as units
from canbo.people.models import ConfidenceVote, Evaluation
from canbo.people.package import importing as people
from canbo.people.package.sheets import EVALUATIONS, VOTES
from canbo.reviews.choices import TALLY_FIGURES, BaseRule
from canbo.reviews.models import (
    EvaluationRound,
    EvaluationScore,
    VoteSession,
    VoteSubject,
    VoteTally,
)
from canbo.rules.checks.reviews import check_c1, rating_thresholds
from canbo.rules.facts import CheckContext
from canbo.rules.facts_reviews import ReviewFacts, SessionFacts, base_of, rating_for
from canbo.rules.ruleset import ParameterError, RuleData
from canbo.rules.selectors import NoRuleSetInForce, rule_set_in_force

from .sheets import (
    EVALUATION_ROUNDS,
    EVALUATION_SCORES,
    SHEETS,
    VOTE_RESULTS,
    VOTE_SESSIONS,
    VOTE_SUBJECTS,
)

SESSION, ROUND = "vote_session", "evaluation_round"
KEY_FIELDS = ("unit_id", "year", "held_on")
FIELDS = {
    SESSION: ("summoned", "present", "base_rule", "ballots_returned", "closed_on", "note"),
    ROUND: ("closed_on", "note"),
}
SUBJECT_FIELDS = ("excluded", "exclusion_reason", "exclusion_note")
SCORE_FIELDS = ("score", "other_ground", "other_note")
NO_ACTOR = (
    "Kết quả lấy phiếu được lưu là hai lần nhập của tài khoản nhập gói: hãy nhập gói bằng "
    "một tài khoản (lệnh canbo import: --user)."
)


def _closed(kind: str, when) -> str:
    what = _("Phiên lấy phiếu") if kind == SESSION else _("Đợt đánh giá")
    return _("%(what)s này đã kết thúc ngày %(date)s: không sửa được nữa.") % {
        "what": what, "date": format_day(when),
    }  # fmt: skip


class ReviewsImport:
    """The reviews part's share of one import, between plan and apply."""

    def __init__(self, imp: PackageImport):
        self.imp = imp
        self.today = timezone.localdate()
        # kind -> key (unit ref, year, day) -> the session or round as the package leaves it
        self.held: dict[str, dict[tuple, dict]] = {SESSION: {}, ROUND: {}}
        self.subjects: dict[tuple, dict] = {}  # (session ref, person) -> as the package leaves it
        self.results: dict[tuple, Op] = {}  # (session ref, person) -> the package's result
        self.scores: dict[tuple, Op] = {}  # (round ref, person) -> the package's score
        self._rule_sets: dict[dt.date, Any] = {}
        self.flawed: set = set()  # sessions and rounds some row naming which has errors

    # --- loading ------------------------------------------------------------------

    def load(self) -> None:
        """The stored sessions and rounds of the units the package names, the people on
        their lists, the entries of their tallies and their scores."""
        codes = {row.values.get("unit") for s in SHEETS for row in self.imp.rows.get(s.key, ())}
        unit_pks = sorted(self.imp.db["unit"][c]["pk"] for c in codes if c in self.imp.db["unit"])
        self.db: dict[str, dict[tuple, dict]] = {SESSION: {}, ROUND: {}}
        for kind, model in ((SESSION, VoteSession), (ROUND, EvaluationRound)):
            names = [f.attname for f in model._meta.concrete_fields]
            for chunk in chunks(unit_pks):
                for row in model.objects.filter(unit_id__in=chunk).order_by("pk").values(*names):
                    self.db[kind].setdefault(tuple(row[f] for f in KEY_FIELDS), row)
        self.db_subjects: dict[Any, dict[Any, dict]] = defaultdict(dict)  # session -> person -> row
        self.db_entries: dict[tuple, dict[int, dict]] = defaultdict(dict)  # (session, person) -> round
        self.db_scores: dict[tuple, dict] = {}  # (round pk, person pk) -> stored score
        session_pks = sorted(row["id"] for row in self.db[SESSION].values())
        for chunk in chunks(session_pks):
            names = [f.attname for f in VoteSubject._meta.concrete_fields]
            for row in VoteSubject.objects.filter(session_id__in=chunk).values(*names, "person__id_number"):
                self.db_subjects[row["session_id"]][row["person_id"]] = row
            tallies = VoteTally.objects.filter(session_id__in=chunk)
            for pk, session, person, round_no, *figures in tallies.values_list(
                "pk", "session_id", "person_id", "round", *TALLY_FIGURES
            ):
                self.db_entries[(session, person)][round_no] = {
                    "pk": pk, "figures": dict(zip(TALLY_FIGURES, figures, strict=True))}  # fmt: skip
        round_pks = sorted(row["id"] for row in self.db[ROUND].values())
        names = [f.attname for f in EvaluationScore._meta.concrete_fields]
        for chunk in chunks(round_pks):
            scores = EvaluationScore.objects.filter(round_id__in=chunk)
            for row in scores.values(*names, "person__id_number"):
                self.db_scores[(row["round_id"], row["person_id"])] = row

    def stored_figures(self, session_ref, person) -> dict | None:
        """A stored person's result when both entries are in and agree; {} when there is
        no entry; None when the entries are work in progress (one, or two that differ)."""
        if isinstance(session_ref, NewRef) or isinstance(person, NewRef):
            return {}
        found = self.db_entries.get((session_ref, person), {})
        if not found:
            return {}
        first, second = found.get(double_entry.FIRST), found.get(double_entry.SECOND)
        if first is None or second is None or first["figures"] != second["figures"]:
            return None
        return first["figures"]

    def rule(self, code: str, on: dt.date) -> RuleData | None:
        if on not in self._rule_sets:
            try:
                self._rule_sets[on] = rule_set_in_force(on)
            except NoRuleSetInForce:
                self._rule_sets[on] = None
        found = self._rule_sets[on]
        return found.rule(code) if found is not None else None

    # --- naming a session or a round -----------------------------------------------

    def holder(self, sheet: Sheet, row: Row):
        """The unit holding a session or round: one the actor edits, else None with the
        answer an unknown code gets (a unit beyond the actor's scope is not revealed)."""
        column = sheet.column("unit")
        ref = self.imp.resolve(sheet, row, column)
        if ref is None or self.imp.admin or units.unit_editable(self.imp, ref):
            return ref
        code = row.values["unit"]
        message = _("Không có %(what)s mã “%(code)s” trong gói hay trong hệ thống.") % {
            "what": self.imp.references["unit"].label, "code": code,
        }  # fmt: skip
        self.imp.problem(sheet, row, column, code, message)
        return None

    def key(self, sheet: Sheet, row: Row) -> tuple | None:
        unit = self.holder(sheet, row)
        return None if unit is None else (unit, row.values["year"], row.values["held_on"])

    def named(self, kind: str, sheet: Sheet, row: Row) -> dict | None:
        """The session or round a row of a dependent sheet names, as the package leaves it."""
        key = self.key(sheet, row)
        if key is None:
            return None
        found = self.held[kind].get(key)
        if found is None and key in self.db[kind]:
            stored = self.db[kind][key]
            found = self.held[kind][key] = {
                **stored, "ref": stored["id"], "op": None, "stored_closed_on": stored["closed_on"],
                "unit_code": row.values["unit"],
            }  # fmt: skip
        if found is None:
            title = VOTE_SESSIONS.title if kind == SESSION else EVALUATION_ROUNDS.title
            what = _("phiên lấy phiếu") if kind == SESSION else _("đợt đánh giá")
            self.imp.problem(sheet, row, sheet.column("held_on"), row.values["held_on"],
                             _("Không có %(what)s này trong sheet %(sheet)s của gói hay trong hệ "
                               "thống.") % {"what": what, "sheet": title})  # fmt: skip
        return found

    # --- sessions and rounds ----------------------------------------------------------

    def plan_held(self, kind: str, sheet: Sheet) -> None:
        fields = FIELDS[kind]
        seen: dict = {}
        for row in self.imp.rows[sheet.key]:
            if row.bad:
                continue
            key = self.key(sheet, row)
            if row.bad or key is None:
                continue
            if self.imp.duplicate(sheet, row, seen, key, sheet.column("held_on")):
                continue
            current = self.db[kind].get(key)
            absent = row.values["_absent"]
            values = dict(zip(KEY_FIELDS, key, strict=True))
            values.update((name, row.values[name]) for name in fields if name not in absent)
            merged = {**values, **{name: row.values[name] for name in fields}}
            if current:
                merged.update((name, current[name]) for name in absent if name in fields)
            if kind == SESSION and not merged["base_rule"]:
                # As `session_create`: the base rule C3 in force on the day gives.
                rule = self.rule("C3", key[2])
                base = rule.parameters.get("base", BaseRule.SUMMONED) if rule else BaseRule.SUMMONED
                values["base_rule"] = merged["base_rule"] = base
            op = Op(sheet=sheet, row=row, values=values, pk=current["id"] if current else None)
            stored_closed = current["closed_on"] if current else None
            self.held[kind][key] = {**merged, "ref": op.pk or NewRef(kind, key), "op": op,
                                    "stored_closed_on": stored_closed, "unit_code": row.values["unit"]}  # fmt: skip
            self._held_rules(kind, sheet, row, merged)
            if current:
                self.imp.compare(op, current, values.keys())
                if op.changed and stored_closed is not None:
                    column = sheet.column(op.changed[0])
                    self.imp.problem(sheet, row, column, row.values[column.key],
                                     _closed(kind, stored_closed))  # fmt: skip
            if row.bad:
                continue
            self.imp.ops[sheet.key].append(op)
            self.imp.count(sheet, op)

    def _held_rules(self, kind: str, sheet: Sheet, row: Row, held: dict) -> None:
        """The checks `session_create` / `round_create`, closing and the models'
        constraints make, on the session or round as the package leaves it."""

        def report(name: str, message: str) -> None:
            self.imp.problem(sheet, row, sheet.column(name), held[name], message)

        for name in ("held_on", "closed_on"):
            if held[name] and held[name] > self.today:
                report(name, _("Ngày này không được sau ngày hôm nay."))
        if held["closed_on"] and held["closed_on"] < held["held_on"]:
            report("closed_on", _("Ngày kết thúc không được trước ngày lấy phiếu.") if kind == SESSION
                   else _("Ngày kết thúc không được trước ngày đánh giá."))  # fmt: skip
        if kind != SESSION:
            return
        if held["summoned"] == 0:
            report("summoned", _("Số người được triệu tập phải lớn hơn 0."))
        elif held["present"] > held["summoned"]:
            report("present", _("Số người có mặt không được lớn hơn số người được triệu tập."))
        ballots = held["ballots_returned"]
        if ballots is not None and ballots > held["present"]:
            report("ballots_returned", _("Số phiếu thu về không được lớn hơn số người có mặt."))
        if held["base_rule"] == BaseRule.BALLOTS and ballots is None:
            report("ballots_returned",
                   _("Tính tỷ lệ trên số phiếu thu về thì phải nhập số phiếu thu về."))  # fmt: skip

    def _writes_closed(self, kind: str, held: dict, row: Row, column_key: str, op: Op) -> bool:
        """A row writing into a session or round closed in the database is refused."""
        sheet = op.sheet
        if op.writes and held["stored_closed_on"] is not None:
            self.imp.problem(sheet, row, sheet.column(column_key), row.values.get(column_key),
                             _closed(kind, held["stored_closed_on"]))  # fmt: skip
            return True
        return False

    def _person_rows(self, kind: str, sheet: Sheet):
        """The good rows of a sheet naming a session or round (`kind`) and a person, once
        each: (row, the session or round, its ref, the person). A bad row marks its
        session or round flawed."""
        seen: dict = {}
        for row in self.imp.rows[sheet.key]:
            if row.bad:
                continue
            held = self.named(kind, sheet, row)
            person = people.named_person(self.imp, sheet, row, sheet.column("person"),
                                         row.values["person"], action=scope.VIEW)  # fmt: skip
            if row.bad or held is None or person is None:
                if held is not None:
                    self.flawed.add(held["ref"])
                continue
            ref = held["ref"]
            if self.imp.duplicate(sheet, row, seen, (ref, person), sheet.column("person")):
                self.flawed.add(ref)
                continue
            yield row, held, ref, person

    # --- the people voted on --------------------------------------------------------

    def plan_subjects(self) -> None:
        sheet = VOTE_SUBJECTS
        for row, session, ref, person in self._person_rows(SESSION, sheet):
            stored = {} if isinstance(ref, NewRef) else self.db_subjects.get(ref, {})
            current = stored.get(person)
            absent = row.values["_absent"]
            values = {"session_id": ref, "person_id": person}
            values.update((name, row.values[name]) for name in SUBJECT_FIELDS if name not in absent)
            merged = {name: row.values[name] for name in SUBJECT_FIELDS}
            if current:
                merged.update((name, current[name]) for name in absent if name in merged)
            op = Op(sheet=sheet, row=row, values=values, pk=current["id"] if current else None)
            self.subjects[(ref, person)] = {"excluded": merged["excluded"],
                                            "id_number": row.values["person"]}  # fmt: skip
            reason = sheet.column("exclusion_reason")
            if merged["excluded"] and not merged["exclusion_reason"]:
                self.imp.problem(sheet, row, reason, "", _("Không lấy phiếu thì phải chọn lý do."))
            elif merged["exclusion_reason"] and not merged["excluded"]:
                self.imp.problem(sheet, row, reason, merged["exclusion_reason"],
                                 _("Chỉ ghi lý do khi Không lấy phiếu là Có."))  # fmt: skip
            if current:
                self.imp.compare(op, current, values.keys())
            if not self._writes_closed(SESSION, session, row, "person", op) and (
                current and merged["excluded"] and not current["excluded"]
                and self.db_entries.get((ref, person))
            ):  # fmt: skip
                self.imp.problem(sheet, row, sheet.column("excluded"), True,
                                 _("Đã nhập số phiếu của cán bộ này: không thể đưa ra khỏi danh "
                                   "sách."))  # fmt: skip
            if row.bad:
                self.flawed.add(ref)
                continue
            self.imp.ops[sheet.key].append(op)
            self.imp.count(sheet, op)

    def subject(self, session_ref, person) -> dict | None:
        """A person on a session's list as the package leaves it (None: not on it)."""
        found = self.subjects.get((session_ref, person))
        if found is None and not isinstance(session_ref, NewRef):
            stored = self.db_subjects.get(session_ref, {}).get(person)
            if stored is not None:
                found = {"excluded": stored["excluded"], "id_number": stored["person__id_number"]}
        return found

    def voted(self, session_ref) -> dict:
        """The people voted on in a session as the package leaves its list: person -> ID."""
        found = {} if isinstance(session_ref, NewRef) else {
            person: row["person__id_number"]
            for person, row in self.db_subjects.get(session_ref, {}).items()
        }  # fmt: skip
        for (ref, person), subject in self.subjects.items():
            if ref == session_ref:
                found[person] = subject["id_number"]
        return {p: n for p, n in found.items() if not self.subject(session_ref, p)["excluded"]}

    # --- the results of closed sessions ------------------------------------------------

    def plan_results(self) -> None:
        sheet = VOTE_RESULTS
        for row, session, ref, person in self._person_rows(SESSION, sheet):
            self._result_rules(sheet, row, session, person)
            figures = {name: row.values[name] or 0 for name in TALLY_FIGURES}
            op = Op(sheet=sheet, row=row, values={"session_id": ref, "person_id": person, **figures})
            self.results[(ref, person)] = op
            stored = self.stored_figures(ref, person)
            column = sheet.column("high")
            if stored and stored == figures:
                op.pk = self.db_entries[(ref, person)][double_entry.FIRST]["pk"]  # unchanged
            elif session["stored_closed_on"] is not None:
                self.imp.problem(sheet, row, column, figures["high"],
                                 _closed(SESSION, session["stored_closed_on"]))  # fmt: skip
            elif stored is None or stored:
                self.imp.problem(sheet, row, column, figures["high"],
                                 _("Phiên này còn mở và đã có số phiếu của cán bộ này nhập trong hệ "
                                   "thống: gói không ghi đè."))  # fmt: skip
            elif self.imp.actor is None:
                self.imp.problem(sheet, None, None, "", NO_ACTOR)
            if row.bad:
                self.flawed.add(ref)
                continue
            self.imp.ops[sheet.key].append(op)
            self.imp.count(sheet, op)

    def _result_rules(self, sheet: Sheet, row: Row, session: dict, person) -> None:
        """Only a closed session's results travel; the person is voted on in it; the
        figures stay within the ballots returned, or those present (`tally_enter`)."""
        if session["closed_on"] is None:
            self.imp.problem(sheet, row, sheet.column("held_on"), row.values["held_on"],
                             _("Chỉ ghi kết quả lấy phiếu của phiên đã kết thúc; số liệu nhập dở "
                               "của phiên còn mở không có trong gói."))  # fmt: skip
        subject = self.subject(session["ref"], person)
        column = sheet.column("person")
        if subject is None:
            self.imp.problem(sheet, row, column, row.values["person"],
                             _("Cán bộ này không có trong danh sách được lấy phiếu của phiên (sheet "
                               "Người được lấy phiếu của gói hay trong hệ thống)."))  # fmt: skip
        elif subject["excluded"]:
            self.imp.problem(sheet, row, column, row.values["person"],
                             _("Cán bộ này không được lấy phiếu ở phiên này (sheet Người được lấy "
                               "phiếu): không có kết quả lấy phiếu."))  # fmt: skip
        total = sum(row.values[name] or 0 for name in TALLY_FIGURES)
        ballots = session["ballots_returned"]
        if ballots is not None and total > ballots:
            message = _("Tổng số phiếu (%(total)d) lớn hơn số phiếu thu về (%(limit)d).")
        elif ballots is None and total > session["present"]:
            message = _("Tổng số phiếu (%(total)d) lớn hơn số người có mặt (%(limit)d).")
        else:
            return
        limit = session["present"] if ballots is None else ballots
        self.imp.problem(sheet, row, sheet.column("high"), row.values["high"],
                         message % {"total": total, "limit": limit})  # fmt: skip

    def finish_sessions(self) -> None:
        """A session the package closes (or creates closed) is valid (C1), has people voted
        on, and a result for each of them, as `session_close` requires."""
        sheet = VOTE_SESSIONS
        for session in self.held[SESSION].values():
            op = session["op"]
            if op is None or op.row.bad or session["closed_on"] is None:
                continue
            if session["stored_closed_on"] is not None or not op.writes:
                continue
            row = op.row
            rule = self.rule("C1", session["held_on"])
            if rule is not None and rule.enabled:
                facts = ReviewFacts.of([SessionFacts(
                    id=0, unit_id=0, name=self.imp.name_of("unit", session["unit_code"]),
                    year=session["year"], held_on=session["held_on"], summoned=session["summoned"],
                    present=session["present"])], [], [])  # fmt: skip
                invalid = check_c1(facts, rule, CheckContext(session["held_on"]))
                if invalid:
                    self.imp.problem(sheet, row, sheet.column("present"), session["present"],
                                     invalid[0].message)  # fmt: skip
            voted = self.voted(session["ref"])
            column = sheet.column("closed_on")
            if not voted:
                self.imp.problem(sheet, row, column, session["closed_on"],
                                 _("Phiên lấy phiếu chưa có người được lấy phiếu (sheet Người được "
                                   "lấy phiếu)."))  # fmt: skip
                continue
            missing = sorted(
                number for person, number in voted.items()
                if (session["ref"], person) not in self.results
                and not self.stored_figures(session["ref"], person)
            )  # fmt: skip
            if missing:
                self.imp.problem(sheet, row, column, session["closed_on"],
                                 _("Phiên đã kết thúc phải có kết quả lấy phiếu của mọi người được "
                                   "lấy phiếu; chưa có của: %(people)s (sheet Kết quả lấy phiếu).")
                                 % {"people": ", ".join(missing)})  # fmt: skip
            elif not row.bad and self._clean(session["ref"]):
                self._session_records(session, voted)

    # --- scores ---------------------------------------------------------------------

    def plan_scores(self) -> None:
        sheet = EVALUATION_SCORES
        for row, held, ref, person in self._person_rows(ROUND, sheet):
            current = None if isinstance(ref, NewRef) else self.db_scores.get((ref, person))
            absent = row.values["_absent"]
            values = {"round_id": ref, "person_id": person}
            values.update((name, row.values[name]) for name in SCORE_FIELDS if name not in absent)
            merged = {name: row.values[name] for name in SCORE_FIELDS}
            if current:
                merged.update((name, current[name]) for name in absent if name in merged)
            op = Op(sheet=sheet, row=row, values=values, pk=current["id"] if current else None)
            if current:
                self.imp.compare(op, current, values.keys())
            if op.writes:
                self._rating(sheet, row, held, merged, op)
            self.scores[(ref, person)] = op
            self._writes_closed(ROUND, held, row, "score", op)
            if row.bad:
                self.flawed.add(ref)
                continue
            self.imp.ops[sheet.key].append(op)
            self.imp.count(sheet, op)

    def _rating(self, sheet: Sheet, row: Row, held: dict, score: dict, op: Op) -> None:
        """The rating a new or changed score gets, as `score_set` derives it (E1 in force
        on the round's day); a stored score left as it is keeps its rating."""
        column = sheet.column("score")
        if not (0 <= score["score"] <= 100):
            self.imp.problem(sheet, row, column, score["score"], _("Điểm phải từ 0 đến 100."))
            return
        rule = self.rule("E1", held["held_on"])
        if rule is None:
            self.imp.problem(sheet, row, column, score["score"],
                             _("Không có quy định xếp loại theo điểm (E1) có hiệu lực ngày "
                               "%(date)s.") % {"date": format_day(held["held_on"])})  # fmt: skip
            return
        try:
            thresholds = rating_thresholds(rule)
        except ParameterError as error:
            self.imp.problem(sheet, row, column, score["score"], str(error))
            return
        op.values["rating"] = rating_for(score["score"], thresholds, score["other_ground"])
        if op.pk is not None:
            stored = self.db_scores[(held["ref"], op.values["person_id"])]["rating"]
            if stored != op.values["rating"]:
                op.changed.append("rating")
                op.before["rating"] = stored

    def finish_rounds(self) -> None:
        """A round the package closes (or creates closed) has scores (`round_close`)."""
        sheet = EVALUATION_ROUNDS
        for held in self.held[ROUND].values():
            op = held["op"]
            if op is None or op.row.bad or held["closed_on"] is None:
                continue
            if held["stored_closed_on"] is not None or not op.writes:
                continue
            ref = held["ref"]
            stored = not isinstance(ref, NewRef) and any(r == ref for r, _p in self.db_scores)
            if not stored and not any(r == ref for r, _p in self.scores):
                self.imp.problem(sheet, op.row, sheet.column("closed_on"), held["closed_on"],
                                 _("Đợt đánh giá chưa có điểm của ai (sheet Điểm đánh giá)."))  # fmt: skip
            elif not op.row.bad and self._clean(ref):
                self._round_records(held)

    # --- the people's records closing writes -----------------------------------------

    def _clean(self, ref) -> bool:
        """Are the rows naming this session or round free of errors (else the records'
        warning would only add to what must be fixed first)?"""
        return ref not in self.flawed and not (self.imp.actor is None and any(
            op.pk is None for (r, _p), op in self.results.items() if r == ref))  # fmt: skip

    def _records(self, sheet: Sheet, id_numbers: set, year: int, model, key: tuple,
                 fields: tuple) -> dict:  # fmt: skip
        """The rows of a people's sheet of `year` for these people as the package leaves
        them (its rows over the stored ones): (ID number, *key) -> values of `fields`."""
        found = {}
        for chunk in chunks(sorted(id_numbers)):
            stored = model.objects.filter(person__id_number__in=chunk, year=year)
            for number, *rest in stored.values_list("person__id_number", *key, *fields):
                found[(number, *rest[: len(key)])] = tuple(rest[len(key) :])
        for op in self.imp.ops.get(sheet.key, ()):
            values = op.row.values
            if values["person"] in id_numbers and values["year"] == year:
                found[(values["person"], *(values[k] for k in key))] = tuple(
                    0 if values[f] is None and f != "score" else values[f] for f in fields
                )
        return found

    def _session_records(self, session: dict, voted: dict) -> None:
        """What `session_close` writes into each record (`people.ConfidenceVote`: year, the
        body's name, the agreed figures and the base) is the Phiếu tín nhiệm sheet's to
        carry; a package closing a session without it gets a warning naming the people."""
        body = self.imp.name_of("unit", session["unit_code"])[:200]
        base = base_of(session["base_rule"], session["summoned"], session["present"],
                       session["ballots_returned"])  # fmt: skip
        found = self._records(VOTES, set(voted.values()), session["year"], ConfidenceVote,
                              ("body",), ("high", "normal", "low", "base"))  # fmt: skip
        lacking = []
        for person, number in sorted(voted.items(), key=lambda item: item[1]):
            op = self.results.get((session["ref"], person))
            figures = op.values if op is not None else self.stored_figures(session["ref"], person)
            expected = (figures["high"], figures["normal"], figures["low"], base)
            if found.get((number, body)) != expected:
                lacking.append(number)
        if lacking:
            self.imp.warning(VOTE_SESSIONS, session["op"].row, VOTE_SESSIONS.column("closed_on"),
                             session["closed_on"],
                             _("Nhập gói không ghi kết quả của phiên vào hồ sơ cán bộ: sheet Phiếu "
                               "tín nhiệm (của gói hay trong hệ thống) chưa có dòng năm %(year)d, "
                               "hội nghị “%(body)s” đúng với kết quả của %(people)s.")
                             % {"year": session["year"], "body": body,
                                "people": ", ".join(lacking)})  # fmt: skip

    def _round_records(self, held: dict) -> None:
        """What `round_close` writes into each record (`people.Evaluation` of the round's
        year: rating and score) is the Đánh giá sheet's to carry (as `_session_records`)."""
        ref = held["ref"]
        scores: dict[str, tuple] = {}
        if not isinstance(ref, NewRef):
            for (round_pk, _person), row in self.db_scores.items():
                if round_pk == ref:
                    scores[row["person__id_number"]] = (row["rating"], row["score"])
        for (round_ref, _person), op in self.scores.items():
            if round_ref == ref:
                stored = scores.get(op.row.values["person"], (None, None))
                scores[op.row.values["person"]] = (op.values.get("rating", stored[0]),
                                                   op.row.values["score"])  # fmt: skip
        found = self._records(EVALUATIONS, set(scores), held["year"], Evaluation, (),
                              ("rating", "score"))  # fmt: skip
        lacking = sorted(number for number, expected in scores.items()
                         if found.get((number,)) != expected)  # fmt: skip
        if lacking:
            self.imp.warning(EVALUATION_ROUNDS, held["op"].row, EVALUATION_ROUNDS.column("closed_on"),
                             held["closed_on"],
                             _("Nhập gói không ghi xếp loại của đợt vào hồ sơ cán bộ: sheet Đánh "
                               "giá (của gói hay trong hệ thống) chưa có dòng năm %(year)d đúng "
                               "với điểm và xếp loại của %(people)s.")
                             % {"year": held["year"], "people": ", ".join(lacking)})  # fmt: skip

    # --- applying -----------------------------------------------------------------

    def apply(self) -> None:
        imp = self.imp
        now = timezone.now()
        for kind, sheet, model in ((SESSION, VOTE_SESSIONS, VoteSession),
                                   (ROUND, EVALUATION_ROUNDS, EvaluationRound)):  # fmt: skip
            ops = imp.ops.get(sheet.key, [])
            new = [imp.new_object(model, op) for op in ops if op.pk is None]
            insert_objects(model, new)
            for obj in new:
                imp.created[kind][tuple(getattr(obj, f) for f in KEY_FIELDS)] = obj.pk
            changed = [op for op in ops if op.pk is not None and op.changed]
            imp.bulk_update(model, changed, extra={op.pk: {"updated_at": now} for op in changed})
            imp.audit_created(sheet, new, exclude=STAMPS, describe=self._held_text(sheet))
            imp.audit_updated(sheet, changed, self._op_text)
        self._apply_rows(VOTE_SUBJECTS, VoteSubject, {})
        self._apply_results()
        self._apply_rows(EVALUATION_SCORES, EvaluationScore, {"updated_at": now})

    def _apply_rows(self, sheet: Sheet, model, stamps: dict) -> None:
        imp = self.imp
        ops = imp.ops.get(sheet.key, [])
        new = [imp.new_object(model, op) for op in ops if op.pk is None]
        insert_objects(model, new)
        changed = [op for op in ops if op.pk is not None and op.changed]
        imp.bulk_update(model, changed, extra={op.pk: stamps for op in changed})
        by_obj = {id(obj): op for obj, op in zip(new, [op for op in ops if op.pk is None], strict=True)}
        imp.audit_created(sheet, new, exclude=STAMPS,
                          describe=lambda obj: self._op_text(by_obj[id(obj)]))  # fmt: skip
        imp.audit_updated(sheet, changed, self._op_text)

    def _apply_results(self) -> None:
        """Each new result as its two entries by the importing account."""
        imp = self.imp
        ops = [op for op in imp.ops.get(VOTE_RESULTS.key, []) if op.pk is None]
        if not ops:
            return
        tallies, texts = [], {}
        for op in ops:
            for round_no in double_entry.ROUNDS:
                tally = imp.new_object(VoteTally, op)
                tally.round, tally.entered_by_id = round_no, imp.actor.pk
                tallies.append(tally)
                texts[id(tally)] = f"{self._op_text(op)} ({round_no})"
        insert_objects(VoteTally, tallies)
        imp.audit_created(VOTE_RESULTS, tallies, exclude=STAMPS,
                          describe=lambda tally: texts[id(tally)])  # fmt: skip

    @staticmethod
    def _held_text(sheet: Sheet):
        return lambda obj: f"{sheet.title}: {obj.unit_id} – {format_day(obj.held_on)}"

    @staticmethod
    def _op_text(op: Op) -> str:
        values = op.row.values
        text = f"{op.sheet.title}: {values['unit']} – {format_day(values['held_on'])}"
        return f"{text} – {values['person']}" if "person" in values else text


def reviews(imp: PackageImport) -> ReviewsImport:
    return imp.state_of("reviews", lambda: ReviewsImport(imp))


def plan(imp: PackageImport) -> None:
    state = reviews(imp)
    for sheet in (VOTE_SUBJECTS, VOTE_RESULTS, EVALUATION_SCORES):
        if imp.has(sheet):
            people.load_people(imp, [r for r in imp.rows[sheet.key] if not r.bad])
    state.load()
    if imp.has(VOTE_SESSIONS):
        state.plan_held(SESSION, VOTE_SESSIONS)
    if imp.has(EVALUATION_ROUNDS):
        state.plan_held(ROUND, EVALUATION_ROUNDS)
    if imp.has(VOTE_SUBJECTS):
        state.plan_subjects()
    if imp.has(VOTE_RESULTS):
        state.plan_results()
    if imp.has(EVALUATION_SCORES):
        state.plan_scores()
    state.finish_sessions()
    state.finish_rounds()


def apply(imp: PackageImport) -> None:
    reviews(imp).apply()
