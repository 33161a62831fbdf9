"""Report rounds' part of the data package: rounds, the units' submissions and their count
cells, so that a submission travels between levels that run separate installations
(issue 16, item 5; ADR 0033).

Registered with the exchange core when Django's apps are ready (the core finds
`<app>.package` modules itself, see `canbo.exchange.registry`).
"""

from __future__ import annotations

from canbo.exchange.registry import Kind, Part, register

from . import exporting, importing
from .cells import read_count, read_form_codes, read_moment
from .sheets import COUNT, DATETIME, FORM_CODES, SHEETS


class ReportsPart(Part):
    app = "reports"
    sheets = SHEETS
    importing = importing
    exporting = exporting
    kinds = (
        Kind(FORM_CODES, "Các mã biểu, cách nhau bởi dấu chấm phẩy (;)", read=read_form_codes,
             allowed="Mã biểu có trong hệ thống (canbo report --list)"),
        Kind(DATETIME, "Ngày giờ: dd/mm/yyyy hh:mm (giờ Việt Nam)", read=read_moment,
             allowed="Năm 1900–2100; giây bị bỏ qua"),
        Kind(COUNT, "Số nguyên không âm", read=read_count, allowed="0 trở lên", text_cell=False),
    )  # fmt: skip


register(ReportsPart())
