from django.db import models
from django.utils.translation import gettext_lazy as _

# Recorded on the discipline record (people); re-exported for the checks that read it.
from canbo.people.choices import DisciplineException  # noqa: F401


class Severity(models.TextChoices):
    ERROR = "error", _("Lỗi")
    WARNING = "warning", _("Cảnh báo")
    FLAG = "flag", _("Cần xem xét")
