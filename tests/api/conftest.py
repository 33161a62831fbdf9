"""Data for the API tests: the `world` of tests/conftest.py with people and seats in both communes.

Commune A (unit XA): Nguyễn Văn Ánh (001080000001, man, born 05/03/1980, hometown
commune A, Bí thư of XA since 01/2021), Trần Thị Cúc (001085000002, woman, born
06/1985, no post).
Commune B (unit XB): Đặng Thị Bình (001075000003, woman, born 1975 (year only),
Bí thư of XB since 15/06/2020).
"""

import datetime as dt
import json
import re
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from canbo.accounts.models import Role
from canbo.appointments import services as appointment_services
from canbo.appointments import steps as appointment_steps
from canbo.core import scope
from canbo.core.models import AccessEvent, AuditEvent
from canbo.directives import services as directive_services
from canbo.directives.models import (
    Directive,
    HearingInvitation,
    HearingSlot,
    MonitoringGroup,
    Task,
    TaskAssignment,
)
from canbo.jobs.models import Job, JobStatus
from canbo.organizations.choices import ManagementLevel, UnitLevel
from canbo.organizations.models import Position, Unit
from canbo.people import selectors
from canbo.people.models import Assignment, Ethnicity, Person
from canbo.planning import services as planning_services
from canbo.planning.models import Plan, PlanEntry, PlanReview, PlanTransition
from canbo.reports import services as report_services
from canbo.reports.models import ReportRound, Submission, SubmissionCorrection
from canbo.reviews import services as review_services
from canbo.reviews.models import (
    EvaluationRound,
    EvaluationScore,
    VoteSession,
    VoteSubject,
    VoteTally,
)
from canbo.rotation import services as rotation_services
from canbo.rotation.models import Rotation, RotationPlan

from ..factories import PersonFactory, PositionFactory, PositionTitleFactory, UserFactory, grant
from ..planning.factories import make_term
from .oracle import answer

TODAY = dt.date(2026, 2, 5)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Derived values (age, months left, current posts) are computed as of 05/02/2026."""
    monkeypatch.setattr(selectors, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def as_user():
    """An API client signed in as the given user."""

    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def people(world):
    kinh = Ethnicity.objects.get(code="01")
    title = PositionTitleFactory(
        code="BT-XA",
        name="Bí thư Đảng ủy xã",
        level=UnitLevel.COMMUNE,
        rank=30,
        is_key=True,
        is_head=True,
        management_level=ManagementLevel.COMMUNE,
    )
    world.title = title
    world.position_a = PositionFactory(unit=world.xa, title=title, seats=1)
    world.position_b = PositionFactory(unit=world.xb, title=title, seats=1)
    world.anh = PersonFactory(
        id_number="001080000001",
        family_name="Nguyễn",
        middle_name="Văn",
        given_name="Ánh",
        sex="M",
        birth_date=dt.date(1980, 3, 5),
        ethnicity=kinh,
        hometown=world.commune_a,
        unit=world.xa,
        is_local=True,
    )
    world.cuc = PersonFactory(
        id_number="001085000002",
        family_name="Trần",
        middle_name="Thị",
        given_name="Cúc",
        sex="F",
        birth_date=dt.date(1985, 6, 1),
        birth_date_precision="M",
        ethnicity=kinh,
        unit=world.xa,
    )
    world.binh = PersonFactory(
        id_number="001075000003",
        family_name="Đặng",
        middle_name="Thị",
        given_name="Bình",
        sex="F",
        birth_date=dt.date(1975, 1, 1),
        birth_date_precision="Y",
        ethnicity=kinh,
        unit=world.xb,
    )
    Assignment.objects.create(
        person=world.anh,
        position=world.position_a,
        title_name=title.name,
        unit_name=world.xa.name,
        start_date=dt.date(2021, 1, 1),
        start_precision="M",
    )
    Assignment.objects.create(
        person=world.binh,
        position=world.position_b,
        title_name=title.name,
        unit_name=world.xb.name,
        start_date=dt.date(2020, 6, 15),
    )
    return world


def db_state():
    """Everything an API write could touch, to compare before and after a refused write."""
    return {
        "people": list(Person.objects.order_by("pk").values()),
        "units": list(Unit.objects.order_by("pk").values()),
        "positions": list(Position.objects.order_by("pk").values()),
        "assignments": list(Assignment.objects.order_by("pk").values()),
        "plans": list(Plan.objects.order_by("pk").values()),
        "plan_entries": list(PlanEntry.objects.order_by("pk").values()),
        "plan_reviews": PlanReview.objects.count(),
        "plan_transitions": PlanTransition.objects.count(),
        "directives": list(Directive.objects.order_by("pk").values()),
        "tasks": list(Task.objects.order_by("pk").values()),
        "task_assignments": list(TaskAssignment.objects.order_by("pk").values()),
        "hearing_slots": list(HearingSlot.objects.order_by("pk").values()),
        "hearing_invitations": list(HearingInvitation.objects.order_by("pk").values()),
        "groups": list(MonitoringGroup.objects.order_by("pk").values()),
        "group_units": list(MonitoringGroup.units.through.objects.order_by("pk").values()),
        "vote_sessions": list(VoteSession.objects.order_by("pk").values()),
        "vote_subjects": list(VoteSubject.objects.order_by("pk").values()),
        "vote_tallies": list(VoteTally.objects.order_by("pk").values()),
        "evaluation_rounds": list(EvaluationRound.objects.order_by("pk").values()),
        "evaluation_scores": list(EvaluationScore.objects.order_by("pk").values()),
        "rotations": list(Rotation.objects.order_by("pk").values()),
        "rotation_plans": list(RotationPlan.objects.order_by("pk").values()),
        "report_rounds": list(ReportRound.objects.order_by("pk").values()),
        "submissions": list(Submission.objects.order_by("pk").values()),
        "corrections": list(SubmissionCorrection.objects.order_by("pk").values()),
        "audit": AuditEvent.objects.count(),
        "access": AccessEvent.objects.count(),
    }


def results(response):
    """The rows of a paginated list response."""
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- The scope matrix -------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """One row of the scope matrix: a request, and the status each role gets in scope.

    `path` and `body` name objects by placeholders, filled three times: with the
    objects of commune A (the users' scope), of commune B (outside it) and with
    values no record has. Outside the scope the answer must be exactly the
    answer for a record that does not exist, with the status `out` (404 by
    default; a role refused in scope, as a viewer writing, is refused first
    whatever the request names; None: the request names no object, as a
    list). For a viewer, a body naming commune B's records on a path in
    commune A is answered as one naming no record (editors may name people
    from elsewhere, by rule). `scoped=False`: reference data, the same for every
    signed-in user.
    Placeholders: {person} (ID number; Ánh, not yet planned, in commune A),
    {unit} (code), {position}, {plan}, {entry} (Cúc's, in commune A), {area},
    {directive} (issued by the commune), {task} (its task), {assignment} (the task, assigned
    to the commune), {slot} (a free slot of its hearing schedule), {invitation} (the commune
    invited to it), {group} (a monitoring group the commune owns, of the commune itself),
    {rotation_plan} (the commune body's rotation plan), {rotation} (its person's intended
    rotation in it, to the commune's deputy post), {report_round} (the commune's annual round
    2025 of TK-CB, its cut-off passed, asking the commune itself), {submission} (the commune's
    draft in it) and {correction} (a cell it corrected).
    """

    method: str
    path: str
    viewer: int
    editor: int
    body: dict | None = None
    out: int | None = 404
    scoped: bool = True

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


#: What commune B's records are called: never in an answer to a user of commune A.
def out_of_scope_markers(world) -> list[str]:
    return [world.binh.id_number, world.binh.full_name, world.xb.name]


#: An id no job has.
NO_JOB = "00000000-0000-4000-8000-000000000000"


def targets(world, which: str, role: str = "viewer") -> dict[str, str]:
    """The placeholders' values. A job is its owner's: {job} in scope is the role's own."""
    names = _targets(world, which)
    names["job"] = {"in": lambda: getattr(world, f"job_{role}_a", None),
                    "out": lambda: getattr(world, "job_b", None)}.get(which, lambda: None)()  # fmt: skip
    names["job"] = str(names["job"].pk) if names["job"] is not None else NO_JOB
    names["form"] = "TK-CB"  # a report form: reference data, the unit is what is scoped
    return names


def _targets(world, which: str) -> dict[str, str]:
    if which == "in":
        return {"person": world.anh.id_number, "unit": "XA",
                "position": world.position_a.pk, "plan": world.plan_a.pk,
                "entry": world.entry_a.pk, "area": "00001",
                "directive": world.directive_a.pk, "assignment": world.assignment_a.pk,
                "task": world.task_a.pk, "slot": world.slot_a.pk,
                "invitation": world.invitation_a.pk, "group": world.group_a.pk,
                "case": world.case_a.pk, "candidate": world.case_a.person.id_number,
                "step": 2, "session": world.session_a.pk, "round": world.round_a.pk,
                "rotation": world.rotation_a.pk, "rotation_plan": world.rotation_plan_a.pk,
                "report_round": world.report_round_a.pk, "submission": world.submission_a.pk,
                "correction": world.correction_a.pk}  # fmt: skip
    if which == "out":
        return {"person": world.binh.id_number, "unit": "XB",
                "position": world.position_b.pk, "plan": world.plan_b.pk,
                "entry": world.entry_b.pk, "area": "00002",
                "directive": world.directive_b.pk, "assignment": world.assignment_b.pk,
                "task": world.task_b.pk, "slot": world.slot_b.pk,
                "invitation": world.invitation_b.pk, "group": world.group_b.pk,
                "case": world.case_b.pk, "candidate": world.case_b.person.id_number,
                "step": 2, "session": world.session_b.pk, "round": world.round_b.pk,
                "rotation": world.rotation_b.pk, "rotation_plan": world.rotation_plan_b.pk,
                "report_round": world.report_round_b.pk, "submission": world.submission_b.pk,
                "correction": world.correction_b.pk}  # fmt: skip
    return {"person": "009999999999", "unit": "KHONGCO",
            "position": 2**62, "plan": 2**62, "entry": 2**62, "area": "99999",
            "directive": 2**62, "assignment": 2**62, "task": 2**62, "slot": 2**62,
            "invitation": 2**62, "group": 2**62, "case": 2**62, "candidate": "009999999999",
            "step": 5, "session": 2**62, "round": 2**62, "rotation": 2**62,
            "rotation_plan": 2**62, "report_round": 2**62, "submission": 2**62,
            "correction": 2**62}  # fmt: skip


def fill(value, names: dict):
    """Placeholders replaced, in a path or anywhere in a JSON body; a whole "{position}"
    becomes the number itself."""
    if isinstance(value, dict):
        return {k: fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, names) for v in value]
    if isinstance(value, str):
        whole = re.fullmatch(r"\{(\w+)\}", value)
        if whole and isinstance(names[whole.group(1)], int):
            return names[whole.group(1)]
        return value.format(**names)
    return value


@pytest.fixture
def matrix(people, job_dir):
    """`people`, and a draft plan in each commune with one entry each (Cúc in A, Bình in B)."""
    term = make_term(2030, 2035)
    make_term(2035, 2040)  # for the plans created by the matrix
    deputy_title = PositionTitleFactory(code="PBT-XA", name="Phó Bí thư Đảng ủy xã",
                                        level=UnitLevel.COMMUNE, rank=25,
                                        management_level=ManagementLevel.COMMUNE)  # fmt: skip
    for name, unit, position, person in (("a", people.xa, people.position_a, people.cuc),
                                         ("b", people.xb, people.position_b, people.binh)):  # fmt: skip
        plan = planning_services.plan_create(
            actor=None, planning_unit=unit, term=term, name=f"Quy hoạch {unit.code}",
            positions=[position],
        )  # fmt: skip
        entry = planning_services.entry_add(
            actor=None, plan=plan, person=person, position=position, added_on=dt.date(2026, 1, 5)
        )
        setattr(people, f"plan_{name}", plan)
        setattr(people, f"entry_{name}", entry)
        # A directive of each commune, its task assigned to the commune itself (lead unit).
        directive = directive_services.directive_create(
            actor=None, kind="plan", number=f"01-KH/{unit.code}", issued_on=dt.date(2026, 1, 5),
            issuing_unit=unit, title="Kế hoạch kiểm điểm",
        )  # fmt: skip
        task = directive_services.task_create(
            actor=None, directive=directive, content="Kiểm điểm tập thể", lead_unit=unit,
            deadline=dt.date(2026, 3, 31),
        )  # fmt: skip
        setattr(people, f"directive_{name}", directive)
        setattr(people, f"task_{name}", task)
        setattr(people, f"assignment_{name}", TaskAssignment.objects.get(task=task))
        # Its hearing schedule: a free slot, the commune invited; a group the commune owns.
        setattr(people, f"slot_{name}", HearingSlot.objects.create(
            directive=directive, day=dt.date(2026, 3, 2), session="morning"))  # fmt: skip
        setattr(people, f"invitation_{name}",
                HearingInvitation.objects.create(directive=directive, unit=unit))  # fmt: skip
        group = MonitoringGroup.objects.create(name=f"Nhóm theo dõi {name}", owner=unit)
        group.units.set([unit])
        setattr(people, f"group_{name}", group)
        # An appointment case decided by the commune's body, for its own person.
        case = appointment_services.case_open(
            actor=None, person=person, kind="appoint", position=position, competent_unit=unit,
            opened_on=dt.date(2026, 1, 6),
        )  # fmt: skip
        setattr(people, f"case_{name}", case)
        # A confidence-vote session of the commune's body, its person (Ánh, Bình) voted on,
        # and an evaluation round of the commune.
        session = review_services.session_create(
            actor=None, unit=unit, year=2025, held_on=dt.date(2025, 12, 15), summoned=30,
            present=27,
        )  # fmt: skip
        review_services.subject_add(actor=None, session=session,
                                    person=people.anh if name == "a" else people.binh)  # fmt: skip
        setattr(people, f"session_{name}", session)
        setattr(people, f"round_{name}", review_services.round_create(
            actor=None, unit=unit, year=2025, held_on=dt.date(2025, 12, 18)))  # fmt: skip
        # The commune body's rotation plan, with its person (Ánh, Bình) to move to the
        # commune's deputy post: intended, not started.
        deputy = PositionFactory(unit=unit, title=deputy_title, seats=1)
        rotation_plan = rotation_services.plan_create(
            actor=None, unit=unit, term=term, name=f"Kế hoạch luân chuyển {unit.code}")  # fmt: skip
        setattr(people, f"rotation_plan_{name}", rotation_plan)
        setattr(people, f"rotation_{name}", rotation_services.rotation_create(
            actor=None, person=people.anh if name == "a" else people.binh, kind="rotation",
            purpose="training", to_position=deputy, competent_unit=unit, plan=rotation_plan))  # fmt: skip
        # The commune's report round of 2025 (TK-CB, cut-off 14/12/2025, passed), asking the
        # commune itself; its draft report, one cell corrected.
        report_round = report_services.round_create(
            actor=None, form_codes=["TK-CB"], period_kind="annual", year=2025,
            deadline=dt.date(2025, 12, 31), issuing_unit=unit, level=UnitLevel.COMMUNE,
            issued_on=dt.date(2025, 11, 20))  # fmt: skip
        submission = report_services.open_submission(actor=None, report_round=report_round,
                                                     unit=unit, form_code="TK-CB")  # fmt: skip
        setattr(people, f"report_round_{name}", report_round)
        setattr(people, f"submission_{name}", submission)
        setattr(people, f"correction_{name}", report_services.correct_cell(
            actor=None, submission=submission, row="total", column="people", value=5,
            reason="Hồ sơ chưa cập nhật"))  # fmt: skip
        # Its step 1 closed, step 2 (a ballot) held and open.
        for number in (1, 2):
            step = appointment_steps.step_record(
                actor=None, case=case, number=number, held_on=dt.date(2026, 1, 6 + number),
                summoned=9, present=9,
            )  # fmt: skip
            if number == 1:
                appointment_steps.step_close(actor=None, step=step, closed_on=step.held_on)
    # A finished background job of each user of commune A, one of a user of commune B.
    owner_b = UserFactory(username="xem_b", role=Role.VIEWER)
    grant(owner_b, people.xb)
    for attr, owner in (("job_viewer_a", people.viewer_a), ("job_editor_a", people.editor_a),
                        ("job_b", owner_b)):  # fmt: skip
        setattr(people, attr, finished_job(owner, job_dir))
    return people


def finished_job(owner, job_dir) -> Job:
    job = Job.objects.create(user=owner, kind="list_xlsx", title="Xuất Excel: Danh sách cán bộ",
                             params={"list": "people", "query": "", "kwargs": {}},
                             scope_snapshot=scope.sight_snapshot(owner), status=JobStatus.DONE,
                             done=1, total=1, file_name="danh-sach-can-bo.xlsx",
                             content_type="application/octet-stream")  # fmt: skip
    job.file_key = f"{job.pk}.xlsx"
    job.file_size = (job_dir / job.file_key).write_bytes(b"PK test")
    job.save()
    return job


def _client(user, path: str) -> APIClient:
    client = APIClient()
    if path.startswith("/api/"):
        client.force_authenticate(user)
    else:
        client.force_login(user)  # a page: the session
    return client


def _ask(client, endpoint: Endpoint, names: dict, body_names: dict | None = None):
    body = endpoint.body
    if body is not None:
        body = json.dumps(fill(body, body_names or names))
    return getattr(client, endpoint.method)(
        fill(endpoint.path, names), data=body, content_type="application/json"
    )


def check_scope(world, endpoint: Endpoint, role: str) -> None:
    """The matrix's assertions for one endpoint and one role ("viewer" or "editor" of A)."""
    user = getattr(world, f"{role}_a")
    client = _client(user, endpoint.path)
    markers = out_of_scope_markers(world)
    if endpoint.out is not None and endpoint.scoped:
        out, none = targets(world, "out"), targets(world, "none")
        before = db_state()
        outside = _ask(client, endpoint, out)
        assert db_state() == before, "a refused request changed the database"
        missing = _ask(client, endpoint, none)
        assert db_state() == before, "a refused request changed the database"
        # A role refused in scope (a viewer writing) is refused first, whatever is named.
        expected = 403 if getattr(endpoint, role) == 403 else endpoint.out
        assert outside.status_code == expected, outside.content
        # Not 403 for a record outside the scope: the same answer as for no record at all.
        assert answer(outside, out.values()) == answer(missing, none.values())
    if role == "viewer" and endpoint.body is not None:
        # A viewer never reaches beyond the scope through what a body names either (the
        # what-if of a plan in scope asked about a person of commune B, say).
        inside, out, none = (targets(world, which, role) for which in ("in", "out", "none"))
        before = db_state()
        assert answer(_ask(client, endpoint, inside, out), out.values()) == answer(
            _ask(client, endpoint, inside, none), none.values()
        )
        assert db_state() == before, "a refused request changed the database"
    before = db_state()
    response = _ask(client, endpoint, targets(world, "in", role))
    assert response.status_code == getattr(endpoint, role), response.content
    if response.status_code >= 400:
        assert db_state() == before, "a refused request changed the database"
    if response.status_code < 300:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode(errors="replace")  # a file (the 2C record, a job's file) is bytes
        assert not [m for m in markers if m in text], "an answer shows commune B"
