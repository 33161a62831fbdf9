from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.urls import reverse

from . import two_factor


class TwoFactorMiddleware:
    """Hold a session that waits for its second factor on the code pages.

    Until the code is entered (or, for an administrator without a device, a device
    is set up), every page sends to the step's page; only that page, signing out and
    static files stay open (the step's page checks the step again). The API is not redirected: its session authentication
    treats such a session as not signed in (canbo.api.authentication).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pending = two_factor.step(request)
        if pending is not None and not self._open(request.path):
            target = reverse(
                "accounts:two-factor-verify"
                if pending == two_factor.VERIFY
                else "accounts:two-factor-setup"
            )
            if request.path == target:
                return self.get_response(request)
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect_to_login(request.get_full_path(), target)
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        return (
            path.startswith("/api/")
            or path.startswith("/" + settings.STATIC_URL.lstrip("/"))
            or path == reverse("accounts:logout")
        )
