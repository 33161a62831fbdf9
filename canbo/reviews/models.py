"""Confidence-vote sessions (QĐ 96-QĐ/TW 2023) and evaluation rounds (QĐ 366-QĐ/TW 2025).

A session is held by a body (its unit decides who may see and edit it); the people voted
on are its subjects; each subject's figures are typed from the counting committee's
minutes twice, by two different users (`core.double_entry`), one row per person and
round. A session closes only when both entries agree; its figures then go to the people
registry (`people.ConfidenceVote`). A round scores people on the 100-point scale; the
rating is derived from the score (E1), never typed; closing writes `people.Evaluation`.
Ballots are tallies, never who voted how. Nothing is deleted.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from canbo.core.validators import validate_line, validate_multiline
from canbo.people.choices import EvaluationRating
from canbo.people.models import year_validators

from .choices import BaseRule, ExclusionReason, OtherGround


class VoteSession(models.Model):
    SCOPE_PATH = "unit__path"

    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("cơ quan, hội nghị lấy phiếu"),
        on_delete=models.PROTECT,
        related_name="vote_sessions",
    )
    year = models.PositiveSmallIntegerField(_("năm lấy phiếu"), validators=year_validators)
    held_on = models.DateField(_("ngày lấy phiếu"))
    summoned = models.PositiveIntegerField(_("số người được triệu tập"))
    present = models.PositiveIntegerField(_("số người có mặt"))
    base_rule = models.CharField(
        _("cơ sở tính tỷ lệ"), max_length=10, choices=BaseRule.choices, default=BaseRule.SUMMONED
    )
    ballots_returned = models.PositiveIntegerField(_("số phiếu thu về"), null=True, blank=True)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True, validators=[validate_multiline])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hội nghị lấy phiếu tín nhiệm")
        verbose_name_plural = _("hội nghị lấy phiếu tín nhiệm")
        ordering = ["-held_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(summoned__gt=0),
                name="votesession_summoned_positive",
                violation_error_message=_("Số người được triệu tập phải lớn hơn 0."),
            ),
            models.CheckConstraint(
                condition=Q(present__lte=F("summoned")),
                name="votesession_present_at_most_summoned",
                violation_error_message=_("Số người có mặt không được lớn hơn số người được triệu tập."),
            ),
            models.CheckConstraint(
                condition=Q(ballots_returned__isnull=True) | Q(ballots_returned__lte=F("present")),
                name="votesession_ballots_at_most_present",
                violation_error_message=_("Số phiếu thu về không được lớn hơn số người có mặt."),
            ),
            models.CheckConstraint(
                condition=~Q(base_rule=BaseRule.BALLOTS) | Q(ballots_returned__isnull=False),
                name="votesession_ballots_base_known",
                violation_error_message=_("Tính tỷ lệ trên số phiếu thu về thì phải nhập số phiếu thu về."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("held_on")),
                name="votesession_closed_after_held",
                violation_error_message=_("Ngày kết thúc không được trước ngày lấy phiếu."),
            ),
        ]
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return f"{self.unit_id} – {self.held_on:%d/%m/%Y}"


class VoteSubject(models.Model):
    """A person on the session's list: voted on, or excluded with the reason (C2)."""

    SCOPE_PATH = "session__unit__path"

    session = models.ForeignKey(
        VoteSession, verbose_name=_("hội nghị"), on_delete=models.CASCADE, related_name="subjects"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="+"
    )
    excluded = models.BooleanField(_("không lấy phiếu"), default=False)
    exclusion_reason = models.CharField(
        _("lý do không lấy phiếu"), max_length=12, choices=ExclusionReason.choices, blank=True
    )
    exclusion_note = models.CharField(
        _("ghi chú"), max_length=500, blank=True, validators=[validate_line]
    )

    class Meta:
        verbose_name = _("người được lấy phiếu")
        verbose_name_plural = _("người được lấy phiếu")
        ordering = ["session", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="votesubject_once"),
            models.CheckConstraint(
                condition=Q(excluded=True, exclusion_reason__gt="")
                | Q(excluded=False, exclusion_reason=""),
                name="votesubject_excluded_has_reason",
                violation_error_message=_("Không lấy phiếu thì phải chọn lý do."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.person_id}"


class VoteTally(models.Model):
    """One entry of one person's figures in one session: round 1 or 2, by its entrant."""

    SCOPE_PATH = "session__unit__path"

    session = models.ForeignKey(
        VoteSession, verbose_name=_("hội nghị"), on_delete=models.CASCADE, related_name="tallies"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="+"
    )
    round = models.PositiveSmallIntegerField(_("lần nhập"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    high = models.PositiveIntegerField(_("tín nhiệm cao"))
    normal = models.PositiveIntegerField(_("tín nhiệm"))
    low = models.PositiveIntegerField(_("tín nhiệm thấp"))
    invalid = models.PositiveIntegerField(_("phiếu không hợp lệ"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("số liệu kiểm phiếu tín nhiệm")
        verbose_name_plural = _("số liệu kiểm phiếu tín nhiệm")
        ordering = ["session", "round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person", "round"], name="votetally_once"),
            models.CheckConstraint(
                condition=Q(round__in=(1, 2)),
                name="votetally_round_1_or_2",
                violation_error_message=_("Lần nhập phải là 1 hoặc 2."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.person_id} ({self.round})"

    def figures(self) -> dict[str, int]:
        return {"high": self.high, "normal": self.normal, "low": self.low, "invalid": self.invalid}


class EvaluationRound(models.Model):
    SCOPE_PATH = "unit__path"

    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("cơ quan, đơn vị đánh giá"),
        on_delete=models.PROTECT,
        related_name="evaluation_rounds",
    )
    year = models.PositiveSmallIntegerField(_("năm đánh giá"), validators=year_validators)
    held_on = models.DateField(_("ngày đánh giá"))
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True, validators=[validate_multiline])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đợt đánh giá, xếp loại")
        verbose_name_plural = _("đợt đánh giá, xếp loại")
        ordering = ["-held_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("held_on")),
                name="evaluationround_closed_after_held",
                violation_error_message=_("Ngày kết thúc không được trước ngày đánh giá."),
            ),
        ]
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return f"{self.unit_id} – {self.year}"


class EvaluationScore(models.Model):
    """A person's score in a round; the rating is derived from it (E1) by the service."""

    SCOPE_PATH = "round__unit__path"

    round = models.ForeignKey(
        EvaluationRound, verbose_name=_("đợt đánh giá"), on_delete=models.CASCADE,
        related_name="scores",
    )  # fmt: skip
    person = models.ForeignKey(
        "people.Person", verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(
        _("điểm"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )  # fmt: skip
    other_ground = models.CharField(
        _("không hoàn thành nhiệm vụ do"), max_length=12, choices=OtherGround.choices, blank=True
    )
    other_note = models.CharField(_("ghi chú"), max_length=500, blank=True, validators=[validate_line])
    rating = models.CharField(
        _("xếp loại"), max_length=20, choices=EvaluationRating.choices, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("điểm đánh giá")
        verbose_name_plural = _("điểm đánh giá")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="evaluationscore_once"),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100),
                name="evaluationscore_0_to_100",
                violation_error_message=_("Điểm phải từ 0 đến 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.person_id} ({self.score})"
