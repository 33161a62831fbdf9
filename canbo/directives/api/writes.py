"""The directives API's writes: thin adapters over `services` and `editing`.

A record is looked up through the scoped selectors (out of sight: 404, as one that does
not exist); the body through `inputs` (a unit or record out of sight: 400 beside its
field, as one that does not exist); then the service checks the right (403), validates
(400 by field, in Vietnamese, `canbo.api.exceptions`) and audits with before and after.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from canbo.api.permissions import READ_WRITE
from canbo.core import scope
from canbo.core.audit import AccessKind, query_text, record_rows

from .. import attachments, editing, services
from ..models import Directive, MonitoringGroup, Task
from ..selectors import visible_directives
from .answers import TASK_FIELDS, current_action, groups_for, mark_links, write
from .hearings import HearingsSerializer, SlotSerializer, hearings_data, slot_data
from .inputs import (
    AssignedSerializer,
    AssignInput,
    DirectiveInput,
    FileInput,
    GroupInput,
    InvitedSerializer,
    InviteInput,
    SlotInput,
    TaskInput,
    TaskUpdateInput,
)
from .serializers import DirectiveSerializer, MonitoringGroupSerializer, TaskSerializer

DELETED = {204: OpenApiResponse(description=_("Đã xóa."))}


def body(view, serializer_class, **context):
    """The request's body, validated (400 with the messages by field)."""
    serializer = serializer_class(data=view.request.data, partial=view.request.method == "PATCH",
                                  context={**view.get_serializer_context(), **context})  # fmt: skip
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


#: The bodies `DirectiveViewSet`'s writes read, by action (for the browsable API, OPTIONS).
WRITE_INPUTS = {"create": DirectiveInput, "partial_update": DirectiveInput, "file": FileInput,
                "tasks": TaskInput, "hearing_slots": SlotInput,
                "hearing_invitations": InviteInput}  # fmt: skip


class AdministratorWrites(BasePermission):
    """Reads for every signed-in user; writes for administrators only (monitoring groups)."""

    message = _("Chỉ quản trị viên được thực hiện thao tác này.")

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or scope.is_administrator(request.user)


# --- Directives ----------------------------------------------------------------------


class DirectiveFileSerializer(serializers.Serializer):
    file_name = serializers.CharField(allow_blank=True, help_text=_("Tên tệp (\"\": không có tệp)."))
    file_size = serializers.IntegerField(allow_null=True, help_text=_("Kích thước (byte)."))


def directive_answer(user, directive: Directive, code=status.HTTP_200_OK) -> Response:
    directive = Directive.objects.select_related("issuing_unit").get(pk=directive.pk)
    mark_links(user, [directive])
    return Response(DirectiveSerializer(directive).data, status=code)


def task_answer(request, task: Task, code=status.HTTP_200_OK) -> Response:
    """A task with the tasks under it (as the directive's detail nests them); the leaders
    shown are personal data: the read is logged. Three queries."""
    tasks = list(
        Task.objects.filter(directive_id=task.directive_id).select_related("lead_unit", "leader")
        .only(*TASK_FIELDS).prefetch_related("coordinating_units").order_by("order", "pk")
    )  # fmt: skip
    by_parent: dict[int | None, list[Task]] = {}
    for one in tasks:
        by_parent.setdefault(one.parent_id, []).append(one)
    shown, todo = [], [next(t for t in tasks if t.pk == task.pk)]
    while todo:
        one = todo.pop()
        one.api_children = by_parent.get(one.pk, [])
        shown.append(one)
        todo += one.api_children
    leaders = sorted({t.leader_id for t in shown if t.leader_id is not None})
    if leaders:
        record_rows(actor=request.user, kind=AccessKind.LIST, instance=shown[0],
                    query=query_text(request.query_params), person_ids=leaders)  # fmt: skip
    return Response(TaskSerializer(shown[0]).data, status=code)


class DirectiveWrites:
    """The writes of `DirectiveViewSet`: create and change a directive (by the editors of
    its issuing unit), its file, its tasks, its hearing schedule."""

    def _directive(self) -> Directive:
        """The directive of the URL, if the user may read it (without the list filters)."""
        return get_object_or_404(visible_directives(self.request.user)
                                 .select_related("issuing_unit"), pk=self.kwargs["pk"])  # fmt: skip

    @extend_schema(summary=_("Thêm một văn bản chỉ đạo"), request=DirectiveInput,
                   responses={201: DirectiveSerializer})  # fmt: skip
    def create(self, request, *args, **kwargs):
        """A new directive issued by a unit the user may edit (its code; any other unit is
        "not found", 400 beside the field)."""
        data = body(self, DirectiveInput)
        directive = write(services.directive_create, actor=request.user, **data)
        return directive_answer(request.user, directive, status.HTTP_201_CREATED)

    @extend_schema(summary=_("Sửa một văn bản chỉ đạo"), request=DirectiveInput,
                   responses=DirectiveSerializer)  # fmt: skip
    def partial_update(self, request, *args, **kwargs):
        """Change the fields sent; the user must edit the issuing unit it had and the one
        it gets (403 otherwise)."""
        directive = self._directive()
        data = body(self, DirectiveInput)
        directive = write(editing.directive_update, actor=request.user, directive=directive,
                          **data)  # fmt: skip
        return directive_answer(request.user, directive)

    @extend_schema(methods=["GET"], summary=_("Tải tệp của văn bản"), request=None,
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})  # fmt: skip
    @extend_schema(methods=["PUT"], summary=_("Đính kèm (thay) tệp của văn bản"),
                   request={"multipart/form-data": FileInput},
                   responses=DirectiveFileSerializer)  # fmt: skip
    @extend_schema(methods=["DELETE"], summary=_("Bỏ tệp của văn bản"), request=None,
                   responses=DELETED)  # fmt: skip
    @action(detail=True, methods=["get", "put", "delete"], url_path="file",
            parser_classes=[MultiPartParser], filter_backends=[], pagination_class=None)  # fmt: skip
    def file(self, request, pk=None):
        """The directive's own file (the signed document): read by whoever reads the
        directive, as an attachment; attached (multipart field `file`: PDF, office
        documents, images, text or ZIP) or removed by the editors of its issuing unit."""
        directive = self._directive()
        if request.method == "GET":
            return attachments.download(directive.file_key, directive.file_name)
        upload = None
        if request.method == "PUT":
            upload = body(self, FileInput)["file"]
        directive = write(editing.directive_attach, actor=request.user, directive=directive,
                          upload=upload)  # fmt: skip
        if upload is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response({"file_name": directive.file_name, "file_size": directive.file_size})

    @extend_schema(summary=_("Thêm một nhiệm vụ vào văn bản"), request=TaskInput,
                   responses={201: TaskSerializer})  # fmt: skip
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def tasks(self, request, pk=None):
        """A task (or a section, with tasks under it through `parent`); with a lead unit,
        its assignment to that unit too; with `working_days`, the deadline is computed from
        the start over the working-day calendar."""
        directive = self._directive()
        data = body(self, TaskInput)
        task = write(services.task_create, actor=request.user, directive=directive, **data)
        return task_answer(request, task, status.HTTP_201_CREATED)

    @extend_schema(summary=_("Lịch làm việc trực tiếp của văn bản"), request=None,
                   responses=HearingsSerializer)  # fmt: skip
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def hearings(self, request, pk=None):
        directive = self._directive()
        return Response(HearingsSerializer(hearings_data(request.user, directive)).data)

    @extend_schema(summary=_("Thêm một buổi vào lịch làm việc trực tiếp"), request=SlotInput,
                   responses={201: SlotSerializer})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="hearings/slots", filter_backends=[],
            pagination_class=None)  # fmt: skip
    def hearing_slots(self, request, pk=None):
        """A slot (day, morning or afternoon, place); not before the directive's date, one
        per day and session."""
        directive = self._directive()
        slot = write(editing.slot_add, actor=request.user, directive=directive,
                     **body(self, SlotInput))  # fmt: skip
        return Response(slot_data(slot), status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("Chọn các đơn vị làm việc trực tiếp"), request=InviteInput,
                   responses=InvitedSerializer)  # fmt: skip
    @action(detail=True, methods=["post"], url_path="hearings/invitations", filter_backends=[],
            pagination_class=None)  # fmt: skip
    def hearing_invitations(self, request, pk=None):
        """Units (codes, among those the user may read) chosen for a direct hearing; those
        already chosen stay as they are."""
        directive = self._directive()
        units = body(self, InviteInput)["units"]
        added = write(editing.invite, actor=request.user, directive=directive, units=units)
        return Response({"invited": added, "total": directive.invitations.count()})


# --- Tasks ---------------------------------------------------------------------------


@extend_schema_view(retrieve=extend_schema(summary=_("Một nhiệm vụ và các nhiệm vụ con")))
class TaskViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The tasks of the directives the user may read; changed by the editors of the
    directive's issuing unit."""

    serializer_class = TaskSerializer
    permission_classes = READ_WRITE
    strict_query_params = True

    def get_serializer_class(self):
        inputs = {"partial_update": TaskUpdateInput, "assign": AssignInput}
        return inputs.get(current_action(self), TaskSerializer)

    def get_queryset(self) -> QuerySet[Task]:
        if getattr(self, "swagger_fake_view", False):
            return Task.objects.none()
        return Task.objects.filter(
            directive__in=visible_directives(self.request.user).values("pk")
        ).select_related("directive__issuing_unit")

    def retrieve(self, request, *args, **kwargs):
        return task_answer(request, self.get_object())

    @extend_schema(summary=_("Sửa, hủy một nhiệm vụ"), request=TaskUpdateInput,
                   responses=TaskSerializer)  # fmt: skip
    def partial_update(self, request, *args, **kwargs):
        """Change the fields sent. A new lead unit gets its assignment (the old one's is
        taken back while untouched); `cancelled_on` with `cancel_reason` cancels the task."""
        task = self.get_object()
        data = body(self, TaskUpdateInput, directive=task.directive)
        task = write(editing.task_update, actor=request.user, task=task, **data)
        return task_answer(request, task)

    @extend_schema(summary=_("Giao nhiệm vụ cho mọi đơn vị một cấp, một loại"),
                   request=AssignInput, responses=AssignedSerializer)  # fmt: skip
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Every unit of `level` (and `kind`) in force on `on` within a unit's subtree
        (`unit`) or a monitoring group's (`group`), among the units the user may read.
        Units already assigned stay as they are: asked again, only new units are added."""
        task = self.get_object()
        data = body(self, AssignInput)
        added = write(services.assign_to_units, actor=request.user, task=task, **data)
        return Response({"assigned": added, "total": task.assignments.count()})


# --- Assignments and monitoring groups -------------------------------------------------


class AssignmentWrites:
    @extend_schema(summary=_("Thu hồi nhiệm vụ đã giao cho một đơn vị"), responses=DELETED)
    def destroy(self, request, *args, **kwargs):
        """Take the task back from the unit, only while it has neither recorded its
        completion nor written a note (400; cancel the task instead)."""
        write(editing.assignment_remove, actor=request.user, assignment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class GroupWrites:
    """Monitoring groups are created, changed and removed by administrators only (a group
    lets its owner's readers read the subtrees of its units)."""

    permission_classes = [*READ_WRITE, AdministratorWrites]

    def get_serializer_class(self):
        if current_action(self) in ("create", "partial_update"):
            return GroupInput
        return MonitoringGroupSerializer

    def _answer(self, group: MonitoringGroup, code=status.HTTP_200_OK) -> Response:
        group = groups_for(self.request.user).get(pk=group.pk)
        return Response(MonitoringGroupSerializer(group).data, status=code)

    @extend_schema(summary=_("Một nhóm đơn vị theo dõi"))
    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object())

    @extend_schema(summary=_("Thêm một nhóm đơn vị theo dõi (quản trị viên)"), request=GroupInput,
                   responses={201: MonitoringGroupSerializer})  # fmt: skip
    def create(self, request, *args, **kwargs):
        group = write(editing.group_save, actor=request.user, **body(self, GroupInput))
        return self._answer(group, status.HTTP_201_CREATED)

    @extend_schema(summary=_("Sửa một nhóm đơn vị theo dõi (quản trị viên)"), request=GroupInput,
                   responses=MonitoringGroupSerializer)  # fmt: skip
    def partial_update(self, request, *args, **kwargs):
        group = self.get_object()
        data = body(self, GroupInput, group=group)
        return self._answer(write(editing.group_save, actor=request.user, group=group, **data))

    @extend_schema(summary=_("Xóa một nhóm đơn vị theo dõi (quản trị viên)"), responses=DELETED)
    def destroy(self, request, *args, **kwargs):
        write(editing.group_delete, actor=request.user, group=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
