"""The "local or not" rule judged per post inside SQL (ADR 0013, ADR 0015).

The same rule as `locality.is_local_to_post`: the holder is local when their hometown,
what it became or what it came from lies inside the area the post's unit governs (its
own area, else its nearest ancestor's) or an area that one became. Written as an
annotation over any queryset that reaches a person's hometown and a unit, it judges any
number of rows in the statement that reads them, through the stored lineage
(`AreaLineage`: each area, what it became, what it came from, with their paths).
"""

from __future__ import annotations

from functools import lru_cache

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr

from .models import AreaLineage, Unit


class Under(Func):
    """True when the tree path `path` lies under the tree path `top` (or is it):
    `path LIKE top || '%'`. Tree paths hold only 0-9 and A-Z, so nothing needs escaping
    (Django's `startswith` against a column wraps it in three REPLACE calls per row)."""

    arity = 2
    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        path, top = self.get_source_expressions()
        path_sql, path_params = compiler.compile(path)
        top_sql, top_params = compiler.compile(top)
        return f"({path_sql} LIKE {top_sql} || '%%')", (*path_params, *top_params)


def governed_area(unit: str, outer: bool = False):
    """The id of the area governed by the unit at field path `unit` ("position__unit"):
    its own, else its nearest ancestor's (the ancestors are read only for a unit without
    an area of its own)."""
    ref = (lambda name: OuterRef(OuterRef(name))) if outer else OuterRef
    path = ExpressionWrapper(ref(f"{unit}__path"), output_field=CharField())
    ancestors = (
        Unit.objects.filter(area__isnull=False, path__gte=Substr(path, 1, Unit.steplen),
                            path__lt=path)  # fmt: skip
        .filter(Under(path, F("path")))
        .order_by("-depth")
        .values("area_id")[:1]
    )
    own = OuterRef(f"{unit}__area_id") if outer else F(f"{unit}__area_id")
    return Coalesce(own, Subquery(ancestors), output_field=BigIntegerField())


def with_local_to_post(qs: QuerySet, *, hometown: str, unit: str, name: str = "local") -> QuerySet:
    """`qs` annotated with `name`: True (local), False (not local), or None when the
    hometown (field path `hometown`, an Area id) or the governed area is not recorded.
    `unit` is the field path of the post's unit."""
    return qs.annotate(**{name: local_to_post(hometown, unit)})


@lru_cache(maxsize=16)
def local_to_post(hometown: str, unit: str) -> Case:
    """The expression `with_local_to_post` annotates (built once per pair of field paths:
    its subqueries depend on nothing else, and building them costs more than running them).

    The governed area's lineage rows are read in one scalar subquery: true when one of
    them holds a path of the hometown's lineage, NULL when there are none (no governed
    area), so that the statement names the governed area once."""
    hometown_lineage = AreaLineage.objects.filter(
        Under(F("path"), OuterRef("path")), area_id=OuterRef(OuterRef(hometown))
    )
    judged = (
        AreaLineage.objects.filter(area_id=governed_area(unit, outer=True), later=True)
        .annotate(found=Case(When(Exists(hometown_lineage), then=Value(True)), default=Value(False),
                             output_field=BooleanField()))  # fmt: skip
        .order_by("-found")
        .values("found")[:1]
    )
    return Case(
        When(Q(**{f"{hometown}__isnull": True}), then=Value(None)),
        default=Subquery(judged),
        output_field=BooleanField(null=True),
    )
