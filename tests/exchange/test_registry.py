"""The registry orders the sheets the apps register by their declared dependencies."""

from __future__ import annotations

import pytest

from canbo.exchange.registry import Part, Registry, RegistryError, Root, registry
from canbo.exchange.sheets import Column, Sheet


def sheet(key: str, *depends: str) -> Sheet:
    return Sheet(key, key.title(), (Column("code", "Mã"),), depends=depends)


def part(app: str, *sheets: Sheet, root: Root | None = None) -> Part:
    cls = type(f"{app.title()}Part", (Part,), {"app": app, "sheets": sheets, "root": root})
    return cls()


def fresh(*parts: Part) -> Registry:
    found = Registry()
    found._discovered = True  # only these parts, not the installed apps'
    for item in parts:
        found.register(item)
    return found


def test_the_installed_apps_give_the_sheets_of_format_version_1_in_their_order():
    assert [s.key for s in registry.sheets()] == [
        "areas", "area_successions", "titles", "terms", "units", "unit_successions",
        "positions", "people", "assignments", "evaluations", "confidence_votes",
        "disciplines", "rewards", "trainings", "plans", "plan_positions", "plan_reviews",
        "plan_entries", "vote_sessions", "vote_subjects", "vote_results", "evaluation_rounds",
        "evaluation_scores", "appointment_cases", "case_steps", "step_tallies", "rotation_plans",
        "rotations", "directives",
        "tasks", "task_assignments", "hearing_slots", "hearing_invitations", "monitoring_groups",
        "report_rounds", "report_submissions", "report_cells",
    ]  # fmt: skip
    assert [p.app for p in registry.parts()] == [
        "organizations", "people", "planning", "reviews", "appointments", "rotation", "directives",
        "reports",
    ]
    assert registry.part_of(registry.sheet("plan_entries")).app == "planning"
    assert registry.part_of(registry.sheet("task_assignments")).app == "directives"
    assert sorted(registry.kinds()) == ["area", "count", "datetime", "ethnicity", "form_codes",
                                        "person", "title", "unit", "unit_codes"]  # fmt: skip


def test_a_sheet_comes_after_the_sheets_it_depends_on_whatever_the_registration_order():
    later = part("later", sheet("rotations", "people", "units"))
    found = fresh(later, part("people", sheet("people", "units")), part("org", sheet("units")))
    assert [s.key for s in found.sheets()] == ["units", "people", "rotations"]
    assert [p.app for p in found.parts()] == ["org", "people", "later"]


def test_ties_keep_the_registration_and_declaration_order():
    found = fresh(part("a", sheet("b1"), sheet("a1")), part("b", sheet("c1")))
    assert [s.key for s in found.sheets()] == ["b1", "a1", "c1"]


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ([part("a", sheet("x", "missing"))], "x depends on unknown sheets ['missing']"),
        ([part("a", sheet("x", "y"), sheet("y", "x"))], "sheet dependencies form a cycle"),
        ([part("a", sheet("x")), part("b", sheet("x"))], "two parts declare sheets with the same key"),
    ],
)
def test_a_wrong_declaration_fails_at_first_use(parts, message):
    with pytest.raises(RegistryError) as caught:
        fresh(*parts).sheets()
    assert str(caught.value) == message


def test_a_part_registered_twice_counts_once():
    first = part("a", sheet("x"))
    found = fresh(first)
    found.register(type(first)())
    assert [s.key for s in found.sheets()] == ["x"]


def test_exactly_one_part_roots_an_export():
    root = Root(find=lambda user, code: None, options=lambda user, limit: [], describe=str)
    assert fresh(part("a", sheet("x"), root=root)).root() is root
    with pytest.raises(RegistryError):
        fresh(part("a", sheet("x"))).root()
    with pytest.raises(RegistryError):
        fresh(part("a", sheet("x"), root=root), part("b", sheet("y"), root=root)).root()
