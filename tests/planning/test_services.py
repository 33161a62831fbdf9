import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from canbo.core.models import AuditEvent
from canbo.organizations.choices import UnitLevel
from canbo.planning import services
from canbo.planning.choices import PlanStatus, RemovalReason
from canbo.planning.models import Plan, PlanEntry, PlanPosition, PlanReview, PlanTransition

from .conftest import APPROVED, DRAFTED, REVIEWED
from .factories import make_person, make_position

pytestmark = pytest.mark.django_db


def events(model):
    """(action, object id, changed field names) of the audit events of a model, oldest first."""
    ct = ContentType.objects.get_for_model(model)
    return [
        (e.action, int(e.object_id), sorted(e.changes))
        for e in AuditEvent.objects.filter(content_type=ct).order_by("id")
    ]


def state():
    """Everything the planning services write: a failing write must leave it unchanged."""
    return (
        list(Plan.objects.order_by("id").values()),
        list(PlanPosition.objects.order_by("id").values()),
        list(PlanEntry.objects.order_by("id").values()),
        list(PlanReview.objects.order_by("id").values()),
        list(PlanTransition.objects.order_by("id").values()),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def commune(world):
    """Commune XA's positions and two cadres."""
    xa = world.xa
    bt = make_position(xa, "X-BT", "Bí thư Đảng ủy xã", 46, level=UnitLevel.COMMUNE)
    pbt = make_position(xa, "X-PBT", "Phó Bí thư Đảng ủy xã", 40, level=UnitLevel.COMMUNE)
    mai = make_person("Lò", "Thị", "Mai", "F", dt.date(1990, 4, 2), unit=xa, ethnicity="03",
                      id_number="014190000011")  # fmt: skip
    nam = make_person("Đinh", "Văn", "Nam", "M", dt.date(1984, 9, 9), unit=xa,
                      id_number="014084000012")  # fmt: skip
    return bt, pbt, mai, nam


def test_plan_create_in_scope_is_audited_with_its_first_transition(world, term, commune):
    bt, pbt, *_ = commune
    plan = services.plan_create(
        actor=world.editor_a, planning_unit=world.xa, term=term, positions=[pbt, bt]
    )
    assert (plan.name, plan.status) == ("Đảng ủy xã An Bình, nhiệm kỳ 2030–2035", "draft")
    assert list(plan.transitions.values_list("from_status", "to_status", "actor")) == [
        ("", "draft", world.editor_a.pk)
    ]
    assert sorted(plan.positions.values_list("pk", flat=True)) == [bt.pk, pbt.pk]
    assert events(Plan) == [
        ("create", plan.pk, ["decision_number", "id", "name", "planning_unit", "status", "term"])
    ]
    assert [e[0] for e in events(PlanTransition)] == ["create"]
    assert [e[0] for e in events(PlanPosition)] == ["create", "create"]
    assert AuditEvent.objects.filter(actor=world.editor_a).count() == 4


@pytest.mark.parametrize("who", ["editor_a", "viewer_a"])
def test_plan_create_out_of_edit_scope_is_refused_and_writes_nothing(world, term, who):
    before = state()
    unit = world.tu if who == "editor_a" else world.xa
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=getattr(world, who), planning_unit=unit, term=term)
    assert state() == before


def test_one_plan_per_unit_and_term(world, term):
    services.plan_create(actor=world.editor_a, planning_unit=world.xa, term=term)
    before = state()
    with pytest.raises(ValidationError) as exc:
        services.plan_create(actor=world.editor_a, planning_unit=world.xa, term=term)
    assert exc.value.messages == ["Đơn vị này đã có quy hoạch cho nhiệm kỳ này."]
    assert state() == before


def test_entries_of_a_plan_out_of_scope_are_refused(world, plan, positions, cadres):
    services.plan_reopen(actor=None, plan=plan, reason="Bổ sung hồ sơ")
    before = state()
    with pytest.raises(PermissionDenied):
        services.entry_add(actor=world.editor_a, plan=plan, person=cadres.c, position=positions.gd)
    with pytest.raises(PermissionDenied):
        services.entry_remove(
            actor=world.editor_a, entry=plan.entries.first(), reason=RemovalReason.MOVED
        )
    assert state() == before


def test_entry_add_covers_the_position_and_refuses_a_second_active_entry(world, term, commune):
    bt, pbt, mai, nam = commune
    plan = services.plan_create(actor=world.editor_a, planning_unit=world.xa, term=term)
    entry = services.entry_add(
        actor=world.editor_a, plan=plan, person=mai, position=bt, added_on=DRAFTED,
        added_decision="Nghị quyết 05-NQ/ĐU", first_time=True,
    )  # fmt: skip
    assert (entry.added_on, entry.source, entry.first_time, entry.removed_on) == (
        DRAFTED, "inside", True, None,
    )  # fmt: skip
    assert list(plan.positions.values_list("pk", flat=True)) == [bt.pk]
    before = state()
    with pytest.raises(ValidationError) as exc:
        services.entry_add(actor=world.editor_a, plan=plan, person=mai, position=bt)
    assert exc.value.messages == ["Cán bộ này đã có trong quy hoạch cho chức danh này."]
    assert state() == before
    with pytest.raises(ValidationError) as exc:
        services.entry_add(
            actor=world.editor_a, plan=plan, person=nam, position=bt,
            added_on=dt.date.today() + dt.timedelta(days=2),
        )  # fmt: skip
    assert exc.value.message_dict == {"added_on": ["Ngày này không được sau ngày hôm nay."]}
    assert state() == before


def test_entry_remove_keeps_the_row_and_needs_a_reason(world, term, commune):
    bt, pbt, mai, nam = commune
    plan = services.plan_create(actor=world.editor_a, planning_unit=world.xa, term=term)
    entry = services.entry_add(
        actor=world.editor_a, plan=plan, person=nam, position=pbt, added_on=DRAFTED
    )
    before = state()
    with pytest.raises(ValidationError) as exc:
        services.entry_remove(actor=world.editor_a, entry=entry, reason="")
    assert exc.value.message_dict == {"removal_reason": ["Hãy chọn lý do đưa ra khỏi quy hoạch."]}
    with pytest.raises(ValidationError) as exc:
        services.entry_remove(actor=world.editor_a, entry=entry, reason=RemovalReason.OTHER)
    assert exc.value.message_dict == {"removal_note": ["Lý do khác: hãy ghi rõ lý do."]}
    with pytest.raises(ValidationError) as exc:
        services.entry_remove(
            actor=world.editor_a, entry=entry, reason=RemovalReason.MOVED,
            removed_on=dt.date(2023, 12, 31),
        )  # fmt: skip
    assert exc.value.messages == ["Ngày đưa ra không được trước ngày đưa vào quy hoạch."]
    assert state() == before

    removed = services.entry_remove(
        actor=world.editor_a, entry=entry, reason=RemovalReason.OTHER,
        note="Xin rút khỏi quy hoạch", removed_on=dt.date(2024, 3, 1),
    )  # fmt: skip
    assert (removed.removed_on, removed.removal_reason, removed.removal_note) == (
        dt.date(2024, 3, 1), "other", "Xin rút khỏi quy hoạch",
    )  # fmt: skip
    assert events(PlanEntry)[-1] == (
        "update",
        entry.pk,
        ["removal_note", "removal_reason", "removed_on"],
    )
    with pytest.raises(ValidationError) as exc:
        services.entry_remove(actor=world.editor_a, entry=entry, reason=RemovalReason.MOVED)
    assert exc.value.messages == ["Cán bộ này đã được đưa ra khỏi quy hoạch ngày 01/03/2024."]

    # Planned again later: a new row; the removed one stays.
    again = services.entry_add(actor=world.editor_a, plan=plan, person=nam, position=pbt)
    assert list(plan.entries.order_by("id").values_list("pk", "removed_on")) == [
        (entry.pk, dt.date(2024, 3, 1)),
        (again.pk, None),
    ]


def test_life_cycle_and_history(world, term, commune):
    editor = world.editor_a
    plan = services.plan_create(actor=editor, planning_unit=world.xa, term=term)
    services.plan_submit(actor=editor, plan=plan)
    services.plan_approve(
        actor=editor, plan=plan, approver_unit=world.tu, decision_number=" 12-QĐ/TU ",
        decision_date=APPROVED,
    )  # fmt: skip
    services.plan_publish(actor=editor, plan=plan, published_on=dt.date(2025, 6, 10))
    services.plan_reopen(actor=editor, plan=plan, reason="Điều chỉnh theo Quy định 377")
    plan.refresh_from_db()
    assert (
        plan.status, plan.approver_unit, plan.decision_number, plan.decision_date,
        plan.approved_on, plan.published_on,
    ) == ("draft", world.tu, "12-QĐ/TU", APPROVED, APPROVED, dt.date(2025, 6, 10))  # fmt: skip
    assert list(
        plan.transitions.values_list(
            "from_status", "to_status", "reason", "decision_number", "decision_date"
        )
    ) == [
        ("", "draft", "", "", None),
        ("draft", "submitted", "", "", None),
        ("submitted", "approved", "", "12-QĐ/TU", APPROVED),
        ("approved", "published", "", "", None),
        ("published", "draft", "Điều chỉnh theo Quy định 377", "", None),
    ]
    assert [(action, fields) for action, _pk, fields in events(Plan)] == [
        ("create", ["decision_number", "id", "name", "planning_unit", "status", "term"]),
        ("update", ["status"]),
        ("update", ["approved_on", "approver_unit", "decision_date", "decision_number", "status"]),
        ("update", ["published_on", "status"]),
        ("update", ["status"]),
    ]


@pytest.mark.parametrize(
    "steps, call, message",
    [
        ([], "publish", "Không thể chuyển quy hoạch từ trạng thái “Dự thảo” sang “Đã công bố”."),
        ([], "approve", "Không thể chuyển quy hoạch từ trạng thái “Dự thảo” sang “Đã phê duyệt”."),
        (["submit"], "submit",
         "Không thể chuyển quy hoạch từ trạng thái “Đã trình phê duyệt” sang “Đã trình phê duyệt”."),
        ([], "reopen", "Không thể chuyển quy hoạch từ trạng thái “Dự thảo” sang “Dự thảo”."),
    ],
)  # fmt: skip
def test_invalid_transitions_are_refused(world, term, steps, call, message):
    plan = services.plan_create(actor=None, planning_unit=world.xa, term=term)
    if steps:
        services.plan_submit(actor=None, plan=plan)
    calls = {
        "submit": lambda: services.plan_submit(actor=None, plan=plan),
        "approve": lambda: services.plan_approve(
            actor=None,
            plan=plan,
            approver_unit=world.tu,
            decision_number="1-QĐ/TU",
            decision_date=APPROVED,
        ),  # fmt: skip
        "publish": lambda: services.plan_publish(actor=None, plan=plan),
        "reopen": lambda: services.plan_reopen(actor=None, plan=plan, reason="Thử"),
    }
    before = state()
    with pytest.raises(ValidationError) as exc:
        calls[call]()
    assert exc.value.messages == [message]
    assert state() == before


def test_approval_needs_a_decision_by_the_unit_or_one_above(world, term):
    plan = services.plan_create(actor=None, planning_unit=world.xa, term=term)
    services.plan_submit(actor=None, plan=plan)
    before = state()
    with pytest.raises(ValidationError) as exc:
        services.plan_approve(
            actor=None, plan=plan, approver_unit=world.xb, decision_number="1-QĐ/ĐU",
            decision_date=APPROVED,
        )  # fmt: skip
    assert exc.value.message_dict == {
        "approver_unit": ["Cấp phê duyệt phải là chính đơn vị lập quy hoạch hoặc đơn vị cấp trên."]
    }
    with pytest.raises(ValidationError) as exc:
        services.plan_approve(
            actor=None, plan=plan, approver_unit=world.xa, decision_number="  ",
            decision_date=APPROVED,
        )  # fmt: skip
    assert exc.value.message_dict == {"decision_number": ["Hãy nhập số quyết định phê duyệt."]}
    with pytest.raises(ValidationError) as exc:
        services.plan_reopen(actor=None, plan=plan, reason=" ")
    assert exc.value.message_dict == {"reason": ["Hãy nêu lý do đưa quy hoạch về dự thảo."]}
    assert state() == before
    services.plan_approve(
        actor=None, plan=plan, approver_unit=world.xa, decision_number="1-QĐ/ĐU",
        decision_date=APPROVED,
    )  # fmt: skip
    assert Plan.objects.get().status == PlanStatus.APPROVED


def test_entries_change_directly_only_in_drafts(plan, positions, cadres):
    before = state()
    with pytest.raises(ValidationError) as exc:
        services.entry_add(actor=None, plan=plan, person=cadres.c, position=positions.gd)
    assert exc.value.messages == [
        "Quy hoạch đang ở trạng thái “Đã phê duyệt”: chỉ thêm, bớt trực tiếp khi còn là dự thảo; "
        "quy hoạch đã phê duyệt được bổ sung, điều chỉnh qua rà soát."
    ]
    assert state() == before


def test_review_keeps_the_lists_before_and_after_and_deletes_nothing(plan, positions):
    pos = positions
    review = plan.reviews.get()
    assert (review.reviewed_on, review.decision_number) == (REVIEWED, "45-QĐ/TU")
    assert review.before == [
        {"id_number": "001080000001", "position": pos.bt.pk},
        {"id_number": "001080000001", "position": pos.pbt.pk},
        {"id_number": "001185000002", "position": pos.pbt.pk},
        {"id_number": "001074000004", "position": pos.ct.pk},
        {"id_number": "001170000005", "position": pos.tb.pk},
    ]
    assert review.after == [
        {"id_number": "001080000001", "position": pos.bt.pk},
        {"id_number": "001080000001", "position": pos.pbt.pk},
        {"id_number": "001185000002", "position": pos.pbt.pk},
        {"id_number": "001074000004", "position": pos.ct.pk},
        {"id_number": "001088000003", "position": pos.pct.pk},
    ]
    rows = plan.entries.order_by("id").values_list(
        "person__given_name", "added_on", "added_decision", "first_time", "removed_on",
        "removal_reason", "added_in_review", "removed_in_review",
    )  # fmt: skip
    assert list(rows) == [
        ("An", DRAFTED, "", False, None, "", None, None),
        ("An", DRAFTED, "", False, None, "", None, None),
        ("Bình", DRAFTED, "", False, None, "", None, None),
        ("Dũng", DRAFTED, "", False, None, "", None, None),
        ("Em", DRAFTED, "", False, REVIEWED, "discipline", None, review.pk),
        ("Cường", REVIEWED, "45-QĐ/TU", True, None, "", review.pk, None),
    ]
    assert events(PlanReview) == [
        (
            "create",
            review.pk,
            ["after", "before", "decision_number", "id", "note", "plan", "reviewed_on"],
        )
    ]
    assert not AuditEvent.objects.filter(action="delete").exists()


def test_a_review_with_no_change_confirms_the_list(plan):
    second = services.review_record(actor=None, plan=plan, reviewed_on=dt.date(2026, 6, 1))
    assert second.before == second.after == plan.reviews.get(reviewed_on=REVIEWED).after


def test_review_refusals_change_nothing(world, plan, positions, cadres, term):
    pos, p = positions, cadres
    other = services.plan_create(actor=None, planning_unit=world.xa, term=term)
    stranger = services.entry_add(actor=None, plan=other, person=p.e, position=pos.gd)
    an_bt = plan.entries.get(person=p.a, position=pos.bt)
    cases = [
        (dict(reviewed_on=dt.date(2025, 12, 1)),
         {"reviewed_on": ["Ngày rà soát không được trước lần rà soát gần nhất (15/12/2025)."]}),
        (dict(reviewed_on=dt.date(2026, 2, 1),
              removals=[services.EntryRemoval(entry=stranger, reason="moved")]),
         ["Có cán bộ được đưa ra không thuộc quy hoạch này."]),
        (dict(reviewed_on=dt.date(2026, 2, 1),
              removals=[services.EntryRemoval(entry=an_bt, reason="other")]),
         {"removal_note": ["Lý do khác: hãy ghi rõ lý do."]}),
        (dict(reviewed_on=dt.date(2026, 2, 1),
              additions=[services.EntryAddition(person=p.a, position=pos.bt)]),
         ["Cán bộ này đã có trong quy hoạch cho chức danh này."]),
    ]  # fmt: skip
    before = state()
    for kwargs, expected in cases:
        with pytest.raises(ValidationError) as exc:
            services.review_record(actor=None, plan=plan, **kwargs)
        got = exc.value.message_dict if isinstance(expected, dict) else exc.value.messages
        assert got == expected
        assert state() == before
    with pytest.raises(ValidationError) as exc:
        services.review_record(actor=None, plan=other, reviewed_on=dt.date(2026, 2, 1))
    assert exc.value.messages == [
        "Chỉ rà soát quy hoạch đã phê duyệt; quy hoạch đang ở trạng thái “Dự thảo”."
    ]


def test_review_out_of_scope_is_refused(world, plan):
    before = state()
    with pytest.raises(PermissionDenied):
        services.review_record(actor=world.editor_a, plan=plan, reviewed_on=dt.date(2026, 2, 1))
    assert state() == before


def test_a_review_adds_the_positions_it_plans_for(plan, positions, cadres):
    services.review_record(
        actor=None,
        plan=plan,
        reviewed_on=dt.date(2026, 2, 1),
        additions=[services.EntryAddition(person=cadres.c, position=positions.pgd)],
    )
    assert positions.pgd in plan.positions.all()
    assert plan.positions.count() == 7
