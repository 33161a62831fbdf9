"""The page "Cán bộ chủ chốt" (key leaders of a unit's subtree at a date) and its XLSX.

`?unit=…&as_of=dd/mm/yyyy&level=…` shows the summary per title and level, the holders of
two key titles at once and every key post; `&format=xlsx` downloads the same as a
workbook. Both leave one access-log entry naming the holders shown.
"""

from __future__ import annotations

import re
import tempfile

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse
from django.shortcuts import render
from django.views import View

from canbo.core.audit import AccessKind, query_text, record_rows
from canbo.core.dates import format_day
from canbo.core.forms import BootstrapFormMixin
from canbo.core.replica import replica_reads
from canbo.organizations.selectors import unit_roots

from . import selectors
from .filtersets import UNIT_SEPARATOR
from .forms import unit_suggest_input
from .leaders_query import (
    PARAMS,
    KeyLeadersQuery,
    also_holds_titles,
    level_label,
    local_text,
    share_text,
    summary_sentence,
    tenure_duration,
    visible_key_leaders,
)
from .leaders_xlsx import write_key_leaders_xlsx
from .models import Person

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("html", "xlsx")


class KeyLeadersForm(BootstrapFormMixin, KeyLeadersQuery):
    """The query dressed for the page: a unit box with suggestions, dd/mm/yyyy."""

    format = forms.ChoiceField(required=False, choices=[(f, f) for f in FORMATS])

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, user=user, accepted=(*PARAMS, "format"), **kwargs)
        fields = self.fields
        fields["unit"].widget = unit_suggest_input()
        fields["as_of"].widget = forms.TextInput(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        )
        fields["format"].widget = forms.HiddenInput()
        for field in fields.values():  # BootstrapFormMixin styled the widgets replaced above
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if "class" not in field.widget.attrs and not field.widget.is_hidden:
                field.widget.attrs["class"] = css


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "don-vi"


@replica_reads
class KeyLeadersView(LoginRequiredMixin, View):
    def get(self, request):
        user = request.user
        form = KeyLeadersForm(request.GET or None, user=user)
        if not form.is_bound:
            roots = unit_roots(user=user)
            form = KeyLeadersForm(
                user=user,
                initial={
                    "as_of": format_day(selectors.today()),
                    "unit": f"{roots[0].code}{UNIT_SEPARATOR}{roots[0].name}" if roots else "",
                },
            )
            return render(request, "people/key_leaders.html", {"form": form})
        if not form.is_valid():
            return render(request, "people/key_leaders.html", {"form": form})
        data = form.cleaned_data
        result = visible_key_leaders(
            user=user, unit=data["unit"], on=data["as_of"], level=data["level"]
        )
        xlsx = data.get("format") == "xlsx"
        record_rows(
            actor=user,
            kind=AccessKind.DOCUMENT if xlsx else AccessKind.LIST,
            model=Person,
            query=query_text(request.GET),
            person_ids=result.person_ids,
        )
        if xlsx:
            return self.workbook(result, data["level"])
        query = request.GET.copy()
        query["format"] = "xlsx"
        context = {
            "form": form,
            "result": result,
            "level": level_label(data["level"]) if data["level"] else "",
            "summary": [
                (s, level_label(s.level), share_text(s), summary_sentence(s))
                for s in result.summary
            ],
            "rows": [
                (post, local_text(post.local), tenure_duration(post), also_holds_titles(post))
                for post in result.posts
            ],
            "xlsx_query": query.urlencode(),
        }
        return render(request, "people/key_leaders.html", context)

    def workbook(self, result, level) -> FileResponse:
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
        try:
            write_key_leaders_xlsx(result, handle, level=level)
        except BaseException:
            handle.close()
            raise
        handle.seek(0)
        stem = f"can-bo-chu-chot-{_safe(result.unit.code)}-{result.on:%Y-%m-%d}"
        response = FileResponse(
            handle, as_attachment=True, filename=f"{stem}.xlsx", content_type=XLSX
        )
        response["Cache-Control"] = "no-store"
        return response
