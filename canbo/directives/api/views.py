"""The directives API's viewsets: thin adapters over the scoped selectors, the services
and `answers`."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from canbo.api.pagination import Pagination
from canbo.api.permissions import READ_WRITE
from canbo.core.audit import AccessKind, query_text, record_rows
from canbo.core.replica import replica_reads
from canbo.people import selectors as people_selectors
from canbo.people.filtersets import as_of_from

from .. import services
from ..models import Directive, MonitoringGroup, TaskAssignment
from ..selectors import status_at, visible_assignments, visible_directives
from .answers import current_action, groups_for, mark_detail, mark_links, rollup_data
from .serializers import (
    AssignmentFilterSet,
    CompletionSerializer,
    DirectiveDetailSerializer,
    DirectiveFilterSet,
    DirectiveRollupSerializer,
    DirectiveSerializer,
    MonitoringGroupSerializer,
    RollupParams,
    TaskAssignmentSerializer,
)
from .writes import WRITE_INPUTS, AssignmentWrites, DirectiveWrites, GroupWrites

AS_OF_HELP = _("Ngày xét (YYYY-MM-DD hoặc dd/mm/yyyy); mặc định hôm nay.")


@replica_reads(actions=("list",))
@extend_schema_view(
    list=extend_schema(summary=_("Danh sách văn bản chỉ đạo trong phạm vi")),
    retrieve=extend_schema(summary=_("Một văn bản chỉ đạo và các nhiệm vụ của nó")),
)
class DirectiveViewSet(DirectiveWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):  # fmt: skip
    """Directives the user may read: issued in their scope, or with a task assigned to a
    unit they may read (`selectors.visible_directives`); any other is not found (404).
    Written by the editors of the issuing unit (`writes.DirectiveWrites`)."""

    pagination_class = Pagination
    permission_classes = READ_WRITE
    strict_query_params = True  # an unknown query parameter is a 400 (CleanRequestInput)

    @property
    def filterset_class(self):
        """The list's filters; the roll-up's parameters (read, not applied as filters)."""
        return RollupParams if getattr(self, "action", None) == "rollup" else DirectiveFilterSet

    def get_queryset(self) -> QuerySet[Directive]:
        if getattr(self, "swagger_fake_view", False):
            return Directive.objects.none()
        return (visible_directives(self.request.user).select_related("issuing_unit")
                .order_by("-issued_on", "number", "pk"))  # fmt: skip

    def get_serializer_class(self):
        action = current_action(self)
        if action in WRITE_INPUTS:
            return WRITE_INPUTS[action]
        return DirectiveDetailSerializer if action == "retrieve" else DirectiveSerializer

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            mark_links(self.request.user, page)
        return page

    def retrieve(self, request, *args, **kwargs):
        directive = self.get_object()
        leaders = mark_detail(request.user, directive)
        if leaders:  # the tasks' leaders are personal data: the read is logged
            record_rows(actor=request.user, kind=AccessKind.LIST, instance=directive,
                        query=query_text(request.query_params), person_ids=leaders)  # fmt: skip
        return Response(DirectiveDetailSerializer(directive).data)

    @extend_schema(
        summary=_("Tình hình thực hiện từng nhiệm vụ của văn bản tại một ngày"),
        parameters=[
            OpenApiParameter("as_of", OpenApiTypes.DATE, description=AS_OF_HELP),
            OpenApiParameter(
                "unit",
                OpenApiTypes.STR,
                description=_(
                    "Mã đơn vị: chỉ đơn vị này và các đơn vị trực thuộc (trong phạm vi được xem)."
                ),
            ),
            OpenApiParameter(
                "group",
                OpenApiTypes.STR,
                description=_(
                    "Tên nhóm đơn vị theo dõi: các đơn vị của nhóm và trực thuộc. Không dùng "
                    "cùng unit."
                ),
            ),
        ],  # fmt: skip
        responses=DirectiveRollupSerializer,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def rollup(self, request, pk=None):
        """Each task's assigned units by status and the share done ("221/222 (99,55%)"),
        over the units the user may read: a fixed number of queries whatever their number."""
        directive = self.get_object()
        params = RollupParams(request.query_params, queryset=Directive.objects.none())
        if not params.is_valid():
            raise exceptions.ValidationError(params.errors)
        data = params.form.cleaned_data
        answer = rollup_data(request.user, directive, data["as_of"] or people_selectors.today(),
                             data["unit"] or "", data["group"] or "")  # fmt: skip
        return Response(DirectiveRollupSerializer(answer).data)


@replica_reads(actions=("list",))
@extend_schema_view(
    list=extend_schema(summary=_("Các đơn vị được giao nhiệm vụ, trong phạm vi")),
    retrieve=extend_schema(summary=_("Một nhiệm vụ giao cho một đơn vị")),
)
class AssignmentViewSet(AssignmentWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):  # fmt: skip
    """Each unit's assignment of a task, for the units the user may read
    (`selectors.visible_assignments`); the status is derived on `as_of` (today by default).
    The unit records its completion: only someone who may edit the unit itself (403 for a
    department that reads it through a group, 404 out of scope)."""

    serializer_class = TaskAssignmentSerializer
    filterset_class = AssignmentFilterSet
    pagination_class = Pagination
    permission_classes = READ_WRITE
    strict_query_params = True

    def as_of(self):
        return as_of_from(getattr(self.request, "query_params", None) or {})

    def get_queryset(self) -> QuerySet[TaskAssignment]:
        if getattr(self, "swagger_fake_view", False):
            return TaskAssignment.objects.none()
        return (
            visible_assignments(self.request.user)
            .select_related("task__directive", "unit")
            .annotate(status=status_at(self.as_of()))
            .order_by("task__directive_id", "task__order", "task_id", "unit__path")
        )

    def get_serializer_class(self):
        return (CompletionSerializer if current_action(self) == "completion"
                else TaskAssignmentSerializer)  # fmt: skip

    @extend_schema(
        summary=_("Đơn vị ghi nhận hoàn thành nhiệm vụ"),
        request=CompletionSerializer,
        responses=TaskAssignmentSerializer,
    )
    @action(detail=True, methods=["post"])
    def completion(self, request, pk=None):
        """The unit records (or, with `completed_on` null, withdraws) its completion: the
        date cannot lie in the future nor before the directive was issued (400)."""
        assignment = self.get_object()
        body = CompletionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.record_completion(
            actor=request.user, assignment=assignment, completed_on=data["completed_on"],
            note=data.get("note", assignment.note),
            evidence=data.get("evidence", assignment.evidence),
            today=people_selectors.today(),
        )  # fmt: skip
        return Response(TaskAssignmentSerializer(self.get_queryset().get(pk=assignment.pk)).data)


@extend_schema_view(list=extend_schema(summary=_("Các nhóm đơn vị theo dõi được xem")))
class MonitoringGroupViewSet(GroupWrites, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The monitoring groups whose owner unit the user's grants reach (every group for an
    administrator), with their units; written by administrators only."""

    serializer_class = MonitoringGroupSerializer
    pagination_class = Pagination
    strict_query_params = True

    def get_queryset(self) -> QuerySet[MonitoringGroup]:
        if getattr(self, "swagger_fake_view", False):
            return MonitoringGroup.objects.none()
        return groups_for(self.request.user)
