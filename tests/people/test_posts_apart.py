"""Whose main posts never share a day (`posts_apart`, ADR 0035): the trigger that unsettles
people on any write of their work history, `settle`, and what may never set the flag."""

import datetime as dt
import random
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from canbo.core.dates import DatePrecision
from canbo.organizations.choices import UnitLevel
from canbo.people import posts_apart
from canbo.people.models import Assignment, Ethnicity, Person
from canbo.people.selectors import held_on

from ..factories import PersonFactory, PositionFactory, make_unit

D, M, Y = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR


@pytest.fixture
def position(db):
    return PositionFactory(unit=make_unit("PA", "Tỉnh ủy A", level=UnitLevel.PROVINCE))


def post(person, position, start, end=None, end_precision=D, *, concurrent=False, place=True):
    return Assignment(person=person, position=position if place else None, title_name="Bí thư",
                      unit_name="Tỉnh ủy A", start_date=start, end_date=end,
                      end_precision=end_precision, is_concurrent=concurrent)  # fmt: skip


def apart(person) -> bool:
    return Person.objects.get(pk=person.pk).main_posts_apart


@pytest.mark.django_db
def test_every_write_of_the_history_unsettles_and_settle_judges_again(position):
    a, b = PersonFactory(), PersonFactory()
    first, = Assignment.objects.bulk_create(
        [post(a, position, dt.date(2015, 1, 1), dt.date(2020, 5, 1), M)])  # fmt: skip
    Assignment.objects.bulk_create([post(b, position, dt.date(2018, 1, 1))])
    assert not apart(a) and not apart(b)  # new people are not known apart
    assert posts_apart.settle([a.pk]) == 1
    assert apart(a) and not apart(b)  # only the people asked for

    # A second main post held in May 2020 ("đến 05/2020" is held through 31/05):
    second, = Assignment.objects.bulk_create(
        [post(a, position, dt.date(2020, 5, 31))])  # fmt: skip  (bulk: no signal; the trigger)
    assert not apart(a)
    assert posts_apart.settle([a.pk]) == 0 and not apart(a)

    Assignment.objects.filter(pk=second.pk).update(start_date=dt.date(2020, 6, 1))
    assert posts_apart.settle() == 2 and apart(a) and apart(b)  # everyone not yet apart
    Assignment.objects.filter(pk=first.pk).update(note="ghi chú")  # any update unsettles
    assert not apart(a) and apart(b)
    assert posts_apart.settle() == 1 and apart(a)
    Assignment.objects.filter(pk=first.pk).delete()  # a removed post cannot make two meet
    assert apart(a)


@pytest.mark.django_db
def test_concurrent_and_placeless_posts_never_meet_a_main_post(position):
    person = PersonFactory()
    Assignment.objects.bulk_create([
        post(person, position, dt.date(2020, 1, 1)),
        post(person, position, dt.date(2021, 1, 1), concurrent=True),
        post(person, position, dt.date(2021, 1, 1), place=False),
    ])  # fmt: skip
    assert posts_apart.settle([person.pk]) == 1 and apart(person)
    # Writing rows that are not main posts leaves the flag; making one main unsettles.
    concurrent = Assignment.objects.bulk_create([post(person, position, dt.date(2022, 1, 1),
                                                      concurrent=True)])[0]  # fmt: skip
    Assignment.objects.filter(is_concurrent=True).update(note="kiêm nhiệm")
    assert apart(person)
    Assignment.objects.filter(pk=concurrent.pk).update(is_concurrent=False)
    assert not apart(person)


@pytest.mark.django_db
def test_save_never_writes_the_flag(position):
    person = PersonFactory()
    Assignment.objects.bulk_create([post(person, position, dt.date(2015, 1, 1))])
    posts_apart.settle([person.pk])
    person.refresh_from_db()
    assert person.main_posts_apart  # read as True, then made stale:
    Assignment.objects.bulk_create([post(person, position, dt.date(2016, 1, 1))])
    person.given_name = "Bình"
    person.save()
    assert Person.objects.get(pk=person.pk).given_name == "Bình"
    assert not apart(person)


@pytest.mark.django_db
def test_a_saved_post_is_settled_when_its_transaction_commits(position,
                                                              django_capture_on_commit_callbacks):  # fmt: skip
    person = PersonFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Assignment.objects.create(**_fields(post(person, position, dt.date(2015, 1, 1))))
        assert not apart(person)  # not before the commit
    assert len(callbacks) == 1 and apart(person)
    with django_capture_on_commit_callbacks(execute=True):
        Assignment.objects.create(**_fields(post(person, position, dt.date(2016, 1, 1))))
    assert not apart(person)  # two main posts held from 2016: stays unsettled


@pytest.mark.django_db
def test_a_failed_settle_after_the_commit_is_logged_not_raised(position, monkeypatch, caplog,
                                                               django_capture_on_commit_callbacks):  # fmt: skip
    """The post is committed by then: the user must not read an error for it."""
    def failing(people):
        raise RuntimeError("lock timeout")

    monkeypatch.setattr(posts_apart, "settle", failing)
    person = PersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        Assignment.objects.create(**_fields(post(person, position, dt.date(2015, 1, 1))))
    assert Assignment.objects.filter(person=person).count() == 1 and not apart(person)
    assert "lock timeout" in caplog.text


def _fields(assignment: Assignment) -> dict:
    return {f.attname: getattr(assignment, f.attname)
            for f in Assignment._meta.concrete_fields if not f.primary_key}  # fmt: skip


@pytest.mark.django_db
def test_the_command_settles_everyone_and_says_how_many(position, capsys):
    people = PersonFactory.create_batch(3)
    Assignment.objects.bulk_create([post(p, position, dt.date(2015, 1, 1)) for p in people]
                                   + [post(people[0], position, dt.date(2019, 7, 1))])  # fmt: skip
    call_command("settle_main_posts")
    out = capsys.readouterr().out
    assert out.startswith("Đã đánh dấu 2 người; còn 1 người có chức vụ chính trùng thời gian")
    assert [apart(p) for p in people] == [False, True, True]


# --- the rule: apart if and only if no day has both posts held ---------------------------

def _random_post(rng: random.Random):
    start = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(0, 700))
    precision = rng.choice([D, M, Y])
    if rng.random() < 0.2:
        return start, None, precision
    end = start + dt.timedelta(days=rng.randrange(-40, 500))  # sometimes before its start
    if precision == M:
        end = end.replace(day=1)
    elif precision == Y:
        end = end.replace(month=1, day=1)
    return start, end, precision


@pytest.mark.django_db
def test_apart_exactly_when_no_day_holds_both(position):
    """Against the day-by-day reading of `held_on` (ADR 0013's end precisions), on random
    pairs of posts chosen to meet near their edges, on both databases."""
    rng = random.Random(35)
    cases = []
    for _ in range(120):
        person = PersonFactory()
        pair = [post(person, position, *_random_post(rng)) for _ in range(2)]
        Assignment.objects.bulk_create(pair)
        days = [dt.date(2019, 12, 1) + dt.timedelta(days=n) for n in range(1, 1500)]
        meet = any(held_on(pair[0], d) and held_on(pair[1], d) for d in days)
        cases.append((person, meet))
    posts_apart.settle()
    wrong = [(p.pk, meet) for p, meet in cases if apart(p) == meet]
    assert not wrong
    assert 20 < sum(meet for _p, meet in cases) < 100  # both answers are tried


# --- a write in progress is waited for ----------------------------------------------------

@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_settle_waits_for_a_write_in_progress_and_sees_it(position):
    """A post written in a transaction not yet committed: settle, started meanwhile,
    must not mark the person apart from what it read before the commit."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    # (a transactional test may follow one that emptied the migrations' catalogue)
    Ethnicity.objects.get_or_create(code="01", defaults={"name": "Kinh", "is_minority": False})
    person = PersonFactory()
    Assignment.objects.bulk_create([post(person, position, dt.date(2015, 1, 1))])
    settled = []

    def settle_now():
        try:
            settled.append(posts_apart.settle([person.pk]))
        finally:
            connections.close_all()

    with transaction.atomic():
        Assignment.objects.bulk_create([post(person, position, dt.date(2016, 1, 1))])
        worker = threading.Thread(target=settle_now)
        worker.start()
        time.sleep(0.5)  # settle has read the person before this commit
        assert worker.is_alive()  # and waits for it
    worker.join(10)
    assert settled == [0] and not apart(person)


@pytest.mark.django_db
def test_settling_a_bulk_load_analyzes_the_tables_first_on_postgresql(position):
    """After a bulk load the tables have no statistics yet: the settling's look-up planned
    without them took 1,205 s for the national seed instead of about 190 s. Inside a
    transaction (here) the settling happens without the table's rewrite."""
    people = PersonFactory.create_batch(3)
    Assignment.objects.bulk_create([post(p, position, dt.date(2015, 1, 1)) for p in people])
    assert posts_apart.settle_bulk_load() == 3
    assert all(apart(p) for p in people)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # ANALYZE sets the estimates, in this transaction
            cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relname IN "
                           "('people_person', 'people_assignment') ORDER BY relname")  # fmt: skip
            assert cursor.fetchall() == [("people_assignment", 3.0), ("people_person", 3.0)]
