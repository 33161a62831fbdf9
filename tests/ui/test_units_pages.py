"""Unit tree, children fragment, unit detail and history; area suggestions."""

import re

import pytest
from django.urls import reverse

from canbo.core.audit import audit_source
from canbo.core.models import AccessEvent
from canbo.organizations import services as org_services
from canbo.people.models import Person

from .conftest import by_id

TREE = reverse("organizations:unit-tree")


def node_names(content: str) -> list[str]:
    return re.findall(r'<li class="unit-node py-1" data-unit="([^"]+)">', content)


def test_viewer_sees_their_granted_unit_as_the_root(client, people):
    client.force_login(people.viewer_a)
    response = client.get(TREE)
    content = response.content.decode()
    assert response.status_code == 200
    assert node_names(content) == ["XA"]
    assert "Đảng ủy xã An Bình" in content
    assert "Bình Minh" not in content and "Tỉnh ủy" not in content
    assert re.search(r">Đảng ủy xã An Bình</a>\s*<span[^>]*>2</span>", content)


def test_admin_sees_the_root_with_a_subtree_count_and_loads_children(client, people, admin_user):
    client.force_login(admin_user)
    content = client.get(TREE).content.decode()
    assert node_names(content) == ["TU"]
    assert re.search(r">Tỉnh ủy Thử Nghiệm</a>\s*<span[^>]*>3</span>", content)
    url = reverse("organizations:unit-children", args=[people.tu.pk])
    assert f'hx-get="{url}"' in content
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert node_names(fragment) == ["XA", "XB"]
    assert re.search(r">Đảng ủy xã Bình Minh</a>\s*<span[^>]*>1</span>", fragment)


def test_children_without_htmx_go_to_the_unit_page(client, people, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("organizations:unit-children", args=[people.tu.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:unit-detail", args=[people.tu.pk])


def test_unit_detail_shows_info_positions_and_holders(client, people):
    client.force_login(people.viewer_a)
    response = client.get(reverse("organizations:unit-detail", args=[people.xa.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert by_id(response, "unit-code") == "XA"
    assert by_id(response, "unit-people-count") == "2"
    positions = by_id(response, "positions")
    assert positions == "Bí thư Đảng ủy xã chủ chốt 1 Nguyễn Văn Ánh 0"
    assert 'href="/people/?unit=XA"' in content
    # The parent is out of the viewer's scope: no link to it.
    assert reverse("organizations:unit-detail", args=[people.tu.pk]) not in content
    # The holders it names are a read of personal data.
    access = AccessEvent.objects.get()
    assert (access.kind, access.object_id, access.person_ids) == (
        "list", str(people.xa.pk), f" {people.anh.pk} ",
    )  # fmt: skip


@pytest.mark.parametrize("name", ["unit-detail", "unit-children", "unit-history"])
def test_unit_pages_out_of_scope_are_not_found(client, people, name):
    client.force_login(people.viewer_a)
    response = client.get(
        reverse(f"organizations:{name}", args=[people.xb.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 404
    assert "Đảng ủy xã Bình Minh" not in response.content.decode()


def test_unit_history_shows_changes(client, people, admin_user):
    with audit_source("ui"):
        org_services.unit_update(actor=admin_user, unit=people.xa, short_name="ĐU An Bình")
    client.force_login(people.viewer_a)
    content = client.get(
        reverse("organizations:unit-history", args=[people.xa.pk])
    ).content.decode()
    assert content.count('class="card mb-2 history-entry"') == 1
    assert "quantri" in content
    assert (
        '<td>Tên viết tắt</td><td class="text-danger-emphasis">—</td>'
        '<td class="text-success-emphasis">ĐU An Bình</td>'
    ) in content


def test_area_suggestions(client, people):
    client.force_login(people.editor_a)
    url = reverse("organizations:area-search")
    response = client.get(
        url, {"hometown": "binh minh"}, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="id_hometown"
    )
    content = response.content.decode()
    assert re.findall(r'data-value="([^"]+)"', content) == ["00002 · Xã Bình Minh, Tỉnh Thử Nghiệm"]
    assert 'data-area-pick="#id_hometown"' in content
    by_code = client.get(url, {"birthplace": "0000"}).content.decode()
    assert len(re.findall(r"data-value=", by_code)) == 2
    assert "Không có địa bàn nào khớp." in client.get(url, {"hometown": "zzz"}).content.decode()


def test_a_holder_from_elsewhere_is_marked_beside_the_post(client, people):
    # Ánh's hometown is commune A, the area XA governs; from commune B the post is not local.
    Person.objects.filter(pk=people.anh.pk).update(hometown=people.commune_b)  # world's area
    client.force_login(people.viewer_a)
    response = client.get(reverse("organizations:unit-detail", args=[people.xa.pk]))
    assert by_id(response, "positions") == (
        "Bí thư Đảng ủy xã chủ chốt 1 Nguyễn Văn Ánh không phải người địa phương 0"
    )


def test_unit_page_shows_the_holders_of_a_past_date_and_refuses_an_impossible_one(client, people):
    client.force_login(people.viewer_a)
    url = reverse("organizations:unit-detail", args=[people.xa.pk])
    # Ánh holds the post from 01/10/2020: on 30/09/2020 the seat was vacant.
    response = client.get(url, {"as_of": "30/09/2020"})
    assert response.status_code == 200
    assert by_id(response, "positions") == "Bí thư Đảng ủy xã chủ chốt 1 — 1"
    assert "Vị trí chức danh và người giữ tại ngày 30/09/2020" in response.content.decode()
    assert by_id(client.get(url, {"as_of": "2020-10-01"}), "positions") == (
        "Bí thư Đảng ủy xã chủ chốt 1 Nguyễn Văn Ánh 0"
    )
    refused = client.get(url, {"as_of": "31/02/2020"})
    assert refused.status_code == 400
    assert by_id(refused, "as-of-error") == "Ngày 31/02/2020 không tồn tại."
