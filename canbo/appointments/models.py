"""Appointment and election cases (bổ nhiệm, giới thiệu ứng cử, miễn nhiệm …).

A case names the person, the post, the competent body and its dossier; it is open
from the day it was opened until the day it was closed (with a decision, or stopped).
Nothing is deleted. Writes go through `canbo.appointments.services`; the steps, ballot
tallies, confidence votes and evaluations of issue 19 come next.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from canbo.core.validators import validate_line, validate_multiline

from .choices import CaseKind, CaseOutcome


class AppointmentCase(models.Model):
    SCOPE_PATH = "competent_unit__path"

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("cán bộ"),
        on_delete=models.PROTECT,
        related_name="appointment_cases",
    )
    kind = models.CharField(_("loại việc"), max_length=12, choices=CaseKind.choices)
    position = models.ForeignKey(
        "organizations.Position",
        verbose_name=_("chức danh"),
        on_delete=models.PROTECT,
        related_name="appointment_cases",
    )
    competent_unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("cấp có thẩm quyền"),
        on_delete=models.PROTECT,
        related_name="appointment_cases",
    )
    internal = models.BooleanField(
        _("nguồn tại chỗ"),
        default=True,
        help_text=_("Nhân sự tại chỗ (quy trình năm bước) hay từ nơi khác."),
    )
    opened_on = models.DateField(_("ngày bắt đầu quy trình"))
    dossier_received_on = models.DateField(_("ngày nhận hồ sơ"), null=True, blank=True)
    dossier_complete_on = models.DateField(_("ngày hồ sơ đầy đủ"), null=True, blank=True)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    outcome = models.CharField(
        _("kết quả"), max_length=10, choices=CaseOutcome.choices, blank=True
    )
    decision_number = models.CharField(
        _("số quyết định"), max_length=60, blank=True, validators=[validate_line]
    )
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    term_start = models.DateField(_("thời hạn giữ chức vụ từ"), null=True, blank=True)
    term_end = models.DateField(_("thời hạn giữ chức vụ đến"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True, validators=[validate_multiline])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ bổ nhiệm, giới thiệu ứng cử")
        verbose_name_plural = _("hồ sơ bổ nhiệm, giới thiệu ứng cử")
        ordering = ["-opened_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="appointmentcase_closed_after_opened",
                violation_error_message=_("Ngày kết thúc không được trước ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, outcome="")
                | (Q(closed_on__isnull=False) & ~Q(outcome="")),
                name="appointmentcase_closed_has_outcome",
                violation_error_message=_("Kết thúc quy trình phải có ngày và kết quả."),
            ),
            models.CheckConstraint(
                condition=Q(dossier_complete_on__isnull=True)
                | Q(dossier_received_on__isnull=False, dossier_complete_on__gte=F("dossier_received_on")),
                name="appointmentcase_dossier_complete_after_received",
                violation_error_message=_("Ngày hồ sơ đầy đủ không được trước ngày nhận hồ sơ."),
            ),
            models.CheckConstraint(
                condition=Q(decision_date__isnull=True) | Q(decision_date__gte=F("opened_on")),
                name="appointmentcase_decision_after_opened",
                violation_error_message=_("Ngày quyết định không được trước ngày bắt đầu quy trình."),
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=False, term_end__gt=F("term_start")),
                name="appointmentcase_term_end_after_start",
                violation_error_message=_("Thời hạn giữ chức vụ phải kết thúc sau khi bắt đầu."),
            ),
        ]
        indexes = [models.Index(fields=["person", "opened_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.person_id} → {self.position_id}"

    def is_open_on(self, day) -> bool:
        return self.opened_on <= day and (self.closed_on is None or self.closed_on > day)
