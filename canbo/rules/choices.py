from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    ERROR = "error", _("Lỗi")
    WARNING = "warning", _("Cảnh báo")
    FLAG = "flag", _("Cần xem xét")


class DisciplineException(models.TextChoices):
    """The three cases in which QĐ 377-QĐ/TW lets a discipline record not count."""

    SELF_CRITICISM = "self_criticism", _("Vi phạm chỉ đến mức kiểm điểm rút kinh nghiệm")
    NOT_IMPOSED = "not_imposed", _("Không bị xử lý kỷ luật hoặc đã hết thời hiệu xử lý")
    EXPIRED = "expired", _("Khiển trách, cảnh cáo đã hết thời hạn")
