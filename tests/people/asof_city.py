"""A small city asked about at two dates (issue 13): 30/06/2015 and 30/11/2018.

Areas: province 01 > old district cu-001 (to 30/06/2025) > old commune cu-00004 (to
30/06/2025); new commune 00004 (from 01/07/2025) directly under the province.
Units: Thành ủy (TU, province) > Huyện ủy Đông Anh (HDA, district, to 30/06/2025) and
Đảng ủy xã Đông Anh (XDA, commune, from 01/07/2025); Huyện ủy Sóc Sơn (HSS, district);
a second "Huyện ủy Đông Anh" (HDA2) in another province's tree (another root, PX).
Titles: BT (Bí thư, level-neutral), CT (Chủ tịch UBND), PBT (Phó Bí thư).

Work history:
- An (born 15/06/1960): BT of HDA 01/01/2010 – 05/2016 (month only);
- Bình (born 1965, year only): BT of HDA from 06/2016 (month only), open; CT of HDA,
  concurrent, 2017 – 2020 (years only);
- Cường (born 20/02/1970): CT of HDA 01/03/2012 – 31/12/2016; then BT of HSS from 01/01/2017;
- Dung (born 29/02/1972): PBT of HDA from 01/01/2014, open (a deputy);
- Em (born 01/01/1980): BT of TU (province) from 01/01/2015, open.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from canbo.organizations.choices import AreaKind, AreaLevel, UnitKind, UnitLevel
from canbo.people.models import Assignment
from tests.factories import (
    PersonFactory,
    PositionFactory,
    PositionTitleFactory,
    make_area,
    make_unit,
)

D2015 = dt.date(2015, 6, 30)
D2018 = dt.date(2018, 11, 30)
TODAY = dt.date(2026, 2, 5)
OLD_END = dt.date(2025, 6, 30)
REFORM = dt.date(2025, 7, 1)


def hold(person, position, start, end=None, *, start_precision="D", end_precision="D",
         concurrent=False):  # fmt: skip
    return Assignment.objects.create(
        person=person,
        position=position,
        title_name=position.title.name,
        unit_name=position.unit.name,
        start_date=start,
        start_precision=start_precision,
        end_date=end,
        end_precision=end_precision,
        is_concurrent=concurrent,
    )


def build_city() -> SimpleNamespace:
    c = SimpleNamespace()
    c.p = make_area("01", "Thành phố Thử Nghiệm")
    c.old_district = make_area(
        "cu-001", "Huyện Đông Anh", c.p, AreaKind.DISTRICT, AreaLevel.DISTRICT, valid_to=OLD_END
    )
    c.old_commune = make_area(
        "cu-00004", "Xã Uy Nỗ", c.old_district, AreaKind.COMMUNE, AreaLevel.COMMUNE,
        valid_to=OLD_END,
    )  # fmt: skip
    c.new_commune = make_area(
        "00004", "Xã Đông Anh", c.p, AreaKind.COMMUNE, AreaLevel.COMMUNE, valid_from=REFORM
    )
    c.tu = make_unit("TU", "Thành ủy Thử Nghiệm", area=c.p)
    c.hda = make_unit("HDA", "Huyện ủy Đông Anh", c.tu, UnitKind.PARTY_COMMITTEE,
                      UnitLevel.DISTRICT, area=c.old_district, valid_to=OLD_END)  # fmt: skip
    c.hss = make_unit("HSS", "Huyện ủy Sóc Sơn", c.tu, UnitKind.PARTY_COMMITTEE,
                      UnitLevel.DISTRICT, valid_to=OLD_END)  # fmt: skip
    c.xda = make_unit("XDA", "Đảng ủy xã Đông Anh", c.tu, UnitKind.PARTY_COMMITTEE,
                      UnitLevel.COMMUNE, area=c.new_commune, valid_from=REFORM)  # fmt: skip
    c.px = make_unit("PX", "Tỉnh ủy Khác")
    c.hda2 = make_unit("HDA2", "Huyện ủy Đông Anh", c.px, UnitKind.PARTY_COMMITTEE,
                       UnitLevel.DISTRICT)  # fmt: skip
    for unit in (c.tu, c.hda, c.hss, c.xda, c.px, c.hda2):
        unit.refresh_from_db()

    c.bt = PositionTitleFactory(code="BT", name="Bí thư", level=UnitLevel.DISTRICT, rank=30)
    c.ct = PositionTitleFactory(code="CT", name="Chủ tịch UBND", level=UnitLevel.DISTRICT, rank=20)
    c.pbt = PositionTitleFactory(code="PBT", name="Phó Bí thư", level=UnitLevel.DISTRICT, rank=25)
    c.bt_hda = PositionFactory(unit=c.hda, title=c.bt)
    c.ct_hda = PositionFactory(unit=c.hda, title=c.ct)
    c.pbt_hda = PositionFactory(unit=c.hda, title=c.pbt, seats=2)
    c.bt_hss = PositionFactory(unit=c.hss, title=c.bt)
    c.bt_tu = PositionFactory(unit=c.tu, title=c.bt)

    # Records kept one level up (the city committee), as committees usually keep them.
    c.an = PersonFactory(id_number="001060000001", family_name="Lê", middle_name="Văn",
                         given_name="An", birth_date=dt.date(1960, 6, 15), unit=c.tu)  # fmt: skip
    c.binh = PersonFactory(id_number="001065000002", family_name="Phạm", middle_name="Văn",
                           given_name="Bình", birth_date=dt.date(1965, 1, 1),
                           birth_date_precision="Y", unit=c.tu)  # fmt: skip
    c.cuong = PersonFactory(id_number="001070000003", family_name="Trần", middle_name="Văn",
                            given_name="Cường", birth_date=dt.date(1970, 2, 20), unit=c.tu)  # fmt: skip
    c.dung = PersonFactory(id_number="001072000004", family_name="Vũ", middle_name="Thị",
                           given_name="Dung", sex="F", birth_date=dt.date(1972, 2, 29),
                           unit=c.tu)  # fmt: skip
    c.em = PersonFactory(id_number="001080000005", family_name="Đỗ", middle_name="Văn",
                         given_name="Em", birth_date=dt.date(1980, 1, 1), unit=c.tu)  # fmt: skip

    c.an_bt = hold(c.an, c.bt_hda, dt.date(2010, 1, 1), dt.date(2016, 5, 1), end_precision="M")
    c.binh_bt = hold(c.binh, c.bt_hda, dt.date(2016, 6, 1), start_precision="M")
    c.binh_ct = hold(c.binh, c.ct_hda, dt.date(2017, 1, 1), dt.date(2020, 1, 1),
                     start_precision="Y", end_precision="Y", concurrent=True)  # fmt: skip
    c.cuong_ct = hold(c.cuong, c.ct_hda, dt.date(2012, 3, 1), dt.date(2016, 12, 31))
    c.cuong_bt = hold(c.cuong, c.bt_hss, dt.date(2017, 1, 1))
    c.dung_pbt = hold(c.dung, c.pbt_hda, dt.date(2014, 1, 1))
    c.em_bt = hold(c.em, c.bt_tu, dt.date(2015, 1, 1))
    return c
