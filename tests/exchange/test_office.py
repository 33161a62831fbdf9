"""Exported packages and the template open in LibreOffice, as users open them."""

import csv
import os
import shutil
import subprocess

import pytest

from canbo.exchange.exporter import selection_for, write_xlsx
from canbo.exchange.template import write_template

from .conftest import json_package, person_row, run_import

pytestmark = pytest.mark.django_db


def soffice_csv(path, sheet: str, tmp_path) -> list[list[str]]:
    """One worksheet as LibreOffice reads it (converted headless to CSV, UTF-8)."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is installed by ./run test"
    out = tmp_path / "lo"
    # 44 = comma, 34 = quote, 76 = UTF-8; the last field -1 writes every sheet to its own file.
    options = "44,34,76,1,,0,false,true,false,false,false,-1"
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", f"csv:Text - txt - csv (StarCalc):{options}", "--outdir", str(out),
         str(path)],
        check=True, capture_output=True, timeout=180, env=env,
    )  # fmt: skip
    with (out / f"{path.stem}-{sheet}.csv").open(encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_exported_package_opens_in_libreoffice(world, tmp_path):
    keys = ["id_number", "family_name", "middle_name", "given_name", "sex", "birth_date"]
    row = dict(zip(keys, person_row(given="=SUM(1)"), strict=False))
    report = run_import(json_package(tmp_path / "goi.json", {"people": [row]}))
    assert report.created == 1, [str(p) for p in report.problems]
    path = tmp_path / "goi.xlsx"
    write_xlsx(selection_for(user=None, unit_code=None), str(path))
    rows = soffice_csv(path, "Cán bộ", tmp_path)
    assert rows[0][:4] == ["Số định danh cá nhân", "Họ", "Tên đệm", "Tên"]
    # Leading zeros kept; formula-like text stays text.
    assert rows[1][:6] == ["001080000001", "Nguyễn", "Văn", "=sum(1)", "Nam", "05/03/1980"]


def test_template_opens_in_libreoffice(db, tmp_path):
    path = tmp_path / "mau.xlsx"
    write_template(str(path))
    rows = soffice_csv(path, "Cán bộ", tmp_path)
    assert rows[0][0] == "Số định danh cá nhân"
