"""The directives' part of the data package: directives, tasks and per-unit assignments.

Registered with the exchange core when Django's apps are ready (the core finds
`<app>.package` modules itself, see `canbo.exchange.registry`).
"""

from __future__ import annotations

import re

from canbo.exchange import cells
from canbo.exchange.registry import Kind, Part, register

from . import exporting, importing
from .sheets import SHEETS, UNIT_CODES

_SEPARATORS = re.compile(r"[;\n]")


def read_unit_codes(raw) -> tuple[str, ...]:
    """Unit codes separated by semicolons (or line breaks), each once, in the order given."""
    text = cells.read_note(raw)
    codes: list[str] = []
    for part in _SEPARATORS.split(text):
        code = cells.read_text(part)
        if code and code not in codes:
            codes.append(code)
    return tuple(codes)


class DirectivesPart(Part):
    app = "directives"
    sheets = SHEETS
    importing = importing
    exporting = exporting
    kinds = (
        Kind(UNIT_CODES, "Các mã đơn vị, cách nhau bởi dấu chấm phẩy (;)", read=read_unit_codes,
             allowed="Đơn vị có trong sheet Đơn vị hoặc trong hệ thống"),
    )  # fmt: skip


register(DirectivesPart())
