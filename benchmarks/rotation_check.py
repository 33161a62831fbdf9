"""Checking every rotation of a dataset (R1–R3), beside hand-written SQL reading the same facts.

Usage (from the repository root), on any database with rotations (a seeded demo:
`canbo seed-demo`; the national dataset of benchmarks/national_seed.py has no rotations
yet):

    DATABASE_URL=sqlite:///var/canbo.sqlite3 .venv/bin/python benchmarks/rotation_check.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canbo .venv/bin/python \\
        benchmarks/rotation_check.py --repeat 9

As of --as-of (default today), p50 of --repeat interleaved runs of:

- facts: `rotation.selectors.rotation_facts` over every rotation: the rotations, their
  people's planning entries, the people's own facts (ID, name, birth, sex, retirement
  override) and the posts taken, in four queries;
- check: `rotation.selectors.check_rotations`, the same facts and the rules R1–R3 in
  force (two more queries for the rule set);
- floor: two hand-written statements reading what R1–R3 decide on: every rotation with
  its person's birth date, sex and override and the post taken (title, unit), and the
  planning entries of those people (no discipline, ratings, votes or held posts).

It prints the three, the ratios to the floor, the number of queries of each and the
findings by rule. `--grow N` first adds N rotations (bulk-inserted, not through the
services: a scratch database only) of people holding posts, so that the same run at two
sizes shows the query counts staying the same. Not a unit test.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
os.environ.setdefault("CANBO_TESTING", "1")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'canbo.sqlite3'}")

ROTATIONS = """
SELECT r.id, r.person_id, r.kind, r.purpose, r.start_date, r.planned_end, r.actual_end,
       r.shorter_approved, pe.birth_date, pe.birth_date_precision, pe.sex,
       pe.retirement_age_override_months, t.code, t.rank, u.level
FROM rotation_rotation r
JOIN people_person pe ON pe.id = r.person_id
JOIN organizations_position p ON p.id = r.to_position_id
JOIN organizations_positiontitle t ON t.id = p.title_id
JOIN organizations_unit u ON u.id = p.unit_id
WHERE r.start_date IS NULL OR r.start_date <= %s
"""
ENTRIES = """
SELECT e.id, e.person_id, e.position_id, e.added_on, e.removed_on
FROM planning_planentry e
WHERE e.added_on <= %s AND e.person_id IN (
    SELECT r.person_id FROM rotation_rotation r WHERE r.start_date IS NULL OR r.start_date <= %s)
"""


def p50(fns, repeat: int) -> list[tuple[float, object]]:
    """The median time and the last result of each of `fns`, run in turn `repeat` times."""
    times, results = [[] for _ in fns], [None] * len(fns)
    for _ in range(repeat):
        for n, fn in enumerate(fns):
            started = time.perf_counter()
            results[n] = fn()
            times[n].append(time.perf_counter() - started)
    return [(statistics.median(t), r) for t, r in zip(times, results, strict=True)]


def grow(n: int, on: dt.date) -> None:
    """N rotations of people holding a post on `on`, to another post of the same root unit,
    kinds and purposes in turn, a third of them intended (no start)."""
    import random

    from canbo.organizations.models import Position, Unit
    from canbo.people.models import Assignment
    from canbo.people.selectors import held_on_q
    from canbo.rotation.choices import RotationKind, RotationPurpose
    from canbo.rotation.models import Rotation

    rng = random.Random(15)
    held = list(Assignment.objects.filter(held_on_q(on), position__isnull=False)
                .values_list("person_id", "position_id", "position__unit__path")[: n * 2])  # fmt: skip
    roots = {u.path: u for u in Unit.objects.filter(depth=1)}
    positions: dict[str, list[int]] = {}
    for pk, path in Position.objects.values_list("pk", "unit__path"):
        positions.setdefault(path[:4], []).append(pk)
    kinds, purposes = list(RotationKind.values), list(RotationPurpose.values)
    rows = []
    for i in range(n):
        person_id, from_id, path = held[i % len(held)]
        start = None if i % 3 == 0 else on - dt.timedelta(days=rng.randrange(30, 900))
        rows.append(Rotation(
            person_id=person_id, kind=kinds[i % len(kinds)], purpose=purposes[i % len(purposes)],
            from_position_id=from_id, to_position_id=rng.choice(positions[path[:4]]),
            competent_unit=roots[path[:4]], decision_number="" if start is None else f"{i}-QĐ",
            decision_date=start, start_date=start,
            planned_end=None if start is None else start + dt.timedelta(days=rng.choice((700, 1100))),
        ))  # fmt: skip
    Rotation.objects.bulk_create(rows, batch_size=2000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--as-of", default=None)
    parser.add_argument("--grow", type=int, default=0,
                        help="bulk-insert this many rotations first (a scratch database only)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from canbo.rotation.models import Rotation
    from canbo.rotation.selectors import check_rotations, rotation_facts

    on = dt.date.fromisoformat(args.as_of) if args.as_of else timezone.localdate()
    if args.grow:
        grow(args.grow, on)
    qs = Rotation.objects.all()
    total = qs.count()
    if not total:
        print("No rotation in this database (seed a demo: `canbo seed-demo`).")
        return

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(ROTATIONS, [on])
            rows = cursor.fetchall()
            cursor.execute(ENTRIES, [on, on])
            return rows, cursor.fetchall()

    (floor_s, (rows, entries)), (facts_s, facts), (check_s, findings) = p50(
        [floor, lambda: rotation_facts(qs, on), lambda: check_rotations(qs, on)], args.repeat
    )
    counts = []
    for read in (rotation_facts, check_rotations):
        with CaptureQueriesContext(connection) as queries:
            read(qs, on)
        counts.append(len(queries))
    by_rule = collections.Counter(f.rule for f in findings)
    print(f"{connection.vendor}, as of {on:%d/%m/%Y}, p50 of {args.repeat} runs")
    print(f"{total} rotations, {len(facts.rotations)} decided by then or intended "
          f"(floor {len(rows)}), {len(facts.people)} people, {len(entries)} planning entries")
    print(f"  floor {floor_s * 1000:.2f} ms in 2 queries; "
          f"facts {facts_s * 1000:.2f} ms in {counts[0]} queries, ratio {facts_s / floor_s:.2f}; "
          f"check {check_s * 1000:.2f} ms in {counts[1]} queries, ratio {check_s / floor_s:.2f}")
    print("  findings: " + (", ".join(f"{k} {v}" for k, v in sorted(by_rule.items())) or "none"))


if __name__ == "__main__":
    main()
