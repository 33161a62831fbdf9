"""A province whose holders of posts break R4 and R5 exactly once each (issue 15).

Built on the `world` fixture (province 01 > communes 00001, 00002; Tỉnh ủy TU > XA, XB).
Communes XA and XB merged into XC on 01/07/2025. Terms: the party congress 2015–2020,
2020–2025, 2025–2030 (the next one derived: 01/10/2030); People's Councils 2016–2021,
2021–2026, 2026–2031 (the next one recorded: 01/06/2026). Asked on 15/01/2026.

Holders on that day, by key (unit XC has no area: it governs the province's):

- "bt": Bí thư Tỉnh ủy since 01/01/2024, hometown commune 00001 (in the province): local,
  the one R4 finding. One party term (21 months of 2020–2025 do not count).
- "ct": Chủ tịch UBND tỉnh since 01/06/2016 in two rows (split on 01/06/2019), hometown
  another province: two People's Council terms, the limit when the next term starts on
  01/06/2026 (recorded): watched, no finding.
- "tt": Chánh Thanh tra tỉnh since 2010, hometown not recorded: a department has no term
  calendar and the locality is unknown: nothing.
- "xc": Bí thư Đảng ủy xã XA from 01/01/2021, then of XC after the merger from
  01/07/2025, hometown commune 00002: two party terms through the merger (one if the
  merger were not followed), the limit at 01/10/2030 (derived): watched.
- "xb": XB's secretary from 01/10/2015 to 30/06/2025, then XC's deputy: not a head on the
  day: nothing.
- "r5": Bí thư Đảng ủy xã X9 since 01/10/2015: three party terms, the one R5 finding
  (watched too: three at the next term).
- "gap": Bí thư Đảng ủy xã X8 from 01/01/2018 to 29/06/2023 and again from 01/07/2023: the
  uncovered day breaks the tenure (from 01/07/2023): one term, not watched.
- "deputy": Phó Bí thư Đảng ủy xã X9 since 2008, not a head: nothing.
"""

from __future__ import annotations

import datetime as dt

from canbo.organizations.choices import TermBody, UnitKind, UnitLevel
from canbo.organizations.models import Position, PositionTitle, Term, UnitSuccession
from canbo.people.models import Assignment
from tests.factories import PersonFactory, make_area, make_unit

D = dt.date
ON = D(2026, 1, 15)
PARTY, COMMITTEE = UnitKind.PARTY_COMMITTEE, UnitKind.PEOPLES_COMMITTEE
PROV, COMM = UnitLevel.PROVINCE, UnitLevel.COMMUNE

TITLES = (
    # code, name, level, is_key, is_head
    ("TU-BT", "Bí thư Tỉnh ủy", PROV, True, True),
    ("UBND-T-CT", "Chủ tịch UBND tỉnh", PROV, True, True),
    ("TT-T-CTT", "Chánh Thanh tra tỉnh", PROV, False, True),
    ("X-BT", "Bí thư Đảng ủy xã", COMM, True, True),
    ("X-PBT", "Phó Bí thư Đảng ủy xã", COMM, True, False),
)


def hold(person, post, start, end=None, **extra):
    return Assignment.objects.create(
        person=person, position=post, title_name=post.title.name, unit_name=post.unit.name,
        start_date=start, end_date=end, **extra,
    )  # fmt: skip


def build(world):
    """Units, titles, terms and holders; returns `world` with `units`, `post`, `people`
    (key → Person) and `rows` (key → its Assignment ids)."""
    other = make_area("02", "Tỉnh Khác")
    ub = make_unit("UBT", "UBND tỉnh Thử Nghiệm", world.tu, COMMITTEE, PROV)
    tt = make_unit("TTT", "Thanh tra tỉnh", world.tu, UnitKind.DEPARTMENT, PROV)
    xc = make_unit("XC", "Đảng ủy xã An Minh", world.tu, PARTY, COMM)
    x8 = make_unit("X8", "Đảng ủy xã Số 8", world.tu, PARTY, COMM)
    x9 = make_unit("X9", "Đảng ủy xã Số 9", world.tu, PARTY, COMM)
    for old in (world.xa, world.xb):
        old.valid_to = D(2025, 6, 30)
        old.save(update_fields=["valid_to"])
        UnitSuccession.objects.create(predecessor=old, successor=xc, effective_date=D(2025, 7, 1))
    for body, terms in (
        (TermBody.PARTY, ((2015, 10, 1), (2020, 10, 1), (2025, 10, 1))),
        (TermBody.PEOPLES_COUNCIL, ((2016, 6, 1), (2021, 6, 1), (2026, 6, 1))),
    ):
        for y, m, d in terms:
            Term.objects.create(body=body, name=f"{y}–{y + 5}", start_date=D(y, m, d),
                                end_date=D(y + 5, m, d) - dt.timedelta(days=1))  # fmt: skip
    titles = {
        code: PositionTitle.objects.create(code=code, name=name, level=level, rank=50,
                                           is_key=key, is_head=head)
        for code, name, level, key, head in TITLES
    }  # fmt: skip
    units = {"TU": world.tu, "UBT": ub, "TTT": tt, "XA": world.xa, "XB": world.xb, "XC": xc,
             "X8": x8, "X9": x9}  # fmt: skip
    post = {
        (unit, code): Position.objects.create(unit=units[unit], title=titles[code])
        for unit, code in (("TU", "TU-BT"), ("UBT", "UBND-T-CT"), ("TTT", "TT-T-CTT"),
                           ("XA", "X-BT"), ("XB", "X-BT"), ("XC", "X-BT"), ("XC", "X-PBT"),
                           ("X8", "X-BT"), ("X9", "X-BT"), ("X9", "X-PBT"))
    }  # fmt: skip

    def person(key, hometown):
        return PersonFactory(given_name=key, hometown=hometown, unit=world.tu)

    people = {
        "bt": person("Bt", world.commune_a),
        "ct": person("Ct", other),
        "tt": person("Tt", None),
        "xc": person("Xc", world.commune_b),
        "xb": person("Xb", other),
        "r5": person("Rn", other),
        "gap": person("Gap", other),
        "deputy": person("Deputy", world.commune_a),
    }
    p = people
    rows = {
        "bt": [hold(p["bt"], post["TU", "TU-BT"], D(2024, 1, 1))],
        "ct": [hold(p["ct"], post["UBT", "UBND-T-CT"], D(2016, 6, 1), D(2019, 5, 31)),
               hold(p["ct"], post["UBT", "UBND-T-CT"], D(2019, 6, 1))],
        "tt": [hold(p["tt"], post["TTT", "TT-T-CTT"], D(2010, 1, 1))],
        "xc": [hold(p["xc"], post["XA", "X-BT"], D(2021, 1, 1), D(2025, 6, 30)),
               hold(p["xc"], post["XC", "X-BT"], D(2025, 7, 1))],
        "xb": [hold(p["xb"], post["XB", "X-BT"], D(2015, 10, 1), D(2025, 6, 30)),
               hold(p["xb"], post["XC", "X-PBT"], D(2025, 7, 1))],
        "r5": [hold(p["r5"], post["X9", "X-BT"], D(2015, 10, 1))],
        "gap": [hold(p["gap"], post["X8", "X-BT"], D(2018, 1, 1), D(2023, 6, 29)),
                hold(p["gap"], post["X8", "X-BT"], D(2023, 7, 1))],
        "deputy": [hold(p["deputy"], post["X9", "X-PBT"], D(2008, 1, 1))],
    }  # fmt: skip
    for unit in units.values():
        unit.refresh_from_db()
    world.units, world.post, world.people, world.other = units, post, people, other
    world.rows = {key: [r.pk for r in found] for key, found in rows.items()}
    return world
