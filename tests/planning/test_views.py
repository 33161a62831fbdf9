"""Planning pages: scope (404 / 403), forms through the services with Vietnamese errors,
exact values, bounded queries, and a what-if that leaves the database as it was.

The province plan of tests/planning/conftest.py (approved 01/06/2025, reviewed
15/12/2025) is read as of 01/03/2026 (`?as_of=01/03/2026`) where the figures
must be exact; a draft plan of the same unit for 2035–2040 takes the writes.
"""

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from canbo.accounts.models import Role
from canbo.core.models import AccessEvent, AuditEvent
from canbo.planning import services
from canbo.planning.choices import PlanStatus, RemovalReason
from canbo.planning.models import Plan, PlanEntry, PlanPosition, PlanReview, PlanTransition
from canbo.rules.models import Rule

from ..factories import UserFactory, grant
from ..ui.conftest import by_id
from .conftest import AS_OF
from .factories import make_person, make_term

pytestmark = pytest.mark.django_db

ON = "as_of=01/03/2026"


@pytest.fixture
def editor(world):
    user = UserFactory(username="sua_tinh", role=Role.EDITOR, first_name="Lê Văn Sửa")
    grant(user, world.tu)
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def viewer(world):
    user = UserFactory(username="xem_tinh", role=Role.VIEWER)
    grant(user, world.tu)
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def outsider(world):
    """An editor of commune A only: the province's plans are out of sight."""
    client = Client()
    client.force_login(world.editor_a)
    return client


@pytest.fixture
def draft(world, positions, cadres):
    """A draft province plan for 2035–2040: An for the secretary, Bình for the deputy."""
    plan = services.plan_create(
        actor=None,
        planning_unit=world.tu,
        term=make_term(2035, 2040),
        name="Dự thảo quy hoạch 2035–2040",
        positions=[positions.bt, positions.pbt, positions.gd],
    )
    for person, position in ((cadres.a, positions.bt), (cadres.b, positions.pbt)):
        services.entry_add(
            actor=None, plan=plan, person=person, position=position, added_on=dt.date(2026, 1, 5)
        )
    return plan


def url(name, plan, *args):
    return reverse(f"planning:{name}", args=[plan.pk, *args])


def state() -> tuple:
    """Everything a write could change, to assert that a refused write changed nothing."""
    return (
        list(Plan.objects.order_by("pk").values()),
        list(PlanEntry.objects.order_by("pk").values()),
        list(PlanPosition.objects.order_by("pk").values()),
        list(PlanReview.objects.order_by("pk").values()),
        PlanTransition.objects.count(),
        AuditEvent.objects.count(),
    )


def text(response) -> str:
    return response.content.decode()


# --- scope -----------------------------------------------------------------------------


READ_PAGES = ["detail", "reviews", "figures", "bench", "what-if", "export-xlsx", "export-docx"]


# What each page leaves in the access log: the plan's people it shows (the figures are counts).
READ_KINDS = {"detail": "plan", "reviews": "plan", "figures": None, "bench": "plan",
              "what-if": "what_if", "export-xlsx": "document", "export-docx": "document"}  # fmt: skip


@pytest.mark.parametrize("name", READ_PAGES)
def test_every_page_opens_for_a_scoped_viewer(viewer, plan, name):
    response = viewer.get(url(name, plan))
    assert response.status_code == 200
    entries = list(AccessEvent.objects.values_list("kind", "object_id", "actor__username"))
    kind = READ_KINDS[name]
    assert entries == ([(kind, str(plan.pk), "xem_tinh")] if kind else [])


def test_a_plan_document_records_the_people_it_lists(viewer, plan, cadres):
    viewer.get(url("export-docx", plan), {"number": "12", "place": "Hà Nội"})
    access = AccessEvent.objects.get()
    # An (twice: two seats), Bình, Dũng, Cường: four people on the list today.
    assert (access.kind, access.query, access.rows) == (
        "document",
        "format=docx number=12 place=Hà Nội",
        5,
    )
    assert sorted(access.person_ids.split()) == sorted(
        str(p.pk) for p in (cadres.a, cadres.b, cadres.c, cadres.d)
    )


@pytest.mark.parametrize("name", READ_PAGES)
def test_out_of_scope_is_not_found(outsider, plan, name):
    assert outsider.get(url(name, plan)).status_code == 404
    assert not AccessEvent.objects.exists()


def test_list_and_unit_figures_open(viewer, plan):
    assert viewer.get(reverse("planning:list")).status_code == 200
    assert viewer.get(reverse("planning:unit-figures")).status_code == 200


WRITES = [
    ("entry-add", {"add-person": "001088000003", "add-position": "", "add-source": "inside"}),
    ("position-add", {}),
    ("submit", {}),
    ("approve", {}),
    ("publish", {}),
    ("reopen", {"reopen-reason": "Bổ sung"}),
    ("reviews", {"reviewed_on": "01/03/2026"}),
]


@pytest.mark.parametrize(("name", "data"), WRITES)
def test_writes_by_a_viewer_are_forbidden_and_change_nothing(viewer, plan, draft, name, data):
    before = state()
    for target in (plan, draft):
        assert viewer.post(url(name, target), data).status_code == 403
    assert state() == before


def test_removal_by_a_viewer_is_forbidden(viewer, draft):
    entry = draft.entries.first()
    before = state()
    response = viewer.post(
        url("entry-remove", draft, entry.pk), {f"remove-{entry.pk}-reason": "age"}
    )
    assert response.status_code == 403
    assert state() == before


@pytest.mark.parametrize(("name", "data"), WRITES)
def test_writes_out_of_scope_are_not_found(outsider, draft, name, data):
    before = state()
    assert outsider.post(url(name, draft), data).status_code == 404
    assert state() == before


def test_removal_of_another_plans_entry_is_not_found(editor, plan, draft):
    other = plan.entries.first()
    assert editor.post(url("entry-remove", draft, other.pk), {}).status_code == 404


def test_viewer_sees_no_write_controls(viewer, plan, draft):
    for target in (plan, draft):
        content = text(viewer.get(url("detail", target)))
        for marker in ("add-entry-form", "reopen-form", "submit-plan", "remove-form",
                       "approve-form", "publish-form"):  # fmt: skip
            assert marker not in content
        assert 'id="what-if-form"' in content  # nothing is saved: viewers may try
    assert "review-form" not in text(viewer.get(url("reviews", plan)))


def test_editor_sees_the_controls_of_the_status(editor, plan, draft):
    content = text(editor.get(url("detail", draft)))
    assert "add-entry-form" in content and "submit-plan" in content
    assert "reopen-form" not in content
    content = text(editor.get(url("detail", plan)))
    assert "add-entry-form" not in content  # approved: changes go through a review
    assert "publish-form" in content and "reopen-form" in content


# --- list --------------------------------------------------------------------------------


def test_list_shows_the_plans_in_scope_with_their_dates(viewer, outsider, plan, draft):
    response = viewer.get(reverse("planning:list"))
    assert by_id(response, "plan-count") == "2 quy hoạch"
    row = text(response).split(f'data-plan="{plan.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Ban Chấp hành Đảng bộ tỉnh 2030–2035" in row
    assert "Đã phê duyệt" in row
    assert "123-QĐ/TW ngày 01/06/2025" in row
    assert by_id(outsider.get(reverse("planning:list")), "plan-count") == "0 quy hoạch"


def test_list_filters(viewer, plan, draft):
    def names(query):
        content = text(viewer.get(reverse("planning:list") + "?" + query))
        return [p.name for p in (plan, draft) if f'data-plan="{p.pk}"' in content]

    assert names("status=draft") == [draft.name]
    assert names(f"term={plan.term_id}") == [plan.name]
    assert names(f"unit={plan.planning_unit_id}") == [plan.name, draft.name]
    assert names("status=approved") == [plan.name]


# --- the plan page -----------------------------------------------------------------------


def test_plan_header_entries_and_history(viewer, plan, cadres, positions):
    response = viewer.get(url("detail", plan) + "?" + ON)
    assert by_id(response, "plan-unit") == "Tỉnh ủy Thử Nghiệm"
    assert by_id(response, "plan-term") == "2030–2035 (01/10/2030 – 30/09/2035)"
    assert by_id(response, "plan-status") == "Đã phê duyệt"
    assert by_id(response, "plan-decision") == "Số 123-QĐ/TW ngày 01/06/2025 · Tỉnh ủy Thử Nghiệm"
    assert by_id(response, "plan-approved-on") == "01/06/2025"
    assert by_id(response, "plan-last-review") == "15/12/2025 (45-QĐ/TU)"
    assert by_id(response, "findings-count") == (
        "Ngày 01/03/2026: 0 lỗi, 0 cảnh báo, 0 cần xem xét. không phải hôm nay"
    )
    content = text(response)
    # Positions highest rank first; each with its people.
    order = [content.index(f'id="position-{getattr(positions, c).pk}"')
             for c in ("bt", "pbt", "ct", "tb", "pct", "gd")]  # fmt: skip
    assert order == sorted(order)
    em = plan.entries.get(person=cadres.e)
    assert f'id="entry-{em.pk}"' not in content
    removed = by_id(response, f"removed-{em.pk}")
    assert removed == "Vũ Thị Em 01/01/2024 15/12/2025 Bị kỷ luật 15/12/2025 (45-QĐ/TU)"
    an = plan.entries.get(person=cadres.a, position=positions.bt)
    row = by_id(response, f"entry-{an.pk}")
    assert row.startswith("Trần Văn An 001080000001 10/05/1980 45 Giám đốc Sở – Tỉnh ủy Thử Nghiệm")
    assert "31/05/2042" in row  # retirement date, computed
    assert "Đạt" in row


def test_findings_appear_beside_the_person_and_the_position(editor, draft, cadres, positions):
    # An holds GD (rank 70): planning him for GD is not a step up (P3).
    services.entry_add(actor=None, plan=draft, person=cadres.a, position=positions.gd)
    # Four people for the deputy secretary: over the limit of three (P1).
    for i, given in enumerate(("Một", "Hai", "Ba")):
        person = make_person(
            "Lý", "Văn", given, "M", dt.date(1985, 1, 1 + i), unit=draft.planning_unit
        )
        services.entry_add(actor=None, plan=draft, person=person, position=positions.pbt)
    response = editor.get(url("detail", draft))
    entry = draft.entries.get(person=cadres.a, position=positions.gd)
    row = by_id(response, f"entry-{entry.pk}")
    assert "P3" in row and "Trần Văn An được quy hoạch vào Giám đốc Sở" in row
    content = text(response)
    pbt = content.split(f'id="position-{positions.pbt.pk}"', 1)[1].split("</table>", 1)[0]
    assert 'data-rule="P1"' in pbt
    assert "có 4 người trong quy hoạch" in pbt
    gd = content.split(f'id="position-{positions.gd.pk}"', 1)[1].split("</table>", 1)[0]
    assert 'data-rule="P1"' not in gd


def test_plan_page_queries_do_not_grow_with_entries(
    editor, draft, positions, django_assert_max_num_queries
):
    with django_assert_max_num_queries(32) as few:
        editor.get(url("detail", draft))
    for i in range(12):
        person = make_person(
            "Mai", "Văn", f"Số {i}", "M", dt.date(1980, 1, 1 + i), unit=draft.planning_unit
        )
        services.entry_add(actor=None, plan=draft, person=person,
                           position=(positions.gd, positions.pbt, positions.bt)[i % 3])  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = editor.get(url("detail", draft))
    assert response.status_code == 200


# --- entries -----------------------------------------------------------------------------


def test_add_an_entry_by_id_number(editor, draft, cadres, positions):
    response = editor.post(
        url("entry-add", draft),
        {"add-person": "001088000003", "add-position": positions.gd.pk, "add-source": "outside",
         "add-added_decision": "Nghị quyết 12-NQ/TU", "add-first_time": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    entry = draft.entries.get(person=cadres.c)
    assert (entry.position, entry.source, entry.added_decision, entry.first_time) == (
        positions.gd, "outside", "Nghị quyết 12-NQ/TU", True,
    )  # fmt: skip
    assert entry.added_on == timezone.localdate()
    page = editor.get(url("detail", draft))
    assert "Đã đưa Phạm Văn Cường vào quy hoạch chức danh Giám đốc Sở." in text(page)
    assert AuditEvent.objects.filter(object_id=str(entry.pk)).exists()


def test_add_an_entry_by_name_or_suggestion(editor, draft, cadres, positions):
    editor.post(url("entry-add", draft), {"add-person": "cuong", "add-position": positions.gd.pk,
                                          "add-source": "inside"})  # fmt: skip
    editor.post(url("entry-add", draft), {"add-person": "001074000004 · Hoàng Văn Dũng",
                                          "add-position": positions.gd.pk, "add-source": "inside"})  # fmt: skip
    assert sorted(draft.entries.filter(position=positions.gd).values_list("person__given_name", flat=True)) == ["Cường", "Dũng"]  # fmt: skip


@pytest.mark.parametrize(
    ("person", "position", "message"),
    [
        ("", True, "Hãy nhập số định danh hoặc họ tên cán bộ."),
        ("009999999999", True, "Không tìm thấy cán bộ có số định danh 009999999999."),
        ("xyz khong co", True, "Không tìm thấy cán bộ nào khớp “xyz khong co”."),
        ("van", True, "Có nhiều cán bộ khớp “van”: hãy chọn trong gợi ý hoặc nhập số định danh."),
        ("001088000003", False, "Hãy chọn chức danh quy hoạch."),
        ("001080000001", True, "Cán bộ này đã có trong quy hoạch cho chức danh này."),
    ],
)  # fmt: skip
def test_add_entry_errors_are_vietnamese_and_nothing_changes(
    editor, draft, positions, person, position, message
):
    before = state()
    response = editor.post(
        url("entry-add", draft),
        {"add-person": person, "add-position": positions.bt.pk if position else "",
         "add-source": "inside"},
    )  # fmt: skip
    assert response.status_code == 200
    assert message in text(response)
    assert "Chưa lưu được: hãy sửa các lỗi được đánh dấu." in text(response)
    assert state() == before


def test_add_entry_to_an_approved_plan_is_refused_with_the_reason(editor, plan, positions):
    # The form is not offered, but a stale page may still post it.
    before = state()
    response = editor.post(url("entry-add", plan), {"add-person": "001088000003",
                                                    "add-position": positions.bt.pk, "add-source": "inside"})  # fmt: skip
    assert response.status_code == 200
    assert "Quy hoạch đang ở trạng thái “Đã phê duyệt”" in text(response)
    assert state() == before


def test_person_of_another_unit_is_not_found(editor, world, draft, positions):
    # Bình of the ui tests' world lives in commune B; the province editor sees the subtree,
    # the commune A editor does not.
    stranger = make_person("Đinh", "Văn", "Lạ", "M", dt.date(1980, 1, 1), unit=world.xb,
                           id_number="001080009999")  # fmt: skip
    assert stranger.unit == world.xb
    editor_a = UserFactory(username="sua_xa", role=Role.EDITOR)
    grant(editor_a, world.xa)
    other = Client()
    other.force_login(editor_a)
    response = other.get(reverse("planning:person-suggest") + "?q=001080009999")
    assert "Đinh Văn Lạ" not in text(response)
    assert not AccessEvent.objects.exists()  # nothing shown, nothing logged
    response = editor.get(reverse("planning:person-suggest") + "?q=001080009")
    assert "001080009999 · Đinh Văn Lạ" in text(response)
    # The suggestions name people: one list entry with the text typed and who was shown.
    event = AccessEvent.objects.get()
    assert (event.kind, event.query, event.rows) == ("list", "gợi ý: 001080009", 1)
    assert event.person_ids.split() == [str(stranger.pk)]


def test_remove_an_entry_with_a_reason(editor, draft, cadres):
    entry = draft.entries.get(person=cadres.b)
    response = editor.post(
        url("entry-remove", draft, entry.pk),
        {f"remove-{entry.pk}-reason": RemovalReason.MOVED, f"remove-{entry.pk}-note": "Điều động",
         f"remove-{entry.pk}-removed_on": "10/01/2026"},
    )  # fmt: skip
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.removed_on, entry.removal_reason, entry.removal_note) == (
        dt.date(2026, 1, 10), "moved", "Điều động",
    )  # fmt: skip
    page = editor.get(url("detail", draft))
    assert by_id(page, f"removed-{entry.pk}") == (
        "Lê Thị Bình 05/01/2026 10/01/2026 Chuyển công tác: Điều động —"
    )
    assert f'id="entry-{entry.pk}"' not in text(page)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Hãy chọn lý do đưa ra khỏi quy hoạch."),
        ({"reason": "other"}, "Lý do khác: hãy ghi rõ lý do."),
        ({"reason": "age", "removed_on": "01/01/2025"}, "Ngày đưa ra không được trước ngày đưa vào quy hoạch."),
        ({"reason": "age", "removed_on": "31/02/2026"}, "Ngày 31/02/2026 không tồn tại."),
        ({"reason": "age", "removed_on": "2026"}, "Hãy nhập ngày theo dạng dd/mm/yyyy."),
    ],
)  # fmt: skip
def test_remove_errors(editor, draft, cadres, data, message):
    entry = draft.entries.get(person=cadres.b)
    before = state()
    response = editor.post(
        url("entry-remove", draft, entry.pk),
        {f"remove-{entry.pk}-{k}": v for k, v in data.items()},
    )
    assert response.status_code == 200
    assert message in text(response)
    assert f'class="collapse show" id="remove-{entry.pk}"' in text(response)
    assert state() == before


def test_cover_a_position(editor, draft, positions):
    response = editor.post(url("position-add", draft), {"cover-position": positions.ct.pk})
    assert response.status_code == 302
    assert draft.plan_positions.filter(position=positions.ct).exists()


# --- transitions -------------------------------------------------------------------------


def test_submit_approve_publish_reopen(editor, world, draft):
    assert editor.post(url("submit", draft)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == PlanStatus.SUBMITTED

    response = editor.post(url("approve", draft), {"approve-approver_unit": world.tu.pk})
    assert response.status_code == 200
    assert "Hãy nhập số quyết định phê duyệt." in text(response)
    assert "Hãy nhập ngày quyết định phê duyệt." in text(response)
    response = editor.post(url("approve", draft), {
        "approve-approver_unit": world.tu.pk, "approve-decision_number": "200-QĐ/TU",
        "approve-decision_date": "20/02/2026", "approve-approved_on": "19/02/2026"})  # fmt: skip
    assert "Ngày phê duyệt không được trước ngày quyết định." in text(response)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.SUBMITTED
    response = editor.post(url("approve", draft), {
        "approve-approver_unit": world.tu.pk, "approve-decision_number": "200-QĐ/TU",
        "approve-decision_date": "20/02/2026"})  # fmt: skip
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.decision_number, draft.approved_on) == (
        "approved", "200-QĐ/TU", dt.date(2026, 2, 20),
    )  # fmt: skip

    response = editor.post(url("publish", draft), {"publish-published_on": "01/02/2026"})
    assert "Ngày công bố không được trước ngày phê duyệt." in text(response)
    assert (
        editor.post(url("publish", draft), {"publish-published_on": "01/03/2026"}).status_code
        == 302
    )
    draft.refresh_from_db()
    assert (draft.status, draft.published_on) == ("published", dt.date(2026, 3, 1))

    response = editor.post(url("reopen", draft), {"reopen-reason": "  "})
    assert "Hãy nêu lý do đưa quy hoạch về dự thảo." in text(response)
    assert (
        editor.post(url("reopen", draft), {"reopen-reason": "Bổ sung nhân sự"}).status_code == 302
    )
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT
    page = editor.get(url("detail", draft))
    history = by_id(page, "plan-history")
    assert "Đã công bố → Dự thảo" in history and "Lý do: Bổ sung nhân sự" in history
    assert "Quyết định 200-QĐ/TU ngày 20/02/2026" in history
    assert by_id(page, "plan-decision") == (
        "Số 200-QĐ/TU ngày 20/02/2026 · Tỉnh ủy Thử Nghiệm (của lần phê duyệt trước)"
    )


def test_a_second_submit_says_why(editor, draft):
    editor.post(url("submit", draft))
    response = editor.post(url("submit", draft), follow=True)
    assert "Không thể chuyển quy hoạch từ trạng thái “Đã trình phê duyệt” sang “Đã trình phê duyệt”." in text(response)  # fmt: skip


# --- what-if -----------------------------------------------------------------------------


def test_what_if_shows_new_and_resolved_findings_and_saves_nothing(
    viewer, draft, cadres, positions
):
    services.entry_add(actor=None, plan=draft, person=cadres.a, position=positions.gd)  # P3
    gd = draft.entries.get(person=cadres.a, position=positions.gd)
    before = state()
    response = viewer.get(
        url("what-if", draft),
        # Cường and Dũng for the deputy secretary; An leaves GD (P3 resolved).
        {"person": ["001088000003", "Hoàng Văn Dũng", "001066000006"], "position": [positions.pbt.pk, positions.pbt.pk, ""],
         "remove": [gd.pk]},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert response.status_code == 200
    content = text(response)
    assert content.startswith('<div id="what-if">')  # the panel only
    assert "Hãy chọn chức danh quy hoạch." in content  # Hải's row has no position
    assert "what-if-result" not in content
    response = viewer.get(
        url("what-if", draft),
        {"person": ["001088000003", "Hoàng Văn Dũng"], "position": [positions.pbt.pk, positions.pbt.pk],
         "remove": [gd.pk]},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    summary = by_id(response, "what-if-summary")
    # Before: P3 (An for GD) and P6 (nobody young, two age brackets); Cường (38) and Dũng
    # (52) complete the structure, but Dũng retires four months into the 2035 term (P5).
    assert summary == "Trước: 3 vấn đề · Sau: 1 · Phát sinh: 1 · Được giải quyết: 3"
    new, resolved = by_id(response, "what-if-new"), by_id(response, "what-if-resolved")
    assert new.startswith(
        "P5 Hoàng Văn Dũng không đủ tuổi công tác trọn một nhiệm kỳ tính từ đầu nhiệm kỳ "
        "2035–2040: còn 4 tháng, cần ít nhất 5 năm."
    )
    content = text(response)
    resolved_rules = content.split('id="what-if-resolved"', 1)[1].split('<div class="small fw', 1)[
        0
    ]
    assert [r for r in ("P1", "P3", "P5", "P6") if f'data-rule="{r}"' in resolved_rules] == [
        "P3",
        "P6",
    ]
    assert resolved.startswith("P3 Trần Văn An được quy hoạch vào Giám đốc Sở")
    # The rows come back resolved, with a blank one to propose more.
    assert 'value="001088000003 · Phạm Văn Cường"' in text(response)
    assert text(response).count('name="person"') == 3
    assert state() == before


def test_what_if_without_htmx_is_a_page(viewer, draft):
    response = viewer.get(url("what-if", draft))
    assert "<html" in text(response) and 'id="what-if-form"' in text(response)


# --- reviews -----------------------------------------------------------------------------


def test_past_reviews_with_before_and_after(viewer, plan):
    response = viewer.get(url("reviews", plan))
    review = plan.reviews.get()
    assert by_id(response, f"review-{review.pk}").startswith("Rà soát ngày 15/12/2025 · 45-QĐ/TU Trước: 5 · Sau: 5")  # fmt: skip
    content = text(response)
    assert "Phạm Văn Cường – Phó Chủ tịch UBND tỉnh – Tỉnh ủy Thử Nghiệm" in content.split("review-added", 1)[1].split("</ul>", 1)[0]  # fmt: skip
    assert "Vũ Thị Em – Trưởng Ban Tổ chức Tỉnh ủy – Tỉnh ủy Thử Nghiệm" in content.split("review-removed", 1)[1].split("</ul>", 1)[0]  # fmt: skip


def review_data(plan, **extra):
    data = {"reviewed_on": "01/03/2026", "decision_number": "", "note": "",
            "add-TOTAL_FORMS": "3", "add-INITIAL_FORMS": "0", "add-MIN_NUM_FORMS": "0",
            "add-MAX_NUM_FORMS": "30"}  # fmt: skip
    for i in range(3):
        data[f"add-{i}-source"] = "inside"
    data.update(extra)
    return data


def test_record_a_review(editor, plan, cadres, positions):
    dung = plan.entries.get(person=cadres.d)
    response = editor.post(url("reviews", plan), review_data(
        plan, decision_number="60-QĐ/TU", **{f"remove_{dung.pk}": "age",
        "add-0-person": "001175000007", "add-0-position": positions.ct.pk, "add-0-first_time": "on"}))  # fmt: skip
    assert response.status_code == 302
    review = plan.reviews.order_by("-reviewed_on").first()
    assert (review.reviewed_on, review.decision_number) == (dt.date(2026, 3, 1), "60-QĐ/TU")
    dung.refresh_from_db()
    assert (dung.removed_on, dung.removal_reason, dung.removed_in_review) == (dt.date(2026, 3, 1), "age", review)  # fmt: skip
    lan = plan.entries.get(person=cadres.l)
    assert (lan.position, lan.first_time, lan.added_in_review, lan.added_decision) == (positions.ct, True, review, "60-QĐ/TU")  # fmt: skip
    page = editor.get(url("reviews", plan))
    assert by_id(page, f"review-{review.pk}").startswith("Rà soát ngày 01/03/2026 · 60-QĐ/TU Trước: 5 · Sau: 5")  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"reviewed_on": ""}, "Hãy nhập ngày rà soát."),
        ({"reviewed_on": "01/12/2025"}, "Ngày rà soát không được trước lần rà soát gần nhất (15/12/2025)."),
        ({"add-0-person": "001175000007"}, "Hãy chọn chức danh quy hoạch."),
        ({"add-0-person": "khong ai ca"}, "Không tìm thấy cán bộ nào khớp “khong ai ca”."),
    ],
)  # fmt: skip
def test_review_errors(editor, plan, extra, message):
    before = state()
    response = editor.post(url("reviews", plan), review_data(plan, **extra))
    assert response.status_code == 200
    assert message in text(response)
    assert state() == before


def test_a_draft_is_not_reviewed(editor, draft):
    response = editor.get(url("reviews", draft))
    assert "review-form" not in text(response)
    assert "Chỉ rà soát quy hoạch đã phê duyệt hoặc đã công bố." in text(response)


# --- figures and bench -------------------------------------------------------------------


def test_plan_figures_exact(viewer, plan):
    response = viewer.get(url("figures", plan) + "?" + ON)
    assert by_id(response, "fig-positions") == "6"
    assert by_id(response, "fig-planned") == "4"
    assert by_id(response, "fig-coefficient") == "0,67"
    assert by_id(response, "fig-women") == "1 · 25,00%"
    assert by_id(response, "fig-young") == "1 · 25,00%"
    assert by_id(response, "fig-minority") == "1 · 25,00%"
    assert [by_id(response, f"fig-{k}") for k in ("none", "one", "more")] == ["2", "3", "1"]
    age = by_id(response, "chart-age")
    assert age == (
        "Ba độ tuổi Dưới 40 tuổi 1 · 25,00% Từ 40 đến dưới 45 tuổi 1 · 25,00% "
        "Từ 45 tuổi trở lên 2 · 50,00%"
    )
    assert by_id(response, "chart-degree") == (
        "Trình độ chuyên môn Đại học 2 · 50,00% Thạc sĩ 1 · 25,00% Chưa có thông tin 1 · 25,00%"
    )
    assert by_id(response, "chart-successors") == (
        "Số người kế cận mỗi chức danh Chưa có người kế cận 2 · 33,33% Có 1 người 3 · 50,00% "
        "Có từ 2 người trở lên 1 · 16,67%"
    )
    # Drawn in the page: SVG bars scaled to the longest.
    assert 'width="100.00%"' in text(response)
    assert '<script src="http' not in text(response)


def test_unit_figures_roll_up(viewer, world, plan):
    response = viewer.get(reverse("planning:unit-figures") + f"?unit={world.tu.pk}&{ON}")
    assert by_id(response, "figures-unit") == "Tỉnh ủy Thử Nghiệm"
    assert by_id(response, "unit-figures-total") == "Tổng cộng 6 4 0,67 25,00% 25,00% 25,00% 2 3 1"
    row = text(response).split(f'data-path="{world.tu.path}"', 1)[1].split("</tr>", 1)[0]
    assert "quy hoạch của chính đơn vị" in row


def test_bench(viewer, plan, positions):
    response = viewer.get(url("bench", plan) + "?" + ON)
    assert by_id(response, "bench-summary") == (
        "6 chức danh · 4 dự kiến khuyết trước ngày 01/10/2030 · 1 có rủi ro "
        "(khuyết mà không có người kế cận đủ điều kiện)."
    )
    assert by_id(response, f"bench-{positions.bt.pk}") == (
        "Bí thư Tỉnh ủy – Tỉnh ủy Thử Nghiệm Đỗ Văn Hải 31/10/2027 Có Trần Văn An 1/1 (tối đa 3) —"
    )
    assert by_id(response, f"bench-{positions.tb.pk}") == (
        "Trưởng Ban Tổ chức Tỉnh ủy – Tỉnh ủy Thử Nghiệm Bùi Văn Khoa 30/06/2028 Có — 0/0 (tối đa 3) "
        "Rủi ro"
    )


# --- exports -----------------------------------------------------------------------------


def test_xlsx_export(viewer, plan):
    response = viewer.get(url("export-xlsx", plan))
    assert response["Content-Disposition"] == 'attachment; filename="quy-hoach-TU-2030-2035.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["Quy hoạch"]
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "DANH SÁCH CÁN BỘ TRONG QUY HOẠCH"
    header = rows.index(next(r for r in rows if r and r[0] == "STT"))
    body = rows[header + 1 :]
    assert [r[1] for r in body] == ["Trần Văn An", "Trần Văn An", "Lê Thị Bình", "Hoàng Văn Dũng", "Phạm Văn Cường"]  # fmt: skip
    assert body[0][2] == "001080000001"
    assert body[0][3] == dt.datetime(1980, 5, 10)
    assert body[0][6] == "Bí thư Tỉnh ủy – Tỉnh ủy Thử Nghiệm"
    assert body[-1][8].date() == dt.date(2025, 12, 15)


# --- create ------------------------------------------------------------------------------


def test_create_a_plan(editor, world, positions):
    term = make_term(2040, 2045)
    response = editor.post(reverse("planning:create"), {"planning_unit": world.tu.pk, "term": term.pk, "name": ""})  # fmt: skip
    assert response.status_code == 302
    plan = Plan.objects.get(term=term)
    assert plan.name == "Tỉnh ủy Thử Nghiệm, nhiệm kỳ 2040–2045"
    response = editor.post(reverse("planning:create"), {"planning_unit": world.tu.pk, "term": term.pk})  # fmt: skip
    assert "Đơn vị này đã có quy hoạch cho nhiệm kỳ này." in text(response)


def test_viewers_do_not_create(viewer):
    assert viewer.get(reverse("planning:create")).status_code == 403
    assert viewer.post(reverse("planning:create"), {}).status_code == 403


def test_menu_entry(viewer):
    content = text(viewer.get(reverse("planning:list")))
    assert 'href="/planning/"><i class="bi bi-diagram-2"></i> Quy hoạch</a>' in content


def test_as_of_defaults_to_today(viewer, plan):
    response = viewer.get(url("detail", plan))
    assert by_id(response, "findings-count").startswith(f"Ngày {timezone.localdate():%d/%m/%Y}:")
    assert AS_OF.year == 2026


# --- a rule set its checks cannot use -----------------------------------------------------

UNUSABLE = "Bộ quy định kiểm tra QĐ 377/2025 có tham số không dùng được"


@pytest.mark.parametrize("name", ["detail", "figures", "bench"])
def test_an_unusable_rule_set_is_a_message_not_an_error(viewer, plan, name):
    Rule.objects.filter(code="P1").update(parameters={"max_people_per_position": "abc"})
    response = viewer.get(url(name, plan))
    assert response.status_code == 200
    assert UNUSABLE in text(response)
    units = viewer.get(reverse("planning:unit-figures"))
    assert (units.status_code, UNUSABLE in text(units)) == (200, True)
