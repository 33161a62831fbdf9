"""Build one realistic demo province from the areas already loaded.

Everything is drawn from one `random.Random(seed)` in a fixed order, so a seed
gives the same data on any database (primary keys aside). Dates are computed
against a fixed reference date, REFERENCE_DATE (1 January 2026), never
against today: "current" posts are those without an end date on that day.

The province's units, their seats, the people holding them and every profile
section are written with bulk_create inside one transaction; tree paths are
computed here, and the derived person columns (full name, search text, sort
key, local flag) are computed exactly as `people.services.person_derive` does,
over maps loaded once.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from canbo.core.audit import diff, snapshot
from canbo.core.dates import DatePrecision
from canbo.core.models import AuditAction, AuditEvent, AuditSource
from canbo.core.vntext import fold, normalize_spaces
from canbo.organizations import locality
from canbo.organizations.choices import AreaKind, AreaLevel, UnitLevel
from canbo.organizations.models import (
    Area,
    AreaSuccession,
    Position,
    PositionTitle,
    Term,
    Unit,
)
from canbo.people.catalogs import MAJORITY_CODE
from canbo.people.choices import (
    AssignmentHow,
    Degree,
    DisciplineForm,
    EvaluationRating,
    PoliticalTheory,
    Religion,
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
from canbo.people.services import AUDIT_EXCLUDE, person_derive_text

from . import careers, catalog
from .appointments import add_demo_cases
from .careers import (
    EXACT,
    GOOD_OR_BETTER,
    RATINGS,
    REFERENCE_DATE,
    VOTE_DAY,
    VOTE_YEAR,
    WEAK_RATINGS,
    add_months,
    add_years,
    weighted,
)
from .catalog import TITLE_BY_CODE, TitleSpec, UnitTemplate
from .directives import DirectiveSummary, add_demo_directives
from .names import make_name
from .planning import PlanSummary, add_demo_plans
from .reports import add_demo_report_round
from .reviews import add_demo_reviews
from .rotation import add_demo_rotations, add_term_limit_breach

BATCH = 1000


class DemoError(Exception):
    """A condition the user must fix (message in Vietnamese)."""


@dataclass
class Summary:
    province: str
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
    vacancies: int = 0
    plans: PlanSummary | None = None
    directives: DirectiveSummary | None = None
    cases: int = 0  # appointment cases (canbo.demo.appointments)
    reviews: list = field(default_factory=list)  # rules broken by canbo.demo.reviews
    rotations: list = field(default_factory=list)  # kinds and rules shown by canbo.demo.rotation
    report_round: dict = field(default_factory=dict)  # submissions by status (canbo.demo.reports)
    seconds: float = 0.0


# --- names of areas -----------------------------------------------------------

_PREFIXES = (
    ("thành phố ", "thành phố"),
    ("tỉnh ", "tỉnh"),
    ("huyện ", "huyện"),
    ("quận ", "quận"),
    ("thị xã ", "thị xã"),
    ("thị trấn ", "thị trấn"),
    ("phường ", "phường"),
    ("xã ", "xã"),
    ("đặc khu ", "đặc khu"),
)
_KIND_WORD = {
    AreaKind.PROVINCE: "tỉnh",
    AreaKind.CENTRAL_CITY: "thành phố",
    AreaKind.PROVINCIAL_CITY: "thành phố",
    AreaKind.TOWN: "thị xã",
    AreaKind.DISTRICT: "huyện",
    AreaKind.URBAN_DISTRICT: "quận",
    AreaKind.COMMUNE: "xã",
    AreaKind.WARD: "phường",
    AreaKind.TOWNSHIP: "thị trấn",
    AreaKind.SPECIAL_ZONE: "đặc khu",
}
_DISTRICT_COMMITTEE = {
    "huyện": "Huyện ủy",
    "quận": "Quận ủy",
    "thị xã": "Thị ủy",
    "thành phố": "Thành ủy",
}


def split_area_name(name: str, kind: str, default_word: str) -> tuple[str, str]:
    """('Xã An Bình', commune) -> ('xã', 'An Bình'); a bare name keeps its kind's word."""
    name = normalize_spaces(name)
    lower = name.lower()
    for prefix, word in _PREFIXES:
        if lower.startswith(prefix) and len(name) > len(prefix):
            return word, name[len(prefix) :]
    return _KIND_WORD.get(kind, default_word), name


@dataclass(frozen=True)
class AreaRow:
    id: int
    code: str
    official_code: str
    name: str
    kind: str
    level: int
    path: str
    valid_to: dt.date | None

    @property
    def is_old(self) -> bool:
        return self.code.startswith("cu-") or self.valid_to is not None


@dataclass
class Place:
    """An area as used in names: word ('xã', 'huyện', 'tỉnh'…) and bare name."""

    word: str
    bare: str

    @property
    def full(self) -> str:
        return f"{self.word} {self.bare}"

    @property
    def committee(self) -> str:
        if self.word == "tỉnh":
            return "Tỉnh ủy"
        return _DISTRICT_COMMITTEE.get(self.word, "Đảng ủy " + self.word)


@dataclass
class OldDistrict:
    place: Place
    communes: list[Place]


# --- shared by the province and national builders -----------------------------------


class AreaMaps:
    """The areas, loaded once: rows, by id and path, paths and successions."""

    def load_area_maps(self) -> None:
        rows = Area.objects.order_by("path").values_list(
            "id", "code", "official_code", "name", "kind", "level", "path", "valid_to"
        )
        self.areas = [AreaRow(*row) for row in rows]
        self.area_by_id = {a.id: a for a in self.areas}
        self.area_by_path = {a.path: a for a in self.areas}
        self.path_of = {a.id: a.path for a in self.areas}
        successors: dict[int, list[int]] = defaultdict(list)
        for pred, succ in AreaSuccession.objects.order_by(
            "predecessor_id", "successor_id"
        ).values_list("predecessor_id", "successor_id"):
            successors[pred].append(succ)
        self.successors = dict(successors)

    def _ancestor(self, area: AreaRow, level: int) -> AreaRow | None:
        step = Area.steplen
        for end in range(step, len(area.path), step):
            found = self.area_by_path.get(area.path[:end])
            if found is not None and found.level == level:
                return found
        return None

    def _digits(self, area: AreaRow, fallback: str = "") -> str:
        """The three digits of the province an area lies in (for identity numbers)."""
        root = self.area_by_path.get(area.path[: Area.steplen], area)
        for candidate in (root.official_code, root.code.removeprefix("cu-"), fallback):
            digits = "".join(ch for ch in candidate or "" if ch.isdigit())
            if digits:
                return digits.zfill(3)[-3:]
        return "000"


def no_provinces() -> DemoError:
    return DemoError(
        _(
            "Chưa có tỉnh, thành phố nào (đơn vị hành chính hiện hành) trong cơ sở dữ "
            "liệu. Hãy chạy lệnh `canbo load-areas` trước, rồi chạy lại `canbo seed-demo`."
        )
    )


def old_district_place(district: AreaRow) -> Place:
    word, bare = split_area_name(district.name, district.kind, "huyện")
    if word not in _DISTRICT_COMMITTEE:
        word = "huyện"
    return Place(word, bare)


def old_province_place(province: AreaRow) -> Place:
    word, bare = split_area_name(province.name, province.kind, "tỉnh")
    return Place("thành phố" if word == "thành phố" else "tỉnh", bare)


def districts_from_communes(communes: list[AreaRow], province: Place) -> list[OldDistrict]:
    """No pre-2025 areas loaded: old districts named after some communes
    (many new communes took the name of a former district)."""
    places = [Place(*split_area_name(c.name, c.kind, "xã")) for c in communes]
    places = places or [Place("xã", province.bare)]
    stride = max(1, len(places) // max(3, len(places) // 8))
    return [OldDistrict(Place("huyện", p.bare), places) for p in places[::stride]]


def create_titles(titles) -> int:
    """Create the position titles not there yet; returns how many."""
    existing = set(
        PositionTitle.objects.filter(code__in=[t.code for t in titles]).values_list(
            "code", flat=True
        )
    )
    missing = [
        PositionTitle(
            code=t.code,
            name=t.name,
            level=t.level,
            rank=t.rank,
            is_key=t.is_key,
            is_head=t.is_head,
            management_level=t.management_level,
        )
        for t in titles
        if t.code not in existing
    ]
    PositionTitle.objects.bulk_create(missing)
    return len(missing)


def ensure_terms() -> int:
    created = 0
    for spec in catalog.TERMS:
        _term, was_created = Term.objects.get_or_create(
            body=spec.body,
            start_date=spec.start,
            defaults={"name": spec.name, "end_date": spec.end},
        )
        created += was_created
    return created


def tree_step(number: int) -> str:
    """One step of a materialized tree path (the number-th child)."""
    alphabet, steplen = Unit.alphabet, Unit.steplen
    base, digits = len(alphabet), ""
    while number:
        number, rest = divmod(number, base)
        digits = alphabet[rest] + digits
    if len(digits) > steplen:
        raise DemoError(_("Cây đơn vị đã đầy (vượt quá số nút cho phép ở một cấp)."))
    return digits.rjust(steplen, alphabet[0])


def step_number(path: str) -> int:
    value = 0
    for ch in path:
        value = value * len(Unit.alphabet) + Unit.alphabet.index(ch)
    return value


# --- plan objects -------------------------------------------------------------


@dataclass(eq=False)
class UnitSpec:
    template: UnitTemplate
    code: str
    name: str
    short_name: str
    level: str
    area: AreaRow
    parent: UnitSpec | None
    place: Place  # the area the unit governs, for names
    commune: AreaRow | None = None
    is_difficult: bool = False
    valid_from: dt.date | None = None
    children: list[UnitSpec] = field(default_factory=list)
    positions: list[PosSpec] = field(default_factory=list)
    obj: Unit | None = None


@dataclass(eq=False)
class PosSpec:
    unit: UnitSpec
    title: TitleSpec
    seats: int
    slots: list[Slot] = field(default_factory=list)
    obj: Position | None = None
    is_staff: bool = False


@dataclass(eq=False)
class Slot:
    pos: PosSpec
    index: int
    vacant: bool = False
    concurrent_of: Slot | None = None
    holder: PersonSpec | None = None
    order: int = 0


@dataclass(eq=False)
class Post:
    """One line of a work history, before it becomes an Assignment."""

    title_name: str
    unit_name: str
    start: dt.date
    end: dt.date | None
    how: str
    level: int = 0
    position: PosSpec | None = None
    is_concurrent: bool = False
    votes: tuple[tuple[str, int, int], ...] = ()
    decision: str = ""
    start_precision: str = DatePrecision.DAY
    end_precision: str = DatePrecision.DAY
    bridge: bool = False


@dataclass(eq=False)
class PersonSpec:
    person: Person
    slot: Slot
    profile: str
    birth: dt.date
    career_start: dt.date
    posts: list[Post] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)
    votes: list[ConfidenceVote] = field(default_factory=list)
    disciplines: list[Discipline] = field(default_factory=list)
    rewards: list[Reward] = field(default_factory=list)
    trainings: list[Training] = field(default_factory=list)
    weak: bool = False


# Attributes by profile: (birth year low, mode, high), share of women, degree,
# political theory, state management, history depth (max level), vote bases.
@dataclass(frozen=True)
class Profile:
    years: tuple[int, int, int]
    women: float
    degrees: tuple[tuple[int, float], ...]
    theory: tuple[tuple[int, float], ...]
    management: tuple[tuple[int, float], ...]
    max_level: int
    party: float


D, PT, SM = Degree, PoliticalTheory, StateManagement
PERSON_PROFILES = {
    "prov_top": Profile((1965, 1970, 1978), 0.12,
                        ((D.BACHELOR, 35), (D.MASTER, 50), (D.DOCTOR, 15)),
                        ((PT.ADVANCED, 80), (PT.BACHELOR, 20)),
                        ((SM.SENIOR, 70), (SM.PRINCIPAL, 30)), 4, 1.0),
    "prov_lead": Profile((1965, 1973, 1986), 0.22,
                         ((D.BACHELOR, 45), (D.MASTER, 48), (D.DOCTOR, 7)),
                         ((PT.ADVANCED, 85), (PT.BACHELOR, 10), (PT.INTERMEDIATE, 5)),
                         ((SM.SENIOR, 30), (SM.PRINCIPAL, 65), (SM.OFFICER, 5)), 3, 1.0),
    "prov_mid": Profile((1966, 1979, 1992), 0.35,
                        ((D.BACHELOR, 65), (D.MASTER, 33), (D.DOCTOR, 2)),
                        ((PT.ADVANCED, 40), (PT.INTERMEDIATE, 55), (PT.ELEMENTARY, 5)),
                        ((SM.PRINCIPAL, 45), (SM.OFFICER, 55)), 1, 0.97),
    "prov_staff": Profile((1972, 1990, 2000), 0.5,
                          ((D.COLLEGE, 3), (D.BACHELOR, 80), (D.MASTER, 17)),
                          ((PT.NONE, 30), (PT.ELEMENTARY, 40), (PT.INTERMEDIATE, 30)),
                          ((SM.OFFICER, 65), (SM.NONE, 35)), 0, 0.7),
    "com_key": Profile((1966, 1976, 1990), 0.15,
                       ((D.BACHELOR, 70), (D.MASTER, 30)),
                       ((PT.ADVANCED, 60), (PT.INTERMEDIATE, 40)),
                       ((SM.PRINCIPAL, 55), (SM.OFFICER, 40), (SM.SENIOR, 5)), 3, 1.0),
    "com_lead": Profile((1968, 1982, 1994), 0.3,
                        ((D.COLLEGE, 3), (D.BACHELOR, 85), (D.MASTER, 12)),
                        ((PT.INTERMEDIATE, 70), (PT.ADVANCED, 20), (PT.ELEMENTARY, 10)),
                        ((SM.OFFICER, 70), (SM.PRINCIPAL, 25), (SM.NONE, 5)), 2, 1.0),
    "com_staff": Profile((1970, 1990, 2000), 0.5,
                         ((D.INTERMEDIATE, 6), (D.COLLEGE, 10), (D.BACHELOR, 80), (D.MASTER, 4)),
                         ((PT.NONE, 25), (PT.ELEMENTARY, 45), (PT.INTERMEDIATE, 30)),
                         ((SM.OFFICER, 50), (SM.NONE, 50)), 0, 0.75),
}  # fmt: skip


def profile_of(title: TitleSpec) -> str:
    if title.level == UnitLevel.COMMUNE:
        if title.rank >= 46:
            return "com_key"
        return "com_lead" if title.rank >= 30 else "com_staff"
    if title.rank >= 80:
        return "prov_top"
    if title.rank >= 55:
        return "prov_lead"
    return "prov_mid" if title.rank >= 30 else "prov_staff"


def fill_tier(title: TitleSpec) -> int:
    """Order in which seats are filled when there are fewer people than seats."""
    if title.is_key or (title.is_head and title.rank >= 70):
        return 1
    if title.rank >= 55 or (title.level == UnitLevel.COMMUNE and title.rank >= 30):
        return 2
    return 3 if title.rank >= 40 else 4


class Builder(AreaMaps):
    def __init__(self, *, seed: int, people: int, province_code: str | None):
        self.rng = random.Random(seed)
        self.people_wanted = people
        self.province_code = province_code

    # --- areas ----------------------------------------------------------------

    def load_areas(self) -> None:
        self.load_area_maps()

        provinces = sorted(
            (a for a in self.areas if a.level == AreaLevel.PROVINCE and not a.is_old),
            key=lambda a: a.code,
        )
        if not provinces:
            raise no_provinces()
        if self.province_code:
            wanted = self.province_code.strip()
            matches = [p for p in provinces if wanted in (p.code, p.official_code)]
            if not matches:
                codes = ", ".join(p.code for p in provinces[:40])
                raise DemoError(
                    _(
                        "Không có tỉnh, thành phố hiện hành mã “%(code)s”. Các mã hiện có: %(codes)s."
                    )
                    % {"code": wanted, "codes": codes}
                )
            self.province = matches[0]
        else:
            self.province = provinces[0]
        prov = self.province
        self.is_city = prov.kind == AreaKind.CENTRAL_CITY or prov.name.lower().startswith(
            "thành phố"
        )
        word, bare = split_area_name(prov.name, prov.kind, "tỉnh")
        self.place = Place("thành phố" if self.is_city else "tỉnh", bare)
        self.committee = "Thành ủy" if self.is_city else "Tỉnh ủy"

        current_communes = sorted(
            (a for a in self.areas if a.level == AreaLevel.COMMUNE and not a.is_old),
            key=lambda a: a.code,
        )
        self.communes = [a for a in current_communes if a.path.startswith(prov.path)]
        self.other_communes = [a for a in current_communes if not a.path.startswith(prov.path)]
        old_communes = sorted(
            (a for a in self.areas if a.level == AreaLevel.COMMUNE and a.is_old),
            key=lambda a: a.code,
        )
        # Old communes that became (part of) a commune of this province.
        self.old_into: dict[int, list[AreaRow]] = defaultdict(list)
        self.old_in_province: list[AreaRow] = []
        self.old_elsewhere: list[AreaRow] = []
        for old in old_communes:
            paths = locality.current_paths(old.id, self.path_of, self.successors)
            inside = [p for p in paths[1:] if p.startswith(prov.path)]
            if inside:
                self.old_in_province.append(old)
                for path in inside:
                    target = self.area_by_path.get(path)
                    if target is not None and target.level == AreaLevel.COMMUNE:
                        self.old_into[target.id].append(old)
            else:
                self.old_elsewhere.append(old)
        self._load_old_places()
        self.region = catalog.PROFILES.get(prov.official_code or prov.code, catalog.DEFAULT_PROFILE)

    def _load_old_places(self) -> None:
        """Pre-2025 districts, communes and provinces of this province, for histories."""
        districts: dict[int, OldDistrict] = {}
        provinces: dict[int, Place] = {}
        for old in self.old_in_province:
            district = self._ancestor(old, AreaLevel.DISTRICT)
            province = self._ancestor(old, AreaLevel.PROVINCE)
            if province is not None and province.id not in provinces:
                provinces[province.id] = old_province_place(province)
            if district is None:
                continue
            if district.id not in districts:
                districts[district.id] = OldDistrict(old_district_place(district), [])
            word, bare = split_area_name(old.name, old.kind, "xã")
            districts[district.id].communes.append(Place(word, bare))
        self.old_districts = [districts[k] for k in sorted(districts, key=self._code_of)]
        self.old_provinces = [provinces[k] for k in sorted(provinces, key=self._code_of)]
        self.district_of_old: dict[int, OldDistrict] = {}
        for old in self.old_in_province:
            district = self._ancestor(old, AreaLevel.DISTRICT)
            if district is not None:
                self.district_of_old[old.id] = districts[district.id]
        if not self.old_provinces:
            self.old_provinces = [self.place]
        if not self.old_districts:
            # No pre-2025 areas loaded: name old districts after some communes
            # (many new communes took the name of a former district).
            self.old_districts = districts_from_communes(self.communes, self.place)

    def _code_of(self, area_id: int) -> str:
        return self.area_by_id[area_id].code

    # --- catalogs -------------------------------------------------------------

    def ensure_titles(self) -> int:
        missing = create_titles(catalog.TITLES)
        self.titles = {t.code: t for t in PositionTitle.objects.filter(code__in=TITLE_BY_CODE)}
        return missing

    def ensure_terms(self) -> int:
        return ensure_terms()

    # --- units ----------------------------------------------------------------

    def plan_units(self) -> None:
        rng, pc = self.rng, self.province.code
        self.units: list[UnitSpec] = []
        by_key: dict[str, UnitSpec] = {}
        names = {"committee": self.committee, "word": self.place.word, "bare": self.place.bare}
        for tpl in catalog.PROVINCE_UNITS:
            parent = by_key[tpl.parent] if tpl.parent else None
            spec = UnitSpec(
                template=tpl,
                code=f"{tpl.key}-{pc}",
                name=tpl.name.format(**names),
                short_name=tpl.short_name.format(**names),
                level=UnitLevel.PROVINCE,
                area=self.province,
                parent=parent,
                place=self.place,
            )
            by_key[tpl.key] = spec
            self.units.append(spec)
        self.root = by_key["TU"]
        self.province_units = dict(by_key)
        difficult_share = min(0.8, 0.12 + 0.5 * self.region.minority_share)
        self.commune_units: dict[int, dict[str, UnitSpec]] = {}
        for commune in self.communes:
            word, bare = split_area_name(commune.name, commune.kind, "xã")
            place = Place(word, bare)
            difficult = commune.kind == AreaKind.SPECIAL_ZONE or rng.random() < difficult_share
            local: dict[str, UnitSpec] = {}
            for tpl in catalog.COMMUNE_UNITS:
                parent = local[tpl.parent] if tpl.parent else self.root
                spec = UnitSpec(
                    template=tpl,
                    code=f"{tpl.key}-{commune.code}",
                    name=tpl.name.format(word=word, bare=bare),
                    short_name=tpl.short_name.format(word=word, bare=bare),
                    level=UnitLevel.COMMUNE,
                    area=commune,
                    parent=parent,
                    place=place,
                    commune=commune,
                    is_difficult=difficult,
                    valid_from=catalog.COMMUNES_FROM,
                )
                local[tpl.key] = spec
                self.units.append(spec)
            self.commune_units[commune.id] = local
        for spec in self.units:
            if spec.parent is not None:
                spec.parent.children.append(spec)

        codes = [u.code for u in self.units]
        existing = set(Unit.objects.filter(code__in=codes).values_list("code", flat=True))
        taken = [code for code in codes if code in existing]
        if taken:
            raise DemoError(
                _(
                    "Đã có dữ liệu demo cho %(province)s: mã đơn vị %(codes)s đã tồn tại. "
                    "Dùng --if-empty để bỏ qua, hoặc chọn tỉnh khác bằng --province."
                )
                % {"province": self.province.name, "codes": ", ".join(taken[:5])}
            )

    _step = staticmethod(tree_step)

    def _step_number(self, step: str) -> int:
        return step_number(step)

    def create_units(self) -> None:
        last_root = Unit.objects.filter(depth=1).order_by("-path").first()
        root_number = self._step_number(last_root.path) + 1 if last_root else 1
        objects: list[Unit] = []

        def visit(spec: UnitSpec, path: str) -> None:
            spec.obj = Unit(
                code=spec.code,
                name=spec.name,
                short_name=spec.short_name,
                kind=spec.template.kind,
                level=spec.level,
                area_id=spec.area.id,
                is_difficult_area=spec.is_difficult,
                valid_from=spec.valid_from,
                name_folded=fold(spec.name),
                path=path,
                depth=len(path) // Unit.steplen,
                numchild=len(spec.children),
            )
            objects.append(spec.obj)
            for number, child in enumerate(spec.children, start=1):
                visit(child, path + self._step(number))

        visit(self.root, self._step(root_number))
        Unit.objects.bulk_create(objects, batch_size=BATCH)

    # --- seats ----------------------------------------------------------------

    def plan_seats(self) -> None:
        rng = self.rng
        self.slots: list[Slot] = []
        for unit in self.units:
            for code, seats in unit.template.positions:
                pos = PosSpec(unit, TITLE_BY_CODE[code], seats)
                pos.slots = [Slot(pos, i) for i in range(seats)]
                unit.positions.append(pos)

        def slot(unit: UnitSpec, code: str, index: int = 0) -> Slot:
            for pos in unit.positions:
                if pos.title.code == code:
                    return pos.slots[index]
            raise KeyError(code)

        # Concurrent posts: two provincial deputy secretaries chair the people's
        # committee and council; in communes one deputy secretary chairs the
        # people's committee and most secretaries also chair the council.
        pu = self.province_units
        slot(pu["TU"], "TU-PBT", 0).concurrent_of = slot(pu["UBND"], "UBND-T-CT")
        slot(pu["TU"], "TU-PBT", 1).concurrent_of = slot(pu["HDND"], "HDND-T-CT")
        for commune in self.communes:
            local = self.commune_units[commune.id]
            slot(local["DU"], "X-PBT", 0).concurrent_of = slot(local["UBND"], "X-UBND-CT")
            if rng.random() < 0.7:
                slot(local["HDND"], "X-HDND-CT").concurrent_of = slot(local["DU"], "X-BT")

        order = 0
        for unit in self.units:
            for pos in unit.positions:
                for s in pos.slots:
                    s.order = order
                    order += 1
                    if s.concurrent_of is None:
                        s.vacant = rng.random() < (0.03 if pos.title.is_head else 0.06)
                    self.slots.append(s)
        primaries = sorted(
            (s for s in self.slots if s.concurrent_of is None and not s.vacant),
            key=lambda s: (fill_tier(s.pos.title), s.order),
        )
        filled = primaries[: self.people_wanted]
        for s in primaries[self.people_wanted :]:
            s.vacant = True
        self.filled = sorted(filled, key=lambda s: s.order)

        # Everyone else is staff, shared among units by weight (largest remainder).
        staff_total = self.people_wanted - len(self.filled)
        staffed = [u for u in self.units if u.template.staff_title]
        weights = [u.template.staff_weight for u in staffed]
        total_weight = sum(weights) or 1
        quotas = [staff_total * w / total_weight for w in weights]
        counts = [int(q) for q in quotas]
        left = staff_total - sum(counts)
        by_remainder = sorted(range(len(staffed)), key=lambda i: (-(quotas[i] - counts[i]), i))
        for i in by_remainder[:left]:
            counts[i] += 1
        self.staff_slots: list[Slot] = []
        for unit, count in zip(staffed, counts, strict=True):
            extra = rng.choice((0, 0, 1, 1, 2))
            pos = PosSpec(
                unit, TITLE_BY_CODE[unit.template.staff_title], max(1, count + extra), is_staff=True
            )
            pos.slots = [Slot(pos, i) for i in range(pos.seats)]
            for s in pos.slots[count:]:
                s.vacant = True
            unit.positions.append(pos)
            self.staff_slots.extend(pos.slots[:count])

    def create_positions(self) -> None:
        objects = []
        for unit in self.units:
            for pos in unit.positions:
                pos.obj = Position(
                    unit_id=unit.obj.pk, title_id=self.titles[pos.title.code].pk, seats=pos.seats
                )
                objects.append(pos.obj)
        Position.objects.bulk_create(objects, batch_size=BATCH)
        self.position_count = len(objects)

    # --- people ---------------------------------------------------------------

    def title_name(self, title: TitleSpec, unit: UnitSpec) -> str:
        """The title as written for this unit ("Bí thư Thành ủy", "Chủ tịch UBND phường")."""
        return careers.title_name(title, self.is_city, unit.place.word)

    def pick_hometown(self, title: TitleSpec, unit: UnitSpec) -> AreaRow:
        rng, r = self.rng, self.rng.random()
        province_communes = self.communes or [self.province]
        others = self.other_communes or province_communes
        old_here = self.old_in_province or province_communes
        if title.code in catalog.NON_LOCAL_TITLES:
            if r < 0.8:
                return (
                    rng.choice(others)
                    if rng.random() < 0.8
                    else rng.choice(self.old_elsewhere or others)
                )
            return rng.choice(province_communes)
        if unit.commune is not None:
            own = unit.commune
            if r < (0.7 if title.is_key else 0.6):
                olds = self.old_into.get(own.id)
                return rng.choice(olds) if olds and rng.random() < 0.3 else own
            if r < 0.9:
                return rng.choice(province_communes)
            if r < 0.95:
                return rng.choice(old_here)
            return rng.choice(others)
        if r < 0.72:
            return rng.choice(province_communes)
        if r < 0.86:
            return rng.choice(old_here if rng.random() < 0.7 else (self.old_elsewhere or others))
        return rng.choice(others)

    def _province_digits(self, area: AreaRow) -> str:
        return self._digits(area, self.province.code)

    def make_id_number(self, sex: str, year: int, hometown: AreaRow) -> str:
        century = 0 if year < 2000 else 2
        head = f"{self._province_digits(hometown)}{century + (sex == Sex.FEMALE)}{year % 100:02d}"
        while True:
            candidate = f"{head}{self.rng.randrange(1_000_000):06d}"
            if candidate not in self.used_ids:
                self.used_ids.add(candidate)
                return candidate

    def draw_birth(self, profile: Profile, sex: str) -> tuple[dt.date, str]:
        rng = self.rng
        low, mode, high = profile.years
        for _attempt in range(30):
            year = min(high, max(low, int(rng.triangular(low, high + 1, mode))))
            month = rng.randint(1, 12)
            day = rng.randint(1, calendar.monthrange(year, month)[1])
            r = rng.random()
            if r < 0.03:
                birth, precision = dt.date(year, 1, 1), DatePrecision.YEAR
            elif r < 0.08:
                birth, precision = dt.date(year, month, 1), DatePrecision.MONTH
            else:
                birth, precision = dt.date(year, month, day), DatePrecision.DAY
            # Nobody in a current post has reached retirement on the reference date.
            if retirement_date(sex, birth, precision) > add_months(REFERENCE_DATE, 1):
                return birth, precision
            low = min(high, low + 1)
        return birth, precision

    def make_people(self) -> None:
        self.used_ids = set(Person.objects.values_list("id_number", flat=True))
        self.ethnicities = {e.code: e for e in Ethnicity.objects.order_by("code")}
        # Seats a bridge post may use without ever exceeding the number of seats.
        self.bridge_room: dict[PosSpec, int] = defaultdict(int)
        for s in self.slots + [
            s for u in self.units for p in u.positions if p.is_staff for s in p.slots
        ]:
            if s.vacant and s.concurrent_of is None:
                self.bridge_room[s.pos] += 1
        self.people: list[PersonSpec] = []
        for s in self.filled:
            self.people.append(self.make_person(s))
        for s in self.staff_slots:
            self.people.append(self.make_person(s))
        # Concurrent seats reuse the holder of the seat they depend on.
        for s in self.slots:
            if s.concurrent_of is not None:
                holder = s.concurrent_of.holder
                if holder is None:
                    s.vacant = True
                    continue
                s.holder = holder
                primary = next(p for p in holder.posts if p.position is s.concurrent_of.pos)
                start, how = self.current_start(s.pos.title, s.pos.unit)
                holder.posts.append(
                    Post(
                        title_name=self.title_name(s.pos.title, s.pos.unit),
                        unit_name=s.pos.unit.name,
                        start=max(start, primary.start),
                        end=None,
                        how=how,
                        position=s.pos,
                        is_concurrent=True,
                        votes=self.current_votes(s.pos.title, s.pos.unit),
                        decision=self.decision_number(how, s.pos.unit),
                    )
                )

    def make_person(self, s: Slot) -> PersonSpec:
        rng = self.rng
        title, unit = s.pos.title, s.pos.unit
        profile_name = profile_of(title)
        profile = PERSON_PROFILES[profile_name]
        sex = Sex.FEMALE if rng.random() < profile.women else Sex.MALE
        birth, precision = self.draw_birth(profile, sex)
        age = REFERENCE_DATE.year - birth.year
        ethnicity_code = MAJORITY_CODE
        if rng.random() < careers.minority_share(self.region, unit.is_difficult, profile_name):
            ethnicity_code = weighted(rng, self.region.groups)
        name = make_name(rng, sex, birth.year, ethnicity_code)
        religion = self.pick_religion(ethnicity_code)
        hometown = self.pick_hometown(title, unit)
        birthplace = hometown if rng.random() < 0.7 else rng.choice(self.communes or [hometown])
        id_number = self.make_id_number(sex, birth.year, hometown)

        degree = careers.cap_degree(weighted(rng, profile.degrees), age)
        majors = catalog.MAJORS_BY_UNIT.get(unit.template.key, catalog.GENERAL_MAJORS)
        major = rng.choice(majors) if degree >= Degree.INTERMEDIATE else ""
        is_member = rng.random() < profile.party
        theory = careers.cap_theory(weighted(rng, profile.theory), age, is_member)
        management = careers.cap_management(weighted(rng, profile.management), age)

        career_start, joined, official = careers.career_dates(rng, EXACT, birth, is_member)

        person = Person(
            id_number=id_number,
            family_name=name.family,
            middle_name=name.middle,
            given_name=name.given,
            sex=sex,
            birth_date=birth,
            birth_date_precision=precision,
            ethnicity=self.ethnicities.get(ethnicity_code),
            religion=religion,
            hometown_id=hometown.id,
            birthplace_id=birthplace.id,
            unit_id=unit.obj.pk,
            party_joined_date=joined,
            party_official_date=official,
            professional_degree=degree,
            professional_major=major,
            political_theory=theory,
            state_management=management,
            foreign_language=weighted(rng, catalog.LANGUAGES),
            it_level=weighted(rng, catalog.IT_LEVELS),
        )
        self.derive(person, hometown.id, unit)
        spec = PersonSpec(person, s, profile_name, birth, career_start)
        spec.weak = rng.random() < 0.07
        s.holder = spec
        self.make_posts(spec)
        self.make_evaluations(spec)
        self.make_trainings(spec)
        self.make_rewards(spec)
        return spec

    def pick_religion(self, ethnicity_code: str) -> str:
        rng = self.rng
        if ethnicity_code == "05" and rng.random() < 0.8:
            return Religion.BUDDHISM
        if ethnicity_code == "04" and rng.random() < 0.4:
            return Religion.BUDDHISM
        return weighted(rng, catalog.BASE_RELIGIONS + self.region.religions)

    def governed_area(self, unit: UnitSpec) -> int | None:
        while unit is not None:
            if unit.area is not None:
                return unit.area.id
            unit = unit.parent
        return None

    def derive(self, person: Person, hometown_id: int | None, unit: UnitSpec) -> None:
        """What `person_derive` computes, without a query per person."""
        person_derive_text(person)
        person.is_local = locality.is_local(
            hometown_id, self.governed_area(unit), self.path_of, self.successors
        )

    # --- work history -----------------------------------------------------------

    def current_votes(self, title: TitleSpec, unit: UnitSpec) -> tuple[tuple[str, int, int], ...]:
        return careers.current_votes(title, unit.level, unit.place)

    def current_start(self, title: TitleSpec, unit: UnitSpec) -> tuple[dt.date, str]:
        return careers.current_start(self.rng, EXACT, title, unit.level)

    def decision_number(self, how: str, unit: UnitSpec) -> str:
        return careers.decision_number(self.rng, EXACT, how, unit)

    def make_posts(self, spec: PersonSpec) -> None:
        rng = self.rng
        s = spec.slot
        title, unit = s.pos.title, s.pos.unit
        start, how = self.current_start(title, unit)
        start = careers.not_before_career(rng, EXACT, start, spec.career_start, title)
        current = Post(
            title_name=self.title_name(title, unit),
            unit_name=unit.name,
            start=start,
            end=None,
            how=how,
            position=s.pos,
            votes=self.current_votes(title, unit),
            decision=self.decision_number(how, unit),
        )
        history_end = start
        posts = [current]
        # Some provincial heads and deputies are in their second appointment.
        if (
            how == AssignmentHow.APPOINTED
            and unit.level == UnitLevel.PROVINCE
            and 55 <= title.rank < 80
            and add_years(start, -6) > spec.career_start
            and rng.random() < 0.3
        ):
            previous_start = add_years(start, -5)
            posts.append(
                Post(
                    title_name=current.title_name,
                    unit_name=current.unit_name,
                    start=previous_start,
                    end=start - dt.timedelta(days=1),
                    how=AssignmentHow.APPOINTED,
                    position=s.pos,
                    votes=current.votes,
                    decision=self.decision_number(AssignmentHow.APPOINTED, unit),
                )
            )
            current.how = AssignmentHow.REAPPOINTED
            history_end = previous_start
        # Copied names are those of units abolished on 1 July 2025; from then on
        # the person held the post one step below the current one.
        if history_end > catalog.COMMUNES_FROM:
            bridge = self.bridge_post(
                spec, max(catalog.COMMUNES_FROM, spec.career_start), history_end
            )
            if bridge is not None:
                posts.append(bridge)
            history_end = catalog.COMMUNES_FROM
        posts.extend(self.make_history(spec, history_end))
        spec.posts = posts

    def bridge_post(self, spec: PersonSpec, start: dt.date, end: dt.date) -> Post | None:
        """The post held between the reorganisation and the current post, with its seat."""
        code = catalog.STEP_BELOW.get(spec.slot.pos.title.code)
        if code is None or start >= end:
            return None
        unit = spec.slot.pos.unit
        candidates = [pos for pos in unit.positions if pos.title.code == code]
        if not candidates:
            if unit.commune is not None:
                nearby = list(self.commune_units[unit.commune.id].values())
            else:
                nearby = list(self.province_units.values())
            candidates = [pos for u in nearby for pos in u.positions if pos.title.code == code]
        if not candidates:
            return None
        free = [pos for pos in candidates if self.bridge_room[pos] > 0]
        pos = self.rng.choice(free or candidates)
        title_name = self.title_name(pos.title, pos.unit)
        how = self.history_how(title_name, first=False)
        seat = None
        if free:
            # A vacant seat: the bridge never makes a seat hold more people than it has.
            self.bridge_room[pos] -= 1
            seat = pos
        return Post(
            title_name=title_name,
            unit_name=pos.unit.name,
            start=start,
            end=end - dt.timedelta(days=1),
            how=how,
            level=1,
            position=seat,
            decision=self.decision_number(how, pos.unit),
            bridge=True,
        )

    def _history_levels(self, spec: PersonSpec, max_steps: int) -> list[int]:
        rng = self.rng
        top = PERSON_PROFILES[spec.profile].max_level
        if spec.profile == "com_staff":
            # Every commune cadre worked somewhere before the communes of 1 July 2025.
            return [0] if max_steps else []
        if spec.profile == "prov_staff":
            return [0] if rng.random() < 0.55 and max_steps else []
        if spec.slot.pos.title.code in ("T-PTP", "X-PTP"):
            top = 0
        wanted = round(max_steps / rng.uniform(4, 7))
        count = min(max(wanted, 2 if top else 1), top + 1, max_steps)
        if count <= 0:
            return []
        if count == 1:
            return [top]
        middle = sorted(rng.sample(range(1, top), count - 2)) if count > 2 else []
        return [0, *middle, top]

    def make_history(self, spec: PersonSpec, end: dt.date) -> list[Post]:
        """Earlier posts, contiguous from the career start to `end` (names as they were)."""
        rng = self.rng
        gap = (end - spec.career_start).days
        levels = self._history_levels(spec, max(0, gap // 365))
        if not levels or gap < 180 * len(levels):
            return []
        lengths = careers.history_lengths(rng, gap, len(levels), 180)
        unit = spec.slot.pos.unit
        context = self.history_context(unit)
        commune_career = spec.profile.startswith("com_")
        posts: list[Post] = []
        day = spec.career_start
        for level, length in zip(levels, lengths, strict=True):
            if commune_career or rng.random() < 0.4:
                title_name, unit_name, votes = self.district_post(level, context)
            else:
                title_name, unit_name, votes = self.province_post(level, context)
            stop = day + dt.timedelta(days=length - 1)
            post = Post(
                title_name=title_name,
                unit_name=unit_name,
                start=day,
                end=stop,
                how=self.history_how(title_name, first=not posts),
                level=level,
                votes=votes,
            )
            if day.year < 2005 and rng.random() < 0.5:
                post.start = day.replace(day=1)
                post.start_precision = DatePrecision.MONTH
            posts.append(post)
            day = stop + dt.timedelta(days=1)
        return posts

    def history_how(self, title_name: str, *, first: bool) -> str:
        return careers.history_how(self.rng, EXACT, title_name, first=first)

    def history_context(self, unit: UnitSpec) -> dict:
        rng = self.rng
        district = old_commune = None
        if unit.commune is not None:
            olds = self.old_into.get(unit.commune.id) or []
            if olds:
                old = rng.choice(olds)
                district = self.district_of_old.get(old.id)
                old_commune = Place(*split_area_name(old.name, old.kind, "xã"))
        if district is None:
            district = rng.choice(self.old_districts)
        if old_commune is None:
            old_commune = rng.choice(district.communes)
        return {
            "d": district.place,
            "oc": old_commune,
            "op": rng.choice(self.old_provinces),
            "office": rng.choice(catalog.DISTRICT_OFFICES),
            "dept": rng.choice(catalog.OLD_DEPARTMENTS),
            "ban": rng.choice(catalog.OLD_PARTY_AGENCIES[:4]),
            "agency": rng.choice(catalog.OLD_PARTY_AGENCIES),
            "cs": rng.choice(catalog.COMMUNE_CIVIL_SERVANT_POSTS),
        }

    def district_post(self, level: int, c: dict):
        rng, d, oc = self.rng, c["d"], c["oc"]
        office = f"Phòng {c['office']} {d.full}"
        people_committee = f"Ủy ban nhân dân {d.full}"
        party_d = (f"Hội nghị Ban Chấp hành Đảng bộ {d.full}", 33, 45)
        council_d = (f"Kỳ họp Hội đồng nhân dân {d.full}", 30, 40)
        party_c = (f"Hội nghị Ban Chấp hành Đảng bộ {oc.full}", 15, 25)
        council_c = (f"Kỳ họp Hội đồng nhân dân {oc.full}", 20, 30)
        options = {
            0: [
                ("Chuyên viên", office, ()),
                (f"Công chức {c['cs']}", f"Ủy ban nhân dân {oc.full}", ()),
                ("Chuyên viên", f"Văn phòng {d.committee} {d.bare}", ()),
            ],
            1: [
                ("Phó Trưởng phòng", office, ()),
                ("Phó Chủ tịch", f"Ủy ban nhân dân {oc.full}", (council_c,)),
                ("Phó Bí thư", f"Đảng ủy {oc.full}", (party_c,)),
            ],
            2: [
                ("Trưởng phòng", office, ()),
                ("Chủ tịch", f"Ủy ban nhân dân {oc.full}", (party_c, council_c)),
                ("Bí thư", f"Đảng ủy {oc.full}", (party_c,)),
                ("Phó Trưởng ban", f"Ban Tổ chức {d.committee} {d.bare}", ()),
            ],
            3: [
                ("Phó Chủ tịch", people_committee, (council_d,)),
                ("Trưởng ban", f"Ban Tổ chức {d.committee} {d.bare}", (party_d,)),
                ("Phó Bí thư", f"{d.committee} {d.bare}", (party_d,)),
                ("Chủ nhiệm Ủy ban Kiểm tra", f"{d.committee} {d.bare}", (party_d,)),
            ],
            4: [
                ("Chủ tịch", people_committee, (party_d, council_d)),
                ("Bí thư", f"{d.committee} {d.bare}", (party_d,)),
            ],
        }
        return rng.choice(options[min(level, 4)])

    def province_post(self, level: int, c: dict):
        rng, op = self.rng, c["op"]
        dept = f"{c['dept']} {op.full}"
        ban = f"{c['ban']} {op.committee} {op.bare}"
        agency = f"{c['agency']} {op.committee} {op.bare}"
        party_p = (f"Hội nghị Ban Chấp hành Đảng bộ {op.full}", 45, 60)
        council_p = (f"Kỳ họp Hội đồng nhân dân {op.full}", 50, 80)
        options = {
            0: [("Chuyên viên", dept, ()), ("Chuyên viên", agency, ())],
            1: [("Phó Trưởng phòng", dept, ()), ("Phó Trưởng phòng", agency, ())],
            2: [("Trưởng phòng", dept, ()), ("Trưởng phòng", agency, ())],
            3: [("Phó Giám đốc", dept, ()), ("Phó Trưởng ban", ban, ())],
            4: [("Giám đốc", dept, (council_p,)), ("Trưởng ban", ban, (party_p,))],
        }
        return rng.choice(options[min(level, 4)])

    # --- sections ---------------------------------------------------------------

    def make_evaluations(self, spec: PersonSpec) -> None:
        rng = self.rng
        first = careers.first_evaluation_year(rng, EXACT, spec.career_start)
        for year in range(first, REFERENCE_DATE.year):
            rating = weighted(rng, WEAK_RATINGS if spec.weak else RATINGS)
            spec.evaluations.append(
                Evaluation(
                    person=spec.person,
                    year=year,
                    rating=rating,
                    score=self.score(rating, year),
                )
            )

    def score(self, rating: str, year: int) -> Decimal | None:
        cents = careers.score_cents(self.rng, EXACT, rating, year)
        return None if cents is None else Decimal(cents) / 100

    def make_trainings(self, spec: PersonSpec) -> None:
        person, place = spec.person, self.place
        for kind, program, institution, start, end, qualification in careers.trainings(
            self.rng, EXACT, birth=spec.birth, low=spec.career_start, profile_name=spec.profile,
            theory=person.political_theory, management=person.state_management,
            degree=person.professional_degree, major=person.professional_major,
            school=f"Trường Chính trị {place.full}", academy=self.regional_academy(),
            military_school=f"Trường Quân sự {place.full}", center=self.history_place,
        ):  # fmt: skip
            spec.trainings.append(
                Training(
                    person=person,
                    kind=kind,
                    program=program,
                    institution=institution,
                    start_date=start,
                    end_date=end,
                    qualification=qualification,
                )
            )

    def history_place(self) -> str:
        return self.rng.choice(self.old_districts).place.full

    def regional_academy(self) -> str:
        return careers.regional_academy(self.province.code)

    def make_rewards(self, spec: PersonSpec) -> None:
        # Called before discipline adjusts evaluations; rewards for excellent
        # years are added in finish_rewards().
        place = self.place
        local = (f"Bằng khen của Chủ tịch UBND {place.word}", f"Chủ tịch UBND {place.full}",
                 "QĐ-UBND")  # fmt: skip
        rows = careers.career_rewards(
            self.rng,
            EXACT,
            spec.profile,
            spec.career_start,
            spec.person.party_joined_date,
            local,
            f"Ban Thường vụ {self.committee} {place.bare}",
        )
        spec.rewards.extend(self._reward(spec, row) for row in rows)

    @staticmethod
    def _reward(spec, row) -> Reward:
        year, form, authority, number = row
        return Reward(
            person=spec.person, year=year, form=form, authority=authority, decision_number=number
        )

    def finish_rewards(self) -> None:
        authority = f"Chủ tịch UBND {self.place.full}"
        for spec in self.people:
            ratings = [(e.year, e.rating) for e in spec.evaluations]
            rows = careers.excellence_rewards(self.rng, EXACT, ratings, authority)
            spec.rewards.extend(self._reward(spec, row) for row in rows)

    def make_votes(self) -> None:
        """Mid-term confidence votes for whoever held a voted post on VOTE_DAY."""
        rng = self.rng
        pending: list[tuple[PersonSpec, str, int]] = []
        for spec in self.people:
            seen = set()
            for post in spec.posts:
                if not post.votes or post.start > VOTE_DAY:
                    continue
                if post.end is not None and post.end < VOTE_DAY:
                    continue
                # People appointed or elected in the vote's year are not voted on.
                if post.start.year == VOTE_YEAR:
                    continue
                for body, low, high in post.votes:
                    if body not in seen:
                        seen.add(body)
                        pending.append((spec, body, rng.randint(low, high)))
        bad = set(rng.sample(range(len(pending)), min(len(pending), max(1, len(pending) // 60))))
        for index, (spec, body, base) in enumerate(pending):
            present = careers.vote_present(rng, EXACT, base)
            high, normal, low = careers.vote_tally(rng, EXACT, base, present, index in bad)
            if index in bad:
                for evaluation in spec.evaluations:
                    if evaluation.year == VOTE_YEAR and evaluation.rating in GOOD_OR_BETTER:
                        evaluation.rating = EvaluationRating.COMPLETED
            spec.votes.append(
                ConfidenceVote(
                    person=spec.person,
                    year=VOTE_YEAR,
                    body=body,
                    high=high,
                    normal=normal,
                    low=low,
                    base=base,
                )
            )

    def make_disciplines(self) -> None:
        """About 2% disciplined: reprimands, warnings, a couple of removals from office."""
        rng, place = self.rng, self.place
        total = len(self.people)
        wanted = round(total * 0.02)
        removals = 2 if total >= 1000 else (1 if total >= 200 else 0)
        last_posts = [self.last_earlier_post(spec) for spec in self.people]
        removable = [
            i
            for i, spec in enumerate(self.people)
            if spec.profile in ("prov_staff", "prov_mid", "com_staff", "com_lead")
            and last_posts[i] is not None
            and not any(post.bridge for post in spec.posts)
            and last_posts[i].level >= 1
            and last_posts[i].end.year >= 2019
        ]
        removed = sorted(rng.sample(removable, min(removals, len(removable), wanted)))
        removed_set = set(removed)
        upper = (f"Ủy ban Kiểm tra {self.committee} {place.bare}", "QĐ/UBKTTU")
        rest = [i for i in range(total) if i not in removed_set]
        others = sorted(rng.sample(rest, max(0, min(len(rest), wanted - len(removed)))))
        for index in removed:
            spec = self.people[index]
            post = last_posts[index]
            effective, number, reason = careers.removal(
                rng, EXACT, post.end, post.title_name, post.unit_name
            )
            spec.disciplines.append(
                Discipline(
                    person=spec.person,
                    form=DisciplineForm.REMOVAL,
                    effective_date=effective,
                    end_date=add_months(effective, 24) - dt.timedelta(days=1),
                    authority=f"Chủ tịch UBND {place.full}",
                    decision_number=number,
                    reason=reason,
                )
            )
            self._mark_year(spec, effective.year)
        for index in others:
            spec = self.people[index]
            form, effective, authority, number, reason = careers.minor_discipline(
                rng, EXACT, spec.career_start, spec.slot.pos.unit, upper
            )
            spec.disciplines.append(
                Discipline(
                    person=spec.person,
                    form=form,
                    effective_date=effective,
                    end_date=add_months(effective, 12) - dt.timedelta(days=1),
                    authority=authority,
                    decision_number=number,
                    reason=reason,
                )
            )
            self._mark_year(spec, effective.year)

    @staticmethod
    def last_earlier_post(spec: PersonSpec) -> Post | None:
        """The most recent post of the history (names copied, no seat)."""
        earlier = [p for p in spec.posts if p.position is None and p.end and not p.bridge]
        return max(earlier, key=lambda p: p.end, default=None)

    def _mark_year(self, spec: PersonSpec, year: int) -> None:
        # A cadre disciplined in a year is rated no higher than "completed".
        for evaluation in spec.evaluations:
            if evaluation.year == year:
                evaluation.rating = careers.disciplined_rating(self.rng)
                evaluation.score = self.score(evaluation.rating, year)

    # --- writing ----------------------------------------------------------------

    def write_people(self, summary: Summary) -> None:
        people = [spec.person for spec in self.people]
        Person.objects.bulk_create(people, batch_size=BATCH)
        assignments = []
        for spec in self.people:
            for post in spec.posts:
                assignments.append(
                    Assignment(
                        person=spec.person,
                        position_id=post.position.obj.pk if post.position else None,
                        unit_name=post.unit_name,
                        title_name=post.title_name,
                        start_date=post.start,
                        start_precision=post.start_precision,
                        end_date=post.end,
                        end_precision=post.end_precision,
                        is_concurrent=post.is_concurrent,
                        how=post.how,
                        decision_number=post.decision,
                    )
                )
        Assignment.objects.bulk_create(assignments, batch_size=BATCH)
        sections = {
            "evaluations": (Evaluation, [e for s in self.people for e in s.evaluations]),
            "votes": (ConfidenceVote, [v for s in self.people for v in s.votes]),
            "disciplines": (Discipline, [d for s in self.people for d in s.disciplines]),
            "rewards": (Reward, [r for s in self.people for r in s.rewards]),
            "trainings": (Training, [t for s in self.people for t in s.trainings]),
        }
        for name, (model, rows) in sections.items():
            model.objects.bulk_create(rows, batch_size=BATCH)
            setattr(summary, name, len(rows))
        content_type = ContentType.objects.get_for_model(Person, for_concrete_model=True)
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    actor=None,
                    source=AuditSource.COMMAND,
                    action=AuditAction.CREATE,
                    content_type=content_type,
                    object_id=str(person.pk),
                    object_repr=str(person)[:300],
                    changes=diff({}, snapshot(person, exclude=AUDIT_EXCLUDE)),
                )
                for person in people
            ],
            batch_size=BATCH,
        )
        summary.people = len(people)
        summary.assignments = len(assignments)

    def run(self) -> Summary:
        started = time.perf_counter()
        with transaction.atomic():
            self.load_areas()
            summary = Summary(province=self.province.name)
            summary.titles_created = self.ensure_titles()
            summary.terms_created = self.ensure_terms()
            self.plan_units()
            self.create_units()
            self.plan_seats()
            self.create_positions()
            self.make_people()
            self.make_votes()
            self.make_disciplines()
            self.finish_rewards()
            self.write_people(summary)
            summary.units = len(self.units)
            summary.positions = self.position_count
            summary.vacancies = sum(
                1 for unit in self.units for pos in unit.positions for s in pos.slots
                if s.holder is None
            )  # fmt: skip
            summary.plans = add_demo_plans(self)
            summary.cases = add_demo_cases(self, summary.plans)
            summary.reviews = add_demo_reviews(self)
            summary.rotations = add_demo_rotations(self)
            summary.rotations += [r for r in [add_term_limit_breach(self)] if r]
            summary.directives = add_demo_directives(self, self.root.obj)
            summary.report_round = add_demo_report_round(self.root.obj)
        summary.seconds = time.perf_counter() - started
        return summary


def build_demo(*, seed: int = 1, people: int = 5000, province_code: str | None = None) -> Summary:
    """Create one demo province; raises DemoError with a Vietnamese message."""
    if people < 1:
        raise DemoError(_("Số cán bộ (--people) phải lớn hơn 0."))
    return Builder(seed=seed, people=people, province_code=province_code).run()
