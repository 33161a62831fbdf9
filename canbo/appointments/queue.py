"""The dismissal queue (issue 19 item 7): people the rules propose to relieve of their post.

A proposal is a finding of a rule that proposes a dismissal case (miễn nhiệm): C5 (a low
confidence share at or above two thirds), E3 (two consecutive years "not completed"),
E4 (two reprimands within one term). It is not stored: it is the rule engine's answer on
the as-of date over the vote sessions and evaluation rounds the user may see (of a
subtree when given), so it changes as soon as the records do. Each proposal carries its
reason (the finding's message and citation), its source (the session or round) and the
dismissal, resignation or removal case already open for the person, if any: the staff
open one from the queue, and it then shows as under way.

Fixed number of queries whatever the number of sessions, rounds and people (asserted):
the user's grants, the review facts (at most ten), the rule set in force, the open cases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from canbo.reviews import selectors as review_selectors
from canbo.rules.engine import run_review_checks
from canbo.rules.facts import CheckContext
from canbo.rules.ruleset import RuleSetData
from canbo.rules.selectors import rule_set_in_force

from .models import AppointmentCase
from .selectors import cases
from .services import ENDS_OFFICE

#: The rules whose findings propose a dismissal case.
PROPOSING = ("C5", "E3", "E4")


@dataclass(frozen=True)
class Proposal:
    rule: str
    person_id: int
    id_number: str
    full_name: str
    message: str
    citation: str
    source: str  # the session or round, as the staff name it
    session_id: int | None = None
    round_id: int | None = None
    figures: dict[str, Any] = field(default_factory=dict)
    under_way: AppointmentCase | None = None  # an open case ending the person's office


def dismissal_queue(
    user, *, as_of: dt.date, unit=None, rule_set: RuleSetData | None = None
) -> list[Proposal]:
    """Proposed dismissals on `as_of` in the sessions and rounds the user may see."""
    facts = review_selectors.review_facts(
        review_selectors.of_unit(review_selectors.sessions(user), unit=unit),
        review_selectors.of_unit(review_selectors.rounds(user), unit=unit),
        as_of,
    )
    if not facts.sessions and not facts.rounds:
        return []
    if rule_set is None:
        rule_set = rule_set_in_force(as_of)
    findings = run_review_checks(facts, rule_set, CheckContext(as_of), codes=PROPOSING)
    if not findings:
        return []
    people = {f.person_id for f in findings}
    open_cases: dict[int, AppointmentCase] = {}
    for case in (
        cases(user, on=as_of)
        .filter(kind__in=ENDS_OFFICE, person_id__in=people)
        .order_by("opened_on", "id")
    ):
        open_cases.setdefault(case.person_id, case)
    sessions = {s.id: s for s in facts.sessions}
    rounds = {r.id: r for r in facts.rounds}
    out = []
    for f in findings:
        person = facts.people[f.person_id]
        if f.session_id is not None:
            s = sessions[f.session_id]
            source = _("Lấy phiếu tín nhiệm năm %(year)d – %(unit)s") % {"year": s.year, "unit": s.name}
        else:
            r = rounds[f.round_id]
            source = _("Đánh giá, xếp loại năm %(year)d – %(unit)s") % {"year": r.year, "unit": r.name}
        out.append(
            Proposal(
                rule=f.rule, person_id=f.person_id, id_number=person.id_number,
                full_name=person.full_name, message=f.message, citation=f.citation,
                source=source, session_id=f.session_id, round_id=f.round_id,
                figures=dict(f.figures), under_way=open_cases.get(f.person_id),
            )
        )  # fmt: skip
    return out
