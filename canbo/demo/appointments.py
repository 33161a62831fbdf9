"""The demo's appointment cases: one open case that planning's P4 finds (issue 19).

A person added to the provincial committee's plan at its annual review is, by then,
already in an appointment procedure opened two weeks earlier and still open on the
demo's check date: `check_plans` reports P4 for that entry. Written through
`canbo.appointments.services` (validated, audited).
"""

from __future__ import annotations

import datetime as dt

from canbo.appointments import services
from canbo.appointments.choices import CaseKind
from canbo.planning.models import PlanEntry

from .planning import PlanSummary, Violation


def add_demo_cases(builder, plans: PlanSummary) -> int:
    """Open the P4 case (and note it among the designed violations); the number opened."""
    entry = (
        PlanEntry.objects.filter(
            added_in_review__isnull=False,
            removed_on__isnull=True,
            plan__planning_unit__path__startswith=builder.root.obj.path,  # this province's
        )
        .select_related("plan__planning_unit", "position__title", "person")
        .order_by("id")
        .first()
    )
    if entry is None:  # too few people for a review addition
        return 0
    opened = entry.added_on - dt.timedelta(days=14)
    services.case_open(
        actor=None,
        person=entry.person,
        kind=CaseKind.APPOINT,
        position=entry.position,
        competent_unit=builder.root.obj,
        opened_on=opened,
        dossier_received_on=opened + dt.timedelta(days=3),
        note="Quy trình bổ nhiệm đang thực hiện (dữ liệu mẫu).",
    )
    plans.violations.append(
        Violation(
            "P4", "", entry.plan.planning_unit.code, entry.person.id_number,
            entry.position.title.code,
        )
    )  # fmt: skip
    return 1
