"""The profile's 2C record (sơ yếu lý lịch) as Word or PDF: `/people/<pk>/2c.docx|pdf`.

Scoped exactly like the profile (a record out of sight is 404); reading it is an access
entry (AccessKind.DOCUMENT), written once the file is made. A PDF LibreOffice cannot
make is a page saying so (503), never a server error.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from canbo.core.audit import AccessKind, record_access
from canbo.core.officepdf import ConversionError

from . import record2c, selectors
from .models import Person


def file_response(data: bytes, person: Person, fmt: str) -> HttpResponse:
    """The file as a download, never cached (personal data)."""
    response = HttpResponse(data, content_type=record2c.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{record2c.filename(person, fmt)}"'
    response["Cache-Control"] = "no-store"
    return response


class Record2CView(LoginRequiredMixin, View):
    def get(self, request, pk, fmt):
        try:
            person = record2c.load(selectors.person_list(user=request.user), pk=pk)
        except Person.DoesNotExist:
            raise Http404 from None
        try:
            data = record2c.render(person, fmt)
        except ConversionError as error:
            context = {"person": person, "message": str(error),
                       "docx_url": reverse("people:record-2c", args=[person.pk, "docx"]),
                       "back_url": reverse("people:detail", args=[person.pk])}  # fmt: skip
            return render(request, "people/record2c_error.html", context, status=503)
        record_access(actor=request.user, instance=person, kind=AccessKind.DOCUMENT)
        return file_response(data, person, fmt)
