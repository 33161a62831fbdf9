"""Rotation files: XLSX of the watch lists and of a rotation plan, and the DOCX "Danh sách
cán bộ luân chuyển" (the list attached to a rotation decision) in the official format.

The workbooks go through the one formula-safe writer (`canbo.core.xlsx`): a name or a note
beginning with "=" stays text. The DOCX follows DOMAIN.md §6 as the plan's list does
(`canbo.core.officedoc`: "ĐẢNG CỘNG SẢN VIỆT NAM", the superior and the issuing body, "*",
"Số …-DS/…", place and date in italics, Times New Roman), on A4 landscape since the list
is a table, with a signature block. Nothing here queries more than the caller's rows:
`plan_rotations` reads a plan's rotations in one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from canbo.core import officedoc, xlsx
from canbo.core.dates import DatePrecision, format_day, format_partial_date
from canbo.core.officedoc import FONT, default_place

from .holders import WatchLists
from .models import Rotation, RotationPlan


def post_text(position) -> str:
    if position is None:
        return ""
    return f"{position.title.name} – {position.unit.name}"


def status_text(rotation: Rotation, on: dt.date) -> str:
    """Intended, under way or ended (with its outcome) on `on`."""
    if rotation.start_date is None or rotation.start_date > on:
        return _("Dự kiến")
    if rotation.actual_end is not None and rotation.actual_end <= on:
        return _("Đã kết thúc ngày %(date)s: %(outcome)s") % {
            "date": format_day(rotation.actual_end), "outcome": rotation.get_outcome_display()}
    return _("Đang luân chuyển")


def decision_text(rotation: Rotation) -> str:
    if not rotation.decision_number:
        return ""
    return _("Số %(number)s ngày %(date)s") % {"number": rotation.decision_number,
                                               "date": format_day(rotation.decision_date)}  # fmt: skip


@dataclass(frozen=True)
class Row:
    number: int
    full_name: str
    id_number: str
    birth_date: str
    birth_value: dt.date | str
    from_post: str
    to_post: str
    kind: str
    purpose: str
    decision: str
    start: dt.date | None
    planned_end: dt.date | None
    status: str
    note: str


def plan_rotations(plan: RotationPlan) -> list[Rotation]:
    """The plan's rotations (intended and decided), by start (intended last), then name."""
    rotations = list(
        plan.rotations.select_related("person", "from_position__title", "from_position__unit",
                                      "to_position__title", "to_position__unit")  # fmt: skip
    )
    return sorted(rotations, key=lambda r: (r.start_date is None, r.start_date or dt.date.min,
                                            r.person.sort_key, r.pk))  # fmt: skip


def rows_of(rotations: Iterable[Rotation], on: dt.date) -> list[Row]:
    out = []
    for i, r in enumerate(rotations, start=1):
        p = r.person
        out.append(Row(
            number=i, full_name=p.full_name, id_number=p.id_number,
            birth_date=format_partial_date(p.birth_date, p.birth_date_precision),
            birth_value=(p.birth_date if p.birth_date_precision == DatePrecision.DAY
                         else format_partial_date(p.birth_date, p.birth_date_precision)),
            from_post=post_text(r.from_position), to_post=post_text(r.to_position),
            kind=r.get_kind_display(), purpose=r.get_purpose_display(),
            decision=decision_text(r), start=r.start_date, planned_end=r.planned_end,
            status=status_text(r, on), note=r.note,
        ))  # fmt: skip
    return out


# --- XLSX ------------------------------------------------------------------------------------


class _Book:
    """A workbook whose sheets share one heading style and print on A4 landscape."""

    def __init__(self, handle: IO[bytes]):
        self.book = book = xlsx.StreamingWorkbook(handle)
        self.title = book.style(xlsx.Style(font=FONT, size=14, bold=True))
        self.subtitle = book.style(xlsx.Style(font=FONT, italic=True))
        self.header = book.style(xlsx.Style(font=FONT, bold=True, wrap=True, vertical="center",
                                            horizontal="center", border=True))  # fmt: skip
        self.text = book.style(xlsx.Style(font=FONT, number_format="@", wrap=True,
                                          vertical="top", border=True))  # fmt: skip
        self.day = book.style(xlsx.Style(font=FONT, number_format="DD/MM/YYYY", vertical="top",
                                         horizontal="center", border=True))  # fmt: skip
        self.number = book.style(xlsx.Style(font=FONT, vertical="top", horizontal="center",
                                            border=True))  # fmt: skip

    def sheet(self, name: str, title: str, facts: str, headers: Sequence[str],
              widths: list[float], rows: Iterable[Sequence]) -> int:  # fmt: skip
        """A sheet: title, facts line, header, rows (numbers centred, dates as dates)."""
        above = 3
        sheet = self.book.add_sheet(
            name, widths, freeze_rows=above,
            print_setup=xlsx.PrintSetup(landscape=True, fit_to_width=True, title_rows=above),
        )  # fmt: skip
        sheet.write_row([title], [self.title])
        sheet.write_row([facts], [self.subtitle])
        sheet.write_row(list(headers), [self.header] * len(headers))
        count = 0
        for values in rows:
            styles = [self.number if isinstance(v, int) and not isinstance(v, bool)
                      else self.day if isinstance(v, dt.date) else self.text
                      for v in values]  # fmt: skip
            sheet.write_row(list(values), styles)
            count += 1
        return count

    def close(self) -> None:
        self.book.close()


def plan_headers() -> list[str]:
    return [_("STT"), _("Họ và tên"), _("Số định danh cá nhân"), _("Ngày sinh"),
            _("Chức vụ, đơn vị trước luân chuyển"), _("Chức vụ, đơn vị đến"), _("Hình thức"),
            _("Mục đích"), _("Quyết định"), _("Ngày bắt đầu"), _("Dự kiến kết thúc"),
            _("Tình trạng"), _("Ghi chú")]  # fmt: skip


def write_plan_xlsx(plan: RotationPlan, handle: IO[bytes], *, on: dt.date) -> None:
    """The rotations of a plan, each with its status on `on`."""
    rows = rows_of(plan_rotations(plan), on)
    book = _Book(handle)
    facts = " · ".join([
        _("Cấp lập kế hoạch: %(unit)s") % {"unit": plan.unit.name},
        _("Nhiệm kỳ: %(term)s") % {"term": plan.term.name},
        _("Tình trạng tại ngày: %(date)s") % {"date": format_day(on)},
    ])  # fmt: skip
    book.sheet(
        _("Kế hoạch luân chuyển"), f"{_('KẾ HOẠCH LUÂN CHUYỂN CÁN BỘ')}: {plan.name}", facts,
        plan_headers(), [6, 26, 16, 12, 34, 34, 13, 30, 22, 12, 12, 24, 24],
        ([r.number, r.full_name, r.id_number, r.birth_value, r.from_post, r.to_post, r.kind,
          r.purpose, r.decision, r.start, r.planned_end, r.status, r.note] for r in rows),
    )  # fmt: skip
    book.close()


def write_watch_xlsx(lists: WatchLists, handle: IO[bytes]) -> None:
    """The four watch lists of a subtree on a date, one sheet each."""
    book = _Book(handle)
    facts = " · ".join([
        _("Đơn vị: %(unit)s (%(code)s)") % {"unit": lists.unit.name, "code": lists.unit.code},
        _("Tại ngày: %(date)s") % {"date": format_day(lists.as_of)},
    ])  # fmt: skip
    book.sheet(
        _("Người địa phương"),
        _("CHỨC DANH BỐ TRÍ KHÔNG LÀ NGƯỜI ĐỊA PHƯƠNG DO NGƯỜI ĐỊA PHƯƠNG ĐẢM NHIỆM"), facts,
        [_("STT"), _("Chức danh, đơn vị"), _("Họ và tên"), _("Số định danh cá nhân"),
         _("Quê quán"), _("Giữ liên tục từ")], [6, 44, 26, 16, 30, 14],
        ([i, h.post_name, h.person.full_name, h.person.id_number, h.hometown_name,
          h.tenure_start] for i, h in enumerate(lists.local_posts, start=1)),
    )  # fmt: skip
    book.sheet(
        _("Giới hạn nhiệm kỳ"),
        _("CẤP TRƯỞNG ĐỦ %(n)d NHIỆM KỲ LIÊN TIẾP KHI BẮT ĐẦU NHIỆM KỲ TỚI")
        % {"n": lists.max_terms}, facts,
        [_("STT"), _("Chức danh, đơn vị"), _("Họ và tên"), _("Số định danh cá nhân"),
         _("Giữ liên tục từ"), _("Nhiệm kỳ tới bắt đầu"), _("Số nhiệm kỳ liên tiếp khi đó")],
        [6, 44, 26, 16, 14, 14, 14],
        ([i, w.holder.post_name, w.holder.person.full_name, w.holder.person.id_number,
          w.holder.tenure_start, w.next_term_start, w.terms]
         for i, w in enumerate(lists.term_limit, start=1)),
    )  # fmt: skip
    rotation_headers = [_("STT"), _("Họ và tên"), _("Số định danh cá nhân"),
                        _("Chức vụ, đơn vị trước luân chuyển"), _("Chức vụ, đơn vị đến"),
                        _("Hình thức"), _("Ngày bắt đầu"), _("Dự kiến kết thúc")]  # fmt: skip
    for name, title, rotations in (
        (_("Sắp kết thúc"), _("LUÂN CHUYỂN KẾT THÚC TRONG SÁU THÁNG TỚI"), lists.ending_soon),
        (_("Quá hạn"), _("LUÂN CHUYỂN QUÁ HẠN CHƯA CÓ KẾT QUẢ"), lists.overdue),
    ):
        book.sheet(
            name, title, facts, rotation_headers, [6, 26, 16, 40, 40, 13, 12, 12],
            ([r.number, r.full_name, r.id_number, r.from_post, r.to_post, r.kind, r.start,
              r.planned_end] for r in rows_of(rotations, lists.as_of)),
        )  # fmt: skip
    book.close()


# --- DOCX ------------------------------------------------------------------------------------


def write_list_docx(
    rotations: Sequence[Rotation], handle: IO[bytes], *, unit, on: dt.date, subtitle: str = "",
    decision: str = "", number: str = "", place: str = "", signed_on: dt.date | None = None,
) -> None:  # fmt: skip
    """"Danh sách cán bộ luân chuyển" issued by `unit`'s body: the rotations given (a plan's,
    or those of one decision), in the party's official format on A4 landscape."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    center, left = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT
    rows = rows_of(rotations, on)
    document = officedoc.new_document(landscape=True)
    superior, issuer = officedoc.header_lines(unit)
    officedoc.official_header(
        document, superior=superior, issuer=issuer,
        number_text=officedoc.number_line("DS", unit, number),
        place=place or default_place(unit), signed_on=signed_on or on,
    )  # fmt: skip
    officedoc.paragraph(document, "")
    officedoc.paragraph(document, _("DANH SÁCH CÁN BỘ LUÂN CHUYỂN"), align=center, size=14, bold=True)
    if subtitle:
        officedoc.paragraph(document, subtitle, align=center, size=14, bold=True)
    if decision:
        officedoc.paragraph(document, _("(Kèm theo %(decision)s)") % {"decision": decision},
                            align=center, size=14, italic=True)  # fmt: skip
    officedoc.paragraph(
        document, _("Tổng số: %(n)d lượt cán bộ luân chuyển.") % {"n": len(rows)},
        align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=6, size=14,
    )  # fmt: skip
    # The landscape page's 252 mm between the margins.
    columns = ((_("STT"), 12), (_("Họ và tên"), 40), (_("Ngày sinh"), 22),
               (_("Chức vụ, đơn vị trước luân chuyển"), 55), (_("Chức vụ, đơn vị đến"), 55),
               (_("Hình thức"), 24), (_("Thời gian"), 44))  # fmt: skip
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    officedoc.repeat_on_each_page(table.rows[0])
    for cell, (title, width) in zip(table.rows[0].cells, columns, strict=True):
        cell.width = Mm(width)
        officedoc.cell_text(cell, title, bold=True, align=center)
    for row in rows:
        period = (_("Từ %(start)s đến %(end)s") % {"start": format_day(row.start),
                                                    "end": format_day(row.planned_end) or "…"}
                  if row.start else _("Dự kiến"))  # fmt: skip
        values = (str(row.number), row.full_name, row.birth_date, row.from_post or "—",
                  row.to_post, row.kind, period)  # fmt: skip
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.width = Mm(columns[i][1])
            officedoc.cell_text(cell, value, align=center if i in (0, 2) else left)
    officedoc.signature_block(document, issuer=issuer,
                              recipients=[_("- Như trên,"), _("- Lưu hồ sơ cán bộ.")])  # fmt: skip
    document.save(handle)


def write_plan_docx(plan: RotationPlan, handle: IO[bytes], *, on: dt.date, **options) -> None:
    """The plan's rotations as the decision list, issued by the plan's body."""
    write_list_docx(plan_rotations(plan), handle, unit=plan.unit, on=on,
                    subtitle=plan.name, **options)  # fmt: skip
