from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    APPOINT = "appoint", _("Bổ nhiệm")
    REAPPOINT = "reappoint", _("Bổ nhiệm lại")
    NOMINATE = "nominate", _("Giới thiệu ứng cử")
    DISMISS = "dismiss", _("Miễn nhiệm")
    RESIGN = "resign", _("Cho thôi giữ chức vụ (từ chức)")
    REMOVE = "remove", _("Cách chức")


#: Cases that bring a person to a new post: while one is open, no new planning entry (P4).
TO_A_NEW_POST = (CaseKind.APPOINT, CaseKind.NOMINATE)


class CaseOutcome(models.TextChoices):
    DECIDED = "decided", _("Đã có quyết định")
    STOPPED = "stopped", _("Dừng quy trình")
