"""Whole-database backup and restore: `canbo backup FILE` and `canbo restore FILE`.

PostgreSQL goes through its own tools, pg_dump and pg_restore, in their custom
format (compressed, restorable into a database of another name or owner).
SQLite goes through its online backup API (`sqlite3.Connection.backup`), which
copies a consistent snapshot while the application keeps running.

A backup holds everything the data package does not: user accounts, scope
grants, the audit and access logs, rule sets, imports waiting for
confirmation. Restore refuses a database that already has tables unless
`force` is given; then the old tables are dropped first, so the database ends
up exactly as backed up.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
ENGINES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


class BackupError(Exception):
    """A backup or restore that could not be made; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Outcome:
    engine: str
    database: str
    path: Path
    size: int
    seconds: float
    tables: int
    dropped: int = 0
    unapplied_migrations: int = 0


def _connection(alias: str) -> BaseDatabaseWrapper:
    connection = connections[alias]
    if connection.vendor not in ENGINES:
        raise BackupError(
            _("Chưa hỗ trợ sao lưu cơ sở dữ liệu %(engine)s.") % {"engine": connection.vendor}
        )
    return connection


def _database_name(connection: BaseDatabaseWrapper) -> str:
    return str(connection.settings_dict["NAME"])


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _("Không tìm thấy chương trình %(tool)s; hãy cài gói postgresql-client.")
            % {"tool": name}
        )
    return path


def _pg_command(connection: BaseDatabaseWrapper, tool: str, *options: str):
    """The pg_dump / pg_restore command line and environment for the Django connection."""
    settings = connection.settings_dict
    args = [_tool(tool), *options]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            args.append(f"{flag}={settings[key]}")
    if settings.get("NAME"):
        args.append(f"--dbname={settings['NAME']}")
    # Password, sslmode, service and passfile as psql gets them (`canbo dbshell`).
    _psql_args, env = connection.client.settings_to_cmd_args_env(settings, [])
    return args, {**os.environ, **(env or {})}


def _run(args: list[str], env: dict[str, str], failed: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise BackupError(f"{failed}\n{detail}" if detail else failed)


def _tables(connection: BaseDatabaseWrapper) -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def _unapplied_migrations(connection: BaseDatabaseWrapper) -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


# --- Backup ------------------------------------------------------------------------


def backup(path: str | os.PathLike, *, alias: str = "default") -> Outcome:
    """Write a backup of the database to `path` (replaced only once the copy is complete)."""
    connection = _connection(alias)
    target = Path(path)
    if target.is_dir():
        raise BackupError(_("“%(path)s” là một thư mục; hãy ghi tên tệp.") % {"path": target})
    if not target.parent.is_dir():
        raise BackupError(_("Không có thư mục “%(dir)s”.") % {"dir": target.parent})
    started = time.perf_counter()
    tables = len(_tables(connection))
    # Written beside the target, then renamed: an interrupted backup never leaves a
    # half-written file under the name of a good one.
    fd, partial = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        if connection.vendor == "postgresql":
            args, env = _pg_command(connection, "pg_dump", "--format=custom", f"--file={partial}")
            _run(args, env, _("pg_dump không sao lưu được cơ sở dữ liệu."))
        else:
            connection.ensure_connection()
            with sqlite3.connect(partial) as copy:
                connection.connection.backup(copy)
            copy.close()
        os.chmod(partial, 0o600)  # personal data: readable by the operator only
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return Outcome(
        engine=ENGINES[connection.vendor],
        database=_database_name(connection),
        path=target,
        size=target.stat().st_size,
        seconds=time.perf_counter() - started,
        tables=tables,
    )


# --- Restore -----------------------------------------------------------------------


def _check_file(path: Path, vendor: str) -> None:
    if not path.is_file():
        raise BackupError(_("Không có tệp “%(path)s”.") % {"path": path})
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    kind = (
        "sqlite"
        if head.startswith(SQLITE_MAGIC)
        else "postgresql"
        if head.startswith(PG_MAGIC)
        else None
    )
    if kind is None:
        raise BackupError(
            _("Tệp “%(path)s” không phải bản sao lưu của canbo (canbo backup).") % {"path": path}
        )
    if kind != vendor:
        raise BackupError(
            _(
                "Tệp “%(path)s” là bản sao lưu %(file)s, còn cơ sở dữ liệu đang dùng là "
                "%(db)s; hãy khôi phục vào cơ sở dữ liệu cùng loại."
            )
            % {"path": path, "file": ENGINES[kind], "db": ENGINES[vendor]}
        )
    if kind == "sqlite":
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as source:
            try:
                ok = source.execute("PRAGMA quick_check").fetchone()[0] == "ok"
                named = source.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name = 'django_migrations'"
                ).fetchone()[0]
            except sqlite3.DatabaseError:
                ok, named = False, 0
        source.close()
        if not ok:
            raise BackupError(_("Tệp “%(path)s” bị hỏng.") % {"path": path})
        if not named:
            raise BackupError(
                _("Tệp “%(path)s” không phải bản sao lưu của canbo (canbo backup).")
                % {"path": path}
            )


def _drop_tables(connection: BaseDatabaseWrapper, tables: list[str]) -> None:
    """PostgreSQL: drop every table (their sequences, indexes and triggers go with them)
    and the functions the migrations created (a trigger's function, e.g. ADR 0035's,
    outlives its table; the backup creates it again), in one transaction. Functions of
    extensions (pg_trgm's) stay with their extension."""
    quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {quoted} CASCADE")
        cursor.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND NOT EXISTS ("
            "SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass "
            "AND d.objid = p.oid AND d.deptype = 'e')"
        )
        for (signature,) in cursor.fetchall():
            cursor.execute(f"DROP FUNCTION IF EXISTS {signature} CASCADE")


def restore(path: str | os.PathLike, *, force: bool = False, alias: str = "default") -> Outcome:
    """Replace the (empty, unless `force`) database with the backup in `path`."""
    connection = _connection(alias)
    source = Path(path)
    _check_file(source, connection.vendor)
    if connection.in_atomic_block:
        raise BackupError(_("Không thể khôi phục bên trong một giao dịch đang mở."))
    started = time.perf_counter()
    existing = _tables(connection)
    if existing and not force:
        raise BackupError(
            _(
                "Cơ sở dữ liệu “%(db)s” không trống (%(n)d bảng); không khôi phục đè lên. "
                "Hãy khôi phục vào một cơ sở dữ liệu trống, hoặc thêm --force để xóa toàn bộ "
                "dữ liệu hiện có và thay bằng bản sao lưu."
            )
            % {"db": _database_name(connection), "n": len(existing)}
        )
    if connection.vendor == "postgresql":
        if existing:
            _drop_tables(connection, existing)
        connection.close()
        args, env = _pg_command(
            connection,
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            # Comments are objects of their owner: "COMMENT ON EXTENSION pg_trgm" fails for a
            # database user that is not a superuser. canbo's tables have none.
            "--no-comments",
            "--single-transaction",
            "--exit-on-error",
        )
        _run([*args, str(source)], env, _("pg_restore không khôi phục được bản sao lưu."))
    else:
        # The backup API replaces every page of the destination, old tables included.
        connection.ensure_connection()
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_file:
            backup_file.backup(connection.connection)
        backup_file.close()
    connection.close()
    return Outcome(
        engine=ENGINES[connection.vendor],
        database=_database_name(connection),
        path=source,
        size=source.stat().st_size,
        seconds=time.perf_counter() - started,
        tables=len(_tables(connection)),
        dropped=len(existing),
        unapplied_migrations=_unapplied_migrations(connection),
    )
