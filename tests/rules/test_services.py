import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from canbo.core.models import AuditEvent
from canbo.rules.loader import DEFAULT_FILE
from canbo.rules.models import Rule, RuleSet
from canbo.rules.services import LoadResult, ensure_default_rule_sets

pytestmark = pytest.mark.django_db


def _rows():
    return list(
        Rule.objects.order_by("code").values_list(
            "rule_set__code", "code", "severity", "enabled", "parameters"
        )
    )


def _audit_count():
    types = ContentType.objects.get_for_models(RuleSet, Rule).values()
    return AuditEvent.objects.filter(content_type__in=types).count()


def test_the_migration_loaded_the_default_rule_set():
    rule_set = RuleSet.objects.get()
    assert (rule_set.code, rule_set.effective_from.isoformat()) == ("QĐ 377/2025", "2025-10-08")
    assert [r[1] for r in _rows()] == [
        "A1", "A10", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "C1", "C2", "C3", "C4", "C5",
        "E1", "E2", "E3", "E4", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9",
        "R1", "R2", "R3", "R4", "R5",
    ]  # fmt: skip
    assert Rule.objects.get(code="P7").parameters["low_confidence_share_above"] == "1/2"


def test_ensure_default_rule_sets_is_idempotent():
    before = _rows()
    assert ensure_default_rule_sets() == LoadResult(rule_sets=0, rules=0)
    assert _rows() == before
    assert _audit_count() == 0


def test_ensure_default_rule_sets_creates_what_is_missing_and_audits_it():
    RuleSet.objects.all().delete()
    assert ensure_default_rule_sets() == LoadResult(rule_sets=1, rules=33)
    assert _audit_count() == 34
    assert AuditEvent.objects.filter(action="create", object_repr="QĐ 377/2025").count() == 1
    assert ensure_default_rule_sets() == LoadResult(rule_sets=0, rules=0)
    assert _audit_count() == 34

    Rule.objects.filter(code="P4").delete()
    assert ensure_default_rule_sets() == LoadResult(rule_sets=0, rules=1)
    assert Rule.objects.count() == 33


def test_ensure_default_rule_sets_keeps_tuned_parameters():
    Rule.objects.filter(code="P1").update(parameters={"max_people_per_position": 2}, enabled=False)
    ensure_default_rule_sets()
    p1 = Rule.objects.get(code="P1")
    assert (p1.parameters, p1.enabled) == ({"max_people_per_position": 2}, False)


def test_a_bad_rule_in_the_file_writes_nothing(tmp_path):
    RuleSet.objects.all().delete()
    text = DEFAULT_FILE.read_text(encoding="utf-8").replace('"code": "P8"', '"code": "' + "P" * 30 + '"')  # fmt: skip
    path = tmp_path / "rules.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError):
        ensure_default_rule_sets(path=path)
    assert (RuleSet.objects.count(), Rule.objects.count(), _audit_count()) == (0, 0, 0)
