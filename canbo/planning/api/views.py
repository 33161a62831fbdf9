"""The planning API's viewsets: thin adapters over selectors, services and `answers`."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from canbo.api.fields import (
    date_field,
    text_field,
)
from canbo.api.pagination import Pagination
from canbo.api.permissions import READ_ONLY, READ_WRITE
from canbo.core.audit import AccessKind, query_text, record_rows
from canbo.core.dates import year_span
from canbo.core.replica import replica_reads
from canbo.organizations.selectors import unit_list
from canbo.people import selectors as people_selectors

from .. import pages, selectors, services
from ..models import Plan, PlanEntry, PlanReview
from .answers import (
    bench_data,
    entries_of,
    figures_data,
    plan_findings,
    plan_what_if,
    write,
)
from .inputs import (
    ApproveSerializer,
    EntryAddSerializer,
    EntryRemoveSerializer,
    PlanCreateSerializer,
    PublishSerializer,
    ReopenSerializer,
    ReviewCreateSerializer,
    WhatIfSerializer,
)
from .serializers import (
    AS_OF,
    BenchSerializer,
    FiguresSerializer,
    FindingSerializer,
    PlanDetailSerializer,
    PlanEntrySerializer,
    PlanFilterSet,
    PlanReviewSerializer,
    PlanSerializer,
    WhatIfResultSerializer,
    as_of_of,
    validate_term,
)

PLAN_RESPONSE = {200: PlanDetailSerializer}


@replica_reads(actions=("list", "figures", "bench", "findings"))
@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Danh sách quy hoạch trong phạm vi")),
    retrieve=extend_schema(summary=gettext_lazy("Một quy hoạch: chức danh, người, lịch sử")),
)
class PlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Succession plans within the user's scope, their life cycle, entries and reviews.

    A plan outside the user's scope is not found (404). Writes are for editors
    and administrators; the services re-check the planning unit's scope (403).
    """

    filterset_class = PlanFilterSet
    pagination_class = Pagination
    permission_classes = READ_WRITE

    def get_queryset(self) -> QuerySet[Plan]:
        if getattr(self, "swagger_fake_view", False):
            return Plan.objects.none()
        return selectors.plan_list(user=self.request.user)

    def get_serializer_class(self):
        return {
            "list": PlanSerializer,
            "create": PlanCreateSerializer,
            "approve": ApproveSerializer,
            "publish": PublishSerializer,
            "reopen": ReopenSerializer,
            "entries": EntryAddSerializer,
            "reviews": ReviewCreateSerializer,
            "what_if": WhatIfSerializer,
        }.get(self.action, PlanDetailSerializer)

    def _input(self, serializer_class, plan: Plan | None = None) -> dict:
        context = {**self.get_serializer_context(), "plan": plan}
        serializer = serializer_class(data=self.request.data, context=context)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _logged(self, plan: Plan, person_ids, kind: str = AccessKind.PLAN) -> None:
        """An answer showing people of the plan, written to the access log (one insert)."""
        record_rows(
            actor=self.request.user,
            kind=kind,
            instance=plan,
            query=" ".join(filter(None, [self.action, query_text(self.request.query_params)])),
            person_ids=list(person_ids),
        )

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object(), reload=False)

    def _plan(self) -> Plan:
        """The plan of the URL, if the user may see it (without the list filters)."""
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_object(self) -> Plan:
        plan = self._plan()
        self.check_object_permissions(self.request, plan)
        return plan

    def _detail(self, plan: Plan, code=status.HTTP_200_OK, *, reload=True) -> Response:
        """The plan as it is now (after a write: `reload`), its people in the access log."""
        if reload:
            plan = Plan.objects.select_related("planning_unit", "term", "approver_unit").get(
                pk=plan.pk
            )
        data = PlanDetailSerializer(plan).data
        self._logged(plan, [e.person_id for e in plan._api_entries])
        return Response(data, status=code)

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanDetailSerializer})
    def create(self, request, *args, **kwargs):
        """A new draft plan of a unit for a term, covering the positions given."""
        data = self._input(PlanCreateSerializer)
        plan = write(services.plan_create, actor=request.user, **data)
        return self._detail(plan, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=PLAN_RESPONSE)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send a draft plan for approval."""
        plan = write(services.plan_submit, actor=request.user, plan=self.get_object())
        return self._detail(plan)

    @extend_schema(request=ApproveSerializer, responses=PLAN_RESPONSE)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Record the approval decision of a submitted plan."""
        plan = self.get_object()
        data = self._input(ApproveSerializer, plan)
        return self._detail(write(services.plan_approve, actor=request.user, plan=plan, **data))

    @extend_schema(request=PublishSerializer, responses=PLAN_RESPONSE)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish an approved plan."""
        plan = self.get_object()
        data = self._input(PublishSerializer)
        return self._detail(write(services.plan_publish, actor=request.user, plan=plan, **data))

    @extend_schema(request=ReopenSerializer, responses=PLAN_RESPONSE)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Bring a plan back to draft, with the reason."""
        plan = self.get_object()
        data = self._input(ReopenSerializer)
        return self._detail(write(services.plan_reopen, actor=request.user, plan=plan, **data))

    @extend_schema(request=EntryAddSerializer, responses={201: PlanEntrySerializer})
    @action(detail=True, methods=["post"])
    def entries(self, request, pk=None):
        """Plan a person for a position of a draft plan."""
        plan = self.get_object()
        data = self._input(EntryAddSerializer, plan)
        entry = write(services.entry_add, actor=request.user, plan=plan, **data)
        entry = PlanEntry.objects.select_related("person").get(pk=entry.pk)
        return Response(PlanEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], request=None, responses=PlanReviewSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ReviewCreateSerializer, responses={201: PlanReviewSerializer}
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def reviews(self, request, pk=None):
        """The reviews of a plan (newest first); POST records one with its changes."""
        plan = self.get_object()
        if request.method == "GET":
            rows = list(
                plan.reviews.select_related("actor").prefetch_related(
                    "added_entries", "removed_entries"
                )
            )
            self._logged(plan, pages.people_of_reviews(rows))
            return Response(PlanReviewSerializer(rows, many=True).data)
        data = self._input(ReviewCreateSerializer, plan)
        removed = entries_of(plan, [r["entry"] for r in data["removals"]])
        review = write(
            services.review_record,
            actor=request.user,
            plan=plan,
            reviewed_on=data["reviewed_on"],
            decision_number=data["decision_number"],
            note=data["note"],
            additions=[services.EntryAddition(**a) for a in data["additions"]],
            removals=[
                services.EntryRemoval(
                    entry=removed[r["entry"]], reason=r["removal_reason"], note=r["removal_note"]
                )
                for r in data["removals"]
            ],
        )
        review = (
            PlanReview.objects.select_related("actor")
            .prefetch_related("added_entries", "removed_entries")
            .get(pk=review.pk)
        )
        return Response(PlanReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[AS_OF], responses=FindingSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def findings(self, request, pk=None):
        """What the planning rules in force on the date find in this plan."""
        plan = self.get_object()
        data, named = plan_findings(Plan.objects.filter(pk=plan.pk), as_of_of(request))
        self._logged(plan, named)
        return Response(data)

    @extend_schema(request=WhatIfSerializer, responses=WhatIfResultSerializer)
    @action(detail=True, methods=["post"], url_path="what-if", permission_classes=READ_ONLY)
    def what_if(self, request, pk=None):
        """Findings before and after proposed additions and removals; nothing is saved."""
        plan = self.get_object()
        result, named = plan_what_if(plan, self._input(WhatIfSerializer, plan))
        self._logged(plan, named, AccessKind.WHAT_IF)
        return Response(WhatIfResultSerializer(result).data)

    @extend_schema(parameters=[AS_OF], responses=FiguresSerializer)
    @action(detail=True, methods=["get"])
    def figures(self, request, pk=None):
        """Counts, coefficient and shares of the people planned on the date."""
        plan = self.get_object()
        return Response(FiguresSerializer(figures_data(plan, as_of_of(request))).data)

    @extend_schema(parameters=[AS_OF], responses=BenchSerializer)
    @action(detail=True, methods=["get"])
    def bench(self, request, pk=None):
        """Holders, expected vacancies and eligible successors of each covered position."""
        plan = self.get_object()
        data, named = bench_data(plan, as_of_of(request))
        self._logged(plan, named)
        return Response(BenchSerializer(data).data)


class PlanEntryViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """An entry of a plan within the user's scope; removal keeps it, dated, with its reason."""

    serializer_class = PlanEntrySerializer
    permission_classes = READ_WRITE

    def get_queryset(self) -> QuerySet[PlanEntry]:
        if getattr(self, "swagger_fake_view", False):
            return PlanEntry.objects.none()
        plans = selectors.plan_list(user=self.request.user).values("pk")
        return PlanEntry.objects.filter(plan__in=plans).select_related("person")

    def get_serializer_class(self):
        return EntryRemoveSerializer if self.action == "remove" else PlanEntrySerializer

    def retrieve(self, request, *args, **kwargs):
        entry = self.get_object()
        record_rows(
            actor=request.user,
            kind=AccessKind.PLAN,
            instance=entry,
            query="",
            person_ids=[entry.person_id],
        )
        return Response(PlanEntrySerializer(entry).data)

    @extend_schema(request=EntryRemoveSerializer, responses=PlanEntrySerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        """Take an entry out of a draft plan."""
        entry = self.get_object()
        serializer = EntryRemoveSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        write(
            services.entry_remove,
            actor=request.user,
            entry=entry,
            reason=data["removal_reason"],
            note=data["removal_note"],
            removed_on=data.get("removed_on"),
        )
        entry = self.get_queryset().get(pk=entry.pk)
        return Response(PlanEntrySerializer(entry).data)


class PlanningFindingsQuerySerializer(serializers.Serializer):
    unit = text_field(50, required=False, allow_blank=True)
    term = text_field(20, required=False, allow_blank=True)
    as_of = date_field(required=False, allow_null=True)

    def validate_term(self, value: str) -> str:
        if value.strip():
            validate_term(value)
        return value.strip()


@replica_reads(actions=("list",))
class PlanningFindingsViewSet(viewsets.ViewSet):
    """Findings of every plan of a unit's subtree in the user's scope (as `check-planning`)."""

    permission_classes = READ_ONLY

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "unit",
                OpenApiTypes.STR,
                description=gettext_lazy(
                    "Mã đơn vị: quy hoạch của đơn vị này và các đơn vị cấp dưới."
                ),
            ),
            OpenApiParameter(
                "term",
                OpenApiTypes.STR,
                description=gettext_lazy("Nhiệm kỳ quy hoạch, ví dụ 2030-2035."),
            ),
            AS_OF,
        ],  # fmt: skip
        responses=FindingSerializer(many=True),
    )
    def list(self, request):
        params = PlanningFindingsQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        unit_code = params.validated_data.get("unit", "").strip()
        term = params.validated_data.get("term", "")
        as_of = params.validated_data.get("as_of") or people_selectors.today()
        plans = selectors.plan_list(user=request.user)
        if unit_code:
            unit = unit_list(user=request.user).filter(code=unit_code).first()
            if unit is None:
                raise exceptions.NotFound(_("Không có đơn vị mã “%(code)s”.") % {"code": unit_code})
            plans = selectors.plans_of(plans, unit=unit)
        if term:
            plans = selectors.plans_of(plans, years=year_span(term))
        data, named = plan_findings(plans, as_of)
        record_rows(
            actor=request.user,
            kind=AccessKind.PLAN,
            model=Plan,
            query=query_text(request.query_params),
            person_ids=named,
        )
        return Response(data)
