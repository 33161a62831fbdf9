"""search_text gets a space at both ends so that short words match whole words (ADR 0008)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_person_order_index"),
    ]

    operations = [
        migrations.RunSQL(
            "UPDATE people_person SET search_text = ' ' || search_text || ' ' "
            "WHERE search_text NOT LIKE ' %'",
            "UPDATE people_person SET search_text = trim(search_text)",
        ),
    ]
