"""Rotation pages: scope (404 / 403), the form through the services with Vietnamese errors
(also from a person's profile), the rotation with its directions and R1–R3 findings, start
and end, rotation plans, the access log, fixed query counts.

A province department (TU > SNV) and commune A's committee; the province's editor
`sua_tinh` and viewer `xem_tinh` (grants on TU); commune A's editor `sua_a` sees no
rotation decided by the province.
"""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from canbo.accounts.models import Role
from canbo.core.models import AccessEvent
from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.people.models import Assignment
from canbo.planning import services as planning
from canbo.rotation import services
from canbo.rotation import services as rotation_services
from canbo.rotation.choices import RotationKind, RotationOutcome, RotationPurpose
from canbo.rotation.models import Rotation, RotationPlan
from canbo.rules.services import ensure_default_rule_sets
from tests.factories import UserFactory, grant, make_unit
from tests.planning.factories import hold, make_person, make_position, make_term

pytestmark = pytest.mark.django_db

START = dt.date(2026, 3, 1)
LIST_QUERIES = 13  # session, user, grants, count, page, the rules in force and their facts, the log
DETAIL_QUERIES = 13  # the rotation, the rules in force and their facts, the log, who may open the person
PLAN_QUERIES = 13  # the plan, its rotations, the rules in force and their facts, the log


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def s(world):
    ensure_default_rule_sets()
    snv = make_unit("SNV", "Sở Nội vụ", world.tu, UnitKind.DEPARTMENT, UnitLevel.PROVINCE,
                    area=world.province)  # fmt: skip

    class S:
        deputy = make_position(snv, "SNV-PGD", "Phó Giám đốc Sở", 60)
        secretary = make_position(world.xa, "X-BT", "Bí thư Đảng ủy xã", 40)
        an = make_person("Trần", "Văn", "An", "M", dt.date(1985, 5, 10), unit=world.tu,
                         id_number="001085000010")  # fmt: skip
        cu = make_person("Lê", "Văn", "Cư", "M", dt.date(1970, 3, 1), unit=world.tu,
                         id_number="001070000020")  # fmt: skip
        editor = UserFactory(username="sua_tinh", role=Role.EDITOR, first_name="Lê Văn Tỉnh")
        viewer = UserFactory(username="xem_tinh", role=Role.VIEWER)

    grant(S.editor, world.tu)
    grant(S.viewer, world.tu)
    hold(S.an, S.deputy, start=dt.date(2020, 1, 1))
    hold(S.cu, S.deputy, start=dt.date(2019, 1, 1))
    plan = planning.plan_create(actor=None, planning_unit=world.tu, term=make_term(2030, 2035),
                                name="Quy hoạch 2030–2035", positions=[S.deputy])  # fmt: skip
    planning.entry_add(actor=None, plan=plan, person=S.an, position=S.deputy,
                       added_on=dt.date(2024, 1, 1))  # fmt: skip
    S.term = make_term(2025, 2030)
    S.rotation = services.rotation_create(
        actor=None, person=S.an, kind=RotationKind.ROTATION, purpose=RotationPurpose.TRAINING,
        to_position=S.secretary, competent_unit=world.tu, decision_number="15-QĐ/TU",
        decision_date=dt.date(2026, 2, 20), start_date=START, planned_end=dt.date(2029, 3, 1),
    )  # fmt: skip
    S.edit, S.view = client_for(S.editor), client_for(S.viewer)
    S.outsider = client_for(world.editor_a)  # commune A only: the province's rotations are not seen
    return S


def url(name, *args):
    return reverse(f"rotation:{name}", args=args)


def text_of(response) -> str:
    html = response.content.decode()
    html = re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def names(response) -> list[str]:
    return re.findall(r'class="fw-semibold rotation-link"[^>]*>([^<]+)<', response.content.decode())


def history(person):
    return list(Assignment.objects.filter(person=person).order_by("start_date", "id")
                .values_list("position__title__code", "start_date", "end_date", "how"))  # fmt: skip


def make_plan(world, s):
    return services.plan_create(actor=None, unit=world.tu, term=s.term, name="Kế hoạch luân chuyển 2025–2030")


# --- Scope ---------------------------------------------------------------------------


def test_pages_open_in_scope_are_not_found_outside_and_writes_need_an_editor(s, world):
    plan = make_plan(world, s)
    for name, args in [("list", ()), ("detail", (s.rotation.pk,)), ("plans", ()),
                       ("plan-detail", (plan.pk,))]:  # fmt: skip
        assert s.view.get(url(name, *args)).status_code == 200, name
    for name, args in [("detail", (s.rotation.pk,)), ("plan-detail", (plan.pk,))]:
        assert s.outsider.get(url(name, *args)).status_code == 404, name
    for name in ("start", "end"):
        assert s.outsider.post(url(name, s.rotation.pk), {}).status_code == 404, name
        assert s.view.post(url(name, s.rotation.pk), {}).status_code == 403, name
    for name in ("create", "plan-create"):
        assert s.view.get(url(name)).status_code == 403, name
        assert s.view.post(url(name), {}).status_code == 403, name
    assert names(s.outsider.get(url("list"))) == []
    assert "Chưa có luân chuyển nào phù hợp." in text_of(s.outsider.get(url("list")))
    assert "Chưa có kế hoạch luân chuyển nào." in text_of(s.outsider.get(url("plans")))
    response = Client().get(url("list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_the_list_filters_by_status_kind_purpose_unit_and_date(s, world):
    services.rotation_end(actor=None, rotation=s.rotation, actual_end=dt.date(2026, 6, 1),
                          outcome=RotationOutcome.RETURNED)  # fmt: skip
    plan = make_plan(world, s)
    services.rotation_create(actor=None, person=s.cu, kind=RotationKind.SECONDMENT,
                             purpose=RotationPurpose.DIFFICULT_AREA, to_position=s.secretary,
                             competent_unit=world.tu, plan=plan)  # fmt: skip
    view = s.view
    assert names(view.get(url("list"))) == ["Lê Văn Cư", "Trần Văn An"]
    assert names(view.get(url("list"), {"status": "ended"})) == ["Trần Văn An"]
    assert names(view.get(url("list"), {"status": "intended"})) == ["Lê Văn Cư"]
    assert names(view.get(url("list"), {"status": "under_way"})) == []
    assert names(view.get(url("list"), {"status": "under_way", "as_of": "01/05/2026"})) == ["Trần Văn An"]
    assert names(view.get(url("list"), {"as_of": "28/02/2026"})) == ["Lê Văn Cư"]  # An not started
    assert names(view.get(url("list"), {"kind": "secondment"})) == ["Lê Văn Cư"]
    assert names(view.get(url("list"), {"purpose": "training"})) == ["Trần Văn An"]
    assert names(view.get(url("list"), {"unit": str(world.xa.pk)})) == []  # decided by TU
    assert names(view.get(url("list"), {"unit": str(world.tu.pk)})) == ["Lê Văn Cư", "Trần Văn An"]
    page = text_of(view.get(url("list")))
    assert "2 luân chuyển (tại ngày" in page
    assert AccessEvent.objects.filter(actor=s.viewer, kind="list").count() == 11


# --- Recording a rotation ------------------------------------------------------------


def test_the_profile_links_to_the_form_prefilled_with_the_person_and_the_post_held(s, world):
    profile = s.edit.get(reverse("people:detail", args=[s.cu.pk])).content.decode()
    link = f'{url("create")}?person={s.cu.pk}'
    assert f'href="{link}"' in profile
    assert 'id="rotate-link"' not in s.view.get(reverse("people:detail", args=[s.cu.pk])).content.decode()
    form = s.edit.get(link).content.decode()
    assert 'value="001070000020 · Lê Văn Cư"' in form
    assert f'<option value="{s.deputy.pk}" selected>Phó Giám đốc Sở – Sở Nội vụ</option>' in form


def test_record_a_decided_rotation_through_the_form(s, world):
    response = s.edit.post(url("create"), {
        "person": "001070000020 · Lê Văn Cư", "kind": "transfer", "purpose": "non_local",
        "to_position": s.secretary.pk, "competent_unit": world.tu.pk,
        "decision_number": "20-QĐ/TU", "decision_date": "01/04/2026", "start_date": "15/04/2026",
        "planned_end": "15/04/2029",
    })  # fmt: skip
    rotation = Rotation.objects.get(person=s.cu)
    assert response.status_code == 302 and response["Location"] == url("detail", rotation.pk)
    assert (rotation.kind, rotation.purpose, rotation.from_position, rotation.decision_number,
            rotation.start_date) == ("transfer", "non_local", s.deputy, "20-QĐ/TU",
                                     dt.date(2026, 4, 15))  # fmt: skip
    assert history(s.cu) == [
        ("SNV-PGD", dt.date(2019, 1, 1), dt.date(2026, 4, 14), "appointed"),
        ("X-BT", dt.date(2026, 4, 15), None, "transferred"),
    ]


def test_the_form_shows_service_and_field_errors_in_vietnamese(s, world):
    before = (Rotation.objects.count(), history(s.cu))
    body = {"person": "001070000020", "kind": "rotation", "purpose": "training",
            "to_position": s.secretary.pk, "competent_unit": world.tu.pk,
            "decision_number": "20-QĐ/TU", "decision_date": "20/04/2026", "start_date": "15/04/2026"}  # fmt: skip
    page = text_of(s.edit.post(url("create"), body))
    assert "Ngày bắt đầu không được trước ngày quyết định." in page
    page = text_of(s.edit.post(url("create"), {**body, "decision_date": "", "start_date": "", "decision_number": ""}))
    assert "Luân chuyển ngoài kế hoạch phải có quyết định và ngày bắt đầu." in page
    page = text_of(s.edit.post(url("create"), {**body, "decision_number": " "}))
    assert "Hãy nhập số quyết định." in page
    page = text_of(s.edit.post(url("create"), {**body, "person": "999999999999",
                                                "start_date": "2026-04-15"}))  # fmt: skip
    assert "Không tìm thấy cán bộ có số định danh 999999999999." in page
    assert "Hãy nhập ngày theo dạng dd/mm/yyyy." in page
    # Commune A's editor: the province body, its people and posts are beyond reach.
    page = text_of(s.outsider.post(url("create"), body))
    assert "Đơn vị này không có trong phạm vi bạn được sửa." in page
    assert "Không tìm thấy cán bộ có số định danh 001070000020." in page
    assert "Chức danh này không có trong phạm vi bạn được xem." not in page  # the commune's post
    page = text_of(s.outsider.post(url("create"), {**body, "to_position": s.deputy.pk}))
    assert "Chức danh này không có trong phạm vi bạn được xem." in page
    assert (Rotation.objects.count(), history(s.cu)) == before


# --- The rotation page ----------------------------------------------------------------


def test_the_rotation_page_shows_its_facts_directions_and_findings_and_logs_the_read(s, world):
    Rotation.objects.filter(pk=s.rotation.pk).update(planned_end=dt.date(2027, 3, 1))
    response = s.view.get(url("detail", s.rotation.pk), {"as_of": "30/06/2026"})
    page = text_of(response)
    assert "Luân chuyển: Trần Văn An" in page
    assert "Từ chức danh Phó Giám đốc Sở – Sở Nội vụ" in page
    assert "Đến chức danh Bí thư Đảng ủy xã – Đảng ủy xã An Bình" in page
    assert "Hướng luân chuyển Từ trên xuống · giữa các địa phương · giữa các ngành, lĩnh vực" in page
    assert "Quyết định Số 15-QĐ/TU ngày 20/02/2026" in page
    assert "Thời gian từ 01/03/2026, dự kiến đến 01/03/2027" in page
    assert re.findall(r'data-rule="(R\d)"', response.content.decode()) == ["R3"]
    assert "R3 " in page and "(Nghị định 170/2025/NĐ-CP, Điều 26 và Điều 48)" in page
    assert "Kết thúc luân chuyển" not in page  # a viewer has no forms
    event = AccessEvent.objects.get(actor=s.viewer, kind="rotation")
    assert event.person_ids.split() == [str(s.an.pk)]
    # The competent level decided the shorter time: no finding.
    Rotation.objects.filter(pk=s.rotation.pk).update(shorter_approved=True)
    page = text_of(s.view.get(url("detail", s.rotation.pk), {"as_of": "30/06/2026"}))
    assert "Ngày 30/06/2026: không có lỗi, cảnh báo nào." in page


def test_end_with_a_return_writes_the_history(s):
    response = s.edit.post(url("end", s.rotation.pk), {"end-actual_end": "01/02/2026", "end-outcome": "returned"})
    assert "Ngày kết thúc không được trước ngày bắt đầu." in text_of(response)
    response = s.edit.post(url("end", s.rotation.pk), {"end-actual_end": "01/06/2026"})
    assert "Hãy chọn kết quả sau luân chuyển." in text_of(response)
    assert Rotation.objects.get(pk=s.rotation.pk).actual_end is None
    response = s.edit.post(url("end", s.rotation.pk), {
        "end-actual_end": "01/06/2026", "end-outcome": "returned", "end-evaluation": "Hoàn thành tốt nhiệm vụ"})  # fmt: skip
    assert response.status_code == 302
    assert history(s.an) == [
        ("SNV-PGD", dt.date(2020, 1, 1), dt.date(2026, 2, 28), "appointed"),
        ("X-BT", dt.date(2026, 3, 1), dt.date(2026, 6, 1), "rotated"),
        ("SNV-PGD", dt.date(2026, 6, 2), None, "rotated"),
    ]
    page = text_of(s.view.get(url("detail", s.rotation.pk)))
    assert "Kết thúc 01/06/2026: Trở về cơ quan, đơn vị cũ" in page
    assert "Nhận xét, đánh giá Hoàn thành tốt nhiệm vụ" in page
    assert "Đã kết thúc" in page


# --- Plans ---------------------------------------------------------------------------


def test_create_a_plan_add_an_intended_rotation_start_it_and_see_its_findings(s, world):
    response = s.edit.post(url("plan-create"), {"unit": world.tu.pk, "term": s.term.pk,
                                                "name": "Kế hoạch luân chuyển 2025–2030"})  # fmt: skip
    plan = RotationPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == url("plan-detail", plan.pk)
    again = s.edit.post(url("plan-create"), {"unit": world.tu.pk, "term": s.term.pk, "name": "Lần hai"})
    assert "Cấp này đã có kế hoạch luân chuyển cho nhiệm kỳ 2025–2030." in text_of(again)
    # An intended rotation of Cư (no planning entry: R1) from the plan's page.
    form = s.edit.get(url("create"), {"plan": plan.pk}).content.decode()
    assert f'<option value="{plan.pk}" selected>' in form
    response = s.edit.post(url("create"), {
        "person": "001070000020", "kind": "rotation", "purpose": "difficult_area",
        "to_position": s.secretary.pk, "competent_unit": world.tu.pk, "plan": plan.pk})  # fmt: skip
    intended = Rotation.objects.get(person=s.cu)
    assert response.status_code == 302 and intended.start_date is None
    assert history(s.cu) == [("SNV-PGD", dt.date(2019, 1, 1), None, "appointed")]
    response = s.view.get(url("plan-detail", plan.pk), {"as_of": "01/06/2026"})
    page = text_of(response)
    assert "Lê Văn Cư" in page and "Dự kiến (chưa quyết định)" in page
    assert re.findall(r'data-rule="(R\d)"', response.content.decode()) == ["R1", "R2"]
    assert "Lê Văn Cư được luân chuyển (01/06/2026) nhưng không có trong quy hoạch nào." in page
    assert "Lê Văn Cư chỉ còn 5 năm 9 tháng công tác khi luân chuyển (01/06/2026), cần ít nhất 10 năm." in page
    assert AccessEvent.objects.get(actor=s.viewer, kind="rotation").person_ids.split() == [str(s.cu.pk)]
    # Its start: the decision, then the history.
    response = s.edit.post(url("start", intended.pk), {"start-start_date": "01/05/2026"})
    assert "Hãy nhập số quyết định." in text_of(response) and "Hãy nhập ngày quyết định." in text_of(response)
    response = s.edit.post(url("start", intended.pk), {
        "start-decision_number": "30-QĐ/TU", "start-decision_date": "20/04/2026",
        "start-start_date": "01/05/2026", "start-planned_end": "01/05/2029"})  # fmt: skip
    assert response.status_code == 302
    assert history(s.cu)[1:] == [("X-BT", dt.date(2026, 5, 1), None, "rotated")]
    page = text_of(s.view.get(url("plan-detail", plan.pk), {"as_of": "01/06/2026"}))
    assert "Đang luân chuyển 01/05/2026" in page
    assert "Lê Văn Cư được luân chuyển (01/05/2026) nhưng không có trong quy hoạch nào." in page


# --- Queries -------------------------------------------------------------------------


def test_pages_read_a_fixed_number_of_queries(s, world, django_assert_num_queries):
    plan = make_plan(world, s)
    for i in range(5):
        person = make_person("Phạm", "Văn", f"Số{i}", "M", dt.date(1980, 1, 1 + i), unit=world.tu)
        hold(person, s.deputy)
        services.rotation_create(actor=None, person=person, kind=RotationKind.ROTATION,
                                 purpose=RotationPurpose.TRAINING, to_position=s.secretary,
                                 competent_unit=world.tu, plan=plan)  # fmt: skip
    with django_assert_num_queries(LIST_QUERIES):
        assert "6 luân chuyển" in text_of(s.view.get(url("list")))
    with django_assert_num_queries(DETAIL_QUERIES):
        assert s.view.get(url("detail", s.rotation.pk)).status_code == 200
    with django_assert_num_queries(PLAN_QUERIES):
        assert s.view.get(url("plan-detail", plan.pk)).status_code == 200


# --- Watch lists ---------------------------------------------------------------------


def test_the_watch_lists_show_rotations_ending_soon_and_overdue_in_scope(s, world):
    Rotation.objects.filter(pk=s.rotation.pk).update(planned_end=dt.date(2026, 9, 1))
    response = s.view.get(url("watch"), {"unit": str(world.tu.pk), "as_of": "01/07/2026"})
    html = response.content.decode()
    ending = text_of(type(response)(html[html.index('id="watch-ending"'):html.index('id="watch-overdue"')]))
    assert "Trần Văn An · Luân chuyển · dự kiến kết thúc 01/09/2026" in ending
    overdue = text_of(s.view.get(url("watch"), {"unit": str(world.tu.pk), "as_of": "02/09/2026"}))
    assert "Quá thời hạn dự kiến mà chưa có kết quả Trần Văn An · Luân chuyển" in overdue
    event = AccessEvent.objects.filter(actor=s.viewer, kind="rotation").latest("id")
    assert event.person_ids.split() == [str(s.an.pk)] and event.query.startswith("watch unit=TU")
    # Commune A's editor: its own subtree, where the province's rotation is not seen.
    assert "Trần Văn An" not in text_of(s.outsider.get(url("watch"), {"as_of": "01/07/2026"}))


def test_the_list_links_figures_and_proposals_and_a_plan_its_downloads(client, world):
    client.force_login(world.editor_a)
    html = client.get("/rotation/").content.decode()
    assert 'href="/rotation/figures/"' in html and 'href="/rotation/proposals/"' in html
    term = make_term(2025, 2030)
    plan = rotation_services.plan_create(actor=world.editor_a, unit=world.xa, term=term,
                                         name="Kế hoạch luân chuyển 2025–2030")  # fmt: skip
    page = client.get(f"/rotation/plans/{plan.pk}/").content.decode()
    assert f'href="/rotation/plans/{plan.pk}/xlsx/?as_of=' in page
    assert f'href="/rotation/plans/{plan.pk}/docx/?as_of=' in page
    assert client.get(f"/rotation/plans/{plan.pk}/xlsx/").status_code == 200


def test_a_units_seat_opens_the_form_with_the_post_taken(client, world):
    post = make_position(world.xa, "X-CT", "Chủ tịch UBND xã", 38)
    client.force_login(world.editor_a)
    unit_page = client.get(f"/units/{world.xa.pk}/").content.decode()
    assert f'href="/rotation/new/?to_position={post.pk}"' in unit_page
    form = client.get(f"/rotation/new/?to_position={post.pk}").content.decode()
    assert f'<option value="{post.pk}" selected>' in form
    # A post out of sight is not preselected; a viewer gets no link.
    other = make_position(world.xb, "X-CT", "Chủ tịch UBND xã", 38)
    assert f'<option value="{other.pk}" selected>' not in client.get(
        f"/rotation/new/?to_position={other.pk}").content.decode()
    client.force_login(world.viewer_a)
    assert "?to_position=" not in client.get(f"/units/{world.xa.pk}/").content.decode()


def test_the_form_tries_a_rotation_before_writing_it(client, world):
    post = make_position(world.xa, "X-BT", "Bí thư Đảng ủy xã", 40)
    person = make_person("Đỗ", "Văn", "Thử", "M", dt.date(1988, 2, 2), unit=world.xa,
                         id_number="001088000777")  # fmt: skip
    client.force_login(world.editor_a)
    body = {"person": "001088000777", "kind": "rotation", "purpose": "training",
            "to_position": post.pk, "competent_unit": world.xa.pk, "decision_number": "1-QĐ",
            "decision_date": "01/03/2026", "start_date": "02/03/2026", "planned_end": "02/03/2027",
            "try": "1"}  # fmt: skip
    page = client.post("/rotation/new/", body).content.decode()
    result = page.split('id="try-result"', 1)[1]
    assert 'data-rule="R1"' in result and 'data-rule="R3"' in result  # not planned; 12 months
    assert not Rotation.objects.filter(person=person).exists()
    assert 'value="001088000777' in page  # the form keeps what was typed
    event = AccessEvent.objects.filter(kind="rotation", query="what-if").get()
    assert event.person_ids.split() == [str(person.pk)]
