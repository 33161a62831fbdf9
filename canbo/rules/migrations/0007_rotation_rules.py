from django.db import migrations

from canbo.rules.loader import load_shipped_rule_sets


class Migration(migrations.Migration):
    """Rules R1–R5 (rotation, non-local posts, the two-term limit)."""

    dependencies = [("rules", "0006_review_rules")]
    operations = [migrations.RunPython(load_shipped_rule_sets, migrations.RunPython.noop)]
