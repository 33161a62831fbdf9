"""Two-factor authentication (django-otp TOTP): required of administrators, open to everyone."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from canbo.accounts import services, two_factor
from canbo.core.models import AuditEvent

from .conftest import PASSWORD, totp_code

LOGIN = "/accounts/login/"
VERIFY = "/accounts/two-factor/"
SETUP = "/accounts/two-factor/setup/"


@pytest.fixture(autouse=True)
def admin_2fa_on(settings):
    settings.CANBO_ADMIN_2FA = True


def sign_in(client, username, next_url=""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def confirmed_device(user):
    device = TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=True)
    return device


# --- administrators without a device: set one up first -------------------------------------


def test_an_administrator_without_a_device_is_sent_to_set_one_up(client, superuser, world):
    response = sign_in(client, "quantri", next_url="/people/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=/people/"
    # Nothing else opens before: pages, the admin, the API through the session.
    for path in ("/", "/people/", f"/people/{world.xa.pk}/", "/admin/", "/audit/access/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{SETUP}?next="), path
    api = client.get("/api/people/")
    assert api.status_code == 401
    assert api.json() == {"detail": "Chưa đăng nhập hoặc thiếu thông tin xác thực."}
    # An htmx request is told where to go instead of getting a page to swap in.
    htmx = client.get("/people/", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 204 and htmx["HX-Redirect"] == SETUP


def test_setup_shows_the_key_and_a_local_qr_code_then_a_code_confirms(client, superuser):
    sign_in(client, "quantri", next_url="/people/")
    response = client.get(f"{SETUP}?next=/people/")
    assert response.status_code == 200
    content = response.content.decode()
    device = TOTPDevice.objects.get(user=superuser)
    assert device.confirmed is False
    assert two_factor.secret_of(device) in content
    assert re.search(
        r'<div class="qr-code" id="totp-qr"><svg [^>]*xmlns="http://www.w3.org/2000/svg"', content
    )
    assert "Tài khoản quản trị phải dùng xác thực hai bước" in content
    assert "http" not in content.split('id="totp-qr"', 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
    # The key in text is the device's, in base32 groups of four.
    assert two_factor.secret_of(device).replace(" ", "") in device.config_url

    # A wrong code confirms nothing.
    response = client.post(SETUP, {"code": "000000", "next": "/people/"})
    assert response.status_code == 200
    assert "Mã xác thực không đúng hoặc đã hết hạn." in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert client.get("/people/").status_code == 302

    device.throttle_reset()  # django-otp makes a new try wait after a failure
    response = client.post(SETUP, {"code": totp_code(device), "next": "/people/"})
    assert response.status_code == 302 and response["Location"] == "/people/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/people/").status_code == 200
    assert client.get("/admin/").status_code == 200
    event = AuditEvent.objects.get(content_type__model="totpdevice")
    assert event.action == "create" and event.actor == superuser
    assert event.object_id == str(device.pk)
    assert "key" not in event.changes and event.changes["confirmed"] == [None, True]


def test_codes_must_be_six_digits(client, superuser):
    sign_in(client, "quantri")
    client.get(SETUP)
    for bad in ("12345", "1234567", "abcdef", ""):
        response = client.post(SETUP, {"code": bad})
        assert response.status_code == 200
        errors = response.context["form"].errors["code"]
        assert errors == (["Hãy nhập mã xác thực."] if bad == "" else ["Mã xác thực gồm 6 chữ số."])
    assert TOTPDevice.objects.get(user=superuser).throttling_failure_count == 0


# --- a confirmed device: the code after the password ------------------------------------------


def test_an_administrator_with_a_device_enters_the_code_after_the_password(client, superuser):
    device = confirmed_device(superuser)
    response = sign_in(client, "quantri", next_url="/admin/")
    assert response["Location"] == f"{VERIFY}?next=/admin/"
    assert client.get("/admin/")["Location"] == "/accounts/two-factor/?next=/admin/"
    # The setup page is no way around the code: it sends back to the code.
    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=superuser).count() == 1

    response = client.post(VERIFY, {"code": totp_code(device, offset_steps=5), "next": "/admin/"})
    assert response.status_code == 200
    assert "Mã xác thực không đúng hoặc đã hết hạn." in response.content.decode()
    # Right after a failure django-otp refuses even the right code for a moment.
    response = client.post(VERIFY, {"code": totp_code(device), "next": "/admin/"})
    assert response.status_code == 200
    assert re.search(
        r"Đã nhập sai mã nhiều lần\. Hãy chờ \d+ giây rồi thử lại\.", response.content.decode()
    )
    device.throttle_reset()
    response = client.post(VERIFY, {"code": totp_code(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/people/").status_code == 200


def test_a_code_is_accepted_once(client, superuser):
    device = confirmed_device(superuser)
    code = totp_code(device)
    sign_in(client, "quantri")
    assert client.post(VERIFY, {"code": code})["Location"] == "/"
    client.logout()
    sign_in(client, "quantri")
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_the_verify_page_redirects_when_no_code_is_due(client, world):
    client.force_login(world.viewer_a)
    assert client.get(f"{VERIFY}?next=/people/")["Location"] == "/people/"


def test_a_session_opened_otherwise_is_held_too(client, superuser):
    """A session not opened by the sign-in page (older than this feature) is held as well."""
    client.force_login(superuser)
    response = client.get("/people/")
    assert response.status_code == 302 and response["Location"] == f"{SETUP}?next=/people/"


# --- everyone else ---------------------------------------------------------------------------


def test_other_users_need_no_second_factor(client, world):
    response = sign_in(client, "xem_a", next_url="/people/")
    assert response["Location"] == "/people/"
    assert client.get("/people/").status_code == 200


def test_administrators_are_not_asked_when_the_requirement_is_off(client, superuser, settings):
    settings.CANBO_ADMIN_2FA = False
    response = sign_in(client, "quantri", next_url="/admin/")
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_anyone_may_turn_it_on_from_the_account_page_and_then_must_use_it(client, world):
    sign_in(client, "xem_a")
    page = client.get("/accounts/account/").content.decode()
    assert "Chưa bật" in page and SETUP in page
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=world.viewer_a)
    response = client.post(SETUP, {"code": totp_code(device)})
    assert response.status_code == 302 and response["Location"] == "/accounts/account/"
    assert "Đang bật" in client.get("/accounts/account/").content.decode()
    client.logout()

    response = sign_in(client, "xem_a", next_url="/people/")
    assert response["Location"] == f"{VERIFY}?next=/people/"
    assert client.get("/people/").status_code == 302
    device.refresh_from_db()
    response = client.post(VERIFY, {"code": totp_code(device, offset_steps=1), "next": "/people/"})
    assert response["Location"] == "/people/"
    assert client.get("/people/").status_code == 200


def test_a_user_may_turn_it_off_where_it_is_not_required(client, world):
    device = confirmed_device(world.viewer_a)
    sign_in(client, "xem_a")
    client.post(VERIFY, {"code": totp_code(device)})
    response = client.post("/accounts/two-factor/remove/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.viewer_a).exists()
    assert client.get("/people/").status_code == 200
    event = AuditEvent.objects.get(content_type__model="totpdevice")
    assert event.action == "delete" and event.actor == world.viewer_a
    client.logout()
    assert sign_in(client, "xem_a")["Location"] == "/"


def test_an_administrator_may_not_turn_it_off_for_themselves(client, superuser):
    device = confirmed_device(superuser)
    sign_in(client, "quantri")
    client.post(VERIFY, {"code": totp_code(device)})
    response = client.post("/accounts/two-factor/remove/", follow=True)
    assert "chỉ quản trị viên khác có thể đặt lại" in response.content.decode()
    assert TOTPDevice.objects.filter(user=superuser).count() == 1
    assert not AuditEvent.objects.exists()


# --- recovery: an administrator resets another user's device ----------------------------------


def test_an_administrator_resets_a_lost_device_and_it_is_audited(client, superuser, world):
    other_admin = world.editor_a
    other_admin.role = "admin"
    other_admin.is_staff = True
    other_admin.save()
    lost = confirmed_device(other_admin)
    device = confirmed_device(superuser)
    sign_in(client, "quantri")
    client.post(VERIFY, {"code": totp_code(device)})
    response = client.post(
        "/admin/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [other_admin.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Đã xóa 1 thiết bị xác thực" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=other_admin).exists()
    event = AuditEvent.objects.get(content_type__model="totpdevice")
    assert (event.action, event.actor, event.object_id) == ("delete", superuser, str(lost.pk))
    assert event.changes["user"] == [other_admin.pk, None]
    assert "key" not in event.changes
    # Their next sign-in asks them to set a new device up.
    other = client_class_of(client)()
    assert sign_in(other, other_admin.username)["Location"] == SETUP + "?next=/"


def client_class_of(client):
    return type(client)


def test_removing_a_device_ends_the_verified_sessions_of_its_owner(client, superuser):
    device = confirmed_device(superuser)
    sign_in(client, "quantri")
    client.post(VERIFY, {"code": totp_code(device)})
    assert client.get("/people/").status_code == 200
    services.totp_devices_remove(actor=None, user=superuser)
    response = client.get("/people/")
    assert response.status_code == 302 and response["Location"] == f"{SETUP}?next=/people/"
    assert client.get("/api/people/").status_code == 401


def test_only_administrators_reset_another_users_device(world):
    from django.core.exceptions import PermissionDenied

    confirmed_device(world.viewer_a)
    with pytest.raises(PermissionDenied):
        services.totp_devices_remove(actor=world.editor_a, user=world.viewer_a)
    assert TOTPDevice.objects.filter(user=world.viewer_a).count() == 1


def test_a_device_is_confirmed_only_by_its_owner(world):
    from django.core.exceptions import PermissionDenied

    device = services.totp_device_start(user=world.viewer_a)
    with pytest.raises(PermissionDenied):
        services.totp_device_confirm(actor=world.editor_a, device=device, token=totp_code(device))
    device.refresh_from_db()
    assert device.confirmed is False


def test_signing_out_is_open_while_the_code_is_due(client, superuser):
    confirmed_device(superuser)
    sign_in(client, "quantri")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
