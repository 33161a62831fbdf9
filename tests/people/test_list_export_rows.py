"""The people list to Excel, row by row, after it was made cheaper for a million people
(benchmarks/list_export_job.py): the sex label from a table made once, only the unit
joined, the retirement age found once by `person_derived`. Each row must be what the slow,
obvious reading gives (`get_sex_display`, every relation loaded, the person's whole work
history filtered in Python), and the rows must still cost two queries in all."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from canbo.people import derived, list_export, selectors
from canbo.people.models import Assignment, Person
from tests.factories import PersonFactory, PositionFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 2, 5)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(selectors, "today", lambda: TODAY)


@pytest.fixture
def people(world):
    """Men and women, whole and partial birth dates, a retirement age of their own, one
    without a unit; posts current, concurrent, elsewhere, ended, ending this month."""
    hoa = PersonFactory(family_name="Lê", middle_name="Thị", given_name="Hoa", sex="F",
                        birth_date=dt.date(1980, 3, 2), unit=world.xa)  # fmt: skip
    binh = PersonFactory(family_name="Trần", given_name="Bình", birth_date=dt.date(1985, 1, 1),
                         birth_date_precision="Y", unit=world.xb)  # fmt: skip
    chi = PersonFactory(family_name="Phạm", middle_name="Thị", given_name="Chi", sex="F",
                        birth_date=dt.date(1966, 7, 1), birth_date_precision="M",
                        retirement_age_override_months=720, unit=world.tu)  # fmt: skip
    dung = PersonFactory(family_name="Đỗ", given_name="Dũng", birth_date=dt.date(1964, 12, 31),
                         unit=None)  # fmt: skip
    post = PositionFactory(unit=world.xa)
    Assignment.objects.create(person=hoa, position=post, unit_name=world.xa.name,
                              title_name="Bí thư", start_date=dt.date(2020, 10, 1))  # fmt: skip
    Assignment.objects.create(person=hoa, unit_name="Đảng ủy khối", title_name="Ủy viên",
                              start_date=dt.date(2021, 1, 1), is_concurrent=True)  # fmt: skip
    Assignment.objects.create(person=binh, position=post, unit_name=world.xa.name,
                              title_name="Phó Bí thư", start_date=dt.date(2015, 1, 1),
                              end_date=dt.date(2020, 9, 30))  # fmt: skip
    Assignment.objects.create(person=binh, unit_name=world.xb.name, title_name="Chuyên viên",
                              start_date=dt.date(2020, 10, 1), end_date=dt.date(2026, 2, 1),
                              end_precision="M")  # fmt: skip
    Assignment.objects.create(person=dung, unit_name="Sở Nội vụ", title_name="Giám đốc",
                              start_date=dt.date(2019, 1, 1))  # fmt: skip
    return [hoa, binh, chi, dung]


def reference_row(pk: int, on: dt.date) -> list:
    """The row as the obvious code writes it: everything loaded, no prefetch, no table."""
    person = Person.objects.select_related("unit", "ethnicity", "hometown").get(pk=pk)
    return [
        person.full_name, person.id_number, person.get_sex_display(),
        list_export.day_cell(person.birth_date, person.birth_date_precision),
        derived.age_on(person.birth_date, person.birth_date_precision, on),
        person.unit.name if person.unit else "", list_export.posts_text(person, on),
        derived.retirement_date(person.sex, person.birth_date, person.birth_date_precision,
                                person.retirement_age_override_months),
    ]  # fmt: skip


@pytest.mark.parametrize("query", ["", "as_of=01/06/2020"])
def test_each_row_is_what_the_obvious_reading_gives(people, admin_user, query):
    export = list_export.build(admin_user, QueryDict(query))
    on = TODAY if not query else dt.date(2020, 6, 1)
    order = Person.objects.order_by("sort_key", "id").values_list("pk", flat=True)
    with CaptureQueriesContext(connection) as queries:
        rows = list(export.rows)
    assert len(queries) == 2  # the people with their unit, then their posts
    assert rows == [reference_row(pk, on) for pk in order]


def test_the_rows_themselves(people, admin_user):
    rows = list(list_export.build(admin_user, QueryDict("")).rows)
    assert rows == [
        ["Trần Văn Bình", people[1].id_number, "Nam", "1985", 41, "Đảng ủy xã Bình Minh",
         "Chuyên viên", dt.date(2047, 1, 31)],
        ["Phạm Thị Chi", people[2].id_number, "Nữ", "07/1966", 59, "Tỉnh ủy Thử Nghiệm", "",
         dt.date(2026, 7, 31)],
        ["Đỗ Văn Dũng", people[3].id_number, "Nam", dt.date(1964, 12, 31), 61, "",
         "Giám đốc – Sở Nội vụ", dt.date(2026, 6, 30)],
        ["Lê Thị Hoa", people[0].id_number, "Nữ", dt.date(1980, 3, 2), 45,
         "Đảng ủy xã An Bình", "Ủy viên – Đảng ủy khối (kiêm nhiệm); Bí thư",
         dt.date(2040, 3, 31)],
    ]  # fmt: skip


def test_person_derived_searches_the_retirement_age_once(people, monkeypatch):
    searched = []
    search = derived.retirement_age_months

    def counted(sex, birth_date, precision="D", override_months=None, *args):
        if not override_months:
            searched.append(birth_date)
        return search(sex, birth_date, precision, override_months, *args)

    monkeypatch.setattr(derived, "retirement_age_months", counted)
    hoa, binh, chi, _dung = people
    assert selectors.person_derived(hoa, TODAY).retirement_date == dt.date(2040, 3, 31)
    assert selectors.person_derived(hoa, TODAY).retirement_age_months == 720
    found = selectors.person_derived(binh, TODAY)
    assert (found.retirement_date, found.retirement_age_months) == (dt.date(2047, 1, 31), 744)
    found = selectors.person_derived(chi, TODAY)
    assert (found.retirement_date, found.retirement_age_months) == (dt.date(2026, 7, 31), 720)
    assert searched == [hoa.birth_date, hoa.birth_date, binh.birth_date]
