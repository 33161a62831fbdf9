"""Findings of the confidence-vote and evaluation rules as plain JSON values and text.

The keys of the other findings (`appointments.serialize`): rule, severity, citation,
message, reason, person (ID number), figures; the subject is the session
{"session_id": …} or the round {"round_id": …}.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _

from canbo.core.dates import format_day
from canbo.rules.facts_reviews import ReviewFacts
from canbo.rules.findings import Finding, plain


def review_finding_dicts(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    return [
        {
            "rule": f.rule,
            "severity": f.severity,
            "citation": f.citation,
            "message": f.message,
            "reason": f.reason,
            "session_id": f.session_id,
            "round_id": f.round_id,
            "person": f.id_number,
            "figures": plain(dict(f.figures)),
        }
        for f in findings
    ]


def review_subject(facts: ReviewFacts) -> Callable[[Finding], list[str]]:
    """What a text line names: the session or round, and the person."""
    sessions = {s.id: s for s in facts.sessions}
    rounds = {r.id: r for r in facts.rounds}

    def subject(f: Finding) -> list[str]:
        out = []
        if f.session_id is not None:
            s = sessions[f.session_id]
            out.append(_("lấy phiếu tín nhiệm %(name)s ngày %(date)s")
                       % {"name": s.name, "date": format_day(s.held_on)})  # fmt: skip
        if f.round_id is not None:
            r = rounds[f.round_id]
            out.append(_("đánh giá %(name)s năm %(year)d") % {"name": r.name, "year": r.year})
        if f.id_number:
            out.append(_("số định danh %(id)s") % {"id": f.id_number})
        return out

    return subject
