"""Pages answered from a real PostgreSQL streaming replica of the test database (ADR 0021).

The test makes a streaming replica of the running cluster (pg_basebackup, after the test
database exists), starts it on a free port with the cluster's own server binaries, and
serves the people search, the people API and a background list export through the
router. With the replica's replay paused, a row written on the primary is missing from
what the replica answers, except for the user who wrote it (read your own writes);
resumed, the replica catches up. It needs PostgreSQL on this machine, root (or the
`postgres` account) to run the server, and pg_hba.conf letting replication connections
in from 127.0.0.1 (.ci/run does); CANBO_REPLICA_TEST=required (as in CI) fails the test
instead of skipping it when any of these is missing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from canbo.jobs.models import Job, JobStatus
from canbo.people import services
from canbo.people.models import Ethnicity
from tests.ui.test_people_forms import CREATE, person_data
from tests.workers import run_queued

from .replicas import install, replica_alias

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a streaming replica is PostgreSQL's; these tests run on SQLite",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LOCAL = {"", "127.0.0.1", "localhost"}
WAIT_SECONDS = 30


def unavailable(reason: str):
    if os.environ.get("CANBO_REPLICA_TEST") == "required":
        pytest.fail(f"The replica test cannot run: {reason}")
    pytest.skip(reason)


def sql(alias: str, query: str, *params):
    with connections[alias].cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class StreamingReplica:
    """A standby of the cluster the tests run on, in a directory of its own."""

    def __init__(self, primary: dict):
        self.primary = primary
        major = int(sql("default", "SHOW server_version_num")) // 10000
        self.bin = Path(f"/usr/lib/postgresql/{major}/bin")
        self.port = free_port()
        if primary["HOST"] not in LOCAL:
            unavailable(f"the test database is on another machine ({primary['HOST']})")
        if not (self.bin / "postgres").exists():
            unavailable(f"no PostgreSQL {major} server binaries in {self.bin}")
        if os.geteuid() == 0:
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        elif pwd.getpwuid(os.geteuid()).pw_name == "postgres":
            self.as_owner = []
        else:
            unavailable("PostgreSQL runs only as its own account: run the tests as root")
        if not sql("default", "SELECT count(*) FROM pg_hba_file_rules "
                   "WHERE 'replication' = ANY(database) AND error IS NULL"):  # fmt: skip
            unavailable(
                "pg_hba.conf lets in no replication connection: add "
                "'host replication all 127.0.0.1/32 trust' and reload (.ci/run does)"
            )

    def run(self, *command: str) -> None:
        result = subprocess.run([*self.as_owner, *command], capture_output=True, text=True)
        assert result.returncode == 0, f"{' '.join(command)}: {result.stderr}"

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        home = Path(tempfile.mkdtemp(prefix="canbo-replica-"))
        data = home / "data"
        if self.as_owner:
            shutil.chown(home, "postgres", "postgres")
        try:
            self.run(
                str(self.bin / "pg_basebackup"), "-h", self.primary["HOST"] or "127.0.0.1",
                "-p", str(self.primary["PORT"] or 5432), "-U", self.primary["USER"],
                "-D", str(data), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync",
                "--no-manifest",
            )  # fmt: skip
            # The cluster's own configuration lives outside its data directory (Debian):
            # the standby gets a small one of its own.
            files = {
                "postgresql.conf": (
                    f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                    f"unix_socket_directories = '{home}'\nshared_buffers = 32MB\nfsync = off\n"
                ),
                "pg_hba.conf": "local all all trust\nhost all all 127.0.0.1/32 trust\n",
                "pg_ident.conf": "",
            }
            for name, text in files.items():
                (data / name).write_text(text)
                if self.as_owner:
                    shutil.chown(data / name, "postgres", "postgres")
            self.run(str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(home / "log"),
                     "-w", "-t", str(WAIT_SECONDS), "start")  # fmt: skip
            try:
                yield
            finally:
                self.run(str(self.bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w",
                         "stop")  # fmt: skip
        finally:
            shutil.rmtree(home, ignore_errors=True)


def caught_up() -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    target = sql("default", "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + WAIT_SECONDS
    while not sql("replica", "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", target):
        assert time.monotonic() < deadline, f"the replica did not reach {target}"
        time.sleep(0.05)


def paused() -> None:
    sql("replica", "SELECT pg_wal_replay_pause()::text")
    deadline = time.monotonic() + WAIT_SECONDS
    while sql("replica", "SELECT pg_get_wal_replay_pause_state()") != "paused":
        assert time.monotonic() < deadline, "the replica's replay did not pause"
        time.sleep(0.05)


@pytest.fixture
def streaming(settings, monkeypatch):
    """The replica, as the alias "replica" with the router and middleware installed."""
    primary = connections["default"].settings_dict
    replica = StreamingReplica(primary)
    install(settings)
    with replica.running(), replica_alias(HOST="127.0.0.1", PORT=replica.port):
        yield replica


def search(client: Client, query: str) -> tuple[str, list[str], list[str]]:
    """The people list searched for `query`; the SQL run on the primary and the replica."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.get("/people/", {"search": query})
    assert response.status_code == 200
    return (
        response.content.decode(),
        [q["sql"] for q in primary.captured_queries],
        [q["sql"] for q in replica.captured_queries],
    )


def reads_people(queries: list[str]) -> bool:
    return any('FROM "people_person"' in sql for sql in queries)


def test_lists_and_exports_are_answered_from_the_replica_and_writers_read_their_own(
    world, streaming, settings
):
    kinh, _made = Ethnicity.objects.get_or_create(
        code="01", defaults={"name": "Kinh", "is_minority": False}
    )
    services.person_create(
        actor=None, id_number="001090000002", family_name="Trần", middle_name="Thị",
        given_name="Mai", sex="F", birth_date=dt.date(1990, 7, 1), ethnicity=kinh,
        unit=world.xa,
    )  # fmt: skip
    caught_up()
    assert sql("replica", "SELECT pg_is_in_recovery()") is True
    assert sql("default", "SELECT pg_is_in_recovery()") is False
    viewer, editor = Client(), Client()
    viewer.force_login(world.viewer_a)
    editor.force_login(world.editor_a)

    # A search answered from the replica: the people are read there, not on the primary.
    page, on_primary, on_replica = search(viewer, "mai")
    assert "Trần Thị Mai" in page
    assert reads_people(on_replica) and not reads_people(on_primary)

    # The replica stops replaying; the editor adds a person on the primary.
    paused()
    response = editor.post(CREATE, person_data(world))
    assert response.status_code == 302
    # The editor reads their own write, from the primary, for the sticky window …
    page, on_primary, on_replica = search(editor, "nam")
    assert "Lê Hoàng Nam" in page
    assert reads_people(on_primary) and on_replica == []
    # … while the viewer's search, the API's list and a background export, answered from
    # the paused replica, do not have it yet.
    page, on_primary, on_replica = search(viewer, "nam")
    assert "Lê Hoàng Nam" not in page and reads_people(on_replica)
    api = viewer.get("/api/people/").json()
    assert [p["full_name"] for p in api["results"]] == ["Trần Thị Mai"]
    settings.CANBO_LIST_INLINE_ROWS = 0  # every list to Excel in the background
    assert viewer.post("/people/export.xlsx").status_code == 302
    run_queued()
    job = Job.objects.get(user=world.viewer_a)
    assert (job.status, job.message) == (JobStatus.DONE, "1 dòng")

    # Replaying again, the replica catches up and answers with the new person.
    sql("replica", "SELECT pg_wal_replay_resume()::text")
    caught_up()
    page, on_primary, on_replica = search(viewer, "nam")
    assert "Lê Hoàng Nam" in page
    assert reads_people(on_replica) and not reads_people(on_primary)
