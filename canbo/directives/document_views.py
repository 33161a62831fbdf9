"""Downloads of a directive's progress report: DOCX (official format) and XLSX.

`?as_of=` (dd/mm/yyyy or YYYY-MM-DD; today by default), `?unit=CODE` (that unit's
subtree, the table by its children) or `?group=NAME|ID` (a monitoring group, the table by
its units). Scoped as every directive page: the directive through `visible_directives`,
the unit through `visible_units`, the group among the groups the user follows; anything
else answers 404 exactly like what does not exist. A non-administrator's figures count
only the units they may read (`within=visible_units(user)`). Neither unit nor group: an
administrator gets the whole tree; anyone else the units they see (by their top units).
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from canbo.core import scope
from canbo.core.dates import parse_day
from canbo.organizations.models import Unit
from canbo.organizations.selectors import unit_roots

from . import documents
from .models import Directive, MonitoringGroup
from .selectors import groups_of, visible_directives, visible_units

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_PARAM = 200


class BadRequest(Exception):
    """A parameter the user can correct: answered 400 with its Vietnamese message."""


def _as_of(text: str) -> dt.date:
    text = text.strip()
    if not text:
        return timezone.localdate()
    try:
        return parse_day(text[:20])
    except ValueError:
        raise BadRequest(
            _("Ngày “%(value)s” không hợp lệ; hãy viết dd/mm/yyyy.") % {"value": text[:20]}
        ) from None


def report_where(user, params) -> dict:
    """The report's arguments from the query string, scoped to `user` (404 / BadRequest)."""
    code = (params.get("unit") or "").strip()[:MAX_PARAM]
    name = (params.get("group") or "").strip()[:MAX_PARAM]
    where: dict = {"on": _as_of(params.get("as_of") or "")}
    if code and name:
        raise BadRequest(_("Hãy chọn một đơn vị hoặc một nhóm, không chọn cả hai."))
    administrator = scope.is_administrator(user)
    if not administrator:
        where["within"] = visible_units(user)
    if code:
        where["unit"] = visible_units(user).filter(code=code).first()
        if where["unit"] is None:
            raise Http404
    elif name:
        groups = MonitoringGroup.objects.all() if administrator else groups_of(user)
        found = groups.filter(name=name).select_related("owner").first()
        if found is None and name.isascii() and name.isdigit() and len(name) < 10:
            found = groups.filter(pk=int(name)).select_related("owner").first()
        if found is None:
            raise Http404
        where["group"] = found
    elif not administrator:
        where["roots"] = top_units(user)
    return where


def top_units(user) -> list[Unit]:
    """The table's units for a non-administrator who names neither: their top granted
    units, and the units of the groups they follow that those do not already cover."""
    roots = unit_roots(user=user)
    followed = Unit.objects.filter(
        pk__in=MonitoringGroup.units.through.objects.filter(
            monitoringgroup__in=groups_of(user).values("pk")
        ).values("unit_id")
    ).order_by("path")
    covered = [u.path for u in roots]
    return roots + [u for u in followed if not u.path.startswith(tuple(covered))]


def _stem(directive: Directive, on: dt.date) -> str:
    number = re.sub(r"[^A-Za-z0-9._-]+", "-", directive.number).strip("-.") or "van-ban"
    return f"bao-cao-tien-do-{number}-{on:%Y%m%d}"


class ProgressReportView(LoginRequiredMixin, View):
    """GET: the file (`fmt` "docx" or "xlsx")."""

    fmt = "docx"

    def get(self, request, pk: int):
        directive = (visible_directives(request.user).select_related("issuing_unit")
                     .filter(pk=pk).first())  # fmt: skip
        if directive is None:
            raise Http404
        try:
            where = report_where(request.user, request.GET)
        except BadRequest as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        on = where.pop("on")
        if self.fmt == "docx":
            data, content_type = documents.progress_docx(directive, on, **where), DOCX
        else:
            data, content_type = documents.progress_xlsx(directive, on, **where), XLSX
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{_stem(directive, on)}.{self.fmt}"'
        )
        response["Cache-Control"] = "no-store"
        return response
