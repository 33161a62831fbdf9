"""Rotations (luân chuyển, điều động, biệt phái, tăng cường) and rotation plans.

A rotation moves a person from a post to another for a purpose, decided by a competent
body (whose unit decides who sees and edits it). Decided, it writes the work history
through the registry's services (`canbo.rotation.services`): the post left ends, the post
taken starts; its end writes the return or the stay. The directions (between levels,
localities, sectors) are derived from the two units when it is saved, never typed, so
that figures group them in SQL. A rotation plan lists a body's intended rotations for a
term; an intended rotation has no decision or start yet. Nothing is deleted.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from canbo.core.validators import validate_line, validate_multiline

from .choices import LevelDirection, RotationKind, RotationOutcome, RotationPurpose


class RotationPlan(models.Model):
    """A body's plan of rotations for a term (kế hoạch luân chuyển)."""

    SCOPE_PATH = "unit__path"

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("cấp ủy, cơ quan lập kế hoạch"),
        on_delete=models.PROTECT, related_name="rotation_plans",
    )  # fmt: skip
    term = models.ForeignKey(
        "organizations.Term", verbose_name=_("nhiệm kỳ"), on_delete=models.PROTECT,
        related_name="rotation_plans",
    )  # fmt: skip
    name = models.CharField(_("tên kế hoạch"), max_length=300, validators=[validate_line])
    note = models.TextField(_("ghi chú"), blank=True, validators=[validate_multiline])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kế hoạch luân chuyển")
        verbose_name_plural = _("kế hoạch luân chuyển")
        ordering = ["-term__start_date", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "term"], name="rotationplan_unit_term")
        ]

    def __str__(self) -> str:
        return self.name


class Rotation(models.Model):
    SCOPE_PATH = "competent_unit__path"

    person = models.ForeignKey(
        "people.Person", verbose_name=_("cán bộ"), on_delete=models.PROTECT,
        related_name="rotations",
    )  # fmt: skip
    kind = models.CharField(_("hình thức"), max_length=15, choices=RotationKind.choices)
    purpose = models.CharField(_("mục đích"), max_length=15, choices=RotationPurpose.choices)
    from_position = models.ForeignKey(
        "organizations.Position", verbose_name=_("từ chức danh"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="rotations_out",
    )  # fmt: skip
    to_position = models.ForeignKey(
        "organizations.Position", verbose_name=_("đến chức danh"), on_delete=models.PROTECT,
        related_name="rotations_in",
    )  # fmt: skip
    competent_unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("cấp có thẩm quyền"), on_delete=models.PROTECT,
        related_name="rotations",
    )  # fmt: skip
    plan = models.ForeignKey(
        RotationPlan, verbose_name=_("kế hoạch"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="rotations",
    )  # fmt: skip
    decision_number = models.CharField(
        _("số quyết định"), max_length=60, blank=True, validators=[validate_line]
    )
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    start_date = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    planned_end = models.DateField(_("dự kiến kết thúc"), null=True, blank=True)
    shorter_approved = models.BooleanField(
        _("cấp có thẩm quyền quyết định thời gian ngắn hơn"), default=False,
        help_text=_("Luân chuyển dưới 36 tháng theo quyết định của cấp có thẩm quyền (R3)."),
    )  # fmt: skip
    actual_end = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    outcome = models.CharField(
        _("kết quả sau luân chuyển"), max_length=16, choices=RotationOutcome.choices, blank=True
    )
    evaluation = models.TextField(
        _("nhận xét, đánh giá khi kết thúc"), blank=True, validators=[validate_multiline]
    )
    # Derived from the two units when saved (services.directions), never typed.
    level_direction = models.CharField(
        _("giữa các cấp"), max_length=5, choices=LevelDirection.choices, editable=False,
        default=LevelDirection.SAME,
    )  # fmt: skip
    across_localities = models.BooleanField(_("giữa các địa phương"), default=False, editable=False)
    across_sectors = models.BooleanField(_("giữa các ngành, lĩnh vực"), default=False, editable=False)
    note = models.TextField(_("ghi chú"), blank=True, validators=[validate_multiline])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("luân chuyển cán bộ")
        verbose_name_plural = _("luân chuyển cán bộ")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(decision_date__isnull=False),
                name="rotation_started_has_decision",
                violation_error_message=_("Luân chuyển đã bắt đầu phải có ngày quyết định."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(start_date__gte=F("decision_date")),
                name="rotation_start_after_decision",
                violation_error_message=_("Ngày bắt đầu không được trước ngày quyết định."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(start_date__isnull=False, planned_end__gt=F("start_date")),
                name="rotation_planned_end_after_start",
                violation_error_message=_("Ngày dự kiến kết thúc phải sau ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(start_date__isnull=False, actual_end__gte=F("start_date")),
                name="rotation_end_after_start",
                violation_error_message=_("Ngày kết thúc không được trước ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True, outcome="")
                | (Q(actual_end__isnull=False) & ~Q(outcome="")),
                name="rotation_ended_has_outcome",
                violation_error_message=_("Kết thúc luân chuyển phải có ngày và kết quả."),
            ),
        ]
        indexes = [models.Index(fields=["person", "start_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.person_id} → {self.to_position_id}"

    @property
    def started(self) -> bool:
        return self.start_date is not None
