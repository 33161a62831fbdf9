"""The demo's rotations (issue 15): one of each kind that breaks nothing, one breach each
of the rotation rules R1–R3 on the check date, and a head past two terms (R5). R4 comes
from the builder, which seats about one in five non-local posts with a local person.

- a training rotation of a planned cadre, down to a commune, for 36 months (no breach);
- a transfer, a secondment of two years and a reinforcement of a difficult area (kinds
  the rotation rules do not judge, or judge and find right);
- R1: a rotation of someone in no plan; R2: a planned cadre with under ten years left;
  R3: a rotation planned for 24 months without the competent level's decision.

Each is written through the services (the work history follows) inside a savepoint and
kept only when the rotation rules find exactly its designed breach **and** the designed
findings of the plans, the appointment cases and the reviews are unchanged (moving a
person changes the posts they hold); otherwise the next person is tried. Positions taken
have a free seat on the day (communes first). Nothing is written without a rule set in force.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from canbo.appointments.models import AppointmentCase
from canbo.appointments.selectors import check_cases
from canbo.organizations.models import Position
from canbo.people import services as people_services
from canbo.people.models import Assignment, Person
from canbo.people.selectors import held_on_q
from canbo.planning.models import Plan, PlanEntry
from canbo.planning.selectors import check_plans
from canbo.reviews.models import EvaluationRound, VoteSession, VoteSubject
from canbo.reviews.selectors import check_reviews
from canbo.rotation import services
from canbo.rotation.choices import RotationKind, RotationPurpose
from canbo.rotation.holders import check_posts
from canbo.rotation.models import Rotation
from canbo.rotation.selectors import check_rotations
from canbo.rules.selectors import NoRuleSetInForce, rule_set_in_force

from .planning import CHECKED_ON

START = dt.date(2025, 11, 3)
DAY = dt.timedelta(days=1)


class _Rejected(Exception):
    pass


#: (rule designed, kind, purpose, planned, months planned, young) — None: breaks nothing.
DESIGNS = (
    (None, RotationKind.ROTATION, RotationPurpose.TRAINING, True, 36, True),
    (None, RotationKind.TRANSFER, RotationPurpose.OTHER, False, 48, True),
    (None, RotationKind.SECONDMENT, RotationPurpose.OTHER, False, 24, True),
    (None, RotationKind.REINFORCEMENT, RotationPurpose.DIFFICULT_AREA, False, 36, True),
    ("R1", RotationKind.ROTATION, RotationPurpose.DIFFICULT_AREA, False, 36, True),
    ("R2", RotationKind.ROTATION, RotationPurpose.TRAINING, True, 36, False),
    ("R3", RotationKind.ROTATION, RotationPurpose.TRAINING, True, 24, True),
)


def add_demo_rotations(builder) -> list[str]:
    """Write the designed rotations; the kinds and rules they show (empty if none fit)."""
    root = builder.root.obj
    try:
        rule_set_in_force(CHECKED_ON)
    except NoRuleSetInForce:
        return []
    demo = DemoRotations(root)
    return [label for design in DESIGNS if (label := demo.write(*design))]


class DemoRotations:
    def __init__(self, root):
        self.root = root
        self.baseline = self._others()
        busy = (Q(Exists(AppointmentCase.objects.filter(person=OuterRef("pk"))))
                | Q(Exists(VoteSubject.objects.filter(person=OuterRef("pk"))))
                | Q(Exists(Rotation.objects.filter(person=OuterRef("pk")))))  # fmt: skip
        planned = Exists(PlanEntry.objects.filter(person=OuterRef("pk"), removed_on__isnull=True,
                                                  added_on__lte=START))  # fmt: skip
        self.people = (
            Person.objects.filter(unit__path__startswith=root.path)
            .exclude(busy)
            .annotate(planned=planned)
            .order_by("-birth_date", "id")
        )
        holders = (Assignment.objects.filter(held_on_q(START), position=OuterRef("pk"))
                   .order_by().values("position").annotate(n=Count("id")).values("n"))  # fmt: skip
        self.vacant = list(
            Position.objects.filter(unit__path__startswith=root.path)
            .annotate(held=Coalesce(Subquery(holders), 0)).filter(held__lt=F("seats"))
            .select_related("unit", "title")
            .order_by(F("unit__level").desc(), "unit__path", "id")[:80]
        )  # fmt: skip
        self.used: set[int] = set()

    def _others(self) -> list:
        """The designed findings of the rest of the demo, which rotations must not change."""
        return sorted(
            (f.rule, f.reason, f.id_number or "", f.plan_id or 0, f.case_id or 0,
             f.session_id or 0, f.round_id or 0)
            for f in (*check_plans(Plan.objects.all(), CHECKED_ON),
                      *check_cases(AppointmentCase.objects.all(), CHECKED_ON),
                      *check_reviews(VoteSession.objects.all(), EvaluationRound.objects.all(), CHECKED_ON))
        )  # fmt: skip

    def write(self, rule, kind, purpose, planned, months, young, tries: int = 25) -> str:
        people = self.people.filter(planned=planned)
        people = people.filter(birth_date__gte=dt.date(1975, 1, 1)) if young else people.filter(
            birth_date__lte=dt.date(1971, 6, 30), birth_date__gte=dt.date(1964, 1, 1))  # fmt: skip
        tried = 0
        for person in people.iterator():
            if person.pk in self.used:
                continue
            post = next((p for p in self.vacant if p.pk not in self.used), None)
            if post is None or tried >= tries:
                return ""
            tried += 1
            if self._attempt(person, post, rule, kind, purpose, months):
                self.used |= {person.pk, post.pk}
                return rule or kind
        return ""

    def _attempt(self, person, post, rule, kind, purpose, months) -> bool:
        try:
            with transaction.atomic():
                rotation = services.rotation_create(
                    actor=None, person=person, kind=kind, purpose=purpose, to_position=post,
                    competent_unit=self.root, decision_number="25-QĐ/TU",
                    decision_date=START - 10 * DAY, start_date=START,
                    planned_end=_months_after(START, months),
                    note="Dữ liệu mẫu.",
                )  # fmt: skip
                found = [f.rule for f in check_rotations(Rotation.objects.filter(pk=rotation.pk),
                                                         CHECKED_ON)]  # fmt: skip
                if found != ([rule] if rule else []):
                    raise _Rejected
                if self._others() != self.baseline:
                    raise _Rejected
                return True
        except (_Rejected, ValidationError):
            return False


def _months_after(day: dt.date, months: int) -> dt.date:
    years, months = divmod(day.month - 1 + months, 12)
    return day.replace(year=day.year + years, month=months + 1)


def add_term_limit_breach(builder) -> str:
    """R5: one head of a post whose holder has held it since 2012, across the terms since:
    the earliest start of the current row is moved back through the registry's services.
    Kept only when the holders' rules then find the demo's designed R4 breach and this one,
    and nothing else changes. Returns "R5", or "" when no holder fits."""
    root = builder.root.obj
    try:
        rule_set_in_force(CHECKED_ON)
    except NoRuleSetInForce:
        return ""
    demo = DemoRotations(root)
    before = sorted((f.rule, f.id_number) for f in check_posts(None, root, CHECKED_ON))
    rows = (
        Assignment.objects.filter(held_on_q(CHECKED_ON), position__title__is_head=True,
                                  position__unit__path__startswith=root.path,
                                  start_date__gte=dt.date(2016, 1, 1), is_concurrent=False)
        .exclude(person__in=Person.objects.filter(
            Q(rotations__isnull=False) | Q(appointment_cases__isnull=False)))
        .select_related("person").order_by("position__unit__path", "id")[:15]
    )  # fmt: skip
    for row in rows:
        try:
            with transaction.atomic():
                people_services.section_update(actor=None, item=row, start_date=dt.date(2012, 1, 1))
                after = sorted((f.rule, f.id_number) for f in check_posts(None, root, CHECKED_ON))
                if after != sorted([*before, ("R5", row.person.id_number)]):
                    raise _Rejected
                if demo._others() != demo.baseline:
                    raise _Rejected
                return "R5"
        except (_Rejected, ValidationError):
            continue
    return ""
