"""The admin site: one sign-in for the whole system, and the second factor for administrators.

The admin has no sign-in form of its own: /admin/login/ sends to accounts:login, so
that the lockout (django-axes) and the second factor (django-otp) guard one form. A
signed-in user reaches the admin only once TwoFactorMiddleware lets the request through
(the code is entered, or no code is asked of them), which `has_permission` checks again.
"""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models.base import ModelBase
from django.urls import reverse

from . import two_factor


class AdminSite(admin.AdminSite):
    # Second-factor devices and API tokens are written through canbo.accounts.services
    # (audited) only: the pages django-otp and knox register would show or change them
    # without a trace (and knox's AuthToken is replaced by accounts.ApiToken, with no table).
    # Refused here rather than unregistered, whatever the order the apps' admins load in.
    not_registered = {"otp_totp.totpdevice", "knox.authtoken"}

    def register(self, model_or_iterable, admin_class=None, **options):
        models = (
            [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        )
        kept = [m for m in models if m._meta.label_lower not in self.not_registered]
        if kept:
            super().register(kept, admin_class, **options)

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
