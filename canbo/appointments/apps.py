from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "canbo.appointments"
    label = "appointments"
    verbose_name = _("Bổ nhiệm, giới thiệu ứng cử")

    def ready(self) -> None:
        # Planning's P4 reads open cases through the source this app provides: planning
        # sits below appointments (A1 reads the plans) and does not import it (ADR 0024).
        from canbo.planning import sources

        from .selectors import open_case_since

        sources.provide_open_case_since(open_case_since)
