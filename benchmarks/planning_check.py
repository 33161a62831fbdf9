"""Planning checks (P1–P8) over every plan of the country.

Usage (from the repository root), on a national dataset built by
benchmarks/national_seed.py:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canbo_national \
        .venv/bin/python benchmarks/planning_check.py
    .venv/bin/python benchmarks/planning_check.py            # SQLite: var/national.sqlite3
    .venv/bin/python benchmarks/planning_check.py --provinces 5

Everything happens inside one transaction that is rolled back at the end:
the database is left exactly as it was. Setup, not timed: a plan for the
2030–2035 term for every provincial party committee and every commune party
committee (--provinces N: only those of the first N provinces), covering
their key posts, with two or three successors for key posts and up to two for
the others, drawn from the people who hold lower posts in the same subtree
(bulk inserts through the ORM); a third of the plans reviewed once, a few
entries removed. The planning tables are then analysed (inside the
transaction, so their statistics are rolled back too).

Timed, p50 of --repeat runs over all those plans, as of 01/01/2026:

- facts: `planning.selectors.planning_facts` — the plans, entries, people
  with their posts, disciplines, evaluations, votes and open appointment case (P4),
  positions and their holders, in ten queries;
- check: `planning.selectors.check_plans` — the same facts, the rule set in
  force, and every check P1–P8 (`rules.engine.run_checks`);
- rules only: `rules.engine.run_checks` on facts read once (the checks' own time);
- floor (PostgreSQL): the facts' rows from ten hand-written statements
  (`FLOOR_SQL`), fetched as tuples and nothing built, timed in the same rounds.

--findings FILE writes the findings sorted as JSON (to compare two versions: they
must be identical); --profile FILE profiles one check run (cProfile).

It prints them, their ratios to the floor and check/facts, the number of queries and the
findings by rule. Not a unit test.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
os.environ.setdefault("CANBO_TESTING", "1")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'national.sqlite3'}")

AS_OF = dt.date(2026, 1, 1)
TERM_START = dt.date(2030, 10, 1)
PROVINCE_TARGETS = ("TU-BT", "TU-PBT", "UBND-T-CT", "HDND-T-CT", "UBND-T-PCT", "HDND-T-PCT",
                    "TU-TB", "TU-CNUBKT", "TU-CVP", "MTTQ-T-CT", "CA-T-GD")  # fmt: skip
COMMUNE_TARGETS = ("X-BT", "X-PBT", "X-UBND-CT", "X-HDND-CT", "X-UBND-PCT", "X-HDND-PCT",
                   "X-CNUBKT")  # fmt: skip
PROVINCE_STEP = 4  # Unit.steplen: a province's subtree is its path's first step
COMMUNE_STEP = 8


class Rollback(Exception):
    pass


def build_plans(rng: random.Random, provinces: int | None) -> dict:
    """Plans, covered posts, entries and reviews for the chosen bodies (bulk, not timed)."""
    from canbo.organizations.models import Position, Term, Unit
    from canbo.people.models import Assignment
    from canbo.planning.choices import EntrySource, PlanStatus, RemovalReason
    from canbo.planning.models import Plan, PlanEntry, PlanPosition, PlanReview

    term = Term.objects.get(body="party", start_date=TERM_START)
    if Plan.objects.filter(term=term).exists():
        sys.exit("The database already has plans for 2030–2035; this benchmark adds its own.")
    roots = list(
        Unit.objects.filter(depth=1, level="province", kind="party_committee").order_by("path")
    )[:provinces]
    communes = [
        u
        for u in Unit.objects.filter(depth=2, level="commune", kind="party_committee").order_by(
            "path"
        )
        if any(u.path.startswith(r.path) for r in roots)
    ]
    prefixes = {r.path for r in roots}

    # Posts and their current holders, grouped by province (first step) or commune (two steps).
    positions: dict[str, list[tuple]] = defaultdict(list)
    for pk, path, code, rank, seats, level in Position.objects.filter(
        title__code__in=PROVINCE_TARGETS + COMMUNE_TARGETS
    ).values_list("id", "unit__path", "title__code", "title__rank", "seats", "title__level"):
        if path[:PROVINCE_STEP] in prefixes:
            step = COMMUNE_STEP if level == "commune" else PROVINCE_STEP
            positions[path[:step]].append((pk, code, rank, seats))
    holders: dict[str, list[tuple]] = defaultdict(list)
    for person, path, rank, level in (
        Assignment.objects.filter(end_date__isnull=True, position__title__rank__gte=25)
        .order_by("person_id", "position_id")
        .values_list(
            "person_id", "position__unit__path", "position__title__rank", "position__title__level"
        )
    ):
        if path[:PROVINCE_STEP] in prefixes:
            step = COMMUNE_STEP if level == "commune" else PROVINCE_STEP
            holders[path[:step]].append((person, rank))

    plans, covered, wanted = [], [], []
    for unit in [*roots, *communes]:
        is_province = unit.level == "province"
        key = unit.path[: PROVINCE_STEP if is_province else COMMUNE_STEP]
        approved = AS_OF - dt.timedelta(days=rng.randint(40, 540))
        plan = Plan(
            planning_unit=unit,
            term=term,
            name=f"{unit.name}, nhiệm kỳ 2030–2035",
            status=PlanStatus.APPROVED,
            approver_unit=next(r for r in roots if unit.path.startswith(r.path)),
            decision_number=f"{rng.randint(1, 999)}-QĐ/TU",
            decision_date=approved,
            approved_on=approved,
        )
        plans.append(plan)
        posts = sorted(positions.get(key, ()), key=lambda p: -p[2])
        people = holders.get(key, [])
        wanted.append((plan, posts, people, is_province))
    Plan.objects.bulk_create(plans, batch_size=1000)

    entries, reviews = [], []
    for plan, posts, people, is_province in wanted:
        floor = 55 if is_province else 25
        in_plan: Counter = Counter()
        for pk, code, rank, seats in posts:
            covered.append(PlanPosition(plan=plan, position_id=pk))
            key_post = code in ("TU-BT", "TU-PBT", "UBND-T-CT", "HDND-T-CT", "X-BT", "X-PBT",
                                "X-UBND-CT", "X-HDND-CT")  # fmt: skip
            n = rng.choice((2, 3)) if key_post else rng.choice((0, 1, 2))
            n = min(3 * seats, n + seats - 1)
            options = sorted({p for p, r in people if floor <= r < rank and in_plan[p] < 2})
            for person in rng.sample(options, min(n, len(options))):
                in_plan[person] += 1
                added = plan.approved_on - dt.timedelta(days=rng.randint(30, 120))
                removed = rng.random() < 0.04
                entries.append(
                    PlanEntry(
                        plan=plan,
                        person_id=person,
                        position_id=pk,
                        source=EntrySource.INSIDE,
                        added_on=added,
                        first_time=rng.random() < 0.3,
                        removed_on=plan.approved_on - dt.timedelta(days=5) if removed else None,
                        removal_reason=RemovalReason.MOVED if removed else "",
                    )
                )
        if rng.random() < 0.33:
            reviews.append(
                PlanReview(plan=plan, reviewed_on=AS_OF - dt.timedelta(days=rng.randint(10, 300)))
            )
    PlanPosition.objects.bulk_create(covered, batch_size=2000)
    PlanEntry.objects.bulk_create(entries, batch_size=2000)
    PlanReview.objects.bulk_create(reviews, batch_size=2000)
    return {
        "plans": len(plans),
        "province plans": len(roots),
        "commune plans": len(communes),
        "covered posts": len(covered),
        "entries": len(entries),
        "reviews": len(reviews),
    }


def analyze(connection) -> None:
    tables = ("planning_plan", "planning_planposition", "planning_planentry", "planning_planreview")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(tables))
        else:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")


# The floor (PostgreSQL): the facts' rows from hand-written statements, fetched as
# tuples and nothing built from them. Ten statements, as `planning_facts` makes; the
# ids gathered by one are passed to the next as one array.
FLOOR_HELD = """a.start_date <= %(on)s AND (a.end_date IS NULL
    OR (a.end_precision = 'D' AND a.end_date >= %(on)s)
    OR (a.end_precision = 'M' AND a.end_date >= %(month)s)
    OR (a.end_precision = 'Y' AND a.end_date >= %(year)s))"""
FLOOR_SQL = {
    "plans": """
        SELECT p.id, p.planning_unit_id, u.level, p.name, t.start_date, t.end_date,
               p.approved_on, p.min_minority_share,
               (SELECT r.reviewed_on FROM planning_planreview r
                 WHERE r.plan_id = p.id AND r.reviewed_on <= %(on)s
                 ORDER BY r.reviewed_on DESC LIMIT 1),
               (SELECT x.to_status FROM planning_plantransition x
                 WHERE x.plan_id = p.id AND (x.at AT TIME ZONE %(tz)s)::date <= %(on)s
                 ORDER BY x.at DESC, x.id DESC LIMIT 1),
               (SELECT x.at FROM planning_plantransition x
                 WHERE x.plan_id = p.id AND (x.at AT TIME ZONE %(tz)s)::date <= %(on)s
                 ORDER BY x.at DESC, x.id DESC LIMIT 1)
          FROM planning_plan p
          JOIN organizations_unit u ON u.id = p.planning_unit_id
          JOIN organizations_term t ON t.id = p.term_id
         ORDER BY p.id""",
    "entries": """
        SELECT id, plan_id, person_id, position_id, added_on, first_time, removed_on,
               removal_reason
          FROM planning_planentry WHERE plan_id = ANY(%(ids)s) ORDER BY plan_id, id""",
    "covered": "SELECT position_id FROM planning_planposition WHERE plan_id = ANY(%(ids)s)",
    "holders": """
        SELECT a.position_id, a.person_id FROM people_assignment a
         WHERE a.position_id = ANY(%(ids)s) AND {held}
         ORDER BY a.position_id, a.person_id""",
    "positions": """
        SELECT p.id, p.unit_id, u.name, t.name, t.code, t.level, t.rank,
               t.management_level, p.seats, t.is_key
          FROM organizations_position p
          JOIN organizations_unit u ON u.id = p.unit_id
          JOIN organizations_positiontitle t ON t.id = p.title_id
         WHERE p.id = ANY(%(ids)s) ORDER BY p.id""",
    "posts": """
        SELECT a.person_id, a.position_id, t.level, t.rank, t.management_level
          FROM people_assignment a
          JOIN organizations_position p ON p.id = a.position_id
          JOIN organizations_positiontitle t ON t.id = p.title_id
         WHERE a.person_id = ANY(%(ids)s) AND {held}
         ORDER BY a.person_id, a.position_id""",
    "disciplines": """
        SELECT person_id, form, effective_date, end_date, planning_exception
          FROM people_discipline WHERE person_id = ANY(%(ids)s)
         ORDER BY person_id, effective_date, id""",
    "ratings": """
        SELECT person_id, year, rating FROM people_evaluation
         WHERE person_id = ANY(%(ids)s) ORDER BY person_id, year""",
    "votes": """
        SELECT v.person_id, v.year, v.low, v.base FROM people_confidencevote v
         WHERE v.person_id = ANY(%(ids)s) AND v.year = (
               SELECT MAX(w.year) FROM people_confidencevote w
                WHERE w.person_id = v.person_id AND w.year <= %(year_number)s)
         ORDER BY v.person_id, v.id""",
    "people": """
        SELECT p.id, p.id_number, p.full_name, p.sex, p.birth_date, p.birth_date_precision,
               p.retirement_age_override_months, e.is_minority,
               (SELECT c.opened_on FROM appointments_appointmentcase c
                 WHERE c.person_id = p.id AND c.kind IN ('appoint', 'nominate')
                   AND c.opened_on <= %(on)s AND (c.closed_on IS NULL OR c.closed_on > %(on)s)
                 ORDER BY c.opened_on, c.id LIMIT 1)
          FROM people_person p LEFT JOIN people_ethnicity e ON e.id = p.ethnicity_id
         WHERE p.id = ANY(%(ids)s) ORDER BY p.id""",
}


def floor(connection, as_of: dt.date) -> dict[str, int]:
    """The floor: every statement's rows, as tuples; {statement: rows}."""
    from django.conf import settings

    params = {
        "on": as_of,
        "month": as_of.replace(day=1),
        "year": as_of.replace(month=1, day=1),
        "tz": settings.TIME_ZONE,
        "year_number": as_of.year,
    }
    counts: dict[str, int] = {}

    def rows(name: str, values=None) -> list[tuple]:
        given = dict(params)
        if values is not None:
            given["ids"] = sorted(values)
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL[name].format(held=FLOOR_HELD), given)
            found = cursor.fetchall()
        counts[name] = len(found)
        return found

    plan_ids = [row[0] for row in rows("plans")]
    entries = rows("entries", plan_ids)
    position_ids = {row[3] for row in entries} | {row[0] for row in rows("covered", plan_ids)}
    holders = rows("holders", position_ids)
    person_ids = {row[2] for row in entries} | {row[1] for row in holders}
    rows("positions", position_ids)
    for name in ("posts", "disciplines", "ratings", "votes", "people"):
        rows(name, person_ids)
    return counts


def findings_json(findings, first_plan: int) -> list[dict]:
    """The findings as plain data, sorted (to compare two runs: --findings).

    Plans are numbered from their first (0): the ids of the rolled-back plans move on
    from run to run, their order does not."""
    rows = [
        {
            "rule": f.rule, "reason": f.reason, "position": f.position_id,
            "plan": None if f.plan_id is None else f.plan_id - first_plan,
            "person": f.person_id, "id_number": f.id_number, "severity": f.severity,
            "citation": f.citation, "message": f.message,
            "figures": {k: str(v) for k, v in sorted(f.figures.items())},
        }
        for f in findings
    ]  # fmt: skip
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--provinces", type=int, default=None, help="only the first N provinces")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--timeout", type=int, default=900, help="PostgreSQL: give up a query after N seconds"
    )
    parser.add_argument(
        "--work-mem", default=None, help="PostgreSQL: SET LOCAL work_mem, e.g. 256MB"
    )
    parser.add_argument("--findings", default=None, help="write the findings, sorted, as JSON")
    parser.add_argument("--profile", default=None, help="cProfile one check run into this file")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import OperationalError, connection, transaction
    from django.test.utils import CaptureQueriesContext

    from canbo.people.models import Person
    from canbo.planning.models import Plan
    from canbo.planning.selectors import check_plans, planning_facts

    people = Person.objects.count()
    if not people:
        sys.exit("The database holds no people: build it with benchmarks/national_seed.py.")
    rng = random.Random(args.seed)
    try:
        with transaction.atomic():
            t0 = time.perf_counter()
            counts = build_plans(rng, args.provinces)
            analyze(connection)
            setup = time.perf_counter() - t0
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL statement_timeout = {args.timeout * 1000}")
                    if args.work_mem:
                        cursor.execute("SET LOCAL work_mem = %s", [args.work_mem])
            print(f"setup {setup:.1f} s: " + ", ".join(f"{k} {n:,}" for k, n in counts.items()))
            try:
                with transaction.atomic():
                    facts = planning_facts(Plan.objects.all(), AS_OF)
            except OperationalError as error:
                sys.exit(f"facts did not finish within {args.timeout} s ({error}); rolled back.")

            plans = Plan.objects.all()
            with CaptureQueriesContext(connection) as facts_queries:
                planning_facts(plans, AS_OF)
            with CaptureQueriesContext(connection) as check_queries:
                findings = check_plans(plans, AS_OF)
            if args.findings:
                Path(args.findings).write_text(
                    json.dumps(
                        findings_json(findings, facts.plans[0].id), ensure_ascii=False, indent=0
                    )
                )
            if args.profile:
                cProfile.runctx(
                    "check_plans(plans, AS_OF)", globals(), locals(), filename=args.profile
                )
            pg = connection.vendor == "postgresql"
            floor_rows = floor(connection, AS_OF) if pg else {}
            from canbo.rules.engine import run_checks
            from canbo.rules.facts import CheckContext
            from canbo.rules.selectors import rule_set_in_force

            rule_set = rule_set_in_force(AS_OF)
            facts_times, check_times, floor_times, rules_times = [], [], [], []
            for _ in range(args.repeat):
                if pg:
                    t = time.perf_counter()
                    floor(connection, AS_OF)
                    floor_times.append(time.perf_counter() - t)
                t = time.perf_counter()
                planning_facts(plans, AS_OF)
                facts_times.append(time.perf_counter() - t)
                t = time.perf_counter()
                check_plans(plans, AS_OF)
                check_times.append(time.perf_counter() - t)
                t = time.perf_counter()
                run_checks(
                    facts.plans, facts.people, facts.positions, rule_set, CheckContext(AS_OF)
                )
                rules_times.append(time.perf_counter() - t)
            raise Rollback
    except Rollback:
        pass
    assert not Plan.objects.filter(term__start_date=TERM_START).exists()

    facts_p50, check_p50 = statistics.median(facts_times), statistics.median(check_times)
    print(f"\n{connection.vendor}, {people:,} people; setup {setup:.1f} s (rolled back)")
    print(
        f"  facts: {len(facts.plans):,} plans, {len(facts.people):,} people, "
        f"{len(facts.positions):,} positions"
    )
    print(f"  {'operation':34} {'p50 s':>8} {'min s':>8} {'queries':>8}")
    print(
        f"  {'facts (planning_facts)':34} {facts_p50:8.2f} {min(facts_times):8.2f} "
        f"{len(facts_queries.captured_queries):8d}"
    )
    print(
        f"  {'full check (check_plans)':34} {check_p50:8.2f} {min(check_times):8.2f} "
        f"{len(check_queries.captured_queries):8d}"
    )
    print(
        f"  {'rules only (run_checks on the facts)':34} {statistics.median(rules_times):8.2f} "
        f"{min(rules_times):8.2f} {0:8d}"
    )
    if floor_times:
        floor_p50 = statistics.median(floor_times)
        print(f"  {'floor (hand SQL, tuples)':34} {floor_p50:8.2f} {min(floor_times):8.2f} {10:8d}")
        print(
            f"  ratio facts/floor: {facts_p50 / floor_p50:.2f} (min {min(facts_times) / min(floor_times):.2f}), "
            f"check/floor: {check_p50 / floor_p50:.2f} (min {min(check_times) / min(floor_times):.2f})"
        )
        print("  floor rows: " + ", ".join(f"{k} {n:,}" for k, n in floor_rows.items()))
    print(f"  ratio check/facts: {check_p50 / facts_p50:.2f}")
    each = ", ".join(f"{float(q['time']):.2f}" for q in facts_queries.captured_queries)
    print(f"  facts, each query on the counted run (s): {each}")
    by_rule = Counter(f.rule for f in findings)
    print(
        f"  findings: {len(findings):,} — "
        + ", ".join(f"{r} {n:,}" for r, n in sorted(by_rule.items()))
    )


if __name__ == "__main__":
    main()
