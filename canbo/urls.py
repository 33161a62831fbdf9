from django.contrib import admin
from django.urls import include, path

from canbo.core.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/", include("canbo.accounts.urls")),
    path("units/", include("canbo.organizations.urls")),
    path("people/", include("canbo.people.urls")),
    path("audit/", include("canbo.core.urls")),
    path("exchange/", include("canbo.exchange.urls")),
    path("planning/", include("canbo.planning.urls")),
    path("appointments/", include("canbo.appointments.urls")),
    path("reviews/", include("canbo.reviews.urls")),
    path("rotation/", include("canbo.rotation.urls")),
    path("directives/", include("canbo.directives.urls")),
    path("reports/", include("canbo.reports.urls")),
    path("jobs/", include("canbo.jobs.urls")),
    path("api/", include("canbo.api.urls")),
    path("admin/", admin.site.urls),
]
