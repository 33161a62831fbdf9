"""The "local or not" rule as pure functions over in-memory area maps.

`selectors.is_local_to` answers the question for one person with a few
queries; bulk writers (the demo builder, imports) load the area paths and
succession links once and call these helpers instead. Both must give the same
answer: a person is local to a unit when their hometown, or an area it became
after a merger, lies inside the area the unit governs (or an area that one
became).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence


def current_paths(
    area_id: int | None,
    path_of: Mapping[int, str],
    successors_of: Mapping[int, Sequence[int]],
) -> list[str]:
    """The area's path and the paths of its successors, followed to the present."""
    if area_id is None or area_id not in path_of:
        return []
    paths, seen, frontier = [path_of[area_id]], {area_id}, [area_id]
    while frontier:
        found = []
        for pk in frontier:
            for succ in successors_of.get(pk, ()):
                if succ not in seen and succ in path_of:
                    seen.add(succ)
                    found.append(succ)
        paths.extend(path_of[pk] for pk in found)
        frontier = found
    return paths


def paths_are_local(hometown_paths: Iterable[str], governed_paths: Sequence[str]) -> bool:
    """True when one hometown path lies under one governed path."""
    return any(hp.startswith(gp) for hp in hometown_paths for gp in governed_paths)


def is_local(
    hometown_id: int | None,
    governed_id: int | None,
    path_of: Mapping[int, str],
    successors_of: Mapping[int, Sequence[int]],
) -> bool | None:
    """Same answer as `selectors.is_local_to`; None when either area is unknown."""
    if hometown_id is None or governed_id is None:
        return None
    governed = current_paths(governed_id, path_of, successors_of)
    if not governed:
        return None
    return paths_are_local(current_paths(hometown_id, path_of, successors_of), governed)
