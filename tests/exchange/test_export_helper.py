"""A large export shares its sheets with a helper process and reads exactly the same."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
import zipfile

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from canbo.exchange import helper
from canbo.exchange.exporter import ExportError, selection_for, write_package
from canbo.exchange.helper import take
from canbo.exchange.registry import sheets
from canbo.exchange.steps import Steps
from canbo.organizations.models import Unit
from tests.test_demo import areas as areas  # noqa: F401  (the small demo province fixture)

from .conftest import run_command

EXPORTED_AT = timezone.make_aware(dt.datetime(2026, 12, 4, 9, 0))
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the helper reads committed rows on PostgreSQL"
)


@pytest.fixture
def demo(committed, areas):  # noqa: F811
    """Committed rows: the helper process reads them on its own connection."""
    run_command("seed_demo", "--people", "60", "--seed", "3")


TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def committed():
    # Emptying the database after a transactional test makes content types anew, with new
    # keys: the cache of this worker must not keep the old ones, before or after.
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


class Spy(helper.Shared):
    made: list[Spy] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.theirs_keys: list[str] = []
        Spy.made.append(self)

    def mine(self):
        # A small export would be done before the helper has started: let it take first.
        deadline = time.monotonic() + 60
        while self.counter.read_text() == "0" and time.monotonic() < deadline:
            time.sleep(0.05)
        yield from super().mine()

    def finished(self, styles):
        found = super().finished(styles)
        self.theirs_keys += [item.sheet.key for item in found]
        return found


class Recorded(Steps):
    def __init__(self):
        self.done: list[tuple[int, str, int]] = []

    def item_done(self, done, title, rows):
        self.done.append((done, title, rows))


def export(path, settings, *, helper_rows: int, unit: str | None = None):
    settings.CANBO_EXPORT_HELPER_MIN_ROWS = helper_rows
    selection = selection_for(user=None, unit_code=unit, exported_at=EXPORTED_AT)
    steps = Recorded()
    write_package(selection, path.suffix[1:], path, steps)
    # Every sheet counts once in the progress, whichever process wrote it.
    assert [d for d, _t, _r in steps.done] == list(range(1, len(sheets()) + 1))
    assert {t: r for _d, t, r in steps.done} == selection.counts
    return selection.counts


def worksheets(path) -> list[tuple[str, bytes]]:
    """(title, worksheet XML) in tab order."""
    with zipfile.ZipFile(path) as book:
        workbook = book.read("xl/workbook.xml").decode()
        rels = book.read("xl/_rels/workbook.xml.rels").decode()
        targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
        order = re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"', workbook)
        return [(title, book.read("xl/" + targets[rid])) for title, rid in order]


@TRANSACTIONAL
@postgres_only
@pytest.mark.parametrize("unit", [None, "TU"])
def test_a_large_export_is_shared_with_a_helper_and_reads_the_same(demo, tmp_path, settings,
                                                                  monkeypatch, unit):  # fmt: skip
    monkeypatch.setattr(helper, "Shared", Spy)
    Spy.made.clear()
    if unit is not None:
        unit = Unit.objects.filter(depth=2).order_by("path").first().code
    alone_xlsx, alone_json = tmp_path / "mot.xlsx", tmp_path / "mot.json"
    counts = export(alone_xlsx, settings, helper_rows=10**12, unit=unit)
    export(alone_json, settings, helper_rows=10**12, unit=unit)
    assert Spy.made == []
    shared_xlsx, shared_json = tmp_path / "hai.xlsx", tmp_path / "hai.json"
    assert export(shared_xlsx, settings, helper_rows=0, unit=unit) == counts
    assert export(shared_json, settings, helper_rows=0, unit=unit) == counts
    assert len(Spy.made) == 2
    # Both processes wrote sheets; together, every sheet once.
    for spy in Spy.made:
        assert spy.theirs_keys and set(spy.theirs_keys) < {s.key for s in sheets()}
    # The same worksheets, cell for cell, in the registry's tab order; the same JSON text.
    assert worksheets(shared_xlsx) == worksheets(alone_xlsx)
    assert shared_json.read_bytes() == alone_json.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hai.json", "hai.xlsx", "mot.json", "mot.xlsx"]


@TRANSACTIONAL
@postgres_only
def test_a_helper_that_fails_fails_the_export_and_leaves_nothing(demo, tmp_path, settings,
                                                                monkeypatch):  # fmt: skip
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "canbo.khong_co_cau_hinh")
    with pytest.raises(ExportError, match="Tiến trình phụ ghi gói dữ liệu gặp lỗi") as error:
        export(tmp_path / "goi.xlsx", settings, helper_rows=0)
    assert "khong_co_cau_hinh" in str(error.value)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("canbo-export-")] == []


@TRANSACTIONAL
def test_no_helper_inside_a_transaction_on_sqlite_or_when_not_asked(committed, settings):
    settings.CANBO_EXPORT_HELPER_MIN_ROWS = 0
    assert helper.helper_wanted(sheets(), enabled=False) is None
    with transaction.atomic():
        assert helper.helper_wanted(sheets(), enabled=True) is None  # uncommitted rows
    if connection.vendor != "postgresql":
        assert helper.helper_wanted(sheets(), enabled=True) is None
    else:
        assert helper.helper_wanted(sheets(), enabled=True) is not None
        settings.CANBO_EXPORT_HELPER_MIN_ROWS = 10**12
        assert helper.helper_wanted(sheets(), enabled=True) is None


def test_the_shared_counter_hands_each_sheet_out_once(tmp_path):
    counter = tmp_path / "next"
    counter.write_text("0")
    taken: list[int] = []

    def worker():
        while (index := take(counter, 500)) is not None:
            taken.append(index)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == list(range(500))
