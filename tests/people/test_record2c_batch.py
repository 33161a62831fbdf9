"""The 2C records of a filtered people list as one ZIP, in the background (issue 17 item 1):
the list page's form starts a job (refusing at once a filter the page would refuse, an empty
list, one over the cap); the real worker writes one record per person of the list as the
user sees it when it runs, logs one access entry naming them, and leaves nothing behind when
a PDF cannot be made."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canbo.core.models import AccessEvent, AccessKind, AuditSource
from canbo.jobs import services
from canbo.jobs.models import Job, JobStatus
from canbo.people import record2c, record2c_batch
from canbo.people.models import Person
from tests.factories import PersonFactory, UserFactory, grant
from tests.people.record2c_fixtures import (  # noqa: F401
    docx_lines,
    fixed_today_fixture,
    pdf_text,
    record_fixture,
)
from tests.workers import run_queued

pytestmark = pytest.mark.django_db

ZIP_URL = reverse("people:list-2c-zip")
NAME_LINE = "1) Họ và tên khai sinh (viết chữ in hoa): "
MISSING = ("Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF; hãy tải bản Word (DOCX) "
           "hoặc đề nghị quản trị viên cài gói libreoffice-writer-nogui.")  # fmt: skip
FAILED = ("LibreOffice không chuyển được sơ yếu lý lịch sang PDF; hãy thử lại hoặc tải bản Word "
          "(DOCX).")  # fmt: skip
EMPTY = "Danh sách không có cán bộ nào nên không có sơ yếu lý lịch để tải."


@pytest.fixture
def hung(record):
    """Two people of commune A with the same name (and the record's An and Cúc)."""
    record.hung = [PersonFactory(id_number=number, family_name="Lê", middle_name="Văn",
                                 given_name="Hùng", sex="M", unit=record.xa)
                   for number in ("001090000010", "001090000011")]  # fmt: skip
    return record


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask(user, query: str = "", fmt: str = "docx"):
    return client_of(user).post(f"{ZIP_URL}{query}", {"format": fmt})


def download(user, job: Job) -> zipfile.ZipFile:
    response = client_of(user).get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def done_job() -> Job:
    assert run_queued() == 1
    job = Job.objects.get()
    assert job.status == JobStatus.DONE, job.message
    return job


# --- The ZIP -------------------------------------------------------------------------------


def test_the_zip_holds_one_record_per_person_of_the_filtered_list(hung):
    response = ask(hung.viewer_a, "?sex=M")
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.status, job.user) == ("record2c_zip", JobStatus.QUEUED, hung.viewer_a)
    assert job.params == {"query": "sex=M", "format": "docx"}
    assert job.title == "Sơ yếu lý lịch 2C (Word): Danh sách cán bộ — Giới tính: Nam"

    job = done_job()
    assert (job.done, job.total, job.message) == (3, 3, "3 sơ yếu lý lịch")
    assert job.file_name == "so-yeu-ly-lich-2c-docx-2026-02-05.zip"
    archive = download(hung.viewer_a, job)
    # The list's order (An, then the two Hùng by id); same names, files of their own.
    assert archive.namelist() == ["so-yeu-ly-lich-2c-001080000001.docx",
                                  "so-yeu-ly-lich-2c-001090000010.docx",
                                  "so-yeu-ly-lich-2c-001090000011.docx"]  # fmt: skip
    for name, person in zip(archive.namelist(), [hung.an, *hung.hung], strict=True):
        lines = docx_lines(archive.read(name))
        assert NAME_LINE + person.full_name.upper() in lines
        assert f"25) Số định danh cá nhân: {person.id_number}" in lines
    # Each file is the one the profile gives.
    single = client_of(hung.viewer_a).get(reverse("people:record-2c", args=[hung.an.pk, "docx"]))
    assert docx_lines(archive.read(archive.namelist()[0])) == docx_lines(single.content)


def test_the_access_entry_lists_exactly_the_people_in_the_zip(hung):
    ask(hung.viewer_a, "?sex=M&search=")
    assert not AccessEvent.objects.exists()  # nothing read yet
    done_job()
    entry = AccessEvent.objects.get()
    assert (entry.kind, entry.actor, entry.source, entry.object_id, entry.rows, entry.query) == (
        AccessKind.DOCUMENT, hung.viewer_a, AuditSource.SYSTEM, "", 3, "list=people 2c=docx sex=M"
    )  # fmt: skip
    assert entry.content_type.model_class() is Person
    assert entry.person_ids == f" {hung.an.pk} {hung.hung[0].pk} {hung.hung[1].pk} "


def test_a_file_name_met_again_gets_a_number():
    """An ID number moved from one person listed to another while the job ran."""
    taken: set[str] = set()
    names = [record2c_batch.unique(name, taken) for name in ("a-1.docx", "a-1.docx", "b.docx",
                                                               "a-1.docx")]  # fmt: skip
    assert names == ["a-1.docx", "a-1-2.docx", "b.docx", "a-1-3.docx"]


def test_one_person_is_a_job_too(record):
    assert ask(record.viewer_a, "?search=Cúc").status_code == 302
    job = done_job()
    assert download(record.viewer_a, job).namelist() == ["so-yeu-ly-lich-2c-001085000002.docx"]


# --- Refused at once -----------------------------------------------------------------------


def test_a_filter_the_page_refuses_starts_nothing(record):
    response = ask(record.viewer_a, "?as_of=31/02/2026")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "Bộ lọc chưa hợp lệ, chưa xuất được danh sách:\nNgày: Ngày 31/02/2026 không tồn tại.\n"
    )
    assert not Job.objects.exists()


def test_an_unknown_format_or_a_get_starts_nothing(record):
    response = ask(record.viewer_a, fmt="odt")
    assert (response.status_code, response.content.decode()) == (
        400, "Định dạng không được hỗ trợ; chọn docx hoặc pdf."
    )
    assert client_of(record.viewer_a).post(ZIP_URL).status_code == 400  # no format at all
    assert client_of(record.viewer_a).get(ZIP_URL, {"format": "docx"}).status_code == 405
    assert not Job.objects.exists()


def test_an_empty_list_is_refused(record):
    response = ask(record.viewer_a, "?search=Không có ai")
    assert (response.status_code, response.content.decode()) == (400, EMPTY)
    assert not Job.objects.exists()


def test_a_list_over_the_cap_is_refused_with_its_count(record, settings):
    settings.CANBO_2C_BATCH_MAX = 1
    response = ask(record.viewer_a)
    assert (response.status_code, response.content.decode()) == (400, (
        "Danh sách có 2 cán bộ, nhiều hơn mức 1 sơ yếu lý lịch một lần tải; hãy lọc bớt "
        "(theo đơn vị, chức vụ …) rồi tải từng phần."
    ))  # fmt: skip
    assert not Job.objects.exists()
    assert ask(record.viewer_a, "?sex=F").status_code == 302  # one is within it


def test_the_count_is_written_as_vietnamese_write_numbers(settings):
    settings.CANBO_2C_BATCH_MAX = 2000
    assert record2c_batch.size_refusal(2000) == ""
    assert record2c_batch.size_refusal(12345).startswith(
        "Danh sách có 12.345 cán bộ, nhiều hơn mức 2.000 sơ yếu lý lịch")


def test_signed_out_is_sent_to_sign_in():
    response = Client().post(ZIP_URL, {"format": "docx"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Job.objects.exists()


# --- Read again when the worker runs -------------------------------------------------------


def test_the_worker_uses_the_sight_of_the_moment_it_runs(record):
    """Asked while the whole province was in sight; run after it narrowed to commune A."""
    grant(record.viewer_a, record.tu)
    record.viewer_a.scope_grants.filter(unit=record.xa).delete()
    ask(record.viewer_a)
    assert Job.objects.get().scope_snapshot == [[record.tu.path, True]]
    record.viewer_a.scope_grants.all().delete()
    grant(record.viewer_a, record.xa)
    job = done_job()
    with zipfile.ZipFile(services.file_path(job)) as archive:
        assert archive.namelist() == [  # not commune B's Bình
            "so-yeu-ly-lich-2c-001080000001.docx", "so-yeu-ly-lich-2c-001085000002.docx"]
    assert AccessEvent.objects.get().person_ids == f" {record.an.pk} {record.cuc.pk} "
    # Made for the narrower sight, it is still not handed to it (asked with the wider one).
    assert client_of(record.viewer_a).get(reverse("jobs:download", args=[job.pk])).status_code == 403


def test_a_list_empty_or_over_the_cap_when_the_worker_runs_fails_plainly(record, settings,
                                                                         job_dir):  # fmt: skip
    ask(record.viewer_a)
    settings.CANBO_2C_BATCH_MAX = 1
    run_queued()
    job = Job.objects.get()
    assert (job.status, job.message) == (JobStatus.FAILED, (
        "Danh sách có 2 cán bộ, nhiều hơn mức 1 sơ yếu lý lịch một lần tải; hãy lọc bớt "
        "(theo đơn vị, chức vụ …) rồi tải từng phần."
    ))  # fmt: skip
    settings.CANBO_2C_BATCH_MAX = 10
    ask(record.viewer_a, "?sex=F")
    record.viewer_a.scope_grants.all().delete()
    run_queued()
    assert Job.objects.get(params__query="sex=F").message == EMPTY
    assert not AccessEvent.objects.exists()
    assert list(job_dir.iterdir()) == []


def test_a_filter_refused_when_the_worker_runs_fails_with_its_problems(record):
    services.start(user=record.viewer_a, kind="record2c_zip",
                   params={"query": "as_of=31/02/2026", "format": "docx"}, title="2C")  # fmt: skip
    run_queued()
    job = Job.objects.get()
    assert (job.status, job.message) == (JobStatus.FAILED, (
        "Bộ lọc chưa hợp lệ, chưa xuất được danh sách:\nNgày: Ngày 31/02/2026 không tồn tại.\n"
    ))  # fmt: skip


def test_another_user_cannot_fetch_the_zip(record):
    ask(record.viewer_a)
    job = done_job()
    other = UserFactory(username="xem_a2")
    grant(other, record.xa)
    assert client_of(other).get(reverse("jobs:download", args=[job.pk])).status_code == 404


# --- Queries: a fixed number a person and a chunk -------------------------------------------


def zip_queries(user) -> int:
    """The handler's queries for the whole list, run directly (progress written once)."""
    job = Job.objects.create(user=user, kind="record2c_zip", status=JobStatus.RUNNING,
                             params={"query": "", "format": "docx"}, title="2C")  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        record2c_batch.record2c_zip(job, services.Progress(job, every=10**9))
    return len(queries)


@pytest.mark.parametrize("chunk", [100, 2])
def test_a_fixed_number_of_queries_a_person_and_a_chunk(world, monkeypatch, chunk):
    """Per chunk: the people, then their work history, evaluations, disciplines, rewards and
    trainings (6). Per person, what the record reads for itself: the names of the areas of
    birth and origin above the commune, and the unit's parent (3)."""
    monkeypatch.setattr(record2c_batch, "CHUNK", chunk)

    def person():
        return PersonFactory(unit=world.xa, hometown=world.commune_a, birthplace=world.commune_a)

    for _n in range(2):
        person()
    zip_queries(world.viewer_a)  # warms the content types' cache
    two = zip_queries(world.viewer_a)
    for _n in range(4):
        person()
    six = zip_queries(world.viewer_a)
    chunks = (1, 1) if chunk == 100 else (1, 3)
    assert six - two == 4 * 3 + (chunks[1] - chunks[0]) * 6


# --- PDF -----------------------------------------------------------------------------------


@pytest.mark.skipif(record2c.soffice_binary() is None, reason="LibreOffice is not installed")
def test_pdf_records_made_by_libreoffice(record):
    ask(record.viewer_a, "?sex=F", fmt="pdf")
    job = done_job()
    assert job.title == "Sơ yếu lý lịch 2C (PDF): Danh sách cán bộ — Giới tính: Nữ"
    assert job.file_name == "so-yeu-ly-lich-2c-pdf-2026-02-05.zip"
    archive = download(record.viewer_a, job)
    assert archive.namelist() == ["so-yeu-ly-lich-2c-001085000002.pdf"]
    assert "TRẦN THỊ CÚC" in pdf_text(archive.read("so-yeu-ly-lich-2c-001085000002.pdf"))
    assert AccessEvent.objects.get().query == "list=people 2c=pdf sex=F"


def test_no_libreoffice_refuses_a_pdf_at_once_and_fails_a_queued_one(record, monkeypatch):
    monkeypatch.setattr(record2c, "soffice_binary", lambda: None)
    response = ask(record.viewer_a, fmt="pdf")
    assert (response.status_code, response.content.decode()) == (503, MISSING)
    assert not Job.objects.exists()
    assert ask(record.viewer_a, fmt="docx").status_code == 302  # Word needs no LibreOffice
    monkeypatch.undo()
    ask(record.viewer_a, fmt="pdf")
    monkeypatch.setattr(record2c, "soffice_binary", lambda: None)  # removed meanwhile
    run_queued()
    assert Job.objects.get(params__format="pdf").message == MISSING


def test_a_pdf_that_fails_for_one_person_fails_the_job_and_leaves_no_zip(record, monkeypatch,
                                                                         job_dir):  # fmt: skip
    made = []

    def convert(data: bytes, **kwargs) -> bytes:
        if made:
            raise record2c.ConversionError(FAILED)
        made.append(data)
        return b"%PDF-1.7 first"

    monkeypatch.setattr(record2c, "soffice_binary", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(record2c, "docx_to_pdf", convert)
    ask(record.viewer_a, fmt="pdf")
    run_queued()
    job = Job.objects.get()
    assert (job.status, job.file_key, job.message) == (
        JobStatus.FAILED, "", f"Không tạo được bản PDF của Trần Thị Cúc (001085000002): {FAILED}"
    )  # fmt: skip
    assert len(made) == 1  # An's was made; Cúc's failed
    assert list(job_dir.iterdir()) == []
    assert not AccessEvent.objects.exists()


# --- The list page --------------------------------------------------------------------------


def test_the_list_page_has_the_menu_keeping_its_query(record):
    page = client_of(record.viewer_a).get(reverse("people:list"),
                                          {"sex": "F", "unit": "XA"}).content.decode()  # fmt: skip
    form = page.split('id="export-2c-form"')[1].split("</form>")[0]
    assert f'data-export-base="{ZIP_URL}"' in form
    assert f'action="{ZIP_URL}?sex=F&amp;unit=XA"' in form
    assert 'name="format" value="docx"' in form and 'name="format" value="pdf"' in form
    assert 'method="post"' in page.split('id="export-2c-form"')[0].rsplit("<form", 1)[1]
    assert "Hồ sơ 2C (ZIP)" in page
