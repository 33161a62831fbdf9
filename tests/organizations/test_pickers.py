"""Searchable unit pickers (issue 17 item 5): the suggestion endpoint answers in the asker's
scope and the field's own limits, forms keep refusing units out of scope (a pk or, without
JavaScript, a code), and the unit tree's filter box.

The tree: Tỉnh ủy (TU) > Huyện ủy Đông Sơn (HU) > xã An Bình (XA), xã Bình Minh (XB);
TU > Huyện ủy Vĩnh Lộc (HV) > xã An Bình (XC, the same name elsewhere), xã Đông Anh (XD,
abolished on 30/06/2025). An editor and a viewer of HU's subtree.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from canbo.accounts.models import Role
from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.organizations.pickers import units_for
from canbo.people import selectors as people_selectors
from canbo.people.forms import PersonForm
from canbo.planning.choices import PlanStatus
from canbo.planning.forms import ApproveForm, PlanCreateForm, PlanFilterForm
from canbo.planning.selectors import plan_list
from tests.factories import UserFactory, grant, make_unit
from tests.planning.factories import PlanFactory

pytestmark = pytest.mark.django_db

PICK = reverse("organizations:unit-pick")
TREE = reverse("organizations:unit-tree")
TODAY = dt.date(2026, 3, 1)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(people_selectors, "today", lambda: TODAY)


@pytest.fixture
def tree(db):
    district = {"kind": UnitKind.PARTY_COMMITTEE, "level": UnitLevel.DISTRICT}
    commune = {"kind": UnitKind.PARTY_COMMITTEE, "level": UnitLevel.COMMUNE}
    tu = make_unit("TU", "Tỉnh ủy Thử Nghiệm")
    hu = make_unit("HU", "Huyện ủy Đông Sơn", tu, **district)
    hv = make_unit("HV", "Huyện ủy Vĩnh Lộc", tu, **district)

    class Tree:
        pass

    t = Tree()
    t.tu, t.hu, t.hv = tu, hu, hv
    t.xa = make_unit("XA", "Đảng ủy xã An Bình", hu, **commune)
    t.xb = make_unit("XB", "Đảng ủy xã Bình Minh", hu, **commune)
    t.xc = make_unit("XC", "Đảng ủy xã An Bình", hv, **commune)
    t.xd = make_unit("XD", "Đảng ủy xã Đông Anh", hv, valid_to=dt.date(2025, 6, 30), **commune)
    t.editor = UserFactory(username="sua_huyen", role=Role.EDITOR)
    grant(t.editor, hu)
    t.viewer = UserFactory(username="xem_huyen", role=Role.VIEWER)
    grant(t.viewer, hu)
    t.admin = UserFactory(username="quantri", role=Role.ADMIN)
    return t


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def options(response) -> list[tuple[str, str]]:
    """(data-label, the option's text) of each suggestion, in order."""
    assert response.status_code == 200
    found = re.findall(
        r'<button type="button" role="option"[^>]*data-label="([^"]+)">(.*?)</button>',
        response.content.decode(),
        re.S,
    )
    return [(html.unescape(label), " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split()))
            for label, text in found]  # fmt: skip


def labels(response) -> list[str]:
    return [label for label, _text in options(response)]


# --- The suggestion endpoint ----------------------------------------------------------


def test_suggestions_without_accents_in_force_first_with_their_path(tree):
    admin = client_of(tree.admin)
    assert options(admin.get(PICK, {"source": "units.view", "q": "an binh"})) == [
        ("XA · Đảng ủy xã An Bình", "Đảng ủy xã An Bình · XA Tỉnh ủy Thử Nghiệm › Huyện ủy Đông Sơn"),
        ("XC · Đảng ủy xã An Bình", "Đảng ủy xã An Bình · XC Tỉnh ủy Thử Nghiệm › Huyện ủy Vĩnh Lộc"),
    ]  # fmt: skip
    # "dong": Đông Sơn (in force) before Đông Anh (abolished, marked); "Đảng" is not "dong".
    assert options(admin.get(PICK, {"source": "units.view", "q": "DONG"})) == [
        ("HU · Huyện ủy Đông Sơn", "Huyện ủy Đông Sơn · HU Tỉnh ủy Thử Nghiệm"),
        ("XD · Đảng ủy xã Đông Anh",
         "Đảng ủy xã Đông Anh · XD hết hiệu lực Tỉnh ủy Thử Nghiệm › Huyện ủy Vĩnh Lộc"),
    ]  # fmt: skip
    # A code, as typed or in small letters; what the box shows ("CODE · Name") reads as the code.
    assert labels(admin.get(PICK, {"source": "units.view", "q": "XB"})) == ["XB · Đảng ủy xã Bình Minh"]
    assert labels(admin.get(PICK, {"source": "units.view", "q": "xb"})) == ["XB · Đảng ủy xã Bình Minh"]
    by_label = admin.get(PICK, {"source": "units.view", "q": "XC · Đảng ủy xã An Bình"})
    assert labels(by_label) == ["XC · Đảng ủy xã An Bình"]
    assert f'data-value="{tree.xc.pk}"' in by_label.content.decode()


def test_no_text_lists_the_first_units_in_force_then_abolished(tree):
    admin = client_of(tree.admin)
    codes = [label.split(" · ")[0] for label in labels(admin.get(PICK, {"source": "units.view"}))]
    assert codes == ["TU", "HU", "HV", "XA", "XB", "XC", "XD"]


def test_units_out_of_sight_are_never_suggested_nor_named_in_a_path(tree):
    editor = client_of(tree.editor)
    response = editor.get(PICK, {"source": "units.view", "q": "an binh"})
    # XC (the other district's An Bình) is out of sight; TU is not named in XA's path.
    assert options(response) == [("XA · Đảng ủy xã An Bình", "Đảng ủy xã An Bình · XA Huyện ủy Đông Sơn")]
    assert "Thử Nghiệm" not in response.content.decode()
    assert labels(editor.get(PICK, {"source": "units.edit"})) == [
        "HU · Huyện ủy Đông Sơn", "XA · Đảng ủy xã An Bình", "XB · Đảng ủy xã Bình Minh",
    ]  # fmt: skip
    nothing = editor.get(PICK, {"source": "units.edit", "q": "vinh loc"})
    assert labels(nothing) == []
    assert "Không có đơn vị nào khớp." in nothing.content.decode()


def test_an_edit_limited_box_never_suggests_units_the_user_may_only_view(tree):
    viewer = client_of(tree.viewer)
    assert labels(viewer.get(PICK, {"source": "units.view", "q": "an binh"})) == [
        "XA · Đảng ủy xã An Bình"
    ]
    assert labels(viewer.get(PICK, {"source": "units.edit", "q": "an binh"})) == []
    assert labels(viewer.get(PICK, {"source": "units.edit"})) == []


def test_an_unknown_source_is_not_found_and_a_visitor_signs_in_first(tree):
    admin = client_of(tree.admin)
    assert admin.get(PICK, {"source": "units.everything", "q": "an"}).status_code == 404
    assert admin.get(PICK, {"q": "an"}).status_code == 404
    response = Client().get(PICK, {"source": "units.view", "q": "an binh"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- Planning's sources ---------------------------------------------------------------


def test_the_approver_box_offers_the_plans_unit_and_those_above_to_its_editors(tree):
    plan = PlanFactory(planning_unit=tree.hu, status=PlanStatus.SUBMITTED)
    query = {"source": "planning.approver", "plan": plan.pk}
    # TU is above the editor's sight, but approving the plan is its part: the field takes it.
    assert labels(client_of(tree.editor).get(PICK, query)) == [
        "TU · Tỉnh ủy Thử Nghiệm", "HU · Huyện ủy Đông Sơn",
    ]  # fmt: skip
    assert labels(client_of(tree.editor).get(PICK, {**query, "q": "huyen"})) == [
        "HU · Huyện ủy Đông Sơn"
    ]
    assert client_of(tree.viewer).get(PICK, query).status_code == 403  # read-only
    outsider = UserFactory(username="sua_vinh_loc", role=Role.EDITOR)
    grant(outsider, tree.hv)
    assert client_of(outsider).get(PICK, query).status_code == 404  # out of sight
    assert client_of(tree.editor).get(PICK, {**query, "plan": "abc"}).status_code == 404
    assert client_of(tree.editor).get(PICK, {**query, "plan": "0"}).status_code == 404
    plan.status = PlanStatus.DRAFT  # no approval awaited: nothing to approve with
    plan.save()
    assert labels(client_of(tree.editor).get(PICK, query)) == []


def test_each_form_suggests_what_its_field_accepts(tree, rf):
    plan = PlanFactory(planning_unit=tree.xa, status=PlanStatus.SUBMITTED)
    PlanFactory(planning_unit=tree.xc, status=PlanStatus.DRAFT)
    user = tree.editor
    forms = [
        (PersonForm(user=user).fields["unit"], "units.edit", {}),
        (PlanCreateForm(user=user).fields["planning_unit"], "units.edit", {}),
        (PlanFilterForm(plans=plan_list(user=user)).fields["unit"], "planning.plans", {}),
        (ApproveForm(plan=plan).fields["approver_unit"], "planning.approver",
         {"plan": str(plan.pk)}),
    ]  # fmt: skip
    for field, source, params in forms:
        assert (field.widget.source, field.widget.params) == (source, params)
        suggested = units_for(source, user=user, params=params)
        assert sorted(u.code for u in field.queryset) == sorted(u.code for u in suggested)
    assert [u.code for u in units_for("planning.plans", user=user, params={})] == ["XA"]
    assert [u.code for u in units_for("planning.plans", user=tree.admin, params={})] == [
        "XA", "XC",
    ]  # fmt: skip
    assert [u.code for u in units_for("planning.approver", user=user, params={"plan": plan.pk})] == [
        "XA", "HU", "TU",
    ]  # fmt: skip


def test_the_figures_page_box_offers_the_top_units_and_the_plans_units(tree):
    PlanFactory(planning_unit=tree.xb)
    editor = client_of(tree.editor)
    assert labels(editor.get(PICK, {"source": "planning.figures"})) == [
        "HU · Huyện ủy Đông Sơn", "XB · Đảng ủy xã Bình Minh",
    ]  # fmt: skip
    page = editor.get(reverse("planning:unit-figures")).content.decode()
    assert 'data-unit-picker="/units/pick/?source=planning.figures"' in page


# --- The field and its widget ---------------------------------------------------------


def person_form(user, **data) -> PersonForm:
    form = PersonForm(data, user=user)
    form.is_valid()
    return form


def test_the_person_form_takes_a_pk_in_scope_and_refuses_one_out_of_scope(tree):
    form = person_form(tree.editor, unit=str(tree.xa.pk))
    assert "unit" not in form.errors and form.cleaned_data["unit"] == tree.xa
    refused = person_form(tree.editor, unit=str(tree.xc.pk))
    assert refused.errors["unit"] == ["Đơn vị này không có trong phạm vi bạn được sửa."]
    # Shown again, the box names no unit out of scope, and carries no pk.
    rendered = str(refused["unit"])
    assert "An Bình" not in rendered and 'name="unit" value=""' in rendered
    assert person_form(tree.viewer, unit=str(tree.xa.pk)).errors["unit"] == [
        "Đơn vị này không có trong phạm vi bạn được sửa."
    ]
    assert person_form(tree.editor, unit="").errors["unit"] == ["Trường này là bắt buộc."]


def test_without_javascript_the_box_takes_a_code_or_its_own_text(tree):
    for text in ("XA", " XA · Đảng ủy xã An Bình ", "dang uy xa an binh"):
        form = person_form(tree.editor, unit=str(tree.xb.pk), unit_text=text)
        assert "unit" not in form.errors, text
        assert form.cleaned_data["unit"] == tree.xa  # the box wins over the stale pk
    for text in ("XC", "XC · Đảng ủy xã An Bình", "Huyện ủy Vĩnh Lộc", "ZZ"):
        form = person_form(tree.editor, unit_text=text)
        assert form.errors["unit"] == ["Đơn vị này không có trong phạm vi bạn được sửa."], text
        assert "Vĩnh Lộc" not in str(form["unit"]) or text == "Huyện ủy Vĩnh Lộc"
    assert person_form(tree.editor, unit_text=" ").errors["unit"] == ["Trường này là bắt buộc."]
    # A name two units of the field have: their codes, to choose from.
    assert person_form(tree.admin, unit_text="Đảng ủy xã An Bình").errors["unit"] == [
        "Có nhiều đơn vị tên “Đảng ủy xã An Bình”: XA, XC. Hãy ghi mã đơn vị."
    ]


def test_the_widget_shows_the_chosen_unit_and_where_its_suggestions_come_from(tree):
    form = PersonForm(initial={"unit": tree.xa.pk}, user=tree.editor)
    rendered = str(form["unit"])
    hidden = f'<input type="hidden" name="unit" value="{tree.xa.pk}" data-unit-picker-value>'
    assert hidden in rendered
    assert 'name="unit_text" id="id_unit" value="XA · Đảng ủy xã An Bình"' in rendered
    assert 'data-unit-picker="/units/pick/?source=units.edit"' in rendered
    assert 'role="listbox" id="id_unit-listbox"' in rendered
    approve = ApproveForm(plan=PlanFactory(planning_unit=tree.hu, status=PlanStatus.SUBMITTED))
    assert re.search(r'data-unit-picker="/units/pick/\?source=planning.approver&amp;plan=\d+"',
                     str(approve["approver_unit"]))  # fmt: skip
    assert 'name="approve-approver_unit_text" id="id_approve-approver_unit"' in str(
        approve["approver_unit"]
    )


def test_the_plan_pages_take_the_unit_by_pk_and_by_code(tree):
    plan = PlanFactory(planning_unit=tree.xa)
    PlanFactory(planning_unit=tree.xb)
    editor = client_of(tree.editor)
    listed = editor.get(reverse("planning:list"), {"unit": tree.xa.pk}).content.decode()
    assert re.findall(r'class="fw-semibold plan-link"[^>]*>([^<]+)<', listed) == [plan.name]
    by_code = editor.get(reverse("planning:list"), {"unit": "", "unit_text": "XA"})
    assert re.findall(r'class="fw-semibold plan-link"[^>]*>([^<]+)<', by_code.content.decode()) == [
        plan.name
    ]


# --- The unit tree's filter -----------------------------------------------------------


def nodes(content: str) -> list[str]:
    return re.findall(r'<li class="unit-node py-1" data-unit="([^"]+)">', content)


def trails(content: str) -> list[str]:
    found = re.findall(r'<div class="small text-muted unit-trail">(.*?)</div>', content, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", t)).split()) for t in found]


def test_the_tree_filter_shows_the_matches_under_their_path(tree):
    admin = client_of(tree.admin)
    response = admin.get(TREE, {"q": "an binh"})
    content = response.content.decode()
    assert response.status_code == 200
    assert nodes(content) == ["XA", "XC"]
    assert trails(content) == [
        "Tỉnh ủy Thử Nghiệm › Huyện ủy Đông Sơn ›",
        "Tỉnh ủy Thử Nghiệm › Huyện ủy Vĩnh Lộc ›",
    ]
    assert "2 đơn vị khớp “an binh”." in content
    assert 'id="tree-filter" value="an binh"' in content
    # By code; none.
    assert nodes(admin.get(TREE, {"q": "HV"}).content.decode()) == ["HV"]
    empty = admin.get(TREE, {"q": "khong co"}).content.decode()
    assert nodes(empty) == [] and "0 đơn vị khớp “khong co”." in empty


def test_the_tree_filter_stays_in_the_users_sight(tree):
    content = client_of(tree.viewer).get(TREE, {"q": "an binh"}).content.decode()
    assert nodes(content) == ["XA"]
    assert trails(content) == ["Huyện ủy Đông Sơn ›"]
    assert "Thử Nghiệm" not in content and "Vĩnh Lộc" not in content


def test_the_filter_box_asks_for_the_list_alone(tree):
    response = client_of(tree.admin).get(TREE, {"q": "binh minh"}, **HTMX)
    content = response.content.decode()
    assert "<html" not in content and nodes(content) == ["XB"]
    assert "HX-Request" in response["Vary"]
    restore = client_of(tree.admin).get(
        TREE, {"q": "binh minh"}, **HTMX, HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in restore.content.decode()  # htmx restoring its history gets the page


def test_the_tree_filter_keeps_the_date(tree):
    admin = client_of(tree.admin)
    in_2024 = admin.get(TREE, {"q": "dong", "as_of": "01/01/2024"}).content.decode()
    assert nodes(in_2024) == ["HU", "XD"]  # Đông Anh still stood then
    assert f'/units/{tree.xd.pk}/?as_of=01/01/2024"' in in_2024
    assert f'/units/{tree.hv.pk}/?as_of=01/01/2024"' in in_2024  # its path keeps the date too
    assert '"as_of": "01/01/2024"' in in_2024  # the filter box asks with the date shown
    assert "rounded-pill" not in in_2024  # no counts at a date (they are today's)
    assert nodes(admin.get(TREE, {"q": "dong", "as_of": "01/01/2026"}).content.decode()) == ["HU"]
    today = admin.get(TREE, {"q": "dong"}).content.decode()
    assert nodes(today) == ["HU", "XD"]
    assert '"as_of": ""' in today
    bad = admin.get(TREE, {"q": "dong", "as_of": "31/02/2024"})
    assert bad.status_code == 400 and nodes(bad.content.decode()) == ["HU", "XD"]
