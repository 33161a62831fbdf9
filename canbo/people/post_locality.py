""""Local or not", judged per post held (ADR 0013): the holder's hometown against the area
that the post's unit governs, never against the unit that keeps the person's record.

The rule itself is `organizations.locality.is_local_to_post`; this loads what it needs
once (the areas' paths, the merger links both ways, the area each unit governs) so that
any number of posts are judged in a fixed number of queries.
"""

from __future__ import annotations

from canbo.organizations import locality
from canbo.organizations.models import Unit
from canbo.organizations.selectors import governed_area_ids, locality_maps


class PostLocality:
    """Judges posts of the given units (every unit when None): `judge(hometown_id, unit_id)`
    is True, False, or None when the hometown or the governed area is not recorded."""

    def __init__(self, units: list[Unit] | None = None):
        if units is None:
            units = list(Unit.objects.only("pk", "path"))
        self.governed = governed_area_ids(units)
        self.path_of, self.successors_of = locality_maps()
        self.predecessors_of = locality.predecessors(self.successors_of)

    def judge(self, hometown_id: int | None, unit_id: int | None) -> bool | None:
        if unit_id is None:
            return None
        return locality.is_local_to_post(hometown_id, self.governed.get(unit_id), self.path_of,
                                         self.successors_of, self.predecessors_of)  # fmt: skip
