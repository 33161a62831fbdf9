"""The planning world: the province plan of Tỉnh ủy Thử Nghiệm for 2030–2035.

Built through the services, on the shared `world` (TU > XA, XB). Positions of
TU (rank): BT Bí thư (100), PBT Phó Bí thư (92), CT Chủ tịch UBND (90), TB
Trưởng Ban Tổ chức (85), PCT Phó Chủ tịch UBND (80, 2 seats), GD Giám đốc Sở
(70), PGD Phó Giám đốc Sở (60; not covered by the plan).

    person              sex born        ethnicity  holds  degree/theory   planned for
    An      (a)         M   10/05/1980  Kinh       GD     master/adv.     BT, PBT
    Bình    (b)         F   15/03/1985  Tày        PGD    bachelor/adv.   PBT
    Cường   (c)         M   01/07/1988  Kinh       –      bachelor/int.   PCT (review 15/12/2025)
    Dũng    (d)         M   02/02/1974  Kinh       PCT    –/bachelor      CT
    Em      (e)         F   20/08/1970  Kinh       –      –               TB, removed 15/12/2025
    Hải     (h)         M   15/01/1966  Kinh       BT     (retires 31/10/2027)
    Lan     (l)         F   20/06/1975  Kinh       PBT    (retires 30/06/2035)
    Khoa    (k)         M   01/06/1966  Kinh       TB     (retires 30/06/2028)

Entries added 01/01/2024 (draft), plan submitted, approved 01/06/2025
(QĐ 123-QĐ/TW), reviewed 15/12/2025 (Em out for discipline, Cường in, first time).
On AS_OF (01/03/2026) the plan breaks no rule.
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from canbo.people.choices import Degree, PoliticalTheory
from canbo.planning import services
from canbo.planning.choices import RemovalReason

from .factories import discipline, hold, make_person, make_position, make_term, rating, vote

AS_OF = dt.date(2026, 3, 1)
DRAFTED = dt.date(2024, 1, 1)
APPROVED = dt.date(2025, 6, 1)
REVIEWED = dt.date(2025, 12, 15)


@pytest.fixture
def term(db):
    return make_term(2030, 2035)


@pytest.fixture
def positions(world):
    tu = world.tu
    return SimpleNamespace(
        bt=make_position(tu, "BT", "Bí thư Tỉnh ủy", 100, management_level=1, is_key=True),
        pbt=make_position(tu, "PBT", "Phó Bí thư Tỉnh ủy", 92, management_level=1),
        ct=make_position(tu, "CT", "Chủ tịch UBND tỉnh", 90, management_level=1, is_key=True),
        tb=make_position(tu, "TB", "Trưởng Ban Tổ chức Tỉnh ủy", 85),
        pct=make_position(tu, "PCT", "Phó Chủ tịch UBND tỉnh", 80, seats=2),
        gd=make_position(tu, "GD", "Giám đốc Sở", 70),
        pgd=make_position(tu, "PGD", "Phó Giám đốc Sở", 60),
    )


@pytest.fixture
def cadres(world, positions):
    """The people of the planning world."""
    tu = world.tu
    p = SimpleNamespace(
        a=make_person("Trần", "Văn", "An", "M", dt.date(1980, 5, 10), unit=tu,
                      id_number="001080000001", professional_degree=Degree.MASTER,
                      political_theory=PoliticalTheory.ADVANCED),
        b=make_person("Lê", "Thị", "Bình", "F", dt.date(1985, 3, 15), unit=tu, ethnicity="02",
                      id_number="001185000002", professional_degree=Degree.BACHELOR,
                      political_theory=PoliticalTheory.ADVANCED),
        c=make_person("Phạm", "Văn", "Cường", "M", dt.date(1988, 7, 1), unit=tu,
                      id_number="001088000003", professional_degree=Degree.BACHELOR,
                      political_theory=PoliticalTheory.INTERMEDIATE),
        d=make_person("Hoàng", "Văn", "Dũng", "M", dt.date(1974, 2, 2), unit=tu,
                      id_number="001074000004", political_theory=PoliticalTheory.BACHELOR),
        e=make_person("Vũ", "Thị", "Em", "F", dt.date(1970, 8, 20), unit=tu,
                      id_number="001170000005"),
        h=make_person("Đỗ", "Văn", "Hải", "M", dt.date(1966, 1, 15), unit=tu,
                      id_number="001066000006"),
        l=make_person("Ngô", "Thị", "Lan", "F", dt.date(1975, 6, 20), unit=tu,
                      id_number="001175000007"),
        k=make_person("Bùi", "Văn", "Khoa", "M", dt.date(1966, 6, 1), unit=tu,
                      id_number="001066000008"),
    )  # fmt: skip
    hold(p.a, positions.gd)
    hold(p.a, positions.pgd, dt.date(2015, 1, 1), dt.date(2019, 12, 31))  # an earlier post
    hold(p.b, positions.pgd)
    hold(p.d, positions.pct)
    hold(p.h, positions.bt)
    hold(p.l, positions.pbt)
    hold(p.k, positions.tb)
    discipline(p.b, "reprimand", dt.date(2023, 5, 1), dt.date(2024, 5, 1))
    discipline(p.e, "warning", dt.date(2025, 11, 1))
    rating(p.a, 2024, "good")
    rating(p.a, 2025, "excellent")
    rating(p.b, 2025, "completed")
    rating(p.e, 2025, "not_completed")
    vote(p.a, 2024, 30, 100)
    vote(p.a, 2025, 10, 100)
    vote(p.a, 2025, 5, 40, body="Hội nghị cán bộ chủ chốt")
    vote(p.e, 2025, 80, 100)
    return p


@pytest.fixture
def plan(world, term, positions, cadres):
    pos, p = positions, cadres
    plan = services.plan_create(
        actor=None,
        planning_unit=world.tu,
        term=term,
        name="Ban Chấp hành Đảng bộ tỉnh 2030–2035",
        min_minority_share=20,
        positions=[pos.bt, pos.pbt, pos.ct, pos.tb, pos.pct, pos.gd],
    )
    for person, position in ((p.a, pos.bt), (p.a, pos.pbt), (p.b, pos.pbt), (p.d, pos.ct),
                             (p.e, pos.tb)):  # fmt: skip
        services.entry_add(
            actor=None, plan=plan, person=person, position=position, added_on=DRAFTED
        )
    services.plan_submit(actor=None, plan=plan)
    services.plan_approve(
        actor=None,
        plan=plan,
        approver_unit=world.tu,
        decision_number="123-QĐ/TW",
        decision_date=APPROVED,
    )
    em = plan.entries.get(person=p.e)
    services.review_record(
        actor=None,
        plan=plan,
        reviewed_on=REVIEWED,
        decision_number="45-QĐ/TU",
        additions=[services.EntryAddition(person=p.c, position=pos.pct, first_time=True)],
        removals=[services.EntryRemoval(entry=em, reason=RemovalReason.DISCIPLINE)],
    )
    plan.refresh_from_db()
    return plan
