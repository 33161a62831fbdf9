"""A JSON package is read as a stream, a row at a time (ADR 0020), with what json.load gave:
the same rows, values, warnings and errors; invalid JSON anywhere refuses the whole file;
a sheet past a limit is refused before the rest of the file is read."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from canbo.exchange import readers
from canbo.exchange.readers import PackageError, RawPackage, read_package
from canbo.exchange.steps import Steps
from canbo.people.models import Person

from .conftest import json_package, person_row, run_import

KEYS = ["id_number", "family_name", "middle_name", "given_name", "sex", "birth_date",
        "ethnicity", "hometown", "unit"]  # fmt: skip
INVALID = "Tệp JSON không hợp lệ."


def person(id_number="001080000001", **changes) -> dict:
    return {**dict(zip(KEYS, person_row(id_number), strict=True)), **changes}


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def refused(path) -> str:
    with pytest.raises(PackageError) as info:
        read_package(path)
    return str(info.value)


def read_as_before(path) -> RawPackage:
    """The package as read before the stream (json.load of the whole file), for comparison;
    the limits are left out (the packages here are far within them)."""
    with open(path, "rb") as handle:
        data = json.load(handle)
    package = RawPackage(sheets={}, meta={}, source="json")
    if isinstance(data.get("meta"), dict):
        package.meta = {str(k): readers.shown(v) for k, v in data["meta"].items()}
    for name, rows in data["sheets"].items():
        sheet, _part = readers._sheet_for(name)
        if sheet is None:
            package.problems.append(
                (name[:60], None, None, "", "Sheet không có trong định dạng; bị bỏ qua.", "warning")
            )
            continue
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            package.problems.append(
                (sheet.title, None, None, "", "Sheet phải là một danh sách đối tượng.", "error")
            )
            continue
        headers = list(dict.fromkeys(key for row in rows for key in row))
        mapping, unknown, _matched = readers._header_map(sheet, headers)
        for header in unknown:
            package.problems.append((sheet.title, None, header, header,
                                     "Cột không có trong định dạng gói dữ liệu; bị bỏ qua.",
                                     "warning"))  # fmt: skip
        result = readers.SheetRows(sheet=sheet, name=sheet.title, present=set(mapping.values()))
        if rows:
            readers._report_missing(package, result, None)
        for number, row in enumerate(rows, start=1):
            values = {mapping[i]: readers._json_cell(row[h]) for i, h in enumerate(headers)
                      if i in mapping and h in row}  # fmt: skip
            if values and not all(readers.is_blank(v) for v in values.values()):
                result.rows.append((number, values))
        package.sheets[sheet.key] = result
    return package


def plain(package: RawPackage) -> dict:
    """What a package holds, with each value's type (1 and 1.0 and True stay apart)."""
    return {
        "meta": package.meta,
        "problems": [tuple(map(str, p)) for p in package.problems],
        "sheets": [
            (
                key,
                rows.name,
                sorted(rows.present),
                [
                    (n, [(k, type(v).__name__, v) for k, v in values.items()])
                    for n, values in rows.rows
                ],
            )
            for key, rows in package.sheets.items()
        ],  # fmt: skip
    }


def assert_read_as_before(path):
    assert plain(read_package(path)) == plain(read_as_before(path))


# --- invalid JSON anywhere -----------------------------------------------------------------


def test_a_syntax_error_after_many_rows_refuses_the_file_and_imports_nothing(world, tmp_path):
    rows = ",\n".join(json.dumps(person(f"0010800{n:05d}"), ensure_ascii=False)
                      for n in range(1, 2001))  # fmt: skip
    text = '{"sheets": {"people": [\n' + rows + ',\n {"id_number": "001080009999",, }\n]}}'
    path = write(tmp_path / "goi.json", text)
    assert refused(path) == INVALID
    with pytest.raises(PackageError):
        run_import(path)
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    "tail",
    [
        "]}} x",  # a value after the end
        "]}}{}",  # a second document
        "]}",  # cut short
        '], "sheets": {}, }}',  # a trailing comma
        '], "x": NaN}}',  # not JSON (json.load took it)
    ],
)
def test_invalid_json_after_the_rows_is_refused(tmp_path, tail):
    rows = json.dumps([person(), person("001080000002")])[:-1]
    assert refused(write(tmp_path / "goi.json", '{"sheets": {"people": ' + rows + tail)) == INVALID


def test_nesting_deeper_than_any_package_is_invalid_anywhere(tmp_path):
    deep = "[" * 600 + "]" * 600
    cell = json.dumps({"sheets": {"people": [person(note="X")]}}).replace('"X"', deep)
    assert refused(write(tmp_path / "a.json", cell)) == INVALID
    meta = '{"meta": ' + deep + ', "sheets": {}}'
    assert refused(write(tmp_path / "b.json", meta)) == INVALID
    # Nested cells within reason become the cell's JSON text, as before.
    fine = json.dumps(
        {"sheets": {"people": [person(family_name=[[[["A"]]]], given_name={"x": 1.5})]}}
    )
    path = write(tmp_path / "c.json", fine)
    assert_read_as_before(path)
    values = read_package(path).sheets["people"].rows[0][1]
    assert (values["family_name"], values["given_name"]) == ('[[[["A"]]]]', '{"x": 1.5}')


# --- where things are ------------------------------------------------------------------------


def test_meta_is_read_before_or_after_the_sheets(tmp_path):
    meta = {"Định dạng": "canbo-data-package", "Phiên bản": 1, "Đơn vị": None}
    sheets = {"people": [person()]}
    before = write(tmp_path / "a.json", json.dumps({"meta": meta, "sheets": sheets}))
    after = write(tmp_path / "b.json", json.dumps({"sheets": sheets, "meta": meta}))
    assert (
        read_package(after).meta
        == read_package(before).meta
        == {"Định dạng": "canbo-data-package", "Phiên bản": "1", "Đơn vị": ""}
    )
    assert_read_as_before(after)


def test_other_members_are_read_past(tmp_path):
    text = json.dumps({"x": {"a": [1, {"b": [2, 3]}]}, "sheets": {"people": [person()]},
                       "y": [[]], "meta": "not an object"})  # fmt: skip
    path = write(tmp_path / "goi.json", text)
    assert_read_as_before(path)
    assert read_package(path).meta == {}


@pytest.mark.parametrize(
    "text",
    [
        '{"meta": {}}',
        '{"sheets": []}',
        '{"sheets": {"people": []}, "sheets": 1}',  # json.load kept the last
        '\ufeff[{"sheets": {}}]',
    ],
)
def test_without_an_object_of_sheets_the_package_is_refused(tmp_path, text):
    assert refused(write(tmp_path / "goi.json", text)) == (
        "Tệp JSON không đúng định dạng gói dữ liệu (thiếu mục “sheets”)."
    )


def test_invalid_json_outweighs_a_missing_sheets_object(tmp_path):
    assert refused(write(tmp_path / "goi.json", '{"sheets": 1, "x": [}')) == INVALID


def test_a_byte_order_mark_and_utf16_read_as_before(tmp_path):
    text = json.dumps({"sheets": {"Cán bộ": [person(given_name="Ánh")]}}, ensure_ascii=False)
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode())
    utf16 = tmp_path / "utf16.json"
    utf16.write_bytes(text.encode("utf-16-le"))
    expected = plain(read_as_before(bom))
    assert plain(read_package(bom)) == plain(read_package(utf16)) == expected
    assert read_package(utf16).sheets["people"].rows[0][1]["given_name"] == "Ánh"


# --- values and keys -------------------------------------------------------------------------


NUMBERS = ["0", "-0", "7", "1.0", "-0.0", "1e5", "1E+2", "2.5e-3", "0.1", "3.141592653589793238",
           "12345678901", "123456789012345678901234567890", "1e400", "-1e-400", "true", "false",
           "null"]  # fmt: skip


def test_numbers_read_as_json_load_read_them(tmp_path):
    rows = ",".join('{"id_number": "001080000001", "family_name": ' + n + "}" for n in NUMBERS)
    path = write(tmp_path / "goi.json", '{"sheets": {"people": [' + rows + "]}}")
    assert_read_as_before(path)
    read = [values.get("family_name") for _n, values in read_package(path).sheets["people"].rows]
    expected = [json.loads(n) for n in NUMBERS]
    assert [(type(v), v) for v in read] == [(type(v), v) for v in expected]


def test_an_eleven_digit_id_number_gets_the_message_it_got(world, tmp_path):
    report = run_import(json_package(tmp_path / "goi.json", {"people": [person(10800000001)]}))
    assert [(p.row, p.column, p.value, p.message) for p in report.problems] == [
        (
            1,
            "Số định danh cá nhân",
            "10800000001",
            "Số định danh cá nhân có 11 chữ số, cần đúng 12.",
        )
    ]


def test_keys_first_seen_in_later_rows_are_mapped_and_warned_once(tmp_path):
    first = {"id_number": "001080000001", "family_name": "Nguyễn"}
    rows = [first] * 3 + [
        {**first, "ghi_chu": "x", "given_name": "An"},
        {"Ghi chú": 1, "birth_date": "05/03/1980", "ghi_chu": "y", "id_number": "001080000002"},
        {"given_name": "Bình", "Tên": "Bình", "stt": 6, "": "z", "ghi_chu": "w"},
    ]
    path = json_package(tmp_path / "goi.json", {"people": rows})
    assert_read_as_before(path)
    package = read_package(path)
    assert [(p[2], p[4]) for p in package.problems if p[5] == "warning"] == [
        ("ghi_chu", "Cột không có trong định dạng gói dữ liệu; bị bỏ qua."),
        ("Ghi chú", "Cột không có trong định dạng gói dữ liệu; bị bỏ qua."),
        ("Tên", "Cột không có trong định dạng gói dữ liệu; bị bỏ qua."),  # given_name again
    ]
    people = package.sheets["people"]
    # Values in the order their keys first appeared in the sheet, as before.
    assert people.rows[4][1] == {"id_number": "001080000002", "birth_date": "05/03/1980"}
    assert list(people.rows[3][1]) == ["id_number", "family_name", "given_name"]
    assert {"given_name", "birth_date"} <= people.present


def test_a_required_column_in_a_later_row_only_is_not_missing(tmp_path):
    rows = [{"id_number": "001080000001"}, person("001080000002")]
    package = read_package(json_package(tmp_path / "a.json", {"people": rows}))
    assert not [p for p in package.problems if p[4] == "Thiếu cột bắt buộc."]
    missing = read_package(json_package(tmp_path / "b.json", {"people": [{"id_number": "1"}]}))
    assert [p[2] for p in missing.problems if p[4] == "Thiếu cột bắt buộc."] != []
    assert_read_as_before(tmp_path / "b.json")


def test_blank_rows_are_skipped_and_rows_keep_their_numbers(tmp_path):
    rows = [person(), {}, {"id_number": " ", "ghi_chu": "x"}, {"id_number": None},
            person("001080000002")]  # fmt: skip
    path = json_package(tmp_path / "goi.json", {"people": rows})
    assert_read_as_before(path)
    assert [n for n, _values in read_package(path).sheets["people"].rows] == [1, 5]


def test_a_key_twice_in_a_row_keeps_its_last_value_as_before(tmp_path):
    path = write(tmp_path / "goi.json", '{"sheets": {"people": [{"id_number": "1", "given_name":'
                                        ' "A", "id_number": "001080000001"}]}}')  # fmt: skip
    assert_read_as_before(path)
    assert read_package(path).sheets["people"].rows[0][1] == {
        "id_number": "001080000001",
        "given_name": "A",
    }


def test_a_sheet_given_twice_is_an_error_not_a_silent_replacement(tmp_path):
    """json.load kept the last of two "people" (or of "people" and "Cán bộ") without a word;
    the stream reads the first and reports the second, as a workbook's twice-named sheet."""
    text = ('{"sheets": {"people": [{"id_number": "001080000001"}], "la": 1,'
            ' "Cán bộ": [{"id_number": "001080000002"}]}}')  # fmt: skip
    package = read_package(write(tmp_path / "goi.json", text))
    assert [r[1]["id_number"] for r in package.sheets["people"].rows] == ["001080000001"]
    assert [(p[0], p[4], p[5]) for p in package.problems if "Sheet" in p[4]] == [
        ("la", "Sheet không có trong định dạng; bị bỏ qua.", "warning"),
        ("Cán bộ", "Sheet bị trùng.", "error"),
    ]
    # Two "sheets" members: their sheets are read as one object's.
    text = '{"sheets": {"people": [{"id_number": "1"}]}, "sheets": {"Đánh giá": []}}'
    package = read_package(write(tmp_path / "b.json", text))
    assert set(package.sheets) == {"people", "evaluations"}


def test_a_sheet_of_the_wrong_shape_keeps_no_rows(tmp_path):
    sheets = {"people": [person(), person("001080000002"), 3, person("001080000003")],
              "evaluations": "x", "units": [[]]}  # fmt: skip
    path = json_package(tmp_path / "goi.json", sheets)
    assert_read_as_before(path)
    assert read_package(path).sheets == {}


# --- limits, as the rows come ----------------------------------------------------------------


def rows_then_garbage(path, rows: list[dict]):
    """The rows, then text that is not JSON: refused for a limit means never read there."""
    body = ",".join(json.dumps(row, ensure_ascii=False) for row in rows)
    return write(path, '{"sheets": {"people": [' + body + ", {{{ not json")


def test_a_sheet_past_the_rows_limit_is_refused_before_the_rest_is_read(tmp_path, settings):
    settings.CANBO_IMPORT_MAX_ROWS = 5
    path = rows_then_garbage(tmp_path / "goi.json", [person()] * 6)
    assert refused(path) == (
        "Sheet “people” có hơn 5 dòng, quá giới hạn của một lần nhập. Hãy chia gói thành "
        "nhiều tệp nhỏ hơn (ví dụ theo đơn vị)."
    )
    assert refused(rows_then_garbage(tmp_path / "b.json", [person()] * 5)) == INVALID


def test_a_long_cell_or_key_is_refused_at_its_row(tmp_path, settings):
    settings.CANBO_IMPORT_MAX_CELL_CHARS = 20
    message = "Sheet “people” có một ô dài hơn 20 ký tự, quá giới hạn của một ô."
    long_value = [person(), person(given_name="A" * 21)]
    assert refused(rows_then_garbage(tmp_path / "a.json", long_value)) == message
    long_key = [person(), {"k" * 21: 1}]
    assert refused(rows_then_garbage(tmp_path / "b.json", long_key)) == message


def test_a_sheet_past_the_cells_limit_is_refused_at_the_row_that_passes_it(tmp_path, settings):
    settings.CANBO_IMPORT_MAX_CELLS = 40  # the file's values: 27 + 3 braces + a bracket
    rows = [{"id_number": "1"}] * 3 + [person()] * 2  # 4 rows × 9 keys = 36; 5 × 9 = 45
    assert refused(rows_then_garbage(tmp_path / "goi.json", rows)) == (
        "Sheet “people” trải trên 5 dòng × 9 cột (45 ô), quá giới hạn 40 ô của một sheet. "
        "Hãy xóa các ô thừa ở xa phía dưới hoặc bên phải, hoặc chia gói thành nhiều tệp nhỏ hơn."
    )


# --- progress --------------------------------------------------------------------------------


class Recorder(Steps):
    def __init__(self):
        self.calls = []

    def stage(self, text, total=None):
        self.calls.append(("stage", text, total))

    def item(self, done, title, rows=0):
        self.calls.append(("item", done, title, rows))

    def item_done(self, done, title, rows):
        self.calls.append(("item_done", done, title, rows))


def test_progress_is_reported_per_sheet_and_every_500_rows(tmp_path):
    people = [person(f"0010800{n:05d}") for n in range(1, 1201)]
    path = json_package(tmp_path / "goi.json", {"la": [], "people": people, "evaluations": []})
    steps = Recorder()
    read_package(path, steps)
    assert steps.calls == [
        ("stage", "Kiểm tra tệp JSON", None),
        ("stage", "Đọc tệp", None),  # how many sheets is known only at the end
        ("item", 0, "la", 0),
        ("item", 1, "people", 0),
        ("item", 1, "Cán bộ", 500),
        ("item", 1, "Cán bộ", 1000),
        ("item_done", 2, "Cán bộ", 1200),
        ("item", 2, "evaluations", 0),
        ("item_done", 3, "Đánh giá", 0),
    ]


# --- any package -----------------------------------------------------------------------------

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=8),
    st.sampled_from(["", " ", "001080000001", "05/03/1980", "Nam"]),
)  # fmt: skip
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.text(max_size=3), inner, max_size=3), max_leaves=6)  # fmt: skip
_keys = st.sampled_from(KEYS + ["Họ", "Tên", "ghi_chu", "STT", "", "Ngày sinh", "x.y"])
_rows = st.lists(st.dictionaries(_keys, _values, max_size=6), max_size=6)
_sheets = st.dictionaries(
    st.sampled_from(["people", "Cán bộ", "Đánh giá", "evaluations", "units", "la", "Khen thưởng"]),
    st.one_of(_rows, _scalars, st.lists(_scalars, max_size=2)), max_size=3,
)  # fmt: skip


@hsettings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sheets=_sheets, meta=st.dictionaries(st.text(max_size=4), _values, max_size=3))
def test_any_package_reads_as_json_load_read_it(tmp_path, sheets, meta):
    # Sheets that are one sheet under two names are left to the test above.
    if len({readers._sheet_for(name)[0] for name in sheets} - {None}) < len(
        [name for name in sheets if readers._sheet_for(name)[0] is not None]
    ):
        return
    path = write(tmp_path / "goi.json", json.dumps({"sheets": sheets, "meta": meta}))
    assert plain(read_package(path)) == plain(read_as_before(path))
