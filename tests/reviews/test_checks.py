"""Rules C1–C5 and E1–E4 over sessions and rounds built through the services; the facts
in a fixed number of queries; P7 in planning's check and C5 in check-procedures."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from canbo.people.models import Evaluation
from canbo.reviews import selectors, services
from canbo.reviews.models import EvaluationRound, VoteSession
from tests.planning.conftest import cadres, plan, positions, term  # noqa: F401 (fixtures)
from tests.planning.factories import discipline, hold, make_position, make_term

from .conftest import figures, make_session

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 1, 10)


def enter_twice(session, rows, first, second):
    services.tally_enter(actor=first, session=session, round_no=1, rows=rows)
    services.tally_enter(actor=second, session=session, round_no=2, rows=rows)


@pytest.fixture
def designed(world, people, second_editor):
    """A set breaking each of C1–C5 and E1–E4 exactly once (see each line)."""
    editor = world.editor_a
    make_term(2020, 2025)  # the party term 01/10/2020–30/09/2025
    # C1: 19 of 30 present.
    short = make_session(world, actor=editor, present=19)
    # C3: shares on those present where the rule says summoned; C2: Cường took a post this
    # year; C4: An 18/30 low (60%); C5: Bình 21/30 (70%).
    hold(people.cuong, make_position(world.xa, "X-PCT", "Phó Chủ tịch UBND xã", 30),
         start=dt.date(2025, 3, 1))  # fmt: skip
    main = make_session(world, actor=editor, present=30, base_rule="present",
                        held_on=dt.date(2025, 12, 16))  # fmt: skip
    for person in (people.an, people.binh, people.cuong):
        services.subject_add(actor=editor, session=main, person=person)
    enter_twice(main, [figures(people.an, 4, 8, 18), figures(people.binh, 2, 7, 21),
                       figures(people.cuong, 20, 10, 0)], editor, second_editor)  # fmt: skip
    services.session_close(actor=editor, session=main, closed_on=dt.date(2025, 12, 17))
    # E2: two excellent among three rated good and above.
    rnd = services.round_create(actor=editor, unit=world.xa, year=2025,
                                held_on=dt.date(2025, 12, 18))  # fmt: skip
    for person, score in ((people.an, "95"), (people.binh, "92"), (people.cuong, "80")):
        services.score_set(actor=editor, evaluation_round=rnd, person=person, score=Decimal(score))
    # E1: a rating typed in the registry against its score; E3: two years not completed;
    # E4: two reprimands in the 2020–2025 term.
    Evaluation.objects.create(person=people.cuong, year=2024, rating="good", score=95)
    Evaluation.objects.create(person=people.binh, year=2023, rating="not_completed")
    Evaluation.objects.create(person=people.binh, year=2024, rating="not_completed")
    discipline(people.an, "reprimand", dt.date(2021, 6, 1))
    discipline(people.an, "reprimand", dt.date(2023, 6, 1))
    return {"short": short, "main": main, "round": rnd}


def summary(findings):
    return [(f.rule, f.severity, f.session_id, f.round_id, f.id_number, f.reason) for f in findings]


def test_the_designed_set_gives_exactly_those_findings(world, people, designed):
    found = selectors.check_reviews(VoteSession.objects.all(), EvaluationRound.objects.all(), AS_OF)
    short, main, rnd = designed["short"].pk, designed["main"].pk, designed["round"].pk
    assert summary(found) == [
        ("C1", "error", short, None, None, ""),
        ("C2", "error", main, None, "001078000103", "new_post"),
        ("C3", "flag", main, None, None, ""),
        ("C4", "warning", main, None, "001075000101", ""),
        ("C5", "error", main, None, "001180000102", ""),
        ("E1", "error", None, None, "001078000103", ""),
        ("E2", "warning", None, rnd, None, ""),
        ("E3", "error", None, rnd, "001180000102", ""),
        ("E4", "error", None, rnd, "001075000101", ""),
    ]
    by_rule = {f.rule: f for f in found}
    assert by_rule["C1"].message == (
        "Hội nghị lấy phiếu tín nhiệm Đảng ủy xã An Bình ngày 15/12/2025 chỉ có 19/30 người "
        "được triệu tập có mặt (63,33%), cần ít nhất 66,67%: kết quả không có giá trị.")
    assert dict(by_rule["C4"].figures) == {"low": 18, "base": 30, "share": Decimal("60.00"),
                                           "year": 2025, "above_share": Decimal("50.00")}
    assert dict(by_rule["C5"].figures) == {"low": 21, "base": 30, "share": Decimal("70.00"),
                                           "year": 2025, "limit_share": Decimal("66.67"),
                                           "comparison": "at_or_above"}  # fmt: skip
    assert by_rule["C5"].message == (
        "Trần Thị Bình có 21/30 phiếu tín nhiệm thấp (70,00%) tại Đảng ủy xã An Bình năm 2025, "
        "từ 66,67%: đề nghị cấp có thẩm quyền xem xét miễn nhiệm.")
    assert dict(by_rule["E1"].figures) == {"year": 2024, "score": Decimal("95.00"),
                                           "rating": "good", "expected": "excellent"}  # fmt: skip
    assert dict(by_rule["E2"].figures) == {"excellent": 2, "good": 1, "base": 3,
                                           "share": Decimal("66.67"), "max_share": Decimal("20.00")}  # fmt: skip
    assert dict(by_rule["E3"].figures) == {"years": [2023, 2024]}
    assert dict(by_rule["E4"].figures) == {"term": "2020–2025", "count": 2,
                                           "dates": ["2021-06-01", "2023-06-01"]}  # fmt: skip


def test_c5_above_leaves_exactly_two_thirds_alone(world, people, designed):
    """QĐ 41's "above 2/3": 21/30 is still above; the parameter decides."""
    from canbo.rules.selectors import rule_set_in_force

    rules = rule_set_in_force(AS_OF).with_parameters("C5", share="7/10", comparison="above")
    found = selectors.check_reviews(VoteSession.objects.all(), EvaluationRound.objects.none(),
                                    AS_OF, rules)  # fmt: skip
    assert [f.rule for f in found] == ["C1", "C2", "C3", "C4"]


def test_the_facts_take_ten_queries_whatever_their_number(world, people, designed,
                                                          django_assert_num_queries):  # fmt: skip
    with django_assert_num_queries(10):
        facts = selectors.review_facts(VoteSession.objects.all(), EvaluationRound.objects.all(), AS_OF)
    assert (len(facts.sessions), len(facts.rounds), len(facts.people)) == (2, 1, 3)
    for day in range(1, 6):
        extra = make_session(world, held_on=dt.date(2025, 11, day))
        services.subject_add(actor=None, session=extra, person=people.an)
        services.round_create(actor=None, unit=world.xb, year=2024, held_on=dt.date(2025, 1, day))
    with django_assert_num_queries(10):
        facts = selectors.review_facts(VoteSession.objects.all(), EvaluationRound.objects.all(), AS_OF)
    assert (len(facts.sessions), len(facts.rounds), len(facts.people)) == (7, 6, 3)


def test_scoped_lists_show_only_the_users_units(world, designed):
    services.round_create(actor=None, unit=world.xb, year=2025, held_on=dt.date(2025, 12, 1))
    assert selectors.rounds(world.viewer_a).count() == 1
    assert selectors.sessions(world.viewer_a).count() == 2
    assert selectors.sessions(world.viewer_a, "edit").count() == 0


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_a_low_share_of_60_flags_p7_and_70_gives_c5(world, plan, cadres):  # noqa: F811
    """Dũng (planned) gets 6 low of 10, Cường (planned) 7 of 10, in the province's vote."""
    from canbo.accounts.models import Role
    from tests.factories import UserFactory, grant

    typist = UserFactory(username="nhap_tu", role=Role.EDITOR)
    grant(typist, world.tu)
    checker = UserFactory(username="kiem_tu", role=Role.EDITOR)
    grant(checker, world.tu)
    session = services.session_create(actor=typist, unit=world.tu, year=2026,
                                       held_on=dt.date(2026, 6, 15), summoned=10, present=10)  # fmt: skip
    for person in (cadres.d, cadres.c):
        services.subject_add(actor=typist, session=session, person=person)
    enter_twice(session, [figures(cadres.d, 1, 3, 6), figures(cadres.c, 1, 2, 7)], typist, checker)
    services.session_close(actor=typist, session=session, closed_on=dt.date(2026, 6, 16))

    planning = [f for f in run("check_planning", "--as-of", "2026-07-01")
                if f["rule"] == "P7" and f["reason"] == "confidence"]  # fmt: skip
    assert [(f["person"], f["figures"]["share"]) for f in planning] == [
        ("001088000003", "70.00"), ("001074000004", "60.00")]  # fmt: skip
    procedures = [f for f in run("check_procedures", "--as-of", "2026-07-01")
                  if f["rule"] in ("C4", "C5")]  # fmt: skip
    assert procedures == [
        {"rule": "C4", "severity": "warning", "citation": "Quy định 96-QĐ/TW ngày 02/02/2023",
         "message": "Hoàng Văn Dũng có 6/10 phiếu tín nhiệm thấp (60,00%) tại Tỉnh ủy Thử "
                    "Nghiệm năm 2026, quá 50,00%: không quy hoạch vào chức vụ cao hơn; xem xét "
                    "bố trí công tác khác hoặc cho thôi giữ chức vụ.",
         "reason": "", "session_id": session.pk, "round_id": None, "person": "001074000004",
         "figures": {"low": 6, "base": 10, "share": "60.00", "year": 2026, "above_share": "50.00"}},
        {"rule": "C5", "severity": "error",
         "citation": "Quy định 96-QĐ/TW ngày 02/02/2023 (Quy định 41-QĐ/TW năm 2021: trên 2/3)",
         "message": "Phạm Văn Cường có 7/10 phiếu tín nhiệm thấp (70,00%) tại Tỉnh ủy Thử Nghiệm "
                    "năm 2026, từ 66,67%: đề nghị cấp có thẩm quyền xem xét miễn nhiệm.",
         "reason": "", "session_id": session.pk, "round_id": None, "person": "001088000003",
         "figures": {"low": 7, "base": 10, "share": "70.00", "year": 2026, "limit_share": "66.67",
                     "comparison": "at_or_above"}},
    ]  # fmt: skip
