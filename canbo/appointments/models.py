"""Appointment and election cases (bổ nhiệm, giới thiệu ứng cử, miễn nhiệm …).

A case names the person, the post, the competent body and its dossier; it is open
from the day it was opened until the day it was closed (with a decision, or stopped).
Nothing is deleted. Writes go through `canbo.appointments.services`; the steps, ballot
tallies, confidence votes and evaluations of issue 19 come next.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from canbo.core.validators import validate_line, validate_multiline

from .choices import CaseKind, CaseOutcome, StepNumber, StepResult


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
    election_on = models.DateField(
        _("ngày bầu cử, đại hội"),
        null=True,
        blank=True,
        help_text=_("Giới thiệu ứng cử: ngày khai mạc đại hội hoặc ngày bầu cử (A9, A10)."),
    )
    seats = models.PositiveSmallIntegerField(
        _("số lượng cần bầu"),
        null=True,
        blank=True,
        help_text=_("Giới thiệu ứng cử: số người cần bầu của chức danh ở lần bầu này (A10)."),
    )
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


class CaseStep(models.Model):
    """One of the five steps of an internal candidate's procedure (A6): the meeting,
    those summoned and present, and (for a ballot step, once closed) the result."""

    SCOPE_PATH = "case__competent_unit__path"

    case = models.ForeignKey(
        AppointmentCase, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="steps"
    )
    number = models.PositiveSmallIntegerField(_("bước"), choices=StepNumber.choices)
    held_on = models.DateField(_("ngày họp"))
    summoned = models.PositiveSmallIntegerField(_("số người được triệu tập"))
    present = models.PositiveSmallIntegerField(_("số người có mặt"))
    closed_on = models.DateField(_("ngày kết thúc bước"), null=True, blank=True)
    result = models.CharField(
        _("kết quả của nhân sự"), max_length=12, choices=StepResult.choices, blank=True
    )
    note = models.TextField(_("ghi chú"), blank=True, validators=[validate_multiline])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bước quy trình bổ nhiệm")
        verbose_name_plural = _("bước quy trình bổ nhiệm")
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="casestep_case_number"),
            models.CheckConstraint(
                condition=Q(summoned__gt=0) & Q(present__lte=F("summoned")),
                name="casestep_present_within_summoned",
                violation_error_message=_(
                    "Số người có mặt không được lớn hơn số người được triệu tập (phải lớn hơn 0)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("held_on")),
                name="casestep_closed_after_held",
                violation_error_message=_("Ngày kết thúc bước không được trước ngày họp."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_number_display()} ({self.case_id})"


class StepTally(models.Model):
    """One of the two entries of a ballot step's tally, typed from the minutes."""

    SCOPE_PATH = "step__case__competent_unit__path"

    step = models.ForeignKey(
        CaseStep, verbose_name=_("bước"), on_delete=models.PROTECT, related_name="tallies"
    )
    round = models.PositiveSmallIntegerField(_("lần nhập"), choices=[(1, "1"), (2, "2")])
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ballots_valid = models.PositiveSmallIntegerField(_("số phiếu hợp lệ"))
    ballots_invalid = models.PositiveSmallIntegerField(_("số phiếu không hợp lệ"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lần nhập kết quả kiểm phiếu")
        verbose_name_plural = _("lần nhập kết quả kiểm phiếu")
        ordering = ["step", "round"]
        constraints = [
            models.UniqueConstraint(fields=["step", "round"], name="steptally_step_round"),
            models.CheckConstraint(
                condition=Q(round__in=(1, 2)), name="steptally_round_1_or_2",
                violation_error_message=_("Lần nhập phải là 1 hoặc 2."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.step} – {self.round}"


class TallyLine(models.Model):
    """A candidate's votes in one tally entry."""

    tally = models.ForeignKey(
        StepTally, verbose_name=_("lần nhập"), on_delete=models.CASCADE, related_name="lines"
    )
    candidate = models.ForeignKey(
        "people.Person", verbose_name=_("nhân sự"), on_delete=models.PROTECT, related_name="+"
    )
    votes_for = models.PositiveSmallIntegerField(_("số phiếu đồng ý, giới thiệu"))
    votes_against = models.PositiveSmallIntegerField(_("số phiếu không đồng ý"), default=0)

    class Meta:
        verbose_name = _("kết quả kiểm phiếu của nhân sự")
        verbose_name_plural = _("kết quả kiểm phiếu của nhân sự")
        ordering = ["tally", "candidate"]
        constraints = [
            models.UniqueConstraint(fields=["tally", "candidate"], name="tallyline_tally_candidate")
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id}: {self.votes_for}"
