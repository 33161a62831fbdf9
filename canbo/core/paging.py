"""Paging long lists without counting millions of rows (see ADR 0008).

An exact count of a search over two million people visits every match (the
table pages of 100,000+ rows). The list only needs the number when it is
small enough to read, and "more than 1,000" otherwise, with a link that
counts exactly on request. So the paginator reads at most `cap` + 1 matches.

Reading them also tells how to fetch the page:

- At most `cap` matches: the first query has already read all of them
  (their keys); they are sorted in Python and the page's rows are fetched
  by key. One pass over the matches in all.
- More: the page is found by walking the order index (the keys alone, an
  index-only scan when the index covers the filter) until it is full. That
  is quick when matches are spread along the name order, which many matches
  usually are; but they can sit together far down the order ("nguyen thi
  thu": given name Thu, near the end), and then the walk reads most of the
  index. So on PostgreSQL the walk gets `walk_timeout_ms`; past it, the
  database collects every match and sorts them instead (`small_ordering`:
  the same order through an expression no index serves).

PostgreSQL's planner makes this choice itself from estimates that can be
200 times off for `LIKE '%word%'`, hence the explicit strategy.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from operator import itemgetter

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import OperationalError, connections, transaction
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

COUNT_CAP = 1_000
WALK_SETTINGS = {"enable_bitmapscan": "off", "max_parallel_workers_per_gather": "0"}


class CappedPage(Page):
    """A page that knows whether another follows even when the count stopped early."""

    more: bool | None = None

    def has_next(self) -> bool:
        return super().has_next() if self.more is None else self.more


class CappedPaginator(Paginator):
    """A paginator whose count stops at `cap` + 1 (then `count_capped` is true).

    `exact=True` counts every row (the user asked for it). `key_fields`: the
    ordering as plain fields whose Python order is the database's order (then
    few matches are sorted in Python); `small_ordering`: the same order as
    expressions no index serves.
    """

    cap: int = COUNT_CAP
    key_fields: Sequence[str] | None = None
    small_ordering: Sequence | None = None
    walk_timeout_ms: int = 50
    walk_budget: int = 100_000  # index entries a walk may read (about 45 ms)

    def __init__(self, object_list, per_page, *args, exact: bool = False, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.exact = exact
        self._keys: list | None = None
        self._sample: list | None = None

    @cached_property
    def count(self) -> int:
        rows = self.object_list.order_by()
        if self.exact:
            return rows.count()
        if self.key_fields is None:
            return rows.values("pk")[: self.cap + 1].count()
        found = list(rows.values_list("pk", *self.key_fields)[: self.cap + 1])
        found.sort(key=itemgetter(*range(1, len(self.key_fields) + 1)))
        if len(found) <= self.cap:  # all of them: their keys make every page
            self._keys = [row[0] for row in found]
        else:  # a sample of the matches, in order: where the pages lie
            self._sample = [row[1] for row in found]
        return len(found)

    @property
    def count_capped(self) -> bool:
        return not self.exact and self.count > self.cap

    def validate_number(self, number):
        if not self.count_capped:
            return super().validate_number(number)
        # Past the cap the last page is unknown: any page may follow.
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(_("Số trang không phải số nguyên.")) from None
        if number < 1:
            raise EmptyPage(_("Số trang nhỏ hơn 1."))
        return number

    def get_page(self, number):
        try:
            return super().get_page(number)
        except EmptyPage:  # past the rows, which a capped count could not tell
            return self.page(self.num_pages)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if self.count_capped:
            # One key more than the page tells whether another page follows.
            keys = self.walk_keys(bottom, top + 1)
            if not keys and number > 1:
                raise EmptyPage(_("Trang này không có kết quả."))
            page = self._get_page(self.rows_for(keys[: self.per_page]), number, self)
            page.more = len(keys) > self.per_page
            return page
        if top + self.orphans >= self.count:
            top = self.count
        if self._keys is not None:
            keys = self._keys[bottom:top]
        elif self.count <= self.cap:
            ordered = self.object_list
            if self.small_ordering is not None:
                ordered = ordered.order_by(*self.small_ordering)
            return self._get_page(ordered[bottom:top], number, self)
        else:
            keys = self.walk_keys(bottom, top)
        return self._get_page(self.rows_for(keys), number, self)

    def rows_for(self, keys: list):
        """The page's rows, by key alone, in the list's order.

        The filters (scope and search included) already chose the keys;
        repeating them would let the planner run the search index again.
        """
        source = self.object_list
        rows = source.model._default_manager.filter(pk__in=keys)
        rows.query.select_related = source.query.select_related
        rows.query.deferred_loading = source.query.deferred_loading  # only() / defer()
        rows = rows.prefetch_related(*source._prefetch_related_lookups)
        return rows.order_by(*source.query.order_by) if source.query.order_by else rows

    def _get_page(self, *args, **kwargs):
        return CappedPage(*args, **kwargs)

    def walk_keys(self, bottom: int, top: int) -> list:
        """Keys of one page of many matches: walk the order index, or sort them all."""
        keys = self.object_list.values_list("pk", flat=True)
        if connections[keys.db].vendor != "postgresql":
            return list(keys[bottom:top])
        if not self.walk_is_long(top):
            try:
                return self.timed_walk(keys[bottom:top])
            except OperationalError:  # the walk ran long: the matches sit together
                pass
        if self.small_ordering is not None:
            keys = keys.order_by(*self.small_ordering)
        return list(keys[bottom:top])

    def walk_is_long(self, top: int) -> bool:
        """Whether walking the order index to the page reads many entries first.

        The matches read by the count are a sample of all of them, spread
        over the whole set: the smallest sampled key (for page n, the n-th)
        tells roughly where the page lies in the name order, and the
        column's histogram (pg_stats) how far down the table that is.
        "nguyen thi thu": the matches begin under the given name Thu, about
        85% down two million rows; "nguyen van" near the top.
        """
        rank = -(-top // self.per_page)  # the page's number
        if self._sample is None or rank > len(self._sample):
            return False
        model = self.object_list.model
        column = model._meta.get_field(self.key_fields[0]).column
        with connections[self.object_list.db].cursor() as cursor:
            cursor.execute(
                "SELECT s.histogram_bounds::text::text[], c.reltuples FROM pg_stats s "
                "JOIN pg_class c ON c.relname = s.tablename "
                "WHERE s.schemaname = current_schema() AND s.tablename = %s AND s.attname = %s "
                "AND c.relnamespace = current_schema()::regnamespace",
                [model._meta.db_table, column],
            )
            row = cursor.fetchone()
        if row is None or not row[0]:
            return False
        bounds, rows = row
        position = bisect_right(bounds, self._sample[rank - 1]) / len(bounds) * max(rows, 0)
        return position > self.walk_budget

    def timed_walk(self, keys) -> list:
        """Run `keys` without bitmap scans (the count says matches are many), within the timeout."""
        connection = connections[keys.db]
        with transaction.atomic(using=keys.db), connection.cursor() as cursor:
            # A walk that stops after one page gains nothing from parallel workers,
            # whose start costs more than the walk.
            for setting, value in WALK_SETTINGS.items():
                cursor.execute(f"SET LOCAL {setting} = {value}")
            cursor.execute(f"SET LOCAL statement_timeout = {max(1, int(self.walk_timeout_ms))}")
            found = list(keys)
            for setting in (*WALK_SETTINGS, "statement_timeout"):
                cursor.execute(f"RESET {setting}")
            return found
