from django.contrib.auth import password_validation
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị viên")
    EDITOR = "editor", _("Cán bộ nhập liệu")
    VIEWER = "viewer", _("Người xem")


class UserManager(BaseUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`canbo createsuperuser` checks the password here too: Django's command skips the
        validators with --noinput (DJANGO_SUPERUSER_PASSWORD) and lets its prompt bypass them.
        The command reports the ValidationError as its own error."""
        if password is not None:
            candidate = self.model(username=username, email=email or "", **extra_fields)
            password_validation.validate_password(password, candidate)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices, default=Role.VIEWER)

    objects = UserManager()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")


class ScopeGrant(models.Model):
    """Where a user may act: one unit, or the unit with its whole subtree."""

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="scope_grants"
    )
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        related_name="scope_grants",
    )
    include_subtree = models.BooleanField(_("gồm các đơn vị trực thuộc"), default=True)

    class Meta:
        verbose_name = _("phạm vi quyền")
        verbose_name_plural = _("phạm vi quyền")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="scopegrant_user_unit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.unit}"


class ApiToken(AbstractAuthToken):
    """An API token (django-rest-knox): only the SHA-512 of the token is stored.

    `token_key` is the token's first 15 characters, which knox looks tokens up by
    and which names a token to its owner; the other 49 stay secret. Revoking a
    token deletes it (through services.api_token_revoke, audited).
    """

    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    token_key = models.CharField(
        _("mã (phần đầu)"),
        max_length=CONSTANTS.MAXIMUM_TOKEN_PREFIX_LENGTH + CONSTANTS.TOKEN_KEY_LENGTH,
        db_index=True,
    )
    user = models.ForeignKey(
        User,
        verbose_name=_("người dùng"),
        related_name="auth_token_set",  # the name knox reads
        on_delete=models.CASCADE,
    )
    name = models.CharField(_("mục đích"), max_length=100, blank=True)
    created = models.DateTimeField(_("cấp lúc"), auto_now_add=True)
    expiry = models.DateTimeField(_("hết hạn"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.token_key}… ({self.user})"
