"""What each app adds to the data package, registered with the exchange core.

The exchange core imports no domain app. An app that travels in the package
has a `package` module (or package) that declares its sheets and registers a
`Part`: the sheets, the cell kinds they add, and the steps that import and
export them. The core finds these modules when first asked (Django's
`autodiscover_modules`, as the admin finds `admin.py`), orders the sheets by
their declared dependencies and calls each part's steps in that order.

See docs/adr/0012-data-package-by-domain.md and the "how to add a sheet"
section of docs/data-package.md.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django.utils.module_loading import autodiscover_modules

from . import cells
from .sheets import Sheet

# The steps receive the import (`importer.PackageImport`) and the export's selection
# (`exporter.Selection`); both modules import this one, so they are typed loosely here.
PackageImport = Selection = Any


class RegistryError(Exception):
    """Two parts disagree, or a sheet names an unknown sheet (a programming error)."""


@dataclass(frozen=True)
class Kind:
    """A kind of cell a domain adds: how it is read, and how the guide names it."""

    name: str
    text: str
    read: Callable[[Any], Any] = cells.read_text
    allowed: str = ""  # what the documentation says such a cell may hold
    text_cell: bool = True  # written as a text cell


@dataclass(frozen=True)
class Reference:
    """A kind of cell naming a record by its code: in the package (the `code` column of
    `sheet`) or in the database (`model.code`). Trees (`tree=True`) are treebeard
    MP nodes: the importer also learns each referenced node's parent."""

    name: str
    label: str  # "đơn vị": what the error message calls it
    model: type
    sheet: str
    text: str
    tree: bool = False
    # Codes a missing code may have been meant as (Excel drops leading zeros).
    suggest: Callable[[str], list[str]] | None = None

    @property
    def kind(self) -> Kind:
        return Kind(self.name, self.text)


@dataclass(frozen=True)
class Lookup:
    """A kind of cell read against a catalog stored in the database (e.g. ethnicities):
    `entries()` gives (stored value, label) pairs; `summary` replaces the long list of
    labels in the guide and the documentation."""

    name: str
    text: str
    entries: Callable[[], list[tuple[Any, str]]]
    summary: str


@dataclass(frozen=True)
class Root:
    """What an export is rooted at (a unit): found by code within a user's scope."""

    find: Callable[[Any, str], Any]  # (user or None, code) -> the root or None
    options: Callable[[Any, int], list]  # (user, limit) -> objects with code, name, depth
    describe: Callable[[Any], str]  # the root as the package's "Đơn vị" names it


class Part:
    """One app's share of the data package.

    Subclasses set `app` and `sheets`, the kinds they add, and the two modules that do
    the work: `importing` (functions `plan`, `check_scope`, `apply`, `after`, each
    taking the import; any may be left out) and `exporting` (a `ROWS` dict of sheet key
    -> function of the selection, and optionally `referenced(sel, kind)`). Every step
    is called for every import or export, whichever of the part's sheets the package
    holds; a subclass may override a step instead.
    """

    app: str = ""
    sheets: tuple[Sheet, ...] = ()
    kinds: tuple[Kind, ...] = ()
    references: tuple[Reference, ...] = ()
    lookups: tuple[Lookup, ...] = ()
    root: Root | None = None
    importing: ModuleType | None = None
    exporting: ModuleType | None = None

    def _step(self, name: str, *args) -> Any:
        step = getattr(self.importing, name, None)
        return step(*args) if step is not None else None

    # --- import: called in part order, inside one import --------------------------

    def plan(self, imp: PackageImport) -> None:
        """Work out each row's operation (`imp.ops`) and report problems; write nothing."""
        self._step("plan", imp)

    def check_scope(self, imp: PackageImport) -> None:
        """Report rows that would write beyond the actor's scope (not called for admins)."""
        self._step("check_scope", imp)

    def apply(self, imp: PackageImport) -> None:
        """Write the planned operations (inside the import's transaction)."""
        self._step("apply", imp)

    def after(self, imp: PackageImport) -> None:
        """Anything that follows from what every part wrote (same transaction)."""
        self._step("after", imp)

    # --- export ----------------------------------------------------------------

    def rows(self, sheet: Sheet, sel: Selection) -> Iterator[list]:
        """The rows of one of the part's sheets, values in column order."""
        return self.exporting.ROWS[sheet.key](sel)

    def referenced(self, sel: Selection, kind: str) -> Iterable:
        """Ids (querysets or sets) of records of `kind` that this part's rows name, so
        that the part owning `kind` exports them too ("unit", "position", "person"…)."""
        named = getattr(self.exporting, "referenced", None)
        return named(sel, kind) if named is not None else ()


class Registry:
    def __init__(self):
        self._parts: list[Part] = []
        self._lock = threading.RLock()
        self._discovered = False
        self._sheets: tuple[Sheet, ...] | None = None

    def register(self, part: Part) -> Part:
        with self._lock:
            if any(type(p) is type(part) for p in self._parts):
                return part  # a module imported twice (autodiscovery after a direct import)
            self._parts.append(part)
            self._sheets = None
        return part

    def discover(self) -> None:
        if not self._discovered:
            with self._lock:
                if not self._discovered:
                    autodiscover_modules("package")
                    self._discovered = True

    def parts(self) -> list[Part]:
        """Parts in dependency order (a part after the parts whose sheets it names)."""
        self.sheets()
        return self._ordered_parts

    def sheets(self) -> tuple[Sheet, ...]:
        """Every sheet, in dependency order: a sheet only names sheets above it. Ties keep
        the order of registration (INSTALLED_APPS) and of declaration."""
        self.discover()
        if self._sheets is None:
            with self._lock:
                self._order()
        return self._sheets

    def _order(self) -> None:
        declared = [(s, p) for p in self._parts for s in p.sheets]
        index = {s.key: i for i, (s, _p) in enumerate(declared)}
        if len(index) != len(declared):
            raise RegistryError("two parts declare sheets with the same key")
        for sheet, _part in declared:
            unknown = set(sheet.depends) - set(index)
            if unknown:
                raise RegistryError(f"{sheet.key} depends on unknown sheets {sorted(unknown)}")
        done: list[int] = []
        placed: set[str] = set()
        while len(done) < len(declared):
            ready = [index[s.key] for s, _p in declared
                     if s.key not in placed and set(s.depends) <= placed]  # fmt: skip
            if not ready:
                raise RegistryError("sheet dependencies form a cycle")
            first = min(ready)
            done.append(first)
            placed.add(declared[first][0].key)
        self._sheets = tuple(declared[i][0] for i in done)
        owner = {s.key: p for s, p in declared}
        order: list[Part] = []
        for sheet in self._sheets:
            if owner[sheet.key] not in order:
                order.append(owner[sheet.key])
        order += [p for p in self._parts if p not in order]  # parts without sheets
        self._ordered_parts = order
        self._owner = owner

    def part_of(self, sheet: Sheet) -> Part:
        self.sheets()
        return self._owner[sheet.key]

    def sheet(self, key: str) -> Sheet:
        return next(s for s in self.sheets() if s.key == key)

    def _each(self, attribute: str) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for part in self.parts():
            for item in getattr(part, attribute):
                found[item.name] = item
        return found

    def references(self) -> dict[str, Reference]:
        return self._each("references")

    def lookups(self) -> dict[str, Lookup]:
        return self._each("lookups")

    def kinds(self) -> dict[str, Kind]:
        """Every kind a part adds (references included), by name."""
        found = self._each("kinds")
        found.update((name, ref.kind) for name, ref in self.references().items())
        found.update((name, Kind(name, lookup.text)) for name, lookup in self.lookups().items())
        return found

    def root(self) -> Root:
        roots = [p.root for p in self.parts() if p.root is not None]
        if len(roots) != 1:
            raise RegistryError("exactly one part must say what an export is rooted at")
        return roots[0]


registry = Registry()
register = registry.register


def sheets() -> tuple[Sheet, ...]:
    return registry.sheets()


def sheet(key: str) -> Sheet:
    return registry.sheet(key)
