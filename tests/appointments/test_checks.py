"""The appointment rules over cases in the database: facts in fixed queries, the command."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from canbo.appointments import services
from canbo.appointments.choices import CaseKind, CaseOutcome
from canbo.appointments.models import AppointmentCase
from canbo.appointments.selectors import case_facts, cases_of, check_cases
from canbo.planning import services as planning
from tests.planning.factories import discipline, hold, make_person, make_position, make_term

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 3, 1)


@pytest.fixture
def setting(world):
    """Tỉnh ủy plans Giám đốc Sở for 2030–2035: An is planned, Bình is not; Cường, in
    commune A, is under a warning since 01/06/2025."""
    director = make_position(world.tu, "GD", "Giám đốc Sở", 70)
    deputy = make_position(world.tu, "PGD", "Phó Giám đốc Sở", 60)
    commune_head = make_position(world.xa, "X-BT", "Bí thư Đảng ủy xã", 40)
    an = make_person("Trần", "Văn", "An", "M", dt.date(1980, 5, 10))
    binh = make_person("Lê", "Văn", "Bình", "M", dt.date(1981, 3, 15))
    cuong = make_person("Phạm", "Văn", "Cường", "M", dt.date(1982, 7, 1))
    for person in (an, binh):
        hold(person, deputy)
    discipline(cuong, "warning", dt.date(2025, 6, 1))
    plan = planning.plan_create(actor=None, planning_unit=world.tu, term=make_term(2030, 2035),
                                name="Quy hoạch 2030–2035", positions=[director])  # fmt: skip
    planning.entry_add(actor=None, plan=plan, person=an, position=director,
                       added_on=dt.date(2024, 1, 1))  # fmt: skip

    def open_case(person, position, unit, **extra):
        values = {"opened_on": dt.date(2026, 2, 2), "dossier_received_on": dt.date(2026, 2, 5),
                  **extra}  # fmt: skip
        return services.case_open(actor=None, person=person, kind=CaseKind.APPOINT,
                                  position=position, competent_unit=unit, **values)  # fmt: skip

    class Setting:
        pass

    s = Setting()
    s.director, s.commune_head, s.an, s.binh, s.cuong = director, commune_head, an, binh, cuong
    s.open_case, s.world = open_case, world
    return s


def rows(findings):
    return [(f.rule, f.reason, f.case_id, f.person_id) for f in findings]


def test_findings_over_the_database(setting):
    s = setting
    fine = s.open_case(s.an, s.director, s.world.tu)
    unplanned = s.open_case(s.binh, s.director, s.world.tu)
    waiting = s.open_case(s.cuong, s.commune_head, s.world.xa)
    assert rows(check_cases(AppointmentCase.objects.all(), AS_OF)) == [
        ("A1", "", unplanned.pk, s.binh.pk),
        ("A1", "", waiting.pk, s.cuong.pk),
        ("A4", "", waiting.pk, s.cuong.pk),
    ]
    # Stopped, the commune's case is no longer judged; the province's subtree only.
    services.case_close(actor=None, case=waiting, closed_on=dt.date(2026, 2, 20),
                        outcome=CaseOutcome.STOPPED)  # fmt: skip
    assert rows(check_cases(AppointmentCase.objects.all(), AS_OF)) == [
        ("A1", "", unplanned.pk, s.binh.pk)
    ]
    commune_cases = cases_of(AppointmentCase.objects.all(), unit=s.world.xa)
    assert list(commune_cases) == [waiting]
    assert fine.pk not in {f.case_id for f in check_cases(AppointmentCase.objects.all(), AS_OF)}
    # Before the cases were opened, nothing is judged.
    assert check_cases(AppointmentCase.objects.all(), dt.date(2026, 2, 1)) == []


@pytest.mark.parametrize("n", [1, 4])
def test_the_facts_take_eleven_queries_whatever_the_number_of_cases(
    setting, n, django_assert_num_queries
):
    s = setting
    people = [s.an, s.binh, s.cuong, make_person("Võ", "Thị", "Dung", "F", dt.date(1985, 1, 1))]
    for person in people[:n]:
        s.open_case(person, s.director, s.world.tu)
    with django_assert_num_queries(11):
        facts = case_facts(AppointmentCase.objects.all(), AS_OF)
    assert len(facts.cases) == n
    assert set(facts.people) == {p.pk for p in people[:n]}
    assert facts.cases[0].plan_entries[0].position_id == s.director.pk  # An's entry
    assert set(facts.positions) == {s.director.pk}


def test_check_procedures_prints_json_and_text(setting):
    s = setting
    case = s.open_case(s.binh, s.director, s.world.tu)
    out = StringIO()
    call_command("check_procedures", "--as-of", "2026-03-01", "--format", "json", stdout=out)
    (found,) = json.loads(out.getvalue())
    assert found == {
        "rule": "A1",
        "severity": "error",
        "citation": "Quy định 377-QĐ/TW ngày 08/10/2025, Điều 34",
        "message": "Lê Văn Bình chưa có trong quy hoạch chức danh Giám đốc Sở – Tỉnh ủy Thử "
        "Nghiệm hoặc chức danh tương đương, cao hơn (ngày 01/03/2026).",
        "reason": "",
        "case": {"id": case.pk, "kind": "appoint", "opened_on": "2026-02-02"},
        "position": {"id": s.director.pk, "name": "Giám đốc Sở – Tỉnh ủy Thử Nghiệm"},
        "person": s.binh.id_number,
        "figures": {"judged_on": "2026-03-01", "target_rank": 70, "planned_ranks": []},
    }
    text = StringIO()
    call_command("check_procedures", "--as-of", "01/03/2026", "--unit", "TU", stdout=text)
    lines = text.getvalue().splitlines()
    assert lines[0] == "Kiểm tra 1 hồ sơ ngày 01/03/2026 theo bộ quy định “QĐ 377/2025”."
    assert lines[1].startswith("[Lỗi] A1 – hồ sơ bổ nhiệm mở ngày 02/02/2026; Giám đốc Sở")
    assert lines[-1] == "Tổng cộng 1 phát hiện: 1 lỗi, 0 cảnh báo, 0 cần xem xét."
    empty = StringIO()
    call_command("check_procedures", "--as-of", "2026-03-01", "--unit", "XA", stdout=empty)
    assert empty.getvalue().splitlines()[-1] == "Không có phát hiện nào."
    with pytest.raises(CommandError, match="Không có đơn vị mã “ZZ”"):
        call_command("check_procedures", "--unit", "ZZ")
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("check_procedures", "--as-of", "31/02/2026")
