"""KL: key leaders who are not local (the as-of issue's non-local form; DOMAIN.md R4, §4).

The counting rules are the key-leaders summary's (`people.leaders_summary`, those of
`people.leaders.key_leaders`): the key posts (`PositionTitle.is_key`) of the units of the
subtree in force on the cut-off date, their holders on that date; a post counts its
seats, or its holders when more rows overlap; a holder is local when their hometown
lies in the area the post's unit governs (its own area or its nearest ancestor's, ADR
0013), not local when it does not, unknown when either is not recorded.

Rows: the total and the head posts among them (`PositionTitle.is_head`), then each level
of the post's unit with its head posts. Rows are fixed for every unit (a form's rows
are): the titles themselves (secretary, chair…) are records, listed by the key-leaders
page. One statement per depth of the roots (`key_leader_summary_by_root`).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from canbo.organizations.choices import UnitLevel
from canbo.people.leaders import TitleSummary
from canbo.people.leaders_summary import key_leader_summary_by_root

from ..spec import SHARE, Column, Counts, FormSpec, Row, decimal_text

LEVELS = (UnitLevel.CENTRAL, UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE)
HEAD = "_head"

ROWS = (
    Row("total", _("Tổng số chức danh chủ chốt"), _("mọi chức danh chủ chốt"), bold=True),
    Row(f"total{HEAD}", _("Trong đó: người đứng đầu"),
        _("chức danh được đánh dấu là người đứng đầu"), indent=1),
    *(row for level in LEVELS for row in (
        Row(level.value, level.label,
            _("chức danh chủ chốt ở đơn vị thuộc %(level)s") % {"level": level.label},
            bold=True),
        Row(f"{level.value}{HEAD}", _("Trong đó: người đứng đầu"),
            _("người đứng đầu ở đơn vị thuộc %(level)s") % {"level": level.label}, indent=1),
    )),
)  # fmt: skip

COLUMNS = (
    Column("posts", _("Số chức danh chủ chốt"),
           how=_("số vị trí chủ chốt ở các đơn vị có hiệu lực tại ngày chốt: mỗi vị trí tính "
                 "theo số lượng, hoặc theo số người cùng giữ khi nhiều hơn")),
    Column("held", _("Có người giữ"),
           how=_("số người giữ các vị trí đó tại ngày chốt (một người giữ hai vị trí tính hai)")),
    Column("vacant", _("Còn trống"), how=_("số chức danh chủ chốt trừ số có người giữ")),
    Column("not_local", _("Số người"), _("Không là người địa phương"),
           how=_("quê quán không thuộc địa bàn đơn vị của vị trí quản lý (địa bàn của đơn vị "
                 "hoặc của đơn vị gần nhất bên trên)")),
    Column("not_local_share", _("Tỷ lệ (%)"), _("Không là người địa phương"), SHARE,
           ("not_local", "held"),
           _("không là người địa phương ÷ có người giữ × 100, làm tròn 2 chữ số")),
    Column("local", _("Là người địa phương"),
           how=_("quê quán thuộc địa bàn đơn vị của vị trí quản lý")),
    Column("unknown", _("Chưa xác định"),
           how=_("chưa ghi quê quán của người giữ, hoặc đơn vị chưa gắn địa bàn")),
)


def _line_counts(line: TitleSummary) -> dict[str, int]:
    return {"posts": line.posts, "held": line.held, "vacant": line.posts - line.held,
            "not_local": line.not_local, "local": line.held - line.not_local - line.unknown,
            "unknown": line.unknown}  # fmt: skip


def counts_of(lines: list[TitleSummary]) -> Counts:
    """A root's counts from its summary lines (per title and level)."""
    counts: Counts = {}
    for line in lines:
        rows = ["total", line.level]
        if line.title.is_head:
            rows += [f"total{HEAD}", f"{line.level}{HEAD}"]
        for row in rows:
            for column, n in _line_counts(line).items():
                counts[(row, column)] = counts.get((row, column), 0) + n
    return counts


def compute(roots: list | None, on: dt.date, within: QuerySet | None = None) -> dict:
    found = key_leader_summary_by_root(roots, on, within=within)
    return {pk: counts_of(lines) for pk, lines in found.items()}


def _part(report, row: str) -> str:
    """The "not local/held (share%)" of a row."""
    v = report.value
    return f'{v(row, "not_local")}/{v(row, "held")} ({decimal_text(v(row, "not_local_share"))}%)'


def narrative(report) -> str:
    v = report.value
    text = _(
        "Tại ngày %(on)s, số người giữ chức danh chủ chốt không là người địa phương: %(total)s; "
        "người đứng đầu: %(heads)s"
    ) % {"on": report.on.strftime("%d/%m/%Y"), "total": _part(report, "total"),
         "heads": _part(report, f"total{HEAD}")}  # fmt: skip
    levels = [f"{level.label}: {_part(report, level.value)}"
              for level in LEVELS if v(level.value, "held")]  # fmt: skip
    if levels:
        text += str(_("; theo cấp — ")) + ", ".join(levels)
    if v("total", "unknown"):
        text += str(_("; %(n)s người chưa xác định được")) % {"n": v("total", "unknown")}
    return str(text) + "."


FORM = FormSpec(
    code="KL",
    title=_("Bố trí chức danh chủ chốt không là người địa phương"),
    short=_("Chủ chốt không là người địa phương"),
    variant="",
    population=_("Các vị trí chức danh chủ chốt ở các đơn vị có hiệu lực tại ngày chốt số liệu "
                 "và người giữ các vị trí đó tại ngày ấy; người địa phương xét theo địa bàn "
                 "của vị trí, không theo nơi quản lý hồ sơ."),
    rows=ROWS,
    columns=COLUMNS,
    compute=compute,
    notes=(_("Tỷ lệ tính trên số người giữ chức danh, làm tròn 2 chữ số thập phân."),
           _("Người chưa xác định được (thiếu quê quán hoặc địa bàn) vẫn tính trong số có "
             "người giữ; số ấy ở cột 'Chưa xác định'.")),
    narrative=narrative,
)
