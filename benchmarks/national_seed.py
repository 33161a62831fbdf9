"""Time `canbo seed-demo --scale national` on an empty database.

Usage (from the repository root):

    .venv/bin/python benchmarks/national_seed.py --people 2000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canbo_national \
        .venv/bin/python benchmarks/national_seed.py --people 2000000

It migrates the database, loads the areas if there are none (`load-areas
--if-empty`, not timed), refuses a database that already holds people, then
runs the command exactly as an operator would and prints the wall time, the
command's own phase times, the peak memory of the process, the row counts and
the size of the database. Not a unit test. The default database is
var/national.sqlite3.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
os.environ.setdefault("CANBO_OFFLINE_COMMAND", "1")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'national.sqlite3'}")


class Tee(io.TextIOBase):
    """Print the command's progress as it comes and keep it for the summary."""

    def __init__(self):
        self.lines: list[str] = []

    def write(self, text):
        sys.stdout.write(text)
        sys.stdout.flush()
        self.lines.append(text)
        return len(text)


def prepare() -> None:
    """Migrate the database and load the areas if it has none (not timed)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_areas", "--if-empty", verbosity=0)


def seed(people: int, seed: int, out=None) -> float:
    """Run `canbo seed-demo --scale national` as an operator would (on a prepared
    database); its progress goes to `out`. Returns the wall time in seconds.
    Also used by benchmarks/list_export_job.py."""
    from django.core.management import call_command

    started = time.perf_counter()
    call_command(
        "seed_demo", "--scale", "national", "--people", str(people), "--seed", str(seed),
        stdout=out or Tee(),
    )  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from canbo.organizations.models import Position, Unit
    from canbo.people.models import (
        Assignment,
        ConfidenceVote,
        Discipline,
        Evaluation,
        Person,
        Reward,
        Training,
    )

    prepare()
    if Person.objects.exists():
        sys.exit("The database already holds people; point DATABASE_URL at an empty one.")

    seconds = seed(args.people, args.seed)

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
    else:
        name = Path(connection.settings_dict["NAME"])
        size = sum(p.stat().st_size for p in name.parent.glob(name.name + "*"))
    print()
    print(f"{connection.vendor}: {args.people:,} people (seed {args.seed})")
    print(f"  wall time, whole command (ANALYZE included): {seconds:,.0f} s "
          f"({seconds / 60:.1f} min, {args.people / seconds:,.0f} people/s)")  # fmt: skip
    print(f"  peak memory of the process: {peak_mib:,.0f} MiB")
    print(f"  database size: {size / 2**30:.2f} GiB")
    for model in (Unit, Position, Person, Assignment, Evaluation, ConfidenceVote, Discipline,
                  Reward, Training):  # fmt: skip
        print(f"  {model._meta.db_table:28} {model.objects.count():>12,}")


if __name__ == "__main__":
    main()
