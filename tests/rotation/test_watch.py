"""Watch lists of a subtree at a date (issue 15 item 3): R4 posts held by local people,
heads who reach the two-term limit by the next term's start, rotations ending within six
months, rotations whose planned end passed without an outcome. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from canbo.organizations.models import UnitSuccession
from canbo.people.models import Assignment
from canbo.rotation.holders import check_posts, rotation_watch, watch_lists
from canbo.rotation.models import Rotation
from canbo.rules.selectors import rule_set_in_force
from tests.factories import PersonFactory, UserFactory, grant
from tests.rotation.holders_world import ON, build

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def city(world):
    return build(world)


def term_limit(lists):
    return [(w.holder.person_id, w.holder.position_id, w.terms, w.next_term_start)
            for w in lists.term_limit]  # fmt: skip


def test_the_term_limit_watch_names_exactly_the_heads_at_the_limit_by_the_next_term(city):
    lists = watch_lists(None, city.tu, ON)

    p, post = city.people, city.post
    assert term_limit(lists) == [
        # Two rows of one post (split on 01/06/2019): two council terms when 2026–2031 starts.
        (p["ct"].pk, post["UBT", "UBND-T-CT"].pk, 2, D(2026, 6, 1)),
        # XA's secretary, then XC's after the merger: two party terms at the next congress.
        (p["xc"].pk, post["XC", "X-BT"].pk, 2, D(2030, 10, 1)),
        # Already in a third term (R5): three at the next congress.
        (p["r5"].pk, post["X9", "X-BT"].pk, 3, D(2030, 10, 1)),
    ]
    assert lists.max_terms == 2
    # Not watched: "bt" (one term), "gap" (its tenure broken on 30/06/2023), "tt" (no
    # calendar), "xb" and "deputy" (not heads).
    assert [w.holder.tenure_start for w in lists.term_limit] == [
        D(2016, 6, 1), D(2021, 1, 1), D(2015, 10, 1)]  # fmt: skip


def test_tenure_counts_across_the_merger_and_split_rows(city):
    # Without the merger link, XC's secretary took a new post on 01/07/2025: one term.
    UnitSuccession.objects.filter(successor=city.units["XC"]).delete()
    assert [w.holder.person_id for w in watch_lists(None, city.tu, ON).term_limit] == [
        city.people["ct"].pk, city.people["r5"].pk]  # fmt: skip
    # The day missing from X8's secretary's rows filled: one tenure since 2018, three terms.
    Assignment.objects.filter(pk=city.rows["gap"][0]).update(end_date=D(2023, 6, 30))
    assert term_limit(watch_lists(None, city.tu, ON))[1:] == [
        (city.people["gap"].pk, city.post["X8", "X-BT"].pk, 3, D(2030, 10, 1)),
        (city.people["r5"].pk, city.post["X9", "X-BT"].pk, 3, D(2030, 10, 1)),
    ]


def test_once_the_next_term_began_the_holder_is_over_the_limit(city):
    after = D(2026, 7, 1)  # the council's 2026–2031 term began on 01/06/2026
    findings = check_posts(None, city.tu, after)
    assert [(f.rule, f.person_id, f.figures.get("terms")) for f in findings] == [
        ("R4", city.people["bt"].pk, None),
        ("R5", city.people["ct"].pk, 3),
        ("R5", city.people["r5"].pk, 3),
    ]  # fmt: skip
    assert term_limit(watch_lists(None, city.tu, after)) == [
        (city.people["xc"].pk, city.post["XC", "X-BT"].pk, 2, D(2030, 10, 1)),
        (city.people["r5"].pk, city.post["X9", "X-BT"].pk, 3, D(2030, 10, 1)),
        # The council's next term is not recorded: the day after 2026–2031 ends.
        (city.people["ct"].pk, city.post["UBT", "UBND-T-CT"].pk, 3, D(2031, 6, 1)),
    ]


def test_the_watch_follows_the_rule_parameters(city):
    rules = rule_set_in_force(ON)
    p = city.people
    three = watch_lists(None, city.tu, ON, rules.with_parameters("R5", max_terms=3))
    assert [w.holder.person_id for w in three.term_limit] == [p["r5"].pk]
    assert three.max_terms == 3
    # At 60 months a term, XC's secretary's 57 months of 2020–2025 do not count.
    strict = watch_lists(None, city.tu, ON, rules.with_parameters("R5", term_min_months=60))
    assert [w.holder.person_id for w in strict.term_limit] == [p["ct"].pk, p["r5"].pk]
    communes = rules.with_parameters(
        "R4", title_codes_by_level={"province": ["TU-BT"], "commune": ["X-BT"]})
    assert [h.person_id for h in watch_lists(None, city.tu, ON, communes).local_posts] == [
        p["bt"].pk, p["xc"].pk]  # fmt: skip


def test_r4_posts_held_by_local_people(city):
    lists = watch_lists(None, city.tu, ON)
    assert [(h.person_id, h.position_id, h.title_code, h.hometown_name)
            for h in lists.local_posts] == [
        (city.people["bt"].pk, city.post["TU", "TU-BT"].pk, "TU-BT", "Xã An Bình")]  # fmt: skip


@pytest.fixture
def rotations(city):
    person = PersonFactory(unit=city.tu)
    to = city.post["X8", "X-BT"]

    def rotation(key, start=None, planned_end=None, actual_end=None, outcome="", unit=None):
        return key, Rotation.objects.create(
            person=person, kind="rotation", purpose="training", to_position=to,
            competent_unit=unit or city.tu, decision_date=start and start - dt.timedelta(days=10),
            start_date=start, planned_end=planned_end, actual_end=actual_end, outcome=outcome,
        )  # fmt: skip

    return dict((
        rotation("soon", D(2024, 3, 1), D(2026, 5, 1)),
        rotation("edge", D(2024, 3, 1), D(2026, 7, 15)),  # six months to the day
        rotation("beyond", D(2024, 3, 1), D(2026, 7, 16)),
        rotation("today", D(2023, 1, 15), ON),
        rotation("overdue", D(2023, 1, 1), D(2025, 12, 31)),
        rotation("ended", D(2023, 1, 1), D(2025, 12, 1), D(2025, 12, 1), "returned"),
        # Its outcome came after the date asked about: overdue on that date.
        rotation("ended_later", D(2023, 1, 1), D(2025, 11, 30), D(2026, 2, 1), "appointed_there"),
        rotation("intended"),
        rotation("future", D(2026, 2, 1), D(2026, 6, 1)),
        rotation("x9", D(2024, 1, 1), D(2026, 3, 1), unit=city.units["X9"]),
    ))  # fmt: skip


def test_rotations_ending_within_six_months_and_overdue(city, rotations):
    lists = watch_lists(None, city.tu, ON)
    names = {r.pk: key for key, r in rotations.items()}
    assert [names[r.pk] for r in lists.ending_soon] == ["today", "x9", "soon", "edge"]
    assert [names[r.pk] for r in lists.overdue] == ["ended_later", "overdue"]
    ending, overdue = rotation_watch(None, city.tu, D(2026, 2, 1))
    assert [names[r.pk] for r in ending] == ["x9", "soon", "future", "edge", "beyond"]
    # "ended_later" ended on that day: no longer overdue.
    assert [names[r.pk] for r in overdue] == ["overdue", "today"]


def test_the_watch_lists_take_a_fixed_number_of_queries(city, rotations, django_assert_num_queries):
    with django_assert_num_queries(8):  # the rule set (2), the holders (5), the rotations (1)
        lists = watch_lists(None, city.tu, ON)
    with django_assert_num_queries(0):
        assert [r.to_position.unit.code for r in lists.ending_soon + lists.overdue] == ["X8"] * 6
        assert {r.person.full_name for r in lists.overdue} == {rotations["soon"].person.full_name}


def test_a_user_sees_the_watch_lists_of_the_units_granted(city, rotations):
    commune = UserFactory(username="x9")
    grant(commune, city.units["X9"])
    lists = watch_lists(commune, city.tu, ON)
    assert lists.local_posts == []
    assert [w.holder.person_id for w in lists.term_limit] == [city.people["r5"].pk]
    assert [r.pk for r in lists.ending_soon] == [rotations["x9"].pk]
    assert lists.overdue == []
    nobody = watch_lists(UserFactory(username="none"), city.tu, ON)
    assert (nobody.local_posts, nobody.term_limit, nobody.ending_soon, nobody.overdue) == (
        [], [], [], [])
