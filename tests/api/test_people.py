"""The people endpoint: fields, derived values, profile sections, writes and their audit."""

import datetime as dt
from decimal import Decimal

import pytest

from canbo.core.models import AccessEvent, AuditEvent
from canbo.people.models import (
    ConfidenceVote,
    Discipline,
    Evaluation,
    Person,
    Reward,
    Training,
)

from .conftest import db_state, results

ANH = {
    "id": None,  # filled in by the test
    "id_number": "001080000001",
    "family_name": "Nguyễn",
    "middle_name": "Văn",
    "given_name": "Ánh",
    "full_name": "Nguyễn Văn Ánh",
    "sex": "M",
    "birth_date": "1980-03-05",
    "birth_date_precision": "D",
    "ethnicity": "01",
    "religion": "",
    "hometown": "00001",
    "birthplace": None,
    "unit": "XA",
    "unit_name": "Đảng ủy xã An Bình",
    "party_joined_date": None,
    "party_official_date": None,
    "professional_degree": None,
    "professional_major": "",
    "political_theory": None,
    "state_management": None,
    "foreign_language": "",
    "it_level": "",
    "retirement_age_override_months": None,
    # Man born 03/1980: 62 years (NĐ 135/2020), so 31/03/2042; 45 on 05/02/2026.
    "age": 45,
    "retirement_date": "2042-03-31",
    "retirement_age_months": 744,
    "months_left": 193,
    "management_level": 3,
    "management_level_label": "Cấp ủy cấp xã quản lý",
    "is_local": True,
    "current_positions": [
        {
            "title": "BT-XA",
            "title_name": "Bí thư Đảng ủy xã",
            "unit": "XA",
            "unit_name": "Đảng ủy xã An Bình",
            "since": "2021-01",
            "is_concurrent": False,
            # hometown 00001 lies inside commune A, the area XA governs (ADR 0013)
            "local": True,
        }
    ],
}


def test_list_row_has_every_field_and_the_derived_values(people, as_user):
    rows = results(as_user(people.viewer_a).get("/api/people/"))
    assert rows[0] == {**ANH, "id": people.anh.pk}


def test_partial_birth_dates_read_by_precision(people, as_user, admin_user):
    rows = {r["id_number"]: r for r in results(as_user(admin_user).get("/api/people/"))}
    cuc, binh = rows["001085000002"], rows["001075000003"]
    # Woman born 06/1985 (month known): 60 years, counted from 01/06/1985.
    assert (cuc["birth_date"], cuc["birth_date_precision"]) == ("1985-06", "M")
    assert (cuc["age"], cuc["retirement_date"], cuc["months_left"]) == (40, "2045-06-30", 232)
    assert cuc["current_positions"] == []
    assert cuc["management_level"] is None
    # Woman born 1975 (year only): counted from 01/1975, 59 years 8 months.
    assert (binh["birth_date"], binh["birth_date_precision"]) == ("1975", "Y")
    assert (binh["age"], binh["retirement_date"], binh["retirement_age_months"]) == (
        51,
        "2034-09-30",
        716,
    )


def test_retirement_override_applies(people, as_user):
    Person.objects.filter(pk=people.cuc.pk).update(retirement_age_override_months=720)
    Person.objects.filter(pk=people.anh.pk).update(retirement_age_override_months=780)
    rows = {r["id_number"]: r for r in results(as_user(people.viewer_a).get("/api/people/"))}
    assert rows["001085000002"]["retirement_date"] == "2045-06-30"
    assert rows["001080000001"]["retirement_date"] == "2045-03-31"
    assert rows["001080000001"]["retirement_age_months"] == 780


def test_ended_assignment_is_not_a_current_position(people, as_user):
    people.anh.assignments.update(end_date=dt.date(2025, 12, 31))
    row = results(as_user(people.viewer_a).get("/api/people/"))[0]
    assert row["current_positions"] == []
    assert row["management_level"] is None


def test_filters_of_the_shared_filterset(people, as_user, admin_user):
    api = as_user(admin_user)

    def ids(query):
        return [r["id_number"] for r in results(api.get(f"/api/people/?{query}"))]

    assert ids("sex=F") == ["001075000003", "001085000002"]
    assert ids("unit=XB") == ["001075000003"]
    assert ids("age_min=45") == ["001080000001", "001075000003"]
    assert ids("age_min=41&age_max=50") == ["001080000001"]
    assert ids("position_title=BT-XA") == ["001080000001", "001075000003"]
    assert ids("is_local=true") == ["001080000001"]
    assert ids("search=001085") == ["001085000002"]
    assert ids("ethnicity=02") == []


# --- Detail: the full profile ----------------------------------------------------


def test_detail_has_the_profile_sections_and_leaves_an_access_entry(people, as_user):
    anh = people.anh
    Evaluation.objects.create(person=anh, year=2024, rating="good", score=Decimal("85.5"))
    ConfidenceVote.objects.create(
        person=anh, year=2025, body="Hội nghị BCH", high=20, normal=8, low=2, base=30
    )
    Discipline.objects.create(
        person=anh,
        form="reprimand",
        effective_date=dt.date(2023, 5, 10),
        end_date=dt.date(2024, 5, 10),
        authority="UBKT Tỉnh ủy",
        decision_number="12-QĐ/UBKT",
        reason="Chậm báo cáo",
        planning_exception="expired",
    )
    Reward.objects.create(person=anh, year=2022, form="Bằng khen", authority="UBND tỉnh")
    Training.objects.create(
        person=anh,
        kind="political_theory",
        program="Cao cấp lý luận chính trị",
        start_date=dt.date(2019, 9, 1),
        end_date=dt.date(2021, 6, 30),
        qualification="Bằng cao cấp",
    )
    response = as_user(people.viewer_a).get("/api/people/001080000001/")
    assert response.status_code == 200
    data = response.json()
    sections = {k: data.pop(k) for k in ("assignments", "evaluations", "confidence_votes",
                                          "disciplines", "rewards", "trainings")}  # fmt: skip
    assert data == {**ANH, "id": anh.pk}
    assignment = anh.assignments.get()
    assert sections["assignments"] == [
        {
            "id": assignment.pk,
            "position": people.position_a.pk,
            "title": "BT-XA",
            "title_name": "Bí thư Đảng ủy xã",
            "unit": "XA",
            "unit_name": "Đảng ủy xã An Bình",
            "start_date": "2021-01",
            "end_date": None,
            "is_concurrent": False,
            "how": "appointed",
            "decision_number": "",
            "note": "",
        }
    ]
    assert [{k: v for k, v in e.items() if k != "id"} for e in sections["evaluations"]] == [
        {"year": 2024, "rating": "good", "score": "85.50", "note": ""}
    ]
    assert [{k: v for k, v in e.items() if k != "id"} for e in sections["confidence_votes"]] == [
        {
            "year": 2025,
            "body": "Hội nghị BCH",
            "high": 20,
            "normal": 8,
            "low": 2,
            "base": 30,
            "shares": {"high": "66.67", "normal": "26.67", "low": "6.67"},
        }
    ]
    assert [{k: v for k, v in e.items() if k != "id"} for e in sections["disciplines"]] == [
        {
            "form": "reprimand",
            "effective_date": "2023-05-10",
            "end_date": "2024-05-10",
            "authority": "UBKT Tỉnh ủy",
            "decision_number": "12-QĐ/UBKT",
            "reason": "Chậm báo cáo",
            "planning_exception": "expired",
        }
    ]
    assert [{k: v for k, v in e.items() if k != "id"} for e in sections["rewards"]] == [
        {"year": 2022, "form": "Bằng khen", "authority": "UBND tỉnh", "decision_number": ""}
    ]
    assert [{k: v for k, v in e.items() if k != "id"} for e in sections["trainings"]] == [
        {
            "kind": "political_theory",
            "program": "Cao cấp lý luận chính trị",
            "institution": "",
            "start_date": "2019-09-01",
            "end_date": "2021-06-30",
            "qualification": "Bằng cao cấp",
        }
    ]
    access = AccessEvent.objects.get()
    assert (access.actor, access.source, access.object_id) == (
        people.viewer_a,
        "api",
        str(anh.pk),
    )


def test_list_leaves_one_access_entry_with_its_filter_and_rows(people, as_user):
    rows = results(as_user(people.viewer_a).get("/api/people/?search=nguyen&page_size=10"))
    assert [r["id_number"] for r in rows] == ["001080000001"]
    access = AccessEvent.objects.get()
    assert (access.actor, access.source, access.kind, access.query, access.rows) == (
        people.viewer_a, "api", "list", "search=nguyen page_size=10", 1,
    )  # fmt: skip
    assert (access.content_type.model, access.object_id, access.person_ids) == (
        "person", "", f" {people.anh.pk} ",
    )  # fmt: skip
    results(as_user(people.viewer_a).get("/api/people/?search=khongco"))
    empty = AccessEvent.objects.latest("id")
    assert (empty.query, empty.rows, empty.person_ids) == ("search=khongco", 0, "")


def test_vote_with_zero_base_has_no_shares(people, as_user):
    ConfidenceVote.objects.create(person=people.anh, year=2025, body="Hội nghị", base=0)
    data = as_user(people.viewer_a).get("/api/people/001080000001/").json()
    assert data["confidence_votes"][0]["shares"] == {"high": None, "normal": None, "low": None}


# --- Create and update ---------------------------------------------------------------


NEW_PERSON = {
    "id_number": "001090000010",
    "family_name": "  lê ",
    "middle_name": "thị  minh",
    "given_name": "HOA",
    "sex": "F",
    "birth_date": "05/03/1990",
    "unit": "XA",
    "hometown": "00002",
    "ethnicity": "02",
    "religion": "buddhism",
    "professional_degree": 3,
    "political_theory": "2",
    "state_management": 1,
    "party_joined_date": "19/05/2015",
    "party_official_date": "2016-05-19",
    "foreign_language": "Tiếng Anh B1",
    "it_level": "Cơ bản",
}


def test_editor_creates_a_person(people, as_user):
    response = as_user(people.editor_a).post("/api/people/", NEW_PERSON, format="json")
    assert response.status_code == 201, response.json()
    person = Person.objects.get(id_number="001090000010")
    data = response.json()
    assert data["id"] == person.pk
    assert (data["full_name"], data["birth_date"], data["sex"]) == (
        "Lê Thị Minh Hoa",
        "1990-03-05",
        "F",
    )
    # Woman born 03/1990: 60 years, so 31/03/2050.
    assert (data["age"], data["retirement_date"], data["months_left"]) == (35, "2050-03-31", 289)
    assert (data["is_local"], data["current_positions"], data["unit"]) == (False, [], "XA")
    assert (person.birth_date, person.birth_date_precision) == (dt.date(1990, 3, 5), "D")
    assert (person.hometown, person.unit, person.ethnicity.code) == (
        people.commune_b,
        people.xa,
        "02",
    )
    assert (person.professional_degree, person.political_theory, person.state_management) == (
        3,
        2,
        1,
    )
    assert (person.party_joined_date, person.party_official_date) == (
        dt.date(2015, 5, 19),
        dt.date(2016, 5, 19),
    )
    assert person.search_text == " le thi minh hoa 001090000010 "


def test_api_create_is_audited_with_source_api(people, as_user):
    as_user(people.editor_a).post("/api/people/", NEW_PERSON, format="json")
    person = Person.objects.get(id_number="001090000010")
    event = AuditEvent.objects.get(object_id=str(person.pk))
    assert (event.actor, event.source, event.action) == (people.editor_a, "api", "create")
    assert event.changes["given_name"] == [None, "Hoa"]
    assert event.changes["birth_date"] == [None, "1990-03-05"]
    assert event.changes["unit"] == [None, people.xa.pk]


@pytest.mark.parametrize(
    ("typed", "stored", "precision", "read"),
    [
        ("05/03/1990", dt.date(1990, 3, 5), "D", "1990-03-05"),
        ("5/3/1990", dt.date(1990, 3, 5), "D", "1990-03-05"),
        ("1990-03-05", dt.date(1990, 3, 5), "D", "1990-03-05"),
        ("03/1990", dt.date(1990, 3, 1), "M", "1990-03"),
        ("1990-03", dt.date(1990, 3, 1), "M", "1990-03"),
        ("1990", dt.date(1990, 1, 1), "Y", "1990"),
        (1990, dt.date(1990, 1, 1), "Y", "1990"),
    ],
)
def test_birth_date_forms(people, as_user, typed, stored, precision, read):
    payload = {**NEW_PERSON, "birth_date": typed}
    response = as_user(people.editor_a).post("/api/people/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["birth_date"] == read
    person = Person.objects.get(id_number="001090000010")
    assert (person.birth_date, person.birth_date_precision) == (stored, precision)


def test_editor_updates_a_person_and_the_change_is_audited(people, as_user):
    response = as_user(people.editor_a).patch(
        "/api/people/001080000001/",
        {"foreign_language": "Tiếng Anh B2", "birth_date": "1980"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["birth_date"] == "1980"
    assert response.json()["retirement_date"] == "2042-01-31"
    event = AuditEvent.objects.get(object_id=str(people.anh.pk))
    assert (event.actor, event.source, event.action) == (people.editor_a, "api", "update")
    assert event.changes == {
        "birth_date": ["1980-03-05", "1980-01-01"],
        "birth_date_precision": ["D", "Y"],
        "foreign_language": ["", "Tiếng Anh B2"],
    }


def test_full_update_with_put(people, as_user):
    payload = {
        "id_number": "001080000001",
        "family_name": "Nguyễn",
        "middle_name": "Văn",
        "given_name": "Anh",
        "sex": "M",
        "birth_date": "05/03/1980",
        "unit": "XA",
        "hometown": "00001",
        "ethnicity": "01",
    }
    response = as_user(people.editor_a).put("/api/people/001080000001/", payload, format="json")
    assert response.status_code == 200, response.json()
    people.anh.refresh_from_db()
    assert (people.anh.full_name, people.anh.search_text) == (
        "Nguyễn Văn Anh",
        " nguyen van anh 001080000001 ",
    )


def test_read_only_fields_are_ignored_on_update(people, as_user):
    before = db_state()
    response = as_user(people.editor_a).patch(
        "/api/people/001080000001/",
        {
            "full_name": "Giả Mạo",
            "age": 20,
            "retirement_date": "2099-01-31",
            "is_local": False,
            "birth_date_precision": "Y",
            "id": 999,
        },  # fmt: skip
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["full_name"] == "Nguyễn Văn Ánh"
    after = db_state()
    # Only the row's "updated_at" timestamp moves; no audit event for a change of nothing.
    for row in before["people"] + after["people"]:
        row.pop("updated_at")
    assert after == before


def test_administrator_may_write_anywhere(people, as_user, admin_user):
    response = as_user(admin_user).patch("/api/people/001075000003/", {"unit": "XA"}, format="json")
    assert response.status_code == 200
    people.binh.refresh_from_db()
    assert people.binh.unit == people.xa


def test_administrator_may_create_a_person_without_unit(people, as_user, admin_user):
    payload = {k: v for k, v in NEW_PERSON.items() if k != "unit"}
    response = as_user(admin_user).post("/api/people/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["unit"], response.json()["unit_name"]) == (None, None)
    assert response.json()["is_local"] is None
    # Nobody but administrators sees a record outside every unit.
    assert as_user(people.editor_a).get("/api/people/001090000010/").status_code == 404
