from decimal import Decimal

from canbo.core.shares import share_of


def test_share_of_is_computed_not_typed():
    assert share_of(221, 222) == Decimal("99.55")
    assert share_of(709, 724) == Decimal("97.93")
    assert share_of(2, 3) == Decimal("66.67")
    assert share_of(5, 0) is None
    assert share_of(None, 4) == Decimal("0.00")
