"""The admin site: one sign-in for the whole system, and the second factor for administrators.

The admin has no sign-in form of its own: /admin/login/ sends to accounts:login, so
that the lockout (django-axes) and the second factor (django-otp) guard one form. A
signed-in user reaches the admin only once TwoFactorMiddleware lets the request through
(the code is entered, or no code is asked of them), which `has_permission` checks again.
"""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from . import two_factor


class AdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        return super().has_permission(request) and two_factor.step(request) is None

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Signed in, past the second factor, and still not allowed here.
            raise PermissionDenied
        return redirect_to_login(
            request.GET.get("next") or reverse("admin:index", current_app=self.name),
            reverse("accounts:login"),
        )
