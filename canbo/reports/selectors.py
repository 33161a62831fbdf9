"""Computing reports live from the records, within what a user may read.

`report_for` computes one form for a unit's subtree (or the whole scope) at a date;
`reports_for_units` computes it for many units at once in the form's fixed number of
queries (a level's own computation beside its units' submissions). A user whose grant
covers a unit without its subtree is counted over the units in scope only (the same
statement, `within`); an administrator over everything.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from canbo.core import scope
from canbo.organizations.models import Unit
from canbo.organizations.selectors import unit_list

from .forms import FORMS
from .spec import FormSpec, Report


def forms_list() -> list[FormSpec]:
    return list(FORMS.values())


def units_within(user) -> QuerySet | None:
    """The units a user's reports count (None: all, for an administrator)."""
    if user is None or scope.is_administrator(user):
        return None
    return unit_list(user=user).values("pk")


def report_for(form: FormSpec, *, unit: Unit | None, on: dt.date, user=None) -> Report:
    """`form` for `unit`'s subtree on `on` (everything the user may read when None)."""
    roots = None if unit is None else [unit]
    counts = form.compute(roots, on, units_within(user))
    return Report(form, unit, on, counts.get(None if unit is None else unit.pk, {}))


def reports_for_units(form: FormSpec, units: list[Unit], on: dt.date, *,
                      user=None) -> dict[int, Report]:  # fmt: skip
    """`form` for each of `units` (each its own subtree) on `on`, in the form's queries."""
    if not units:
        return {}
    counts = form.compute(list(units), on, units_within(user))
    return {u.pk: Report(form, u, on, counts.get(u.pk, {})) for u in units}
