"""Writes on rule sets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from canbo.core.audit import record_write, snapshot
from canbo.core.models import AuditAction

from .loader import DEFAULT_FILE, load_rule_sets, read_rule_sets
from .models import Rule, RuleSet


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
