"""Background work this app offers (found by canbo.jobs at start-up): its lists to Excel."""

from . import list_export  # noqa: F401  (registers its list builder)
