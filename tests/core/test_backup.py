"""canbo backup / canbo restore, on the engine the tests run on (SQLite or PostgreSQL).

The oracle: the data package exported before the backup and the one exported
after restoring it into an empty database are the same (but for the export
time); user accounts and the audit log, which the package does not carry,
come back too.
"""

from __future__ import annotations

import io
import json
import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from canbo.core.backup import _drop_tables, _tables
from canbo.core.models import AuditEvent
from canbo.people.models import Ethnicity, Person
from tests.planning.conftest import cadres, plan, positions, term  # noqa: F401 (fixtures)

ENGINE = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}[connection.vendor]
TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run(command: str, *args) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def exported(tmp_path, name: str) -> dict:
    path = tmp_path / name
    run("export", "-o", str(path))
    package = json.loads(path.read_text(encoding="utf-8"))
    assert package["meta"].pop("Thời điểm xuất")  # the only value that differs
    return package


def empty_database() -> None:
    """Leave the test database as `createdb` (PostgreSQL) or a new file (SQLite) would be."""
    if connection.vendor == "postgresql":
        _drop_tables(connection, _tables(connection))  # and the triggers' functions
        with connection.cursor() as cursor:
            cursor.execute("DROP EXTENSION IF EXISTS pg_trgm")
    else:
        connection.ensure_connection()
        with sqlite3.connect(":memory:") as empty:
            empty.backup(connection.connection)
        empty.close()
    assert _tables(connection) == []


def records() -> dict:
    """What the data package does not carry: accounts, grants, the audit log."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.order_by("pk")
    return {
        "users": list(users.values_list("pk", "username", "password", "role")),
        "audit": list(AuditEvent.objects.order_by("pk").values_list("pk", "action", "object_id")),
    }


@pytest.fixture
def seeded(request, world):
    """The planning world (units, people with records, an approved and reviewed plan)."""
    # Transactional tests run last, and may follow the browser tests, after which the
    # database is empty: Playwright's event loop gives this thread new connection objects,
    # without the serialized data of serialized_rollback. The two ethnicities the people
    # need are made here, as the browser tests make theirs.
    Ethnicity.objects.get_or_create(code="01", defaults={"name": "Kinh", "is_minority": False})
    Ethnicity.objects.get_or_create(code="02", defaults={"name": "Tày", "is_minority": True})
    request.getfixturevalue("plan")
    yield world
    if not _tables(connection):  # a failed restore must not break the tests that follow
        call_command("migrate", verbosity=0)


def backup_of(tmp_path) -> tuple:
    path = tmp_path / "canbo.backup"
    return path, run("backup", str(path))


@TRANSACTIONAL
def test_restore_into_an_empty_database_gives_back_the_same_data(seeded, tmp_path):
    before, before_records = exported(tmp_path, "before.json"), records()
    assert len(before["sheets"]["people"]) == 8
    assert before_records["audit"]  # the plan's services wrote audit entries
    path, said = backup_of(tmp_path)
    tables = len(_tables(connection))
    assert said.startswith(
        f"Đã sao lưu cơ sở dữ liệu {ENGINE} “{connection.settings_dict['NAME']}” "
        f"({tables} bảng) vào {path}: "
    )
    assert oct(path.stat().st_mode & 0o777) == "0o600"

    empty_database()
    said = run("restore", str(path))

    assert said.startswith(
        f"Đã khôi phục cơ sở dữ liệu {ENGINE} “{connection.settings_dict['NAME']}” từ {path} ("
    )
    assert f"): {tables} bảng, " in said
    assert "canbo migrate" not in said and "--force" not in said
    assert exported(tmp_path, "after.json") == before
    assert records() == before_records


@TRANSACTIONAL
def test_restore_refuses_a_database_with_tables(seeded, tmp_path):
    path, _ = backup_of(tmp_path)
    Person.objects.filter(id_number="001066000006").delete()
    changed = exported(tmp_path, "changed.json")
    with pytest.raises(CommandError) as refused:
        run("restore", str(path))
    assert str(refused.value) == (
        f"Cơ sở dữ liệu “{connection.settings_dict['NAME']}” không trống ({len(_tables(connection))}"
        " bảng); không khôi phục đè lên. Hãy khôi phục vào một cơ sở dữ liệu trống, hoặc thêm "
        "--force để xóa toàn bộ dữ liệu hiện có và thay bằng bản sao lưu."
    )
    assert exported(tmp_path, "still.json") == changed


@TRANSACTIONAL
def test_restore_with_force_replaces_the_data(seeded, tmp_path):
    before = exported(tmp_path, "before.json")
    path, _ = backup_of(tmp_path)
    Person.objects.filter(id_number="001066000006").delete()
    assert exported(tmp_path, "changed.json") != before
    tables = len(_tables(connection))

    said = run("restore", str(path), "--force")

    assert said.splitlines()[0] == (
        f"Đã xóa {tables} bảng có sẵn trong cơ sở dữ liệu “{connection.settings_dict['NAME']}” "
        "(--force)."
    )
    assert exported(tmp_path, "after.json") == before
    assert Person.objects.filter(id_number="001066000006").exists()


def test_restore_refuses_what_is_not_a_backup(db, tmp_path):
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"not a backup at all")
    with pytest.raises(CommandError) as refused:
        run("restore", str(junk))
    assert str(refused.value) == (f"Tệp “{junk}” không phải bản sao lưu của canbo (canbo backup).")
    missing = tmp_path / "missing.dump"
    with pytest.raises(CommandError) as refused:
        run("restore", str(missing))
    assert str(refused.value) == f"Không có tệp “{missing}”."


def test_restore_refuses_a_backup_of_the_other_engine(db, tmp_path):
    other = tmp_path / "other.backup"
    if connection.vendor == "postgresql":
        with sqlite3.connect(other) as made:
            made.execute("CREATE TABLE django_migrations (id integer)")
        made.close()
        kinds = ("SQLite", "PostgreSQL")
    else:
        other.write_bytes(b"PGDMP\x01\x0f\x00")
        kinds = ("PostgreSQL", "SQLite")
    with pytest.raises(CommandError) as refused:
        run("restore", str(other))
    assert str(refused.value) == (
        f"Tệp “{other}” là bản sao lưu {kinds[0]}, còn cơ sở dữ liệu đang dùng là {kinds[1]}; "
        "hãy khôi phục vào cơ sở dữ liệu cùng loại."
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite files only")
def test_restore_refuses_an_sqlite_file_that_is_not_canbo(db, tmp_path):
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as made:
        made.execute("CREATE TABLE notes (id integer)")
    made.close()
    with pytest.raises(CommandError) as refused:
        run("restore", str(other))
    assert str(refused.value) == f"Tệp “{other}” không phải bản sao lưu của canbo (canbo backup)."


def test_backup_needs_a_file_in_an_existing_directory(db, tmp_path):
    with pytest.raises(CommandError) as refused:
        run("backup", str(tmp_path))
    assert str(refused.value) == f"“{tmp_path}” là một thư mục; hãy ghi tên tệp."
    with pytest.raises(CommandError) as refused:
        run("backup", str(tmp_path / "no" / "such.backup"))
    assert str(refused.value) == f"Không có thư mục “{tmp_path / 'no'}”."
    assert list(tmp_path.iterdir()) == []


@TRANSACTIONAL
def test_restore_says_when_the_backup_is_older_than_the_code(seeded, tmp_path):
    from django.db.migrations.recorder import MigrationRecorder

    latest = MigrationRecorder.Migration.objects.filter(app="planning").latest("id")
    latest.delete()  # as if the backup had been made before this migration
    try:
        path, _ = backup_of(tmp_path)
        said = run("restore", str(path), "--force")
    finally:
        MigrationRecorder.Migration.objects.get_or_create(app=latest.app, name=latest.name)
    assert said.splitlines()[-1] == (
        "Bản sao lưu cũ hơn phiên bản canbo đang cài (1 bước cập nhật cấu trúc chưa áp dụng): "
        "hãy chạy “canbo migrate”."
    )
