"""The kinds of background work this app offers itself (found by `autodiscover_modules`)."""

from . import lists  # noqa: F401  (registers "list_xlsx")
