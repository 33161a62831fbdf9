import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from canbo.core.db import insert_rows, large_write_cache
from canbo.core.models import AuditEvent
from canbo.people.models import Person
from tests.factories import PersonFactory

COLUMNS = ["at", "actor_id", "source", "action", "content_type_id", "object_id",
           "object_repr", "changes"]  # fmt: skip


@pytest.mark.django_db
def test_insert_rows_gives_the_new_keys_in_row_order_and_converts_values():
    from django.contrib.contenttypes.models import ContentType

    type_id = ContentType.objects.get_for_model(Person).pk
    AuditEvent.objects.create(source="ui", action="create", content_type_id=type_id, object_id="0")
    now = timezone.now()
    rows = [(now, None, "import", "create", type_id, str(n), f"r{n}", {"n": [None, n]})
            for n in range(5)]  # fmt: skip
    pks = insert_rows(AuditEvent, COLUMNS, rows, returning=True)
    stored = dict(AuditEvent.objects.filter(pk__in=pks).values_list("pk", "object_repr"))
    assert [stored[pk] for pk in pks] == [f"r{n}" for n in range(5)]
    assert AuditEvent.objects.get(pk=pks[3]).changes == {"n": [None, 3]}
    assert AuditEvent.objects.get(pk=pks[0]).at == now


@pytest.mark.django_db
def test_insert_rows_takes_ready_json_text_as_it_is():
    from django.contrib.contenttypes.models import ContentType

    type_id = ContentType.objects.get_for_model(Person).pk
    row = (timezone.now(), None, "import", "create", type_id, "1", "x", '{"a": [null, "Ấn"]}')
    insert_rows(AuditEvent, COLUMNS, [row], ready=("changes",))
    assert AuditEvent.objects.get().changes == {"a": [None, "Ấn"]}


@pytest.mark.django_db
def test_insert_rows_refuses_a_duplicate_as_a_django_integrity_error(world):
    from django.db import IntegrityError, transaction

    from canbo.people.package.importing import person_defaults

    PersonFactory(unit=world.xa, id_number="001080000001")
    row = person_defaults() | {"id_number": "001080000001", "family_name": "A", "given_name": "B",
                               "birth_date": dt.date(1980, 1, 1), "created_at": timezone.now(),
                               "updated_at": timezone.now()}  # fmt: skip
    insert_rows(Person, list(row), [tuple((row | {"id_number": "001080000002"}).values())])
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(Person, list(row), [tuple(row.values())])
    assert Person.objects.count() == 2


@pytest.mark.django_db
def test_large_write_cache_gives_the_usual_cache_back():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        with large_write_cache(mib=64):
            cursor.execute("PRAGMA cache_size")
            assert cursor.fetchone()[0] == -64 * 1024
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == before


@pytest.mark.django_db
def test_in_values_matches_a_long_list_bound_as_one_parameter(world):
    people = [PersonFactory(unit=unit) for unit in (world.xa, world.xb, world.xa)]
    ids = [p.pk for p in people]
    # Far more values than SQLite (32,766) or psycopg (65,535) could bind one by one.
    many = [*range(10**9, 10**9 + 70_000), ids[0], ids[2]]
    with CaptureQueriesContext(connection) as ctx:
        found = list(Person.objects.filter(pk__in_values=many).order_by("id"))
    assert found == [people[0], people[2]]
    assert len(ctx.captured_queries) == 1
    assert list(Person.objects.filter(pk__in_values=[])) == []
    # A relation, and text values
    by_unit = Person.objects.filter(unit__in_values=[world.xb.pk]).values_list("pk", flat=True)
    assert list(by_unit) == [ids[1]]
    assert list(
        Person.objects.filter(id_number__in_values=[people[1].id_number, "x" * 12]).values_list(
            "pk", flat=True
        )
    ) == [ids[1]]


def _codes(n):
    from canbo.organizations.models import Area

    Area.objects.bulk_create(
        [Area(code=f"RA{i:03d}", name=f"Xã {i}", kind="xa", level=3, path=f"ZZ{i:04d}", depth=1)
         for i in range(n)]  # fmt: skip
    )
    return Area.objects.filter(code__startswith="RA").order_by("code").values_list("code", flat=True)


@pytest.mark.django_db
def test_read_ahead_gives_every_row_in_order_while_other_queries_run():
    """On PostgreSQL the next chunk is fetched on a second thread from the same cursor;
    queries made between rows (a job's progress) interleave on the same connection and
    see the same transaction. Elsewhere the rows pass through."""
    from canbo.core.db import read_ahead
    from canbo.organizations.models import Area

    qs = _codes(23)
    seen, counts = [], []
    for code in read_ahead(qs.iterator(chunk_size=4), chunk=4):
        seen.append(code)
        counts.append(Area.objects.filter(code__startswith="RA").count())
    assert seen == [f"RA{i:03d}" for i in range(23)]
    assert counts == [23] * 23
    # Exactly a chunk, and fewer than a chunk.
    assert list(read_ahead(qs[:4].iterator(chunk_size=4), chunk=4)) == seen[:4]
    assert list(read_ahead(qs[:3].iterator(chunk_size=4), chunk=4)) == seen[:3]


@pytest.mark.django_db
def test_read_ahead_stopped_early_ends_its_thread_and_errors_reach_the_reader():
    import threading

    from canbo.core.db import read_ahead

    qs = _codes(30)
    rows = read_ahead(qs.iterator(chunk_size=2), chunk=2)
    assert [next(rows) for _ in range(5)] == [f"RA{i:03d}" for i in range(5)]
    rows.close()
    assert not [t for t in threading.enumerate() if t.name == "read-ahead"]

    def failing():
        yield from range(6)
        raise RuntimeError("mất kết nối")

    got = []
    with pytest.raises(RuntimeError, match="mất kết nối"):
        for value in read_ahead(failing(), chunk=2):
            got.append(value)
    assert got == list(range(6))


@pytest.mark.django_db
def test_an_export_plans_its_queries_for_every_row_and_leaves_the_setting_as_it_was():
    from canbo.core.db import whole_result_plans

    if connection.vendor != "postgresql":
        with whole_result_plans():  # nothing to set elsewhere
            pass
        return

    def fraction():
        with connection.cursor() as cursor:
            cursor.execute("SHOW cursor_tuple_fraction")
            return cursor.fetchone()[0]

    before = fraction()
    with whole_result_plans():
        assert fraction() == "1"
    assert fraction() == before
    with pytest.raises(RuntimeError), whole_result_plans():
        raise RuntimeError("lỗi khi xuất")
    assert fraction() == before


def _shown(*names):
    with connection.cursor() as cursor:
        found = []
        for name in names:
            cursor.execute(f"SHOW {name}")
            found.append(cursor.fetchone()[0])
        return found


@pytest.mark.django_db
def test_scans_are_planned_with_sequential_costs_and_work_memory_then_as_before(settings):
    from django.db import DatabaseError, transaction

    from canbo.core.db import planned_for_scans

    if connection.vendor != "postgresql":
        with CaptureQueriesContext(connection) as seen, planned_for_scans("default"):
            pass
        assert len(seen) == 0  # nothing to set elsewhere
        return
    settings.CANBO_SCAN_WORK_MEM = "96MB"
    before = _shown("random_page_cost", "work_mem")
    assert before[0] == "1.1" and before[1] != "96MB"  # the connection's own (canbo.settings)
    with planned_for_scans("default"):
        assert _shown("random_page_cost", "work_mem") == ["4", "96MB"]
    assert _shown("random_page_cost", "work_mem") == before
    with pytest.raises(RuntimeError), planned_for_scans("default"):
        raise RuntimeError("lỗi khi tính")
    assert _shown("random_page_cost", "work_mem") == before
    # A statement that fails aborts the transaction: its rollback restores them.
    with (pytest.raises(DatabaseError), transaction.atomic(), planned_for_scans("default"),
          connection.cursor() as cursor):  # fmt: skip
        cursor.execute("SELECT 1 / 0")
    assert _shown("random_page_cost", "work_mem") == before


@pytest.mark.django_db
def test_ids_match_like_a_list_are_written_out_once_and_take_only_ints(world):
    from django.db.models import Q

    from canbo.core.lookups import Ids

    people = [PersonFactory(unit=unit) for unit in (world.xa, world.xb, world.xa)]
    ids = Ids([people[0].pk, people[2].pk, 10**9])
    assert len(ids) == 3
    with pytest.raises(TypeError):
        iter(ids)  # Django would check each value of an iterable against the model
    for _ in range(2):  # the same Ids in two statements
        found = Person.objects.filter(pk__in_values=ids).order_by("id")
        assert list(found) == [people[0], people[2]]
    # Written out once, whichever the database.
    assert ids.array_literal() is ids.array_literal()
    assert sorted(map(int, ids.array_literal()[1:-1].split(","))) == sorted(ids.values)
    assert ids.json_text() is ids.json_text()
    # On a relation; in an OR; empty.
    by_unit = Person.objects.filter(unit__in_values=Ids([world.xb.pk]))
    assert list(by_unit.values_list("pk", flat=True)) == [people[1].pk]
    either = Person.objects.filter(Q(pk__in_values=Ids([people[1].pk])) | Q(unit=world.xa))
    assert either.count() == 3
    assert list(Person.objects.filter(pk__in_values=Ids([]))) == []
    # Ints only, and only against an integer column.
    with pytest.raises(TypeError):
        Ids([1, "2"])
    with pytest.raises(TypeError):
        Ids([True])
    with pytest.raises(TypeError):
        list(Person.objects.filter(id_number__in_values=Ids([1])))


@pytest.mark.django_db
def test_value_rows_are_the_querysets_rows_with_dates_converted(world):
    from canbo.core.db import value_rows

    PersonFactory(unit=world.xa, birth_date=dt.date(1980, 2, 29))
    PersonFactory(unit=world.xb, birth_date=dt.date(1975, 12, 31))
    qs = Person.objects.order_by("birth_date").values_list("pk", "birth_date", "unit_id")
    rows = list(value_rows(qs, chunk=1))
    assert rows == list(qs)
    assert [type(r[1]) for r in rows] == [dt.date, dt.date]  # SQLite's converters applied
    assert [r[1] for r in rows] == [dt.date(1975, 12, 31), dt.date(1980, 2, 29)]
    for wrong in (
        Person.objects.all(),
        qs.values("pk"),
        Person.objects.values_list("pk", flat=True),
    ):
        with pytest.raises(TypeError):
            value_rows(wrong)


@pytest.mark.django_db
def test_rows_ahead_gives_each_statements_rows_in_turn_inside_the_transaction(world):
    """On PostgreSQL the statements run on a second thread over the same connection:
    they see this transaction's uncommitted rows and are counted like the others."""
    import threading

    from canbo.core.db import rows_ahead
    from canbo.organizations.models import Area

    codes = _codes(12)  # written inside the test's transaction
    statements = [
        Area.objects.filter(code__startswith="RA").order_by("code").values_list("code"),
        Person.objects.order_by("id").values_list("pk"),
        Area.objects.filter(code__in=["RA003", "RA007"]).order_by("-code").values_list("code", "depth"),
    ]  # fmt: skip
    with CaptureQueriesContext(connection) as ctx:
        got = list(rows_ahead(statements))
    assert got == [[(c,) for c in codes], [], [("RA007", 1), ("RA003", 1)]]
    assert len(ctx.captured_queries) == 3
    assert list(rows_ahead([])) == []
    # Left early: the worker ends with it.
    results = rows_ahead(statements)
    assert next(results) == [(c,) for c in codes]
    results.close()
    assert not [t for t in threading.enumerate() if t.name.startswith("rows-ahead")]
    with pytest.raises(TypeError):
        list(rows_ahead([Person.objects.all()]))


@pytest.mark.django_db
def test_rows_ahead_raises_a_failed_statements_error_where_its_rows_were_due(world):
    from django.db import DatabaseError, transaction
    from django.db.models.expressions import RawSQL

    from canbo.core.db import rows_ahead
    from canbo.organizations.models import Area

    _codes(3)
    good = Area.objects.filter(code__startswith="RA").order_by("code").values_list("code")
    bad = Area.objects.annotate(x=RawSQL("canbo_no_such_function()", [])).values_list("x")
    got = []
    with pytest.raises(DatabaseError), transaction.atomic():
        for rows in rows_ahead([good, bad, good]):
            got.append(rows)
    assert got == [[("RA000",), ("RA001",), ("RA002",)]]
    assert good.count() == 3  # the connection is usable again
