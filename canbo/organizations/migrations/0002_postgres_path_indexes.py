"""PostgreSQL: prefix searches on tree paths (path LIKE 'xxxx%') need a pattern index
when the database collation is not "C". SQLite's default index already serves them."""

from django.db import migrations

TABLES = ("organizations_area", "organizations_unit")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_path_pattern ON {table} (path varchar_pattern_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_path_pattern")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
