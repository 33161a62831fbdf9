"""The import-linter contracts of pyproject.toml (ADR 0011), run as `./run test` runs them.

Each case copies the canbo package into a temporary folder, adds one forbidden import
and runs `lint-imports` on the copy: the run must fail and name the broken contract and
the import. The clean copy must pass. The copy is read by grimp, never imported.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())"]  # fmt: skip


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """One copy of the package and pyproject.toml (Python files only matter to grimp)."""
    root = tmp_path_factory.mktemp("pristine")
    shutil.copytree(
        ROOT / "canbo",
        root / "canbo",
        ignore=shutil.ignore_patterns("__pycache__", "static", "locale", "templates"),
    )
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


@pytest.fixture
def project(pristine, tmp_path) -> Path:
    """A copy of the pristine copy that a test may change."""
    shutil.copytree(pristine, tmp_path, dirs_exist_ok=True)
    return tmp_path


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [*LINT_IMPORTS, "--no-logo", "--no-cache", str(root / "pyproject.toml")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def add_import(root: Path, module: str, statement: str) -> None:
    path = root / Path(*module.split(".")).with_suffix(".py")
    assert path.exists(), path
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\n{statement}  # noqa\n")


def test_the_clean_package_keeps_every_contract(pristine):
    result = lint_imports(pristine)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 9 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "statement", "contract", "chain"),
    [
        (
            "canbo.core.dates",
            "from canbo.people import models",
            "core imports no domain app, nor exchange, api or demo",
            "canbo.core.dates -> canbo.people.models",
        ),
        (
            "canbo.jobs.services",
            "from canbo.people import selectors",
            "jobs sits just above core: no domain app, exchange, api or demo",
            "canbo.jobs.services -> canbo.people.selectors",
        ),
        (
            "canbo.exchange.cells",
            "import canbo.planning.models",
            "The exchange core imports no domain app",
            "canbo.exchange.cells -> canbo.planning.models",
        ),
        (
            "canbo.organizations.selectors",
            "from canbo.people import selectors",
            "organizations imports no other domain app (people, rules, planning, accounts)",
            "canbo.organizations.selectors -> canbo.people.selectors",
        ),
        (
            "canbo.people.models",
            "from canbo.api import permissions",
            "Models, services and selectors import neither the API layer nor exchange",
            "canbo.people.models -> canbo.api.permissions",
        ),
        (
            "canbo.rules.services",
            "from canbo.planning import models",
            "Domain apps are layered (see the layers below)",
            "canbo.rules.services -> canbo.planning.models",
        ),
        (
            "canbo.reviews.selectors",
            "from canbo.planning import models",
            "Domain apps are layered (see the layers below)",
            "canbo.reviews.selectors -> canbo.planning.models",
        ),
        (
            "canbo.reviews.services",
            "from canbo.appointments import models",
            "Domain apps are layered (see the layers below)",
            "canbo.reviews.services -> canbo.appointments.models",
        ),
        (
            "canbo.planning.selectors",
            "from canbo.demo import builder",
            "Domain apps do not import the demo",
            "canbo.planning.selectors -> canbo.demo.builder",
        ),
        (
            "canbo.rules.ruleset",
            "from canbo.rules import selectors",
            "No import cycles inside an app",
            "No cycles are allowed in canbo.rules.",
        ),
    ],
)
def test_a_forbidden_import_breaks_its_contract(project, module, statement, contract, chain):
    add_import(project, module, statement)
    result = lint_imports(project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{contract} BROKEN" in result.stdout
    assert chain in result.stdout
