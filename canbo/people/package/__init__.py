"""The people's part of the data package: people and the sections of their records.

Registered with the exchange core when Django's apps are ready (the core finds
`<app>.package` modules itself, see `canbo.exchange.registry`).
"""

from __future__ import annotations

from canbo.exchange import cells
from canbo.exchange.registry import Kind, Lookup, Part, register
from canbo.people.models import Ethnicity

from . import exporting, importing
from .sheets import SHEETS


def _ethnicities() -> list[tuple[int, str]]:
    return list(Ethnicity.objects.order_by("code").values_list("pk", "name"))


class PeoplePart(Part):
    app = "people"
    sheets = SHEETS
    importing = importing
    exporting = exporting
    kinds = (
        Kind("person", "Số định danh (12 chữ số)", read=cells.read_id_number,
             allowed="Cán bộ có trong sheet Cán bộ hoặc trong hệ thống"),
    )  # fmt: skip
    lookups = (
        Lookup("ethnicity", "Danh mục", _ethnicities, summary="54 dân tộc (danh mục Dân tộc)"),
    )  # fmt: skip


register(PeoplePart())
