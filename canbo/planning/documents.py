"""A plan as files: an XLSX workbook, and a DOCX list in the party's official format.

The DOCX follows DOMAIN.md §6 (Hướng dẫn 36-HD/VPTW): A4 in landscape (Nghị định
30/2020 allows landscape for tables; the list is a table, so the whole document is
landscape: the header and the signature stay on the same pages as the table instead of
a portrait first page holding a title and one sentence), Times New Roman, "ĐẢNG CỘNG SẢN VIỆT NAM" top right (15 pt, bold, underlined), the
superior body (14 pt caps) above the issuing body (14 pt bold caps) and a "*"
top left, "Số …", the place and date in italics with the day 1–9 and the
months 1–2 zero-padded, body text 14 pt, then the table of entries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canbo.core import officedoc, xlsx
from canbo.core.dates import DatePrecision, format_day, format_partial_date
from canbo.core.officedoc import FONT, default_place, vn_long_date  # noqa: F401 - re-exported

from .models import Plan, PlanEntry
from .pages import covered_positions, posts_on


@dataclass(frozen=True)
class Row:
    number: int
    full_name: str
    id_number: str
    birth_date: str
    birth_value: dt.date | str  # a date when known to the day, else "05/1980" or "1980"
    sex: str
    posts: str
    position: str
    source: str
    added_on: dt.date
    decision: str


def plan_rows(plan: Plan, on: dt.date) -> list[Row]:
    """The entries active on `on`, by position (highest rank first), then name."""
    order = {p.pk: i for i, p in enumerate(covered_positions(plan))}
    entries = list(
        PlanEntry.objects.filter(plan=plan, added_on__lte=on)
        .exclude(removed_on__lte=on)
        .select_related("person", "position__title", "position__unit")
    )
    entries.sort(key=lambda e: (order.get(e.position_id, len(order)), e.person.sort_key, e.pk))
    posts = posts_on({e.person_id for e in entries}, on)
    return [
        Row(
            number=i,
            full_name=e.person.full_name,
            id_number=e.person.id_number,
            birth_date=format_partial_date(e.person.birth_date, e.person.birth_date_precision),
            birth_value=(
                e.person.birth_date
                if e.person.birth_date_precision == DatePrecision.DAY
                else format_partial_date(e.person.birth_date, e.person.birth_date_precision)
            ),
            sex=e.person.get_sex_display(),
            posts="; ".join(posts.get(e.person_id, [])),
            position=f"{e.position.title.name} – {e.position.unit.name}",
            source=e.get_source_display(),
            added_on=e.added_on,
            decision=e.added_decision,
        )
        for i, e in enumerate(entries, start=1)
    ]


HEADERS = (
    gettext_lazy("STT"),
    gettext_lazy("Họ và tên"),
    gettext_lazy("Số định danh cá nhân"),
    gettext_lazy("Ngày sinh"),
    gettext_lazy("Giới tính"),
    gettext_lazy("Chức vụ hiện tại"),
    gettext_lazy("Chức danh quy hoạch"),
    gettext_lazy("Nguồn"),
    gettext_lazy("Ngày đưa vào"),
    gettext_lazy("Quyết định"),
)


def _header_lines(plan: Plan) -> tuple[str, str]:
    return officedoc.header_lines(plan.planning_unit)


def title_of(plan: Plan) -> str:
    return _("DANH SÁCH CÁN BỘ TRONG QUY HOẠCH")


def subtitle_of(plan: Plan) -> str:
    """The plan's name, with its term unless the name already says it (the default name
    "Tỉnh ủy X, nhiệm kỳ 2030–2035" or "… 2030–2035" would otherwise repeat it)."""
    name = " ".join(plan.name.split())
    if plan.term.name and plan.term.name in name:
        return name
    return _("%(name)s, nhiệm kỳ %(term)s") % {"name": name, "term": plan.term.name}


# --- XLSX ----------------------------------------------------------------------------


def write_plan_xlsx(plan: Plan, handle, *, on: dt.date) -> None:
    """One sheet of the active entries, with the plan's header above the table: dates as
    dates (dd/mm/yyyy), long text wrapped in its column, printed on A4 landscape fitted to
    the page's width.

    The head is three rows, as in every list to Excel (core.listexport): the title, the
    plan's name, one line of the planning unit, the status and the date; then the table's
    header. These four rows are repeated on every printed page and stay in view on screen:
    a head of one line per fact and a blank row (seven rows) made each page mostly heading."""
    rows = plan_rows(plan, on)
    book = xlsx.StreamingWorkbook(handle)
    title = book.style(xlsx.Style(font=FONT, size=14, bold=True))
    subtitle = book.style(xlsx.Style(font=FONT, italic=True))
    header = book.style(
        xlsx.Style(font=FONT, bold=True, wrap=True, vertical="center", horizontal="center",
                   border=True)
    )  # fmt: skip
    text = book.style(xlsx.Style(font=FONT, number_format="@", wrap=True, vertical="top",
                                 border=True))  # fmt: skip
    day = book.style(xlsx.Style(font=FONT, number_format="DD/MM/YYYY", vertical="top",
                                horizontal="center", border=True))  # fmt: skip
    number = book.style(xlsx.Style(font=FONT, vertical="top", horizontal="center", border=True))
    status = plan.get_status_display()
    if plan.decision_number:
        status += " – " + _("Quyết định số %(number)s ngày %(date)s") % {
            "number": plan.decision_number,
            "date": format_day(plan.decision_date),
        }
    # Each label with its value in one cell: a label alone in the narrow first column
    # would be cut by the value beside it. The facts share one line (the cells beside it
    # are empty, so it shows whole across the table's width).
    facts = " · ".join([
        _("Đơn vị lập quy hoạch: %(unit)s") % {"unit": plan.planning_unit.name},
        _("Trạng thái: %(status)s") % {"status": status},
        _("Danh sách tại ngày: %(date)s") % {"date": format_day(on)},
    ])  # fmt: skip
    above = [
        ([title_of(plan)], [title]),
        ([subtitle_of(plan)], [subtitle]),
        ([facts], None),
    ]
    title_rows = len(above) + 1
    sheet = book.add_sheet(
        _("Quy hoạch"),
        [6, 28, 16, 12, 10, 40, 40, 20, 13, 22],
        freeze_rows=title_rows,
        print_setup=xlsx.PrintSetup(landscape=True, fit_to_width=True, title_rows=title_rows),
    )
    for values, styles in above:
        sheet.write_row(values, styles)
    sheet.write_row([str(h) for h in HEADERS], [header] * len(HEADERS))
    styles = [number, text, text, day, text, text, text, text, day, text]
    for row in rows:
        sheet.write_row(
            [row.number, row.full_name, row.id_number, row.birth_value, row.sex, row.posts,
             row.position, row.source, row.added_on, row.decision],
            styles,
        )  # fmt: skip
    book.close()


# --- DOCX ----------------------------------------------------------------------------


_run, _paragraph, _cell_text = officedoc.run, officedoc.paragraph, officedoc.cell_text


def write_plan_docx(
    plan: Plan, handle, *, on: dt.date, number: str = "", place: str = "", signed_on=None
) -> None:
    """The plan's list as an official party document (A4, Times New Roman)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    center, left = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT
    signed_on = signed_on or on
    place = place or default_place(plan.planning_unit)
    rows = plan_rows(plan, on)

    document = officedoc.new_document(landscape=True)
    superior, issuer = _header_lines(plan)
    number_text = officedoc.number_line("DS", plan.planning_unit, number)
    officedoc.official_header(document, superior=superior, issuer=issuer,
                              number_text=number_text, place=place, signed_on=signed_on)  # fmt: skip

    _paragraph(document, "")
    _paragraph(document, title_of(plan), align=center, size=14, bold=True)
    _paragraph(document, subtitle_of(plan), align=center, space_after=6, size=14, bold=True)
    if plan.decision_number:
        text = _("(Kèm theo Quyết định phê duyệt số %(number)s ngày %(date)s)") % {
            "number": plan.decision_number,
            "date": format_day(plan.decision_date),
        }
        _paragraph(document, text, align=center, space_after=6, size=14, italic=True)
    _paragraph(
        document,
        _("Danh sách cán bộ trong quy hoạch tại ngày %(date)s: %(n)d lượt người.")
        % {"date": format_day(on), "n": len(rows)},
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        space_after=6,
        size=14,
    )

    # The landscape page's 252 mm between the margins.
    columns = (
        (_("STT"), 12),
        (_("Họ và tên"), 45),
        (_("Ngày sinh"), 25),
        (_("Chức vụ hiện tại"), 70),
        (_("Chức danh quy hoạch"), 70),
        (_("Nguồn"), 30),
    )
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    officedoc.repeat_on_each_page(table.rows[0])
    for cell, (title, width) in zip(table.rows[0].cells, columns, strict=True):
        cell.width = Mm(width)
        _cell_text(cell, title, bold=True, align=center)
    for row in rows:
        cells = table.add_row().cells
        values = (str(row.number), row.full_name, row.birth_date, row.posts or "—",
                  row.position, row.source)  # fmt: skip
        for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.width = Mm(columns[i][1])
            _cell_text(cell, value, align=center if i in (0, 2) else left)

    officedoc.signature_block(document, issuer=issuer,
                              recipients=[_("- Như trên,"), _("- Lưu hồ sơ quy hoạch.")])  # fmt: skip
    document.save(handle)
