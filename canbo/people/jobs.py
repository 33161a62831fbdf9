"""Background work this app offers (found by canbo.jobs at start-up): its lists to Excel,
the list's 2C records as one ZIP."""

from . import list_export, record2c_batch  # noqa: F401  (register the list builder; the list's 2C ZIP)
