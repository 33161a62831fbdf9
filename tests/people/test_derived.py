import datetime as dt

import pytest

from canbo.people.derived import age_on, months_left, retirement_age_months, retirement_date


@pytest.mark.parametrize(
    ("sex", "born", "precision", "expected"),
    [
        # Rows of NĐ 135/2020 Phụ lục I, birth month → last day of retirement month.
        ("M", dt.date(1960, 12, 10), "D", dt.date(2020, 12, 31)),
        ("M", dt.date(1961, 1, 10), "D", dt.date(2021, 4, 30)),
        ("M", dt.date(1961, 9, 30), "D", dt.date(2021, 12, 31)),
        ("M", dt.date(1961, 10, 1), "D", dt.date(2022, 4, 30)),
        ("M", dt.date(1966, 3, 1), "D", dt.date(2027, 12, 31)),
        ("M", dt.date(1966, 4, 1), "D", dt.date(2028, 4, 30)),
        ("F", dt.date(1965, 12, 31), "D", dt.date(2020, 12, 31)),
        ("F", dt.date(1966, 8, 1), "D", dt.date(2021, 12, 31)),
        ("F", dt.date(1966, 9, 1), "D", dt.date(2022, 5, 31)),
        ("F", dt.date(1975, 4, 1), "D", dt.date(2034, 12, 31)),
        ("F", dt.date(1975, 5, 1), "D", dt.date(2035, 5, 31)),
        # Year only counts from January; month and year from the 1st.
        ("M", dt.date(1964, 1, 1), "Y", dt.date(2025, 4, 30)),
        ("F", dt.date(1970, 9, 1), "M", dt.date(2028, 5, 31)),
    ],
)
def test_retirement_date_follows_decree_135(sex, born, precision, expected):
    assert retirement_date(sex, born, precision) == expected


def test_override_age_for_women_leaders():
    born = dt.date(1972, 3, 15)
    assert retirement_age_months("F", born, "D") == 58 * 12 + 4
    assert retirement_date("F", born, "D", override_months=720) == dt.date(2032, 3, 31)


def test_age_and_months_left():
    assert age_on(dt.date(1980, 11, 23), "D", dt.date(2026, 11, 22)) == 45
    assert age_on(dt.date(1980, 11, 22), "D", dt.date(2026, 11, 22)) == 46
    assert months_left(dt.date(2031, 4, 30), dt.date(2026, 11, 22)) == 53
