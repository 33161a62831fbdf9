"""One filter set for the people list page and the people API."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from canbo.organizations.models import PositionTitle, Unit

from . import selectors
from .choices import Degree, PoliticalTheory, Sex
from .models import Assignment, Ethnicity, Person
from .selectors import birth_date_bounds_for_age, current_assignments_q, person_search


class PersonFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Tìm kiếm"), method="filter_search")
    unit = django_filters.CharFilter(label=_("Đơn vị (gồm trực thuộc)"), method="filter_unit")
    sex = django_filters.ChoiceFilter(label=_("Giới tính"), choices=Sex.choices)
    # Bounded so that the birth-date arithmetic stays inside the calendar.
    age_min = django_filters.NumberFilter(
        label=_("Tuổi từ"), method="filter_age", min_value=0, max_value=150
    )
    age_max = django_filters.NumberFilter(
        label=_("Tuổi đến"), method="filter_age", min_value=0, max_value=150
    )
    ethnicity = django_filters.ModelChoiceFilter(
        label=_("Dân tộc"), queryset=Ethnicity.objects.all(), to_field_name="code"
    )
    minority = django_filters.BooleanFilter(
        label=_("Dân tộc thiểu số"), field_name="ethnicity__is_minority"
    )
    degree = django_filters.TypedChoiceFilter(
        label=_("Trình độ chuyên môn"),
        field_name="professional_degree",
        choices=Degree.choices,
        coerce=int,
    )
    political_theory = django_filters.TypedChoiceFilter(
        label=_("Lý luận chính trị"), choices=PoliticalTheory.choices, coerce=int
    )
    position_title = django_filters.ModelChoiceFilter(
        label=_("Chức danh hiện giữ"),
        queryset=PositionTitle.objects.all(),
        to_field_name="code",
        method="filter_position_title",
    )
    is_local = django_filters.BooleanFilter(label=_("Người địa phương"))

    class Meta:
        model = Person
        fields = ["search", "unit", "sex", "age_min", "age_max", "ethnicity", "minority", "degree",
                  "political_theory", "position_title", "is_local"]  # fmt: skip

    def filter_search(self, queryset, name, value):
        return person_search(queryset, value) if value else queryset

    def filter_unit(self, queryset, name, value):
        if not value:
            return queryset
        unit = Unit.objects.filter(code=value).only("path").first()
        # ASCII digits only, and no longer than a bigint: "²" and huge numbers are no id.
        if unit is None and str(value).isascii() and str(value).isdigit() and len(value) < 19:
            unit = Unit.objects.filter(pk=int(value)).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)

    def filter_age(self, queryset, name, value):
        # Both bounds are applied once, from the cleaned data.
        if name != "age_min" and self.form.cleaned_data.get("age_min") is not None:
            return queryset
        age_min = self.form.cleaned_data.get("age_min")
        age_max = self.form.cleaned_data.get("age_max")
        earliest, latest = birth_date_bounds_for_age(
            int(age_min) if age_min is not None else None,
            int(age_max) if age_max is not None else None,
            selectors.today(),
        )
        if latest is not None:
            queryset = queryset.filter(birth_date__lte=latest)
        if earliest is not None:
            queryset = queryset.filter(birth_date__gte=earliest)
        return queryset

    @extend_schema_field(OpenApiTypes.STR)  # the title's code (to_field_name)
    def filter_position_title(self, queryset, name, value):
        if not value:
            return queryset
        holds = Assignment.objects.filter(
            current_assignments_q(selectors.today()), person=OuterRef("pk"), position__title=value
        )
        return queryset.filter(Exists(holds))
