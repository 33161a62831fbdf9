"""The demo's confidence-vote sessions and evaluation round: one breach of each of C1–C5
and E1–E4 on the check date (issue 19).

- a session without its quorum (C1: 19 of 30 present; it cannot be closed);
- a session, closed, where someone who took a post in the vote's year is voted on (C2),
  one person gets 60 % low confidence (C4) and another 70 % (C5, a dismissal proposed);
- a session taking its shares on those present where the rule says those summoned (C3);
- an evaluation round, closed, where two of four rated good and above are excellent (E2),
  a person scored 40 after a year "not completed" (E3), a person with two reprimands in
  the current party term (E4), and a person whose earlier rating contradicts its score (E1).

The tallies are typed twice, by two clerks of the provincial organization committee
(demo accounts without a known password), through the services like any other write. The
people are drawn from those the rest of the demo leaves alone (no planning entry, no
appointment case, no discipline, no rating "not completed", nothing recorded for the vote's
year), so planning's and the appointment rules' designed findings do not change. The
whole set is written in a savepoint and kept only when the rule engine finds exactly the
designed breaches; otherwise nothing is written (the summary says so).
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef

from canbo.accounts import services as accounts
from canbo.accounts.models import Role, User
from canbo.appointments.models import AppointmentCase
from canbo.organizations.models import Unit
from canbo.people import services as people_services
from canbo.people.choices import AssignmentHow
from canbo.people.models import Assignment, ConfidenceVote, Discipline, Evaluation, Person
from canbo.planning.models import PlanEntry
from canbo.reviews import services
from canbo.reviews.models import EvaluationRound, VoteSession
from canbo.reviews.selectors import check_reviews
from canbo.rules.selectors import NoRuleSetInForce, rule_set_in_force

from .planning import CHECKED_ON

YEAR = 2025
HELD = dt.date(2025, 12, 10)
CLERKS = ("thuky_tctu_1", "thuky_tctu_2")
DESIGNED = ["C1", "C2", "C3", "C4", "C5", "E1", "E2", "E3", "E4"]


class _Rejected(Exception):
    pass


def add_demo_reviews(builder) -> list[str]:
    """Write the designed sessions and round; the rules they break (empty if none fit)."""
    root = builder.root.obj
    try:  # the designed breaches are judged by the rules: without any, none is written
        rule_set_in_force(CHECKED_ON)
    except NoRuleSetInForce:
        return []
    units = list(Unit.objects.filter(path__startswith=root.path).exclude(pk=root.pk)
                 .order_by("path")[:4])  # fmt: skip
    if len(units) < 4:
        return []
    pool = list(_left_alone(root).order_by("-birth_date", "id")[:12])
    newcomer = (
        _left_alone(root, newcomers=True)
        .exclude(pk__in=[p.pk for p in pool])
        .order_by("-birth_date", "id")
        .first()
    )
    if len(pool) < 10 or newcomer is None:
        return []
    first, second = _clerks(root)
    try:
        with transaction.atomic():
            _write(units, pool, newcomer, first, second)
            found = sorted(f.rule for f in check_reviews(
                VoteSession.objects.filter(unit__path__startswith=root.path),
                EvaluationRound.objects.filter(unit__path__startswith=root.path), CHECKED_ON))  # fmt: skip
            if found != sorted(DESIGNED):
                raise _Rejected(found)
    except (_Rejected, ValidationError):
        return []
    return DESIGNED


def _left_alone(root, *, newcomers: bool = False):
    """People of the province the other demo parts leave alone; `newcomers`: those who
    took a post in the vote's year (C2's breach), else those who did not."""
    def has(model, **filters):
        return Exists(model.objects.filter(person=OuterRef("pk"), **filters))

    qs = Person.objects.filter(unit__path__startswith=root.path, birth_date__gte=dt.date(1975, 1, 1))
    qs = qs.annotate(
        planned=has(PlanEntry), in_case=has(AppointmentCase), disciplined=has(Discipline),
        failed=has(Evaluation, rating="not_completed"), voted=has(ConfidenceVote, year=YEAR),
        new_post=has(Assignment, start_date__gte=dt.date(YEAR, 1, 1), start_date__lte=HELD,
                     position__isnull=False,
                     how__in=(AssignmentHow.ELECTED, AssignmentHow.APPOINTED)),
    ).filter(planned=False, in_case=False, disciplined=False, failed=False, voted=False,
             new_post=newcomers)  # fmt: skip
    return qs


def _clerks(root) -> tuple[User, User]:
    """The two demo clerks who type the tallies (a random password nobody knows)."""
    out = []
    for username in CLERKS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = accounts.user_create(actor=None, username=username,
                                        password=secrets.token_urlsafe(24), role=Role.EDITOR,
                                        full_name="Chuyên viên Ban Tổ chức (dữ liệu mẫu)")  # fmt: skip
        accounts.scope_grant_add(actor=None, user=user, unit=root)
        out.append(user)
    return out[0], out[1]


def _tallies(session, rows, first, second) -> None:
    for round_no, clerk in ((1, first), (2, second)):
        services.tally_enter(actor=clerk, session=session, round_no=round_no, rows=rows)


def _row(person, high, normal, low):
    return {"person": person, "high": high, "normal": normal, "low": low, "invalid": 0}


def _write(units, pool, newcomer, first, second) -> None:
    u1, u2, u3, u4 = units
    # C1: 19 of 30 present; the session stays open (it cannot be closed).
    short = services.session_create(actor=first, unit=u1, year=YEAR, held_on=HELD, summoned=30,
                                    present=19)  # fmt: skip
    services.subject_add(actor=first, session=short, person=pool[0])
    # C2, C4, C5 in one closed session.
    main = services.session_create(actor=first, unit=u2, year=YEAR, held_on=HELD, summoned=30,
                                   present=30)  # fmt: skip
    for person in (newcomer, pool[1], pool[2], pool[3]):
        services.subject_add(actor=first, session=main, person=person)
    _tallies(main, [_row(newcomer, 20, 10, 0), _row(pool[1], 4, 8, 18), _row(pool[2], 2, 7, 21),
                    _row(pool[3], 25, 5, 0)], first, second)  # fmt: skip
    services.session_close(actor=first, session=main, closed_on=HELD + dt.timedelta(days=1))
    # C3: the shares on those present.
    other = services.session_create(actor=first, unit=u3, year=YEAR, held_on=HELD, summoned=20,
                                    present=20, base_rule="present")  # fmt: skip
    services.subject_add(actor=first, session=other, person=pool[4])
    # E1–E4 in one closed round.
    rnd = services.round_create(actor=first, unit=u4, year=YEAR, held_on=HELD)
    for person, score in ((pool[5], "95"), (pool[6], "92"), (pool[7], "80"), (pool[9], "75"),
                          (pool[8], "40")):  # fmt: skip
        services.score_set(actor=first, evaluation_round=rnd, person=person, score=Decimal(score))
    _record(pool[7], rating="good", score=Decimal("95"))  # E1: the score says excellent
    _record(pool[8], rating="not_completed", score=None)  # E3: with 2025's 40
    for day in (dt.date(2025, 11, 3), dt.date(2025, 12, 1)):  # E4: the 2025–2030 term
        people_services.section_create(actor=None, person=pool[9], kind="discipline",
                                       form="reprimand", effective_date=day)  # fmt: skip
    services.round_close(actor=first, evaluation_round=rnd, closed_on=HELD + dt.timedelta(days=2))


def _record(person, **fields) -> None:
    """The person's rating of the year before in the record, set through the registry."""
    row = Evaluation.objects.filter(person=person, year=YEAR - 1).first()
    if row is None:
        people_services.section_create(actor=None, person=person, kind="evaluation",
                                       year=YEAR - 1, **fields)  # fmt: skip
    else:
        people_services.section_update(actor=None, item=row, **fields)
