"""The cadre statistics form (TK-CB) for the whole country and for one province, beside
one hand-written GROUP BY over the same rows (issue 16's acceptance: national ≤ 3 s and
≤ 1.5× the GROUP BY on PostgreSQL, a province ≤ 0.3 s, queries independent of the
number of units).

Usage (from the repository root), on a national dataset built by
benchmarks/national_seed.py:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canbo_national \\
        .venv/bin/python benchmarks/cadre_statistics.py --repeat 7
    .venv/bin/python benchmarks/cadre_statistics.py      # SQLite: var/national.sqlite3

As of --as-of (default today), min and median of --repeat interleaved runs of:

- country: `report_for(TK-CB, unit=None)` (an administrator: everything), against FLOOR
  over every unit;
- province: `report_for(TK-CB, unit=<province committee>)` (--province PATH; default the
  first by path), against FLOOR over its subtree;
- communes: `reports_for_units` for every commune unit of that province at once (what a
  round's reconciliation computes), against FLOOR grouped by the commune's path prefix.

The floor counts the same rows (main posts held on the date in units in force then,
one per person: the lowest row id) with the same conditions, in one statement; the
script asserts that both give the same numbers. Query counts are printed. Not a unit
test. canbo reads the people settled as having no two main posts on one day without the
look-up for an earlier post (ADR 0035); the floor does the look-up for everyone, as a
hand-written statement over the records would. The seed settles everyone; the script
prints how many are not.
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

# One row per main post held on the date (row-level conditions, ADR 0013's end
# precisions), the unit in force then, the first main row of each person held that day; then one
# GROUP BY with a conditional count per column.
FLOOR = """
WITH held AS (
  SELECT a.id, a.person_id, {group} AS g, u.level
  FROM people_assignment a
  JOIN organizations_position po ON po.id = a.position_id
  JOIN organizations_unit u ON u.id = po.unit_id
  WHERE NOT a.is_concurrent AND a.start_date <= %(on)s
    AND (a.end_date IS NULL OR (a.end_precision = 'D' AND a.end_date >= %(on)s)
         OR (a.end_precision = 'M' AND a.end_date >= %(month)s)
         OR (a.end_precision = 'Y' AND a.end_date >= %(year)s))
    AND (u.valid_from IS NULL OR u.valid_from <= %(on)s)
    AND (u.valid_to IS NULL OR u.valid_to >= %(on)s)
    AND u.path LIKE %(prefix)s
), first AS (
  SELECT h.* FROM held h WHERE NOT EXISTS (
    SELECT 1 FROM people_assignment b
    WHERE b.person_id = h.person_id AND b.id < h.id AND NOT b.is_concurrent
      AND b.position_id IS NOT NULL AND b.start_date <= %(on)s
      AND (b.end_date IS NULL OR (b.end_precision = 'D' AND b.end_date >= %(on)s)
           OR (b.end_precision = 'M' AND b.end_date >= %(month)s)
           OR (b.end_precision = 'Y' AND b.end_date >= %(year)s)))
)
SELECT f.g, f.level, COUNT(*),
  {columns}
FROM first f
JOIN people_person p ON p.id = f.person_id
LEFT JOIN people_ethnicity e ON e.id = p.ethnicity_id
GROUP BY f.g, f.level
"""


def years_before(on: dt.date, years: int) -> dt.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def younger(age: int, on: dt.date) -> str:
    """Under `age` whole years on `on`, by the effective birth date (ADR 0005)."""
    cut = years_before(on, age)
    nxt = dt.date(cut.year + 1, 1, 1) if cut.month == 12 else dt.date(cut.year, cut.month + 1, 1)
    return (f"((p.birth_date_precision = 'D' AND p.birth_date > '{cut}') OR "
            f"(p.birth_date_precision = 'M' AND p.birth_date >= '{nxt}') OR "
            f"(p.birth_date_precision = 'Y' AND p.birth_date >= '{dt.date(cut.year + 1, 1, 1)}'))")  # fmt: skip


def conditions(on: dt.date) -> dict[str, str]:
    return {
        "women": "p.sex = 'F'",
        "minority": "e.is_minority",
        "religious": "p.religion NOT IN ('', 'none')",
        "age_30": younger(31, on),
        "age_31_40": f"{younger(41, on)} AND NOT {younger(31, on)}",
        "age_41_50": f"{younger(51, on)} AND NOT {younger(41, on)}",
        "age_51_60": f"{younger(61, on)} AND NOT {younger(51, on)}",
        "age_61": f"NOT {younger(61, on)}",
        "doctor": "p.professional_degree = 5",
        "master": "p.professional_degree = 4",
        "bachelor": "p.professional_degree = 3",
        "college": "p.professional_degree IN (1, 2)",
        "theory_high": "p.political_theory IN (3, 4)",
        "theory_mid": "p.political_theory = 2",
        "theory_low": "p.political_theory = 1",
        "sm_senior": "p.state_management = 3",
        "sm_principal": "p.state_management = 2",
        "sm_officer": "p.state_management = 1",
        "party": f"p.party_joined_date <= '{on}'",
    }


def run_floor(on: dt.date, prefix: str, width: int | None) -> dict:
    """{(group, (row, column)): n} from the hand-written statement."""
    from django.db import connection

    from canbo.core.db import planned_for_scans

    conds = conditions(on)
    columns = ",\n  ".join(f"SUM(CASE WHEN {c} THEN 1 ELSE 0 END)" for c in conds.values())
    group = f"substr(u.path, 1, {width})" if width else "''"
    sql = FLOOR.format(group=group, columns=columns)
    params = {"on": on, "month": on.replace(day=1), "year": on.replace(month=1, day=1),
              "prefix": prefix + "%"}  # fmt: skip
    found: dict = {}
    # The planner settings canbo gives its aggregating statements (core.db), so that
    # both are planned alike.
    with planned_for_scans("default"), connection.cursor() as cursor:
        cursor.execute(sql, params)
        for g, level, people, *values in cursor.fetchall():
            for code, n in zip(["people", *conds], [people, *values], strict=True):
                for row in (level, "total"):
                    key = (g, (row, code))
                    found[key] = found.get(key, 0) + (n or 0)
    return found


def timed(fn):
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--as-of", default=None)
    parser.add_argument("--province", default=None, help="the province unit's path")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from canbo.organizations.models import Unit
    from canbo.reports.forms import form_named
    from canbo.reports.selectors import report_for, reports_for_units

    on = dt.date.fromisoformat(args.as_of) if args.as_of else dt.date.today()
    form = form_named("TK-CB")
    provinces = Unit.objects.filter(depth=1, kind="party_committee",
                                    level="province").order_by("path")
    if args.province:
        provinces = provinces.filter(path=args.province)
    province = provinces.first()
    communes = list(Unit.objects.filter(path__startswith=province.path, level="commune",
                                        kind="party_committee", valid_to__isnull=True))  # fmt: skip
    width = len(communes[0].path) if communes else None
    print(f"{connection.vendor}; as of {on:%d/%m/%Y}; province {province.name} "
          f"({len(communes)} commune committees at depth {communes[0].depth if communes else '-'})")
    from canbo.people.models import Person

    unsettled = Person.objects.filter(main_posts_apart=False).count()
    print(f"people not settled (counted with the 'each person once' look-up, ADR 0035): "
          f"{unsettled:,}" + ("" if unsettled < 1000 else "  (run `canbo settle_main_posts`)"))

    def canbo_country():
        return report_for(form, unit=None, on=on).counts

    def canbo_province():
        return report_for(form, unit=province, on=on).counts

    def canbo_communes():
        return {u.pk: r.counts for u, r in
                zip(communes, reports_for_units(form, communes, on).values(), strict=True)}

    cases = {
        "country": (canbo_country, lambda: run_floor(on, "", None)),
        "province": (canbo_province, lambda: run_floor(on, province.path, None)),
        "communes": (canbo_communes, lambda: run_floor(on, province.path, width)),
    }
    times: dict[str, dict[str, list[float]]] = {name: {"canbo": [], "floor": []} for name in cases}
    for name, (ours, floor) in cases.items():  # a check, and the query counts
        with CaptureQueriesContext(connection) as seen:
            mine = ours()
        theirs = floor()
        if name == "communes":
            by_path = {u.path: u.pk for u in communes}
            theirs = {(by_path[g], key): n for (g, key), n in theirs.items() if g in by_path}
            mine = {(pk, key): n for pk, counts in mine.items() for key, n in counts.items()}
        else:
            theirs = {key: n for (_g, key), n in theirs.items()}
        mine = {k: v for k, v in mine.items() if v}
        theirs = {k: v for k, v in theirs.items() if v}
        assert mine == theirs, (name, sorted(set(mine.items()) ^ set(theirs.items()))[:10])
        people = sum(v for k, v in (mine.items()) if k[-1] == ("total", "people")
                     or k == ("total", "people"))  # fmt: skip
        print(f"{name}: {len(seen)} queries; {people:,} people; numbers equal to the floor")
    for _ in range(args.repeat):
        for name, (ours, floor) in cases.items():
            times[name]["canbo"].append(timed(ours)[0])
            times[name]["floor"].append(timed(floor)[0])
    print(f"{'case':<10} {'canbo min/median':>20} {'floor min/median':>20} {'ratio':>7}")
    for name, t in times.items():
        a, b = t["canbo"], t["floor"]
        print(f"{name:<10} {min(a):8.3f} /{statistics.median(a):8.3f} s "
              f"{min(b):8.3f} /{statistics.median(b):8.3f} s "
              f"{statistics.median(a) / statistics.median(b):6.2f}")


if __name__ == "__main__":
    main()
