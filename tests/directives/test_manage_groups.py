"""The monitoring group pages (issue 14, item 7): read by whoever reaches the owner unit
(all by an administrator), created, changed and deleted by administrators only; on the
Central Highlands case of test_rollups (`region`: Tây Nguyên, owned by V2, the 13
provinces)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from canbo.accounts.models import Role
from canbo.core.models import AuditEvent
from canbo.directives.models import MonitoringGroup
from canbo.organizations.models import Unit
from tests.factories import UserFactory
from tests.ui.conftest import by_id

from .test_hearing_pages import signed_in, user_of
from .test_rollups import region as region  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(region):  # noqa: F811
    """Tây Nguyên, and a group the outside province follows."""
    outside = MonitoringGroup.objects.create(name="Huyện ngoài vùng",
                                             owner=Unit.objects.get(code="T99"), note="Hai huyện")  # fmt: skip
    outside.units.set(Unit.objects.filter(code__in=["T99-H0", "T99-H1"]))
    return region[2], outside


def pks(*codes) -> list[int]:
    return sorted(Unit.objects.filter(code__in=codes).values_list("pk", flat=True))


def url(name, group=None):
    return reverse(f"directives:{name}", args=[group.pk] if group else [])


def form(name="Nam Trung Bộ", owner="V2", units="T01\nT02", note=""):
    return {"name": name, "owner": owner, "units": units, "note": note}


def group_audits(action):
    return list(AuditEvent.objects.filter(content_type__model="monitoringgroup", action=action)
                .order_by("pk").values_list("object_id", "changes"))  # fmt: skip


def test_the_list_and_a_group_page(client, groups):
    west, outside = groups
    signed_in(client, UserFactory(role=Role.ADMIN))
    page = client.get(url("groups"))
    assert page.status_code == 200
    assert by_id(page, "group-rows") == "Huyện ngoài vùng Tỉnh ủy ngoài vùng 2 Hai huyện " \
        "Tây Nguyên Vụ Địa phương II 13"  # fmt: skip
    assert by_id(page, "group-add") == "Thêm nhóm"
    assert ('class="nav-link active fw-semibold" href="/directives/groups/" id="nav-groups"'
            in page.content.decode())  # fmt: skip
    assert 'class="nav-link" href="/directives/"' in page.content.decode()
    page = client.get(url("group", outside))
    assert by_id(page, "group-name") == "Huyện ngoài vùng"
    assert by_id(page, "group-owner") == "Đơn vị theo dõi: Tỉnh ủy ngoài vùng (T99)"
    assert by_id(page, "group-count") == "2 đơn vị"
    assert by_id(page, "group-unit-rows") == (
        "Huyện ủy ngoài 0 T99-H0 Cấp huyện (trước 01/7/2025) "
        "Huyện ủy ngoài 1 T99-H1 Cấp huyện (trước 01/7/2025)"
    )
    assert by_id(page, "group-edit") == "Sửa" and by_id(page, "group-delete") == "Xóa"


def test_others_read_only_the_groups_of_their_sight(client, groups):
    west, outside = groups
    # The regional department (and TW above it) reads Tây Nguyên only.
    for user in (user_of("V2"), user_of("TW", Role.EDITOR)):
        signed_in(client, user)
        page = client.get(url("groups"))
        assert by_id(page, "group-rows") == "Tây Nguyên Vụ Địa phương II 13"
        assert 'id="group-add"' not in page.content.decode()
        page = client.get(url("group", west))
        assert page.status_code == 200
        assert by_id(page, "group-count") == "13 đơn vị"
        assert 'id="group-edit"' not in page.content.decode()
        assert client.get(url("group", outside)).status_code == 404
        client.logout()
    # A province reads no group (it is a member, not the owner).
    signed_in(client, user_of("T01"))
    assert by_id(client.get(url("groups")), "group-rows") == "Chưa có nhóm nào bạn được xem."
    assert client.get(url("group", west)).status_code == 404
    assert client.get(reverse("directives:group", args=[999999])).status_code == 404


def test_only_administrators_write_groups(client, groups):
    west, outside = groups
    before = AuditEvent.objects.count()
    for user in (user_of("V2", Role.EDITOR), user_of("TW", Role.EDITOR)):
        signed_in(client, user)
        assert client.get(url("group-add")).status_code == 403
        assert client.post(url("group-add"), form()).status_code == 403
        # In sight: 403; out of sight: 404, as a missing group.
        assert client.get(url("group-edit", west)).status_code == 403
        assert client.post(url("group-edit", west), form(name="X")).status_code == 403
        assert client.get(url("group-delete", west)).status_code == 403
        assert client.post(url("group-delete", west)).status_code == 403
        for name in ("group-edit", "group-delete"):
            assert client.get(url(name, outside)).status_code == 404
            assert client.post(url(name, outside)).status_code == 404
        client.logout()
    assert client.post(url("group-add"), form()).status_code == 302  # to sign in
    assert sorted(MonitoringGroup.objects.values_list("name", flat=True)) == [
        "Huyện ngoài vùng", "Tây Nguyên"]  # fmt: skip
    assert west.units.count() == 13
    assert AuditEvent.objects.count() == before


def test_an_administrator_creates_changes_and_deletes_a_group(client, groups):
    admin = UserFactory(role=Role.ADMIN)
    signed_in(client, admin)
    assert client.get(url("group-add")).status_code == 200
    response = client.post(url("group-add"), form(units="T02, T01\nT02", note=" Theo dõi "))
    group = MonitoringGroup.objects.get(name="Nam Trung Bộ")
    assert response.status_code == 302
    assert response["Location"] == url("group", group)
    assert (group.owner.code, group.note) == ("V2", "Theo dõi")
    assert sorted(group.units.values_list("pk", flat=True)) == pks("T01", "T02")
    [(pk, changes)] = group_audits("create")
    assert pk == str(group.pk)
    assert changes == {"id": [None, group.pk], "name": [None, "Nam Trung Bộ"],
                       "note": [None, "Theo dõi"], "owner": [None, group.owner_id],
                       "units": [None, pks("T01", "T02")]}  # fmt: skip
    page = client.get(url("group", group))
    assert "Đã thêm nhóm Nam Trung Bộ." in page.content.decode()

    # The edit form starts from the group (codes by path).
    page = client.get(url("group-edit", group))
    assert ">\nT01\nT02</textarea>" in page.content.decode()
    assert 'value="Nam Trung Bộ"' in page.content.decode()
    response = client.post(url("group-edit", group),
                           form(name="Nam Trung Bộ mới", owner="TW", units="T02\nT03"))  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == url("group", group)
    group.refresh_from_db()
    assert (group.name, group.owner.code, group.note) == ("Nam Trung Bộ mới", "TW", "")
    [(pk, changes)] = group_audits("update")
    assert changes == {"name": ["Nam Trung Bộ", "Nam Trung Bộ mới"], "note": ["Theo dõi", ""],
                       "owner": [Unit.objects.get(code="V2").pk, group.owner_id],
                       "units": [pks("T01", "T02"), pks("T02", "T03")]}  # fmt: skip
    assert "Đã lưu nhóm Nam Trung Bộ mới." in client.get(url("group", group)).content.decode()

    page = client.get(url("group-delete", group))
    assert by_id(page, "group-delete-question") == (
        "Xóa nhóm “Nam Trung Bộ mới” (2 đơn vị, do Ban Chấp hành Trung ương theo dõi)? "
        "Người xem của đơn vị theo dõi sẽ không còn xem được các đơn vị của nhóm qua nhóm này."
    )  # fmt: skip
    assert MonitoringGroup.objects.filter(pk=group.pk).exists()  # a GET deletes nothing
    response = client.post(url("group-delete", group))
    assert response.status_code == 302
    assert response["Location"] == url("groups")
    assert not MonitoringGroup.objects.filter(pk=group.pk).exists()
    [(pk, changes)] = group_audits("delete")
    assert pk == str(group.pk)
    assert changes["units"] == [pks("T02", "T03"), None]
    assert changes["name"] == ["Nam Trung Bộ mới", None]
    assert "Đã xóa nhóm Nam Trung Bộ mới." in client.get(url("groups")).content.decode()


def test_what_is_refused_is_said_beside_the_field(client, groups):
    west, _outside = groups
    signed_in(client, UserFactory(role=Role.ADMIN))
    before = AuditEvent.objects.count()

    def refused(data, group=None) -> dict[str, str]:
        target = url("group-edit", group) if group else url("group-add")
        response = client.post(target, data)
        assert response.status_code == 400
        content = response.content.decode()
        return {f: by_id(response, f"id_{f}_error") for f in ("name", "owner", "units", "note")
                if f'id="id_{f}_error"' in content}  # fmt: skip

    assert refused(form(units="T01\nX1, T02;X2\nX1")) == {
        "units": "Không tìm thấy đơn vị có mã: X1, X2."
    }
    assert refused(form(owner="ZZZ")) == {"owner": "Không tìm thấy đơn vị có mã: ZZZ."}
    assert refused(form(units=" \n ")) == {"units": "Nhóm cần ít nhất một đơn vị."}
    assert refused(form(name=" ", owner="")) == {
        "name": "Hãy nhập tên nhóm.", "owner": "Hãy nhập mã đơn vị theo dõi."
    }
    assert refused(form(name="Tây Nguyên")) == {
        "name": "Đã có nhóm theo dõi tên này."
    }
    # Editing: the same checks; the group keeps its units.
    assert refused(form(name="Huyện ngoài vùng"), group=west) == {
        "name": "Đã có nhóm theo dõi tên này."
    }
    assert refused(form(name="Tây Nguyên", units=""), group=west) == {
        "units": "Nhóm cần ít nhất một đơn vị."
    }
    assert MonitoringGroup.objects.count() == 2
    assert west.units.count() == 13
    assert AuditEvent.objects.count() == before


def test_the_pages_take_a_fixed_number_of_queries(client, groups):
    west, _outside = groups
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(user, target) -> int:
        signed_in(client, user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(target).status_code == 200
        return len(queries)

    users = [UserFactory(role=Role.ADMIN), user_of("V2")]
    before = [(count(u, url("groups")), count(u, url("group", west))) for u in users]
    for n in range(10):
        extra = MonitoringGroup.objects.create(name=f"Nhóm {n}", owner=Unit.objects.get(code="V2"))
        extra.units.set(Unit.objects.filter(code__startswith=f"T{n + 1:02}-H"))
    west.units.add(*Unit.objects.filter(code__startswith="T01-S"))
    assert [(count(u, url("groups")), count(u, url("group", west))) for u in users] == before
