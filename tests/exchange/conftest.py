"""Building data packages the way users do: openpyxl workbooks with Vietnamese headers."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from canbo.core.audit import audit_source
from canbo.core.models import AuditSource
from canbo.exchange.importer import import_package
from canbo.exchange.readers import read_package

PEOPLE_HEADERS = ["Số định danh cá nhân", "Họ", "Tên đệm", "Tên", "Giới tính", "Ngày sinh",
                  "Dân tộc", "Mã quê quán", "Mã đơn vị"]  # fmt: skip


def person_row(id_number="001080000001", family="Nguyễn", middle="Văn", given="An",
               sex="Nam", born="05/03/1980", ethnicity="Kinh", hometown="00001", unit="XA"):  # fmt: skip
    return [id_number, family, middle, given, sex, born, ethnicity, hometown, unit]


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """One worksheet per entry: the first row is the header row."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        ws = workbook.create_sheet(title)
        for row in rows:
            ws.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def package(tmp_path):
    counter = iter(range(1, 1000))

    def make(sheets: dict[str, list[list]], name: str | None = None) -> Path:
        return write_workbook(tmp_path / (name or f"goi-{next(counter)}.xlsx"), sheets)

    return make


def run_import(path, *, actor=None, dry_run=False):
    with audit_source(AuditSource.IMPORT):
        return import_package(actor=actor, raw=read_package(path), dry_run=dry_run)


def run_command(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def json_package(path: Path, sheets: dict, meta: dict | None = None) -> Path:
    path.write_text(json.dumps({"meta": meta or {}, "sheets": sheets}, ensure_ascii=False))
    return path
