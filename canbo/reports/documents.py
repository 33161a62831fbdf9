"""A computed report as a file (issue 16, item 6): XLSX in the printed layout, DOCX in the
official format, PDF from the DOCX. Works for any `FormSpec`.

**XLSX** (`core.xlsx`, the one formula-safe writer): the title rows (form code, title,
unit, "Số liệu tại ngày dd/mm/yyyy", who is counted), a two-row header (a group's label
merged across its consecutive columns above their own labels; a column without a group
merged over both rows), the column-number row "(1) (2) …", then the rows (totals bold,
parts indented) and the notes. Counts are numbers, shares and ratios numbers shown
"0.00" (the values as `Report.value` rounds them; "—" where the base is zero). A4
landscape, fitted to the page's width, the rows down to the column numbers repeated on
every page and frozen on screen.

**DOCX** (`core.officedoc`, DOMAIN.md §6): A4 landscape (a table), the party header with
the unit as the issuing body and its parent as the superior one, the number "Số
-BC/…" left blank for the clerk, the place and date (the cut-off date by default) in
italics; the title, who is counted, the form's narrative (its figures read from the
cells), the table (the same merged header, repeated on each page), the notes and the
signature block. Numbers the Vietnamese way: "1.234", "40,00".

**PDF**: the DOCX converted by LibreOffice headless, offline (`core.officepdf`); a
`ConversionError` says why when it cannot be made.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from decimal import Decimal

from django.utils.translation import gettext as _

from canbo.core import officedoc, officepdf, xlsx
from canbo.core.dates import format_day
from canbo.core.listexport import ascii_stem
from canbo.core.officepdf import ConversionError  # noqa: F401 - re-exported (views)
from canbo.organizations.models import Unit

from .spec import COUNT, Column, FormSpec, Report

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
FORMATS = tuple(CONTENT_TYPES)
FONT = officedoc.FONT
DASH = "—"  # a share or ratio whose base is zero


def render(report: Report, fmt: str, *, signed_on: dt.date | None = None) -> bytes:
    """`report` as an "xlsx", "docx" or "pdf" file; the documents are dated `signed_on`
    (the cut-off date when None). ConversionError when the PDF cannot be made."""
    if fmt == "xlsx":
        return build_xlsx(report)
    if fmt == "docx":
        return build_docx(report, signed_on=signed_on)
    if fmt == "pdf":
        return officepdf.docx_to_pdf(build_docx(report, signed_on=signed_on),
                                     document=_("báo cáo"))  # fmt: skip
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


def filename(report: Report, fmt: str) -> str:
    """"bao-cao-tk-cb-tu-2026-12-04.xlsx" (ASCII, whatever the codes hold)."""
    unit = ascii_stem(report.unit.code) if report.unit is not None else "toan-bo"
    return f"bao-cao-{ascii_stem(report.form.code)}-{unit}-{report.on:%Y-%m-%d}.{fmt}"


# --- What both documents say --------------------------------------------------------------


def runs(form: FormSpec) -> list[tuple[str, list[Column]]]:
    """The header's top row: each run of consecutive columns of one group with the group's
    label; a column without a group is a run of its own labelled "" (its label spans both
    header rows)."""
    found: list[tuple[str, list[Column]]] = []
    for column in form.columns:
        group = str(column.group)
        if group and found and found[-1][0] == group:
            found[-1][1].append(column)
        else:
            found.append((group, [column]))
    return found


def unit_text(report: Report) -> str:
    if report.unit is None:
        return _("Toàn bộ phạm vi được xem")
    return report.unit.name


def as_of_text(report: Report) -> str:
    return _("Số liệu tại ngày %(date)s") % {"date": format_day(report.on)}


def population_text(form: FormSpec) -> str:
    return _("Đối tượng thống kê: %(who)s") % {"who": form.population}


def number_text(value) -> str:
    """A cell as the DOCX prints it: "1.234", "40,00", "—"."""
    if value is None:
        return DASH
    if isinstance(value, Decimal):
        return f"{value:,}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{value:,}".replace(",", ".")


ROW_HEADING = _("Chỉ tiêu")


# --- XLSX -----------------------------------------------------------------------------------

DATA_WIDTH = 9.0
LINE_POINTS = 15.0  # one line of 11-point text


def _lines(text: str, chars: float) -> int:
    """How many lines `text` wraps to in `chars` characters of width."""
    width = max(int(chars), 1)
    return max(len(textwrap.wrap(str(text), width, break_long_words=True)), 1)


def _height(lines: int) -> float | None:
    return None if lines <= 1 else min(lines * LINE_POINTS, 409)


def build_xlsx(report: Report) -> bytes:
    """The form in its printed layout (module docstring) as XLSX bytes."""
    form = report.form
    columns = list(form.columns)
    width = len(columns) + 1
    last = xlsx.column_letter(width - 1)
    label_width = max(24.0, min(42.0, max((len(str(r.label)) + 2 * r.indent + 2
                                           for r in form.rows), default=24)))  # fmt: skip
    widths = [label_width] + [DATA_WIDTH] * len(columns)
    out = io.BytesIO()
    book = xlsx.StreamingWorkbook(out)

    def style(**kwargs) -> int:
        return book.style(xlsx.Style(font=FONT, **kwargs))

    code_style = style(italic=True, bold=True)
    title = style(size=14, bold=True, horizontal="center", vertical="center", wrap=True)
    subtitle = style(bold=True, horizontal="center", vertical="center", wrap=True)
    italic = style(italic=True, horizontal="center", vertical="center", wrap=True)
    head = style(bold=True, border=True, wrap=True, horizontal="center", vertical="center")
    numbering = style(italic=True, border=True, horizontal="center", vertical="center")
    note = style(wrap=True, vertical="top")
    note_head = style(bold=True, italic=True)

    title_rows = 8
    sheet = book.add_sheet(
        form.code[:31], widths, freeze_rows=title_rows,
        print_setup=xlsx.PrintSetup(landscape=True, fit_to_width=True, title_rows=title_rows),
    )  # fmt: skip
    full = sum(widths)

    def across(text: str, cell_style: int, *, chars: float = full) -> None:
        sheet.write_row([text], [cell_style], height=_height(_lines(text, chars)))
        sheet.merge(f"A{sheet.row}:{last}{sheet.row}")

    # 1–5: the title rows.
    sheet.write_row([_("Mẫu %(code)s") % {"code": form.code}], [code_style])
    across(str(form.title).upper(), title, chars=full * 0.7)
    across(unit_text(report), subtitle, chars=full * 0.9)
    across(as_of_text(report), italic)
    across(population_text(form), italic, chars=full * 0.95)

    # 6–7: the header; 8: the column numbers.
    top: list = [ROW_HEADING]
    bottom: list = [xlsx.BLANK]
    merges = ["A6:A7"]
    top_lines, bottom_lines = 1, 1
    column = 1
    for group, members in runs(form):
        first, end = xlsx.column_letter(column), xlsx.column_letter(column + len(members) - 1)
        if group:
            top += [group] + [xlsx.BLANK] * (len(members) - 1)
            bottom += [str(c.label) for c in members]
            if len(members) > 1:
                merges.append(f"{first}6:{end}6")
            top_lines = max(top_lines, _lines(group, DATA_WIDTH * len(members) - 1))
            bottom_lines = max([bottom_lines] + [_lines(str(c.label), DATA_WIDTH - 1)
                                                 for c in members])  # fmt: skip
        else:
            (alone,) = members
            top.append(str(alone.label))
            bottom.append(xlsx.BLANK)
            merges.append(f"{first}6:{first}7")
        column += len(members)
    # A label spanning both rows takes what the two rows' lines give it.
    spanning = max([1] + [_lines(str(c.label), DATA_WIDTH - 1) for group, members in runs(form)
                          if not group for c in members])  # fmt: skip
    top_lines = max(top_lines, spanning - bottom_lines)
    sheet.write_row(top, [head] * width, height=_height(top_lines))
    sheet.write_row(bottom, [head] * width, height=_height(bottom_lines))
    for cells in merges:
        sheet.merge(cells)
    sheet.write_row([f"({n})" for n in range(1, width + 1)], [numbering] * width)

    # The rows.
    looks: dict[tuple, int] = {}

    def look(bold: bool, kind: str | None, indent: int = 0) -> int:
        key = (bold, kind, indent)
        if key not in looks:
            if kind is None:  # the row's label
                looks[key] = style(bold=bold, border=True, wrap=True, vertical="center",
                                   horizontal="left" if indent else None,
                                   indent=indent)  # fmt: skip
            else:
                looks[key] = style(bold=bold, border=True, horizontal="center",
                                   vertical="center",
                                   number_format=None if kind == COUNT else "0.00")  # fmt: skip
        return looks[key]

    for row, values in report.table():
        bold = row.bold
        label = str(row.label)
        styles = [look(bold, None, min(row.indent, 15))]
        cells: list = [label]
        for spec, value in zip(columns, values, strict=True):
            styles.append(look(bold, spec.kind))
            cells.append(DASH if value is None else value)
        sheet.write_row(cells, styles,
                        height=_height(_lines(label, label_width - 2 * row.indent - 1)))  # fmt: skip

    # The notes.
    if form.notes:
        sheet.write_row([])
        sheet.write_row([_("Ghi chú:")], [note_head])
        for n, text in enumerate(form.notes, start=1):
            across(f"{n}. {text}", note)
    book.close()
    return out.getvalue()


# --- DOCX -----------------------------------------------------------------------------------

TEXT_WIDTH_MM = 252  # A4 landscape (297 mm) less the left (30) and right (15) margins
CELL_MARGIN_TWIPS = 28  # each side of a table cell, 0.5 mm (Word's 1.9 mm leaves no room)
CELL_MARGIN_MM = CELL_MARGIN_TWIPS / 56.7
# A bold Vietnamese letter of Times New Roman is about 0.55 em wide; 1 pt is 0.3528 mm.
LETTER_EM, POINT_MM = 0.55, 0.3528


def issuing_unit(report: Report):
    """The body that issues the report: its unit, or the only root unit for a report on
    everything in scope (None when there are several)."""
    if report.unit is not None:
        return report.unit
    roots = list(Unit.objects.filter(depth=1)[:2])
    return roots[0] if len(roots) == 1 else None


def _table_size(columns: int) -> int:
    """The table's font size: smaller as the form grows wider."""
    if columns <= 8:
        return 12
    if columns <= 14:
        return 10
    return 8


def _head_size(form: FormSpec, size: int, column_mm: float) -> int:
    """The header's font size: `size`, or smaller until the longest word of a column's
    label fits its column whole (a word is never broken across lines)."""
    words = [word for column in form.columns for word in str(column.label).split()]
    longest = max((len(word) for word in words), default=1)
    room = column_mm - 2 * CELL_MARGIN_MM
    for candidate in range(size, 5, -1):
        if longest * LETTER_EM * candidate * POINT_MM <= room:
            return candidate
    return 6


def _keep_whole(table) -> None:
    """The table's rows are never split across two pages (the signature block moves to
    the next page whole rather than leaving "Nơi nhận" apart from its lines)."""
    from docx.oxml import OxmlElement

    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _narrow_cells(table) -> None:
    """Cell margins of CELL_MARGIN_TWIPS left and right, for narrow number columns."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    table._tbl.tblPr.append(margins)


def build_docx(report: Report, *, signed_on: dt.date | None = None) -> bytes:
    """The report as an official party document (module docstring) as DOCX bytes."""
    from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    form = report.form
    unit = issuing_unit(report)
    document = officedoc.new_document(landscape=True)
    document.core_properties.title = str(form.title)
    if unit is not None:
        superior, issuer = officedoc.header_lines(unit)
        number = officedoc.number_line("BC", unit)
        place = officedoc.default_place(unit)
    else:
        superior, issuer, number, place = "", "", _("Số      -BC"), ""
    officedoc.official_header(document, superior=superior, issuer=issuer, number_text=number,
                              place=place, signed_on=signed_on or report.on)  # fmt: skip

    write = officedoc.paragraph
    write(document, "")
    write(document, _("BÁO CÁO"), align=center, bold=True)
    write(document, str(form.title), align=center, bold=True)
    write(document, _("(Mẫu %(code)s; %(as_of)s)")
          % {"code": form.code, "as_of": as_of_text(report).lower()},
          align=center, italic=True)  # fmt: skip
    write(document, "-----", align=center, space_after=6)
    write(document, population_text(form), align=justify, space_after=6)
    if form.narrative is not None:
        write(document, form.narrative(report), align=justify, space_after=6)

    _table(document, report, Mm, center, WD_ALIGN_VERTICAL.CENTER, WD_TABLE_ALIGNMENT.CENTER)

    if form.notes:
        write(document, "", space_after=0)
        write(document, _("Ghi chú:"), size=12, bold=True, italic=True)
        for n, text in enumerate(form.notes, start=1):
            write(document, f"{n}. {text}", align=justify, size=12, italic=True)
    parent = (Unit.objects.filter(path=unit.path[: -unit.steplen]).first()
              if unit is not None and unit.depth > 1 else None)  # fmt: skip
    recipients = [_("- %(body)s (để báo cáo),") % {"body": parent.name}] if parent else []
    officedoc.signature_block(document, issuer=issuer or unit_text(report).upper(),
                              recipients=[*recipients, _("- Lưu.")])  # fmt: skip
    _keep_whole(document.tables[-1])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document, report: Report, Mm, center, middle, table_center) -> None:
    """The form's table: two header rows (groups merged), the column numbers, the rows;
    the three heading rows repeated at the top of every page the table runs over."""
    form = report.form
    count = len(form.columns) + 1
    size = _table_size(len(form.columns))
    label_mm = max(36, min(70, TEXT_WIDTH_MM - 14 * len(form.columns)))
    data_mm = (TEXT_WIDTH_MM - label_mm) / max(len(form.columns), 1)
    widths = [Mm(label_mm)] + [Mm(data_mm)] * len(form.columns)
    table = document.add_table(rows=3, cols=count)
    table.style = "Table Grid"
    table.alignment = table_center
    table.autofit = False
    _narrow_cells(table)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width

    head_size = _head_size(form, size, data_mm)

    def head(cell, text: str, width, *, bold=True, italic=False) -> None:
        officedoc.cell_text(cell, text, size=head_size, bold=bold, align=center)
        if italic:
            for piece in cell.paragraphs[0].runs:
                piece.font.italic = True
        cell.vertical_alignment = middle
        cell.width = width

    head(table.cell(0, 0).merge(table.cell(1, 0)), str(ROW_HEADING), widths[0])
    index = 1
    for group, members in runs(form):
        end = index + len(members) - 1
        if group:
            head(table.cell(0, index).merge(table.cell(0, end)), group,
                 Mm(data_mm * len(members)))  # fmt: skip
            for offset, column in enumerate(members):
                head(table.cell(1, index + offset), str(column.label), widths[index + offset])
        else:
            head(table.cell(0, index).merge(table.cell(1, index)), str(members[0].label),
                 widths[index])  # fmt: skip
        index = end + 1
    for n in range(count):
        head(table.cell(2, n), f"({n + 1})", widths[n], bold=False, italic=True)
    for heading in table.rows[:3]:
        officedoc.repeat_on_each_page(heading)

    for row, values in report.table():
        bold = row.bold
        cells = table.add_row().cells
        officedoc.cell_text(cells[0], str(row.label), size=size, bold=bold)
        if row.indent:
            cells[0].paragraphs[0].paragraph_format.left_indent = Mm(3 * row.indent)
        for cell, value in zip(cells[1:], values, strict=True):
            officedoc.cell_text(cell, number_text(value), size=size, bold=bold, align=center)
        for cell, width in zip(cells, widths, strict=True):
            cell.vertical_alignment = middle
            cell.width = width
