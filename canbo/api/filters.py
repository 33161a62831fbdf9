"""The filter backend of the API: django-filter's, refusing what it would silently ignore."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions

#: What a yes/no filter accepts: true, false, or nothing ("unknown" is what the browsable
#: API's filter form sends for "no filter").
BOOLEAN_VALUES = {"true", "false", "", "unknown"}


class FilterBackend(DjangoFilterBackend):
    """A yes/no filter given anything but true or false is a 400, not "no filter".

    (Django's boolean widgets read an unknown value as "unknown", and "2" as yes, so
    `?current=maybe` would list everything, as if the client had asked nothing.)
    """

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is not None:
            errors = {
                name: [_("Giá trị phải là true hoặc false.")]
                for name, field in filterset.filters.items()
                if isinstance(field, django_filters.BooleanFilter)
                and str(filterset.data.get(name, "")).lower() not in BOOLEAN_VALUES
            }
            if errors:
                raise exceptions.ValidationError(errors)
        return super().filter_queryset(request, queryset, view)
