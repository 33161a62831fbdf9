"""M1A / M1B: results of cadre planning (A: provinces, B: central bodies; DOMAIN.md §1.8).

The counting rules are the planning figures' (`planning.figures`, the same statement):
entries active on the cut-off date; planned people counted once per row (a person
planned for two posts of a row counts once there, and once in the total); positions
are the positions the plans cover; the coefficient is planned people ÷ positions;
"young" and the three age brackets take their thresholds from P6 of the rule set in
force on the date by the level of the planning unit (45 central, 40 province by
default; levels without a threshold, and dates before any rule set, count in neither).
The plans counted are those of the units of the subtree in force on the date (any
term, any status, as the planning figures page counts them).

Rows: the total, then the posts planned for by the level of the post's unit (M1A) or
by who manages the post's title (M1B: the central bodies' posts, managed by the
central level or by the body). Positions add up across rows; planned people need not
(one person, two rows). Queries: the rule set (two), then per depth of the roots one
statement (one root) or two (many roots: split by post, and the roots' own totals).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from canbo.organizations.choices import ManagementLevel, UnitLevel
from canbo.organizations.selectors import valid_on_q
from canbo.people.choices import Degree, PoliticalTheory
from canbo.planning.figures import Figures, figures_by_prefix
from canbo.planning.models import Plan
from canbo.rules.ruleset import NoRuleSetInForce, RuleSetData
from canbo.rules.selectors import rule_set_in_force

from ..grouping import by_root
from ..spec import RATIO, SHARE, Column, Counts, FormSpec, Row, decimal_text

POSTGRADUATE = (Degree.MASTER, Degree.DOCTOR)
THEORY_HIGH = (PoliticalTheory.ADVANCED, PoliticalTheory.BACHELOR)

TOTAL = Row("total", _("Tổng số"), _("mọi chức danh quy hoạch (mỗi người tính một lần)"),
            bold=True)  # fmt: skip
LEVELS = (UnitLevel.CENTRAL, UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE)
ROWS_A = (
    TOTAL,
    *(Row(level.value, _("Chức danh %(level)s") % {"level": level.label},
          _("chức danh thuộc đơn vị %(level)s") % {"level": level.label}, indent=1)
      for level in LEVELS),
)  # fmt: skip
MANAGED = {
    ManagementLevel.CENTRAL: ("central_managed", _("Chức danh diện Trung ương quản lý")),
    ManagementLevel.PROVINCE: ("province_managed", _("Chức danh diện Tỉnh ủy, thành ủy quản lý")),
    ManagementLevel.COMMUNE: ("commune_managed", _("Chức danh diện cấp ủy cấp xã quản lý")),
    ManagementLevel.UNIT: ("unit_managed", _("Chức danh diện cơ quan, đơn vị quản lý")),
}
ROWS_B = (
    TOTAL,
    *(Row(code, label, _("chức danh có diện quản lý: %(level)s") % {"level": level.label},
          indent=1) for level, (code, label) in MANAGED.items()),
)  # fmt: skip

#: The field of the position planned for that names each variant's rows, and its values.
ROW_OF = {
    "A": ("unit__level", {level.value: level.value for level in LEVELS}),
    "B": ("title__management_level", {str(level.value): code for level, (code, _label)
                                      in MANAGED.items()}),
}  # fmt: skip

STRUCTURE = _("Cơ cấu")
AGE = _("Độ tuổi (theo P6)")
QUALIFICATION = _("Trình độ")


def _share(code: str, label: str, group: str, part: str, how: str) -> Column:
    return Column(code, label, group, SHARE, (part, "planned"), how)


COLUMNS = (
    Column("positions", _("Số chức danh quy hoạch"),
           how=_("số vị trí chức danh các quy hoạch bao quát (mỗi quy hoạch một lần)")),
    Column("planned", _("Số người được quy hoạch"),
           how=_("số người có tên trong quy hoạch tại ngày chốt (đã đưa vào, chưa đưa ra); "
                 "mỗi người tính một lần dù quy hoạch nhiều chức danh")),
    Column("coefficient", _("Hệ số (người/chức danh)"), kind=RATIO, of=("planned", "positions"),
           how=_("số người được quy hoạch ÷ số chức danh, làm tròn 2 chữ số")),
    Column("no_successor", _("Chức danh chưa có người quy hoạch"),
           how=_("số vị trí chức danh không có ai trong quy hoạch tại ngày chốt")),
    Column("women", _("Nữ"), STRUCTURE, how=_("số nữ trong số người được quy hoạch")),
    _share("women_share", _("Tỷ lệ nữ (%)"), STRUCTURE, "women",
           _("nữ ÷ số người được quy hoạch × 100, làm tròn 2 chữ số")),
    Column("young", _("Trẻ"), STRUCTURE,
           how=_("dưới tuổi 'trẻ' của cấp đơn vị lập quy hoạch theo P6 (mặc định 45 ở Trung "
                 "ương, 40 ở cấp tỉnh); cấp không có ngưỡng không tính")),
    _share("young_share", _("Tỷ lệ trẻ (%)"), STRUCTURE, "young",
           _("trẻ ÷ số người được quy hoạch × 100, làm tròn 2 chữ số")),
    Column("minority", _("Dân tộc thiểu số"), STRUCTURE,
           how=_("dân tộc được ghi là thiểu số; chưa ghi dân tộc tính là không")),
    _share("minority_share", _("Tỷ lệ DTTS (%)"), STRUCTURE, "minority",
           _("dân tộc thiểu số ÷ số người được quy hoạch × 100, làm tròn 2 chữ số")),
    Column("age_1", _("Dưới tuổi trẻ"), AGE,
           how=_("tuổi tròn tại ngày chốt dưới ngưỡng 'trẻ' của cấp (P6)")),
    Column("age_2", _("Trên ngưỡng đến 5 tuổi"), AGE,
           how=_("từ ngưỡng 'trẻ' đến dưới ngưỡng cộng khoảng cách độ tuổi của P6 (5 năm)")),
    Column("age_3", _("Cao hơn"), AGE,
           how=_("từ ngưỡng 'trẻ' cộng khoảng cách độ tuổi của P6 trở lên")),
    Column("postgraduate", _("Thạc sĩ, tiến sĩ"), QUALIFICATION,
           how=_("trình độ chuyên môn: Thạc sĩ hoặc Tiến sĩ")),
    _share("postgraduate_share", _("Tỷ lệ sau đại học (%)"), QUALIFICATION, "postgraduate",
           _("thạc sĩ, tiến sĩ ÷ số người được quy hoạch × 100, làm tròn 2 chữ số")),
    Column("theory_high", _("Cao cấp, cử nhân LLCT"), QUALIFICATION,
           how=_("lý luận chính trị: Cao cấp hoặc Cử nhân")),
    _share("theory_high_share", _("Tỷ lệ cao cấp LLCT (%)"), QUALIFICATION, "theory_high",
           _("cao cấp, cử nhân lý luận chính trị ÷ số người được quy hoạch × 100, làm tròn "
             "2 chữ số")),
)


def counts_of(figures: Figures) -> dict[str, int]:
    """A row's counts from the planning figures (whose rules they are)."""
    brackets = figures.age_brackets or (0, 0, 0)
    return {
        "positions": figures.positions,
        "planned": figures.planned,
        "no_successor": figures.positions_without_successor,
        "women": figures.women,
        "young": figures.young or 0,
        "minority": figures.minority,
        "age_1": brackets[0],
        "age_2": brackets[1],
        "age_3": brackets[2],
        "postgraduate": sum(n for k, n in figures.by_degree.items() if k in POSTGRADUATE),
        "theory_high": sum(n for k, n in figures.by_political_theory.items()
                           if k in THEORY_HIGH),  # fmt: skip
    }


def _rule_set(on: dt.date) -> RuleSetData:
    """The rule set in force (two queries); before any, none: no young, no brackets."""
    try:
        return rule_set_in_force(on)
    except NoRuleSetInForce:
        return RuleSetData(code="", name="", effective_from=on)


def _put(found: dict, root, row: str, figures: Figures) -> None:
    counts: Counts = found.setdefault(root, {})
    for column, n in counts_of(figures).items():
        counts[(row, column)] = counts.get((row, column), 0) + n


def computer(variant: str):
    field, row_of = ROW_OF[variant]

    def compute(roots: list | None, on: dt.date, within: QuerySet | None = None) -> dict:
        plans = Plan.objects.filter(valid_on_q(on, "planning_unit__"))
        if within is not None:
            plans = plans.filter(planning_unit__in=within)
        rule_set = _rule_set(on)
        found: dict = {}
        for qs, pk_of in by_root(plans, "planning_unit__path", roots):
            length = None if roots is None else len(next(iter(pk_of)))
            alone = len(pk_of) == 1  # the statement's total is the root's
            split = figures_by_prefix(qs, on, length, post=field, total=alone, rule_set=rule_set)
            if alone:
                _put(found, next(iter(pk_of.values())), TOTAL.code, split.pop(None))
            else:
                for prefix, figures in figures_by_prefix(qs, on, length,
                                                         rule_set=rule_set).items():  # fmt: skip
                    _put(found, pk_of[prefix], TOTAL.code, figures)
            for (prefix, value), figures in split.items():
                if value in row_of:  # a value outside the choices has no row
                    _put(found, pk_of[prefix or ""], row_of[value], figures)
        for unit in roots or ():
            found.setdefault(unit.pk, {})
        return found

    return compute


def narrative(report) -> str:
    v = report.value
    return str(_(
        "Tại ngày %(on)s, quy hoạch bao quát %(positions)s chức danh với %(planned)s người "
        "được quy hoạch (hệ số %(coefficient)s); nữ %(women)s người (%(women_share)s%%); "
        "cán bộ trẻ %(young)s người (%(young_share)s%%); người dân tộc thiểu số %(minority)s "
        "người (%(minority_share)s%%); %(no_successor)s chức danh chưa có người quy hoạch."
    )) % {
        "on": report.on.strftime("%d/%m/%Y"),
        "positions": v("total", "positions"), "planned": v("total", "planned"),
        "coefficient": decimal_text(v("total", "coefficient")),
        "women": v("total", "women"), "women_share": decimal_text(v("total", "women_share")),
        "young": v("total", "young"), "young_share": decimal_text(v("total", "young_share")),
        "minority": v("total", "minority"),
        "minority_share": decimal_text(v("total", "minority_share")),
        "no_successor": v("total", "no_successor"),
    }  # fmt: skip


POPULATION = _("Người có tên trong các quy hoạch (đã đưa vào, chưa đưa ra tại ngày chốt số liệu) "
               "của các đơn vị có hiệu lực tại ngày đó, mọi nhiệm kỳ; mỗi người tính một lần "
               "trong mỗi dòng.")  # fmt: skip
NOTES = (
    _("Hệ số và các tỷ lệ tính từ số đếm, làm tròn 2 chữ số thập phân."),
    _("Một người quy hoạch vào chức danh của hai dòng được tính ở cả hai dòng, một lần ở "
      "dòng tổng số; số chức danh thì cộng dồn được."),
    _("Trẻ và ba nhóm tuổi theo ngưỡng của quy định P6 có hiệu lực tại ngày chốt, theo cấp "
      "của đơn vị lập quy hoạch; trình độ theo hồ sơ hiện tại."),
)  # fmt: skip

FORM_A = FormSpec(
    code="M1A",
    title=_("Tổng hợp kết quả quy hoạch cán bộ lãnh đạo, quản lý (các tỉnh, thành phố)"),
    short=_("Quy hoạch (mẫu A)"),
    variant="A",
    population=POPULATION,
    rows=ROWS_A,
    columns=COLUMNS,
    compute=computer("A"),
    notes=NOTES,
    narrative=narrative,
)
FORM_B = FormSpec(
    code="M1B",
    title=_("Tổng hợp kết quả quy hoạch cán bộ lãnh đạo, quản lý (các cơ quan Trung ương)"),
    short=_("Quy hoạch (mẫu B)"),
    variant="B",
    population=POPULATION,
    rows=ROWS_B,
    columns=COLUMNS,
    compute=computer("B"),
    notes=NOTES,
    narrative=narrative,
)
FORMS = (FORM_A, FORM_B)
