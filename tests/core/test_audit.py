import datetime as dt
import io

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


# --- Access log: one entry per read of personal data ------------------------------------


def test_query_text_and_id_list():
    from django.http import QueryDict

    from canbo.core.audit import id_list, query_text

    params = QueryDict("search=Nguy%E1%BB%85n&unit=&sex=F&sex=M&page=2")
    assert query_text(params) == "search=Nguyễn sex=F sex=M page=2"
    assert id_list([3, 12, 3, None, 40]) == " 3 12 40 "
    assert id_list([]) == ""


def test_record_rows_and_export_and_lookup(world):
    from canbo.core.audit import record_export, record_lookup, record_rows
    from canbo.people.models import Person

    a = PersonFactory(unit=world.xa)
    b = PersonFactory(unit=world.xa)
    with audit_source("ui"):
        listed = record_rows(
            actor=world.viewer_a,
            kind="list",
            model=Person,
            query="q" * 2000,
            person_ids=[a.pk, b.pk],
        )
    exported = record_export(actor=None, query="unit=* format=json", rows=2)
    missing = record_lookup(actor=world.editor_a, query="id_number=009999999999", found=None)
    listed.refresh_from_db()
    assert (listed.source, listed.kind, listed.content_type.model, listed.object_id) == (
        "ui", "list", "person", "",
    )  # fmt: skip
    assert (len(listed.query), listed.rows, listed.person_ids) == (1000, 2, f" {a.pk} {b.pk} ")
    assert (exported.kind, exported.actor, exported.content_type, exported.rows) == (
        "export", None, None, 2,
    )  # fmt: skip
    assert (missing.kind, missing.rows, missing.object_repr, str(missing)) == (
        "lookup", 0, "", "Tra cứu theo số định danh",
    )  # fmt: skip


def test_every_read_of_a_person_records_its_kind(world, client):
    from django.urls import reverse

    person = PersonFactory(unit=world.xa, given_name="Hoa")
    item = services.section_create(
        actor=None, person=person, kind="evaluation", year=2025, rating="good"
    )
    client.force_login(world.editor_a)
    pages = [
        ("people:detail", [person.pk], "profile"),
        ("people:history", [person.pk], "history"),
        ("people:update", [person.pk], "form"),
        ("people:section-edit", [person.pk, "evaluation", item.pk], "form"),
        ("people:section-add", [person.pk, "evaluation"], None),  # an empty form shows nothing
        ("people:create", [], None),
    ]
    for name, args, kind in pages:
        before = AccessEvent.objects.count()
        assert client.get(reverse(name, args=args)).status_code == 200
        added = list(AccessEvent.objects.order_by("id")[before:].values_list("kind", "object_id"))
        assert added == ([(kind, str(person.pk))] if kind else []), name


def test_the_people_list_page_records_its_filter_and_rows(world, client):
    from django.urls import reverse

    hoa = PersonFactory(unit=world.xa, family_name="Lê", middle_name="Thị", given_name="Hoa")
    PersonFactory(unit=world.xa, family_name="Vũ", given_name="Minh")
    PersonFactory(unit=world.xb, family_name="Lê", given_name="Hoa")  # out of scope
    client.force_login(world.viewer_a)
    client.get(
        reverse("people:list"), {"search": "le hoa", "sex": ""}, headers={"HX-Request": "true"}
    )
    access = AccessEvent.objects.get()
    assert (access.kind, access.source, access.query, access.rows, access.person_ids) == (
        "list", "ui", "search=le hoa", 1, f" {hoa.pk} ",
    )  # fmt: skip


def test_data_package_export_records_scope_and_people(world, client, tmp_path):
    from django.core.management import call_command
    from django.urls import reverse

    PersonFactory(unit=world.xa)
    PersonFactory(unit=world.xa)
    PersonFactory(unit=world.xb)
    client.force_login(world.viewer_a)
    response = client.get(reverse("exchange:export"), {"unit": "XA", "format": "json"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    access = AccessEvent.objects.get()
    assert (access.kind, access.actor, access.source, access.query, access.rows) == (
        "export", world.viewer_a, "ui", "unit=XA format=json", 2,
    )  # fmt: skip
    target = tmp_path / "all.json"
    call_command("export", "-o", str(target), stdout=io.StringIO())
    command = AccessEvent.objects.latest("id")
    assert (command.kind, command.actor, command.source, command.query, command.rows) == (
        "export", None, "command", f"unit=* format=json output={target}", 3,
    )  # fmt: skip
