"""`canbo seed_demo`: one realistic province built from the loaded areas."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F, Q

from canbo.appointments.models import AppointmentCase, CaseStep, StepTally
from canbo.core.models import AuditEvent
from canbo.demo.names import all_family_names, all_given_names, all_middle_names
from canbo.directives.models import Directive, MonitoringGroup
from canbo.organizations.choices import AreaKind, AreaLevel
from canbo.organizations.models import Area, AreaSuccession, Position, PositionTitle, Term, Unit
from canbo.people.models import (
    Assignment,
    ConfidenceVote,
    Discipline,
    Evaluation,
    Person,
    Reward,
    Training,
)
from canbo.people.services import person_derive
from canbo.planning.models import Plan, PlanEntry, PlanPosition, PlanReview, PlanTransition
from canbo.reports.models import ReportRound, Submission, SubmissionCorrection
from canbo.reviews.models import (
    EvaluationRound,
    EvaluationScore,
    VoteSession,
    VoteSubject,
    VoteTally,
)
from canbo.rotation.models import Rotation, RotationPlan

from .factories import make_area

OLD = dt.date(2025, 6, 30)
PROVINCE_UNIT_COUNT = 25  # Tỉnh ủy, 4 agencies, HĐND, UBND, 14 departments, CA, TAND, VKS, MTTQ
COMMUNE_UNIT_COUNT = 3  # Đảng ủy, HĐND, UBND


def _commune(code, name, parent, kind=AreaKind.COMMUNE, **extra):
    return make_area(code, name, parent, kind, AreaLevel.COMMUNE, **extra)


@pytest.fixture
def areas(db):
    """Province 01 with five communes, city 02 with two, and pre-2025 areas."""
    province = make_area("01", "Tỉnh Thử Nghiệm")
    communes = [
        _commune("00001", "Xã An Bình", province),
        _commune("00002", "Phường Bình Minh", province, AreaKind.WARD),
        _commune("00003", "Xã Đông Hưng", province),
        _commune("00004", "Tân Lập", province),  # bare name: the kind gives "xã"
        _commune("00005", "Đặc khu Cô Tô", province, AreaKind.SPECIAL_ZONE),
    ]
    city = make_area("02", "Thành phố Sông Hồng", kind=AreaKind.CENTRAL_CITY)
    _commune("00101", "Phường Hồng Hà", city, AreaKind.WARD)
    _commune("00102", "Xã Hòa Lạc", city)
    old_province = make_area("cu-01", "Tỉnh Cũ", valid_to=OLD)
    old_district = make_area(
        "cu-001",
        "Huyện Vân Đình",
        old_province,
        AreaKind.DISTRICT,
        AreaLevel.DISTRICT,
        valid_to=OLD,
    )
    old_commune = _commune("cu-00010", "Xã Vân Hà", old_district, valid_to=OLD)
    AreaSuccession.objects.create(
        predecessor=old_commune, successor=communes[0], effective_date=dt.date(2025, 7, 1)
    )
    return {"province": province, "communes": communes, "city": city, "old": old_commune}


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def dataset():
    """Everything the command writes, by natural keys (primary keys differ between runs)."""
    return {
        "units": list(
            Unit.objects.order_by("path").values_list(
                "code", "name", "short_name", "kind", "level", "path", "numchild",
                "area__code", "is_difficult_area",
            )
        ),
        "positions": list(
            Position.objects.order_by("unit__code", "title__code").values_list(
                "unit__code", "title__code", "seats"
            )
        ),
        "people": list(
            Person.objects.order_by("id_number").values_list(
                "id_number", "full_name", "birth_date", "birth_date_precision", "sex",
                "ethnicity__code", "religion", "hometown__code", "birthplace__code", "unit__code",
                "party_joined_date", "party_official_date", "professional_degree",
                "political_theory", "state_management", "is_local", "sort_key",
            )
        ),
        "assignments": list(
            Assignment.objects.order_by(
                "person__id_number", "start_date", "title_name", "unit_name", "is_concurrent"
            ).values_list(
                "person__id_number", "title_name", "unit_name", "start_date", "end_date",
                "position__unit__code", "position__title__code", "is_concurrent", "how",
                "decision_number",
            )
        ),
        "evaluations": list(
            Evaluation.objects.order_by("person__id_number", "year").values_list(
                "person__id_number", "year", "rating", "score"
            )
        ),
        "votes": list(
            ConfidenceVote.objects.order_by("person__id_number", "body").values_list(
                "person__id_number", "year", "body", "high", "normal", "low", "base"
            )
        ),
        "disciplines": list(
            Discipline.objects.order_by("person__id_number", "effective_date").values_list(
                "person__id_number", "form", "effective_date", "end_date", "reason"
            )
        ),
        "rewards": list(
            Reward.objects.order_by("person__id_number", "year", "form").values_list(
                "person__id_number", "year", "form", "decision_number"
            )
        ),
        "trainings": list(
            Training.objects.order_by("person__id_number", "kind", "start_date").values_list(
                "person__id_number", "kind", "program", "start_date", "end_date"
            )
        ),
        "plans": list(
            Plan.objects.order_by("planning_unit__code").values_list(
                "planning_unit__code", "term__name", "name", "status", "decision_number",
                "approved_on", "published_on",
            )
        ),
        "plan_entries": list(
            PlanEntry.objects.order_by(
                "plan__planning_unit__code", "position__title__code", "person__id_number",
                "added_on",
            ).values_list(
                "plan__planning_unit__code", "position__unit__code", "position__title__code",
                "person__id_number", "source", "added_on", "first_time", "removed_on",
                "removal_reason",
            )
        ),
        "cases": list(
            AppointmentCase.objects.order_by("id").values_list(
                "person__id_number", "kind", "position__title__code", "competent_unit__code",
                "opened_on", "dossier_received_on", "closed_on",
            )
        ),
    }  # fmt: skip


def wipe_demo():
    AuditEvent.objects.all().delete()
    for model in (SubmissionCorrection, Submission, ReportRound):  # rounds protect their tasks
        model.objects.all().delete()
    Directive.objects.filter(implements__isnull=False).delete()  # the plan is protected
    Directive.objects.all().delete()  # with their tasks, assignments and hearings
    MonitoringGroup.objects.all().delete()
    Rotation.objects.all().delete()
    RotationPlan.objects.all().delete()
    StepTally.objects.all().delete()  # with their lines
    for model in (VoteTally, VoteSubject, VoteSession, EvaluationScore, EvaluationRound):
        model.objects.all().delete()
    CaseStep.objects.all().delete()
    for model in (PlanEntry, PlanReview, PlanPosition, PlanTransition, Plan, AppointmentCase):
        model.objects.all().delete()
    Person.objects.all().delete()
    Position.objects.all().delete()
    Unit.objects.all().delete()
    PositionTitle.objects.all().delete()
    Term.objects.all().delete()


def test_without_areas_the_command_asks_for_load_areas(db):
    with pytest.raises(CommandError) as err:
        seed("--people", "10")
    assert "canbo load-areas" in str(err.value)
    assert Unit.objects.count() == 0
    assert Person.objects.count() == 0


def test_old_areas_alone_are_not_enough(db):
    make_area("cu-01", "Tỉnh Cũ", valid_to=OLD)
    with pytest.raises(CommandError) as err:
        seed("--people", "10")
    assert "canbo load-areas" in str(err.value)


def test_unknown_province_code_is_refused(areas):
    with pytest.raises(CommandError) as err:
        seed("--people", "10", "--province", "99")
    assert "99" in str(err.value)
    assert Unit.objects.count() == 0


def test_seed_builds_the_province(areas):
    output = seed("--people", "300", "--seed", "7")
    province, communes = areas["province"], areas["communes"]
    assert "Tỉnh Thử Nghiệm" in output
    assert ("  Hồ sơ bổ nhiệm, giới thiệu ứng cử: 14 (mẫu vi phạm: A1, A2, A3, A4, A5, A6, A7, A8, "
            "A9, A10)\n") in output
    assert ("  Lấy phiếu tín nhiệm, đánh giá xếp loại (mẫu vi phạm: C1, C2, C3, C4, C5, E1, E2, "
            "E3, E4)\n") in output
    assert ("  Luân chuyển: 8 (mẫu: rotation, transfer, secondment, reinforcement, R1, R2, R3, R5)\n"
            in output)
    assert Person.objects.count() == 300

    # Units: the provincial set plus three per commune, all in one tree under the Tỉnh ủy.
    assert Unit.objects.count() == PROVINCE_UNIT_COUNT + COMMUNE_UNIT_COUNT * len(communes)
    root = Unit.objects.get(code="TU-01")
    assert (root.name, root.depth, root.area_id) == ("Tỉnh ủy Thử Nghiệm", 1, province.pk)
    assert Unit.objects.filter(path__startswith=root.path).count() == Unit.objects.count()
    assert Unit.objects.get(code="UBND-01").name == "Ủy ban nhân dân tỉnh Thử Nghiệm"
    assert Unit.objects.get(code="SNV-01").name == "Sở Nội vụ tỉnh Thử Nghiệm"
    assert Unit.objects.get(code="BTC-01").name == "Ban Tổ chức Tỉnh ủy Thử Nghiệm"
    assert Unit.objects.get(code="DU-00001").name == "Đảng ủy xã An Bình"
    assert Unit.objects.get(code="UBND-00002").name == "Ủy ban nhân dân phường Bình Minh"
    assert Unit.objects.get(code="HDND-00004").name == "Hội đồng nhân dân xã Tân Lập"
    special = Unit.objects.get(code="DU-00005")
    assert (special.name, special.is_difficult_area) == ("Đảng ủy đặc khu Cô Tô", True)
    for commune in communes:
        units = Unit.objects.filter(area=commune)
        assert sorted(u.code.split("-")[0] for u in units) == ["DU", "HDND", "UBND"]
        assert len({u.is_difficult_area for u in units}) == 1
    assert not Unit.objects.exclude(area__path__startswith=province.path).exists()
    assert Unit.objects.find_problems() == ([], [], [], [], [])
    assert Area.objects.find_problems() == ([], [], [], [], [])

    # Every person is filed in a unit of the province.
    assert not Person.objects.filter(unit__isnull=True).exists()
    assert not Person.objects.exclude(unit__path__startswith=root.path).exists()

    # Catalogs.
    secretary = PositionTitle.objects.get(code="TU-BT")
    assert (secretary.is_key, secretary.is_head) == (True, True)
    assert secretary.rank > PositionTitle.objects.get(code="UBND-T-CT").rank
    assert (
        PositionTitle.objects.get(code="X-BT").rank < PositionTitle.objects.get(code="SO-PGD").rank
    )
    assert list(Term.objects.order_by("body", "start_date").values_list("body", "name")) == [
        ("party", "2015–2020"),
        ("party", "2020–2025"),
        ("party", "2025–2030"),
        ("party", "2030–2035"),
        ("peoples_council", "2016–2021"),
        ("peoples_council", "2021–2026"),
        ("peoples_council", "2026–2031"),
    ]


def test_seats_and_current_assignments_are_consistent(areas):
    seed("--people", "300", "--seed", "7")
    overfilled = Position.objects.annotate(
        holders=Count("assignments", filter=Q(assignments__end_date__isnull=True))
    ).filter(holders__gt=F("seats"))
    assert list(overfilled.values_list("unit__code", "title__code")) == []
    # Some seats are vacant.
    assert (
        Position.objects.annotate(
            holders=Count("assignments", filter=Q(assignments__end_date__isnull=True))
        )
        .filter(holders__lt=F("seats"))
        .exists()
    )
    # Each person holds exactly one main current post, in the unit that files the record;
    # the rotated ones (canbo.demo.rotation) hold the post they were rotated to, and a
    # secondee keeps the home post too.
    for rotation in Rotation.objects.select_related("person"):
        current = set(rotation.person.assignments.filter(end_date__isnull=True)
                      .values_list("position_id", flat=True))  # fmt: skip
        assert rotation.to_position_id in current
        assert len(current) == (2 if rotation.kind == "secondment" else 1) + sum(
            1 for a in rotation.person.assignments.filter(end_date__isnull=True, is_concurrent=True))
    for person in Person.objects.filter(rotations__isnull=True):
        main = [
            a
            for a in person.assignments.select_related("position__unit")
            if a.end_date is None and not a.is_concurrent
        ]
        assert len(main) == 1, person
        assert main[0].position.unit_id == person.unit_id
    # Concurrent posts exist (deputy secretaries who chair the people's committee).
    assert Assignment.objects.filter(is_concurrent=True, end_date__isnull=True).exists()
    # Histories: earlier posts with copied names of pre-2025 units and no seat.
    earlier = Assignment.objects.filter(position__isnull=True)
    assert earlier.exists()
    assert not earlier.filter(end_date__isnull=True).exists()
    # Copied names after 1 July 2025 are those of current units (older units were abolished).
    unit_names = set(Unit.objects.values_list("name", flat=True))
    late = earlier.filter(end_date__gt=dt.date(2025, 6, 30))
    assert set(late.values_list("unit_name", flat=True)) <= unit_names
    assert not earlier.filter(
        start_date__lt=dt.date(2025, 7, 1), end_date__gt=dt.date(2025, 6, 30)
    ).exists()
    # Posts held after the reorganisation, before the current one, use a vacant seat.
    bridges = Assignment.objects.filter(
        position__isnull=False, end_date__isnull=False, start_date=dt.date(2025, 7, 1)
    )
    assert bridges.exists()
    for bridge in bridges:
        holders = bridge.position.assignments.filter(end_date__isnull=True).count()
        assert holders < bridge.position.seats
    assert earlier.filter(
        Q(unit_name__startswith="Huyện ủy") | Q(unit_name__contains="huyện")
    ).exists()
    assert not Assignment.objects.filter(end_date__lt=F("start_date")).exists()
    assert not Assignment.objects.filter(start_date__gte=dt.date(2026, 1, 1)).exists()
    # Current posts in commune units began when the communes did.
    assert not Assignment.objects.filter(
        end_date__isnull=True, position__unit__level="commune", start_date__lt=dt.date(2025, 7, 1)
    ).exists()


def test_people_look_real(areas):
    seed("--people", "300", "--seed", "7")
    families, middles, givens = all_family_names(), all_middle_names(), all_given_names()
    people = list(Person.objects.all())
    for p in people:
        assert p.full_name == " ".join(x for x in (p.family_name, p.middle_name, p.given_name) if x)
        assert p.family_name in families
        assert p.middle_name in middles
        assert p.given_name in givens
        assert re.fullmatch(r"\d{12}", p.id_number)
        century_sex = (0 if p.birth_date.year < 2000 else 2) + (p.sex == "F")
        assert p.id_number[3] == str(century_sex)
        assert p.id_number[4:6] == f"{p.birth_date.year % 100:02d}"
        assert 1962 <= p.birth_date.year <= 2000
        if p.birth_date_precision == "Y":
            assert (p.birth_date.month, p.birth_date.day) == (1, 1)
        if p.birth_date_precision == "M":
            assert p.birth_date.day == 1
        if p.party_official_date:
            assert p.party_official_date > p.party_joined_date > p.birth_date
        assert p.hometown_id is not None
    assert len({p.id_number for p in people}) == 300
    precisions = {x: sum(p.birth_date_precision == x for p in people) for x in "DMY"}
    assert precisions["D"] > 250 and precisions["M"] > 0 and precisions["Y"] > 0
    nguyen = sum(p.family_name == "Nguyễn" for p in people)
    assert 60 < nguyen < 160
    assert {p.sex for p in people} == {"M", "F"}
    # Hometowns: mostly the province, some elsewhere, some pre-2025 communes.
    codes = [p.hometown.code for p in Person.objects.select_related("hometown")]
    assert sum(c in {"00101", "00102"} for c in codes) > 0
    assert sum(c.startswith("cu-") for c in codes) > 0
    assert sum(c.startswith("0000") for c in codes) > 150
    # The model accepts every row.
    for p in people:
        p.full_clean(validate_unique=False, validate_constraints=False)
    for model in (Assignment, Evaluation, ConfidenceVote, Discipline, Reward, Training):
        for row in model.objects.all():
            row.full_clean(validate_unique=False, validate_constraints=False)


def test_derived_columns_match_person_derive(areas):
    seed("--people", "300", "--seed", "7")
    # A sample, plus everyone whose hometown is a pre-2025 commune (local through its successor).
    sample = list(Person.objects.order_by("id_number")[::10]) + list(
        Person.objects.filter(hometown__code__startswith="cu-")
    )
    assert Person.objects.filter(hometown=areas["old"], unit__area=areas["communes"][0]).exists()
    for stored in sample:
        person = Person.objects.select_related("hometown", "unit").get(pk=stored.pk)
        person_derive(person)
        assert (person.full_name, person.search_text, person.sort_key, person.is_local) == (
            stored.full_name,
            stored.search_text,
            stored.sort_key,
            stored.is_local,
        )
    assert Person.objects.filter(is_local=True).exists()
    assert Person.objects.filter(is_local=False).exists()
    assert Person.objects.filter(hometown=areas["old"], unit__area=areas["communes"][0])[0].is_local


def test_sections(areas):
    seed("--people", "300", "--seed", "7")
    years = set(Evaluation.objects.values_list("year", flat=True))
    assert years <= set(range(2021, 2026)) and 2025 in years
    # Scores came with QĐ 366 (2025); the one earlier score is the E1 breach of the demo's
    # evaluation round (canbo.demo.reviews): a 2024 "good" scored 95.
    assert list(Evaluation.objects.filter(year__lt=2025, score__isnull=False)
                .values_list("year", "rating", "score")) == [(2024, "good", Decimal("95.00"))]  # fmt: skip
    assert not Evaluation.objects.filter(year=2025, score__isnull=True).exists()
    ratings = dict(Evaluation.objects.values_list("rating").annotate(n=Count("id")))
    assert ratings["good"] > ratings["excellent"] > 0
    assert ratings.get("not_completed", 0) < ratings["good"] / 10
    votes = ConfidenceVote.objects.all()
    assert votes.exists()
    assert not votes.filter(base__lt=F("high") + F("normal") + F("low")).exists()
    assert votes.annotate(twice=F("low") * 2).filter(twice__gt=F("base")).exists()
    assert Discipline.objects.count() == 6 + 2  # and E4's two reprimands (canbo.demo.reviews)
    assert Discipline.objects.filter(form="removal").count() == 1
    assert Reward.objects.exists()
    assert Training.objects.filter(kind="political_theory").exists()
    assert not Training.objects.filter(end_date__gte=dt.date(2026, 1, 1)).exists()


def test_one_audit_event_per_person(areas):
    seed("--people", "300", "--seed", "7")
    person_type = ContentType.objects.get_for_model(Person)
    events = AuditEvent.objects.filter(content_type=person_type)
    assert events.count() == 300
    assert set(events.values_list("source", "action").distinct()) == {("command", "create")}
    person = Person.objects.order_by("id_number").first()
    event = events.get(object_id=str(person.pk))
    assert event.actor is None
    assert event.changes["id_number"] == [None, person.id_number]
    assert event.changes["given_name"] == [None, person.given_name]
    assert "search_text" not in event.changes


def test_same_seed_same_data_other_seed_other_data(areas):
    seed("--people", "300", "--seed", "7")
    first = dataset()
    wipe_demo()
    seed("--people", "300", "--seed", "7")
    assert dataset() == first
    wipe_demo()
    seed("--people", "300", "--seed", "8")
    other = dataset()
    assert other["people"] != first["people"]
    assert other["units"] != first["units"]  # difficult-area flags and vacancies differ


def test_if_empty_and_second_run(areas):
    seed("--people", "50")
    assert "không tạo" in seed("--people", "50", "--if-empty")
    assert Person.objects.count() == 50
    with pytest.raises(CommandError) as err:
        seed("--people", "50")
    assert "TU-01" in str(err.value)
    assert Person.objects.count() == 50


def test_second_province_reuses_catalogs(areas):
    seed("--people", "50")
    titles, terms = PositionTitle.objects.count(), Term.objects.count()
    seed("--people", "40", "--province", "02", "--seed", "3")
    assert (PositionTitle.objects.count(), Term.objects.count()) == (titles, terms)
    assert Person.objects.count() == 90
    city = Unit.objects.get(code="TU-02")
    assert city.name == "Thành ủy Sông Hồng"
    assert city.depth == 1 and city.path != Unit.objects.get(code="TU-01").path
    assert Unit.objects.get(code="UBND-02").name == "Ủy ban nhân dân thành phố Sông Hồng"
    assert Unit.objects.get(code="DU-00101").name == "Đảng ủy phường Hồng Hà"
    holder = Assignment.objects.get(position__unit=city, position__title__code="TU-BT")
    assert holder.title_name == "Bí thư Thành ủy"
    assert Unit.objects.find_problems() == ([], [], [], [], [])


def test_fewer_people_than_seats_fills_the_top_posts_first(areas):
    seed("--people", "20")
    assert Person.objects.count() == 20
    current = Assignment.objects.filter(end_date__isnull=True, is_concurrent=False)
    titles = set(current.values_list("position__title__code", flat=True))
    assert "TU-BT" in titles or "UBND-T-CT" in titles
    assert not titles & {"T-CV", "X-CC", "T-PTP", "X-PTP"}


def test_the_demo_runs_a_directive_campaign(areas):
    from canbo.directives.selectors import directive_rollups

    seed("--people", "300", "--seed", "7")
    plan = Directive.objects.get(number="120-KH/TU")
    guidance = Directive.objects.get(number="05-HD/BTCTU")
    assert guidance.implements == plan
    rolled = directive_rollups(plan, dt.date(2026, 1, 1))
    communes = rolled[1]
    assert communes.assigned == Unit.objects.filter(level="commune",
                                                    kind="party_committee").count() >= 5  # fmt: skip
    assert communes.overdue == 1 and communes.done_late > 0
    assert communes.done_on_time + communes.done_late + communes.overdue == communes.assigned
    # the guidance on time, the synthesis in progress, the report not started (its deadline
    # 5 working days after 16/01/2026: Friday 23/01/2026)
    assert [(r.done_on_time, r.in_progress, r.not_started) for r in (rolled[0], rolled[2], rolled[3])] == [
        (1, 0, 0), (0, 1, 0), (0, 0, 1)
    ]  # fmt: skip
    assert rolled[3].task.deadline == dt.date(2026, 1, 23)
    assert plan.invitations.count() == 4
    assert plan.invitations.exclude(slot=None).count() == 2
    assert MonitoringGroup.objects.get().units.count() == 5


def test_the_demo_runs_a_report_round(areas):
    seed("--people", "300", "--seed", "7")
    report_round = ReportRound.objects.get()
    assert (report_round.period_start, report_round.period_end) == (dt.date(2024, 12, 15),
                                                                    dt.date(2025, 12, 14))  # fmt: skip
    communes = Unit.objects.filter(level="commune", kind="party_committee").count()
    by_status = dict(Submission.objects.values_list("status").annotate(n=Count("pk")))
    assert by_status == {"accepted": communes - 5 + 1, "submitted": 1, "returned": 1, "draft": 1}
    correction = SubmissionCorrection.objects.get()
    assert correction.corrected == correction.computed + 1 and correction.reason
    assert Submission.objects.get(status="returned").comment.startswith("Đề nghị rà soát")
    assert report_round.task.assignments.count() == communes
