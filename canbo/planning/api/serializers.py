"""The planning API's query parameters, filters and answers (read serializers)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.settings import api_settings

from canbo.api.fields import (
    date_field,
)
from canbo.core.dates import year_span
from canbo.organizations.models import Term, Unit
from canbo.people import selectors as people_selectors
from canbo.rules.choices import Severity
from canbo.rules.ruleset import RuleSetData
from canbo.rules.sample import UnusableRuleSet
from canbo.rules.selectors import NoRuleSetInForce, rule_set_in_force

from .. import selectors
from ..choices import PlanStatus
from ..models import Plan, PlanEntry, PlanPosition, PlanReview, PlanTransition

BAD_TERM = gettext_lazy("Nhiệm kỳ không hợp lệ; hãy viết YYYY-YYYY, ví dụ 2030-2035.")
NO_POSITION = gettext_lazy("Không có chức danh này.")
#: Ids as databases store them: a larger number names no row (and SQLite cannot bind it).
ROW_ID = {"min_value": 1, "max_value": 2**63 - 1}
RACE = gettext_lazy("Dữ liệu vừa được thay đổi cùng lúc; hãy thử lại.")


def validate_term(text: str) -> None:
    if year_span(text) is None:
        raise DjangoValidationError(BAD_TERM)


def term_label(term: Term) -> str:
    """The term as the findings name it (`PlanFacts.term_label`): 2030–2035."""
    return f"{term.start_date.year}–{term.end_date.year}"


# --- Query parameters ----------------------------------------------------------

AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description=gettext_lazy("Ngày xét (YYYY-MM-DD hoặc dd/mm/yyyy); mặc định hôm nay."),
)


class AsOfSerializer(serializers.Serializer):
    as_of = date_field(required=False, allow_null=True)


def as_of_of(request) -> dt.date:
    params = AsOfSerializer(data={"as_of": request.query_params.get("as_of") or None})
    params.is_valid(raise_exception=True)
    return params.validated_data["as_of"] or people_selectors.today()


def rule_set_on(on: dt.date) -> RuleSetData:
    try:
        return rule_set_in_force(on)
    except UnusableRuleSet as exc:
        raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [str(exc)]}) from None
    except NoRuleSetInForce as exc:
        raise serializers.ValidationError({"as_of": [str(exc)]}) from None


class PlanFilterSet(django_filters.FilterSet):
    unit = django_filters.CharFilter(
        label=gettext_lazy("Đơn vị lập quy hoạch (mã), kể cả các đơn vị cấp dưới"),
        method="filter_unit",
    )
    term = django_filters.CharFilter(
        label=gettext_lazy("Nhiệm kỳ quy hoạch (YYYY-YYYY)"),
        method="filter_term",
        validators=[validate_term],
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Trạng thái"), choices=PlanStatus.choices
    )

    class Meta:
        model = Plan
        fields = ["unit", "term", "status"]

    def filter_unit(self, queryset, name, value):
        unit = Unit.objects.filter(code=value.strip()).only("path").first()
        if unit is None:
            return queryset.none()
        return selectors.plans_of(queryset, unit=unit)

    def filter_term(self, queryset, name, value):
        return selectors.plans_of(queryset, years=year_span(value))


# --- Reading -------------------------------------------------------------------


def list_of(serializer_class):
    """Documents a SerializerMethodField that returns a list of `serializer_class`."""
    return extend_schema_field(serializer_class(many=True))


class PlanSerializer(serializers.ModelSerializer):
    planning_unit = serializers.SlugRelatedField(
        read_only=True, slug_field="code", label=gettext_lazy("Đơn vị lập quy hoạch (mã)")
    )
    planning_unit_name = serializers.CharField(source="planning_unit.name", read_only=True)
    term = serializers.SerializerMethodField(label=gettext_lazy("Nhiệm kỳ"))
    term_body = serializers.CharField(source="term.body", read_only=True)
    term_start = serializers.DateField(source="term.start_date", read_only=True)
    term_end = serializers.DateField(source="term.end_date", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    approver_unit = serializers.SlugRelatedField(
        read_only=True, slug_field="code", label=gettext_lazy("Cấp phê duyệt (mã)")
    )

    class Meta:
        model = Plan
        fields = ["id", "name", "planning_unit", "planning_unit_name", "term", "term_body",
                  "term_start", "term_end", "status", "status_label", "approver_unit",
                  "decision_number", "decision_date", "approved_on", "published_on",
                  "min_minority_share"]  # fmt: skip
        read_only_fields = fields

    def get_term(self, obj) -> str:
        return term_label(obj.term)


class PlanEntrySerializer(serializers.ModelSerializer):
    person = serializers.CharField(
        source="person.id_number", read_only=True, label=gettext_lazy("Số định danh cá nhân")
    )
    full_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = PlanEntry
        fields = ["id", "plan", "person", "full_name", "position", "source", "added_on",
                  "added_decision", "first_time", "removed_on", "removal_reason", "removal_note",
                  "added_in_review", "removed_in_review"]  # fmt: skip
        read_only_fields = fields


class CoveredPositionSerializer(serializers.Serializer):
    """A position the plan covers, with its active successors."""

    id = serializers.IntegerField()
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    title = serializers.CharField(source="title.code")
    title_name = serializers.CharField(source="title.name")
    seats = serializers.IntegerField()
    entries = PlanEntrySerializer(many=True, source="active_entries")


class PlanTransitionSerializer(serializers.ModelSerializer):
    # Plain strings: the plan's `status` already documents the choices once (one enum name).
    from_status = serializers.CharField(
        read_only=True, help_text=gettext_lazy("Trạng thái trước; rỗng khi lập quy hoạch.")
    )
    to_status = serializers.CharField(read_only=True)
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = PlanTransition
        fields = ["from_status", "to_status", "at", "actor", "reason", "decision_number",
                  "decision_date"]  # fmt: skip
        read_only_fields = fields


class PlanDetailSerializer(PlanSerializer):
    """A plan with its covered positions and their active entries, removals and history."""

    positions = serializers.SerializerMethodField()
    removed_entries = serializers.SerializerMethodField(
        help_text=gettext_lazy("Những người đã được đưa ra khỏi quy hoạch (giữ làm lịch sử).")
    )
    transitions = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "positions", "removed_entries", "transitions"]
        read_only_fields = fields

    def _entries(self, plan) -> list[PlanEntry]:
        cached = getattr(plan, "_api_entries", None)
        if cached is None:
            cached = plan._api_entries = list(
                plan.entries.select_related("person").order_by("added_on", "id")
            )
        return cached

    @list_of(CoveredPositionSerializer)
    def get_positions(self, plan) -> list:
        covered = [
            row.position
            for row in PlanPosition.objects.filter(plan=plan)
            .select_related("position__unit", "position__title")
            .order_by("position__unit__path", "-position__title__rank", "position_id")
        ]
        by_position: dict[int, list[PlanEntry]] = {}
        for entry in self._entries(plan):
            if entry.removed_on is None:
                by_position.setdefault(entry.position_id, []).append(entry)
        for position in covered:
            position.active_entries = by_position.get(position.pk, [])
        return CoveredPositionSerializer(covered, many=True).data

    @list_of(PlanEntrySerializer)
    def get_removed_entries(self, plan) -> list:
        removed = sorted(
            (e for e in self._entries(plan) if e.removed_on is not None),
            key=lambda e: (e.removed_on, e.pk),
        )
        return PlanEntrySerializer(removed, many=True).data

    @list_of(PlanTransitionSerializer)
    def get_transitions(self, plan) -> list:
        rows = plan.transitions.select_related("actor").order_by("at", "id")
        return PlanTransitionSerializer(rows, many=True).data


class PlanReviewSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)
    added_entries = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    removed_entries = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = PlanReview
        fields = ["id", "reviewed_on", "decision_number", "note", "before", "after",
                  "added_entries", "removed_entries", "actor", "created_at"]  # fmt: skip
        read_only_fields = fields


class FindingPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    term = serializers.CharField()


class FindingPositionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class FindingSerializer(serializers.Serializer):
    """Documents `serialize.finding_dict` (the shape of `canbo check-planning --format json`)."""

    rule = serializers.CharField()
    severity = serializers.ChoiceField(choices=Severity.choices)
    citation = serializers.CharField()
    message = serializers.CharField()
    reason = serializers.CharField()
    plan = FindingPlanSerializer(allow_null=True)
    position = FindingPositionSerializer(allow_null=True)
    person = serializers.CharField(allow_null=True, help_text=gettext_lazy("Số định danh cá nhân"))
    figures = serializers.DictField()


class WhatIfResultSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    rule_set = serializers.CharField()
    before = FindingSerializer(many=True)
    after = FindingSerializer(many=True)
    new = FindingSerializer(many=True)
    resolved = FindingSerializer(many=True)


class CountSerializer(serializers.Serializer):
    code = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    people = serializers.IntegerField()


def _decimal(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=None, decimal_places=2, allow_null=True, **kwargs)


class FiguresSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    positions = serializers.IntegerField()
    planned = serializers.IntegerField()
    coefficient = _decimal()
    women = serializers.IntegerField()
    women_share = _decimal()
    young_under = serializers.IntegerField(allow_null=True)
    young = serializers.IntegerField(allow_null=True)
    young_share = _decimal()
    minority = serializers.IntegerField()
    minority_share = _decimal()
    age_brackets = serializers.ListField(child=serializers.IntegerField(), allow_null=True)
    by_degree = CountSerializer(many=True)
    by_political_theory = CountSerializer(many=True)
    positions_without_successor = serializers.IntegerField()
    positions_with_one_successor = serializers.IntegerField()
    positions_with_two_or_more = serializers.IntegerField()


class HolderSerializer(serializers.Serializer):
    person = serializers.CharField(source="id_number")
    full_name = serializers.CharField()
    retirement_date = serializers.DateField()
    months_left_at_term_start = serializers.IntegerField()
    retires_before_term = serializers.BooleanField()
    terms_at_term_start = serializers.IntegerField(allow_null=True)
    term_limit_reached = serializers.BooleanField()


class SuccessorSerializer(serializers.Serializer):
    person = serializers.CharField()
    full_name = serializers.CharField()
    eligible = serializers.BooleanField()


class PositionBenchSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    name = serializers.CharField()
    seats = serializers.IntegerField()
    term_start = serializers.DateField()
    holders = HolderSerializer(many=True)
    vacancy_expected = serializers.BooleanField()
    successors = SuccessorSerializer(many=True)
    eligible = serializers.IntegerField()
    at_risk = serializers.BooleanField()


class BenchSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    positions = PositionBenchSerializer(many=True)


# --- Writing: input ------------------------------------------------------------
