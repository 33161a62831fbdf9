"""Appointment cases' part of the data package: cases, their steps and ballot tallies.

Registered with the exchange core when Django's apps are ready (the core finds
`<app>.package` modules itself, see `canbo.exchange.registry`).
"""

from __future__ import annotations

from canbo.exchange.registry import Part, register

from . import exporting, importing
from .sheets import SHEETS


class AppointmentsPart(Part):
    app = "appointments"
    sheets = SHEETS
    importing = importing
    exporting = exporting


register(AppointmentsPart())
