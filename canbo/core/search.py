"""Accent-free word search over a folded shadow column (see ADR 0003)."""

from django.db.models import QuerySet

from .vntext import fold


def match_words(queryset: QuerySet, field: str, text: str | None) -> QuerySet:
    """Keep rows whose folded `field` contains every word of `text`, accents and case ignored."""
    for word in fold(text).split():
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset


def children_of_code(queryset: QuerySet, code: str) -> QuerySet:
    """Direct children, in a materialized-path tree, of the node with this code."""
    parent = queryset.model.objects.filter(code=code).only("path", "depth").first()
    if parent is None:
        return queryset.none()
    return queryset.filter(path__startswith=parent.path, depth=parent.depth + 1)
