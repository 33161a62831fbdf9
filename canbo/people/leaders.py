"""Key leaders of a unit subtree at a date: every key post, its holder, local or not.

"9/15 district party secretaries (60,00%) are not local": the non-local policy asks
whether the person holding a key post in a place comes from that place. A post is
judged against the area its unit governs (its own area or its nearest ancestor's),
never against the unit that keeps the holder's record (ADR 0013). Everything is read
in a fixed number of queries whatever the number of units: the key posts of the
subtree valid at the date, their holders at the date, the governed areas, the area
maps, and the holders' continuous tenure.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate, groupby
from operator import attrgetter, itemgetter

from django.db import connections
from django.db.models import FilteredRelation, Q, QuerySet

from canbo.core.shares import share_of
from canbo.organizations.choices import UnitLevel
from canbo.organizations.locality_sql import with_local_to_post
from canbo.organizations.models import Position, PositionTitle, Unit
from canbo.organizations.selectors import valid_on_q

from .models import Assignment, Person
from .selectors import held_on_q
from .selectors_tenure import post_tenures


@dataclass
class KeyPost:
    """One seat of a key post at the date: its holder (None when vacant)."""

    unit: Unit
    title: PositionTitle
    person: Person | None = None
    assignment: Assignment | None = None
    local: bool | None = None
    tenure_start: dt.date | None = None
    tenure_months: int | None = None
    terms: int | None = None

    @property
    def level(self) -> str:
        return self.unit.level

    @property
    def person_id(self) -> int | None:
        return None if self.person is None else self.person.pk

    @property
    def also_holds(self) -> list[KeyPost]:
        return getattr(self, "_others", [])


class Seat:
    """One seat of a key post as the summary counts it (`key_leader_summary`): the level
    of its unit, its title, its holder's id and locality."""

    __slots__ = ("level", "title", "person_id", "local")

    def __init__(self, level: str, title: PositionTitle, person_id: int | None = None,
                 local: bool | None = None):  # fmt: skip
        self.level, self.title, self.person_id, self.local = level, title, person_id, local


@dataclass
class TitleSummary:
    """Holders of one key title at one level: how many, how many not local, the share."""

    title: PositionTitle
    level: str
    posts: int = 0
    held: int = 0
    not_local: int = 0
    unknown: int = 0  # holders whose hometown or post area is not recorded

    @property
    def share_not_local(self) -> Decimal | None:
        return share_of(self.not_local, self.held)


@dataclass
class DoubleHolding:
    """People holding two (or more) key titles at once, by the titles they combine: how
    many, and who (`key_leader_summary` leaves `people` empty)."""

    titles: tuple[PositionTitle, ...]
    people: list[Person] = field(default_factory=list)
    count: int = 0


@dataclass
class KeyLeaders:
    unit: Unit
    on: dt.date
    posts: list[KeyPost]
    summary: list[TitleSummary]
    doubles: list[DoubleHolding]

    @property
    def person_ids(self) -> list[int]:
        """The people the answer shows: the holders listed and those holding two titles."""
        shown = {p.person_id for p in self.posts if p.person_id is not None}
        return sorted(shown | {person.pk for d in self.doubles for person in d.people})


def key_leaders(*, unit: Unit, on: dt.date, level: str | None = None,
                within: QuerySet | None = None) -> KeyLeaders:  # fmt: skip
    """The key posts of `unit`'s subtree (units valid on `on`; only those of `level` when
    given; only the units whose ids `within` selects when given) with their holders on
    `on`, each with locality per post and continuous tenure, in a fixed number of
    queries. The caller checks that the user may view `unit`."""
    posts: list[KeyPost] = []
    unit_fields, title_fields = _fields(Unit), _fields(PositionTitle)
    row_fields, person_fields = _fields(Assignment), _fields(Person)
    rows = _seats(unit, on, level, within).order_by(
        "unit__path", "-title__rank", "title__code", "pk", "seat__start_date", "seat__pk"
    ).values_list("pk", "seats", *(f"unit__{f}" for f in unit_fields),
                  *(f"title__{f}" for f in title_fields), *(f"seat__{f}" for f in row_fields),
                  *(f"seat__person__{f}" for f in person_fields), "local")  # fmt: skip
    cut = list(accumulate((2, len(unit_fields), len(title_fields), len(row_fields),
                           len(person_fields))))  # fmt: skip
    units, titles, people = {}, {}, {}
    for _pk, group in groupby(rows, key=itemgetter(0)):
        seated = 0
        for values in group:
            post_unit = _loaded(Unit, rows.db, unit_fields, values[cut[0]:cut[1]], units)
            title = _loaded(PositionTitle, rows.db, title_fields, values[cut[1]:cut[2]], titles)
            if values[cut[2]] is not None:  # a holder (the LEFT JOIN found a row)
                row = Assignment.from_db(rows.db, row_fields, values[cut[2]:cut[3]])
                row.person = _loaded(Person, rows.db, person_fields, values[cut[3]:cut[4]],
                                     people)  # fmt: skip
                posts.append(KeyPost(post_unit, title, row.person, row, values[-1]))
                seated += 1
        posts.extend(KeyPost(post_unit, title) for _vacant in range(max(values[1] - seated, 0)))
    _add_tenures(posts, on)
    doubles = double_holdings(posts)
    for double in doubles:
        double.people.sort(key=_in_list_order)
    return KeyLeaders(unit, on, posts, summarise(posts), doubles)


def _in_list_order(person: Person) -> tuple:
    """The people lists' order (Person.Meta.ordering): by name, then by id."""
    return (person.sort_key, person.pk)


def key_leader_summary(*, unit: Unit, on: dt.date, level: str | None = None,
                       within: QuerySet | None = None) -> KeyLeaders:  # fmt: skip
    """`key_leaders` as figures alone: the summary per title and level and the number of
    people holding each combination of key titles (`posts` and the doubles' `people`
    are empty: no one is named). One query whatever the number of units: the seats as
    plain values (position, seats, level, holder, local, title), in a statement that
    judges locality itself."""
    titles, title_fields, db = {}, ["id", "code", "name", "level", "rank"], Position.objects.db
    seats: list[Seat] = []
    positions: dict[int, tuple] = {}
    held: dict[int, int] = defaultdict(int)
    for values in _summary_rows(unit, on, level, within, [f"title__{f}" for f in title_fields]):
        pk, count, post_level, person_id, local = values[:5]
        title = titles.get(values[5]) or _loaded(PositionTitle, db, title_fields, values[5:],
                                                 titles)  # fmt: skip
        positions[pk] = (post_level, title, count)
        if person_id is not None:
            held[pk] += 1
            seats.append(Seat(post_level, title, person_id, local))
    for pk, (post_level, title, count) in positions.items():
        seats.extend(Seat(post_level, title) for _vacant in range(max(count - held[pk], 0)))
    doubles = double_holdings(seats, person=attrgetter("person_id"), link=False)
    for double in doubles:
        double.people = []
    return KeyLeaders(unit, on, [], summarise(seats), doubles)


#: (database, date, level) -> the summary statement Django compiled for them, with the
#: position of the subtree's path pattern among its parameters.
_COMPILED: dict[tuple, tuple[str, list, int]] = {}
_PATH_SLOT = "~"  # never a tree path (0-9, A-Z): marks the pattern's parameter


def _summary_rows(unit: Unit, on: dt.date, level: str | None, within: QuerySet | None,
                  more: list[str]) -> list[tuple]:  # fmt: skip
    """The summary's rows: position, seats, level, holder, local, then the `more` columns.

    Building and compiling the statement costs Django about as much as running it, so for
    an unrestricted read (an administrator's) the compiled statement is kept per date and
    level, and only the subtree's path pattern changes."""
    columns = ("pk", "seats", "unit__level", "seat__person_id", "local", *more)
    if within is not None:
        return _seats(unit, on, level, within).order_by().values_list(*columns)
    connection = connections[Position.objects.db]
    key = (connection.alias, on, level, *more)
    compiled = _COMPILED.get(key)
    if compiled is None:
        slot = Unit(path=_PATH_SLOT)
        query = _seats(slot, on, level, None).order_by().values_list(*columns).query
        sql, params = query.sql_with_params()
        params = list(params)
        where = params.index(f"{_PATH_SLOT}%")
        if len(_COMPILED) > 64:
            _COMPILED.clear()
        compiled = _COMPILED[key] = (sql, params, where)
    sql, params, where = compiled
    params = [*params[:where], f"{unit.path}%", *params[where + 1:]]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(*row[:4], None if row[4] is None else bool(row[4]), *row[5:])
                for row in cursor.fetchall()]  # fmt: skip


def _seats(unit: Unit, on: dt.date, level: str | None, within: QuerySet | None) -> QuerySet:
    """The key positions of `unit`'s subtree valid on `on`, each joined to the rows held
    on `on` (`seat`, NULL when vacant) with their person, annotated with `local`."""
    where = Q(unit__path__startswith=unit.path, title__is_key=True) & valid_on_q(on, "unit__")
    if level:
        where &= Q(unit__level=level)
    if within is not None:
        where &= Q(unit__in=within)
    seats = Position.objects.filter(where).annotate(
        seat=FilteredRelation("assignments", condition=held_on_q(on, "assignments__"))
    )
    return with_local_to_post(seats, hometown="seat__person__hometown_id", unit="unit")


# What the page, the API and the workbook read of a holder and their row; any other
# field is loaded on access (one query per object).
HOLDER_FIELDS = {
    Assignment: ("id", "person_id", "position_id", "start_date", "start_precision"),
    Person: ("id", "id_number", "full_name", "birth_date", "birth_date_precision", "hometown_id",
             "sort_key"),  # fmt: skip
}


def _loaded(model, db: str, fields: list[str], values, cache: dict):
    """The instance of `model` whose values (pk first, in `fields` order) are given, built
    once per pk (`Model.from_db`, the fields not given deferred)."""
    found = cache.get(values[0])
    if found is None:
        found = cache[values[0]] = model.from_db(db, fields, values)
    return found


def _fields(model) -> list[str]:
    """HOLDER_FIELDS of `model` (all fields when not listed), in the model's field order."""
    wanted = HOLDER_FIELDS.get(model)
    return [f.attname for f in model._meta.concrete_fields if not wanted or f.attname in wanted]


def _add_tenures(posts: list[KeyPost], on: dt.date) -> None:
    """Each holder's continuous tenure in the post (`selectors_tenure`, ADR 0014)."""
    held = [p for p in posts if p.person is not None]
    if not held:
        return
    found = post_tenures(sorted({p.person.pk for p in held}), on)
    for post in held:
        for tenure in found.get(post.person.pk, ()):
            if post.assignment.pk in tenure.row_ids:
                post.tenure_start, post.tenure_months = tenure.start, tenure.months
                post.terms = tenure.terms


def summarise(posts: list[KeyPost] | list[Seat]) -> list[TitleSummary]:
    by_key: dict[tuple, TitleSummary] = {}
    for post in posts:
        key = (post.level, post.title.id)  # .id: `pk` is a property, read here per seat
        summary = by_key.get(key)
        if summary is None:
            summary = by_key[key] = TitleSummary(post.title, post.level)
        summary.posts += 1
        if post.person_id is None:
            continue
        summary.held += 1
        if post.local is False:
            summary.not_local += 1
        elif post.local is None:
            summary.unknown += 1
    return sorted(by_key.values(), key=lambda s: (_LEVELS.index(s.level), -s.title.rank,
                                                  s.title.code))  # fmt: skip


_LEVELS = list(UnitLevel.values)


def double_holdings(posts: list[KeyPost] | list[Seat], person=attrgetter("person"),
                    link: bool = True) -> list[DoubleHolding]:  # fmt: skip
    """The people holding two key titles or more, by the titles they combine (most people
    first); each listed as `person(their first post)`. With `link`, each post also learns
    the holder's other posts (`KeyPost.also_holds`)."""
    held: dict[int, list] = defaultdict(list)
    for post in posts:
        if post.person_id is not None:
            held[post.person_id].append(post)
    combos: dict[tuple, DoubleHolding] = {}
    for mine in held.values():
        for post in mine if link else ():
            post._others = [p for p in mine if p is not post]
        if len(mine) < 2:  # most people: one post
            continue
        titles = {p.title.id: p.title for p in mine}
        if len(titles) < 2:
            continue
        ordered = tuple(sorted(titles.values(), key=lambda t: (-t.rank, t.code)))
        key = tuple(t.pk for t in ordered)
        double = combos.setdefault(key, DoubleHolding(ordered))
        double.people.append(person(mine[0]))
        double.count += 1
    return sorted(combos.values(), key=lambda d: (-d.count, [t.code for t in d.titles]))
