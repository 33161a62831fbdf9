from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã trình phê duyệt")
    APPROVED = "approved", _("Đã phê duyệt")
    PUBLISHED = "published", _("Đã công bố")


class EntrySource(models.TextChoices):
    INSIDE = "inside", _("Nguồn tại chỗ")
    OUTSIDE = "outside", _("Nguồn từ nơi khác")


class RemovalReason(models.TextChoices):
    AGE = "age", _("Không còn đủ tuổi")
    DISCIPLINE = "discipline", _("Bị kỷ luật")
    EVALUATION = "evaluation", _("Không hoàn thành nhiệm vụ")
    LOW_CONFIDENCE = "low_confidence", _("Tín nhiệm thấp")
    MOVED = "moved", _("Chuyển công tác")
    RETIRED = "retired", _("Nghỉ hưu")
    OTHER = "other", _("Lý do khác")
