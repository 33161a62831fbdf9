"""Work that makes no file (a data package checked or imported, shown by its own page): the
job ends done with its summary, nothing to download."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from canbo.jobs import services
from canbo.jobs.models import Job, JobStatus
from tests.workers import run_queued

pytestmark = pytest.mark.django_db

KIND = "test_no_file"


@pytest.fixture
def no_file_kind(monkeypatch):
    def handler(job, progress):
        progress.stage("Đếm", total=3)
        progress.advance(3)
        return services.Output(path=None, summary="Gói hợp lệ: 3 tạo mới")

    monkeypatch.setitem(services._KINDS, KIND, handler)


def test_a_job_without_a_file_is_done_with_its_summary_and_nothing_to_download(
    world, no_file_kind, job_dir
):
    client = Client()
    client.force_login(world.viewer_a)
    job = services.start(user=world.viewer_a, kind=KIND, params={}, title="Kiểm tra")
    assert run_queued() == 1
    job.refresh_from_db()
    assert (job.status, job.message, job.file_key, job.file_name, job.file_size, job.done) == (
        JobStatus.DONE, "Gói hợp lệ: 3 tạo mới", "", "", None, 3,
    )  # fmt: skip
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Gói hợp lệ: 3 tạo mới" in page
    assert 'id="job-download"' not in page
    assert reverse("jobs:download", args=[job.pk]) not in client.get(reverse("jobs:list")).content.decode()
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert not job_dir.exists() or list(job_dir.iterdir()) == []


def test_cancelled_at_the_last_moment_a_job_without_a_file_is_cancelled(world, monkeypatch):
    def handler(job, progress):
        services.cancel(job)
        return services.Output(path=None, summary="x")

    monkeypatch.setitem(services._KINDS, KIND, handler)
    job = services.start(user=world.viewer_a, kind=KIND, params={}, title="Kiểm tra")
    run_queued()
    job.refresh_from_db()
    assert (job.status, job.message) == (JobStatus.CANCELLED, "")
    assert Job.objects.count() == 1
