from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string

from .audit import audit_source
from .models import AuditSource
from .vntext import is_clean_text


class AuditSourceMiddleware:
    """Tag writes made while serving a request as coming from the UI or the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = AuditSource.API if request.path.startswith("/api/") else AuditSource.UI
        with audit_source(source):
            return self.get_response(request)


class CleanInputMiddleware:
    """Refuse page requests whose address or form fields carry text no database can store.

    PostgreSQL rejects NUL bytes in text; without this a form field holding one
    would end in a server error. The API checks its own input (canbo.api).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") and not self._clean(request):
            html = render_to_string("400.html", request=request)
            return HttpResponseBadRequest(html)
        return self.get_response(request)

    @staticmethod
    def _clean(request) -> bool:
        if not is_clean_text(request.path):
            return False
        data = [request.GET]
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            data.append(request.POST)
        return all(
            is_clean_text(key) and all(is_clean_text(v) for v in values)
            for query in data
            for key, values in query.lists()
        )
