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
two equal at several dates, levels and subtrees.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connections
from django.db.models import QuerySet

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

# {seats} is the seats statement; its columns are named after COLUMNS. Three kinds of
# rows: 0 a summary line (level, title, posts, held, not local, unknown, the title's
# fields), 1 a pair of titles and how many people hold both and no other, 2 a title of a
# person holding three or more (title, person).
SQL = """
WITH k_seats AS ({seats}),
k_positions AS (
    SELECT "pk", "seats", "unit__level", "title_id", COUNT("seat__person_id") AS held,
           SUM(CASE WHEN "seat__person_id" IS NOT NULL AND NOT "local" THEN 1 ELSE 0 END)
               AS not_local,
           SUM(CASE WHEN "seat__person_id" IS NOT NULL AND "local" IS NULL THEN 1 ELSE 0 END)
               AS unknown
    FROM k_seats GROUP BY "pk", "seats", "unit__level", "title_id"
),
k_people AS (
    SELECT "seat__person_id" AS person, MIN("title_id") AS low, MAX("title_id") AS high,
           COUNT(DISTINCT "title_id") AS titles
    FROM k_seats WHERE "seat__person_id" IS NOT NULL
    GROUP BY "seat__person_id" HAVING COUNT(DISTINCT "title_id") > 1
)
SELECT 0, p."unit__level", p."title_id",
       SUM(CASE WHEN p.held > p."seats" THEN p.held ELSE p."seats" END), SUM(p.held),
       SUM(p.not_local), SUM(p.unknown), t.code, t.name, t.level, t.rank
FROM k_positions p JOIN organizations_positiontitle t ON t.id = p."title_id"
GROUP BY p."unit__level", p."title_id", t.code, t.name, t.level, t.rank
UNION ALL
SELECT 1, NULL, low, high, COUNT(*), NULL, NULL, NULL, NULL, NULL, NULL
FROM k_people WHERE titles = 2 GROUP BY low, high
UNION ALL
SELECT 2, NULL, s."title_id", s."seat__person_id", NULL, NULL, NULL, NULL, NULL,
       NULL, NULL
FROM k_seats s JOIN k_people k ON k.person = s."seat__person_id" WHERE k.titles > 2
"""

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
