"""REST API for directives (issue 14): directives with their tasks, each task's roll-up,
per-unit assignments and their completion, monitoring groups.

Thin adapters only. Reads go through the scoped selectors (`visible_directives`,
`visible_assignments`, `visible_units`, `groups_of`): a record or a unit outside the
user's scope answers exactly as one that does not exist (404). The completion goes
through `services.record_completion`, which re-checks that the user may edit the unit
itself (403), validates the date (400, in Vietnamese) and audits. A task's leader is
personal data: only the id and full name are shown, and the read is in the access log.

Writes (`writes`, `hearings`; bodies in `inputs`): directives, their file and tasks,
assigning a task to many units, taking an assignment back, the hearing schedule, and
monitoring groups (administrators only), each through its service.
"""

from .hearings import HearingInvitationViewSet, HearingSlotViewSet
from .views import AssignmentViewSet, DirectiveViewSet, MonitoringGroupViewSet
from .writes import TaskViewSet

__all__ = ["AssignmentViewSet", "DirectiveViewSet", "HearingInvitationViewSet",
           "HearingSlotViewSet", "MonitoringGroupViewSet", "TaskViewSet"]  # fmt: skip
