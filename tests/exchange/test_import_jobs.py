"""The dry run and the import of an upload as background jobs the review page follows:
progress, the htmx fragment, stopping, a second click, a race for the upload, whose they are."""

from __future__ import annotations

import pytest
from django.test import Client

from canbo.core.models import AuditEvent
from canbo.exchange import jobs as package_jobs
from canbo.exchange import uploads
from canbo.jobs import services
from canbo.jobs.models import Job, JobStatus
from canbo.people.models import Person
from tests.workers import run_queued

from .test_package_jobs import flushes as flushes  # noqa: F401  (fixture)
from .test_views import (
    by_id,
    confirmed,
    people_package,
    review_url,
    reviewed,
    stored_files,
    text_of,
    token_of,
    upload,
)
from .test_views import editor as editor  # noqa: F401  (fixtures)
from .test_views import import_dir as import_dir  # noqa: F401

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def files(settings, user, token) -> list[str]:
    prefix = f"{user.pk}-{token}"
    return [name.removeprefix(prefix) for name in stored_files(settings)]


def test_the_dry_run_is_a_job_the_page_follows(editor, world, flushes):
    token = token_of(upload(editor, people_package(), name="goi-xa.xlsx"))
    page = editor.get(review_url(token))
    job = Job.objects.get()
    assert (job.kind, job.params, job.title, job.status, job.user) == (
        "package_check", {"token": token}, "Chạy thử gói dữ liệu goi-xa.xlsx", JobStatus.QUEUED,
        world.editor_a,
    )  # fmt: skip
    assert by_id(page, "import-status") == (
        "Đang chạy thử gói dữ liệu; chưa ghi gì. Việc chạy thử làm trong nền: trang tự hiện kết "
        "quả khi xong; có thể rời trang và quay lại sau."
    )
    content = page.content.decode()
    assert f'hx-get="{review_url(token)}"' in content and 'id="stop-job"' in content
    assert 'id="confirm-import"' not in content
    assert by_id(page, "job-status") == "Đang chờ"
    # The page again, or its fragment: the same job, nothing started twice.
    fragment = editor.get(review_url(token), headers=HX)
    assert fragment.status_code == 200
    assert fragment.content.decode().lstrip().startswith('<div id="import-progress"')
    assert Job.objects.count() == 1

    assert run_queued() == 1
    job.refresh_from_db()
    assert (job.status, job.message, job.file_key) == (
        JobStatus.DONE, "Gói hợp lệ: 1 tạo mới, 0 cập nhật (chưa ghi).", ""
    )
    # Read, then the cells of each sheet, then each app's part checked: one sheet here.
    assert flushes == [
        ("Kiểm tra tệp bảng tính", 0, None),
        ("Đọc tệp", 0, 1), ("Đọc tệp: Cán bộ", 0, 1), ("Đọc tệp: Cán bộ – 1 dòng", 1, 1),
        ("Đọc các ô", 0, 1), ("Đọc các ô: Cán bộ", 0, 1), ("Đọc các ô: Cán bộ – 1 dòng", 1, 1),
        ("Kiểm tra dữ liệu", 0, 1), ("Kiểm tra dữ liệu: Cán bộ", 0, 1),
        ("Kiểm tra dữ liệu: Cán bộ – 1 dòng", 1, 1),
    ]  # fmt: skip
    # Once the job has ended the fragment asks htmx for the whole page, which shows the report.
    done = editor.get(review_url(token), headers=HX)
    assert (done.status_code, done["HX-Refresh"], done.content) == (204, "true", b"")
    page = editor.get(review_url(token))
    assert by_id(page, "import-status").startswith("Gói hợp lệ. Chạy thử: chưa ghi gì.")
    assert 'id="import-progress"' not in page.content.decode()
    assert Person.objects.count() == 0


def test_the_import_is_a_job_and_a_second_click_is_the_same_job(editor, world, settings, flushes):
    token = token_of(upload(editor, people_package()))
    reviewed(editor, token)
    flushes.clear()
    first = editor.post(review_url(token))
    second = editor.post(review_url(token))
    assert first["Location"] == second["Location"] == review_url(token)
    job = Job.objects.get(kind="package_import")
    assert (job.params, job.title) == ({"token": token}, "Nhập gói dữ liệu goi.xlsx")
    page = editor.get(review_url(token))
    assert by_id(page, "import-status") == (
        "Tệp này đang được nhập. Việc nhập làm trong nền: trang tự hiện kết quả khi xong. "
        "Nhập dữ liệu là tất cả hoặc không có gì."
    )
    content = page.content.decode()
    assert 'id="stop-job"' in content  # it waits: stopping it costs nothing
    assert 'id="confirm-import"' not in content and 'id="cancel-import"' not in content
    # Discarding the file or checking it again waits for the import.
    for data in ({"cancel": "1"}, {"check": "1"}):
        assert editor.post(review_url(token), data).status_code == 409
    assert run_queued() == 1
    job.refresh_from_db()
    assert (job.status, job.message) == (JobStatus.DONE, "Đã nhập: 1 tạo mới, 0 cập nhật.")
    assert flushes[-1] == ("Ghi vào cơ sở dữ liệu", 0, None)
    assert Person.objects.count() == 1 and AuditEvent.objects.count() == 1
    assert editor.post(review_url(token)).status_code == 404  # spent
    assert Job.objects.filter(kind="package_import").count() == 1


def test_an_import_started_while_another_holds_the_upload_writes_nothing(editor, world,
                                                                         settings):  # fmt: skip
    token = token_of(upload(editor, people_package()))
    reviewed(editor, token)
    editor.post(review_url(token))
    pending = uploads.upload_get(user=world.editor_a, token=token)
    held = uploads.upload_claim(pending)  # another import took it first
    run_queued()
    job = Job.objects.get(kind="package_import")
    assert (job.status, job.message) == (JobStatus.FAILED, "Tệp này đang được nhập.")
    assert Person.objects.count() == 0
    page = editor.get(review_url(token))
    assert by_id(page, "import-status").startswith("Tệp này đang được nhập.")
    uploads.upload_release(pending, held)
    assert files(settings, world.editor_a, token) == [".json", ".report", ".upload"]


def test_stopping_the_dry_run_then_checking_again(editor, world):
    token = token_of(upload(editor, people_package()))
    editor.get(review_url(token))
    stopped = editor.post(review_url(token), {"stop": "1"}, follow=True)
    assert stopped.redirect_chain == [(review_url(token), 302)]
    assert "Đã dừng; không có gì được ghi." in text_of(stopped)
    assert by_id(stopped, "import-status") == (
        "Đã dừng chạy thử; chưa có gì được ghi. Bấm “Chạy thử lại” để kiểm tra tệp."
    )
    content = stopped.content.decode()
    assert 'id="check-again"' in content and 'id="confirm-import"' not in content
    run_queued()
    assert Job.objects.get().status == JobStatus.CANCELLED
    # Reloading does not start it again; the button does.
    assert by_id(editor.get(review_url(token)), "import-status").startswith("Đã dừng chạy thử")
    assert Job.objects.count() == 1
    editor.post(review_url(token), {"check": "1"})
    assert Job.objects.filter(status=JobStatus.QUEUED).count() == 1
    run_queued()
    assert by_id(editor.get(review_url(token)), "import-status").startswith("Gói hợp lệ.")


def test_stopping_an_import_that_waits_writes_nothing(editor, world, settings):
    token = token_of(upload(editor, people_package()))
    reviewed(editor, token)
    editor.post(review_url(token))
    editor.post(review_url(token), {"stop": "1"})
    run_queued()
    assert Job.objects.get(kind="package_import").status == JobStatus.CANCELLED
    assert Person.objects.count() == 0
    page = editor.get(review_url(token))
    assert by_id(page, "import-status").startswith("Gói hợp lệ. Chạy thử: chưa ghi gì.")
    assert 'id="confirm-import"' in page.content.decode()
    assert files(settings, world.editor_a, token) == [".json", ".report", ".upload"]


def test_an_import_cancelled_at_its_last_step_before_writing_writes_nothing(editor, world,
                                                                            settings, monkeypatch):  # fmt: skip
    token = token_of(upload(editor, people_package()))
    reviewed(editor, token)
    real = package_jobs.JobSteps.final_stage

    def final_stage(self, text):
        assert text == "Ghi vào cơ sở dữ liệu"
        assert services.cancel(self.progress.job)  # the user cancels it now (the jobs page)
        return real(self, text)

    monkeypatch.setattr(package_jobs.JobSteps, "final_stage", final_stage)
    confirmed(editor, token)
    assert Job.objects.get(kind="package_import").status == JobStatus.CANCELLED
    assert (Person.objects.count(), AuditEvent.objects.count()) == (0, 0)
    # The upload is given back, its dry run still good.
    assert files(settings, world.editor_a, token) == [".json", ".report", ".upload"]
    assert 'id="confirm-import"' in editor.get(review_url(token)).content.decode()


def test_once_writing_an_import_cannot_be_cancelled_and_ends_done(editor, world, settings,
                                                                 monkeypatch):  # fmt: skip
    token = token_of(upload(editor, people_package()))
    reviewed(editor, token)
    real = package_jobs.JobSteps.final_stage
    seen = {}

    def final_stage(self, text):
        real(self, text)
        job = self.progress.job
        # The user presses "Hủy" on the jobs page while the package is being written.
        page = Client()
        page.force_login(world.editor_a)
        answer = page.post(f"/jobs/{job.pk}/cancel/", follow=True)
        seen["message"] = [str(m) for m in answer.context["messages"]]
        seen["page"] = page.get(f"/jobs/{job.pk}/", headers=HX).content.decode()
        seen["cancel"] = services.cancel(job)

    monkeypatch.setattr(package_jobs.JobSteps, "final_stage", final_stage)
    confirmed(editor, token)
    assert seen["cancel"] is False
    assert seen["message"] == [
        "Công việc đang ghi dữ liệu nên không dừng được nữa; hãy chờ đến khi xong."]
    assert 'id="job-cancel"' not in seen["page"]
    assert "Đang ghi dữ liệu: bước này không dừng được, hãy chờ đến khi xong." in seen["page"]
    job = Job.objects.get(kind="package_import")
    assert (job.status, job.cancellable, job.message) == (
        JobStatus.DONE, False, "Đã nhập: 1 tạo mới, 0 cập nhật.")
    assert Person.objects.count() == 1


def test_the_pages_and_jobs_of_an_upload_are_its_senders_alone(client, world, admin_user):
    client.force_login(world.editor_a)
    token = token_of(upload(client, people_package()))
    client.get(review_url(token))
    job = Job.objects.get()
    client.force_login(admin_user)
    assert client.get(review_url(token)).status_code == 404
    for data in ({}, {"stop": "1"}, {"check": "1"}, {"cancel": "1"}):
        assert client.post(review_url(token), data).status_code == 404
    # The fragment of a page that is not yours: the whole page is asked for (and is a 404).
    assert client.get(review_url(token), headers=HX)["HX-Refresh"] == "true"
    assert Job.objects.get() == job and job.status == JobStatus.QUEUED
    client.force_login(world.viewer_a)
    for data in ({}, {"stop": "1"}, {"check": "1"}):
        assert client.post(review_url(token), data).status_code == 403
    client.force_login(world.editor_a)
    run_queued()
    confirmed(client, token)
    assert Person.objects.count() == 1
    # The result stays for its sender alone.
    assert by_id(client.get(review_url(token)), "import-status").startswith("Đã nhập xong.")
    client.force_login(admin_user)
    assert client.get(review_url(token)).status_code == 404


def test_a_refused_start_is_told_on_the_page_and_can_be_tried_again(editor, world):
    token = token_of(upload(editor, people_package()))
    for n in range(services.MAX_OPEN_PER_USER):
        services.start(user=world.editor_a, kind="package_export", params={"n": n}, title="x")
    page = editor.get(review_url(token))
    assert by_id(page, "import-status") == (
        "Chưa chạy thử được tệp này. Bạn đang có 5 công việc chưa xong; hãy chờ chúng xong "
        "hoặc hủy bớt."
    )
    assert 'id="check-again"' in page.content.decode()
    Job.objects.update(status=JobStatus.CANCELLED)
    editor.post(review_url(token), {"check": "1"})
    run_queued()
    assert by_id(editor.get(review_url(token)), "import-status").startswith("Gói hợp lệ.")


def test_upload_jobs_are_listed_without_a_file(editor, world):
    token = token_of(upload(editor, people_package()))
    reviewed(editor, token)
    listed = Client()
    listed.force_login(world.editor_a)
    page = listed.get("/jobs/").content.decode()
    assert "Chạy thử gói dữ liệu goi.xlsx" in page
    assert "/file/" not in page
    # Its result is the review page: the list and the job's page lead there.
    assert f'href="{review_url(token)}"' in page
    job = Job.objects.get()
    detail = listed.get(f"/jobs/{job.pk}/").content.decode()
    assert f'id="job-page" href="{review_url(token)}"' in detail
