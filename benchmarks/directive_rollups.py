"""A national task's roll-up, beside one hand-written GROUP BY over the same rows.

Usage (from the repository root), on a national dataset built by
benchmarks/national_seed.py:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canbo_national \\
        .venv/bin/python benchmarks/directive_rollups.py --repeat 21

The first run adds (once) a directive "BENCH-1/TW" issued by the root unit TW with one
task assigned to every commune-level unit in force (9,963 in the 200,000-people set) and
a deterministic mix of completions (about 90 % on time, 4 % late, the rest open past the
deadline), and a monitoring group "Bench: 13 provinces" (the first 13 provinces by path).
Then, as of --as-of, p50 of --repeat interleaved runs of:

- selector: `directives.selectors.rollups([task], on, unit=… | group=…)` — counts by
  derived status, in one query;
- floor: one hand-written statement: the same assignments joined to their unit, filtered
  by path prefix (or by the group's paths), grouped by the status CASE.

For the whole country, three provinces and the group. Not a unit test.
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

STATUS = """CASE
  WHEN t.cancelled_on IS NOT NULL AND t.cancelled_on <= %(on)s THEN 'cancelled'
  WHEN a.completed_on IS NOT NULL AND a.completed_on <= %(on)s
       AND (t.deadline IS NULL OR a.completed_on <= t.deadline) THEN 'done_on_time'
  WHEN a.completed_on IS NOT NULL AND a.completed_on <= %(on)s THEN 'done_late'
  WHEN t.start_on > %(on)s THEN 'not_started'
  WHEN t.deadline IS NULL OR t.deadline >= %(on)s THEN 'in_progress'
  ELSE 'overdue' END"""
FLOOR = f"""
SELECT {STATUS} AS status, COUNT(*)
FROM directives_taskassignment a
JOIN directives_task t ON t.id = a.task_id
JOIN organizations_unit u ON u.id = a.unit_id
WHERE a.task_id = %(task)s AND u.path LIKE %(path)s
GROUP BY 1
"""
FLOOR_GROUP = f"""
SELECT {STATUS} AS status, COUNT(*)
FROM directives_taskassignment a
JOIN directives_task t ON t.id = a.task_id
JOIN organizations_unit u ON u.id = a.unit_id
WHERE a.task_id = %(task)s AND EXISTS (
    SELECT 1 FROM directives_monitoringgroup_units m
    JOIN organizations_unit g ON g.id = m.unit_id
    WHERE m.monitoringgroup_id = %(group)s AND u.path LIKE g.path || '%%')
GROUP BY 1
"""


def setup():
    from canbo.directives.models import Directive, MonitoringGroup, Task, TaskAssignment
    from canbo.organizations.choices import UnitLevel
    from canbo.organizations.models import Unit
    from canbo.organizations.selectors import valid_on_q

    tw = Unit.objects.get(code="TW")
    directive, created = Directive.objects.get_or_create(
        issuing_unit=tw, number="BENCH-1/TW",
        defaults={"kind": "plan", "issued_on": dt.date(2025, 9, 1),
                  "title": "Kế hoạch thử tải: mọi xã kiểm điểm"},
    )  # fmt: skip
    task, _ = Task.objects.get_or_create(
        directive=directive, order=1,
        defaults={"content": "Đảng ủy xã kiểm điểm", "start_on": dt.date(2025, 10, 1),
                  "deadline": dt.date(2025, 12, 15)},
    )  # fmt: skip
    if created or not task.assignments.exists():
        units = Unit.objects.filter(valid_on_q(dt.date(2025, 10, 1)), level=UnitLevel.COMMUNE)
        rows = []
        for n, pk in enumerate(units.order_by("path").values_list("pk", flat=True)):
            kind = n % 50
            done = (dt.date(2025, 12, 1) if kind < 45 else dt.date(2025, 12, 20) if kind < 47
                    else None)  # fmt: skip
            rows.append(TaskAssignment(task=task, unit_id=pk, completed_on=done))
        TaskAssignment.objects.bulk_create(rows, batch_size=2000)
    group, made = MonitoringGroup.objects.get_or_create(name="Bench: 13 provinces",
                                                        defaults={"owner": tw})  # fmt: skip
    if made:
        group.units.set(Unit.objects.filter(depth=1, code__startswith="TU-").order_by("path")[:13])
    return task, group


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--as-of", default="2026-01-01")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from canbo.directives.selectors import rollups
    from canbo.organizations.models import Unit

    task, group = setup()
    on = dt.date.fromisoformat(args.as_of)
    print(f"{connection.vendor}, as of {on:%d/%m/%Y}, {task.assignments.count()} assignments, "
          f"p50 of {args.repeat} interleaved runs")  # fmt: skip
    cases = [("country", {}, FLOOR, {"path": "%"})]
    for unit in Unit.objects.filter(depth=1, code__startswith="TU-").order_by("path")[:3]:
        cases.append((unit.code, {"unit": unit}, FLOOR, {"path": unit.path + "%"}))
    cases.append((group.name, {"group": group}, FLOOR_GROUP, {"group": group.pk}))
    for name, where, sql, params in cases:
        params = {**params, "task": task.pk, "on": on}

        def floor(sql=sql, params=params):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return dict(cursor.fetchall())

        def selector(where=where):
            return rollups([task], on, **where)[0]

        times = [[], []]
        for _ in range(args.repeat):
            for n, fn in enumerate((floor, selector)):
                started = time.perf_counter()
                result = fn()
                times[n].append(time.perf_counter() - started)
        floor_s, selector_s = (statistics.median(t) for t in times)
        with CaptureQueriesContext(connection) as queries:
            rolled = selector()
        assert rolled.counts == floor(), (rolled.counts, floor())
        print(f"{name}: {rolled.text}, overdue {rolled.overdue}; floor {floor_s * 1000:.1f} ms, "
              f"selector {selector_s * 1000:.1f} ms in {len(queries)} query, "
              f"ratio {selector_s / floor_s:.2f}")  # fmt: skip
        del result


if __name__ == "__main__":
    main()
