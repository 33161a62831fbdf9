"""The REST API: one router over the apps' viewsets, and the OpenAPI schema.

No Swagger/Redoc page: their JavaScript would come from a CDN, and the system
must run fully offline. Point any OpenAPI viewer at /api/schema/ instead.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from canbo.api.views import NotFoundView
from canbo.appointments.api import AppointmentCaseViewSet
from canbo.directives.api import (
    AssignmentViewSet,
    DirectiveViewSet,
    HearingInvitationViewSet,
    HearingSlotViewSet,
    MonitoringGroupViewSet,
    TaskViewSet,
)
from canbo.jobs.api import JobViewSet
from canbo.organizations.api import AreaViewSet, PositionViewSet, UnitViewSet
from canbo.people.api import PersonViewSet
from canbo.people.api_leaders import KeyLeadersViewSet
from canbo.planning.api import PlanEntryViewSet, PlanningFindingsViewSet, PlanViewSet
from canbo.reports.api import ReportFormViewSet
from canbo.reports.api_rounds import ReportRoundViewSet, SubmissionViewSet
from canbo.reviews.api import EvaluationRoundViewSet, VoteSessionViewSet
from canbo.rotation.api import RotationPlanViewSet, RotationViewSet
from canbo.rotation.api_proposals import RotationProposalsViewSet

app_name = "api"

router = DefaultRouter()
router.register("areas", AreaViewSet, basename="area")
router.register("units", UnitViewSet, basename="unit")
router.register("positions", PositionViewSet, basename="position")
router.register("people", PersonViewSet, basename="person")
router.register("key-leaders", KeyLeadersViewSet, basename="key-leaders")
router.register("report-forms", ReportFormViewSet, basename="report-form")
router.register("report-rounds", ReportRoundViewSet, basename="report-round")
router.register("submissions", SubmissionViewSet, basename="submission")
router.register("plans", PlanViewSet, basename="plan")
router.register("plan-entries", PlanEntryViewSet, basename="plan-entry")
router.register("planning/findings", PlanningFindingsViewSet, basename="planning-finding")
router.register("appointment-cases", AppointmentCaseViewSet, basename="appointment-case")
router.register("vote-sessions", VoteSessionViewSet, basename="vote-session")
router.register("evaluation-rounds", EvaluationRoundViewSet, basename="evaluation-round")
router.register("rotations", RotationViewSet, basename="rotation")
router.register("rotation-plans", RotationPlanViewSet, basename="rotation-plan")
router.register("rotation-proposals", RotationProposalsViewSet, basename="rotation-proposal")
router.register("directives", DirectiveViewSet, basename="directive")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("monitoring-groups", MonitoringGroupViewSet, basename="monitoring-group")
router.register("tasks", TaskViewSet, basename="task")
router.register("hearing-slots", HearingSlotViewSet, basename="hearing-slot")
router.register("hearing-invitations", HearingInvitationViewSet, basename="hearing-invitation")
router.register("jobs", JobViewSet, basename="job")

urlpatterns = [
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]),
        name="schema",
    ),
    path("", include(router.urls)),
    # Any other address under /api/ is answered as the API answers, not with the site's page.
    re_path(r"^.*/$", NotFoundView.as_view(), name="not-found"),
]
