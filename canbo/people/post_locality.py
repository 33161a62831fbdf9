""""Local or not", judged per post held (ADR 0013): the holder's hometown against the area
that the post's unit governs, never against the unit that keeps the person's record.

The rule itself is `organizations.locality.is_local_to_post`; this loads what it needs
once (the merger links both ways, the paths of the areas concerned, the area each unit
governs) so that any number of posts are judged in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable

from canbo.core.memory import Remembered
from canbo.organizations import locality
from canbo.organizations.models import Area, AreaSuccession, Unit
from canbo.organizations.selectors import governed_area_ids

from .selectors_tenure import succession_links


class PostLocality:
    """Judges posts of the given units (every unit when None): `judge(hometown_id, unit_id)`
    is True, False, or None when the hometown or the governed area is not recorded.

    With `hometowns` (the area ids the posts' holders come from), only the merger links
    reachable from those areas and the governed ones (successors and predecessors) and
    the paths of the areas on them are read, in one recursive query; otherwise every
    link and every area's path are (an export judging every row)."""

    def __init__(self, units: list[Unit] | None = None, hometowns: Iterable[int] | None = None):
        if units is None:
            units = list(Unit.objects.only("pk", "path"))
        self.governed = governed_area_ids(units)
        if hometowns is None:
            links = AreaSuccession.objects.values_list("predecessor_id", "successor_id")
            self.path_of = dict(Area.objects.values_list("pk", "path"))
        else:
            seeds = sorted({a for a in hometowns if a} | set(self.governed.values()) - {None})
            seed_qs = Area.objects.filter(pk__in_values=seeds).order_by().values("pk")
            links, self.path_of = succession_links(AreaSuccession, seed_qs, "path")
        self.successors_of: dict[int, list[int]] = {}
        for pred, succ in links:
            self.successors_of.setdefault(pred, []).append(succ)
        self.predecessors_of = locality.predecessors(self.successors_of)

        # Judging millions of posts (an export): each area's paths worked out once.
        self._governed_paths = Remembered(
            lambda area: locality.current_paths(area, self.path_of, self.successors_of)
        )
        self._hometown_paths = Remembered(
            lambda area: locality.hometown_paths(area, self.path_of, self.successors_of,
                                                 self.predecessors_of)  # fmt: skip
        )

    def judge(self, hometown_id: int | None, unit_id: int | None) -> bool | None:
        """locality.is_local_to_post for the post's unit, the areas' paths remembered."""
        return locality.judge_by_paths(
            hometown_id, None if unit_id is None else self.governed.get(unit_id), self.path_of,
            self._governed_paths.__getitem__, self._hometown_paths.__getitem__,
        )  # fmt: skip


def judge_posts(posts) -> None:
    """Set `local` on each (person, assignment) pair's assignment, in fixed queries."""
    if not posts:
        return
    units = {a.position.unit_id: a.position.unit for _p, a in posts if a.position_id}
    judge = PostLocality(list(units.values()), {person.hometown_id for person, _a in posts}).judge
    for person, assignment in posts:
        unit_id = assignment.position.unit_id if assignment.position_id else None
        assignment.local = judge(person.hometown_id, unit_id)
