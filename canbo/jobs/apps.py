from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "canbo.jobs"
    label = "jobs"
    verbose_name = _("Công việc nền")

    def ready(self):
        # Each app's `jobs` module registers the kinds of background work it offers, so the
        # worker knows them without importing the web's URLs.
        autodiscover_modules("jobs")
