from django.db import migrations

from canbo.rules.loader import load_shipped_rule_sets


class Migration(migrations.Migration):
    """Rules C1–C5 (confidence votes) and E1–E4 (evaluation)."""

    dependencies = [("rules", "0005_procedure_rules")]
    operations = [migrations.RunPython(load_shipped_rule_sets, migrations.RunPython.noop)]
