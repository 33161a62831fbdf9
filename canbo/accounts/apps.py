from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "canbo.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from canbo.core.middleware import SessionTimeoutMiddleware

        user_logged_in.connect(SessionTimeoutMiddleware.signed_in, dispatch_uid="canbo-session")


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the site that asks for the second factor (admin_site.py)."""

    default = False  # named in INSTALLED_APPS; AccountsConfig stays this module's default
    default_site = "canbo.accounts.admin_site.AdminSite"
