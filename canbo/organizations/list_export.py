"""A unit's positions and their holders to Excel: what the unit page shows, one row per
holder (a position without one: a row with its seats and no one).

Scoped as the unit page: the unit through `selectors.unit_get` (404 out of sight), the
holders through the people reads the page uses (`staffing.people()`, the holders the
user may see), `?as_of=` read as the page reads it (an impossible date: 400 naming it).
Logged as the page is, a list of the people shown, as a document.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views import View

from canbo.core import listexport
from canbo.core.audit import AccessKind, query_text, record_rows
from canbo.core.dates import format_day
from canbo.core.listexport import Column, day_cell, yes_no

from . import staffing
from .views import as_of_param, get_unit_or_404

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


class UnitPositionsExportView(LoginRequiredMixin, View):
    def get(self, request, pk):
        user = request.user
        unit = get_unit_or_404(user, pk)
        on, date_error = as_of_param(request)
        if date_error:
            return listexport.refused([(_("Ngày"), date_error)])
        positions = staffing.people().unit_positions_with_holders(user=user, unit=unit, on=on)
        count = sum(max(len(p.holders), 1) for p in positions)
        parts = [(_("Đơn vị"), f"{unit.name} ({unit.code})"),
                 (_("Tại ngày"), format_day(on) if on else "")]  # fmt: skip
        handle, _written = listexport.list_file(
            title=listexport.list_title(_(NAME), parts), columns=columns(),
            rows=rows(positions), count=count,
        )  # fmt: skip
        shown = [a.person_id for position in positions for a in position.holders]
        query = query_text(request.GET)
        record_rows(actor=user, kind=AccessKind.DOCUMENT, instance=unit,
                    query=f"{QUERY_PREFIX} {query}".strip(), person_ids=shown)  # fmt: skip
        return listexport.download(handle, name=f"{NAME} {unit.code}")
