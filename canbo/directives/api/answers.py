"""What the directives API reads beyond a queryset: the links between directives a user may
follow, a directive's tasks as a tree, and a roll-up's unit or group named in a query.
Everything is read through the scoped selectors (ADR 0016)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.db import IntegrityError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.settings import api_settings

from canbo.core import scope
from canbo.organizations.models import Unit

from ..models import Directive, Task
from ..selectors import directive_rollups, groups_of, visible_directives, visible_units


def mark_links(user, directives: Sequence[Directive]) -> None:
    """Each directive's `api_implements`: the directive it implements when the user may read
    it, else None (one out of scope answers as none at all). One query for the lot."""
    wanted = {d.implements_id for d in directives if d.implements_id is not None}
    seen = set()
    if wanted:
        seen = set(visible_directives(user).filter(pk__in=wanted).values_list("pk", flat=True))
    for directive in directives:
        directive.api_implements = (
            directive.implements_id if directive.implements_id in seen else None
        )


def mark_detail(user, directive: Directive) -> list[int]:
    """The directive's links both ways and its tasks as a tree (`api_tasks`, each task's
    `api_children`), in their order; returns the ids of the leaders shown (personal data,
    for the access log). Three queries whatever the number of tasks."""
    mark_links(user, [directive])
    directive.api_implemented_by = list(
        visible_directives(user).filter(implements=directive).order_by("issued_on", "pk")
        .values_list("pk", flat=True)
    )  # fmt: skip
    tasks = list(
        Task.objects.filter(directive=directive)
        .select_related("lead_unit", "leader")
        .only(*TASK_FIELDS)
        .prefetch_related("coordinating_units")
        .order_by("order", "pk")
    )
    by_parent: dict[int | None, list[Task]] = {}
    for task in tasks:
        by_parent.setdefault(task.parent_id, []).append(task)
    for task in tasks:
        task.api_children = by_parent.get(task.pk, [])
    directive.api_tasks = by_parent.get(None, [])
    return sorted({t.leader_id for t in tasks if t.leader_id is not None})


#: What a task's answer reads: the leader's id and full name only (personal data).
TASK_FIELDS = (
    "id", "directive_id", "parent_id", "order", "content", "lead_unit__code",
    "lead_unit__name", "leader__id", "leader__full_name", "deliverable", "start_on",
    "working_days", "deadline", "cancelled_on", "cancel_reason",
)  # fmt: skip


def rollup_data(user, directive: Directive, on: dt.date, unit_code: str = "",
                group_name: str = "") -> dict:  # fmt: skip
    """The roll-up of each task of `directive` on `on`, over the units the user may read,
    within a unit's subtree or a group's when named. A unit or group the user may not read
    is "not found", word for word as one that does not exist (404)."""
    unit_code, group_name = unit_code.strip(), group_name.strip()
    if unit_code and group_name:
        raise exceptions.ValidationError(
            {"non_field_errors": [_("Chỉ chọn một trong hai: unit (đơn vị) hoặc group (nhóm).")]}
        )
    where: dict = {}
    if unit_code:
        where["unit"] = visible_units(user).filter(code=unit_code).only("path").first()
        if where["unit"] is None:
            raise exceptions.NotFound(_("Không có đơn vị mã “%(code)s”.") % {"code": unit_code})
    if group_name:
        where["group"] = groups_of(user).filter(name=group_name).first()
        if where["group"] is None:
            raise exceptions.NotFound(_("Không có nhóm “%(name)s”.") % {"name": group_name})
    if not scope.is_administrator(user):
        where["within"] = visible_units(user)
    rolled = directive_rollups(directive, on, **where)
    return {
        "directive": directive.pk,
        "as_of": on,
        "unit": unit_code or None,
        "group": where["group"].name if group_name else None,
        "tasks": [{**r.as_dict(), "share_done": r.share_done} for r in rolled],
    }


def groups_for(user):
    """The monitoring groups the user may read (every group for an administrator), with
    their owner and units."""
    return (
        groups_of(user).select_related("owner")
        .prefetch_related(Prefetch("units", queryset=Unit.objects.only("code", "name")
                                   .order_by("path")))
        .order_by("name", "pk")
    )  # fmt: skip


RACE = gettext_lazy("Dữ liệu vừa được thay đổi cùng lúc; hãy thử lại.")


def write(call: Callable, **kwargs):
    """Run a service (`services`, `editing`), its refusals worded as the rest of the API
    words them: a unique row written by two requests at once is a 400, not a 500."""
    try:
        return call(**kwargs)
    except IntegrityError as exc:
        raise exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [RACE]}) from exc


def current_action(view) -> str | None:
    """The view's action, also while OPTIONS describes each method's body (DRF asks the
    serializer of a copy of the request with that method, the action left "metadata")."""
    request = getattr(view, "request", None)
    if view.action in (None, "metadata") and request is not None:
        return getattr(view, "action_map", {}).get(request.method.lower())
    return view.action
