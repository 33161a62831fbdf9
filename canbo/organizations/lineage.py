"""The merger lineage of every area, kept beside the links and the tree it comes from.

`AreaLineage` holds, for each area, a row for itself and one for every area reached from
it by following merger links (`AreaSuccession`) forward (`later`) or backward,
transitively, each with that area's tree path. "Local or not" looks both ways (ADR 0013);
with the closure and the paths stored, one SQL statement judges any number of posts
(`locality_sql`, ADR 0015).

Kept in step by: the receivers below (a link saved, deleted or added through
`Area.successors`: rebuilt whole; an area created: its own row added), and explicitly by
the bulk writers, which bypass signals (the area loader, the data-package import).
`is_current` says whether the stored rows are what `rebuild` would write.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


def closure(links: Iterable[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """(area, relative, later) for every area reached from an area of `links`
    ((predecessor, successor) pairs) forward (later=True) or backward, transitively."""
    forward: dict[int, list[int]] = {}
    backward: dict[int, list[int]] = {}
    for pred, succ in links:
        forward.setdefault(pred, []).append(succ)
        backward.setdefault(succ, []).append(pred)
    rows = []
    for later, step in ((True, forward), (False, backward)):
        for start in sorted(step):
            seen, frontier = {start}, [start]
            while frontier:
                frontier = [n for pk in frontier for n in step.get(pk, ()) if n not in seen]
                seen.update(frontier)
            rows.extend((start, relative, later) for relative in sorted(seen - {start}))
    return rows


def rows(path_of: dict[int, str], links: Iterable[tuple[int, int]]) -> list[tuple]:
    """(area, relative, later, relative's path): each area itself (later=True), then the
    closure of `links`."""
    found = [(pk, pk, True, path) for pk, path in sorted(path_of.items())]
    found += [(a, r, later, path_of[r]) for a, r, later in closure(links)]
    return found


def expected(using: str = "default") -> list[tuple]:
    from .models import Area, AreaSuccession

    path_of = dict(Area.objects.using(using).values_list("pk", "path"))
    links = AreaSuccession.objects.using(using).values_list("predecessor_id", "successor_id")
    return rows(path_of, links)


def rebuild(*, using: str = "default") -> int:
    """Replace the stored lineage with what the areas and links say; returns its size."""
    from .models import AreaLineage

    wanted = expected(using)
    with transaction.atomic(using=using):
        AreaLineage.objects.using(using).all().delete()
        write(AreaLineage, wanted, using)
    return len(wanted)


def write(model, found: list[tuple], using: str) -> None:
    """Insert `rows(…)`'s tuples as `model` rows (AreaLineage, or its migration state)."""
    model.objects.using(using).bulk_create(
        (model(area_id=a, relative_id=r, later=later, path=path) for a, r, later, path in found),
        batch_size=2000,
    )


def is_current(using: str = "default") -> bool:
    from .models import AreaLineage

    stored = AreaLineage.objects.using(using).values_list("area_id", "relative_id", "later", "path")
    return sorted(stored) == sorted(expected(using))


def _links_changed(sender, using="default", raw=False, **kwargs) -> None:
    if not raw:  # fixtures carry their lineage rows
        rebuild(using=using)


def _m2m_changed(sender, action, using="default", **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        rebuild(using=using)


def _area_saved(sender, instance, created, using="default", raw=False, **kwargs) -> None:
    from .models import AreaLineage

    if created and not raw:
        AreaLineage.objects.using(using).create(
            area=instance, relative=instance, later=True, path=instance.path
        )


def connect() -> None:
    """Keep the lineage in step with single writes (AppConfig.ready)."""
    from .models import Area, AreaSuccession

    for signal in (post_save, post_delete):
        signal.connect(_links_changed, sender=AreaSuccession,
                       dispatch_uid=f"organizations.lineage.{signal is post_save}")  # fmt: skip
    m2m_changed.connect(_m2m_changed, sender=Area.successors.through,
                        dispatch_uid="organizations.lineage.m2m")  # fmt: skip
    post_save.connect(_area_saved, sender=Area, dispatch_uid="organizations.lineage.area")
