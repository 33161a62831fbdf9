"""Where a unit picker's suggestions come from: named sources of units, one per kind of box.

A form's unit box (`widgets.UnitPicker`) offers only the units its field accepts. The field's
queryset cannot travel to the browser, so the widget names a *source* ("units.edit") and its
parameters ({"plan": 12}); the suggestion endpoint (`views.UnitPickView`) asks the source
again, for the user who asks. A source is a function `(user, params) -> QuerySet[Unit]` that
resolves its parameters in that user's scope (an object out of sight: Http404; read-only:
PermissionDenied) and returns the same units the form's field is given, through the same
selector, so a box never suggests a unit its field would refuse.

Organizations imports no other domain app (ADR 0011): an app that has boxes of its own adds a
`pickers` module that registers its sources; the registry finds those modules when first
asked (Django's `autodiscover_modules`, as the admin finds `admin.py`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

from django.db.models import QuerySet
from django.http import Http404
from django.utils.module_loading import autodiscover_modules

from canbo.core import scope

from .models import Unit
from .selectors import unit_list

Source = Callable[[object, Mapping[str, str]], QuerySet[Unit]]

_sources: dict[str, Source] = {}
_discovered = False
_lock = threading.Lock()


def register(name: str) -> Callable[[Source], Source]:
    """Register the decorated function as the source `name` ("app.what")."""

    def decorate(function: Source) -> Source:
        known = _sources.get(name)
        if known is not None and known.__qualname__ != function.__qualname__:
            raise ValueError(f"Two unit sources are named {name!r}.")
        _sources[name] = function
        return function

    return decorate


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    with _lock:
        if not _discovered:
            autodiscover_modules("pickers")
            _discovered = True


def units_for(name: str, *, user, params: Mapping[str, str]) -> QuerySet[Unit]:
    """The units the source `name` offers `user`; Http404 for a source no app registered."""
    _discover()
    source = _sources.get(name)
    if source is None:
        raise Http404
    return source(user, params)


@register("units.view")
def units_in_sight(user, params) -> QuerySet[Unit]:
    """Every unit the user may see."""
    return unit_list(user=user)


@register("units.edit")
def units_to_edit(user, params) -> QuerySet[Unit]:
    """The units the user may edit (none for a read-only user)."""
    return unit_list(user=user, action=scope.EDIT)
