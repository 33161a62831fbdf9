"""The API answers in Vietnamese, also where the message is DRF's own.

DRF's bundled Vietnamese catalogue leaves most messages untranslated; the
project's catalogue (canbo/locale/vi) fills the gaps. These tests pin the
exact wording clients see, and guard the catalogue itself: placeholders kept,
the committed .mo in step with the .po, and no good translation shipped by
Django or DRF overridden by accident.
"""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework import exceptions, serializers
from rest_framework.test import APIClient

from tests.factories import PersonFactory

NOT_SIGNED_IN = "Chưa đăng nhập hoặc thiếu thông tin xác thực."
REQUIRED = "Trường này là bắt buộc."

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES"

#: Library translations our catalogue replaces on purpose (see section 1b of the .po).
DELIBERATE_OVERRIDES = {
    'Method "{method}" not allowed.',
    "This list may not be empty.",
    "Date has wrong format. Use one of these formats instead: {format}.",
}


@pytest.fixture
def editor(world):
    client = APIClient()
    client.force_authenticate(world.editor_a)
    return client


# --- Through the API -----------------------------------------------------------


def test_anonymous_request_is_refused_in_vietnamese(world):
    response = APIClient().get("/api/people/")
    assert response.status_code == 401
    assert response.json() == {"detail": NOT_SIGNED_IN}


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Token sai-ma", "Token không hợp lệ."),
        ("Token", "Tiêu đề xác thực Token không hợp lệ: thiếu token."),
        ("Token a b", "Tiêu đề xác thực Token không hợp lệ: token không được chứa dấu cách."),
        # Not a token header at all: no credentials, as for an anonymous request.
        ("Bearer abc", NOT_SIGNED_IN),
    ],
)
def test_bad_token_is_refused_in_vietnamese(world, header, detail):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/people/")
    assert response.status_code == 401
    assert response.json() == {"detail": detail}


def test_empty_create_names_every_required_field_in_vietnamese(editor):
    response = editor.post("/api/people/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        field: [REQUIRED]
        for field in ("id_number", "family_name", "given_name", "sex", "birth_date")
    }


def test_delete_is_not_allowed_in_vietnamese(world, editor):
    person = PersonFactory(unit=world.xa)
    response = editor.delete(f"/api/people/{person.id_number}/")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Phương thức "DELETE" không được phép.'}


def test_malformed_json_is_refused_in_vietnamese(editor):
    response = editor.post("/api/people/", '{"family_name": "Lê"', content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Dữ liệu JSON không hợp lệ."}


def test_unsupported_media_type_in_vietnamese(editor):
    response = editor.post("/api/people/", "họ tên", content_type="text/plain")
    assert response.status_code == 415
    assert response.json() == {
        "detail": 'Kiểu dữ liệu "text/plain" trong yêu cầu không được hỗ trợ.'
    }


def test_page_out_of_range_in_vietnamese(editor):
    response = editor.get("/api/people/?page=99")
    assert response.status_code == 404
    assert response.json() == {"detail": "Trang không hợp lệ."}


def test_unacceptable_accept_header_in_vietnamese(editor):
    response = editor.get("/api/people/", HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert response.json() == {
        "detail": "Không thể trả về kiểu dữ liệu được yêu cầu trong tiêu đề Accept."
    }


# --- DRF's default messages, where the project sets none of its own -------------


class Sample(serializers.Serializer):
    name = serializers.CharField(max_length=3)
    count = serializers.IntegerField(max_value=10)
    share = serializers.DecimalField(max_digits=4, decimal_places=1)
    when = serializers.DateField()
    tags = serializers.ListField(child=serializers.CharField(), allow_empty=False)
    kind = serializers.ChoiceField(choices=["a", "b"])
    flag = serializers.BooleanField()
    note = serializers.CharField(allow_null=False)


def sample_errors(data) -> dict:
    with translation.override("vi"):
        serializer = Sample(data=data)
        assert not serializer.is_valid()
        return {field: [str(m) for m in messages] for field, messages in serializer.errors.items()}


def test_drf_default_field_messages_are_vietnamese():
    errors = sample_errors(
        {
            "name": "dài quá",
            "count": 11,
            "share": "123.45",
            "when": "hôm qua",
            "tags": [],
            "kind": "c",
            "flag": "có lẽ",
            "note": None,
        }
    )
    assert errors == {
        "name": ["Trường này không được dài quá 3 ký tự."],
        "count": ["Giá trị không được lớn hơn 10."],
        "share": ["Tổng số chữ số không được vượt quá 4."],
        "when": [
            "Ngày không đúng định dạng. Hãy dùng một trong các định dạng sau: "
            "YYYY-MM-DD, DD/MM/YYYY."
        ],
        "tags": ["Danh sách này không được để trống."],
        "kind": ['"c" không phải là lựa chọn hợp lệ.'],
        "flag": ["Giá trị phải là đúng hoặc sai (true/false)."],
        "note": ["Trường này không được để trống."],
    }


def test_drf_default_type_messages_are_vietnamese():
    errors = sample_errors({"name": 5.5j, "count": "năm", "tags": "a,b"})
    assert errors["name"] == ["Giá trị phải là một chuỗi ký tự."]
    assert errors["count"] == ["Giá trị phải là một số nguyên."]
    assert errors["tags"] == ['Cần một danh sách, nhưng nhận được kiểu "str".']
    # Django's own Vietnamese catalogue already words this one; ours leaves it alone.
    assert errors["when"] == [REQUIRED]
    assert sample_errors([]) == {
        "non_field_errors": ["Dữ liệu không hợp lệ: cần một đối tượng JSON, nhận được list."]
    }


def test_throttled_message_is_vietnamese():
    with translation.override("vi"):
        assert str(exceptions.Throttled(wait=5).detail) == (
            "Gửi quá nhiều yêu cầu. Có thể thử lại sau 5 giây."
        )


# --- The catalogue itself -------------------------------------------------------

PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sdr]|\{[^{}]*\}")


def load(path: Path) -> dict:
    with path.open("rb") as fp:
        return gettext.GNUTranslations(fp)._catalog


def ours() -> dict:
    return {k: v for k, v in load(CATALOGUE / "django.mo").items() if k != ""}


def test_catalogue_header_is_vietnamese_with_one_plural_form():
    with (CATALOGUE / "django.mo").open("rb") as fp:
        info = gettext.GNUTranslations(fp).info()
    assert info["language"] == "vi"
    assert info["content-type"] == "text/plain; charset=UTF-8"
    assert info["plural-forms"] == "nplurals=1; plural=0;"


def test_every_translation_keeps_its_placeholders():
    for key, text in ours().items():
        msgid = key[0] if isinstance(key, tuple) else key
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(msgid)), msgid
        assert text == text.strip(), msgid


def test_catalogue_overrides_no_library_translation_by_accident():
    import django
    import rest_framework

    libraries = [
        Path(rest_framework.__file__).parent / "locale",
        Path(django.__file__).parent / "conf" / "locale",
        *(Path(django.__file__).parent / "contrib" / app / "locale" for app in ("admin", "auth")),
    ]
    overridden = set()
    for locale in libraries:
        shipped = load(locale / "vi" / "LC_MESSAGES" / "django.mo")
        for key in ours():
            msgid = key[0] if isinstance(key, tuple) else key
            if shipped.get(key, msgid) != msgid:
                overridden.add(msgid)
    assert overridden == DELIBERATE_OVERRIDES, (
        "A library now translates a message our catalogue also translates: "
        "drop our entry unless the override is deliberate."
    )


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext (msgfmt)")
def test_committed_mo_matches_the_po(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(CATALOGUE / "django.po")], check=True
    )
    assert load(compiled) == load(CATALOGUE / "django.mo"), "run: canbo compilemessages"


def test_missing_record_says_not_found_in_vietnamese(world, admin_user):
    api = APIClient()
    api.force_authenticate(admin_user)
    response = api.get("/api/people/999999999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}
