"""The access log to Excel: the entries the access log page finds, for administrators only.

Same form (`AccessLogForm`: person, user, kind, dates), same search (`history.access_log`
narrowed by the people the person box names), newest first. Anyone else: 403 as on the
page; a search the page marks as wrong (an impossible date, the last day before the
first, an unknown user): 400 naming it. The export is itself an access entry (the
entries name people): its query and number of rows.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import listexport
from .audit import query_text, record_export
from .dates import format_day
from .history import PERSON_MATCHES, access_log, people_matching
from .listexport import Column
from .models import AccessKind
from .scope import is_administrator
from .views import AccessLogForm

NAME = gettext_noop("Nhật ký truy cập dữ liệu cá nhân")
QUERY_PREFIX = "list=access-log"


def columns() -> list[Column]:
    return [
        Column(_("Ngày"), 12),
        Column(_("Giờ"), 10),
        Column(_("Người xem"), 18),
        Column(_("Nguồn"), 10),
        Column(_("Loại"), 22),
        Column(_("Đối tượng"), 30),
        Column(_("Điều kiện lọc"), 40),
        Column(_("Số dòng"), 9),
    ]


def rows(events):
    for event in events.iterator(chunk_size=listexport.CHUNK):
        at = timezone.localtime(event.at)
        subject = event.object_repr or (
            str(event.content_type.name).capitalize() if event.content_type else ""
        )
        yield [at.date(), at.strftime("%H:%M:%S"),
               event.actor.username if event.actor else "", event.get_source_display(),
               event.get_kind_display(), subject, event.query, event.rows]  # fmt: skip


def filter_parts(form) -> list[tuple[str, str]]:
    data = form.cleaned_data
    actor, kind = data.get("actor"), data.get("kind")
    return [
        (str(form.fields["person"].label), f"“{data['person'].strip()}”" if data.get("person", "").strip() else ""),
        (str(form.fields["actor"].label), actor.username if actor else ""),
        (str(form.fields["kind"].label), str(dict(form.fields["kind"].choices)[kind]) if kind else ""),
        (str(form.fields["date_from"].label), format_day(data.get("date_from"))),
        (str(form.fields["date_to"].label), format_day(data.get("date_to"))),
    ]  # fmt: skip


@listexport.register("access-log")
def build(user, params) -> listexport.ListExport:
    if not is_administrator(user):
        raise PermissionDenied(_("Chỉ quản trị viên được xem trang này."))
    form = AccessLogForm(params or None)
    if form.is_bound and not form.is_valid():
        raise listexport.Refused(listexport.form_problems(form))
    query = form.query()
    people = people_matching(query.person)[:PERSON_MATCHES] if query.person else None
    events = access_log(query, people=people).order_by("-at", "-id")
    parts = filter_parts(form) if form.is_bound else []
    text = f"{QUERY_PREFIX} {query_text(params)}".strip()
    return listexport.ListExport(
        name=NAME, title=listexport.list_title(_(NAME), parts), columns=columns(),
        rows=rows(events), count=events.count(),
        record=lambda written: record_export(actor=user, query=text, rows=written,
                                             kind=AccessKind.LIST_EXPORT),
    )  # fmt: skip
