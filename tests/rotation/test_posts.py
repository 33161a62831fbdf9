"""R4 (non-local posts) and R5 (the two-term limit) over the holders of posts (issue 15).

The designed province of `holders_world` breaks each rule exactly once; every other holder
breaks neither. Run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

import pytest

from canbo.organizations.models import Unit
from canbo.rotation.holders import check_posts, holder_facts
from canbo.rules.engine import run_post_checks
from canbo.rules.facts import CheckContext
from canbo.rules.models import Rule, RuleSet
from canbo.rules.selectors import rule_set_in_force
from tests.factories import PersonFactory, UserFactory, grant, make_unit
from tests.rotation.holders_world import ON, build, hold

pytestmark = pytest.mark.django_db

D = dt.date
R4_CITATION = "Quy định 65-QĐ/TW ngày 28/4/2022, Điều 4 khoản 2; Chỉ thị 45-CT/TW năm 2025"
PROVINCE_SET = ["TU-BT", "UBND-T-CT", "TU-CNUBKT", "TT-T-CTT", "CA-T-GD", "TAND-T-CA", "VKS-T-VT"]


@pytest.fixture
def city(world):
    return build(world)


def ids(city, *keys):
    return [city.people[k].pk for k in keys]


def short(findings):
    return [(f.rule, f.person_id, f.position_id) for f in findings]


def test_the_designed_set_breaks_r4_and_r5_exactly_once(city):
    findings = check_posts(None, city.tu, ON)

    bt, r5 = city.people["bt"], city.people["r5"]
    assert [(f.rule, f.severity, f.citation, f.person_id, f.id_number, f.position_id, f.reason,
             f.message, dict(f.figures)) for f in findings] == [
        ("R4", "warning", R4_CITATION, bt.pk, bt.id_number, city.post["TU", "TU-BT"].pk, "",
         "Nguyễn Văn Bt là người địa phương (quê quán Xã An Bình) nhưng giữ chức vụ Bí thư "
         "Tỉnh ủy – Tỉnh ủy Thử Nghiệm: chức danh này phải bố trí cán bộ không phải người địa "
         "phương.",
         {"title": "TU-BT", "level": "province", "unit_id": city.tu.pk, "local": True,
          "hometown": "Xã An Bình"}),
        ("R5", "error", "Quy định 65-QĐ/TW ngày 28/4/2022", r5.pk, r5.id_number,
         city.post["X9", "X-BT"].pk, "",
         "Nguyễn Văn Rn giữ chức vụ cấp trưởng Bí thư Đảng ủy xã – Đảng ủy xã Số 9 liên tục từ "
         "01/10/2015, 3 nhiệm kỳ liên tiếp, quá 2 nhiệm kỳ.",
         {"terms": 3, "max_terms": 2, "tenure_start": "2015-10-01", "term_min_months": 30,
          "term_body": "party"}),
    ]  # fmt: skip


def test_holder_facts_carry_locality_tenure_and_the_next_term(city):
    facts = holder_facts(city.tu, ON)

    assert [(h.person.full_name, h.title_code, h.unit_name, h.level, h.is_head, h.local,
             h.hometown_name, h.tenure_start, h.tenure_months, h.terms, h.term_body,
             h.next_term_start) for h in facts.holders] == [
        ("Nguyễn Văn Bt", "TU-BT", "Tỉnh ủy Thử Nghiệm", "province", True, True, "Xã An Bình",
         D(2024, 1, 1), 24, 1, "party", D(2030, 10, 1)),
        # Two rows (split on 01/06/2019) make one tenure; the council's next term is recorded.
        ("Nguyễn Văn Ct", "UBND-T-CT", "UBND tỉnh Thử Nghiệm", "province", True, False,
         "Tỉnh Khác", D(2016, 6, 1), 115, 2, "peoples_council", D(2026, 6, 1)),
        # A department: no term calendar; no hometown: locality unknown.
        ("Nguyễn Văn Tt", "TT-T-CTT", "Thanh tra tỉnh", "province", True, None, "",
         D(2010, 1, 1), 192, None, None, None),
        # XA then XC after the merger: one tenure; XC governs the province's area.
        ("Nguyễn Văn Xc", "X-BT", "Đảng ủy xã An Minh", "commune", True, True, "Xã Bình Minh",
         D(2021, 1, 1), 60, 2, "party", D(2030, 10, 1)),
        ("Nguyễn Văn Xb", "X-PBT", "Đảng ủy xã An Minh", "commune", False, False, "Tỉnh Khác",
         D(2025, 7, 1), 6, 1, "party", D(2030, 10, 1)),
        # One uncovered day (30/06/2023) breaks the tenure.
        ("Nguyễn Văn Gap", "X-BT", "Đảng ủy xã Số 8", "commune", True, False, "Tỉnh Khác",
         D(2023, 7, 1), 30, 1, "party", D(2030, 10, 1)),
        ("Nguyễn Văn Rn", "X-BT", "Đảng ủy xã Số 9", "commune", True, False, "Tỉnh Khác",
         D(2015, 10, 1), 123, 3, "party", D(2030, 10, 1)),
        ("Nguyễn Văn Deputy", "X-PBT", "Đảng ủy xã Số 9", "commune", False, True, "Xã An Bình",
         D(2008, 1, 1), 216, 3, "party", D(2030, 10, 1)),
    ]  # fmt: skip


def test_title_codes_choose_the_posts_besides_the_heads(city):
    heads = holder_facts(city.tu, ON, title_codes=())
    assert [h.person.id for h in heads.holders] == ids(city, "bt", "ct", "tt", "xc", "gap", "r5")
    deputies = holder_facts(city.tu, ON, title_codes=["X-PBT"])
    assert len(deputies.holders) == 8


def test_holder_facts_take_five_queries_whatever_the_number_of_units(
    city, django_assert_num_queries
):
    with django_assert_num_queries(5):
        one = holder_facts(Unit.objects.filter(code="X9"), ON)
    assert [h.person.id for h in one.holders] == ids(city, "r5", "deputy")
    with django_assert_num_queries(5):
        every = holder_facts(city.tu, ON)
    assert len(every.holders) == 8
    for n in range(5):  # five more communes, each with a secretary
        unit = make_unit(f"Y{n}", f"Đảng ủy xã Y{n}", city.tu, city.tu.kind, "commune")
        hold(PersonFactory(unit=city.tu), unit.positions.create(title=city.post["X9", "X-BT"].title),
             D(2020, 1, 1))  # fmt: skip
    city.tu.refresh_from_db()
    with django_assert_num_queries(5):
        more = holder_facts(city.tu, ON)
    assert len(more.holders) == 13
    with django_assert_num_queries(1):
        assert holder_facts(Unit.objects.filter(code="XA"), ON).holders == ()


def test_the_checks_read_no_database(city, django_assert_num_queries):
    facts = holder_facts(city.tu, ON)
    rules = rule_set_in_force(ON)
    with django_assert_num_queries(0):
        findings = run_post_checks(facts, rules, CheckContext(ON))
    assert short(findings) == [("R4", *ids(city, "bt"), city.post["TU", "TU-BT"].pk),
                               ("R5", *ids(city, "r5"), city.post["X9", "X-BT"].pk)]  # fmt: skip


def test_a_parameter_change_changes_the_findings(city):
    rules = rule_set_in_force(ON)
    bt, ct, xc, r5 = ids(city, "bt", "ct", "xc", "r5")
    tu_bt, ct_post, xc_bt, x9_bt = (city.post[k].pk for k in (
        ("TU", "TU-BT"), ("UBT", "UBND-T-CT"), ("XC", "X-BT"), ("X9", "X-BT")))  # fmt: skip

    def run(code, **changes):
        return short(check_posts(None, city.tu, ON, rules.with_parameters(code, **changes)))

    assert run("R5", max_terms=3) == [("R4", bt, tu_bt)]
    assert run("R5", max_terms=1) == [
        ("R4", bt, tu_bt), ("R5", ct, ct_post), ("R5", xc, xc_bt), ("R5", r5, x9_bt)]  # fmt: skip
    # Half a term is 30 months; at 60 XC's secretary's 57 months of 2020–2025 do not count.
    assert run("R5", max_terms=1, term_min_months=60) == [
        ("R4", bt, tu_bt), ("R5", ct, ct_post), ("R5", r5, x9_bt)]  # fmt: skip
    assert run("R4", title_codes_by_level={"province": PROVINCE_SET, "commune": ["X-BT"]}) == [
        ("R4", bt, tu_bt), ("R4", xc, xc_bt), ("R5", r5, x9_bt)]  # fmt: skip
    assert run("R4", title_codes_by_level={"commune": ["X-BT"]}) == [
        ("R4", xc, xc_bt), ("R5", r5, x9_bt)]  # fmt: skip


def test_the_rule_set_in_the_database_decides_and_a_later_one_not_before_its_date(city):
    Rule.objects.filter(code="R5").update(parameters={"max_terms": 1, "term_min_months": 30})
    assert [f.rule for f in check_posts(None, city.tu, ON)] == ["R4", "R5", "R5", "R5"]
    Rule.objects.filter(code="R4").update(enabled=False)
    assert [f.rule for f in check_posts(None, city.tu, ON)] == ["R5", "R5", "R5"]

    later = RuleSet.objects.create(code="Thử 2027", name="Thử", effective_from=D(2027, 1, 1))
    Rule.objects.create(rule_set=later, code="R5", name="R5", citation="Thử", severity="error",
                        parameters={"max_terms": 3, "term_min_months": 30})  # fmt: skip
    assert [f.rule for f in check_posts(None, city.tu, ON)] == ["R5", "R5", "R5"]
    assert check_posts(None, city.tu, D(2027, 1, 1)) == []


def test_a_user_sees_the_findings_of_the_units_granted(city):
    commune = UserFactory(username="x9")
    grant(commune, city.units["X9"])
    assert short(check_posts(commune, city.tu, ON)) == [
        ("R5", *ids(city, "r5"), city.post["X9", "X-BT"].pk)]  # fmt: skip
    province_only = UserFactory(username="tu")
    grant(province_only, city.tu, include_subtree=False)
    assert short(check_posts(province_only, city.tu, ON)) == [
        ("R4", *ids(city, "bt"), city.post["TU", "TU-BT"].pk)]  # fmt: skip
    assert check_posts(city.viewer_a, city.tu, ON) == []  # XA holds nothing since the merger
