from .audit import audit_source
from .models import AuditSource


class AuditSourceMiddleware:
    """Tag writes made while serving a request as coming from the UI or the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = AuditSource.API if request.path.startswith("/api/") else AuditSource.UI
        with audit_source(source):
            return self.get_response(request)
