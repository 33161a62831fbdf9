"""TK-CB: cadre statistics by level of the post (in the spirit of Hướng dẫn 11-HD/BTCTW).

Counted: people holding a main post (a work-history row with a position, not
concurrent) on the cut-off date in a unit of the subtree in force on that date, each
person once, at their main post recorded first (the lowest row id) when the records
give them two at once. Rows: the total, then the level of the post's unit (central,
province, district before 01/07/2025, commune). Ages are whole years on the date
(ADR 0005's effective birth date); a party member joined the party on or before it;
ethnicity, religion, education, political theory and state management are read from
the person's record as it is now (the registry keeps no history of them). One grouped
statement per depth of the subtrees counted.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from canbo.organizations.choices import UnitLevel
from canbo.organizations.selectors import valid_on_q
from canbo.people.choices import Degree, PoliticalTheory, Religion, Sex, StateManagement
from canbo.people.models import Assignment
from canbo.people.selectors import held_on_q
from canbo.planning.figures import younger_than_q

from ..grouping import by_root
from ..spec import SHARE, Column, Counts, FormSpec, Row

LEVELS = (UnitLevel.CENTRAL, UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE)

ROWS = (
    Row("total", _("Tổng số"), _("mọi cấp"), bold=True),
    *(Row(level.value, level.label, _("cán bộ giữ chức vụ ở đơn vị thuộc %(level)s")
          % {"level": level.label}, indent=1) for level in LEVELS),  # fmt: skip
)

AGE = _("Độ tuổi")
EDUCATION = _("Trình độ chuyên môn")
THEORY = _("Lý luận chính trị")
MANAGEMENT = _("Quản lý nhà nước")


def _age_band(low: int | None, high: int | None, on: dt.date) -> Q:
    """Aged from `low` to `high` whole years on `on` (either end open when None)."""
    where = Q()
    if high is not None:
        where &= younger_than_q(high + 1, on)
    if low is not None:
        where &= ~younger_than_q(low, on)
    return where


def _conditions(on: dt.date) -> dict[str, Q]:
    """The filter of each count column (the person's record reached by "person__")."""
    p = "person__"
    return {
        "people": Q(),
        "women": Q(person__sex=Sex.FEMALE),
        "minority": Q(person__ethnicity__is_minority=True),
        "religious": ~Q(person__religion__in=["", Religion.NONE]),
        "age_30": _age_band(None, 30, on),
        "age_31_40": _age_band(31, 40, on),
        "age_41_50": _age_band(41, 50, on),
        "age_51_60": _age_band(51, 60, on),
        "age_61": _age_band(61, None, on),
        "doctor": Q(**{f"{p}professional_degree": Degree.DOCTOR}),
        "master": Q(**{f"{p}professional_degree": Degree.MASTER}),
        "bachelor": Q(**{f"{p}professional_degree": Degree.BACHELOR}),
        "college": Q(**{f"{p}professional_degree__in": [Degree.COLLEGE, Degree.INTERMEDIATE]}),
        "theory_high": Q(**{f"{p}political_theory__in": [PoliticalTheory.ADVANCED,
                                                          PoliticalTheory.BACHELOR]}),  # fmt: skip
        "theory_mid": Q(**{f"{p}political_theory": PoliticalTheory.INTERMEDIATE}),
        "theory_low": Q(**{f"{p}political_theory": PoliticalTheory.ELEMENTARY}),
        "sm_senior": Q(**{f"{p}state_management": StateManagement.SENIOR}),
        "sm_principal": Q(**{f"{p}state_management": StateManagement.PRINCIPAL}),
        "sm_officer": Q(**{f"{p}state_management": StateManagement.OFFICER}),
        "party": Q(person__party_joined_date__lte=on),
    }


COLUMNS = (
    Column("people", _("Tổng số cán bộ"), how=_("số người giữ chức vụ chính tại ngày chốt số liệu")),
    Column("women", _("Nữ"), _("Giới tính"), how=_("số nữ")),
    Column("women_share", _("Tỷ lệ nữ (%)"), _("Giới tính"), SHARE, ("women", "people"),
           _("nữ ÷ tổng số × 100, làm tròn 2 chữ số")),
    Column("minority", _("Dân tộc thiểu số"), _("Dân tộc"),
           how=_("dân tộc được ghi là thiểu số; chưa ghi dân tộc tính là không")),
    Column("minority_share", _("Tỷ lệ (%)"), _("Dân tộc"), SHARE, ("minority", "people"),
           _("dân tộc thiểu số ÷ tổng số × 100, làm tròn 2 chữ số")),
    Column("religious", _("Có tôn giáo"), _("Tôn giáo"), how=_("tôn giáo được ghi, khác 'Không'")),
    Column("age_30", _("30 trở xuống"), AGE, how=_("tuổi tròn tại ngày chốt ≤ 30")),
    Column("age_31_40", _("31–40"), AGE, how=_("tuổi tròn từ 31 đến 40")),
    Column("age_41_50", _("41–50"), AGE, how=_("tuổi tròn từ 41 đến 50")),
    Column("age_51_60", _("51–60"), AGE, how=_("tuổi tròn từ 51 đến 60")),
    Column("age_61", _("Trên 60"), AGE, how=_("tuổi tròn từ 61 trở lên")),
    Column("doctor", _("Tiến sĩ"), EDUCATION, how=_("trình độ chuyên môn: Tiến sĩ")),
    Column("master", _("Thạc sĩ"), EDUCATION, how=_("trình độ chuyên môn: Thạc sĩ")),
    Column("bachelor", _("Đại học"), EDUCATION, how=_("trình độ chuyên môn: Đại học")),
    Column("college", _("Cao đẳng, trung cấp"), EDUCATION,
           how=_("trình độ chuyên môn: Cao đẳng hoặc Trung cấp")),
    Column("theory_high", _("Cao cấp, cử nhân"), THEORY,
           how=_("lý luận chính trị: Cao cấp hoặc Cử nhân")),
    Column("theory_mid", _("Trung cấp"), THEORY, how=_("lý luận chính trị: Trung cấp")),
    Column("theory_low", _("Sơ cấp"), THEORY, how=_("lý luận chính trị: Sơ cấp")),
    Column("sm_senior", _("Chuyên viên cao cấp"), MANAGEMENT,
           how=_("quản lý nhà nước: Chuyên viên cao cấp")),
    Column("sm_principal", _("Chuyên viên chính"), MANAGEMENT,
           how=_("quản lý nhà nước: Chuyên viên chính")),
    Column("sm_officer", _("Chuyên viên"), MANAGEMENT, how=_("quản lý nhà nước: Chuyên viên")),
    Column("party", _("Đảng viên"), _("Đảng viên"),
           how=_("ngày vào Đảng trước hoặc đúng ngày chốt số liệu")),
    Column("party_share", _("Tỷ lệ (%)"), _("Đảng viên"), SHARE, ("party", "people"),
           _("đảng viên ÷ tổng số × 100, làm tròn 2 chữ số")),
)
COUNTED = [c.code for c in COLUMNS if c.of is None]


def main_posts(on: dt.date) -> QuerySet[Assignment]:
    """The main posts held on `on` in units in force then, one per person (the first)."""
    held = (Q(is_concurrent=False, position__isnull=False) & held_on_q(on)
            & valid_on_q(on, "position__unit__"))  # fmt: skip
    earlier = Assignment.objects.filter(held, person=OuterRef("person"), pk__lt=OuterRef("pk"))
    return Assignment.objects.filter(held).filter(~Exists(earlier))


def compute(roots: list | None, on: dt.date, within: QuerySet | None = None) -> dict:
    rows = main_posts(on)
    if within is not None:
        rows = rows.filter(position__unit__in=within)
    conditions = _conditions(on)
    aggregates = {code: Count("pk", filter=conditions[code]) if code != "people" else Count("pk")
                  for code in COUNTED}  # fmt: skip
    found: dict[int | None, Counts] = {}
    for qs, pk_of in by_root(rows, "position__unit__path", roots):
        grouped = (qs.order_by().values("root", "position__unit__level")
                   .annotate(**aggregates))  # fmt: skip
        for record in grouped:
            counts = found.setdefault(pk_of[record["root"]], {})
            level = record["position__unit__level"]
            for code in COUNTED:
                n = record[code]
                counts[(level, code)] = counts.get((level, code), 0) + n
                counts[("total", code)] = counts.get(("total", code), 0) + n
    for unit in roots or ():
        found.setdefault(unit.pk, {})
    return found


def narrative(report) -> str:
    v = report.value
    return str(_(
        "Tại ngày %(on)s, tổng số cán bộ giữ chức vụ là %(people)s người; nữ %(women)s người "
        "(%(women_share)s%%); người dân tộc thiểu số %(minority)s người (%(minority_share)s%%); "
        "đảng viên %(party)s người (%(party_share)s%%)."
    )) % {
        "on": report.on.strftime("%d/%m/%Y"),
        "people": v("total", "people"), "women": v("total", "women"),
        "women_share": _pct(v("total", "women_share")),
        "minority": v("total", "minority"),
        "minority_share": _pct(v("total", "minority_share")),
        "party": v("total", "party"), "party_share": _pct(v("total", "party_share")),
    }  # fmt: skip


def _pct(value) -> str:
    return "—" if value is None else str(value).replace(".", ",")


FORM = FormSpec(
    code="TK-CB",
    title=_("Thống kê số lượng, chất lượng đội ngũ cán bộ"),
    short=_("Thống kê cán bộ"),
    variant="",
    population=_("Người giữ chức vụ chính (không tính kiêm nhiệm) tại ngày chốt số liệu, ở các "
                 "đơn vị có hiệu lực tại ngày đó; mỗi người tính một lần."),
    rows=ROWS,
    columns=COLUMNS,
    compute=compute,
    notes=(_("Các tỷ lệ tính từ số người, làm tròn 2 chữ số thập phân."),
           _("Dân tộc, tôn giáo, trình độ lấy theo hồ sơ hiện tại của từng người.")),
    narrative=narrative,
)
