"""A directive's progress report (báo cáo tiến độ) as files: DOCX in the official format
and XLSX with the roll-up tables, every figure computed from the units' own records.

The DOCX has the official header (`core.officedoc`, shared with the plan documents),
one paragraph per task whose sentence is generated from its roll-up ("Đến ngày
30/11/2012, 221/222 cấp ủy cấp huyện (đạt 99,55%) đã hoàn thành nhiệm vụ.") and the
table by unit (`selectors.breakdown`: a group's units, or a unit's children). The XLSX,
written by `core.xlsx` (formula-safe), has the sheet "Tổng hợp" (one row per task) and
"Theo đơn vị" (one row per task and unit). Reading costs a fixed number of queries per
task, whatever the number of units.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canbo.core import officedoc, xlsx
from canbo.core.dates import format_day
from canbo.core.shares import share_of
from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.organizations.models import Unit
from canbo.organizations.selectors import valid_on_q

from .choices import Status
from .models import Directive, MonitoringGroup, TaskAssignment
from .selectors import RollUp, breakdown, counted_on, directive_rollups, under_q

# The statuses a report details, in this order (cancelled is said apart).
DETAILED = (Status.DONE_ON_TIME, Status.DONE_LATE, Status.IN_PROGRESS, Status.OVERDUE,
            Status.NOT_STARTED)  # fmt: skip

KIND_NOUNS = {
    UnitKind.PARTY_COMMITTEE: gettext_lazy("cấp ủy"),
    UnitKind.PEOPLES_COUNCIL: gettext_lazy("hội đồng nhân dân"),
    UnitKind.PEOPLES_COMMITTEE: gettext_lazy("ủy ban nhân dân"),
    UnitKind.PARTY_AGENCY: gettext_lazy("cơ quan tham mưu của cấp ủy"),
    UnitKind.DEPARTMENT: gettext_lazy("sở, ban, ngành"),
    UnitKind.FRONT: gettext_lazy("cơ quan Mặt trận Tổ quốc, đoàn thể"),
    UnitKind.JUDICIAL: gettext_lazy("tòa án, viện kiểm sát"),
    UnitKind.ARMED: gettext_lazy("cơ quan công an, quân sự"),
    UnitKind.PUBLIC_SERVICE: gettext_lazy("đơn vị sự nghiệp"),
}
LEVEL_NOUNS = {
    UnitLevel.CENTRAL: gettext_lazy("ở Trung ương"),
    UnitLevel.PROVINCE: gettext_lazy("cấp tỉnh"),
    UnitLevel.DISTRICT: gettext_lazy("cấp huyện"),
    UnitLevel.COMMUNE: gettext_lazy("cấp xã"),
}


def units_noun(kinds: set[tuple[str, str]]) -> str:
    """What the assigned units are, for the sentence: "cấp ủy cấp huyện" when they share a
    kind and level, "đơn vị cấp tỉnh" when only the level, else "đơn vị"."""
    levels = {level for _kind, level in kinds}
    if len(kinds) == 1:
        ((kind, level),) = kinds
        if kind == UnitKind.CENTRAL_BODY:
            return _("cơ quan trung ương")
        if kind == UnitKind.DEPARTMENT and level in (UnitLevel.DISTRICT, UnitLevel.COMMUNE):
            return _("phòng, ban, ngành %(level)s") % {"level": LEVEL_NOUNS[level]}
        if kind in KIND_NOUNS and level in LEVEL_NOUNS:
            return f"{KIND_NOUNS[kind]} {LEVEL_NOUNS[level]}"
    if len(levels) == 1 and next(iter(levels)) in LEVEL_NOUNS:
        return _("đơn vị %(level)s") % {"level": LEVEL_NOUNS[next(iter(levels))]}
    return _("đơn vị")


def percent(share: Decimal | None) -> str:
    """99.55 → "99,55%" (the roll-up's rounding); no base → "—"."""
    return "—" if share is None else f"{share}%".replace(".", ",")


@dataclass
class ProgressReport:
    """What both files show: each task's roll-up, its units' noun and its table by unit."""

    directive: Directive
    on: dt.date
    scope_text: str
    reporter: Unit
    rollups: list[RollUp]
    nouns: dict[int, str]
    tables: dict[int, list[tuple[Unit, RollUp]]] = field(default_factory=dict)

    @property
    def assigned(self) -> int:
        return sum(r.assigned for r in self.rollups)

    @property
    def done(self) -> int:
        return sum(r.done for r in self.rollups)

    @property
    def share_done(self) -> Decimal | None:
        return share_of(self.done, self.assigned)

    def sentence(self, rolled: RollUp) -> str:
        """The task's figures in words, from its roll-up."""
        task = rolled.task
        noun = self.nouns.get(task.pk, _("đơn vị"))
        if not rolled.assigned:
            return _("Nhiệm vụ đã hủy ngày %(date)s (%(reason)s); %(n)d %(units)s được giao.") % {
                "date": format_day(task.cancelled_on), "reason": task.cancel_reason.strip(),
                "n": rolled.cancelled, "units": noun,
            }  # fmt: skip
        text = _("Đến ngày %(date)s, %(done)d/%(assigned)d %(units)s (đạt %(share)s) đã hoàn "
                 "thành nhiệm vụ.") % {
            "date": format_day(self.on), "done": rolled.done, "assigned": rolled.assigned,
            "units": noun, "share": percent(rolled.share_done),
        }  # fmt: skip
        parts = [f"{status_label(status)}: {rolled.counts[status]}"
                 for status in DETAILED if rolled.counts.get(status)]  # fmt: skip
        if parts:
            text += " " + _("Trong đó: %(parts)s.") % {"parts": "; ".join(parts)}
        return text


def status_label(status: str) -> str:
    label = str(Status(status).label)
    return label[:1].lower() + label[1:]


def _nouns(rolled: list[RollUp], on, unit, group, within) -> dict[int, str]:
    """Each task's assigned units described by kind and level: one query."""
    rows = TaskAssignment.objects.filter(counted_on(on), under_q(unit, group),
                                         task__in=[r.task.pk for r in rolled])  # fmt: skip
    if within is not None:
        rows = rows.filter(unit__in=within)
    kinds: dict[int, set[tuple[str, str]]] = {}
    for task_id, kind, level in (rows.order_by().values_list("task_id", "unit__kind",
                                                             "unit__level").distinct()):  # fmt: skip
        kinds.setdefault(task_id, set()).add((kind, level))
    return {task_id: units_noun(found) for task_id, found in kinds.items()}


def _parts(on: dt.date, unit: Unit | None, group: MonitoringGroup | None,
           roots: list[Unit] | None) -> list[Unit]:  # fmt: skip
    """The units of the table by unit: the group's, the unit's children, else the roots."""
    if group is not None:
        units = Unit.objects.filter(pk__in=group.units.values("pk"))
    elif unit is not None:
        units = Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
    elif roots is not None:
        return sorted(roots, key=lambda u: u.path)
    else:
        units = Unit.objects.filter(depth=1)
    return list(units.filter(valid_on_q(on)).order_by("path"))


def _own_row(unit: Unit, rolled: RollUp, rows: list[tuple[Unit, RollUp]]) -> RollUp | None:
    """The unit's own assignments (the roll-up less its children's), if any."""
    own = RollUp(rolled.task, rolled.on)
    for status, n in rolled.counts.items():
        left = n - sum(r.counts.get(status, 0) for _u, r in rows)
        if left:
            own.counts[status] = left
    return own if own.counts else None


def progress_report(directive: Directive, on: dt.date, *, unit: Unit | None = None,
                    group: MonitoringGroup | None = None, within: QuerySet | None = None,
                    roots: list[Unit] | None = None) -> ProgressReport:  # fmt: skip
    """The report over `unit`'s subtree or `group` (the whole tree when neither), counting
    only the units `within` selects when given (a user's `visible_units`); `roots` are the
    table's units when neither is given (default: the tree's roots)."""
    where = {"unit": unit, "group": group, "within": within}
    rolled = directive_rollups(directive, on, **where)
    if group is not None:
        reporter, scope_text = group.owner, _("nhóm “%(name)s”") % {"name": group.name}
    elif unit is not None:
        reporter, scope_text = unit, _("%(name)s và các đơn vị trực thuộc") % {"name": unit.name}
    else:
        reporter = roots[0] if roots and len(roots) == 1 else directive.issuing_unit
        scope_text = _("các đơn vị được xem") if within is not None else _("toàn bộ các đơn vị")
    report = ProgressReport(directive, on, scope_text, reporter, rolled,
                            _nouns(rolled, on, unit, group, within) if rolled else {})  # fmt: skip
    parts = _parts(on, unit, group, roots) if rolled else []
    for r in rolled:
        rows = [(u, b) for u, b in breakdown(r.task, on, parts, within=within) if b.counts]
        if unit is not None and group is None:
            own = _own_row(unit, r, rows)
            if own is not None:
                rows.insert(0, (unit, own))
        report.tables[r.task.pk] = rows
    return report


def _kind_number(directive: Directive) -> str:
    return _("%(kind)s số %(number)s ngày %(date)s của %(issuer)s") % {
        "kind": directive.get_kind_display(), "number": directive.number,
        "date": format_day(directive.issued_on), "issuer": directive.issuing_unit.name,
    }  # fmt: skip


def _heading(n: int, rolled: RollUp) -> str:
    task = rolled.task
    text = f"{n}. {task.content.strip()}"
    if task.deadline:
        text += " " + _("(thời hạn %(date)s)") % {"date": format_day(task.deadline)}
    return text


# --- DOCX ------------------------------------------------------------------------------

TABLE_COLUMNS = (
    (gettext_lazy("STT"), 10),
    (gettext_lazy("Đơn vị"), 46),
    (gettext_lazy("Được giao"), 17),
    (gettext_lazy("Hoàn thành đúng hạn"), 19),
    (gettext_lazy("Hoàn thành quá hạn"), 19),
    (gettext_lazy("Đang thực hiện trong hạn"), 19),
    (gettext_lazy("Quá hạn chưa hoàn thành"), 19),
    (gettext_lazy("Tỷ lệ hoàn thành"), 16),
)


def _table_values(label: str, r: RollUp) -> list[str]:
    return [label, str(r.assigned), str(r.done_on_time), str(r.done_late), str(r.in_progress),
            str(r.overdue), percent(r.share_done)]  # fmt: skip


def progress_docx(directive: Directive, on: dt.date, *, unit: Unit | None = None,
                  group: MonitoringGroup | None = None, within: QuerySet | None = None,
                  roots: list[Unit] | None = None, number: str = "", place: str = "",
                  signed_on: dt.date | None = None) -> bytes:  # fmt: skip
    """The progress report as an official party document (A4, Times New Roman)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    report = progress_report(directive, on, unit=unit, group=group, within=within, roots=roots)
    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    document = officedoc.new_document()
    superior, issuer = officedoc.header_lines(report.reporter)
    number_text = officedoc.number_line("BC", report.reporter, number)
    officedoc.official_header(document, superior=superior, issuer=issuer,
                              number_text=number_text,
                              place=place or officedoc.default_place(report.reporter),
                              signed_on=signed_on or on)  # fmt: skip

    write = officedoc.paragraph
    write(document, "")
    write(document, _("BÁO CÁO"), align=center, bold=True)
    write(document, _("tiến độ thực hiện %(document)s") % {"document": _kind_number(directive)},
          align=center, bold=True)  # fmt: skip
    write(document, f"“{directive.title}”", align=center, italic=True)
    write(document, "-----", align=center, space_after=6)
    write(document, _("Phạm vi: %(scope)s; số liệu tính đến ngày %(date)s, tổng hợp từ kết quả "
                      "từng đơn vị tự ghi nhận.") % {"scope": report.scope_text,
                                                    "date": format_day(on)},
          align=justify, space_after=6)  # fmt: skip

    write(document, _("I. TÌNH HÌNH CHUNG"), bold=True, space_after=6)
    if report.rollups:
        text = _("%(document)s có %(tasks)d nhiệm vụ giao cho đơn vị thực hiện, tổng cộng "
                 "%(assigned)d lượt đơn vị; đến ngày %(date)s, %(done)d/%(assigned)d lượt (đạt "
                 "%(share)s) đã hoàn thành.") % {
            "document": directive.get_kind_display(), "tasks": len(report.rollups),
            "assigned": report.assigned, "date": format_day(on), "done": report.done,
            "share": percent(report.share_done),
        }  # fmt: skip
    else:
        text = _("Đến ngày %(date)s chưa có nhiệm vụ nào được giao cho các đơn vị trong phạm vi "
                 "báo cáo.") % {"date": format_day(on)}  # fmt: skip
    write(document, text, align=justify, space_after=6)

    if report.rollups:
        write(document, _("II. KẾT QUẢ THỰC HIỆN TỪNG NHIỆM VỤ"), bold=True, space_after=6)
    for n, rolled in enumerate(report.rollups, start=1):
        write(document, _heading(n, rolled), align=justify, bold=True, space_after=3)
        write(document, report.sentence(rolled), align=justify, space_after=6)
        rows = report.tables.get(rolled.task.pk) or []
        if not rows:
            continue
        table = document.add_table(rows=1, cols=len(TABLE_COLUMNS))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, (title, width) in zip(table.rows[0].cells, TABLE_COLUMNS, strict=True):
            cell.width = Mm(width)
            officedoc.cell_text(cell, str(title), size=11, bold=True, align=center)
        lines = [(str(i), u.name, r) for i, (u, r) in enumerate(rows, start=1)]
        lines.append(("", _("Tổng cộng"), rolled))
        for i, (number_, label, r) in enumerate(lines):
            cells = table.add_row().cells
            for j, (cell, value) in enumerate(zip(cells, [number_, *_table_values(label, r)],
                                                  strict=True)):  # fmt: skip
                cell.width = Mm(TABLE_COLUMNS[j][1])
                officedoc.cell_text(cell, value, size=11, bold=i == len(lines) - 1,
                                    align=None if j == 1 else center)  # fmt: skip
        write(document, "", space_after=6)

    officedoc.signature_block(document, issuer=issuer, recipients=[
        _("- %(issuer)s (để báo cáo),") % {"issuer": directive.issuing_unit.name},
        _("- Lưu."),
    ])  # fmt: skip
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- XLSX ------------------------------------------------------------------------------

SUMMARY_HEADERS = (
    gettext_lazy("STT"), gettext_lazy("Nhiệm vụ"), gettext_lazy("Thời hạn"),
    gettext_lazy("Được giao"), gettext_lazy("Hoàn thành đúng hạn"),
    gettext_lazy("Hoàn thành quá hạn"), gettext_lazy("Đang thực hiện trong hạn"),
    gettext_lazy("Quá hạn chưa hoàn thành"), gettext_lazy("Chưa đến thời gian bắt đầu"),
    gettext_lazy("Đã hủy"), gettext_lazy("Đã hoàn thành"), gettext_lazy("Tỷ lệ hoàn thành (%)"),
)  # fmt: skip
UNIT_HEADERS = (
    gettext_lazy("STT nhiệm vụ"), gettext_lazy("Nhiệm vụ"), gettext_lazy("Mã đơn vị"),
    gettext_lazy("Đơn vị"), gettext_lazy("Được giao"), gettext_lazy("Hoàn thành đúng hạn"),
    gettext_lazy("Hoàn thành quá hạn"), gettext_lazy("Đang thực hiện trong hạn"),
    gettext_lazy("Quá hạn chưa hoàn thành"), gettext_lazy("Chưa đến thời gian bắt đầu"),
    gettext_lazy("Tỷ lệ hoàn thành (%)"),
)  # fmt: skip


def _counts(r: RollUp) -> list[int]:
    return [r.assigned, r.done_on_time, r.done_late, r.in_progress, r.overdue, r.not_started]


def progress_xlsx(directive: Directive, on: dt.date, *, unit: Unit | None = None,
                  group: MonitoringGroup | None = None, within: QuerySet | None = None,
                  roots: list[Unit] | None = None) -> bytes:  # fmt: skip
    """The roll-up tables: "Tổng hợp" (per task) and "Theo đơn vị" (per task and unit),
    each under the report's title rows; dates dd/mm/yyyy, shares as numbers (2 decimals)."""
    report = progress_report(directive, on, unit=unit, group=group, within=within, roots=roots)
    out = io.BytesIO()
    book = xlsx.StreamingWorkbook(out)
    font = officedoc.FONT
    title = book.style(xlsx.Style(font=font, size=14, bold=True))
    italic = book.style(xlsx.Style(font=font, italic=True))
    header = book.style(xlsx.Style(font=font, bold=True, wrap=True, border=True,
                                   vertical="center", horizontal="center"))  # fmt: skip
    share = book.style(xlsx.Style(number_format="0.00"))
    bold_share = book.style(xlsx.Style(bold=True, number_format="0.00"))
    bold = book.style(xlsx.Style(bold=True))
    above = [
        ([_("BÁO CÁO TIẾN ĐỘ THỰC HIỆN %(number)s") % {"number": directive.number}], [title]),
        ([_kind_number(directive)], [italic]),
        ([directive.title], [italic]),
        ([_("Phạm vi"), report.scope_text], None),
        ([_("Số liệu tính đến ngày"), on], None),
        ([], None),
    ]

    def titled(sheet_title: str, widths: list[float], headers) -> xlsx.Sheet:
        sheet = book.add_sheet(sheet_title, widths, freeze_rows=len(above) + 1)
        for values, styles in above:
            sheet.write_row(values, styles)
        sheet.write_row([str(h) for h in headers], [header] * len(headers))
        return sheet

    sheet = titled(_("Tổng hợp"), [6, 50, 12, 10, 12, 12, 12, 12, 12, 9, 12, 12], SUMMARY_HEADERS)
    for n, r in enumerate(report.rollups, start=1):
        sheet.write_row([n, r.task.content, r.task.deadline, *_counts(r), r.cancelled, r.done,
                         r.share_done], [None] * 11 + [share])  # fmt: skip
    if report.rollups:
        total = [sum(_counts(r)[i] for r in report.rollups) for i in range(6)]
        sheet.write_row(["", _("Tổng cộng"), None, *total,
                         sum(r.cancelled for r in report.rollups), report.done,
                         report.share_done], [None, bold, *[bold] * 9, bold_share])  # fmt: skip

    sheet = titled(_("Theo đơn vị"), [8, 40, 14, 36, 10, 12, 12, 12, 12, 12, 12], UNIT_HEADERS)
    for n, r in enumerate(report.rollups, start=1):
        for part, row in report.tables.get(r.task.pk, []):
            sheet.write_row([n, r.task.content, part.code, part.name, *_counts(row),
                             row.share_done], [None] * 10 + [share])  # fmt: skip
    book.close()
    return out.getvalue()
