"""TK-CB: cadre statistics by level of the post (in the spirit of Hướng dẫn 11-HD/BTCTW).

Counted: people holding a main post (a work-history row with a position, not
concurrent) on the cut-off date in a unit of the subtree in force on that date, each
person once, at their main post recorded first (the lowest row id) when the records
give them two at once. Rows: the total, then the level of the post's unit (central,
province, district before 01/07/2025, commune). Ages are whole years on the date
(ADR 0005's effective birth date); a party member joined the party on or before it;
ethnicity, religion, education, political theory and state management are read from
the person's record as it is now (the registry keeps no history of them).

One grouped statement per depth of the subtrees counted: the rows are grouped by the
level and a few dimensions of the person (woman, minority, religious, the four age
limits, party member, degree, theory, state management: `DIMENSIONS`), a few thousand
groups whatever the number of people, and each column is a predicate over a group's
dimensions (`PREDICATES`), summed in Python. The dimensions read once per row cost
less than twenty conditional counts.
"""

from __future__ import annotations

import datetime as dt

from django.db import router
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from canbo.core.db import planned_for_scans
from canbo.organizations.choices import UnitLevel
from canbo.organizations.selectors import valid_on_q
from canbo.people.choices import Degree, PoliticalTheory, Religion, Sex, StateManagement
from canbo.people.models import Assignment
from canbo.people.selectors import MAIN_POST, held_on_q
from canbo.planning.figures import younger_than_q

from ..grouping import by_root
from ..spec import SHARE, Column, Counts, FormSpec, Row, decimal_text

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


#: The dimensions of a row's person, each its own grouping key (`_dimensions`): the
#: date-bound ones as booleans (younger than 31, 41, 51, 61; a party member), the rest
#: as recorded. PostgreSQL estimates a boolean key at two values, and a column at its
#: known number of values, so it expects tens of thousands of groups rather than one
#: per person (as it did for one packed integer containing the birth date) and
#: aggregates inside its parallel workers instead of gathering every row into one
#: process (docs/performance.md, "Measured at normal speed").
DIMENSIONS = ("women", "minority", "religious", "under_31", "under_41", "under_51",
              "under_61", "party", "degree", "theory", "sm")  # fmt: skip
BANDS = ("under_31", "under_41", "under_51", "under_61")  # the age groups 1–4; else 5


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _dimensions(on: dt.date) -> dict:
    """The annotations of DIMENSIONS for a row's person on `on` (ages in whole years,
    ADR 0005's effective birth date; a flag is NULL or false when not recorded)."""
    return {
        "women": _flag(Q(person__sex=Sex.FEMALE)),
        "minority": Coalesce("person__ethnicity__is_minority", Value(False)),  # not recorded: no
        "religious": _flag(~Q(person__religion__in=["", Religion.NONE])),
        **{band: _flag(younger_than_q(age, on)) for band, age in zip(BANDS, (31, 41, 51, 61),
                                                                       strict=True)},
        "party": _flag(Q(person__party_joined_date__lte=on)),
        "degree": F("person__professional_degree"),
        "theory": F("person__political_theory"),
        "sm": F("person__state_management"),
    }  # fmt: skip


def _group(key: tuple) -> dict[str, int | None]:
    """A grouped row's DIMENSIONS as PREDICATES read them (a degree, theory or state
    management not recorded is None, which no predicate matches)."""
    values = dict(zip(DIMENSIONS, key, strict=True))
    band = next((i for i, name in enumerate(BANDS, start=1) if values[name]), 5)
    return {"women": int(bool(values["women"])), "minority": int(bool(values["minority"])),
            "religious": int(bool(values["religious"])), "band": band,
            "degree": values["degree"], "theory": values["theory"], "sm": values["sm"],
            "party": int(bool(values["party"]))}  # fmt: skip


#: Each count column as a predicate over a group's dimensions.
PREDICATES = {
    "people": lambda d: True,
    "women": lambda d: d["women"] == 1,
    "minority": lambda d: d["minority"] == 1,
    "religious": lambda d: d["religious"] == 1,
    "age_30": lambda d: d["band"] == 1,
    "age_31_40": lambda d: d["band"] == 2,
    "age_41_50": lambda d: d["band"] == 3,
    "age_51_60": lambda d: d["band"] == 4,
    "age_61": lambda d: d["band"] == 5,
    "doctor": lambda d: d["degree"] == Degree.DOCTOR,
    "master": lambda d: d["degree"] == Degree.MASTER,
    "bachelor": lambda d: d["degree"] == Degree.BACHELOR,
    "college": lambda d: d["degree"] in (Degree.COLLEGE, Degree.INTERMEDIATE),
    "theory_high": lambda d: d["theory"] in (PoliticalTheory.ADVANCED, PoliticalTheory.BACHELOR),
    "theory_mid": lambda d: d["theory"] == PoliticalTheory.INTERMEDIATE,
    "theory_low": lambda d: d["theory"] == PoliticalTheory.ELEMENTARY,
    "sm_senior": lambda d: d["sm"] == StateManagement.SENIOR,
    "sm_principal": lambda d: d["sm"] == StateManagement.PRINCIPAL,
    "sm_officer": lambda d: d["sm"] == StateManagement.OFFICER,
    "party": lambda d: d["party"] == 1,
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
    """The main posts held on `on` in units in force then (a person may hold two)."""
    main = MAIN_POST & held_on_q(on)
    return Assignment.objects.filter(main & valid_on_q(on, "position__unit__"))


def once_each(rows: QuerySet[Assignment], on: dt.date) -> tuple[QuerySet, QuerySet]:
    """`rows` (held on `on`) counting each person once, at the first (lowest id) of
    their main posts held that day, as two parts: the people whose main posts are known
    never to share a day (`main_posts_apart`, ADR 0035: most, read with no look-up) and
    the others, whose rows are kept when no earlier main post is held that day. The
    earlier post is read from the work-history table alone, its unit not joined: the
    look-up stays one index probe per row whatever the planner knows of the tables, and
    a post held in a unit not in force is an error of the records either way."""
    main = MAIN_POST & held_on_q(on)
    earlier = Assignment.objects.filter(main, person=OuterRef("person"), pk__lt=OuterRef("pk"))
    return (rows.filter(person__main_posts_apart=True),
            rows.filter(person__main_posts_apart=False).filter(~Exists(earlier)))  # fmt: skip


def compute(roots: list | None, on: dt.date, within: QuerySet | None = None) -> dict:
    rows = main_posts(on)
    if within is not None:
        rows = rows.filter(position__unit__in=within)
    dimensions = _dimensions(on)
    found: dict[int | None, Counts] = {unit.pk: {} for unit in roots or ()}
    alias = router.db_for_read(Assignment)
    for qs, pk_of in by_root(rows.using(alias), "position__unit__path", roots):
        apart, others = (
            part.order_by().annotate(d_level=F("position__unit__level"), **dimensions)
            .values_list("root", "d_level", *DIMENSIONS).annotate(n=Count("pk"))
            for part in once_each(qs, on))  # fmt: skip
        with planned_for_scans(alias):  # hash joins over the people, not index probes
            grouped = list(apart.union(others, all=True))  # one statement, two groupings
        columns_of: dict[tuple, list[str]] = {}  # the same dimensions recur across roots
        for root, level, *key, n in grouped:
            counts = found.setdefault(pk_of[root], {})
            key = tuple(key)
            codes = columns_of.get(key)
            if codes is None:
                group = _group(key)
                codes = columns_of[key] = [c for c in COUNTED if PREDICATES[c](group)]
            for row in (level, "total"):
                for code in codes:
                    counts[(row, code)] = counts.get((row, code), 0) + n
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
        "women_share": decimal_text(v("total", "women_share")),
        "minority": v("total", "minority"),
        "minority_share": decimal_text(v("total", "minority_share")),
        "party": v("total", "party"), "party_share": decimal_text(v("total", "party_share")),
    }  # fmt: skip



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
