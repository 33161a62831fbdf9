"""The demo province's directive campaign (issue 14, item 8), dated against the data's
reference date (REFERENCE_DATE, 01/01/2026):

- the provincial committee's plan "120-KH/TU" (15/09/2025) for the 2025 review, whose
  tasks are: the Organization Board's guidance (done on time), every commune party
  committee's review (deadline 15/12/2025: most done on time, some late, one overdue),
  the Inspection Committee's synthesis (in progress on the reference date) and the report
  to the centre, due 5 working days after 16/01/2026 (not started);
- the Organization Board's guidance "05-HD/BTCTU", which implements the plan;
- a monitoring group of five communes followed by the Organization Board;
- a hearing schedule: six slots in January 2026 for four invited communes, two booked.

Written through the services (actor None: a command), inside the builder's transaction.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils.translation import gettext as _

from canbo.directives import services
from canbo.directives.choices import Deliverable, DirectiveKind
from canbo.directives.models import HearingInvitation, HearingSlot, MonitoringGroup, TaskAssignment
from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.organizations.models import Unit

ISSUED = dt.date(2025, 9, 15)
REVIEW_DEADLINE = dt.date(2025, 12, 15)


@dataclass
class DirectiveSummary:
    directives: int = 0
    tasks: int = 0
    assignments: int = 0
    done_on_time: int = 0
    done_late: int = 0
    open: int = 0


def add_demo_directives(builder, root: Unit) -> DirectiveSummary:
    rng = random.Random(builder.rng.getrandbits(64))
    units = Unit.objects.filter(path__startswith=root.path)
    board = units.filter(kind=UnitKind.PARTY_AGENCY, name__startswith="Ban Tổ chức").first()
    inspection = units.filter(name__startswith="Ủy ban Kiểm tra", level=root.level).first()
    communes = list(units.filter(level=UnitLevel.COMMUNE, kind=UnitKind.PARTY_COMMITTEE)
                    .order_by("path"))  # fmt: skip
    summary = DirectiveSummary()
    plan = services.directive_create(
        actor=None, kind=DirectiveKind.PLAN, number="120-KH/TU", issued_on=ISSUED,
        issuing_unit=root,
        title=_("Kế hoạch kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên "
                "năm 2025"),
        summary=_("Các cấp ủy tổ chức kiểm điểm tập thể, cá nhân; báo cáo Tỉnh ủy trước "
                  "15/12/2025."),
    )  # fmt: skip
    guidance = services.directive_create(
        actor=None, kind=DirectiveKind.GUIDANCE, number="05-HD/BTCTU",
        issued_on=dt.date(2025, 9, 20), issuing_unit=board or root, implements=plan,
        title=_("Hướng dẫn kiểm điểm, đánh giá, xếp loại năm 2025 ở cấp xã"),
    )  # fmt: skip
    summary.directives = 2
    tasks = [
        services.task_create(actor=None, directive=plan, content=_("Ban hành hướng dẫn kiểm "
                             "điểm"), lead_unit=board, deliverable=Deliverable.DOCUMENT,
                             start_on=ISSUED, deadline=dt.date(2025, 9, 30)),
        services.task_create(actor=None, directive=plan, content=_("Đảng ủy xã tổ chức kiểm "
                             "điểm tập thể và cá nhân"), deliverable=Deliverable.MEETING,
                             start_on=dt.date(2025, 10, 1), deadline=REVIEW_DEADLINE),
        services.task_create(actor=None, directive=plan, content=_("Tổng hợp kết quả kiểm "
                             "điểm toàn tỉnh"), lead_unit=inspection,
                             deliverable=Deliverable.REPORT, start_on=dt.date(2025, 12, 16),
                             deadline=dt.date(2026, 1, 15)),
        services.task_create(actor=None, directive=plan, content=_("Báo cáo Ban Tổ chức "
                             "Trung ương"), lead_unit=board, deliverable=Deliverable.REPORT,
                             start_on=dt.date(2026, 1, 16), working_days=5),
    ]  # fmt: skip
    services.task_create(actor=None, directive=guidance, content=_("Tập huấn cho cán bộ "
                         "tổ chức cấp xã"), lead_unit=board, deliverable=Deliverable.MEETING,
                         start_on=dt.date(2025, 9, 22), deadline=dt.date(2025, 10, 10))  # fmt: skip
    summary.tasks = 5
    services.assign_to_units(actor=None, task=tasks[1], level=UnitLevel.COMMUNE,
                             kind=UnitKind.PARTY_COMMITTEE, within=root)  # fmt: skip
    # Completions as of the reference date: the board's guidance on time; the communes
    # mostly on time, one in eight late, the last one still open (overdue).
    TaskAssignment.objects.filter(task=tasks[0]).update(completed_on=dt.date(2025, 9, 28))
    reviews = list(TaskAssignment.objects.filter(task=tasks[1]).order_by("unit__path"))
    on_time, late = [], []
    for n, assignment in enumerate(reviews[:-1]):
        if n % 8 == 3:  # one in eight late
            late.append((assignment.pk, REVIEW_DEADLINE + dt.timedelta(days=rng.randint(2, 14))))
        else:
            on_time.append((assignment.pk, REVIEW_DEADLINE - dt.timedelta(days=rng.randint(0, 40))))
    for pk, day in on_time + late:
        TaskAssignment.objects.filter(pk=pk).update(completed_on=day)
    TaskAssignment.objects.filter(task=guidance.tasks.get()).update(completed_on=dt.date(2025, 10, 8))
    summary.assignments = TaskAssignment.objects.filter(task__directive__in=[plan, guidance]).count()
    summary.done_on_time, summary.done_late = len(on_time) + 2, len(late)
    summary.open = summary.assignments - summary.done_on_time - summary.done_late
    if board is not None and communes:
        group = MonitoringGroup.objects.create(
            name=_("Các xã theo dõi trực tiếp – %(unit)s") % {"unit": root.name}, owner=board
        )
        group.units.set(communes[:5])
    slots = [HearingSlot.objects.create(directive=plan, day=day, session=session,
                                        place=_("Hội trường Tỉnh ủy"))
             for day in (dt.date(2026, 1, 19), dt.date(2026, 1, 20), dt.date(2026, 1, 21))
             for session in (HearingSlot.Session.MORNING, HearingSlot.Session.AFTERNOON)]  # fmt: skip
    for n, unit in enumerate(communes[:4]):
        invitation = HearingInvitation.objects.create(directive=plan, unit=unit)
        if n < 2:
            services.hearing_book(actor=None, invitation=invitation, slot=slots[n * 2])
    return summary
