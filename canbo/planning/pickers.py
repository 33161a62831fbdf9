"""The sources of the planning pages' unit boxes (see `canbo.organizations.pickers`).

Each returns what its form's field is given, through the same selector: the plan list's
units (`PlanFilterForm`), the figures page's (`UnitFiguresView`) and the units that may
approve a plan (`ApproveForm`, offered to the plan's editors while it awaits approval).
"""

from __future__ import annotations

from django.http import Http404

from canbo.organizations.models import Unit
from canbo.organizations.pickers import register
from canbo.organizations.selectors import unit_roots

from . import pages
from .choices import PlanStatus
from .selectors import approver_units, plan_list, plan_units
from .views import get_editable_plan


@register("planning.plans")
def units_of_plans(user, params):
    return plan_units(plan_list(user=user))


@register("planning.figures")
def units_of_figures(user, params):
    return pages.figure_units(unit_roots(user=user), plan_list(user=user))


@register("planning.approver")
def units_to_approve(user, params):
    """The approvers of `?plan=`: 404 out of sight, 403 read-only, as the plan's own pages."""
    try:
        pk = int(params.get("plan", ""))
    except ValueError:
        raise Http404 from None
    plan = get_editable_plan(user, pk)
    if plan.status != PlanStatus.SUBMITTED:
        return Unit.objects.none()
    return approver_units(plan)

