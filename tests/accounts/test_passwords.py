"""Django's full password validators, in every path that sets a password."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from canbo.accounts import services
from canbo.accounts.models import Role, User
from canbo.core.models import AuditEvent

WEAK = {
    "12345678": ["Mật khẩu quá ngắn. Mật khẩu phải có ít nhất 12 ký tự.",
                 "Mật khẩu này quá phổ biến.", "Mật khẩu này hoàn toàn là số."],
    "password": ["Mật khẩu quá ngắn. Mật khẩu phải có ít nhất 12 ký tự.",
                 "Mật khẩu này quá phổ biến."],
    "1": ["Mật khẩu quá ngắn. Mật khẩu phải có ít nhất 12 ký tự.",
          "Mật khẩu này quá phổ biến.", "Mật khẩu này hoàn toàn là số."],
    # 12 characters and more, but still refused: all digits, a common password, the username.
    "123456789012": ["Mật khẩu này hoàn toàn là số."],
    "qwerty123456": ["Mật khẩu này quá phổ biến."],
    "nguyenvanquan1": ["Mật khẩu quá giống với Tên đăng nhập."],
}  # fmt: skip
GOOD = "Sen-hong-Dong-Thap-27"


def test_the_four_validators_are_configured(settings):
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    assert settings.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"] == {"min_length": 12}


# --- service -----------------------------------------------------------------------------


@pytest.mark.parametrize("password", sorted(WEAK))
def test_user_create_refuses_weak_passwords(db, password):
    with pytest.raises(ValidationError) as error:
        services.user_create(actor=None, username="nguyenvanquan", password=password)
    assert error.value.message_dict == {"password": WEAK[password]}
    assert User.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_user_create_accepts_a_good_password(db):
    user = services.user_create(
        actor=None, username="nguyenvanquan", password=GOOD, role=Role.EDITOR
    )
    assert user.check_password(GOOD)
    event = AuditEvent.objects.get()
    assert event.action == "create" and "password" not in event.changes


def test_user_set_password_validates_and_is_audited_without_the_password(db, world):
    user = world.viewer_a
    with pytest.raises(ValidationError) as error:
        services.user_set_password(actor=None, user=user, password="password")
    assert error.value.message_dict == {"password": WEAK["password"]}
    user.refresh_from_db()
    assert user.check_password("mat-khau-123")
    services.user_set_password(actor=None, user=user, password=GOOD)
    user.refresh_from_db()
    assert user.check_password(GOOD)
    event = AuditEvent.objects.get(content_type__model="user", object_id=str(user.pk))
    assert event.changes == {"password": ["", "(đã đặt mật khẩu mới)"]}


# --- commands ----------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["12345678", "password", "1"])
def test_demo_admin_refuses_weak_passwords(db, password):
    with pytest.raises(CommandError) as error:
        call_command("demo_admin", "--password", password, stdout=io.StringIO())
    assert str(error.value) == " ".join(WEAK[password])
    assert User.objects.count() == 0


def test_demo_admin_refuses_a_weak_password_for_an_existing_admin(db):
    call_command("demo_admin", "--password", GOOD, stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("demo_admin", "--password", "1", stdout=io.StringIO())
    assert User.objects.get(username="admin").check_password(GOOD)


def test_demo_admin_default_password_passes_the_validators_and_signs_in(db, settings):
    out = io.StringIO()
    call_command("demo_admin", stdout=out)
    first_line = out.getvalue().splitlines()[0]
    assert first_line.startswith("Đăng nhập: tài khoản admin, mật khẩu ")
    password = first_line.rsplit(" ", 1)[1]
    assert len(password) == 16
    user = User.objects.get(username="admin")
    assert user.role == Role.ADMIN and user.is_staff and user.check_password(password)


def test_createsuperuser_without_input_validates_the_password(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "12345678")
    with pytest.raises(CommandError) as error:
        call_command(
            "createsuperuser", "--noinput", "--username", "goc", "--email", "", stdout=io.StringIO()
        )
    assert str(error.value) == "; ".join(WEAK["12345678"])
    assert User.objects.count() == 0
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", GOOD)
    call_command(
        "createsuperuser", "--noinput", "--username", "goc", "--email", "", stdout=io.StringIO()
    )
    assert User.objects.get(username="goc").check_password(GOOD)


def test_changepassword_command_validates(db, world, monkeypatch):
    answers = iter(["password", "password", "password", "password", "password", "password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError):
        call_command("changepassword", "xem_a", stdout=io.StringIO(), stderr=io.StringIO())
    assert User.objects.get(username="xem_a").check_password("mat-khau-123")


# --- admin -------------------------------------------------------------------------------


def _add_user(client, password1, password2=None):
    return client.post(
        "/admin/accounts/user/add/",
        {
            "username": "nguyenvanquan",
            "usable_password": "true",
            "password1": password1,
            "password2": password2 or password1,
            "role": "viewer",
            "scope_grants-TOTAL_FORMS": "0",
            "scope_grants-INITIAL_FORMS": "0",
            "scope_grants-MIN_NUM_FORMS": "0",
            "scope_grants-MAX_NUM_FORMS": "1000",
        },
    )


@pytest.mark.parametrize("password", ["12345678", "password", "1"])
def test_admin_add_user_refuses_weak_passwords(client, superuser, password):
    client.force_login(superuser)
    response = _add_user(client, password)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["password2"] == WEAK[password]
    assert not User.objects.filter(username="nguyenvanquan").exists()


def test_admin_add_user_accepts_a_good_password(client, superuser):
    client.force_login(superuser)
    response = _add_user(client, GOOD)
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="nguyenvanquan")
    assert user.check_password(GOOD)
    assert AuditEvent.objects.filter(
        content_type__model="user", object_id=str(user.pk), action="create"
    ).exists()


@pytest.mark.parametrize("password", ["12345678", "password", "1"])
def test_admin_password_change_refuses_weak_passwords(client, superuser, world, password):
    client.force_login(superuser)
    url = f"/admin/accounts/user/{world.viewer_a.pk}/password/"
    response = client.post(
        url, {"password1": password, "password2": password, "usable_password": "true"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password2"] == WEAK[password]
    assert User.objects.get(pk=world.viewer_a.pk).check_password("mat-khau-123")
    assert not AuditEvent.objects.exists()


def test_admin_password_change_accepts_a_good_one_and_is_audited(client, superuser, world):
    client.force_login(superuser)
    url = f"/admin/accounts/user/{world.viewer_a.pk}/password/"
    response = client.post(url, {"password1": GOOD, "password2": GOOD, "usable_password": "true"})
    assert response.status_code == 302
    assert User.objects.get(pk=world.viewer_a.pk).check_password(GOOD)
    event = AuditEvent.objects.get()
    assert event.actor == superuser and event.object_id == str(world.viewer_a.pk)
    assert event.changes == {"password": ["", "(đã đặt mật khẩu mới)"]}


def test_signing_in_with_the_new_password(rf, world):
    services.user_set_password(actor=None, user=world.viewer_a, password=GOOD)
    assert authenticate(rf.post("/accounts/login/"), username="xem_a", password=GOOD) is not None
