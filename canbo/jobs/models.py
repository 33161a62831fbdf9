"""Background work done for a user: what, for whom, with which sight, how far, and its file.

A `Job` is canbo's own record beside the tasks framework's result row: it carries what the
pages need (the user, a title in Vietnamese, the progress, the file made) and what the
download must check again (the user's sight when the work was asked for, `scope_snapshot`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Không thành công")
    CANCELLED = "cancelled", _("Đã hủy")


#: Statuses of work not finished yet.
OPEN = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs",
        verbose_name=_("người yêu cầu"),
    )  # fmt: skip
    kind = models.CharField(_("loại"), max_length=40)
    params = models.JSONField(_("tham số"), default=dict)
    title = models.CharField(_("công việc"), max_length=300)
    scope_snapshot = models.JSONField(_("phạm vi khi yêu cầu"), default=list)
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("đã xong"), default=0)
    total = models.PositiveIntegerField(_("tổng số"), null=True, blank=True)
    stage = models.CharField(_("bước"), max_length=200, blank=True)
    message = models.TextField(_("thông báo"), blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=200, blank=True)
    file_key = models.CharField(max_length=80, blank=True)
    file_size = models.PositiveBigIntegerField(_("kích thước tệp"), null=True, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    #: Last sign of life of running work (each progress write): a job whose worker died
    #: stops beating and is closed as interrupted (`services.prune`).
    beat_at = models.DateTimeField(null=True, blank=True)
    #: False once the work reached a step that cannot be stopped (a package being written
    #: in one transaction): cancelling is refused from then on, so a job never reads
    #: "cancelled" while what it did stays done.
    cancellable = models.BooleanField(_("hủy được"), default=True)

    class Meta:
        verbose_name = _("công việc nền")
        verbose_name_plural = _("công việc nền")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="jobs_user_created")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def percent(self) -> int | None:
        """Whole percent done, None while the size of the work is not known."""
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)
