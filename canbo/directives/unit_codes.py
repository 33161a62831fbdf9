"""Unit codes typed into the directive forms: one box ("CODE · Name", as the unit
suggestions fill it) or a list (one a line, or separated by commas or semicolons),
resolved among the units the user may read; the forms and the API name unknown codes
the same way."""

from __future__ import annotations

import re

from django.utils.translation import gettext

from canbo.organizations.models import Unit

SEPARATOR = " · "  # the unit box's "CODE · Name" (organizations' UnitSuggestView)


def code_of(text: str) -> str:
    return (text or "").split(SEPARATOR, 1)[0].strip()


def split_codes(text: str) -> list[str]:
    """The codes in `text`, each once, in the order typed."""
    return list(dict.fromkeys(c for c in map(code_of, re.split(r"[\n\r,;]+", text or "")) if c))


def units_by_code(units, codes: list[str]) -> tuple[list[Unit], list[str]]:
    """The units of `units` (a scoped queryset: `selectors.visible_units(user)`) with
    these codes, in the order given, and the codes not found among them."""
    found = {u.code: u for u in units.filter(code__in=codes)} if codes else {}
    return [found[c] for c in codes if c in found], [c for c in codes if c not in found]


def unknown_message(codes: list[str]) -> str:
    return gettext("Không tìm thấy đơn vị có mã: %(codes)s.") % {"codes": ", ".join(codes)}
