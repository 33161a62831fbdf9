from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "canbo.people"
    label = "people"
    verbose_name = _("Cán bộ")

    def ready(self):
        # core and organizations sit below people and import no domain app (ADR 0011):
        # people plugs its reads into them and receives organizations' domain events.
        from django.db.models.signals import post_save

        from canbo.core import history
        from canbo.organizations import staffing
        from canbo.organizations.models import Unit
        from canbo.organizations.signals import unit_area_changed

        from . import posts_apart, selectors, services
        from .models import Assignment

        history.register_people_search(selectors.people_matching)
        staffing.register(selectors)
        unit_area_changed.connect(
            services.on_unit_area_changed, sender=Unit, dispatch_uid="people.refresh_local"
        )
        post_save.connect(posts_apart.on_post_saved, sender=Assignment,
                          dispatch_uid="people.settle_main_posts")  # fmt: skip
