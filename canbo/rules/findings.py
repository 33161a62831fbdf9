"""What a check reports: one problem, its rule, its subject and the figures that decided it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .facts import PersonFacts
from .ruleset import RuleData


@dataclass(frozen=True)
class Finding:
    rule: str  # rule code, "P1"
    severity: str  # Severity
    citation: str
    message: str  # Vietnamese (gettext), already formatted
    plan_id: int | None = None
    position_id: int | None = None
    person_id: int | None = None
    id_number: str | None = None
    # Which condition of a rule with several (P5 "first_time", P6 "women", P7 "discipline"…).
    reason: str = ""
    figures: Mapping[str, Any] = field(default_factory=dict, hash=False)
    case_id: int | None = None  # an appointment case (A rules)
    session_id: int | None = None  # a confidence-vote session (C rules)
    round_id: int | None = None  # an evaluation round (E rules)
    rotation_id: int | None = None  # a rotation (R1–R3)

    @property
    def key(self) -> tuple:
        """The problem's identity, regardless of its figures (used to compare two runs)."""
        return (self.rule, self.reason, self.plan_id, self.position_id, self.person_id,
                self.case_id, self.session_id, self.round_id, self.rotation_id)  # fmt: skip

    def sort_key(self) -> tuple:
        return (
            code_key(self.rule),
            _none_first(self.plan_id),
            _none_first(self.case_id),
            _none_first(self.session_id),
            _none_first(self.round_id),
            _none_first(self.rotation_id),
            _none_first(self.position_id),
            _none_first(self.person_id),
            self.reason,
        )


def _none_first(value: int | None) -> tuple[int, int]:
    return (0, 0) if value is None else (1, value)


def code_key(code: str) -> tuple:
    """Order of rule codes: P2 before P10 (letters, then the number)."""
    m = re.fullmatch(r"([A-Za-z]*)(\d*)(.*)", code)
    letters, digits, rest = m.groups() if m else (code, "", "")
    return (letters, int(digits) if digits else -1, rest)


def make_finding(
    rule: RuleData,
    message: str,
    *,
    plan_id: int | None = None,
    position_id: int | None = None,
    person: PersonFacts | None = None,
    reason: str = "",
    severity: str | None = None,
    figures: Mapping[str, Any] | None = None,
    case_id: int | None = None,
    session_id: int | None = None,
    round_id: int | None = None,
    rotation_id: int | None = None,
) -> Finding:
    return Finding(
        rule=rule.code,
        severity=severity or rule.severity,
        citation=rule.citation,
        message=str(message),
        plan_id=plan_id,
        position_id=position_id,
        person_id=person.id if person else None,
        id_number=person.id_number if person else None,
        reason=reason,
        figures=dict(figures or {}),
        case_id=case_id,
        session_id=session_id,
        round_id=round_id,
        rotation_id=rotation_id,
    )


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)


def plain(value: Any) -> Any:
    """`value` with dates, decimals, tuples and mappings made JSON values (a finding's
    figures in every output: decimals as exact strings, "25.00", never the float 25.0)."""
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(item) for item in value]
    return value
