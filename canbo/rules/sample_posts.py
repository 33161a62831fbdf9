"""The sample's holders of posts (rules R4 and R5).

Part of the admin's parameter sample (`rules.sample`): every parameter of R4 and R5 is
read and each rule broken once, on 1 March 2026: a local provincial party secretary
(R4), a commune party secretary since October 2015, in his third consecutive term (R5);
beside them holders who break neither: a non-local chair in his second term, a chief
inspector whose hometown is not recorded, a deputy (not a head) in his fourth term.
"""

from __future__ import annotations

import datetime as dt

from canbo.people.tenure import TermSpan

from .facts import PersonFacts
from .facts_posts import HolderFacts, PostsFacts, next_term_start

AS_OF = dt.date(2026, 3, 1)

CALENDAR = (
    TermSpan(dt.date(2015, 10, 1), dt.date(2020, 9, 30), "2015–2020"),
    TermSpan(dt.date(2020, 10, 1), dt.date(2025, 9, 30), "2020–2025"),
    TermSpan(dt.date(2025, 10, 1), dt.date(2030, 9, 30), "2025–2030"),
)


def _person(id, name, born) -> PersonFacts:
    return PersonFacts(id=id, id_number=f"0010{born.year % 100:02d}{id:06d}", full_name=name,
                       sex="M", birth_date=born)  # fmt: skip


def _holder(person, position_id, title, name, unit, level, start, *, head=True, local=None,
            hometown="", calendar=CALENDAR, body="party") -> HolderFacts:  # fmt: skip
    return HolderFacts(
        person=person, position_id=position_id, unit_id=position_id, unit_name=unit,
        unit_path=f"0001{position_id:04d}", level=level, title_id=position_id, title_code=title,
        title_name=name, is_head=head, local=local, hometown_name=hometown, tenure_start=start,
        term_body=body if calendar else None, calendar=calendar,
        next_term_start=next_term_start(calendar, AS_OF),
    )  # fmt: skip


HOLDERS = (
    _holder(_person(41, "Hoàng Văn Khải", dt.date(1968, 2, 3)), 41, "TU-BT", "Bí thư Tỉnh ủy",
            "Tỉnh ủy (mẫu)", "province", dt.date(2024, 1, 1), local=True,
            hometown="Tỉnh (mẫu)"),
    _holder(_person(42, "Vũ Văn Long", dt.date(1970, 5, 6)), 42, "UBND-T-CT", "Chủ tịch UBND tỉnh",
            "UBND tỉnh (mẫu)", "province", dt.date(2021, 6, 1), local=False,
            hometown="Tỉnh khác (mẫu)", body="peoples_council"),
    _holder(_person(43, "Lê Văn Mạnh", dt.date(1972, 8, 9)), 43, "TT-T-CTT", "Chánh Thanh tra tỉnh",
            "Thanh tra tỉnh (mẫu)", "province", dt.date(2012, 1, 1), calendar=()),
    _holder(_person(44, "Đinh Văn Nam", dt.date(1971, 1, 1)), 44, "X-BT", "Bí thư Đảng ủy xã",
            "Đảng ủy xã (mẫu)", "commune", dt.date(2015, 10, 1), local=True,
            hometown="Xã (mẫu)"),
    _holder(_person(45, "Bùi Văn Oanh", dt.date(1969, 3, 3)), 45, "X-PBT",
            "Phó Bí thư Đảng ủy xã", "Đảng ủy xã (mẫu)", "commune", dt.date(2008, 1, 1),
            head=False, local=True),
)  # fmt: skip

FACTS = PostsFacts.of(HOLDERS)
