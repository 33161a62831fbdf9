"""The "local or not" rule as pure functions over in-memory area maps.

`selectors.is_local_to` answers the question for one person with a few
queries; bulk writers (the demo builder, imports) load the area paths and
succession links once and call these helpers instead. Both must give the same
answer: a person is local to a unit when their hometown, or an area it became
after a merger, lies inside the area the unit governs (or an area that one
became).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence


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


def predecessors(successors_of: Mapping[int, Sequence[int]]) -> dict[int, list[int]]:
    """The inverse of a successor map: for each area, the areas that merged into it."""
    found: dict[int, list[int]] = {}
    for pred, succs in successors_of.items():
        for succ in succs:
            found.setdefault(succ, []).append(pred)
    return found


def _linked_paths(area_id: int, path_of: Mapping[int, str],
                  links: Mapping[int, Sequence[int]]) -> list[str]:  # fmt: skip
    """Paths of the areas reached from `area_id` by following `links` (transitively)."""
    paths, seen, frontier = [], {area_id}, [area_id]
    while frontier:
        found = [n for pk in frontier for n in links.get(pk, ()) if n not in seen and n in path_of]
        seen.update(found)
        paths.extend(path_of[pk] for pk in found)
        frontier = found
    return paths


def is_local_to_post(
    hometown_id: int | None,
    governed_id: int | None,
    path_of: Mapping[int, str],
    successors_of: Mapping[int, Sequence[int]],
    predecessors_of: Mapping[int, Sequence[int]],
) -> bool | None:
    """Is the holder of a post local to the area the post's unit governs? (ADR 0013)

    The hometown counts as itself, what it became and what it came from: a 2018 district
    post (a pre-2025 area) and a hometown recorded as a 2025 commune are compared through
    the communes that merged into it, and the other way round through the successors.
    None when the hometown or the governed area is unknown.
    """
    return judge_by_paths(
        hometown_id, governed_id, path_of,
        lambda area: current_paths(area, path_of, successors_of),
        lambda area: hometown_paths(area, path_of, successors_of, predecessors_of),
    )  # fmt: skip


def judge_by_paths(
    hometown_id: int | None,
    governed_id: int | None,
    path_of: Mapping[int, str],
    governed_paths: Callable[[int], Sequence[str]],
    hometown_paths: Callable[[int], Sequence[str]],
) -> bool | None:
    """is_local_to_post with the two areas' paths from the given functions (which an
    export remembers per area)."""
    if hometown_id is None or governed_id is None or hometown_id not in path_of:
        return None
    governed = governed_paths(governed_id)
    if not governed:
        return None
    return paths_are_local(hometown_paths(hometown_id), governed)


def hometown_paths(
    hometown_id: int,
    path_of: Mapping[int, str],
    successors_of: Mapping[int, Sequence[int]],
    predecessors_of: Mapping[int, Sequence[int]],
) -> list[str]:
    """The paths a hometown counts as (itself, what it became, what it came from)."""
    hometown = [path_of[hometown_id]]
    hometown += _linked_paths(hometown_id, path_of, successors_of)
    hometown += _linked_paths(hometown_id, path_of, predecessors_of)
    return hometown
