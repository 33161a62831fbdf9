"""A django-filter FilterSet whose filters are copied cheaply for each request.

django-filter deep-copies every filter of the class for each filter set it makes (a
filter's choices, querysets and lazily translated labels with it): about a millisecond
for the people list's fifteen filters, on each page and each live-search request
(issue 18). A filter set only changes three things on its own filters: their `model`,
their `parent` (the filter set whose `filter_<name>` methods they call) and the form
field each makes once (`_field`). A shallow copy of each filter, its method bound to
the copy, is enough for that; the class's filters are left as they were.
"""

from __future__ import annotations

import copy

import django_filters


def filter_copy(base: django_filters.Filter) -> django_filters.Filter:
    """A copy of `base` that a filter set may own: its own attributes, the rest shared."""
    clone = copy.copy(base)
    if clone.method is not None:
        clone.method = clone.method  # the setter binds a new FilterMethod to the clone
    return clone


class LightFilterSet(django_filters.FilterSet):
    """A FilterSet whose per-request filters are shallow copies (`filter_copy`)."""

    def __init__(self, *args, **kwargs):
        # django-filter deep-copies `self.base_filters`: an empty one, for a moment.
        self.base_filters = {}
        try:
            super().__init__(*args, **kwargs)
        finally:
            del self.base_filters
        self.filters = {name: filter_copy(base) for name, base in self.base_filters.items()}
        model = self.queryset.model
        for filter_ in self.filters.values():
            filter_.model = model
            filter_.parent = self
