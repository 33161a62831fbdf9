"""Reading single cells as users fill them in."""

import datetime as dt
from decimal import Decimal

import pytest

from canbo.exchange import cells
from canbo.people.choices import Degree


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("05/03/2020", (dt.date(2020, 3, 5), "D")),
        (" 5/3/2020 ", (dt.date(2020, 3, 5), "D")),
        ("03/2020", (dt.date(2020, 3, 1), "M")),
        ("2020", (dt.date(2020, 1, 1), "Y")),
        (2020, (dt.date(2020, 1, 1), "Y")),
        (2020.0, (dt.date(2020, 1, 1), "Y")),
        (43895, (dt.date(2020, 3, 5), "D")),
        ("43895", (dt.date(2020, 3, 5), "D")),
        (dt.datetime(2020, 3, 5, 0, 0), (dt.date(2020, 3, 5), "D")),
        (dt.date(2020, 3, 5), (dt.date(2020, 3, 5), "D")),
    ],
)
def test_partial_dates(raw, expected):
    assert cells.read_partial_date(raw) == expected


@pytest.mark.parametrize("raw", ["31/02/2020", "13/2020", "hôm qua", "1850", True, "05/03/1850"])
def test_bad_dates(raw):
    with pytest.raises(cells.CellError):
        cells.read_partial_date(raw)


@pytest.mark.parametrize(("raw", "message"), [
    ("31/02/2020", "Ngày 31/02/2020 không tồn tại."),
    ("13/2020", "Ngày 13/2020 không tồn tại."),
    ("hôm qua", "Không đọc được ngày “hôm qua”; hãy ghi dd/mm/yyyy, mm/yyyy hoặc yyyy."),
])  # fmt: skip
def test_a_date_that_does_not_exist_is_told_apart(raw, message):
    with pytest.raises(cells.CellError) as error:
        cells.read_partial_date(raw)
    assert str(error.value) == message


def test_id_numbers():
    assert cells.read_id_number(" 001080012345 ") == "001080012345"
    assert cells.read_id_number(108001234512.0) == "108001234512"
    with pytest.raises(cells.CellError, match="có 10 chữ số, cần đúng 12.*001080012345"):
        cells.read_id_number(1080012345)
    with pytest.raises(cells.CellError, match="chỉ gồm chữ số"):
        cells.read_id_number("00108001234A")
    with pytest.raises(cells.CellError, match="có 13 chữ số"):
        cells.read_id_number("0010800123456")


def test_numbers_stored_as_text():
    assert cells.read_int(" 12 ") == 12
    assert cells.read_int("12,0") == 12
    assert cells.read_int(12.0) == 12
    assert cells.read_decimal("85,5") == Decimal("85.50")
    assert cells.read_decimal(85.25) == Decimal("85.25")
    with pytest.raises(cells.CellError):
        cells.read_int("12,5")
    with pytest.raises(cells.CellError):
        cells.read_decimal("NaN")


def test_booleans():
    assert [cells.read_bool(v) for v in ("Có", "co", "x", 1, None, "Không", "", 0)] == [
        True, True, True, True, False, False, False, False
    ]  # fmt: skip
    with pytest.raises(cells.CellError, match="Có"):
        cells.read_bool("có lẽ")


def test_catalog_matches_labels_and_codes_ignoring_accents_and_case():
    catalog = cells.Catalog(Degree.choices)
    assert catalog.read("THẠC SĨ") == Degree.MASTER
    assert catalog.read("thac si") == Degree.MASTER
    assert catalog.read(" Tiến  sĩ ") == Degree.DOCTOR
    with pytest.raises(cells.CellError, match="Có phải “Thạc sĩ”"):
        catalog.read("Thạc sỹ")


def test_text_is_trimmed_and_numbers_lose_their_trailing_zero():
    assert cells.read_text("  Nguyễn   Văn  ") == "Nguyễn Văn"
    assert cells.read_text(125.0) == "125"
    with pytest.raises(cells.CellError):
        cells.read_text("a\x00b")


@pytest.mark.parametrize("raw", ["inf", "-Infinity", "NaN", "1e30", 1e300])
def test_numbers_beyond_any_column_are_cell_errors(raw):
    with pytest.raises(cells.CellError):
        cells.read_int(raw)
    with pytest.raises(cells.CellError):
        cells.read_decimal(raw)


def test_thousands_separators_in_whole_numbers():
    assert cells.read_int("1.000") == 1000
    assert cells.read_int("12.500.000") == 12500000
    assert cells.read_int("1,000") == 1000


@pytest.mark.parametrize("raw", [1899, 1899.0, 2101, 9999])
def test_four_digit_numbers_in_date_columns_are_years(raw):
    with pytest.raises(cells.CellError, match="Năm phải từ 1900 đến 2100"):
        cells.read_partial_date(raw)
