"""Migration rules/0008 adds A9's deputy-secretary months where a database lacks them,
and leaves an administrator's value alone."""

import importlib

import pytest
from django.apps import apps

from canbo.rules.models import Rule

pytestmark = pytest.mark.django_db

migration = importlib.import_module("canbo.rules.migrations.0008_a9_deputy_secretaries")


def test_the_parameter_is_added_once_and_a_set_value_is_kept():
    rule = Rule.objects.get(code="A9", rule_set__code="QĐ 377/2025")
    params = dict(rule.parameters)
    params.pop("reelection_months_by_title")
    Rule.objects.filter(pk=rule.pk).update(parameters=params)
    migration.add_parameter(apps, None)
    assert Rule.objects.get(pk=rule.pk).parameters["reelection_months_by_title"] == {"TU-PBT": 42}
    Rule.objects.filter(pk=rule.pk).update(
        parameters={**params, "reelection_months_by_title": {"TU-PBT": 40}})
    migration.add_parameter(apps, None)
    assert Rule.objects.get(pk=rule.pk).parameters["reelection_months_by_title"] == {"TU-PBT": 40}
