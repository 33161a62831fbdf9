"""Writes on plans: validated, scoped, audited, one transaction each.

Every service locks the plan, re-checks inside its transaction that the actor
may edit the planning unit (`canbo.core.scope`), validates with `full_clean`,
and records an audit event per row written. Nothing is deleted: an entry
taken out of a plan keeps its row with the date and reason of removal.

Who may change what, by status:

- draft: entries are added and removed one by one (`entry_add`, `entry_remove`);
- submitted: nothing changes until the plan is approved or reopened;
- approved / published: the list changes only through a recorded review
  (`review_record`, "rà soát, bổ sung quy hoạch"), which keeps the list before
  and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.core import scope
from canbo.core.audit import AuditAction, record_write, snapshot
from canbo.core.dates import format_day
from canbo.core.validators import ensure_not_after
from canbo.organizations.models import Position, Term, Unit
from canbo.people.models import Person

from .choices import EntrySource, PlanStatus, RemovalReason
from .models import Plan, PlanEntry, PlanPosition, PlanReview, PlanTransition

AUDIT_EXCLUDE = ("created_at", "updated_at")


@dataclass(frozen=True)
class EntryAddition:
    """One person added to a plan during a review."""

    person: Person
    position: Position
    source: str = EntrySource.INSIDE
    first_time: bool = False
    added_decision: str = ""


@dataclass(frozen=True)
class EntryRemoval:
    """One entry taken out of a plan during a review."""

    entry: PlanEntry
    reason: str
    note: str = ""


def _today() -> dt.date:
    return timezone.localdate()


def _lock(plan: Plan) -> Plan:
    return (
        Plan.objects.select_for_update(of=("self",))
        .select_related("planning_unit", "term")
        .get(pk=plan.pk)
    )


def _ensure_editable(actor, plan: Plan) -> None:
    scope.ensure_unit_allowed(actor, plan.planning_unit, scope.EDIT)


def _status_label(status: str) -> str:
    return str(PlanStatus(status).label) if status else "–"


def _not_after_today(field: str, value: dt.date | None) -> None:
    ensure_not_after(field, value, _today())


def _audit_create(actor, row) -> None:
    record_write(
        actor=actor,
        action=AuditAction.CREATE,
        instance=row,
        after=snapshot(row, exclude=AUDIT_EXCLUDE),
    )


def _save_new(actor, row):
    row.full_clean()
    row.save()
    _audit_create(actor, row)
    return row


def _ensure_positions(actor, plan: Plan, positions: Iterable[Position]) -> list[PlanPosition]:
    """Add the positions the plan does not cover yet; returns the rows created."""
    wanted = {p.pk: p for p in positions}
    have = set(
        PlanPosition.objects.filter(plan=plan, position_id__in=wanted).values_list(
            "position_id", flat=True
        )
    )
    return [
        _save_new(actor, PlanPosition(plan=plan, position=wanted[pk]))
        for pk in sorted(wanted)
        if pk not in have
    ]


def _record_transition(
    actor, plan: Plan, from_status: str, *, reason="", decision_number="", decision_date=None
) -> PlanTransition:
    return _save_new(
        actor,
        PlanTransition(
            plan=plan,
            from_status=from_status,
            to_status=plan.status,
            at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            reason=reason,
            decision_number=decision_number,
            decision_date=decision_date,
        ),
    )


@transaction.atomic
def plan_create(
    *,
    actor,
    planning_unit: Unit,
    term: Term,
    name: str = "",
    min_minority_share: Decimal | None = None,
    positions: Sequence[Position] = (),
) -> Plan:
    """A new draft plan of `planning_unit` for `term`, covering `positions`."""
    scope.ensure_unit_allowed(actor, planning_unit, scope.EDIT)
    plan = Plan(
        planning_unit=planning_unit,
        term=term,
        name=" ".join((name or "").split())
        or _("%(unit)s, nhiệm kỳ %(term)s") % {"unit": planning_unit.name, "term": term.name},
        min_minority_share=min_minority_share,
        status=PlanStatus.DRAFT,
    )
    _save_new(actor, plan)
    _record_transition(actor, plan, "")
    _ensure_positions(actor, plan, positions)
    return plan


@transaction.atomic
def plan_add_positions(*, actor, plan: Plan, positions: Sequence[Position]) -> list[PlanPosition]:
    """Cover more positions with a draft plan (a reviewed plan adds them through a review)."""
    plan = _lock(plan)
    _ensure_editable(actor, plan)
    _ensure_draft(plan)
    return _ensure_positions(actor, plan, positions)


def _change_status(
    actor,
    plan: Plan,
    to_status: str,
    allowed_from: Iterable[str],
    *,
    reason: str = "",
    decision_number: str = "",
    decision_date: dt.date | None = None,
    fields: dict | None = None,
) -> Plan:
    plan = _lock(plan)
    _ensure_editable(actor, plan)
    if plan.status not in allowed_from:
        raise ValidationError(
            _("Không thể chuyển quy hoạch từ trạng thái “%(from)s” sang “%(to)s”.")
            % {"from": _status_label(plan.status), "to": _status_label(to_status)}
        )
    before = snapshot(plan, exclude=AUDIT_EXCLUDE)
    from_status = plan.status
    plan.status = to_status
    for name, value in (fields or {}).items():
        setattr(plan, name, value)
    plan.full_clean()
    plan.save()
    record_write(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=plan,
        before=before,
        after=snapshot(plan, exclude=AUDIT_EXCLUDE),
    )
    _record_transition(
        actor,
        plan,
        from_status,
        reason=reason,
        decision_number=decision_number,
        decision_date=decision_date,
    )
    return plan


@transaction.atomic
def plan_submit(*, actor, plan: Plan) -> Plan:
    """Send a draft plan to the competent level for approval."""
    return _change_status(actor, plan, PlanStatus.SUBMITTED, [PlanStatus.DRAFT])


@transaction.atomic
def plan_approve(
    *,
    actor,
    plan: Plan,
    approver_unit: Unit,
    decision_number: str,
    decision_date: dt.date,
    approved_on: dt.date | None = None,
) -> Plan:
    """Record the approval decision of a submitted plan.

    The approving unit is the planning unit itself or one above it in the tree.
    `approved_on` (from when the plan is in force) defaults to the decision date.
    """
    decision_number = " ".join((decision_number or "").split())
    if not decision_number:
        raise ValidationError({"decision_number": _("Hãy nhập số quyết định phê duyệt.")})
    if decision_date is None:
        raise ValidationError({"decision_date": _("Hãy nhập ngày quyết định phê duyệt.")})
    _not_after_today("decision_date", decision_date)
    approved_on = approved_on or decision_date
    if approved_on < decision_date:
        raise ValidationError(
            {"approved_on": _("Ngày phê duyệt không được trước ngày quyết định.")}
        )
    current = Plan.objects.select_related("planning_unit").get(pk=plan.pk)
    if approver_unit is None or not current.planning_unit.path.startswith(approver_unit.path):
        raise ValidationError(
            {
                "approver_unit": _(
                    "Cấp phê duyệt phải là chính đơn vị lập quy hoạch hoặc đơn vị cấp trên."
                )
            }
        )
    return _change_status(
        actor,
        plan,
        PlanStatus.APPROVED,
        [PlanStatus.SUBMITTED],
        decision_number=decision_number,
        decision_date=decision_date,
        fields={
            "approver_unit": approver_unit,
            "approved_on": approved_on,
            "decision_number": decision_number,
            "decision_date": decision_date,
        },
    )


@transaction.atomic
def plan_publish(*, actor, plan: Plan, published_on: dt.date | None = None) -> Plan:
    """Publish an approved plan (công khai quy hoạch)."""
    published_on = published_on or _today()
    _not_after_today("published_on", published_on)
    current = Plan.objects.get(pk=plan.pk)
    if current.approved_on and published_on < current.approved_on:
        raise ValidationError({"published_on": _("Ngày công bố không được trước ngày phê duyệt.")})
    return _change_status(
        actor,
        plan,
        PlanStatus.PUBLISHED,
        [PlanStatus.APPROVED],
        fields={"published_on": published_on},
    )


@transaction.atomic
def plan_reopen(*, actor, plan: Plan, reason: str) -> Plan:
    """Bring a submitted, approved or published plan back to draft; the reason is kept.

    The previous approval (decision, dates) stays on the plan and in its
    history until a new approval replaces it.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy nêu lý do đưa quy hoạch về dự thảo.")})
    return _change_status(
        actor,
        plan,
        PlanStatus.DRAFT,
        [PlanStatus.SUBMITTED, PlanStatus.APPROVED, PlanStatus.PUBLISHED],
        reason=reason,
    )


def _ensure_draft(plan: Plan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(
            _(
                "Quy hoạch đang ở trạng thái “%(status)s”: chỉ thêm, bớt trực tiếp khi còn là "
                "dự thảo; quy hoạch đã phê duyệt được bổ sung, điều chỉnh qua rà soát."
            )
            % {"status": _status_label(plan.status)}
        )


def _new_entry(actor, plan: Plan, **fields) -> PlanEntry:
    entry = PlanEntry(plan=plan, **fields)
    _ensure_review_links(entry, added_in=fields.get("added_in_review"))
    return _save_new(actor, entry)


@transaction.atomic
def entry_add(
    *,
    actor,
    plan: Plan,
    person: Person,
    position: Position,
    source: str = EntrySource.INSIDE,
    added_on: dt.date | None = None,
    added_decision: str = "",
    first_time: bool = False,
) -> PlanEntry:
    """Plan `person` for `position` in a draft plan (the plan then covers the position)."""
    plan = _lock(plan)
    _ensure_editable(actor, plan)
    _ensure_draft(plan)
    added_on = added_on or _today()
    _not_after_today("added_on", added_on)
    _ensure_positions(actor, plan, [position])
    return _new_entry(
        actor,
        plan,
        person=person,
        position=position,
        source=source,
        added_on=added_on,
        added_decision=added_decision.strip(),
        first_time=first_time,
    )


def _remove(
    actor, entry: PlanEntry, *, reason: str, note: str, removed_on: dt.date, review=None
) -> PlanEntry:
    if reason not in RemovalReason.values:
        raise ValidationError({"removal_reason": _("Hãy chọn lý do đưa ra khỏi quy hoạch.")})
    note = (note or "").strip()
    if reason == RemovalReason.OTHER and not note:
        raise ValidationError({"removal_note": _("Lý do khác: hãy ghi rõ lý do.")})
    if entry.removed_on is not None:
        raise ValidationError(
            _("Cán bộ này đã được đưa ra khỏi quy hoạch ngày %(date)s.")
            % {"date": format_day(entry.removed_on)}
        )
    before = snapshot(entry, exclude=AUDIT_EXCLUDE)
    entry.removed_on = removed_on
    entry.removal_reason = reason
    entry.removal_note = note
    entry.removed_in_review = review
    _ensure_review_links(entry, removed_in=review)
    entry.full_clean()
    entry.save()
    record_write(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=entry,
        before=before,
        after=snapshot(entry, exclude=AUDIT_EXCLUDE),
    )
    return entry


@transaction.atomic
def entry_remove(
    *,
    actor,
    entry: PlanEntry,
    reason: str,
    note: str = "",
    removed_on: dt.date | None = None,
) -> PlanEntry:
    """Take an entry out of a draft plan; the row stays, dated and with its reason."""
    plan = _lock(entry.plan)
    _ensure_editable(actor, plan)
    _ensure_draft(plan)
    entry = PlanEntry.objects.select_for_update(of=("self",)).get(pk=entry.pk, plan=plan)
    removed_on = removed_on or _today()
    _not_after_today("removed_on", removed_on)
    return _remove(actor, entry, reason=reason, note=note, removed_on=removed_on)


def review_list(pairs: Iterable[tuple]) -> list[dict]:
    """(ID number, position id) pairs as a review stores them: sorted by position, then ID."""
    return [
        {"id_number": id_number, "position": position}
        for id_number, position in sorted(set(pairs), key=lambda r: (r[1], r[0]))
    ]


def active_list(plan: Plan) -> list[dict]:
    """The plan's active (person, position) pairs as stored in a review's snapshots."""
    rows = PlanEntry.objects.filter(plan=plan, removed_on__isnull=True).values_list(
        "person__id_number", "position_id"
    )
    return review_list(rows)


@dataclass(frozen=True)
class ListedEntry:
    """An entry as a review's lists see it.

    `added_review_on` / `removed_review_on`: the date of the review that added / took out
    the entry, None when it was added / taken out directly (in a draft, or by an import).
    `position` is a Position id (the importer may pass a reference it resolves later).
    """

    id_number: str
    position: object
    added_review_on: dt.date | None = None
    removed: bool = False
    removed_review_on: dt.date | None = None


def review_members(entries: Iterable[ListedEntry], reviewed_on: dt.date) -> tuple[list, list]:
    """The (ID number, position) pairs of a plan just before and just after its review of
    `reviewed_on`, from the plan's entries and their links to reviews.

    Reviews are ordered by date (one a day per plan). An entry counts from the review
    that added it, or from before every review when it was added directly; it leaves
    at the review that took it out, or before every review when it was taken out
    directly. Computed once the review's changes are written, this is what
    `active_list` gives just before and just after them; the data package import
    rebuilds the lists of the reviews it creates with it (they are not in the package).
    """
    before, after = [], []
    for e in entries:
        added = e.added_review_on or dt.date.min
        removed = (e.removed_review_on or dt.date.min) if e.removed else dt.date.max
        if added < reviewed_on <= removed:
            before.append((e.id_number, e.position))
        if added <= reviewed_on < removed:
            after.append((e.id_number, e.position))
    return before, after


#: The stored columns of an entry that `listed_entry` reads, in its order.
LISTED_FIELDS = (
    "person__id_number",
    "position_id",
    "added_in_review__reviewed_on",
    "removed_on",
    "removed_in_review__reviewed_on",
)


def listed_entry(id_number, position, added_review_on, removed_on, removed_review_on):
    """A stored entry (its LISTED_FIELDS values) as a review's lists see it."""
    return ListedEntry(
        id_number, position, added_review_on, removed_on is not None, removed_review_on
    )


def review_lists_of(review: PlanReview) -> tuple[list[dict], list[dict]]:
    """A recorded review's lists (before, after), from its plan's entries as stored."""
    rows = PlanEntry.objects.filter(plan_id=review.plan_id).values_list(*LISTED_FIELDS)
    entries = [listed_entry(*row) for row in rows]
    before, after = review_members(entries, review.reviewed_on)
    return review_list(before), review_list(after)


def review_link_errors(
    *,
    added_on: dt.date | None,
    removed_on: dt.date | None,
    added_review_on: dt.date | None,
    removed_review_on: dt.date | None,
) -> dict[str, str]:
    """What `review_record` makes true of an entry linked to a review, as field -> message.

    An entry added in a review is dated the review day, one taken out in a review is
    taken out that day, and no review both adds and takes out the same entry.
    """
    errors = {}
    if added_review_on is not None and added_on != added_review_on:
        errors["added_in_review"] = _(
            "Cán bộ được bổ sung trong đợt rà soát ngày %(date)s phải có ngày đưa vào là "
            "ngày rà soát."
        ) % {"date": format_day(added_review_on)}
    if removed_review_on is not None:
        if removed_on != removed_review_on:
            errors["removed_in_review"] = _(
                "Cán bộ được đưa ra trong đợt rà soát ngày %(date)s phải có ngày đưa ra là "
                "ngày rà soát."
            ) % {"date": format_day(removed_review_on)}
        elif removed_review_on == added_review_on:
            errors["removed_in_review"] = _(
                "Một đợt rà soát không thể vừa bổ sung vừa đưa ra cùng một cán bộ."
            )
    return errors


def _ensure_review_links(entry: PlanEntry, *, added_in=None, removed_in=None) -> None:
    errors = review_link_errors(
        added_on=entry.added_on,
        removed_on=entry.removed_on,
        added_review_on=added_in.reviewed_on if added_in else None,
        removed_review_on=removed_in.reviewed_on if removed_in else None,
    )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def review_record(
    *,
    actor,
    plan: Plan,
    reviewed_on: dt.date,
    decision_number: str = "",
    note: str = "",
    additions: Sequence[EntryAddition] = (),
    removals: Sequence[EntryRemoval] = (),
) -> PlanReview:
    """Record a review of an approved or published plan and its batch of changes.

    Removals take effect, and additions start, on the review date. The review
    keeps the list before and after. A review with no change is recorded too:
    it confirms the list (P8 counts it).
    """
    plan = _lock(plan)
    _ensure_editable(actor, plan)
    if plan.status not in (PlanStatus.APPROVED, PlanStatus.PUBLISHED):
        raise ValidationError(
            _("Chỉ rà soát quy hoạch đã phê duyệt; quy hoạch đang ở trạng thái “%(status)s”.")
            % {"status": _status_label(plan.status)}
        )
    if reviewed_on is None:
        raise ValidationError({"reviewed_on": _("Hãy nhập ngày rà soát.")})
    _not_after_today("reviewed_on", reviewed_on)
    if plan.approved_on and reviewed_on < plan.approved_on:
        raise ValidationError({"reviewed_on": _("Ngày rà soát không được trước ngày phê duyệt.")})
    last = plan.reviews.order_by("-reviewed_on").values_list("reviewed_on", flat=True).first()
    if last and reviewed_on < last:
        raise ValidationError(
            {
                "reviewed_on": _("Ngày rà soát không được trước lần rà soát gần nhất (%(date)s).")
                % {"date": format_day(last)}
            }
        )
    if last and reviewed_on == last:
        raise ValidationError(
            {
                "reviewed_on": _(
                    "Quy hoạch đã có đợt rà soát ngày %(date)s; mỗi ngày chỉ có một đợt rà soát."
                )
                % {"date": format_day(last)}
            }
        )
    removal_ids = [r.entry.pk for r in removals]
    if len(set(removal_ids)) != len(removal_ids):
        raise ValidationError(_("Một cán bộ được đưa ra hai lần trong cùng đợt rà soát."))
    entries = {
        e.pk: e
        for e in PlanEntry.objects.select_for_update(of=("self",)).filter(
            pk__in=removal_ids, plan=plan
        )
    }
    if len(entries) != len(removal_ids):
        raise ValidationError(_("Có cán bộ được đưa ra không thuộc quy hoạch này."))

    decision_number = " ".join((decision_number or "").split())
    review = PlanReview(
        plan=plan,
        reviewed_on=reviewed_on,
        decision_number=decision_number,
        note=(note or "").strip(),
        actor=actor if getattr(actor, "pk", None) else None,
    )
    review.full_clean()
    review.save()
    for removal in removals:
        _remove(
            actor,
            entries[removal.entry.pk],
            reason=removal.reason,
            note=removal.note,
            removed_on=reviewed_on,
            review=review,
        )
    _ensure_positions(actor, plan, [a.position for a in additions])
    for addition in additions:
        _new_entry(
            actor,
            plan,
            person=addition.person,
            position=addition.position,
            source=addition.source,
            added_on=reviewed_on,
            added_decision=(addition.added_decision or decision_number).strip(),
            first_time=addition.first_time,
            added_in_review=review,
        )
    review.before, review.after = review_lists_of(review)
    review.save(update_fields=["before", "after"])
    _audit_create(actor, review)
    return review
