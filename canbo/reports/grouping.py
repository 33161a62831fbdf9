"""Counting many subtrees at once: one grouped statement per distinct depth of the roots.

A form counts rows whose unit lies in a root's subtree; each row carries its root's
path prefix (`root`), so the units of a level (the communes of a province, say) are
counted in one statement whatever their number. With no roots (`None`) everything is
one group, keyed None.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Substr

from canbo.organizations.models import Unit

STEPLEN = Unit.steplen


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
        paths = sorted(pk_of)
        if len(paths) == 1:  # one subtree: the path index finds it, the root is a constant
            yield (qs.filter(**{f"{path}__startswith": paths[0]})
                   .annotate(root=Value(paths[0], output_field=CharField())), pk_of)  # fmt: skip
            continue
        # Several: their common ancestor narrows the rows through the path index first.
        common = os.path.commonprefix(paths)
        common = common[: len(common) - len(common) % STEPLEN]
        narrowed = qs.filter(**{f"{path}__startswith": common}) if common else qs
        yield (narrowed.annotate(root=Substr(path, 1, length)).filter(root__in=paths),
               pk_of)  # fmt: skip
