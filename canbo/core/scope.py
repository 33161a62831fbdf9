"""The one place where access scope is decided.

A user holds scope grants: a unit, and whether the grant covers its whole
subtree. Administrators see everything. Every scoped model names the path of
the unit it belongs to in `SCOPE_PATH` (e.g. "unit__path"); `restrict`
turns the user's grants into path-prefix filters on that field.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

VIEW = "view"
EDIT = "edit"


def is_administrator(user) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and (user.is_superuser or getattr(user, "role", None) == "admin")
    )


def can_edit(user) -> bool:
    return is_administrator(user) or (
        getattr(user, "is_authenticated", False) and getattr(user, "role", None) == "editor"
    )


def _grants(user) -> list[tuple[str, bool]]:
    cached = getattr(user, "_scope_grants_cache", None)
    if cached is None:
        cached = [
            (g.unit.path, g.include_subtree)
            for g in user.scope_grants.select_related("unit").order_by("unit__path")
        ]
        user._scope_grants_cache = cached
    return cached


def sight(user, action: str = VIEW) -> tuple[tuple[str, bool], ...] | None:
    """The grants (path, whole subtree?) through which `user` may reach units for
    `action`; None for an administrator (no restriction). `path_q` is made from it alone,
    so it also keys statements compiled once for all users of the same sight
    (`core.compiled`)."""
    if is_administrator(user):
        return None
    if not getattr(user, "is_authenticated", False):
        return ()
    if action == EDIT and not can_edit(user):
        return ()
    return tuple(_grants(user))


def path_q(user, field: str, action: str = VIEW) -> Q | None:
    """Filter matching what the user may reach through `field`; None when unrestricted."""
    grants = sight(user, action)
    if grants is None:
        return None
    q = Q(pk__in=[])  # nothing
    for path, subtree in grants:
        q |= Q(**{f"{field}__startswith": path}) if subtree else Q(**{field: path})
    return q


def restrict(queryset: QuerySet, user, action: str = VIEW) -> QuerySet:
    """Restrict a queryset of a scoped model to what `user` may see (or edit).

    For models that reach their unit through a relation ("unit__path"), the
    filter becomes `unit__in (units whose path matches)`: the database then
    walks the small set of allowed units and the foreign-key index, instead of
    joining every row to its unit to test the path.
    """
    field = queryset.model.SCOPE_PATH
    if field == "path":
        q = path_q(user, field, action)
        return queryset if q is None else queryset.filter(q)
    q = path_q(user, "path", action)
    if q is None:
        return queryset
    relation = field.removesuffix("__path")
    unit_model = _related_model(queryset.model, relation)
    return queryset.filter(**{f"{relation}__in": unit_model._default_manager.filter(q).values("pk")})


def _related_model(model, relation: str):
    """The model at the end of a relation path ("plan__planning_unit" → Unit), found through
    the fields themselves: core names no domain model (architecture contract, ADR 0011)."""
    for name in relation.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def unit_allowed(user, unit, action: str = VIEW, *, below: bool = False) -> bool:
    """May `user` act on `unit`, or (below=True) on new units created under it?"""
    if is_administrator(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if action == EDIT and not can_edit(user):
        return False
    if unit is None:
        return False
    return path_allowed(user, unit.path, action, below=below)


def path_allowed(user, path: str, action: str = VIEW, *, below: bool = False) -> bool:
    """May `user` act on the unit at `path`, or (below=True) on new units created under it?"""
    if is_administrator(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if action == EDIT and not can_edit(user):
        return False
    return any(
        path.startswith(grant) if subtree else (path == grant and not below)
        for grant, subtree in _grants(user)
    )


def ensure_unit_allowed(user, unit, action: str = EDIT, *, below: bool = False) -> None:
    """Raise PermissionDenied unless `user` may act on `unit` (below=True: add units under
    it, which a grant of the unit alone does not allow). Commands (user None) may."""
    if user is None:
        return
    if not unit_allowed(user, unit, action, below=below):
        raise PermissionDenied(_("Bạn không có quyền với đơn vị này."))


def ensure_administrator(user) -> None:
    if user is None:
        return
    if not is_administrator(user):
        raise PermissionDenied(_("Chỉ quản trị viên được thực hiện thao tác này."))


#: The snapshot of an administrator's sight (everything).
EVERYTHING = "*"


def sight_snapshot(user) -> list:
    """What `user` may see now, kept with work done for them later (a background export):
    ["*"] for an administrator, else the grants as [path, subtree] pairs."""
    if is_administrator(user):
        return [EVERYTHING]
    return [[path, subtree] for path, subtree in _grants(user)]


def sight_covers(user, snapshot: list) -> bool:
    """Does `user` still see at least what `snapshot` recorded? A grant kept is covered by
    a current grant of the same unit (a subtree grant only by a subtree grant) or by a
    subtree grant of a unit above it. A user no longer active sees nothing."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return False
    if is_administrator(user):
        return True
    if EVERYTHING in snapshot:
        return False
    current = _grants(user)
    return all(
        any(
            (path.startswith(grant) and (grant_subtree or path == grant and not subtree))
            for grant, grant_subtree in current
        )
        for path, subtree in snapshot
    )
