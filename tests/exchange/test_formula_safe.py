"""Every XLSX the system hands out is safe to open: text that looks like a formula stays text.

The demo province is built, then every text field of every record (names, codes,
titles, notes, reasons, decision numbers, ethnicity names …) is made to begin
with "=", "+", "-" or "@" (the row's id picks which). Each export in EXPORTERS
is written and read back with openpyxl, which must find no formula cell and the
quote prefix on every cell whose text begins with a formula character, and in
LibreOffice, which must read each such cell as the text it is.

A new XLSX export is added to EXPORTERS; `test_every_xlsx_export_is_listed`
fails until it is.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from django.apps import apps
from django.db import models
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from canbo.accounts.models import Role
from canbo.core.audit import record_access
from canbo.core.xlsx import FORMULA_CHARS
from canbo.directives.choices import DirectiveKind
from canbo.directives.documents import progress_xlsx
from canbo.directives.models import Directive
from canbo.exchange.errorbook import write_error_book
from canbo.exchange.exporter import selection_for, write_xlsx
from canbo.exchange.readers import read_package
from canbo.exchange.report import ImportReport, Problem
from canbo.exchange.template import write_template
from canbo.organizations.models import Position, Term, Unit
from canbo.people import selectors as people_selectors
from canbo.people.leaders import key_leaders
from canbo.people.leaders_xlsx import write_key_leaders_xlsx
from canbo.people.models import Person
from canbo.planning.documents import plan_rows, write_plan_xlsx
from canbo.planning.models import Plan
from canbo.reports import documents as report_documents
from canbo.reports.forms import form_named
from canbo.reports.selectors import report_for
from canbo.rotation import services as rotation_services
from canbo.rotation.documents import write_plan_xlsx as write_rotation_plan_xlsx
from tests.factories import UserFactory
from tests.test_demo import areas as areas  # noqa: F401  (the small demo province fixture)

from .conftest import run_command

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("areas")]

PREFIXES = ("=", "+", "-", "@")
ROOT = Path(__file__).resolve().parents[2]


def export_package(path: Path) -> None:
    write_xlsx(selection_for(user=None, unit_code=None), str(path))


def export_plan(path: Path) -> None:
    plan, on = plan_with_entries()
    with path.open("wb") as handle:
        write_plan_xlsx(plan, handle, on=on)


def export_template(path: Path) -> None:
    write_template(str(path))


def export_key_leaders(path: Path) -> None:
    """The key leaders of the demo's whole tree today."""
    result = key_leaders(unit=Unit.objects.get_root_nodes().first(), on=people_selectors.today())
    assert len(result.posts) >= 8, "the demo has key posts"
    with path.open("wb") as handle:
        write_key_leaders_xlsx(result, handle)


def export_directive_progress(path: Path) -> None:
    """The demo plan's progress report by unit, on the data's reference date."""
    directive = Directive.objects.get(kind=DirectiveKind.PLAN)
    path.write_bytes(progress_xlsx(directive, dt.date(2026, 1, 1)))


def export_error_book(path: Path) -> None:
    """The import report's workbook of a hostile package: every row refused, cells as sent."""
    source = path.with_name("goi-nguon.xlsx")
    export_package(source)
    raw = read_package(source)
    source.unlink()
    problems = [
        Problem(found.name_of(index), number, "Họ", "", "Sai.")
        for found in raw.sheets.values()
        for index, (number, _values) in enumerate(found.rows)
    ]
    write_error_book(raw, ImportReport(problems=problems, counts={}, dry_run=True), str(path))


def download(path: Path, url: str, query: dict | None = None) -> None:
    """A list export as an administrator downloads it."""
    client = Client()
    admin, _created = UserFactory._meta.model.objects.get_or_create(
        username="xuat-danh-sach", defaults={"role": Role.ADMIN}
    )
    client.force_login(admin)
    response = client.get(url, query or {})
    assert response.status_code == 200, response.content[:300]
    path.write_bytes(b"".join(response.streaming_content))


def export_people_list(path: Path) -> None:
    """The whole people list (its title names no filter: a search is text as typed)."""
    download(path, reverse("people:list-xlsx"))


def export_unit_positions(path: Path) -> None:
    """The positions and holders of the first unit (most positions first) whose sheet
    carries text with each of the four prefixes."""
    units = Unit.objects.annotate(n=Count("positions")).order_by("-n", "path")[:20]
    for unit in units:
        download(path, reverse("organizations:unit-positions-xlsx", args=[unit.pk]))
        _formulas, _unquoted, counts = openpyxl_findings(path)
        if all(sum(counts.values(), Counter())[p] for p in PREFIXES):
            return
    raise AssertionError("no unit's positions carry the four prefixes")


def export_access_log(path: Path) -> None:
    """The access log after the profiles of twelve people were read."""
    for person in Person.objects.order_by("pk")[:12]:
        record_access(actor=None, instance=person)
    download(path, reverse("core:access-log-xlsx"))


def export_assignments(path: Path) -> None:
    """Every assignment (the administrator's "Nhiệm vụ của đơn vị")."""
    download(path, reverse("directives:assignments-xlsx"))


def export_rotation_plan(path: Path) -> None:
    """A rotation plan of the province with twelve intended rotations of hostile names and
    notes (the demo keeps no plans)."""
    root = Unit.objects.get_root_nodes().first()
    term = Term.objects.filter(body="party").order_by("-start_date").first()
    plan = rotation_services.plan_create(actor=None, unit=root, term=term, name="=KH luân chuyển")
    positions = Position.objects.filter(unit__path__startswith=root.path).order_by("pk")[:12]
    for i, (person, position) in enumerate(zip(Person.objects.order_by("pk")[:12], positions,
                                               strict=False)):  # fmt: skip
        rotation_services.rotation_create(
            actor=None, person=person, kind="rotation", purpose="training", to_position=position,
            competent_unit=root, plan=plan, note=f"{PREFIXES[i % 4]}ghi chú {i}",
        )  # fmt: skip
    with path.open("wb") as handle:
        write_rotation_plan_xlsx(plan, handle, on=people_selectors.today())


def export_report(path: Path) -> None:
    """The cadre statistics form (TK-CB) of the demo's root unit (its name hostile), its
    row labels made hostile too, one prefix each (a form's labels are text like any)."""
    form = form_named("TK-CB")
    rows = tuple(replace(row, label=PREFIXES[i % 4] + str(row.label))
                 for i, row in enumerate(form.rows))  # fmt: skip
    report = report_for(replace(form, rows=rows), unit=Unit.objects.get_root_nodes().first(),
                        on=people_selectors.today())  # fmt: skip
    assert report.value("total", "people") > 0
    path.write_bytes(report_documents.render(report, "xlsx"))


# name -> (writes the file, the module that builds it)
EXPORTERS = {
    "goi-du-lieu": (export_package, "canbo/exchange/exporter.py"),
    "quy-hoach": (export_plan, "canbo/planning/documents.py"),
    "mau": (export_template, "canbo/exchange/template.py"),
    "can-bo-chu-chot": (export_key_leaders, "canbo/people/leaders_xlsx.py"),
    "tien-do": (export_directive_progress, "canbo/directives/documents.py"),
    # Lists to Excel: each page's own view, through the one list-export path.
    "danh-sach-can-bo": (export_people_list, "canbo/core/listexport.py"),
    "vi-tri-chuc-danh": (export_unit_positions, "canbo/core/listexport.py"),
    "nhat-ky-truy-cap": (export_access_log, "canbo/core/listexport.py"),
    "nhiem-vu-cua-don-vi": (export_assignments, "canbo/core/listexport.py"),
    "bao-cao-loi": (export_error_book, "canbo/exchange/errorbook.py"),
    "ke-hoach-luan-chuyen": (export_rotation_plan, "canbo/rotation/documents.py"),
    "bao-cao-thong-ke": (export_report, "canbo/reports/documents.py"),
}


def plan_with_entries() -> tuple[Plan, dt.date]:
    """The plan with the most entries, on the day its last entry was added."""
    best = None
    for plan in Plan.objects.all():
        days = list(plan.entries.values_list("added_on", flat=True))
        if days:
            on = max(days)
            count = len(plan_rows(plan, on))
            if best is None or count > best[0]:
                best = (count, plan, on)
    assert best is not None and best[0] >= 3, "the demo has plans with entries"
    return best[1], best[2]


def text_fields(model) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and f.name != "path"  # the tree's materialized path, not text
    ]


def make_every_text_hostile() -> Counter:
    """Prefix every non-empty text field of every record; returns how many per prefix."""
    used = Counter()
    for app in ("organizations", "people", "planning", "directives"):
        for model in apps.get_app_config(app).get_models():
            fields = text_fields(model)
            if not fields:
                continue
            lengths = {name: model._meta.get_field(name).max_length for name in fields}
            rows = list(model.objects.all())
            for row in rows:
                prefix = PREFIXES[row.pk % len(PREFIXES)]
                for name in fields:
                    value = getattr(row, name)
                    # Only where the column holds one more character (ethnicity codes do not).
                    if value and (lengths[name] is None or len(value) < lengths[name]):
                        setattr(row, name, prefix + value)
                        used[prefix] += 1
            model.objects.bulk_update(rows, fields, batch_size=500)
    return used


@pytest.fixture
def hostile_demo():
    run_command("seed_demo", "--people", "40", "--seed", "3")
    used = make_every_text_hostile()
    assert all(used[p] > 100 for p in PREFIXES), used


def formula_like(value) -> bool:
    return isinstance(value, str) and value[:1] in FORMULA_CHARS


def openpyxl_findings(path: Path) -> tuple[list[str], list[str], dict[str, Counter]]:
    """(formula cells, formula-like text cells without the quote prefix, per sheet the
    count of formula-like text cells by first character)."""
    book = openpyxl.load_workbook(path)
    formulas, unquoted, counts = [], [], {}
    for sheet in book.worksheets:
        seen = counts[sheet.title] = Counter()
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas.append(f"{sheet.title}!{cell.coordinate}: {cell.value!r}")
                if formula_like(cell.value):
                    seen[cell.value[0]] += 1
                    if not cell.quotePrefix:
                        unquoted.append(f"{sheet.title}!{cell.coordinate}: {cell.value!r}")
    return formulas, unquoted, counts


NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
CELL = f"{{{NS['table']}}}table-cell"
TABLE = f"{{{NS['table']}}}table"
ROW = f"{{{NS['table']}}}table-row"
COLUMNS_REPEATED = f"{{{NS['table']}}}number-columns-repeated"
ROWS_REPEATED = f"{{{NS['table']}}}number-rows-repeated"
FORMULA = f"{{{NS['table']}}}formula"
VALUE_TYPE = f"{{{NS['office']}}}value-type"
PARAGRAPH = f"{{{NS['text']}}}p"


def libreoffice_findings(paths: list[Path], tmp_path: Path) -> dict[str, tuple[list, dict]]:
    """Per file: (formula cells, per sheet the count of formula-like string cells),
    as LibreOffice reads the files (converted headless to flat ODS)."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is installed by ./run test"
    out = tmp_path / "lo"
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "fods", "--outdir", str(out), *map(str, paths)],
        check=True, capture_output=True, timeout=300, env=env,
    )  # fmt: skip
    found = {}
    for path in paths:
        formulas, counts, sheet, rows = [], {}, None, 1
        for event, element in ET.iterparse(out / f"{path.stem}.fods", events=("start", "end")):
            if event == "start" and element.tag == TABLE:
                sheet = element.get(f"{{{NS['table']}}}name")
                counts[sheet] = Counter()
            elif event == "start" and element.tag == ROW:
                rows = int(element.get(ROWS_REPEATED, 1))
            elif event == "end" and element.tag == CELL:
                # Equal neighbouring cells and rows are written once, with a repeat count.
                repeat = rows * int(element.get(COLUMNS_REPEATED, 1))
                first = element.find(PARAGRAPH)
                text = "".join(first.itertext()) if first is not None else ""
                if element.get(FORMULA) is not None:
                    formulas.append(f"{sheet}: {element.get(FORMULA)}")
                elif element.get(VALUE_TYPE) == "string" and formula_like(text):
                    counts[sheet][text[0]] += repeat
                element.clear()
        found[path.name] = (formulas, {k: v for k, v in counts.items() if v})
    return found


def test_no_export_writes_a_formula_whatever_the_text(hostile_demo, tmp_path):
    paths = []
    expected = {}
    for name, (export, _module) in EXPORTERS.items():
        path = tmp_path / f"{name}.xlsx"
        export(path)
        paths.append(path)
        formulas, unquoted, counts = openpyxl_findings(path)
        assert formulas == [], name
        assert unquoted == [], name
        total = sum(counts.values(), Counter())
        # The export really carries the hostile text, with every prefix.
        assert all(total[p] > 0 for p in PREFIXES), (name, total)
        expected[path.name] = {sheet: count for sheet, count in counts.items() if count}
    for name, (formulas, counts) in libreoffice_findings(paths, tmp_path).items():
        assert formulas == [], name
        # LibreOffice reads every formula-like cell as the text it is.
        assert counts == expected[name], name


def test_hostile_fields_reach_each_export(hostile_demo, tmp_path):
    """The fields named in issue 11 are among the prefixed ones in the exports."""
    path = tmp_path / "goi.xlsx"
    export_package(path)
    book = openpyxl.load_workbook(path, read_only=True)
    people = list(book["Cán bộ"].iter_rows(values_only=True))
    header = list(people[0])
    for column in ("Họ", "Tên đệm", "Tên", "Mã đơn vị"):
        values = [r[header.index(column)] for r in people[1:] if r[header.index(column)]]
        assert values and all(formula_like(v) for v in values), column
    units = list(book["Đơn vị"].iter_rows(values_only=True))
    for column in ("Mã đơn vị", "Tên đơn vị"):
        index = units[0].index(column)
        assert all(formula_like(r[index]) for r in units[1:]), column
    plan = tmp_path / "plan.xlsx"
    export_plan(plan)
    rows = list(openpyxl.load_workbook(plan).active.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r[0] == "STT"))
    body = rows[header + 1 :]
    assert body and all(formula_like(r[1]) and formula_like(r[6]) for r in body)


def test_every_xlsx_export_is_listed():
    """Only canbo.core.xlsx writes spreadsheets, and each module that uses it is in EXPORTERS."""
    writers, users = set(), set()
    for path in (ROOT / "canbo").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        relative = path.relative_to(ROOT).as_posix()
        if re.search(r"^\s*(import|from)\s+(openpyxl|xlsxwriter)\b", source, re.MULTILINE):
            writers.add(relative)
        if "StreamingWorkbook(" in source and relative != "canbo/core/xlsx.py":
            users.add(relative)
    assert writers == set()
    assert users == {module for _export, module in EXPORTERS.values()}
