"""Loading the schema prints no drf-spectacular warning (issue 17: a warning about
`position_title` choices on every load; the people filters' `filter_posts` method
declares its type, so drf-spectacular does not guess it from the titles' choices)."""

import pytest
from drf_spectacular.drainage import GENERATOR_STATS

pytestmark = pytest.mark.django_db


def test_schema_loads_without_warnings(world, as_user, people, capsys):
    GENERATOR_STATS.reset()
    capsys.readouterr()
    response = as_user(world.viewer_a).get("/api/schema/?format=json")
    assert response.status_code == 200
    assert dict(GENERATOR_STATS._warn_cache) == {}
    assert dict(GENERATOR_STATS._error_cache) == {}
    assert capsys.readouterr().err == ""
