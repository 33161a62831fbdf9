"""M2A / M2B: rotation of cadres (A: provinces, B: central bodies; DOMAIN.md §1.8).

The counting rules are the rotation figures' (`rotation.figures`): the rotations
touching the subtree (the post taken or the post left in it), counted once each, on one
side (within, in, out); their status on the cut-off date: under way (started by then,
not ended), ended (actual end on or before it), intended (in a plan without a start,
or decided and starting later); a rotation decided after the date is not counted. The
sides count the decided ones (under way and ended).

Rows: the total; M2A by direction between levels (up, down, same level; of which
between localities, between sectors), M2B by the central level (from central bodies
to the localities, from the localities to central bodies, between central bodies,
other); then both by kind and by purpose. One statement per depth of the roots
(`rotation_rows_by_root`), whatever their number.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from canbo.organizations.choices import UnitLevel
from canbo.rotation.choices import LevelDirection, RotationKind, RotationPurpose
from canbo.rotation.figures import (
    ACROSS_LOCALITIES,
    ACROSS_SECTORS,
    NO_LEVEL,
    Tally,
    rotation_rows_by_root,
    rotation_tables,
)

from ..spec import Column, Counts, FormSpec, Row

TOTAL = Row("total", _("Tổng số"), _("mọi lượt luân chuyển liên quan đến đơn vị"), bold=True)
DIRECTIONS = (
    *(Row(f"dir_{d.value}", _("Hướng: %(direction)s") % {"direction": d.label},
          _("hướng giữa các cấp được ghi trong quyết định: %(direction)s")
          % {"direction": d.label}, indent=1) for d in LevelDirection),
    Row(f"dir_{ACROSS_LOCALITIES}", _("Trong đó: giữa các địa phương"),
        _("lượt được ghi là chuyển giữa các địa phương (mọi hướng)"), indent=1),
    Row(f"dir_{ACROSS_SECTORS}", _("Trong đó: giữa các ngành, lĩnh vực"),
        _("lượt được ghi là chuyển giữa các ngành, lĩnh vực (mọi hướng)"), indent=1),
)  # fmt: skip
CENTRAL = UnitLevel.CENTRAL.value
BY_CENTRAL = (
    Row("from_central", _("Từ Trung ương về địa phương"),
        _("vị trí rời đi ở đơn vị Trung ương, vị trí đến ở cấp tỉnh, huyện, xã"), indent=1),
    Row("to_central", _("Từ địa phương về Trung ương"),
        _("vị trí rời đi ở cấp tỉnh, huyện, xã, vị trí đến ở đơn vị Trung ương"), indent=1),
    Row("within_central", _("Giữa các cơ quan Trung ương"),
        _("cả vị trí rời đi và vị trí đến ở đơn vị Trung ương"), indent=1),
    Row("other_levels", _("Khác"),
        _("giữa các cấp địa phương, hoặc không ghi vị trí rời đi"), indent=1),
)
KINDS = tuple(
    Row(f"kind_{k.value}", _("Hình thức: %(kind)s") % {"kind": k.label},
        _("hình thức ghi trong quyết định: %(kind)s") % {"kind": k.label}, indent=1)
    for k in RotationKind
)  # fmt: skip
PURPOSES = tuple(
    Row(f"purpose_{p.value}", _("Mục đích: %(purpose)s") % {"purpose": p.label},
        _("mục đích ghi trong quyết định: %(purpose)s") % {"purpose": p.label}, indent=1)
    for p in RotationPurpose
)  # fmt: skip
ROWS_A = (TOTAL, *DIRECTIONS, *KINDS, *PURPOSES)
ROWS_B = (TOTAL, *BY_CENTRAL, *KINDS, *PURPOSES)

STATUS = _("Tình trạng tại ngày chốt")
SIDE = _("Trong số đã quyết định")
COLUMNS = (
    Column("decided", _("Đã quyết định"),
           how=_("lượt đã có quyết định và đã bắt đầu tại ngày chốt: đang luân chuyển cộng đã "
                 "kết thúc")),
    Column("under_way", _("Đang luân chuyển"), STATUS,
           how=_("đã bắt đầu tại ngày chốt, chưa kết thúc")),
    Column("ended", _("Đã kết thúc"), STATUS,
           how=_("ngày kết thúc thực tế trước hoặc đúng ngày chốt")),
    Column("intended", _("Dự kiến"), STATUS,
           how=_("trong kế hoạch, chưa có ngày bắt đầu; hoặc đã quyết định, bắt đầu sau ngày "
                 "chốt (quyết định sau ngày chốt không tính)")),
    Column("within", _("Trong nội bộ"), SIDE,
           how=_("cả vị trí rời đi và vị trí đến thuộc đơn vị (kể cả đơn vị trực thuộc)")),
    Column("into", _("Từ nơi khác đến"), SIDE,
           how=_("vị trí đến thuộc đơn vị; vị trí rời đi ở ngoài hoặc không ghi")),
    Column("out_of", _("Đi nơi khác"), SIDE,
           how=_("vị trí rời đi thuộc đơn vị, vị trí đến ở ngoài")),
)


def _tally_counts(tally: Tally) -> dict[str, int]:
    return {"decided": tally.decided, "under_way": tally.under_way, "ended": tally.ended,
            "intended": tally.intended, "within": tally.within, "into": tally.into,
            "out_of": tally.out_of}  # fmt: skip


def _central_row(levels_code: str) -> str:
    """The M2B row of a "from>to" levels code (`rotation_tables`)."""
    start, _sep, end = levels_code.partition(">")
    if start == CENTRAL:
        return "within_central" if end == CENTRAL else "from_central"
    if end == CENTRAL and start != NO_LEVEL:
        return "to_central"
    return "other_levels"


def counts_of(rows: list[tuple], variant: str) -> Counts:
    """A root's counts from its `rotation_rows` groups (`rotation_tables` counts them)."""
    total, kinds, purposes, directions, levels = rotation_tables(rows)
    parts: list[tuple[str, Tally]] = [(TOTAL.code, total)]
    parts += [(f"kind_{r.code}", r.tally) for r in kinds]
    parts += [(f"purpose_{r.code}", r.tally) for r in purposes]
    if variant == "A":
        parts += [(f"dir_{r.code}", r.tally) for r in directions]
    else:
        parts += [(_central_row(r.code), r.tally) for r in levels]
    known = {row.code for row in (ROWS_A if variant == "A" else ROWS_B)}
    counts: Counts = {}
    for code, tally in parts:
        if code not in known:  # a value outside the choices has no row
            continue
        for column, n in _tally_counts(tally).items():
            counts[(code, column)] = counts.get((code, column), 0) + n
    return counts


def computer(variant: str):
    def compute(roots: list | None, on: dt.date, within: QuerySet | None = None) -> dict:
        rows = rotation_rows_by_root(roots, on, within=within)
        return {pk: counts_of(found, variant) for pk, found in rows.items()}

    return compute


def narrative(report) -> str:
    v = report.value
    text = _(
        "Tại ngày %(on)s, có %(decided)s lượt luân chuyển, điều động đã quyết định (%(under_way)s "
        "đang thực hiện, %(ended)s đã kết thúc) và %(intended)s lượt dự kiến; "
    ) % {"on": report.on.strftime("%d/%m/%Y"), "decided": v("total", "decided"),
         "under_way": v("total", "under_way"), "ended": v("total", "ended"),
         "intended": v("total", "intended")}  # fmt: skip
    if report.form.variant == "A":
        text += _(
            "từ trên xuống %(down)s, từ dưới lên %(up)s, cùng cấp %(same)s; giữa các địa phương "
            "%(localities)s, giữa các ngành, lĩnh vực %(sectors)s (lượt đã quyết định)."
        ) % {"down": v("dir_down", "decided"), "up": v("dir_up", "decided"),
             "same": v("dir_same", "decided"), "localities": v("dir_localities", "decided"),
             "sectors": v("dir_sectors", "decided")}  # fmt: skip
    else:
        text += _(
            "từ Trung ương về địa phương %(down)s, từ địa phương về Trung ương %(up)s, giữa "
            "các cơ quan Trung ương %(same)s (lượt đã quyết định)."
        ) % {"down": v("from_central", "decided"), "up": v("to_central", "decided"),
             "same": v("within_central", "decided")}  # fmt: skip
    return str(text)


POPULATION = _("Các lượt luân chuyển, điều động, biệt phái, tăng cường có vị trí đến hoặc vị trí "
               "rời đi thuộc đơn vị (kể cả đơn vị trực thuộc), đã quyết định hoặc dự kiến tại "
               "ngày chốt số liệu; mỗi lượt tính một lần.")  # fmt: skip
NOTES = (
    _("Một lượt giữa hai đơn vị được tính ở cả hai (đi nơi khác ở đơn vị này, từ nơi khác "
      "đến ở đơn vị kia); ở cấp trên chung của hai đơn vị, lượt đó tính một lần, trong nội bộ."),
    _("Hướng, hình thức, mục đích theo quyết định luân chuyển; lượt không ghi vị trí rời đi "
      "tính là từ nơi khác đến."),
)  # fmt: skip

FORM_A = FormSpec(
    code="M2A",
    title=_("Tổng hợp kết quả luân chuyển cán bộ lãnh đạo, quản lý (các tỉnh, thành phố)"),
    short=_("Luân chuyển (mẫu A)"),
    variant="A",
    population=POPULATION,
    rows=ROWS_A,
    columns=COLUMNS,
    compute=computer("A"),
    notes=NOTES,
    narrative=narrative,
)
FORM_B = FormSpec(
    code="M2B",
    title=_("Tổng hợp kết quả luân chuyển cán bộ lãnh đạo, quản lý (các cơ quan Trung ương)"),
    short=_("Luân chuyển (mẫu B)"),
    variant="B",
    population=POPULATION,
    rows=ROWS_B,
    columns=COLUMNS,
    compute=computer("B"),
    notes=NOTES,
    narrative=narrative,
)
FORMS = (FORM_A, FORM_B)
