"""Database housekeeping shared by the bulk writers."""

from django.db import connection


def refresh_planner_statistics() -> None:
    """Update the query planner's statistics after a bulk load.

    Without it PostgreSQL guesses that an accent-free search matches one row and
    picks nested loops that take ten times longer (see docs/performance.md).
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
