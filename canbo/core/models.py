"""Audit trail: every write and every full-profile read leaves a row."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Tạo mới")
    UPDATE = "update", _("Cập nhật")
    DELETE = "delete", _("Xóa")


class AuditSource(models.TextChoices):
    UI = "ui", _("Giao diện")
    API = "api", _("API")
    COMMAND = "command", _("Lệnh quản trị")
    IMPORT = "import", _("Nhập dữ liệu")
    SYSTEM = "system", _("Hệ thống")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("nguồn"), max_length=10, choices=AuditSource.choices)
    action = models.CharField(_("thao tác"), max_length=10, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("đối tượng"), max_length=300)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)

    class Meta:
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"


class AccessEvent(models.Model):
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("nguồn"), max_length=10, choices=AuditSource.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("đối tượng"), max_length=300)

    class Meta:
        verbose_name = _("nhật ký truy cập")
        verbose_name_plural = _("nhật ký truy cập")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return self.object_repr
