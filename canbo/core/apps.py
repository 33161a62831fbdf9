from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "canbo.core"
    label = "core"
    verbose_name = _("Hệ thống")

    def ready(self):
        from . import lookups, replica  # noqa: F401  (field__in_values; the replica check)
