from django.db import migrations

from canbo.rules.loader import load_shipped_rule_sets


class Migration(migrations.Migration):
    """Rules A2, A6, A9, A10 (appointment steps and elections)."""

    dependencies = [("rules", "0004_appointment_rules")]
    operations = [migrations.RunPython(load_shipped_rule_sets, migrations.RunPython.noop)]
