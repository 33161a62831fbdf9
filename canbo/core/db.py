"""Database housekeeping shared by the bulk writers."""

import contextlib
import itertools
import queue
import threading
from collections.abc import Collection, Hashable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

from django.db import DatabaseError, connection, connections, models
from django.db.models.query import ValuesListIterable
from django.utils import timezone


def refresh_planner_statistics() -> None:
    """Update the query planner's statistics after a bulk load.

    Without it PostgreSQL guesses that an accent-free search matches one row and
    picks nested loops that take ten times longer (see docs/performance.md).
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@contextlib.contextmanager
def large_write_cache(mib: int = 256) -> Iterator[None]:
    """Give SQLite a page cache large enough for one big write, then the usual one back.

    With the default 2 MB cache, inserting a hundred thousand rows into a table with
    several indexes evicts and re-reads index pages over and over, and spills dirty
    pages to the WAL before the commit (a 100,000-person import: 9 s of inserting,
    5 s with the cache below). The cache only decides how many pages stay in memory:
    durability (journal mode, synchronous) is untouched. Other databases: no-op.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-int(mib) * 1024}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


# Field types whose Python values the database drivers cannot take as they are.
_CONVERTED = (
    models.DateField,  # DateTimeField too
    models.DecimalField,
    models.JSONField,
    models.UUIDField,
    models.DurationField,
)


def insert_rows(
    model,
    columns: list[str],
    rows: list[tuple],
    *,
    returning: bool = False,
    ready: Collection[str] = (),
):
    """Insert plain rows (attname order as `columns`) as fast as the database takes them.

    Django's bulk_create spends most of its time preparing each value of each
    model instance; bulk imports already hold validated plain values, so this
    converts only the columns that need it (`ready` names columns whose values
    the caller already gives in database form, e.g. JSON text). PostgreSQL gets
    them through COPY (its client-side parameter binding costs more than the
    insert itself); SQLite through one prepared statement run over every row. With
    returning=True it gives back the new primary keys in row order.
    """
    if not rows:
        return []
    meta = model._meta
    by_attname = {field.attname: field for field in meta.concrete_fields}
    fields = [by_attname[name] for name in columns]
    prepared = _prepared(fields, rows, skip={columns.index(name) for name in ready})
    if connection.vendor == "postgresql":
        return _copy_rows(meta, fields, prepared, returning)
    return _insert_sqlite(meta, fields, prepared, returning)


def _insert_sqlite(meta, fields, rows: list, returning: bool) -> list:
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    column_sql = ", ".join(quote(field.column) for field in fields)
    # One prepared single-row statement run over every row by the driver (executemany),
    # on the driver's own cursor: a third cheaper than multi-row INSERT … RETURNING,
    # whose tens of thousands of %s Django's cursor would also rewrite first.
    sql = f"INSERT INTO {table} ({column_sql}) VALUES ({', '.join(['?'] * len(fields))})"
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = connection.connection.cursor()
        try:
            cursor.executemany(sql, rows)
            if not returning:
                return []
            # SQLite has one writer: inside this transaction nobody else inserts, and each
            # new row takes the next key after the largest, so the keys are consecutive.
            last = cursor.execute("SELECT last_insert_rowid()").fetchone()[0]
            first = last - len(rows) + 1
            pk = quote(meta.pk.column)
            found = cursor.execute(
                f"SELECT count(*) FROM {table} WHERE {pk} BETWEEN ? AND ?", (first, last)
            ).fetchone()[0]
            if found != len(rows):
                raise RuntimeError(f"{table}: new keys are not consecutive")
            return list(range(first, last + 1))
        finally:
            cursor.close()


def _prepared(fields, rows: list[tuple], skip: Collection[int] = ()) -> list:
    """Rows with the values the driver cannot take as they are converted by their field."""
    # Dates and timestamps repeat (birth dates, the import's own time): convert each once.
    converters = [
        (index, field, {})
        for index, field in enumerate(fields)
        if isinstance(field, _CONVERTED) and index not in skip
    ]
    if not converters:
        return rows
    out = []
    for row in rows:
        row = list(row)
        for index, field, memo in converters:
            value = row[index]
            if value is None:
                continue
            try:
                row[index] = memo[value]
            except (KeyError, TypeError):
                row[index] = field.get_db_prep_save(value, connection)
                if isinstance(value, Hashable):
                    memo[value] = row[index]
        out.append(row)
    return out


def _copy_rows(meta, fields, rows: list, returning: bool) -> list:
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    names = [field.column for field in fields]
    pks: list = []
    # The driver's own COPY bypasses Django's cursor wrapper: wrap its errors here, so a
    # duplicate key is Django's IntegrityError as with any other write.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if returning:
            # New keys come from the table's own sequence, in row order, then go in with the rows.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(rows)],
            )
            pks = [row[0] for row in cursor.fetchall()]
            names = [meta.pk.column, *names]
            rows = [(pk, *row) for pk, row in zip(pks, rows, strict=True)]
        sql = f"COPY {table} ({', '.join(quote(n) for n in names)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    return pks


def insert_objects(model, objects: list) -> None:
    """Insert unsaved model instances with insert_rows and set their primary keys."""
    if not objects:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    stamped = [f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for obj in objects:
        for name in stamped:
            if getattr(obj, name) is None:
                setattr(obj, name, now)
    columns = [f.attname for f in fields]
    rows = [tuple(getattr(obj, name) for name in columns) for obj in objects]
    for obj, pk in zip(objects, insert_rows(model, columns, rows, returning=True), strict=True):
        obj.pk = pk
        obj._state.adding = False


def read_ahead(rows: Iterator, chunk: int = 5000) -> Iterator:
    """The rows of a streamed queryset, the next chunk fetched while this one is used.

    On PostgreSQL a server-side cursor waits for each FETCH; an export spent a
    sixth of its time so. Here a second thread pulls the next `chunk` rows from
    the same cursor (psycopg releases the interpreter while it waits and locks the
    connection, so other queries of this thread interleave safely). The query
    itself runs on this thread, on its own connection, before the first row is
    yielded. On other databases the rows are passed through."""
    if connection.vendor != "postgresql":
        yield from rows
        return
    source = iter(rows)
    first = list(itertools.islice(source, chunk))
    if len(first) < chunk:
        yield from first
        return
    chunks: queue.Queue = queue.Queue(2)
    stop = threading.Event()

    def pull() -> None:
        try:
            while not stop.is_set():
                block = list(itertools.islice(source, chunk))
                chunks.put(block)
                if not block:
                    return
        except BaseException as exc:  # raised again on the reading thread
            chunks.put(exc)

    reader = threading.Thread(target=pull, name="read-ahead", daemon=True)
    reader.start()
    try:
        yield from first
        while True:
            block = chunks.get()
            if isinstance(block, BaseException):
                raise block
            if not block:
                return
            yield from block
    finally:
        stop.set()
        while reader.is_alive():  # unblock a reader waiting to put, then let it end
            with contextlib.suppress(queue.Empty):
                chunks.get(timeout=0.05)
        reader.join()


@contextlib.contextmanager
def session_settings(aliases: Iterable[str], values: dict[str, str]) -> Iterator[None]:
    """PostgreSQL settings for the statements run inside, on each of `aliases`' PostgreSQL
    connections (others are left alone), and the connection's own values again after:
    one statement each way per connection. When the work inside fails in a transaction it
    aborted, the transaction's rollback restores them."""
    chosen = [connections[alias] for alias in aliases]
    chosen = [c for c in chosen if c.vendor == "postgresql"]
    names = list(values)
    for each in chosen:
        with each.cursor() as cursor:
            cursor.execute(
                "SELECT " + ", ".join(["set_config(%s, %s, false)"] * len(names)),
                [part for name in names for part in (name, values[name])],
            )
    failed = False
    try:
        yield
    except BaseException:
        failed = True
        raise
    finally:
        for each in chosen:
            try:
                with each.cursor() as cursor:
                    cursor.execute("; ".join(f"RESET {name}" for name in names))
            except DatabaseError:
                if not failed:
                    raise


def whole_result_plans() -> contextlib.AbstractContextManager[None]:
    """Plan streamed queries for their whole result, not their first rows (PostgreSQL).

    A server-side cursor is planned for its first tenth by default
    (`cursor_tuple_fraction`), which favours nested index scans that start fast and
    finish slowly; outside a transaction Django's cursors are WITH HOLD, so the whole
    result is computed before the first row anyway. An export reads every row: planned
    as such, the rows of a national package come 15% sooner (rewards 2.9 -> 1.3 s,
    trainings 6.3 -> 4.3 s). Set on each PostgreSQL connection (the replica's too)."""
    return session_settings(list(connections), {"cursor_tuple_fraction": "1.0"})


def planned_for_scans(alias: str) -> contextlib.AbstractContextManager[None]:
    """Plan the statements run inside for reading most of large tables (PostgreSQL).

    canbo's connections price a random page read near a sequential one (random_page_cost
    1.1, ADR 0008): right for searches and pages that reach a few rows through an index,
    wrong for a statement that aggregates millions of rows. For the national TK-CB the
    planner chose an index probe per row and join (16 M buffer visits) where hash joins
    over sequential reads take 35-45 % less time, and PostgreSQL's default 4 MB of work
    memory sent such hashes to disk in batches. Inside: the default price of a random
    read (4) and CANBO_SCAN_WORK_MEM per hash or sort (ADR 0033)."""
    from django.conf import settings

    return session_settings(
        [alias], {"random_page_cost": "4", "work_mem": settings.CANBO_SCAN_WORK_MEM}
    )


def rows_ahead(querysets: Sequence[models.QuerySet]) -> Iterator[list[tuple]]:
    """The rows of each `values_list()` queryset in turn, as a list per queryset.

    On PostgreSQL the statements run one after the other on a second thread, over this
    thread's connection and so inside its transaction, while the caller works on the
    rows of the earlier ones: the server's time overlaps the caller's (the national
    planning facts wait half a second for five statements about the same people).
    The caller must not use the connection while it iterates (it would wait its
    turn). An error is raised where its statement's rows would have come; the
    statements after it are not run. Elsewhere the statements run as they are asked
    for."""
    if not querysets:
        return
    db = connections[querysets[0].db]
    if db.vendor != "postgresql" or any(qs.db != querysets[0].db for qs in querysets):
        for qs in querysets:
            yield list(value_rows(qs))
        return

    def fetch(qs: models.QuerySet) -> list[tuple]:
        return list(value_rows(qs, connection=db))

    db.inc_thread_sharing()
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rows-ahead")
    try:
        # Checked here, not on the worker: a wrong queryset fails on the caller's thread.
        for qs in querysets:
            _check_values_list(qs)
        futures = [worker.submit(fetch, qs) for qs in querysets]
        for future in futures:
            yield future.result()
    finally:
        worker.shutdown(wait=True, cancel_futures=True)
        db.dec_thread_sharing()


def _check_values_list(queryset: models.QuerySet) -> None:
    if queryset._iterable_class is not ValuesListIterable:
        raise TypeError("value_rows reads a values_list() queryset (not flat, not named)")


def value_rows(queryset: models.QuerySet, chunk: int = 10_000, connection=None) -> Iterator[tuple]:
    """The rows of a `values_list()` queryset (plain tuples), fetched `chunk` at a time.

    Iterating the queryset fetches 100 rows at a time: 4,600 `fetchmany` calls for the
    national planning facts' 460,000 rows (a tenth of a second). The rows are the same
    (Django's converters applied)."""
    _check_values_list(queryset)
    query = queryset.query
    # `connection`: a connection shared from another thread (rows_ahead); by alias,
    # this thread's own.
    compiler = (
        query.get_compiler(connection=connection)
        if connection is not None
        else query.get_compiler(queryset.db)
    )
    return compiler.results_iter(tuple_expected=True, chunk_size=chunk)
