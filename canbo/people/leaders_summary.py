"""The key-leaders summary alone, tallied in SQL: the figures a summary report carries.

`leaders.key_leaders` lists every key post with its holder and tenure and tallies them
in Python. Asked for the figures only (the API's `posts=false`), the same statement that
reads the seats (`leaders.key_seats`: positions, the rows held on the date, locality
judged inside it) is wrapped in one that groups them, so that a province's answer is a
few dozen rows:

- by position, then by title and level: posts (a position counts its seats, or its
  holders when more rows overlap), held, not local, locality unknown;
- by person: the people holding two key titles or more, counted per pair of titles
  (people combining three or more come back as their titles, grouped here).

The counting rules are `leaders.summarise` and `leaders.double_holdings`; tests hold the
two equal at several dates, levels and subtrees. `key_leader_summary_by_root` gives the
summary lines of many subtrees at once (the report forms), grouped by the root's path
prefix in one statement per depth.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connections
from django.db.models import QuerySet
from django.db.models.functions import Substr

from canbo.core.compiled import StatementCache
from canbo.organizations.models import Position, PositionTitle, Unit

from .leaders import (
    DoubleHolding,
    KeyLeaders,
    TitleSummary,
    doubles_order,
    key_seats,
    summary_order,
    title_order,
)

COLUMNS = ("pk", "seats", "unit__level", "title_id", "seat__person_id", "local")
TITLE_FIELDS = ("id", "code", "name", "level", "rank")

def _positions(root: str = "") -> str:
    """The k_positions CTE: each key position's posts, held, not local, unknown (`root`:
    a column it is also grouped by)."""
    return f"""k_positions AS (
    SELECT {root}"pk", "seats", "unit__level", "title_id", COUNT("seat__person_id") AS held,
           SUM(CASE WHEN "seat__person_id" IS NOT NULL AND NOT "local" THEN 1 ELSE 0 END)
               AS not_local,
           SUM(CASE WHEN "seat__person_id" IS NOT NULL AND "local" IS NULL THEN 1 ELSE 0 END)
               AS unknown
    FROM k_seats GROUP BY {root}"pk", "seats", "unit__level", "title_id"
)"""


def _summary_lines(first: str, group: str = "",
                   titles: str = "t.code, t.name, t.level, t.rank") -> str:  # fmt: skip
    """The summary lines: `first`, level, title, posts (a position counts its seats, or its
    holders when more rows overlap), held, not local, unknown, the title's fields."""
    return f"""SELECT {first}, p."unit__level", p."title_id",
       SUM(CASE WHEN p.held > p."seats" THEN p.held ELSE p."seats" END), SUM(p.held),
       SUM(p.not_local), SUM(p.unknown), {titles}
FROM k_positions p JOIN organizations_positiontitle t ON t.id = p."title_id"
GROUP BY {group}p."unit__level", p."title_id", {titles}"""


# {seats} is the seats statement; its columns are named after COLUMNS. Three kinds of
# rows: 0 a summary line (level, title, posts, held, not local, unknown, the title's
# fields), 1 a pair of titles and how many people hold both and no other, 2 a title of a
# person holding three or more (title, person).
SQL = f"""
WITH k_seats AS ({{seats}}),
{_positions()},
k_people AS (
    SELECT "seat__person_id" AS person, MIN("title_id") AS low, MAX("title_id") AS high,
           COUNT(DISTINCT "title_id") AS titles
    FROM k_seats WHERE "seat__person_id" IS NOT NULL
    GROUP BY "seat__person_id" HAVING COUNT(DISTINCT "title_id") > 1
)
{_summary_lines("0")}
UNION ALL
SELECT 1, NULL, low, high, COUNT(*), NULL, NULL, NULL, NULL, NULL, NULL
FROM k_people WHERE titles = 2 GROUP BY low, high
UNION ALL
SELECT 2, NULL, s."title_id", s."seat__person_id", NULL, NULL, NULL, NULL, NULL,
       NULL, NULL
FROM k_seats s JOIN k_people k ON k.person = s."seat__person_id" WHERE k.titles > 2
"""
#: The summary lines of many subtrees: {seats} has a column "root" (the root's path
#: prefix), the lines are grouped by it first; the titles' `is_head` comes too.
BY_ROOT_SQL = f"""
WITH k_seats AS ({{seats}}),
{_positions('"root", ')}
{_summary_lines('p."root"', 'p."root", ', "t.code, t.name, t.level, t.rank, t.is_head")}
"""
BY_ROOT_TITLE_FIELDS = (*TITLE_FIELDS, "is_head")

#: The seats statement Django compiled, per (database, date, level); only the subtree's
#: path pattern changes between calls ("~" marks it: no tree path can be "~").
_STATEMENTS = StatementCache()
_PATH_SLOT = "~"


def key_leader_summary(*, unit: Unit, on: dt.date, level: str | None = None,
                       within: QuerySet | None = None) -> KeyLeaders:  # fmt: skip
    """`key_leaders` as figures alone: the summary per title and level and the number of
    people holding each combination of key titles (`posts` and the doubles' `people`
    are empty: no one is named). One query whatever the number of units."""
    db = Position.objects.db
    titles: dict[int, PositionTitle] = {}
    summary, pairs, many = [], [], defaultdict(set)
    sql, params = _statement(unit, on, level, within)
    with connections[db].cursor() as cursor:
        cursor.execute(SQL.format(seats=sql), params)
        rows = cursor.fetchall()
    for kind, post_level, title_id, posts, held, not_local, unknown, *title in rows:
        if kind == 0:
            found = titles[title_id] = PositionTitle.from_db(db, TITLE_FIELDS, (title_id, *title))
            summary.append(TitleSummary(found, post_level, int(posts), int(held),
                                        int(not_local), int(unknown)))  # fmt: skip
        elif kind == 1:
            pairs.append(((title_id, posts), int(held)))
        else:
            many[posts].add(title_id)
    combos: dict[tuple, int] = defaultdict(int)
    for ids, count in pairs:
        combos[_ordered(ids, titles)] += count
    for ids in many.values():
        combos[_ordered(ids, titles)] += 1
    doubles = [DoubleHolding(ordered, [], count) for ordered, count in combos.items()]
    return KeyLeaders(unit, on, [], sorted(summary, key=summary_order),
                      sorted(doubles, key=doubles_order))  # fmt: skip


def key_leader_summary_by_root(roots: list[Unit] | None, on: dt.date, *,
                               level: str | None = None, within: QuerySet | None = None,
                               ) -> dict[int | None, list[TitleSummary]]:  # fmt: skip
    """The summary lines of `key_leader_summary` (the same counting rules) for each of
    `roots`' subtrees (None: everything, keyed None), in one statement per distinct depth
    of the roots whatever their number; each line's title also knows whether it is a
    head post (`is_head`)."""
    db = Position.objects.db
    by_length: dict[int, dict[str, int | None]] = {}
    for path, pk in [(u.path, u.pk) for u in roots] if roots is not None else [("", None)]:
        by_length.setdefault(len(path), {})[path] = pk
    found: dict[int | None, list[TitleSummary]] = {
        pk: [] for pk_of in by_length.values() for pk in pk_of.values()
    }
    titles: dict[int, PositionTitle] = {}
    for length, pk_of in sorted(by_length.items()):
        prefixes = list(pk_of)
        alone = prefixes[0] if len(prefixes) == 1 else ""  # one subtree: the path index
        seats = (key_seats(Unit(path=alone), on, level, within)
                 .annotate(root=Substr("unit__path", 1, length)).filter(root__in=prefixes)
                 .order_by().values_list(*COLUMNS, "root"))  # fmt: skip
        sql, params = seats.query.sql_with_params()
        with connections[db].cursor() as cursor:
            cursor.execute(BY_ROOT_SQL.format(seats=sql), params)
            rows = cursor.fetchall()
        for root, post_level, title_id, posts, held, not_local, unknown, *title in rows:
            found_title = titles.get(title_id)
            if found_title is None:
                found_title = titles[title_id] = PositionTitle.from_db(
                    db, BY_ROOT_TITLE_FIELDS, (title_id, *title))
            found[pk_of[root]].append(TitleSummary(found_title, post_level, int(posts), int(held),
                                                   int(not_local), int(unknown)))  # fmt: skip
    for lines in found.values():
        lines.sort(key=summary_order)
    return found


def _ordered(ids, titles: dict[int, PositionTitle]) -> tuple[PositionTitle, ...]:
    return tuple(sorted((titles[pk] for pk in ids), key=title_order))


def _statement(unit: Unit, on: dt.date, level: str | None, within: QuerySet | None):
    """The seats statement (SQL, parameters) for `unit`'s subtree.

    Building and compiling it costs Django about as much as running it, so for an
    unrestricted read (an administrator's) the compiled statement is kept per date and
    level (`core.compiled`). A read within a user's scope is built each time."""
    if within is not None:
        return _seats_query(unit, on, level, within).query.sql_with_params()
    return _STATEMENTS.statement(
        (Position.objects.db, on, level),
        lambda: _seats_query(Unit(path=_PATH_SLOT), on, level, None),
        {f"{_PATH_SLOT}%": f"{unit.path}%"},
    )


def _seats_query(unit: Unit, on: dt.date, level: str | None, within: QuerySet | None):
    return key_seats(unit, on, level, within).order_by().values_list(*COLUMNS)
