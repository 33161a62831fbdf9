"""A test province with known answers for the report forms (TK-CB first).

On the shared `world` (TU > XA, XB communes, from 01/07/2025) this adds a pre-2025
district committee HU (valid to 30/06/2025) under TU with an old commune XC under it
(valid to 30/06/2025), and these main posts:

    person  sex  born        ethnicity  religion   degree    theory  sm   party     post (held)
    Hà      F    10/05/1990  Tày (min)  Buddhism   master    mid     CV   2015      TU-PBT 2020–
    Hùng    M    01/01/1970  Kinh       –          doctor    high    CVCC 1995      TU-BT 2020–
    Lan     F    15/12/1996  Kinh       none       bachelor  low     –    –         XA-CT 07/2025–
    Minh    M    04/12/1965  Kinh       –          bachelor  high    CVC  1990      XB-BT 07/2025–
            and concurrently XA-PBT (not counted twice)
    Nam     M    1980 (Y)    Kinh       –          college   –       –    01/2026   HU-BT 2020–06/2025,
                                                                                  then XB-CT 07/2025–
    Oanh    F    20/02/1985  Mường(min) –          bachelor  mid     CV   2010      XC-BT 2018–06/2025

On 04/12/2026: TU Hà, Hùng; XA Lan; XB Minh, Nam; (HU, XC abolished).
On 31/12/2024: TU Hà, Hùng; HU Nam; XC Oanh (under HU).
"""

import datetime as dt
from types import SimpleNamespace

from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.people.choices import Degree, PoliticalTheory, StateManagement
from canbo.people.models import Assignment, Ethnicity
from tests.factories import make_unit
from tests.planning.factories import hold, make_person, make_position

NOW = dt.date(2026, 12, 4)
BEFORE = dt.date(2024, 12, 31)
MERGER_END = dt.date(2025, 6, 30)
MERGER = dt.date(2025, 7, 1)


def build(world) -> SimpleNamespace:
    # (the catalogue comes with the migrations; a transactional test may have flushed it)
    Ethnicity.objects.get_or_create(code="01", defaults={"name": "Kinh", "is_minority": False})
    Ethnicity.objects.get_or_create(code="02", defaults={"name": "Tày", "is_minority": True})
    Ethnicity.objects.get_or_create(code="03", defaults={"name": "Mường", "is_minority": True})
    for unit in (world.xa, world.xb):
        unit.valid_from = MERGER
        unit.save()
    hu = make_unit("HU", "Huyện ủy Cũ", world.tu, UnitKind.PARTY_COMMITTEE, UnitLevel.DISTRICT,
                   valid_to=MERGER_END)  # fmt: skip
    xc = make_unit("XC", "Đảng ủy xã Cũ", hu, UnitKind.PARTY_COMMITTEE, UnitLevel.COMMUNE,
                   valid_to=MERGER_END)  # fmt: skip
    s = SimpleNamespace(hu=hu, xc=xc)
    s.tu_bt = make_position(world.tu, "TU-BT", "Bí thư Tỉnh ủy", 100)
    s.tu_pbt = make_position(world.tu, "TU-PBT", "Phó Bí thư Tỉnh ủy", 90)
    s.hu_bt = make_position(hu, "HU-BT", "Bí thư Huyện ủy", 60, level=UnitLevel.DISTRICT)
    s.xc_bt = make_position(xc, "XC-BT", "Bí thư Đảng ủy xã (cũ)", 40, level=UnitLevel.COMMUNE)
    s.xa_ct = make_position(world.xa, "XA-CT", "Chủ tịch UBND xã", 38, level=UnitLevel.COMMUNE)
    s.xa_pbt = make_position(world.xa, "XA-PBT", "Phó Bí thư Đảng ủy xã", 35,
                             level=UnitLevel.COMMUNE)  # fmt: skip
    s.xb_bt = make_position(world.xb, "XB-BT", "Bí thư Đảng ủy xã", 40, level=UnitLevel.COMMUNE)
    s.xb_ct = make_position(world.xb, "XB-CT", "Chủ tịch UBND xã B", 38, level=UnitLevel.COMMUNE)

    def person(given, sex, born, *, ethnicity="01", **extra):
        return make_person("Trần", "Thị" if sex == "F" else "Văn", given, sex, born,
                           ethnicity=ethnicity, unit=world.tu, **extra)  # fmt: skip

    s.ha = person("Hà", "F", dt.date(1990, 5, 10), ethnicity="02", religion="buddhism",
                  professional_degree=Degree.MASTER, political_theory=PoliticalTheory.INTERMEDIATE,
                  state_management=StateManagement.OFFICER, party_joined_date=dt.date(2015, 3, 3))
    s.hung = person("Hùng", "M", dt.date(1970, 1, 1), professional_degree=Degree.DOCTOR,
                    political_theory=PoliticalTheory.ADVANCED,
                    state_management=StateManagement.SENIOR, party_joined_date=dt.date(1995, 1, 1))
    s.lan = person("Lan", "F", dt.date(1996, 12, 15), religion="none",
                   professional_degree=Degree.BACHELOR, political_theory=PoliticalTheory.ELEMENTARY)
    s.minh = person("Minh", "M", dt.date(1965, 12, 4), professional_degree=Degree.BACHELOR,
                    political_theory=PoliticalTheory.BACHELOR,
                    state_management=StateManagement.PRINCIPAL,
                    party_joined_date=dt.date(1990, 6, 1))
    s.nam = person("Nam", "M", dt.date(1980, 1, 1), birth_date_precision="Y",
                   professional_degree=Degree.COLLEGE, party_joined_date=dt.date(2026, 1, 15))
    s.oanh = person("Oanh", "F", dt.date(1985, 2, 20), ethnicity="03",
                    professional_degree=Degree.BACHELOR,
                    political_theory=PoliticalTheory.INTERMEDIATE,
                    state_management=StateManagement.OFFICER, party_joined_date=dt.date(2010, 1, 1))
    hold(s.ha, s.tu_pbt, dt.date(2020, 10, 1))
    hold(s.hung, s.tu_bt, dt.date(2020, 10, 1))
    hold(s.lan, s.xa_ct, MERGER)
    hold(s.minh, s.xb_bt, MERGER)
    concurrent = hold(s.minh, s.xa_pbt, MERGER)
    Assignment.objects.filter(pk=concurrent.pk).update(is_concurrent=True)
    hold(s.nam, s.hu_bt, dt.date(2020, 10, 1), MERGER_END)
    hold(s.nam, s.xb_ct, MERGER)
    hold(s.oanh, s.xc_bt, dt.date(2018, 1, 1), MERGER_END)
    return s
