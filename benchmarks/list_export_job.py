"""The people list to Excel as a background job, at 1,000,000 people (issue 17).

Usage (from the repository root; PostgreSQL, a database of its own):

    createdb -h 127.0.0.1 -U postgres canbo_million
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canbo_million \\
        .venv/bin/python benchmarks/list_export_job.py --people 1000000

On an empty database it migrates, loads the areas and seeds the whole country with
`--people` people (`canbo seed-demo --scale national`, through national_seed.py: COPY,
about 8 minutes for a million on 2 cores); a database holding exactly that many people is
reused as it is (anything else is refused). Then it measures:

- the web side: the administrator's click on "Xuất Excel" of the unfiltered people list,
  through the real view (Django's test client POST to people:list-xlsx, default
  CANBO_LIST_INLINE_ROWS): the time and the growth of the process's peak RSS (VmHWM,
  reset through /proc/self/clear_refs) for the request, after a warm-up GET of the same
  address (the page that asks for confirmation); the request only counts and enqueues;
- the worker: `canbo db_worker --batch --no-startup-delay`, the real command, as a
  subprocess, its RSS sampled from /proc until it exits, its peak RSS (ru_maxrss from
  wait4) and CPU time; the job must end done with done == total == people, the file's
  first rows (openpyxl, read-only) must carry the count line, and its last row must be
  person number `--people`;
- the floor: the same rows read by one hand-written SQL statement (server-side cursor,
  no ORM; age and retirement date by the same functions of people.derived) and written
  by the same writer (core.listexport.write_list); the two files' worksheets must be
  identical (same CRC-32 and size), so the floor computes exactly the same rows.

Prints the numbers and the ratio to the floor. Not a unit test. The files go to
var/bench-jobs (CANBO_JOB_DIR for both processes), removed at the end unless --keep.
Other DATABASE_URL: the default is postgres://postgres@127.0.0.1:5432/canbo_million.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
os.environ.setdefault("CANBO_TESTING", "1")  # a SECRET_KEY for the test client's session
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("CANBO_ADMIN_2FA", "0")  # the test client signs in without a code
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/canbo_million")
os.environ.setdefault("CANBO_JOB_DIR", str(ROOT / "var" / "bench-jobs"))
os.environ.pop("DEBUG", None)  # DEBUG keeps every query in memory: not what production runs

MiB = 2**20
SHEET = "xl/worksheets/sheet1.xml"


def status_kib(pid: int | str, field: str) -> int | None:
    """A "VmRSS"/"VmHWM" line of /proc/<pid>/status, in KiB (None once the process is gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def reset_peak() -> None:
    """Let VmHWM start again from the current RSS (Linux 4.0+)."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def mb(kib: float, digits: int = 0) -> str:
    return f"{kib / 1024:,.{digits}f} MB"


def minutes(seconds: float) -> str:
    return f"{seconds:,.0f} s ({int(seconds // 60)} min {seconds % 60:02.0f} s)"


def ensure_people(people: int, seed: int) -> None:
    import national_seed

    from canbo.people.models import Person

    national_seed.prepare()
    have = Person.objects.count()
    if have == people:
        print(f"reusing the database: {have:,} people")
        return
    if have:
        sys.exit(f"The database holds {have:,} people, not {people:,}; point DATABASE_URL "
                 "at an empty database or at one seeded with --people as given.")  # fmt: skip
    print(f"seeding {people:,} people (seed-demo --scale national --seed {seed}) …")
    seconds = national_seed.seed(people, seed)
    print(f"seeded in {minutes(seconds)}")


def web_side(admin, people: int):
    """The click: POST to the export address as the administrator. Returns the job."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from canbo.jobs import services
    from canbo.jobs.models import OPEN, Job

    for job in Job.objects.filter(user=admin, status__in=OPEN):  # an earlier run's leftovers
        services.cancel(job)
    client = Client()
    client.force_login(admin)
    url = reverse("people:list-xlsx")

    rss0 = status_kib("self", "VmRSS")
    reset_peak()
    t0 = time.perf_counter()
    response = client.get(url)  # the confirmation page (warm-up: imports, templates)
    get_seconds = time.perf_counter() - t0
    assert response.status_code == 200, response.status_code
    get_delta = status_kib("self", "VmHWM") - rss0

    rss1 = status_kib("self", "VmRSS")
    reset_peak()
    t0 = time.perf_counter()
    response = client.post(url)
    post_seconds = time.perf_counter() - t0
    post_delta = status_kib("self", "VmHWM") - rss1
    job = Job.objects.filter(user=admin).order_by("-created_at").first()
    assert response.status_code == 302, response.status_code
    assert response["Location"] == reverse("jobs:detail", args=[job.pk]), response["Location"]
    assert (job.status, job.params) == ("queued", {"list": "people", "query": "", "kwargs": {}})
    print(f"\nweb side (CANBO_LIST_INLINE_ROWS = {settings.CANBO_LIST_INLINE_ROWS:,}):")
    print(f"  GET  (confirmation page, first request): {get_seconds * 1000:,.0f} ms, "
          f"peak RSS +{mb(get_delta, 1)}")  # fmt: skip
    print(f"  POST (count, start the job, redirect):   {post_seconds * 1000:,.0f} ms, "
          f"peak RSS +{mb(post_delta, 1)} (process RSS {mb(rss1)})")  # fmt: skip
    return job


def worker(job, people: int, sample_every: float, log: Path) -> dict:
    """Run `canbo db_worker --batch --no-startup-delay`, sampling its RSS until it exits."""
    from django.db import close_old_connections

    from canbo.jobs.models import Job

    env = {k: v for k, v in os.environ.items() if k not in ("CANBO_TESTING", "DEBUG")}
    command = [str(ROOT / ".venv" / "bin" / "canbo"), "db_worker", "--batch",
               "--no-startup-delay"]  # fmt: skip
    print(f"\nworker: {' '.join(['canbo', *command[1:]])} (log: {log})")
    samples: list[tuple[float, int, int]] = []  # (seconds, rows done, RSS KiB)
    with log.open("w") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        last_read, last_print, done = 0.0, 0.0, 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            now = time.perf_counter() - t0
            if pid:
                break
            rss = status_kib(proc.pid, "VmRSS")
            if now - last_read >= 2:  # the job's progress, as its page reads it
                close_old_connections()
                done = Job.objects.filter(pk=job.pk).values_list("done", flat=True).first() or 0
                last_read = now
            if now - last_print >= 30:
                print(f"  {now:6.0f} s: {done:>9,} / {people:,} rows, RSS {mb(rss or 0)}",
                      flush=True)  # fmt: skip
                last_print = now
            if rss:
                samples.append((now, done, rss))
            time.sleep(sample_every)
        seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 0, f"the worker exited with {proc.returncode}; see {log}"
    return {"seconds": seconds, "peak_kib": usage.ru_maxrss, "samples": samples,
            "cpu": usage.ru_utime + usage.ru_stime}  # fmt: skip


def check_job(job, people: int) -> Path:
    """The job is done with every row, and its file says so at the top and at the end."""
    import openpyxl

    from canbo.jobs import services

    job.refresh_from_db()
    assert job.status == "done", (job.status, job.message)
    assert (job.done, job.total) == (people, people), (job.done, job.total)
    path = services.file_path(job)
    assert path.stat().st_size == job.file_size
    book = openpyxl.load_workbook(path, read_only=True)
    head = [row for _, row in zip(range(5), book.active.iter_rows(values_only=True), strict=False)]
    book.close()
    count_line = f"· {people:,} dòng".replace(",", ".")
    assert head[0][0] == "Danh sách cán bộ", head[0]
    assert head[1][0].startswith("Ngày xuất: ") and head[1][0].endswith(count_line), head[1]
    assert head[2][:2] == ("STT", "Họ và tên"), head[2]
    assert head[3][0] == 1 and head[4][0] == 2, (head[3], head[4])
    last = last_row(path)
    assert last == (people + 3, people), last
    print(f"  job {job.pk}: {job.status}, done {job.done:,} of {job.total:,}; "
          f"file {job.file_size / MiB:,.1f} MiB ({job.file_name})")  # fmt: skip
    print(f"  first rows: {head[1][0]!r}; {head[3][:3]}")
    print(f"  last row: row {last[0]:,} of the sheet, STT {last[1]:,}")
    return path


def last_row(path: Path) -> tuple[int, int]:
    """(row number, STT) of the worksheet's last row, read by decompressing it to its end."""
    tail = b""
    with zipfile.ZipFile(path) as archive, archive.open(SHEET) as sheet:
        while chunk := sheet.read(1 << 20):
            tail = (tail + chunk)[-8192:]
    rows = re.findall(rb'<row r="(\d+)"[^>]*><c r="A\d+"(?: s="\d+")?><v>(\d+)</v>', tail)
    return int(rows[-1][0]), int(rows[-1][1])


FLOOR_SQL = """
SELECT p.full_name, p.id_number, p.sex, p.birth_date, p.birth_date_precision,
       p.retirement_age_override_months, u.name,
       (SELECT string_agg(
                   a.title_name
                   || CASE WHEN a.unit_name <> '' AND a.unit_name IS DISTINCT FROM u.name
                           THEN ' – ' || a.unit_name ELSE '' END
                   || CASE WHEN a.is_concurrent THEN ' (' || %(concurrent)s || ')' ELSE '' END,
                   '; ' ORDER BY a.start_date DESC, a.id DESC)
          FROM people_assignment a
         WHERE a.person_id = p.id AND a.start_date <= %(on)s
           AND (a.end_date IS NULL
                OR (a.end_precision = 'D' AND a.end_date >= %(on)s)
                OR (a.end_precision = 'M' AND a.end_date >= %(month)s)
                OR (a.end_precision = 'Y' AND a.end_date >= %(year)s)))
  FROM people_person p LEFT JOIN organizations_unit u ON u.id = p.unit_id
 ORDER BY p.sort_key, p.id
"""


def floor(people: int, job_dir: Path) -> dict:
    """The same sheet from one hand-written statement, through the same writer."""
    from django.db import connection, transaction
    from django.utils.translation import gettext as _

    from canbo.core import listexport
    from canbo.people import derived, list_export, selectors
    from canbo.people.models import Sex

    on = selectors.today()
    sexes = {value: str(label) for value, label in Sex.choices}
    params = {"on": on, "month": on.replace(day=1), "year": on.replace(month=1, day=1),
              "concurrent": _("kiêm nhiệm")}  # fmt: skip

    def rows():
        with transaction.atomic(), connection.chunked_cursor() as cursor:
            cursor.execute(FLOOR_SQL, params)
            while chunk := cursor.fetchmany(listexport.CHUNK):
                for name, id_number, sex, born, precision, override, unit, posts in chunk:
                    yield [
                        name, id_number, sexes.get(sex, sex),
                        listexport.day_cell(born, precision),
                        derived.age_on(born, precision, on), unit or "", posts or "",
                        derived.retirement_date(sex, born, precision, override),
                    ]  # fmt: skip

    path = job_dir / "floor.xlsx"
    rss0 = status_kib("self", "VmRSS")
    reset_peak()
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    written = listexport.write_list(
        str(path), title=_(list_export.NAME), columns=list_export.columns(False), rows=rows(),
        count=people,
    )  # fmt: skip
    seconds = time.perf_counter() - t0
    assert written == people, written
    return {"seconds": seconds, "cpu": time.process_time() - cpu0, "path": path,
            "peak_delta_kib": status_kib("self", "VmHWM") - rss0}  # fmt: skip


def same_sheet(a: Path, b: Path) -> bool:
    with zipfile.ZipFile(a) as one, zipfile.ZipFile(b) as other:
        x, y = one.getinfo(SHEET), other.getinfo(SHEET)
        return (x.CRC, x.file_size) == (y.CRC, y.file_size)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample-every", type=float, default=0.25, help="seconds")
    parser.add_argument("--no-floor", action="store_true", help="skip the hand-written floor")
    parser.add_argument("--keep", action="store_true", help="keep the files in CANBO_JOB_DIR")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from canbo.accounts.models import Role, User

    if connection.vendor != "postgresql":
        sys.exit("This benchmark is for PostgreSQL (DATABASE_URL=postgres://…).")
    ensure_people(args.people, args.seed)
    job_dir = Path(settings.CANBO_JOB_DIR)
    job_dir.mkdir(parents=True, exist_ok=True)
    admin, _created = User.objects.get_or_create(
        username="bench-admin", defaults={"role": Role.ADMIN, "is_superuser": True}
    )
    print(f"\n{dt.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, load average "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))  # fmt: skip

    job = web_side(admin, args.people)
    run = worker(job, args.people, args.sample_every, job_dir / "worker.log")
    path = check_job(job, args.people)
    rss = [kib for _, _, kib in run["samples"]]
    job.refresh_from_db()
    handler = (job.finished_at - job.started_at).total_seconds()
    print(f"  wall time {minutes(run['seconds'])} (the job itself, started to finished: "
          f"{minutes(handler)}), CPU {run['cpu']:,.0f} s, {args.people / run['seconds']:,.0f} "
          "rows/s")  # fmt: skip
    waiting = [(t, kib) for t, done, kib in run["samples"] if not done]
    first_row = min((t for t, done, _ in run["samples"] if done), default=run["seconds"])
    print(f"  peak RSS {mb(run['peak_kib'])} (ru_maxrss); sampled every {args.sample_every} s: "
          f"before the first row {mb(max(kib for _, kib in waiting))}, median "
          f"{mb(sorted(rss)[len(rss) // 2])}, max {mb(max(rss))}")  # fmt: skip
    print(f"  first rows counted after about {first_row:,.0f} s (progress read every 2 s)")
    by_decile = []
    for tenth in range(1, 11):
        upto = [kib for _, done, kib in run["samples"] if done <= args.people * tenth // 10]
        by_decile.append(mb(max(upto)) if upto else "-")
    print("  max RSS by the rows done (per tenth):", ", ".join(by_decile))

    if not args.no_floor:
        print("\nfloor (hand-written SQL, server-side cursor, same writer) …", flush=True)
        low = floor(args.people, job_dir)
        same = same_sheet(path, low["path"])
        print(f"  wall time {minutes(low['seconds'])}, CPU {low['cpu']:,.0f} s, "
              f"{args.people / low['seconds']:,.0f} rows/s, peak RSS +{mb(low['peak_delta_kib'])}")
        print(f"  worksheet identical to the job's: {same}")
        print(f"\njob / floor (wall time): {run['seconds'] / low['seconds']:.2f}")
        assert same, "the floor's worksheet differs from the job's"
    if not args.keep:
        for made in (path, job_dir / "floor.xlsx", job_dir / "worker.log"):
            made.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
