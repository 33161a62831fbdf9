"""Placement proposals: a case small enough to check by hand (4 posts, 6 candidates) gets
the optimal proposal (compared with every possible assignment), no proposal breaks R1–R5,
the ineligible are explained, scope, and a fixed number of queries."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from canbo.organizations.choices import AreaKind, AreaLevel, ManagementLevel, UnitLevel
from canbo.planning import services as planning
from canbo.rotation import proposals as P
from canbo.rotation.choices import RotationPurpose
from canbo.rules.facts import CheckContext
from canbo.rules.selectors import rule_set_in_force
from tests.factories import make_area
from tests.planning.factories import hold, make_person, make_position, make_term

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 6, 30)


def commune_post(unit, code, name):
    return make_position(unit, code, name, 40, level=UnitLevel.COMMUNE,
                         management_level=ManagementLevel.COMMUNE)  # fmt: skip


@pytest.fixture
def case(world):
    """Posts: P1 provincial party secretary (R4), P2 commune A's secretary (held by Giang),
    P3 commune B's secretary, P4 commune A's People's Committee chair (same rank as P2, P3).

    Candidates (in ID-number order; all men, planned on the day):
      C1 An     1980, hometown E (another province), planned for P1;
      C2 Bình   1985, hometown commune A, planned for P2;
      C3 Cường  1990, hometown commune B, planned for P3;
      C4 Dũng   1970, hometown commune A, planned for P2 (67 months left);
      C5 Hải    1988, hometown unknown, planned for P3;
      C6 Giang  1982, hometown E, holds P2, planned for the deputy secretary (rank 80).
    """
    other = make_area("02", "Tỉnh Khác")
    e = make_area("00005", "Xã Khác", other, AreaKind.COMMUNE, AreaLevel.COMMUNE)

    class C:
        p1 = make_position(world.tu, "TU-BT", "Bí thư Tỉnh ủy", 90, is_key=True)
        deputy = make_position(world.tu, "TU-PBT", "Phó Bí thư Tỉnh ủy", 80)
        p2 = commune_post(world.xa, "X-BT", "Bí thư Đảng ủy xã")
        p3 = commune_post(world.xb, "X-BT", "Bí thư Đảng ủy xã")
        p4 = commune_post(world.xa, "X-CT", "Chủ tịch UBND xã")

    def person(n, given, born, hometown, unit):
        return make_person("Nguyễn", "Văn", given, "M", born, unit=unit, hometown=hometown,
                           id_number=f"0010{born.year % 100:02d}00000{n}")  # fmt: skip

    C.people = [
        person(1, "An", dt.date(1980, 1, 1), e, world.tu),
        person(2, "Bình", dt.date(1985, 5, 10), world.commune_a, world.xa),
        person(3, "Cường", dt.date(1990, 3, 1), world.commune_b, world.xb),
        person(4, "Dũng", dt.date(1970, 1, 1), world.commune_a, world.tu),
        person(5, "Hải", dt.date(1988, 7, 15), None, world.xa),
        person(6, "Giang", dt.date(1982, 2, 1), e, world.tu),
    ]
    hold(C.people[5], C.p2, start=dt.date(2021, 1, 1))
    plan = planning.plan_create(actor=None, planning_unit=world.tu, term=make_term(2030, 2035),
                                name="Quy hoạch 2030–2035",
                                positions=[C.p1, C.deputy, C.p2, C.p3])  # fmt: skip
    for who, post in zip(C.people, [C.p1, C.p2, C.p3, C.p2, C.p3, C.deputy], strict=True):
        planning.entry_add(actor=None, plan=plan, person=who, position=post,
                           added_on=dt.date(2024, 1, 1))  # fmt: skip
    C.posts = [C.p1.pk, C.p2.pk, C.p3.pk, C.p4.pk]
    return C


def run(world, case, user=None, **extra):
    values = {"mode": P.Mode.CHOSEN, "purpose": RotationPurpose.TRAINING,
              "position_ids": case.posts, **extra}  # fmt: skip
    return P.proposals(user, world.tu, AS_OF, rule_set=rule_set_in_force(AS_OF), **values)


def placed(result):
    return {p.post.id: p.move.candidate.person.full_name if p.move else None for p in result.posts}


def test_the_optimal_proposal_checked_by_hand_and_against_every_assignment(world, case):
    result = run(world, case)
    # Readiness 3 for P1 (An), P2 (Bình); Cường and Hải both planned for P3: one takes it,
    # the other P4 (planned for a post of the same rank: 2). Cường is farther from home in
    # commune A (2 steps) than in his own commune B (0), Hải's hometown is unknown (0):
    # Hải goes to P3, Cường to P4 (a greedy pass by post would give P3 to Cường).
    assert placed(result) == {
        case.p1.pk: "Nguyễn Văn An", case.p2.pk: "Nguyễn Văn Bình",
        case.p3.pk: "Nguyễn Văn Hải", case.p4.pk: "Nguyễn Văn Cường",
    }  # fmt: skip
    # Months left on 30/06/2026 (men retire at 62, the last day of that month):
    # An 187, Bình 251, Hải 289, Cường 309; distance: An 3 (E > other province; P1 governs
    # the province), Cường 2 (B to A), the others 0.
    # Posts in unit path and title order: P1 (TU), P2 and P4 (XA), P3 (XB).
    assert [(m.post.id, m.score, m.months_left, m.distance) for m in result.moves] == [
        (case.p1.pk, P.Score(1, 3, 187, 3), 187, 3),
        (case.p2.pk, P.Score(1, 3, 251, 0), 251, 0),
        (case.p4.pk, P.Score(1, 2, 309, 2), 309, 2),
        (case.p3.pk, P.Score(1, 3, 289, 0), 289, None),
    ]
    assert result.total == P.Score(4, 11, 1036, 5)
    assert result.findings == [] and result.candidates == 6

    # Every assignment of the eligible pairs (a post may stay empty): none scores more,
    # and the proposal is the only one that scores as much.
    facts = P.gather(None, world.tu, AS_OF, P.Mode.CHOSEN, rule_set_in_force(AS_OF), case.posts)
    eligible, _reasons = P.eligibility(facts, rule_set_in_force(AS_OF), CheckContext(AS_OF),
                                       RotationPurpose.TRAINING)  # fmt: skip
    people = [c.person.id for c in facts.candidates]
    best, argmax = None, []
    for choice in itertools.product([None, *people], repeat=len(facts.posts)):
        taken = [c for c in choice if c is not None]
        if len(taken) != len(set(taken)):
            continue
        pairs = [(post.id, c) for post, c in zip(facts.posts, choice, strict=True) if c]
        if any(pair not in eligible for pair in pairs):
            continue
        total = sum((eligible[pair][0] for pair in pairs), P.NOTHING)
        if best is None or total > best:
            best, argmax = total, [choice]
        elif total == best:
            argmax.append(choice)
    assert best == result.total
    assert argmax == [tuple(p.move.candidate.person.id for p in result.posts)]


def test_the_ineligible_are_explained_and_no_move_breaks_r1_to_r5(world, case):
    result = run(world, case)
    reasons = {p.post.id: (p.eligible, p.reasons) for p in result.posts}
    assert reasons == {
        # Bình, Cường, Dũng local to the province (R4), Hải's hometown unknown, Dũng 67
        # months left (R2: 120 for a training rotation).
        case.p1.pk: (2, {"R2": 1, "R4": 3, "locality_unknown": 1}),
        case.p2.pk: (4, {"R2": 1, "holds_post": 1}),  # Giang holds it
        case.p3.pk: (5, {"R2": 1}),
        case.p4.pk: (5, {"R2": 1}),
    }
    # The chosen moves run through R1–R5 together: nothing.
    assert result.findings == []
    # For a non-local placement R2 asks for 60 months: Dũng then passes R2 but is local.
    non_local = run(world, case, purpose=RotationPurpose.NON_LOCAL)
    assert non_local.posts[0].reasons == {"R4": 3, "locality_unknown": 1}


def test_the_non_local_mode_fills_the_vacant_r4_post(world, case):
    result = run(world, case, mode=P.Mode.NON_LOCAL, position_ids=())
    assert result.purpose == RotationPurpose.NON_LOCAL
    assert placed(result) == {case.p1.pk: "Nguyễn Văn An"}
    assert [p.post.why for p in result.posts] == ["vacant"]


def test_scope_a_user_sees_only_candidates_and_posts_in_scope(world, case):
    # Commune A's viewer: posts P2 and P4 (in XA), candidates Bình and Hải (recorded in XA).
    result = run(world, case, user=world.viewer_a)
    assert placed(result) == {case.p2.pk: "Nguyễn Văn Bình", case.p4.pk: "Nguyễn Văn Hải"}
    assert result.candidates == 2
    assert result.moves[1].score.readiness == 2  # Hải is planned for P3 (same rank)


def test_a_fixed_number_of_queries(world, case):
    rule_set = rule_set_in_force(AS_OF)

    def count(posts):
        with CaptureQueriesContext(connection) as ctx:
            P.gather(None, world.tu, AS_OF, P.Mode.CHOSEN, rule_set, posts)
        return len(ctx.captured_queries)

    few = count(case.posts[:1])
    plan = planning.plan_create(actor=None, planning_unit=world.xb, term=make_term(2030, 2035),
                                positions=[case.p3])  # fmt: skip
    for n in range(7, 15):  # more candidates, more posts: the same count
        who = make_person("Trần", "Văn", f"Thêm {n}", "M", dt.date(1986, 1, 1), unit=world.xb)
        planning.entry_add(actor=None, plan=plan, person=who, position=case.p3,
                           added_on=dt.date(2024, 1, 1))  # fmt: skip
    assert count(case.posts) == few
    # The posts (1), the province (1), the candidates (1), the posts' facts and places (3),
    # the entries (1), the people (5), the ranks planned for (1), locality (2).
    assert few == 15


def test_weights_keep_the_parts_in_order_and_refuse_what_doubles_cannot_hold():
    filled, ready, months, distance, tie = P.weights(4, 6)
    assert tie == 1 and distance == 4 * 5 + 1
    assert months > 4 * (P.DISTANCE_CAP * distance + 5 * tie)
    assert filled > 4 * (3 * ready + P.MONTHS_CAP * months + P.DISTANCE_CAP * distance + 5)
    with pytest.raises(P.TooLarge):
        P.weights(40, 100_000)


# --- The page ------------------------------------------------------------------------------


def page_query(world, case):
    ids = ",".join(str(pk) for pk in case.posts)
    return f"/rotation/proposals/?unit={world.tu.pk}&as_of=30/06/2026&mode=chosen&purpose=training&positions={ids}"


def test_the_page_shows_each_post_its_person_score_and_reasons(client, world, case, admin_user):
    client.force_login(admin_user)
    response = client.get(page_query(world, case))
    assert response.status_code == 200
    text = response.content.decode()
    assert "4/4 chức danh có đề xuất, trong 6 cán bộ trong quy hoạch, tại ngày 30/06/2026" in text
    assert 'id="proposal-total">11 · 1036 · 5<' in text
    assert "Các đề xuất không vi phạm quy định nào (R1–R5)." in text
    assert "3 là người địa phương (R4)" in text and "1 đang giữ chức danh này" in text
    assert "trong quy hoạch chính chức danh này; còn 187 tháng công tác; cách quê 3 cấp địa bàn" in text
    assert text.count('class="small proposal-confirm"') == 4


def test_the_page_for_a_viewer_of_commune_a_and_without_input(client, world, case):
    client.force_login(world.viewer_a)
    response = client.get(page_query(world, case).replace(f"unit={world.tu.pk}", f"unit={world.xa.pk}"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "2/2 chức danh có đề xuất, trong 2 cán bộ trong quy hoạch" in text
    assert "Nguyễn Văn An" not in text and "proposal-confirm" not in text  # a viewer: no writes
    assert client.get("/rotation/proposals/").status_code == 200


def test_confirming_a_move_records_it_through_the_service(client, world, case, admin_user):
    from canbo.rotation.models import Rotation

    client.force_login(admin_user)
    url = page_query(world, case).replace("/rotation/proposals/", "/rotation/proposals/confirm/")
    an = case.people[0]
    prefix = f"m{case.p1.pk}"
    body = {f"{prefix}-person": an.pk, f"{prefix}-to_position": case.p1.pk,
            f"{prefix}-competent_unit": world.tu.pk, f"{prefix}-purpose": "training"}  # fmt: skip
    refused = client.post(url, body)  # neither a plan nor a decision: the service refuses
    assert refused.status_code == 400 and Rotation.objects.count() == 0
    assert "Luân chuyển ngoài kế hoạch phải có quyết định và ngày bắt đầu." in refused.content.decode()
    decided = {**body, f"{prefix}-decision_number": "20-QĐ/TU", f"{prefix}-decision_date": "01/06/2026",
               f"{prefix}-start_date": "15/06/2026", f"{prefix}-planned_end": "15/06/2029"}  # fmt: skip
    response = client.post(url, decided)
    rotation = Rotation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rotation/{rotation.pk}/"
    assert (rotation.person, rotation.to_position, rotation.kind, rotation.purpose) == (
        an, case.p1, "rotation", "training")


def test_the_api_answers_the_same_proposal(client, world, case, admin_user):
    client.force_login(admin_user)
    ids = ",".join(str(pk) for pk in case.posts)
    response = client.get(f"/api/rotation-proposals/?unit=TU&as_of=2026-06-30&mode=chosen&positions={ids}")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["filled"], data["total"], data["findings"], data["candidates"]) == (
        4, {"readiness": 11, "months_left": 1036, "distance": 5}, [], 6)
    assert [(p["position"], p["person"]["full_name"], p["score"]["readiness"], p["reasons"])
            for p in data["posts"]] == [
        (case.p1.pk, "Nguyễn Văn An", 3, {"R2": 1, "R4": 3, "locality_unknown": 1}),
        (case.p2.pk, "Nguyễn Văn Bình", 3, {"R2": 1, "holds_post": 1}),
        (case.p4.pk, "Nguyễn Văn Cường", 2, {"R2": 1}),
        (case.p3.pk, "Nguyễn Văn Hải", 3, {"R2": 1}),
    ]  # fmt: skip
    assert client.get("/api/rotation-proposals/?unit=TU&mode=nowhere").status_code == 400
    assert client.get("/api/rotation-proposals/?unit=KHONGCO&mode=chosen").status_code == 404
