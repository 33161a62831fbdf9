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


class AccessKind(models.TextChoices):
    """What kind of read left an access entry."""

    PROFILE = "profile", _("Hồ sơ")
    HISTORY = "history", _("Lịch sử thay đổi hồ sơ")
    FORM = "form", _("Biểu mẫu sửa hồ sơ")
    LIST = "list", _("Danh sách")
    EXPORT = "export", _("Xuất gói dữ liệu")
    LIST_EXPORT = "list_xlsx", _("Xuất danh sách ra Excel")
    DOCUMENT = "document", _("Tải tài liệu")
    PLAN = "plan", _("Quy hoạch")
    WHAT_IF = "what_if", _("Thử phương án quy hoạch")
    LOOKUP = "lookup", _("Tra cứu theo số định danh")
    CASE = "case", _("Hồ sơ bổ nhiệm")
    VOTE = "vote", _("Lấy phiếu tín nhiệm")
    EVALUATION = "evaluation", _("Đánh giá, xếp loại")
    ROTATION = "rotation", _("Luân chuyển cán bộ")
    REPORT = "report", _("Báo cáo tổng hợp")


class AccessEvent(models.Model):
    """One read of personal data: a record (object) or many rows (a list, an export).

    `person_ids` holds the ids of the people shown, space-separated and padded
    (" 12 345 "), so that one insert records a whole page and "who saw this
    person" is a `contains` match on both databases; an export, which may
    cover millions, records its scope in `query` and its size in `rows`.
    """

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("nguồn"), max_length=10, choices=AuditSource.choices)
    kind = models.CharField(
        _("loại truy cập"), max_length=10, choices=AccessKind.choices, default=AccessKind.PROFILE
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=300, blank=True)
    query = models.CharField(_("điều kiện lọc"), max_length=1000, blank=True)
    rows = models.PositiveIntegerField(_("số dòng"), null=True, blank=True)
    person_ids = models.TextField(_("cán bộ được hiển thị"), blank=True)

    class Meta:
        verbose_name = _("nhật ký truy cập")
        verbose_name_plural = _("nhật ký truy cập")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"]),
            models.Index(fields=["actor", "-at"]),
        ]

    def __str__(self) -> str:
        return self.object_repr or self.get_kind_display()
