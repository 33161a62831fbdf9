"""Writes on rule sets and rules: validated and audited. Nothing deletes them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from canbo.core.audit import record_write, snapshot
from canbo.core.models import AuditAction

from .loader import DEFAULT_FILE, load_rule_sets, read_rule_sets
from .models import Rule, RuleSet
from .sample import parameter_problems


@dataclass(frozen=True)
class LoadResult:
    rule_sets: int
    rules: int


def ensure_default_rule_sets(*, actor=None, path: Path = DEFAULT_FILE) -> LoadResult:
    """Create the shipped rule sets and rules that are missing (idempotent).

    Existing rows are left as they are (see `canbo.rules.loader`).
    """
    data = read_rule_sets(path)
    with transaction.atomic():
        created = load_rule_sets(RuleSet, Rule, data, check=lambda row: row.full_clean())
        for row in created:
            record_write(actor=actor, action=AuditAction.CREATE, instance=row, after=snapshot(row))
    return LoadResult(
        rule_sets=sum(isinstance(r, RuleSet) for r in created),
        rules=sum(isinstance(r, Rule) for r in created),
    )


def validate_rule_parameters(rule: Rule) -> None:
    """Refuse parameters the rule's check cannot use (see `canbo.rules.sample`).

    Raises a ValidationError on `parameters`; the admin form calls it while
    cleaning, `rule_save` again before writing.
    """
    problems = parameter_problems(rule.code, rule.parameters, severity=rule.severity)
    if problems:
        raise ValidationError({"parameters": problems})


def _save_audited(actor, instance, validate=None):
    """Validate and save one row, with an audit event of what changed, in one transaction."""
    model = type(instance)
    with transaction.atomic():
        before = (
            snapshot(model.objects.select_for_update().get(pk=instance.pk)) if instance.pk else {}
        )
        instance.full_clean()
        if validate is not None:
            validate(instance)
        instance.save()
        record_write(
            actor=actor,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            instance=instance,
            before=before,
            after=snapshot(instance),
        )
    return instance


def rule_save(actor, rule: Rule) -> Rule:
    """Create or change one rule (validated, audited). Rules are never deleted: switch
    one off with `enabled`."""
    return _save_audited(actor, rule, validate_rule_parameters)


def rule_set_save(actor, rule_set: RuleSet) -> RuleSet:
    """Create or change a rule set's own fields (validated, audited); its rules go
    through `rule_save`. A changed regulation is a new rule set with its own
    effective date, not an edit of the old one."""
    return _save_audited(actor, rule_set)
