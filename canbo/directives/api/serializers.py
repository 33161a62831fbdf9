"""The directives API's query parameters (filter sets) and answers (read serializers), and
the body of a completion."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from canbo.api.fields import CleanTextInput, date_field, text_field
from canbo.organizations.models import Unit
from canbo.people.filtersets import AsOfFilter

from ..choices import DirectiveKind, Status
from ..models import Directive, MonitoringGroup, Task, TaskAssignment

#: The largest id a database stores (bigint); a larger number names no row.
MAX_ID = 2**63 - 1
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
AS_OF_SCHEMA = {"type": "string", "format": "date", "example": "2012-11-30"}
#: A status in an answer: a plain string, so that the schema's `StatusEnum` (the plans')
#: keeps its name (a second enum named "status" would rename both).
STATUSES = ", ".join(Status.values)
#: The same for a directive's kind (the areas' and units' "kind" enums keep their names).
KINDS = ", ".join(DirectiveKind.values)


# --- Query parameters --------------------------------------------------------------


class IdField(forms.CharField):
    """A record's id: ASCII digits only, 1 to the largest bigint ("1.0", "²" are no id)."""

    default_error_messages = {"invalid": _("Mã số phải là một số nguyên dương.")}

    def to_python(self, value) -> int | None:
        text = super().to_python(value)
        if not text:
            return None
        if (
            not (text.isascii() and text.isdigit())
            or len(text) > 19
            or not 1 <= int(text) <= MAX_ID
        ):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)


class IdFilter(django_filters.Filter):
    field_class = IdField


class DirectiveFilterSet(django_filters.FilterSet):
    number = django_filters.CharFilter(label=_("Số, ký hiệu (ví dụ 42-NQ/TW)"),
                                       method="filter_number")  # fmt: skip
    kind = django_filters.ChoiceFilter(label=_("Loại văn bản"), choices=DirectiveKind.choices)
    issuing_unit = django_filters.CharFilter(label=_("Cơ quan ban hành (mã)"),
                                             method="filter_issuing_unit")  # fmt: skip
    implements = IdFilter(label=_("Thực hiện văn bản (mã số văn bản cấp trên)"),
                          method="filter_implements")  # fmt: skip

    class Meta:
        model = Directive
        fields = ["number", "kind", "issuing_unit", "implements"]

    def filter_number(self, queryset, name, value):
        return queryset.filter(number__iexact=value.strip()) if value.strip() else queryset

    def filter_issuing_unit(self, queryset, name, value):
        return queryset.filter(issuing_unit__code=value.strip()) if value.strip() else queryset

    @extend_schema_field(ID_SCHEMA)
    def filter_implements(self, queryset, name, value):
        return queryset.filter(implements_id=value)


class AssignmentFilterSet(django_filters.FilterSet):
    """`status` is the status on `as_of` (today when not given), derived from the dates; the
    view annotates it (`selectors.status_at`)."""

    as_of = AsOfFilter(
        label=_("Ngày xét"),
        help_text=_("Trạng thái tại ngày này (YYYY-MM-DD hoặc dd/mm/yyyy; mặc định hôm nay)."),
        method="filter_as_of",
    )
    task = IdFilter(label=_("Nhiệm vụ (mã số)"), method="filter_task")
    directive = IdFilter(label=_("Văn bản (mã số)"), method="filter_directive")
    unit = django_filters.CharFilter(label=_("Đơn vị (mã), kể cả các đơn vị trực thuộc"),
                                     method="filter_unit")  # fmt: skip
    status = django_filters.ChoiceFilter(label=_("Trạng thái tại ngày xét"),
                                         choices=Status.choices, method="filter_status")  # fmt: skip

    class Meta:
        model = TaskAssignment
        fields = ["as_of", "task", "directive", "unit", "status"]

    @extend_schema_field(AS_OF_SCHEMA)
    def filter_as_of(self, queryset, name, value):
        return queryset  # read by the view, which annotates the status on that date

    @extend_schema_field(ID_SCHEMA)
    def filter_task(self, queryset, name, value):
        return queryset.filter(task_id=value)

    @extend_schema_field(ID_SCHEMA)
    def filter_directive(self, queryset, name, value):
        return queryset.filter(task__directive_id=value)

    def filter_unit(self, queryset, name, value):
        unit = Unit.objects.filter(code=value.strip()).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value)


class RollupParams(django_filters.FilterSet):
    """The roll-up's query parameters: read by the view (never applied as filters), and
    named here so that any other parameter is refused (`strict_query_params`)."""

    as_of = AsOfFilter(label=_("Ngày xét"), method="keep")
    unit = django_filters.CharFilter(label=_("Đơn vị (mã)"), method="keep")
    group = django_filters.CharFilter(label=_("Nhóm đơn vị theo dõi (tên)"), method="keep")

    class Meta:
        model = Directive
        fields = ["as_of", "unit", "group"]

    def keep(self, queryset, name, value):
        return queryset


# --- Answers -----------------------------------------------------------------------


class DirectiveSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(
        read_only=True, help_text=format_lazy(_("Loại văn bản: {kinds}."), kinds=KINDS)
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    issuing_unit = serializers.SlugRelatedField(read_only=True, slug_field="code",
                                                label=_("Cơ quan ban hành (mã)"))  # fmt: skip
    issuing_unit_name = serializers.CharField(source="issuing_unit.name", read_only=True)
    implements = serializers.IntegerField(
        source="api_implements", read_only=True, allow_null=True,
        help_text=_("Văn bản cấp trên mà văn bản này thực hiện (null: không có, hoặc ngoài "
                    "phạm vi được xem)."),
    )  # fmt: skip

    class Meta:
        model = Directive
        fields = ["id", "kind", "kind_label", "number", "issued_on", "issuing_unit",
                  "issuing_unit_name", "title", "summary", "implements"]  # fmt: skip
        read_only_fields = fields


class TaskLeaderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class TaskSerializer(serializers.ModelSerializer):
    """A task; a section holds its tasks under `children` (as deep as they go)."""

    lead_unit = serializers.SlugRelatedField(read_only=True, slug_field="code",
                                             label=_("Đơn vị chủ trì (mã)"))  # fmt: skip
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True,
                                           allow_null=True, default=None)  # fmt: skip
    coordinating_units = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code", label=_("Đơn vị phối hợp (mã)")
    )
    leader = TaskLeaderSerializer(read_only=True, allow_null=True,
                                  help_text=_("Lãnh đạo phụ trách (null: chưa phân công)."))  # fmt: skip
    deliverable_label = serializers.CharField(source="get_deliverable_display", read_only=True)

    class Meta:
        model = Task
        fields = ["id", "parent", "order", "content", "lead_unit", "lead_unit_name",
                  "coordinating_units", "leader", "deliverable", "deliverable_label", "start_on",
                  "working_days", "deadline", "cancelled_on", "cancel_reason", "children"]  # fmt: skip
        read_only_fields = fields


# A section's tasks are tasks: the field refers to the serializer it belongs to.
TaskSerializer._declared_fields["children"] = TaskSerializer(
    source="api_children", many=True, read_only=True
)


class DirectiveDetailSerializer(DirectiveSerializer):
    implemented_by = serializers.ListField(
        child=serializers.IntegerField(), source="api_implemented_by", read_only=True,
        help_text=_("Các văn bản (trong phạm vi được xem) thực hiện văn bản này."),
    )  # fmt: skip
    tasks = TaskSerializer(source="api_tasks", many=True, read_only=True,
                           help_text=_("Các nhiệm vụ cấp một; nhiệm vụ con trong children."))  # fmt: skip

    class Meta(DirectiveSerializer.Meta):
        fields = [*DirectiveSerializer.Meta.fields, "implemented_by", "tasks"]
        read_only_fields = fields


class TaskAssignmentSerializer(serializers.ModelSerializer):
    task_content = serializers.CharField(source="task.content", read_only=True)
    directive = serializers.IntegerField(source="task.directive_id", read_only=True)
    directive_number = serializers.CharField(source="task.directive.number", read_only=True)
    unit = serializers.SlugRelatedField(read_only=True, slug_field="code",
                                        label=_("Đơn vị thực hiện (mã)"))  # fmt: skip
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    start_on = serializers.DateField(source="task.start_on", read_only=True, allow_null=True)
    deadline = serializers.DateField(source="task.deadline", read_only=True, allow_null=True)
    status = serializers.CharField(
        read_only=True,
        help_text=format_lazy(_("Trạng thái tại ngày xét (as_of), tính từ các ngày: {statuses}."),
                              statuses=STATUSES),
    )  # fmt: skip
    status_label = serializers.SerializerMethodField()

    class Meta:
        model = TaskAssignment
        fields = ["id", "task", "task_content", "directive", "directive_number", "unit",
                  "unit_name", "start_on", "deadline", "completed_on", "note", "evidence",
                  "status", "status_label"]  # fmt: skip
        read_only_fields = fields

    def get_status_label(self, obj) -> str:
        return str(Status(obj.status).label)


class CompletionSerializer(CleanTextInput, serializers.Serializer):
    """What a unit records of its own assignment: the date (null withdraws it), a note and
    the evidence (a document number, a result); a note or evidence not sent stays as it is."""

    completed_on = date_field(allow_null=True, help_text=_("Ngày hoàn thành; null: rút lại."))
    note = text_field(5000, required=False, allow_blank=True)
    evidence = text_field(300, required=False, allow_blank=True)


class GroupUnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class MonitoringGroupSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(read_only=True, slug_field="code",
                                         label=_("Đơn vị theo dõi (mã)"))  # fmt: skip
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    units = GroupUnitSerializer(many=True, read_only=True)

    class Meta:
        model = MonitoringGroup
        fields = ["id", "name", "owner", "owner_name", "note", "units"]
        read_only_fields = fields


class RollUpSerializer(serializers.Serializer):
    """One task's roll-up (`selectors.RollUp.as_dict()`)."""

    task = serializers.IntegerField()
    content = serializers.CharField()
    deadline = serializers.DateField(allow_null=True)
    assigned = serializers.IntegerField(help_text=_("Số đơn vị được giao (trừ nhiệm vụ đã hủy)."))
    done_on_time = serializers.IntegerField()
    done_late = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    overdue = serializers.IntegerField()
    not_started = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    done = serializers.IntegerField()
    share_done = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True,
        help_text=_("Phần trăm hoàn thành trên số được giao; null khi không giao đơn vị nào."),
    )  # fmt: skip
    text = serializers.CharField(help_text=_("Ví dụ “221/222 (99,55%)”."))


class DirectiveRollupSerializer(serializers.Serializer):
    directive = serializers.IntegerField()
    as_of = serializers.DateField()
    unit = serializers.CharField(allow_null=True, help_text=_("Mã đơn vị (null: mọi đơn vị)."))
    group = serializers.CharField(allow_null=True, help_text=_("Tên nhóm (null: không theo nhóm)."))
    tasks = RollUpSerializer(many=True, help_text=_("Các nhiệm vụ có giao cho đơn vị."))
