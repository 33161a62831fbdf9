"""Accounts tests: an administrator of the admin site, and TOTP codes computed as an app does."""

import time

import pytest
from django_otp.oath import TOTP

from canbo.accounts.models import Role

from ..factories import UserFactory

PASSWORD = "mat-khau-123"


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri", role=Role.ADMIN, is_staff=True, is_superuser=True)


def totp_code(device, offset_steps: int = 0) -> str:
    """The code an authenticator app shows now (or `offset_steps` periods away) for the device."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"
