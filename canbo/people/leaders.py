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
from operator import itemgetter

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
    rows = key_seats(unit, on, level, within).order_by(
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


def key_seats(unit: Unit, on: dt.date, level: str | None, within: QuerySet | None) -> QuerySet:
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


def summarise(posts: list[KeyPost]) -> list[TitleSummary]:
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
    return sorted(by_key.values(), key=summary_order)


_LEVELS = list(UnitLevel.values)


def summary_order(summary: TitleSummary) -> tuple:
    """Summary lines by level (central first), then title rank (highest first), code."""
    return (_LEVELS.index(summary.level), -summary.title.rank, summary.title.code)


def title_order(title: PositionTitle) -> tuple:
    return (-title.rank, title.code)


def doubles_order(double: DoubleHolding) -> tuple:
    """Combinations held by the most people first, then by their titles' codes."""
    return (-double.count, [t.code for t in double.titles])


def double_holdings(posts: list[KeyPost]) -> list[DoubleHolding]:
    """The people holding two key titles or more, by the titles they combine; each post
    also learns the holder's other posts (`KeyPost.also_holds`)."""
    held: dict[int, list] = defaultdict(list)
    for post in posts:
        if post.person_id is not None:
            held[post.person_id].append(post)
    combos: dict[tuple, DoubleHolding] = {}
    for mine in held.values():
        for post in mine:
            post._others = [p for p in mine if p is not post]
        if len(mine) < 2:  # most people: one post
            continue
        titles = {p.title.id: p.title for p in mine}
        if len(titles) < 2:
            continue
        ordered = tuple(sorted(titles.values(), key=title_order))
        key = tuple(t.pk for t in ordered)
        double = combos.setdefault(key, DoubleHolding(ordered))
        double.people.append(mine[0].person)
        double.count += 1
    return sorted(combos.values(), key=doubles_order)
