import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

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


class SessionTimeoutMiddleware:
    """End a signed-in session after CANBO_SESSION_IDLE_SECONDS without a request, and
    SESSION_COOKIE_AGE after sign-in whatever happens in between.

    The time of the last request is noted in the session at most once a minute, so
    that most requests write nothing. Each such write makes Django renew the
    session's expiry, so the whole life is bounded here, from the sign-in time kept
    in the session, not by the cookie's age.
    """

    KEY = "canbo_seen"
    SINCE = "canbo_since"
    RESOLUTION = 60

    def __init__(self, get_response):
        self.get_response = get_response

    @classmethod
    def signed_in(cls, sender, request, user, **kwargs):
        """At sign-in (signal user_logged_in), the session's first request time."""
        request.session[cls.KEY] = request.session[cls.SINCE] = int(time.time())

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(self.KEY)
            since = request.session.get(self.SINCE)
            if (seen is not None and now - seen > settings.CANBO_SESSION_IDLE_SECONDS) or (
                since is not None and now - since > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
            else:
                if since is None:  # a session opened before the sign-in time was kept
                    request.session[self.SINCE] = now
                if seen is None or now - seen >= self.RESOLUTION:
                    request.session[self.KEY] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Keep answers to signed-in users (pages, exports, API) out of every cache.

    They carry personal data; browsers and proxies must not store them (a shared
    computer's back button or disk cache would show them to the next person). The
    user may have been signed in by the API's own authentication (a token), which
    sets request.user while the view runs, so it is read after the response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith("/" + settings.STATIC_URL.lstrip("/"))
        ):
            add_never_cache_headers(response)
        return response
