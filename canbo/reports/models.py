"""Report rounds, the units' submissions and their corrected cells (issue 16).

A **round** (`ReportRound`) asks the units of a level (and kind) in a subtree, or in a
monitoring group, for one or more forms at a cut-off date by a deadline. It is carried by
the directives machinery (ADR 0016): creating a round issues a directive (an official
letter by default) with one task, assigned to every reporting unit, so a round's
completeness is the directives' roll-up of that task (`round.task`).

A **submission** (`Submission`) is one unit's figures of one form in a round: the counts
computed from its records at the cut-off (`counts`, {"row:column": n}, count cells only;
shares and ratios are derived when read), the cells it corrected with a reason
(`SubmissionCorrection`), and its status: draft → submitted → accepted, or returned to
the unit, which may correct and submit again. Accepted figures are never recomputed:
later edits of the records do not change them. Status changes go through
`services` only (scoped, audited).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from canbo.core.validators import validate_line, validate_multiline
from canbo.organizations.choices import UnitKind, UnitLevel

from .forms import FORMS
from .periods import PeriodKind, needs_number


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Đang lập")
    SUBMITTED = "submitted", _("Đã gửi")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    RETURNED = "returned", _("Trả lại")


#: Statuses whose figures count in the level above's sum of the lower submissions.
COUNTED = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)
#: Statuses of a submission that has been sent at least once (completeness "submitted").
SENT = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED, SubmissionStatus.RETURNED)
#: Statuses in which the unit may still change its figures.
OPEN = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


def cell_key(row: str, column: str) -> str:
    """A cell's key in `Submission.counts`: "row:column"."""
    return f"{row}:{column}"


def split_key(key: str) -> tuple[str, str]:
    row, _sep, column = key.partition(":")
    return row, column


class ReportRound(models.Model):
    """A call for figures: forms, period and cut-off, deadline, who reports."""

    SCOPE_PATH = "issuing_unit__path"

    name = models.CharField(_("tên đợt báo cáo"), max_length=300, validators=[validate_line])
    form_codes = models.JSONField(_("các biểu báo cáo"), default=list,
                                  help_text=_("Mã các biểu, ví dụ [\"TK-CB\"]."))  # fmt: skip
    period_kind = models.CharField(_("loại kỳ báo cáo"), max_length=12, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    period_number = models.PositiveSmallIntegerField(
        _("quý, tháng"), null=True, blank=True, help_text=_("Quý (1–4) hoặc tháng (1–12).")
    )
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("ngày chốt số liệu"))
    deadline = models.DateField(_("hạn gửi báo cáo"))
    issuing_unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("đơn vị yêu cầu báo cáo"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    level = models.CharField(_("cấp đơn vị báo cáo"), max_length=20, choices=UnitLevel.choices)
    kind = models.CharField(_("loại đơn vị báo cáo"), max_length=30, choices=UnitKind.choices,
                            blank=True)  # fmt: skip
    within = models.ForeignKey(
        "organizations.Unit", verbose_name=_("trong phạm vi đơn vị"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    group = models.ForeignKey(
        "directives.MonitoringGroup", verbose_name=_("nhóm đơn vị theo dõi"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    task = models.OneToOneField(
        "directives.Task", verbose_name=_("nhiệm vụ báo cáo"), on_delete=models.PROTECT,
        related_name="report_round",
    )  # fmt: skip
    note = models.TextField(_("ghi chú"), blank=True, validators=[validate_multiline])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đợt báo cáo")
        verbose_name_plural = _("đợt báo cáo")
        ordering = ["-period_end", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")),
                name="reportround_start_before_end",
                violation_error_message=_("Ngày bắt đầu kỳ phải trước hoặc đúng ngày chốt số liệu."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("period_end")),
                name="reportround_deadline_after_cut_off",
                violation_error_message=_("Hạn gửi báo cáo không được trước ngày chốt số liệu."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def cut_off(self):
        """The date the figures are computed at: the period's end."""
        return self.period_end

    def forms(self) -> list:
        return [FORMS[code] for code in self.form_codes if code in FORMS]

    def clean(self):
        codes = self.form_codes
        if not isinstance(codes, list) or not codes:
            raise ValidationError({"form_codes": _("Hãy chọn ít nhất một biểu báo cáo.")})
        unknown = [c for c in codes if c not in FORMS]
        if unknown:
            raise ValidationError({"form_codes": _("Không có biểu báo cáo mã %(codes)s.")
                                   % {"codes": ", ".join(map(str, unknown))}})  # fmt: skip
        if len(set(codes)) != len(codes):
            raise ValidationError({"form_codes": _("Mỗi biểu chỉ chọn một lần.")})
        if self.period_kind != PeriodKind.AD_HOC and not self.year:
            raise ValidationError({"year": _("Hãy nhập năm của kỳ báo cáo.")})
        if needs_number(self.period_kind) and not self.period_number:
            raise ValidationError({"period_number": _("Hãy chọn quý hoặc tháng của kỳ báo cáo.")})


class Submission(models.Model):
    """One unit's figures of one form in a round."""

    SCOPE_PATH = "unit__path"

    round = models.ForeignKey(ReportRound, verbose_name=_("đợt báo cáo"),
                              on_delete=models.PROTECT, related_name="submissions")  # fmt: skip
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("đơn vị báo cáo"),
                             on_delete=models.PROTECT, related_name="+")  # fmt: skip
    form_code = models.CharField(_("biểu"), max_length=20)
    status = models.CharField(_("tình trạng"), max_length=10, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.DRAFT)  # fmt: skip
    counts = models.JSONField(_("số liệu tính từ hồ sơ"), default=dict,
                              help_text=_("{\"dòng:cột\": số} — chỉ các ô số lượng."))  # fmt: skip
    computed_at = models.DateTimeField(_("thời điểm tính"))
    submitted_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người gửi"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("thời điểm tiếp nhận, trả lại"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tiếp nhận, trả lại"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    comment = models.TextField(_("ý kiến của cấp trên"), blank=True,
                               validators=[validate_multiline])  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = _("báo cáo của đơn vị")
        ordering = ["round_id", "form_code", "unit_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit", "form_code"], name="submission_once_per_unit_form",
                violation_error_message=_("Đơn vị đã có báo cáo biểu này trong đợt."),
            ),
            models.CheckConstraint(
                condition=~Q(status=SubmissionStatus.RETURNED) | ~Q(comment=""),
                name="submission_returned_has_comment",
                violation_error_message=_("Trả lại báo cáo thì phải ghi ý kiến."),
            ),
        ]
        indexes = [models.Index(fields=["round", "form_code", "status"], name="submission_status")]

    def __str__(self) -> str:
        return f"{self.form_code} – {self.unit_id} ({self.get_status_display()})"

    def effective(self, corrections=None) -> dict[tuple[str, str], int]:
        """The counts the unit vouches for: computed, with its corrected cells.
        `corrections` saves the query when they were fetched already."""
        found = {split_key(k): int(n) for k, n in (self.counts or {}).items()}
        for c in (self.corrections.all() if corrections is None else corrections):
            found[(c.row, c.column)] = c.corrected
        return found


class SubmissionCorrection(models.Model):
    """A cell the unit corrected, with the value computed from the records beside it and
    the reason (records can be incomplete). Count cells only."""

    SCOPE_PATH = "submission__unit__path"

    submission = models.ForeignKey(Submission, verbose_name=_("báo cáo"),
                                   on_delete=models.CASCADE, related_name="corrections")  # fmt: skip
    row = models.CharField(_("dòng"), max_length=40)
    column = models.CharField(_("cột"), max_length=40)
    computed = models.IntegerField(_("số tính từ hồ sơ"))
    corrected = models.PositiveIntegerField(_("số sửa"))
    reason = models.TextField(_("lý do sửa"), validators=[validate_multiline])
    corrected_at = models.DateTimeField(_("thời điểm sửa"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người sửa"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("ô số liệu được sửa")
        verbose_name_plural = _("ô số liệu được sửa")
        ordering = ["submission", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "row", "column"],
                                    name="correction_once_per_cell"),  # fmt: skip
            models.CheckConstraint(condition=~Q(reason=""), name="correction_has_reason",
                                   violation_error_message=_("Hãy ghi lý do sửa số liệu.")),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.row}:{self.column} {self.computed} → {self.corrected}"
