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
