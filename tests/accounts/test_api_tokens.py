"""API tokens (django-rest-knox): stored hashed, expiring, revocable, their issue audited."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from canbo.accounts import services
from canbo.accounts.models import ApiToken
from canbo.core.models import AuditEvent


def api_with(token: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def test_issue_is_audited_and_stores_only_the_hash(world, admin_user, settings):
    token, raw = services.api_token_issue(actor=admin_user, user=world.viewer_a, name="báo cáo")
    assert ApiToken.objects.get() == token
    assert token.digest == hashlib.sha512(raw.encode()).hexdigest()
    assert raw not in str(list(ApiToken.objects.values()))
    assert token.expiry - token.created == pytest.approx(
        dt.timedelta(days=90), abs=dt.timedelta(seconds=5)
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.source) == ("create", admin_user, "system")
    assert event.content_type.model == "apitoken" and event.object_id == str(token.pk)
    assert "digest" not in event.changes
    assert event.changes["token_key"] == [None, raw[:15]]
    assert event.changes["user"] == [None, world.viewer_a.pk]
    assert event.changes["name"] == [None, "báo cáo"]
    assert api_with(raw).get("/api/people/").status_code == 200


def test_only_administrators_issue_tokens(world):
    with pytest.raises(PermissionDenied):
        services.api_token_issue(actor=world.editor_a, user=world.editor_a)
    assert not ApiToken.objects.exists() and not AuditEvent.objects.exists()


def test_a_token_lives_at_least_a_day(world):
    with pytest.raises(ValidationError) as error:
        services.api_token_issue(actor=None, user=world.viewer_a, days=0)
    assert error.value.messages == ["Thời hạn của mã truy cập phải từ 1 ngày trở lên."]
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_refused_and_removed(world):
    token, raw = services.api_token_issue(actor=None, user=world.viewer_a, days=1)
    api = api_with(raw)
    assert api.get("/api/people/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    response = api.get("/api/people/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Token không hợp lệ."}
    assert not ApiToken.objects.exists()


def test_a_revoked_token_is_refused_and_the_revocation_is_audited(world, admin_user):
    token, raw = services.api_token_issue(actor=None, user=world.viewer_a)
    pk = token.pk
    services.api_token_revoke(actor=admin_user, token=token)
    assert api_with(raw).get("/api/people/").status_code == 401
    event = AuditEvent.objects.get(action="delete")
    assert event.actor == admin_user and event.object_id == str(pk)
    assert event.changes["token_key"] == [raw[:15], None]
    assert "digest" not in event.changes


def test_a_token_of_a_disabled_user_is_refused(world):
    _, raw = services.api_token_issue(actor=None, user=world.viewer_a)
    world.viewer_a.is_active = False
    world.viewer_a.save(update_fields=["is_active"])
    response = api_with(raw).get("/api/people/")
    assert response.status_code == 401


def test_a_token_is_not_a_session_second_factor(world, settings):
    """An administrator's token opens the API without a code (it is issued by the operator)."""
    from canbo.accounts.models import Role

    settings.CANBO_ADMIN_2FA = True
    world.viewer_a.role = Role.ADMIN
    world.viewer_a.save(update_fields=["role"])
    _, raw = services.api_token_issue(actor=None, user=world.viewer_a)
    assert api_with(raw).get("/api/units/").status_code == 200


# --- commands -------------------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_create_command_prints_the_token_once_with_the_lifetime_asked(world):
    raw = run("create_api_token", "xem_a", "--days", "7", "--name", "đồng bộ").strip()
    token = ApiToken.objects.get()
    assert token.token_key == raw[:15] and token.name == "đồng bộ"
    assert token.expiry - token.created == pytest.approx(
        dt.timedelta(days=7), abs=dt.timedelta(seconds=5)
    )
    event = AuditEvent.objects.get()
    assert event.source == "command" and event.actor is None


def test_list_and_revoke_commands(world):
    first = run("create_api_token", "xem_a").strip()
    second = run("create_api_token", "sua_a").strip()
    a, b = ApiToken.objects.order_by("id")
    ApiToken.objects.filter(pk=b.pk).update(expiry=timezone.now() - dt.timedelta(days=1))
    lines = [line.split("\t") for line in run("api_tokens", "list").splitlines()]
    assert [(r[0], r[1], r[2], r[6]) for r in lines] == [
        (str(a.pk), f"{first[:15]}…", "xem_a", "còn hiệu lực"),
        (str(b.pk), f"{second[:15]}…", "sua_a", "hết hạn"),
    ]
    assert [
        r[2]
        for r in (
            line.split("\t") for line in run("api_tokens", "list", "--user", "sua_a").splitlines()
        )
    ] == ["sua_a"]

    assert run("api_tokens", "revoke", str(a.pk)).strip() == "Đã thu hồi 1 mã."
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [b.pk]
    assert api_with(first).get("/api/people/").status_code == 401
    assert AuditEvent.objects.filter(action="delete", source="command").count() == 1

    with pytest.raises(CommandError) as error:
        run("api_tokens", "revoke", "999999")
    assert str(error.value) == "Không có mã số 999999."
    with pytest.raises(CommandError):
        run("api_tokens", "revoke")
    assert run("api_tokens", "revoke", "--user", "sua_a").strip() == "Đã thu hồi 1 mã."
    assert not ApiToken.objects.exists()


# --- admin ----------------------------------------------------------------------------------


def test_admin_lists_tokens_and_revokes_them_audited(client, world, superuser):
    _, raw = services.api_token_issue(actor=None, user=world.viewer_a, name="báo cáo")
    client.force_login(superuser)
    page = client.get("/admin/accounts/apitoken/").content.decode()
    assert raw[:15] in page and raw not in page
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    token = ApiToken.objects.get()
    response = client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke_selected", "_selected_action": [token.pk]},
        follow=True,
    )
    assert "Đã thu hồi 1 mã truy cập API." in response.content.decode()
    assert not ApiToken.objects.exists()
    event = AuditEvent.objects.get(action="delete")
    assert event.actor == superuser and event.source == "ui"


def test_admin_user_action_revokes_all_of_a_users_tokens(client, world, superuser):
    services.api_token_issue(actor=None, user=world.viewer_a)
    services.api_token_issue(actor=None, user=world.viewer_a)
    services.api_token_issue(actor=None, user=world.editor_a)
    client.force_login(superuser)
    client.post(
        "/admin/accounts/user/",
        {"action": "revoke_api_tokens", "_selected_action": [world.viewer_a.pk]},
    )
    assert list(ApiToken.objects.values_list("user__username", flat=True)) == ["sua_a"]
    assert AuditEvent.objects.filter(action="delete", actor=superuser).count() == 2


def test_the_libraries_own_admin_pages_are_not_registered(client, superuser):
    client.force_login(superuser)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/knox/authtoken/").status_code == 404


# --- migration from rest_framework.authtoken ------------------------------------------------


def test_old_tokens_keep_working_hashed_and_their_table_is_dropped(world):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("canbo.accounts.migrations.0003_api_tokens_from_authtoken")
    old_key = "0123456789abcdef0123456789abcdef01234567"  # 40 hex characters, as authtoken made
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, "
            "user_id bigint)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)",
            [old_key, timezone.now(), world.viewer_a.pk],
        )

    class Editor:
        """What the migration uses of a schema editor (a real one cannot open in a test's
        transaction on SQLite)."""

        def __init__(self):
            self.connection = connection

        def execute(self, sql, params=()):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)

    migration.move_tokens(apps, Editor())
    token = ApiToken.objects.get()
    assert token.user == world.viewer_a and token.token_key == old_key[:15]
    assert token.digest == hashlib.sha512(old_key.encode()).hexdigest()
    assert token.expiry > timezone.now() + dt.timedelta(days=89)
    assert "authtoken_token" not in connection.introspection.table_names()
    assert api_with(old_key).get("/api/people/").status_code == 200
    # Run again (no old table): nothing happens.
    migration.move_tokens(apps, Editor())
    assert ApiToken.objects.count() == 1
