"""Career logic shared by the province generator (builder.py) and the national one (national.py).

Both generators draw from a `random.Random`, but with different primitives:
the province builder with the standard methods (randint, choice, randrange,
choices), the national one with arithmetic on `random()` alone, several times
cheaper two million times over. The sequence of draws is part of what a seed
means (tests pin the data of fixed seeds), so every function here takes the
generator `rng` and a `Draws`, the primitives to draw with: `EXACT` for the
province builder, `FAST` for the national one. Given the same primitives, a
function makes the same draws in the same order as the code it replaces.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.people.choices import (
    AssignmentHow,
    Degree,
    DisciplineForm,
    EvaluationRating,
    PoliticalTheory,
    StateManagement,
    TrainingKind,
)

from . import catalog

REFERENCE_DATE = dt.date(2026, 1, 1)
LAST_START = dt.date(2025, 12, 15)  # latest start of a current post
VOTE_YEAR = 2023  # mid-term confidence votes of the 2020–2025 / 2021–2026 terms
VOTE_DAY = dt.date(2023, 11, 15)

D, PT, SM = Degree, PoliticalTheory, StateManagement

HISTORY_HOW = (
    (AssignmentHow.APPOINTED, 60),
    (AssignmentHow.TRANSFERRED, 22),
    (AssignmentHow.ROTATED, 12),
    (AssignmentHow.SECONDED, 6),
)
ELECTED_TITLES = ("Chủ tịch", "Phó Chủ tịch", "Bí thư", "Phó Bí thư", "Chủ nhiệm")
RATINGS = (
    (EvaluationRating.EXCELLENT, 14),
    (EvaluationRating.GOOD, 76),
    (EvaluationRating.COMPLETED, 9),
    (EvaluationRating.NOT_COMPLETED, 1),
)
WEAK_RATINGS = (
    (EvaluationRating.GOOD, 40),
    (EvaluationRating.COMPLETED, 48),
    (EvaluationRating.NOT_COMPLETED, 12),
)
GOOD_OR_BETTER = (EvaluationRating.EXCELLENT, EvaluationRating.GOOD)
SCORE_RANGES = {
    EvaluationRating.EXCELLENT: (90, 100),
    EvaluationRating.GOOD: (70, 90),
    EvaluationRating.COMPLETED: (50, 70),
    EvaluationRating.NOT_COMPLETED: (30, 50),
}
STATE_MANAGEMENT = {
    SM.OFFICER: ("Bồi dưỡng kiến thức quản lý nhà nước chương trình chuyên viên", "", 60),
    SM.PRINCIPAL: (
        "Bồi dưỡng kiến thức quản lý nhà nước chương trình chuyên viên chính",
        "Học viện Hành chính Quốc gia",
        90,
    ),
    SM.SENIOR: (
        "Bồi dưỡng kiến thức quản lý nhà nước chương trình chuyên viên cao cấp",
        "Học viện Hành chính Quốc gia",
        120,
    ),
}
NATIONAL_ACADEMY = "Học viện Chính trị quốc gia Hồ Chí Minh"


# --- dates --------------------------------------------------------------------


def add_years(day: dt.date, years: int) -> dt.date:
    year = day.year + years
    return dt.date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def fit_dates(start: dt.date, days: int, low: dt.date) -> tuple[dt.date, dt.date]:
    """Start no earlier than `low` if possible, and end before the reference date."""
    latest = LAST_START - dt.timedelta(days=days + 30)
    start = min(max(start, min(low, latest)), latest)
    return start, start + dt.timedelta(days=days)


# --- the two sets of draw primitives --------------------------------------------


def rand_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def weighted(rng: random.Random, items):
    values = [v for v, _w in items]
    weights = [w for _v, w in items]
    return rng.choices(values, weights=weights, k=1)[0]


def fast_randint(rng: random.Random, low: int, high: int) -> int:
    """A whole number from low to high, from one random()."""
    return low + int(rng.random() * (high - low + 1))


def fast_randrange(rng: random.Random, n: int) -> int:
    """A whole number below n, from one random()."""
    return int(rng.random() * n)


def fast_choice(rng: random.Random, seq):
    """An item of seq, from one random()."""
    return seq[int(rng.random() * len(seq))]


def fast_rand_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=int(rng.random() * ((end - start).days + 1)))


class Table:
    """Values with weights, drawn with one random number and a bisection."""

    __slots__ = ("values", "cum", "total")

    def __init__(self, items):
        items = tuple(items)
        self.values = tuple(v for v, _w in items)
        cum, total = [], 0.0
        for _v, w in items:
            total += w
            cum.append(total)
        self.cum = cum
        self.total = total

    def pick(self, rng: random.Random):
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.total)]


_TABLES: dict[tuple, Table] = {}


def table(items) -> Table:
    """The Table of `items`, built once."""
    found = _TABLES.get(items)
    if found is None:
        found = _TABLES[items] = Table(items)
    return found


def fast_weighted(rng: random.Random, items):
    return table(items).pick(rng)


@dataclass(frozen=True)
class Draws:
    randint: Callable[[random.Random, int, int], int]
    randrange: Callable[[random.Random, int], int]
    choice: Callable[[random.Random, Sequence], Any]
    date: Callable[[random.Random, dt.date, dt.date], dt.date]
    weighted: Callable[[random.Random, Any], Any]


EXACT = Draws(random.Random.randint, random.Random.randrange, random.Random.choice, rand_date,
              weighted)  # fmt: skip
FAST = Draws(fast_randint, fast_randrange, fast_choice, fast_rand_date, fast_weighted)


# --- names of posts -------------------------------------------------------------------


def title_name(title: catalog.TitleSpec, is_city: bool, word: str) -> str:
    """The title as written for a unit ("Bí thư Thành ủy", "Chủ tịch UBND phường").

    `is_city`: the province is a city; `word`: the word of the unit's place ("xã", "phường").
    """
    name = title.name
    if is_city and title.level == UnitLevel.PROVINCE:
        name = name.replace("Tỉnh ủy", "Thành ủy").replace(" tỉnh", " thành phố")
    if title.level == UnitLevel.COMMUNE and word != "xã" and name.endswith(" xã"):
        name = name[: -len("xã")] + word
    return name


def current_votes(title: catalog.TitleSpec, level: str, place) -> tuple[tuple[str, int, int], ...]:
    """Bodies voting on a current post: (name, lowest base, highest base)."""
    votes = []
    commune = level == UnitLevel.COMMUNE
    if title.code in catalog.PARTY_VOTED:
        base = (15, 25) if commune else (45, 60)
        votes.append((f"Hội nghị Ban Chấp hành Đảng bộ {place.full}", *base))
    if title.code in catalog.COUNCIL_VOTED:
        base = (20, 30) if commune else (50, 90)
        votes.append((f"Kỳ họp Hội đồng nhân dân {place.full}", *base))
    return tuple(votes)


def regional_academy(code: str) -> str:
    """The regional political academy of a province, by the digits of its code."""
    number = int("".join(ch for ch in code if ch.isdigit()) or 0)
    if number in (82, 86, 91, 92, 96):
        return "Học viện Chính trị khu vực IV"
    if number >= 70:
        return "Học viện Chính trị khu vực II"
    if number >= 44:
        return "Học viện Chính trị khu vực III"
    return "Học viện Chính trị khu vực I"


# --- work history ---------------------------------------------------------------


def current_start(rng: random.Random, draws: Draws, title, level: str) -> tuple[dt.date, str]:
    """When and how the holder of a current post took it."""
    code = title.code
    rand = draws.date
    if level == UnitLevel.COMMUNE:
        start = (
            catalog.COMMUNES_FROM
            if rng.random() < 0.8
            else rand(rng, dt.date(2025, 7, 2), LAST_START)
        )
        if title.rank < 30:
            moved = start == catalog.COMMUNES_FROM
            how = AssignmentHow.TRANSFERRED if moved else AssignmentHow.RECRUITED
        elif code in ("X-BT", "X-PBT", "X-CNUBKT", "X-CVP"):
            how = AssignmentHow.APPOINTED
        elif code.startswith(("X-HDND", "X-UBND-CT", "X-UBND-PCT")):
            how = AssignmentHow.ELECTED
        else:
            how = AssignmentHow.APPOINTED
        return start, how
    if code in ("TU-BT", "TU-PBT"):
        return rand(rng, dt.date(2025, 10, 10), dt.date(2025, 10, 20)), AssignmentHow.ELECTED
    if code.startswith(("HDND-T", "UBND-T-CT", "UBND-T-PCT")):
        if rng.random() < 0.5:
            return dt.date(2025, 7, 1), AssignmentHow.ELECTED
        return rand(rng, dt.date(2021, 6, 25), dt.date(2024, 12, 31)), AssignmentHow.ELECTED
    if code in ("TU-CNUBKT", "TU-PCNUBKT"):
        return rand(rng, dt.date(2020, 10, 1), dt.date(2025, 10, 20)), AssignmentHow.ELECTED
    if title.rank >= 55:
        return rand(rng, dt.date(2019, 1, 1), LAST_START), AssignmentHow.APPOINTED
    if title.rank >= 30:
        return rand(rng, dt.date(2016, 1, 1), LAST_START), AssignmentHow.APPOINTED
    how = AssignmentHow.RECRUITED if rng.random() < 0.6 else AssignmentHow.TRANSFERRED
    return rand(rng, dt.date(2008, 1, 1), LAST_START), how


def not_before_career(rng, draws: Draws, start: dt.date, career_start: dt.date, title) -> dt.date:
    """Nobody starts a post before their working life began."""
    earliest = career_start + dt.timedelta(days=365 if title.rank >= 30 else 0)
    if start < earliest:
        return draws.date(rng, min(earliest, LAST_START), LAST_START)
    return start


def decision_number(rng: random.Random, draws: Draws, how: str, unit) -> str:
    """The number of the decision (or resolution) that gave a post in `unit`."""
    number = draws.randint(rng, 12, 4800)
    if unit.level == UnitLevel.CENTRAL:
        if unit.template.kind == UnitKind.PARTY_AGENCY:
            return f"{number}-QĐNS/TW"
        return f"{number}/QĐ-TTg" if how == AssignmentHow.APPOINTED else f"{number}/QĐ-BNV"
    if unit.level == UnitLevel.COMMUNE:
        if how == AssignmentHow.ELECTED:
            return f"{number}/NQ-HĐND"
        return f"{number}-QĐ/TU" if unit.template.key == "DU" else f"{number}/QĐ-UBND"
    if unit.template.kind in (UnitKind.PARTY_COMMITTEE, UnitKind.PARTY_AGENCY):
        return f"{number}-QĐ/TU"
    if how == AssignmentHow.ELECTED:
        return f"{number}/NQ-HĐND"
    return f"{number}/QĐ-UBND"


def history_how(rng: random.Random, draws: Draws, title_name: str, *, first: bool,
                ways=HISTORY_HOW) -> str:  # fmt: skip
    """How an earlier post was taken; `ways`: the weighted ways other than election."""
    if title_name.startswith(ELECTED_TITLES) and rng.random() < 0.85:
        return AssignmentHow.ELECTED
    if first:
        return AssignmentHow.RECRUITED
    return draws.weighted(rng, ways)


def history_lengths(rng: random.Random, gap: int, count: int, minimum: int) -> list[int]:
    """`count` lengths in days, each at least `minimum`, adding up to `gap`."""
    weights = [rng.random() + 0.3 for _ in range(count)]
    free = gap - minimum * count
    lengths = [minimum + int(free * w / sum(weights)) for w in weights]
    lengths[-1] = gap - sum(lengths[:-1])
    return lengths


# --- the person -------------------------------------------------------------------


def cap_degree(degree: int, age: int) -> int:
    if degree >= D.MASTER and age < 28:
        degree = D.BACHELOR
    if degree == D.DOCTOR and age < 36:
        degree = D.MASTER
    return degree


def cap_theory(theory: int, age: int, is_member: bool) -> int:
    theory = min(theory, PT.ELEMENTARY if age < 30 else (PT.INTERMEDIATE if age < 35 else 9))
    if not is_member:
        theory = min(theory, PT.ELEMENTARY)
    return theory


def cap_management(management: int, age: int) -> int:
    return min(management, SM.OFFICER if age < 32 else (SM.PRINCIPAL if age < 40 else 9))


def career_dates(rng: random.Random, draws: Draws, birth: dt.date, is_member: bool):
    """(start of working life, date joining the Party, date becoming a full member)."""
    career_start = min(
        add_years(birth, draws.randint(rng, 22, 25)) + dt.timedelta(days=draws.randrange(rng, 200)),
        LAST_START - dt.timedelta(days=60),
    )
    career_start = max(career_start, dt.date(1985, 7, 1))
    joined = official = None
    if is_member:
        joined = add_years(birth, draws.randint(rng, 20, 32)) + dt.timedelta(
            days=draws.randrange(rng, 365)
        )
        joined = max(joined, add_years(birth, 18))
        if joined >= REFERENCE_DATE:
            joined = REFERENCE_DATE - dt.timedelta(days=draws.randint(rng, 30, 300))
        official = add_years(joined, 1)
        if official >= REFERENCE_DATE:
            official = None
    return career_start, joined, official


def minority_share(region: catalog.RegionProfile, is_difficult: bool, profile_name: str) -> float:
    share = region.minority_share * (1.4 if is_difficult else 1.0)
    if profile_name == "prov_top":
        share *= 0.6
    return min(0.95, share)


# --- sections -----------------------------------------------------------------------


def first_evaluation_year(rng: random.Random, draws: Draws, career_start: dt.date) -> int:
    return max(REFERENCE_DATE.year - draws.randint(rng, 3, 5), career_start.year)


def score_cents(rng: random.Random, draws: Draws, rating: str, year: int) -> int | None:
    """The score out of 100, in hundredths; scores exist from 2025 on (QĐ 366-QĐ/TW 2025)."""
    if year < 2025:
        return None
    low, high = SCORE_RANGES[rating]
    return draws.randint(rng, low * 100, high * 100 - 1)


def disciplined_rating(rng: random.Random) -> str:
    """A cadre disciplined in a year is rated no higher than "completed"."""
    return EvaluationRating.NOT_COMPLETED if rng.random() < 0.3 else EvaluationRating.COMPLETED


def vote_present(rng: random.Random, draws: Draws, base: int) -> int:
    return base - draws.randint(rng, 0, max(1, base // 10))


def vote_tally(rng: random.Random, draws: Draws, base: int, present: int, bad: bool):
    """(high, normal, low) confidence of a vote; a bad vote has a majority of low."""
    if bad:
        low = base // 2 + 1 + draws.randint(rng, 0, max(0, (present - base // 2 - 1) // 3))
        low = min(low, present)
        high = draws.randint(rng, 0, (present - low) // 3)
        return high, present - low - high, low
    high = min(present, round(present * rng.uniform(0.55, 0.95)))
    low = min(present - high, round(present * rng.uniform(0.0, 0.08)))
    invalid = draws.randint(rng, 0, 1) if present - high - low > 0 else 0
    return high, present - high - low - invalid, low


def reward(rng: random.Random, draws: Draws, year: int, form: str, authority: str,
           suffix: str) -> tuple[int, str, str, str]:  # fmt: skip
    """(year, form, authority, decision number) of a reward."""
    number = draws.randint(rng, 10, 3500)
    separator = "-" if suffix.startswith("QĐ/") else "/"
    return year, form, authority, f"{number}{separator}{suffix}"


def career_rewards(rng: random.Random, draws: Draws, profile_name: str, career_start: dt.date,
                   joined: dt.date | None, local: tuple[str, str, str],
                   party_authority: str) -> list[tuple]:  # fmt: skip
    """Rewards of a career, not those of excellent years: (year, form, authority, number).

    `local`: (form, authority, suffix) of a certificate of merit of the province (or body);
    `party_authority`: who awards the 30-year Party badge.
    """
    rewards = []
    first = max(career_start.year + 3, 2012)
    if first <= 2025 and rng.random() < 0.22:
        form, authority, suffix = local
        rewards.append(reward(rng, draws, draws.randint(rng, first, 2025), form, authority, suffix))
    if profile_name in ("prov_top", "prov_lead") and rng.random() < 0.25:
        year = draws.randint(rng, max(career_start.year + 10, 2015), 2025)
        rewards.append(reward(rng, draws, year, "Bằng khen của Thủ tướng Chính phủ",
                              "Thủ tướng Chính phủ", "QĐ-TTg"))  # fmt: skip
    if profile_name == "prov_top" and rng.random() < 0.15:
        year = draws.randint(rng, max(career_start.year + 20, 2018), 2025)
        rewards.append(reward(rng, draws, year, "Huân chương Lao động hạng Ba", "Chủ tịch nước",
                              "QĐ-CTN"))  # fmt: skip
    if joined is not None and joined.year + 30 <= 2025:
        rewards.append(reward(rng, draws, joined.year + 30, "Huy hiệu 30 năm tuổi Đảng",
                              party_authority, "QĐ/TU"))  # fmt: skip
    return rewards


def excellence_rewards(rng: random.Random, draws: Draws, ratings: Iterable[tuple[int, str]],
                       authority: str) -> list[tuple]:  # fmt: skip
    """Half the excellent years bring an emulation title: (year, form, authority, number)."""
    return [
        reward(rng, draws, year, "Chiến sĩ thi đua cơ sở", authority, "QĐ-UBND")
        for year, rating in ratings
        if rating == EvaluationRating.EXCELLENT and rng.random() < 0.5
    ]


def removal(rng: random.Random, draws: Draws, post_end: dt.date, title_name: str,
            unit_name: str) -> tuple[dt.date, str, str]:  # fmt: skip
    """(effective date, decision number, reason) of a removal from the post ending on post_end."""
    effective = post_end + dt.timedelta(days=1)
    number = f"{draws.randint(rng, 10, 3500)}/QĐ-UBND"
    reason = (
        f"Cách chức {title_name} {unit_name}: "
        + draws.choice(rng, catalog.DISCIPLINE_REASONS).lower()
    )
    return effective, number, reason


def minor_discipline(rng: random.Random, draws: Draws, career_start: dt.date, unit,
                     upper: tuple[str, str]) -> tuple[str, dt.date, str, str, str]:  # fmt: skip
    """(form, effective date, authority, number, reason) of a reprimand or a warning.

    Commune cadres since the 2025 communes are disciplined by the commune's
    inspection committee; others by `upper` (authority, decision suffix).
    """
    form = DisciplineForm.REPRIMAND if rng.random() < 0.65 else DisciplineForm.WARNING
    low = max(dt.date(2021, 1, 1), career_start + dt.timedelta(days=365))
    effective = draws.date(rng, min(low, dt.date(2025, 11, 30)), dt.date(2025, 11, 30))
    if unit.level == UnitLevel.COMMUNE and effective >= catalog.COMMUNES_FROM:
        authority = f"Ủy ban Kiểm tra Đảng ủy {unit.place.full}"
        number = f"{draws.randint(rng, 1, 120)}-QĐ/UBKTĐU"
    else:
        authority, suffix = upper
        number = f"{draws.randint(rng, 10, 900)}-{suffix}"
    return form, effective, authority, number, draws.choice(rng, catalog.DISCIPLINE_REASONS)


def trainings(rng: random.Random, draws: Draws, *, birth: dt.date, low: dt.date,
              profile_name: str, theory: int, management: int, degree: int, major: str,
              school: str, academy: str, military_school: str,
              center: Callable[[], str]) -> list[tuple]:  # fmt: skip
    """Trainings of a career: (kind, program, institution, start, end, qualification).

    `school`: the province's political school; `academy`: its regional academy;
    `military_school`: where defence courses other than group 2 are taught;
    `center()`: draws the district political centre of an elementary course.
    """
    rows = []
    add = rows.append
    if theory == PT.ELEMENTARY:
        start, end = fit_dates(add_years(birth, draws.randint(rng, 24, 30)), 90, low)
        add((TrainingKind.POLITICAL_THEORY, "Sơ cấp lý luận chính trị",
             f"Trung tâm Chính trị {center()}", start, end, "Giấy chứng nhận"))  # fmt: skip
    if theory and theory >= PT.INTERMEDIATE:
        start, end = fit_dates(add_years(birth, draws.randint(rng, 27, 35)), 240, low)
        add((TrainingKind.POLITICAL_THEORY, "Trung cấp lý luận chính trị – hành chính", school,
             start, end, "Bằng tốt nghiệp"))  # fmt: skip
    if theory and theory >= PT.ADVANCED:
        start, end = fit_dates(add_years(birth, draws.randint(rng, 36, 45)), 540, low)
        program = "Cử nhân chính trị" if theory == PT.BACHELOR else "Cao cấp lý luận chính trị"
        add((TrainingKind.POLITICAL_THEORY, program,
             draws.choice(rng, (academy, NATIONAL_ACADEMY)), start, end,
             "Bằng tốt nghiệp"))  # fmt: skip
    if management:
        program, institution, days = STATE_MANAGEMENT[management]
        start, end = fit_dates(
            add_years(birth, 26 + 6 * management + draws.randint(rng, 0, 5)), days, low
        )
        add((TrainingKind.STATE_MANAGEMENT, program, institution or school, start, end,
             "Chứng chỉ"))  # fmt: skip
    if degree and degree >= D.MASTER:
        start, end = fit_dates(add_years(low, draws.randint(rng, 2, 8)), 730, low)
        add((TrainingKind.PROFESSIONAL, f"Thạc sĩ {major}",
             draws.choice(rng, catalog.UNIVERSITIES), start, end, "Bằng thạc sĩ"))  # fmt: skip
        if degree == D.DOCTOR:
            after = end + dt.timedelta(days=draws.randint(rng, 200, 1500))
            start, end = fit_dates(after, 1460, low)
            add((TrainingKind.PROFESSIONAL, f"Tiến sĩ {major}",
                 draws.choice(rng, catalog.UNIVERSITIES), start, end,
                 "Bằng tiến sĩ"))  # fmt: skip
    group = {"prov_top": 2, "prov_lead": 3, "com_key": 4}.get(profile_name)
    if group:
        start, end = fit_dates(draws.date(rng, dt.date(2020, 1, 1), dt.date(2025, 6, 30)), 30, low)
        institution = "Học viện Quốc phòng" if group == 2 else military_school
        add((TrainingKind.DEFENCE, f"Bồi dưỡng kiến thức quốc phòng và an ninh đối tượng {group}",
             institution, start, end, "Giấy chứng nhận"))  # fmt: skip
    return rows
