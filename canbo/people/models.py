"""The cadre record (Person) and its profile sections."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from canbo.core.dates import DatePrecision
from canbo.core.validators import validate_line, validate_multiline

from .choices import (
    AssignmentHow,
    Degree,
    DisciplineException,
    DisciplineForm,
    EvaluationRating,
    PoliticalTheory,
    Religion,
    Sex,
    StateManagement,
    TrainingKind,
)

id_number_validator = RegexValidator(
    r"^\d{12}$", _("Số định danh cá nhân phải gồm đúng 12 chữ số.")
)
year_validators = [MinValueValidator(1900), MaxValueValidator(2100)]


class Ethnicity(models.Model):
    code = models.CharField(_("mã"), max_length=2, unique=True, validators=[validate_line])
    name = models.CharField(_("tên dân tộc"), max_length=50, validators=[validate_line])
    is_minority = models.BooleanField(_("dân tộc thiểu số"), default=True)

    class Meta:
        verbose_name = _("dân tộc")
        verbose_name_plural = _("dân tộc")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    SCOPE_PATH = "unit__path"

    id_number = models.CharField(
        _("số định danh cá nhân"), max_length=12, unique=True, validators=[id_number_validator]
    )
    family_name = models.CharField(_("họ"), max_length=50, validators=[validate_line])
    middle_name = models.CharField(
        _("tên đệm"), max_length=100, blank=True, validators=[validate_line]
    )
    given_name = models.CharField(_("tên"), max_length=50, validators=[validate_line])
    full_name = models.CharField(_("họ và tên"), max_length=200, editable=False)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("ngày sinh"))
    birth_date_precision = models.CharField(
        _("độ chính xác ngày sinh"),
        max_length=1,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    ethnicity = models.ForeignKey(
        Ethnicity, verbose_name=_("dân tộc"), null=True, blank=True, on_delete=models.PROTECT
    )
    religion = models.CharField(_("tôn giáo"), max_length=20, choices=Religion.choices, blank=True)
    hometown = models.ForeignKey(
        "organizations.Area",
        verbose_name=_("quê quán"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="natives",
    )
    birthplace = models.ForeignKey(
        "organizations.Area",
        verbose_name=_("nơi sinh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("đơn vị quản lý hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    party_joined_date = models.DateField(_("ngày vào Đảng"), null=True, blank=True)
    party_official_date = models.DateField(_("ngày chính thức"), null=True, blank=True)
    professional_degree = models.PositiveSmallIntegerField(
        _("trình độ chuyên môn"), choices=Degree.choices, null=True, blank=True
    )
    professional_major = models.CharField(
        _("chuyên ngành"), max_length=200, blank=True, validators=[validate_line]
    )
    political_theory = models.PositiveSmallIntegerField(
        _("lý luận chính trị"), choices=PoliticalTheory.choices, null=True, blank=True
    )
    state_management = models.PositiveSmallIntegerField(
        _("quản lý nhà nước"), choices=StateManagement.choices, null=True, blank=True
    )
    foreign_language = models.CharField(
        _("ngoại ngữ"), max_length=100, blank=True, validators=[validate_line]
    )
    it_level = models.CharField(
        _("tin học"), max_length=100, blank=True, validators=[validate_line]
    )
    retirement_age_override_months = models.PositiveSmallIntegerField(
        _("tuổi nghỉ hưu riêng (tháng)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(50 * 12), MaxValueValidator(75 * 12)],
        help_text=_("Chỉ điền khi có quyết định riêng, ví dụ 720 = 60 tuổi (NĐ 83/2022)."),
    )
    # Maintained by the service layer, never typed.
    search_text = models.CharField(max_length=300, editable=False)
    sort_key = models.CharField(max_length=400, editable=False)
    # Measured against the unit keeping the record, not a post (ADR 0013: locality per post).
    is_local = models.BooleanField(
        _("người địa phương (theo đơn vị quản lý hồ sơ)"), null=True, editable=False
    )
    # True once `posts_apart.settle` has found that no two of the person's main posts are
    # ever held on the same day; a database trigger sets it back to False on any write of
    # their work history (ADR 0035). Written only by those two, never by `save`.
    main_posts_apart = models.BooleanField(default=False, db_default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["sort_key", "id"]
        indexes = [
            # The list order, covering the search column and the unit (scope):
            # a page of a frequent search is found by walking this index alone
            # (ADR 0008). Searching itself uses the trigram index on PostgreSQL
            # (migration 0003).
            models.Index(
                fields=["sort_key", "id", "search_text", "unit"], name="people_person_order"
            ),
            # The few people whose posts are not known apart (TK-CB counts them apart).
            models.Index(
                fields=["id"], condition=models.Q(main_posts_apart=False),
                name="people_person_unsettled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.id_number})"

    def save(self, *args, **kwargs):
        # An update never writes `main_posts_apart`: the value read earlier may be stale
        # (the trigger cleared it since), and only `posts_apart.settle` may set it.
        if (kwargs.get("update_fields") is None and not kwargs.get("force_insert")
                and not self._state.adding and self.pk):
            kwargs["update_fields"] = [f.name for f in self._meta.concrete_fields
                                       if not f.primary_key and f.name != "main_posts_apart"]
        super().save(*args, **kwargs)


class PersonSection(models.Model):
    """Common base for the sections of a profile."""

    SCOPE_PATH = "person__unit__path"

    class Meta:
        abstract = True


class Assignment(PersonSection):
    """Work history (quá trình công tác): person × position over a period."""

    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="assignments"
    )
    position = models.ForeignKey(
        "organizations.Position",
        verbose_name=_("vị trí"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    unit_name = models.CharField(
        _("tên đơn vị (tại thời điểm)"), max_length=300, blank=True, validators=[validate_line]
    )
    title_name = models.CharField(
        _("chức vụ (tại thời điểm)"), max_length=200, blank=True, validators=[validate_line]
    )
    start_date = models.DateField(_("từ ngày"))
    start_precision = models.CharField(
        max_length=1, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    end_precision = models.CharField(
        max_length=1, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    is_concurrent = models.BooleanField(_("kiêm nhiệm"), default=False)
    how = models.CharField(
        _("hình thức"),
        max_length=20,
        choices=AssignmentHow.choices,
        default=AssignmentHow.APPOINTED,
    )
    decision_number = models.CharField(
        _("số quyết định"), max_length=100, blank=True, validators=[validate_line]
    )
    note = models.CharField(
        _("ghi chú"), max_length=500, blank=True, validators=[validate_multiline]
    )

    class Meta:
        verbose_name = _("quá trình công tác")
        verbose_name_plural = _("quá trình công tác")
        ordering = ["person", "-start_date", "-id"]
        indexes = [models.Index(fields=["position", "end_date"])]

    def __str__(self) -> str:
        return f"{self.title_name} – {self.unit_name}"


class Evaluation(PersonSection):
    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=year_validators)
    rating = models.CharField(_("xếp loại"), max_length=20, choices=EvaluationRating.choices)
    score = models.DecimalField(
        _("điểm"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    note = models.CharField(
        _("ghi chú"), max_length=500, blank=True, validators=[validate_multiline]
    )

    class Meta:
        verbose_name = _("đánh giá, xếp loại")
        verbose_name_plural = _("đánh giá, xếp loại")
        ordering = ["person", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="evaluation_person_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.get_rating_display()}"


class ConfidenceVote(PersonSection):
    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="confidence_votes"
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=year_validators)
    body = models.CharField(_("hội nghị lấy phiếu"), max_length=200, validators=[validate_line])
    high = models.PositiveIntegerField(_("tín nhiệm cao"), default=0)
    normal = models.PositiveIntegerField(_("tín nhiệm"), default=0)
    low = models.PositiveIntegerField(_("tín nhiệm thấp"), default=0)
    base = models.PositiveIntegerField(
        _("cơ sở tính tỷ lệ"), help_text=_("Số người được triệu tập hoặc số phiếu thu về.")
    )

    class Meta:
        verbose_name = _("kết quả lấy phiếu tín nhiệm")
        verbose_name_plural = _("kết quả lấy phiếu tín nhiệm")
        ordering = ["person", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year", "body"], name="vote_person_year_body")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.body}"


class Discipline(PersonSection):
    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="disciplines"
    )
    form = models.CharField(_("hình thức kỷ luật"), max_length=20, choices=DisciplineForm.choices)
    effective_date = models.DateField(_("ngày hiệu lực"))
    end_date = models.DateField(_("ngày hết hiệu lực"), null=True, blank=True)
    authority = models.CharField(
        _("cơ quan quyết định"), max_length=300, blank=True, validators=[validate_line]
    )
    decision_number = models.CharField(
        _("số quyết định"), max_length=100, blank=True, validators=[validate_line]
    )
    reason = models.CharField(
        _("lý do"), max_length=1000, blank=True, validators=[validate_multiline]
    )
    planning_exception = models.CharField(
        _("ngoại lệ theo QĐ 377"),
        max_length=20,
        choices=DisciplineException.choices,
        blank=True,
        help_text=_(
            "Trường hợp QĐ 377-QĐ/TW cho phép không tính kỷ luật này khi rà soát quy hoạch; "
            "để trống nếu không thuộc trường hợp nào."
        ),
    )

    class Meta:
        verbose_name = _("kỷ luật")
        verbose_name_plural = _("kỷ luật")
        ordering = ["person", "-effective_date"]

    def __str__(self) -> str:
        return f"{self.get_form_display()} ({self.effective_date:%d/%m/%Y})"


class Reward(PersonSection):
    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="rewards"
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=year_validators)
    form = models.CharField(_("hình thức khen thưởng"), max_length=300, validators=[validate_line])
    authority = models.CharField(
        _("cơ quan quyết định"), max_length=300, blank=True, validators=[validate_line]
    )
    decision_number = models.CharField(
        _("số quyết định"), max_length=100, blank=True, validators=[validate_line]
    )

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["person", "-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.form}"


class Training(PersonSection):
    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="trainings"
    )
    kind = models.CharField(_("loại"), max_length=20, choices=TrainingKind.choices)
    program = models.CharField(
        _("nội dung, chương trình"), max_length=300, validators=[validate_line]
    )
    institution = models.CharField(
        _("cơ sở đào tạo"), max_length=300, blank=True, validators=[validate_line]
    )
    start_date = models.DateField(_("từ ngày"), null=True, blank=True)
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    qualification = models.CharField(
        _("văn bằng, chứng chỉ"), max_length=200, blank=True, validators=[validate_line]
    )

    class Meta:
        verbose_name = _("đào tạo, bồi dưỡng")
        verbose_name_plural = _("đào tạo, bồi dưỡng")
        ordering = ["person", "-start_date"]

    def __str__(self) -> str:
        return self.program
