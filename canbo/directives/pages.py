"""Reads for the directive pages: the list, a directive with its tasks' roll-ups and a
task's table by unit, a unit's assignments and the "Việc cần làm" (to do) list.

Nothing here writes. Everything goes through `selectors.visible_*`: an administrator
reads everything; anyone else counts only the units they may read
(`within=visible_units(user)`), and a unit or group outside their sight is "not found".
`today()` is the one clock of these pages (tests replace it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.core import scope
from canbo.core.compiled import StatementCache
from canbo.core.dates import date_problem, parse_day
from canbo.organizations.models import Unit
from canbo.organizations.selectors import unit_roots, valid_on_q

from .choices import Status
from .models import (
    Directive,
    HearingInvitation,
    HearingSlot,
    MonitoringGroup,
    Task,
    TaskAssignment,
    TaskNote,
)
from .selectors import (
    RollUp,
    breakdown,
    counted_on,
    groups_of,
    rollups,
    status_at,
    visible_assignments,
    visible_directives,
    visible_units,
)

#: "Due this week": a deadline from today to this many days ahead.
DUE_DAYS = 7
MAX_PARAM = 200

STATUS_CLASS = {
    Status.DONE_ON_TIME: "text-bg-success",
    Status.DONE_LATE: "text-bg-info",
    Status.IN_PROGRESS: "text-bg-primary",
    Status.OVERDUE: "text-bg-danger",
    Status.NOT_STARTED: "text-bg-secondary",
    Status.CANCELLED: "text-bg-light",
}
#: The order badges are shown in.
STATUS_ORDER = [Status.DONE_ON_TIME, Status.DONE_LATE, Status.IN_PROGRESS, Status.OVERDUE,
                Status.NOT_STARTED, Status.CANCELLED]  # fmt: skip


def today() -> dt.date:
    """The pages' today (the local date); tests monkeypatch it."""
    return timezone.localdate()


class BadRequest(Exception):
    """A parameter the user can correct: answered 400 with its Vietnamese message."""


def as_of(text: str | None) -> dt.date:
    """`?as_of=` (dd/mm/yyyy or YYYY-MM-DD; empty: today)."""
    text = (text or "").strip()[:20]
    if not text:
        return today()
    try:
        return parse_day(text)
    except ValueError as error:
        invalid = _("Ngày “%(value)s” không hợp lệ; hãy viết dd/mm/yyyy.") % {"value": text}
        raise BadRequest(date_problem(text, error, invalid)) from None


@dataclass
class Badge:
    status: str
    label: str
    css: str
    count: int


def badges(rollup: RollUp | None) -> list[Badge]:
    if rollup is None:
        return []
    return [Badge(s, str(Status(s).label), STATUS_CLASS[s], rollup.counts[s])
            for s in STATUS_ORDER if rollup.counts.get(s)]  # fmt: skip


def status_badge(status: str) -> Badge:
    return Badge(status, str(Status(status).label), STATUS_CLASS.get(status, ""), 0)


# --- The list ------------------------------------------------------------------------


def directive_list(user, text: str = "") -> QuerySet[Directive]:
    """Visible directives, newest first; `text` matches the number, or every word of it
    the title (case ignored)."""
    directives = visible_directives(user).select_related("issuing_unit", "implements")
    text = (text or "").strip()[:MAX_PARAM]
    if text:
        directives = directives.filter(Q(number__icontains=text) | _title_q(text))
    return directives.order_by("-issued_on", "number", "pk")


def _title_q(text: str) -> Q:
    """Every word of `text` in the title, case ignored (the title has no folded column,
    so accents count here)."""
    q = Q()
    for word in text.split():
        q &= Q(title__icontains=word)
    return q


# --- A directive ---------------------------------------------------------------------


@dataclass
class Where:
    """What the figures of a directive page count: a unit's subtree or a group (or all
    the user may read), as `rollups` and `breakdown` take them."""

    on: dt.date
    unit: Unit | None = None
    group: MonitoringGroup | None = None
    within: QuerySet | None = None

    def rollup_args(self) -> dict:
        args = {"unit": self.unit, "group": self.group}
        if self.within is not None:
            args["within"] = self.within
        return args


def where_from(user, params, on: dt.date) -> Where:
    """`?unit=CODE` or `?group=NAME`, scoped: a unit or group out of sight is 404."""
    code = (params.get("unit") or "").strip()[:MAX_PARAM]
    name = (params.get("group") or "").strip()[:MAX_PARAM]
    if code and name:
        raise BadRequest(_("Hãy chọn một đơn vị hoặc một nhóm, không chọn cả hai."))
    where = Where(on=on)
    administrator = scope.is_administrator(user)
    if not administrator:
        where.within = visible_units(user)
    if code:
        where.unit = visible_units(user).filter(code=code).first()
        if where.unit is None:
            raise Http404
    elif name:  # by name, or by id (the API's and the links' form)
        groups = groups_of(user).select_related("owner")  # every group for an administrator
        where.group = groups.filter(name=name).first()
        if where.group is None and name.isascii() and name.isdigit() and len(name) < 10:
            where.group = groups.filter(pk=int(name)).first()
        if where.group is None:
            raise Http404
    return where


@dataclass
class TaskRow:
    task: Task
    depth: int
    rollup: RollUp | None
    badges: list[Badge] = field(default_factory=list)

    @property
    def is_section(self) -> bool:
        return self.rollup is None and bool(self.task.children_rows)


@dataclass
class DirectivePage:
    directive: Directive
    where: Where
    implements: Directive | None
    implements_visible: bool
    implementations: list[Directive]
    rows: list[TaskRow]
    chosen: Task | None = None
    parts_label: str = ""
    by_unit: list[tuple[Unit, RollUp, list[Badge]]] = field(default_factory=list)


def directive_get(user, pk) -> Directive:
    directive = (visible_directives(user).select_related("issuing_unit", "implements")
                 .filter(pk=pk).first())  # fmt: skip
    if directive is None:
        raise Http404
    return directive


def _flatten(tasks: list[Task]) -> list[tuple[Task, int]]:
    """Tasks in reading order, each with its depth (sections hold their tasks)."""
    children: dict[int | None, list[Task]] = {}
    ids = {t.pk for t in tasks}
    for task in tasks:
        parent = task.parent_id if task.parent_id in ids else None
        children.setdefault(parent, []).append(task)
    for task in tasks:
        task.children_rows = children.get(task.pk, [])
    out: list[tuple[Task, int]] = []
    seen: set[int] = set()

    def walk(parent, depth):
        for task in children.get(parent, []):
            if task.pk in seen:
                continue
            seen.add(task.pk)
            out.append((task, depth))
            walk(task.pk, min(depth + 1, 5))

    walk(None, 0)
    out.extend((t, 0) for t in tasks if t.pk not in seen)  # a cycle: shown flat
    return out


def directive_page(user, directive: Directive, where: Where, task_param: str = "") -> DirectivePage:
    """The directive with its tasks' roll-ups on `where.on` and one task's table by unit:
    a fixed number of queries whatever the number of units and tasks."""
    related = list(
        visible_directives(user)
        .filter(Q(implements=directive) | Q(pk=directive.implements_id))
        .exclude(pk=directive.pk)
        .select_related("issuing_unit")
        .order_by("-issued_on", "number", "pk")
    )
    implementations = [d for d in related if d.implements_id == directive.pk]
    tasks = list(
        Task.objects.filter(directive=directive)
        .select_related("lead_unit", "leader")
        .prefetch_related("coordinating_units")
        .order_by("order", "pk")
    )
    rolled = {r.task.pk: r for r in rollups(tasks, where.on, **where.rollup_args())}
    rows = []
    for task, depth in _flatten(tasks):
        rollup = rolled.get(task.pk)
        if rollup is not None and not rollup.counts:
            rollup = None if task.children_rows else rollup
        rows.append(TaskRow(task, depth, rollup, badges(rollup)))
    page = DirectivePage(
        directive=directive,
        where=where,
        implements=directive.implements,
        implements_visible=any(d.pk == directive.implements_id for d in related),
        implementations=implementations,
        rows=rows,
    )
    assigned = [row.task for row in rows if row.rollup is not None and row.rollup.counts]
    chosen = None
    if task_param.strip().isdigit():
        chosen = next((t for t in tasks if t.pk == int(task_param.strip())), None)
    page.chosen = chosen or (assigned[0] if assigned else None)
    if page.chosen is not None:
        parts, page.parts_label = _parts(user, directive, where)
        within = where.within
        page.by_unit = [(unit, r, badges(r)) for unit, r in
                        breakdown(page.chosen, where.on, parts, within=within)]  # fmt: skip
    return page


def _children(unit: Unit, on: dt.date, user) -> list[Unit]:
    children = Unit.objects.filter(valid_on_q(on), path__startswith=unit.path,
                                   depth=unit.depth + 1)  # fmt: skip
    if not scope.is_administrator(user):
        children = children.filter(pk__in=visible_units(user).values("pk"))
    return list(children.order_by("path"))


def _parts(user, directive: Directive, where: Where) -> tuple[list[Unit], str]:
    """The rows of the table by unit: the group's units; else the children of the chosen
    unit, of the user's top unit or (administrators) of the issuing unit; a top unit
    without children gives way to the first group its user follows, else stands alone."""
    if where.group is not None:
        units = list(where.group.units.order_by("path"))
        return units, _("Các đơn vị của nhóm %(name)s") % {"name": where.group.name}
    if where.unit is not None:
        top = where.unit
    elif scope.is_administrator(user):
        top = directive.issuing_unit
    else:
        roots = unit_roots(user=user)
        if not roots:
            return [], ""
        if len(roots) > 1:
            return roots, _("Các đơn vị bạn được xem")
        top = roots[0]
    children = _children(top, where.on, user)
    if not children and where.unit is None and not scope.is_administrator(user):
        followed = groups_of(user).order_by("name").first()  # a department following a group
        if followed is not None:
            units = list(followed.units.order_by("path"))
            return units, _("Các đơn vị của nhóm %(name)s") % {"name": followed.name}
    if not children:
        return [top], top.name
    return children, _("Các đơn vị trực thuộc %(name)s") % {"name": top.name}


# --- A unit's assignments, the to-do list and its count ----------------------------------


def overdue_q() -> Q:
    """Over an `assignments`-like queryset annotated with `status` (the status rule,
    `selectors.status_at`): overdue."""
    return Q(status=Status.OVERDUE)


def due_q(on: dt.date, days: int = DUE_DAYS) -> Q:
    """Still open and due within `days` days of `on` (same annotation)."""
    return Q(status__in=[Status.IN_PROGRESS, Status.NOT_STARTED],
             task__deadline__lte=on + dt.timedelta(days=days))  # fmt: skip


def status_param(params) -> str:
    """`?status=`: one of the statuses, or "" (all) for anything else, as the page shows it."""
    status = params.get("status") or ""
    return status if status in Status.values else ""


def assignments(user, on: dt.date, status: str = "") -> QuerySet[TaskAssignment]:
    """The assignments the user may read that count on `on`, with their status then;
    the nearest deadline first."""
    rows = (
        visible_assignments(user)
        .filter(counted_on(on))
        .annotate(status=status_at(on))
        .select_related("unit", "task__directive")
    )
    if status in Status.values:
        rows = rows.filter(status=status)
    return rows.order_by("task__deadline", "task__directive__number", "unit__path", "pk")


def todo(user, on: dt.date) -> QuerySet[TaskAssignment]:
    """Overdue on `on`, or due within the next `DUE_DAYS` days and not completed."""
    return assignments(user, on).filter(overdue_q() | due_q(on))


@dataclass
class TodoCounts:
    overdue: int = 0
    due: int = 0

    @property
    def total(self) -> int:
        return self.overdue + self.due


def todo_counts(user, on: dt.date) -> TodoCounts:
    """Overdue and due this week in the user's sight: one query (the user's grants, read
    once per request, come with the page), counting `todo` by status. It is on every
    page's navigation bar: its SQL is compiled once per day, database and sight
    (`scope.sight`: the same sight, the same statement; ADR 0015)."""
    key = (TaskAssignment.objects.db, on, scope.sight(user))
    found = dict(_TODO_STATEMENTS.rows(key, lambda: (
        todo(user, on).order_by().values("status").annotate(n=Count("pk"))
        .values_list("status", "n")), {}))  # fmt: skip
    return TodoCounts(
        overdue=found.get(Status.OVERDUE, 0),
        due=found.get(Status.IN_PROGRESS, 0) + found.get(Status.NOT_STARTED, 0),
    )


_TODO_STATEMENTS = StatementCache()


def assignment_get(user, pk, on: dt.date) -> TaskAssignment:
    """One assignment the user may read, with its status on `on`; else 404."""
    found = (visible_assignments(user).annotate(status=status_at(on))
             .select_related("unit", "task__directive__issuing_unit").filter(pk=pk).first())  # fmt: skip
    if found is None:
        raise Http404
    return found


def can_record(user, assignment: TaskAssignment) -> bool:
    """May record the unit's completion: someone who may edit the unit itself."""
    return scope.unit_allowed(user, assignment.unit, scope.EDIT)


def notes_of(assignment: TaskAssignment) -> list[TaskNote]:
    """The assignment's progress notes, newest first (the caller has checked its sight)."""
    return list(assignment.notes.select_related("author").order_by("-written_on", "-pk"))


# --- The hearing schedule (issue 14, item 5) --------------------------------------------


@dataclass
class SlotRow:
    slot: HearingSlot
    holder: Unit | None  # the booking unit, named only when the user may read it
    booked: bool


@dataclass
class InvitationRow:
    invitation: HearingInvitation
    editable: bool
    choices: list[HearingSlot] = field(default_factory=list)  # free slots and its own


@dataclass
class Hearings:
    slots: list[SlotRow]
    invitations: list[InvitationRow]


def hearings(user, directive: Directive) -> Hearings | None:
    """The directive's hearing schedule as its readers see it (None without slots)."""
    return schedule(user, directive, without_slots=False)


def schedule(user, directive: Directive, *, without_slots: bool = True) -> Hearings | None:
    """The directive's hearing schedule: each slot with the unit that booked it, named only
    if the user may read that unit; the invitations of the units the user may read, with
    the slots each editable one may book (listed before any slot too, unless
    `without_slots` is False: then None). Four queries at most. The page and the API
    answer from it."""
    slots = sorted(HearingSlot.objects.filter(directive=directive).select_related("booking__unit"),
                   key=slot_order)  # fmt: skip
    if not slots and not without_slots:
        return None
    invitations = (HearingInvitation.objects.filter(directive=directive)
                   .select_related("unit", "slot").order_by("unit__path", "pk"))  # fmt: skip
    holders = {}
    for slot in slots:
        booking = getattr(slot, "booking", None)
        if booking is not None:
            holders[slot.pk] = booking.unit
    if scope.is_administrator(user):
        readable = None
    else:
        units = visible_units(user)
        readable = set(units.filter(pk__in=[u.pk for u in holders.values()])
                       .values_list("pk", flat=True))  # fmt: skip
        invitations = invitations.filter(unit__in=units.values("pk"))
    rows = [SlotRow(slot, _named(holders.get(slot.pk), readable), slot.pk in holders)
            for slot in slots]  # fmt: skip
    free = [slot for slot in slots if slot.pk not in holders]
    invited = []
    for invitation in invitations:
        editable = scope.unit_allowed(user, invitation.unit, scope.EDIT)
        choices = []
        if editable:
            own = [invitation.slot] if invitation.slot is not None else []
            choices = sorted([*free, *own], key=slot_order)
        invited.append(InvitationRow(invitation, editable, choices))
    return Hearings(rows, invited)


def slot_order(slot: HearingSlot) -> tuple:
    """By day, the morning before the afternoon."""
    return slot.day, slot.session != HearingSlot.Session.MORNING, slot.pk


def _named(unit: Unit | None, readable: set[int] | None) -> Unit | None:
    if unit is None or (readable is not None and unit.pk not in readable):
        return None
    return unit


def invitation_get(user, pk) -> HearingInvitation:
    """An invitation of a unit the user may read; else 404."""
    found = HearingInvitation.objects.select_related("unit", "slot", "directive")
    if not scope.is_administrator(user):
        found = found.filter(unit__in=visible_units(user).values("pk"),
                             directive__in=visible_directives(user).values("pk"))  # fmt: skip
    found = found.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# --- Management pages


def can_manage_hearings(user, directive: Directive) -> bool:
    """May change the directive's hearing schedule: someone who may edit its issuing unit."""
    return scope.unit_allowed(user, directive.issuing_unit, scope.EDIT)


def hearings_to_manage(user, directive: Directive, shown: Hearings | None) -> Hearings:
    """The schedule an editor of the issuing unit manages: `shown` (`hearings`), or, before
    the first slot, the invitations of the units the user may read."""
    return shown if shown is not None else schedule(user, directive)


def slot_get(user, pk) -> HearingSlot:
    """A slot of a directive the user may read; else 404."""
    found = (HearingSlot.objects.select_related("directive__issuing_unit")
             .filter(pk=pk, directive__in=visible_directives(user).values("pk")).first())  # fmt: skip
    if found is None:
        raise Http404
    return found


def invitation_to_manage(user, pk) -> HearingInvitation:
    """An invitation, for whoever manages its directive's schedule, or reads both the
    directive and the invited unit (then answered 403 by the caller); else 404."""
    found = (HearingInvitation.objects.select_related("unit", "directive__issuing_unit")
             .filter(pk=pk, directive__in=visible_directives(user).values("pk")).first())  # fmt: skip
    if found is None:
        raise Http404
    if not can_manage_hearings(user, found.directive) and not (
        visible_units(user).filter(pk=found.unit_id).exists()
    ):
        raise Http404
    return found


def groups_for(user) -> QuerySet[MonitoringGroup]:
    """The monitoring groups the user may read (all for an administrator), with their owner
    and number of units."""
    groups = groups_of(user)  # every group for an administrator
    return groups.select_related("owner").annotate(unit_count=Count("units")).order_by("name")


def group_get(user, pk) -> MonitoringGroup:
    found = groups_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
