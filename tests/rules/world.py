"""A small planning world that breaks no rule of the default set on AS_OF.

Plan 1 (province, term 2030–2035, approved 01/06/2025, reviewed 15/12/2025):

    person                          born        age*  holds (rank)        planned for
    1 Trần Văn An (M)               10/05/1980  45    20 Giám đốc Sở (70) 10, 11
    2 Lê Thị Bình (F)               15/03/1985  40    21 Phó GĐ Sở (60)   11
    3 Phạm Văn Cường (M)            01/07/1988  37    –                   13 (new, first time)
    4 Hoàng Văn Dũng (M)            02/02/1974  52    13 Phó CT UBND (80) 12
    5 Vũ Thị Em (F)                 20/08/1970  55    –                   11, removed 15/12/2025

    * on AS_OF. Women 1/4 = 25%, under 40: 1/4 = 25%, age brackets 37, 45, 52.
Person 5 would break several rules, but her entry is removed and no longer counts.
"""

import dataclasses
import datetime as dt

from canbo.rules.facts import (
    CheckContext,
    DisciplineFacts,
    EntryFacts,
    HeldPost,
    PersonFacts,
    PlanFacts,
    PositionFacts,
    RatingFacts,
    VoteFacts,
)

AS_OF = dt.date(2026, 3, 1)
CTX = CheckContext(as_of=AS_OF)
OLD = dt.date(2024, 1, 1)  # added before the last review: incumbents


def position(id, name, rank, *, level="province", management_level=2, seats=1, unit_id=1):
    return PositionFacts(
        id=id, unit_id=unit_id, name=name, title_code=f"T{id}", level=level, rank=rank,
        management_level=management_level, seats=seats,
    )  # fmt: skip


POSITIONS = (
    position(10, "Bí thư Tỉnh ủy", 100, management_level=1),
    position(11, "Phó Bí thư Tỉnh ủy", 92, management_level=1),
    position(12, "Chủ tịch UBND tỉnh", 90, management_level=1),
    position(13, "Phó Chủ tịch UBND tỉnh", 80, seats=2),
    position(14, "Phó Chủ tịch HĐND tỉnh", 80),
    position(20, "Giám đốc Sở Tài chính", 70, unit_id=2),
    position(21, "Phó Giám đốc Sở Nội vụ", 60, unit_id=3),
)


def post(position_id, rank, management_level=2):
    return HeldPost(position_id=position_id, level="province", rank=rank,
                    management_level=management_level)  # fmt: skip


PEOPLE = (
    PersonFacts(
        id=1, id_number="001080000001", full_name="Trần Văn An", sex="M",
        birth_date=dt.date(1980, 5, 10), is_minority=False, posts=(post(20, 70),),
        ratings=(RatingFacts(2024, "good"), RatingFacts(2025, "excellent")),
        latest_vote=VoteFacts(year=2025, low=10, base=100),
    ),
    PersonFacts(
        id=2, id_number="001185000002", full_name="Lê Thị Bình", sex="F",
        birth_date=dt.date(1985, 3, 15), is_minority=False, posts=(post(21, 60, 4),),
        # An expired reprimand is QĐ 377's third exception: it does not count.
        disciplines=(DisciplineFacts("reprimand", dt.date(2023, 5, 1), dt.date(2024, 5, 1)),),
        ratings=(RatingFacts(2025, "completed"),),
    ),
    PersonFacts(
        id=3, id_number="001088000003", full_name="Phạm Văn Cường", sex="M",
        birth_date=dt.date(1988, 7, 1), is_minority=False,
    ),
    PersonFacts(
        id=4, id_number="001074000004", full_name="Hoàng Văn Dũng", sex="M",
        birth_date=dt.date(1974, 2, 2), is_minority=False, posts=(post(13, 80),),
    ),
    PersonFacts(
        id=5, id_number="001170000005", full_name="Vũ Thị Em", sex="F",
        birth_date=dt.date(1970, 8, 20), is_minority=False,
        disciplines=(DisciplineFacts("warning", dt.date(2025, 11, 1)),),
        ratings=(RatingFacts(2025, "not_completed"),),
        latest_vote=VoteFacts(year=2025, low=80, base=100),
    ),
)  # fmt: skip


def entry(person_id, position_id, added_on=OLD, **extra):
    return EntryFacts(person_id=person_id, position_id=position_id, added_on=added_on, **extra)


PLAN = PlanFacts(
    id=1,
    unit_id=1,
    name="Ban Chấp hành Đảng bộ tỉnh 2030–2035",
    level="province",
    term_start=dt.date(2030, 10, 1),
    term_end=dt.date(2035, 9, 30),
    approved_on=dt.date(2025, 6, 1),
    last_reviewed_on=dt.date(2025, 12, 15),
    entries=(
        entry(1, 10),
        entry(1, 11),
        entry(2, 11),
        entry(3, 13, dt.date(2026, 1, 10), first_time=True),
        entry(4, 12),
        entry(5, 11, removed_on=dt.date(2025, 12, 15), removal_reason="Kỷ luật"),
    ),
)


def people(**changes):
    """PEOPLE with some replaced: people(p2=dict(sex="M"))."""
    out = []
    for p in PEOPLE:
        change = changes.get(f"p{p.id}")
        out.append(dataclasses.replace(p, **change) if change else p)
    return tuple(out)


def plan(*extra_entries, **changes):
    """PLAN with entries added (dated AS_OF unless given) and fields changed."""
    return dataclasses.replace(PLAN, entries=PLAN.entries + extra_entries, **changes)


def person(id, name, sex, born, **extra):
    return PersonFacts(
        id=id, id_number=f"0010{born.year % 100:02d}{id:06d}", full_name=name, sex=sex,
        birth_date=born, **extra,
    )  # fmt: skip


def summary(findings):
    """What decides a finding, without its message: rule, severity, reason, subject, figures."""
    return [
        (f.rule, f.severity, f.reason, f.plan_id, f.position_id, f.person_id, f.id_number,
         dict(f.figures))
        for f in findings
    ]  # fmt: skip
