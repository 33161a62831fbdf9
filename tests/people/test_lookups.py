"""The one rule for lookups by ID number beyond the user's scope (people.selectors).

World: TU > XA, XB; viewer_a and editor_a hold commune XA. A draft plan of XA.
Ánh is in XA (in scope), Bình in XB (out of scope), 009999999999 names no one.
"""

import datetime as dt

import pytest

from canbo.core.models import AccessEvent
from canbo.people import selectors
from canbo.people.selectors import (
    DUPLICATE_ELSEWHERE,
    DUPLICATE_ID,
    LookupThrottled,
    count_lookup,
    id_number_taken,
    in_view_scope,
    lookup_rate,
    person_for_planning,
)
from canbo.planning import services as planning_services
from tests.factories import PersonFactory
from tests.planning.factories import make_term

ANH, BINH, NOBODY = "001080000001", "001075000003", "009999999999"


@pytest.fixture
def commune(world):
    world.anh = PersonFactory(id_number=ANH, unit=world.xa, birth_date=dt.date(1980, 3, 5))
    world.binh = PersonFactory(id_number=BINH, unit=world.xb, birth_date=dt.date(1975, 1, 1))
    world.plan = planning_services.plan_create(
        actor=None, planning_unit=world.xa, term=make_term(2030, 2035), positions=[]
    )
    world.tu_plan = planning_services.plan_create(
        actor=None, planning_unit=world.tu, term=make_term(2030, 2035), positions=[]
    )
    return world


def lookups():
    return list(AccessEvent.objects.order_by("id").values_list("kind", "actor__username", "query"))


def test_everyone_finds_people_of_their_scope_without_a_lookup_entry(commune):
    for user in (commune.viewer_a, commune.editor_a):
        found = person_for_planning(user=user, id_number=ANH, plan=commune.plan)
        assert found == commune.anh
    assert lookups() == []


def test_a_viewer_gets_none_for_outside_and_unknown_alike(commune):
    for number in (BINH, NOBODY):
        assert (
            person_for_planning(user=commune.viewer_a, id_number=number, plan=commune.plan) is None
        )
    assert lookups() == []


def test_an_editor_of_the_plan_names_a_person_from_elsewhere_logged(commune):
    found = person_for_planning(user=commune.editor_a, id_number=f" {BINH} ", plan=commune.plan)
    assert found == commune.binh
    assert person_for_planning(user=commune.editor_a, id_number=NOBODY, plan=commune.plan) is None
    plan = commune.plan.pk
    assert lookups() == [
        ("lookup", "sua_a", f"plan={plan} id_number={BINH}"),
        ("lookup", "sua_a", f"plan={plan} id_number={NOBODY}"),
    ]
    found_entry, missing_entry = AccessEvent.objects.order_by("id")
    assert (found_entry.rows, found_entry.object_id, found_entry.person_ids) == (
        1, str(commune.binh.pk), f" {commune.binh.pk} ",
    )  # fmt: skip
    assert (missing_entry.rows, missing_entry.object_id, missing_entry.person_ids) == (0, "", "")


@pytest.mark.parametrize("text", ["00107500000", "0010750000033", "Đặng Thị Bình", "001075"])
def test_only_the_exact_twelve_digits_reach_beyond_scope(commune, text):
    assert person_for_planning(user=commune.editor_a, id_number=text, plan=commune.plan) is None
    assert lookups() == []


def test_editing_another_plan_gives_no_reach(commune, admin_user):
    """The editor may not edit the province plan: no reach beyond scope through it."""
    assert person_for_planning(user=commune.editor_a, id_number=BINH, plan=commune.tu_plan) is None
    assert lookups() == []
    # The administrator's scope is everything: a plain find, no lookup entry.
    found = person_for_planning(user=admin_user, id_number=BINH, plan=commune.tu_plan)
    assert found == commune.binh
    assert lookups() == []


def test_in_view_scope(commune):
    ids = [commune.anh.pk, commune.binh.pk, commune.anh.pk]
    assert in_view_scope(user=commune.viewer_a, person_ids=ids) == {commune.anh.pk}
    assert in_view_scope(user=commune.viewer_a, person_ids=[]) == set()


# --- Throttling ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "rate, expected",
    [("30/hour", (30, 3600)), ("5/m", (5, 60)), ("2/second", (2, 1)), ("100/day", (100, 86400))],
)
def test_lookup_rate(settings, rate, expected):
    settings.CANBO_PERSON_LOOKUP_RATE = rate
    assert lookup_rate() == expected


def test_distinct_numbers_are_counted_per_user_and_window(commune, settings, monkeypatch):
    settings.CANBO_PERSON_LOOKUP_RATE = "2/hour"
    clock = [7200.0 * 1000 + 10]  # 10 s into an hour window
    monkeypatch.setattr(selectors.time, "time", lambda: clock[0])
    user = commune.editor_a
    count_lookup(user, "000000000001")
    count_lookup(user, "000000000002")
    count_lookup(user, "000000000001")  # asked again: not counted again
    with pytest.raises(LookupThrottled) as refused:
        count_lookup(user, "000000000003")
    assert refused.value.wait == 3591  # to the end of the hour, rounded up
    with pytest.raises(LookupThrottled):  # still refused, however often it is asked
        count_lookup(user, "000000000003")
    count_lookup(user, "000000000002")  # one already counted is still answered
    count_lookup(commune.viewer_a, "000000000003")  # another user has a count of their own
    clock[0] += 3600  # the next window
    count_lookup(user, "000000000003")


def test_throttled_lookups_are_refused_before_reading_or_logging(commune, settings):
    settings.CANBO_PERSON_LOOKUP_RATE = "1/hour"
    assert person_for_planning(user=commune.editor_a, id_number=NOBODY, plan=commune.plan) is None
    with pytest.raises(LookupThrottled):
        person_for_planning(user=commune.editor_a, id_number=BINH, plan=commune.plan)
    assert [q for _k, _u, q in lookups()] == [f"plan={commune.plan.pk} id_number={NOBODY}"]
    # People of the editor's own scope are never counted.
    assert person_for_planning(user=commune.editor_a, id_number=ANH, plan=commune.plan)


# --- "Already exists" -------------------------------------------------------------------


def test_id_number_taken(commune):
    user = commune.editor_a
    assert id_number_taken(user=user, id_number=NOBODY) is None
    assert id_number_taken(user=user, id_number=ANH) == str(DUPLICATE_ID)
    assert id_number_taken(user=user, id_number=ANH, exclude_pk=commune.anh.pk) is None
    assert lookups() == []
    message = id_number_taken(user=user, id_number=BINH)
    assert (
        message
        == str(DUPLICATE_ELSEWHERE)
        == ("Số định danh này đã có hồ sơ do đơn vị khác quản lý; đề nghị đơn vị đó chuyển hồ sơ.")
    )
    assert "Bình" not in message
    assert lookups() == [("lookup", "sua_a", f"id_number={BINH} (tạo/sửa hồ sơ)")]
    assert AccessEvent.objects.get().object_id == str(commune.binh.pk)
