"""The key leaders at a date as a workbook a committee would file.

Two sheets, each under the same heading (the title "DANH SÁCH CÁN BỘ CHỦ CHỐT … TẠI
NGÀY dd/mm/yyyy", the unit, the level asked, the date): "Tổng hợp" (per title and level:
posts, held, not local, not yet judged, the share; then the holders of two key titles at
once) and "Danh sách" (STT, unit, title, holder, born, local or not, the row's start,
continuous tenure, terms, other key titles held). Written by the shared formula-safe
writer (`canbo.core.xlsx`): names stay text whatever they begin with.
"""

from __future__ import annotations

from typing import IO

from django.utils.translation import gettext as _

from canbo.core import xlsx
from canbo.core.dates import format_day, format_partial_date

from .leaders import KeyLeaders
from .leaders_query import also_holds_titles, level_label, local_text, share_text, tenure_duration

FONT = "Times New Roman"


def title_text(result: KeyLeaders) -> str:
    """"DANH SÁCH CÁN BỘ CHỦ CHỐT THUỘC TỈNH ỦY TẠI NGÀY 30/11/2018"."""
    return _("DANH SÁCH CÁN BỘ CHỦ CHỐT THUỘC %(unit)s TẠI NGÀY %(day)s") % {
        "unit": result.unit.name.upper(),
        "day": format_day(result.on),
    }


def summary_headers() -> list[str]:
    return [_("STT"), _("Chức danh"), _("Cấp"), _("Số vị trí"), _("Đang có người giữ"),
            _("Không phải người địa phương"), _("Chưa xác định"), _("Tỷ lệ không phải người "
            "địa phương (%)"), _("Số không phải người địa phương / đang giữ")]  # fmt: skip


def list_headers() -> list[str]:
    return [_("STT"), _("Đơn vị"), _("Chức danh"), _("Họ và tên"), _("Ngày sinh"),
            _("Người địa phương"), _("Giữ từ ngày"), _("Giữ liên tục từ"),
            _("Thời gian giữ liên tục"), _("Số nhiệm kỳ"),
            _("Đồng thời giữ chức danh chủ chốt")]  # fmt: skip


def write_key_leaders_xlsx(result: KeyLeaders, handle: IO[bytes], *, level: str | None = None) -> None:
    book = xlsx.StreamingWorkbook(handle)
    title = book.style(xlsx.Style(font=FONT, size=14, bold=True))
    header = book.style(
        xlsx.Style(font=FONT, bold=True, border=True, wrap=True, vertical="center",
                   horizontal="center")  # fmt: skip
    )
    bold = book.style(xlsx.Style(font=FONT, bold=True))
    share = book.style(xlsx.Style(number_format="0.00"))
    above = [
        ([title_text(result)], [title]),
        ([_("Đơn vị"), f"{result.unit.name} ({result.unit.code})"], None),
        ([_("Cấp"), level_label(level) if level else _("Tất cả các cấp")], None),
        ([_("Số liệu tại ngày"), format_day(result.on)], None),
        ([], None),
    ]

    headers = summary_headers()
    sheet = book.add_sheet(_("Tổng hợp"), [6, 34, 22, 10, 12, 16, 12, 16, 18],
                           freeze_rows=len(above) + 1)  # fmt: skip
    for values, styles in above:
        sheet.write_row(values, styles)
    sheet.write_row(headers, [header] * len(headers))
    for number, s in enumerate(result.summary, start=1):
        sheet.write_row(
            [number, s.title.name, level_label(s.level), s.posts, s.held, s.not_local,
             s.unknown, s.share_not_local, share_text(s)],
            [None] * 7 + [share, None],
        )  # fmt: skip
    sheet.write_row([])
    sheet.write_row(["", _("Giữ đồng thời hai chức danh chủ chốt trở lên")], [None, bold])
    if not result.doubles:
        sheet.write_row(["", _("Không có")])
    for number, double in enumerate(result.doubles, start=1):
        sheet.write_row(
            [number, " + ".join(t.name for t in double.titles), _("%(n)d người") % {"n": len(double.people)},
             "; ".join(p.full_name for p in double.people)]
        )  # fmt: skip

    headers = list_headers()
    sheet = book.add_sheet(_("Danh sách"), [6, 28, 28, 26, 12, 12, 12, 14, 18, 10, 30],
                           freeze_rows=len(above) + 1)  # fmt: skip
    for values, styles in above:
        sheet.write_row(values, styles)
    sheet.write_row(headers, [header] * len(headers))
    for number, post in enumerate(result.posts, start=1):
        person, row = post.person, post.assignment
        if person is None:
            sheet.write_row([number, post.unit.name, post.title.name, _("(còn trống)")])
            continue
        sheet.write_row(
            [number, post.unit.name, post.title.name, person.full_name,
             format_partial_date(person.birth_date, person.birth_date_precision),
             local_text(post.local), format_partial_date(row.start_date, row.start_precision),
             post.tenure_start, tenure_duration(post), post.terms,
             "; ".join(t.name for t in also_holds_titles(post))]
        )  # fmt: skip
    book.close()
