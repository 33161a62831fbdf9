from canbo.accounts.models import ScopeGrant, User
from canbo.core.models import AuditEvent


def test_admin_user_change_with_scope_grant_is_audited(client, world, admin_user):
    admin_user.is_staff = True
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    target = world.viewer_a
    response = client.post(
        f"/admin/accounts/user/{target.pk}/change/",
        {
            "username": target.username,
            "first_name": "Lê Văn Xem",
            "last_name": "",
            "email": "",
            "role": "editor",
            "is_active": "on",
            "date_joined_0": "01/01/2026",
            "date_joined_1": "08:00:00",
            "scope_grants-TOTAL_FORMS": "2",
            "scope_grants-INITIAL_FORMS": "1",
            "scope_grants-MIN_NUM_FORMS": "0",
            "scope_grants-MAX_NUM_FORMS": "1000",
            "scope_grants-0-id": str(target.scope_grants.get().pk),
            "scope_grants-0-user": str(target.pk),
            "scope_grants-0-unit": str(world.xa.pk),
            "scope_grants-0-include_subtree": "on",
            "scope_grants-1-user": str(target.pk),
            "scope_grants-1-unit": str(world.xb.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    target.refresh_from_db()
    assert target.role == "editor"
    assert set(
        ScopeGrant.objects.filter(user=target).values_list("unit__code", "include_subtree")
    ) == {
        ("XA", True),
        ("XB", False),
    }
    user_event = AuditEvent.objects.get(object_id=str(target.pk), content_type__model="user")
    assert user_event.source == "ui" and user_event.actor == admin_user
    assert user_event.changes["role"] == ["viewer", "editor"]
    assert "password" not in user_event.changes
    grant_event = AuditEvent.objects.get(content_type__model="scopegrant")
    assert grant_event.action == "create"
    assert User.objects.count() == 3
