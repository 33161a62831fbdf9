"""Junk in, 400 (or 404) out, with Vietnamese messages; never a 500 and never a change."""

import json

import pytest

from canbo.core.models import AccessEvent

from .conftest import db_state

VALID = {
    "id_number": "001090000010",
    "family_name": "Lê",
    "middle_name": "Thị",
    "given_name": "Hoa",
    "sex": "F",
    "birth_date": "05/03/1990",
    "unit": "XA",
    "hometown": "00001",
    "ethnicity": "01",
}

NOT_TEXT = "Giá trị phải là một chuỗi ký tự."
BAD_DATE = "Ngày không hợp lệ; hãy viết dd/mm/yyyy, mm/yyyy hoặc yyyy."
BAD_FULL_DATE = "Ngày không hợp lệ; hãy viết dd/mm/yyyy hoặc yyyy-mm-dd."
TWELVE_DIGITS = "Số định danh cá nhân phải gồm đúng 12 chữ số."
BAD_TEXT = "Chuỗi chứa ký tự không hợp lệ."
ELSEWHERE = "Số định danh này đã có hồ sơ do đơn vị khác quản lý; đề nghị đơn vị đó chuyển hồ sơ."

JUNK = [
    # (field, value, expected messages for that field)
    ("id_number", "01090000010", [
        "Số định danh cá nhân phải gồm đúng 12 chữ số "
        "(số này có 11 chữ số: có thể đã mất số 0 ở đầu)."
    ]),
    ("id_number", "0010900000101", [TWELVE_DIGITS]),
    ("id_number", "00109000001a", [TWELVE_DIGITS]),
    ("id_number", "１２３４５６７８９０１２", [TWELVE_DIGITS]),
    ("id_number", 1090000010, [TWELVE_DIGITS]),
    ("id_number", "001080000001", ["Đã có cán bộ với số định danh cá nhân này."]),
    ("id_number", "9" * 100_000, ["Tối đa 50 ký tự."]),
    ("id_number", None, ["Trường này không được để trống."]),
    ("family_name", "A" * 100_000, ["Tối đa 50 ký tự."]),
    ("family_name", "   ", ["Trường này không được bỏ trống."]),
    ("family_name", None, ["Trường này không được để trống."]),
    ("family_name", ["Lê"], [NOT_TEXT]),
    ("family_name", {"vi": "Lê"}, [NOT_TEXT]),
    ("family_name", True, [NOT_TEXT]),
    ("family_name", "Lê\x00", [BAD_TEXT]),
    ("family_name", "L\ud800", [BAD_TEXT]),
    ("middle_name", "x" * 101, ["Tối đa 100 ký tự."]),
    ("given_name", "", ["Trường này không được bỏ trống."]),
    ("sex", "X", ["Giá trị không hợp lệ; chọn một trong: M, F."]),
    ("sex", "m", ["Giá trị không hợp lệ; chọn một trong: M, F."]),
    ("sex", 1, ["Giá trị không hợp lệ; chọn một trong: M, F."]),
    ("sex", ["M"], ["Giá trị không hợp lệ; chọn một trong: M, F."]),
    ("sex", None, ["Trường này không được để trống."]),
    ("birth_date", "31/02/2020", ["Ngày 31/02/2020 không tồn tại."]),
    ("birth_date", "29/02/2023", ["Ngày 29/02/2023 không tồn tại."]),
    ("birth_date", "2020-13", ["Ngày 2020-13 không tồn tại."]),
    ("birth_date", "13/2020", ["Ngày 13/2020 không tồn tại."]),
    ("birth_date", "00/2020", ["Ngày 00/2020 không tồn tại."]),
    ("birth_date", "0000", ["Ngày 0000 không tồn tại."]),
    ("birth_date", "1990/03/05", [BAD_DATE]),
    ("birth_date", "05 tháng 3 năm 1990", [BAD_DATE]),
    ("birth_date", "", [BAD_DATE]),
    ("birth_date", 19900305, [BAD_DATE]),
    ("birth_date", True, [BAD_DATE]),
    ("birth_date", ["1990"], [BAD_DATE]),
    ("birth_date", {"year": 1990}, [BAD_DATE]),
    ("birth_date", "1" * 100_000, [BAD_DATE]),
    ("birth_date", None, ["Trường này không được để trống."]),
    ("birth_date", "1899", ["Năm không được trước 1900."]),
    ("birth_date", "31/12/1899", ["Năm không được trước 1900."]),
    ("birth_date", "06/02/2026", ["Ngày không được ở tương lai."]),
    ("birth_date", "03/2026", ["Ngày không được ở tương lai."]),
    ("birth_date", "2027", ["Ngày không được ở tương lai."]),
    ("birth_date", "9999-12-31", ["Ngày không được ở tương lai."]),
    ("ethnicity", "99", ["Không có dân tộc với mã này."]),
    ("ethnicity", "x" * 100_000, ["Không có dân tộc với mã này."]),
    ("ethnicity", "0\x001", ["Chuỗi chứa ký tự không hợp lệ."]),
    ("ethnicity", {"code": "01"}, ["Mã không hợp lệ."]),
    ("ethnicity", 1.5, ["Mã không hợp lệ."]),
    ("hometown", "99999", ["Không có địa bàn với mã này."]),
    ("birthplace", ["00001"], ["Mã không hợp lệ."]),
    ("unit", "KHONG-CO", ["Không có đơn vị với mã này."]),
    ("unit", 12345678901234567890123, ["Không có đơn vị với mã này."]),
    ("religion", "satan", [
        "Giá trị không hợp lệ; chọn một trong: none, buddhism, catholic, protestant, "
        "cao_dai, hoa_hao, islam, other."
    ]),
    ("professional_degree", 9, [
        "Giá trị không hợp lệ; chọn một trong: 0, 1, 2, 3, 4, 5."
    ]),
    ("professional_degree", 3.5, [
        "Giá trị không hợp lệ; chọn một trong: 0, 1, 2, 3, 4, 5."
    ]),
    ("political_theory", "cao cấp", [
        "Giá trị không hợp lệ; chọn một trong: 0, 1, 2, 3, 4."
    ]),
    ("retirement_age_override_months", 100, ["Giá trị không được nhỏ hơn 600."]),
    ("retirement_age_override_months", 10**30, ["Giá trị không được lớn hơn 900."]),
    ("retirement_age_override_months", "sáu mươi", ["Giá trị phải là một số nguyên."]),
    ("retirement_age_override_months", 720.5, ["Giá trị phải là một số nguyên."]),
    ("retirement_age_override_months", "9" * 5000, ["Giá trị quá dài."]),
    ("party_joined_date", "31/02/2020", ["Ngày 31/02/2020 không tồn tại."]),
    ("party_joined_date", "2020-02-30", ["Ngày 2020-02-30 không tồn tại."]),
    ("party_joined_date", "0000-01-01", ["Ngày 0000-01-01 không tồn tại."]),
    ("party_joined_date", "99999-01-01", [BAD_FULL_DATE]),
    ("party_joined_date", 2020, [BAD_FULL_DATE]),
    ("party_official_date", "2020", [BAD_FULL_DATE]),
    ("party_official_date", {"d": 1}, [BAD_FULL_DATE]),
]  # fmt: skip


def post_raw(api, path, body, content_type="application/json", method="post"):
    return getattr(api, method)(path, data=body, content_type=content_type)


@pytest.mark.parametrize(("field", "value", "messages"), JUNK)
def test_create_with_junk_is_refused_in_vietnamese(people, as_user, field, value, messages):
    before = db_state()
    body = json.dumps({**VALID, field: value})  # ASCII-escaped: lone surrogates survive
    response = post_raw(as_user(people.editor_a), "/api/people/", body)
    assert response.status_code == 400
    assert response.json() == {field: messages}
    assert db_state() == before


@pytest.mark.parametrize(("field", "value", "messages"), JUNK)
def test_update_with_junk_is_refused_in_vietnamese(people, as_user, field, value, messages):
    if (field, value) == ("id_number", "001080000001"):  # Cúc's, in the editor's commune
        value, messages = "001085000002", ["Đã có cán bộ với số định danh cá nhân này."]
    before = db_state()
    body = json.dumps({field: value})
    response = post_raw(as_user(people.editor_a), "/api/people/001080000001/", body, method="patch")
    assert response.status_code == 400
    assert response.json() == {field: messages}
    assert db_state() == before


def test_missing_fields_are_listed(people, as_user):
    response = post_raw(as_user(people.editor_a), "/api/people/", "{}")
    assert response.status_code == 400
    required = ["Trường này là bắt buộc."]
    assert response.json() == {
        "id_number": required,
        "family_name": required,
        "given_name": required,
        "sex": required,
        "birth_date": required,
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("không phải JSON", {"detail": "Dữ liệu JSON không hợp lệ."}),
        ('{"family_name": "Lê",}', {"detail": "Dữ liệu JSON không hợp lệ."}),
        ("[" * 100_000 + "]" * 100_000, {"detail": "Dữ liệu JSON không hợp lệ."}),
        ('{"retirement_age_override_months": Infinity}', {"detail": "Dữ liệu JSON không hợp lệ."}),
        (b"\xff\xfe{}", {"detail": "Dữ liệu JSON không hợp lệ."}),
        (
            "[]",
            {"non_field_errors": ["Dữ liệu không hợp lệ: cần một đối tượng JSON, nhận được list."]},
        ),
        (
            '"001090000010"',
            {"non_field_errors": ["Dữ liệu không hợp lệ: cần một đối tượng JSON, nhận được str."]},
        ),
        ("null", {"non_field_errors": ["Không có dữ liệu nào được gửi."]}),
    ],
)
@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_malformed_bodies_are_refused(people, as_user, body, expected, method):
    path = "/api/people/" if method == "post" else "/api/people/001080000001/"
    before = db_state()
    response = post_raw(as_user(people.editor_a), path, body, method=method)
    assert response.status_code == 400
    assert response.json() == expected
    assert db_state() == before


def test_unsupported_media_type(people, as_user):
    response = post_raw(as_user(people.editor_a), "/api/people/", "<x/>", "application/xml")
    assert response.status_code == 415


def test_form_encoded_create_works_too(people, as_user):
    response = as_user(people.editor_a).post("/api/people/", VALID)
    assert response.status_code == 201, response.json()


def test_huge_body_is_refused_without_error(people, as_user):
    before = db_state()
    body = json.dumps({**VALID, "it_level": "x" * 2_000_000})
    response = post_raw(as_user(people.editor_a), "/api/people/", body)
    assert response.status_code == 400
    assert response.json() == {"it_level": ["Tối đa 100 ký tự."]}
    # Beyond Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) the body is not even read.
    body = json.dumps({**VALID, "it_level": "x" * 3_000_000})
    response = post_raw(as_user(people.editor_a), "/api/people/", body)
    assert response.status_code == 413
    assert response.json() == {"detail": "Dữ liệu gửi lên quá lớn."}
    assert db_state() == before


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("age_min=abc", 400),
        ("age_min=100000", 400),
        ("age_max=-1e308", 400),
        ("age_min=NaN", 400),
        ("age_min=1e400", 400),
        ("unit=%C2%B2", 200),
        ("unit=99999999999999999999999999", 200),
        ("unit=" + "9" * 5000, 200),
        ("sex=X", 400),
        ("ethnicity=zz", 400),
        ("ethnicity=0%001", 400),
        ("position_title=KHONG-CO", 400),
        ("degree=abc", 400),
        ("search=%00", 400),
        ("search=" + "a" * 10_000, 200),
        ("search=%ED%A0%80", 200),
        ("search%00=a", 400),
        ("is_local=maybe", 400),
        ("is_local=2", 400),
        ("is_local=true", 200),
        ("is_local=", 200),
        ("page=abc", 400),
        ("page=0", 400),
        ("page=-1", 400),
        ("page=1", 200),
        ("page=2", 404),
        ("page=99999999999999999999999", 404),
        ("page=" + "9" * 5000, 404),
        ("page_size=abc", 400),
        ("page_size=-5", 400),
        ("page_size=0", 400),
        ("page_size=1001", 400),
        ("page_size=99999999999", 400),
        ("page_size=1000", 200),
        ("page_size=", 200),
        ("page_size=5&page_size=6", 400),
        ("sex=F&sex=M", 400),
        ("count=exact", 200),
        ("count=all", 400),
    ],
)
def test_junk_query_parameters_never_fail(people, as_user, query, status):
    response = as_user(people.viewer_a).get(f"/api/people/?{query}")
    assert response.status_code == status, response.content


@pytest.mark.parametrize(
    "path",
    [
        "/api/people/%00/",
        "/api/people/00108%000001/",
        "/api/people/" + "1" * 5000 + "/",
        "/api/people/001080000001.json/",
        "/api/people/%ED%A0%80/",
        "/api/people/' OR 1=1 --/",
        "/api/units/%00/",
        "/api/units/XA%00/",
        "/api/areas/%00/",
        "/api/areas/" + "0" * 5000 + "/",
        "/api/positions/%00/",
        "/api/positions/abc/",
        "/api/positions/99999999999999999999999999/",
    ],
)
def test_junk_lookups_are_not_found(people, as_user, path):
    api = as_user(people.editor_a)
    assert api.get(path).status_code == 404
    assert api.patch(path, {"given_name": "X"}, format="json").status_code in (404, 405)


@pytest.mark.parametrize(
    "query",
    ["search=%00", "level=9", "level=abc", "current=maybe", "parent=%00", "kind=x"],
)
def test_junk_reference_filters(people, as_user, query):
    api = as_user(people.viewer_a)
    for path in ("/api/areas/", "/api/units/", "/api/positions/"):
        assert api.get(f"{path}?{query}").status_code in (200, 400)


def test_a_duplicate_that_slips_past_validation_is_still_a_400(people, as_user, monkeypatch):
    """Two requests with the same new ID number at the same moment: the constraint decides."""
    from canbo.people.api import PersonSerializer
    from canbo.people.models import Person

    monkeypatch.setattr(PersonSerializer, "validate_id_number", lambda self, value: value)
    monkeypatch.setattr(Person, "validate_unique", lambda self, exclude=None: None)
    before = db_state()
    body = json.dumps({**VALID, "id_number": "001080000001"})
    response = post_raw(as_user(people.editor_a), "/api/people/", body)
    assert response.status_code == 400
    assert response.json() == {"id_number": ["Đã có cán bộ với số định danh cá nhân này."]}
    assert db_state() == before
    # Bình's, of commune B: the message names no one, and the attempt is in the access log.
    body = json.dumps({**VALID, "id_number": "001075000003"})
    response = post_raw(as_user(people.editor_a), "/api/people/", body)
    assert response.status_code == 400
    assert response.json() == {"id_number": [ELSEWHERE]}
    assert AccessEvent.objects.get().kind == "lookup"


def test_options_requests_describe_writes_only_where_allowed(people, as_user):
    editor, viewer = as_user(people.editor_a), as_user(people.viewer_a)
    for path in ("/api/people/", "/api/units/", "/api/areas/01/", "/api/positions/"):
        assert viewer.options(path).status_code == 200
    assert set(editor.options("/api/people/").json()["actions"]) == {"POST"}
    assert set(editor.options("/api/people/001080000001/").json()["actions"]) == {"PUT"}
    # Outside the scope the record is as absent as one that does not exist.
    assert editor.options("/api/people/001075000003/").json() == (
        editor.options("/api/people/999999999999/").json()
    )
    assert "actions" not in editor.options("/api/people/001075000003/").json()
    assert "actions" not in viewer.options("/api/people/").json()
