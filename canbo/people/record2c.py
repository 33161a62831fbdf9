"""The personal record (sơ yếu lý lịch) of one person in the layout of mẫu 2C/TCTW-98, as
DOCX and as PDF (issue 17, item 1).

The DOCX is written with python-docx through `core.officedoc` (the same page, font and
runs as every document canbo writes: A4 portrait, margins 20/20/30/15 mm per NĐ 30, Times
New Roman); no template engine (docxtpl is not a dependency). The items the record holds
are filled in (name in capitals, dates dd/mm/yyyy, mm/yyyy or yyyy by their precision,
origin, party dates, levels, work history and training by period, rewards, discipline,
evaluations); an item the record has no field for keeps its dotted line, to be filled in
by hand, and the family section keeps empty rows.

The PDF is the DOCX converted by LibreOffice headless, offline (`core.officepdf`, shared
with the report forms: a private profile per conversion, a time limit); a missing or
failing LibreOffice is a `ConversionError` with a message for the user, never a crash.

Reading is scoped by the caller (it hands `load` the people the user may see); the
callers write the access entry (AccessKind.DOCUMENT) once the file is made.
"""

from __future__ import annotations

import datetime as dt
import io

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from canbo.core import officedoc, officepdf
from canbo.core.dates import format_day, format_partial_date
from canbo.core.officepdf import ConversionError, soffice_binary  # noqa: F401 - re-exported

from . import selectors
from .models import Assignment, Person

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
CONTENT_TYPES = {"docx": DOCX, "pdf": PDF}
FORMATS = tuple(CONTENT_TYPES)
TEXT_WIDTH_MM = 165  # A4 (210 mm) less the left (30) and right (15) margins
ROWS_TO_FILL = 3  # empty rows under a table the record holds nothing for


def with_record(people: QuerySet[Person]) -> QuerySet[Person]:
    """`people` (already scoped by the caller) with everything the record shows, fetched
    with them (a fixed number of queries however many they are)."""
    return people.select_related(
        "unit__area", "ethnicity", "hometown", "birthplace"
    ).prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("position__title")),
        "evaluations", "disciplines", "rewards", "trainings",
    )  # fmt: skip


def load(people: QuerySet[Person], **lookup) -> Person:
    """One person of `people` with everything the record shows; Person.DoesNotExist when
    `lookup` names no one among them."""
    return with_record(people).get(**lookup)


def filename(person: Person, fmt: str) -> str:
    return f"so-yeu-ly-lich-2c-{person.id_number}.{fmt}"


def render(person: Person, fmt: str, *, on: dt.date | None = None) -> bytes:
    """The record as `fmt` ("docx" or "pdf"); ConversionError when the PDF cannot be made."""
    data = build_docx(person, on=on)
    return docx_to_pdf(data) if fmt == "pdf" else data


# --- What the items say -----------------------------------------------------------------


def area_text(area) -> str:
    """"Xã An Bình, Tỉnh Thử Nghiệm": the area, then the areas above it."""
    if area is None:
        return ""
    step = area.steplen
    above = type(area).objects.filter(
        path__in=[area.path[:end] for end in range(step, len(area.path), step)]
    ).order_by("-depth")
    return ", ".join([area.name, *(a.name for a in above)])


def period_text(start, start_precision, end, end_precision) -> str:
    """"01/2021 – nay", "05/03/2015 – 12/2020", by each date's precision."""
    begin = format_partial_date(start, start_precision) if start else "…"
    until = format_partial_date(end, end_precision) if end else _("nay")
    return f"{begin} – {until}"


def assignment_text(row: Assignment) -> str:
    parts = [p for p in (row.title_name, row.unit_name) if p]
    text = ", ".join(parts)
    if row.is_concurrent:
        text += " (" + _("kiêm nhiệm") + ")"
    return text


def work_history(person: Person) -> list[tuple[str, str]]:
    """(period, post and unit) for each work-history row, oldest first."""
    rows = sorted(person.assignments.all(), key=lambda a: (a.start_date, a.pk))
    return [(period_text(a.start_date, a.start_precision, a.end_date, a.end_precision),
             assignment_text(a)) for a in rows]  # fmt: skip


def current_posts(person: Person, on: dt.date) -> str:
    return "; ".join(assignment_text(a) for a in selectors.current_positions(person, on))


def trainings(person: Person) -> list[tuple[str, str, str, str, str]]:
    rows = sorted(person.trainings.all(),
                  key=lambda t: (t.start_date or dt.date.min, t.pk))  # fmt: skip
    return [(t.institution, t.program,
             period_text(t.start_date, "D", t.end_date, "D") if t.start_date else "",
             str(t.get_kind_display()), t.qualification) for t in rows]  # fmt: skip


def rewards(person: Person) -> list[str]:
    lines = []
    for r in sorted(person.rewards.all(), key=lambda r: (r.year, r.pk)):
        extra = ", ".join(p for p in (r.authority, r.decision_number) if p)
        lines.append(f"{r.year}: {r.form}" + (f" ({extra})" if extra else ""))
    return lines


def disciplines(person: Person) -> list[str]:
    lines = []
    for d in sorted(person.disciplines.all(), key=lambda d: (d.effective_date, d.pk)):
        extra = ", ".join(p for p in (d.authority, d.decision_number) if p)
        line = f"{format_day(d.effective_date)}: {d.get_form_display()}"
        if extra:
            line += f" ({extra})"
        if d.reason:
            line += f" – {d.reason}"
        lines.append(line)
    return lines


def evaluations(person: Person) -> list[str]:
    return [
        _("Năm %(year)d: %(rating)s") % {"year": e.year, "rating": e.get_rating_display()}
        for e in sorted(person.evaluations.all(), key=lambda e: e.year)
    ]


def degree_text(person: Person) -> str:
    if person.professional_degree is None:
        return ""
    text = str(person.get_professional_degree_display())
    return f"{text}, {person.professional_major}" if person.professional_major else text


def choice_text(person: Person, name: str) -> str:
    return str(getattr(person, f"get_{name}_display")()) if getattr(person, name) is not None else ""


# --- The document -----------------------------------------------------------------------


def _dotted(paragraph) -> None:
    """A tab stop at the right margin with a dotted leader: a "\\t" fills the rest of the
    line with dots, the line to fill by hand."""
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Mm

    paragraph.paragraph_format.tab_stops.add_tab_stop(
        Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
    )


def item(document, label: str, value: str = "", *more: tuple[str, str], bold=False) -> None:
    """"label: value" in one line; with no value the line is left dotted to fill in. `more`
    adds ("label", value) pairs on the same line (sex after the birth date, …)."""
    from docx.shared import Pt

    line = officedoc.paragraph(document, space_after=2)
    line.paragraph_format.line_spacing = Pt(20)
    _dotted(line)
    pairs = [(label, value), *more]
    for index, (name, text) in enumerate(pairs):
        officedoc.run(line, f"{name}: " if index == 0 else f"; {name}: ", size=13)
        if text:
            officedoc.run(line, text, size=13, bold=bold and index == 0)
        elif index == len(pairs) - 1:
            officedoc.run(line, "\t", size=13)
        else:
            officedoc.run(line, "……………", size=13)


def heading(document, text: str) -> None:
    from docx.shared import Pt

    line = officedoc.paragraph(document, text, size=13, bold=True)
    line.paragraph_format.space_before = Pt(8)
    line.paragraph_format.space_after = Pt(4)


def lines_or_dotted(document, lines: list[str]) -> None:
    for text in lines:
        officedoc.paragraph(document, f"- {text}", size=13, space_after=2)
    for _n in range(0 if lines else 2):
        line = officedoc.paragraph(document, space_after=2)
        _dotted(line)
        officedoc.run(line, "\t", size=13)


def table(document, headings: list[str], rows: list[tuple], widths_mm: list[int]) -> None:
    """A bordered table: the headings in bold, then the rows, then empty rows to fill when
    there is none."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    rows = list(rows) or [("",) * len(headings)] * ROWS_TO_FILL
    grid = document.add_table(rows=1 + len(rows), cols=len(headings))
    grid.style = "Table Grid"
    grid.autofit = False
    for index, text in enumerate(headings):
        officedoc.cell_text(grid.rows[0].cells[index], text, size=12, bold=True,
                            align=WD_ALIGN_PARAGRAPH.CENTER)  # fmt: skip
    officedoc.repeat_on_each_page(grid.rows[0])
    for row, values in zip(grid.rows[1:], rows, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            officedoc.cell_text(cell, text, size=12)
    for column, width in zip(grid.columns, widths_mm, strict=True):
        for cell in column.cells:
            cell.width = Mm(width)


def _photo_box(cell) -> None:
    """The cell as a framed 3×4 cm box for the photo."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = cell._element.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "6")
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    properties.append(borders)


def header(document, person: Person) -> None:
    """Top: the managing and the employing bodies on the left, the form's name and the
    cadre number on the right; then the photo box beside the title."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    center = WD_ALIGN_PARAGRAPH.CENTER
    unit = person.unit
    superior, issuer = officedoc.header_lines(unit) if unit is not None else ("", "")
    top = document.add_table(rows=1, cols=2)
    top.autofit = False
    left, right = top.rows[0].cells
    left.width, right.width = Mm(105), Mm(60)
    left.text = ""
    first = left.paragraphs[0]
    officedoc.run(first, _("Cơ quan, đơn vị có thẩm quyền quản lý: "), size=12)
    officedoc.run(first, superior or issuer or "……………", size=12, bold=True)
    second = officedoc.paragraph(left)
    officedoc.run(second, _("Cơ quan, đơn vị sử dụng: "), size=12)
    officedoc.run(second, issuer or "……………", size=12, bold=True)
    right.text = ""
    form = right.paragraphs[0]
    form.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    officedoc.run(form, _("Mẫu 2C/TCTW-98"), size=12, bold=True)
    officedoc.paragraph(right, _("Số hiệu cán bộ: ……………"), align=WD_ALIGN_PARAGRAPH.RIGHT,
                        size=12)  # fmt: skip
    officedoc.paragraph(document, "")

    band = document.add_table(rows=1, cols=2)
    band.autofit = False
    photo, title = band.rows[0].cells
    photo.width, title.width = Mm(30), Mm(135)
    band.rows[0].height = Mm(40)
    band.rows[0].height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
    _photo_box(photo)
    photo.text = ""
    officedoc.paragraph(photo, "")
    officedoc.paragraph(photo, _("Ảnh"), align=center, size=12)
    officedoc.paragraph(photo, _("3 × 4 cm"), align=center, size=12)
    title.text = ""
    officedoc.paragraph(title, "")
    officedoc.paragraph(title, _("SƠ YẾU LÝ LỊCH"), align=center, size=16, bold=True)
    officedoc.paragraph(title, _("(Sơ yếu lý lịch cán bộ, đảng viên)"), align=center, size=13,
                        italic=True)  # fmt: skip
    officedoc.paragraph(document, "")


def body(document, person: Person, on: dt.date) -> None:
    birth = format_partial_date(person.birth_date, person.birth_date_precision)
    item(document, _("1) Họ và tên khai sinh (viết chữ in hoa)"), person.full_name.upper(),
         bold=True)
    item(document, _("2) Tên gọi khác"))
    item(document, _("3) Sinh ngày"), birth, (_("Giới tính"), str(person.get_sex_display())))
    item(document, _("4) Nơi sinh"), area_text(person.birthplace))
    item(document, _("5) Quê quán"), area_text(person.hometown))
    item(document, _("6) Dân tộc"), person.ethnicity.name if person.ethnicity else "",
         (_("7) Tôn giáo"), str(person.get_religion_display()) if person.religion else ""))  # fmt: skip
    item(document, _("8) Nơi đăng ký thường trú"))
    item(document, _("9) Nơi ở hiện nay"))
    item(document, _("10) Nghề nghiệp khi được tuyển dụng"))
    item(document, _("11) Ngày tuyển dụng"), "", (_("Cơ quan tuyển dụng"), ""))
    item(document, _("12) Chức vụ (chức danh) hiện tại"), current_posts(person, on))
    item(document, _("13) Cơ quan, đơn vị công tác hiện nay"),
         person.unit.name if person.unit else "")  # fmt: skip
    item(document, _("14) Ngạch, bậc lương, hệ số, phụ cấp"))
    item(document, _("15.1) Trình độ giáo dục phổ thông"))
    item(document, _("15.2) Trình độ chuyên môn cao nhất"), degree_text(person))
    item(document, _("15.3) Lý luận chính trị"), choice_text(person, "political_theory"),
         (_("15.4) Quản lý nhà nước"), choice_text(person, "state_management")))  # fmt: skip
    item(document, _("15.5) Ngoại ngữ"), person.foreign_language,
         (_("15.6) Tin học"), person.it_level))  # fmt: skip
    item(document, _("16) Ngày vào Đảng Cộng sản Việt Nam"), format_day(person.party_joined_date),
         (_("Ngày chính thức"), format_day(person.party_official_date)))  # fmt: skip
    item(document, _("17) Ngày tham gia tổ chức chính trị - xã hội"))
    item(document, _("18) Ngày nhập ngũ"), "", (_("Ngày xuất ngũ"), ""),
         (_("Quân hàm cao nhất"), ""))  # fmt: skip
    item(document, _("19) Danh hiệu được phong tặng cao nhất"))
    item(document, _("20) Sở trường công tác"))
    heading(document, _("21) Khen thưởng"))
    lines_or_dotted(document, rewards(person))
    heading(document, _("22) Kỷ luật"))
    lines_or_dotted(document, disciplines(person))
    item(document, _("23) Tình trạng sức khỏe"), "", (_("Chiều cao"), ""), (_("Cân nặng"), ""))
    item(document, _("24) Là thương binh hạng"), "", (_("Là con gia đình chính sách"), ""))
    item(document, _("25) Số định danh cá nhân"), person.id_number)
    item(document, _("26) Số sổ bảo hiểm xã hội"))

    heading(document, _("27) ĐÀO TẠO, BỒI DƯỠNG VỀ CHUYÊN MÔN, NGHIỆP VỤ, LÝ LUẬN CHÍNH TRỊ, "
                        "NGOẠI NGỮ, TIN HỌC"))  # fmt: skip
    table(document,
          [_("Tên trường, cơ sở đào tạo"), _("Chuyên ngành, nội dung"),
           _("Từ tháng năm đến tháng năm"), _("Hình thức"), _("Văn bằng, chứng chỉ")],
          trainings(person), [38, 40, 32, 25, 30])  # fmt: skip
    heading(document, _("28) TÓM TẮT QUÁ TRÌNH CÔNG TÁC"))
    table(document,
          [_("Từ tháng năm đến tháng năm"),
           _("Chức danh, chức vụ, đơn vị công tác (đảng, chính quyền, đoàn thể)")],
          work_history(person), [45, 120])  # fmt: skip
    heading(document, _("29) ĐẶC ĐIỂM LỊCH SỬ BẢN THÂN"))
    lines_or_dotted(document, [])
    heading(document, _("30) QUAN HỆ VỚI NƯỚC NGOÀI"))
    lines_or_dotted(document, [])

    heading(document, _("31) QUAN HỆ GIA ĐÌNH"))
    family = [_("Mối quan hệ"), _("Họ và tên"), _("Năm sinh"),
              _("Quê quán, nghề nghiệp, chức danh, chức vụ, đơn vị công tác, học tập, nơi ở")]  # fmt: skip
    officedoc.paragraph(document, _("a) Về bản thân: bố, mẹ, vợ (hoặc chồng), các con, anh chị "
                                    "em ruột"), size=13, italic=True, space_after=2)  # fmt: skip
    own = [_("Bố"), _("Mẹ"), _("Vợ (chồng)"), _("Con"), _("Anh, chị, em ruột")]
    table(document, family, [(r, "", "", "") for r in own], [28, 42, 20, 75])
    officedoc.paragraph(document, _("b) Về bên vợ (hoặc chồng): bố, mẹ, anh chị em ruột"),
                        size=13, italic=True, space_after=2)  # fmt: skip
    spouse = [_("Bố"), _("Mẹ"), _("Anh, chị, em ruột")]
    table(document, family, [(r, "", "", "") for r in spouse], [28, 42, 20, 75])

    heading(document, _("32) DIỄN BIẾN QUÁ TRÌNH LƯƠNG"))
    table(document, [_("Tháng, năm"), _("Mã ngạch, bậc"), _("Hệ số lương")], [], [55, 55, 55])
    heading(document, _("33) NHẬN XÉT, ĐÁNH GIÁ CỦA CƠ QUAN, ĐƠN VỊ QUẢN LÝ VÀ SỬ DỤNG"))
    lines_or_dotted(document, evaluations(person))
    if evaluations(person):
        lines_or_dotted(document, [])


def signatures(document, person: Person) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = WD_ALIGN_PARAGRAPH.CENTER
    officedoc.paragraph(document, "")
    grid = document.add_table(rows=1, cols=2)
    own, head = grid.rows[0].cells
    own.text = ""
    first = own.paragraphs[0]
    first.alignment = center
    officedoc.run(first, _("Người khai"), size=13, bold=True)
    officedoc.paragraph(own, _("Tôi xin cam đoan những lời khai trên đây là đúng sự thật"),
                        align=center, size=12, italic=True)  # fmt: skip
    officedoc.paragraph(own, _("(Ký tên, ghi rõ họ tên)"), align=center, size=12, italic=True)
    for _n in range(3):
        officedoc.paragraph(own, "")
    officedoc.paragraph(own, person.full_name, align=center, size=13, bold=True)
    head.text = ""
    date_line = head.paragraphs[0]
    date_line.alignment = center
    officedoc.run(date_line, _("……, ngày … tháng … năm ……"), size=12, italic=True)
    officedoc.paragraph(head, _("Thủ trưởng cơ quan, đơn vị quản lý và sử dụng cán bộ"),
                        align=center, size=13, bold=True)  # fmt: skip
    officedoc.paragraph(head, _("(Ký tên, đóng dấu)"), align=center, size=12, italic=True)


def build_docx(person: Person, *, on: dt.date | None = None) -> bytes:
    """The 2C record of `person` (loaded by `load`) as DOCX bytes; current posts as of `on`."""
    on = on or selectors.today()
    document = officedoc.new_document()
    document.core_properties.title = _("Sơ yếu lý lịch %(name)s") % {"name": person.full_name}
    header(document, person)
    body(document, person, on)
    signatures(document, person)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF through LibreOffice (core.officepdf) ---------------------------------------------


def libreoffice() -> str:
    """The LibreOffice program; ConversionError saying so when the server has none."""
    return officepdf.require(soffice_binary())


def docx_to_pdf(data: bytes, *, timeout: int | None = None) -> bytes:
    """The record's DOCX as PDF (core.officepdf); ConversionError when it cannot be made."""
    return officepdf.docx_to_pdf(data, timeout=timeout, binary=libreoffice(),
                                 document=_("sơ yếu lý lịch"))  # fmt: skip
