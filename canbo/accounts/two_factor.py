"""Two-factor authentication (django-otp, TOTP): who must enter a code, and when.

After the password, a session stays limited to the code pages until its owner enters a
code (`user.is_verified()`, from django-otp's middleware), when the owner has a
confirmed device, or sets a device up, when they are an administrator and
CANBO_ADMIN_2FA is on. The session remembers which of the two steps it waits for
(STEP_KEY), decided at sign-in, so that the ordinary request costs no query.
"""

from __future__ import annotations

import base64
import binascii

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from canbo.core import scope

VERIFY = "verify"
SETUP = "setup"
STEP_KEY = "canbo_2fa_step"


def required(user) -> bool:
    """Whether the user may not work without a second factor."""
    return settings.CANBO_ADMIN_2FA and scope.is_administrator(user)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("-id").first()


def is_verified(user) -> bool:
    """Whether the session's code was entered (django-otp's middleware marks the user; a
    user signed in during this request, by the password alone, is not)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def decide(request) -> str | None:
    """Decide (again) the step the session waits for, and remember it."""
    user = request.user
    step = None
    if user.is_authenticated and not is_verified(user):
        if confirmed_device(user) is not None:
            step = VERIFY
        elif required(user):
            step = SETUP
    request.session[STEP_KEY] = step
    return step


def step(request) -> str | None:
    """The step a signed-in session waits for (VERIFY, SETUP), or None when it may work.

    A session opened by accounts:login has its step decided there. One opened otherwise
    (before this feature, or by a test's force_login) is decided on its first request
    when its user must use a second factor; others keep no step without a query. A user
    who must use one and is not verified is never let through on an old decision.
    """
    user = request.user
    if not user.is_authenticated or is_verified(user):
        return None
    must = required(user)
    if STEP_KEY in request.session and (request.session[STEP_KEY] is not None or not must):
        return request.session[STEP_KEY]
    # Not decided yet, or decided "nothing due" for a user who must use a second factor and
    # is no longer verified (their device was removed): decide now.
    return decide(request) if must else None


def secret_of(device: TOTPDevice) -> str:
    """The device's key as authenticator apps take it typed in: base32, in groups of four."""
    text = base64.b32encode(binascii.unhexlify(device.key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The device's otpauth:// address as an inline SVG QR code, drawn here (no outside service)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    return mark_safe(svg)  # our own drawing of an address we built
