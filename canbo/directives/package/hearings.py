"""Importing a directive's hearing schedule: its slots ("Lịch làm việc") and the units
chosen for a direct hearing with the slot each booked ("Làm việc trực tiếp").

The rules are those of `editing.slot_add` (a slot not before the directive's date) and
`services.hearing_book` (a slot of the same directive, one unit per slot), checked on the
schedule as the package leaves it. Slots are found by directive, day and session,
invitations by directive and unit. An import never deletes a slot or an invitation.

Scope follows the services: slots and new invitations are written by editors of the
directive's issuing unit (`editing.slot_add`, `editing.invite`), a booking by editors of
the invited unit (`services.hearing_book`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from canbo.core.dates import format_day
from canbo.directives.models import HearingInvitation, HearingSlot
from canbo.exchange.exporter import label
from canbo.exchange.importer import NewRef, Op, PackageImport, chunks
from canbo.organizations.package import importing as units

from .sheets import HEARING_INVITATIONS, HEARING_SLOTS

SLOT = "slot_id"


def slot_text(day, session) -> str:
    """A slot as the directive page shows it: "15/07/2012 (Sáng)"."""
    return f"{format_day(day)} ({label(HearingSlot.Session, session)})"


class HearingsImport:
    """Slots and invitations of one import; `directives` is the part's `DirectivesImport`
    (the directives the rows name, their dates and issuing units)."""

    def __init__(self, directives):
        self.directives = directives
        self.imp: PackageImport = directives.imp
        self.slot_refs: dict[tuple, object] = {}  # (directive ref, day, session) -> pk or NewRef
        self.slot_keys: dict[int, tuple] = {}  # stored slot pk -> (directive, day, session)

    def _stored(self, model, fields: tuple[str, ...]) -> list[dict]:
        pks = sorted(row["id"] for row in self.directives.db_directives.values())
        found = []
        for chunk in chunks(pks):
            found += model.objects.filter(directive_id__in=chunk).order_by("pk").values(*fields)
        return found

    # --- planning -----------------------------------------------------------------------

    def plan(self) -> None:
        stored = self._stored(HearingSlot, ("id", "directive_id", "day", "session", "place"))
        self.db_slots = {(r["directive_id"], r["day"], r["session"]): r for r in stored}
        for key, row in self.db_slots.items():
            self.slot_refs[key] = row["id"]
            self.slot_keys[row["id"]] = key
        if self.imp.has(HEARING_SLOTS):
            self.plan_slots()
        if self.imp.has(HEARING_INVITATIONS):
            self.plan_invitations()

    def plan_slots(self) -> None:
        imp, sheet = self.imp, HEARING_SLOTS
        seen: dict = {}
        planned = []
        for row in imp.rows[sheet.key]:
            if row.bad:
                continue
            directive = self.directives.directive_ref(sheet, row, "directive_number",
                                                      "directive_unit")  # fmt: skip
            if directive is None:
                continue
            day, session = row.values["day"], row.values["session"]
            key = (directive, day, session)
            if imp.duplicate(sheet, row, seen, key, sheet.column("day")):
                continue
            current = self.db_slots.get(key)
            # Known from here on, so that the invitations booking it are checked even when
            # this row has errors of its own.
            self.slot_refs[key] = current["id"] if current else NewRef("hearing_slot", key)
            planned.append((row, directive, current))
        for row, directive, current in planned:
            values = {"directive_id": directive, "day": row.values["day"],
                      "session": row.values["session"]}  # fmt: skip
            if "place" not in row.values["_absent"]:
                values["place"] = row.values["place"]
            issued = self.directives.issued.get(directive)
            if issued and values["day"] < issued:
                imp.problem(sheet, row, sheet.column("day"), values["day"],
                            _("Buổi làm việc không thể trước ngày ban hành văn bản."))  # fmt: skip
                continue
            op = Op(sheet=sheet, row=row, values=values, pk=current["id"] if current else None)
            op.extra["directive"] = directive
            if current:
                imp.compare(op, current, values.keys())
            imp.ops[sheet.key].append(op)
            imp.count(sheet, op)

    def plan_invitations(self) -> None:
        imp, sheet = self.imp, HEARING_INVITATIONS
        stored = self._stored(HearingInvitation, ("id", "directive_id", "unit_id", "slot_id",
                                                  "unit__code"))  # fmt: skip
        db = {(r["directive_id"], r["unit_id"]): r for r in stored}
        seen: dict = {}
        planned: list[Op] = []
        for row in imp.rows[sheet.key]:
            if row.bad:
                continue
            directive = self.directives.directive_ref(sheet, row, "directive_number",
                                                      "directive_unit")  # fmt: skip
            unit = imp.resolve(sheet, row, sheet.column("unit"))
            if row.bad or directive is None or unit is None:
                continue
            key = (directive, unit)
            if imp.duplicate(sheet, row, seen, key, sheet.column("unit")):
                continue
            current = None if isinstance(directive, NewRef) else db.get(key)
            values = {"directive_id": directive, "unit_id": unit}
            self._booking(row, directive, values)
            if row.bad:
                continue
            op = Op(sheet=sheet, row=row, values=values, pk=current["id"] if current else None)
            op.extra.update(directive=directive, unit=unit)
            if current:
                imp.compare(op, current, values.keys())
            planned.append(op)
        self._clashes(planned, db)
        for op in planned:
            if not op.row.bad:
                imp.ops[sheet.key].append(op)
                imp.count(sheet, op)

    def _booking(self, row, directive, values: dict) -> None:
        """The slot a row books (both columns, or neither: no slot), of its directive."""
        imp, sheet = self.imp, HEARING_INVITATIONS
        absent = row.values["_absent"]
        if "slot_day" in absent and "slot_session" in absent:
            return
        day, session = row.values.get("slot_day"), row.values.get("slot_session")
        if not day and not session:
            values[SLOT] = None
            return
        if not day or not session:
            missing = "slot_session" if day else "slot_day"
            imp.problem(sheet, row, sheet.column(missing), "",
                        _("Ghi cả Ngày đăng ký và Buổi đăng ký, hoặc bỏ trống cả hai."))  # fmt: skip
            return
        slot = self.slot_refs.get((directive, day, session))
        if slot is None:
            imp.problem(sheet, row, sheet.column("slot_day"), day,
                        _("Văn bản này không có buổi %(slot)s trong sheet Lịch làm việc của gói "
                          "hay trong hệ thống.") % {"slot": slot_text(day, session)})  # fmt: skip
            return
        values[SLOT] = slot

    def _clashes(self, planned: list[Op], db: dict) -> None:
        """One unit per slot, as the schedule will stand: the stored bookings the package
        does not change, then the package's rows in order (a later row naming the holder)."""
        imp, sheet = self.imp, HEARING_INVITATIONS
        changed = {(op.extra["directive"], op.extra["unit"]) for op in planned if SLOT in op.values}
        holders: dict = {}
        for key, stored in db.items():
            if stored["slot_id"] is not None and key not in changed:
                holders[stored["slot_id"]] = (None, stored["unit__code"])
        for op in planned:
            slot = op.values.get(SLOT)
            if slot is None:
                continue
            holder = holders.get(slot)
            if holder is None:
                holders[slot] = (op.row.number, op.row.values["unit"])
                continue
            number, code = holder
            shown = slot_text(op.row.values["slot_day"], op.row.values["slot_session"])
            if number is None:
                message = _("Buổi %(slot)s đã có đơn vị “%(unit)s” đăng ký.") % {
                    "slot": shown, "unit": code}  # fmt: skip
            else:
                message = _("Buổi %(slot)s đã có đơn vị “%(unit)s” đăng ký ở dòng %(n)d của "
                            "sheet này.") % {"slot": shown, "unit": code, "n": number}  # fmt: skip
            imp.problem(sheet, op.row, sheet.column("slot_day"), op.row.values["slot_day"], message)

    # --- scope ---------------------------------------------------------------------------

    def check_scope(self) -> None:
        imp = self.imp
        unit_of = self.directives.unit_of
        for op in imp.ops.get(HEARING_SLOTS.key, ()):
            if op.writes and not units.unit_editable(imp, unit_of.get(op.extra["directive"])):
                imp.problem(HEARING_SLOTS, op.row, HEARING_SLOTS.column("directive_unit"),
                            op.row.values["directive_unit"], units.OUTSIDE)  # fmt: skip
        sheet = HEARING_INVITATIONS
        for op in imp.ops.get(sheet.key, ()):
            if op.pk is None and not units.unit_editable(imp, unit_of.get(op.extra["directive"])):
                imp.problem(sheet, op.row, sheet.column("directive_unit"),
                            op.row.values["directive_unit"], units.OUTSIDE)  # fmt: skip
            books = SLOT in op.changed or (op.pk is None and op.values.get(SLOT) is not None)
            if books and not units.unit_editable(imp, op.extra["unit"]):
                imp.problem(sheet, op.row, sheet.column("unit"), op.row.values["unit"],
                            units.OUTSIDE)  # fmt: skip

    # --- applying ------------------------------------------------------------------------

    def apply(self) -> None:
        imp = self.imp
        if imp.ops.get(HEARING_SLOTS.key):
            imp.apply_keyed(HEARING_SLOTS, created=("hearing_slot", _slot_key),
                            describe=_slot_text, describe_new=str)  # fmt: skip
        ops = imp.ops.get(HEARING_INVITATIONS.key)
        if not ops:
            return
        # Bookings that move are released first, so that units may swap slots in one package.
        moving = [HearingInvitation(pk=op.pk, slot=None) for op in ops
                  if op.pk is not None and SLOT in op.changed]  # fmt: skip
        HearingInvitation.objects.bulk_update(moving, ["slot"], batch_size=500)
        imp.apply_keyed(HEARING_INVITATIONS, describe=_invitation_text,
                        describe_new=lambda obj: f"{obj.directive_id} – {obj.unit_id}")  # fmt: skip


def _slot_key(obj: HearingSlot) -> tuple:
    return (obj.directive_id, obj.day, obj.session)


def _slot_text(op: Op) -> str:
    v = op.row.values
    return f"{HEARING_SLOTS.title}: {v['directive_number']} – {slot_text(v['day'], v['session'])}"


def _invitation_text(op: Op) -> str:
    v = op.row.values
    return f"{HEARING_INVITATIONS.title}: {v['directive_number']} – {v['unit']}"
