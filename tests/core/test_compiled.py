"""core.compiled.StatementCache: compiled once per key, markers replaced by value."""

from __future__ import annotations

import pytest

from canbo.core.compiled import StatementCache
from canbo.organizations.models import Unit
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


def test_a_kept_statement_answers_for_each_value_and_is_built_once():
    root = make_unit("R", "Gốc")
    make_unit("A", "Con A", root)
    other = make_unit("S", "Gốc khác")
    cache, built = StatementCache(), []

    def build():
        built.append(1)
        return Unit.objects.filter(path__startswith="~").order_by("path").values_list("code")

    def codes(unit):
        return [r[0] for r in cache.rows("k", build, {"~%": f"{unit.path}%"})]

    assert codes(root) == ["R", "A"]
    assert codes(other) == ["S"]
    assert len(built) == 1


def test_a_marker_must_be_exactly_one_parameter():
    cache = StatementCache()
    with pytest.raises(ValueError, match="found 0 times"):
        cache.statement("a", lambda: Unit.objects.filter(code="x"), {"~": "y"})
    twice = Unit.objects.filter(code="~") | Unit.objects.filter(name="~")
    with pytest.raises(ValueError, match="found 2 times"):
        cache.statement("b", lambda: twice, {"~": "y"})
