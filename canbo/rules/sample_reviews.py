"""The sample's confidence-vote sessions and evaluation rounds (rules C1–C5, E1–E4).

Part of the admin's parameter sample (`rules.sample`): every parameter of the C and E
rules is read and every rule broken at least once, on 1 March 2026: a session without
its quorum and on another base (C1, C3), one closed with shares of 60% and 70% (C4, C5)
and a person newly appointed and one about to retire voted on (C2); a round with too many
excellent ratings (E2), a rating that contradicts its score (E1), two years not completed
(E3), two reprimands in one term (E4).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .facts import DisciplineFacts
from .facts_reviews import (
    EvaluationFacts,
    PostStart,
    ReviewFacts,
    ReviewPersonFacts,
    RoundFacts,
    ScoreFacts,
    SessionFacts,
    SubjectFacts,
    TallyFacts,
    TermFacts,
)


def _person(id, name, sex, born, **extra) -> ReviewPersonFacts:
    return ReviewPersonFacts(id=id, id_number=f"0010{born.year % 100:02d}{id:06d}",
                             full_name=name, sex=sex, birth_date=born, **extra)  # fmt: skip


PEOPLE = (
    _person(31, "Đỗ Văn Hải", "M", dt.date(1964, 11, 1)),  # retires 31/05/2026
    _person(32, "Ngô Thị Lan", "F", dt.date(1978, 4, 2),
            post_starts=(PostStart(dt.date(2025, 3, 1), "appointed"),)),
    _person(33, "Phan Văn Minh", "M", dt.date(1975, 1, 9)),
    _person(34, "Lý Thị Nga", "F", dt.date(1980, 7, 7)),
    _person(35, "Trịnh Văn Phúc", "M", dt.date(1979, 2, 2),
            evaluations=(EvaluationFacts(2025, "good", Decimal("95")),)),
    _person(36, "Mai Thị Quế", "F", dt.date(1983, 3, 3),
            evaluations=(EvaluationFacts(2024, "not_completed", Decimal("40")),
                         EvaluationFacts(2025, "not_completed", Decimal("85")))),
    _person(37, "Tạ Văn Sơn", "M", dt.date(1977, 5, 5),
            disciplines=(DisciplineFacts("reprimand", dt.date(2021, 6, 1)),
                         DisciplineFacts("reprimand", dt.date(2023, 6, 1)))),
)  # fmt: skip

SESSIONS = (
    SessionFacts(id=1, unit_id=1, name="Ban Chấp hành Đảng bộ tỉnh (mẫu)", year=2025,
                 held_on=dt.date(2025, 12, 15), summoned=30, present=18, base_rule="present",
                 subjects=(SubjectFacts(31), SubjectFacts(32))),
    SessionFacts(id=2, unit_id=1, name="Hội đồng nhân dân tỉnh (mẫu)", year=2025,
                 held_on=dt.date(2025, 12, 20), summoned=100, present=100,
                 closed_on=dt.date(2025, 12, 22),
                 subjects=(SubjectFacts(33, tally=TallyFacts(10, 20, 70)),
                           SubjectFacts(34, tally=TallyFacts(20, 20, 60)),
                           SubjectFacts(31, excluded=True, exclusion_reason="retirement"))),
)  # fmt: skip

ROUNDS = (
    RoundFacts(id=1, unit_id=1, name="Sở Nội vụ (mẫu)", year=2025, held_on=dt.date(2026, 1, 10),
               scores=(ScoreFacts(35, Decimal("95"), "excellent"),
                       ScoreFacts(36, Decimal("85"), "not_completed", other_ground="discipline"),
                       ScoreFacts(37, Decimal("92"), "excellent"),
                       ScoreFacts(33, Decimal("75"), "good"))),
)  # fmt: skip

TERMS = (TermFacts("2020–2025", dt.date(2020, 10, 1), dt.date(2025, 9, 30)),)

FACTS = ReviewFacts.of(SESSIONS, ROUNDS, PEOPLE, TERMS)
