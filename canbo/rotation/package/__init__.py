"""Rotations' part of the data package: rotation plans and rotations.

Registered with the exchange core when Django's apps are ready (the core finds
`<app>.package` modules itself, see `canbo.exchange.registry`).
"""

from __future__ import annotations

from canbo.exchange.registry import Part, register

from . import exporting, importing
from .sheets import SHEETS


class RotationPart(Part):
    app = "rotation"
    sheets = SHEETS
    importing = importing
    exporting = exporting


register(RotationPart())
