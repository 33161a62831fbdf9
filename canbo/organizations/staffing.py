"""What the unit pages and the positions API show of people, behind one small port.

Organizations is the bottom domain app: it imports no other (architecture contracts in
pyproject.toml, ADR 0011). Head counts per unit, the holders of a unit's positions and the
"today" on which units and positions are current are the people app's reads
(`canbo.people.selectors`); the people app plugs that module in here when Django is ready
(`PeopleConfig.ready`). Its functions are looked up at each call, so a test that replaces
`people.selectors.today` is seen here too.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.db.models import Q

    from .models import Position, Unit


class PeopleReads(Protocol):
    def today(self) -> dt.date: ...

    def held_on_q(self, on: dt.date, prefix: str = "") -> Q: ...

    def unit_people_counts(self, units: list[Unit], *, user) -> dict[int, int]: ...

    def unit_positions_with_holders(
        self, *, user, unit: Unit, on: dt.date | None = None
    ) -> list[Position]: ...


_reads: PeopleReads | None = None


def register(reads: PeopleReads) -> None:
    global _reads
    _reads = reads


def people() -> PeopleReads:
    """The people reads the people app registered."""
    if _reads is None:
        raise ImproperlyConfigured("No people reads registered: is canbo.people installed?")
    return _reads
