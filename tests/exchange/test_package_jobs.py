"""The page's export of a data package as a background job run by the real worker (issue 17
item 3): its file, its progress, a second click, refusals, whose it is. (The dry run and the
import: test_import_jobs.py.)"""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from canbo.core.models import AccessEvent
from canbo.exchange.registry import sheets
from canbo.jobs import services
from canbo.jobs.models import Job, JobStatus
from tests.factories import PersonFactory
from tests.workers import run_queued

from .test_views import import_dir as import_dir  # noqa: F401  (fixture)
from .test_views import (
    text_of,
)

pytestmark = pytest.mark.django_db

EXPORT = reverse("exchange:export")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def flushes(monkeypatch):
    """Every progress write of the jobs (each one written: no half-second wait), as
    (stage text, done, total)."""
    seen: list[tuple] = []
    real = services.Progress.flush

    def flush(self, **fields):
        seen.append((self.text, self.done, self.total))
        return real(self, **fields)

    monkeypatch.setattr(services.Progress.__init__, "__kwdefaults__", {"every": 0.0})
    monkeypatch.setattr(services.Progress, "flush", flush)
    return seen


# --- export -------------------------------------------------------------------------------


def test_the_pages_export_is_a_job_whose_file_is_the_package(world, flushes):
    PersonFactory(unit=world.xa, family_name="Nguyễn", middle_name="Văn", given_name="An")
    PersonFactory(unit=world.xb)  # out of the viewer's sight
    client = client_of(world.viewer_a)
    response = client.post(EXPORT, {"unit": "XA", "format": "xlsx"})
    job = Job.objects.get()
    assert (response.status_code, response["Location"]) == (302, reverse("jobs:detail", args=[job.pk]))
    assert (job.kind, job.status, job.params) == (
        "package_export", JobStatus.QUEUED, {"unit": "XA", "format": "xlsx"},
    )  # fmt: skip
    assert job.title == "Xuất gói dữ liệu: XA – Đảng ủy xã An Bình (Excel)"
    assert not AccessEvent.objects.exists()  # nothing exported yet

    assert run_queued() == 1
    job.refresh_from_db()
    count = len(sheets())
    people = [s.title for s in sheets()].index("Cán bộ")
    assert (job.status, job.done, job.total, job.message) == (JobStatus.DONE, count, count, "1 cán bộ")
    # The bar went sheet by sheet, the sheet under way and its rows beside it.
    assert flushes[0] == ("Ghi các sheet", 0, count)
    assert ("Ghi các sheet: Cán bộ", people, count) in flushes
    assert ("Ghi các sheet: Cán bộ – 1 dòng", people + 1, count) in flushes
    assert [done for _text, done, _total in flushes] == sorted(done for _t, done, _n in flushes)

    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Type"] == XLSX
    assert download["Content-Disposition"] == f'attachment; filename="{job.file_name}"'
    assert job.file_name.startswith("goi-du-lieu-XA-") and job.file_name.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = list(book["Cán bộ"].iter_rows(values_only=True))
    assert [row[1:4] for row in rows[1:]] == [("Nguyễn", "Văn", "An")]
    event = AccessEvent.objects.get()
    assert (event.kind, event.actor, event.query, event.rows) == (
        "export", world.viewer_a, "unit=XA format=xlsx", 1,
    )  # fmt: skip


def test_a_json_export_of_everything_in_sight(world):
    PersonFactory(unit=world.xa)
    client = client_of(world.viewer_a)
    client.post(EXPORT, {"unit": "", "format": "json"})
    job = Job.objects.get()
    assert job.title == "Xuất gói dữ liệu: toàn bộ phạm vi (JSON)"
    run_queued()
    job.refresh_from_db()
    assert (job.status, job.content_type) == (JobStatus.DONE, "application/json")
    assert job.file_name.startswith("goi-du-lieu-toan-bo-") and job.file_name.endswith(".json")


def test_a_second_click_is_the_same_export(world):
    client = client_of(world.viewer_a)
    first = client.post(EXPORT, {"unit": "XA", "format": "xlsx"})
    second = client.post(EXPORT, {"unit": "XA", "format": "xlsx"})
    assert first["Location"] == second["Location"]
    assert Job.objects.count() == 1


def test_an_export_out_of_sight_starts_nothing(world):
    response = client_of(world.viewer_a).post(EXPORT, {"unit": "XB", "format": "xlsx"})
    assert response.status_code == 200
    assert "Không có đơn vị mã “XB” trong phạm vi của bạn." in text_of(response)
    assert not Job.objects.exists()


def test_too_many_open_jobs_are_told_on_the_page(world):
    for n in range(services.MAX_OPEN_PER_USER):
        services.start(user=world.viewer_a, kind="package_export", params={"n": n}, title="x")
    response = client_of(world.viewer_a).post(EXPORT, {"unit": "XA", "format": "xlsx"})
    assert response.status_code == 429
    assert "Bạn đang có 5 công việc chưa xong; hãy chờ chúng xong hoặc hủy bớt." in text_of(response)
    assert 'id="export-form"' in response.content.decode()
    assert Job.objects.count() == services.MAX_OPEN_PER_USER


def test_a_unit_out_of_sight_when_the_worker_runs_fails_plainly(world):
    client = client_of(world.viewer_a)
    client.post(EXPORT, {"unit": "XA", "format": "xlsx"})
    world.viewer_a.scope_grants.all().delete()
    run_queued()
    job = Job.objects.get()
    assert (job.status, job.message) == (
        JobStatus.FAILED, "Không có đơn vị mã “XA” trong phạm vi của bạn."
    )
    assert not AccessEvent.objects.exists()


def test_the_export_job_is_its_owners_alone(world, admin_user):
    client_of(world.viewer_a).post(EXPORT, {"unit": "XA", "format": "xlsx"})
    run_queued()
    job = Job.objects.get()
    other = client_of(admin_user)
    for name in ("detail", "download"):
        assert other.get(reverse(f"jobs:{name}", args=[job.pk])).status_code == 404
