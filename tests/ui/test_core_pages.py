"""Sign-in, login requirement, access log, error pages and template filters."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse

from canbo.core.models import AccessEvent

from ..factories import UserFactory

PROTECTED = [
    reverse("home"),
    reverse("organizations:unit-tree"),
    reverse("people:list"),
    reverse("people:create"),
    reverse("core:access-log"),
]


@pytest.mark.parametrize("url", PROTECTED)
def test_every_page_requires_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_protected_object_pages_require_sign_in(client, people):
    for url in [
        reverse("people:detail", args=[people.anh.pk]),
        reverse("people:history", args=[people.anh.pk]),
        reverse("organizations:unit-detail", args=[people.xa.pk]),
    ]:
        assert client.get(url).status_code == 302


def test_sign_in_page_is_vietnamese(client, db):
    content = client.get(reverse("accounts:login")).content.decode()
    assert "Đăng nhập hệ thống" in content
    assert "Tên đăng nhập" in content and "Mật khẩu" in content


def test_wrong_password_shows_a_message(client, db):
    UserFactory(username="nguoidung")
    response = client.post(
        reverse("accounts:login"), {"username": "nguoidung", "password": "sai-mat-khau"}
    )
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_sign_in_and_out(client, db):
    UserFactory(username="nguoidung")
    response = client.post(
        reverse("accounts:login"), {"username": "nguoidung", "password": "mat-khau-123"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("home")).status_code == 302


def test_access_log_is_for_administrators_only(client, people):
    client.force_login(people.editor_a)
    response = client.get(reverse("core:access-log"))
    assert response.status_code == 403
    assert "Chỉ quản trị viên được xem trang này." in response.content.decode()


def test_access_log_lists_and_filters_by_user(client, people, admin_user):
    client.force_login(people.viewer_a)
    client.get(reverse("people:detail", args=[people.anh.pk]))
    client.force_login(people.editor_a)
    client.get(reverse("people:detail", args=[people.cuc.pk]))
    assert AccessEvent.objects.count() == 2
    client.force_login(admin_user)
    everything = client.get(reverse("core:access-log")).content.decode()
    assert "2 lượt truy cập" in everything
    only_viewer = client.get(reverse("core:access-log"), {"actor": people.viewer_a.pk})
    content = only_viewer.content.decode()
    assert "1 lượt truy cập" in content
    assert "Nguyễn Văn Ánh (001080000001)" in content
    assert "Trần Thị Cúc" not in content


def render(template: str, **context) -> str:
    return Template("{% load canbo_tags %}" + template).render(Context(context))


@pytest.mark.parametrize(
    ("precision", "expected"),
    [("D", "05/03/1980"), ("M", "03/1980"), ("Y", "1980"), ("", "05/03/1980")],
)
def test_vndate_filter(precision, expected):
    assert render("{{ d|vndate:p }}", d=dt.date(1980, 3, 5), p=precision) == expected


def test_vndate_without_precision_and_empty():
    assert render("{{ d|vndate }}", d=dt.date(2042, 3, 31)) == "31/03/2042"
    assert render("{{ d|vndate }}", d=None) == ""


def test_vndatetime_is_local_time():
    at = dt.datetime(2025, 7, 1, 1, 30, tzinfo=dt.UTC)
    assert render("{{ at|vndatetime }}", at=at) == "01/07/2025 08:30"


@pytest.mark.parametrize(
    ("part", "base", "expected"), [(20, 30, "66,67%"), (0, 30, "0,00%"), (3, 0, "—")]
)
def test_share_tag(part, base, expected):
    assert render("{% share part base %}", part=part, base=base) == expected
