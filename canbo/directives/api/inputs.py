"""What the directives API accepts on a write: a directive, a task, an assignment to many
units, a monitoring group, hearing slots, invited units and a booking.

Records and units named in a body are looked up through the scoped selectors: one the
user may not read (or, for a directive's issuing unit, may not edit) is refused beside
its field with the words used for one that does not exist. The rights and the rules are
checked again by the services (`services`, `editing`), which the views call."""

from __future__ import annotations

import re

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from canbo.api.fields import (
    CleanTextInput,
    CodeField,
    choice_field,
    date_field,
    integer_field,
    text_field,
)
from canbo.core import scope
from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.organizations.models import Unit
from canbo.people import selectors as people_selectors

from ..calendar import MAX_WORKING_DAYS
from ..choices import Deliverable, DirectiveKind
from ..models import HearingSlot, MonitoringGroup, Task
from ..selectors import groups_of, visible_directives, visible_units
from ..unit_codes import units_by_code, unknown_message
from .serializers import MAX_ID

UNIT_NOT_FOUND = gettext_lazy("Không tìm thấy đơn vị này.")
ROW_ID = {"min_value": 1, "max_value": MAX_ID}
#: Longest free text of a task or a directive (content, summary, reasons, notes).
LONG_TEXT = 20000


class InputSerializer(CleanTextInput, serializers.Serializer):
    """Refuses text no database can store (NUL bytes) before any lookup runs."""

    @property
    def user(self):
        return self.context["request"].user

    def to_representation(self, instance):
        """A body is read, never answered: the browsable API's forms for it start empty."""
        return {}


def named_choice(choices, **kwargs) -> serializers.ChoiceField:
    """A choice whose name other choice sets of the API share ("kind", "level"): described
    by a pattern, not an enum, so that the schema's enums keep their names."""
    field = choice_field(choices, **kwargs)  # its Vietnamese messages
    values = "|".join(re.escape(str(value)) for value, _label in choices)
    schema = {"type": "string", "pattern": f"^({values})$",
              "description": ", ".join(f"{value} ({label})" for value, label in choices)}  # fmt: skip
    if kwargs.get("allow_null"):
        schema["nullable"] = True
    # A class of its own: DRF copies a serializer's fields by their class and arguments.
    named = extend_schema_field(schema)(type("NamedChoiceField", (serializers.ChoiceField,), {}))
    return named(*field._args, **field._kwargs)


def _codes_field(label) -> serializers.ListField:
    return serializers.ListField(
        child=text_field(50), required=False, max_length=5000, label=label,
        error_messages={"not_a_list": gettext_lazy("Cần một danh sách mã đơn vị."),
                        "max_length": gettext_lazy("Tối đa {max_length} đơn vị.")},
    )  # fmt: skip


def units_named(units, codes: list[str]) -> list[Unit]:
    """The units of `units` with these codes, in the order given; a code none of them has
    (outside the user's sight or no unit at all) is named in the error."""
    found, missing = units_by_code(units, list(dict.fromkeys(c.strip() for c in codes if c.strip())))
    if missing:
        raise serializers.ValidationError(unknown_message(missing))
    return found


# --- Directives ------------------------------------------------------------------------


class DirectiveInput(InputSerializer):
    """A directive; its issuing unit among the units the user may edit."""

    kind = named_choice(DirectiveKind.choices, label=gettext_lazy("Loại văn bản"))
    number = text_field(50, label=gettext_lazy("Số, ký hiệu"))
    issued_on = date_field(label=gettext_lazy("Ngày ban hành"))
    issuing_unit = CodeField(queryset=Unit.objects.none(), not_found=UNIT_NOT_FOUND,
                             required=True, allow_null=False,
                             label=gettext_lazy("Cơ quan ban hành (mã)"))  # fmt: skip
    title = text_field(500, label=gettext_lazy("Trích yếu"))
    summary = text_field(LONG_TEXT, required=False, allow_blank=True, label=gettext_lazy("Tóm tắt"))
    implements = integer_field(required=False, allow_null=True, **ROW_ID,
                               label=gettext_lazy("Thực hiện văn bản (mã số)"))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            # A unit the user may not edit is "not found", as a code no unit has.
            self.fields["issuing_unit"].queryset = scope.restrict(Unit.objects.all(), self.user,
                                                                  scope.EDIT)  # fmt: skip

    def validate_implements(self, pk):
        if pk is None:
            return None
        found = visible_directives(self.user).filter(pk=pk).first()
        if found is None:
            raise serializers.ValidationError(_("Không tìm thấy văn bản này."))
        return found


class FileInput(serializers.Serializer):
    file = serializers.FileField(
        label=gettext_lazy("Tệp văn bản"), allow_empty_file=True, use_url=False,
        error_messages={"required": gettext_lazy("Hãy chọn tệp."),
                        "invalid": gettext_lazy("Hãy chọn tệp."),
                        "no_name": gettext_lazy("Tên tệp không hợp lệ."),
                        "max_length": gettext_lazy("Tên tệp không hợp lệ.")},
    )  # fmt: skip


# --- Tasks ---------------------------------------------------------------------------


class TaskInput(InputSerializer):
    """A task of the directive in the context: its parent among that directive's tasks the
    user may read, units among those the user may read, the leader among the people the
    user may read."""

    parent = integer_field(required=False, allow_null=True, **ROW_ID,
                           label=gettext_lazy("Mục cha (mã số nhiệm vụ)"))  # fmt: skip
    order = integer_field(required=False, min_value=1, max_value=2**31 - 1,
                          label=gettext_lazy("Thứ tự (mặc định: số tiếp theo)"))  # fmt: skip
    content = text_field(LONG_TEXT, label=gettext_lazy("Nội dung"))
    lead_unit = CodeField(queryset=Unit.objects.none(), not_found=UNIT_NOT_FOUND,
                          label=gettext_lazy("Đơn vị chủ trì (mã)"))  # fmt: skip
    coordinating_units = _codes_field(gettext_lazy("Đơn vị phối hợp (mã)"))
    leader = integer_field(required=False, allow_null=True, **ROW_ID,
                           label=gettext_lazy("Lãnh đạo phụ trách (mã số cán bộ)"))  # fmt: skip
    deliverable = choice_field(Deliverable.choices, required=False, label=gettext_lazy("Sản phẩm"))
    start_on = date_field(required=False, allow_null=True, label=gettext_lazy("Ngày bắt đầu"))
    working_days = integer_field(
        required=False, allow_null=True, min_value=1, max_value=MAX_WORKING_DAYS,
        label=gettext_lazy("Thời hạn (số ngày làm việc sau ngày bắt đầu)"),
    )  # fmt: skip
    deadline = date_field(required=False, allow_null=True, label=gettext_lazy("Thời hạn"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            self.fields["lead_unit"].queryset = visible_units(self.user)

    def validate_parent(self, pk):
        if pk is None:
            return None
        found = (Task.objects.filter(directive__in=visible_directives(self.user).values("pk"))
                 .select_related("directive").filter(pk=pk).first())  # fmt: skip
        if found is None:
            raise serializers.ValidationError(_("Không tìm thấy nhiệm vụ này."))
        return found

    def validate_coordinating_units(self, codes):
        return units_named(visible_units(self.user), codes)

    def validate_leader(self, pk):
        if pk is None:
            return None
        found = people_selectors.person_list(user=self.user).filter(pk=pk).first()
        if found is None:
            raise serializers.ValidationError(_("Không tìm thấy cán bộ này."))
        return found


class TaskUpdateInput(TaskInput):
    """A task's change: what is sent changes (PATCH), and a task is cancelled by a date
    and a reason (null and "" take the cancellation back)."""

    cancelled_on = date_field(required=False, allow_null=True, label=gettext_lazy("Ngày hủy"))
    cancel_reason = text_field(LONG_TEXT, required=False, allow_blank=True,
                               label=gettext_lazy("Lý do hủy"))  # fmt: skip


class AssignInput(InputSerializer):
    """Every unit of a level (and kind) in a unit's subtree or a monitoring group's, in
    force on a date (the task's start, else the directive's date)."""

    level = named_choice(UnitLevel.choices, label=gettext_lazy("Cấp đơn vị"))
    kind = named_choice(UnitKind.choices, required=False, allow_null=True,
                        label=gettext_lazy("Loại đơn vị"))  # fmt: skip
    unit = text_field(50, required=False, allow_blank=True,
                      label=gettext_lazy("Trong đơn vị (mã) và các đơn vị trực thuộc"))  # fmt: skip
    group = text_field(200, required=False, allow_blank=True,
                       label=gettext_lazy("Trong nhóm đơn vị theo dõi (tên hoặc mã số)"))  # fmt: skip
    on = date_field(required=False, allow_null=True,
                    label=gettext_lazy("Các đơn vị có tại ngày (mặc định: ngày bắt đầu)"))  # fmt: skip

    def validate(self, attrs):
        unit, group = attrs.pop("unit", "").strip(), attrs.pop("group", "").strip()
        if unit and group:
            raise serializers.ValidationError({"non_field_errors": [
                _("Chỉ chọn một trong hai: unit (đơn vị) hoặc group (nhóm).")]})  # fmt: skip
        if not unit and not group:
            raise serializers.ValidationError({"non_field_errors": [
                _("Hãy chọn unit (đơn vị) hoặc group (nhóm).")]})  # fmt: skip
        if unit:
            attrs["within"] = visible_units(self.user).filter(code=unit).first()
            if attrs["within"] is None:
                raise serializers.ValidationError({"unit": [UNIT_NOT_FOUND]})
        else:
            where = Q(name=group)
            if group.isascii() and group.isdigit() and len(group) <= 18:
                where |= Q(pk=int(group))
            attrs["group"] = groups_of(self.user).filter(where).order_by("pk").first()
            if attrs["group"] is None:
                raise serializers.ValidationError({"group": [_("Không tìm thấy nhóm này.")]})
        return attrs


class AssignedSerializer(serializers.Serializer):
    assigned = serializers.IntegerField(help_text=gettext_lazy("Số đơn vị vừa được giao."))
    total = serializers.IntegerField(help_text=gettext_lazy("Tổng số đơn vị được giao nhiệm vụ."))


# --- Monitoring groups -----------------------------------------------------------------


class GroupInput(InputSerializer):
    """A monitoring group (administrators only): units by code."""

    name = text_field(200, label=gettext_lazy("Tên nhóm"))
    owner = CodeField(queryset=Unit.objects.all(), not_found=UNIT_NOT_FOUND, required=True,
                      allow_null=False, label=gettext_lazy("Đơn vị theo dõi (mã)"))  # fmt: skip
    units = _codes_field(gettext_lazy("Các đơn vị của nhóm (mã)"))
    note = text_field(LONG_TEXT, required=False, allow_blank=True, label=gettext_lazy("Ghi chú"))

    def validate_units(self, codes):
        return units_named(Unit.objects.all(), codes)

    def validate(self, attrs):
        group: MonitoringGroup | None = self.context.get("group")
        if group is not None:  # a change: what is not sent stays
            attrs.setdefault("name", group.name)
            attrs.setdefault("owner", group.owner)
            attrs.setdefault("note", group.note)
            if "units" not in attrs:
                attrs["units"] = list(group.units.all())
        elif "units" not in attrs:
            attrs["units"] = []
        return attrs


# --- Hearings ------------------------------------------------------------------------


class SlotInput(InputSerializer):
    day = date_field(label=gettext_lazy("Ngày"))
    session = choice_field(HearingSlot.Session.choices, label=gettext_lazy("Buổi"))
    place = text_field(200, required=False, allow_blank=True, default="",
                       label=gettext_lazy("Địa điểm"))  # fmt: skip


class InviteInput(InputSerializer):
    units = _codes_field(gettext_lazy("Các đơn vị được làm việc trực tiếp (mã)"))

    def validate_units(self, codes):
        units = units_named(visible_units(self.user), codes)
        if not units:
            raise serializers.ValidationError(_("Hãy chọn ít nhất một đơn vị."))
        return units

    def validate(self, attrs):
        if "units" not in attrs:
            raise serializers.ValidationError({"units": [_("Hãy chọn ít nhất một đơn vị.")]})
        return attrs


class InvitedSerializer(serializers.Serializer):
    invited = serializers.IntegerField(help_text=gettext_lazy("Số đơn vị vừa được thêm."))
    total = serializers.IntegerField(help_text=gettext_lazy("Tổng số đơn vị được làm việc."))


class BookInput(InputSerializer):
    slot = integer_field(allow_null=True, **ROW_ID,
                         label=gettext_lazy("Buổi làm việc (mã số; null: trả lại buổi)"))  # fmt: skip

    def validate_slot(self, pk):
        if pk is None:
            return None
        found = HearingSlot.objects.filter(directive=self.context["invitation"].directive_id,
                                           pk=pk).first()  # fmt: skip
        if found is None:
            raise serializers.ValidationError(_("Không tìm thấy buổi làm việc này."))
        return found
