"""Pending uploads: the dry run kept with the upload, stale claims released, discarding."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time

import pytest

from canbo.exchange import jobs, uploads
from canbo.people.models import Ethnicity, Person
from tests.workers import run_queued

from .test_views import (
    by_id,
    confirmed,
    people_package,
    person_row,
    problem_rows,
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

STALE_MESSAGE = (
    "Lần nhập trước của tệp này đã dừng giữa chừng. Nhập dữ liệu là tất cả hoặc không có gì, "
    "nên tệp đã được kiểm tra lại từ đầu: xem kết quả bên dưới rồi xác nhận nhập hoặc hủy tệp."
)


@pytest.fixture
def runs(monkeypatch):
    """How many times the importer really ran (the real one, counted)."""
    count = {"n": 0}
    real = jobs.import_package

    def counted(**kwargs):
        count["n"] += 1
        return real(**kwargs)

    monkeypatch.setattr(jobs, "import_package", counted)
    return count


def files(settings, world, token) -> list[str]:
    prefix = f"{world.editor_a.pk}-{token}"
    return [name.removeprefix(prefix) for name in stored_files(settings)]


def test_reloading_the_review_page_does_not_run_the_importer_again(
    editor, world, settings, runs, django_assert_max_num_queries
):
    token = token_of(upload(editor, people_package()))
    first = reviewed(editor, token)
    assert runs["n"] == 1
    assert files(settings, world, token) == [".json", ".report", ".upload"]
    # the session, the user, the navigation's to-do count and the upload's latest job;
    # nothing of the import
    with django_assert_max_num_queries(5):
        again = editor.get(review_url(token))
    assert runs["n"] == 1
    for element in ("import-summary", "import-counts", "import-status", "checked-at"):
        assert by_id(again, element) == by_id(first, element)
    assert by_id(again, "checked-at").startswith("Chạy thử lúc ")
    # The report belongs to this very file: a changed file is checked again.
    path = settings.CANBO_IMPORT_DIR / f"{world.editor_a.pk}-{token}.upload"
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert by_id(reviewed(editor, token), "import-status").startswith("Gói hợp lệ.")
    assert runs["n"] == 2


def test_an_apply_that_finds_new_problems_forgets_the_kept_dry_run(editor, world, settings, runs):
    token = token_of(upload(editor, people_package()))
    assert by_id(reviewed(editor, token), "import-status").startswith("Gói hợp lệ.")
    Ethnicity.objects.filter(name="Kinh").update(name="Kinh (đổi tên)")
    failed = confirmed(editor, token)
    assert by_id(failed, "import-status").startswith("Không nhập được: không có gì được ghi.")
    assert [row[3] for row in problem_rows(failed)] == ["Dân tộc"]
    assert files(settings, world, token) == [".json", ".result", ".upload"]
    # The refusal stays on the page until the file is checked again.
    assert by_id(editor.get(review_url(token)), "import-status") == by_id(failed, "import-status")
    assert 'id="confirm-import"' not in failed.content.decode()
    editor.post(review_url(token), {"check": "1"})
    assert files(settings, world, token) == [".json", ".upload"]
    run_queued()
    again = editor.get(review_url(token))
    assert runs["n"] == 3
    assert [row[3] for row in problem_rows(again)] == ["Dân tộc"]
    assert Person.objects.count() == 0


def exited_pid() -> int:
    """The id of a process that has ended (as a killed apply leaves its claim)."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    return int(child.stdout)


def leave_claim(settings, world, token, *, pid=None, started=None, info=True):
    """The files as a request killed while applying leaves them."""
    base = settings.CANBO_IMPORT_DIR / f"{world.editor_a.pk}-{token}"
    os.rename(base.with_suffix(".upload"), base.with_suffix(".applying"))
    if info:
        base.with_suffix(".claim").write_text(json.dumps({
            "pid": pid, "host": socket.gethostname(), "started": started or time.time()
        }))  # fmt: skip


@pytest.mark.parametrize("how", ["process gone", "too old", "never recorded"])
def test_a_stale_claim_is_released_and_the_upload_can_be_applied(
    editor, world, settings, runs, monkeypatch, how
):
    token = token_of(upload(editor, people_package()))
    reviewed(editor, token)
    if how == "process gone":
        leave_claim(settings, world, token, pid=exited_pid())
    elif how == "too old":
        settings.CANBO_IMPORT_CLAIM_TIMEOUT = 60
        leave_claim(settings, world, token, pid=os.getpid(), started=time.time() - 61)
    else:
        monkeypatch.setattr(uploads, "CLAIM_GRACE", dt.timedelta(0))
        leave_claim(settings, world, token, info=False)
    page = editor.get(review_url(token))
    assert page.status_code == 200
    assert STALE_MESSAGE in text_of(page)
    assert by_id(page, "import-status").startswith("Đang chạy thử gói dữ liệu; chưa ghi gì.")
    run_queued()
    page = editor.get(review_url(token))
    assert by_id(page, "import-status").startswith("Gói hợp lệ. Chạy thử: chưa ghi gì.")
    assert runs["n"] == 2  # checked afresh: the database may have changed
    assert files(settings, world, token) == [".json", ".report", ".upload"]
    result = confirmed(editor, token)
    assert by_id(result, "import-status") == "Đã nhập xong. 1 tạo mới, 0 cập nhật, 0 không đổi."
    assert files(settings, world, token) == [".result"]


def test_a_stale_claim_can_be_discarded(editor, world, settings):
    token = token_of(upload(editor, people_package()))
    leave_claim(settings, world, token, pid=exited_pid())
    response = editor.post(review_url(token), {"cancel": "1"}, follow=True)
    assert "Đã hủy nhập tệp goi.xlsx; không có gì được ghi." in text_of(response)
    assert stored_files(settings) == []


def test_a_live_claim_is_shown_as_applying_never_404(editor, world, settings, runs):
    token = token_of(upload(editor, people_package()))
    started = time.time()
    leave_claim(settings, world, token, pid=os.getpid(), started=started)
    page = editor.get(review_url(token))
    assert page.status_code == 200
    assert by_id(page, "import-status").startswith("Tệp này đang được nhập.")
    assert 'id="confirm-import"' not in page.content.decode()
    assert 'id="cancel-import"' not in page.content.decode()
    for data in ({}, {"cancel": "1"}):
        response = editor.post(review_url(token), data)
        assert response.status_code == 409
        assert by_id(response, "import-status").startswith("Tệp này đang được nhập.")
    assert files(settings, world, token) == [".applying", ".claim", ".json"]
    assert runs["n"] == 0 and Person.objects.count() == 0


def test_a_package_with_errors_can_be_discarded(editor, world, settings):
    token = token_of(upload(editor, people_package(person_row(born="31/02/1980"))))
    page = reviewed(editor, token)
    assert 'id="confirm-import"' not in page.content.decode()
    assert 'id="cancel-import"' in page.content.decode()
    assert files(settings, world, token) == [".json", ".report", ".upload"]
    editor.post(review_url(token), {"cancel": "1"})
    assert stored_files(settings) == []
    assert editor.get(review_url(token)).status_code == 404


def test_claims_record_who_applies(editor, world, settings):
    token = token_of(upload(editor, people_package()))
    pending = uploads.upload_get(user=world.editor_a, token=token)
    claimed = uploads.upload_claim(pending)
    info = json.loads(pending.sibling(".claim").read_text())
    assert (info["pid"], info["host"]) == (os.getpid(), socket.gethostname())
    assert abs(info["started"] - time.time()) < 60
    assert uploads.upload_get(user=world.editor_a, token=token).claim == uploads.LIVE
    assert uploads.upload_claim(pending) is None  # a second click
    assert not uploads.upload_release_stale(pending)  # live: kept
    uploads.upload_release(pending, claimed)
    assert files(settings, world, token) == [".json", ".upload"]
    assert uploads.upload_get(user=world.editor_a, token=token).claim is None
