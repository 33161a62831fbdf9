"""Accent-free word search over a folded shadow column (see ADR 0003)."""

from django.db.models import QuerySet

from .vntext import fold

SHORT_WORD = 2


def match_words(
    queryset: QuerySet, field: str, text: str | None, *, padded: bool = False
) -> QuerySet:
    """Keep rows whose folded `field` contains every word of `text`, accents and case ignored.

    When `field` is padded with a space at both ends, a word of one or two
    letters must match a whole word ("le" finds Lê, not Lệnh): such
    a word has no trigram, so as a substring it could only be found by reading
    every row, and as a substring it means little anyway.
    """
    for word in fold(text).split():
        if padded and len(word) <= SHORT_WORD:
            word = f" {word} "
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset


def children_of_code(queryset: QuerySet, code: str) -> QuerySet:
    """Direct children, in a materialized-path tree, of the node with this code."""
    parent = queryset.model.objects.filter(code=code).only("path", "depth").first()
    if parent is None:
        return queryset.none()
    return queryset.filter(path__startswith=parent.path, depth=parent.depth + 1)
