"""The OpenAPI schema, fuzzed: every operation, against the schema /api/schema/ serves.

schemathesis generates valid and invalid requests for every operation of the
schema and sends them to the WSGI application in this process (no server, no
network; each request runs inside the test's database transaction), signed in
with an API token of an administrator (every phase, coverage included) and of
a viewer scoped to commune A (the random phases).
Every answer must be no server error, a documented status code and content
type, and a body the schema describes; an invalid request must never be
accepted.

Reproducible: a fixed seed and derandomized generation, no example database.
CANBO_SCHEMATHESIS_EXAMPLES sets the number of examples per operation and
phase (default 20).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import zlib

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.management import call_command
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from canbo.accounts.models import Role
from canbo.appointments import services as appointment_services
from canbo.appointments.models import AppointmentCase
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
from canbo.organizations.choices import UnitLevel
from canbo.organizations.models import Area, Position, Unit
from canbo.people.models import Person
from canbo.planning import services
from canbo.planning.models import Plan, PlanEntry
from canbo.reports import services as report_services
from canbo.reports.models import ReportRound, Submission
from canbo.reviews import services as review_services
from canbo.reviews.models import EvaluationRound, VoteSession
from canbo.rotation import services as rotation_services
from canbo.rotation.models import Rotation, RotationPlan
from canbo.wsgi import application
from tests.api.conftest import finished_job
from tests.factories import UserFactory
from tests.planning.conftest import cadres, plan, positions, term  # noqa: F401 (fixtures)
from tests.planning.factories import hold, make_person, make_position

EXAMPLES = int(os.environ.get("CANBO_SCHEMATHESIS_EXAMPLES", "20"))
SEED = 20260205

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def served_schema() -> dict:
    """What /api/schema/ serves (built here without a request: collection has no database)."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


def fuzzed(*, coverage: bool):
    loaded = schemathesis.openapi.from_dict(
        served_schema(),
        config=schemathesis.Config.from_dict(
            {
                "seed": SEED,
                "generation": {
                    "max-examples": EXAMPLES,
                    "deterministic": True,
                    "database": "none",
                },
                "phases": {"coverage": {"enabled": coverage}, "stateful": {"enabled": False}},
            }
        ),
    )
    loaded.app = application
    return loaded


#: The administrator reaches every record: the coverage phase (every boundary and every
#: kind of invalid value of each parameter and property, a few hundred requests for a
#: person's body) runs as them. The viewer's run is the lighter random one: what it adds
#: is the scope (404 outside commune A, 403 on writes).
as_administrator = fuzzed(coverage=True)
as_viewer = fuzzed(coverage=False)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Django's WSGI handler closes the database connection at each request's start and end
    when it is inside a transaction, as the test's is: disconnected here, as Django's test
    client does (on SQLite in memory closing is a no-op; on PostgreSQL it is not)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def records(request, world):
    """Records for the paths to name: the province plan of tests/planning, and commune A's
    draft plan, person and seat, and its directive with a task assigned to it (what the
    viewer may see)."""
    request.getfixturevalue("plan")
    draft_term = request.getfixturevalue("term")
    seat = make_position(
        world.xa, "BT-XA", "Bí thư Đảng ủy xã", 30, level=UnitLevel.COMMUNE, management_level=3
    )
    person = make_person(
        "Lý", "Văn", "Nam", "M", dt.date(1982, 4, 2), unit=world.xa, id_number="001082000009"
    )
    hold(person, seat)
    draft = services.plan_create(
        actor=None, planning_unit=world.xa, term=draft_term, name="Quy hoạch xã", positions=[seat]
    )
    services.entry_add(actor=None, plan=draft, person=person, position=seat)
    directive = directive_services.directive_create(
        actor=None, kind="plan", number="01-KH/XA", issued_on=dt.date(2026, 1, 5),
        issuing_unit=world.xa, title="Kế hoạch kiểm điểm",
    )  # fmt: skip
    directive_services.task_create(actor=None, directive=directive, content="Kiểm điểm",
                                   lead_unit=world.xa, leader=person)  # fmt: skip
    HearingSlot.objects.create(directive=directive, day=dt.date(2026, 3, 2), session="morning")
    HearingInvitation.objects.create(directive=directive, unit=world.xa)
    MonitoringGroup.objects.create(name="Nhóm xã", owner=world.xa).units.set([world.xa])
    appointment_services.case_open(actor=None, person=person, kind="appoint", position=seat,
                                   competent_unit=world.xa, opened_on=dt.date(2026, 1, 6))  # fmt: skip
    session = review_services.session_create(actor=None, unit=world.xa, year=2025,
                                             held_on=dt.date(2025, 12, 15), summoned=30, present=27)  # fmt: skip
    review_services.subject_add(actor=None, session=session, person=person)
    review_services.round_create(actor=None, unit=world.xa, year=2025, held_on=dt.date(2025, 12, 18))
    rotation_plan = rotation_services.plan_create(actor=None, unit=world.xa, term=draft_term,
                                                  name="Kế hoạch luân chuyển xã")  # fmt: skip
    rotation_services.rotation_create(actor=None, person=person, kind="rotation", purpose="training",
                                      to_position=seat, competent_unit=world.xa, plan=rotation_plan)  # fmt: skip
    # The viewer's background work: one finished with its file, one still waiting.
    finished_job(world.viewer_a, request.getfixturevalue("job_dir"))
    Job.objects.create(user=world.viewer_a, kind="list_xlsx", title="Xuất Excel: Danh sách cán bộ",
                       params={"list": "people", "query": "", "kwargs": {}},
                       scope_snapshot={}, status=JobStatus.QUEUED)  # fmt: skip
    # A report round of the commune's, its draft report and a corrected cell.
    report_round = report_services.round_create(
        actor=None, form_codes=["TK-CB"], period_kind="annual", year=2025,
        deadline=dt.date(2025, 12, 31), issuing_unit=world.xa, level=UnitLevel.COMMUNE,
        issued_on=dt.date(2025, 11, 20),
    )  # fmt: skip
    submission = report_services.open_submission(actor=None, report_round=report_round,
                                                 unit=world.xa, form_code="TK-CB")  # fmt: skip
    report_services.correct_cell(actor=None, submission=submission, row="total",
                                 column="people", value=5, reason="Hồ sơ chưa đủ")  # fmt: skip
    return {
        "report-forms": ["TK-CB"],
        "report-rounds": list(ReportRound.objects.values_list("pk", flat=True)),
        "submissions": list(Submission.objects.values_list("pk", flat=True)),
        "plans": list(Plan.objects.values_list("pk", flat=True)),
        "plan-entries": list(PlanEntry.objects.values_list("pk", flat=True)),
        "positions": list(Position.objects.values_list("pk", flat=True)),
        "people": list(Person.objects.values_list("id_number", flat=True)),
        "units": list(Unit.objects.values_list("code", flat=True)),
        "areas": list(Area.objects.values_list("code", flat=True)),
        "directives": list(Directive.objects.values_list("pk", flat=True)),
        "assignments": list(TaskAssignment.objects.values_list("pk", flat=True)),
        "tasks": list(Task.objects.values_list("pk", flat=True)),
        "hearing-slots": list(HearingSlot.objects.values_list("pk", flat=True)),
        "hearing-invitations": list(HearingInvitation.objects.values_list("pk", flat=True)),
        "monitoring-groups": list(MonitoringGroup.objects.values_list("pk", flat=True)),
        "appointment-cases": list(AppointmentCase.objects.values_list("pk", flat=True)),
        "vote-sessions": list(VoteSession.objects.values_list("pk", flat=True)),
        "evaluation-rounds": list(EvaluationRound.objects.values_list("pk", flat=True)),
        "rotations": list(Rotation.objects.values_list("pk", flat=True)),
        "rotation-plans": list(RotationPlan.objects.values_list("pk", flat=True)),
        "jobs": [],  # filled when called: the administrator's job is made after this fixture
    }


def token_of(username: str) -> dict:
    out = io.StringIO()
    call_command("create_api_token", username, stdout=out)
    return {"Authorization": f"Token {out.getvalue().strip()}"}


@pytest.fixture
def administrator(job_dir):
    user = UserFactory(username="quantri", role=Role.ADMIN)
    finished_job(user, job_dir)
    return token_of(user.username)


@pytest.fixture
def viewer_of_commune_a(world):
    return token_of(world.viewer_a.username)


def name_records(case, records) -> None:
    """Most valid path parameters are replaced by the key of a record that exists.

    Random ids and codes would name nothing and test little but the 404; the
    choice depends only on the generated value (reproducible). An invalid path
    parameter is left as generated.
    """
    if not case.path_parameters:
        return
    meta = case.meta
    path = meta.components.get(ParameterLocation.PATH) if meta else None
    if path is not None and path.mode.is_negative:
        return
    known = records[case.path.split("/")[2]]
    for name, value in case.path_parameters.items():
        pick = zlib.crc32(str(value).encode()) % (len(known) + 1)
        if pick < len(known):  # else: keep the generated value (most likely no record)
            case.path_parameters[name] = known[pick]


def test_the_fuzzed_schema_is_the_served_one(world, as_user):
    response = as_user(world.viewer_a).get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response.json() == served_schema()


def call(case, records, headers) -> None:
    records["jobs"] = [str(pk) for pk in Job.objects.values_list("pk", flat=True)]
    name_records(case, records)
    cache.clear()  # API throttling counts in the cache: the fuzzing is not what it limits
    case.call_and_validate(headers=headers, checks=CHECKS)


@as_administrator.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_as_administrator(case, records, administrator):
    call(case, records, administrator)


@as_viewer.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_as_viewer_of_commune_a(case, records, viewer_of_commune_a):
    call(case, records, viewer_of_commune_a)
