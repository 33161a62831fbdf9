from django.db import migrations


def add_parameter(apps, schema_editor):
    """A9 gains `reelection_months_by_title` (42 months for provincial deputy secretaries,
    Chỉ thị 45) in the shipped rule set, where the administrator has not set it."""
    Rule = apps.get_model("rules", "Rule")
    for rule in Rule.objects.filter(code="A9", rule_set__code="QĐ 377/2025"):
        if "reelection_months_by_title" not in rule.parameters:
            rule.parameters = {**rule.parameters, "reelection_months_by_title": {"TU-PBT": 42}}
            rule.name = rule.name.replace("tái cử ít nhất 48 tháng,", "tái cử ít nhất 48 tháng (phó bí thư tỉnh ủy 42 tháng),")
            rule.save(update_fields=["parameters", "name"])


class Migration(migrations.Migration):
    dependencies = [("rules", "0007_rotation_rules")]
    operations = [migrations.RunPython(add_parameter, migrations.RunPython.noop)]
