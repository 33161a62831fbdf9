"""Findings of the planning rules as plain JSON values, one shape for every output.

`canbo check-planning --format json` and the API (`/api/plans/{id}/findings/`,
`/api/planning/findings/`, the what-if run) print the same dictionaries:
rule, severity, citation, message, reason, plan {id, name, term}, position
{id, name}, person (ID number) and the figures that decided the finding.
Values are already JSON-ready (dates as ISO strings, decimals as exact
strings), so no encoder can turn "25.00" into the float 25.0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from canbo.rules.facts import PlanFacts, PositionFacts
from canbo.rules.findings import Finding, plain  # noqa: F401 (plain: callers take it from here)


def finding_dict(
    finding: Finding,
    plans: Mapping[int, PlanFacts],
    positions: Mapping[int, PositionFacts],
) -> dict[str, Any]:
    """One finding, naming its plan and position from the facts it was computed over."""
    plan = plans.get(finding.plan_id) if finding.plan_id is not None else None
    position = positions.get(finding.position_id) if finding.position_id is not None else None
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "citation": finding.citation,
        "message": finding.message,
        "reason": finding.reason,
        "plan": {"id": plan.id, "name": plan.name, "term": plan.term_label} if plan else None,
        "position": {"id": position.id, "name": position.name} if position else None,
        "person": finding.id_number,
        "figures": plain(dict(finding.figures)),
    }


def findings_dicts(
    findings: Iterable[Finding],
    plans: Iterable[PlanFacts] | Mapping[int, PlanFacts],
    positions: Mapping[int, PositionFacts],
) -> list[dict[str, Any]]:
    """The findings in their order, each as `finding_dict`."""
    by_id = plans if isinstance(plans, Mapping) else {plan.id: plan for plan in plans}
    return [finding_dict(f, by_id, positions) for f in findings]
