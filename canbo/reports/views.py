"""Report pages: the forms, one form computed for a unit at a date, and its downloads.

Views only adapt: the unit comes from the user's scope (the highest unit in scope by
default), the figures from `selectors.report_for`, the files from `documents.render`.
Every read leaves an access entry (`query.log_report_read`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from canbo.organizations.selectors import unit_list
from canbo.people.selectors import today
from canbo.rotation.forms import SubtreeForm

from .forms import form_named
from .query import log_report_read
from .selectors import forms_list, report_for

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


class FormListView(LoginRequiredMixin, View):
    def get(self, request):
        return render(request, "reports/form_list.html", {"forms": forms_list()})


def _asked(request, code: str):
    """(form spec, query form, unit, as_of) from the address and the query string."""
    spec = form_named(code)
    if spec is None:
        raise Http404
    form = SubtreeForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    unit = data.get("unit") or unit_list(user=request.user).first()
    if unit is None:
        raise Http404
    return spec, form, unit, data.get("as_of") or today()


class ReportView(LoginRequiredMixin, View):
    def get(self, request, code: str):
        spec, form, unit, as_of = _asked(request, code)
        report = report_for(spec, unit=unit, on=as_of, user=request.user)
        log_report_read(request, spec.code, unit, request.GET)
        context = {"spec": spec, "form": form, "unit": unit, "as_of": as_of, "report": report,
                   "groups": spec.header_groups(), "grid": report.grid(),
                   "narrative": spec.narrative(report) if spec.narrative else ""}  # fmt: skip
        return render(request, "reports/report.html", context)


class ReportDownloadView(LoginRequiredMixin, View):
    def get(self, request, code: str, fmt: str):
        from .documents import ConversionError, filename
        from .documents import render as render_file

        spec, _form, unit, as_of = _asked(request, code)
        report = report_for(spec, unit=unit, on=as_of, user=request.user)
        try:
            data = render_file(report, fmt)
        except ConversionError as error:
            messages.error(request, _("Không tạo được tệp PDF: %(why)s Hãy tải tệp Word.")
                           % {"why": error})  # fmt: skip
            back = reverse("reports:report", args=[spec.code])
            return redirect(f"{back}?{request.GET.urlencode()}")
        log_report_read(request, spec.code, unit, request.GET)
        response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{filename(report, fmt)}"'
        response["Cache-Control"] = "no-store"
        return response
