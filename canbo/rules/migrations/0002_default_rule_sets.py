from django.db import migrations


def load(apps, schema_editor):
    from canbo.rules.loader import load_rule_sets, read_rule_sets

    load_rule_sets(apps.get_model("rules", "RuleSet"), apps.get_model("rules", "Rule"), read_rule_sets())


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
