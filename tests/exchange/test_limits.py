"""Import limits checked while streaming: rows, spanned cells, cell length, unpacked size.

The two files of issue 11 (3 million rows in 8.9 MB; one cell of 400 million
characters in a few hundred KB) are built here with a streaming ZIP writer and
read in a child process, whose peak memory must stay under 300 MB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from canbo.exchange import limits
from canbo.exchange.readers import PackageError, read_package
from canbo.people.models import Person

from .conftest import PEOPLE_HEADERS, json_package, person_row, run_import, write_workbook

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PEAK_LIMIT_MB = 300


def streamed_workbook(path: Path, sheet_chunks, *, title: str = "Cán bộ", level: int = 1) -> Path:
    """A minimal workbook whose one worksheet is written chunk by chunk (never held whole)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats'
            '-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml'
            '.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            f'<sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/relationships"><Relationship Id="rId1" Type="{REL}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(
                f'<?xml version="1.0"?><worksheet xmlns="{MAIN}" xmlns:x="{MAIN}"><sheetData>'.encode()
            )
            for chunk in sheet_chunks:
                part.write(chunk.encode() if isinstance(chunk, str) else chunk)
            part.write(b"</sheetData></worksheet>")
    return path


def header_row() -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
        for i, h in enumerate(PEOPLE_HEADERS[:3])
    )
    return f'<row r="1">{cells}</row>'


def many_rows(count: int):
    """`count` rows of about 140 bytes each (rows without numbers are counted in order)."""
    yield header_row()
    batch = 50_000
    text = "Nguyễn Văn An, Bí thư Đảng ủy xã An Bình, Tỉnh Thử Nghiệm; 001080000001; 05/03/1980"
    rows = f'<row><c t="inlineStr"><is><t>{text}</t></is></c></row>' * batch
    for _ in range(count // batch):
        yield rows


def one_long_cell(chars: int):
    yield header_row()
    yield '<row r="2"><c r="A2" t="inlineStr"><is><t>'
    block = "a" * (1 << 20)
    for _ in range(chars // len(block)):
        yield block
    yield "</t></is></c></row>"


def read_in_child(path: Path) -> dict:
    """Read the package in a fresh process: its message and its own peak memory."""
    script = (
        "import json, os, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'canbo.settings')\n"
        "django.setup()\n"
        "from canbo.exchange.readers import PackageError, read_package\n"
        "try:\n"
        f"    read_package({str(path)!r}); message = None\n"
        "except PackageError as error:\n"
        "    message = str(error)\n"
        # VmHWM is this program's own peak: ru_maxrss would include the RSS of the
        # process that forked it (a test worker of several hundred MB).
        "status = open('/proc/self/status').read()\n"
        "peak = int(status.split('VmHWM:')[1].split()[0]) // 1024\n"
        "print(json.dumps({'message': message, 'peak_mb': peak}))\n"
    )
    env = {**os.environ, "CANBO_TESTING": "1", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env,
        cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_three_million_rows_are_refused_in_little_memory(tmp_path):
    path = streamed_workbook(tmp_path / "ba-trieu.xlsx", many_rows(3_000_000))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 300 * 1024 * 1024
    assert path.stat().st_size < 20 * 1024 * 1024
    result = read_in_child(path)
    assert result["message"] == (
        "Sheet “Cán bộ” có hơn 1.048.576 dòng, quá giới hạn của một lần nhập. Hãy chia gói "
        "thành nhiều tệp nhỏ hơn (ví dụ theo đơn vị)."
    )
    assert result["peak_mb"] < PEAK_LIMIT_MB, result


def test_one_cell_of_400_million_characters_is_refused_in_little_memory(tmp_path):
    path = streamed_workbook(tmp_path / "o-dai.xlsx", one_long_cell(400 * 1024 * 1024), level=9)
    assert path.stat().st_size < 2 * 1024 * 1024
    result = read_in_child(path)
    assert result["message"] == (
        "Sheet “Cán bộ”, ô A2: dài hơn 32.767 ký tự, quá giới hạn của một ô."
    )
    assert result["peak_mb"] < PEAK_LIMIT_MB, result


@pytest.fixture(params=["fast", "expat"])
def scan(request, monkeypatch):
    """Each limit through both checks: the byte-level fast path, and expat alone."""
    if request.param == "expat":

        def not_proven(*args):
            raise limits._NotProven

        monkeypatch.setattr(limits, "_fast_sheet", not_proven)
        monkeypatch.setattr(limits, "_fast_strings", not_proven)
    return request.param


def refused(path) -> str:
    with pytest.raises(PackageError) as info:
        read_package(path)
    return str(info.value)


def test_two_far_apart_cells_are_refused_before_the_grid_is_allocated(scan, tmp_path):
    # calamine would allocate 200,000 × 16,384 cells (100 GB) and abort the process.
    path = streamed_workbook(tmp_path / "goc.xlsx", [header_row(), '<row r="200000"><c r="XFD200000"><v>1</v></c></row>'])  # fmt: skip
    assert refused(path) == (
        "Sheet “Cán bộ” trải trên 200.000 dòng × 16.384 cột (3.276.800.000 ô), quá giới hạn "
        "10.000.000 ô của một sheet. Hãy xóa các ô thừa ở xa phía dưới hoặc bên phải, hoặc chia "
        "gói thành nhiều tệp nhỏ hơn."
    )


def rows_of(n: int, *, prefix: str = ""):
    p = f"{prefix}:" if prefix else ""
    yield header_row().replace("<row", f"<{p}row").replace("</row>", f"</{p}row>")
    for r in range(2, n + 2):
        yield f'<{p}row r="{r}"><{p}c r="A{r}"><{p}v>{r}</{p}v></{p}c></{p}row>'


@pytest.mark.parametrize("prefix", ["", "x"])
def test_rows_limit_boundary(scan, tmp_path, settings, prefix):
    settings.CANBO_IMPORT_MAX_ROWS = 6
    # Prefixed elements (<x:row>) are rows for calamine too.
    read_package(streamed_workbook(tmp_path / "sau.xlsx", rows_of(5, prefix=prefix)))
    path = streamed_workbook(tmp_path / "bay.xlsx", rows_of(6, prefix=prefix))
    assert refused(path).startswith("Sheet “Cán bộ” có hơn 6 dòng")


def test_rows_without_numbers_and_a_numbered_far_row(scan, tmp_path, settings):
    settings.CANBO_IMPORT_MAX_ROWS = 10
    unnumbered = [header_row()] + ["<row><c><v>1</v></c></row>"] * 9
    read_package(streamed_workbook(tmp_path / "a.xlsx", unnumbered))
    assert "có hơn 10 dòng" in refused(
        streamed_workbook(tmp_path / "b.xlsx", unnumbered + ["<row/>"])
    )
    for ref in ("A11", "A011", "A0000011"):
        far = [header_row(), f'<row r="2"><c r="{ref}"><v>1</v></c></row>']
        assert "có hơn 10 dòng" in refused(streamed_workbook(tmp_path / "c.xlsx", far)), ref


def test_cells_limit_boundary(scan, tmp_path, settings):
    settings.CANBO_IMPORT_MAX_CELLS = 30  # 10 rows × 3 columns
    read_package(streamed_workbook(tmp_path / "a.xlsx", [header_row(), '<row r="10"><c r="C10"><v>1</v></c></row>']))  # fmt: skip
    wide = [header_row(), '<row r="10"><c r="D10"><v>1</v></c></row>']
    assert "10 dòng × 4 cột (40 ô), quá giới hạn 30 ô" in refused(streamed_workbook(tmp_path / "b.xlsx", wide))  # fmt: skip


def test_cell_length_boundary_counts_characters_not_bytes(scan, tmp_path, settings):
    settings.CANBO_IMPORT_MAX_CELL_CHARS = 10

    def cell(text):
        return [f'<row r="2"><c r="B2" t="inlineStr"><is><r><t>{text[:4]}</t></r><r><t>{text[4:]}</t></r></is></c></row>']  # fmt: skip

    read_package(streamed_workbook(tmp_path / "a.xlsx", cell("Nguyễn Đứ&amp;")))  # 10 characters
    assert refused(streamed_workbook(tmp_path / "b.xlsx", cell("Nguyễn Đức A"))) == (
        "Sheet “Cán bộ”, ô B2: dài hơn 10 ký tự, quá giới hạn của một ô."
    )


def test_long_shared_string_and_attribute_and_dtd_are_refused(scan, tmp_path, settings, package):
    settings.CANBO_IMPORT_MAX_CELL_CHARS = 100
    path = package({"Cán bộ": [PEOPLE_HEADERS, person_row(given="A" * 101)]})
    assert refused(path) == "Sheet “Cán bộ”, ô D2: dài hơn 100 ký tự, quá giới hạn của một ô."
    shared = tmp_path / "shared.xlsx"  # XlsxWriter keeps text in the shared-strings part
    book = xlsxwriter.Workbook(str(shared))
    sheet = book.add_worksheet("Cán bộ")
    for index, row in enumerate([PEOPLE_HEADERS, person_row(given="B" * 101)]):
        sheet.write_row(index, 0, row)
    book.close()
    assert refused(shared) == "Tệp có một ô dài hơn 100 ký tự, quá giới hạn của một ô."
    big_tag = [header_row(), '<row r="2"><c r="A2" x="' + "a" * 600_000 + '"><v>1</v></c></row>']
    assert refused(streamed_workbook(tmp_path / "tag.xlsx", big_tag)) == (
        "Tệp có một ô dài hơn 100 ký tự, quá giới hạn của một ô."
    )
    comment = [header_row(), "<!--" + "a<" * 400_000 + "-->"]
    assert "dài hơn 100 ký tự" in refused(streamed_workbook(tmp_path / "comment.xlsx", comment))
    bomb = tmp_path / "laughs.xlsx"
    streamed_workbook(bomb, [header_row()])
    with zipfile.ZipFile(bomb) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    parts["xl/worksheets/sheet1.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]><worksheet><sheetData>'
        b"<row><c><v>&a;</v></c></row></sheetData></worksheet>"
    )
    with zipfile.ZipFile(bomb, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert refused(bomb) == "Tệp bảng tính bị hỏng hoặc không đọc được."


def test_a_cell_split_by_nested_tags_is_still_one_cell(scan, tmp_path, settings):
    """calamine joins the runs of a string up to its closing tag, whatever tags come between
    (even <row/> or <c/>): the length counts up to </is>, never restarts at a start tag."""
    settings.CANBO_IMPORT_MAX_CELL_CHARS = 1000
    run = "<r><t>" + "a" * 600 + "</t></r>"
    for junk in ("<row/>", '<c r="A3"/>', "<is/>"):
        chunks = [f'<row r="2"><c r="B2" t="inlineStr"><is>{run}{junk}{run}</is></c></row>']
        message = refused(streamed_workbook(tmp_path / "tach.xlsx", chunks))
        assert message.startswith("Sheet “Cán bộ”"), junk
        assert message.endswith("dài hơn 1.000 ký tự, quá giới hạn của một ô."), junk
    fine = [f'<row r="2"><c r="B2" t="inlineStr"><is>{run}</is></c><c r="C2" t="inlineStr"><is>{run}</is></c></row>']  # fmt: skip
    read_package(streamed_workbook(tmp_path / "hai.xlsx", fine))


def test_unusual_xml_is_decided_by_expat(tmp_path, settings):
    """Comments and prefixes are outside the fast path: expat reads the part and accepts it."""
    chunks = [
        header_row(),
        "<!-- ghi chú -->",
        '<x:row r="2"><x:c r="A2"><x:v>1</x:v></x:c></x:row>',
    ]
    read_package(streamed_workbook(tmp_path / "la.xlsx", chunks))
    with zipfile.ZipFile(tmp_path / "la.xlsx") as archive, pytest.raises(limits._NotProven):
        limits._fast_sheet(
            archive.open("xl/worksheets/sheet1.xml"), limits.Limits.from_settings(), "x"
        )


def test_a_normal_package_reads_as_before(world, package):
    report = run_import(package({"Cán bộ": [PEOPLE_HEADERS, person_row()]}))
    assert report.ok and report.created == 1
    assert Person.objects.count() == 1


def test_json_limits(tmp_path, settings):
    settings.CANBO_IMPORT_MAX_ROWS = 2
    settings.CANBO_IMPORT_MAX_CELL_CHARS = 20
    keys = ["id_number", "family_name", "middle_name", "given_name", "sex", "birth_date"]
    row = dict(zip(keys, person_row(), strict=False))
    read_package(json_package(tmp_path / "a.json", {"people": [row, row]}))
    assert refused(json_package(tmp_path / "b.json", {"people": [row] * 3})) == (
        "Sheet “people” có hơn 2 dòng, quá giới hạn của một lần nhập. Hãy chia gói thành "
        "nhiều tệp nhỏ hơn (ví dụ theo đơn vị)."
    )
    long = {**row, "given_name": "A" * 21}
    assert refused(json_package(tmp_path / "c.json", {"people": [long]})) == (
        "Sheet “people” có một ô dài hơn 20 ký tự, quá giới hạn của một ô."
    )


def test_the_command_refuses_with_the_same_message(tmp_path, settings):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.CANBO_IMPORT_MAX_ROWS = 3
    path = write_workbook(tmp_path / "goi.xlsx", {"Cán bộ": [PEOPLE_HEADERS] + [person_row()] * 3})
    with pytest.raises(CommandError) as info:
        call_command("import", str(path), "--dry-run")
    assert str(info.value).startswith("Sheet “Cán bộ” có hơn 3 dòng")
