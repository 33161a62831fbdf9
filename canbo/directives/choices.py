from django.db import models
from django.utils.translation import gettext_lazy as _


class DirectiveKind(models.TextChoices):
    RESOLUTION = "resolution", _("Nghị quyết")
    DIRECTIVE = "directive", _("Chỉ thị")
    CONCLUSION = "conclusion", _("Kết luận")
    PLAN = "plan", _("Kế hoạch")
    GUIDANCE = "guidance", _("Hướng dẫn")
    LETTER = "letter", _("Công văn")


class Deliverable(models.TextChoices):
    REPORT = "report", _("Báo cáo")
    PROJECT = "project", _("Đề án")
    DOCUMENT = "document", _("Văn bản")
    MEETING = "meeting", _("Hội nghị")
    OTHER = "other", _("Khác")


class Status(models.TextChoices):
    """A unit's assignment at a date, derived from the dates (QĐ 42/2014/QĐ-TTg's four,
    with not started and cancelled); never typed."""

    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành quá hạn")
    IN_PROGRESS = "in_progress", _("Đang thực hiện, trong hạn")
    OVERDUE = "overdue", _("Quá hạn, chưa hoàn thành")
    NOT_STARTED = "not_started", _("Chưa đến thời gian bắt đầu")
    CANCELLED = "cancelled", _("Đã hủy")
