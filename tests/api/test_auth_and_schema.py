"""Session and token authentication, the create-api-token command, the OpenAPI schema.

Tokens in depth (expiry, revocation, audit, the api-tokens command): tests/accounts/test_api_tokens.py.
"""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from canbo.accounts.models import ApiToken

from .conftest import db_state, results


def create_token(*args) -> str:
    out = io.StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def test_command_prints_a_new_token_and_stores_only_its_hash(world):
    key = create_token("xem_a")
    assert len(key) == 64
    token = ApiToken.objects.get(user=world.viewer_a)
    assert token.digest == hashlib.sha512(key.encode()).hexdigest()
    assert token.token_key == key[:15]
    assert key not in {token.digest, token.token_key, token.name}
    # Each call issues another token (the first one stays valid until revoked or expired).
    second = create_token("xem_a")
    assert second != key
    assert ApiToken.objects.filter(user=world.viewer_a).count() == 2


def test_command_reset_issues_a_new_token(world):
    old = create_token("xem_a")
    new = create_token("xem_a", "--reset")
    assert new != old
    assert list(ApiToken.objects.values_list("token_key", flat=True)) == [new[:15]]


def test_command_refuses_an_unknown_user(world):
    with pytest.raises(CommandError) as err:
        create_token("khong_ton_tai")
    assert str(err.value) == "Không có người dùng “khong_ton_tai”."
    assert ApiToken.objects.count() == 0


def test_command_refuses_a_disabled_user(world):
    world.viewer_a.is_active = False
    world.viewer_a.save(update_fields=["is_active"])
    with pytest.raises(CommandError) as err:
        create_token("xem_a")
    assert str(err.value) == "Tài khoản “xem_a” đã bị khóa; không cấp mã truy cập."
    assert ApiToken.objects.count() == 0


def test_request_with_the_token_works_within_scope(people):
    key = create_token("xem_a")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    rows = results(api.get("/api/people/"))
    assert [r["id_number"] for r in rows] == ["001080000001", "001085000002"]
    assert api.get("/api/people/001075000003/").status_code == 404


def test_token_of_an_editor_can_write_without_csrf(people):
    key = create_token("sua_a")
    api = APIClient(enforce_csrf_checks=True)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.patch("/api/people/001080000001/", {"it_level": "Nâng cao"}, format="json")
    assert response.status_code == 200
    people.anh.refresh_from_db()
    assert people.anh.it_level == "Nâng cao"


@pytest.mark.parametrize("header", ["Token sai-ma", "Token", "Bearer abc", "Token a b"])
def test_bad_tokens_are_refused(people, header):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=header)
    assert api.get("/api/people/").status_code == 401


def test_session_authentication(people):
    api = APIClient()
    api.force_login(people.viewer_a)
    rows = results(api.get("/api/people/"))
    assert [r["id_number"] for r in rows] == ["001080000001", "001085000002"]


def test_session_writes_need_the_csrf_token(people):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(people.editor_a)
    before = db_state()
    response = api.patch("/api/people/001080000001/", {"it_level": "X"}, format="json")
    assert response.status_code == 403
    assert db_state() == before


def test_schema_lists_the_endpoints(world, as_user):
    response = as_user(world.viewer_a).get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert {
        "/api/people/",
        "/api/people/{id_number}/",
        "/api/units/",
        "/api/units/{code}/",
        "/api/positions/",
        "/api/positions/{id}/",
        "/api/areas/",
        "/api/areas/{code}/",
    } <= set(schema["paths"])
    people = schema["paths"]["/api/people/"]
    assert set(people) == {"get", "post"}
    assert set(schema["paths"]["/api/people/{id_number}/"]) == {"get", "put", "patch"}
    parameters = {p["name"] for p in people["get"]["parameters"]}
    assert {"search", "unit", "sex", "age_min", "age_max", "position_title", "page"} <= parameters


def test_schema_lists_the_qd377_exceptions_of_a_discipline(world, as_user):
    schema = as_user(world.viewer_a).get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    field = components["Discipline"]["properties"]["planning_exception"]
    assert field["title"] == "Ngoại lệ theo QĐ 377"
    assert field["oneOf"] == [
        {"$ref": "#/components/schemas/PlanningExceptionEnum"},
        {"$ref": "#/components/schemas/BlankEnum"},
    ]
    assert components["PlanningExceptionEnum"]["enum"] == [
        "self_criticism",
        "not_imposed",
        "expired",
    ]
    assert components["BlankEnum"]["enum"] == [""]


def test_schema_yaml_is_served_too(world, as_user):
    response = as_user(world.viewer_a).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/people/{id_number}/" in response.content


@pytest.mark.parametrize(
    "path",
    [
        "/api/",
        "/api/people/",
        "/api/people/001080000001/",
        "/api/units/",
        "/api/units/XA/",
        "/api/positions/",
        "/api/areas/",
        "/api/areas/01/",
    ],
)
def test_browsable_api_renders_without_leaking_other_units(people, as_user, path):
    response = as_user(people.editor_a).get(path, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    content = response.content.decode()
    # The write forms name units by code in a text box, not in a list of every unit.
    assert "Đảng ủy xã Bình Minh" not in content
    assert "Tỉnh ủy Thử Nghiệm" not in content
