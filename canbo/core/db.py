"""Database housekeeping shared by the bulk writers."""

from collections.abc import Hashable

from django.db import connection, models
from django.utils import timezone


def refresh_planner_statistics() -> None:
    """Update the query planner's statistics after a bulk load.

    Without it PostgreSQL guesses that an accent-free search matches one row and
    picks nested loops that take ten times longer (see docs/performance.md).
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# Field types whose Python values the database drivers cannot take as they are.
_CONVERTED = (
    models.DateField,  # DateTimeField too
    models.DecimalField,
    models.JSONField,
    models.UUIDField,
    models.DurationField,
)


def insert_rows(model, columns: list[str], rows: list[tuple], *, returning: bool = False):
    """Insert plain rows (attname order as `columns`) as fast as the database takes them.

    Django's bulk_create spends most of its time preparing each value of each
    model instance; bulk imports already hold validated plain values, so this
    converts only the columns that need it. PostgreSQL gets them through COPY
    (its client-side parameter binding costs more than the insert itself);
    SQLite through large multi-row INSERT statements. With returning=True it
    gives back the new primary keys in row order.
    """
    if not rows:
        return []
    meta = model._meta
    by_attname = {field.attname: field for field in meta.concrete_fields}
    fields = [by_attname[name] for name in columns]
    prepared = _prepared(fields, rows)
    if connection.vendor == "postgresql":
        return _copy_rows(meta, fields, prepared, returning)
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    column_sql = ", ".join(quote(field.column) for field in fields)
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    batch = max(1, min(2000, 30000 // len(fields)))
    tail = f" RETURNING {quote(meta.pk.column)}" if returning else ""
    pks: list = []
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), batch):
            chunk = prepared[start : start + batch]
            params = [value for row in chunk for value in row]
            sql = f"INSERT INTO {table} ({column_sql}) VALUES " + ", ".join([one_row] * len(chunk))
            cursor.execute(sql + tail, params)
            if returning:
                pks.extend(row[0] for row in cursor.fetchall())
    return pks


def _prepared(fields, rows: list[tuple]) -> list:
    """Rows with the values the driver cannot take as they are converted by their field."""
    # Dates and timestamps repeat (birth dates, the import's own time): convert each once.
    converters = [
        (index, field, {}) for index, field in enumerate(fields) if isinstance(field, _CONVERTED)
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
    with connection.cursor() as cursor:
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
