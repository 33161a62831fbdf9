"""Rotation figures (M2A/M2B) of a subtree at a date, and the downloads: the watch lists and
a rotation plan as XLSX, the plan's decision list as DOCX.

Views only adapt: the unit comes from the user's scope (`SubtreeForm`, the highest unit in
scope by default), the figures from `figures`, the files from `documents`. Every read
leaves an access entry: the figures name no one (an entry with the query), the files name
their people.
"""

from __future__ import annotations

import re
import tempfile

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views import View

from canbo.core.audit import AccessKind
from canbo.organizations.selectors import unit_list
from canbo.planning.forms import AsOfForm
from canbo.rules.ruleset import NoRuleSetInForce

from . import documents, selectors
from .figures import LEVEL_LABELS, rotation_figures
from .forms import SubtreeForm
from .holders import watch_lists
from .models import RotationPlan
from .views import log_read, today

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _subtree(request):
    """(form, unit, as_of): the unit asked for, else the highest unit the user may view."""
    form = SubtreeForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    unit = data.get("unit") or unit_list(user=request.user).first()
    if unit is None:
        raise Http404
    return form, unit, data.get("as_of") or today()


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "luan-chuyen"


def _file(write, filename: str, content_type: str) -> FileResponse:
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    try:
        write(handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    response = FileResponse(handle, as_attachment=True, filename=filename,
                            content_type=content_type)  # fmt: skip
    response["Cache-Control"] = "no-store"
    return response


class FiguresView(LoginRequiredMixin, View):
    def get(self, request):
        form, unit, as_of = _subtree(request)
        figures = rotation_figures(unit=unit, on=as_of)  # R5's defaults without a rule set
        log_read(request, [], query=f"figures unit={unit.code}")
        non_local = [(s, LEVEL_LABELS.get(s.level, s.level)) for s in figures.non_local]
        context = {"form": form, "unit": unit, "as_of": as_of, "figures": figures,
                   "non_local": non_local}  # fmt: skip
        return render(request, "rotation/figures.html", context)


class WatchXlsxView(LoginRequiredMixin, View):
    def get(self, request):
        _form, unit, as_of = _subtree(request)
        try:
            lists = watch_lists(request.user, unit, as_of)
        except NoRuleSetInForce as error:  # an unusable set too
            raise Http404(str(error)) from error
        people = [h.person_id for h in lists.local_posts]
        people += [w.holder.person_id for w in lists.term_limit]
        people += [r.person_id for r in (*lists.ending_soon, *lists.overdue)]
        log_read(request, people, kind=AccessKind.DOCUMENT, query=f"watch unit={unit.code}")
        name = f"theo-doi-luan-chuyen-{_safe(unit.code)}-{as_of:%Y%m%d}.xlsx"
        return _file(lambda h: documents.write_watch_xlsx(lists, h), name, XLSX)


class PlanExportView(LoginRequiredMixin, View):
    fmt = "xlsx"

    def get(self, request, pk):
        plan: RotationPlan = get_object_or_404(selectors.plans(request.user), pk=pk)
        as_of = AsOfForm(request.GET or None).date(today())
        people = list(plan.rotations.values_list("person_id", flat=True))
        log_read(request, people, instance=plan, kind=AccessKind.DOCUMENT,
                 query=f"format={self.fmt}")  # fmt: skip
        stem = f"luan-chuyen-{_safe(plan.unit.code)}-{_safe(plan.term.name)}"
        if self.fmt == "docx":
            return _file(lambda h: documents.write_plan_docx(plan, h, on=as_of),
                         f"{stem}.docx", DOCX)  # fmt: skip
        return _file(lambda h: documents.write_plan_xlsx(plan, h, on=as_of), f"{stem}.xlsx", XLSX)
