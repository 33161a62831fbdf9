"""Reads on rule sets: plain values for the checks, never model instances."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from canbo.core.dates import format_day

from .models import RuleSet
from .ruleset import NoRuleSetInForce, RuleData, RuleSetData, freeze  # callers take it from here
from .sample import checked_rule_set


def rule_set_data(rule_set: RuleSet) -> RuleSetData:
    return RuleSetData(
        code=rule_set.code,
        name=rule_set.name,
        effective_from=rule_set.effective_from,
        note=rule_set.note,
        rules=tuple(
            RuleData(
                code=r.code,
                name=r.name,
                citation=r.citation,
                severity=r.severity,
                parameters=freeze(r.parameters or {}),
                enabled=r.enabled,
            )
            for r in rule_set.rules.all()
        ),
    )


def rule_set_in_force(on: dt.date) -> RuleSetData:
    """The rule set with the latest effective date on or before `on` (two queries).

    Its parameters are checked against the sample facts (`sample.checked_rule_set`,
    cached): a set its checks cannot use raises UnusableRuleSet, a NoRuleSetInForce,
    which every page, the API and the command show as a message.
    """
    rule_set = (
        RuleSet.objects.filter(effective_from__lte=on)
        .order_by("-effective_from")
        .prefetch_related("rules")
        .first()
    )
    if rule_set is None:
        raise NoRuleSetInForce(
            _("Không có bộ quy định kiểm tra nào có hiệu lực vào ngày %(date)s.")
            % {"date": format_day(on)}
        )
    return checked_rule_set(rule_set_data(rule_set))
