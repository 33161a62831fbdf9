"""PostgreSQL: a trigram index makes the accent-free substring search fast
(search_text LIKE '%word%'). SQLite scans, which is fine for one office."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS people_person_search_trgm "
        "ON people_person USING gin (search_text gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS people_person_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_ethnic_groups")]
    operations = [migrations.RunPython(forwards, backwards)]
