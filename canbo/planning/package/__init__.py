"""Planning's part of the data package: plans, their positions, reviews and entries.

Registered with the exchange core when Django's apps are ready (the core finds
`<app>.package` modules itself, see `canbo.exchange.registry`).
"""

from __future__ import annotations

from canbo.exchange.registry import Part, register

from . import exporting, importing
from .sheets import SHEETS


class PlanningPart(Part):
    app = "planning"
    sheets = SHEETS

    def plan(self, imp):
        importing.plan(imp)

    def check_scope(self, imp):
        importing.check_scope(imp)

    def apply(self, imp):
        importing.apply(imp)

    def rows(self, sheet, sel):
        return exporting.ROWS[sheet.key](sel)

    def referenced(self, sel, kind):
        return exporting.referenced(sel, kind)


register(PlanningPart())
