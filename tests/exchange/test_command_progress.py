"""`canbo export` and `canbo import` show their progress on stderr, through the same
callbacks as the background jobs; nothing with -v0; in place on a terminal."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import OutputWrapper

from canbo.exchange.management.commands._progress import StderrSteps
from canbo.exchange.registry import sheets
from tests.factories import PersonFactory

from .conftest import PEOPLE_HEADERS, person_row, write_workbook

pytestmark = pytest.mark.django_db


def run(*args, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_export_shows_each_sheet_with_its_rows_on_stderr(world, tmp_path):
    PersonFactory(unit=world.xa)
    PersonFactory(unit=world.xb)
    _out, err = run("export", "--unit", "XA", "-o", str(tmp_path / "xa.xlsx"))
    titles = [s.title for s in sheets()]
    count = len(titles)
    lines = err.splitlines()
    assert lines[0] == "Ghi các sheet"
    # Sheets with rows only, each with its place among the sheets.
    assert f"  Đơn vị: 2 dòng ({titles.index('Đơn vị') + 1}/{count})" in lines
    assert f"  Cán bộ: 1 dòng ({titles.index('Cán bộ') + 1}/{count})" in lines
    assert all(line.startswith("  ") and line.endswith(f"/{count})") for line in lines[1:])


def test_import_shows_reading_and_checking_on_stderr(world, tmp_path):
    path = write_workbook(tmp_path / "goi.xlsx", {"Cán bộ": [PEOPLE_HEADERS, person_row(),
                                                             person_row("001080000002")]})  # fmt: skip
    out, err = run("import", str(path), "--dry-run")
    assert err.splitlines() == [
        "Kiểm tra tệp bảng tính",
        "Đọc tệp", "  Cán bộ: 2 dòng (1/1)",
        "Đọc các ô", "  Cán bộ: 2 dòng (1/1)",
        "Kiểm tra dữ liệu", "  Cán bộ: 2 dòng (1/1)",
    ]  # fmt: skip
    assert "Chạy thử: chưa ghi gì." in out
    _out, err = run("import", str(path))
    assert err.splitlines()[-1] == "Ghi vào cơ sở dữ liệu"


@pytest.mark.parametrize("command", ["export", "import"])
def test_quiet_with_v0(world, tmp_path, command):
    path = tmp_path / "goi.json"
    if command == "import":
        run("export", "-o", str(path))
        args = ("import", str(path), "--dry-run")
    else:
        args = ("export", "-o", str(path))
    _out, err = run(*args, verbosity=0)
    assert err == ""


def test_on_a_terminal_the_sheet_under_way_is_rewritten_in_place(monkeypatch):
    clock = iter([0.0, 0.1, 0.3])
    monkeypatch.setattr("canbo.exchange.management.commands._progress.time.monotonic",
                        lambda: next(clock))  # fmt: skip
    stream = io.StringIO()
    steps = StderrSteps(OutputWrapper(stream), tty=True)
    steps.stage("Ghi các sheet", total=3)
    steps.item(0, "Cán bộ", 500)  # shown
    steps.item(0, "Cán bộ", 1000)  # too soon after: skipped
    steps.item(0, "Cán bộ", 1500)  # shown
    steps.item_done(1, "Cán bộ", 1700)
    assert stream.getvalue() == (
        "Ghi các sheet\n"
        "\r\x1b[K  Cán bộ: 500 dòng (1/3)"
        "\r\x1b[K  Cán bộ: 1.500 dòng (1/3)"
        "\r\x1b[K  Cán bộ: 1.700 dòng (1/3)\n"
    )
