"""Lists to Excel in the background (issue 17 item 3): a long list becomes a job run by the
real worker, its file waits for its owner alone, and the owner's sight is checked again when
the file is fetched."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from canbo.core.models import AccessEvent, AccessKind
from canbo.jobs import services
from canbo.jobs.models import Job, JobStatus
from canbo.people.models import Person
from tests.factories import PersonFactory, UserFactory, grant
from tests.workers import run_queued

pytestmark = pytest.mark.django_db

EXPORT = reverse("people:list-xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def short_lists(settings):
    """Lists of more than two rows are long: exported in the background."""
    settings.CANBO_LIST_INLINE_ROWS = 2


@pytest.fixture
def people(world):
    made = [PersonFactory(family_name="Nguyễn", middle_name="Văn", given_name=name,
                          unit=world.xa) for name in ("An", "Bình", "Cường")]  # fmt: skip
    made.append(PersonFactory(family_name="Trần", given_name="Dũng", unit=world.xb))
    return made


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sheet_rows(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Danh sách"]
    return [row for row in sheet.iter_rows(values_only=True)]


def test_a_long_list_is_exported_by_the_worker_and_downloaded_by_its_owner(world, people):
    client = client_of(world.viewer_a)
    response = client.post(f"{EXPORT}?search=Nguyễn")
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.status, job.user) == ("list_xlsx", JobStatus.QUEUED, world.viewer_a)
    assert job.params == {"list": "people", "query": "search=Nguy%E1%BB%85n", "kwargs": {}}
    assert job.scope_snapshot == [[world.xa.path, True]]
    assert job.title == "Xuất Excel: Danh sách cán bộ — Tìm kiếm: “Nguyễn”"
    page = client.get(reverse("jobs:detail", args=[job.pk]))
    assert "Đang chờ" in page.content.decode()

    assert run_queued() == 1
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.message) == (JobStatus.DONE, 3, 3, "3 dòng")
    assert job.file_name.startswith("danh-sach-can-bo-") and job.file_name.endswith(".xlsx")
    fragment = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert 'id="job-download"' in text and "hx-trigger" not in text  # no more polling

    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX
    assert download["Cache-Control"].startswith("no-store")
    rows = sheet_rows(b"".join(download.streaming_content))
    assert [r[1] for r in rows[3:]] == ["Nguyễn Văn An", "Nguyễn Văn Bình", "Nguyễn Văn Cường"]
    assert rows[1][0].endswith("· 3 dòng")

    # Asked again once finished: new work (the records may have changed meanwhile).
    again = client.post(f"{EXPORT}?search=Nguyễn")
    assert again["Location"] != response["Location"]
    assert Job.objects.count() == 2


def test_the_file_written_in_the_background_equals_the_one_written_at_once(world, people,
                                                                           settings):  # fmt: skip
    client = client_of(world.viewer_a)
    client.post(f"{EXPORT}?sex=M")
    run_queued()
    job = Job.objects.get()
    late = sheet_rows(b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content))
    settings.CANBO_LIST_INLINE_ROWS = 100
    now = client.post(f"{EXPORT}?sex=M")
    assert now["Content-Type"] == XLSX
    assert sheet_rows(b"".join(now.streaming_content)) == late


def test_the_export_is_logged_once_by_the_worker_with_the_rows_written(world, people):
    client_of(world.viewer_a).post(EXPORT)
    assert not AccessEvent.objects.filter(kind=AccessKind.LIST_EXPORT).exists()
    run_queued()
    event = AccessEvent.objects.get(kind=AccessKind.LIST_EXPORT)
    assert (event.actor, event.rows, event.query) == (world.viewer_a, 3, "list=people")


def test_a_short_list_downloads_at_once_without_a_job(world, people):
    response = client_of(world.viewer_a).post(f"{EXPORT}?search=Cường")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert not Job.objects.exists()


def test_a_get_of_a_long_list_asks_before_starting_anything(world, people):
    response = client_of(world.viewer_a).get(EXPORT)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Danh sách có 3 dòng" in text and 'id="start-export"' in text
    assert not Job.objects.exists()


def test_a_second_click_is_the_same_job(world, people):
    client = client_of(world.viewer_a)
    first = client.post(EXPORT)
    second = client.post(EXPORT)
    assert first["Location"] == second["Location"]
    assert Job.objects.count() == 1


def test_a_refused_filter_starts_nothing(world, people):
    response = client_of(world.viewer_a).post(f"{EXPORT}?as_of=31/02/2026")
    assert response.status_code == 400
    assert response.content.decode() == (
        "Bộ lọc chưa hợp lệ, chưa xuất được danh sách:\nNgày: Ngày 31/02/2026 không tồn tại.\n"
    )
    assert not Job.objects.exists()


def test_too_many_open_jobs_are_refused(world, people):
    client = client_of(world.viewer_a)
    for n in range(services.MAX_OPEN_PER_USER):
        assert client.post(f"{EXPORT}?search=Nguy&page={n}").status_code == 302
    refused = client.post(f"{EXPORT}?search=Nguy&page=99")
    assert refused.status_code == 429
    assert refused.content.decode() == (
        "Bạn đang có 5 công việc chưa xong; hãy chờ chúng xong hoặc hủy bớt."
    )


@pytest.mark.parametrize("who", ["other_viewer", "admin", "anonymous"])
def test_a_job_is_its_owners_alone(world, people, who, admin_user):
    client_of(world.viewer_a).post(EXPORT)
    run_queued()
    job = Job.objects.get()
    if who == "anonymous":
        client = Client()
    else:
        other = admin_user if who == "admin" else UserFactory(username="xem_a2")
        if who == "other_viewer":
            grant(other, world.xa)
        client = client_of(other)
    for name in ("detail", "download"):
        response = client.get(reverse(f"jobs:{name}", args=[job.pk]))
        assert response.status_code == (302 if who == "anonymous" else 404), name
    assert client.post(reverse("jobs:cancel", args=[job.pk])).status_code == (
        302 if who == "anonymous" else 404
    )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    listed = client.get(reverse("jobs:list"))
    if who != "anonymous":
        assert str(job.pk) not in listed.content.decode()


def test_a_narrowed_sight_cannot_fetch_an_older_file(world, people):
    client = client_of(world.viewer_a)
    client.post(EXPORT)
    run_queued()
    job = Job.objects.get()
    world.viewer_a.scope_grants.all().delete()
    grant(world.viewer_a, world.xa, include_subtree=False)  # the unit alone now
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 403
    assert "Phạm vi được xem của bạn đã thay đổi" in response.content.decode()


def test_a_widened_sight_still_fetches(world, people):
    client = client_of(world.viewer_a)
    client.post(EXPORT)
    run_queued()
    job = Job.objects.get()
    grant(world.viewer_a, world.tu)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 200


def test_the_worker_uses_the_sight_of_the_moment_it_runs(world, people):
    """Asked with the commune's sight, run after it was taken away: nothing is listed."""
    client_of(world.viewer_a).post(f"{EXPORT}?search=Nguy")
    world.viewer_a.scope_grants.all().delete()
    run_queued()
    job = Job.objects.get()
    assert (job.status, job.done, job.message) == (JobStatus.DONE, 0, "0 dòng")


def test_a_unit_out_of_sight_when_the_worker_runs_fails_plainly(world, people, settings):
    settings.CANBO_LIST_INLINE_ROWS = -1  # even an empty list goes to the background
    client = client_of(world.viewer_a)
    response = client.post(reverse("organizations:unit-positions-xlsx", args=[world.xa.pk]))
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.params == {"list": "unit-positions", "query": "", "kwargs": {"pk": world.xa.pk}}
    world.viewer_a.scope_grants.all().delete()
    run_queued()
    job.refresh_from_db()
    assert (job.status, job.message) == (
        JobStatus.FAILED, "Không tìm thấy hoặc bạn không còn được xem."
    )
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_cancelled_before_it_runs_the_job_makes_nothing(world, people, job_dir):
    client = client_of(world.viewer_a)
    client.post(EXPORT)
    job = Job.objects.get()
    assert client.post(reverse("jobs:cancel", args=[job.pk])).status_code == 302
    run_queued()
    job.refresh_from_db()
    assert (job.status, job.file_key) == (JobStatus.CANCELLED, "")
    assert not job_dir.exists() or list(job_dir.iterdir()) == []


def test_the_access_log_export_needs_an_administrator_when_it_runs(world, admin_user):
    PersonFactory(unit=world.xa)
    client = client_of(admin_user)
    client.get(reverse("people:list"))  # an access entry to list
    client.get(reverse("people:list"))
    client.get(reverse("people:list"))
    response = client.post(reverse("core:access-log-xlsx"))
    job = Job.objects.get()
    assert response.status_code == 302
    admin_user.role = "viewer"
    admin_user.save()
    run_queued()
    job.refresh_from_db()
    assert (job.status, job.message) == (
        JobStatus.FAILED, "Chỉ quản trị viên được xem trang này."
    )
    assert Person.objects.count() == 1
