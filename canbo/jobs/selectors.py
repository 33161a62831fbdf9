"""Reads of jobs: a job is its owner's alone (anyone else, administrators too, is told it
does not exist)."""

from __future__ import annotations

from .models import Job

#: Jobs listed on the page "Công việc nền".
LIST_LIMIT = 50


def job_list(*, user):
    return Job.objects.filter(user=user).order_by("-created_at")[:LIST_LIMIT]


def job_get(*, user, pk) -> Job | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Job.objects.filter(user=user, pk=pk).first()
