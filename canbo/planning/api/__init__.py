"""REST API for succession plans: plans, entries, reviews, findings, what-if, figures, bench.

Thin adapters only. Reads go through `selectors.plan_list` (scoped: a plan
outside the user's scope is not found, 404); writes go through `services`,
which lock the plan, re-check the user's EDIT scope (403), validate and audit
in one transaction. Findings are printed by `serialize.findings_dicts`, the
same dictionaries as `canbo check-planning --format json`. The what-if run
reads facts and runs the rules in memory: it writes nothing.

People are named by personal ID number through
`people.selectors.person_for_planning`: the user's own scope, and for an
editor of the plan's unit also a person from elsewhere by the exact number
(throttled, in the access log); to anyone else a person outside their scope
is "not found", word for word as an unknown number. Positions are looked up
among those the user may see, by id or by unit and title codes. Every answer
that shows people of a plan leaves an access entry (`_logged`).
"""

from .views import PlanEntryViewSet, PlanningFindingsViewSet, PlanViewSet

__all__ = ["PlanEntryViewSet", "PlanningFindingsViewSet", "PlanViewSet"]
