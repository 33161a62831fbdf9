"""Whose main posts are known never to be held on the same day (ADR 0035).

TK-CB counts each person once, at the main post recorded first when the records give
them two on the cut-off date. For most people no two main posts ever share a day, and
they need no such look-up: `Person.main_posts_apart` says so, and the report reads the
rest (few) with the look-up.

- A database trigger (migration 0009, PostgreSQL and SQLite) sets the flag back to False
  for the people of every work-history row inserted or updated that is a main post after
  the write, whatever writes it: services, imports, COPY, the admin, raw SQL. Deleting a
  row, or writing one that is not a main post, cannot make two main posts meet.
- `settle` sets it to True for the people whose main posts never meet, read from the
  records as they are when it runs. It is called after each write of the work history
  (on commit), by the data package's import for the people it wrote, and by
  `canbo settle_main_posts` for everyone (after bulk loads).

A flag left False is never wrong, only slower to count: the report treats those people
with the full rule. A flag True must be right: `settle` locks the people's rows first
(the trigger writes them too, so a concurrent write of their history waits, or is
waited for), then judges in a new statement that sees what was committed meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections, router, transaction
from django.db.models import Exists, F, OuterRef

from .models import Assignment, Person
from .selectors import MAIN_POST, held_on_q

#: People judged per transaction.
BATCH = 5000


def meeting_posts():
    """The main posts (of the outer query's person) on whose first day another of the
    person's main posts is held too. Two posts share a day if and only if, on the first
    day of the one starting later, both are held (a post ending before it starts is
    never held)."""
    other = (Assignment.objects.filter(MAIN_POST, person=OuterRef("person"))
             .filter(held_on_q(OuterRef("start_date"))).exclude(pk=OuterRef("pk")))  # fmt: skip
    return Assignment.objects.filter(MAIN_POST, held_on_q(F("start_date")), person=OuterRef("pk"),
                                     ).filter(Exists(other))  # fmt: skip


def settle(people: Iterable[int] | None = None) -> int:
    """Set `main_posts_apart` for the people given (None: everyone not yet apart) whose
    main posts never share a day. Returns how many were set."""
    settled = 0
    if people is not None:
        ids = sorted(set(people))
        for start in range(0, len(ids), BATCH):
            settled += _settle_batch(ids[start:start + BATCH])
        return settled
    last = 0
    while True:
        ids = list(Person.objects.filter(main_posts_apart=False, pk__gt=last).order_by("pk")
                   .values_list("pk", flat=True)[:BATCH])  # fmt: skip
        if not ids:
            return settled
        settled += _settle_batch(ids)
        last = ids[-1]


def _settle_batch(ids: list[int]) -> int:
    with transaction.atomic():
        # Lock first: a write of their history in progress (the trigger updates the
        # person's row) is waited for; one starting now waits for us.
        locked = list(Person.objects.select_for_update().filter(pk__in=ids, main_posts_apart=False)
                      .order_by("pk").values_list("pk", flat=True))  # fmt: skip
        if not locked:
            return 0
        return (Person.objects.filter(pk__in=locked).exclude(Exists(meeting_posts()))
                .update(main_posts_apart=True))  # fmt: skip


def settle_bulk_load() -> int:
    """After a bulk load (the demo and national seeds): settle everyone, then on
    PostgreSQL rewrite the people table compactly. Settling writes a new version of each
    row; without the rewrite the table keeps twice its pages and the national TK-CB
    reads them all (and was planned with index probes instead of hash joins: 4 s, not
    3). Outside a transaction only (VACUUM cannot run in one); inside, settling alone.

    The tables are analyzed first: a bulk load leaves them without statistics until
    autovacuum gets to them, and the settling's look-up planned without them took
    1,205 s for the national seed's 2,000,000 people instead of about 190 s."""
    connection = connections[router.db_for_write(Person)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Person._meta.db_table}, {Assignment._meta.db_table}")
    settled = settle()
    if connection.vendor == "postgresql" and not connection.in_atomic_block and settled:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (FULL, ANALYZE) {Person._meta.db_table}")
    return settled


def settle_on_commit(people: Iterable[int]) -> None:
    """Settle these people once the current transaction commits. What was written is
    committed by then: a failure to settle (a lock wait cut short, say) is logged, not
    raised, and leaves the people unsettled (counted right, only slower)."""
    people = list(people)
    transaction.on_commit(lambda: settle(people), robust=True)


def on_post_saved(sender, instance: Assignment, raw: bool = False, **kwargs) -> None:
    """A work-history row was saved: once the transaction commits, settle its person."""
    if not raw:
        settle_on_commit([instance.person_id])
