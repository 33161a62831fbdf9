"""The page "Nhiệm vụ của đơn vị" to Excel: the assignments the user may read that count
today, with their status today, filtered by status as the page is (`pages.assignments`,
the same selector, order and status filter; a status the page does not know is ignored
by both), the nearest deadline first. Logged as an export (its query and row count).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from canbo.core import listexport
from canbo.core.audit import AccessKind, query_text, record_export
from canbo.core.dates import format_day
from canbo.core.listexport import Column

from . import pages
from .choices import Status

NAME = gettext_noop("Nhiệm vụ của đơn vị")
QUERY_PREFIX = "list=assignments"


def columns() -> list[Column]:
    return [
        Column(_("Văn bản"), 16),
        Column(_("Trích yếu"), 30),
        Column(_("Nhiệm vụ"), 50),
        Column(_("Đơn vị thực hiện"), 28),
        Column(_("Thời hạn"), 12),
        Column(_("Tình trạng"), 24),
        Column(_("Ngày hoàn thành"), 13),
    ]


def rows(assignments):
    labels = dict(Status.choices)
    for a in assignments.iterator(chunk_size=listexport.CHUNK):
        directive = a.task.directive
        yield [directive.number, directive.title, a.task.content, a.unit.name, a.task.deadline,
               str(labels.get(a.status, a.status)), a.completed_on]  # fmt: skip


@listexport.register("assignments")
def build(user, params) -> listexport.ListExport:
    on = pages.today()
    status = pages.status_param(params)
    assignments = pages.assignments(user, on, status)
    parts = [(_("Tình trạng tại ngày"), format_day(on)),
             (_("Tình trạng"), str(Status(status).label) if status else "")]  # fmt: skip
    query = f"{QUERY_PREFIX} {query_text(params)}".strip()
    return listexport.ListExport(
        name=NAME, title=listexport.list_title(_(NAME), parts), columns=columns(),
        rows=rows(assignments), count=assignments.count(),
        record=lambda written: record_export(actor=user, query=query, rows=written,
                                             kind=AccessKind.LIST_EXPORT),
    )  # fmt: skip
