"""Rotations: recorded and decided through the services, the work history written through
the registry, the directions derived, the guards, scope and audit; R1–R3 over them."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from canbo.core.models import AuditEvent
from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.people.models import Assignment
from canbo.planning import services as planning
from canbo.rotation import services
from canbo.rotation.choices import LevelDirection, RotationKind, RotationOutcome, RotationPurpose
from canbo.rotation.models import Rotation
from canbo.rotation.selectors import check_rotations, rotation_facts
from tests.factories import make_unit
from tests.planning.factories import hold, make_person, make_position, make_term

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 6, 30)


@pytest.fixture
def setting(world):
    """A provincial department (TU > SNV, a government agency) and commune A's committee."""
    snv = make_unit("SNV", "Sở Nội vụ", world.tu, UnitKind.DEPARTMENT, UnitLevel.PROVINCE,
                    area=world.province)  # fmt: skip

    class S:
        deputy = make_position(snv, "SNV-PGD", "Phó Giám đốc Sở", 60)
        secretary = make_position(world.xa, "X-BT", "Bí thư Đảng ủy xã", 40)
        an = make_person("Trần", "Văn", "An", "M", dt.date(1985, 5, 10), unit=world.xa)
        cu = make_person("Lê", "Văn", "Cư", "M", dt.date(1970, 3, 1), unit=world.xa)

    S.snv = snv
    hold(S.an, S.deputy, start=dt.date(2020, 1, 1))
    hold(S.cu, S.deputy, start=dt.date(2019, 1, 1))
    plan = planning.plan_create(actor=None, planning_unit=world.tu, term=make_term(2030, 2035),
                                name="Quy hoạch 2030–2035", positions=[S.deputy])  # fmt: skip
    planning.entry_add(actor=None, plan=plan, person=S.an, position=S.deputy,
                       added_on=dt.date(2024, 1, 1))  # fmt: skip
    return S


def rotate(world, s, person, *, actor=None, kind=RotationKind.ROTATION,
           purpose=RotationPurpose.TRAINING, start=dt.date(2026, 3, 1), **extra):  # fmt: skip
    values = {"decision_number": "15-QĐ/TU", "decision_date": start - dt.timedelta(days=10),
              "start_date": start, "planned_end": dt.date(2029, 3, 1), **extra}  # fmt: skip
    return services.rotation_create(actor=actor, person=person, kind=kind, purpose=purpose,
                                    to_position=s.secretary, competent_unit=world.tu, **values)  # fmt: skip


def history(person):
    return list(Assignment.objects.filter(person=person).order_by("start_date", "id")
                .values_list("position__title__code", "start_date", "end_date", "how"))  # fmt: skip


def test_a_rotation_down_to_a_commune_writes_the_history_and_its_directions(world, setting):
    s = setting
    r = rotate(world, s, s.an)
    assert (r.from_position, r.level_direction, r.across_localities, r.across_sectors) == (
        s.deputy, LevelDirection.DOWN, True, True)  # province agency → commune committee
    assert history(s.an) == [
        ("SNV-PGD", dt.date(2020, 1, 1), dt.date(2026, 2, 28), "appointed"),
        ("X-BT", dt.date(2026, 3, 1), None, "rotated"),
    ]
    # Ended with a return: the commune post ends, the old post starts again.
    services.rotation_end(actor=None, rotation=r, actual_end=dt.date(2026, 6, 1),
                          outcome=RotationOutcome.RETURNED, evaluation="Hoàn thành tốt")  # fmt: skip
    assert history(s.an)[1:] == [
        ("X-BT", dt.date(2026, 3, 1), dt.date(2026, 6, 1), "rotated"),
        ("SNV-PGD", dt.date(2026, 6, 2), None, "rotated"),
    ]
    events = AuditEvent.objects.filter(content_type__model="rotation", object_id=str(r.pk))
    assert list(events.order_by("id").values_list("action", flat=True)) == ["create", "update"]
    assert events.latest("id").changes["outcome"] == ["", "returned"]


def test_a_secondment_keeps_the_home_post_and_staying_keeps_the_new_one(world, setting):
    s = setting
    r = rotate(world, s, s.an, kind=RotationKind.SECONDMENT, purpose=RotationPurpose.OTHER)
    assert history(s.an) == [
        ("SNV-PGD", dt.date(2020, 1, 1), None, "appointed"),
        ("X-BT", dt.date(2026, 3, 1), None, "seconded"),
    ]
    services.rotation_end(actor=None, rotation=r, actual_end=dt.date(2026, 5, 31),
                          outcome=RotationOutcome.APPOINTED_THERE)  # fmt: skip
    assert history(s.an)[1] == ("X-BT", dt.date(2026, 3, 1), None, "seconded")


def test_guards(world, setting):
    s = setting
    with pytest.raises(ValidationError) as exc:
        rotate(world, s, s.an, decision_date=dt.date(2026, 3, 5))  # after the start
    assert "Ngày bắt đầu không được trước ngày quyết định." in exc.value.messages
    with pytest.raises(ValidationError) as exc:
        rotate(world, s, s.an, planned_end=dt.date(2026, 3, 1))
    assert "Ngày dự kiến kết thúc phải sau ngày bắt đầu." in exc.value.messages
    with pytest.raises(ValidationError) as exc:
        rotate(world, s, s.an, decision_number=" ")
    assert exc.value.message_dict == {"decision_number": ["Hãy nhập số quyết định."]}
    with pytest.raises(ValidationError) as exc:
        services.rotation_create(actor=None, person=s.an, kind=RotationKind.ROTATION,
                                 purpose=RotationPurpose.TRAINING, to_position=s.secretary,
                                 competent_unit=world.xb)  # fmt: skip
    assert exc.value.message_dict == {
        "to_position": ["Chức danh này không thuộc phạm vi của cấp có thẩm quyền đã chọn."]}
    r = rotate(world, s, s.an)
    with pytest.raises(ValidationError) as exc:
        services.rotation_end(actor=None, rotation=r, actual_end=dt.date(2026, 2, 1),
                              outcome=RotationOutcome.OTHER)  # fmt: skip
    assert "Ngày kết thúc không được trước ngày bắt đầu." in exc.value.messages
    assert Rotation.objects.count() == 1 and len(history(s.an)) == 2


def test_only_editors_of_the_competent_body_record_rotations(world, setting):
    s = setting
    for actor in (world.viewer_a, world.editor_a):  # commune A's grants do not reach TU
        with pytest.raises(PermissionDenied):
            rotate(world, s, s.an, actor=actor)
    assert Rotation.objects.count() == 0 and len(history(s.an)) == 1


def test_r1_to_r3_over_a_designed_set(world, setting, django_assert_num_queries):
    s = setting
    fine = rotate(world, s, s.an)  # planned, 40 years left, 36 months
    unplanned = rotate(world, s, s.cu, purpose=RotationPurpose.NON_LOCAL,
                       start=dt.date(2026, 4, 1), planned_end=dt.date(2029, 4, 1))  # R1; R2 reduced: fine
    dung = make_person("Phạm", "Văn", "Dũng", "M", dt.date(1990, 1, 1), unit=world.xa)
    hold(dung, s.deputy, start=dt.date(2021, 1, 1))
    short = rotate(world, s, dung, purpose=RotationPurpose.OTHER, start=dt.date(2026, 5, 1),
                   planned_end=dt.date(2027, 5, 1))  # R3: 12 months; R1 (not planned)
    qs = Rotation.objects.all()
    found = [(f.rule, f.reason, f.rotation_id) for f in check_rotations(qs, AS_OF)]
    assert found == [("R1", "", unplanned.pk), ("R1", "", short.pk), ("R3", "planned", short.pk)]
    assert fine.pk not in {f[2] for f in found}
    # R2: Cư (born 03/1970) has under ten years left, but non-local placement needs one term.
    cu = check_rotations(qs, AS_OF)
    assert not [f for f in cu if f.rule == "R2"]
    trained = rotate(world, s, make_person("Võ", "Văn", "Em", "M", dt.date(1968, 6, 1),
                                           unit=world.xa), start=dt.date(2026, 6, 1),
                     planned_end=dt.date(2029, 6, 1))  # fmt: skip
    r2 = [f for f in check_rotations(qs, AS_OF) if f.rule == "R2"]
    assert [(f.rotation_id, f.figures["required"]) for f in r2] == [(trained.pk, 120)]
    # Four queries whatever the number of rotations: the rotations, the planning entries,
    # the people, the posts taken.
    with django_assert_num_queries(4):
        facts = rotation_facts(qs, AS_OF)
    assert len(facts.rotations) == 4
    out = io.StringIO()
    call_command("check_rotation", "--as-of", "2026-06-30", "--format", "json", stdout=out)
    first = json.loads(out.getvalue())[0]
    assert {k: first[k] for k in ("rule", "severity", "person", "reason")} == {
        "rule": "R1", "severity": "error", "person": s.cu.id_number, "reason": ""}
    assert first["rotation"] == {"id": unplanned.pk, "kind": "rotation", "purpose": "non_local",
                                 "start_date": "2026-04-01"}  # fmt: skip
