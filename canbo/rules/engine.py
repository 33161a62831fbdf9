"""Running a rule set over facts, and what-if runs over proposed changes.

Nothing here reads or writes the database: a what-if is the same run over
facts changed in memory.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .checks import (
    APPOINTMENT_CHECKS,
    PLANNING_CHECKS,
    POST_CHECKS,
    REVIEW_CHECKS,
    ROTATION_CHECKS,
)
from .facts import (
    CaseFacts,
    CheckContext,
    EntryFacts,
    Facts,
    PersonFacts,
    PlanFacts,
    PositionFacts,
)
from .facts_posts import PostsFacts
from .facts_reviews import ReviewFacts
from .facts_rotation import RotationCheckFacts
from .findings import Finding, sort_findings
from .ruleset import RuleSetData


class MissingFacts(ValueError):
    """Entries name people or positions whose facts were not supplied."""


def _values(items):
    return items.values() if isinstance(items, Mapping) else items


def run_checks(
    plans: Iterable[PlanFacts],
    people: Iterable[PersonFacts] | Mapping[int, PersonFacts],
    positions: Iterable[PositionFacts] | Mapping[int, PositionFacts],
    rule_set: RuleSetData,
    ctx: CheckContext,
    *,
    codes: Collection[str] | None = None,
) -> list[Finding]:
    """Run every enabled rule of `rule_set` (or only `codes`) that has a check.

    Findings come sorted by rule code, then plan, position and person ids
    (a subject left empty sorts first), then reason.
    """
    facts = Facts.of(plans, _values(people), _values(positions))
    return _run(facts, PLANNING_CHECKS, rule_set, ctx, codes)


def run_case_checks(
    cases: Iterable[CaseFacts],
    people: Iterable[PersonFacts] | Mapping[int, PersonFacts],
    positions: Iterable[PositionFacts] | Mapping[int, PositionFacts],
    rule_set: RuleSetData,
    ctx: CheckContext,
    *,
    codes: Collection[str] | None = None,
) -> list[Finding]:
    """Run the appointment rules (A…) of `rule_set` over appointment cases, sorted as
    `run_checks` sorts (the case after the plan)."""
    facts = Facts.of((), _values(people), _values(positions), cases)
    return _run(facts, APPOINTMENT_CHECKS, rule_set, ctx, codes)


def run_review_checks(
    facts: ReviewFacts,
    rule_set: RuleSetData,
    ctx: CheckContext,
    *,
    codes: Collection[str] | None = None,
) -> list[Finding]:
    """Run the confidence-vote and evaluation rules (C…, E…) of `rule_set` over sessions
    and rounds, sorted as `run_checks` sorts (the session, then the round, after the case)."""
    return _run(facts, REVIEW_CHECKS, rule_set, ctx, codes)


def run_rotation_checks(
    facts: RotationCheckFacts,
    rule_set: RuleSetData,
    ctx: CheckContext,
    *,
    codes: Collection[str] | None = None,
) -> list[Finding]:
    """Run the rotation rules R1–R3 of `rule_set` over rotation records."""
    return _run(facts, ROTATION_CHECKS, rule_set, ctx, codes)


def run_post_checks(
    facts: PostsFacts,
    rule_set: RuleSetData,
    ctx: CheckContext,
    *,
    codes: Collection[str] | None = None,
) -> list[Finding]:
    """Run the rules on the holders of posts (R4 non-local posts, R5 the two-term limit)
    of `rule_set`, sorted as `run_checks` sorts (by post, then person)."""
    return _run(facts, POST_CHECKS, rule_set, ctx, codes)


def _run(facts: Facts | ReviewFacts | RotationCheckFacts | PostsFacts, checks, rule_set, ctx, codes) -> list[Finding]:
    missing_people, missing_positions = facts.missing()
    if missing_people or missing_positions:
        raise MissingFacts(
            _("Thiếu dữ liệu cán bộ %(people)s, vị trí %(positions)s.")
            % {"people": sorted(missing_people), "positions": sorted(missing_positions)}
        )
    findings: list[Finding] = []
    for rule in rule_set.rules:
        check = checks.get(rule.code)
        if not rule.enabled or check is None or (codes is not None and rule.code not in codes):
            continue
        findings.extend(check(facts, rule, ctx))
    return sort_findings(findings)


@dataclass(frozen=True)
class Addition:
    plan_id: int
    person_id: int
    position_id: int
    first_time: bool = False


@dataclass(frozen=True)
class Removal:
    plan_id: int
    person_id: int
    position_id: int
    reason: str = ""


@dataclass(frozen=True)
class Proposal:
    """Proposed changes to plans, as data: additions and removals dated the as-of day."""

    additions: tuple[Addition, ...] = ()
    removals: tuple[Removal, ...] = ()


class ProposalError(ValueError):
    pass


def apply_proposal(
    plans: Iterable[PlanFacts], proposal: Proposal, ctx: CheckContext
) -> tuple[PlanFacts, ...]:
    """The plans as they would be after the proposal (the inputs are left unchanged)."""
    on = ctx.as_of
    by_id = {plan.id: plan for plan in plans}
    entries = {plan_id: list(plan.entries) for plan_id, plan in by_id.items()}
    for removal in proposal.removals:
        rows = entries.get(removal.plan_id)
        if rows is None:
            raise ProposalError(_("Không có quy hoạch %(id)s.") % {"id": removal.plan_id})
        for i, entry in enumerate(rows):
            if (
                entry.person_id == removal.person_id
                and entry.position_id == removal.position_id
                and entry.is_active(on)
            ):
                rows[i] = dataclasses.replace(entry, removed_on=on, removal_reason=removal.reason)
                break
        else:
            raise ProposalError(
                _("Quy hoạch %(plan)s không có cán bộ %(person)s ở vị trí %(position)s.")
                % {
                    "plan": removal.plan_id,
                    "person": removal.person_id,
                    "position": removal.position_id,
                }
            )
    for addition in proposal.additions:
        rows = entries.get(addition.plan_id)
        if rows is None:
            raise ProposalError(_("Không có quy hoạch %(id)s.") % {"id": addition.plan_id})
        rows.append(
            EntryFacts(
                person_id=addition.person_id,
                position_id=addition.position_id,
                added_on=on,
                first_time=addition.first_time,
            )
        )
    return tuple(
        dataclasses.replace(plan, entries=tuple(entries[plan_id]))
        for plan_id, plan in by_id.items()
    )


@dataclass(frozen=True)
class WhatIf:
    before: tuple[Finding, ...]
    after: tuple[Finding, ...]

    @property
    def new(self) -> tuple[Finding, ...]:
        """Problems the proposal would create."""
        keys = {f.key for f in self.before}
        return tuple(f for f in self.after if f.key not in keys)

    @property
    def resolved(self) -> tuple[Finding, ...]:
        """Problems the proposal would clear."""
        keys = {f.key for f in self.after}
        return tuple(f for f in self.before if f.key not in keys)


def run_what_if(
    plans: Iterable[PlanFacts],
    people: Iterable[PersonFacts] | Mapping[int, PersonFacts],
    positions: Iterable[PositionFacts] | Mapping[int, PositionFacts],
    rule_set: RuleSetData,
    ctx: CheckContext,
    proposal: Proposal,
    *,
    codes: Collection[str] | None = None,
) -> WhatIf:
    plans = tuple(plans)
    people = tuple(_values(people))
    positions = tuple(_values(positions))
    before = run_checks(plans, people, positions, rule_set, ctx, codes=codes)
    changed = apply_proposal(plans, proposal, ctx)
    after = run_checks(changed, people, positions, rule_set, ctx, codes=codes)
    return WhatIf(before=tuple(before), after=tuple(after))
