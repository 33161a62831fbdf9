"""Data package import and export at scale.

Usage (from the repository root):

    .venv/bin/python benchmarks/exchange.py import --people 100000
    .venv/bin/python benchmarks/exchange.py import --people 100000 --sections
    .venv/bin/python benchmarks/exchange.py export [--formats xlsx,json] [--repeat 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canbo_bench_exchange \
        .venv/bin/python benchmarks/exchange.py import --people 100000

import: builds (once) a database with the areas and a demo province's units,
then writes a package of N new people spread over those units (and with
--sections, three evaluations and two work-history rows each) with
XlsxWriter. It times, each in its own process so peak memory is its own:

- floor: reading every row of every sheet with python-calamine, nothing else;
- read + bare write: the same read, then exactly the rows the import inserts (learned
  by importing once, untimed, and rolled back) inserted by hand-written SQL, one
  `executemany` per table (SQLite) or `COPY … FROM STDIN` (PostgreSQL): what any import
  writing these records must at least pay;
- import: `canbo import` end to end (safety checks, reading, validation,
  references, scope, bulk writes, one audit event per created record) inside
  a transaction that is rolled back afterwards, so the run can be repeated.

export: exports every person in the database (DATABASE_URL) to XLSX and to
JSON as `canbo export` does (a helper process included, on PostgreSQL with a
large dataset) and reports the time, the CPU and the peak resident memory of
each process. On PostgreSQL each round first times the floor: every sheet's
own query (captured from canbo's querysets, written to var/bench/export-floor.sql)
through COPY into one CSV file. `--repeat N` interleaves N rounds and ends with
the min and median of each, and median ÷ floor median (the import likewise).

It prints rows per second, people per second, peak memory and the ratio of
import to floor. Not a unit test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
os.environ.setdefault("CANBO_TESTING", "1")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-exchange.sqlite3'}")
WORK = ROOT / "var" / "bench"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django():
    import django

    django.setup()


def prepare_database() -> None:
    from django.core.management import call_command

    from canbo.organizations.models import Unit

    call_command("migrate", verbosity=0)
    if not Unit.objects.exists():
        call_command("load_areas", "--if-empty")
        call_command("seed_demo", "--people", "500", "--seed", "11")


def write_package(path: Path, people: int, sections: bool) -> int:
    """N new people (ID numbers 099…, never used by the demo) in the demo province's units."""
    import xlsxwriter

    from canbo.demo.names import make_name
    from canbo.organizations.models import Area, Unit
    from canbo.people.choices import EvaluationRating
    from canbo.people.package.sheets import EVALUATIONS, PEOPLE

    rng = random.Random(5)
    units = list(Unit.objects.exclude(area=None).values_list("code", "area__code"))
    communes = list(Area.objects.filter(level=3, valid_to=None).values_list("code", flat=True))
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    text = workbook.add_format({"num_format": "@"})
    ws = workbook.add_worksheet(PEOPLE.title)
    headers = ["Số định danh cá nhân", "Họ", "Tên đệm", "Tên", "Giới tính", "Ngày sinh",
               "Dân tộc", "Mã quê quán", "Mã đơn vị", "Trình độ chuyên môn",
               "Lý luận chính trị", "Ngày vào Đảng"]  # fmt: skip
    ws.write_row(0, 0, headers)
    ids = []
    for n in range(people):
        sex = "F" if rng.random() < 0.4 else "M"
        year = rng.randint(1966, 1998)
        name = make_name(rng, sex, year)
        unit, area = rng.choice(units)
        id_number = f"099{year % 100:02d}{n:07d}"
        ids.append(id_number)
        row = [id_number, name.family, name.middle, name.given, "Nữ" if sex == "F" else "Nam",
               f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}", "Kinh",
               area if rng.random() < 0.5 else rng.choice(communes), unit, "Đại học",
               "Trung cấp", f"{rng.randint(1, 28):02d}/05/{year + 25}"]  # fmt: skip
        for col, value in enumerate(row):
            ws.write_string(n + 1, col, value, text)
    rows = people
    if sections:
        ev = workbook.add_worksheet(EVALUATIONS.title)
        ev.write_row(0, 0, ["Số định danh cá nhân", "Năm", "Xếp loại", "Điểm"])
        labels = [str(label) for _v, label in EvaluationRating.choices]
        row = 1
        for id_number in ids:
            for year in (2023, 2024, 2025):
                ev.write_string(row, 0, id_number, text)
                ev.write_number(row, 1, year)
                ev.write_string(row, 2, rng.choice(labels[:3]))
                ev.write_number(row, 3, rng.randint(60, 95))
                row += 1
        rows += row - 1
        wh = workbook.add_worksheet("Quá trình công tác")
        wh.write_row(0, 0, ["Số định danh cá nhân", "Từ ngày", "Đến ngày", "Tên đơn vị (tại thời điểm)",
                            "Chức vụ (tại thời điểm)"])  # fmt: skip
        row = 1
        for id_number in ids:
            for step, (start, end) in enumerate((("2015", "06/2020"), ("07/2020", ""))):
                wh.write_row(row, 0, [id_number, start, end, f"Đơn vị {step}", "Chuyên viên"], text)
                row += 1
        rows += row - 1
    workbook.close()
    return rows


def phase_floor(path: Path) -> dict:
    from python_calamine import CalamineWorkbook

    started, cpu = time.perf_counter(), time.process_time()
    workbook = CalamineWorkbook.from_path(str(path))
    rows = 0
    for name in workbook.sheet_names:
        for _row in workbook.get_sheet_by_name(name).iter_rows():
            rows += 1
    return {"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu,
            "rows": rows, "peak_mb": peak_mb()}  # fmt: skip


def table_marks() -> dict[str, tuple[str, int]]:
    """Each model table with an integer key: (key column, its largest value now)."""
    from django.apps import apps
    from django.db import connection, models

    marks = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            pk = model._meta.pk
            if model._meta.proxy or not model._meta.managed or not isinstance(
                pk, (models.AutoField, models.BigAutoField)
            ):
                continue
            table = model._meta.db_table
            cursor.execute(f'SELECT MAX("{pk.column}") FROM "{table}"')
            marks[table] = (pk.column, cursor.fetchone()[0] or 0)
    return marks


def phase_write_floor(path: Path) -> dict:
    """The import's floor with its writes: the bare read (as `phase_floor`) plus inserting,
    by hand-written SQL, exactly the rows the import inserts (learned by importing once,
    untimed, then rolled back to a savepoint): one `executemany` per table on SQLite's
    driver, `COPY … FROM STDIN` on PostgreSQL. Inside a transaction rolled back at the end,
    as the import's phase is (so neither pays SQLite's deferred foreign-key checks)."""
    setup_django()
    from django.db import connection, transaction
    from python_calamine import CalamineWorkbook

    from canbo.core.audit import audit_source
    from canbo.core.db import large_write_cache
    from canbo.core.models import AuditSource
    from canbo.exchange.importer import import_package
    from canbo.exchange.readers import read_package

    class Rollback(Exception):
        pass

    result = {}
    try:
        with transaction.atomic():
            marks = table_marks()
            captured: dict[str, tuple[list[str], list[tuple]]] = {}
            with transaction.atomic():
                sid = transaction.savepoint()
                with audit_source(AuditSource.IMPORT):
                    report = import_package(actor=None, raw=read_package(path))
                assert report.ok, report.problems[:3]
                raw = connection.cursor().connection  # the driver's own connection
                for table, (key, mark) in marks.items():
                    query = f'SELECT * FROM "{table}" WHERE "{key}" > {int(mark)} ORDER BY "{key}"'
                    if connection.vendor == "postgresql":  # the rows as COPY's own text
                        with raw.cursor() as cursor:
                            with cursor.copy(f"COPY ({query}) TO STDOUT") as copy:
                                data = b"".join(bytes(block) for block in copy)
                            count = data.count(b"\n")
                            if count:
                                captured[table] = (None, data, count)
                    else:
                        cursor = raw.execute(query)
                        rows = cursor.fetchall()
                        if rows:
                            captured[table] = ([c[0] for c in cursor.description], rows, len(rows))
                transaction.savepoint_rollback(sid)
            started, cpu = time.perf_counter(), time.process_time()
            workbook = CalamineWorkbook.from_path(str(path))
            for name in workbook.sheet_names:
                for _row in workbook.get_sheet_by_name(name).iter_rows():
                    pass
            read = time.perf_counter() - started
            with large_write_cache():  # as the import's transaction has
                for table, (columns, rows, _count) in captured.items():
                    if connection.vendor == "postgresql":
                        with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                            copy.write(rows)
                    else:
                        names = ", ".join(f'"{c}"' for c in columns)
                        marks_ = ", ".join("?" * len(columns))
                        raw.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks_})', rows)
            result.update(
                seconds=time.perf_counter() - started, cpu_seconds=time.process_time() - cpu,
                read_seconds=read, tables={t: count for t, (_c, _r, count) in captured.items()},
            )  # fmt: skip
            raise Rollback
    except Rollback:
        pass
    result["peak_mb"] = peak_mb()
    return result


def phase_import(path: Path) -> dict:
    setup_django()
    from django.db import transaction

    from canbo.core.audit import audit_source
    from canbo.core.models import AuditSource
    from canbo.exchange.importer import import_package
    from canbo.exchange.readers import read_package

    class Rollback(Exception):
        pass

    started, cpu = time.perf_counter(), time.process_time()
    result = {}
    try:
        with transaction.atomic():
            raw = read_package(path)
            result["read_seconds"] = time.perf_counter() - started
            with audit_source(AuditSource.IMPORT):
                report = import_package(actor=None, raw=raw)
            result["seconds"] = time.perf_counter() - started
            result["cpu_seconds"] = time.process_time() - cpu
            result.update(ok=report.ok, created=report.created, rows=report.rows,
                          problems=[str(p) for p in report.problems[:5]])  # fmt: skip
            raise Rollback
    except Rollback:
        pass
    result["peak_mb"] = peak_mb()
    return result


def phase_export(fmt: str) -> dict:
    setup_django()
    from canbo.exchange.exporter import selection_for, write_package
    from canbo.people.models import Person

    WORK.mkdir(parents=True, exist_ok=True)
    target = WORK / f"export.{fmt}"
    started = time.perf_counter()
    cpu = time.process_time()
    selection = selection_for(user=None, unit_code=None)
    write_package(selection, fmt, target)  # as `canbo export` and the export job do
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "helper_cpu_seconds": children.ru_utime + children.ru_stime,
        "helper_peak_mb": children.ru_maxrss / 1024,
        "people": Person.objects.count(),
        "rows": sum(selection.counts.values()),
        "bytes": target.stat().st_size,
        "peak_mb": peak_mb(),
    }


def sheet_queries() -> list[tuple[str, str]]:
    """The SELECT each sheet's rows come from, as canbo issues it (same joins, same order),
    with its parameters bound: each sheet's generator is started, its first query
    recorded, and closed."""
    from django.db import connection

    from canbo.exchange.exporter import selection_for
    from canbo.exchange.registry import registry

    selection = selection_for(user=None, unit_code=None)
    recorded: list[tuple[str, tuple]] = []

    def record(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT"):
            recorded.append((sql, params))
        return execute(sql, params, many, context)

    queries = []
    raw = connection.cursor().connection  # the driver's connection, for binding parameters
    import psycopg

    for sheet in registry.sheets():
        rows = registry.part_of(sheet).rows(sheet, selection)
        recorded.clear()
        with connection.execute_wrapper(record):
            next(iter(rows), None)
        rows.close()
        sql, params = recorded[-1]
        queries.append((sheet.title, psycopg.ClientCursor(raw).mogrify(sql, params)))
    return queries


def phase_export_floor(_arg: str) -> dict:
    """The floor of an export: the database writes each sheet's rows (canbo's own
    queries, the same joins and order) as CSV through COPY into one file."""
    setup_django()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("the export floor is measured on PostgreSQL (COPY)")
    queries = sheet_queries()
    WORK.mkdir(parents=True, exist_ok=True)
    target = WORK / "export-floor.csv"
    (WORK / "export-floor.sql").write_text("".join(f"-- {t}\n{q};\n\n" for t, q in queries))
    started = time.perf_counter()
    cpu = time.process_time()
    raw = connection.cursor().connection
    with target.open("wb") as out, raw.cursor() as cursor:
        for _title, query in queries:
            with cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy:
                for block in copy:
                    out.write(block)
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "bytes": target.stat().st_size,
        "peak_mb": peak_mb(),
    }


def child(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "_phase", *args], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import")
    imp.add_argument("--people", type=int, default=100_000)
    imp.add_argument("--sections", action="store_true")
    imp.add_argument("--repeat", type=int, default=1)
    exp = sub.add_parser("export")
    exp.add_argument("--formats", default="xlsx,json")
    exp.add_argument("--repeat", type=int, default=1)
    phase = sub.add_parser("_phase")
    phase.add_argument("name")
    phase.add_argument("arg")
    args = parser.parse_args()

    if args.command == "_phase":
        if args.name == "floor":
            result = phase_floor(Path(args.arg))
        elif args.name == "import":
            result = phase_import(Path(args.arg))
        elif args.name == "write-floor":
            result = phase_write_floor(Path(args.arg))
        elif args.name == "export-floor":
            result = phase_export_floor(args.arg)
        else:
            result = phase_export(args.arg)
        print(json.dumps(result))
        return

    setup_django()
    from django.db import connection

    if args.command == "export":
        times: dict[str, list[float]] = {"floor": []}
        for _ in range(args.repeat):
            floor = child("export-floor", "-") if connection.vendor == "postgresql" else None
            if floor:
                times["floor"].append(floor["seconds"])
            if floor:
                print(f"floor (COPY of each sheet's query to CSV): {floor['seconds']:.1f} s, "
                      f"CPU {floor['cpu_seconds']:.1f} s, {floor['bytes'] / 1e6:.0f} MB, "
                      f"peak {floor['peak_mb']:.0f} MB")  # fmt: skip
            for fmt in args.formats.split(","):
                r = child("export", fmt)
                times.setdefault(fmt, []).append(r["seconds"])
                ratio = f", export / floor = {r['seconds'] / floor['seconds']:.2f}" if floor else ""
                helper = (f", helper process CPU {r['helper_cpu_seconds']:.1f} s, peak "
                          f"{r['helper_peak_mb']:.0f} MB" if r["helper_cpu_seconds"] else "")  # fmt: skip
                print(f"{connection.vendor} export {fmt}: {r['people']} people, {r['rows']} rows, "
                      f"{r['seconds']:.1f} s (CPU {r['cpu_seconds']:.1f}), "
                      f"{r['rows'] / r['seconds']:.0f} rows/s, {r['bytes'] / 1e6:.0f} MB, "
                      f"peak {r['peak_mb']:.0f} MB{helper}{ratio}")  # fmt: skip
        summary(times, "floor")
        return

    prepare_database()
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"people-{args.people}{'-sections' if args.sections else ''}.xlsx"
    if not path.exists():
        t0 = time.perf_counter()
        rows = write_package(path, args.people, args.sections)
        print(f"wrote {path.name}: {rows} rows in {time.perf_counter() - t0:.1f} s")
    times: dict[str, list[float]] = {"floor": [], "read+write": [], "import": []}
    for _ in range(args.repeat):
        floor = child("floor", str(path))
        written = child("write-floor", str(path))
        result = child("import", str(path))
        if not result.get("ok"):
            sys.exit(f"import failed: {result}")
        seconds = result["seconds"]
        times["floor"].append(floor["seconds"])
        times["read+write"].append(written["seconds"])
        times["import"].append(seconds)
        print(f"\n{connection.vendor}, {args.people} people, {result['rows']} rows, "
              f"{path.stat().st_size / 1e6:.1f} MB")  # fmt: skip
        print(f"floor (calamine read): {floor['seconds']:.2f} s, CPU {floor['cpu_seconds']:.2f} s, "
              f"peak {floor['peak_mb']:.0f} MB")  # fmt: skip
        tables = ", ".join(f"{t} {n}" for t, n in written["tables"].items())
        print(f"read + bare write:     {written['seconds']:.2f} s (read {written['read_seconds']:.2f} s, "
              f"then the import's rows by hand SQL: {tables}), CPU {written['cpu_seconds']:.2f} s, "
              f"÷ floor = {written['seconds'] / floor['seconds']:.2f}")  # fmt: skip
        print(f"import end to end:     {seconds:.2f} s (of which opening and reading "
              f"{result['read_seconds']:.2f} s), CPU {result['cpu_seconds']:.2f} s, "
              f"peak {result['peak_mb']:.0f} MB")  # fmt: skip
        print(f"  {result['rows'] / seconds:.0f} rows/s, {args.people / seconds:.0f} people/s, "
              f"import / floor = {seconds / floor['seconds']:.1f} "
              f"(CPU: {result['cpu_seconds'] / floor['cpu_seconds']:.1f})")  # fmt: skip
    summary(times, "floor")


def summary(times: dict[str, list[float]], floor: str) -> None:
    """Min and median of each operation over the interleaved runs, and median ÷ floor."""
    if sum(len(v) for v in times.values()) <= len(times):
        return  # one run: its lines say it all
    print(f"\nover {max(len(v) for v in times.values())} interleaved runs (seconds):")
    base = statistics.median(times[floor]) if times.get(floor) else None
    for name, values in times.items():
        if not values:
            continue
        median = statistics.median(values)
        ratio = f", median / floor median = {median / base:.2f}" if base and name != floor else ""
        print(f"  {name:8} min {min(values):.2f}, median {median:.2f}{ratio}")


if __name__ == "__main__":
    main()
