"""Control and bidirectional characters are refused in names and codes: through the
validators, the models, the forms, the API and the data package import."""

from __future__ import annotations

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from canbo.core.models import AuditEvent
from canbo.core.validators import (
    forbidden_character,
    forbidden_message,
    validate_line,
    validate_multiline,
)
from canbo.exchange import cells
from canbo.organizations import services as organization_services
from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.organizations.models import Area, PositionTitle, Term, Unit
from canbo.people.models import (
    Assignment,
    ConfidenceVote,
    Discipline,
    Ethnicity,
    Evaluation,
    Person,
    Reward,
    Training,
)
from canbo.planning import services as planning_services
from canbo.planning.models import Plan, PlanEntry, PlanReview, PlanTransition
from tests.exchange.conftest import PEOPLE_HEADERS, json_package, person_row, run_import
from tests.planning.factories import make_term
from tests.ui.conftest import people as people  # noqa: F401  (the fixture)
from tests.ui.test_people_forms import person_data

# The characters of issue 11, and the message each gets.
BEL, ESC, RLO = "\x07", "\x1b", "\u202e"
MESSAGES = {
    BEL: "Có ký tự điều khiển không được phép (U+0007, không hiển thị được); hãy xóa ký tự "
    "này rồi nhập lại.",
    ESC: "Có ký tự điều khiển không được phép (U+001B, không hiển thị được); hãy xóa ký tự "
    "này rồi nhập lại.",
    RLO: "Có ký tự đảo chiều văn bản không được phép (U+202E, làm chữ hiển thị sai thứ tự); "
    "hãy xóa ký tự này rồi nhập lại.",
}
REFUSED_EVERYWHERE = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))] + list(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)  # fmt: skip
ALLOWED = ["Nguyễn Thị Ánh", "Đặng-Hữu O'Neil", "Mã_01.2/3", "Hà Nội (cũ)", "\u200d\u00ad", ""]

LINE_FIELDS = {
    Ethnicity: ["code", "name"],
    Person: ["family_name", "middle_name", "given_name", "professional_major", "foreign_language",
             "it_level"],
    Assignment: ["unit_name", "title_name", "decision_number"],
    ConfidenceVote: ["body"],
    Discipline: ["authority", "decision_number"],
    Reward: ["form", "authority", "decision_number"],
    Training: ["program", "institution", "qualification"],
    Area: ["code", "official_code", "name"],
    Unit: ["code", "name", "short_name"],
    PositionTitle: ["code", "name"],
    Term: ["name"],
    Plan: ["name", "decision_number"],
    PlanReview: ["decision_number"],
    PlanEntry: ["added_decision"],
    PlanTransition: ["decision_number"],
}  # fmt: skip
MULTILINE_FIELDS = {
    Assignment: ["note"],
    Evaluation: ["note"],
    Discipline: ["reason"],
    PlanReview: ["note"],
    PlanEntry: ["removal_note"],
    PlanTransition: ["reason"],
}


# --- the validators ----------------------------------------------------------------------


@pytest.mark.parametrize("char", REFUSED_EVERYWHERE)
def test_controls_and_bidi_are_refused_in_lines_and_in_notes(char):
    for validate in (validate_line, validate_multiline):
        with pytest.raises(ValidationError) as info:
            validate(f"Nguyễn{char}An")
        assert info.value.code == "forbidden_character"
        assert f"U+{ord(char):04X}" in info.value.messages[0]


@pytest.mark.parametrize("char", ["\t", "\n", "\r"])
def test_tab_and_line_breaks_only_in_notes(char):
    with pytest.raises(ValidationError):
        validate_line(f"a{char}b")
    validate_multiline(f"dòng 1{char}dòng 2")


@pytest.mark.parametrize("text", ALLOWED)
def test_ordinary_text_passes(text):
    validate_line(text)
    validate_multiline(text)
    assert forbidden_character(text) is None


def test_the_messages_name_the_character():
    assert {char: forbidden_message(char) for char in MESSAGES} == MESSAGES
    assert forbidden_character(f"a{ESC}b{RLO}") == ESC
    assert forbidden_character(f"a\nb{RLO}", multiline=True) == RLO


def test_every_name_and_code_field_has_the_validator():
    for fields, validator in ((LINE_FIELDS, validate_line), (MULTILINE_FIELDS, validate_multiline)):
        for model, names in fields.items():
            for name in names:
                assert validator in model._meta.get_field(name).validators, (model, name)


# --- models and services -------------------------------------------------------------------


@pytest.mark.parametrize("char", list(MESSAGES))
def test_services_refuse_unit_and_plan_names_and_write_nothing(world, char):
    with pytest.raises(ValidationError) as info:
        organization_services.unit_create(
            actor=None, parent=world.tu, code=f"X{char}C", name="Ban Tổ chức",
            kind=UnitKind.PARTY_COMMITTEE, level=UnitLevel.PROVINCE,
        )  # fmt: skip
    assert info.value.message_dict == {"code": [MESSAGES[char]]}
    term = make_term(2030, 2035)
    with pytest.raises(ValidationError) as info:
        planning_services.plan_create(actor=None, planning_unit=world.tu, term=term,
                                      name=f"Quy hoạch{char} 2030")  # fmt: skip
    assert info.value.message_dict == {"name": [MESSAGES[char]]}
    assert not Unit.objects.filter(name="Ban Tổ chức").exists()
    assert not Plan.objects.exists()


# --- forms -------------------------------------------------------------------------------


@pytest.mark.parametrize("char", list(MESSAGES))
@pytest.mark.parametrize("field", ["family_name", "given_name", "professional_major"])
def test_person_form_shows_the_message_and_saves_nothing(client, people, field, char):
    client.force_login(people.editor_a)
    count, events = Person.objects.count(), AuditEvent.objects.count()
    response = client.post(reverse("people:create"), person_data(people, **{field: f"Lê{char}Hoa"}))
    content = response.content.decode()
    assert response.status_code == 200
    assert MESSAGES[char] in content
    assert f'id="id_{field}_error"' in content
    assert (Person.objects.count(), AuditEvent.objects.count()) == (count, events)


# --- API ---------------------------------------------------------------------------------


@pytest.mark.parametrize("char", list(MESSAGES))
def test_api_refuses_the_characters_by_field(people, char):
    client = APIClient()
    client.force_authenticate(people.editor_a)
    body = {"id_number": "001090000010", "family_name": "Lê", "middle_name": f"Thị{char}",
            "given_name": f"Hoa{char}", "sex": "F", "birth_date": "05/03/1990", "unit": "XA"}  # fmt: skip
    count = Person.objects.count()
    response = client.post("/api/people/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == {"middle_name": [MESSAGES[char]], "given_name": [MESSAGES[char]]}
    update = client.patch(
        f"/api/people/{people.anh.id_number}/", {"family_name": f"N{char}"}, format="json"
    )
    assert update.status_code == 400
    assert update.json() == {"family_name": [MESSAGES[char]]}
    people.anh.refresh_from_db()
    assert (Person.objects.count(), people.anh.family_name) == (count, "Nguyễn")


# --- import ------------------------------------------------------------------------------


@pytest.mark.parametrize("char", list(MESSAGES))
def test_import_names_sheet_row_and_column(world, tmp_path, char):
    keys = ["id_number", "family_name", "middle_name", "given_name", "sex", "birth_date"]
    rows = [
        dict(zip(keys, person_row(), strict=False)),
        dict(zip(keys, person_row(id_number="001080000002", family=f"Trần{char}"), strict=False)),
    ]
    units = [{"code": "XC", "name": f"Đảng ủy xã{char}", "kind": "Cấp ủy đảng", "level": "Cấp xã",
              "parent": "TU"}]  # fmt: skip
    report = run_import(json_package(tmp_path / "goi.json", {"people": rows, "units": units}))
    found = {(p.sheet, p.row, p.column, p.message) for p in report.errors}
    assert ("Cán bộ", 2, "Họ", MESSAGES[char]) in found
    assert ("Đơn vị", 1, "Tên đơn vị", MESSAGES[char]) in found
    assert not report.applied
    assert Person.objects.count() == 0


@pytest.mark.parametrize("char", list(MESSAGES))
def test_xlsx_import_reads_escaped_controls_and_refuses_them(world, tmp_path, char):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Cán bộ"
    sheet.append(PEOPLE_HEADERS)
    # openpyxl cannot store a control character; Excel writes it as _xHHHH_.
    written = f"_x{ord(char):04X}_" if char < " " else char
    sheet.append(person_row(given=f"An{written}"))
    book.save(tmp_path / "goi.xlsx")
    report = run_import(tmp_path / "goi.xlsx")
    assert [(p.sheet, p.row, p.column, p.message) for p in report.errors] == [
        ("Cán bộ", 2, "Tên", MESSAGES[char])
    ]
    assert Person.objects.count() == 0


def test_notes_keep_their_line_breaks_but_not_other_controls():
    assert cells.read_note("dòng 1\r\ndòng\t2") == "dòng 1\ndòng\t2"
    with pytest.raises(cells.CellError, match="U\\+001B"):
        cells.read_note("dòng 1\n\x1b[31mđỏ")
    with pytest.raises(cells.CellError, match="U\\+202E"):
        cells.read_text("An\u202e")
