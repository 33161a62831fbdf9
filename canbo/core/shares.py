"""Shares are computed from counts, never typed (221/222 is 99.55%, not a guess)."""

from decimal import Decimal


def share_of(part, base) -> Decimal | None:
    """Percentage of `part` in `base`, two decimals; None when the base is zero or unknown."""
    if not base:
        return None
    return (Decimal(part or 0) * 100 / Decimal(base)).quantize(Decimal("0.01"))
