"""Helpers of the round tests (no tests here; named test_rounds_* to sit with them): a province editor, commune B's editor, an annual round
2026 of TK-CB issued by TU to its communes, and moments as aware datetimes.

On the known-answer province (`province.py`) at the cut-off 14/12/2026 the communes
report: XA Lan (F, 29, bachelor, elementary theory, not a party member); XB Minh (M, 61,
bachelor, theory bachelor, principal officer, party 1990) and Nam (M, 46, college,
party 15/01/2026).
"""

import datetime as dt

import pytest
from django.utils import timezone

from canbo.accounts.models import Role
from canbo.organizations.choices import UnitLevel
from canbo.reports import services
from canbo.reports.periods import PeriodKind
from tests.factories import UserFactory, grant
from tests.planning.factories import hold, make_position

from . import province

ISSUED = dt.date(2026, 11, 20)
CUT_OFF = dt.date(2026, 12, 14)
DEADLINE = dt.date(2026, 12, 21)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def p(world):
    return province.build(world)


@pytest.fixture
def province_editor(world):
    user = UserFactory(username="sua_tinh", role=Role.EDITOR)
    grant(user, world.tu)
    return user


@pytest.fixture
def editor_b(world):
    user = UserFactory(username="sua_b", role=Role.EDITOR)
    grant(user, world.xb)
    return user


def make_round(world, actor, **extra):
    values = {"form_codes": ["tk-cb"], "period_kind": PeriodKind.ANNUAL, "year": 2026,
              "deadline": DEADLINE, "issuing_unit": world.tu, "level": UnitLevel.COMMUNE,
              "issued_on": ISSUED, **extra}  # fmt: skip
    return services.round_create(actor=actor, **values)


@pytest.fixture
def r(world, p, province_editor):
    """An annual round 2026 of TK-CB issued by TU to its communes."""
    return make_round(world, province_editor)


def nonzero(counts: dict, row: str = "total") -> dict:
    """The non-zero count cells of a row, {column: n} (keys (row, column) or "row:column")."""
    found = {}
    for key, n in counts.items():
        r, c = key if isinstance(key, tuple) else key.split(":")
        if r == row and n:
            found[c] = n
    return found


def hold_another(world, p):
    """Another main post at XA from 01/12/2026 (Oanh, back after her old commune ended)."""
    post = make_position(world.xa, "XA-PCT", "Phó Chủ tịch UBND xã", 30, level=UnitLevel.COMMUNE)
    return hold(p.oanh, post, dt.date(2026, 12, 1))
