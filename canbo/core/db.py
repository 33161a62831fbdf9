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
    """Insert plain rows (attname order as `columns`) in large multi-row statements.

    Django's bulk_create spends most of its time preparing each value of each
    model instance; bulk imports already hold validated plain values, so this
    converts only the columns that need it and builds the statements directly.
    With returning=True it gives back the new primary keys in row order (the
    same guarantee bulk_create relies on, on both SQLite and PostgreSQL).
    """
    if not rows:
        return []
    meta = model._meta
    by_attname = {field.attname: field for field in meta.concrete_fields}
    fields = [by_attname[name] for name in columns]
    # Dates and timestamps repeat (birth dates, the import's own time): convert each once.
    converters = [
        (index, field, {}) for index, field in enumerate(fields) if isinstance(field, _CONVERTED)
    ]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    column_sql = ", ".join(quote(field.column) for field in fields)
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    max_params = 30000 if connection.vendor == "sqlite" else 60000
    batch = max(1, min(2000, max_params // len(fields)))
    tail = f" RETURNING {quote(meta.pk.column)}" if returning else ""
    pks: list = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            params: list = []
            for row in chunk:
                if converters:
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
                params.extend(row)
            sql = f"INSERT INTO {table} ({column_sql}) VALUES " + ", ".join([one_row] * len(chunk))
            cursor.execute(sql + tail, params)
            if returning:
                pks.extend(row[0] for row in cursor.fetchall())
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
