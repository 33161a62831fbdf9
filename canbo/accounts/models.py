from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị viên")
    EDITOR = "editor", _("Cán bộ nhập liệu")
    VIEWER = "viewer", _("Người xem")


class User(AbstractUser):
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices, default=Role.VIEWER)

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
