"""Build the whole country from the loaded areas (`canbo seed-demo --scale national`).

What is built:

- central roots: the Party Central Committee with its central agencies and
  the Government with some ministries (no area: nobody is "local" there);
- for each of the 34 provinces the unit set of the province builder
  (catalog.PROVINCE_UNITS: provincial party committee and its agencies,
  People's Council, People's Committee and its departments, police, court,
  procuracy, Fatherland Front), the provincial committee a root of the tree;
- for each current commune its party committee, People's Council and
  People's Committee (catalog.COMMUNE_UNITS) under the provincial committee.

Unit codes are those of the province builder ("TU-01", "SNV-01", "DU-00004")
plus "TW", "TW-BTC", "CP", "CP-BNV"… for central bodies: stable, unique, and
the same whichever scale created them.

People are shared among units in proportion to each unit's size (its
leadership seats plus a staff weight; provincial units scale with the
number of communes of their province) by systematic sampling, so every unit
gets the floor or ceiling of its share and a small N still spreads over the
whole country. Inside a unit, leadership seats are filled first (key titles
first), then staff. Every person gets 2–5 work-history rows (the current post,
sometimes a concurrent one, and earlier posts named after the pre-2025 units),
evaluations for the last 3–5 years, confidence votes for voted posts held in
2023, rewards, trainings, and about 2% a discipline.

Speed (2 million people is the target):

- people are generated in chunks of CHUNK, each from its own
  `random.Random` seeded by (seed, chunk number): memory stays bounded and the
  data depend only on --seed and --people, never on the database;
- rows are plain tuples with every derived column precomputed (names, search
  text and sort key through `person_derive_text`, cached per distinct name;
  the local flag through `locality` over area paths loaded once);
- PostgreSQL receives them with COPY (psycopg 3 `cursor.copy`), other
  databases with `executemany`; person ids are assigned here so that sections
  reference them without reading anything back;
- when the people tables are empty at the start (a fresh database), their
  secondary indexes and constraints are dropped for the load and rebuilt once
  at the end, inside the same transaction (PostgreSQL's "populating a
  database" advice; building an index once is much cheaper than maintaining
  it row by row). With data already present they are left alone.

Everything runs in one transaction: the seed is all or nothing.

Audit: one summary event per run (what was created, how many of each, the
person id range), not one event per row: two million identical "created by
the demo generator" events would double the load time and say nothing more.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.core.audit import AuditAction, record_write
from canbo.core.dates import DatePrecision
from canbo.core.vntext import fold
from canbo.organizations import locality
from canbo.organizations.choices import (
    AreaKind,
    AreaLevel,
    ManagementLevel,
    UnitKind,
    UnitLevel,
)
from canbo.organizations.models import Area, Position, PositionTitle, Unit
from canbo.people.catalogs import MAJORITY_CODE
from canbo.people.choices import (
    Degree,
    DisciplineForm,
    EvaluationRating,
    PoliticalTheory,
    Sex,
    StateManagement,
)
from canbo.people.derived import retirement_date
from canbo.people.models import (
    Assignment,
    ConfidenceVote,
    Discipline,
    Ethnicity,
    Evaluation,
    Person,
    Reward,
    Training,
)
from canbo.people.services import person_derive_text, search_text_of

from . import careers, catalog, names
from .builder import (
    PERSON_PROFILES,
    AreaMaps,
    AreaRow,
    DemoError,
    OldDistrict,
    Place,
    create_titles,
    districts_from_communes,
    ensure_terms,
    fill_tier,
    no_provinces,
    old_district_place,
    old_province_place,
    profile_of,
    split_area_name,
    step_number,
    tree_step,
)
from .careers import (
    FAST,
    GOOD_OR_BETTER,
    RATINGS,
    REFERENCE_DATE,
    VOTE_DAY,
    VOTE_YEAR,
    WEAK_RATINGS,
    Table,
    add_months,
    add_years,
    table,
)
from .careers import fast_choice as _pick
from .careers import fast_randint as _ri
from .careers import fast_randrange as _rr
from .catalog import TitleSpec, UnitTemplate

CHUNK = 20_000  # people generated (and written) at a time; part of the seed's meaning
DEFAULT_PEOPLE = 200_000
UNIT_BATCH = 2_000

D, PT, SM = Degree, PoliticalTheory, StateManagement
CENTRAL = UnitLevel.CENTRAL
_C, _U = ManagementLevel.CENTRAL, ManagementLevel.UNIT

# --- central bodies -------------------------------------------------------------

CENTRAL_TITLES: tuple[TitleSpec, ...] = (
    TitleSpec("TW-TB", "Trưởng ban Đảng Trung ương", CENTRAL, 110, True, True, _C),
    TitleSpec("TW-CNUBKT", "Chủ nhiệm Ủy ban Kiểm tra Trung ương", CENTRAL, 110, True, True, _C),
    TitleSpec("BO-BT", "Bộ trưởng", CENTRAL, 110, True, True, _C),
    TitleSpec("TW-PTB", "Phó Trưởng ban Đảng Trung ương", CENTRAL, 96, False, False, _C),
    TitleSpec("TW-PCNUBKT", "Phó Chủ nhiệm Ủy ban Kiểm tra Trung ương", CENTRAL, 96,
              False, False, _C),
    TitleSpec("BO-TT", "Thứ trưởng", CENTRAL, 96, False, False, _C),
    TitleSpec("TW-VT", "Vụ trưởng", CENTRAL, 72, False, True, _U),
    TitleSpec("TW-PVT", "Phó Vụ trưởng", CENTRAL, 62, False, False, _U),
    TitleSpec("TW-CV", "Chuyên viên cơ quan Trung ương", CENTRAL, 20, False, False, _U),
)  # fmt: skip
ALL_TITLES = {t.code: t for t in (*catalog.TITLES, *CENTRAL_TITLES)}
# How a central title is written in a work history ("Trưởng ban" of "Ban Tổ chức Trung ương").
_HISTORY_TITLE = {
    "TW-TB": "Trưởng ban",
    "TW-PTB": "Phó Trưởng ban",
    "TW-CNUBKT": "Chủ nhiệm",
    "TW-PCNUBKT": "Phó Chủ nhiệm",
    "TW-CV": "Chuyên viên",
}
_CENTRAL_STEP_BELOW = {
    "TW-TB": "TW-PTB", "TW-CNUBKT": "TW-PCNUBKT", "BO-BT": "BO-TT", "TW-PTB": "TW-VT",
    "TW-PCNUBKT": "TW-VT", "BO-TT": "TW-VT", "TW-VT": "TW-PVT", "TW-PVT": "TW-CV",
}  # fmt: skip
STEP_BELOW = {**catalog.STEP_BELOW, **_CENTRAL_STEP_BELOW}

_PARTY_SEATS = (("TW-TB", 1), ("TW-PTB", 4), ("TW-VT", 8), ("TW-PVT", 12))
_MINISTRY_SEATS = (("BO-BT", 1), ("BO-TT", 5), ("TW-VT", 10), ("TW-PVT", 16))


def _party(key, name, weight, seats=_PARTY_SEATS):
    return UnitTemplate(key, name, name, UnitKind.PARTY_AGENCY, "TW", seats, "TW-CV", weight)


def _ministry(key, name, weight):
    return UnitTemplate(
        key, name, name, UnitKind.CENTRAL_BODY, "CP", _MINISTRY_SEATS, "TW-CV", weight
    )


CENTRAL_UNITS: tuple[UnitTemplate, ...] = (
    UnitTemplate("TW", "Ban Chấp hành Trung ương Đảng", "BCH Trung ương",
                 UnitKind.PARTY_COMMITTEE, None, ()),
    _party("TW-BTC", "Ban Tổ chức Trung ương", 6),
    _party("TW-UBKT", "Ủy ban Kiểm tra Trung ương", 6,
           (("TW-CNUBKT", 1), ("TW-PCNUBKT", 6), ("TW-VT", 10), ("TW-PVT", 14))),
    _party("TW-BTGDV", "Ban Tuyên giáo và Dân vận Trung ương", 6),
    _party("TW-BCSCL", "Ban Chính sách, chiến lược Trung ương", 4),
    _party("TW-BNC", "Ban Nội chính Trung ương", 4),
    UnitTemplate("CP", "Chính phủ", "Chính phủ", UnitKind.CENTRAL_BODY, None, ()),
    _ministry("CP-BNV", "Bộ Nội vụ", 8),
    _ministry("CP-BTC", "Bộ Tài chính", 12),
    _ministry("CP-BTP", "Bộ Tư pháp", 6),
    _ministry("CP-BCT", "Bộ Công Thương", 8),
    _ministry("CP-BXD", "Bộ Xây dựng", 10),
    _ministry("CP-BNNMT", "Bộ Nông nghiệp và Môi trường", 12),
    _ministry("CP-BGDDT", "Bộ Giáo dục và Đào tạo", 8),
    _ministry("CP-BYT", "Bộ Y tế", 8),
)  # fmt: skip
_CENTRAL_MAJORS = {
    "TW-BTC": catalog.MAJORS_BY_UNIT["BTC"],
    "TW-UBKT": catalog.MAJORS_BY_UNIT["UBKT"],
    "TW-BTGDV": catalog.MAJORS_BY_UNIT["BTGDV"],
    "CP-BNV": ("Hành chính công", "Luật", "Quản lý nhà nước"),
    "CP-BTC": catalog.MAJORS_BY_UNIT["STC"],
    "CP-BTP": catalog.MAJORS_BY_UNIT["STP"],
    "CP-BCT": catalog.MAJORS_BY_UNIT["SCT"],
    "CP-BXD": catalog.MAJORS_BY_UNIT["SXD"],
    "CP-BNNMT": catalog.MAJORS_BY_UNIT["SNNMT"],
    "CP-BGDDT": catalog.MAJORS_BY_UNIT["SGDDT"],
    "CP-BYT": catalog.MAJORS_BY_UNIT["SYT"],
}

# Staff per unit of template staff weight: communes are numerous and small,
# provincial agencies fewer and larger (scaled by the province's commune
# count), central agencies few and large.
STAFF_FACTOR = {UnitLevel.COMMUNE: 5.0, UnitLevel.PROVINCE: 10.0, CENTRAL: 40.0}
NATIONAL_MINORITY = catalog.RegionProfile(
    0.08, (("02", 3), ("03", 3), ("06", 2), ("07", 2), ("05", 2), ("08", 1), ("09", 1))
)


@dataclass
class NationalSummary:
    provinces: int = 0
    communes: int = 0
    units: int = 0
    positions: int = 0
    titles_created: int = 0
    terms_created: int = 0
    people: int = 0
    assignments: int = 0
    evaluations: int = 0
    votes: int = 0
    disciplines: int = 0
    rewards: int = 0
    trainings: int = 0
    first_person_id: int = 0
    last_person_id: int = 0
    fast_load: bool = False
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


# --- plan objects -------------------------------------------------------------


@dataclass(eq=False)
class Province:
    area: AreaRow
    place: Place
    committee: str
    is_city: bool
    region: catalog.RegionProfile
    digits: str
    communes: list[AreaRow] = field(default_factory=list)
    old_communes: list[AreaRow] = field(default_factory=list)
    old_districts: list[OldDistrict] = field(default_factory=list)
    old_provinces: list[Place] = field(default_factory=list)
    academy: str = ""
    size: float = 1.0


@dataclass(eq=False)
class NUnit:
    template: UnitTemplate
    code: str
    name: str
    short_name: str
    level: str
    area: AreaRow | None
    parent: NUnit | None
    place: Place | None
    province: Province | None
    commune: AreaRow | None = None
    is_difficult: bool = False
    valid_from: dt.date | None = None
    children: list[NUnit] = field(default_factory=list)
    positions: list[NPos] = field(default_factory=list)
    pk: int | None = None
    weight: float = 0.0
    fill: list[tuple[NPos, NSlot]] = field(default_factory=list)
    staff: NPos | None = None
    staff_count: int = 0


@dataclass(eq=False)
class NPos:
    unit: NUnit
    title: TitleSpec
    seats: int
    history_title: str = ""
    votes: tuple[tuple[str, int, int], ...] = ()
    pk: int | None = None


@dataclass(eq=False)
class NSlot:
    pos: NPos
    order: int
    vacant: bool = False
    concurrent: NPos | None = None  # a seat elsewhere this holder also fills
    dependent: bool = False  # filled by the holder of another seat


@dataclass(frozen=True)
class FastProfile:
    years: tuple[int, int, int]
    women: float
    degrees: Table
    theory: Table
    management: Table
    max_level: int
    party: float
    rows: tuple[int, int]  # work-history rows (min, max)


_ROWS = {
    "prov_top": (4, 5), "prov_lead": (3, 5), "prov_mid": (3, 4), "prov_staff": (2, 3),
    "com_key": (3, 5), "com_lead": (3, 4), "com_staff": (2, 3),
}  # fmt: skip
PROFILES = {
    name: FastProfile(p.years, p.women, Table(p.degrees), Table(p.theory), Table(p.management),
                      p.max_level, p.party, _ROWS[name])
    for name, p in PERSON_PROFILES.items()
}  # fmt: skip

_RATINGS = Table(RATINGS)
_WEAK_RATINGS = Table(WEAK_RATINGS)
_LANGUAGES = Table(catalog.LANGUAGES)
_IT_LEVELS = Table(catalog.IT_LEVELS)


# --- names: the tables and rules of names.make_name, drawn faster -----------------


@dataclass(frozen=True)
class _Naming:
    families: Table | tuple[str, ...]
    female_form: dict[str, str]
    male_middle: Table
    female_middle: tuple[Table, Table, Table]  # born before 1975, before 1988, later
    male_given: tuple[str, ...]
    female_given: tuple[str, ...]


_KINH_NAMING = _Naming(
    Table(names.FAMILY_NAMES),
    names.FEMALE_FAMILY_FORM,
    Table(names.MALE_MIDDLE),
    tuple(Table(names._female_middle_weights(year)) for year in (1970, 1980, 1990)),
    names.MALE_GIVEN,
    names.FEMALE_GIVEN,
)
_ETHNIC_NAMING = {
    code: _Naming(
        n.families,
        {},
        Table(n.male_middle),
        (Table(n.female_middle),) * 3,
        n.male_given,
        n.female_given,
    )
    for code, n in names.ETHNIC_NAMING.items()
}


def _make_name(rng: random.Random, sex: str, birth_year: int, ethnicity: str):
    """(family, middle, given) with the distribution of names.make_name."""
    naming = _ETHNIC_NAMING.get(ethnicity, _KINH_NAMING)
    female = sex == Sex.FEMALE
    if naming is _KINH_NAMING:
        family = naming.families.pick(rng)
        if female:
            family = naming.female_form.get(family, family)
    else:
        family = _pick(rng, naming.families)
    if female:
        middle = naming.female_middle[0 if birth_year < 1975 else (1 if birth_year < 1988 else 2)]
        given_table = naming.female_given
    else:
        middle = naming.male_middle
        given_table = naming.male_given
    middle = middle.pick(rng)
    given = _pick(rng, given_table)
    for _attempt in range(5):
        if given != middle and given != family:
            break
        given = _pick(rng, given_table)
    return family, middle, given


# --- rows -----------------------------------------------------------------------

PERSON_FIELDS = (
    "id", "id_number", "family_name", "middle_name", "given_name", "full_name", "sex",
    "birth_date", "birth_date_precision", "ethnicity", "religion", "hometown", "birthplace",
    "unit", "party_joined_date", "party_official_date", "professional_degree",
    "professional_major", "political_theory", "state_management", "foreign_language",
    "it_level", "retirement_age_override_months", "search_text", "sort_key", "is_local",
    "created_at", "updated_at",
)  # fmt: skip
SECTION_FIELDS = {
    Assignment: ("person", "position", "unit_name", "title_name", "start_date",
                 "start_precision", "end_date", "end_precision", "is_concurrent", "how",
                 "decision_number", "note"),
    Evaluation: ("person", "year", "rating", "score", "note"),
    ConfidenceVote: ("person", "year", "body", "high", "normal", "low", "base"),
    Discipline: ("person", "form", "effective_date", "end_date", "authority",
                 "decision_number", "reason", "planning_exception"),
    Reward: ("person", "year", "form", "authority", "decision_number"),
    Training: ("person", "kind", "program", "institution", "start_date", "end_date",
               "qualification"),
}  # fmt: skip
SECTION_MODELS = tuple(SECTION_FIELDS)
SUMMARY_NAME = {
    Assignment: "assignments",
    Evaluation: "evaluations",
    ConfidenceVote: "votes",
    Discipline: "disciplines",
    Reward: "rewards",
    Training: "trainings",
}


def _columns(model, names) -> list[str]:
    columns = [model._meta.get_field(n).column for n in names]
    required = {
        f.column
        for f in model._meta.concrete_fields
        if not f.null and not f.primary_key and f.column not in columns
        and f.db_default is NOT_PROVIDED  # the database fills those
    }
    if required:  # a new NOT NULL column this generator does not fill yet
        raise DemoError(f"{model._meta.db_table}: columns not generated: {sorted(required)}")
    return columns


class RowWriter:
    """Bulk writes of plain tuples: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self):
        self.vendor = connection.vendor
        self.quote = connection.ops.quote_name

    def write(self, model, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        table = self.quote(model._meta.db_table)
        cols = ", ".join(self.quote(c) for c in columns)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    write_row = copy.write_row
                    for row in rows:
                        write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)


class IndexPause:
    """Drop the secondary indexes and constraints of empty tables; rebuild them later.

    Primary keys stay. Definitions are read from the catalog, so whatever a
    migration created is rebuilt exactly.
    """

    def __init__(self, models):
        self.tables = [m._meta.db_table for m in models]
        self.indexes: list[str] = []
        self.constraints: list[tuple[str, str, str]] = []

    def pause(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Run the pending deferred checks now: a table with pending trigger
                # events cannot be altered.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for table in self.tables:
                    cursor.execute(
                        "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
                        "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') "
                        "ORDER BY contype DESC, conname",
                        [table],
                    )
                    found = cursor.fetchall()
                    cursor.execute(
                        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                        "JOIN pg_class i ON i.oid = x.indexrelid "
                        "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
                        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                        "WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid) "
                        "ORDER BY i.relname",
                        [table],
                    )
                    indexes = cursor.fetchall()
                    for name, definition, _kind in found:
                        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                        self.constraints.append((table, name, definition))
                    for name, definition in indexes:
                        cursor.execute(f'DROP INDEX "{name}"')
                        self.indexes.append(definition)
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            elif connection.vendor == "sqlite":
                for table in self.tables:
                    cursor.execute(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                        "AND tbl_name = %s AND sql IS NOT NULL ORDER BY name",
                        [table],
                    )
                    for name, definition in cursor.fetchall():
                        cursor.execute(f'DROP INDEX "{name}"')
                        self.indexes.append(definition)

    def restore(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for definition in self.indexes:
                cursor.execute(definition)
            # Unique constraints first (sorted so above), then foreign keys.
            for table, name, definition in self.constraints:
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# --- the generator ----------------------------------------------------------------


class NationalBuilder(AreaMaps):
    def __init__(
        self,
        *,
        seed: int,
        people: int,
        progress: Callable[[int, int, float], None] | None = None,
    ):
        self.seed = seed
        self.people_wanted = people
        self.progress = progress
        self.plan_rng = random.Random(f"canbo-national:{seed}:plan")
        self.summary = NationalSummary()

    # --- areas --------------------------------------------------------------

    def load_areas(self) -> None:
        self.load_area_maps()
        # Current paths of every area (itself and what it became), for the local flag.
        self.current_paths = {
            a.id: tuple(locality.current_paths(a.id, self.path_of, self.successors))
            for a in self.areas
        }

        current = [a for a in self.areas if not a.is_old]
        provinces = sorted((a for a in current if a.level == AreaLevel.PROVINCE), key=_code)
        if not provinces:
            raise no_provinces()
        step = Area.steplen
        self.provinces: list[Province] = []
        by_root: dict[str, Province] = {}
        for area in provinces:
            is_city = area.kind == AreaKind.CENTRAL_CITY or area.name.lower().startswith(
                "thành phố"
            )
            _word, bare = split_area_name(area.name, area.kind, "tỉnh")
            province = Province(
                area=area,
                place=Place("thành phố" if is_city else "tỉnh", bare),
                committee="Thành ủy" if is_city else "Tỉnh ủy",
                is_city=is_city,
                region=catalog.PROFILES.get(
                    area.official_code or area.code, catalog.DEFAULT_PROFILE
                ),
                digits=self._digits(area),
                academy=careers.regional_academy(area.code),
            )
            self.provinces.append(province)
            by_root[area.path[:step]] = province
        self.communes = sorted(
            (a for a in current if a.level == AreaLevel.COMMUNE and a.path[:step] in by_root),
            key=_code,
        )
        self.province_of_commune: dict[int, Province] = {}
        for commune in self.communes:
            province = by_root[commune.path[:step]]
            province.communes.append(commune)
            self.province_of_commune[commune.id] = province
        mean = len(self.communes) / len(self.provinces) or 1
        for province in self.provinces:
            province.size = min(1.8, max(0.6, len(province.communes) / mean)) if mean else 1.0

        # Pre-2025 communes: which current commune (and province) they became.
        self.old_into: dict[int, list[AreaRow]] = defaultdict(list)
        self.old_communes: list[AreaRow] = []
        self.district_of_old: dict[int, OldDistrict] = {}
        self.old_place: dict[int, Place] = {}
        districts: dict[int, OldDistrict] = {}
        old_provinces: dict[int, Place] = {}
        province_olds: dict[int, dict[int, None]] = defaultdict(dict)
        for old in sorted(
            (a for a in self.areas if a.level == AreaLevel.COMMUNE and a.is_old), key=_code
        ):
            self.old_communes.append(old)
            district = self._ancestor(old, AreaLevel.DISTRICT)
            root = self.area_by_path.get(old.path[:step])
            if district is not None and district.id not in districts:
                districts[district.id] = OldDistrict(old_district_place(district), [])
            self.old_place[old.id] = Place(*split_area_name(old.name, old.kind, "xã"))
            if district is not None:
                districts[district.id].communes.append(self.old_place[old.id])
                self.district_of_old[old.id] = districts[district.id]
            if root is not None and root.id not in old_provinces:
                old_provinces[root.id] = old_province_place(root)
            for path in self.current_paths[old.id][1:]:
                target = self.area_by_path.get(path)
                if target is None or target.level != AreaLevel.COMMUNE:
                    continue
                self.old_into[target.id].append(old)
                province = self.province_of_commune.get(target.id)
                if province is not None:
                    province.old_communes.append(old)
                    if district is not None:
                        province_olds[id(province)][district.id] = None
                    if root is not None:
                        province_olds[-id(province)][root.id] = None
        for province in self.provinces:
            province.old_communes = list(dict.fromkeys(province.old_communes))
            province.old_districts = [districts[d] for d in province_olds.get(id(province), {})]
            province.old_provinces = [
                old_provinces[p] for p in province_olds.get(-id(province), {})
            ] or [province.place]
            if not province.old_districts:
                province.old_districts = districts_from_communes(province.communes, province.place)
        self.all_old_provinces = [p for prov in self.provinces for p in prov.old_provinces]
        self.summary.provinces = len(self.provinces)
        self.summary.communes = len(self.communes)

    # --- catalogs -------------------------------------------------------------

    def ensure_catalogs(self) -> None:
        self.summary.titles_created = create_titles(tuple(ALL_TITLES.values()))
        self.title_pk = dict(
            PositionTitle.objects.filter(code__in=ALL_TITLES).values_list("code", "pk")
        )
        self.summary.terms_created = ensure_terms()
        self.ethnicity_pk = dict(Ethnicity.objects.values_list("code", "pk"))

    # --- units ----------------------------------------------------------------

    def plan_units(self) -> None:
        rng = self.plan_rng
        self.units: list[NUnit] = []
        self.roots: list[NUnit] = []
        by_key: dict[str, NUnit] = {}
        for tpl in CENTRAL_UNITS:
            parent = by_key[tpl.parent] if tpl.parent else None
            unit = NUnit(tpl, tpl.key, tpl.name, tpl.short_name, CENTRAL, None, parent, None, None)
            by_key[tpl.key] = unit
            self.units.append(unit)
            if parent is None:
                self.roots.append(unit)
        for province in self.provinces:
            names = {
                "committee": province.committee,
                "word": province.place.word,
                "bare": province.place.bare,
            }
            local: dict[str, NUnit] = {}
            for tpl in catalog.PROVINCE_UNITS:
                unit = NUnit(
                    template=tpl,
                    code=f"{tpl.key}-{province.area.code}",
                    name=tpl.name.format(**names),
                    short_name=tpl.short_name.format(**names),
                    level=UnitLevel.PROVINCE,
                    area=province.area,
                    parent=local[tpl.parent] if tpl.parent else None,
                    place=province.place,
                    province=province,
                )
                local[tpl.key] = unit
                self.units.append(unit)
            root = local["TU"]
            self.roots.append(root)
            difficult_share = min(0.8, 0.12 + 0.5 * province.region.minority_share)
            for commune in province.communes:
                word, bare = split_area_name(commune.name, commune.kind, "xã")
                place = Place(word, bare)
                difficult = commune.kind == AreaKind.SPECIAL_ZONE or rng.random() < difficult_share
                here: dict[str, NUnit] = {}
                for tpl in catalog.COMMUNE_UNITS:
                    unit = NUnit(
                        template=tpl,
                        code=f"{tpl.key}-{commune.code}",
                        name=tpl.name.format(word=word, bare=bare),
                        short_name=tpl.short_name.format(word=word, bare=bare),
                        level=UnitLevel.COMMUNE,
                        area=commune,
                        parent=here[tpl.parent] if tpl.parent else root,
                        place=place,
                        province=province,
                        commune=commune,
                        is_difficult=difficult,
                        valid_from=catalog.COMMUNES_FROM,
                    )
                    here[tpl.key] = unit
                    self.units.append(unit)
        for unit in self.units:
            if unit.parent is not None:
                unit.parent.children.append(unit)
        codes = [u.code for u in self.units]
        taken: list[str] = []
        for start in range(0, len(codes), 5000):
            taken += Unit.objects.filter(code__in=codes[start : start + 5000]).values_list(
                "code", flat=True
            )
        if taken:
            raise DemoError(
                _(
                    "Đã có dữ liệu demo trong cơ sở dữ liệu: mã đơn vị %(codes)s đã tồn tại. "
                    "Dữ liệu toàn quốc cần một cơ sở dữ liệu chưa có đơn vị demo "
                    "(dùng --if-empty để bỏ qua)."
                )
                % {"codes": ", ".join(sorted(taken)[:5])}
            )

    def create_units(self) -> None:
        steplen = Unit.steplen
        step = tree_step
        last_root = Unit.objects.filter(depth=1).order_by("-path").first()
        number = step_number(last_root.path) if last_root is not None else 0
        objects: list[tuple[NUnit, Unit]] = []

        def visit(unit: NUnit, path: str) -> None:
            obj = Unit(
                code=unit.code,
                name=unit.name,
                short_name=unit.short_name,
                kind=unit.template.kind,
                level=unit.level,
                area_id=unit.area.id if unit.area else None,
                is_difficult_area=unit.is_difficult,
                valid_from=unit.valid_from,
                name_folded=fold(unit.name),
                path=path,
                depth=len(path) // steplen,
                numchild=len(unit.children),
            )
            objects.append((unit, obj))
            for n, child in enumerate(unit.children, start=1):
                visit(child, path + step(n))

        for offset, root in enumerate(self.roots, start=1):
            visit(root, step(number + offset))
        Unit.objects.bulk_create([obj for _u, obj in objects], batch_size=UNIT_BATCH)
        for unit, obj in objects:
            unit.pk = obj.pk
        if any(unit.pk is None for unit in self.units):  # databases that return no ids
            pks = {}
            codes = [u.code for u in self.units]
            for start in range(0, len(codes), 5000):
                pks.update(
                    Unit.objects.filter(code__in=codes[start : start + 5000]).values_list(
                        "code", "pk"
                    )
                )
            for unit in self.units:
                unit.pk = pks[unit.code]
        # Units are listed in tree order from here on (people are generated in that order).
        self.units = [unit for unit, _obj in objects]
        self.summary.units = len(self.units)

    # --- seats and the share of people ------------------------------------------

    def plan_seats(self) -> None:
        rng = self.plan_rng
        for unit in self.units:
            for code, seats in unit.template.positions:
                unit.positions.append(self._pos(unit, ALL_TITLES[code], seats))

        def seat(unit: NUnit, code: str, index: int = 0) -> tuple[NPos, int]:
            for pos in unit.positions:
                if pos.title.code == code:
                    return pos, index
            raise KeyError(code)

        # Concurrent posts, as in the province builder: two provincial deputy
        # secretaries chair the people's committee and council; a commune deputy
        # secretary chairs the people's committee, most secretaries the council.
        concurrent: dict[tuple[int, int], NPos] = {}
        dependent: set[tuple[int, int]] = set()

        def link(holder: tuple[NPos, int], held: tuple[NPos, int]) -> None:
            concurrent[(id(holder[0]), holder[1])] = held[0]
            dependent.add((id(held[0]), held[1]))

        by_code = {u.code: u for u in self.units}
        for province in self.provinces:
            pc = province.area.code
            tu, ub, hd = by_code[f"TU-{pc}"], by_code[f"UBND-{pc}"], by_code[f"HDND-{pc}"]
            link(seat(tu, "TU-PBT", 0), seat(ub, "UBND-T-CT"))
            link(seat(tu, "TU-PBT", 1), seat(hd, "HDND-T-CT"))
            for commune in province.communes:
                du, cub = by_code[f"DU-{commune.code}"], by_code[f"UBND-{commune.code}"]
                link(seat(du, "X-PBT", 0), seat(cub, "X-UBND-CT"))
                if rng.random() < 0.7:
                    link(seat(du, "X-BT"), seat(by_code[f"HDND-{commune.code}"], "X-HDND-CT"))

        order = 0
        free: dict[NUnit, list[NSlot]] = {}
        for unit in self.units:
            slots = []
            for pos in unit.positions:
                for index in range(pos.seats):
                    key = (id(pos), index)
                    s = NSlot(pos, order, concurrent=concurrent.get(key))
                    order += 1
                    s.dependent = key in dependent
                    if not s.dependent:
                        s.vacant = rng.random() < (0.03 if pos.title.is_head else 0.06)
                    if not s.vacant and not s.dependent:
                        slots.append(s)
            slots.sort(key=lambda s: (fill_tier(s.pos.title), s.order))
            free[unit] = slots
            factor = STAFF_FACTOR[unit.level]
            if unit.level == UnitLevel.PROVINCE:
                factor *= unit.province.size
            unit.weight = len(slots) + unit.template.staff_weight * factor

        # Systematic sampling over the cumulated weights: each unit gets the floor
        # or the ceiling of its share. Units without staff are capped at their seats;
        # what they cannot take goes to the units with staff, the same way.
        quotas = self._sample([u.weight for u in self.units], self.people_wanted, rng)
        overflow = 0
        for i, unit in enumerate(self.units):
            if not unit.template.staff_title and quotas[i] > len(free[unit]):
                overflow += quotas[i] - len(free[unit])
                quotas[i] = len(free[unit])
        if overflow:
            staffed = [i for i, u in enumerate(self.units) if u.template.staff_title]
            extra = self._sample([self.units[i].weight for i in staffed], overflow, rng)
            for i, more in zip(staffed, extra, strict=True):
                quotas[i] += more
        for unit, quota in zip(self.units, quotas, strict=True):
            slots = free[unit]
            unit.fill = [(s.pos, s) for s in sorted(slots[:quota], key=lambda s: s.order)]
            unit.staff_count = max(0, quota - len(slots))
            if unit.template.staff_title:
                title = ALL_TITLES[unit.template.staff_title]
                seats = max(1, unit.staff_count + _pick(rng, (0, 0, 1, 1, 2)))
                unit.staff = self._pos(unit, title, seats)
                unit.positions.append(unit.staff)
        if sum(len(u.fill) + u.staff_count for u in self.units) != self.people_wanted:
            raise DemoError("internal: people allocation does not add up")

    @staticmethod
    def _sample(weights: list[float], n: int, rng: random.Random) -> list[int]:
        """n draws spread over the weights by systematic sampling (floor or ceiling each)."""
        total = sum(weights)
        counts = [0] * len(weights)
        if n <= 0 or total <= 0:
            return counts
        stride = total / n
        point = rng.random() * stride
        cum, given = 0.0, 0
        for i, w in enumerate(weights):
            cum += w
            if cum <= point:
                continue
            upto = min(n, math.ceil((cum - point) / stride))
            if upto > given:
                counts[i] = upto - given
                given = upto
        if given < n:  # floating-point rounding at the very end
            counts[max(range(len(weights)), key=weights.__getitem__)] += n - given
        return counts

    def _pos(self, unit: NUnit, title: TitleSpec, seats: int) -> NPos:
        pos = NPos(unit, title, seats)
        pos.history_title = self.title_name(title, unit)
        pos.votes = self.current_votes(title, unit)
        return pos

    def title_name(self, title: TitleSpec, unit: NUnit) -> str:
        if title.level == CENTRAL:
            return _HISTORY_TITLE.get(title.code, title.name)
        return careers.title_name(title, unit.province.is_city, unit.place.word)

    def current_votes(self, title: TitleSpec, unit: NUnit) -> tuple[tuple[str, int, int], ...]:
        if unit.place is None:
            return ()
        return careers.current_votes(title, unit.level, unit.place)

    def create_positions(self) -> None:
        pairs = [(pos, unit) for unit in self.units for pos in unit.positions]
        objects = [
            Position(unit_id=unit.pk, title_id=self.title_pk[pos.title.code], seats=pos.seats)
            for pos, unit in pairs
        ]
        Position.objects.bulk_create(objects, batch_size=UNIT_BATCH)
        if any(obj.pk is None for obj in objects):
            pks = {
                (u, t): pk
                for u, t, pk in Position.objects.filter(
                    unit_id__in=[u.pk for u in self.units]
                ).values_list("unit_id", "title_id", "pk")
            }
            for obj in objects:
                obj.pk = pks[(obj.unit_id, obj.title_id)]
        for (pos, _unit), obj in zip(pairs, objects, strict=True):
            pos.pk = obj.pk
        self.summary.positions = len(objects)

    # --- people -------------------------------------------------------------------

    def seats_in_order(self) -> Iterator[tuple[NUnit, NPos, NSlot | None]]:
        for unit in self.units:
            for pos, slot in unit.fill:
                yield unit, pos, slot
            for _i in range(unit.staff_count):
                yield unit, unit.staff, None

    def prepare_people(self) -> None:
        self.person_columns = _columns(Person, PERSON_FIELDS)
        self.section_columns = {m: _columns(m, f) for m, f in SECTION_FIELDS.items()}
        self.writer = RowWriter()
        last = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
        self.next_id = (last or 0) + 1
        self.summary.first_person_id = self.next_id
        self.existing_ids: set[str] = set()
        if last is not None:
            self.existing_ids = set(Person.objects.values_list("id_number", flat=True))
        self.id_counters: dict[str, tuple[int, int]] = {}
        self.digits_of: dict[int, str] = {}
        self.name_cache: dict[tuple[str, str, str], tuple[str, str, str, str, str, str]] = {}
        self.retire_cache: dict[tuple, dt.date] = {}
        self.limit = add_months(REFERENCE_DATE, 1)
        stamp = timezone.now()
        self.stamp = connection.ops.adapt_datetimefield_value(stamp)
        if connection.vendor == "sqlite":
            self.stamp = str(self.stamp)
        self.national_communes = self.communes or [p.area for p in self.provinces]
        self.iso: dict[dt.date, str] = {}

    def write_people(self) -> None:
        rng: random.Random
        total = self.people_wanted
        done = 0
        started = time.perf_counter()
        gen_seconds = write_seconds = 0.0
        items = self.seats_in_order()
        chunk = 0
        while done < total:
            size = min(CHUNK, total - done)
            rng = random.Random(f"canbo-national:{self.seed}:{chunk}")
            t0 = time.perf_counter()
            self.rows = {m: [] for m in SECTION_MODELS}
            self.people_rows: list[tuple] = []
            for _i in range(size):
                unit, pos, slot = next(items)
                self.make_person(rng, unit, pos, slot)
            t1 = time.perf_counter()
            self.writer.write(Person, self.person_columns, self.people_rows)
            for model in SECTION_MODELS:
                rows = self.rows[model]
                self.writer.write(model, self.section_columns[model], rows)
                name = SUMMARY_NAME[model]
                setattr(self.summary, name, getattr(self.summary, name) + len(rows))
            t2 = time.perf_counter()
            gen_seconds += t1 - t0
            write_seconds += t2 - t1
            done += size
            chunk += 1
            if self.progress is not None:
                self.progress(done, total, time.perf_counter() - started)
        self.rows = {}
        self.people_rows = []
        self.summary.people = done
        self.summary.last_person_id = self.next_id - 1
        self.summary.timings["generate"] = gen_seconds
        self.summary.timings["write"] = write_seconds

    def d(self, day: dt.date | None) -> str | None:
        if day is None:
            return None
        text = self.iso.get(day)
        if text is None:
            text = self.iso[day] = day.isoformat()
        return text

    def derived_names(self, family: str, middle: str, given: str):
        key = (family, middle, given)
        found = self.name_cache.get(key)
        if found is None:
            probe = Person(family_name=family, middle_name=middle, given_name=given, id_number="")
            person_derive_text(probe)
            found = (
                probe.family_name,
                probe.middle_name,
                probe.given_name,
                probe.full_name,
                fold(probe.full_name),
                probe.sort_key,
            )
            if len(self.name_cache) < 500_000:
                self.name_cache[key] = found
        return found

    def is_local(self, hometown_id: int, governed_id: int | None) -> bool | None:
        if governed_id is None:
            return None
        governed = self.current_paths.get(governed_id)
        if not governed:
            return None
        return locality.paths_are_local(self.current_paths.get(hometown_id, ()), governed)

    def make_id_number(self, sex: str, year: int, hometown: AreaRow) -> str:
        digits = self.digits_of.get(hometown.id)
        if digits is None:
            digits = self.digits_of[hometown.id] = self._digits(hometown)
        century = 0 if year < 2000 else 2
        head = f"{digits}{century + (sex == Sex.FEMALE)}{year % 100:02d}"
        # A different affine walk of the six last digits per prefix: unique by construction.
        while True:
            n, offset = self.id_counters.get(head) or (0, None)
            if n >= 1_000_000:
                raise DemoError(f"ID numbers exhausted for prefix {head}")
            if offset is None:
                offset = zlib.crc32(f"{self.seed}:{head}".encode()) % 1_000_000
            self.id_counters[head] = (n + 1, offset)
            candidate = f"{head}{(offset + n * 370_373) % 1_000_000:06d}"
            if candidate not in self.existing_ids:
                return candidate

    def draw_birth(self, rng: random.Random, profile: FastProfile, sex: str):
        low, mode, high = profile.years
        for _attempt in range(30):
            year = min(high, max(low, int(rng.triangular(low, high + 1, mode))))
            month = _ri(rng, 1, 12)
            r = rng.random()
            if r < 0.03:
                birth, precision = dt.date(year, 1, 1), DatePrecision.YEAR
            elif r < 0.08:
                birth, precision = dt.date(year, month, 1), DatePrecision.MONTH
            else:
                day = _ri(rng, 1, 28 if month == 2 else (30 if month in (4, 6, 9, 11) else 31))
                if month == 2 and year % 4 == 0 and rng.random() < 1 / 29:
                    day = 29
                birth, precision = dt.date(year, month, day), DatePrecision.DAY
            key = (sex, year, birth.month if precision != DatePrecision.YEAR else 1, precision)
            retire = self.retire_cache.get(key)
            if retire is None:
                retire = self.retire_cache[key] = retirement_date(sex, birth, precision)
            if retire > self.limit:
                return birth, precision
            low = min(high, low + 1)
        return birth, precision

    def pick_hometown(self, rng: random.Random, title: TitleSpec, unit: NUnit) -> AreaRow:
        r = rng.random()
        everywhere = self.national_communes
        province = unit.province
        if province is None:  # central bodies recruit from the whole country
            if r < 0.8 or not self.old_communes:
                return _pick(rng, everywhere)
            return _pick(rng, self.old_communes)
        here = province.communes or [province.area]
        old_here = province.old_communes or here
        if title.code in catalog.NON_LOCAL_TITLES:
            if r < 0.8:
                return _pick(rng, everywhere)
            return _pick(rng, here)
        if unit.commune is not None:
            own = unit.commune
            if r < (0.7 if title.is_key else 0.6):
                olds = self.old_into.get(own.id)
                return _pick(rng, olds) if olds and rng.random() < 0.3 else own
            if r < 0.9:
                return _pick(rng, here)
            if r < 0.95:
                return _pick(rng, old_here)
            return _pick(rng, everywhere)
        if r < 0.72:
            return _pick(rng, here)
        if r < 0.86:
            if rng.random() < 0.7 or not self.old_communes:
                return _pick(rng, old_here)
            return _pick(rng, self.old_communes)
        return _pick(rng, everywhere)

    def make_person(self, rng: random.Random, unit: NUnit, pos: NPos, slot: NSlot | None) -> None:
        random_ = rng.random
        title = pos.title
        profile_name = profile_of(title)
        profile = PROFILES[profile_name]
        sex = Sex.FEMALE if random_() < profile.women else Sex.MALE
        birth, precision = self.draw_birth(rng, profile, sex)
        age = REFERENCE_DATE.year - birth.year
        province = unit.province
        region = province.region if province is not None else NATIONAL_MINORITY
        ethnicity = MAJORITY_CODE
        if random_() < careers.minority_share(region, unit.is_difficult, profile_name):
            ethnicity = table(region.groups).pick(rng)
        family, middle, given = _make_name(rng, sex, birth.year, ethnicity)
        if (ethnicity == "05" and random_() < 0.8) or (ethnicity == "04" and random_() < 0.4):
            religion = "buddhism"
        else:
            religion = table(catalog.BASE_RELIGIONS + region.religions).pick(rng)
        hometown = self.pick_hometown(rng, title, unit)
        if random_() < 0.7:
            birthplace = hometown
        else:
            birthplace = _pick(
                rng, province.communes if province and province.communes else self.national_communes
            )
        id_number = self.make_id_number(sex, birth.year, hometown)

        degree = careers.cap_degree(profile.degrees.pick(rng), age)
        majors = catalog.MAJORS_BY_UNIT.get(unit.template.key) or _CENTRAL_MAJORS.get(
            unit.template.key, catalog.GENERAL_MAJORS
        )
        major = _pick(rng, majors) if degree >= D.INTERMEDIATE else ""
        is_member = random_() < profile.party
        theory = careers.cap_theory(profile.theory.pick(rng), age, is_member)
        management = careers.cap_management(profile.management.pick(rng), age)
        career_start, joined, official = careers.career_dates(rng, FAST, birth, is_member)

        family, middle, given, full_name, folded_name, sort_key = self.derived_names(
            family, middle, given
        )
        governed = unit.area.id if unit.area is not None else None
        pid = self.next_id
        self.next_id += 1
        d = self.d
        self.people_rows.append(
            (
                pid, id_number, family, middle, given, full_name, sex, d(birth), precision,
                self.ethnicity_pk.get(ethnicity), religion, hometown.id, birthplace.id, unit.pk,
                d(joined), d(official), degree, major, theory, management,
                _LANGUAGES.pick(rng), _IT_LEVELS.pick(rng), None,
                search_text_of(folded_name, id_number), sort_key, self.is_local(hometown.id, governed), self.stamp, self.stamp,
            )
        )  # fmt: skip

        # Work history ------------------------------------------------------------
        posts = self.make_posts(rng, unit, pos, slot, profile_name, profile, birth, career_start)
        assignments = self.rows[Assignment]
        for post in posts:
            assignments.append(
                (pid, post[0], post[1], post[2], d(post[3]), post[8], d(post[4]), "D",
                 post[5], post[6], post[7], "")
            )  # fmt: skip
        # Evaluations ---------------------------------------------------------------
        weak = random_() < 0.07
        ratings = _WEAK_RATINGS if weak else _RATINGS
        first = careers.first_evaluation_year(rng, FAST, career_start)
        evaluations = {year: ratings.pick(rng) for year in range(first, REFERENCE_DATE.year)}
        # Confidence votes for voted posts held on the vote day -----------------
        votes = self.rows[ConfidenceVote]
        seen = set()
        for post in posts:
            bodies = post[9]
            if not bodies or post[3] > VOTE_DAY or post[3].year == VOTE_YEAR:
                continue
            if post[4] is not None and post[4] < VOTE_DAY:
                continue
            for body, low_base, high_base in bodies:
                if body in seen:
                    continue
                seen.add(body)
                base = _ri(rng, low_base, high_base)
                present = careers.vote_present(rng, FAST, base)
                bad = random_() < 1 / 60
                high, normal, low = careers.vote_tally(rng, FAST, base, present, bad)
                if bad and evaluations.get(VOTE_YEAR) in GOOD_OR_BETTER:
                    evaluations[VOTE_YEAR] = EvaluationRating.COMPLETED
                votes.append((pid, VOTE_YEAR, body, high, normal, low, base))
        # Discipline (about 2%) ---------------------------------------------------
        if random_() < 0.02:
            self.make_discipline(rng, pid, unit, posts, career_start, evaluations)
        rows = self.rows[Evaluation]
        for year, rating in evaluations.items():
            rows.append((pid, year, rating, self.score(rng, rating, year), ""))
        # Rewards and trainings -------------------------------------------------------
        self.make_rewards(rng, pid, unit, profile_name, career_start, joined, evaluations)
        self.make_trainings(rng, pid, unit, profile_name, birth, career_start, theory,
                            management, degree, major)  # fmt: skip

    @staticmethod
    def score(rng: random.Random, rating: str, year: int) -> str | None:
        value = careers.score_cents(rng, FAST, rating, year)
        return None if value is None else f"{value // 100}.{value % 100:02d}"

    # Posts are tuples: (position pk, unit name, title name, start, end, is_concurrent,
    # how, decision number, start precision, vote bodies, level).

    def make_posts(self, rng, unit, pos, slot, profile_name, profile, birth, career_start):
        title = pos.title
        start, how = self.current_start(rng, title, unit)
        start = careers.not_before_career(rng, FAST, start, career_start, title)
        posts = [
            (pos.pk, unit.name, pos.history_title, start, None, False, how,
             self.decision_number(rng, how, unit), "D", pos.votes, 9)
        ]  # fmt: skip
        if slot is not None and slot.concurrent is not None:
            held = slot.concurrent
            c_start, c_how = self.current_start(rng, held.title, held.unit)
            posts.append(
                (held.pk, held.unit.name, held.history_title, max(c_start, start), None, True,
                 c_how, self.decision_number(rng, c_how, held.unit), "D", held.votes, 9)
            )  # fmt: skip
        low, high = profile.rows
        wanted = max(_ri(rng, low, high), len(posts) + 1)
        earlier = min(5, wanted) - len(posts)
        history_end = start
        if start > catalog.COMMUNES_FROM and earlier > 0:
            # Between the reorganisation and the current post: the post one step below,
            # in a current unit (names of units abolished on 1 July 2025 stop there).
            bridge_start = catalog.COMMUNES_FROM
            if earlier == 1:
                bridge_start = max(bridge_start, career_start)
            if bridge_start < start:
                below = ALL_TITLES.get(STEP_BELOW.get(title.code, title.code), title)
                name = self.title_name(below, unit)
                b_how = self.history_how(rng, name, first=False)
                posts.append(
                    (None, unit.name, name, bridge_start, start - dt.timedelta(days=1), False,
                     b_how, self.decision_number(rng, b_how, unit), "D", (), 1)
                )  # fmt: skip
                earlier -= 1
            history_end = catalog.COMMUNES_FROM
        if earlier > 0:
            if (history_end - career_start).days < 120 * earlier:
                career_start = max(
                    add_years(birth, 18), history_end - dt.timedelta(days=_ri(rng, 400, 1500))
                )
            if (history_end - career_start).days >= 60 * earlier:
                posts.extend(
                    self.make_history(rng, unit, profile_name, profile, title, career_start,
                                      history_end, earlier)
                )  # fmt: skip
        return posts

    def current_start(self, rng, title: TitleSpec, unit: NUnit) -> tuple[dt.date, str]:
        return careers.current_start(rng, FAST, title, unit.level)

    def decision_number(self, rng, how: str, unit: NUnit) -> str:
        return careers.decision_number(rng, FAST, how, unit)

    def history_how(self, rng, title_name: str, *, first: bool) -> str:
        return careers.history_how(rng, FAST, title_name, first=first)

    def make_history(self, rng, unit, profile_name, profile, title, career_start, end, count):
        """`count` earlier posts, contiguous from the career start to `end`, old unit names."""
        top = profile.max_level
        if title.code in ("T-PTP", "X-PTP"):
            top = 0
        if count == 1:
            levels = [top]
        else:
            levels = sorted(_ri(rng, 0, top) for _ in range(count - 1)) + [top]
            levels[0] = 0
        gap = (end - career_start).days
        lengths = careers.history_lengths(rng, gap, count, min(180, gap // count))
        province = unit.province or _pick(rng, self.provinces)
        context = self.history_context(rng, unit, province)
        commune_career = profile_name.startswith("com_")
        posts = []
        day = career_start
        for level, length in zip(levels, lengths, strict=True):
            if commune_career or rng.random() < 0.4:
                title_name, unit_name, votes = self.district_post(rng, level, context)
            else:
                title_name, unit_name, votes = self.province_post(rng, level, context)
            stop = day + dt.timedelta(days=length - 1)
            start, precision = day, "D"
            if day.year < 2005 and rng.random() < 0.5:
                start, precision = day.replace(day=1), DatePrecision.MONTH
            how = self.history_how(rng, title_name, first=not posts)
            posts.append(
                (None, unit_name, title_name, start, stop, False, how, "", precision, votes, level)
            )
            day = stop + dt.timedelta(days=1)
        return posts

    def history_context(self, rng, unit: NUnit, province: Province) -> dict:
        district = old_commune = None
        if unit.commune is not None:
            olds = self.old_into.get(unit.commune.id)
            if olds:
                old = _pick(rng, olds)
                district = self.district_of_old.get(old.id)
                old_commune = self.old_place.get(old.id)
        if district is None:
            district = _pick(rng, province.old_districts)
        if old_commune is None:
            old_commune = _pick(rng, district.communes)
        return {
            "d": district.place,
            "oc": old_commune,
            "op": _pick(rng, province.old_provinces),
        }

    def district_post(self, rng, level: int, c: dict):
        d, oc = c["d"], c["oc"]
        level = min(level, 4)
        if level == 0:
            kind = _rr(rng, 3)
            if kind == 0:
                return "Chuyên viên", f"Phòng {_pick(rng, catalog.DISTRICT_OFFICES)} {d.full}", ()
            if kind == 1:
                post = _pick(rng, catalog.COMMUNE_CIVIL_SERVANT_POSTS)
                return f"Công chức {post}", f"Ủy ban nhân dân {oc.full}", ()
            return "Chuyên viên", f"Văn phòng {d.committee} {d.bare}", ()
        party_c = (f"Hội nghị Ban Chấp hành Đảng bộ {oc.full}", 15, 25)
        council_c = (f"Kỳ họp Hội đồng nhân dân {oc.full}", 20, 30)
        if level == 1:
            kind = _rr(rng, 3)
            if kind == 0:
                return (
                    "Phó Trưởng phòng",
                    f"Phòng {_pick(rng, catalog.DISTRICT_OFFICES)} {d.full}",
                    (),
                )
            if kind == 1:
                return "Phó Chủ tịch", f"Ủy ban nhân dân {oc.full}", (council_c,)
            return "Phó Bí thư", f"Đảng ủy {oc.full}", (party_c,)
        if level == 2:
            kind = _rr(rng, 4)
            if kind == 0:
                return "Trưởng phòng", f"Phòng {_pick(rng, catalog.DISTRICT_OFFICES)} {d.full}", ()
            if kind == 1:
                return "Chủ tịch", f"Ủy ban nhân dân {oc.full}", (party_c, council_c)
            if kind == 2:
                return "Bí thư", f"Đảng ủy {oc.full}", (party_c,)
            return "Phó Trưởng ban", f"Ban Tổ chức {d.committee} {d.bare}", ()
        party_d = (f"Hội nghị Ban Chấp hành Đảng bộ {d.full}", 33, 45)
        council_d = (f"Kỳ họp Hội đồng nhân dân {d.full}", 30, 40)
        if level == 3:
            kind = _rr(rng, 4)
            if kind == 0:
                return "Phó Chủ tịch", f"Ủy ban nhân dân {d.full}", (council_d,)
            if kind == 1:
                return "Trưởng ban", f"Ban Tổ chức {d.committee} {d.bare}", (party_d,)
            if kind == 2:
                return "Phó Bí thư", f"{d.committee} {d.bare}", (party_d,)
            return "Chủ nhiệm Ủy ban Kiểm tra", f"{d.committee} {d.bare}", (party_d,)
        if _rr(rng, 2):
            return "Chủ tịch", f"Ủy ban nhân dân {d.full}", (party_d, council_d)
        return "Bí thư", f"{d.committee} {d.bare}", (party_d,)

    def province_post(self, rng, level: int, c: dict):
        op = c["op"]
        level = min(level, 4)
        in_department = _rr(rng, 2) == 0
        dept = f"{_pick(rng, catalog.OLD_DEPARTMENTS)} {op.full}"
        if level <= 2:
            title = ("Chuyên viên", "Phó Trưởng phòng", "Trưởng phòng")[level]
            if in_department:
                return title, dept, ()
            agency = _pick(rng, catalog.OLD_PARTY_AGENCIES)
            return title, f"{agency} {op.committee} {op.bare}", ()
        ban = f"{_pick(rng, catalog.OLD_PARTY_AGENCIES[:4])} {op.committee} {op.bare}"
        if level == 3:
            return ("Phó Giám đốc", dept, ()) if in_department else ("Phó Trưởng ban", ban, ())
        if in_department:
            return "Giám đốc", dept, ((f"Kỳ họp Hội đồng nhân dân {op.full}", 50, 80),)
        return "Trưởng ban", ban, ((f"Hội nghị Ban Chấp hành Đảng bộ {op.full}", 45, 60),)

    def make_discipline(self, rng, pid, unit, posts, career_start, evaluations) -> None:
        earlier = [p for p in posts if p[0] is None and p[4] is not None and p[10] >= 1]
        last = max(earlier, key=lambda p: p[4], default=None)
        if last is not None and last[4].year >= 2019 and rng.random() < 0.05:
            form, months, authority = DisciplineForm.REMOVAL, 24, _authority(unit)
            effective, number, reason = careers.removal(rng, FAST, last[4], last[2], last[1])
        else:
            months = 12
            if unit.province is not None:
                province = unit.province
                upper = (f"Ủy ban Kiểm tra {province.committee} {province.place.bare}", "QĐ/UBKTTU")
            else:
                upper = ("Ủy ban Kiểm tra Trung ương", "QĐ/UBKTTW")
            form, effective, authority, number, reason = careers.minor_discipline(
                rng, FAST, career_start, unit, upper
            )
        end = add_months(effective, months) - dt.timedelta(days=1)
        self.rows[Discipline].append(
            (pid, form, self.d(effective), self.d(end), authority, number, reason, "")
        )
        if effective.year in evaluations:
            evaluations[effective.year] = careers.disciplined_rating(rng)

    def make_rewards(self, rng, pid, unit, profile_name, career_start, joined, evaluations):
        province = unit.province
        if province is None:
            local = (f"Bằng khen của {unit.name}", unit.name, "QĐ-BNV")
            party = "Ban Thường vụ Đảng ủy các cơ quan Đảng Trung ương"
            excellence = unit.name
        else:
            place = province.place
            local = (f"Bằng khen của Chủ tịch UBND {place.word}", f"Chủ tịch UBND {place.full}",
                     "QĐ-UBND")  # fmt: skip
            party = f"Ban Thường vụ {province.committee} {place.bare}"
            excellence = f"Chủ tịch UBND {place.full}"
        rows = self.rows[Reward]
        found = careers.career_rewards(rng, FAST, profile_name, career_start, joined, local, party)
        found += careers.excellence_rewards(rng, FAST, evaluations.items(), excellence)
        rows.extend((pid, *row) for row in found)

    def make_trainings(self, rng, pid, unit, profile_name, birth, low, theory, management,
                       degree, major) -> None:  # fmt: skip
        province = unit.province
        if province is None:
            school = academy = careers.NATIONAL_ACADEMY
            military_school = "Học viện Quốc phòng"
        else:
            school = f"Trường Chính trị {province.place.full}"
            academy = province.academy
            military_school = f"Trường Quân sự {province.place.full}"

        def center() -> str:
            districts = (province or _pick(rng, self.provinces)).old_districts
            return _pick(rng, districts).place.full

        d = self.d
        self.rows[Training].extend(
            (pid, kind, program, institution, d(start), d(end), qualification)
            for kind, program, institution, start, end, qualification in careers.trainings(
                rng, FAST, birth=birth, low=low, profile_name=profile_name, theory=theory,
                management=management, degree=degree, major=major, school=school,
                academy=academy, military_school=military_school, center=center,
            )
        )  # fmt: skip

    # --- run ------------------------------------------------------------------------

    def audit(self) -> None:
        s = self.summary
        root = next(u for u in self.units if u.code == "TW")
        after = {
            "scale": "national",
            "seed": self.seed,
            "provinces": s.provinces,
            "communes": s.communes,
            "units": s.units,
            "positions": s.positions,
            "people": s.people,
            "person_ids": [s.first_person_id, s.last_person_id],
            "assignments": s.assignments,
            "evaluations": s.evaluations,
            "votes": s.votes,
            "disciplines": s.disciplines,
            "rewards": s.rewards,
            "trainings": s.trainings,
        }
        after["description"] = _(
            "Dữ liệu demo toàn quốc (seed %(seed)d): %(units)d đơn vị, %(people)d cán bộ"
        ) % {"seed": self.seed, "units": s.units, "people": s.people}
        # Filed under the root of the central tree: one event for the whole run.
        record_write(
            actor=None,
            action=AuditAction.CREATE,
            instance=Unit.objects.get(pk=root.pk),
            after=after,
        )

    def run(self) -> NationalSummary:
        started = time.perf_counter()
        timings = self.summary.timings
        with transaction.atomic():
            t0 = time.perf_counter()
            self.load_areas()
            self.ensure_catalogs()
            self.plan_units()
            self.create_units()
            self.plan_seats()
            self.create_positions()
            self.prepare_people()
            timings["units"] = time.perf_counter() - t0
            models = (Person, *SECTION_MODELS)
            fresh = not any(m.objects.exists() for m in models)
            pause = IndexPause(models)
            if fresh:
                pause.pause()
            self.summary.fast_load = fresh
            self.write_people()
            t0 = time.perf_counter()
            if fresh:
                pause.restore()
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [Person]):
                    cursor.execute(sql)
            timings["indexes"] = time.perf_counter() - t0
            self.audit()
        self.summary.seconds = time.perf_counter() - started
        return self.summary


def _authority(unit: NUnit) -> str:
    if unit.province is None:
        return unit.name
    return f"Chủ tịch UBND {unit.province.place.full}"


def _code(area: AreaRow) -> str:
    return area.code


def build_national(
    *,
    seed: int = 1,
    people: int = DEFAULT_PEOPLE,
    progress: Callable[[int, int, float], None] | None = None,
) -> NationalSummary:
    """Create the national demo dataset; raises DemoError with a Vietnamese message."""
    if people < 1:
        raise DemoError(_("Số cán bộ (--people) phải lớn hơn 0."))
    return NationalBuilder(seed=seed, people=people, progress=progress).run()
