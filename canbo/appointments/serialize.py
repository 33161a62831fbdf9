"""Findings of the appointment rules as plain JSON values (`canbo check-procedures`).

The same keys as planning's (`planning.serialize`): rule, severity, citation, message,
reason, position {id, name}, person (ID number), figures; the subject is the case
{id, kind, opened_on} where planning's is the plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from canbo.planning.serialize import plain
from canbo.rules.facts import CaseFacts, PositionFacts
from canbo.rules.findings import Finding


def case_finding_dicts(
    findings: Iterable[Finding],
    cases: Iterable[CaseFacts],
    positions: Mapping[int, PositionFacts],
) -> list[dict[str, Any]]:
    by_id = {case.id: case for case in cases}
    out = []
    for f in findings:
        case = by_id.get(f.case_id)
        position = positions.get(f.position_id) if f.position_id is not None else None
        out.append(
            {
                "rule": f.rule,
                "severity": f.severity,
                "citation": f.citation,
                "message": f.message,
                "reason": f.reason,
                "case": {"id": case.id, "kind": case.kind, "opened_on": case.opened_on.isoformat()}
                if case
                else None,
                "position": {"id": position.id, "name": position.name} if position else None,
                "person": f.id_number,
                "figures": plain(dict(f.figures)),
            }
        )
    return out
