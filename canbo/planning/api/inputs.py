"""What the planning API accepts: plans, entries, reviews, transitions and what-if proposals.

People are named by personal ID number through `people.selectors.person_for_planning`
(see the package's docstring)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers

from canbo.api.fields import (
    CleanTextInput,
    CodeField,
    choice_field,
    date_field,
    integer_field,
    text_field,
)
from canbo.core import scope
from canbo.core.dates import year_span
from canbo.organizations.choices import TermBody
from canbo.organizations.models import Position, Term, Unit
from canbo.organizations.selectors import position_list, unit_list
from canbo.people import selectors as people_selectors
from canbo.people.models import Person

from .. import selectors
from ..choices import EntrySource, RemovalReason
from .serializers import NO_POSITION, ROW_ID, validate_term


class InputSerializer(CleanTextInput, serializers.Serializer):
    """Refuses text no database can store (NUL bytes) before any lookup runs."""

    @property
    def user(self):
        return self.context["request"].user


class PersonField(serializers.CharField):
    """A person named by personal ID number, for the plan of the context (`person_for_planning`)."""

    default_error_messages = {
        "not_found": gettext_lazy("Không có cán bộ với số định danh cá nhân này."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 50)
        kwargs.setdefault("label", gettext_lazy("Số định danh cá nhân"))
        super().__init__(**kwargs)

    def find(self, user, id_number: str) -> Person | None:
        """The person `user` may name by this number here, or None (a subclass may say
        otherwise: the appointment cases name only people the user sees)."""
        return people_selectors.person_for_planning(
            user=user, id_number=id_number, plan=self.context["plan"]
        )

    def run_validation(self, data=serializers.empty) -> Person:
        id_number = super().run_validation(data).strip()
        try:
            person = self.find(self.context["request"].user, id_number)
        except people_selectors.LookupThrottled as throttled:
            raise exceptions.Throttled(wait=throttled.wait) from None
        if person is None:
            self.fail("not_found")
        return person


class PositionInput(InputSerializer):
    """A position by id, or by unit code and title code, among those the user may see."""

    position = integer_field(required=False, allow_null=True, **ROW_ID,
                             label=gettext_lazy("Chức danh (mã số)"))  # fmt: skip
    unit = text_field(50, required=False, allow_blank=True, label=gettext_lazy("Đơn vị (mã)"))
    title = text_field(50, required=False, allow_blank=True,
                       label=gettext_lazy("Chức danh (mã loại chức danh)"))  # fmt: skip

    def validate(self, attrs):
        attrs = super().validate(attrs)
        pk, unit, title = attrs.pop("position", None), attrs.pop("unit", ""), attrs.pop("title", "")
        positions = position_list(user=self.user)
        if pk is not None:
            found = positions.filter(pk=pk).first()
        elif unit.strip() and title.strip():
            found = positions.filter(unit__code=unit.strip(), title__code=title.strip()).first()
        else:
            raise serializers.ValidationError(
                {"position": [_("Hãy chọn chức danh: mã số, hoặc mã đơn vị và mã chức danh.")]}
            )
        if found is None:
            raise serializers.ValidationError({"position": [NO_POSITION]})
        attrs["position"] = found
        return attrs


class EntryAddSerializer(PositionInput):
    person = PersonField()
    source = choice_field(EntrySource.choices, required=False, default=EntrySource.INSIDE)
    added_on = date_field(required=False, allow_null=True,
                          label=gettext_lazy("Ngày đưa vào quy hoạch"))  # fmt: skip
    added_decision = text_field(200, required=False, allow_blank=True, default="")
    first_time = serializers.BooleanField(required=False, default=False)


class ReviewAdditionSerializer(PositionInput):
    person = PersonField()
    source = choice_field(EntrySource.choices, required=False, default=EntrySource.INSIDE)
    added_decision = text_field(200, required=False, allow_blank=True, default="")
    first_time = serializers.BooleanField(required=False, default=False)


class ReviewRemovalSerializer(InputSerializer):
    entry = integer_field(**ROW_ID, label=gettext_lazy("Mục quy hoạch (mã số)"))
    removal_reason = choice_field(RemovalReason.choices, label=gettext_lazy("Lý do đưa ra"))
    removal_note = text_field(1000, required=False, allow_blank=True, default="")


class ReviewCreateSerializer(InputSerializer):
    reviewed_on = date_field(label=gettext_lazy("Ngày rà soát"))
    decision_number = text_field(100, required=False, allow_blank=True, default="")
    note = text_field(5000, required=False, allow_blank=True, default="")
    additions = ReviewAdditionSerializer(many=True, required=False, default=list)
    removals = ReviewRemovalSerializer(many=True, required=False, default=list)


class EntryRemoveSerializer(InputSerializer):
    removal_reason = choice_field(RemovalReason.choices, label=gettext_lazy("Lý do đưa ra"))
    removal_note = text_field(1000, required=False, allow_blank=True, default="")
    removed_on = date_field(required=False, allow_null=True,
                            label=gettext_lazy("Ngày đưa ra khỏi quy hoạch"))  # fmt: skip


class PlanCreateSerializer(InputSerializer):
    planning_unit = CodeField(
        queryset=Unit.objects.all(),
        not_found=gettext_lazy("Không có đơn vị với mã này."),
        required=True,
        allow_null=False,
        label=gettext_lazy("Đơn vị lập quy hoạch (mã)"),
    )
    term = text_field(20, label=gettext_lazy("Nhiệm kỳ quy hoạch (YYYY-YYYY)"))
    term_body = choice_field(TermBody.choices, required=False, default=TermBody.PARTY)
    name = text_field(300, required=False, allow_blank=True, default="")
    min_minority_share = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False,
        allow_null=True, default=None,
    )  # fmt: skip
    positions = serializers.ListField(
        child=integer_field(**ROW_ID), required=False, default=list,
        label=gettext_lazy("Chức danh quy hoạch (mã số)"),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            # A unit the user may not edit is "not found", as a code no unit has.
            self.fields["planning_unit"].queryset = unit_list(user=self.user, action=scope.EDIT)

    def validate_term(self, value: str) -> str:
        validate_term(value)
        return value

    def validate_positions(self, ids: list[int]) -> list[Position]:
        found = {p.pk: p for p in position_list(user=self.user).filter(pk__in=ids)}
        missing = [pk for pk in dict.fromkeys(ids) if pk not in found]
        if missing:
            raise serializers.ValidationError(
                _("Không có chức danh mã số %(ids)s.") % {"ids": ", ".join(map(str, missing))}
            )
        return [found[pk] for pk in dict.fromkeys(ids)]

    def validate(self, attrs):
        start, end = year_span(attrs["term"])
        body = attrs.pop("term_body")
        term = Term.objects.filter(body=body, start_date__year=start, end_date__year=end).first()
        if term is None:
            raise serializers.ValidationError(
                {"term": [_("Không có nhiệm kỳ %(start)d–%(end)d.") % {"start": start, "end": end}]}
            )
        attrs["term"] = term
        return attrs


class ApproveSerializer(InputSerializer):
    approver_unit = CodeField(
        queryset=Unit.objects.all(),
        not_found=gettext_lazy("Không có đơn vị với mã này."),
        required=True,
        allow_null=False,
        label=gettext_lazy("Cấp phê duyệt (mã đơn vị)"),
    )
    # Left to the service when missing: its messages name what is expected.
    decision_number = text_field(100, required=False, allow_blank=True, default="")
    decision_date = date_field(required=False, allow_null=True, default=None)
    approved_on = date_field(required=False, allow_null=True, default=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.context.get("plan") is not None:
            # The plan's unit or one above it; any other code is "not found".
            self.fields["approver_unit"].queryset = selectors.approver_units(self.context["plan"])


class PublishSerializer(InputSerializer):
    published_on = date_field(required=False, allow_null=True, default=None)


class ReopenSerializer(InputSerializer):
    reason = text_field(2000, required=False, allow_blank=True, default="",
                        label=gettext_lazy("Lý do đưa về dự thảo"))  # fmt: skip


class WhatIfAdditionSerializer(PositionInput):
    person = PersonField()
    first_time = serializers.BooleanField(required=False, default=False)


class WhatIfRemovalSerializer(InputSerializer):
    entry = integer_field(**ROW_ID, label=gettext_lazy("Mục quy hoạch (mã số)"))
    removal_reason = choice_field(RemovalReason.choices, required=False, allow_blank=True,
                                  default="")  # fmt: skip


class WhatIfSerializer(InputSerializer):
    as_of = date_field(required=False, allow_null=True, default=None)
    additions = WhatIfAdditionSerializer(many=True, required=False, default=list)
    removals = WhatIfRemovalSerializer(many=True, required=False, default=list)


# --- Helpers -------------------------------------------------------------------
