"""The job machinery's guards: cancelling a running job, a handler's defect, a refusal, an
unknown kind, a locked account, a silent worker, pruning old files, sight snapshots."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from canbo.core import scope
from canbo.jobs import services
from canbo.jobs.models import Job, JobStatus
from tests.factories import UserFactory, grant
from tests.workers import run_queued

pytestmark = pytest.mark.django_db

SEEN: dict[str, list] = {}


@services.register("test_count")
def count_to(job, progress):
    """Counts to params["to"], writing one line per step; params["cancel_at"] cancels the
    job from outside when reached, params["fail"] raises a defect, params["refuse"] refuses."""
    if job.params.get("refuse"):
        raise services.JobRefused("Không có gì để xuất.")
    path = services.work_path(job, ".txt")
    progress.every = 0  # every step written, to see each one
    progress.stage("Đếm", total=job.params["to"])
    with path.open("w") as out:
        for n in progress.counted(range(1, job.params["to"] + 1)):
            out.write(f"{n}\n")
            if n == job.params.get("cancel_at"):
                SEEN.setdefault(f"{job.pk} cancelled", []).append(services.cancel(job))
            if n == job.params.get("final_at"):
                progress.final_stage("Ghi")
            if n == job.params.get("fail"):
                raise RuntimeError("defect")
    SEEN.setdefault(str(job.pk), []).append(progress.done)
    return services.Output(path=path, name="dem.txt", content_type="text/plain", summary="xong")


def start(user, **params) -> Job:
    return services.start(user=user, kind="test_count", params=params, title="Đếm")


def test_a_job_runs_to_its_file_with_its_progress(world, job_dir):
    job = start(world.viewer_a, to=3)
    assert job.percent is None
    run_queued()
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent, job.message) == (
        JobStatus.DONE, 3, 3, 100, "xong")
    assert (job_dir / job.file_key).read_text() == "1\n2\n3\n"
    assert job.file_size == 6 and job.file_name == "dem.txt"
    assert [p.name for p in job_dir.iterdir()] == [job.file_key]


def test_cancelled_while_running_it_stops_at_the_next_step_and_leaves_no_file(world, job_dir):
    job = start(world.viewer_a, to=10, cancel_at=4)
    run_queued()
    job.refresh_from_db()
    assert (job.status, job.done, job.file_key) == (JobStatus.CANCELLED, 3, "")
    assert list(job_dir.iterdir()) == []


def test_past_its_final_stage_a_job_cannot_be_cancelled_and_ends_done(world, job_dir):
    job = start(world.viewer_a, to=4, final_at=2, cancel_at=3)
    run_queued()
    job.refresh_from_db()
    assert SEEN[f"{job.pk} cancelled"] == [False]
    assert (job.status, job.cancellable, job.done, job.message) == (
        JobStatus.DONE, False, 4, "xong")
    assert (job_dir / job.file_key).read_text() == "1\n2\n3\n4\n"


def test_cancelled_before_its_final_stage_a_job_stops_there(world, job_dir):
    job = start(world.viewer_a, to=4, cancel_at=1, final_at=1)
    run_queued()
    job.refresh_from_db()
    assert SEEN[f"{job.pk} cancelled"] == [True]
    assert (job.status, job.cancellable, job.file_key) == (JobStatus.CANCELLED, True, "")
    assert list(job_dir.iterdir()) == []


def test_a_defect_fails_plainly_and_leaves_no_file(world, job_dir, caplog):
    job = start(world.viewer_a, to=5, fail=2)
    run_queued()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == ("Có lỗi khi thực hiện công việc này; chi tiết đã được ghi lại cho "
                           "quản trị viên. Hãy thử lại sau.")  # fmt: skip
    assert "defect" not in job.message
    assert list(job_dir.iterdir()) == []
    assert f"Background job {job.pk} (test_count)" in caplog.text


def test_a_refusal_is_the_message_the_user_reads(world):
    job = start(world.viewer_a, to=1, refuse=True)
    run_queued()
    job.refresh_from_db()
    assert (job.status, job.message) == (JobStatus.FAILED, "Không có gì để xuất.")


def test_a_locked_account_gets_no_work_done(world):
    job = start(world.viewer_a, to=1)
    world.viewer_a.is_active = False
    world.viewer_a.save()
    run_queued()
    job.refresh_from_db()
    assert (job.status, job.message) == (
        JobStatus.FAILED, "Tài khoản đã bị khóa; công việc không được thực hiện.")


def test_an_unknown_kind_is_refused_when_asked_and_fails_when_run(world):
    with pytest.raises(ValueError):
        services.start(user=world.viewer_a, kind="nothing", params={}, title="?")
    job = start(world.viewer_a, to=1)
    Job.objects.filter(pk=job.pk).update(kind="gone")
    run_queued()
    job.refresh_from_db()
    assert (job.status, job.message) == (
        JobStatus.FAILED, "Hệ thống không còn loại công việc này; hãy yêu cầu lại.")


def test_a_job_runs_once(world):
    job = start(world.viewer_a, to=2)
    run_queued()
    assert services.run(str(job.pk)) == JobStatus.DONE  # already done: not run again
    assert SEEN[str(job.pk)] == [2]


def test_pruning_deletes_old_finished_jobs_and_closes_silent_ones(world, job_dir, settings):
    settings.CANBO_JOB_KEEP_HOURS = 48
    old, recent = start(world.viewer_a, to=1), start(world.viewer_a, to=2)
    run_queued()
    now = timezone.now()
    Job.objects.filter(pk=old.pk).update(finished_at=now - dt.timedelta(hours=49))
    Job.objects.filter(pk=recent.pk).update(finished_at=now - dt.timedelta(hours=47))
    silent = Job.objects.create(user=world.viewer_a, kind="test_count", title="Đếm",
                                status=JobStatus.RUNNING,
                                beat_at=now - dt.timedelta(minutes=31))  # fmt: skip
    old.refresh_from_db()
    old_file = job_dir / old.file_key
    assert old_file.exists()
    call_command("prune_jobs", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, silent.pk}
    assert not old_file.exists()
    silent.refresh_from_db()
    assert (silent.status, silent.message) == (
        JobStatus.FAILED,
        "Công việc bị dừng giữa chừng (máy chủ đã khởi động lại?); hãy yêu cầu lại.")


@pytest.mark.parametrize(
    ("kept", "now", "covers"),
    [
        ([("XA", True)], [("XA", True)], True),
        ([("XA", True)], [("TU", True)], True),      # a unit above, with its subtree
        ([("XA", True)], [("XA", False)], False),    # the unit alone: less
        ([("XA", False)], [("XA", True)], True),
        ([("XA", False)], [("XA", False)], True),
        ([("XA", False)], [("TU", False)], False),   # the unit above alone: not XA
        ([("XA", True), ("XB", True)], [("XA", True)], False),
        ([], [], True),
    ],
)  # fmt: skip
def test_sight_covers(world, kept, now, covers):
    user = UserFactory(username="nguoi_xem")
    units = {"TU": world.tu, "XA": world.xa, "XB": world.xb}
    for code, subtree in kept:
        grant(user, units[code], include_subtree=subtree)
    snapshot = scope.sight_snapshot(user)
    user.scope_grants.all().delete()
    for code, subtree in now:
        grant(user, units[code], include_subtree=subtree)
    user = type(user).objects.get(pk=user.pk)  # the grants read afresh
    assert scope.sight_covers(user, snapshot) is covers


def test_an_administrators_snapshot_is_covered_only_by_an_administrator(world, admin_user):
    snapshot = scope.sight_snapshot(admin_user)
    assert snapshot == ["*"]
    assert scope.sight_covers(admin_user, snapshot) is True
    assert scope.sight_covers(world.viewer_a, snapshot) is False
