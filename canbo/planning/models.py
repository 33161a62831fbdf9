"""Succession plans (quy hoạch cán bộ): a planning unit's successors for one target term.

Nothing here is ever deleted: an entry taken out of a plan keeps its row with
the date and reason of its removal; a plan's changes of status are rows of
`PlanTransition`; each annual review is a `PlanReview` with the list before and
after. Writes go through `canbo.planning.services`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from canbo.core.validators import validate_line, validate_multiline

from .choices import EntrySource, PlanStatus, RemovalReason


class Plan(models.Model):
    SCOPE_PATH = "planning_unit__path"

    planning_unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("đơn vị lập quy hoạch"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    term = models.ForeignKey(
        "organizations.Term",
        verbose_name=_("nhiệm kỳ quy hoạch"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    name = models.CharField(_("tên quy hoạch"), max_length=300, validators=[validate_line])
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    approver_unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("cấp phê duyệt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_plans",
    )
    decision_number = models.CharField(
        _("số quyết định phê duyệt"), max_length=100, blank=True, validators=[validate_line]
    )
    decision_date = models.DateField(_("ngày quyết định phê duyệt"), null=True, blank=True)
    approved_on = models.DateField(_("ngày phê duyệt"), null=True, blank=True)
    published_on = models.DateField(_("ngày công bố"), null=True, blank=True)
    min_minority_share = models.DecimalField(
        _("tỷ lệ người dân tộc thiểu số phù hợp với địa bàn (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Để trống nếu không kiểm tra cơ cấu dân tộc thiểu số."),
    )
    positions = models.ManyToManyField(
        "organizations.Position",
        through="PlanPosition",
        verbose_name=_("chức danh quy hoạch"),
        related_name="plans",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("quy hoạch cán bộ")
        verbose_name_plural = _("quy hoạch cán bộ")
        ordering = ["planning_unit__path", "term__start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["planning_unit", "term"],
                name="plan_unit_term_unique",
                violation_error_message=_("Đơn vị này đã có quy hoạch cho nhiệm kỳ này."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class PlanPosition(models.Model):
    """A position a plan covers (danh mục chức danh quy hoạch), with or without successors."""

    SCOPE_PATH = "plan__planning_unit__path"

    plan = models.ForeignKey(
        Plan, verbose_name=_("quy hoạch"), on_delete=models.PROTECT, related_name="plan_positions"
    )
    position = models.ForeignKey(
        "organizations.Position",
        verbose_name=_("chức danh"),
        on_delete=models.PROTECT,
        related_name="plan_positions",
    )

    class Meta:
        verbose_name = _("chức danh trong quy hoạch")
        verbose_name_plural = _("chức danh trong quy hoạch")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "position"],
                name="planposition_unique",
                violation_error_message=_("Chức danh này đã có trong quy hoạch."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} – {self.position_id}"


class PlanReview(models.Model):
    """One review (rà soát, bổ sung) of a plan: the list of (person, position) before and after."""

    SCOPE_PATH = "plan__planning_unit__path"

    plan = models.ForeignKey(
        Plan, verbose_name=_("quy hoạch"), on_delete=models.PROTECT, related_name="reviews"
    )
    reviewed_on = models.DateField(_("ngày rà soát"))
    decision_number = models.CharField(
        _("số quyết định"), max_length=100, blank=True, validators=[validate_line]
    )
    note = models.TextField(_("ghi chú"), blank=True, validators=[validate_multiline])
    # [{"id_number": "...", "position": <Position id>}, ...] sorted by position, then ID number.
    before = models.JSONField(_("danh sách trước rà soát"), default=list, blank=True)
    after = models.JSONField(_("danh sách sau rà soát"), default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rà soát quy hoạch")
        verbose_name_plural = _("rà soát quy hoạch")
        ordering = ["plan", "-reviewed_on", "-id"]
        constraints = [
            # A review is named by its plan and date (entries and the data package refer
            # to it so): one review a day per plan.
            models.UniqueConstraint(
                fields=["plan", "reviewed_on"],
                name="planreview_one_a_day",
                violation_error_message=_("Quy hoạch đã có đợt rà soát ngày này."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} ({self.reviewed_on:%d/%m/%Y})"


class PlanEntry(models.Model):
    """A person planned for a position of a plan; removal keeps the row."""

    SCOPE_PATH = "plan__planning_unit__path"

    plan = models.ForeignKey(
        Plan, verbose_name=_("quy hoạch"), on_delete=models.PROTECT, related_name="entries"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("cán bộ"),
        on_delete=models.PROTECT,
        related_name="plan_entries",
    )
    position = models.ForeignKey(
        "organizations.Position",
        verbose_name=_("chức danh quy hoạch"),
        on_delete=models.PROTECT,
        related_name="plan_entries",
    )
    source = models.CharField(
        _("nguồn"), max_length=10, choices=EntrySource.choices, default=EntrySource.INSIDE
    )
    added_on = models.DateField(_("ngày đưa vào quy hoạch"))
    added_decision = models.CharField(
        _("quyết định đưa vào"), max_length=200, blank=True, validators=[validate_line]
    )
    first_time = models.BooleanField(
        _("quy hoạch lần đầu"),
        default=False,
        help_text=_("Lần đầu được quy hoạch vào chức danh cấp này (cần đủ tuổi hai nhiệm kỳ)."),
    )
    removed_on = models.DateField(_("ngày đưa ra khỏi quy hoạch"), null=True, blank=True)
    removal_reason = models.CharField(
        _("lý do đưa ra"), max_length=20, choices=RemovalReason.choices, blank=True
    )
    removal_note = models.CharField(
        _("ghi chú lý do"), max_length=1000, blank=True, validators=[validate_multiline]
    )
    added_in_review = models.ForeignKey(
        PlanReview,
        verbose_name=_("bổ sung trong đợt rà soát"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="added_entries",
    )
    removed_in_review = models.ForeignKey(
        PlanReview,
        verbose_name=_("đưa ra trong đợt rà soát"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="removed_entries",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cán bộ trong quy hoạch")
        verbose_name_plural = _("cán bộ trong quy hoạch")
        ordering = ["plan", "position", "added_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "person", "position"],
                condition=Q(removed_on__isnull=True),
                name="planentry_one_active",
                violation_error_message=_("Cán bộ này đã có trong quy hoạch cho chức danh này."),
            ),
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=F("added_on")),
                name="planentry_removed_after_added",
                violation_error_message=_("Ngày đưa ra không được trước ngày đưa vào quy hoạch."),
            ),
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True, removal_reason="")
                | (Q(removed_on__isnull=False) & ~Q(removal_reason="")),
                name="planentry_removal_has_reason",
                violation_error_message=_("Đưa ra khỏi quy hoạch phải có ngày và lý do."),
            ),
        ]
        indexes = [models.Index(fields=["person", "removed_on"])]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.position_id} ({self.plan_id})"

    @property
    def is_active(self) -> bool:
        return self.removed_on is None


class PlanTransition(models.Model):
    """One change of a plan's status: the plan's history."""

    SCOPE_PATH = "plan__planning_unit__path"

    plan = models.ForeignKey(
        Plan, verbose_name=_("quy hoạch"), on_delete=models.PROTECT, related_name="transitions"
    )
    from_status = models.CharField(
        _("từ trạng thái"), max_length=10, choices=PlanStatus.choices, blank=True
    )
    to_status = models.CharField(_("sang trạng thái"), max_length=10, choices=PlanStatus.choices)
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("lý do"), blank=True, validators=[validate_multiline])
    decision_number = models.CharField(
        _("số quyết định"), max_length=100, blank=True, validators=[validate_line]
    )
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)

    class Meta:
        verbose_name = _("lịch sử trạng thái quy hoạch")
        verbose_name_plural = _("lịch sử trạng thái quy hoạch")
        ordering = ["plan", "at", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.from_status or '–'} → {self.to_status}"
