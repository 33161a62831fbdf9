"""The schema documents what the API answers, and the API refuses what the schema excludes.

What tests/api/test_schemathesis.py found, pinned down one by one: undocumented
error answers, nullable fields and blank choices not marked, query parameters
accepted as lists or out of range, an HTML page for an unknown address or a
body too large.
"""

import json

import pytest

from .conftest import db_state

METHODS = {"get", "post", "put", "patch", "delete"}
ERRORS = {"400", "401", "403", "404", "429"}
BODY_ERRORS = {"413", "415"}


@pytest.fixture
def schema(world, as_user):
    response = as_user(world.viewer_a).get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


#: Files made by LibreOffice: 503 with the reason when it is missing or fails.
UNAVAILABLE = {"/api/people/{id_number}/2c/"}


def test_every_operation_documents_the_errors_it_can_answer(schema):
    seen = 0
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        expected = ERRORS | (BODY_ERRORS if method in {"post", "put", "patch"} else set())
        assert expected <= codes, (method, path, codes)
        extra = {"503"} if path in UNAVAILABLE else set()  # LibreOffice missing or failing
        assert codes - expected - {"200", "201", "204"} == extra, (method, path, codes)
        assert "204" not in codes or method == "delete", (method, path, codes)
        seen += 1
    # + 3 of report forms (list, one, computed report); + 7 of report rounds (list, issue,
    # one, change, completeness, total, reconciliation); + 10 of submissions (list, open,
    # queue, one, correct, withdraw a correction, recompute, submit, accept, return)
    assert seen == 117
    error = {"$ref": "#/components/schemas/Error"}
    people = schema["paths"]["/api/people/"]["post"]["responses"]
    assert people["401"]["content"]["application/json"]["schema"] == error
    assert people["413"]["content"]["application/json"]["schema"] == error
    assert people["400"]["content"]["application/json"]["schema"]["additionalProperties"] == {}
    record = schema["paths"]["/api/people/{id_number}/2c/"]["get"]
    binary = {"type": "string", "format": "binary"}
    assert record["responses"]["200"]["content"] == {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"schema": binary},
        "application/pdf": {"schema": binary},
    }
    assert record["responses"]["503"]["content"]["application/json"]["schema"] == error
    assert [(p["name"], p["schema"]) for p in record["parameters"]] == [
        ("format", {"type": "string", "enum": ["docx", "pdf"]}),
        ("id_number", {"type": "string", "pattern": "^[^/]+$"}),
    ]
    assert schema["components"]["schemas"]["Error"] == {
        "type": "object",
        "properties": {"detail": {"type": "string", "description": "Lý do, bằng tiếng Việt."}},
        "required": ["detail"],
    }


#: Files are sent as multipart form data (field `file`).
UPLOADS = {("/api/directives/{id}/file/", "put")}


def test_request_bodies_are_json(schema):
    for path, method, operation in operations(schema):
        if "requestBody" in operation:
            expected = {"multipart/form-data"} if (path, method) in UPLOADS else {"application/json"}
            assert set(operation["requestBody"]["content"]) == expected, path


def test_fields_that_answer_null_or_blank_say_so(schema):
    components = schema["components"]["schemas"]
    assert components["Assignment"]["properties"]["end_date"]["nullable"] is True
    assert components["Plan"]["properties"]["approver_unit"]["nullable"] is True
    assert components["PlanDetail"]["properties"]["approver_unit"]["nullable"] is True
    assert components["PlanReview"]["properties"]["actor"]["nullable"] is True
    assert components["PlanTransition"]["properties"]["actor"]["nullable"] is True
    assert components["PlanEntry"]["properties"]["removal_reason"]["oneOf"] == [
        {"$ref": "#/components/schemas/RemovalReasonEnum"},
        {"$ref": "#/components/schemas/BlankEnum"},
    ]
    # Never blank, never null: a required column stays as it was.
    assert "nullable" not in components["Plan"]["properties"]["planning_unit"]
    assert "nullable" not in components["Assignment"]["properties"]["start_date"]


def test_query_parameters(schema):
    people = {p["name"]: p for p in schema["paths"]["/api/people/"]["get"]["parameters"]}
    assert people["page"]["schema"] == {"type": "integer", "minimum": 1}
    assert people["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 1000}
    assert people["count"]["schema"] == {"type": "string", "enum": ["exact"]}
    # An empty value is no value (the browsable API's filter form sends every field).
    assert {name for name, p in people.items() if p.get("allowEmptyValue")} == set(people)
    detail = schema["paths"]["/api/people/{id_number}/"]["get"]["parameters"]
    assert [(p["name"], p.get("allowEmptyValue")) for p in detail] == [("id_number", None)]


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("page_size=0", {"page_size": ["Số bản ghi mỗi trang phải là một số nguyên từ 1 đến 1000."]}),
        ("page_size=1e3", {"page_size": ["Số bản ghi mỗi trang phải là một số nguyên từ 1 đến 1000."]}),
        ("page=-2", {"page": ["Số trang phải là một số nguyên dương."]}),
        ("page=٣", {"page": ["Số trang phải là một số nguyên dương."]}),
        ("page_size=5&page_size=5", {"page_size": ["Tham số này chỉ được ghi một lần."]}),
        ("search=a&search=b&page=1", {"search": ["Tham số này chỉ được ghi một lần."]}),
        ("count=EXACT", {"count": ["Chỉ nhận giá trị “exact”."]}),
        ("minority=yes", {"minority": ["Giá trị phải là true hoặc false."]}),
        ("is_local=1&minority=0", {
            "is_local": ["Giá trị phải là true hoặc false."],
            "minority": ["Giá trị phải là true hoặc false."],
        }),
    ],
)  # fmt: skip
def test_query_parameters_outside_the_schema_are_refused(people, as_user, query, errors):
    response = as_user(people.viewer_a).get(f"/api/people/?{query}")
    assert response.status_code == 400
    assert response.json() == errors


@pytest.mark.parametrize("path", ["/api/areas/", "/api/units/"])
def test_boolean_filters_of_the_reference_lists(people, as_user, path):
    api = as_user(people.viewer_a)
    assert api.get(f"{path}?current=2").json() == {"current": ["Giá trị phải là true hoặc false."]}
    for value in ("true", "FALSE", "", "unknown"):
        assert api.get(f"{path}?current={value}").status_code == 200


def test_page_sizes_within_the_bounds(people, as_user):
    api = as_user(people.viewer_a)
    assert [len(api.get(f"/api/people/?page_size={n}").json()["results"]) for n in (1, 2)] == [
        1,
        2,
    ]
    second = api.get("/api/people/?page_size=1&page=002").json()
    assert [row["id_number"] for row in second["results"]] == ["001085000002"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/plan-entries/1.5/"),
        ("post", "/api/plans/1.5/submit/"),
        ("get", "/api/no-such-thing/"),
        ("delete", "/api/people/001080000001/extra/"),
    ],
)
def test_an_unknown_api_address_is_a_json_404(people, as_user, anonymous, method, path):
    for api in (as_user(people.editor_a), anonymous):
        response = getattr(api, method)(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Không tìm thấy."}


def test_an_api_address_without_its_slash_still_redirects(people, as_user):
    response = as_user(people.viewer_a).get("/api/people")
    assert response.status_code == 301
    assert response["Location"] == "/api/people/"


def test_a_form_with_too_many_fields_is_a_json_400(people, as_user, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    before = db_state()
    body = "&".join(f"f{n}=x" for n in range(10))
    response = as_user(people.editor_a).post(
        "/api/people/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Dữ liệu gửi lên có quá nhiều trường."}
    assert db_state() == before


def test_a_body_too_large_is_a_json_413(people, as_user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    before = db_state()
    body = json.dumps({"note": "x" * 1000})
    api = as_user(people.editor_a)
    for method, path in (("post", "/api/people/"), ("patch", "/api/people/001080000001/")):
        response = getattr(api, method)(path, body, content_type="application/json")
        assert response.status_code == 413
        assert response.json() == {"detail": "Dữ liệu gửi lên quá lớn."}
    assert db_state() == before
