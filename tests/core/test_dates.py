import datetime as dt

import pytest

from canbo.core.dates import (
    format_partial_date,
    iso_partial_date,
    parse_partial_date,
    whole_months_between,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/03/2020", (dt.date(2020, 3, 5), "D")),
        ("5/3/2020", (dt.date(2020, 3, 5), "D")),
        ("05-03-2020", (dt.date(2020, 3, 5), "D")),
        ("03/2020", (dt.date(2020, 3, 1), "M")),
        ("2020", (dt.date(2020, 1, 1), "Y")),
        ("2020-03-05", (dt.date(2020, 3, 5), "D")),
        ("2020-03", (dt.date(2020, 3, 1), "M")),
        (" 1975 ", (dt.date(1975, 1, 1), "Y")),
    ],
)
def test_parse_partial_date(text, expected):
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2020", "13/2020", "abc", "", "2020/03/05", "05/03/20"])
def test_parse_partial_date_rejects(text):
    with pytest.raises(ValueError):
        parse_partial_date(text)


def test_format_by_precision():
    d = dt.date(1970, 2, 1)
    assert format_partial_date(d, "D") == "01/02/1970"
    assert format_partial_date(d, "M") == "02/1970"
    assert format_partial_date(d, "Y") == "1970"
    assert iso_partial_date(d, "M") == "1970-02"
    assert iso_partial_date(d, "Y") == "1970"
    assert iso_partial_date(None, "D") is None


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (dt.date(2026, 11, 22), dt.date(2031, 4, 30), 53),
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28), 1),
        (dt.date(2026, 1, 15), dt.date(2026, 2, 14), 0),
        (dt.date(2026, 1, 15), dt.date(2026, 2, 15), 1),
        (dt.date(2026, 3, 15), dt.date(2026, 1, 20), -1),
    ],
)
def test_whole_months_between(start, end, months):
    assert whole_months_between(start, end) == months
