"""Facts planning reads from apps above it, through sources those apps provide.

P4 (no new planning entry for someone with an open appointment or nomination case)
needs the cases of `canbo.appointments`, which itself reads the plans (A1) and so sits
above planning. Planning does not import it: the appointments app, when installed,
provides here the expression for "the day the person's open case was opened, on a
date" (ADR 0024), and the people's facts statement selects it as one more column
(no extra query). Without a provider the column is empty and P4 finds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.expressions import Expression

#: as_of → an expression over a Person row (OuterRef("pk")): the day the open case was
#: opened, or NULL.
OpenCaseSince = Callable[[dt.date], Expression]

_open_case_since: OpenCaseSince | None = None


def provide_open_case_since(source: OpenCaseSince) -> None:
    global _open_case_since
    if _open_case_since is not None and _open_case_since is not source:
        raise ImproperlyConfigured("Only one app may provide planning's open cases.")
    _open_case_since = source


def open_case_since(as_of: dt.date) -> Expression:
    """The day the person's open appointment or nomination case was opened, on `as_of`."""
    if _open_case_since is None:
        return models.Value(None, output_field=models.DateField())
    return _open_case_since(as_of)
