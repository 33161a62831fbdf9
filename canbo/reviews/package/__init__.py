"""Confidence votes' and evaluations' part of the data package: vote sessions, the people
voted on, the agreed results of closed sessions, evaluation rounds and their scores.

Registered with the exchange core when Django's apps are ready (the core finds
`<app>.package` modules itself, see `canbo.exchange.registry`).
"""

from __future__ import annotations

from canbo.exchange.registry import Part, register

from . import exporting, importing
from .sheets import SHEETS


class ReviewsPart(Part):
    app = "reviews"
    sheets = SHEETS
    importing = importing
    exporting = exporting


register(ReviewsPart())
