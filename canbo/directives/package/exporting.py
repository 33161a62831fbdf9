"""Exporting directives, their tasks and the assignments of the selected units.

A package of a subtree carries the directives its units issued, and those whose tasks
are assigned to its units (a district's package carries the province's plan with the
district's own completions: the upper level imports them, the plan's rows unchanged),
with the directives they implement; every task of those directives; and the assignments
of the selected units and of the directives they issued. For an account that is not an
administrator, only what `canbo.directives.selectors` lets it read.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q, QuerySet

from canbo.core import scope
from canbo.core.dates import format_day
from canbo.directives.models import (
    Directive,
    HearingInvitation,
    HearingSlot,
    MonitoringGroup,
    Task,
    TaskAssignment,
)
from canbo.directives.selectors import (
    groups_of,
    visible_assignments,
    visible_directives,
    visible_units,
)
from canbo.exchange.exporter import Selection, label, values_of
from canbo.organizations.package.exporting import units
from canbo.people.models import Person

from .sheets import CODES_SEPARATOR, DIRECTIVES, HEARING_INVITATIONS, HEARING_SLOTS, TASKS

DIRECTIVE_ORDER = ("issuing_unit__path", "issued_on", "number")


def assignments(sel: Selection) -> QuerySet[TaskAssignment]:
    """The selected units' assignments, and every assignment of a directive they issued."""
    if sel.everything:
        return TaskAssignment.objects.all()
    selected = units(sel).values("pk")
    qs = TaskAssignment.objects.filter(Q(unit__in=selected) | Q(task__directive__issuing_unit__in=selected))
    if sel.user is not None:
        qs = qs.filter(pk__in=visible_assignments(sel.user).values("pk"))
    return qs


def directives(sel: Selection) -> QuerySet[Directive]:
    """Directives the selected units issued, carry out or are invited to a hearing on, and
    those they implement."""
    if sel.everything:
        return Directive.objects.all()
    visible = visible_directives(sel.user) if sel.user is not None else Directive.objects.all()
    invited = HearingInvitation.objects.filter(unit__in=units(sel).values("pk"))
    named = (
        Q(issuing_unit__in=units(sel).values("pk"))
        | Q(pk__in=assignments(sel).values("task__directive_id"))
        | Q(pk__in=invited.values("directive_id"), id__in=visible.values("pk"))
    )
    found = set(Directive.objects.filter(named).values_list("pk", flat=True))
    frontier = set(found)
    while frontier:  # the chain of implemented directives, a few levels at most
        above = set(
            visible.filter(implementations__in=frontier).values_list("pk", flat=True)
        ) - found
        found |= above
        frontier = above
    return Directive.objects.filter(pk__in=found)


def tasks(sel: Selection) -> QuerySet[Task]:
    if sel.everything:
        return Task.objects.all()
    return Task.objects.filter(directive__in=directives(sel).values("pk"))


def slots(sel: Selection) -> QuerySet[HearingSlot]:
    if sel.everything:
        return HearingSlot.objects.all()
    return HearingSlot.objects.filter(directive__in=directives(sel).values("pk"))


def invitations(sel: Selection) -> QuerySet[HearingInvitation]:
    """The selected units' invitations, and every invitation to a directive they issued
    (for an account, of the units it may read), of the directives the package carries."""
    if sel.everything:
        return HearingInvitation.objects.all()
    selected = units(sel).values("pk")
    qs = HearingInvitation.objects.filter(
        Q(unit__in=selected) | Q(directive__issuing_unit__in=selected),
        directive__in=directives(sel).values("pk"),
    )
    if sel.user is not None:
        qs = qs.filter(unit__in=visible_units(sel.user).values("pk"))
    return qs


def groups(sel: Selection) -> QuerySet[MonitoringGroup]:
    """Every group (everything), or the groups the selected units own that the account reads."""
    if sel.everything:
        return MonitoringGroup.objects.all()
    qs = MonitoringGroup.objects.filter(owner__in=units(sel).values("pk"))
    if sel.user is not None:
        qs = qs.filter(pk__in=groups_of(sel.user).values("pk"))
    return qs


def referenced(sel: Selection, kind: str) -> list:
    """The units the rows name (issuing, lead, coordinating, assigned, invited, a group's
    owner and members) and the tasks' leaders (for an account, only those it may see)."""
    if kind == "unit":
        selected_tasks = tasks(sel)
        selected_groups = groups(sel)
        return [
            directives(sel).values_list("issuing_unit_id", flat=True).distinct(),
            selected_tasks.exclude(lead_unit=None).values_list("lead_unit_id", flat=True).distinct(),
            Task.coordinating_units.through.objects.filter(task__in=selected_tasks.values("pk"))
            .values_list("unit_id", flat=True).distinct(),
            assignments(sel).values_list("unit_id", flat=True).distinct(),
            invitations(sel).values_list("unit_id", flat=True).distinct(),
            selected_groups.values_list("owner_id", flat=True).distinct(),
            MonitoringGroup.units.through.objects.filter(
                monitoringgroup__in=selected_groups.values("pk"))
            .values_list("unit_id", flat=True).distinct(),
        ]  # fmt: skip
    if kind == "person":
        leaders = Person.objects.filter(pk__in=tasks(sel).exclude(leader=None).values("leader_id"))
        if sel.user is not None:
            leaders = scope.restrict(leaders, sel.user)
        return [leaders.values("pk")]
    return []


def directive_rows(sel: Selection) -> Iterator[list]:
    choices = DIRECTIVES.column("kind").choices
    qs = directives(sel).order_by(*DIRECTIVE_ORDER)
    fields = ("number", "kind", "issued_on", "issuing_unit__code", "title", "summary",
              "implements__number", "implements__issuing_unit__code")  # fmt: skip
    for number, kind, issued, unit, title, summary, implements, implements_unit in values_of(qs, *fields):
        yield [number, label(choices, kind), format_day(issued), unit, title, summary,
               implements or "", implements_unit or ""]  # fmt: skip


def task_rows(sel: Selection) -> Iterator[list]:
    choices = TASKS.column("deliverable").choices
    qs = tasks(sel).order_by(*(f"directive__{f}" for f in DIRECTIVE_ORDER), "order", "pk")
    coordinating: dict[int, list[str]] = {}
    through = Task.coordinating_units.through.objects.filter(task__in=qs.values("pk"))
    for task, code in through.order_by("unit__code").values_list("task_id", "unit__code"):
        coordinating.setdefault(task, []).append(code)
    fields = ("pk", "directive__number", "directive__issuing_unit__code", "order", "parent__order",
              "content", "lead_unit__code", "leader__id_number", "deliverable", "start_on",
              "working_days", "deadline", "cancelled_on", "cancel_reason")  # fmt: skip
    for (pk, number, unit, order, parent, content, lead, leader, deliverable, start, days,
         deadline, cancelled, reason) in values_of(qs, *fields):  # fmt: skip
        yield [number, unit, order, parent, content, lead or "",
               CODES_SEPARATOR.join(coordinating.get(pk, ())), leader or "",
               label(choices, deliverable), format_day(start), days, format_day(deadline),
               format_day(cancelled), reason]  # fmt: skip


def assignment_rows(sel: Selection) -> Iterator[list]:
    qs = assignments(sel).order_by(*(f"task__directive__{f}" for f in DIRECTIVE_ORDER),
                                   "task__order", "task__pk", "unit__path")  # fmt: skip
    fields = ("task__directive__number", "task__directive__issuing_unit__code", "task__order",
              "unit__code", "completed_on", "note", "evidence", "unit__name")  # fmt: skip
    for number, unit, order, code, done, note, evidence, name in values_of(qs, *fields):
        yield [number, unit, order, code, format_day(done), note, evidence, name]


def _session_order(prefix: str = "") -> tuple:
    """Days in order, the morning before the afternoon ("morning" > "afternoon")."""
    return (f"{prefix}day", f"-{prefix}session")


def slot_rows(sel: Selection) -> Iterator[list]:
    choices = HEARING_SLOTS.column("session").choices
    qs = slots(sel).order_by(*(f"directive__{f}" for f in DIRECTIVE_ORDER), *_session_order())
    fields = ("directive__number", "directive__issuing_unit__code", "day", "session", "place")
    for number, unit, day, session, place in values_of(qs, *fields):
        yield [number, unit, format_day(day), label(choices, session), place]


def invitation_rows(sel: Selection) -> Iterator[list]:
    choices = HEARING_INVITATIONS.column("slot_session").choices
    qs = invitations(sel).order_by(*(f"directive__{f}" for f in DIRECTIVE_ORDER), "unit__path")
    fields = ("directive__number", "directive__issuing_unit__code", "unit__code", "slot__day",
              "slot__session", "unit__name")  # fmt: skip
    for number, unit, code, day, session, name in values_of(qs, *fields):
        yield [number, unit, code, format_day(day), label(choices, session), name]


def group_rows(sel: Selection) -> Iterator[list]:
    qs = groups(sel).order_by("name")
    members: dict[int, list[str]] = {}
    through = MonitoringGroup.units.through.objects.filter(monitoringgroup__in=qs.values("pk"))
    for group, code in through.order_by("unit__code").values_list("monitoringgroup_id", "unit__code"):
        members.setdefault(group, []).append(code)
    for pk, name, owner, note in values_of(qs, "pk", "name", "owner__code", "note"):
        yield [name, owner, CODES_SEPARATOR.join(members.get(pk, ())), note]


ROWS = {
    "directives": directive_rows,
    "tasks": task_rows,
    "task_assignments": assignment_rows,
    "hearing_slots": slot_rows,
    "hearing_invitations": invitation_rows,
    "monitoring_groups": group_rows,
}
