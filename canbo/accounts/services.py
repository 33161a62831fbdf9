"""Writes on users, their scope grants, API tokens and second-factor devices."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from canbo.core import scope
from canbo.core.audit import AuditAction, record_write, snapshot

from . import two_factor
from .models import ApiToken, Role, ScopeGrant, User

SECRET_FIELDS = ["password", "last_login"]
# A device's key is its secret; a token's digest is of no use to a reader of the log.
DEVICE_SECRET_FIELDS = ["key", "throttling_failure_timestamp", "throttling_failure_count",
                        "last_used_at", "last_t", "drift"]  # fmt: skip
TOKEN_SECRET_FIELDS = ["digest"]


def validate_password(password: str, user: User) -> None:
    """Django's validators (settings.AUTH_PASSWORD_VALIDATORS), their errors under "password"."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    role: str = Role.VIEWER,
    full_name: str = "",
    email: str = "",
) -> User:
    scope.ensure_administrator(actor)
    user = User(username=username, role=role, email=email, first_name=full_name)
    validate_password(password, user)
    user.set_password(password)
    if role == Role.ADMIN:
        user.is_staff = True
    user.full_clean()
    user.save()
    record_write(
        actor=actor,
        action=AuditAction.CREATE,
        instance=user,
        after=snapshot(user, exclude=SECRET_FIELDS),
    )
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> User:
    """Give a user a new password (validated); the event says it changed, never what to."""
    if actor is not None and getattr(actor, "pk", None) != user.pk:
        scope.ensure_administrator(actor)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record_password_set(actor=actor, user=user)
    return user


def record_password_set(*, actor, user: User) -> None:
    """The audit event of a new password (also for the admin's password form, which saves
    through Django's own form after validating it)."""
    record_write(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=user,
        before={"password": ""},
        after={"password": _("(đã đặt mật khẩu mới)")},
    )


@transaction.atomic
def scope_grant_add(*, actor, user: User, unit, include_subtree: bool = True) -> ScopeGrant:
    scope.ensure_administrator(actor)
    grant, created = ScopeGrant.objects.get_or_create(
        user=user, unit=unit, defaults={"include_subtree": include_subtree}
    )
    before = {} if created else snapshot(grant)
    if not created and grant.include_subtree != include_subtree:
        grant.include_subtree = include_subtree
        grant.save(update_fields=["include_subtree"])
    record_write(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        instance=grant,
        before=before,
        after=snapshot(grant),
    )
    return grant


# --- API tokens ---------------------------------------------------------------------------


@transaction.atomic
def api_token_issue(
    *, actor, user: User, days: int | None = None, name: str = ""
) -> tuple[ApiToken, str]:
    """A new API token for `user`: the stored record and the token itself, shown only now.

    It expires after `days` (settings.CANBO_API_TOKEN_DAYS by default).
    """
    scope.ensure_administrator(actor)
    if not user.is_active:
        raise ValidationError(
            _("Tài khoản “%(u)s” đã bị khóa; không cấp mã truy cập.") % {"u": user.username}
        )
    days = settings.CANBO_API_TOKEN_DAYS if days is None else days
    if days < 1:
        raise ValidationError(_("Thời hạn của mã truy cập phải từ 1 ngày trở lên."))
    token, raw = ApiToken.objects.create(user=user, expiry=dt.timedelta(days=days), name=name)
    record_write(
        actor=actor,
        action=AuditAction.CREATE,
        instance=token,
        after=snapshot(token, exclude=TOKEN_SECRET_FIELDS),
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> None:
    scope.ensure_administrator(actor)
    record_write(
        actor=actor,
        action=AuditAction.DELETE,
        instance=token,
        before=snapshot(token, exclude=TOKEN_SECRET_FIELDS),
    )
    token.delete()


def api_tokens_revoke_all(*, actor, user: User) -> int:
    tokens = list(ApiToken.objects.filter(user=user))
    for token in tokens:
        api_token_revoke(actor=actor, token=token)
    return len(tokens)


# --- Second factor (TOTP devices) --------------------------------------------------------


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """The device a user is setting up: a fresh key, unconfirmed until a code from it is given.

    Until then it opens nothing (django-otp only accepts confirmed devices), so its
    creation is not an audited change; its confirmation is.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(
        user=user, name=_("Ứng dụng xác thực"), confirmed=False
    )


@transaction.atomic
def totp_device_confirm(*, actor, device: TOTPDevice, token: str) -> bool:
    """Confirm a device being set up with a code it shows; it then replaces the user's others."""
    if actor is None or actor.pk != device.user_id or device.confirmed:
        raise PermissionDenied
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(token):
        return False
    for old in TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk):
        _device_delete(actor=actor, device=old)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record_write(
        actor=actor,
        action=AuditAction.CREATE,
        instance=device,
        after=snapshot(device, exclude=DEVICE_SECRET_FIELDS),
    )
    return True


@transaction.atomic
def totp_devices_remove(*, actor, user: User) -> int:
    """Remove a user's second factor: an administrator's recovery for a lost phone, or the
    user's own choice when nobody requires it of them. Returns the confirmed devices removed.
    """
    if getattr(actor, "pk", None) == user.pk:
        if two_factor.required(user):
            raise PermissionDenied(
                _(
                    "Quản trị viên bắt buộc dùng xác thực hai bước; chỉ quản trị viên khác "
                    "có thể đặt lại."
                )
            )
    else:
        scope.ensure_administrator(actor)
    removed = 0
    for device in TOTPDevice.objects.filter(user=user):
        removed += device.confirmed
        _device_delete(actor=actor, device=device)
    return removed


def _device_delete(*, actor, device: TOTPDevice) -> None:
    if device.confirmed:
        record_write(
            actor=actor,
            action=AuditAction.DELETE,
            instance=device,
            before=snapshot(device, exclude=DEVICE_SECRET_FIELDS),
        )
    device.delete()
