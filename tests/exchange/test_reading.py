"""Reading a workbook's rows: what the package holds of each cell."""

from __future__ import annotations

import datetime as dt

from canbo.exchange import readers
from canbo.exchange.readers import read_package

from .conftest import PEOPLE_HEADERS, person_row


def test_a_text_repeated_down_a_column_is_held_once_and_other_values_as_they_are(package, monkeypatch):
    """100,000 people's rows took 190 MB while each cell was its own object: a spelling
    repeated down a column (a unit, a date, a family name) is now one object. Numbers,
    booleans and dates are never merged (1, 1.0 and True are equal as keys), and past
    KEPT_TEXTS spellings a column's new texts are simply held as read."""
    monkeypatch.setattr(readers, "KEPT_TEXTS", 3)
    units = ["Đảng ủy xã An Bình", "Đảng ủy xã An Bình", "Ủy ban nhân dân", 1, 1.0, True,
             dt.datetime(2020, 3, 5), "Hội đồng nhân dân", "Mặt trận Tổ quốc", "Mặt trận Tổ quốc",
             "Đảng ủy xã An Bình", "Ủy ban nhân dân"]  # fmt: skip
    rows = [person_row(id_number=f"00108000{n:04d}", unit=unit, family="Nguyễn Phương")
            for n, unit in enumerate(units)]  # fmt: skip
    read = read_package(package({"Cán bộ": [PEOPLE_HEADERS, *rows]})).sheets["people"].rows

    assert [number for number, _values in read] == list(range(2, 14))
    read_units = [values["unit"] for _number, values in read]
    assert read_units == units[:6] + [dt.date(2020, 3, 5)] + units[7:]  # calamine: a date
    assert [type(u) for u in read_units[3:7]] == [float, float, bool, dt.date]  # True stays True
    # One object per spelling among the first three texts of the column …
    assert read_units[0] is read_units[1] is read_units[10]
    assert read_units[2] is read_units[11]
    # … then the column's fourth spelling is held as read, each time.
    assert read_units[8] == read_units[9] and read_units[8] is not read_units[9]
    family = [values["family_name"] for _number, values in read]
    assert all(f is family[0] for f in family)
    assert len({id(values["id_number"]) for _number, values in read}) == 12
