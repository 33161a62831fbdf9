"""Reads for the planning pages: one plan with its findings, what-if runs, figures, bench.

Nothing here writes. The findings are those of `selectors.check_plans` for one
plan: the page gathers the facts once (`planning_facts`) and runs the rule set
in force over them, so the same facts also give each person's age and
retirement date without more queries. A what-if adds the facts of the people
and positions a proposal names that the plan does not, and runs
`canbo.rules.engine.run_what_if` in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from canbo.core.shares import share_of
from canbo.organizations.models import Position, Unit
from canbo.people.choices import Degree, PoliticalTheory
from canbo.people.models import Assignment, Person
from canbo.people.selectors import held_on_q
from canbo.rules.choices import Severity
from canbo.rules.engine import Addition, Proposal, Removal, WhatIf, run_checks, run_what_if
from canbo.rules.facts import CheckContext, PersonFacts
from canbo.rules.findings import Finding
from canbo.rules.selectors import NoRuleSetInForce, rule_set_in_force

from . import selectors
from .bench import PositionBench, bench_of, heads_of
from .figures import Figures, figures_by_child_unit_and_total, figures_by_plan
from .models import Plan, PlanEntry, PlanPosition, PlanReview

SEVERITY_CLASS = {
    Severity.ERROR: "danger",
    Severity.WARNING: "warning",
    Severity.FLAG: "info",
}


def severity_label(severity: str) -> str:
    try:
        return str(Severity(severity).label)
    except ValueError:
        return severity


def severity_class(severity: str) -> str:
    return SEVERITY_CLASS.get(severity, "secondary")


@dataclass
class PersonInfo:
    """What the plan page shows beside a name, computed from the facts."""

    age: int | None = None
    retirement_date: dt.date | None = None
    months_left: int | None = None
    posts: list[str] = field(default_factory=list)


@dataclass
class EntryRow:
    entry: PlanEntry
    info: PersonInfo
    findings: list[Finding] = field(default_factory=list)


@dataclass
class PositionGroup:
    position: Position
    active: list[EntryRow] = field(default_factory=list)
    removed: list[EntryRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class PlanPage:
    plan: Plan
    as_of: dt.date
    groups: list[PositionGroup]
    findings: list[Finding]
    plan_findings: list[Finding]
    rules_missing: str = ""

    @property
    def active_count(self) -> int:
        return sum(len(g.active) for g in self.groups)

    @property
    def removed_count(self) -> int:
        return sum(len(g.removed) for g in self.groups)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)

    @property
    def flags(self) -> int:
        return self.count(Severity.FLAG)


def _rule_set(as_of: dt.date):
    try:
        return rule_set_in_force(as_of), ""
    except NoRuleSetInForce as error:
        return None, str(error)


def _person_info(person: PersonFacts | None, as_of: dt.date) -> PersonInfo:
    if person is None:
        return PersonInfo()
    return PersonInfo(
        age=person.age_on(as_of),
        retirement_date=person.retirement_date(),
        months_left=person.months_left(as_of),
    )


def posts_on(person_ids: Iterable[int], as_of: dt.date) -> dict[int, list[str]]:
    """Each person's posts on `as_of` as "title – unit" (one query)."""
    out: dict[int, list[str]] = {}
    rows = (
        Assignment.objects.filter(held_on_q(as_of), person_id__in=list(person_ids))
        .order_by("person_id", "is_concurrent", "-start_date", "id")
        .values_list("person_id", "title_name", "unit_name", "is_concurrent")
    )
    for person_id, title, unit, concurrent in rows:
        text = f"{title} – {unit}" if unit else title
        if concurrent:
            text += " " + _("(kiêm nhiệm)")
        out.setdefault(person_id, []).append(text)
    return out


def plan_entries(plan: Plan) -> QuerySet[PlanEntry]:
    return (
        PlanEntry.objects.filter(plan=plan)
        .select_related(
            "person", "position__title", "position__unit", "added_in_review", "removed_in_review"
        )
        .order_by("position_id", "removed_on", "added_on", "person__sort_key", "id")
    )


def entries_on(plan: Plan, as_of: dt.date) -> list[PlanEntry]:
    """The plan's entries active on `as_of`, by position then name."""
    return list(
        PlanEntry.objects.filter(selectors.active_entries_q(as_of), plan=plan)
        .select_related("person", "position__title")
        .order_by("position_id", "person__sort_key", "id")
    )


def active_person_ids(plan: Plan, as_of: dt.date) -> list[int]:
    """The people of the plan's entries active on `as_of` (what its documents list)."""
    return list(
        PlanEntry.objects.filter(selectors.active_entries_q(as_of), plan=plan).values_list(
            "person_id", flat=True
        )
    )


def open_entries(plan: Plan) -> QuerySet[PlanEntry]:
    """The plan's entries not removed, by position then name (what a review may remove)."""
    return (
        PlanEntry.objects.filter(plan=plan, removed_on__isnull=True)
        .select_related("person", "position__title", "position__unit")
        .order_by("position_id", "person__sort_key", "id")
    )


def review_id_numbers(reviews: Iterable[PlanReview]) -> set[str]:
    """The ID numbers of the people the reviews' lists before and after name."""
    return {r["id_number"] for review in reviews for r in (*review.before, *review.after)}


def people_of_reviews(reviews: Iterable[PlanReview]) -> list[int]:
    """The people the reviews' lists name, by id (for the access log; one query)."""
    ids = review_id_numbers(reviews)
    return list(Person.objects.filter(id_number__in=ids).values_list("pk", flat=True))


def review_rows(plan: Plan) -> tuple[list[dict], list[int]]:
    """Each review of the plan with its lists before and after, names and positions resolved,
    and the ids of the people they name (for the access log).

    Three queries whatever the number of reviews.
    """
    reviews = list(plan.reviews.select_related("actor"))
    ids = review_id_numbers(reviews)
    position_ids = {r["position"] for review in reviews for r in (*review.before, *review.after)}
    named = Person.objects.filter(id_number__in=ids).values_list("id_number", "full_name", "pk")
    names, person_ids = {}, []
    for id_number, full_name, pk in named:
        names[id_number] = full_name
        person_ids.append(pk)
    titles = {
        p.pk: f"{p.title.name} – {p.unit.name}"
        for p in Position.objects.filter(pk__in=position_ids).select_related("title", "unit")
    }

    def describe(rows):
        return [
            {
                "id_number": r["id_number"],
                "name": names.get(r["id_number"], r["id_number"]),
                "position": titles.get(r["position"], r["position"]),
            }
            for r in rows
        ]

    out = []
    for review in reviews:
        before = {(r["id_number"], r["position"]) for r in review.before}
        after = {(r["id_number"], r["position"]) for r in review.after}
        out.append(
            {
                "review": review,
                "before": describe(review.before),
                "after": describe(review.after),
                "added": describe(
                    [r for r in review.after if (r["id_number"], r["position"]) not in before]
                ),
                "removed": describe(
                    [r for r in review.before if (r["id_number"], r["position"]) not in after]
                ),
            }
        )
    return out, person_ids


def covered_positions(plan: Plan) -> list[Position]:
    """The positions the plan covers, highest rank first."""
    return [
        pp.position
        for pp in PlanPosition.objects.filter(plan=plan)
        .select_related("position__title", "position__unit")
        .order_by("-position__title__rank", "position__unit__path", "position_id")
    ]


def plan_page(plan: Plan, as_of: dt.date) -> PlanPage:
    """The plan's positions with their active and removed entries, and the live findings."""
    rule_set, missing = _rule_set(as_of)
    facts = selectors.planning_facts(Plan.objects.filter(pk=plan.pk), as_of)
    findings: list[Finding] = []
    if rule_set is not None:
        findings = run_checks(
            facts.plans, facts.people, facts.positions, rule_set, CheckContext(as_of)
        )
    entries = list(plan_entries(plan))
    posts = posts_on({e.person_id for e in entries}, as_of)

    groups: dict[int, PositionGroup] = {
        p.pk: PositionGroup(position=p) for p in covered_positions(plan)
    }
    for entry in entries:
        group = groups.get(entry.position_id)
        if group is None:  # an entry on a position the plan no longer lists
            group = groups[entry.position_id] = PositionGroup(position=entry.position)
        info = _person_info(facts.people.get(entry.person_id), as_of)
        info.posts = posts.get(entry.person_id, [])
        row = EntryRow(entry=entry, info=info)
        if entry.removed_on is None or entry.removed_on > as_of:
            row.findings = [
                f
                for f in findings
                if f.person_id == entry.person_id
                and f.position_id in (None, entry.position_id)
                and f.plan_id == plan.pk
            ]
            group.active.append(row)
        else:
            group.removed.append(row)
    for group in groups.values():
        group.findings = [
            f for f in findings if f.position_id == group.position.pk and f.person_id is None
        ]
    plan_findings = [f for f in findings if f.position_id is None and f.person_id is None]
    return PlanPage(
        plan=plan,
        as_of=as_of,
        groups=list(groups.values()),
        findings=findings,
        plan_findings=plan_findings,
        rules_missing=missing,
    )


# --- What-if -------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposedAddition:
    person: Person
    position: Position
    first_time: bool = False


@dataclass
class WhatIfResult:
    result: WhatIf | None
    additions: Sequence[ProposedAddition]
    removals: Sequence[PlanEntry]
    error: str = ""


def what_if(
    plan: Plan,
    as_of: dt.date,
    additions: Sequence[ProposedAddition],
    removals: Sequence[PlanEntry],
) -> WhatIfResult:
    """Findings before and after the proposed changes; nothing is saved."""
    rule_set, missing = _rule_set(as_of)
    if rule_set is None:
        return WhatIfResult(None, additions, removals, missing)
    facts = selectors.planning_facts(Plan.objects.filter(pk=plan.pk), as_of)
    people, positions = selectors.extra_facts(
        facts,
        [a.person.pk for a in additions],
        [a.position.pk for a in additions],
        as_of,
    )
    proposal = Proposal(
        additions=tuple(
            Addition(
                plan_id=plan.pk,
                person_id=a.person.pk,
                position_id=a.position.pk,
                first_time=a.first_time,
            )
            for a in additions
        ),
        removals=tuple(
            Removal(plan_id=plan.pk, person_id=e.person_id, position_id=e.position_id)
            for e in removals
        ),
    )
    result = run_what_if(facts.plans, people, positions, rule_set, CheckContext(as_of), proposal)
    return WhatIfResult(result, additions, removals)


# --- Figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    share: Decimal | None  # percent of the total, for the text
    width: str  # percent of the longest bar, for the drawing ("62.50")


def bars(items: Sequence[tuple[str, int]], total: int | None = None) -> list[Bar]:
    """Bars scaled to the largest value; shares of `total` (default: their sum)."""
    total = sum(v for _l, v in items) if total is None else total
    top = max((v for _l, v in items), default=0)
    return [
        Bar(
            label=label,
            value=value,
            share=share_of(value, total),
            width=f"{(Decimal(value) * 100 / top if top else Decimal(0)):.2f}",
        )
        for label, value in items
    ]


def _levels(counts: dict, choices) -> list[tuple[str, int]]:
    rows = [(str(c.label), counts.get(c.value, 0)) for c in choices if counts.get(c.value)]
    if counts.get(None):
        rows.append((_("Chưa có thông tin"), counts[None]))
    return rows


@dataclass(frozen=True)
class FigureCharts:
    figures: Figures
    structure: list[Bar]
    age_brackets: list[Bar]
    degrees: list[Bar]
    theory: list[Bar]
    successors: list[Bar]


def charts(figures: Figures) -> FigureCharts:
    planned = figures.planned
    structure = [(_("Nữ"), figures.women), (_("Dân tộc thiểu số"), figures.minority)]
    if figures.young is not None:
        structure.insert(1, (_("Trẻ"), figures.young))
    brackets: list[tuple[str, int]] = []
    if figures.age_brackets is not None:
        under = figures.young_under
        if under is not None:
            labels = (
                _("Dưới %(a)d tuổi") % {"a": under},
                _("Từ %(a)d đến dưới %(b)d tuổi") % {"a": under, "b": under + 5},
                _("Từ %(a)d tuổi trở lên") % {"a": under + 5},
            )
        else:
            labels = (_("Nhóm trẻ"), _("Nhóm giữa"), _("Nhóm lớn tuổi"))
        brackets = list(zip(labels, figures.age_brackets, strict=True))
    successors = [
        (_("Chưa có người kế cận"), figures.positions_without_successor),
        (_("Có 1 người"), figures.positions_with_one_successor),
        (_("Có từ 2 người trở lên"), figures.positions_with_two_or_more),
    ]
    return FigureCharts(
        figures=figures,
        structure=bars(structure, planned),
        age_brackets=bars(brackets, planned),
        degrees=bars(_levels(figures.by_degree, Degree), planned),
        theory=bars(_levels(figures.by_political_theory, PoliticalTheory), planned),
        successors=bars(successors, figures.positions),
    )


def units_by_path(paths: Iterable[str]) -> dict[str, Unit]:
    return {u.path: u for u in Unit.objects.filter(path__in=list(paths))}


def figure_units(roots: Iterable[Unit], plans: QuerySet[Plan]) -> QuerySet[Unit]:
    """The units of the figures page's unit box, in tree order: the user's top units
    (`roots`) and the planning units of `plans`."""
    in_plans = selectors.plan_units(plans).order_by().values("pk")
    return Unit.objects.filter(Q(pk__in=[u.pk for u in roots]) | Q(pk__in=in_plans)).order_by(
        "path"
    )


def plan_figures(plan: Plan, as_of: dt.date) -> Figures:
    return figures_by_plan(Plan.objects.filter(pk=plan.pk), as_of).get(plan.pk, Figures())


def unit_figures(unit: Unit, plans: QuerySet[Plan], as_of: dt.date):
    """Rows (the unit and each unit directly below it) and the charts of the subtree's total
    (one statement for both, after the rule set in force)."""
    subtree = selectors.plans_of(plans, unit=unit)
    grouped, total = figures_by_child_unit_and_total(unit, subtree, as_of)
    names = units_by_path(grouped)
    rows = [
        {"unit": names.get(path), "path": path, "figures": grouped[path]}
        for path in sorted(grouped)
    ]
    return rows, charts(total)


# --- Bench strength ---------------------------------------------------------------------


@dataclass
class BenchRow:
    bench: PositionBench
    successors: list[PersonFacts]
    eligible_ids: set[int]


def bench_people(benches: Iterable[PositionBench]) -> list[int]:
    """The people a bench forecast names: holders and successors."""
    return [pk for b in benches for pk in (*(h.person_id for h in b.holders), *b.successor_ids)]


def bench_page(plan: Plan, as_of: dt.date) -> tuple[list[BenchRow], str]:
    """The forecast of each position the plan covers, with the successors' names."""
    rule_set, missing = _rule_set(as_of)
    if rule_set is None:
        return [], missing
    facts = selectors.planning_facts(Plan.objects.filter(pk=plan.pk), as_of)
    if not facts.plans:
        return [], ""
    order = [p.pk for p in covered_positions(plan)]
    forecast = bench_of(
        facts.plans, facts.people, facts.positions, {plan.pk: order}, rule_set,
        CheckContext(as_of), heads_of(facts.positions, as_of, rule_set),
    )  # fmt: skip
    return [
        BenchRow(
            bench=row,
            successors=[facts.people[pk] for pk in row.successor_ids],
            eligible_ids=set(row.eligible_ids),
        )
        for row in forecast.get(plan.pk, [])
    ], ""
