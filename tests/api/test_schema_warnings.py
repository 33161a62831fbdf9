"""Loading the schema prints no drf-spectacular warning (issue 17: a warning about
`position_title` choices on every load; the people filters' `filter_posts` method
declares its type, so drf-spectacular does not guess it from the titles' choices; and the
"status" enum naming collision of plans and background jobs, named in
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"])."""

import io
import json

import pytest
from django.core.management import call_command
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


def test_the_schema_command_emits_no_warnings(db, tmp_path, capsys):
    """`canbo spectacular` (as an operator or CI generates the file): no warning, a valid
    schema; the title filters' type declared, not guessed."""
    GENERATOR_STATS.reset()
    capsys.readouterr()
    path = tmp_path / "schema.json"
    out, err = io.StringIO(), io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json",
                 "--file", str(path), stdout=out, stderr=err)  # fmt: skip
    assert (out.getvalue(), err.getvalue(), capsys.readouterr().err) == ("", "", "")
    assert dict(GENERATOR_STATS._warn_cache) == {}
    params = {
        p["name"]: p["schema"]
        for p in json.loads(path.read_text())["paths"]["/api/people/"]["get"]["parameters"]
    }
    assert (params["position_title"], params["also_holds"]) == ({"type": "string"},) * 2
    # Two choice sets on fields named "status", each with its own name (ENUM_NAME_OVERRIDES).
    schemas = json.loads(path.read_text())["components"]["schemas"]
    assert schemas["StatusEnum"]["enum"] == ["draft", "submitted", "approved", "published"]
    assert schemas["JobStatusEnum"]["enum"] == ["queued", "running", "done", "failed", "cancelled"]
    assert [schemas[c]["properties"]["status"]["allOf"] for c in ("Plan", "PlanDetail", "Job")] == [
        [{"$ref": "#/components/schemas/StatusEnum"}],
        [{"$ref": "#/components/schemas/StatusEnum"}],
        [{"$ref": "#/components/schemas/JobStatusEnum"}],
    ]
