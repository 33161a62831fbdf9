from django.db import migrations

from canbo.rules.loader import load_shipped_rule_sets


class Migration(migrations.Migration):
    dependencies = [("rules", "0002_default_rule_sets")]
    operations = [migrations.RunPython(load_shipped_rule_sets, migrations.RunPython.noop)]
