from django.db import migrations


def load(apps, schema_editor):
    from canbo.people.catalogs import ETHNIC_GROUPS, MAJORITY_CODE

    Ethnicity = apps.get_model("people", "Ethnicity")
    for code, name in ETHNIC_GROUPS:
        Ethnicity.objects.update_or_create(
            code=code, defaults={"name": name, "is_minority": code != MAJORITY_CODE}
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
