"""Counting many subtrees at once: one grouped statement per distinct depth of the roots.

A form counts rows whose unit lies in a root's subtree; each row carries its root's
path prefix (`root`), so the units of a level (the communes of a province, say) are
counted in one statement whatever their number. With no roots (`None`) everything is
one group, keyed None.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Substr


def by_root(qs: QuerySet, path: str, roots: list | None) -> Iterator[tuple[QuerySet, dict]]:
    """`qs` annotated with `root` (the prefix of `path` naming a root) and limited to the
    roots' subtrees, once per distinct depth, with the map prefix → root pk."""
    if roots is None:
        yield qs.annotate(root=Value("", output_field=CharField())), {"": None}
        return
    by_length: dict[int, dict[str, int]] = {}
    for unit in roots:
        by_length.setdefault(len(unit.path), {})[unit.path] = unit.pk
    for length, pk_of in sorted(by_length.items()):
        narrowed = qs
        if len(pk_of) == 1:  # one subtree: let the path index find it
            narrowed = qs.filter(**{f"{path}__startswith": next(iter(pk_of))})
        yield (narrowed.annotate(root=Substr(path, 1, length)).filter(root__in=list(pk_of)),
               pk_of)  # fmt: skip
