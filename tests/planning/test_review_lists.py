"""A review's lists before and after, built by one function for the service and the import."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from canbo.planning import services
from canbo.planning.choices import RemovalReason
from canbo.planning.models import PlanReview
from canbo.planning.services import ListedEntry, review_link_errors, review_members

from .conftest import REVIEWED

pytestmark = pytest.mark.django_db


def test_the_lists_are_the_active_entries_just_before_and_after_the_review(
    plan, positions, cadres
):
    pos, p = positions, cadres
    before = services.active_list(plan)
    bình = plan.entries.get(person=p.b, position=pos.pbt)
    review = services.review_record(
        actor=None,
        plan=plan,
        reviewed_on=dt.date(2026, 2, 1),
        additions=[services.EntryAddition(person=p.d, position=pos.tb)],
        removals=[services.EntryRemoval(entry=bình, reason=RemovalReason.MOVED)],
    )
    assert review.before == before
    assert review.after == services.active_list(plan)
    assert review.after == [
        {"id_number": "001080000001", "position": pos.bt.pk},
        {"id_number": "001080000001", "position": pos.pbt.pk},
        {"id_number": "001074000004", "position": pos.ct.pk},
        {"id_number": "001074000004", "position": pos.tb.pk},
        {"id_number": "001088000003", "position": pos.pct.pk},
    ]
    # Computed again later, from the entries and their links, the lists do not move.
    for stored in PlanReview.objects.filter(plan=plan):
        assert services.review_lists_of(stored) == (stored.before, stored.after)


def test_one_review_a_day(plan):
    with pytest.raises(ValidationError) as exc:
        services.review_record(actor=None, plan=plan, reviewed_on=REVIEWED)
    assert exc.value.message_dict == {
        "reviewed_on": ["Quy hoạch đã có đợt rà soát ngày 15/12/2025; mỗi ngày chỉ có một đợt rà soát."]
    }
    assert plan.reviews.count() == 1


def test_review_members_orders_events_by_their_reviews():
    first, second = dt.date(2025, 12, 15), dt.date(2026, 2, 1)
    entries = [
        ListedEntry("a", 1),  # added directly, still in
        ListedEntry("b", 1, removed=True),  # added and taken out directly: before every review
        ListedEntry("c", 2, added_review_on=first),
        ListedEntry("d", 2, removed=True, removed_review_on=first),
        ListedEntry("e", 3, added_review_on=first, removed=True, removed_review_on=second),
        ListedEntry("f", 3, added_review_on=second),
    ]
    assert review_members(entries, first) == (
        [("a", 1), ("d", 2)],
        [("a", 1), ("c", 2), ("e", 3)],
    )
    assert review_members(entries, second) == (
        [("a", 1), ("c", 2), ("e", 3)],
        [("a", 1), ("c", 2), ("f", 3)],
    )
    assert services.review_list([("b", 2), ("a", 2), ("c", 1), ("a", 2)]) == [
        {"id_number": "c", "position": 1},
        {"id_number": "a", "position": 2},
        {"id_number": "b", "position": 2},
    ]


def test_review_link_errors():
    day = dt.date(2025, 12, 15)
    assert review_link_errors(
        added_on=day, removed_on=None, added_review_on=day, removed_review_on=None
    ) == {}
    assert review_link_errors(
        added_on=dt.date(2025, 1, 1), removed_on=None, added_review_on=day, removed_review_on=day
    ) == {
        "added_in_review": "Cán bộ được bổ sung trong đợt rà soát ngày 15/12/2025 phải có ngày "
        "đưa vào là ngày rà soát.",
        "removed_in_review": "Cán bộ được đưa ra trong đợt rà soát ngày 15/12/2025 phải có ngày "
        "đưa ra là ngày rà soát.",
    }
    assert review_link_errors(
        added_on=day, removed_on=day, added_review_on=day, removed_review_on=day
    ) == {"removed_in_review": "Một đợt rà soát không thể vừa bổ sung vừa đưa ra cùng một cán bộ."}
