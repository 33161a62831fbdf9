"""Importing the units' submissions ("Báo cáo đơn vị") and their count cells ("Số liệu báo
cáo"): the rules of `canbo.reports.services` and of the models, on each submission as the
package leaves it.

- A submission is one of the round's forms, of a unit assigned the round's task; its
  moments agree with its status (a draft has not been sent, a decided one has been sent
  and decided, a returned one has a comment), it is sent on or after the cut-off, decided
  no earlier than sent, and nothing happened after today.
- What the services no longer allow is refused with their messages: an accepted submission
  does not change; a submitted one (waiting) may only be accepted or returned, its figures
  as they are.
- A cell is a count cell of the form; a corrected value differs from the computed one and
  has its reason. A row states the whole cell: a blank (or absent) "Số sửa" is an
  uncorrected cell, and a stored correction of that cell is withdrawn (as
  `withdraw_correction`). A new submission's cells missing from the package are 0; a
  stored one's are kept.
- A status without a decision (draft, submitted) has no decision's moment, and a draft no
  sending's: the package clears them even when no row of the sheet has the column (a JSON
  package leaves blank cells out), as `submit` clears the decision of a returned report.
- Who sent, decided or corrected is not in the package: a new record has none, and a
  package that changes when a submission was sent or decided clears who did it.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.core.audit import AuditAction, _plain, record_writes
from canbo.core.dates import format_day
from canbo.core.db import insert_objects
from canbo.exchange.importer import STAMPS, NewRef, Op, chunks, refused_note
from canbo.exchange.parsing import Row
from canbo.exchange.sheets import Sheet
from canbo.organizations.package import importing as units
from canbo.reports.forms import form_named
from canbo.reports.models import (
    Submission,
    SubmissionCorrection,
    SubmissionStatus,
    cell_key,
)
from canbo.reports.spec import COUNT, FormSpec

from .cells import minute, same_minute, write_moment
from .sheets import REPORT_CELLS, REPORT_SUBMISSIONS

SUBMISSION = "submission"
FIELDS = ("status", "computed_at", "submitted_at", "decided_at", "comment")
MOMENTS = ("computed_at", "submitted_at", "decided_at")
DECIDED = (SubmissionStatus.ACCEPTED, SubmissionStatus.RETURNED)
FROZEN = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)
CORRECTION_FIELDS = ("computed", "corrected", "reason", "corrected_at")


def frozen_message(status: str) -> str:
    """Why a stored submission's figures cannot change (the services' words)."""
    if status == SubmissionStatus.ACCEPTED:
        return _("Báo cáo đã được cấp trên tiếp nhận: số liệu không thay đổi được.")
    return _("Báo cáo đã gửi, đang chờ cấp trên xem xét: không sửa được. Nếu cần sửa, đề nghị "
             "cấp trên trả lại báo cáo.")  # fmt: skip


def decider_message() -> str:
    return _("Chỉ cấp trên (có quyền sửa với đơn vị yêu cầu báo cáo và đơn vị báo cáo) mới tiếp "
             "nhận hoặc trả lại báo cáo.")  # fmt: skip


def compare(op: Op, current: dict, names) -> None:
    """As `PackageImport.compare`, moments compared to the minute (as the package writes them)."""
    for name in names:
        new, old = op.values.get(name), current.get(name)
        if (
            (not same_minute(new, old))
            if name in MOMENTS
            else (isinstance(new, NewRef) or new != old)
        ):
            op.changed.append(name)
    op.before = {name: current.get(name) for name in op.changed}


class SubmissionsImport:
    """Submissions and cells of one import; `reports` is the part's `ReportsImport` (the
    rounds the rows name, who is assigned their tasks)."""

    def __init__(self, reports):
        self.reports = reports
        self.imp = reports.imp
        # (round key, unit ref, form code) -> the submission as the package leaves it
        self.found: dict[tuple, dict] = {}
        self.refused: dict[tuple, int] = {}  # key -> the submission's refused row

    # --- loading ---------------------------------------------------------------------------

    def load(self) -> None:
        """The stored submissions of the rounds the rows name, and their corrections."""
        rounds = sorted(row["id"] for row in self.reports.db_rounds.values())
        names = [f.attname for f in Submission._meta.concrete_fields]
        self.db: dict[tuple, dict] = {}
        for chunk in chunks(rounds):
            for row in Submission.objects.filter(round_id__in=chunk).values(*names):
                self.db[(row["round_id"], row["unit_id"], row["form_code"])] = row
        names = [f.attname for f in SubmissionCorrection._meta.concrete_fields]
        self.db_corrections: dict[tuple, dict] = {}
        for chunk in chunks(sorted(row["id"] for row in self.db.values())):
            for row in SubmissionCorrection.objects.filter(submission_id__in=chunk).values(*names):
                self.db_corrections[(row["submission_id"], row["row"], row["column"])] = row

    def plan(self) -> None:
        self.load()
        if self.imp.has(REPORT_SUBMISSIONS):
            self.plan_submissions()
        if self.imp.has(REPORT_CELLS):
            self.plan_cells()
        self.plan_counts()

    # --- naming ------------------------------------------------------------------------------

    def form_of(self, sheet: Sheet, row: Row, round_info: dict | None) -> FormSpec | None:
        code = row.values.get("form") or ""
        form = form_named(code)
        if form is None:
            self.imp.problem(sheet, row, sheet.column("form"), code,
                             _("Không có biểu báo cáo mã “%(code)s”.") % {"code": code})  # fmt: skip
        elif round_info is not None and form.code not in round_info["form_codes"]:
            self.imp.problem(sheet, row, sheet.column("form"), code,
                             _("Đợt báo cáo này không có biểu %(code)s.") % {"code": form.code})  # fmt: skip
            return None
        return form

    def _stored(self, round_info: dict, unit, form: str) -> dict | None:
        if isinstance(round_info["ref"], NewRef) or isinstance(unit, NewRef):
            return None
        return self.db.get((round_info["ref"], unit, form))

    def submission_of(self, sheet: Sheet, row: Row) -> dict | None:
        """The submission a cell row names, as the package leaves it (or None, reported)."""
        key_round, round_info = self.reports.round_of(sheet, row)
        unit = self.imp.resolve(sheet, row, sheet.column("unit"))
        form = self.form_of(sheet, row, round_info)
        if round_info is None or unit is None or form is None:
            return None
        key = (key_round, unit, form.code)
        found = self.found.get(key)
        if found is not None:
            return found
        stored = self._stored(round_info, unit, form.code)
        if stored is not None:
            found = self.found[key] = self._entry(round_info, unit, form, stored, stored["status"])
            return found
        column = sheet.column("form")
        if key in self.refused:
            self.imp.problem(sheet, row, column, form.code,
                             refused_note(_("báo cáo biểu"), form.code,
                                          self.imp.sheet_name(REPORT_SUBMISSIONS), self.refused[key]))  # fmt: skip
        else:
            self.imp.problem(sheet, row, column, form.code,
                             _("Không có báo cáo biểu %(form)s của đơn vị “%(unit)s” trong đợt này "
                               "trong sheet Báo cáo đơn vị của gói hay trong hệ thống.")
                             % {"form": form.code, "unit": row.values["unit"]})  # fmt: skip
        return None

    @staticmethod
    def _entry(round_info: dict, unit, form: FormSpec, stored: dict | None, status: str) -> dict:
        ref = stored["id"] if stored else NewRef(SUBMISSION, (round_info["ref"], unit, form.code))
        return {"ref": ref, "stored": stored, "form": form, "unit": unit, "status": status,
                "issuer": round_info["issuing_unit"], "op": None, "cells": {}, "cell_ops": []}  # fmt: skip

    # --- submissions ---------------------------------------------------------------------------

    def plan_submissions(self) -> None:
        imp, sheet = self.imp, REPORT_SUBMISSIONS
        seen: dict = {}
        for row in imp.rows[sheet.key]:
            if row.bad:
                continue
            key_round, round_info = self.reports.round_of(sheet, row)
            unit = imp.resolve(sheet, row, sheet.column("unit"))
            form = self.form_of(sheet, row, round_info)
            if round_info is None or unit is None or form is None:
                if key_round is not None and unit is not None and form is not None:
                    self.refused[(key_round, unit, form.code)] = row.number
                continue
            key = (key_round, unit, form.code)
            if imp.duplicate(sheet, row, seen, key, sheet.column("form")):
                continue
            if (round_info["task"], unit) not in self.reports.assigned:
                imp.problem(sheet, row, sheet.column("unit"), row.values["unit"],
                            _("Đơn vị “%(unit)s” không được giao báo cáo trong đợt này (sheet Giao "
                              "nhiệm vụ của gói hay trong hệ thống).") % {"unit": row.values["unit"]})  # fmt: skip
            current = self._stored(round_info, unit, form.code)
            absent = row.values["_absent"]
            values = {"round_id": round_info["ref"], "unit_id": unit, "form_code": form.code}
            values.update((name, row.values[name]) for name in FIELDS if name not in absent)
            # A status without a decision clears it, a draft its sending (as `submit` does),
            # also when no row of the sheet has the column (a JSON package leaves out blanks).
            if values["status"] not in DECIDED:
                values["decided_at"] = values.get("decided_at")
            if values["status"] == SubmissionStatus.DRAFT:
                values["submitted_at"] = values.get("submitted_at")
            merged = {**(current or {}), **values}
            self._rules(sheet, row, merged, round_info)
            op = Op(sheet=sheet, row=row, values=values, pk=current["id"] if current else None)
            op.extra.update(unit=unit, issuer=round_info["issuing_unit"])
            if current:
                compare(op, current, values.keys())
                self._frozen(sheet, row, current, op, merged["status"])
                self._stale(sheet, row, current, merged)
                self._clear_who(op, current)
            op.extra["decides"] = merged["status"] in DECIDED and (
                current is None or bool({"status", "decided_at", "comment"} & set(op.changed)))  # fmt: skip
            if row.bad:
                self.refused[key] = row.number
                continue
            entry = self.found[key] = self._entry(round_info, unit, form, current, merged["status"])
            entry["op"] = op
            imp.ops[sheet.key].append(op)
            imp.count(sheet, op)

    def _rules(self, sheet: Sheet, row: Row, s: dict, round_info: dict) -> None:
        """The moments a status needs, in order, and not in the future (the services)."""

        def report(name: str, message: str) -> None:
            self.imp.problem(sheet, row, sheet.column(name), row.values.get(name), message)

        status, sent, decided = s["status"], s.get("submitted_at"), s.get("decided_at")
        for name in MOMENTS:
            if s.get(name) and timezone.localdate(s[name]) > self.reports.today:
                report(name, _("Thời điểm này không được sau ngày hôm nay."))
        if status == SubmissionStatus.DRAFT and sent:
            report("submitted_at", _("Báo cáo đang lập chưa được gửi: để trống Thời điểm gửi."))
        elif status != SubmissionStatus.DRAFT and not sent:
            report("submitted_at", _("Báo cáo đã gửi phải có Thời điểm gửi."))
        if status not in DECIDED and decided:
            report("decided_at", _("Báo cáo chưa được tiếp nhận hay trả lại: để trống Thời điểm "
                                   "tiếp nhận, trả lại."))  # fmt: skip
        elif status in DECIDED and not decided:
            report("decided_at", _("Báo cáo đã được tiếp nhận hoặc trả lại phải có Thời điểm tiếp "
                                   "nhận, trả lại."))  # fmt: skip
        if status == SubmissionStatus.RETURNED and not (s.get("comment") or "").strip():
            report("comment", _("Trả lại báo cáo thì phải ghi ý kiến."))
        if sent and decided and minute(decided) < minute(sent):
            report("decided_at", _("Thời điểm tiếp nhận, trả lại không được trước thời điểm gửi."))
        cut_off = round_info["period_end"]
        if sent and timezone.localdate(sent) < cut_off:
            report("submitted_at", _("Thời điểm gửi không được trước ngày chốt số liệu (%(date)s).")
                   % {"date": format_day(cut_off)})  # fmt: skip

    def _frozen(self, sheet: Sheet, row: Row, current: dict, op: Op, status: str) -> None:
        """An accepted submission does not change; a waiting one may only be decided."""
        if not op.changed or current["status"] not in FROZEN:
            return
        allowed = set()
        if current["status"] == SubmissionStatus.SUBMITTED and status in DECIDED:
            allowed = {"status", "decided_at", "comment"}
        refused = [name for name in op.changed if name not in allowed]
        if not refused:
            return
        name = refused[0]
        if current["status"] == SubmissionStatus.ACCEPTED:
            message = _("Báo cáo đã được cấp trên tiếp nhận: không thay đổi được.")
        else:
            message = frozen_message(current["status"])
        self.imp.problem(sheet, row, sheet.column(name), row.values.get(name), message)

    def _stale(self, sheet: Sheet, row: Row, current: dict, s: dict) -> None:
        """A returned submission is sent again after its return, never undone by an older
        package (the services go from returned to submitted only, by sending again)."""
        if (
            current["status"] != SubmissionStatus.RETURNED
            or s["status"] == SubmissionStatus.RETURNED
        ):
            return
        if s["status"] == SubmissionStatus.DRAFT:
            self.imp.problem(sheet, row, sheet.column("status"), row.values["status"],
                             _("Báo cáo đã được gửi: không trở lại tình trạng đang lập được."))  # fmt: skip
        elif s.get("submitted_at") and minute(s["submitted_at"]) <= minute(current["decided_at"]):
            self.imp.problem(sheet, row, sheet.column("submitted_at"), row.values["submitted_at"],
                             _("Báo cáo đã bị trả lại lúc %(moment)s, sau lần gửi này: gói này cũ "
                               "hơn việc trả lại.") % {"moment": write_moment(current["decided_at"])})  # fmt: skip

    @staticmethod
    def _clear_who(op: Op, current: dict) -> None:
        """Who sent or decided is not known here once the moment changes."""
        for moment, who in (("submitted_at", "submitted_by_id"), ("decided_at", "decided_by_id")):
            if moment in op.changed and current[who] is not None:
                op.values[who] = None
                op.changed.append(who)
                op.before[who] = current[who]

    # --- cells ------------------------------------------------------------------------------

    def plan_cells(self) -> None:
        imp, sheet = self.imp, REPORT_CELLS
        seen: dict = {}
        for row in imp.rows[sheet.key]:
            if row.bad:
                continue
            entry = self.submission_of(sheet, row)
            if entry is None:
                continue
            cell = self._cell(sheet, row, entry["form"])
            if cell is None or imp.duplicate(sheet, row, seen, (id(entry), cell),
                                             sheet.column("column")):  # fmt: skip
                continue
            op = self._cell_op(sheet, row, entry, cell)
            if row.bad:
                continue
            entry["cells"][cell] = row.values["computed"]
            entry["cell_ops"].append(op)
            imp.ops[sheet.key].append(op)
            imp.count(sheet, op)

    def _cell(self, sheet: Sheet, row: Row, form: FormSpec) -> tuple[str, str] | None:
        """(row code, column code) of a count cell of `form`, or None (reported)."""
        code, column_code = row.values["row"], row.values["column"]
        if code not in {r.code for r in form.rows}:
            self.imp.problem(sheet, row, sheet.column("row"), code,
                             _("Biểu %(form)s không có dòng %(row)s.") % {"form": form.code, "row": code})  # fmt: skip
        column = next((c for c in form.columns if c.code == column_code), None)
        if column is None:
            self.imp.problem(sheet, row, sheet.column("column"), column_code,
                             _("Biểu %(form)s không có cột %(column)s.")
                             % {"form": form.code, "column": column_code})  # fmt: skip
        elif column.kind != COUNT:
            self.imp.problem(sheet, row, sheet.column("column"), column_code,
                             _("Cột %(column)s của biểu %(form)s là tỷ lệ, hệ số: hệ thống tính "
                               "lại từ các ô số lượng, không ghi trong gói.")
                             % {"form": form.code, "column": column_code})  # fmt: skip
        return None if row.bad else (code, column_code)

    def _cell_op(self, sheet: Sheet, row: Row, entry: dict, cell: tuple[str, str]) -> Op:
        """The cell's count and correction, compared with the stored ones."""
        values = row.values
        computed, corrected, reason, at = (values["computed"], values["corrected"],
                                           values["reason"] or "", values["corrected_at"])  # fmt: skip

        def report(name: str, message: str) -> None:
            self.imp.problem(sheet, row, sheet.column(name), values.get(name), message)

        if corrected is not None and corrected == computed:
            report(
                "corrected",
                _("Số sửa bằng số tính từ hồ sơ (%(n)s): không cần sửa.") % {"n": computed},
            )
        if corrected is not None and not reason.strip():
            report("reason", _("Hãy ghi lý do sửa số liệu."))
        if corrected is None and reason.strip():
            report("reason", _("Chỉ ghi lý do sửa khi có Số sửa."))
        if corrected is None and at is not None:
            report("corrected_at", _("Chỉ ghi thời điểm sửa khi có Số sửa."))
        if at is not None and timezone.localdate(at) > self.reports.today:
            report("corrected_at", _("Thời điểm này không được sau ngày hôm nay."))
        stored = entry["stored"]
        old_count = (stored["counts"] or {}).get(cell_key(*cell)) if stored else None
        old = self.db_corrections.get((stored["id"], *cell)) if stored else None
        # The row states the whole cell: a blank (or absent) corrected value is no correction.
        if old is not None and (at is None or same_minute(at, old["corrected_at"])):
            at = old["corrected_at"]  # as stored: the package writes it to the minute
        want = None if corrected is None else {
            "computed": computed, "corrected": corrected, "reason": reason.strip(),
            "corrected_at": at or self.reports.now}  # fmt: skip
        changed = [] if old_count == computed else ["computed"]
        if old is not None and want is not None:
            changed += [name for name in CORRECTION_FIELDS if want[name] != old[name]]
        elif old is not None or want is not None:
            changed += ["corrected"]
        pk = None if stored is None or (old_count is None and old is None) else stored["id"]
        op = Op(
            sheet=sheet, row=row, values={"computed": computed}, pk=pk, changed=sorted(set(changed))
        )
        op.extra.update(entry=entry, cell=cell, want=want, old=old, unit=entry["unit"])
        if stored is not None and stored["status"] in FROZEN and op.writes:
            name = next(iter(changed), "computed")
            report(name, frozen_message(stored["status"]))
        return op

    # --- counts --------------------------------------------------------------------------------

    def plan_counts(self) -> None:
        """Each submission's counts as the package leaves them: stored (or 0 for a new one)
        with the package's cells; a stored one named by cells alone gets an op of its own."""
        for entry in self.found.values():
            stored, form = entry["stored"], entry["form"]
            if stored is None:
                counts = {cell_key(*key): 0 for key in form.count_keys()}
            else:
                counts = dict(stored["counts"] or {})
            counts.update((cell_key(*key), n) for key, n in entry["cells"].items())
            entry["counts"] = counts
            op = entry["op"]
            if stored is None:
                op.values["counts"] = counts
            elif counts != (stored["counts"] or {}):
                if op is None:
                    first = entry["cell_ops"][0]
                    op = entry["op"] = Op(
                        sheet=REPORT_SUBMISSIONS, row=first.row, values={}, pk=stored["id"]
                    )
                    op.extra.update(implicit=True, unit=entry["unit"], issuer=entry["issuer"])
                    self.imp.ops[REPORT_SUBMISSIONS.key].append(op)
                op.values["counts"] = counts
                op.changed.append("counts")
                op.before["counts"] = stored["counts"]

    # --- scope ---------------------------------------------------------------------------------

    def check_scope(self) -> None:
        imp = self.imp
        for op in imp.ops.get(REPORT_SUBMISSIONS.key, ()):
            if op.extra.get("implicit") or not op.writes:
                continue
            sheet = REPORT_SUBMISSIONS
            if not units.unit_editable(imp, op.extra["unit"]):
                imp.problem(
                    sheet, op.row, sheet.column("unit"), op.row.values["unit"], units.OUTSIDE
                )
            elif op.extra["decides"] and not units.unit_editable(imp, op.extra["issuer"]):
                imp.problem(sheet, op.row, sheet.column("status"), op.row.values["status"],
                            decider_message())  # fmt: skip
        for op in imp.ops.get(REPORT_CELLS.key, ()):
            if op.writes and not units.unit_editable(imp, op.extra["unit"]):
                imp.problem(REPORT_CELLS, op.row, REPORT_CELLS.column("unit"), op.row.values["unit"],
                            units.OUTSIDE)  # fmt: skip

    # --- applying ------------------------------------------------------------------------------

    def apply(self) -> None:
        imp = self.imp
        ops = imp.ops.get(REPORT_SUBMISSIONS.key, [])
        created = [op for op in ops if op.pk is None]
        new = [imp.new_object(Submission, op) for op in created]
        insert_objects(Submission, new)
        for obj in new:
            imp.created[SUBMISSION][(obj.round_id, obj.unit_id, obj.form_code)] = obj.pk
        changed = [op for op in ops if op.pk is not None and op.changed]
        imp.bulk_update(Submission, changed, extra={op.pk: {"updated_at": self.reports.now}
                                                    for op in changed})  # fmt: skip
        imp.audit_created(REPORT_SUBMISSIONS, new, exclude=STAMPS, describe=_submission_text)
        imp.audit_updated(REPORT_SUBMISSIONS, changed, _submission_op_text)
        self.apply_corrections()

    def apply_corrections(self) -> None:
        imp = self.imp
        cell_ops = [op for op in imp.ops.get(REPORT_CELLS.key, ()) if op.writes]
        created, updated, removed = [], [], []
        for op in cell_ops:
            want, old = op.extra["want"], op.extra["old"]
            if want is not None and old is None:
                submission = imp.pk_of(op.extra["entry"]["ref"])
                created.append((SubmissionCorrection(submission_id=submission, row=op.extra["cell"][0],
                                                     column=op.extra["cell"][1], **want), op))  # fmt: skip
            elif want is None and old is not None:
                removed.append(op)
            elif want is not None and any(want[k] != old[k] for k in CORRECTION_FIELDS):
                updated.append(op)
        new = [obj for obj, _op in created]
        insert_objects(SubmissionCorrection, new)
        fields = list(CORRECTION_FIELDS)
        objects = [
            SubmissionCorrection(pk=op.extra["old"]["id"], **op.extra["want"]) for op in updated
        ]
        SubmissionCorrection.objects.bulk_update(objects, fields, batch_size=500)
        for chunk in chunks(sorted(op.extra["old"]["id"] for op in removed)):
            SubmissionCorrection.objects.filter(pk__in=chunk).delete()
        imp.audit_created(REPORT_CELLS, new, describe=_correction_text)

        def changes(before: dict | None, after: dict | None) -> dict[str, list[Any]]:
            return {name: [_plain(before[name]) if before else None, _plain(after[name]) if after else None]
                    for name in CORRECTION_FIELDS
                    if (before or {}).get(name) != (after or {}).get(name)}  # fmt: skip

        record_writes(actor=imp.actor, action=AuditAction.UPDATE, model=SubmissionCorrection,
                      items=((op.extra["old"]["id"], changes(op.extra["old"], op.extra["want"]),
                              _cell_text(op)) for op in updated))  # fmt: skip
        record_writes(actor=imp.actor, action=AuditAction.DELETE, model=SubmissionCorrection,
                      items=((op.extra["old"]["id"], changes(op.extra["old"], None), _cell_text(op))
                             for op in removed))  # fmt: skip


def _submission_text(obj: Submission) -> str:
    return f"{REPORT_SUBMISSIONS.title}: {obj.form_code} – {obj.unit_id}"


def _submission_op_text(op: Op) -> str:
    values = op.row.values
    return f"{REPORT_SUBMISSIONS.title}: {values['directive_number']} – {values['unit']} – {values['form']}"


def _correction_text(obj: SubmissionCorrection) -> str:
    return f"{REPORT_CELLS.title}: {obj.row}:{obj.column} {obj.computed} → {obj.corrected}"


def _cell_text(op: Op) -> str:
    values = op.row.values
    return (f"{REPORT_CELLS.title}: {values['directive_number']} – {values['unit']} – "
            f"{values['form']} {values['row']}:{values['column']}")  # fmt: skip
