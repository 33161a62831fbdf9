"""The people list page for a rare name, beside its floor (issue 18, item 5).

Usage (from the repository root; the database is left as it was found):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canbo_national \
        .venv/bin/python benchmarks/people_list_page.py --rounds 7

On an existing database (benchmarks/national_seed.py), inside one transaction that is
rolled back (the benchmark's administrator, its session and the access entries go with
it), it times per name of RARE_NAMES (full names matched by 1 to 80 people):

- hand SQL (floor): the hand-written capped count and first page of
  benchmarks/people_search.py (`hand_sql`);
- the list page: a full HTTP request to `/people/?search=…` through Django's test
  client as an administrator (navigation, filter form, rows);
- the live search: the same request as htmx sends it (the rows only);
- the page's statements replayed: every SELECT and INSERT the full page sent for that
  name (captured once before timing: the session, the user, the search, the rows, the
  posts, the access-log entry, the to-do count, the two catalogues), sent again as SQL
  through the same connection. Not the issue's floor: what any page showing these rows
  must ask the database, so that page ÷ replayed is what Django adds.

The operations are interleaved name by name, round after round, so that the load of a
shared machine falls on all of them alike. Prints min, median and p95 in milliseconds
and the medians' ratio to the floor. Not a unit test.
"""

from __future__ import annotations

import argparse
import statistics
import time

from people_search import hand_sql, percentile

#: Full names borne by few people of the national dataset (matches in brackets).
RARE_NAMES = [
    "kieu quoc huy",  # 1
    "dao ngoc loc",  # 3
    "pham viet tai",  # 15
    "vi thi xuan",  # 41
    "le bich tho",  # 68
    "dam thi quynh",  # 79
]


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from canbo.accounts.models import Role, User
    from canbo.people.models import Person
    from canbo.people.selectors import person_search

    def page(headers):
        def run(q):
            response = client.get("/people/", {"search": q}, headers=headers)
            assert response.status_code == 200, response.status_code

        return run

    statements: dict[str, list[str]] = {}

    def replayed(q):
        with connection.cursor() as cursor:
            for sql in statements[q]:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()

    operations = {
        "hand SQL (floor)": hand_sql,
        "list page (HTTP)": page({}),
        "live search rows (htmx)": page({"HX-Request": "true"}),
        "page's statements replayed": replayed,
    }
    times: dict[str, list[float]] = {name: [] for name in operations}
    by_name: dict[tuple[str, str], list[float]] = {}
    try:
        with transaction.atomic():
            admin = User.objects.create(
                username="bench-list-admin", role=Role.ADMIN, is_superuser=True
            )
            client = Client()
            client.force_login(admin)
            matches = {q: person_search(Person.objects.all(), q).count() for q in RARE_NAMES}
            for q in RARE_NAMES:  # the statements of each name's full page
                with CaptureQueriesContext(connection) as seen:
                    page({})(q)
                statements[q] = [
                    sql for sql in (each["sql"] for each in seen.captured_queries)
                    if sql.lstrip().upper().startswith(("SELECT", "INSERT"))
                ]
            for fn in operations.values():  # warm up
                for q in RARE_NAMES:
                    fn(q)
            for _round in range(args.rounds):
                for q in RARE_NAMES:
                    for name, fn in operations.items():
                        t0 = time.perf_counter()
                        fn(q)
                        elapsed = (time.perf_counter() - t0) * 1000
                        times[name].append(elapsed)
                        by_name.setdefault((name, q), []).append(elapsed)
            people = Person.objects.count()
            raise Rollback
    except Rollback:
        pass

    print(f"\n{connection.vendor}, {people} people; {args.rounds} rounds × {len(RARE_NAMES)} names")
    print("names (matches): " + ", ".join(f"{q} ({n})" for q, n in matches.items()))
    floor = statistics.median(times["hand SQL (floor)"])
    print(f"{'operation':26} {'min ms':>8} {'p50 ms':>8} {'p95 ms':>8} {'p50/floor':>10}")
    for name, values in times.items():
        p50 = statistics.median(values)
        print(
            f"{name:26} {min(values):8.1f} {p50:8.1f} {percentile(values, 0.95):8.1f}"
            f" {p50 / floor:10.2f}"
        )
    replay = statistics.median(times["page's statements replayed"])
    print(f"list page ÷ its statements replayed: {statistics.median(times['list page (HTTP)']) / replay:.2f}"
          f" ({', '.join(f'{q}: {len(statements[q])}' for q in RARE_NAMES)} statements)")
    print("\nper name, medians in ms (page / floor):")
    for q in RARE_NAMES:
        cells = [statistics.median(by_name[name, q]) for name in operations]
        print(
            f"{q:16} {matches[q]:3} matches: "
            + " ".join(f"{c:7.1f}" for c in cells)
            + f"  page/floor {cells[1] / cells[0]:.1f}"
        )


if __name__ == "__main__":
    main()
