import datetime as dt

from canbo.core.audit import audit_source, history_for
from canbo.core.models import AccessEvent, AuditEvent
from canbo.people import services
from canbo.people.selectors import person_profile
from tests.factories import PersonFactory


def test_update_records_before_and_after_and_no_op_records_nothing(world):
    person = PersonFactory(unit=world.xa, given_name="Bình", political_theory=1)
    with audit_source("command"):
        services.person_update(actor=world.editor_a, person=person, political_theory=3)
    event = AuditEvent.objects.get()
    assert (event.source, event.action, event.actor) == ("command", "update", world.editor_a)
    assert event.changes == {"political_theory": [1, 3]}
    services.person_update(actor=world.editor_a, person=person, political_theory=3)
    assert AuditEvent.objects.count() == 1
    assert list(history_for(person)) == [event]


def test_section_writes_are_audited(world):
    person = PersonFactory(unit=world.xa)
    item = services.section_create(
        actor=world.editor_a, person=person, kind="evaluation", year=2025, rating="good"
    )
    services.section_update(actor=world.editor_a, item=item, rating="excellent")
    services.section_delete(actor=world.editor_a, item=item)
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "changes"))
    assert actions[0][0] == "create" and actions[0][1]["rating"] == [None, "good"]
    assert actions[1] == ("update", {"rating": ["good", "excellent"]})
    assert actions[2][0] == "delete" and actions[2][1]["rating"] == ["excellent", None]


def test_opening_a_profile_records_access(world):
    person = PersonFactory(unit=world.xa, birth_date=dt.date(1970, 1, 1))
    person_profile(user=world.viewer_a, pk=person.pk)
    access = AccessEvent.objects.get()
    assert (access.actor, access.object_id) == (world.viewer_a, str(person.pk))


def _created_reference(fields, data):
    """The changes of a created record as a dict (how bulk imports first built them)."""
    from canbo.core.audit import _plain

    return {
        name: [None, _plain(value)]
        for name, attname in fields
        if (value := data[attname]) is not None and value != ""
    }


def test_created_changes_text_is_the_json_of_the_changes_dict():
    import decimal
    import json

    from canbo.core.audit import created_changes
    from canbo.core.dates import DatePrecision
    from canbo.people.choices import Degree

    fields = [("a", "a"), ("b", "b_id"), ("c", "c"), ("d", "d"), ("e", "e"), ("f", "f"),
              ("g", "g"), ("h", "h"), ("i", "i"), ("j", "j"), ("k", "k"), ("l", "l")]  # fmt: skip
    data = {
        "a": 'Lê "Hoàng" \\ Yên\n\t\u2028',
        "b_id": 42,
        "c": None,
        "d": "",
        "e": dt.date(1968, 2, 16),
        "f": dt.datetime(2026, 11, 29, 20, 1, 2, 345678, tzinfo=dt.UTC),
        "g": decimal.Decimal("8.50"),
        "h": True,
        "i": False,
        "j": DatePrecision.MONTH,
        "k": Degree.COLLEGE,
        "l": 0.25,
    }
    text = created_changes(fields)(data)
    assert json.loads(text) == _created_reference(fields, data)
    assert list(json.loads(text)) == ["a", "b", "e", "f", "g", "h", "i", "j", "k", "l"]


def test_record_writes_stores_dicts_and_ready_json_alike(world):
    from canbo.core.audit import created_changes, record_writes
    from canbo.core.models import AuditAction
    from canbo.people.models import Person

    person = PersonFactory(unit=world.xa)
    changes = {"given_name": [None, "Hoa"], "birth_date": [None, "1970-01-01"]}
    text = created_changes([("birth_date", "birth_date"), ("given_name", "given_name")])(
        {"given_name": "Hoa", "birth_date": dt.date(1970, 1, 1)}
    )
    count = record_writes(
        actor=world.editor_a, action=AuditAction.CREATE, model=Person,
        items=[(person.pk, changes, "a"), (person.pk, text, "b")],
    )  # fmt: skip
    assert count == 2
    stored = list(AuditEvent.objects.order_by("id").values_list("object_repr", "changes"))
    assert stored == [("a", changes), ("b", changes)]
