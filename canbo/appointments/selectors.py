"""Reads of appointment cases: scoped querysets and the facts other apps take from them."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Q, QuerySet, Subquery

from canbo.core import scope

from .choices import TO_A_NEW_POST
from .models import AppointmentCase


def open_on_q(day: dt.date, prefix: str = "") -> Q:
    """Cases open on `day`: opened on or before it, not closed by then."""
    return Q(**{f"{prefix}opened_on__lte": day}) & (
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": day})
    )


def open_case_since(as_of: dt.date) -> Subquery:
    """Over a Person row: the day its earliest appointment or nomination case still open
    on `as_of` was opened (planning's P4 source), or NULL."""
    return Subquery(
        AppointmentCase.objects.filter(
            open_on_q(as_of), person=OuterRef("pk"), kind__in=TO_A_NEW_POST
        )
        .order_by("opened_on", "id")
        .values("opened_on")[:1]
    )


def cases(user, on: dt.date | None = None) -> QuerySet[AppointmentCase]:
    """The cases `user` may see (by the competent body's unit), open on `on` when given."""
    qs = scope.restrict(AppointmentCase.objects.all(), user, scope.VIEW)
    if on is not None:
        qs = qs.filter(open_on_q(on))
    return qs.select_related("person", "position__title", "position__unit", "competent_unit")
