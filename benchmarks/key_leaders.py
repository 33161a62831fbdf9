"""Key leaders of a province at a date, beside one hand-written GROUP BY over the same rows.

Usage (from the repository root), on a national dataset built by
benchmarks/national_seed.py:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canbo_national \\
        .venv/bin/python benchmarks/key_leaders.py --provinces 3 --repeat 5

For each of the first N provinces (their root party committee's subtree), as of
--as-of (default 01/01/2026), p50 of --repeat runs of:

- selector: `people.leaders.key_leaders` — the key posts of the subtree valid at
  the date, their holders, locality per post (hometown, mergers both ways, the
  area each unit governs), continuous tenure, the summary per title and level
  and the holders of two key titles;
- floor: one hand-written SQL statement over the same rows: the holders of key
  posts in the subtree at the date, grouped by title and unit level, with the
  non-local count judged by the unit's own area path (no mergers, no
  ancestors, no tenure).

It prints both, their ratio, the number of queries of the selector and the
holders found (the selector's and the floor's held counts must agree). Not a
unit test.
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


def p50(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


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

    on = dt.date.fromisoformat(args.as_of)
    roots = list(Unit.objects.filter(depth=1).order_by("path")[: args.provinces])
    print(f"{connection.vendor}, as of {on:%d/%m/%Y}, p50 of {args.repeat} runs")
    for root in roots:
        units = Unit.objects.filter(path__startswith=root.path).count()

        def floor(root=root):
            with connection.cursor() as cursor:
                cursor.execute(FLOOR, [root.path + "%", on, on, on, on])
                return cursor.fetchall()

        floor_s, rows = p50(floor, args.repeat)
        selector_s, result = p50(lambda root=root: key_leaders(unit=root, on=on), args.repeat)
        with CaptureQueriesContext(connection) as queries:
            key_leaders(unit=root, on=on)
        held = sum(s.held for s in result.summary)
        floor_held = sum(r[2] for r in rows)
        print(f"{root.code} ({root.name}): {units} units, {len(result.posts)} key seats, "
              f"{held} held (floor {floor_held}), "
              f"{sum(s.not_local for s in result.summary)} not local")  # fmt: skip
        print(f"  selector {selector_s * 1000:.1f} ms in {len(queries)} queries; "
              f"floor {floor_s * 1000:.1f} ms; ratio {selector_s / floor_s:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
