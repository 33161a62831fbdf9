"""Load Vietnam's administrative areas from the data shipped in two PyPI packages.

Fully offline: nothing here touches the network. The packages are read as data
files; `vietnamadminunits` is deliberately *not* imported, because importing it
pulls in its address converter, which sets up an online geocoder.

Sources
-------
- ``vietnam-provinces`` (``data/nested-divisions.json``): the 34 provinces and
  3,321 communes, wards and special zones in force since 1 July 2025, with
  their official codes. This is the authority for current areas.
- ``vietnamadminunits`` (``data/dataset.db``, table ``admin_units_legacy``):
  the 63 provinces, 696 districts and 10,035 communes in force until
  30 June 2025. Its ``data/converter_2025.json`` maps old provinces to new
  ones and every old commune to the new commune(s) it went into. That mapping
  is written with the package's own text keys ("tinhhagiang", "xaphucxa"),
  and its post-2025 table (``admin_units``) does not always carry the same
  codes as ``vietnam-provinces``, so new communes are matched to
  ``vietnam-provinces`` by name within their province, never by code.

Codes: current areas keep their official code ("01", "00004"); abolished areas
get it prefixed with "cu-" ("cu-01", "cu-001", "cu-00004") because the new
commune codes reuse numbers of old communes.

Writes: one transaction; idempotent upsert by ``code``; tree paths computed
here and written with ``bulk_create`` (treebeard's ``add_child`` costs several
queries per node); one ``AuditEvent`` per created or changed row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import json
import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from canbo.core.audit import current_source, diff, snapshot
from canbo.core.models import AuditAction, AuditEvent
from canbo.core.vntext import fold, normalize_spaces

from . import lineage
from .choices import AreaKind, AreaLevel
from .models import Area, AreaSuccession

REFORM_DATE = dt.date(2025, 7, 1)
"""The day the two-level local government started (Nghị quyết 202/2025/QH15)."""
LEGACY_VALID_TO = REFORM_DATE - dt.timedelta(days=1)
LEGACY_PREFIX = "cu-"
BATCH_SIZE = 1000

# Division types as the packages spell them (lower-cased) -> our kinds.
_KINDS = {
    "tỉnh": AreaKind.PROVINCE,
    "thành phố trung ương": AreaKind.CENTRAL_CITY,
    "thành phố": AreaKind.PROVINCIAL_CITY,  # pre-2025 district level: city under a province
    "thị xã": AreaKind.TOWN,
    "huyện": AreaKind.DISTRICT,
    "quận": AreaKind.URBAN_DISTRICT,
    "xã": AreaKind.COMMUNE,
    "phường": AreaKind.WARD,
    "thị trấn": AreaKind.TOWNSHIP,
    "đặc khu": AreaKind.SPECIAL_ZONE,
}

# Fields the loader owns: a difference in any of them is an update.
DATA_FIELDS = ("official_code", "name", "name_folded", "kind", "level", "valid_from", "valid_to")


class AreaDataError(Exception):
    """The packaged data is not what this loader expects (e.g. after a package upgrade)."""


# ---------------------------------------------------------------------------
# Reading the packaged data
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AreaRecord:
    code: str
    official_code: str
    name: str
    kind: str
    level: int
    parent_code: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None

    @property
    def name_folded(self) -> str:
        return fold(self.name)


@dataclass(frozen=True)
class AreaDataset:
    """Records in tree order (every parent before its children) and succession pairs."""

    records: list[AreaRecord]
    successions: list[tuple[str, str]]


def _package_dir(name: str) -> Path:
    """Directory of an installed package, found without importing (executing) it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise AreaDataError(f"Python package {name!r} is not installed.")
    return Path(next(iter(spec.submodule_search_locations)))


def _kind(division_type: str) -> str:
    try:
        return _KINDS[normalize_spaces(division_type).lower()]
    except KeyError as exc:
        raise AreaDataError(f"Unknown division type: {division_type!r}") from exc


def _name(text: str) -> str:
    # The sources carry stray double spaces ("Phường  Rạch Dừa") and mixed
    # Unicode forms; store NFC with single spaces.
    return unicodedata.normalize("NFC", normalize_spaces(text))


def _province_name(name: str, kind: str) -> str:
    """vietnam-provinces writes "Cao Bằng" but "Thành phố Hà Nội": give both their prefix."""
    if kind == AreaKind.PROVINCE and not fold(name).startswith("tinh "):
        return f"Tỉnh {name}"
    return name


def _exact_key(name: str) -> str:
    return _name(name).casefold().replace("–", "-")


def _loose_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(name))


def _legacy(code: str) -> str:
    return f"{LEGACY_PREFIX}{code}"


@cache
def _current_raw() -> list[dict]:
    path = _package_dir("vietnam_provinces") / "data" / "nested-divisions.json"
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def _legacy_db_rows(sql: str) -> list[sqlite3.Row]:
    path = _package_dir("vietnamadminunits") / "data" / "dataset.db"
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql).fetchall()


@cache
def _legacy_raw() -> tuple[list[sqlite3.Row], list[sqlite3.Row], dict]:
    legacy = _legacy_db_rows(
        "SELECT province, provinceCode, provinceKey, district, districtType, districtCode,"
        " districtKey, ward, wardType, wardCode, wardKey FROM admin_units_legacy"
    )
    new = _legacy_db_rows(
        "SELECT province, provinceCode, provinceKey, ward, wardKey FROM admin_units"
    )
    path = _package_dir("vietnamadminunits") / "data" / "converter_2025.json"
    with path.open(encoding="utf-8") as f:
        converter = json.load(f)
    return legacy, new, converter


def read_current() -> list[AreaRecord]:
    """The 34 provinces and their communes since 1 July 2025, provinces first in each block."""
    records = []
    for province in sorted(_current_raw(), key=lambda p: p["code"]):
        kind = _kind(province["division_type"])
        code = f"{province['code']:02d}"
        records.append(
            AreaRecord(
                code=code,
                official_code=code,
                name=_province_name(_name(province["name"]), kind),
                kind=kind,
                level=AreaLevel.PROVINCE,
                parent_code=None,
                valid_from=REFORM_DATE,
                valid_to=None,
            )
        )
        for ward in sorted(province["wards"], key=lambda w: w["code"]):
            ward_code = f"{ward['code']:05d}"
            records.append(
                AreaRecord(
                    code=ward_code,
                    official_code=ward_code,
                    name=_name(ward["name"]),
                    kind=_kind(ward["division_type"]),
                    level=AreaLevel.COMMUNE,
                    parent_code=code,
                    valid_from=REFORM_DATE,
                    valid_to=None,
                )
            )
    return records


def read_legacy() -> list[AreaRecord]:
    """The 63 provinces, their districts and communes as of 30 June 2025, in tree order."""
    rows, _new, _converter = _legacy_raw()
    records: dict[str, AreaRecord] = {}

    def add(code, name, kind, level, parent_code):
        key = _legacy(code)
        if key not in records:
            records[key] = AreaRecord(
                code=key,
                official_code=code,
                name=_name(name),
                kind=kind,
                level=level,
                parent_code=parent_code and _legacy(parent_code),
                valid_from=None,
                valid_to=LEGACY_VALID_TO,
            )

    ordered = sorted(
        rows, key=lambda r: (r["provinceCode"], r["districtCode"], r["wardCode"] or "")
    )
    for row in ordered:
        province_kind = (
            AreaKind.CENTRAL_CITY
            if fold(row["province"]).startswith("thanh pho ")
            else AreaKind.PROVINCE
        )
        add(row["provinceCode"], row["province"], province_kind, AreaLevel.PROVINCE, None)
        add(
            row["districtCode"],
            row["district"],
            _kind(row["districtType"]),
            AreaLevel.DISTRICT,
            row["provinceCode"],
        )
        # Island districts (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) had no communes.
        if row["wardCode"]:
            add(
                row["wardCode"],
                row["ward"],
                _kind(row["wardType"]),
                AreaLevel.COMMUNE,
                row["districtCode"],
            )
    return list(records.values())


def _new_ward_codes() -> dict[tuple[str, str], str]:
    """(province key, ward key) of vietnamadminunits -> commune code of vietnam-provinces."""
    _legacy_rows, new_rows, _converter = _legacy_raw()
    by_province: dict[int, list[dict]] = {p["code"]: p["wards"] for p in _current_raw()}
    result: dict[tuple[str, str], str] = {}
    pending: list[sqlite3.Row] = []
    taken: set[int] = set()
    exact: dict[tuple[int, str], list[int]] = defaultdict(list)
    for province_code, wards in by_province.items():
        for ward in wards:
            exact[(province_code, _exact_key(ward["name"]))].append(ward["code"])
    for row in new_rows:
        found = exact.get((int(row["provinceCode"]), _exact_key(row["ward"])), [])
        if len(found) == 1:
            result[(row["provinceKey"], row["wardKey"])] = f"{found[0]:05d}"
            taken.add(found[0])
        else:
            pending.append(row)
    # Spelling variants ("Thuỷ"/"Thủy", "Đắk song"): accent-free match among the
    # communes of the province nothing else has claimed, only when unambiguous.
    for row in pending:
        loose = _loose_key(row["ward"])
        found = [
            w["code"]
            for w in by_province.get(int(row["provinceCode"]), [])
            if w["code"] not in taken and _loose_key(w["name"]) == loose
        ]
        if len(found) != 1:
            raise AreaDataError(
                f"Cannot match commune {row['ward']!r} ({row['province']}) to vietnam-provinces."
            )
        result[(row["provinceKey"], row["wardKey"])] = f"{found[0]:05d}"
        taken.add(found[0])
    return result


def read_successions() -> list[tuple[str, str]]:
    """(old code, new code) pairs: old province -> new province, old commune -> new commune(s).

    The five island districts that had no communes map straight to their
    special zone (huyện Côn Đảo -> đặc khu Côn Đảo).
    """
    legacy_rows, new_rows, converter = _legacy_raw()
    old_provinces = {r["provinceKey"]: r["provinceCode"] for r in legacy_rows}
    new_provinces = {r["provinceKey"]: r["provinceCode"] for r in new_rows}
    old_units = {
        f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}": (
            r["wardCode"] or r["districtCode"]
        )
        for r in legacy_rows
    }
    new_wards = _new_ward_codes()

    pairs: dict[tuple[str, str], None] = {}  # ordered set

    def link(old_key: str, new_code: str) -> None:
        try:
            old_code = old_units[old_key]
        except KeyError as exc:
            raise AreaDataError(f"Unknown pre-2025 unit in the mapping: {old_key!r}") from exc
        pairs[(_legacy(old_code), new_code)] = None

    def new_ward(province_key: str, ward_key: str) -> str:
        try:
            return new_wards[(province_key, ward_key)]
        except KeyError as exc:
            raise AreaDataError(f"Unknown commune in the mapping: {ward_key!r}") from exc

    for new_key, old_keys in sorted(converter["DICT_PROVINCE"].items()):
        for old_key in old_keys:
            pairs[(_legacy(old_provinces[old_key]), new_provinces[new_key])] = None
    for province_key, wards in sorted(converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items()):
        for ward_key, old_keys in sorted(wards.items()):
            new_code = new_ward(province_key, ward_key)
            for old_key in old_keys:
                link(old_key, new_code)
    for province_key, olds in sorted(converter["DICT_PROVINCE_WARD_DIVIDED"].items()):
        for old_key, targets in sorted(olds.items()):
            for target in targets:
                link(old_key, new_ward(province_key, target["newWardKey"]))
    return sorted(pairs)


def read_dataset(*, current_only: bool = False) -> AreaDataset:
    records = read_current()
    if current_only:
        return AreaDataset(records=records, successions=[])
    return AreaDataset(records=records + read_legacy(), successions=read_successions())


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    successions_created: int = 0
    # Totals in the data set (not only what this run wrote).
    provinces: int = 0
    communes: int = 0
    legacy: int = 0
    successions: int = 0
    # Existing areas whose parent differs from the data set; reported, never moved.
    misplaced: list[str] = field(default_factory=list)


class _PathAllocator:
    """Hands out the next free child path under a parent, as treebeard's add_child would."""

    def __init__(self, existing_paths: Iterable[str]):
        self._last: dict[str, int] = {}
        step = Area.steplen
        for path in existing_paths:
            parent, last = path[:-step], Area._str2int(path[-step:])
            if last > self._last.get(parent, 0):
                self._last[parent] = last

    def next(self, parent_path: str) -> str:
        position = self._last.get(parent_path, 0) + 1
        key = Area._int2str(position)
        if len(key) > Area.steplen:
            raise AreaDataError(f"No room left under path {parent_path!r}.")
        self._last[parent_path] = position
        return f"{parent_path}{Area.alphabet[0] * (Area.steplen - len(key))}{key}"


def _batches(items: list, size: int = BATCH_SIZE) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _audit(action: str, content_type: ContentType, obj, object_repr: str, changes, actor):
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        source=current_source(),
        action=action,
        content_type=content_type,
        object_id=str(obj.pk),
        object_repr=object_repr[:300],
        changes=changes,
    )


@transaction.atomic
def load_areas(*, actor=None, current_only: bool = False) -> LoadResult:
    """Create or update every area of the data set; add the missing succession links."""
    dataset = read_dataset(current_only=current_only)
    result = LoadResult(
        provinces=sum(
            1 for r in dataset.records if r.valid_to is None and r.level == AreaLevel.PROVINCE
        ),
        communes=sum(
            1 for r in dataset.records if r.valid_to is None and r.level == AreaLevel.COMMUNE
        ),
        legacy=sum(1 for r in dataset.records if r.valid_to is not None),
        successions=len(dataset.successions),
    )

    # Lock the table's rows we read so concurrent writers cannot take our paths.
    existing = {a.code: a for a in Area.objects.select_for_update().order_by("path")}
    by_path = {a.path: a for a in existing.values()}
    allocator = _PathAllocator(by_path)

    created: list[Area] = []
    updated: list[tuple[Area, dict]] = []
    numchild_changed: dict[int, Area] = {}
    nodes: dict[str, Area] = dict(existing)

    for record in dataset.records:
        area = existing.get(record.code)
        values = {
            "official_code": record.official_code,
            "name": record.name,
            "name_folded": record.name_folded,
            "kind": record.kind,
            "level": record.level,
            "valid_from": record.valid_from,
            "valid_to": record.valid_to,
        }
        if area is not None:
            if any(getattr(area, k) != v for k, v in values.items()):
                before = snapshot(area)
                for k, v in values.items():
                    setattr(area, k, v)
                updated.append((area, before))
            else:
                result.unchanged += 1
            parent = by_path.get(area.path[: -Area.steplen])
            if (parent.code if parent else None) != record.parent_code:
                result.misplaced.append(record.code)
            continue

        parent = nodes[record.parent_code] if record.parent_code else None
        area = Area(
            code=record.code,
            path=allocator.next(parent.path if parent else ""),
            depth=parent.depth + 1 if parent else 1,
            numchild=0,
            **values,
        )
        if parent is not None:
            parent.numchild += 1
            if parent.pk is not None:
                numchild_changed[parent.pk] = parent
        nodes[record.code] = area
        created.append(area)

    for batch in _batches(created):
        Area.objects.bulk_create(batch)
    changed_fields = [*DATA_FIELDS]
    for batch in _batches([a for a, _ in updated]):
        Area.objects.bulk_update(batch, changed_fields)
    # Parents that only gained children: structural bookkeeping, not a data change.
    for batch in _batches(list(numchild_changed.values())):
        Area.objects.bulk_update(batch, ["numchild"])

    area_type = ContentType.objects.get_for_model(Area)
    events = [
        _audit(AuditAction.CREATE, area_type, a, a.name, diff({}, snapshot(a)), actor)
        for a in created
    ]
    events += [
        _audit(AuditAction.UPDATE, area_type, a, a.name, diff(before, snapshot(a)), actor)
        for a, before in updated
    ]

    # Succession links: add the missing ones; an existing pair is left as it is.
    linked = set(AreaSuccession.objects.values_list("predecessor_id", "successor_id"))
    new_links = []
    for old_code, new_code in dataset.successions:
        old, new = nodes[old_code], nodes[new_code]
        if (old.pk, new.pk) not in linked:
            new_links.append(
                AreaSuccession(predecessor=old, successor=new, effective_date=REFORM_DATE)
            )
    for batch in _batches(new_links):
        AreaSuccession.objects.bulk_create(batch)
    succession_type = ContentType.objects.get_for_model(AreaSuccession)
    events += [
        _audit(
            AuditAction.CREATE,
            succession_type,
            link,
            f"{link.predecessor.name} → {link.successor.name}",
            diff({}, snapshot(link)),
            actor,
        )
        for link in new_links
    ]
    for batch in _batches(events):
        AuditEvent.objects.bulk_create(batch)
    lineage.rebuild()  # bulk writes send no signals

    result.created = len(created)
    result.updated = len(updated)
    result.successions_created = len(new_links)
    return result
