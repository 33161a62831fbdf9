"""REST API for administrative areas, units and positions (read-only).

Areas are public reference data for every signed-in user; units and positions
are read through the scoped selectors, so records outside the user's scope
are never listed and answer 404 on detail.
"""

from __future__ import annotations

import django_filters
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets

from canbo.api.pagination import Pagination
from canbo.api.permissions import READ_ONLY
from canbo.core.search import children_of_code, match_words

from . import staffing
from .choices import AreaKind, AreaLevel, UnitKind, UnitLevel
from .models import Area, Position, Unit
from .selectors import area_list, position_list, unit_list, units_on


def parent_code(model) -> Subquery:
    """The parent's code as a correlated subquery on the materialized path (no N+1)."""
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Value(model.steplen))
    return Subquery(model.objects.filter(path=parent_path).order_by().values("code")[:1])


# --- Areas -----------------------------------------------------------------


class AreaFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Tìm theo tên"), method="filter_search")
    current = django_filters.BooleanFilter(label=_("Còn hiệu lực"), method="filter_current")
    level = django_filters.TypedChoiceFilter(label=_("Cấp"), choices=AreaLevel.choices, coerce=int)
    kind = django_filters.ChoiceFilter(label=_("Loại"), choices=AreaKind.choices)
    parent = django_filters.CharFilter(label=_("Trực thuộc (mã)"), method="filter_parent")

    class Meta:
        model = Area
        fields = ["search", "current", "level", "kind", "parent"]

    def filter_search(self, queryset, name, value):
        return match_words(queryset, "name_folded", value)

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(valid_to__isnull=value)

    def filter_parent(self, queryset, name, value):
        return children_of_code(queryset, value)


class AreaSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(
        source="parent_code", read_only=True, allow_null=True, label=_("Trực thuộc (mã)")
    )
    successors = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code", label=_("Kế thừa bởi (mã)")
    )

    class Meta:
        model = Area
        fields = ["code", "official_code", "name", "kind", "level", "parent", "valid_from",
                  "valid_to", "successors"]  # fmt: skip
        read_only_fields = fields


class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    """Administrative areas (provinces, pre-2025 districts, communes), current and abolished."""

    serializer_class = AreaSerializer
    filterset_class = AreaFilterSet
    pagination_class = Pagination
    permission_classes = READ_ONLY
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self) -> QuerySet[Area]:
        return area_list().annotate(parent_code=parent_code(Area)).prefetch_related("successors")


# --- Units -----------------------------------------------------------------


class UnitFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Tìm theo tên"), method="filter_search")
    current = django_filters.BooleanFilter(label=_("Còn hiệu lực"), method="filter_current")
    kind = django_filters.ChoiceFilter(label=_("Loại đơn vị"), choices=UnitKind.choices)
    level = django_filters.ChoiceFilter(label=_("Cấp"), choices=UnitLevel.choices)
    parent = django_filters.CharFilter(label=_("Trực thuộc (mã)"), method="filter_parent")

    class Meta:
        model = Unit
        fields = ["search", "current", "kind", "level", "parent"]

    def filter_search(self, queryset, name, value):
        return match_words(queryset, "name_folded", value)

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        on = staffing.people().today()
        if value:
            return units_on(queryset, on)
        return queryset.filter(Q(valid_from__gt=on) | Q(valid_to__lt=on))

    def filter_parent(self, queryset, name, value):
        return children_of_code(queryset, value)


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(
        source="parent_code", read_only=True, allow_null=True, label=_("Trực thuộc (mã)")
    )
    area = serializers.SlugRelatedField(read_only=True, slug_field="code", label=_("Địa bàn (mã)"))

    class Meta:
        model = Unit
        fields = ["code", "name", "short_name", "kind", "level", "parent", "area",
                  "is_difficult_area", "valid_from", "valid_to"]  # fmt: skip
        read_only_fields = fields


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Units (party committees, people's committees, agencies…) within the user's scope."""

    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    pagination_class = Pagination
    permission_classes = READ_ONLY
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self) -> QuerySet[Unit]:
        if getattr(self, "swagger_fake_view", False):
            return Unit.objects.none()
        return unit_list(user=self.request.user).annotate(parent_code=parent_code(Unit))


# --- Positions -------------------------------------------------------------


class PositionFilterSet(django_filters.FilterSet):
    unit = django_filters.CharFilter(label=_("Đơn vị (mã)"), field_name="unit__code")
    title = django_filters.CharFilter(label=_("Chức danh (mã)"), field_name="title__code")

    class Meta:
        model = Position
        fields = ["unit", "title"]


class PositionSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(read_only=True, slug_field="code", label=_("Đơn vị (mã)"))
    unit_name = serializers.CharField(source="unit.name", read_only=True, label=_("Tên đơn vị"))
    title = serializers.SlugRelatedField(
        read_only=True, slug_field="code", label=_("Chức danh (mã)")
    )
    title_name = serializers.CharField(
        source="title.name", read_only=True, label=_("Tên chức danh")
    )
    holders = serializers.IntegerField(read_only=True, label=_("Số người đang giữ"))

    class Meta:
        model = Position
        fields = ["id", "unit", "unit_name", "title", "title_name", "seats", "holders"]
        read_only_fields = fields


class PositionViewSet(viewsets.ReadOnlyModelViewSet):
    """Seats (a title in a unit) within the user's scope, with how many people hold each today."""

    serializer_class = PositionSerializer
    filterset_class = PositionFilterSet
    pagination_class = Pagination
    permission_classes = READ_ONLY

    def get_queryset(self) -> QuerySet[Position]:
        if getattr(self, "swagger_fake_view", False):
            return Position.objects.none()
        people = staffing.people()
        holding = people.held_on_q(people.today(), prefix="assignments__")
        return position_list(user=self.request.user).annotate(
            holders=Count("assignments__person", filter=holding, distinct=True)
        )
