"""An appointment case as official documents (DOCX): the decision and the minutes of its steps.

Both use the party's official header of `core.officedoc` (DOMAIN.md §6), A4 portrait,
issued by the competent body's unit:

- the **decision** ("QUYẾT ĐỊNH về việc bổ nhiệm cán bộ", or reappointment, dismissal,
  resignation, removal) of a case closed with a decision: its number and date, the person,
  the post and, for an appointment or reappointment, the term of office;
- the **minutes** ("BIÊN BẢN") of the case's closed steps: each meeting's day, those
  summoned and present, the agreed tally per candidate with its share of all members
  (those summoned: A6 counts over all members) and the candidate's result.

The official number of a document is given at issue: the decision carries the number the
case recorded; the minutes leave it blank unless one is typed.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canbo.core import officedoc
from canbo.core.dates import format_day
from canbo.core.shares import share_of

from .choices import CaseKind, CaseOutcome
from .models import AppointmentCase
from .pages import minutes_steps

#: The decision's subject by the case's kind.
DECISION_SUBJECTS = {
    CaseKind.APPOINT: gettext_lazy("về việc bổ nhiệm cán bộ"),
    CaseKind.REAPPOINT: gettext_lazy("về việc bổ nhiệm lại cán bộ"),
    CaseKind.DISMISS: gettext_lazy("về việc miễn nhiệm cán bộ"),
    CaseKind.RESIGN: gettext_lazy("về việc cho thôi giữ chức vụ đối với cán bộ"),
    CaseKind.REMOVE: gettext_lazy("về việc cách chức cán bộ"),
}
#: The decision's first article: what it does to the person.
DECISION_VERBS = {
    CaseKind.APPOINT: gettext_lazy("Bổ nhiệm"),
    CaseKind.REAPPOINT: gettext_lazy("Bổ nhiệm lại"),
    CaseKind.DISMISS: gettext_lazy("Miễn nhiệm"),
    CaseKind.RESIGN: gettext_lazy("Cho thôi giữ chức vụ"),
    CaseKind.REMOVE: gettext_lazy("Cách chức"),
}


def has_decision(case: AppointmentCase) -> bool:
    """A decision document exists for a case closed with a decision, of a kind that has one
    (a nomination's result is the election's, not a decision of the body)."""
    return case.outcome == CaseOutcome.DECIDED and case.kind in DECISION_SUBJECTS


def percent(part, base) -> str:
    value = share_of(part, base)
    return "—" if value is None else f"{value}%".replace(".", ",")


def post_name(case: AppointmentCase) -> str:
    return f"{case.position.title.name}, {case.position.unit.name}"


def _start(case: AppointmentCase, kind: str, number: str, place: str, signed_on: dt.date):
    document = officedoc.new_document()
    superior, issuer = officedoc.header_lines(case.competent_unit)
    number_text = officedoc.number_line(kind, case.competent_unit, number)
    officedoc.official_header(
        document, superior=superior, issuer=issuer, number_text=number_text,
        place=place or officedoc.default_place(case.competent_unit), signed_on=signed_on,
    )  # fmt: skip
    return document, issuer


def write_decision_docx(case: AppointmentCase, handle, *, place: str = "") -> None:
    """The competent body's decision of a decided case (`has_decision`)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if not has_decision(case):
        raise ValueError("The case has no decision to write.")
    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    number = case.decision_number.removeprefix("Số").strip()
    document, issuer = _start(case, "QĐ", number, place, case.decision_date)
    write = officedoc.paragraph
    person = case.person
    write(document, "")
    write(document, _("QUYẾT ĐỊNH"), align=center, bold=True)
    write(document, str(DECISION_SUBJECTS[case.kind]), align=center, bold=True, space_after=12)
    write(document, issuer, align=center, bold=True, space_after=12)
    write(document, _("- Căn cứ Điều lệ Đảng và các quy định hiện hành về công tác cán bộ;"),
          align=justify, space_after=3)  # fmt: skip
    write(document, _("- Xét đề nghị của cơ quan tham mưu về tổ chức, cán bộ,"),
          align=justify, space_after=6)  # fmt: skip
    write(document, _("QUYẾT ĐỊNH"), align=center, bold=True, space_after=6)
    article = _("Điều 1. %(verb)s đồng chí %(name)s (số định danh %(id)s, sinh ngày %(birth)s) "
                "giữ chức vụ %(post)s.") if case.kind in (CaseKind.APPOINT, CaseKind.REAPPOINT) \
        else _("Điều 1. %(verb)s đồng chí %(name)s (số định danh %(id)s, sinh ngày %(birth)s) "
               "khỏi chức vụ %(post)s.")  # fmt: skip
    if case.kind == CaseKind.RESIGN:
        article = _("Điều 1. %(verb)s %(post)s đối với đồng chí %(name)s (số định danh %(id)s, "
                    "sinh ngày %(birth)s).")  # fmt: skip
    write(document, article % {
        "verb": DECISION_VERBS[case.kind], "name": person.full_name, "id": person.id_number,
        "birth": format_day(person.birth_date), "post": post_name(case),
    }, align=justify, space_after=6)  # fmt: skip
    if case.term_start and case.term_end:
        write(document, _("Thời hạn giữ chức vụ từ ngày %(start)s đến ngày %(end)s.")
              % {"start": format_day(case.term_start), "end": format_day(case.term_end)},
              align=justify, space_after=6)  # fmt: skip
    write(document, _("Điều 2. Quyết định có hiệu lực kể từ ngày ký. Các cơ quan, đơn vị có "
                      "liên quan và đồng chí có tên tại Điều 1 thi hành Quyết định này."),
          align=justify, space_after=6)  # fmt: skip
    officedoc.signature_block(document, issuer=issuer, recipients=[
        _("- Như Điều 2,"), _("- Lưu hồ sơ cán bộ."),
    ])  # fmt: skip
    document.save(handle)


def write_minutes_docx(
    case: AppointmentCase, handle, *, on: dt.date, number: str = "", place: str = ""
) -> None:
    """The minutes of the case's closed steps, each with its agreed tally."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    center, left, justify = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT,
                             WD_ALIGN_PARAGRAPH.JUSTIFY)  # fmt: skip
    document, issuer = _start(case, "BB", number, place, on)
    write = officedoc.paragraph
    write(document, "")
    write(document, _("BIÊN BẢN"), align=center, bold=True)
    write(document, _("các bước quy trình %(kind)s đồng chí %(name)s, chức vụ %(post)s")
          % {"kind": case.get_kind_display().lower(), "name": case.person.full_name,
             "post": post_name(case)}, align=center, bold=True, space_after=12)  # fmt: skip
    found = minutes_steps(case)
    if not found:
        write(document, _("Chưa có bước nào kết thúc."), align=justify)
    columns = ((_("Nhân sự"), 60), (_("Đồng ý, giới thiệu"), 30), (_("Tỷ lệ so với tổng số"), 35),
               (_("Không đồng ý"), 30))  # fmt: skip
    for item in found:
        step = item.step
        write(document, step.get_number_display(), align=justify, bold=True, space_after=3)
        write(document, _("Ngày họp: %(day)s. Số người được triệu tập: %(summoned)d; có mặt: "
                          "%(present)d (%(share)s).")
              % {"day": format_day(step.held_on), "summoned": step.summoned,
                 "present": step.present, "share": percent(step.present, step.summoned)},
              align=justify, space_after=3)  # fmt: skip
        if item.ballots_valid is not None:
            write(document, _("Số phiếu hợp lệ: %(valid)d; không hợp lệ: %(invalid)d.")
                  % {"valid": item.ballots_valid, "invalid": item.ballots_invalid},
                  align=justify, space_after=3)  # fmt: skip
            table = document.add_table(rows=1, cols=len(columns))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            table.autofit = False
            for cell, (title, width) in zip(table.rows[0].cells, columns, strict=True):
                cell.width = Mm(width)
                officedoc.cell_text(cell, title, bold=True, align=center)
            for line in item.lines:
                cells = table.add_row().cells
                values = (line.full_name, str(line.votes_for),
                          percent(line.votes_for, step.summoned), str(line.votes_against))  # fmt: skip
                for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
                    cell.width = Mm(columns[i][1])
                    officedoc.cell_text(cell, value, align=left if i == 0 else center)
        if step.result:
            write(document, _("Kết quả của đồng chí %(name)s: %(result)s.")
                  % {"name": case.person.full_name, "result": step.get_result_display()},
                  align=justify, space_after=3)  # fmt: skip
        write(document, _("Ngày kết thúc bước: %(day)s.") % {"day": format_day(step.closed_on)},
              align=justify, space_after=9)  # fmt: skip
    officedoc.signature_block(document, issuer=issuer, recipients=[_("- Lưu hồ sơ cán bộ.")])
    document.save(handle)
