"""The read replica's settings, router and middleware (canbo.core.replica, ADR 0021).

The router's decisions do not depend on the engine: here the replica is an SQLite file
and no test database is used. tests/core/test_replica_streaming.py starts a real
PostgreSQL streaming replica and serves pages from it.
"""

from __future__ import annotations

import logging
import runpy
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connections, router
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve
from rest_framework import viewsets

import canbo
from canbo.accounts.models import User
from canbo.core import replica
from canbo.core.models import AccessEvent
from canbo.jobs import services
from canbo.people.models import Person

from .replicas import install, sqlite_replica

SETTINGS = Path(canbo.__file__).with_name("settings.py")
REPLICA_URL = "postgres://canbo@replica.tinhuy.local:5432/canbo"


def settings_with(monkeypatch, **env) -> dict:
    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    module = runpy.run_path(str(SETTINGS))
    return {name: value for name, value in module.items() if name.isupper()}


def test_without_a_replica_nothing_changes(monkeypatch):
    without = settings_with(monkeypatch)
    assert "replica" not in without["DATABASES"]
    assert "DATABASE_ROUTERS" not in without  # Django's default: no router
    assert "canbo.core.replica.ReplicaMiddleware" not in without["MIDDLEWARE"]

    with_replica = settings_with(monkeypatch, DATABASE_REPLICA_URL=REPLICA_URL)
    changed = {name for name in with_replica if with_replica[name] != without.get(name)}
    assert changed == {"DATABASES", "DATABASE_ROUTERS", "MIDDLEWARE"}
    assert with_replica["DATABASES"]["default"] == without["DATABASES"]["default"]
    assert with_replica["DATABASE_ROUTERS"] == ["canbo.core.replica.ReplicaRouter"]
    added = [m for m in with_replica["MIDDLEWARE"] if m not in without["MIDDLEWARE"]]
    assert added == ["canbo.core.replica.ReplicaMiddleware"]
    assert with_replica["MIDDLEWARE"][-1] == "axes.middleware.AxesMiddleware"


def test_the_replica_is_read_from_its_url_with_the_primarys_settings(monkeypatch):
    databases = settings_with(
        monkeypatch,
        DATABASE_URL="postgres://canbo@db.tinhuy.local:5432/canbo",
        DATABASE_REPLICA_URL=REPLICA_URL,
    )["DATABASES"]
    db = databases["replica"]
    assert (db["ENGINE"], db["HOST"], db["PORT"], db["NAME"], db["USER"]) == (
        "django.db.backends.postgresql", "replica.tinhuy.local", 5432, "canbo", "canbo")  # fmt: skip
    assert db["OPTIONS"] == {**databases["default"]["OPTIONS"], "connect_timeout": 3}
    assert db["CONN_HEALTH_CHECKS"] is True
    assert db["TEST"] == {"MIRROR": "default"}  # tests create nothing on the replica


# --- the router ---------------------------------------------------------------------------


@pytest.fixture
def routed(settings, tmp_path, monkeypatch, django_db_blocker):
    """A replica (an SQLite file) with the router and middleware installed. The tests use
    no test database: the router only connects to the replica, to see that it answers."""
    monkeypatch.setattr(replica, "_down_until", 0.0)
    settings.CANBO_REPLICA_STICKY_SECONDS = 10
    install(settings)
    with django_db_blocker.unblock(), sqlite_replica(tmp_path / "replica.sqlite3") as db:
        yield db


def reader(pk: int = 7):
    return SimpleNamespace(pk=pk, is_authenticated=True)


def test_only_eligible_work_reads_from_the_replica(routed):
    assert Person.objects.all().db == "default"
    with replica.work_for(reader()):
        assert Person.objects.all().db == "default"  # work that may not
    with replica.work_for(reader(), replica_reads=True):
        assert Person.objects.all().db == "replica"
        assert Person.objects.select_for_update().db == "default"  # a read to write
        assert User.objects.all().db == "default"  # PRIMARY_ONLY: accounts
        assert router.db_for_write(Person) == "default"
    assert Person.objects.all().db == "default"


def test_inside_a_transaction_reads_stay_on_the_primary(routed, monkeypatch):
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    with replica.work_for(reader(), replica_reads=True):
        assert Person.objects.all().db == "default"


def test_a_reader_not_signed_in_reads_from_the_primary(routed):
    with replica.work_for(AnonymousUser(), replica_reads=True):
        assert Person.objects.all().db == "default"


def test_work_that_wrote_keeps_its_user_on_the_primary(routed, settings):
    user = reader()
    with replica.work_for(user):
        router.db_for_write(AccessEvent)  # a read's record
        router.db_for_write(User)  # PRIMARY_ONLY (a sign-in, a job's progress)
    assert not replica.is_sticky(user)
    with replica.work_for(user):
        router.db_for_write(Person)
    assert replica.is_sticky(user) and not replica.is_sticky(reader(8))
    with replica.work_for(user, replica_reads=True):
        assert Person.objects.all().db == "default"
    with replica.work_for(reader(8), replica_reads=True):
        assert Person.objects.all().db == "replica"


def test_the_sticky_window_ends(routed, settings):
    settings.CANBO_REPLICA_STICKY_SECONDS = 1
    replica.stick_to_primary(reader())
    time.sleep(1.05)
    with replica.work_for(reader(), replica_reads=True):
        assert Person.objects.all().db == "replica"


def test_a_replica_that_does_not_answer_leaves_the_reads_to_the_primary(
    settings, tmp_path, monkeypatch, caplog, django_db_blocker
):
    monkeypatch.setattr(replica, "_down_until", 0.0)
    install(settings)
    missing = tmp_path / "no such directory" / "replica.sqlite3"
    with django_db_blocker.unblock(), sqlite_replica(missing):
        with (
            caplog.at_level(logging.WARNING, "canbo.core.replica"),
            replica.work_for(reader(), replica_reads=True),
        ):
            assert Person.objects.all().db == "default"
        assert "The read replica does not answer" in caplog.text
        # Not tried again before RETRY_SECONDS: no connection attempt, no new warning.
        caplog.clear()
        with replica.work_for(reader(), replica_reads=True):
            assert Person.objects.all().db == "default"
        assert caplog.text == ""
        assert replica._down_until - time.monotonic() > replica.RETRY_SECONDS - 5


def test_rows_read_from_the_replica_may_be_linked_to_rows_of_the_primary(routed):
    person, other = Person(), Person()
    person._state.db, other._state.db = "replica", "default"
    assert router.allow_relation(person, other)
    assert not router.allow_migrate("replica", "people")
    assert router.allow_migrate("default", "people")


# --- the middleware -----------------------------------------------------------------------


@replica.replica_reads
def marked_view(request):
    return HttpResponse(Person.objects.all().db)


def plain_view(request):
    return HttpResponse(Person.objects.all().db)


def late_user_view(request):
    request.user = reader()  # as REST framework's token authentication does, in the view
    return HttpResponse(Person.objects.all().db)


def writing_view(request):
    router.db_for_write(Person)
    return HttpResponse(status=302)


def serve(view, method: str = "GET", user=None) -> str:
    request = getattr(RequestFactory(), method.lower())("/")
    request.user = user or reader()

    def get_response(request):
        return middleware.process_view(request, view, (), {}) or view(request)

    middleware = replica.ReplicaMiddleware(get_response)
    return middleware(request).content.decode()


def test_get_requests_of_marked_views_read_from_the_replica(routed):
    assert serve(marked_view) == "replica"
    assert serve(marked_view, "HEAD") == "replica"
    assert serve(plain_view) == "default"
    assert serve(marked_view, "POST") == "default"
    assert serve(marked_view, user=AnonymousUser()) == "default"
    late_user_view.replica_reads = True
    assert serve(late_user_view, user=AnonymousUser()) == "replica"


def test_after_a_request_that_wrote_the_user_reads_from_the_primary(routed):
    serve(marked_view, "POST")  # wrote nothing
    assert serve(marked_view) == "replica"
    serve(writing_view, "POST")
    assert serve(marked_view) == "default"
    assert serve(marked_view, user=reader(8)) == "replica"


class Listed(viewsets.ViewSet):
    def list(self, request):
        return HttpResponse()

    def retrieve(self, request, pk=None):
        return HttpResponse()


def test_a_viewset_names_its_actions_that_read_from_the_replica():
    marked = replica.replica_reads(actions=("list",))(Listed)
    assert replica.marked(marked.as_view({"get": "list", "post": "create"}))
    assert not replica.marked(marked.as_view({"get": "retrieve", "put": "update"}))


@pytest.mark.parametrize(
    ("path", "eligible"),
    [
        ("/people/", True),
        ("/people/export.xlsx", True),
        ("/people/key-leaders/", True),
        ("/planning/", True),
        ("/planning/figures/", True),
        ("/planning/3/figures/", True),
        ("/planning/3/export.docx", True),
        ("/directives/", True),
        ("/exchange/export/", True),
        ("/audit/access-log/", True),
        ("/audit/access-log/export.xlsx", True),
        ("/directives/assignments/", True),
        ("/api/people/", True),
        ("/api/key-leaders/", True),
        ("/api/plans/3/figures/", True),
        ("/api/planning/findings/", True),
        ("/api/directives/", True),
        ("/", False),
        ("/people/new/", False),
        ("/people/3/", False),
        ("/people/3/edit/", False),
        ("/planning/3/", False),
        ("/jobs/", False),
        ("/api/people/001234567890/", False),
        ("/api/plans/3/", False),
        ("/api/jobs/", False),
    ],
)
def test_lists_searches_reports_and_exports_are_marked(path, eligible):
    assert replica.marked(resolve(path).func) is eligible


def test_background_exports_read_from_the_replica_and_imports_do_not():
    from canbo.exchange import jobs as exchange_jobs
    from canbo.jobs import lists
    from canbo.people import record2c_batch

    assert {lists.KIND, exchange_jobs.EXPORT, record2c_batch.KIND} <= services._REPLICA_READS
    assert exchange_jobs.IMPORT not in services._REPLICA_READS
    assert exchange_jobs.CHECK not in services._REPLICA_READS


def test_the_system_check_asks_for_a_shared_cache_with_a_replica(routed, settings):
    from django.core.checks import run_checks

    ids = [message.id for message in run_checks(tags=["caches"])]
    assert "canbo.W001" in ids
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": "/tmp/unused",
        }
    }
    assert "canbo.W001" not in [message.id for message in run_checks(tags=["caches"])]


def test_a_helper_process_is_told_whether_the_work_may_read_the_replica():
    from canbo.core import replica

    assert replica.current_work_reads_replica() is False
    with replica.work_for(None, replica_reads=True):
        assert replica.current_work_reads_replica() is True
        with replica.work_for(None):
            assert replica.current_work_reads_replica() is False
    with replica.work_for(None, replica_reads=False):
        assert replica.current_work_reads_replica() is False
    assert replica.current_work_reads_replica() is False
