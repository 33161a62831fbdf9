import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from canbo.core.models import AuditEvent
from canbo.people import services
from canbo.people.models import Person


def test_person_create_fills_derived_columns_and_audits(world):
    person = services.person_create(
        actor=world.editor_a,
        id_number="001085012345",
        family_name="  đặng ",
        middle_name="thị  ánh",
        given_name="HỒNG",
        sex="F",
        birth_date=dt.date(1985, 3, 5),
        unit=world.xa,
        hometown=world.commune_a,
    )
    assert person.full_name == "Đặng Thị Ánh Hồng"
    assert person.search_text == " dang thi anh hong 001085012345 "
    assert person.is_local is True
    event = AuditEvent.objects.get(object_id=str(person.pk), action="create")
    assert event.actor == world.editor_a
    assert event.changes["given_name"] == [None, "Hồng"]


def test_person_create_outside_scope_is_refused_and_nothing_changes(world):
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=world.editor_a,
            id_number="001085012346",
            family_name="Lê",
            given_name="Bình",
            sex="M",
            birth_date=dt.date(1980, 1, 1),
            unit=world.xb,
        )
    assert Person.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_person_id_number_must_have_12_digits(world):
    with pytest.raises(ValidationError) as err:
        services.person_create(
            actor=world.editor_a,
            id_number="12345",
            family_name="Lê",
            given_name="Bình",
            sex="M",
            birth_date=dt.date(1980, 1, 1),
            unit=world.xa,
        )
    assert "id_number" in err.value.message_dict
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"birth_date": dt.date(1899, 12, 31)}, "birth_date"),
        ({"birth_date": dt.date.today() + dt.timedelta(days=1)}, "birth_date"),
        ({"party_joined_date": dt.date(1979, 12, 31)}, "party_joined_date"),
        (
            {"party_joined_date": dt.date(2005, 1, 1), "party_official_date": dt.date(2004, 1, 1)},
            "party_official_date",
        ),
    ],
)
def test_impossible_dates_are_refused(world, fields, field):
    values = {
        "id_number": "001080000009",
        "family_name": "Lê",
        "given_name": "Bình",
        "sex": "M",
        "birth_date": dt.date(1980, 1, 1),
        "unit": world.xa,
        **fields,
    }
    with pytest.raises(ValidationError) as err:
        services.person_create(actor=world.editor_a, **values)
    assert list(err.value.message_dict) == [field]
    assert Person.objects.count() == 0
