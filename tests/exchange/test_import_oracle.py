"""The import gives no existence answer for people beyond the editor's scope (ADR 0010 §1).

An editor of commune A probes a person of commune B through dry runs: the report
must not tell a guessed value from a wrong one, and a section row must read
exactly as for an ID number no record has.
"""

import datetime as dt

import pytest

from canbo.core.models import AccessEvent, AccessKind, AuditEvent
from canbo.people.models import Evaluation
from canbo.people.selectors import DUPLICATE_ELSEWHERE
from canbo.planning import services
from tests.planning.factories import make_person, make_position, make_term

from .conftest import PEOPLE_HEADERS, json_package, person_row, run_import

pytestmark = pytest.mark.django_db

HOA = "001185000002"  # a person of commune B (unit XB)
NOBODY = "001190000099"  # no record has this number
ELSEWHERE = str(DUPLICATE_ELSEWHERE)
NO_PERSON = "Không có cán bộ với số định danh này trong gói hay trong hệ thống."
EVALUATION = {"year": 2024, "rating": "Hoàn thành tốt nhiệm vụ"}


def person(number, **values):
    """A people row of the JSON package: its required columns as Hoa's, and `values`."""
    required = {"family_name": "Đặng", "given_name": "Hoa", "sex": "Nữ", "birth_date": "1985"}
    return {"id_number": number, **required, **values}


@pytest.fixture
def hoa(world, package):
    """Hoa of XB (Tày), with a 2024 evaluation, created by a command (actor None)."""
    path = package({
        "Cán bộ": [PEOPLE_HEADERS, person_row(HOA, "Đặng", "Thị", "Hoa", "Nữ", "1985", "Tày",
                                              "00002", "XB")],
        "Đánh giá": [["Số định danh cá nhân", "Năm", "Xếp loại"],
                     [HOA, 2024, "Hoàn thành tốt nhiệm vụ"]],
    })  # fmt: skip
    report = run_import(path)
    assert report.applied, [str(p) for p in report.problems]
    assert Evaluation.objects.filter(person__id_number=HOA).count() == 1


def problems(report, id_number=None):
    """(sheet, row, column, value, message) of each problem, the probed number as "<số>"."""
    return [
        (p.sheet, p.row, p.column, "<số>" if p.value == id_number else p.value, p.message)
        for p in report.problems
    ]


def counts(report):
    return {title: vars(c) for title, c in report.counts.items()}


def probe(tmp_path, actor, sheets, dry_run=True):
    path = json_package(tmp_path / f"probe-{len(list(tmp_path.iterdir()))}.json", sheets)
    return run_import(path, actor=actor, dry_run=dry_run)


@pytest.mark.parametrize("dry_run", [True, False])
def test_people_row_of_another_unit_gets_one_answer_whatever_its_values(
    world, hoa, tmp_path, dry_run
):
    events, accesses = AuditEvent.objects.count(), AccessEvent.objects.count()
    same = probe(tmp_path, world.editor_a, {"people": [person(HOA, ethnicity="Tày")]},
                 dry_run)  # fmt: skip
    wrong = probe(tmp_path, world.editor_a, {"people": [person(HOA, ethnicity="Kinh")]},
                  dry_run)  # fmt: skip
    expected = [("Cán bộ", 1, "Số định danh cá nhân", HOA, ELSEWHERE)]
    assert problems(same) == problems(wrong) == expected
    # Never counted as unchanged or updated: the row is refused before any comparison.
    zero = {"Cán bộ": {"created": 0, "updated": 0, "unchanged": 0}}
    assert counts(same) == counts(wrong) == zero
    assert not same.applied and not wrong.applied
    assert (AuditEvent.objects.count(), AccessEvent.objects.count()) == (events, accesses)


def test_a_full_row_of_another_unit_is_refused_at_the_id_number_too(world, hoa, tmp_path):
    row = dict(zip(["id_number", "family_name", "middle_name", "given_name", "sex", "birth_date",
                    "ethnicity", "hometown", "unit"],
                   person_row(HOA, "Đặng", "Thị", "Hoa", "Nữ", "1985", "Tày", "00002", "XA"),
                   strict=True))  # fmt: skip
    report = probe(tmp_path, world.editor_a, {"people": [row]}, dry_run=False)
    assert problems(report) == [("Cán bộ", 1, "Số định danh cá nhân", HOA, ELSEWHERE)]
    assert world.xb.people.filter(id_number=HOA).exists()  # not moved into XA


@pytest.mark.parametrize("rating", ["Hoàn thành tốt nhiệm vụ", "Không hoàn thành nhiệm vụ"])
def test_section_row_of_another_unit_reads_as_an_unknown_number(world, hoa, tmp_path, rating):
    events = AuditEvent.objects.count()
    reports = {
        number: probe(
            tmp_path,
            world.editor_a,
            {"evaluations": [{"person": number, "year": 2024, "rating": rating}]},
            dry_run=False,
        )  # fmt: skip
        for number in (HOA, NOBODY)
    }
    outside, unknown = problems(reports[HOA], HOA), problems(reports[NOBODY], NOBODY)
    assert outside == unknown == [("Đánh giá", 1, "Số định danh cá nhân", "<số>", NO_PERSON)]
    assert counts(reports[HOA]) == counts(reports[NOBODY])
    assert AuditEvent.objects.count() == events


def test_section_row_after_a_refused_people_row_still_reads_as_unknown(world, hoa, tmp_path):
    """The people row is refused; the evaluation Hoa has already is not reported unchanged."""
    sheets = {"people": [person(HOA, ethnicity="Tày")],
              "evaluations": [{"person": HOA, **EVALUATION}]}  # fmt: skip
    report = probe(tmp_path, world.editor_a, sheets)
    assert problems(report, HOA) == [
        ("Cán bộ", 1, "Số định danh cá nhân", "<số>", ELSEWHERE),
        ("Đánh giá", 1, "Số định danh cá nhân", "<số>", NO_PERSON),
    ]
    assert counts(report)["Đánh giá"] == {"created": 0, "updated": 0, "unchanged": 0}


def test_an_administrator_keeps_todays_answers(world, hoa, tmp_path, admin_user):
    same = probe(tmp_path, admin_user, {"people": [person(HOA, ethnicity="Tày")],
                                        "evaluations": [{"person": HOA, **EVALUATION}]})  # fmt: skip
    assert same.ok, problems(same)
    assert counts(same) == {"Cán bộ": {"created": 0, "updated": 0, "unchanged": 1},
                            "Đánh giá": {"created": 0, "updated": 0, "unchanged": 1}}  # fmt: skip
    wrong = probe(tmp_path, admin_user, {"people": [person(HOA, ethnicity="Kinh")]})
    assert wrong.ok and counts(wrong) == {"Cán bộ": {"created": 0, "updated": 1, "unchanged": 0}}


def test_an_editor_keeps_todays_answers_in_their_own_unit(world, tmp_path, package):
    run_import(package({"Cán bộ": [PEOPLE_HEADERS, person_row()]}))  # An, of XA
    report = probe(tmp_path, world.editor_a, {"people": [{
        "id_number": "001080000001", "family_name": "Nguyễn", "middle_name": "Văn", "given_name": "An",
        "sex": "Nam", "birth_date": "05/03/1980", "ethnicity": "Kinh"}]})  # fmt: skip
    assert report.ok and counts(report) == {"Cán bộ": {"created": 0, "updated": 0, "unchanged": 1}}


ENTRY_KEYS = ["planning_unit", "term_body", "term", "person", "unit", "title", "added_on"]


@pytest.fixture
def xa_plan(world):
    make_position(world.xa, "BTX", "Bí thư Đảng ủy xã", 50)
    return services.plan_create(actor=None, planning_unit=world.xa, term=make_term(2030, 2035),
                                name="Xã A")  # fmt: skip


def entries(*numbers):
    values = ["XA", "Đại hội Đảng bộ", "2030–2035", None, "XA", "BTX", "01/01/2025"]
    rows = []
    for number in numbers:
        values[3] = number
        rows.append(dict(zip(ENTRY_KEYS, values, strict=True)))
    return {"plan_entries": rows}


def lookups():
    return list(
        AccessEvent.objects.filter(kind=AccessKind.LOOKUP).values_list(
            "actor_id", "rows", "person_ids", "query"
        )
    )


def test_a_plan_naming_people_from_elsewhere_writes_one_access_entry(world, hoa, xa_plan, tmp_path):
    an = make_person("Lê", "Văn", "Tâm", "M", dt.date(1985, 1, 1), unit=world.xa,
                     id_number="001085000011")  # fmt: skip
    hoa_pk = world.xb.people.get(id_number=HOA).pk
    # A dry run tells that Hoa exists: logged too.
    report = probe(tmp_path, world.editor_a, entries(HOA, an.id_number))
    assert report.ok, problems(report)
    assert counts(report)["Quy hoạch - nhân sự"] == {"created": 2, "updated": 0, "unchanged": 0}
    entry = (world.editor_a.pk, 1, f" {hoa_pk} ", "import=Quy hoạch - nhân sự outside=1")
    assert lookups() == [entry]
    applied = probe(tmp_path, world.editor_a, entries(HOA, an.id_number), dry_run=False)
    assert applied.applied and xa_plan.entries.count() == 2
    assert lookups() == [entry, entry]  # one per import, not one per row


def test_a_plan_naming_only_own_or_unknown_people_writes_no_access_entry(
    world, xa_plan, tmp_path, admin_user
):
    an = make_person("Lê", "Văn", "Tâm", "M", dt.date(1985, 1, 1), unit=world.xa,
                     id_number="001085000011")  # fmt: skip
    report = probe(tmp_path, world.editor_a, entries(an.id_number, NOBODY))
    assert problems(report, NOBODY) == [
        ("Quy hoạch - nhân sự", 2, "Số định danh cá nhân", "<số>", NO_PERSON)
    ]
    assert lookups() == []


def test_an_administrator_naming_anyone_writes_no_lookup(world, hoa, xa_plan, tmp_path, admin_user):
    report = probe(tmp_path, admin_user, entries(HOA))
    assert report.ok, problems(report)
    assert lookups() == []
