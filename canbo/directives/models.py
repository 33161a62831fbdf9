"""Directives (resolutions, plans…), their tasks, and each unit's assignment of a task.

A task goes to its lead unit, or to every unit of a level and kind in a subtree or a
monitoring group: one `TaskAssignment` per unit, on which that unit records its own
completion. Status is never stored: `selectors.status_at(on)` derives it from the dates
(ADR 0016).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from canbo.core.validators import validate_line
from canbo.organizations.models import Unit

from .choices import Deliverable, DirectiveKind


class MonitoringGroup(models.Model):
    """A named set of units a department follows that is not a subtree (the 13 provinces
    of a regional department). Roll-ups over a group take the subtrees of its units."""

    SCOPE_PATH = "owner__path"

    name = models.CharField(_("tên nhóm"), max_length=200, unique=True, validators=[validate_line],
                            error_messages={"unique": _("Đã có nhóm theo dõi tên này.")})  # fmt: skip
    owner = models.ForeignKey(
        Unit, verbose_name=_("đơn vị theo dõi"), on_delete=models.PROTECT, related_name="+"
    )
    units = models.ManyToManyField(Unit, verbose_name=_("các đơn vị"), related_name="+")
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("nhóm đơn vị theo dõi")
        verbose_name_plural = _("nhóm đơn vị theo dõi")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Directive(models.Model):
    """A resolution, directive, conclusion, plan, guidance or official letter."""

    SCOPE_PATH = "issuing_unit__path"

    kind = models.CharField(_("loại văn bản"), max_length=20, choices=DirectiveKind.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=50, validators=[validate_line])
    issued_on = models.DateField(_("ngày ban hành"))
    issuing_unit = models.ForeignKey(
        Unit, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("trích yếu"), max_length=500, validators=[validate_line])
    summary = models.TextField(_("tóm tắt"), blank=True)
    implements = models.ForeignKey(
        "self",
        verbose_name=_("thực hiện văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="implementations",
    )
    file_name = models.CharField(_("tệp văn bản"), max_length=200, blank=True,
                                 validators=[validate_line])  # fmt: skip
    file_key = models.CharField(max_length=80, blank=True, editable=False)
    file_size = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = _("văn bản chỉ đạo")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_unit", "number"], name="directive_number_per_unit",
                violation_error_message=_("Cơ quan ban hành này đã có văn bản cùng số, ký hiệu."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.title}"


class Task(models.Model):
    """A task of a directive (a section holds tasks: `parent`)."""

    SCOPE_PATH = "directive__issuing_unit__path"

    directive = models.ForeignKey(
        Directive, verbose_name=_("văn bản"), on_delete=models.CASCADE, related_name="tasks"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    content = models.TextField(_("nội dung"))
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị chủ trì"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    coordinating_units = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị phối hợp"), blank=True, related_name="+"
    )
    leader = models.ForeignKey(
        "people.Person", verbose_name=_("lãnh đạo phụ trách"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    deliverable = models.CharField(
        _("sản phẩm"), max_length=20, choices=Deliverable.choices, default=Deliverable.REPORT
    )
    start_on = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(
        _("thời hạn (số ngày làm việc)"),
        null=True,
        blank=True,
        help_text=_("Khi có: thời hạn là ngày làm việc thứ N sau ngày bắt đầu (trừ thứ Bảy, "
                    "Chủ nhật, ngày lễ, Tết và ngày nghỉ do quản trị viên thêm)."),
    )  # fmt: skip
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    cancelled_on = models.DateField(_("ngày hủy"), null=True, blank=True)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["directive", "order", "pk"]
        constraints = [  # the task's number in its directive: the data package's key
            models.UniqueConstraint(
                fields=["directive", "order"], name="task_order_once",
                violation_error_message=_("Văn bản đã có nhiệm vụ số thứ tự này."),
            )
        ]

    def __str__(self) -> str:
        return self.content[:80]

    def clean(self):
        if self.start_on and self.deadline and self.deadline < self.start_on:
            raise ValidationError({"deadline": _("Thời hạn phải từ ngày bắt đầu trở đi.")})
        if self.working_days and not self.start_on:
            raise ValidationError({"start_on": _("Thời hạn tính theo ngày làm việc cần ngày bắt đầu.")})
        if self.cancelled_on and not self.cancel_reason.strip():
            raise ValidationError({"cancel_reason": _("Hãy ghi lý do hủy.")})


class TaskAssignment(models.Model):
    """A task as one unit carries it out: the unit records its own completion."""

    SCOPE_PATH = "unit__path"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị thực hiện"), on_delete=models.PROTECT, related_name="+"
    )
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    evidence = models.CharField(
        _("văn bản, kết quả"), max_length=300, blank=True, validators=[validate_line]
    )

    class Meta:
        verbose_name = _("giao nhiệm vụ cho đơn vị")
        verbose_name_plural = _("giao nhiệm vụ cho đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="assignment_once_per_unit")
        ]
        indexes = [models.Index(fields=["task", "completed_on"], name="assignment_task_done")]

    def __str__(self) -> str:
        return f"{self.task_id} → {self.unit_id}"


class Holiday(models.Model):
    """A day the administrator adds to the calendar: a day off (a local holiday, a day
    given in lieu) or, with `working`, a working day on a weekend (a swapped Saturday).
    Vietnam's public holidays, lunar ones included, come from the `holidays` package."""

    day = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên"), max_length=200, validators=[validate_line])
    working = models.BooleanField(_("ngày làm việc bù"), default=False)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"


class HearingSlot(models.Model):
    """A slot of a directive's hearing schedule (buổi làm việc trực tiếp) that one invited
    unit may book; a booked slot cannot be booked again (clash)."""

    class Session(models.TextChoices):
        MORNING = "morning", _("Sáng")
        AFTERNOON = "afternoon", _("Chiều")

    SCOPE_PATH = "directive__issuing_unit__path"

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="slots")
    day = models.DateField(_("ngày"))
    session = models.CharField(_("buổi"), max_length=10, choices=Session.choices)
    place = models.CharField(_("địa điểm"), max_length=200, blank=True,
                             validators=[validate_line])  # fmt: skip

    class Meta:
        verbose_name = _("buổi làm việc")
        verbose_name_plural = _("lịch làm việc")
        ordering = ["day", "session"]
        constraints = [
            models.UniqueConstraint(fields=["directive", "day", "session"], name="slot_once")
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} ({self.get_session_display()})"


class HearingInvitation(models.Model):
    """A unit chosen for a direct hearing on a directive; it books one slot."""

    SCOPE_PATH = "unit__path"

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="invitations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    slot = models.OneToOneField(
        HearingSlot, verbose_name=_("buổi đã đăng ký"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="booking",
    )  # fmt: skip

    class Meta:
        verbose_name = _("đơn vị được làm việc trực tiếp")
        verbose_name_plural = _("đơn vị được làm việc trực tiếp")
        constraints = [
            models.UniqueConstraint(fields=["directive", "unit"], name="invitation_once")
        ]

    def __str__(self) -> str:
        return f"{self.directive_id} – {self.unit_id}"


class TaskNote(models.Model):
    """A progress note on a unit's assignment, with an optional attached file (kept out of
    the web root under a random name; read through a scoped download, `attachments`)."""

    SCOPE_PATH = "assignment__unit__path"

    assignment = models.ForeignKey(TaskAssignment, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField(_("ngày"))
    text = models.TextField(_("nội dung"))
    author = models.ForeignKey(
        "accounts.User", verbose_name=_("người ghi"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    file_name = models.CharField(_("tệp đính kèm"), max_length=200, blank=True,
                                 validators=[validate_line])  # fmt: skip
    file_key = models.CharField(max_length=80, blank=True, editable=False)
    file_size = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("ghi nhận tiến độ")
        verbose_name_plural = _("ghi nhận tiến độ")
        ordering = ["assignment", "-written_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.written_on:%d/%m/%Y} {self.text[:60]}"
