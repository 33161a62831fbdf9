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
from django.views import View

from canbo.core import scope
from canbo.organizations.models import Unit
from canbo.organizations.selectors import unit_roots

from . import documents
from .models import Directive, MonitoringGroup
from .pages import BadRequest, as_of, where_from
from .selectors import groups_of, visible_directives

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_where(user, params) -> dict:
    """The report's arguments from the query string, read as the directive page reads
    them (`pages.where_from`, 404 / BadRequest); with neither unit nor group, a
    non-administrator's table lists their top units."""
    where = where_from(user, params, as_of(params.get("as_of")))
    found = {"on": where.on, "unit": where.unit, "group": where.group}
    if where.within is not None:
        found["within"] = where.within
    if where.unit is None and where.group is None and not scope.is_administrator(user):
        found["roots"] = top_units(user)
    return found


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
