"""Reads for tenure: continuous tenure in each post held at a date (ADR 0014).

`post_tenures` loads what `canbo.people.tenure` needs for any number of people
in three queries (none when there is nobody):

1. their work-history rows started on or before the date, with each
   position's unit, unit kind and title;
2. the unit successions reachable from those rows' units, forwards and
   backwards (one recursive query: a merger's chain of any length);
3. the term calendars.

Callers pass ids they have already restricted to the user's scope; nothing
here is scoped again, and nothing here logs access (the caller's read does).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connections, router

from canbo.organizations.models import Term, Unit, UnitSuccession

from .models import Assignment
from .tenure import DEFAULT_TERM_MIN_MONTHS, HistoryRow, Successions, Tenure, TermSpan, tenures_on


def post_tenures(
    person_ids: Iterable[int],
    on: dt.date,
    *,
    term_min_months: int = DEFAULT_TERM_MIN_MONTHS,
) -> dict[int, list[Tenure]]:
    """Person id → one Tenure per post the person holds on `on` (people holding none: [])."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    rows_qs = Assignment.objects.filter(person_id__in_values=ids, start_date__lte=on).order_by()
    rows: dict[int, list[HistoryRow]] = {pk: [] for pk in ids}
    for (
        pk, person_id, start, start_precision, end, end_precision, unit_id, title_id,
        unit_kind, unit_name, title_name, position_unit_name, position_title_name,
    ) in rows_qs.values_list(
        "id", "person_id", "start_date", "start_precision", "end_date", "end_precision",
        "position__unit_id", "position__title_id", "position__unit__kind",
        "unit_name", "title_name", "position__unit__name", "position__title__name",
    ):  # fmt: skip
        rows[person_id].append(
            HistoryRow(
                id=pk,
                start=start,
                start_precision=start_precision,
                end=end,
                end_precision=end_precision,
                unit_id=unit_id,
                title_id=title_id,
                unit_kind=unit_kind or "",
                unit_name=unit_name or position_unit_name or "",
                title_name=title_name or position_title_name or "",
            )
        )
    unit_ids = sorted({r.unit_id for person_rows in rows.values() for r in person_rows} - {None})
    seeds = Unit.objects.filter(pk__in_values=unit_ids).order_by().values("pk")
    successions = Successions(succession_links(UnitSuccession, seeds))
    calendars = _calendars()
    return {
        pk: tenures_on(person_rows, on, successions, calendars, term_min_months)
        for pk, person_rows in rows.items()
    }


def succession_links(model, seeds, node_column: str | None = None):
    """(predecessor, successor) links of `model` (`UnitSuccession`, `AreaSuccession`) on the
    chains through the seeds (a one-column values() queryset of ids), in one query.

    Walks successors down from the seeds and predecessors up from them; the
    siblings of a merger (the other units or areas that merged into the same one)
    are not followed, as `Successions.linked` and the locality rule do not need
    them. Every id on the returned links was reached from a seed in one direction.

    With `node_column` (a column of the linked model, "path"), the same query also
    reads that column for the seeds and every unit or area on the links: the result is
    then (links, {id: value}).
    """
    seed_sql, seed_params = seeds.query.sql_with_params()
    table = model._meta.db_table
    db = router.db_for_read(model)
    # PostgreSQL guesses ten times the seeds for each step and then hashes the whole
    # table at every step; a LATERAL subquery kept apart by OFFSET 0 makes it probe the
    # predecessor/successor indexes instead (4 ms instead of 10 for a province's areas).
    lateral = connections[db].vendor == "postgresql"

    def step(walk: str, by: str, select: str, source: str = f"{table} s") -> str:
        if lateral:
            return (f"SELECT x.* FROM {walk} w CROSS JOIN LATERAL (SELECT {select} FROM {source}"
                    f" WHERE {by} = w.id OFFSET 0) x")  # fmt: skip
        return f"SELECT {select} FROM {source} JOIN {walk} w ON {by} = w.id"

    link = "s.predecessor_id, s.successor_id"
    links = f"{step('down', 's.predecessor_id', link)} UNION {step('up', 's.successor_id', link)}"
    if node_column:  # node rows have no successor (a link always has one)
        nodes = model._meta.get_field("successor").related_model._meta.db_table
        reached = "(SELECT id FROM down UNION SELECT id FROM up)"
        node = step(reached, "n.id", f"n.id, CAST(NULL AS INTEGER), n.{node_column}", f"{nodes} n")
        links = f"SELECT l.*, NULL FROM ({links}) l UNION ALL {node}"
    sql = f"""
        WITH RECURSIVE seed(id) AS ({seed_sql}),
        down(id) AS (SELECT id FROM seed UNION {step("down", "s.predecessor_id", "s.successor_id")}),
        up(id) AS (SELECT id FROM seed UNION {step("up", "s.successor_id", "s.predecessor_id")})
        {links}
    """  # the table and column names are the model's; every value is a parameter
    with connections[db].cursor() as cursor:
        cursor.execute(sql, seed_params)
        rows = cursor.fetchall()
    if not node_column:
        return rows
    pairs = [(p, s) for p, s, _v in rows if s is not None]
    return pairs, {pk: value for pk, s, value in rows if s is None}


def _calendars() -> dict[str, list[TermSpan]]:
    calendars: dict[str, list[TermSpan]] = {}
    for body, start, end, name in Term.objects.order_by("body", "start_date").values_list(
        "body", "start_date", "end_date", "name"
    ):
        calendars.setdefault(body, []).append(TermSpan(start=start, end=end, name=name))
    return calendars
