"""Appointment checks A1–A10 over a designed set of cases (pure facts).

On AS_OF (01/03/2026), positions (rank): 20 Giám đốc Sở (70, the post filled), 21 Phó
Giám đốc Sở (60, held by the candidates), 22 Trưởng phòng (40), 23 Ủy viên Ban Thường vụ
Tỉnh ủy (75, a party committee post), 24 Ủy viên Ban Chấp hành Hội (50). Decided internal
cases went through the five steps (A6).

    case person             kind       what it breaks
    1    Hòa  (1980)        appoint    nothing: planned, dossier complete 25/02/2026
    2    Bình (1980)        appoint    A1: planned only for a lower post
    3    Cường (01/1968)    appoint    A3: 47 months left when the dossier came (10/02/2026)
    4    Dung (1981)        appoint    A4: warning of 01/06/2025, 36 months to wait
    5    Em   (1982)        appoint    A5: decided 20/02/2026, dossier complete 25/02/2026
    6    Giang (1983)       appoint    A7: dossier complete 05/01/2026, still no decision
    7    Hải  (1975)        appoint    A8: decided 2021, term ends 31/03/2026, no new case
    8    Khánh (1976)       appoint    nothing: like 7, and a reappointment case is open (9)
    9    Khánh              reappoint  nothing
    10   Lâm  (1960)        appoint    nothing: stopped (it would break A1, A3)
    11   Minh (1980)        appoint    nothing: an external candidate (A1 is for internal ones)
    12   Nam  (1980)        appoint    A2: 14 + 6 months as a deputy (not continuous), 24 needed
    13   Oanh (1981)        appoint    A6: step 1 held with 9 of 15 summoned present
    14   Phúc (03/1969)     nominate   A9: first time, 59 months left at the congress 01/04/2026
    15–18 Quân … Tâm        nominate   A10: 4 candidates for 2 seats, at most 3
"""

import dataclasses
import datetime as dt

from canbo.rules.engine import run_case_checks
from canbo.rules.facts import (
    CaseFacts,
    CheckContext,
    DisciplineFacts,
    HeldPost,
    PostSpan,
    StepFacts,
)
from tests.rules.world import entry, person, position

AS_OF = dt.date(2026, 3, 1)
PLANNED = dt.date(2024, 1, 1)
POSITIONS = (
    position(20, "Giám đốc Sở Tài chính", 70, unit_id=2),
    position(21, "Phó Giám đốc Sở Tài chính", 60, unit_id=2),
    position(22, "Trưởng phòng Ngân sách", 40, unit_id=2),
    position(23, "Ủy viên Ban Thường vụ Tỉnh ủy", 75, unit_id=1),
    position(24, "Ủy viên Ban Chấp hành Hội Nông dân tỉnh", 50, unit_id=4),
)
DEPUTY = (HeldPost(position_id=21, level="province", rank=60, management_level=3),)


def cadre(id, name, born, sex="M", **extra):
    return person(id, name, sex, born, **{"posts": DEPUTY, **extra})


PEOPLE = (
    cadre(1, "Trần Văn Hòa", dt.date(1980, 5, 1)),
    cadre(2, "Lê Văn Bình", dt.date(1980, 6, 1)),
    cadre(3, "Phạm Văn Cường", dt.date(1968, 1, 10)),
    cadre(4, "Ngô Văn Dung", dt.date(1981, 2, 1), disciplines=(
        DisciplineFacts("warning", dt.date(2025, 6, 1)),
        DisciplineFacts("reprimand", dt.date(2019, 1, 1)),  # waited out long ago
    )),  # fmt: skip
    cadre(5, "Đỗ Văn Em", dt.date(1982, 3, 1)),
    cadre(6, "Vũ Văn Giang", dt.date(1983, 4, 1)),
    person(7, "Hoàng Văn Hải", "M", dt.date(1975, 1, 1)),
    person(8, "Đinh Văn Khánh", "M", dt.date(1976, 1, 1)),
    cadre(10, "Lý Văn Lâm", dt.date(1960, 1, 1)),
    cadre(11, "Mai Văn Minh", dt.date(1980, 7, 1)),
    cadre(12, "Phan Văn Nam", dt.date(1980, 8, 1)),
    cadre(13, "Lưu Thị Oanh", dt.date(1981, 9, 1), sex="F"),
    cadre(14, "Tạ Văn Phúc", dt.date(1969, 3, 15)),
    *(cadre(i, f"Ứng viên {name}", dt.date(1985, 1, i)) for i, name in
      ((15, "Quân"), (16, "Sơn"), (17, "Tài"), (18, "Tâm"))),
)


def case(id, person_id, *, planned=20, kind="appoint", opened=dt.date(2026, 2, 1),
         planned_on=PLANNED, position_id=20, **extra):  # fmt: skip
    values = {"dossier_received_on": dt.date(2026, 2, 10), "dossier_complete_on": dt.date(2026, 2, 25),
              **extra}  # fmt: skip
    entries = () if planned is None else (entry(person_id, planned, planned_on),)
    return CaseFacts(id=id, person_id=person_id, kind=kind, position_id=position_id,
                     opened_on=opened, plan_entries=entries, **values)  # fmt: skip


def five_steps(first: dt.date, summoned=15, present=12, result="passed"):
    """Five steps held a week apart from `first`, each closed the day it was held."""
    days = [first + dt.timedelta(days=7 * i) for i in range(5)]
    return tuple(StepFacts(n, day, summoned, present, closed_on=day, result=result if n > 1 else "")
                 for n, day in enumerate(days, start=1))  # fmt: skip


def nomination(id, person_id, position_id, **extra):
    return case(id, person_id, kind="nominate", planned=position_id, position_id=position_id,
                **extra)  # fmt: skip


DECIDED_2021 = {
    "opened": dt.date(2021, 3, 1), "dossier_received_on": dt.date(2021, 3, 5),
    "dossier_complete_on": dt.date(2021, 3, 10), "decision_date": dt.date(2021, 3, 20),
    "closed_on": dt.date(2021, 3, 25), "outcome": "decided", "term_start": dt.date(2021, 4, 1),
    "term_end": dt.date(2026, 3, 31), "planned_on": dt.date(2020, 1, 1),
    "steps": five_steps(dt.date(2021, 2, 1)),
}  # fmt: skip
CASES = (
    case(1, 1),
    case(2, 2, planned=22),
    case(3, 3),
    case(4, 4),
    case(5, 5, decision_date=dt.date(2026, 2, 20), closed_on=dt.date(2026, 2, 20),
         outcome="decided", term_start=dt.date(2026, 3, 1), term_end=dt.date(2031, 2, 28),
         steps=five_steps(dt.date(2026, 1, 2))),  # fmt: skip
    case(6, 6, dossier_complete_on=dt.date(2026, 1, 5), opened=dt.date(2025, 12, 1),
         dossier_received_on=dt.date(2025, 12, 20)),  # fmt: skip
    case(7, 7, planned=20, **DECIDED_2021),
    case(8, 8, planned=20, **DECIDED_2021),
    case(9, 8, kind="reappoint", planned=None, opened=dt.date(2026, 2, 2)),
    case(10, 10, planned=None, closed_on=dt.date(2026, 2, 15), outcome="stopped"),
    case(11, 11, planned=None, internal=False),
    case(12, 12, post_history=(
        PostSpan(21, 2, 60, dt.date(2020, 1, 1), dt.date(2020, 6, 30)),
        PostSpan(22, 2, 40, dt.date(2020, 7, 1), dt.date(2024, 12, 31)),
        PostSpan(21, 2, 60, dt.date(2025, 1, 1)),
    )),
    case(13, 13, steps=(StepFacts(1, dt.date(2026, 2, 3), 15, 9, closed_on=dt.date(2026, 2, 3)),)),
    nomination(14, 14, 23, unit_kind="party_committee", election_on=dt.date(2026, 4, 1)),
    *(nomination(i, i, 24, seats=2, election_on=dt.date(2026, 3, 20), competent_unit_id=4)
      for i in (15, 16, 17, 18)),
)


def run(rules, cases=CASES, people=PEOPLE, on=AS_OF, **kw):
    return run_case_checks(cases, people, POSITIONS, rules, CheckContext(on), **kw)


def summary(findings):
    return [(f.rule, f.severity, f.reason, f.case_id, f.position_id, f.person_id, dict(f.figures))
            for f in findings]  # fmt: skip


def test_each_rule_is_broken_exactly_once(rules):
    assert summary(run(rules)) == [
        ("A1", "error", "", 2, 20, 2,
         {"judged_on": "2026-03-01", "target_rank": 70, "planned_ranks": [40]}),
        ("A2", "error", "", 12, 20, 12,
         {"months_in_rank": 20, "required": 24, "rank": 60, "judged_on": "2026-03-01"}),
        ("A3", "error", "", 3, 20, 3,
         {"months_left": 47, "required": 60, "dossier_received_on": "2026-02-10"}),
        ("A4", "error", "", 4, 20, 4,
         {"form": "warning", "effective_on": "2025-06-01", "waiting_months": 36,
          "until": "2028-06-01"}),
        ("A5", "error", "", 5, 20, 5,
         {"decision_date": "2026-02-20", "dossier_complete_on": "2026-02-25"}),
        ("A6", "error", "quorum", 13, 20, 13, {"step": 1, "present": 9, "summoned": 15}),
        ("A7", "warning", "waiting", 6, 20, 6,
         {"dossier_complete_on": "2026-01-05", "working_days": 39, "max_working_days": 15}),
        ("A8", "warning", "due", 7, 20, 7,
         {"term_end": "2026-03-31", "notice_by": "2025-11-24", "notice_working_days": 90}),
        ("A9", "error", "first_time", 14, 23, 14,
         {"months_left": 59, "required": 60, "election_on": "2026-04-01"}),
        ("A10", "error", "surplus", 15, 24, None,
         {"candidates": 4, "seats": 2, "most": 3, "election_on": "2026-03-20"}),
    ]  # fmt: skip


def test_messages_are_vietnamese_with_dates_as_users_write_them(rules):
    messages = {f.rule: f.message for f in run(rules)}
    assert messages["A1"] == (
        "Lê Văn Bình chưa có trong quy hoạch chức danh Giám đốc Sở Tài chính hoặc chức danh "
        "tương đương, cao hơn (ngày 01/03/2026)."
    )
    assert messages["A3"] == (
        "Phạm Văn Cường được đề nghị bổ nhiệm lần đầu vào chức vụ cao hơn nhưng tại ngày nhận "
        "hồ sơ 10/02/2026 chỉ còn 3 năm 11 tháng công tác, cần ít nhất 5 năm."
    )
    assert messages["A4"] == (
        "Ngô Văn Dung bị kỷ luật (Cảnh cáo) từ 01/06/2025: chưa hết 3 năm chờ đến 01/06/2028, "
        "chưa được bổ nhiệm, giới thiệu ứng cử (ngày 01/03/2026)."
    )
    assert messages["A8"] == (
        "Thời hạn giữ chức vụ Giám đốc Sở Tài chính của Hoàng Văn Hải hết ngày 31/03/2026: "
        "phải xem xét bổ nhiệm lại từ 24/11/2025 (90 ngày làm việc trước), chưa có hồ sơ."
    )
    citations = {f.rule: f.citation for f in run(rules)}
    assert citations["A7"] == "Nghị định 170/2025/NĐ-CP"


def test_guards_at_the_edges(rules):
    # A1: planned for an equivalent post (same rank) passes; planning removed before the
    # day judged does not count; a decided case is judged on its decision's day.
    equal = dataclasses.replace(POSITIONS[2], rank=70)
    assert not [f for f in run_case_checks(CASES, PEOPLE, (*POSITIONS[:2], equal, *POSITIONS[3:]), rules,
                                           CheckContext(AS_OF)) if f.rule == "A1"]  # fmt: skip
    removed = dataclasses.replace(
        CASES[0], plan_entries=(entry(1, 20, PLANNED, removed_on=dt.date(2026, 3, 1)),)
    )
    assert [f.case_id for f in run(rules, (removed,)) if f.rule == "A1"] == [1]
    assert [f.case_id for f in run(rules, (removed,), on=dt.date(2026, 2, 28))] == []
    # A3: exactly 60 months left passes (retiring 28/02/2031), 59 does not (31/01/2031).
    for born, found in ((dt.date(1969, 2, 1), []), (dt.date(1969, 1, 31), [3])):
        people = (cadre(3, "Phạm Văn Cường", born),)
        got = [f.case_id for f in run(rules, (CASES[2],), people, codes={"A3"})]
        assert got == found, born
    # A3 does not apply to someone who already holds a post as high.
    peer = (cadre(3, "Phạm Văn Cường", dt.date(1968, 1, 10),
                  posts=(HeldPost(position_id=23, level="province", rank=70, management_level=3),)),)  # fmt: skip
    assert run(rules, (CASES[2],), peer, codes={"A3"}) == []
    # A4: the waiting time ends on its day; an exception (self-criticism only) never counts.
    until = (CASES[3],)
    assert [f.rule for f in run(rules, until, on=dt.date(2028, 5, 31), codes={"A4"})] == ["A4"]
    assert run(rules, until, on=dt.date(2028, 6, 1), codes={"A4"}) == []
    excused = (cadre(4, "Ngô Văn Dung", dt.date(1981, 2, 1), disciplines=(
        DisciplineFacts("warning", dt.date(2025, 6, 1), exception="self_criticism"),)),)  # fmt: skip
    assert run(rules, until, excused, codes={"A4"}) == []
    # A5: complete on the decision's day passes.
    same_day = dataclasses.replace(CASES[4], dossier_complete_on=dt.date(2026, 2, 20))
    assert run(rules, (same_day,), codes={"A5"}) == []
    # A7: 15 working days pass, 16 do not (a decision counts to its day).
    for decided, found in ((dt.date(2026, 1, 26), []), (dt.date(2026, 1, 27), ["late"])):
        made = dataclasses.replace(CASES[5], decision_date=decided, closed_on=decided,
                                   outcome="decided")  # fmt: skip
        assert [f.reason for f in run(rules, (made,), codes={"A7"})] == found, decided
    # A8: not before the notice day; "expired" after the term's end.
    assert run(rules, (CASES[6],), on=dt.date(2025, 11, 23), codes={"A8"}) == []
    assert [f.reason for f in run(rules, (CASES[6],), on=dt.date(2026, 4, 1), codes={"A8"})] == [
        "expired"
    ]
    # A term ending on 29 February (a leap year) is counted back like any other.
    leap = dataclasses.replace(CASES[6], term_end=dt.date(2028, 2, 29))
    [found] = run(rules, (leap,), on=dt.date(2027, 12, 1), codes={"A8"})
    assert found.figures["notice_by"] == "2027-10-26"
    # A case opened after the as-of date is not judged.
    assert run(rules, on=dt.date(2026, 1, 31), codes={"A1", "A3", "A4"}) == []


def test_parameters_change_the_findings_without_code(rules):
    qd80 = rules.with_parameters("A4", waiting_months_by_form={"reprimand": 12, "warning": 6,
                                                                "removal": 60})  # fmt: skip
    assert [f.rule for f in run(qd80, codes={"A4"})] == []
    longer = rules.with_parameters("A7", max_working_days=40)
    assert run(longer, codes={"A7"}) == []
    nominations_only = rules.with_parameters("A1", kinds=["nominate"])
    assert run(nominations_only, codes={"A1"}) == []
    everyone = rules.with_parameters("A1", internal_only=False)
    assert [f.case_id for f in run(everyone, codes={"A1"})] == [2, 11]
