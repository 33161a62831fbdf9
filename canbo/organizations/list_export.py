"""A unit's positions and their holders to Excel: what the unit page shows, one row per
holder (a position without one: a row with its seats and no one).

Scoped as the unit page: the unit through `selectors.unit_get` (404 out of sight), the
holders through the people reads the page uses (`staffing.people()`, the holders the
user may see), `?as_of=` read as the page reads it (an impossible date: 400 naming it).
Logged as the page is, a list of the people shown, as a document.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from canbo.core import listexport
from canbo.core.audit import AccessKind, query_text, record_rows
from canbo.core.dates import format_day
from canbo.core.listexport import Column, day_cell, yes_no

from . import staffing
from .views import as_of_value, get_unit_or_404

NAME = gettext_noop("Vị trí chức danh và người giữ")
QUERY_PREFIX = "list=unit-positions"


def columns() -> list[Column]:
    return [
        Column(_("Chức danh"), 30),
        Column(_("Chủ chốt"), 9),
        Column(_("Số lượng"), 9),
        Column(_("Còn trống"), 9),
        Column(_("Người giữ"), 26),
        Column(_("Ngày sinh"), 12),
        Column(_("Giữ từ ngày"), 12),
        Column(_("Kiêm nhiệm"), 10),
        Column(_("Người địa phương"), 12),
    ]


def rows(positions):
    for position in positions:
        post = [position.title.name, _("Có") if position.title.is_key else "",
                position.seats, position.vacant]  # fmt: skip
        if not position.holders:
            yield post
        for a in position.holders:
            person = a.person
            yield [*post, person.full_name,
                   day_cell(person.birth_date, person.birth_date_precision),
                   day_cell(a.start_date, a.start_precision),
                   _("Có") if a.is_concurrent else "", yes_no(getattr(a, "local", None))]  # fmt: skip


@listexport.register("unit-positions")
def build(user, params, pk) -> listexport.ListExport:
    unit = get_unit_or_404(user, pk)
    on, date_error = as_of_value(params)
    if date_error:
        raise listexport.Refused([(_("Ngày"), date_error)])
    positions = staffing.people().unit_positions_with_holders(user=user, unit=unit, on=on)
    parts = [(_("Đơn vị"), f"{unit.name} ({unit.code})"),
             (_("Tại ngày"), format_day(on) if on else "")]  # fmt: skip
    shown = [a.person_id for position in positions for a in position.holders]
    query = f"{QUERY_PREFIX} {query_text(params)}".strip()
    return listexport.ListExport(
        name=NAME, name_suffix=unit.code, title=listexport.list_title(_(NAME), parts),
        columns=columns(), rows=rows(positions),
        count=sum(max(len(p.holders), 1) for p in positions),
        record=lambda _written: record_rows(actor=user, kind=AccessKind.DOCUMENT, instance=unit,
                                            query=query, person_ids=shown),
    )  # fmt: skip
