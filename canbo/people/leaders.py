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

from django.db.models import Q

from canbo.core.shares import share_of
from canbo.organizations.choices import UnitLevel
from canbo.organizations.models import Position, PositionTitle, Unit
from canbo.organizations.selectors import valid_on_q

from .models import Assignment, Person
from .post_locality import PostLocality
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
    """People holding two (or more) key titles at once, by the titles they combine."""

    titles: tuple[PositionTitle, ...]
    people: list[Person] = field(default_factory=list)


@dataclass
class KeyLeaders:
    unit: Unit
    on: dt.date
    posts: list[KeyPost]
    summary: list[TitleSummary]
    doubles: list[DoubleHolding]

    @property
    def person_ids(self) -> list[int]:
        return sorted({p.person.pk for p in self.posts if p.person is not None})


def key_leaders(*, unit: Unit, on: dt.date, level: str | None = None) -> KeyLeaders:
    """The key posts of `unit`'s subtree (units valid on `on`; only those of `level` when
    given) with their holders on `on`, each with locality per post and continuous tenure.
    The caller checks that the user may view `unit`."""
    subtree = Q(unit__path__startswith=unit.path) & valid_on_q(on, "unit__")
    if level:
        subtree &= Q(unit__level=level)
    positions = _key_positions(subtree)
    holders = _holders([p[0] for p in positions], on)
    hometowns = {row.person.hometown_id for rows in holders.values() for row in rows}
    judge = PostLocality(list({u.pk: u for _pk, u, _t, _s in positions}.values()), hometowns).judge
    posts: list[KeyPost] = []
    for pk, post_unit, title, seats in positions:
        seated = holders.get(pk, [])
        for row in seated:
            local = judge(row.person.hometown_id, post_unit.pk)
            posts.append(KeyPost(post_unit, title, row.person, row, local))
        for _vacant in range(max(seats - len(seated), 0)):
            posts.append(KeyPost(post_unit, title))
    _add_tenures(posts, on)
    return KeyLeaders(unit, on, posts, summarise(posts), double_holdings(posts))


# What the page, the API and the workbook read of a holder and their row; any other
# field is loaded on access (one query per object).
HOLDER_FIELDS = {
    Assignment: ("id", "person_id", "position_id", "start_date", "start_precision"),
    Person: ("id", "id_number", "full_name", "birth_date", "birth_date_precision", "hometown_id"),
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


def _holders(position_ids: list[int], on: dt.date) -> dict[int, list[Assignment]]:
    """Position id → its rows held on `on` (by start), each with its person (one instance
    per person, whatever the number of posts they hold), in one query."""
    row_fields, person_fields = _fields(Assignment), _fields(Person)
    rows = (
        Assignment.objects.filter(held_on_q(on), position__in_values=position_ids)
        .order_by("position_id", "start_date", "pk")
        .values_list(*row_fields, *(f"person__{f}" for f in person_fields))
    )
    split, people = len(row_fields), {}
    holders: dict[int, list[Assignment]] = defaultdict(list)
    for values in rows:
        row = Assignment.from_db(rows.db, row_fields, values[:split])
        row.person = _loaded(Person, rows.db, person_fields, values[split:], people)
        holders[row.position_id].append(row)
    return holders


def _key_positions(where: Q) -> list[tuple[int, Unit, PositionTitle, int]]:
    """(position id, unit, title, seats) of the key positions `where` selects, in post
    order, in one query; one Unit and one PositionTitle instance each, however many
    posts share it (select_related would build one per position)."""
    unit_fields, title_fields = _fields(Unit), _fields(PositionTitle)
    rows = (
        Position.objects.filter(where, title__is_key=True)
        .order_by("unit__path", "-title__rank", "title__code")
        .values_list("pk", "seats", *(f"unit__{f}" for f in unit_fields),
                     *(f"title__{f}" for f in title_fields))  # fmt: skip
    )
    split, units, titles = 2 + len(unit_fields), {}, {}
    return [
        (row[0], _loaded(Unit, rows.db, unit_fields, row[2:split], units),
         _loaded(PositionTitle, rows.db, title_fields, row[split:], titles), row[1])
        for row in rows
    ]  # fmt: skip


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
        key = (post.unit.level, post.title.pk)
        summary = by_key.get(key)
        if summary is None:
            summary = by_key[key] = TitleSummary(post.title, post.unit.level)
        summary.posts += 1
        if post.person is None:
            continue
        summary.held += 1
        if post.local is False:
            summary.not_local += 1
        elif post.local is None:
            summary.unknown += 1
    return sorted(by_key.values(), key=lambda s: (_LEVELS.index(s.level), -s.title.rank,
                                                  s.title.code))  # fmt: skip


_LEVELS = list(UnitLevel.values)


def double_holdings(posts: list[KeyPost]) -> list[DoubleHolding]:
    held: dict[int, list[KeyPost]] = defaultdict(list)
    for post in posts:
        if post.person is not None:
            held[post.person.pk].append(post)
    combos: dict[tuple, DoubleHolding] = {}
    for mine in held.values():
        titles = {p.title.pk: p.title for p in mine}
        for post in mine:
            post._others = [p for p in mine if p is not post]
        if len(titles) < 2:
            continue
        ordered = tuple(sorted(titles.values(), key=lambda t: (-t.rank, t.code)))
        key = tuple(t.pk for t in ordered)
        combos.setdefault(key, DoubleHolding(ordered)).people.append(mine[0].person)
    return sorted(combos.values(), key=lambda d: (-len(d.people), [t.code for t in d.titles]))
