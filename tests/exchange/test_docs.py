"""docs/data-package.md documents every sheet and column of the data package, and only those.

Each sheet has a heading "### <title> (`<key>`)" followed by a table whose rows are
| header | `key` | meaning | type | required | allowed values | example |.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from canbo.exchange.registry import sheets
from canbo.exchange.sheets import Sheet

SHEETS = sheets()
SHEET_BY_KEY = {s.key: s for s in SHEETS}

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-package.md"
SHEET_HEADING = re.compile(r"^### (?P<title>.+) \(`(?P<key>[^`]+)`\)\s*$")
ETHNICITY_TEXT = "54 dân tộc"
COLUMNS = ("header", "key", "meaning", "type", "required", "allowed", "example")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def parse(text: str) -> dict[str, dict]:
    """Sheet key -> {"title": heading title, "rows": [{header, key, …}, …]} (first table only)."""
    sections: dict[str, dict] = {}
    current = None
    table_done = False
    for line in text.splitlines():
        if line.startswith("#"):
            match = SHEET_HEADING.match(line)
            current = None
            if match:
                key = match["key"]
                assert key not in sections, f"sheet `{key}` is documented twice"
                current = sections[key] = {"title": match["title"], "rows": []}
                table_done = False
            continue
        if current is None or table_done:
            continue
        if line.lstrip().startswith("|"):
            cells = _cells(line)
            if cells[0] == "Tiêu đề cột" or set("".join(cells)) <= set("-: "):
                continue  # the header row and the separator
            assert len(cells) == len(COLUMNS), f"row with {len(cells)} cells: {line}"
            row = dict(zip(COLUMNS, cells, strict=True))
            row["key"] = row["key"].strip("`")
            current["rows"].append(row)
        elif current["rows"]:
            table_done = True
    return sections


@pytest.fixture(scope="module")
def documented() -> dict[str, dict]:
    return parse(DOC.read_text(encoding="utf-8"))


def test_every_sheet_has_a_section_and_no_unknown_sheet_is_documented(documented):
    assert [s.key for s in SHEETS if s.key not in documented] == []
    assert sorted(set(documented) - set(SHEET_BY_KEY)) == []
    for sheet in SHEETS:
        assert documented[sheet.key]["title"] == sheet.title


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.key)
def test_table_lists_exactly_the_columns_of_the_sheet(documented, sheet: Sheet):
    rows = documented[sheet.key]["rows"]
    listed = [(row["header"], row["key"]) for row in rows]
    expected = [(column.header, column.key) for column in sheet.columns]
    missing = [pair for pair in expected if pair not in listed]
    unknown = [pair for pair in listed if pair not in expected]
    assert missing == [], f"{sheet.title}: columns of spec.py not documented"
    assert unknown == [], f"{sheet.title}: documented columns that spec.py does not have"
    assert listed == expected, f"{sheet.title}: columns not in the order of spec.py"


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.key)
def test_required_and_allowed_values_agree_with_the_spec(documented, sheet: Sheet):
    rows = {row["key"]: row for row in documented[sheet.key]["rows"]}
    for column in sheet.columns:
        row = rows.get(column.key)
        assert row is not None, f"{sheet.title} / {column.header}: not documented"
        assert row["required"] == ("Có" if column.required else ""), (sheet.key, column.key)
        if column.kind == "choice":
            allowed = [value.strip() for value in row["allowed"].split(";")]
            labels = [str(label) for _value, label in column.choices.choices]
            assert [label for label in labels if label not in allowed] == [], (
                f"{sheet.title} / {column.header}: allowed values missing"
            )
        if column.kind == "ethnicity":
            assert ETHNICITY_TEXT in row["allowed"], (sheet.key, column.key)
