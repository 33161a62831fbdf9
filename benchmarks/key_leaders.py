"""Key leaders of a province at a date, beside one hand-written GROUP BY over the same rows.

Usage (from the repository root), on a national dataset built by
benchmarks/national_seed.py:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canbo_national \\
        .venv/bin/python benchmarks/key_leaders.py --provinces 3 --repeat 5

For each of the first N provinces (their root party committee's subtree), as of
--as-of (default 01/01/2026), p50 of --repeat runs (the three interleaved) of:

- summary: `people.leaders.key_leader_summary` (the API's `posts=false`) — the
  summary per title and level and the holders of two key titles over the key
  posts of the subtree valid at the date, locality judged per post (hometown,
  mergers both ways, the area each unit governs) inside the statement;
- full: `people.leaders.key_leaders` — the same with every post, its holder and
  their continuous tenure (the page, the API's default, the workbook);
- floor: one hand-written SQL statement over the same rows: the holders of key
  posts in the subtree at the date, grouped by title and unit level, with the
  non-local count judged by the unit's own area path (no mergers, no
  ancestors, no tenure).

It prints the three, the ratios to the floor, the number of queries of each
selector and the holders found (the selectors' and the floor's held counts must
agree). Not a unit test.
"""

from __future__ import annotations

import argparse
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
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'national.sqlite3'}")

FLOOR = """
SELECT t.code, u.level, COUNT(*) AS held,
       SUM(CASE WHEN ha.path IS NOT NULL AND ga.path IS NOT NULL
                 AND ha.path NOT LIKE ga.path || '%%' THEN 1 ELSE 0 END) AS not_local
FROM people_assignment a
JOIN organizations_position p ON p.id = a.position_id
JOIN organizations_unit u ON u.id = p.unit_id
JOIN organizations_positiontitle t ON t.id = p.title_id
JOIN people_person pe ON pe.id = a.person_id
LEFT JOIN organizations_area ha ON ha.id = pe.hometown_id
LEFT JOIN organizations_area ga ON ga.id = u.area_id
WHERE t.is_key AND u.path LIKE %s
  AND (u.valid_from IS NULL OR u.valid_from <= %s) AND (u.valid_to IS NULL OR u.valid_to >= %s)
  AND a.start_date <= %s AND (a.end_date IS NULL OR a.end_date >= %s)
GROUP BY t.code, u.level
"""


def p50(fns, repeat: int) -> list[tuple[float, object]]:
    """The median time and the last result of each of `fns`, run in turn `repeat` times
    (interleaved, so that a busy moment of a shared machine weighs on all alike)."""
    times, results = [[] for _ in fns], [None] * len(fns)
    for _ in range(repeat):
        for n, fn in enumerate(fns):
            started = time.perf_counter()
            results[n] = fn()
            times[n].append(time.perf_counter() - started)
    return [(statistics.median(t), r) for t, r in zip(times, results, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provinces", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--as-of", default="2026-01-01")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from canbo.organizations.models import Unit
    from canbo.people.leaders import key_leaders
    from canbo.people.leaders_summary import key_leader_summary

    on = dt.date.fromisoformat(args.as_of)
    roots = list(Unit.objects.filter(depth=1).order_by("path")[: args.provinces])
    print(f"{connection.vendor}, as of {on:%d/%m/%Y}, p50 of {args.repeat} runs")
    for root in roots:
        units = Unit.objects.filter(path__startswith=root.path).count()

        def floor(root=root):
            with connection.cursor() as cursor:
                cursor.execute(FLOOR, [root.path + "%", on, on, on, on])
                return cursor.fetchall()

        (floor_s, rows), (summary_s, summary), (full_s, result) = p50(
            [floor, lambda root=root: key_leader_summary(unit=root, on=on),
             lambda root=root: key_leaders(unit=root, on=on)], args.repeat)  # fmt: skip
        counts = []
        for read in (key_leader_summary, key_leaders):
            with CaptureQueriesContext(connection) as queries:
                read(unit=root, on=on)
            counts.append(len(queries))
        held = sum(s.held for s in summary.summary)
        assert held == sum(s.held for s in result.summary)
        assert [s.not_local for s in summary.summary] == [s.not_local for s in result.summary]
        floor_held = sum(r[2] for r in rows)
        print(f"{root.code} ({root.name}): {units} units, {len(result.posts)} key seats, "
              f"{held} held (floor {floor_held}), "
              f"{sum(s.not_local for s in summary.summary)} not local")  # fmt: skip
        print(f"  floor {floor_s * 1000:.1f} ms; "
              f"summary {summary_s * 1000:.1f} ms in {counts[0]} queries, "
              f"ratio {summary_s / floor_s:.2f}; "
              f"full {full_s * 1000:.1f} ms in {counts[1]} queries, "
              f"ratio {full_s / floor_s:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
