"""Status at a date and roll-ups: grouped SQL over unit paths, a fixed number of queries.

Status rule (ADR 0016), for a unit's assignment on day D:

- cancelled: the task was cancelled on or before D;
- done on time: completed on or before D, and on or before the deadline (or no deadline);
- done late: completed on or before D, after the deadline;
- not started: D is before the task's start;
- in progress (within the deadline): D is on or before the deadline, or there is none;
- overdue: D is after the deadline and the unit had not completed by D.

An assignment counts at D when its directive was issued by D and its unit was in force
on D (a unit merged away drops out of later roll-ups; its completions stay on record).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Substr

from canbo.core import scope
from canbo.core.compiled import StatementCache
from canbo.core.shares import share_of
from canbo.organizations.locality_sql import Under
from canbo.organizations.models import Unit
from canbo.organizations.selectors import valid_on_q

from .choices import Status
from .models import Directive, MonitoringGroup, Task, TaskAssignment


def status_at(on: dt.date, prefix: str = "") -> Case:
    """The status of an assignment on `on` (rule above), as an SQL expression;
    `prefix` reaches the assignment from another model."""
    done = Q(**{f"{prefix}completed_on__isnull": False, f"{prefix}completed_on__lte": on})
    task = f"{prefix}task__"
    return Case(
        When(Q(**{f"{task}cancelled_on__lte": on}), then=Value(Status.CANCELLED)),
        When(done & (Q(**{f"{task}deadline__isnull": True})
                     | Q(**{f"{prefix}completed_on__lte": F(f"{task}deadline")})),
             then=Value(Status.DONE_ON_TIME)),  # fmt: skip
        When(done, then=Value(Status.DONE_LATE)),
        When(Q(**{f"{task}start_on__gt": on}), then=Value(Status.NOT_STARTED)),
        When(Q(**{f"{task}deadline__isnull": True}) | Q(**{f"{task}deadline__gte": on}),
             then=Value(Status.IN_PROGRESS)),  # fmt: skip
        default=Value(Status.OVERDUE),
        output_field=CharField(),
    )


def counted_on(on: dt.date) -> Q:
    """Assignments that count on `on`: directive issued by then, unit in force then."""
    return Q(task__directive__issued_on__lte=on) & valid_on_q(on, "unit__")


def under_q(unit: Unit | None = None, group: MonitoringGroup | None = None,
            prefix: str = "unit__") -> Q:  # fmt: skip
    """Assignments (or, with `prefix` "", units) in `unit`'s subtree, and in the subtrees
    of `group`'s units."""
    path = f"{prefix}path"
    where = Q()
    if unit is not None:
        where &= Q(**{f"{path}__startswith": unit.path})
    if group is not None:
        members = MonitoringGroup.units.through.objects.filter(monitoringgroup=group)
        where &= Q(Exists(members.filter(Under(OuterRef(path), F("unit__path")))))
    return where


@dataclass
class RollUp:
    """One task's assignments on a date, by status; `share_done` = done ÷ assigned."""

    task: Task
    on: dt.date
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def assigned(self) -> int:
        """Every assignment that counts, except those of a cancelled task."""
        return sum(n for status, n in self.counts.items() if status != Status.CANCELLED)

    def __getattr__(self, name: str) -> int:
        if name in Status.values:
            return self.counts.get(name, 0)
        raise AttributeError(name)

    @property
    def done(self) -> int:
        return self.counts.get(Status.DONE_ON_TIME, 0) + self.counts.get(Status.DONE_LATE, 0)

    @property
    def share_done(self) -> Decimal | None:
        return share_of(self.done, self.assigned)

    @property
    def text(self) -> str:
        """"221/222 (99,55%)"."""
        share = self.share_done
        shown = "—" if share is None else f"{share}%".replace(".", ",")
        return f"{self.done}/{self.assigned} ({shown})"

    def as_dict(self) -> dict:
        return {
            "task": self.task.pk,
            "content": self.task.content,
            "deadline": self.task.deadline.isoformat() if self.task.deadline else None,
            "assigned": self.assigned,
            **{status: self.counts.get(status, 0) for status in Status.values},
            "done": self.done,
            "share_done": None if self.share_done is None else str(self.share_done),
            "text": self.text,
        }


def rollups(tasks: Iterable[Task], on: dt.date, *, unit: Unit | None = None,
            group: MonitoringGroup | None = None,
            within: QuerySet | None = None) -> list[RollUp]:  # fmt: skip
    """Each task's roll-up on `on` over the assignments of `unit`'s subtree or `group`
    (all when neither; only the units `within` selects when given): one grouped query
    whatever the number of tasks and units. Without `within`, Django's compiled statement
    is kept per date and shape (`core.compiled`): the tasks, the path and the group are
    its only changing values."""
    tasks = list(tasks)
    found = {task.pk: RollUp(task, on) for task in tasks}
    if not tasks:
        return []
    if within is not None:
        rows = _grouped([t.pk for t in tasks], on, unit, group, within).values_list(
            "task_id", "status", "n")
    else:
        markers = {-(n + 1): task.pk for n, task in enumerate(tasks)}
        if unit is not None:
            markers["~%"] = f"{unit.path}%"
        if group is not None:
            markers[_GROUP_SLOT] = group.pk
        key = (TaskAssignment.objects.db, on, len(tasks), unit is not None, group is not None)
        rows = _STATEMENTS.rows(key, lambda: _grouped(
            [-(n + 1) for n in range(len(tasks))], on,
            Unit(path="~") if unit is not None else None,
            MonitoringGroup(pk=_GROUP_SLOT) if group is not None else None, None,
        ).values_list("task_id", "status", "n"), markers)  # fmt: skip
    for task_id, status, n in rows:
        found[task_id].counts[status] = n
    return [found[task.pk] for task in tasks]


_STATEMENTS = StatementCache()
_GROUP_SLOT = -(10**9)  # no group has this id: marks the group's parameter


def _grouped(task_ids: list[int], on: dt.date, unit: Unit | None,
             group: MonitoringGroup | None, within: QuerySet | None) -> QuerySet:  # fmt: skip
    rows = TaskAssignment.objects.filter(counted_on(on), under_q(unit, group),
                                         task__in=task_ids)  # fmt: skip
    if within is not None:
        rows = rows.filter(unit__in=within)
    return (
        rows.annotate(status=status_at(on))
        .order_by()
        .values("task_id", "status")
        .annotate(n=Count("pk"))
    )


def breakdown(task: Task, on: dt.date, parts: list[Unit],
              within: QuerySet | None = None) -> list[tuple[Unit, RollUp]]:  # fmt: skip
    """`task`'s roll-up on `on` for each unit of `parts` over its subtree (the provinces
    of a group, the children of a unit: the table "by unit" of a progress report). One
    grouped query per distinct depth among `parts` (one, usually), whatever their number.
    """
    found = {unit.pk: RollUp(task, on) for unit in parts}
    by_length: dict[int, dict[str, int]] = {}
    for unit in parts:
        by_length.setdefault(len(unit.path), {})[unit.path] = unit.pk
    for length, pk_of in by_length.items():
        rows = (
            TaskAssignment.objects.filter(counted_on(on), task=task)
            .annotate(top=Substr("unit__path", 1, length))
            .filter(top__in=list(pk_of))
        )
        if within is not None:
            rows = rows.filter(unit__in=within)
        grouped = (
            rows.annotate(status=status_at(on))
            .order_by()
            .values("top", "status")
            .annotate(n=Count("pk"))
        )
        for row in grouped:
            found[pk_of[row["top"]]].counts[row["status"]] = row["n"]
    return [(unit, found[unit.pk]) for unit in parts]


def directive_rollups(directive: Directive, on: dt.date, **where) -> list[RollUp]:
    """The roll-up of each task of `directive` that has assignments (sections have none),
    in the directive's order: two queries."""
    tasks = Task.objects.filter(directive=directive).order_by("order", "pk")
    return [r for r in rollups(tasks, on, **where) if r.counts]


def directives_numbered(number: str) -> QuerySet[Directive]:
    return Directive.objects.filter(number__iexact=number.strip()).select_related("issuing_unit")


# --- What a user may read (ADR 0016) ------------------------------------------------
# A unit's assignments are read by whoever's grant reaches the unit (a commune sees its
# own), and by the department following a monitoring group: a grant reaching the group's
# owner unit reaches the subtrees of the group's units, for reading only.


def groups_of(user) -> QuerySet[MonitoringGroup]:
    """The monitoring groups whose owner unit the user's grants reach."""
    return scope.restrict(MonitoringGroup.objects.all(), user)


def visible_units(user) -> QuerySet[Unit]:
    """The units whose assignments the user may read: their scope, and their groups'."""
    if scope.is_administrator(user):
        return Unit.objects.all()
    members = MonitoringGroup.units.through.objects.filter(
        monitoringgroup__in=groups_of(user).values("pk")
    )
    followed = Exists(members.filter(Under(OuterRef("path"), F("unit__path"))))
    own = scope.restrict(Unit.objects.all(), user).values("pk")
    return Unit.objects.filter(Q(pk__in=own) | Q(followed))


def visible_assignments(user) -> QuerySet[TaskAssignment]:
    if scope.is_administrator(user):
        return TaskAssignment.objects.all()
    return TaskAssignment.objects.filter(unit__in=visible_units(user).values("pk"))


def visible_directives(user) -> QuerySet[Directive]:
    """Directives issued in the user's scope, or with a task assigned to a unit they may
    read (a commune sees the province's plan through its own assignments)."""
    if scope.is_administrator(user):
        return Directive.objects.all()
    issued = scope.restrict(Directive.objects.all(), user).values("pk")
    assigned = visible_assignments(user).values("task__directive_id")
    return Directive.objects.filter(Q(pk__in=issued) | Q(pk__in=assigned))
