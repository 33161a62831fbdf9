from django.db import migrations

from canbo.rules.loader import load_shipped_rule_sets


class Migration(migrations.Migration):
    dependencies = [("rules", "0003_p9")]
    operations = [migrations.RunPython(load_shipped_rule_sets, migrations.RunPython.noop)]
