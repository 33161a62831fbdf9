"""People search and people list page at scale.

Usage (from the repository root):

    .venv/bin/python benchmarks/people_search.py --people 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canbo_bench \
        .venv/bin/python benchmarks/people_search.py --people 100000
    # the whole country (database built by benchmarks/national_seed.py, or here):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canbo_national \
        .venv/bin/python benchmarks/people_search.py --scale national --existing

It builds (or reuses) a benchmark database with N people spread over the
communes of one province (--scale national: over the whole country; the
default SQLite file is then var/national.sqlite3; --existing takes the
database as it is, whatever its size), then times, over a fixed list of
queries:

- search: the selectors and paginator the UI and API use (scope + accent-free
  search + Vietnamese order), counting the matches up to 10,001 and fetching
  the first page of 50 (core/paging.py, ADR 0008);
- the same with a user scoped to one commune, and (when there are several
  provinces) to one province;
- hand SQL: hand-written queries returning the same capped count and first
  page (the floor we compare against);
- the people list page: a full HTTP request through Django's test client,
  rendering the first page (filters, derived values, current positions).

It prints p50/p95 in milliseconds and the ratio to hand SQL. Not a unit test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
os.environ.setdefault("CANBO_TESTING", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# The administrator signs in without a second factor (the list page is what is timed).
os.environ.setdefault("CANBO_ADMIN_2FA", "0")
DEFAULT_FILE = {"province": "bench.sqlite3", "national": "national.sqlite3"}

QUERIES = [
    "nguyen van", "dang", "tran thi", "le", "pham minh", "hoang", "thi hong", "van an",
    "huong", "ngoc anh", "bui", "do duc", "vu", "tuan", "lan", "nguyen thi thu",
    "phan van", "ho", "quang", "mai",
]  # fmt: skip


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        for q in QUERIES:
            t0 = time.perf_counter()
            fn(q)
            out.append((time.perf_counter() - t0) * 1000)
    return out


def hand_sql(q):
    """The same capped count and first page, written by hand (the same strategy)."""
    from django.db import connection

    from canbo.core.paging import COUNT_CAP
    from canbo.core.vntext import fold

    words = [f" {w} " if len(w) <= 2 else w for w in fold(q).split()]
    where = " AND ".join(["search_text LIKE %s"] * len(words)) or "TRUE"
    params = [f"%{w}%" for w in words]
    columns = "p.id, p.full_name, p.id_number, p.birth_date, u.name"
    page_sql = (
        f"SELECT {columns} FROM people_person p "
        "LEFT JOIN organizations_unit u ON u.id = p.unit_id WHERE p.id = ANY(%s) "
        "ORDER BY p.sort_key, p.id"
    )
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT id, sort_key FROM people_person WHERE {where} LIMIT %s",
            [*params, COUNT_CAP + 1],
        )
        found = cur.fetchall()
        if len(found) <= COUNT_CAP:  # few: all their keys are here
            found.sort(key=lambda row: (row[1], row[0]))
            keys = [row[0] for row in found[:50]]
        else:  # many: walk the name index for the first 50 keys
            walk = f"SELECT id FROM people_person WHERE {where} ORDER BY sort_key, id LIMIT 50"
            if connection.vendor == "postgresql":
                cur.execute("BEGIN")
                cur.execute("SET LOCAL enable_bitmapscan = off")
                cur.execute("SET LOCAL statement_timeout = 50")
                try:
                    cur.execute(walk, params)
                    keys = [row[0] for row in cur.fetchall()]
                    cur.execute("COMMIT")
                except Exception:  # clustered matches: sort them all
                    cur.execute("ROLLBACK")
                    cur.execute(
                        walk.replace("ORDER BY sort_key", "ORDER BY lower(sort_key)"), params
                    )
                    keys = [row[0] for row in cur.fetchall()]
            else:
                cur.execute(walk, params)
                keys = [row[0] for row in cur.fetchall()]
        if connection.vendor == "postgresql":
            cur.execute(page_sql, [keys])
        else:
            marks = ", ".join("%s" for _ in keys) or "NULL"
            cur.execute(page_sql.replace("= ANY(%s)", f"IN ({marks})"), keys)
        cur.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", choices=("province", "national"), default="province")
    parser.add_argument(
        "--existing", action="store_true", help="use the database as it is (any number of people)"
    )
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / DEFAULT_FILE[args.scale]}")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from canbo.accounts.models import Role, ScopeGrant, User
    from canbo.organizations.models import Unit
    from canbo.people.models import Person
    from canbo.people.selectors import PersonPaginator, person_list, person_search

    call_command("migrate", verbosity=0)
    have = Person.objects.count()
    if args.existing and not have:
        sys.exit("--existing: the database holds no people.")
    if have != args.people and not args.existing:
        if have:
            sys.exit(
                f"The benchmark database holds {have} people, not {args.people}; "
                "remove it, point DATABASE_URL elsewhere or add --existing."
            )
        t0 = time.perf_counter()
        call_command("load_areas", "--if-empty")
        call_command(
            "seed_demo", "--scale", args.scale, "--people", str(args.people), "--seed", "7"
        )
        print(f"built {args.people} people in {time.perf_counter() - t0:.1f} s")

    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"role": Role.ADMIN, "is_superuser": True}
    )
    scoped, created = User.objects.get_or_create(
        username="bench-commune", defaults={"role": Role.VIEWER}
    )
    commune_unit = Unit.objects.filter(level="commune").order_by("path").first()
    if created:
        ScopeGrant.objects.create(user=scoped, unit=commune_unit, include_subtree=True)
    provinces = Unit.objects.filter(level="province", depth=1, kind="party_committee")
    province_user = None
    if provinces.count() > 1:
        province_user, created = User.objects.get_or_create(
            username="bench-province", defaults={"role": Role.VIEWER}
        )
        if created:
            ScopeGrant.objects.create(
                user=province_user, unit=provinces.order_by("path").first(), include_subtree=True
            )

    def via_selector(user):
        def run(q):
            qs = person_search(person_list(user=user), q).order_by("sort_key", "id")
            list(PersonPaginator(qs, 50).page(1))

        return run

    client = Client()
    client.force_login(admin)

    def list_page(q):
        response = client.get("/people/", {"search": q})
        assert response.status_code == 200, response.status_code

    operations = [
        ("hand SQL (floor)", hand_sql),
        ("search, administrator", via_selector(admin)),
        ("search, commune viewer", via_selector(scoped)),
    ]
    if province_user is not None:
        operations.append(("search, province viewer", via_selector(province_user)))
    operations.append(("people list page (HTTP)", list_page))
    results = {}
    for name, fn in operations:
        fn(QUERIES[0])  # warm up
        results[name] = timed(fn, args.repeat)

    vendor = connection.vendor
    print(f"\n{vendor}, {Person.objects.count()} people, {len(QUERIES)} queries × {args.repeat}")
    floor = statistics.median(results["hand SQL (floor)"])
    print(f"{'operation':28} {'p50 ms':>8} {'p95 ms':>8} {'p50/floor':>10}")
    for name, values in results.items():
        p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
        print(f"{name:28} {p50:8.1f} {p95:8.1f} {p50 / floor:10.2f}")


if __name__ == "__main__":
    main()
