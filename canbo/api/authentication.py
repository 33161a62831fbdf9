"""API authentication: tokens (django-rest-knox, settings) and the browser's session.

A session still waiting for its second factor (canbo.accounts.two_factor) is no
signed-in user for the API: a password alone opens nothing but the code page.
"""

from drf_spectacular.authentication import SessionScheme
from rest_framework import authentication

from canbo.accounts import two_factor


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and two_factor.step(request._request) is not None:
            return None
        return result


class SessionSchemeDocumented(SessionScheme):
    """The session is documented in the OpenAPI schema as DRF's own (drf-spectacular)."""

    target_class = SessionAuthentication
