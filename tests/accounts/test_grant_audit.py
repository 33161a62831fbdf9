"""Scope grant changes are audited with the value before and after, by service and by admin."""

from canbo.accounts import services
from canbo.accounts.models import ScopeGrant
from canbo.core.models import AuditEvent


def grant_events():
    return AuditEvent.objects.filter(content_type__model="scopegrant").order_by("id")


def post_user_change(client, admin_user, target, grant, **grant_fields):
    """The admin's user change form for `target` with its one grant row as `grant_fields`."""
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    data = {
        "username": target.username,
        "role": target.role,
        "is_active": "on",
        "date_joined_0": "01/01/2026",
        "date_joined_1": "08:00:00",
        "scope_grants-TOTAL_FORMS": "1",
        "scope_grants-INITIAL_FORMS": "1",
        "scope_grants-MIN_NUM_FORMS": "0",
        "scope_grants-MAX_NUM_FORMS": "1000",
        "scope_grants-0-id": str(grant.pk),
        "scope_grants-0-user": str(target.pk),
        "scope_grants-0-unit": str(grant.unit_id),
    }
    data.update({f"scope_grants-0-{k}": v for k, v in grant_fields.items()})
    response = client.post(f"/admin/accounts/user/{target.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_service_change_of_subtree_records_before_and_after(world, admin_user):
    grant = world.viewer_a.scope_grants.get()
    assert grant.include_subtree is True
    services.scope_grant_add(actor=admin_user, user=world.viewer_a, unit=world.xa,
                             include_subtree=False)  # fmt: skip
    event = grant_events().get()
    assert event.action == "update"
    assert event.object_id == str(grant.pk)
    assert event.changes == {"include_subtree": [True, False]}
    assert event.actor == admin_user


def test_service_new_grant_records_its_values(world, admin_user):
    grant = services.scope_grant_add(actor=admin_user, user=world.viewer_a, unit=world.xb,
                                     include_subtree=False)  # fmt: skip
    event = grant_events().get()
    assert event.action == "create"
    assert event.changes == {
        "id": [None, grant.pk],
        "include_subtree": [None, False],
        "unit": [None, world.xb.pk],
        "user": [None, world.viewer_a.pk],
    }


def test_service_same_grant_again_records_nothing(world, admin_user):
    services.scope_grant_add(actor=admin_user, user=world.viewer_a, unit=world.xa,
                             include_subtree=True)  # fmt: skip
    assert not grant_events().exists()


def test_admin_change_of_subtree_records_before_and_after(client, world, admin_user):
    target = world.viewer_a
    grant = target.scope_grants.get()
    # include_subtree unticked: the grant narrows to commune A's unit alone
    post_user_change(client, admin_user, target, grant)
    assert ScopeGrant.objects.get(pk=grant.pk).include_subtree is False
    event = grant_events().get()
    assert event.action == "update"
    assert event.changes == {"include_subtree": [True, False]}
    assert event.source == "ui" and event.actor == admin_user


def test_admin_removal_of_a_grant_records_what_it_was(client, world, admin_user):
    target = world.viewer_a
    grant = target.scope_grants.get()
    post_user_change(client, admin_user, target, grant, include_subtree="on", DELETE="on")
    assert not ScopeGrant.objects.filter(pk=grant.pk).exists()
    event = grant_events().get()
    assert event.action == "delete"
    assert event.changes == {
        "id": [grant.pk, None],
        "include_subtree": [True, None],
        "unit": [world.xa.pk, None],
        "user": [target.pk, None],
    }
