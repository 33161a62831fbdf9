"""Move the tokens of rest_framework.authtoken (stored as the token itself) to ApiToken.

Each old token keeps working: only its SHA-512 is kept (as django-rest-knox computes
it: the hash of the token's UTF-8 bytes), with the first 15 characters knox looks it up
by, and it now expires CANBO_API_TOKEN_DAYS from this migration (its date of issue
becomes the migration's). The old table, which
holds the tokens in clear, is then dropped, with its migration records.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import migrations
from django.utils import timezone

OLD_TABLE = "authtoken_token"


def move_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    quote = connection.ops.quote_name
    expiry = timezone.now() + dt.timedelta(days=settings.CANBO_API_TOKEN_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('key')}, user_id FROM {quote(OLD_TABLE)}")
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create(
        ApiToken(
            token_key=key[:15],
            digest=hashlib.sha512(key.encode()).hexdigest(),
            user_id=user_id,
            expiry=expiry,
            name="rest_framework.authtoken",
        )
        for key, user_id in rows
    )
    schema_editor.execute(f"DROP TABLE {quote(OLD_TABLE)}")
    schema_editor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_token"),
    ]

    operations = [
        migrations.RunPython(move_tokens, migrations.RunPython.noop),
    ]
