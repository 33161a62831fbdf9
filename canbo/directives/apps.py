from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "canbo.directives"
    label = "directives"
    verbose_name = _("Theo dõi thực hiện nghị quyết, kế hoạch")
