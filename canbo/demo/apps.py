from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Installed only for its `seed-demo` command: the demo sits above the domain apps,
    which never import it (architecture contracts, ADR 0011). It holds no models."""

    name = "canbo.demo"
    label = "demo"
    verbose_name = _("Dữ liệu demo")
