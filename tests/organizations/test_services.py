import datetime as dt

from canbo.core.models import AuditEvent
from canbo.organizations import services
from canbo.organizations.choices import AreaKind, AreaLevel
from canbo.organizations.models import AreaSuccession, Unit
from canbo.organizations.selectors import is_local_to
from canbo.organizations.signals import unit_area_changed
from canbo.people import services as people_services
from canbo.people.models import Person
from tests.factories import make_area


def _person(world, id_number, hometown, unit):
    return people_services.person_create(
        actor=None,
        id_number=id_number,
        family_name="Trần",
        given_name="Hòa",
        sex="M",
        birth_date=dt.date(1980, 5, 1),
        hometown=hometown,
        unit=unit,
    )


def test_old_hometown_counts_through_its_successor(world):
    old_province = make_area("cu-99", "Tỉnh Cũ")
    old_commune = make_area("cu-09999", "Xã Cũ", old_province, AreaKind.COMMUNE, AreaLevel.COMMUNE)
    AreaSuccession.objects.create(
        predecessor=old_commune, successor=world.commune_a, effective_date=dt.date(2025, 7, 1)
    )
    assert is_local_to(old_commune, world.xa) is True
    assert is_local_to(old_commune, world.xb) is False
    assert is_local_to(old_commune, world.tu) is True
    assert is_local_to(None, world.xa) is None


def test_changing_a_units_area_recomputes_local_flags(world, admin_user):
    native_b = _person(world, "001080000001", world.commune_b, world.xa)
    native_a = _person(world, "001080000002", world.commune_a, world.xa)
    assert (native_b.is_local, native_a.is_local) == (False, True)
    services.unit_update(actor=admin_user, unit=world.xa, area=world.commune_b)
    flags = dict(Person.objects.values_list("id_number", "is_local"))
    assert flags == {"001080000001": True, "001080000002": False}
    event = AuditEvent.objects.filter(content_type__model="unit").get()
    assert event.changes == {"area": [world.commune_a.pk, world.commune_b.pk]}


def test_unit_area_changed_is_sent_only_when_the_area_changes(world, admin_user):
    """The domain event people receive (organizations imports no people, ADR 0011)."""
    sent = []

    def receiver(sender, **kwargs):
        sent.append((sender, kwargs["unit"].pk, kwargs["unit"].area_id))

    unit_area_changed.connect(receiver, dispatch_uid="test-unit-area-changed")
    try:
        services.unit_update(actor=admin_user, unit=world.xa, name="Xã A mới")
        assert sent == []
        services.unit_update(actor=admin_user, unit=world.xa, area=world.commune_b)
    finally:
        unit_area_changed.disconnect(dispatch_uid="test-unit-area-changed")
    assert sent == [(Unit, world.xa.pk, world.commune_b.pk)]


def test_unit_without_area_uses_the_nearest_ancestors(world, admin_user):
    department = services.unit_create(
        actor=admin_user, parent=world.tu, code="SNV", name="Sở Nội vụ", kind="department",
        level="province",
    )  # fmt: skip
    person = _person(world, "001080000003", world.commune_b, department)
    assert person.is_local is True
