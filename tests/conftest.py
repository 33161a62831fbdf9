import os

import pytest
from django.core.cache import cache

from canbo.accounts.models import Role
from canbo.organizations.choices import AreaKind, AreaLevel, UnitKind, UnitLevel

from .factories import UserFactory, grant, make_area, make_unit

MAX_WORKERS = 8


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config):
    """How many workers `-n auto` (as ./run test runs pytest) starts.

    One per core, at most MAX_WORKERS, each with its own test database; none (one
    process) on a single core or when only single tests (path::name) are asked for,
    where starting the workers costs more than it saves. PYTEST_XDIST_AUTO_NUM_WORKERS
    still decides when it is set.
    """
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # pytest-xdist's own hook reads it
    if config.args and all("::" in arg for arg in config.args):
        return 0
    cores = len(os.sched_getaffinity(0))
    return min(cores, MAX_WORKERS) if cores > 1 else 0


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, tmp_path_factory):
    """On SQLite the test database is a file in WAL mode, as canbo's own database is
    (settings: journal_mode=WAL), not Django's in-memory one: there, a page read while a
    background job's transaction writes (the browser tests' worker thread beside the live
    server) is refused at once ("database table is locked"), which never happens to users.
    Each xdist worker has its own directory."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    request.getfixturevalue("django_db_modify_db_settings_parallel_suffix")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Hashing passwords the production way costs about half a second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def sign_in_for_tests(settings):
    """Tests sign administrators in with force_login, which enters no second factor: the
    requirement (CANBO_ADMIN_2FA) is off here, and on in the tests of tests/accounts that
    check it. API rate limits count requests in the cache: each test starts with none."""
    settings.CANBO_ADMIN_2FA = False
    cache.clear()


@pytest.fixture(autouse=True)
def reads_from_the_test_database(settings):
    """With DATABASE_REPLICA_URL set, the replica's alias mirrors the test database (TEST
    MIRROR, no database is made on the replica) through a connection of its own, which would
    not see a test's writes: tests read everything through the default connection. The
    replica's own tests (tests/core/test_replica*.py) route reads themselves."""
    if "replica" in settings.DATABASES:
        settings.DATABASE_ROUTERS = []


@pytest.fixture(autouse=True)
def job_dir(settings, tmp_path_factory):
    """Files made by background work go to a directory of the test's own (empty), not
    var/jobs."""
    settings.CANBO_JOB_DIR = tmp_path_factory.mktemp("jobs")
    return settings.CANBO_JOB_DIR


@pytest.fixture
def admin_user(db):
    return UserFactory(username="quantri", role=Role.ADMIN)


@pytest.fixture
def world(db):
    """A small province with two communes, their units, and users scoped to each.

    Areas: province P (01) > communes A (00001) and B (00002).
    Units: Tỉnh ủy (TU) > Đảng ủy xã A (XA), Đảng ủy xã B (XB).
    """
    province = make_area("01", "Tỉnh Thử Nghiệm")
    commune_a = make_area("00001", "Xã An Bình", province, AreaKind.COMMUNE, AreaLevel.COMMUNE)
    commune_b = make_area("00002", "Xã Bình Minh", province, AreaKind.COMMUNE, AreaLevel.COMMUNE)
    tu = make_unit("TU", "Tỉnh ủy Thử Nghiệm", area=province)
    xa = make_unit(
        "XA", "Đảng ủy xã An Bình", tu, UnitKind.PARTY_COMMITTEE, UnitLevel.COMMUNE, area=commune_a
    )
    xb = make_unit(
        "XB",
        "Đảng ủy xã Bình Minh",
        tu,
        UnitKind.PARTY_COMMITTEE,
        UnitLevel.COMMUNE,
        area=commune_b,
    )
    viewer_a = UserFactory(username="xem_a", role=Role.VIEWER)
    grant(viewer_a, xa)
    editor_a = UserFactory(username="sua_a", role=Role.EDITOR)
    grant(editor_a, xa)

    class World:
        pass

    w = World()
    w.province, w.commune_a, w.commune_b = province, commune_a, commune_b
    w.tu, w.xa, w.xb = tu, xa, xb
    w.viewer_a, w.editor_a = viewer_a, editor_a
    for unit in (tu, xa, xb):
        unit.refresh_from_db()
    return w
