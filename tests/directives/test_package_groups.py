"""Monitoring groups in the data package ("Nhóm theo dõi"): administrators create and change
them (the units cell replaces the group's units); any other importer's writing row is
refused with the rule, an unchanged row passes; a second import writes nothing."""

from __future__ import annotations

import json

import pytest

from canbo.accounts.models import Role
from canbo.core.models import AuditEvent
from canbo.directives.models import MonitoringGroup
from canbo.organizations.models import Unit
from tests.directives.test_package import export, problems
from tests.directives.test_rollups import region as region  # noqa: F401  (the fixture)
from tests.exchange.conftest import json_package, run_import
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

ADMIN_ONLY = "Chỉ quản trị viên được nhập nhóm đơn vị theo dõi."


def groups_package(tmp_path, name: str, *rows: dict):
    return json_package(tmp_path / name, {"monitoring_groups": list(rows)})


def groups() -> list:
    return sorted((g.name, g.owner.code, sorted(u.code for u in g.units.all()), g.note)
                  for g in MonitoringGroup.objects.select_related("owner"))  # fmt: skip


def test_administrators_import_groups_once(region, tmp_path):  # noqa: F811
    admin = UserFactory(username="quantri-nhom", role=Role.ADMIN)
    events = AuditEvent.objects.count()
    path = groups_package(tmp_path, "nhom.json", {
        "name": "Tỉnh thử", "owner": "T01", "units": "T01-H00; T01-H01", "note": "Theo dõi thử"})
    report = run_import(path, actor=admin)
    assert report.ok, problems(report)
    assert report.counts["Nhóm theo dõi"].created == 1
    stored = [g for g in groups() if g[0] == "Tỉnh thử"]
    assert stored == [("Tỉnh thử", "T01", ["T01-H00", "T01-H01"], "Theo dõi thử")]
    assert AuditEvent.objects.count() == events + 1
    again = run_import(path, actor=admin)
    assert again.ok and (again.created, again.updated) == (0, 0)
    assert AuditEvent.objects.count() == events + 1
    changed = run_import(groups_package(tmp_path, "doi.json", {
        "name": "Tỉnh thử", "owner": "T01", "units": "T01-H02"}), actor=admin)  # fmt: skip
    assert changed.ok and (changed.created, changed.updated) == (0, 1)
    group = MonitoringGroup.objects.get(name="Tỉnh thử")
    assert [u.code for u in group.units.all()] == ["T01-H02"]
    assert group.note == "Theo dõi thử"  # the column left out is kept
    assert AuditEvent.objects.count() == events + 2


def test_other_importers_only_pass_unchanged_groups(region, tmp_path):  # noqa: F811
    _plan, _tasks, group, _provinces, _outside = region
    editor = UserFactory(username="vu2", role=Role.EDITOR)
    grant(editor, group.owner)
    before = groups()
    path = tmp_path / "nhom.json"
    export(path)
    rows = json.loads(path.read_text())["sheets"]["monitoring_groups"]
    assert [(r["name"], r["owner"], len(r["units"].split("; "))) for r in rows] == [
        ("Tây Nguyên", group.owner.code, group.units.count())]  # fmt: skip
    # The group exported as it is passes for anyone.
    unchanged = run_import(groups_package(tmp_path, "giu.json", *rows), actor=editor)
    assert unchanged.ok and (unchanged.created, unchanged.updated) == (0, 0)
    report = run_import(groups_package(
        tmp_path, "sai.json", {**rows[0], "note": "Sửa"},
        {"name": "Nhóm mới", "owner": group.owner.code, "units": "T01"},
    ), actor=editor)  # fmt: skip
    assert problems(report) == [
        ("Nhóm theo dõi", 1, "Tên nhóm", ADMIN_ONLY),
        ("Nhóm theo dõi", 2, "Tên nhóm", ADMIN_ONLY),
    ]
    assert not report.applied and groups() == before


def test_group_errors_by_sheet_row_and_column(region, tmp_path):  # noqa: F811
    before = groups()
    report = run_import(groups_package(
        tmp_path, "sai.json",
        {"name": "Nhóm A", "owner": "T01", "units": "T01-H00; KHONGCO"},
        {"name": "Nhóm B", "owner": "KHONGCO", "units": "T01"},
        {"name": "Nhóm C", "owner": "T01", "units": "T02"},
        {"name": "Nhóm C", "owner": "T01", "units": "T03"},
    ))  # fmt: skip
    assert problems(report) == [
        ("Nhóm theo dõi", 1, "Mã các đơn vị", "Không có đơn vị mã “KHONGCO” trong gói hay trong hệ thống."),
        ("Nhóm theo dõi", 2, "Mã đơn vị theo dõi", "Không có đơn vị mã “KHONGCO” trong gói hay trong hệ thống."),
        ("Nhóm theo dõi", 4, "Tên nhóm", "Trùng với dòng 3 của sheet này."),
    ]  # fmt: skip
    assert not report.applied and groups() == before
    assert not Unit.objects.filter(code="KHONGCO").exists()
