"""Acceptance: retirement dates read through the API match the decree's appendix.

The expected table is written here from Nghị định 135/2020/NĐ-CP, Phụ lục I, as
birth-month ranges; it deliberately does not use canbo.people.derived.
"""

import calendar
import datetime as dt
import itertools

from canbo.people.models import Ethnicity, Person

from ..factories import PersonFactory
from .conftest import results

# (first birth month, last birth month, retirement age in years, months)
MEN = [
    ((1900, 1), (1960, 12), 60, 0),
    ((1961, 1), (1961, 9), 60, 3),
    ((1961, 10), (1962, 6), 60, 6),
    ((1962, 7), (1963, 3), 60, 9),
    ((1963, 4), (1963, 12), 61, 0),
    ((1964, 1), (1964, 9), 61, 3),
    ((1964, 10), (1965, 6), 61, 6),
    ((1965, 7), (1966, 3), 61, 9),
    ((1966, 4), (2100, 12), 62, 0),
]
WOMEN = [
    ((1900, 1), (1965, 12), 55, 0),
    ((1966, 1), (1966, 8), 55, 4),
    ((1966, 9), (1967, 4), 55, 8),
    ((1967, 5), (1967, 12), 56, 0),
    ((1968, 1), (1968, 8), 56, 4),
    ((1968, 9), (1969, 4), 56, 8),
    ((1969, 5), (1969, 12), 57, 0),
    ((1970, 1), (1970, 8), 57, 4),
    ((1970, 9), (1971, 4), 57, 8),
    ((1971, 5), (1971, 12), 58, 0),
    ((1972, 1), (1972, 8), 58, 4),
    ((1972, 9), (1973, 4), 58, 8),
    ((1973, 5), (1973, 12), 59, 0),
    ((1974, 1), (1974, 8), 59, 4),
    ((1974, 9), (1975, 4), 59, 8),
    ((1975, 5), (2100, 12), 60, 0),
]


def expected_retirement(sex: str, year: int, month: int) -> str:
    """Last day of the month in which the age of the table is reached."""
    table = MEN if sex == "M" else WOMEN
    (years, months) = next((y, m) for first, last, y, m in table if first <= (year, month) <= last)
    total = year * 12 + (month - 1) + years * 12 + months
    ret_year, ret_month = divmod(total, 12)
    ret_month += 1
    return dt.date(ret_year, ret_month, calendar.monthrange(ret_year, ret_month)[1]).isoformat()


def test_table_spot_checks():
    """A few rows worked by hand, so that the helper itself is checked."""
    assert expected_retirement("M", 1960, 12) == "2020-12-31"  # 60
    assert expected_retirement("M", 1961, 1) == "2021-04-30"  # 60y3m
    assert expected_retirement("M", 1962, 3) == "2022-09-30"  # 60y6m
    assert expected_retirement("M", 1966, 4) == "2028-04-30"  # 62
    assert expected_retirement("F", 1966, 8) == "2021-12-31"  # 55y4m
    assert expected_retirement("F", 1966, 9) == "2022-05-31"  # 55y8m
    assert expected_retirement("F", 1975, 4) == "2034-12-31"  # 59y8m
    assert expected_retirement("F", 1975, 5) == "2035-05-31"  # 60


def test_retirement_dates_through_the_api_match_the_decree(world, admin_user, as_user):
    kinh = Ethnicity.objects.get(code="01")
    expected: dict[str, str] = {}
    people = []
    months = [(y, m) for y in range(1955, 1991) for m in range(1, 13)]
    for n, ((year, month), sex) in enumerate(itertools.product(months, ("M", "F"))):
        last_day = calendar.monthrange(year, month)[1]
        # Full dates on the first and the last day of the month; month-only and year-only
        # records keep a stored day that must be ignored (counted from the 1st / January).
        variants = [
            ("D", dt.date(year, month, 1), (year, month)),
            ("D", dt.date(year, month, last_day), (year, month)),
            ("M", dt.date(year, month, 15), (year, month)),
            ("Y", dt.date(year, month, 15), (year, 1)),
        ]
        for k, (precision, born, counted_from) in enumerate(variants):
            id_number = f"{n * 4 + k + 1:012d}"
            people.append(
                PersonFactory.build(
                    id_number=id_number,
                    sex=sex,
                    birth_date=born,
                    birth_date_precision=precision,
                    ethnicity=kinh,
                    unit=world.xa,
                )
            )
            expected[id_number] = expected_retirement(sex, *counted_from)
    Person.objects.bulk_create(people, batch_size=500)
    assert len(expected) == 36 * 12 * 2 * 4

    api = as_user(admin_user)
    got: dict[str, str] = {}
    page = 1
    while True:
        response = api.get(f"/api/people/?page_size=1000&page={page}")
        got.update({r["id_number"]: r["retirement_date"] for r in results(response)})
        if response.json()["next"] is None:
            break
        page += 1
    mismatches = {k: (got.get(k), v) for k, v in expected.items() if got.get(k) != v}
    assert mismatches == {}
    assert len(got) == len(expected)
