"""What-if on a case (issue 19 item 2, "findings as in planning, with what-if"): the
appointment rules' findings if the case's dates or election were different, computed in
memory from the same facts as the check (nothing is written).

A staff member asks "if the competent body decides on 20/03, or the dossier is complete
on 10/03, what will the rules say?" Before and after are the findings of the case itself
(and, for a nomination with an election day, of the other nominations for the same post,
body and day, which A10 counts together) on the as-of date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from canbo.rules.engine import run_case_checks
from canbo.rules.facts import CaseFacts, CheckContext
from canbo.rules.findings import Finding
from canbo.rules.ruleset import RuleSetData
from canbo.rules.selectors import rule_set_in_force

from .choices import CaseKind, CaseOutcome
from .models import AppointmentCase
from .selectors import CaseCheckFacts, case_facts

#: What a what-if may change.
CHANGEABLE = ("dossier_received_on", "dossier_complete_on", "decision_date", "election_on", "seats")


@dataclass(frozen=True)
class CaseWhatIf:
    as_of: dt.date
    rule_set: RuleSetData
    facts: CaseCheckFacts
    changed: tuple[CaseFacts, ...]
    before: tuple[Finding, ...]
    after: tuple[Finding, ...]


def case_what_if(
    case: AppointmentCase, *, as_of: dt.date, changes: dict, rule_set: RuleSetData | None = None
) -> CaseWhatIf:
    """The findings before and after `changes` (a subset of `CHANGEABLE`) to `case`."""
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise ValidationError(_("Không thử được thay đổi: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    if case.opened_on > as_of:
        raise ValidationError({"as_of": _("Hồ sơ chưa mở vào ngày này.")})
    if case.closed_on is not None and case.closed_on <= as_of and changes:
        raise ValidationError(_("Hồ sơ đã kết thúc: không thử thay đổi được nữa."))
    if rule_set is None:
        rule_set = rule_set_in_force(as_of)
    together = Q(pk=case.pk)
    if case.kind == CaseKind.NOMINATE and (case.election_on or changes.get("election_on")):
        together |= Q(kind=CaseKind.NOMINATE, competent_unit=case.competent_unit_id,
                      position=case.position_id,
                      election_on__in=[d for d in (case.election_on, changes.get("election_on")) if d])  # fmt: skip
    facts = case_facts(AppointmentCase.objects.filter(together), as_of)
    values = dict(changes)
    if values.get("decision_date") is not None:
        if values["decision_date"] > as_of:
            raise ValidationError({"decision_date": _("Ngày quyết định thử không được sau ngày xem.")})
        values |= {"outcome": CaseOutcome.DECIDED, "closed_on": values["decision_date"]}
    changed = tuple(
        dataclasses.replace(c, **values) if c.id == case.pk else c for c in facts.cases
    )

    def run(cases):
        return tuple(run_case_checks(cases, facts.people, facts.positions, rule_set,
                                     CheckContext(as_of)))  # fmt: skip

    return CaseWhatIf(as_of, rule_set, facts, changed, run(facts.cases), run(changed))
