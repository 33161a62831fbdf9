"""Facts of the holders of posts on a date (rules R4 and R5, issue 15).

R4 (non-local posts) and R5 (the two-term limit) are about who holds a post on a date,
not about rotation records. Plain, frozen data filled by
`canbo.rotation.holders.holder_facts` in a fixed number of queries; the checks
(`rules.checks.posts`) never touch the database. What the checks and the watch lists
compute alike lives here once: the consecutive terms of a holder at a day for a given
term threshold (`HolderFacts.terms_on`) and the start of the next term of a calendar
(`next_term_start`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from canbo.people.tenure import DEFAULT_TERM_MIN_MONTHS, TermSpan, count_terms

from .facts import PersonFacts

ONE_DAY = dt.timedelta(days=1)


def next_term_start(calendar: Sequence[TermSpan], on: dt.date) -> dt.date | None:
    """The start of the first term of `calendar` that begins after `on`; when the calendar
    records none, the day after the term in progress on `on` ends (None: no calendar, or
    `on` after its last term)."""
    later = [t.start for t in calendar if t.start > on]
    if later:
        return min(later)
    current = [t.end for t in calendar if t.start <= on <= t.end]
    return max(current) + ONE_DAY if current else None


@dataclass(frozen=True, slots=True)
class HolderFacts:
    """One person holding one post on the as-of date, with locality and tenure."""

    person: PersonFacts
    position_id: int
    unit_id: int
    unit_name: str
    unit_path: str
    level: str  # UnitLevel of the post's unit (R4's parameter is keyed by it)
    title_id: int
    title_code: str
    title_name: str
    is_head: bool = False
    is_key: bool = False
    # Local to the area the post's unit governs (ADR 0013); None: hometown or area unknown.
    local: bool | None = None
    hometown_name: str = ""
    # Continuous tenure in the post (ADR 0014: across mergers and split history rows).
    tenure_start: dt.date | None = None
    tenure_months: int | None = None
    # Consecutive terms on the as-of date with the default threshold (30 months); None when
    # no term calendar applies to the post's unit (`people.tenure.term_body_for`).
    terms: int | None = None
    term_body: str | None = None  # TermBody of the post's calendar
    calendar: tuple[TermSpan, ...] = ()  # that body's terms, in order
    next_term_start: dt.date | None = None  # of that calendar, after the as-of date

    @property
    def person_id(self) -> int:
        return self.person.id

    @property
    def post_name(self) -> str:
        return f"{self.title_name} – {self.unit_name}"

    def terms_on(self, day: dt.date, min_months: int = DEFAULT_TERM_MIN_MONTHS) -> int | None:
        """Consecutive terms of the post's calendar counted on `day` (`count_terms`), the
        post held without a break from the tenure's start to `day`; None without a
        calendar or a tenure."""
        if not self.calendar or self.tenure_start is None:
            return None
        return count_terms(self.tenure_start, day, self.calendar, min_months)

    def terms_at_next_term(self, min_months: int = DEFAULT_TERM_MIN_MONTHS) -> int | None:
        """The consecutive terms served when the next term starts, the post kept until then."""
        if self.next_term_start is None:
            return None
        return self.terms_on(self.next_term_start - ONE_DAY, min_months)


@dataclass(frozen=True)
class PostsFacts:
    """The holders a run of R4 and R5 reads, in unit path, title and person order."""

    holders: tuple[HolderFacts, ...] = ()

    @classmethod
    def of(cls, holders: Iterable[HolderFacts]) -> PostsFacts:
        return cls(tuple(sorted(holders, key=lambda h: (h.unit_path, h.title_code,
                                                        h.position_id, h.person.id))))  # fmt: skip

    def missing(self) -> tuple[set[int], set[int]]:
        """Nothing can be missing: each holder carries its person and post."""
        return set(), set()


__all__ = ["HolderFacts", "PostsFacts", "TermSpan", "next_term_start"]
