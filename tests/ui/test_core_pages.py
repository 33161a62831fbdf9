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


def log_rows(response) -> list[list[str]]:
    """The access log table's rows as lists of cell texts."""
    import html
    import re

    table = re.search(r'<table[^>]*id="access-log".*?</table>', response.content.decode(), re.S)
    return [
        [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells]
        for cells in (re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
                      for row in re.findall(r'<tr class="access-event".*?</tr>', table.group(0), re.S))
    ]  # fmt: skip


@pytest.fixture
def log(people, client, admin_user):
    """Reads by the viewer (profile of Ánh, a list showing Ánh and Cúc) on 03/02/2026 and by
    the editor (Cúc's edit form) on 04/02/2026; then the administrator reads the log."""
    from django.utils import timezone

    client.force_login(people.viewer_a)
    client.get(reverse("people:detail", args=[people.anh.pk]))
    client.get(reverse("people:list"), {"sex": ""})
    client.force_login(people.editor_a)
    client.get(reverse("people:update", args=[people.cuc.pk]))
    viewer_day = timezone.make_aware(dt.datetime(2026, 2, 3, 9, 30))
    AccessEvent.objects.filter(actor=people.viewer_a).update(at=viewer_day)
    AccessEvent.objects.filter(actor=people.editor_a).update(at=viewer_day + dt.timedelta(days=1))
    client.force_login(admin_user)
    return client


def test_access_log_shows_kind_filter_and_rows(log):
    rows = log_rows(log.get(reverse("core:access-log")))
    assert rows == [
        ["04/02/2026 09:30", "sua_a", "Giao diện", "Biểu mẫu sửa hồ sơ",
         "Trần Thị Cúc (001090000002)", "—", "—"],
        ["03/02/2026 09:30", "xem_a", "Giao diện", "Danh sách", "Cán bộ", "—", "2"],
        ["03/02/2026 09:30", "xem_a", "Giao diện", "Hồ sơ", "Nguyễn Văn Ánh (001080000001)", "—",
         "—"],
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Ánh by name without accents: his profile and the list that showed him.
        ({"person": "nguyen van anh"}, ["Danh sách", "Hồ sơ"]),
        # Cúc by ID number: the list that showed her and her edit form.
        ({"person": "001090000002"}, ["Biểu mẫu sửa hồ sơ", "Danh sách"]),
        ({"person": "0010900"}, ["Biểu mẫu sửa hồ sơ", "Danh sách"]),
        ({"person": "Đặng Thị Bình"}, []),  # never read
        ({"person": "khong ai"}, []),
        ({"kind": "list"}, ["Danh sách"]),
        ({"date_from": "04/02/2026"}, ["Biểu mẫu sửa hồ sơ"]),
        ({"date_to": "03/02/2026"}, ["Danh sách", "Hồ sơ"]),
        ({"date_from": "03/02/2026", "date_to": "03/02/2026", "person": "cuc"}, ["Danh sách"]),
        ({"date_from": "05/02/2026"}, []),
    ],
)
def test_access_log_search(log, query, expected):
    response = log.get(reverse("core:access-log"), query)
    assert response.status_code == 200
    assert [row[3] for row in log_rows(response)] == expected
    assert f"{len(expected)} lượt truy cập" in response.content.decode()


def test_access_log_search_by_user_and_what_it_says_about_people(log, people):
    response = log.get(reverse("core:access-log"), {"actor": people.editor_a.pk})
    assert [row[1] for row in log_rows(response)] == ["sua_a"]
    content = log.get(reverse("core:access-log"), {"person": "thi"}).content.decode()
    assert "Cán bộ khớp: Đặng Thị Bình (001085000003); Trần Thị Cúc (001090000002)" in content
    content = log.get(reverse("core:access-log"), {"person": "khong ai"}).content.decode()
    assert "Không có cán bộ nào khớp." in content


def test_access_log_refuses_bad_dates_in_vietnamese(log):
    content = log.get(
        reverse("core:access-log"), {"date_from": "2026-02-03", "date_to": "01/01/2026"}
    ).content.decode()
    assert "Hãy nhập ngày theo dạng dd/mm/yyyy." in content
    content = log.get(
        reverse("core:access-log"), {"date_from": "05/02/2026", "date_to": "01/01/2026"}
    ).content.decode()
    assert "Ngày cuối không được trước ngày đầu." in content


def test_access_log_pages_fifty_at_a_time(log, people):
    AccessEvent.objects.bulk_create(
        AccessEvent(actor=people.viewer_a, source="api", kind="list", rows=0) for _ in range(60)
    )
    first = log.get(reverse("core:access-log"))
    assert len(log_rows(first)) == 50
    assert "Trang 1/2" in first.content.decode()
    assert len(log_rows(log.get(reverse("core:access-log"), {"page": 2}))) == 13


# --- Retention -------------------------------------------------------------------------


def test_purge_access_log_keeps_the_retention_period(people, settings):
    import io

    from django.core.management import CommandError, call_command
    from django.utils import timezone

    settings.CANBO_ACCESS_LOG_RETENTION_DAYS = 30
    now = timezone.now()
    for days in (0, 29, 31, 400):
        event = AccessEvent.objects.create(actor=people.viewer_a, source="ui", kind="list")
        AccessEvent.objects.filter(pk=event.pk).update(at=now - dt.timedelta(days=days))

    def run(*args) -> str:
        out = io.StringIO()
        call_command("purge_access_log", *args, stdout=out)
        return out.getvalue()

    assert run("--dry-run").startswith("Chạy thử: sẽ xóa 2 mục nhật ký truy cập trước ")
    assert AccessEvent.objects.count() == 4
    assert run().startswith("Đã xóa 2 mục nhật ký truy cập trước ")
    assert AccessEvent.objects.count() == 2
    assert run("--days", "10").startswith("Đã xóa 1 mục")
    assert AccessEvent.objects.count() == 1
    assert run().startswith("Đã xóa 0 mục")
    with pytest.raises(CommandError, match="Số ngày lưu giữ phải từ 1 trở lên."):
        run("--days", "0")


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
