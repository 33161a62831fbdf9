"""The party's official document format in DOCX, shared by every document canbo writes.

DOMAIN.md §6 (Hướng dẫn 36-HD/VPTW, with Nghị định 30/2020/NĐ-CP for the page): A4
portrait, margins 20/20/30/15 mm, Times New Roman 14 pt; "ĐẢNG CỘNG SẢN VIỆT NAM" top
right (15 pt, bold, underlined) above the place and date in italics (the day 1–9 and the
months 1–2 zero-padded); top left the superior body (14 pt caps) above the issuing body
(14 pt bold caps), a "*" and "Số …"; at the end "Nơi nhận:" and "T/M …".

Factored out of `planning.documents` (the plan list) so the directive progress report
writes the same header. No domain imports: units are read by duck typing (`name`,
`area`, treebeard's `path`). python-docx is imported lazily (only documents need it).
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.utils.translation import gettext as _

FONT = "Times New Roman"
PLACE_PREFIXES = (
    "Thành phố ",
    "Tỉnh ",
    "Thị xã ",
    "Thị trấn ",
    "Huyện ",
    "Quận ",
    "Phường ",
    "Xã ",
    "Đặc khu ",
)


def vn_long_date(on: dt.date) -> str:
    """'ngày 05 tháng 02 năm 2026': days under 10 and months under 3 get a leading zero."""
    month = f"{on.month:02d}" if on.month < 3 else str(on.month)
    return f"ngày {on.day:02d} tháng {month} năm {on.year}"


def default_place(unit) -> str:
    """The place name of the unit's area without its kind ("Tỉnh Thử Nghiệm" → "Thử Nghiệm")."""
    area = unit.area
    if area is None:
        return ""
    name = area.name
    for prefix in PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


# Words whose letters in a number are not their initials.
SYMBOL_WORDS = {"trung ương": "TW"}
# A short name without spaces ("BTCTU") is taken as the body's own symbol.
SYMBOL_MAX = 12


def _initial(word: str) -> str:
    """"Tỉnh" → "T", "ủy" → "U", "Đảng" → "Đ"; a word in capitals ("UBND", "II") whole."""
    if len(word) > 1 and word.isupper():
        return word
    first = unicodedata.normalize("NFD", word[0])[0]
    return first.upper()


def body_symbol(unit) -> str:
    """The issuing body's letters after the slash of a document's number (Hướng dẫn
    36-HD/VPTW: "127-BC/TU"): the initials of its name without the place ("Tỉnh ủy Thử
    Nghiệm" → "TU", "Đảng ủy xã An Bình" → "ĐU", "Ban Tổ chức Tỉnh ủy Thử Nghiệm" →
    "BTCTU"), or its short name when that is one word ("BTCTU"). Never the internal code."""
    short = (getattr(unit, "short_name", "") or "").strip()
    if short and " " not in short and len(short) <= SYMBOL_MAX:
        return short
    name = " ".join(unit.name.split())
    place = default_place(unit)
    if place and name.casefold().endswith(" " + place.casefold()):
        name = name[: -len(place)].rstrip()
        # The place's kind left behind ("Đảng ủy xã", "Ủy ban nhân dân tỉnh").
        for kind in sorted((p.strip() for p in PLACE_PREFIXES), key=len, reverse=True):
            if name.casefold().endswith(" " + kind.casefold()):
                name = name[: -len(kind)].rstrip()
                break
    words, letters, i = name.split(), [], 0
    while i < len(words):
        pair = " ".join(words[i : i + 2]).casefold()
        if pair in SYMBOL_WORDS:
            letters.append(SYMBOL_WORDS[pair])
            i += 2
            continue
        if words[i][0].isalnum():
            letters.append(_initial(words[i]))
        i += 1
    return "".join(letters) or unit.code


def number_line(kind: str, unit, number: str = "") -> str:
    """The number line under the issuing body: "Số 127-DS/TU" when the number is given,
    otherwise "Số      -DS/TU", the number left blank for the clerk who registers the
    document (an official number is given at issue, never made up by canbo)."""
    if number:
        return _("Số %(number)s") % {"number": number}
    return _("Số      -%(kind)s/%(body)s") % {"kind": kind, "body": body_symbol(unit)}


def header_lines(unit) -> tuple[str, str]:
    """(superior body, issuing body) in capitals: the unit's parent in the tree and the unit
    ("" for a root unit's superior)."""
    parent = (
        type(unit).objects.filter(path=unit.path[: -unit.steplen]).first()
        if unit.depth > 1
        else None
    )
    return (parent.name.upper() if parent else ""), unit.name.upper()


def run(paragraph, text: str, *, size: int = 14, bold=False, italic=False, underline=False):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    added = paragraph.add_run(text)
    added.font.name = FONT
    added.font.size = Pt(size)
    added.font.bold = bold
    added.font.italic = italic
    added.font.underline = underline
    # East Asian and complex-script font slots too, so Word does not substitute.
    fonts = added._element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:eastAsia", "w:cs", "w:hAnsi"):
        fonts.set(qn(slot), FONT)
    return added


def paragraph(container, text: str = "", *, align=None, space_after=0, **font):
    from docx.shared import Pt

    added = container.add_paragraph()
    if align is not None:
        added.alignment = align
    added.paragraph_format.space_after = Pt(space_after)
    added.paragraph_format.space_before = Pt(0)
    if text:
        run(added, text, **font)
    return added


def cell_text(cell, text: str, *, size=12, bold=False, align=None):
    cell.text = ""
    first = cell.paragraphs[0]
    if align is not None:
        first.alignment = align
    run(first, text, size=size, bold=bold)


def repeat_on_each_page(row) -> None:
    """A table's row (its heading) printed again at the top of every page it runs over."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(mark)


def new_document(*, landscape: bool = False):
    """An empty A4 document, portrait (or landscape, which Nghị định 30/2020 allows for a
    document that is mostly a table): Times New Roman 14 pt, margins 20/20/30/15 mm
    (top, bottom, left, right, whatever the orientation: the binding edge stays left)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    page_numbers_from_page_two(section)
    return document


def page_numbers_from_page_two(section) -> None:
    """The page number centred at the top of every page but the first (Nghị định 30/2020,
    Hướng dẫn 36): a PAGE field in the header, the first page's header left empty."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    shown = run(number, "1", size=14)  # what a reader shows before it updates the field
    field.append(shown._r)
    number._p.append(field)


def official_header(document, *, superior: str, issuer: str, number_text: str, place: str,
                    signed_on: dt.date) -> None:  # fmt: skip
    """The two-column header without borders: bodies, "*" and number on the left; the
    party's name, then the place and date, on the right."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    center = WD_ALIGN_PARAGRAPH.CENTER
    header = document.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    header.autofit = False
    left_cell, right_cell = header.rows[0].cells
    left_cell.width, right_cell.width = Mm(75), Mm(90)
    left_cell.text = ""
    first = left_cell.paragraphs[0]
    first.alignment = center
    if superior:
        run(first, superior, size=14)
        second = paragraph(left_cell, align=center)
    else:
        second = first
    run(second, issuer, size=14, bold=True)
    paragraph(left_cell, "*", align=center, size=14)
    paragraph(left_cell, number_text, align=center, size=14)

    right_cell.text = ""
    party = right_cell.paragraphs[0]
    party.alignment = center
    run(party, "ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True, underline=True)
    paragraph(right_cell, "", align=center)
    date_line = f"{place}, {vn_long_date(signed_on)}" if place else vn_long_date(signed_on)
    paragraph(right_cell, date_line, align=center, size=14, italic=True)


def signature_block(document, *, issuer: str, recipients: list[str]) -> None:
    """The recipients ("Nơi nhận:") on the left, "T/M <issuer>" on the right."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(document, "")
    footer = document.add_table(rows=1, cols=2)
    to_cell, sign_cell = footer.rows[0].cells
    to_cell.text = ""
    run(to_cell.paragraphs[0], _("Nơi nhận:"), size=12, bold=True, underline=True)
    for line in recipients:
        paragraph(to_cell, line, size=12)
    sign_cell.text = ""
    sign = sign_cell.paragraphs[0]
    sign.alignment = center
    run(sign, _("T/M %(body)s") % {"body": issuer}, size=14, bold=True)
    paragraph(sign_cell, _("(Ký, ghi rõ họ tên)"), align=center, size=14, italic=True)
