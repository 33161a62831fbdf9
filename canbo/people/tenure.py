"""Continuous tenure in a post, and the consecutive terms it spans (issue 13 item 5, ADR 0014).

Pure functions over plain data: the selector (`selectors_tenure.post_tenures`)
loads the rows, the unit successions and the term calendars; nothing here
touches the database, so the rule engine and what-if runs can call it too.

The rules, in one place (ADR 0014 gives the reasons):

- A row's period runs from its start (a start known to the month or year is
  already stored as the 1st of that month / 1 January) through
  `period_end(end, precision)`: an end known to the month or the year counts
  through the last day of that month or year. No end: still running.
- Two rows are the same post when both name a position with the same title
  and their units are the same or one follows the other through successions
  (a merger, either direction, transitively; two units that merged into the
  same one are *not* thereby the same unit). A row without a position is
  matched by its copied names (title and unit, accent- and case-folded, both
  required) with any row carrying the same names.
- Rows of the same post chain when the later one starts no later than the day
  after the earlier one ends; overlapping rows merge. A tenure held at D is
  the chain (rows started on or before D) through a row held at D; its start
  is the earliest start in the chain.
- Months: whole months from the start to the end of day D (D counts), so
  01/06/2020 → 31/05/2021 is 12 months and → 30/05/2021 is 11.
- Terms: see `count_terms`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext as _

from canbo.core.dates import DatePrecision, format_day, last_day_of_month, whole_months_between
from canbo.core.durations import duration_text  # noqa: F401 - used here and re-exported
from canbo.core.vntext import fold
from canbo.organizations.choices import TermBody, UnitKind

ONE_DAY = dt.timedelta(days=1)

# The same unit and title names recur across everyone's history: fold each once.
_fold = lru_cache(maxsize=1 << 16)(fold)

# A term counts when the person held the post for at least this many months of
# it (half of a five-year term); the term in progress at D counts the months
# to its end, the post being held on D. A rule set may pass its own value.
DEFAULT_TERM_MIN_MONTHS = 30

# The body whose term calendar applies to a post, by the kind of its unit.
# Other kinds (departments, the Front, courts…) have no elected term here.
TERM_BODY_BY_UNIT_KIND: Mapping[str, str] = {
    UnitKind.PARTY_COMMITTEE: TermBody.PARTY,
    UnitKind.PEOPLES_COUNCIL: TermBody.PEOPLES_COUNCIL,
    UnitKind.PEOPLES_COMMITTEE: TermBody.PEOPLES_COUNCIL,
}


def term_body_for(unit_kind: str | None) -> str | None:
    """The TermBody whose calendar counts the terms of a post in a unit of this kind."""
    return TERM_BODY_BY_UNIT_KIND.get(unit_kind or "")


def period_end(end: dt.date | None, precision: str) -> dt.date | None:
    """The last day a row's end date covers: the month's or the year's last day when that
    is all that is known; None (still running) stays None."""
    if end is None:
        return None
    if precision == DatePrecision.YEAR:
        return dt.date(end.year, 12, 31)
    if precision == DatePrecision.MONTH:
        return last_day_of_month(end.year, end.month)
    return end


def months_through(start: dt.date, on: dt.date) -> int:
    """Whole months from `start` to the end of day `on` (`on` counts); 0 when on < start."""
    return max(0, whole_months_between(start, on + ONE_DAY))


@dataclass(frozen=True)
class HistoryRow:
    """One work-history row (`Assignment`) as plain data."""

    id: int
    start: dt.date
    end: dt.date | None = None
    end_precision: str = DatePrecision.DAY
    start_precision: str = DatePrecision.DAY  # kept for display; the stored start is the 1st
    unit_id: int | None = None  # the position's unit; None for a row without position
    title_id: int | None = None
    unit_kind: str = ""  # UnitKind of the position's unit
    unit_name: str = ""  # names as they were (copies on the row)
    title_name: str = ""

    # Derived once (each row is compared with every other row of the person's history).
    last_day: dt.date | None = field(init=False, repr=False, compare=False)
    name_key: tuple[str, str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "last_day", period_end(self.end, self.end_precision))
        title, unit = _fold(self.title_name), _fold(self.unit_name)
        object.__setattr__(self, "name_key", (title, unit) if title and unit else None)

    def held_on(self, on: dt.date) -> bool:
        last = self.last_day
        return self.start <= on and (last is None or last >= on)


@dataclass(frozen=True)
class TermSpan:
    """One term of a body's calendar (`organizations.Term`)."""

    start: dt.date
    end: dt.date
    name: str = ""


@dataclass(frozen=True)
class Tenure:
    """Continuous tenure at `on` in one post held on that day."""

    on: dt.date
    start: dt.date
    months: int
    row_ids: tuple[int, ...]  # the rows it spans, earliest start first
    row_id: int = 0  # the row held on `on` that shows the post (the latest started)
    title_id: int | None = None  # of that row
    unit_id: int | None = None
    title_name: str = ""
    unit_name: str = ""
    body: str | None = None  # TermBody of the post's calendar; None: no calendar applies
    terms: int | None = None  # consecutive terms (count_terms); None: no calendar applies

    @property
    def years_and_months(self) -> tuple[int, int]:
        return divmod(self.months, 12)


class Successions:
    """Which units follow which, after mergers and splits (predecessor → successors)."""

    def __init__(self, successors: Mapping[int, Iterable[int]] | Iterable[tuple[int, int]] = ()):
        pairs = (
            [(p, s) for p, ss in successors.items() for s in ss]
            if isinstance(successors, Mapping)
            else list(successors)
        )
        self.forward: dict[int, set[int]] = {}
        for predecessor, successor in pairs:
            self.forward.setdefault(predecessor, set()).add(successor)
        self._after: dict[int, frozenset[int]] = {}

    def after(self, unit_id: int) -> frozenset[int]:
        """Every unit that (transitively) succeeds `unit_id`."""
        found = self._after.get(unit_id)
        if found is None:
            seen: set[int] = set()
            stack = list(self.forward.get(unit_id, ()))
            while stack:
                unit = stack.pop()
                if unit not in seen:
                    seen.add(unit)
                    stack.extend(self.forward.get(unit, ()))
            found = self._after[unit_id] = frozenset(seen)
        return found

    def linked(self, a: int, b: int) -> bool:
        """Same unit, or one follows the other (either direction, transitively)."""
        return a == b or b in self.after(a) or a in self.after(b)


def same_post(a: HistoryRow, b: HistoryRow, successions: Successions) -> bool:
    if a.title_id is not None and b.title_id is not None:
        return (
            a.title_id == b.title_id
            and a.unit_id is not None
            and b.unit_id is not None
            and successions.linked(a.unit_id, b.unit_id)
        )
    key = a.name_key
    return key is not None and key == b.name_key


def touch(a: HistoryRow, b: HistoryRow) -> bool:
    """The two periods overlap or the later one starts the day after the earlier one ends."""
    a_last, b_last = a.last_day, b.last_day
    a_reaches_b = a_last is None or b.start <= a_last + ONE_DAY
    b_reaches_a = b_last is None or a.start <= b_last + ONE_DAY
    return a_reaches_b and b_reaches_a


def tenures_on(
    rows: Iterable[HistoryRow],
    on: dt.date,
    successions: Successions | None = None,
    calendars: Mapping[str, Sequence[TermSpan]] | None = None,
    term_min_months: int = DEFAULT_TERM_MIN_MONTHS,
) -> list[Tenure]:
    """One Tenure per post held on `on`, ordered by start then row id.

    `calendars`: TermBody → that body's terms; a post whose body has a calendar
    gets `terms` (count_terms), any other `terms=None`.
    """
    successions = successions or Successions()
    calendars = calendars or {}
    started = sorted((r for r in rows if r.start <= on), key=lambda r: (r.start, r.id))
    # Connected groups of rows: same post and touching periods, pairwise (union-find).
    parent = list(range(len(started)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(started):
        for j in range(i + 1, len(started)):
            b = started[j]
            if touch(a, b) and same_post(a, b, successions):
                parent[root(j)] = root(i)

    chains: dict[int, list[HistoryRow]] = {}
    for i, row in enumerate(started):
        chains.setdefault(root(i), []).append(row)
    result = []
    for chain in chains.values():
        held = [r for r in chain if r.held_on(on)]
        if not held:
            continue
        current = held[-1]  # the latest started, ties by id
        with_position = [r for r in chain if r.unit_id is not None]
        body = term_body_for(with_position[-1].unit_kind) if with_position else None
        start = chain[0].start
        has_calendar = body is not None and body in calendars
        tenure = Tenure(
            on=on,
            start=start,
            months=months_through(start, on),
            row_ids=tuple(r.id for r in chain),
            row_id=current.id,
            title_id=current.title_id,
            unit_id=current.unit_id,
            title_name=current.title_name,
            unit_name=current.unit_name,
            body=body,
            terms=count_terms(start, on, calendars[body], term_min_months) if has_calendar else None,
        )
        result.append(tenure)
    return sorted(result, key=lambda t: (t.start, t.row_ids))


def count_terms(
    start: dt.date,
    on: dt.date,
    terms: Sequence[TermSpan],
    min_months: int = DEFAULT_TERM_MIN_MONTHS,
) -> int:
    """Consecutive terms of the calendar in which a post held from `start` to `on` counts.

    A term counts when the post was held at least `min_months` whole months of it.
    The term in progress on `on` is counted to its end (the post is held on
    `on`): someone elected at this term's congress is in their first term, and
    someone appointed a few weeks before a congress does not count the term
    that is ending. Terms are taken in calendar order, walking back from the
    last one begun by `on`; the count stops at the first term that does not count.
    """
    ordered = sorted((t for t in terms if t.start <= on), key=lambda t: t.start)
    held_until = on
    for term in ordered:
        if term.start <= on <= term.end:
            held_until = max(held_until, term.end)
    count = 0
    for term in reversed(ordered):
        first, last = max(start, term.start), min(held_until, term.end)
        if last < first or months_through(first, last) < min_months:
            break
        count += 1
    return count


def tenure_text(tenure: Tenure) -> str:
    """"Giữ chức vụ liên tục từ 01/06/2020 (5 năm 2 tháng, 2 nhiệm kỳ)", as the profile shows it."""
    detail = duration_text(tenure.months)
    if tenure.terms is not None:
        detail = _("%(duration)s, %(terms)d nhiệm kỳ") % {"duration": detail, "terms": tenure.terms}
    return _("Giữ chức vụ liên tục từ %(start)s (%(detail)s)") % {
        "start": format_day(tenure.start),
        "detail": detail,
    }
