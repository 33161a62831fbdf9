from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "canbo.exchange"
    verbose_name = _("Gói dữ liệu")
