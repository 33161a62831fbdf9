"""A designed set of rotations and heads of posts for the figures and documents tests.

On the shared `world` (TU province committee > XA, XB commune committees) with a provincial
department SNV under TU; party terms 2015–2020, 2020–2025, 2025–2030 (1 October).

    rotation        who   kind           purpose     from → to            status on AS_OF
    r_an            An    rotation       training    SNV-PGD → XA-BT      under way (01/03/2026)
    r_cu            Cư    transfer       non_local   SNV-PGD → XB-BT      ended 01/06/2026, stays
    r_dung          Dũng  rotation       training    XA-PBT → SNV-PGD     intended (TU's plan)
    r_em            Em    reinforcement  diff. area  – → XA-PBT           decided 20/09/2026: later

Heads on AS_OF: Hải TU-BT since 01/10/2015 (three terms, beyond), Lan SNV-GD (a department:
no term calendar), An XA-BT and Cư XB-BT (one term), Khoa XA-CNKT since 01/10/2020 (two
terms: at the limit). TU-BT and XA-BT are key posts; An's hometown is commune B (not
local to XA), Hải's commune A (local to the province).
"""

import datetime as dt
from types import SimpleNamespace

from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.rotation import services
from canbo.rotation.choices import RotationKind, RotationOutcome, RotationPurpose
from tests.factories import make_unit
from tests.planning.factories import hold, make_person, make_position, make_term

AS_OF = dt.date(2026, 6, 30)


def head(position, key=False):
    position.title.is_head = True
    position.title.is_key = key
    position.title.save()
    return position


def build(world) -> SimpleNamespace:
    for start in (2015, 2020, 2025):
        make_term(start, start + 5)
    snv = make_unit("SNV", "Sở Nội vụ", world.tu, UnitKind.DEPARTMENT, UnitLevel.PROVINCE,
                    area=world.province)  # fmt: skip
    s = SimpleNamespace(snv=snv)
    s.tu_bt = head(make_position(world.tu, "TU-BT", "Bí thư Tỉnh ủy", 100), key=True)
    s.gd = head(make_position(snv, "SNV-GD", "Giám đốc Sở", 70))
    s.pgd = make_position(snv, "SNV-PGD", "Phó Giám đốc Sở", 60)
    s.xa_bt = head(make_position(world.xa, "XA-BT", "Bí thư Đảng ủy xã", 40,
                                 level=UnitLevel.COMMUNE), key=True)  # fmt: skip
    s.xa_pbt = make_position(world.xa, "XA-PBT", "Phó Bí thư Đảng ủy xã", 35,
                             level=UnitLevel.COMMUNE)  # fmt: skip
    s.xa_kt = head(make_position(world.xa, "XA-CNKT", "Chủ nhiệm UBKT Đảng ủy xã", 30,
                                 level=UnitLevel.COMMUNE))  # fmt: skip
    s.xb_bt = head(make_position(world.xb, "XB-BT", "Bí thư Đảng ủy xã", 40,
                                 level=UnitLevel.COMMUNE))  # fmt: skip
    person = lambda given, born, home: make_person(  # noqa: E731
        "Nguyễn", "Văn", given, "M", born, unit=world.xa, hometown=home)
    s.an = person("An", dt.date(1985, 5, 10), world.commune_b)
    s.cu = person("Cư", dt.date(1975, 3, 1), world.commune_b)
    s.dung = person("Dũng", dt.date(1988, 1, 1), world.commune_a)
    s.em = person("Em", dt.date(1990, 2, 2), world.commune_a)
    s.hai = person("Hải", dt.date(1967, 1, 15), world.commune_a)
    s.lan = person("Lan", dt.date(1972, 6, 20), world.commune_a)
    s.khoa = person("Khoa", dt.date(1970, 6, 1), world.commune_a)
    hold(s.an, s.pgd, start=dt.date(2020, 1, 1))
    hold(s.cu, s.pgd, start=dt.date(2019, 1, 1))
    hold(s.dung, s.xa_pbt, start=dt.date(2021, 1, 1))
    hold(s.hai, s.tu_bt, start=dt.date(2015, 10, 1))
    hold(s.lan, s.gd, start=dt.date(2019, 1, 1))
    hold(s.khoa, s.xa_kt, start=dt.date(2020, 10, 1))
    s.plan = services.plan_create(actor=None, unit=world.tu, term=make_term(2025, 2030),
                                  name="Kế hoạch luân chuyển 2025–2030")  # fmt: skip

    def decided(person, to, kind, purpose, start, **extra):
        return services.rotation_create(
            actor=None, person=person, kind=kind, purpose=purpose, to_position=to,
            competent_unit=world.tu, decision_number=f"{start.day:02d}-QĐ/TU",
            decision_date=start - dt.timedelta(days=10), start_date=start, **extra,
        )  # fmt: skip

    s.r_an = decided(s.an, s.xa_bt, RotationKind.ROTATION, RotationPurpose.TRAINING,
                     dt.date(2026, 3, 1), planned_end=dt.date(2029, 3, 1))  # fmt: skip
    s.r_cu = decided(s.cu, s.xb_bt, RotationKind.TRANSFER, RotationPurpose.NON_LOCAL,
                     dt.date(2026, 4, 1), planned_end=dt.date(2029, 4, 1))  # fmt: skip
    services.rotation_end(actor=None, rotation=s.r_cu, actual_end=dt.date(2026, 6, 1),
                          outcome=RotationOutcome.APPOINTED_THERE)  # fmt: skip
    s.r_dung = services.rotation_create(
        actor=None, person=s.dung, kind=RotationKind.ROTATION, purpose=RotationPurpose.TRAINING,
        to_position=s.pgd, from_position=s.xa_pbt, competent_unit=world.tu, plan=s.plan,
        note="=HYPERLINK(\"http://x\")",
    )  # fmt: skip
    s.r_em = decided(s.em, s.xa_pbt, RotationKind.REINFORCEMENT, RotationPurpose.DIFFICULT_AREA,
                     dt.date(2026, 9, 30), planned_end=dt.date(2029, 10, 1))  # fmt: skip
    return s
