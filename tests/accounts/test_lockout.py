"""Failed sign-ins lock a username out from an address (django-axes), on every sign-in form."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY

from .conftest import PASSWORD

LOGIN = "/accounts/login/"
LOCKED = (
    "Tài khoản tạm thời bị khóa do đăng nhập sai quá nhiều lần. "
    "Hãy thử lại sau 15 phút hoặc liên hệ quản trị viên."
)


def sign_in(client, username, password, address="10.0.0.1", next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data, REMOTE_ADDR=address)


def fail(client, username, times, address="10.0.0.1"):
    """Wrong passwords: refused as such, until the fifth, which is answered with the lockout."""
    for n in range(1, times + 1):
        response = sign_in(client, username, "sai-mat-khau", address)
        if n < 5:
            assert response.status_code == 200
            assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
        else:
            assert response.status_code == 429
            assert LOCKED in response.content.decode()


def test_defaults(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert dt.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_four_failures_then_the_right_password_signs_in(client, world):
    fail(client, "xem_a", 4)
    response = sign_in(client, "xem_a", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(world.viewer_a.pk)
    # A success clears the count: four more failures still leave the account open.
    client.logout()
    fail(client, "xem_a", 4)
    assert sign_in(client, "xem_a", PASSWORD).status_code == 302


def test_the_sixth_attempt_with_the_right_password_is_refused(client, world):
    fail(client, "xem_a", 5)
    response = sign_in(client, "xem_a", PASSWORD)
    assert response.status_code == 429
    content = response.content.decode()
    assert LOCKED in content
    assert 'id="locked-out"' in content
    assert SESSION_KEY not in client.session
    assert client.get("/people/").status_code == 302  # still not signed in


def test_the_lockout_holds_one_username_from_one_address(client, world):
    fail(client, "xem_a", 5)
    # Another address, or another username from the same address, is not locked out.
    assert sign_in(client, "xem_a", PASSWORD, address="10.0.0.2").status_code == 302
    client.logout()
    assert sign_in(client, "sua_a", PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "xem_a", PASSWORD).status_code == 429


def test_the_cool_off_expires(client, world):
    fail(client, "xem_a", 5)
    assert sign_in(client, "xem_a", PASSWORD).status_code == 429
    # 14 minutes later: still locked (and the refused attempt counts from its own time).
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=14))
    assert sign_in(client, "xem_a", PASSWORD).status_code == 429
    # 16 minutes after the last attempt: open again.
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    response = sign_in(client, "xem_a", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(world.viewer_a.pk)


def test_limits_come_from_the_environment():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='canbo.settings'; "
        "from django.conf import settings; "
        "print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds())"
    )
    env = {"CANBO_LOGIN_FAILURE_LIMIT": "3", "CANBO_LOGIN_COOLOFF_MINUTES": "60"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["3", "3600.0"]


# --- the admin's sign-in ------------------------------------------------------------------


def test_the_admin_has_no_password_form_of_its_own(client, superuser):
    """/admin/login/ sends to the one sign-in page: a password posted there checks nothing."""
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "quantri", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
    assert SESSION_KEY not in client.session
    assert not AccessAttempt.objects.exists()
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/login/?next=/admin/"


def test_admin_sign_in_is_locked_out_after_five_failures(client, superuser):
    fail(client, "quantri", 5)
    response = sign_in(client, "quantri", PASSWORD, next_url="/admin/")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert client.get("/admin/").status_code == 302
    # Through the admin's address too.
    response = client.post("/admin/login/", {"username": "quantri", "password": PASSWORD})
    assert response.status_code == 302 and SESSION_KEY not in client.session


def test_admin_signs_in_through_the_sign_in_page(client, superuser):
    response = sign_in(client, "quantri", PASSWORD, next_url="/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_signed_in_non_staff_user_is_refused_by_the_admin(client, world):
    client.force_login(world.viewer_a)
    assert client.get("/admin/login/?next=/admin/").status_code == 403


@pytest.mark.parametrize("address_header", ["HTTP_X_REAL_IP"])
def test_behind_the_proxy_the_client_address_is_the_proxys_header(
    client, world, settings, address_header
):
    settings.CANBO_BEHIND_PROXY = True
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": "xem_a", "password": "sai"},
            REMOTE_ADDR="127.0.0.1",
            **{address_header: "192.168.1.50"},
        )
    assert list(AccessAttempt.objects.values_list("ip_address", "failures_since_start")) == [
        ("192.168.1.50", 5)
    ]
    # Another client behind the same proxy is not locked out.
    other = client.post(
        LOGIN,
        {"username": "xem_a", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        **{address_header: "192.168.1.51"},
    )
    assert other.status_code == 302
