import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from canbo.core.dates import (
    ImpossibleDate,
    date_problem,
    format_day,
    format_partial_date,
    iso_partial_date,
    parse_day,
    parse_partial_date,
    whole_months_between,
    working_days_after,
    year_span,
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


def test_format_and_parse_a_whole_day():
    assert format_day(dt.date(2026, 3, 5)) == "05/03/2026"
    assert format_day(None) == ""
    assert parse_day("05/03/2026") == parse_day("2026-03-05") == dt.date(2026, 3, 5)
    for bad in ("03/2026", "2026", "31/02/2026", "2026-3-5x"):
        with pytest.raises(ValueError):
            parse_day(bad)


def test_year_span():
    assert year_span("2030-2035") == year_span(" 2030 – 2035 ") == (2030, 2035)
    assert year_span("2030/2035") == year_span("2030—2035") == (2030, 2035)
    assert year_span("2030") is None
    assert year_span("") is None
    assert year_span("20302035") is None


def test_working_days_after_a_day():
    thursday = dt.date(2026, 1, 15)
    assert working_days_after(thursday, thursday, frozenset()) == 0
    assert working_days_after(thursday, dt.date(2026, 1, 10), frozenset()) == 0
    assert working_days_after(dt.date(2026, 1, 16), dt.date(2026, 1, 19), frozenset()) == 1
    assert working_days_after(thursday, dt.date(2026, 3, 1), frozenset()) == 31
    assert working_days_after(dt.date(2026, 1, 1), dt.date(2026, 12, 31), frozenset()) == 260
    # A holiday counts only on a weekday inside the span (the start day is outside).
    holidays = frozenset({dt.date(2026, 1, 21), dt.date(2026, 1, 24), thursday})
    assert working_days_after(thursday, dt.date(2026, 1, 26), holidays) == 6


@pytest.mark.parametrize("text", ["31/02/1980", "15/13/2005", "00/2020", "2020-02-30", "29/02/2023"])
def test_a_date_that_does_not_exist_is_told_apart_from_a_wrong_format(text):
    with pytest.raises(ImpossibleDate):
        parse_partial_date(text)
    with pytest.raises(ValueError) as error:
        parse_partial_date(text)
    assert date_problem(text, error.value, "sai") == f"Ngày {text} không tồn tại."


@pytest.mark.parametrize("text", ["31-02-1980x", "1980/02/31", "ngày 5", "05/03/20"])
def test_a_wrong_format_is_not_called_impossible(text):
    with pytest.raises(ValueError) as error:
        parse_partial_date(text)
    assert not isinstance(error.value, ImpossibleDate)
    assert date_problem(text, error.value, "sai") == "sai"


def test_the_form_fields_say_the_day_does_not_exist():
    from canbo.core.forms import PartialDateField, VNDateField

    for field, text in ((VNDateField(), "31/02/1980"), (PartialDateField(), "15/13/2005")):
        with pytest.raises(ValidationError) as error:
            field.clean(text)
        assert error.value.messages == [f"Ngày {text} không tồn tại."]
    with pytest.raises(ValidationError) as error:
        VNDateField().clean("31/2/19801")
    assert error.value.messages == ["Hãy nhập ngày theo dạng dd/mm/yyyy."]
    assert VNDateField().clean("29/02/2024") == dt.date(2024, 2, 29)


def test_the_api_date_field_says_the_day_does_not_exist():
    from rest_framework.exceptions import ValidationError as Invalid

    from canbo.api.fields import date_field

    field = date_field()
    for text in ("2026-02-30", "30/02/2026"):
        with pytest.raises(Invalid) as error:
            field.run_validation(text)
        assert [str(m) for m in error.value.detail] == [f"Ngày {text} không tồn tại."]
    with pytest.raises(Invalid) as error:
        field.run_validation("hôm nay")
    assert [str(m) for m in error.value.detail] == [
        "Ngày không hợp lệ; hãy viết dd/mm/yyyy hoặc yyyy-mm-dd."
    ]
    assert field.run_validation("29/02/2024") == dt.date(2024, 2, 29)
