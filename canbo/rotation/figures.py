"""Reported figures of rotation (the M2A/M2B forms, DOMAIN.md §1.8), in grouped SQL.

For a unit's subtree at a date:

- **Rotations** touching the subtree, by kind, purpose, direction (between levels up,
  down or at the same level; of which between localities, between sectors) and by the
  levels they go from and to. Each rotation is counted once, on one side: *within* (both
  posts in the subtree), *in* (the post taken is in it, the post left is not, or is not
  recorded) or *out* (the post left is in it, the post taken is not). Its status on the
  date: *under way* (started by then, not ended before it), *ended* (its actual end on or
  before the date), *intended* (in a plan without a start, or decided by the date and
  starting after it). A rotation decided after the date is not counted. The side columns
  count the decided ones (under way and ended); shares are of all decided rotations.
- **Non-local key posts**: the key-leaders summary (`people.leaders_summary`, the same
  counting rules as `people.leaders.key_leaders`), not counted again here.
- **Two-term compliance**: the holders of head posts (`PositionTitle.is_head`) on the
  date, by level, within or beyond the most consecutive terms of R5 (its `max_terms` and
  `term_min_months` in the rule set in force; 2 and 30 without one), the terms counted
  over the continuous tenure (`people.selectors_tenure.post_tenures`, ADR 0014); posts
  without a term calendar are not judged.

Queries: one for the rotations (one GROUP BY with conditional counts), one for the key
leaders' summary, one for the heads held, three for their tenure (none without heads),
two for the rule set unless given: the same whatever the number of units.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from canbo.core.shares import share_of
from canbo.organizations.choices import UnitLevel
from canbo.organizations.models import Unit
from canbo.organizations.selectors import valid_on_q
from canbo.people.leaders import TitleSummary
from canbo.people.leaders_summary import key_leader_summary
from canbo.people.models import Assignment
from canbo.people.selectors import held_on_q
from canbo.people.selectors_tenure import post_tenures
from canbo.people.tenure import DEFAULT_TERM_MIN_MONTHS
from canbo.rules.ruleset import NoRuleSetInForce, RuleSetData
from canbo.rules.selectors import rule_set_in_force

from .choices import LevelDirection, RotationKind, RotationPurpose
from .models import Rotation

WITHIN, IN, OUT = "within", "in", "out"
DEFAULT_MAX_TERMS = 2
#: Direction rows: the three between levels, then the two "of which" rows.
ACROSS_LOCALITIES, ACROSS_SECTORS = "localities", "sectors"
DIRECTION_LABELS = {
    **{d.value: d.label for d in LevelDirection},
    ACROSS_LOCALITIES: _("Trong đó: giữa các địa phương"),
    ACROSS_SECTORS: _("Trong đó: giữa các ngành, lĩnh vực"),
}
LEVEL_LABELS = {level.value: level.label for level in UnitLevel}
NO_LEVEL = ""  # the post left is not recorded


@dataclass
class Tally:
    """Rotations of one row: by status, and the decided ones by side."""

    under_way: int = 0
    ended: int = 0
    intended: int = 0
    within: int = 0
    into: int = 0
    out_of: int = 0

    @property
    def decided(self) -> int:
        return self.under_way + self.ended

    def add(self, side: str, under_way: int, ended: int, intended: int) -> None:
        self.under_way += under_way
        self.ended += ended
        self.intended += intended
        decided = under_way + ended
        if side == WITHIN:
            self.within += decided
        elif side == IN:
            self.into += decided
        else:
            self.out_of += decided


@dataclass
class Row:
    code: str
    label: str
    tally: Tally = field(default_factory=Tally)
    share: Decimal | None = None  # of all decided rotations


@dataclass
class TermRow:
    """Heads of posts at one level (None: all levels) against the two-term limit."""

    level: str | None
    heads: int = 0  # head posts held (a person holding two counts twice)
    judged: int = 0  # of those, posts with a term calendar
    within_limit: int = 0  # at most `max_terms` consecutive terms
    at_limit: int = 0  # of those within, exactly `max_terms`: must move at the next term
    beyond_limit: int = 0

    @property
    def label(self) -> str:
        return _("Tổng số") if self.level is None else LEVEL_LABELS.get(self.level, self.level)

    @property
    def within_share(self) -> Decimal | None:
        return share_of(self.within_limit, self.judged)

    @property
    def beyond_share(self) -> Decimal | None:
        return share_of(self.beyond_limit, self.judged)


@dataclass
class RotationFigures:
    unit: Unit
    on: dt.date
    total: Tally
    by_kind: list[Row]
    by_purpose: list[Row]
    by_direction: list[Row]
    by_levels: list[Row]  # "from level → to level"
    non_local: list[TitleSummary]
    term_limits: list[TermRow]  # by level, the total last
    max_terms: int = DEFAULT_MAX_TERMS


def _when(condition: Q) -> Sum:
    return Sum(Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()))


#: The fields of a rotation its groups are told apart by, after the side and levels.
GROUPED = ("kind", "purpose", "level_direction", "across_localities", "across_sectors")


def _known_q(on: dt.date) -> Q:
    """Rotations counted on `on`: decided by then, or intended (no start yet)."""
    return Q(decision_date__lte=on) | Q(start_date__isnull=True)


def _statuses(on: dt.date) -> dict:
    """Each group's rotations, and of them under way and ended on `on`."""
    started = Q(start_date__lte=on)
    return {
        "n": Count("id"),
        "under_way": _when(started & ~Q(actual_end__lte=on)),
        "ended": _when(started & Q(actual_end__lte=on)),
    }


def rotation_rows(unit: Unit, on: dt.date, qs: QuerySet[Rotation] | None = None) -> list[tuple]:
    """One statement: (side, from level, to level, kind, purpose, level direction, across
    localities, across sectors, under way, ended, intended) per group."""
    qs = Rotation.objects.all() if qs is None else qs
    inside_to = Q(to_position__unit__path__startswith=unit.path)
    inside_from = Q(from_position__unit__path__startswith=unit.path)
    return list(
        qs.filter(inside_to | inside_from)
        .filter(_known_q(on))
        .order_by()
        .annotate(
            f_side=Case(
                When(inside_to & inside_from, then=Value(WITHIN)),
                When(inside_to, then=Value(IN)),
                default=Value(OUT),
                output_field=CharField(),
            ),
            f_from=F("from_position__unit__level"),
            f_to=F("to_position__unit__level"),
        )
        .values_list("f_side", "f_from", "f_to", *GROUPED)
        .annotate(**_statuses(on))
        .order_by("f_side", "f_from", "f_to", *GROUPED)
    )


def rotation_rows_by_root(roots: list[Unit] | None, on: dt.date,
                          qs: QuerySet[Rotation] | None = None,
                          within: QuerySet | None = None) -> dict[int | None, list[tuple]]:  # fmt: skip
    """`rotation_rows` of each of `roots` (its subtree; None: everything, keyed None), in
    one statement per distinct depth of the roots whatever their number: for one root,
    the same groups as `rotation_rows` (ordered with a missing level first).

    Each rotation is grouped by the root prefixes of the posts it leaves and takes, and
    counted for each root it touches on the side it is on for that root: one between
    two roots is *out* for one and *in* for the other. With `within` (the units a user
    may read), a post in a unit outside it counts as outside every subtree."""
    qs = Rotation.objects.all() if qs is None else qs
    by_length: dict[int, dict[str, int | None]] = {}
    for path, pk in [(u.path, u.pk) for u in roots] if roots is not None else [("", None)]:
        by_length.setdefault(len(path), {})[path] = pk
    found: dict[int | None, dict[tuple, list[int]]] = {
        pk: {} for pk_of in by_length.values() for pk in pk_of.values()
    }
    for length, pk_of in sorted(by_length.items()):
        prefixes = list(pk_of)
        narrowed = qs.filter(_known_q(on))
        if len(prefixes) == 1:  # one subtree: let the path index find it
            narrowed = narrowed.filter(Q(to_position__unit__path__startswith=prefixes[0])
                                       | Q(from_position__unit__path__startswith=prefixes[0]))  # fmt: skip
        grouped = (
            narrowed.order_by()
            .annotate(f_to_root=_root("to_position", length, within),
                      f_from_root=_root("from_position", length, within),
                      f_from=F("from_position__unit__level"), f_to=F("to_position__unit__level"))
            .filter(Q(f_to_root__in=prefixes) | Q(f_from_root__in=prefixes))
            .values_list("f_to_root", "f_from_root", "f_from", "f_to", *GROUPED)
            .annotate(**_statuses(on))
        )  # fmt: skip
        for to_root, from_root, *values, n, under_way, ended in grouped:
            for prefix in {to_root, from_root} & pk_of.keys():
                side = WITHIN if to_root == from_root else IN if to_root == prefix else OUT
                counts = found[pk_of[prefix]].setdefault((side, *values), [0, 0, 0])
                counts[0] += n
                counts[1] += under_way
                counts[2] += ended
    return {
        pk: [(*key, *counts) for key, counts in sorted(groups.items(), key=_group_order)]
        for pk, groups in found.items()
    }


def _group_order(item) -> tuple:
    return tuple((v is not None, "" if v is None else str(v)) for v in item[0])


def _root(post: str, length: int, within: QuerySet | None):
    """The prefix of the path of `post`'s unit `length` long (NULL without a post, or with
    `within`, for a unit outside it)."""
    prefix = Substr(f"{post}__unit__path", 1, length)
    if within is None:
        return prefix
    return Case(When(**{f"{post}__unit__in": within}, then=prefix), default=Value(None),
                output_field=CharField())  # fmt: skip


def _rows(codes_labels) -> dict[str, Row]:
    return {code: Row(code, str(label)) for code, label in codes_labels}


def _with_shares(rows, total: Tally) -> list[Row]:
    for row in rows:
        row.share = share_of(row.tally.decided, total.decided)
    return list(rows)


def _level_order(level: str) -> int:
    return list(UnitLevel.values).index(level) if level in UnitLevel.values else len(UnitLevel)


def rotation_tables(rows: list[tuple]) -> tuple[Tally, list[Row], list[Row], list[Row], list[Row]]:
    """The tables from `rotation_rows`' groups (pure)."""
    total = Tally()
    kinds = _rows((k.value, k.label) for k in RotationKind)
    purposes = _rows((p.value, p.label) for p in RotationPurpose)
    directions = _rows(DIRECTION_LABELS.items())
    levels: dict[tuple[str, str], Row] = {}
    for (side, from_level, to_level, kind, purpose, direction, localities, sectors, n,
         under_way, ended) in rows:  # fmt: skip
        counts = (side, under_way, ended, n - under_way - ended)
        total.add(*counts)
        for table, code in ((kinds, kind), (purposes, purpose), (directions, direction)):
            if code not in table:  # a value outside the choices is not lost
                table[code] = Row(code, code)
            table[code].tally.add(*counts)
        if localities:
            directions[ACROSS_LOCALITIES].tally.add(*counts)
        if sectors:
            directions[ACROSS_SECTORS].tally.add(*counts)
        key = (from_level or NO_LEVEL, to_level or NO_LEVEL)
        if key not in levels:
            start = LEVEL_LABELS.get(key[0], key[0]) if key[0] else "–"
            levels[key] = Row(f"{key[0]}>{key[1]}",
                              f"{start} → {LEVEL_LABELS.get(key[1], key[1])}")  # fmt: skip
        levels[key].tally.add(*counts)
    by_levels = [levels[k] for k in sorted(levels, key=lambda k: (_level_order(k[0]),
                                                                  _level_order(k[1])))]  # fmt: skip
    return (total, _with_shares(kinds.values(), total), _with_shares(purposes.values(), total),
            _with_shares(directions.values(), total), _with_shares(by_levels, total))  # fmt: skip


def r5_limits(rule_set: RuleSetData | None) -> tuple[int, int]:
    """R5's (max_terms, term_min_months); the defaults without a rule set or an R5."""
    rule = None if rule_set is None else rule_set.rule("R5")
    if rule is None:
        return DEFAULT_MAX_TERMS, DEFAULT_TERM_MIN_MONTHS
    return (int(rule.param("max_terms") or DEFAULT_MAX_TERMS),
            int(rule.param("term_min_months") or DEFAULT_TERM_MIN_MONTHS))  # fmt: skip


def head_terms(unit: Unit, on: dt.date, min_months: int) -> list[tuple[str, int | None]]:
    """(level, consecutive terms or None without a calendar) of every head post held on
    `on` in `unit`'s subtree (units valid then), one per person and position: one query
    for the rows held, three for the tenures (`post_tenures`)."""
    held = list(
        Assignment.objects.filter(
            held_on_q(on), valid_on_q(on, "position__unit__"), position__title__is_head=True,
            position__unit__path__startswith=unit.path,
        )
        .order_by("person_id", "position_id", "id")
        .values_list("id", "person_id", "position_id", "position__unit__level")
    )  # fmt: skip
    if not held:
        return []
    tenures = post_tenures({row[1] for row in held}, on, term_min_months=min_months)
    terms_of_row = {
        row_id: tenure.terms
        for found in tenures.values()
        for tenure in found
        for row_id in tenure.row_ids
    }
    seen: set[tuple[int, int]] = set()
    out = []
    for row_id, person_id, position_id, level in held:
        if (person_id, position_id) in seen:  # split rows of one post held at once
            continue
        seen.add((person_id, position_id))
        out.append((level, terms_of_row.get(row_id)))
    return out


def term_table(heads: list[tuple[str, int | None]], max_terms: int) -> list[TermRow]:
    """Rows by level (central first) and the total (pure)."""
    by_level: dict[str, TermRow] = defaultdict(lambda: TermRow(None))
    total = TermRow(None)
    for level, terms in heads:
        row = by_level[level]
        row.level = level
        for target in (row, total):
            target.heads += 1
            if terms is None:
                continue
            target.judged += 1
            if terms > max_terms:
                target.beyond_limit += 1
            else:
                target.within_limit += 1
                if terms == max_terms:
                    target.at_limit += 1
    return [by_level[k] for k in sorted(by_level, key=_level_order)] + [total]


def rotation_figures(
    *,
    unit: Unit,
    on: dt.date,
    rotations: QuerySet[Rotation] | None = None,
    rule_set: RuleSetData | None = None,
) -> RotationFigures:
    """The figures of `unit`'s subtree on `on` (the caller checks that the user may view
    `unit`; `rotations` narrows the rotations read, all by default: counts name no one)."""
    total, kinds, purposes, directions, levels = rotation_tables(
        rotation_rows(unit, on, rotations)
    )
    non_local = key_leader_summary(unit=unit, on=on).summary
    if rule_set is None:
        try:
            rule_set = rule_set_in_force(on)
        except NoRuleSetInForce:  # counts still count: R5's defaults
            rule_set = None
    max_terms, min_months = r5_limits(rule_set)
    terms = term_table(head_terms(unit, on, min_months), max_terms)
    return RotationFigures(unit, on, total, kinds, purposes, directions, levels, non_local,
                           terms, max_terms)  # fmt: skip
