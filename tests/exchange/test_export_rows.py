"""The export's fast paths give exactly what the plain ones gave."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canbo.core.memory import Remembered
from canbo.exchange.exporter import JsonRow, labels
from canbo.people.choices import Sex

VALUES = st.one_of(
    st.none(),
    st.just(""),
    st.text(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False),
    st.booleans(),
)


@given(st.lists(st.tuples(st.text(min_size=1), VALUES), max_size=8, unique_by=lambda kv: kv[0]))
def test_a_json_row_is_what_json_dumps_writes(pairs):
    keys = [k for k, _ in pairs]
    encode = JsonRow(keys)
    values = [v for _, v in pairs]
    expected = json.dumps({k: v for k, v in pairs if v not in (None, "")}, ensure_ascii=False)
    assert encode(values) == expected
    assert encode(values) == expected  # the second time from the remembered texts


def test_a_json_row_keeps_remembering_within_its_cap(monkeypatch):
    monkeypatch.setattr("canbo.exchange.exporter.TEXTS_PER_COLUMN", 2)
    encode = JsonRow(["a"])
    rows = [[f"v{i % 5}"] for i in range(20)]
    assert [encode(r) for r in rows] == [json.dumps({"a": r[0]}, ensure_ascii=False) for r in rows]
    assert len(encode.texts[0]) == 2


def test_a_json_row_refuses_a_row_of_the_wrong_width():
    with pytest.raises(ValueError):
        JsonRow(["a", "b"])(["x"])


def test_labels_are_translated_once_and_unknown_values_still_fail():
    sex = labels(Sex)
    assert sex[Sex.MALE] == "Nam" and sex[None] == "" and sex[""] == ""
    assert len(sex) == 3
    with pytest.raises(ValueError):
        sex["?"]


def test_remembered_works_out_each_key_once():
    calls = []

    def double(x):
        calls.append(x)
        return 2 * x

    table = Remembered(double)
    assert [table[k] for k in (1, 2, 1, 1, 2)] == [2, 4, 2, 2, 4]
    assert calls == [1, 2]
