"""Planning figures (M1A/M1B) of a province by child unit and of the whole country,
beside one hand-written statement over the same rows.

Usage (from the repository root), on a national dataset built by
benchmarks/national_seed.py:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canbo_national \\
        .venv/bin/python benchmarks/planning_figures.py --repeat 9
    .venv/bin/python benchmarks/planning_figures.py             # SQLite: var/national.sqlite3
    .venv/bin/python benchmarks/planning_figures.py --compare canbo.planning.figures_before

Everything happens inside one transaction that is rolled back at the end: the plans of
benchmarks/planning_check.py (`build_plans`: a 2030–2035 plan for every provincial and
commune party committee, their key posts covered, two or three successors for key posts,
up to two for the others, a few entries removed), then ANALYZE. As of 01/01/2026, with
the rule set in force read once beforehand (its P6 thresholds: young under 45 central,
40 province), min and median of --repeat interleaved runs of:

- province: `figures_by_child_unit` of a province's party committee (--province PATH;
  by default the first by path, Hà Nội's Thành ủy: its own plan and one group per
  commune, 127 groups);
- country: `figures_total` of every plan;
- page: what the unit figures page reads for the province, its rows and its subtree's
  total (`figures_by_child_unit_and_total`; before it, `figures_by_child_unit` and
  `figures_total`); its floor is the two floor statements;
- floor: for each, one hand-written statement (below) giving the same numbers, which the
  script asserts;
- with --compare MODULE: the same functions of another module (say, a copy of the
  previous `canbo.planning.figures`), called as the pages called them, without a rule set.

Each implementation's queries are counted on one run. Not a unit test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
os.environ.setdefault("CANBO_TESTING", "1")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'national.sqlite3'}")

import planning_check  # noqa: E402  (its setup: the plans of every party committee)

AS_OF = planning_check.AS_OF
DEGREES = (0, 1, 2, 3, 4, 5)  # people.choices.Degree
THEORIES = (0, 1, 2, 3, 4)  # people.choices.PoliticalTheory

# The floor: the active entries with each one's age bracket (t: per level and birth-date
# precision, the latest birth date still "under the threshold" and "under it + 5"), one
# row per group and person, the successors per covered position, then one row per group.
FLOOR = """
WITH t(level, prec, young_after, middle_after) AS (VALUES {thresholds}),
e AS (
  SELECT {group} AS g, pe.plan_id, pe.position_id, pe.person_id, ps.sex,
         ps.professional_degree AS degree, ps.political_theory AS theory,
         CASE WHEN et.is_minority THEN 1 ELSE 0 END AS minority,
         CASE WHEN t.level IS NULL THEN 0 WHEN ps.birth_date > t.young_after THEN 1
              WHEN ps.birth_date > t.middle_after THEN 2 ELSE 3 END AS bracket
  FROM planning_planentry pe
  JOIN planning_plan p ON p.id = pe.plan_id
  JOIN organizations_unit u ON u.id = p.planning_unit_id
  JOIN people_person ps ON ps.id = pe.person_id
  LEFT JOIN people_ethnicity et ON et.id = ps.ethnicity_id
  LEFT JOIN t ON t.level = u.level AND t.prec = ps.birth_date_precision
  WHERE u.path LIKE %s AND pe.added_on <= %s AND (pe.removed_on IS NULL OR pe.removed_on > %s)
),
pp AS (
  SELECT g, person_id, MAX(sex) AS sex, MAX(degree) AS degree, MAX(theory) AS theory,
         MAX(minority) AS minority, MAX(CASE WHEN bracket = 1 THEN 1 ELSE 0 END) AS young,
         MAX(CASE WHEN bracket = 2 THEN 1 ELSE 0 END) AS middle,
         MAX(CASE WHEN bracket = 3 THEN 1 ELSE 0 END) AS older
  FROM e GROUP BY g, person_id
),
people AS (
  SELECT g, COUNT(*) AS planned, SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END) AS women,
         SUM(minority) AS minority, SUM(young) AS young, SUM(middle) AS middle,
         SUM(older) AS older, {degrees}, {theories}
  FROM pp GROUP BY g
),
named AS (
  SELECT plan_id, position_id, COUNT(DISTINCT person_id) AS n FROM e GROUP BY plan_id, position_id
),
slots AS (
  SELECT {group} AS g, COUNT(*) AS positions,
         SUM(CASE WHEN n.n IS NULL THEN 1 ELSE 0 END) AS none,
         SUM(CASE WHEN n.n = 1 THEN 1 ELSE 0 END) AS one,
         SUM(CASE WHEN n.n >= 2 THEN 1 ELSE 0 END) AS more
  FROM planning_planposition c
  JOIN planning_plan p ON p.id = c.plan_id
  JOIN organizations_unit u ON u.id = p.planning_unit_id
  LEFT JOIN named n ON n.plan_id = c.plan_id AND n.position_id = c.position_id
  WHERE u.path LIKE %s
  GROUP BY 1
)
SELECT COALESCE(people.g, slots.g), slots.positions, slots.none, slots.one, slots.more,
       people.*
FROM people FULL JOIN slots ON slots.g = people.g
"""


def floor_sql(width: int | None, thresholds: dict[str, int], gap: int) -> tuple[str, list]:
    """The floor statement for groups of path prefixes `width` long (None: no groups) and
    its parameters before the path pattern and the date (a path pattern, the date twice,
    the path pattern again)."""
    rows, params = [], []
    for level, age in sorted(thresholds.items()):
        for prec in ("D", "M", "Y"):
            rows.append("(%s, %s, %s, %s)")
            params += [level, prec, *(_last_young(prec, age + n) for n in (0, gap))]
    group = f"SUBSTR(u.path, 1, {int(width)})" if width else "''"
    sql = FLOOR.format(
        thresholds=", ".join(rows),
        group=group,
        degrees=_value_sums("degree", DEGREES),
        theories=_value_sums("theory", THEORIES),
    )
    return sql, params


def _last_young(prec: str, age: int) -> dt.date:
    """The latest stored birth date not under `age` on AS_OF, for a date stored with
    precision `prec` (a month counts from its 1st, a year from 1 January: ADR 0005)."""
    from canbo.planning.figures import years_before

    cutoff = years_before(AS_OF, age)
    if prec == "D":
        return cutoff
    if prec == "M":  # under `age` from the 1st of the month after the cutoff's
        next_month = (cutoff.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        return next_month - dt.timedelta(days=1)
    return dt.date(cutoff.year, 12, 31)  # a year: from the 1st of January after it


def _value_sums(column: str, values: tuple[int, ...]) -> str:
    sums = [f"SUM(CASE WHEN {column} = {v} THEN 1 ELSE 0 END) AS {column}_{v}" for v in values]
    sums.append(f"SUM(CASE WHEN {column} IS NULL THEN 1 ELSE 0 END) AS {column}_null")
    return ", ".join(sums)


def run_floor(sql: str, params: list, path: str) -> dict:
    """{group: the figures' numbers} from the floor statement."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, f"{path}%", AS_OF, AS_OF, f"{path}%"])
        rows = cursor.fetchall()
    out = {}
    for g, positions, none, one, more, _g, planned, women, minority, *rest in rows:
        young, middle, older, *values = rest
        degrees = dict(zip((*DEGREES, None), values[: len(DEGREES) + 1], strict=True))
        theories = dict(zip((*THEORIES, None), values[len(DEGREES) + 1 :], strict=True))
        out[g] = (
            int(positions or 0), int(planned or 0), int(women or 0), int(minority or 0),
            (int(young or 0), int(middle or 0), int(older or 0)),
            {k: int(v) for k, v in degrees.items() if v},
            {k: int(v) for k, v in theories.items() if v},
            (int(none or 0), int(one or 0), int(more or 0)),
        )  # fmt: skip
    return out


def numbers(f) -> tuple:
    """The figures' numbers, in the floor's shape (shares and the coefficient follow)."""
    return (
        f.positions, f.planned, f.women, f.minority, f.age_brackets,
        dict(f.by_degree), dict(f.by_political_theory),
        (f.positions_without_successor, f.positions_with_one_successor,
         f.positions_with_two_or_more),
    )  # fmt: skip


def timed(fn) -> tuple[float, object]:
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--provinces", type=int, default=None, help="only the first N provinces")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--province", default=None, help="the province's unit path (default: the first)"
    )
    parser.add_argument("--compare", default=None, help="another figures module to time beside")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from canbo.organizations.models import Unit
    from canbo.people.models import Person
    from canbo.planning import figures
    from canbo.planning.figures import _p6_thresholds
    from canbo.planning.models import Plan
    from canbo.rules.selectors import rule_set_in_force

    people = Person.objects.count()
    if not people:
        sys.exit("The database holds no people: build it with benchmarks/national_seed.py.")
    other = importlib.import_module(args.compare) if args.compare else None
    rng = random.Random(args.seed)
    results: dict[str, dict[str, list[float]]] = {}
    queries: dict[tuple[str, str], int] = {}
    try:
        with transaction.atomic():
            t0 = time.perf_counter()
            counts = planning_check.build_plans(rng, args.provinces)
            planning_check.analyze(connection)
            setup = time.perf_counter() - t0
            print(f"setup {setup:.1f} s: " + ", ".join(f"{k} {n:,}" for k, n in counts.items()))
            rules = rule_set_in_force(AS_OF)
            thresholds, gap = _p6_thresholds(rules)
            plans = Plan.objects.all()
            provinces = Unit.objects.filter(depth=1, level="province", kind="party_committee")
            if args.province:
                provinces = provinces.filter(path=args.province)
            province = provinces.order_by("path").first()
            width = len(province.path) + province.steplen
            subtree = plans.filter(planning_unit__path__startswith=province.path)
            by_child = floor_sql(width, thresholds, gap)
            overall = floor_sql(None, thresholds, gap)

            def page(m, r):  # the unit figures page: the rows and the subtree's total
                if hasattr(m, "figures_by_child_unit_and_total"):
                    grouped, total = m.figures_by_child_unit_and_total(province, plans, AS_OF, r)
                else:
                    grouped = m.figures_by_child_unit(province, plans, AS_OF, r)
                    total = m.figures_total(subtree, AS_OF, r)
                return {**grouped, "": total}

            cases = {  # name: (the call, the floor: statements and paths)
                "province": (
                    lambda m, r: m.figures_by_child_unit(province, plans, AS_OF, r),
                    [(by_child, province.path)],
                ),
                "country": (
                    lambda m, r: {"": m.figures_total(plans, AS_OF, r)},
                    [(overall, "")],
                ),
                "page": (page, [(by_child, province.path), (overall, province.path)]),
            }
            ways = {"after": lambda call: call(figures, rules),
                    "after, reading the rule set": lambda call: call(figures, None)}  # fmt: skip
            if other is not None:
                ways["before"] = lambda call: call(other, None)
                ways["before, rule set given"] = lambda call: call(other, rules)

            def floor_of(statements):
                out = {}
                for (sql, params), path in statements:
                    out.update(run_floor(sql, params, path))
                return out

            for case, (call, statements) in cases.items():
                floor = floor_of(statements)
                for name, way in ways.items():
                    with CaptureQueriesContext(connection) as captured:
                        result = way(call)
                    got = {g: numbers(f) for g, f in result.items()}
                    assert got == floor, (case, name, sorted(set(got) ^ set(floor))[:4])
                    queries[case, name] = len(captured.captured_queries)
                queries[case, "floor"] = len(statements)
                print(f"{case}: {len(floor)} groups, the numbers equal the floor's")
            for _ in range(args.repeat):
                for case, (call, statements) in cases.items():
                    order = [*ways.items(), ("floor", None)]
                    rng.shuffle(order)
                    for name, way in order:
                        if way is None:
                            seconds, _r = timed(lambda: floor_of(statements))  # noqa: B023
                        else:
                            seconds, _r = timed(lambda: way(call))  # noqa: B023
                        results.setdefault(case, {}).setdefault(name, []).append(seconds)
            raise planning_check.Rollback
    except planning_check.Rollback:
        pass
    assert not Plan.objects.filter(term__start_date=planning_check.TERM_START).exists()

    print(f"\n{connection.vendor}, {people:,} people, as of {AS_OF:%d/%m/%Y}, "
          f"{args.repeat} interleaved runs (ms)")  # fmt: skip
    print(f"  {'case':9} {'implementation':30} {'min':>8} {'median':>8} {'queries':>8} "
          f"{'median/floor':>13}")  # fmt: skip
    for case, by_way in results.items():
        floor_median = statistics.median(by_way["floor"])
        for name, times in sorted(by_way.items()):
            median = statistics.median(times)
            print(
                f"  {case:9} {name:30} {1000 * min(times):8.1f} {1000 * median:8.1f} "
                f"{queries[case, name]:8d} {median / floor_median:13.2f}"
            )


if __name__ == "__main__":
    main()
