"""The sample's rotations (rules R1–R3), part of the admin's parameter sample
(`rules.sample`): every parameter read and every rule broken at least once on 1 March
2026 — a rotated cadre in no plan (R1), one with under ten years left (R2), a rotation
planned for twelve months (R3) and a secondment of four years (R3)."""

from __future__ import annotations

import datetime as dt

from .facts import EntryFacts, PersonFacts, PositionFacts
from .facts_rotation import RotationCheckFacts, RotationFacts


def _person(id, name, born):
    return PersonFacts(id=id, id_number=f"0010{born.year % 100:02d}{900 + id:06d}",
                       full_name=name, sex="M", birth_date=born, is_minority=False)  # fmt: skip


def _planned(person_id):
    return (EntryFacts(person_id=person_id, position_id=91, added_on=dt.date(2024, 1, 1)),)


POSITIONS = (
    PositionFacts(id=91, unit_id=91, name="Bí thư Đảng ủy xã (mẫu)", title_code="SR91",
                  level="commune", rank=40, management_level=4),
)  # fmt: skip
PEOPLE = (
    _person(91, "Người luân chuyển 1", dt.date(1990, 1, 1)),
    _person(92, "Người luân chuyển 2", dt.date(1968, 1, 1)),
    _person(93, "Người luân chuyển 3", dt.date(1989, 1, 1)),
    _person(94, "Người biệt phái", dt.date(1988, 1, 1)),
)
ROTATIONS = (
    RotationFacts(id=91, person_id=91, kind="rotation", purpose="training", to_position_id=91,
                  start_date=dt.date(2026, 1, 5), planned_end=dt.date(2029, 1, 5)),
    RotationFacts(id=92, person_id=92, kind="rotation", purpose="training", to_position_id=91,
                  start_date=dt.date(2026, 2, 1), planned_end=dt.date(2029, 2, 1),
                  plan_entries=_planned(92)),
    RotationFacts(id=93, person_id=93, kind="rotation", purpose="other", to_position_id=91,
                  start_date=dt.date(2025, 6, 1), planned_end=dt.date(2026, 6, 1),
                  plan_entries=_planned(93)),
    RotationFacts(id=94, person_id=94, kind="secondment", purpose="other", to_position_id=91,
                  start_date=dt.date(2025, 1, 1), planned_end=dt.date(2029, 1, 1)),
)  # fmt: skip
FACTS = RotationCheckFacts.of(ROTATIONS, PEOPLE, POSITIONS)
