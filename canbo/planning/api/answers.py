"""The planning API's computed answers: findings, what-if, figures and bench, each with
the people it names (for the access log), and the wording of refused writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import IntegrityError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.settings import api_settings

from canbo.people import selectors as people_selectors
from canbo.people.choices import Degree, PoliticalTheory
from canbo.people.models import Person
from canbo.rules.engine import Addition, Proposal, ProposalError, Removal, run_checks, run_what_if
from canbo.rules.facts import CheckContext

from .. import pages, selectors
from ..bench import plan_bench
from ..figures import Figures, figures_by_plan
from ..models import Plan, PlanEntry
from ..serialize import findings_dicts
from .serializers import RACE, rule_set_on


def write(call: Callable, **kwargs):
    """Run a service, its refusals worded as the rest of the API words them.

    A unique row written by two requests at the same moment is a 400, not a
    500 (validation errors are worded by `canbo.api.exceptions`).
    """
    try:
        return call(**kwargs)
    except IntegrityError as exc:
        raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [RACE]}) from exc


def entries_of(plan: Plan, ids: list[int]) -> dict[int, PlanEntry]:
    found = PlanEntry.objects.filter(plan=plan).in_bulk(ids)
    if len(found) != len(set(ids)):
        raise serializers.ValidationError(
            {"removals": [_("Có cán bộ được đưa ra không thuộc quy hoạch này.")]}
        )
    return found


def people_of(findings) -> list[int]:
    """The people findings name (for the access log)."""
    return [f.person_id for f in findings if f.person_id is not None]


def plan_findings(plans_qs: QuerySet[Plan], as_of: dt.date) -> tuple[list[dict], list[int]]:
    """The findings as dictionaries, and the people they name."""
    rule_set = rule_set_on(as_of)
    facts = selectors.planning_facts(plans_qs, as_of)
    findings = run_checks(facts.plans, facts.people, facts.positions, rule_set, CheckContext(as_of))
    return findings_dicts(findings, facts.plans, facts.positions), people_of(findings)


def plan_what_if(plan: Plan, data: dict) -> tuple[dict, list[int]]:
    """Findings before and after the proposed changes, computed in memory (no write), and
    the people the answer names (proposed, or named by a finding)."""
    as_of = data["as_of"] or people_selectors.today()
    rule_set = rule_set_on(as_of)
    facts = selectors.planning_facts(Plan.objects.filter(pk=plan.pk), as_of)
    additions = data["additions"]
    people, positions = selectors.extra_facts(
        facts, [a["person"].pk for a in additions], [a["position"].pk for a in additions], as_of
    )

    active = {(e.person_id, e.position_id) for p in facts.plans for e in p.active_entries(as_of)}
    for a in additions:
        if (a["person"].pk, a["position"].pk) in active:
            raise serializers.ValidationError(
                {"additions": [_("Cán bộ này đã có trong quy hoạch cho chức danh này.")]}
            )
    removed = entries_of(plan, [r["entry"] for r in data["removals"]])
    proposal = Proposal(
        additions=tuple(
            Addition(plan.pk, a["person"].pk, a["position"].pk, a["first_time"]) for a in additions
        ),
        removals=tuple(
            Removal(
                plan.pk,
                removed[r["entry"]].person_id,
                removed[r["entry"]].position_id,
                r["removal_reason"],
            )
            for r in data["removals"]
        ),  # fmt: skip
    )
    try:
        result = run_what_if(
            facts.plans, people, positions, rule_set, CheckContext(as_of), proposal
        )
    except ProposalError as exc:
        raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [str(exc)]}) from None

    def out(findings):
        return findings_dicts(findings, facts.plans, positions)

    named = [a["person"].pk for a in additions] + people_of((*result.before, *result.after))
    return {
        "as_of": as_of,
        "rule_set": rule_set.code,
        "before": out(result.before),
        "after": out(result.after),
        "new": out(result.new),
        "resolved": out(result.resolved),
    }, named


def _counts(counts: dict, choices) -> list[dict]:
    labels = dict(choices)
    return [
        {
            "code": code,
            "label": str(labels.get(code, _("Chưa rõ"))) if code is not None else _("Chưa rõ"),
            "people": n,
        }
        for code, n in sorted(counts.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
    ]


def figures_data(plan: Plan, as_of: dt.date) -> dict:
    figures = figures_by_plan(
        Plan.objects.filter(pk=plan.pk), as_of, rule_set=rule_set_on(as_of)
    ).get(plan.pk, Figures())
    data = dict(vars(figures))
    data["as_of"] = as_of
    data["age_brackets"] = list(figures.age_brackets) if figures.age_brackets else None
    data["by_degree"] = _counts(figures.by_degree, Degree.choices)
    data["by_political_theory"] = _counts(figures.by_political_theory, PoliticalTheory.choices)
    return data


def bench_data(plan: Plan, as_of: dt.date) -> tuple[dict, list[int]]:
    """The forecast of each covered position, and the people it names."""
    rows = plan_bench(Plan.objects.filter(pk=plan.pk), as_of, rule_set=rule_set_on(as_of)).get(
        plan.pk, []
    )
    named = {pk for row in rows for pk in row.successor_ids}
    people = {
        pk: (id_number, full_name)
        for pk, id_number, full_name in Person.objects.filter(pk__in=named).values_list(
            "pk", "id_number", "full_name"
        )
    }
    return {
        "as_of": as_of,
        "positions": [
            {
                "position": row.position.id,
                "name": row.position.name,
                "seats": row.position.seats,
                "term_start": row.term_start,
                "holders": row.holders,
                "vacancy_expected": row.vacancy_expected,
                "successors": [
                    {
                        "person": people[pk][0],
                        "full_name": people[pk][1],
                        "eligible": pk in row.eligible_ids,
                    }
                    for pk in row.successor_ids
                ],
                "eligible": row.eligible,
                "at_risk": row.at_risk,
            }
            for row in rows
        ],
    }, pages.bench_people(rows)


# --- Views ---------------------------------------------------------------------
