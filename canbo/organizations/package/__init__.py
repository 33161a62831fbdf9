"""The registry's part of the data package: areas, titles, terms, units, positions.

Registered with the exchange core when Django's apps are ready (the core finds
`<app>.package` modules itself, see `canbo.exchange.registry`).
"""

from __future__ import annotations

from canbo.core import scope
from canbo.exchange.registry import Part, Reference, Root, register
from canbo.organizations.models import Area, PositionTitle, Unit
from canbo.organizations.selectors import unit_list

from . import exporting, importing
from .sheets import SHEETS


def _find_root(user, code: str):
    qs = Unit.objects.filter(code=code)
    if user is not None:
        qs = scope.restrict(qs, user)
    return qs.first()


def _root_options(user, limit: int) -> list:
    units = unit_list(user=user).select_related(None).only("code", "name", "depth")
    return list(units[: limit + 1])


class OrganizationsPart(Part):
    app = "organizations"
    sheets = SHEETS
    importing = importing
    exporting = exporting
    references = (
        Reference("area", "địa bàn", Area, "areas", "Mã địa bàn", tree=True,
                  suggest=importing.leading_zeros),
        Reference("unit", "đơn vị", Unit, "units", "Mã đơn vị", tree=True),
        Reference("title", "chức danh", PositionTitle, "titles", "Mã chức danh"),
    )  # fmt: skip
    root = Root(
        find=_find_root,
        options=_root_options,
        describe=lambda unit: f"{unit.code} – {unit.name}",
    )


register(OrganizationsPart())
