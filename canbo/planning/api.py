"""REST API for succession plans: plans, entries, reviews, findings, what-if, figures, bench.

Thin adapters only. Reads go through `selectors.plan_list` (scoped: a plan
outside the user's scope is not found, 404); writes go through `services`,
which lock the plan, re-check the user's EDIT scope (403), validate and audit
in one transaction. Findings are printed by `serialize.findings_dicts`, the
same dictionaries as `canbo check-planning --format json`. The what-if run
reads facts and runs the rules in memory: it writes nothing.

People are named by personal ID number through
`people.selectors.person_for_planning`: the user's own scope, and for an
editor of the plan's unit also a person from elsewhere by the exact number
(throttled, in the access log); to anyone else a person outside their scope
is "not found", word for word as an unknown number. Positions are looked up
among those the user may see, by id or by unit and title codes. Every answer
that shows people of a plan leaves an access entry (`_logged`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.settings import api_settings

from canbo.api.fields import (
    CleanTextInput,
    CodeField,
    choice_field,
    date_field,
    integer_field,
    text_field,
)
from canbo.api.pagination import Pagination
from canbo.api.permissions import READ_ONLY, READ_WRITE
from canbo.core import scope
from canbo.core.audit import AccessKind, query_text, record_rows
from canbo.core.dates import year_span
from canbo.organizations.choices import TermBody
from canbo.organizations.models import Position, Term, Unit
from canbo.organizations.selectors import position_list, unit_list
from canbo.people import selectors as people_selectors
from canbo.people.choices import Degree, PoliticalTheory
from canbo.people.models import Person
from canbo.rules.choices import Severity
from canbo.rules.engine import Addition, Proposal, ProposalError, Removal, run_checks, run_what_if
from canbo.rules.facts import CheckContext
from canbo.rules.ruleset import RuleSetData
from canbo.rules.sample import UnusableRuleSet
from canbo.rules.selectors import NoRuleSetInForce, rule_set_in_force

from . import pages, selectors, services
from .bench import plan_bench
from .choices import EntrySource, PlanStatus, RemovalReason
from .figures import Figures, figures_by_plan
from .models import Plan, PlanEntry, PlanPosition, PlanReview, PlanTransition
from .serialize import findings_dicts

BAD_TERM = gettext_lazy("Nhiệm kỳ không hợp lệ; hãy viết YYYY-YYYY, ví dụ 2030-2035.")
NO_POSITION = gettext_lazy("Không có chức danh này.")
#: Ids as databases store them: a larger number names no row (and SQLite cannot bind it).
ROW_ID = {"min_value": 1, "max_value": 2**63 - 1}
RACE = gettext_lazy("Dữ liệu vừa được thay đổi cùng lúc; hãy thử lại.")


def validate_term(text: str) -> None:
    if year_span(text) is None:
        raise DjangoValidationError(BAD_TERM)


def term_label(term: Term) -> str:
    """The term as the findings name it (`PlanFacts.term_label`): 2030–2035."""
    return f"{term.start_date.year}–{term.end_date.year}"


# --- Query parameters ----------------------------------------------------------

AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description=gettext_lazy("Ngày xét (YYYY-MM-DD hoặc dd/mm/yyyy); mặc định hôm nay."),
)


class AsOfSerializer(serializers.Serializer):
    as_of = date_field(required=False, allow_null=True)


def as_of_of(request) -> dt.date:
    params = AsOfSerializer(data={"as_of": request.query_params.get("as_of") or None})
    params.is_valid(raise_exception=True)
    return params.validated_data["as_of"] or people_selectors.today()


def rule_set_on(on: dt.date) -> RuleSetData:
    try:
        return rule_set_in_force(on)
    except UnusableRuleSet as exc:
        raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [str(exc)]}) from None
    except NoRuleSetInForce as exc:
        raise serializers.ValidationError({"as_of": [str(exc)]}) from None


class PlanFilterSet(django_filters.FilterSet):
    unit = django_filters.CharFilter(
        label=gettext_lazy("Đơn vị lập quy hoạch (mã), kể cả các đơn vị cấp dưới"),
        method="filter_unit",
    )
    term = django_filters.CharFilter(
        label=gettext_lazy("Nhiệm kỳ quy hoạch (YYYY-YYYY)"),
        method="filter_term",
        validators=[validate_term],
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Trạng thái"), choices=PlanStatus.choices
    )

    class Meta:
        model = Plan
        fields = ["unit", "term", "status"]

    def filter_unit(self, queryset, name, value):
        unit = Unit.objects.filter(code=value.strip()).only("path").first()
        if unit is None:
            return queryset.none()
        return selectors.plans_of(queryset, unit=unit)

    def filter_term(self, queryset, name, value):
        return selectors.plans_of(queryset, years=year_span(value))


# --- Reading -------------------------------------------------------------------


def list_of(serializer_class):
    """Documents a SerializerMethodField that returns a list of `serializer_class`."""
    return extend_schema_field(serializer_class(many=True))


class PlanSerializer(serializers.ModelSerializer):
    planning_unit = serializers.SlugRelatedField(
        read_only=True, slug_field="code", label=gettext_lazy("Đơn vị lập quy hoạch (mã)")
    )
    planning_unit_name = serializers.CharField(source="planning_unit.name", read_only=True)
    term = serializers.SerializerMethodField(label=gettext_lazy("Nhiệm kỳ"))
    term_body = serializers.CharField(source="term.body", read_only=True)
    term_start = serializers.DateField(source="term.start_date", read_only=True)
    term_end = serializers.DateField(source="term.end_date", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    approver_unit = serializers.SlugRelatedField(
        read_only=True, slug_field="code", label=gettext_lazy("Cấp phê duyệt (mã)")
    )

    class Meta:
        model = Plan
        fields = ["id", "name", "planning_unit", "planning_unit_name", "term", "term_body",
                  "term_start", "term_end", "status", "status_label", "approver_unit",
                  "decision_number", "decision_date", "approved_on", "published_on",
                  "min_minority_share"]  # fmt: skip
        read_only_fields = fields

    def get_term(self, obj) -> str:
        return term_label(obj.term)


class PlanEntrySerializer(serializers.ModelSerializer):
    person = serializers.CharField(
        source="person.id_number", read_only=True, label=gettext_lazy("Số định danh cá nhân")
    )
    full_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = PlanEntry
        fields = ["id", "plan", "person", "full_name", "position", "source", "added_on",
                  "added_decision", "first_time", "removed_on", "removal_reason", "removal_note",
                  "added_in_review", "removed_in_review"]  # fmt: skip
        read_only_fields = fields


class CoveredPositionSerializer(serializers.Serializer):
    """A position the plan covers, with its active successors."""

    id = serializers.IntegerField()
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    title = serializers.CharField(source="title.code")
    title_name = serializers.CharField(source="title.name")
    seats = serializers.IntegerField()
    entries = PlanEntrySerializer(many=True, source="active_entries")


class PlanTransitionSerializer(serializers.ModelSerializer):
    # Plain strings: the plan's `status` already documents the choices once (one enum name).
    from_status = serializers.CharField(
        read_only=True, help_text=gettext_lazy("Trạng thái trước; rỗng khi lập quy hoạch.")
    )
    to_status = serializers.CharField(read_only=True)
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = PlanTransition
        fields = ["from_status", "to_status", "at", "actor", "reason", "decision_number",
                  "decision_date"]  # fmt: skip
        read_only_fields = fields


class PlanDetailSerializer(PlanSerializer):
    """A plan with its covered positions and their active entries, removals and history."""

    positions = serializers.SerializerMethodField()
    removed_entries = serializers.SerializerMethodField(
        help_text=gettext_lazy("Những người đã được đưa ra khỏi quy hoạch (giữ làm lịch sử).")
    )
    transitions = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "positions", "removed_entries", "transitions"]
        read_only_fields = fields

    def _entries(self, plan) -> list[PlanEntry]:
        cached = getattr(plan, "_api_entries", None)
        if cached is None:
            cached = plan._api_entries = list(
                plan.entries.select_related("person").order_by("added_on", "id")
            )
        return cached

    @list_of(CoveredPositionSerializer)
    def get_positions(self, plan) -> list:
        covered = [
            row.position
            for row in PlanPosition.objects.filter(plan=plan)
            .select_related("position__unit", "position__title")
            .order_by("position__unit__path", "-position__title__rank", "position_id")
        ]
        by_position: dict[int, list[PlanEntry]] = {}
        for entry in self._entries(plan):
            if entry.removed_on is None:
                by_position.setdefault(entry.position_id, []).append(entry)
        for position in covered:
            position.active_entries = by_position.get(position.pk, [])
        return CoveredPositionSerializer(covered, many=True).data

    @list_of(PlanEntrySerializer)
    def get_removed_entries(self, plan) -> list:
        removed = sorted(
            (e for e in self._entries(plan) if e.removed_on is not None),
            key=lambda e: (e.removed_on, e.pk),
        )
        return PlanEntrySerializer(removed, many=True).data

    @list_of(PlanTransitionSerializer)
    def get_transitions(self, plan) -> list:
        rows = plan.transitions.select_related("actor").order_by("at", "id")
        return PlanTransitionSerializer(rows, many=True).data


class PlanReviewSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)
    added_entries = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    removed_entries = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = PlanReview
        fields = ["id", "reviewed_on", "decision_number", "note", "before", "after",
                  "added_entries", "removed_entries", "actor", "created_at"]  # fmt: skip
        read_only_fields = fields


class FindingPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    term = serializers.CharField()


class FindingPositionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class FindingSerializer(serializers.Serializer):
    """Documents `serialize.finding_dict` (the shape of `canbo check-planning --format json`)."""

    rule = serializers.CharField()
    severity = serializers.ChoiceField(choices=Severity.choices)
    citation = serializers.CharField()
    message = serializers.CharField()
    reason = serializers.CharField()
    plan = FindingPlanSerializer(allow_null=True)
    position = FindingPositionSerializer(allow_null=True)
    person = serializers.CharField(allow_null=True, help_text=gettext_lazy("Số định danh cá nhân"))
    figures = serializers.DictField()


class WhatIfResultSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    rule_set = serializers.CharField()
    before = FindingSerializer(many=True)
    after = FindingSerializer(many=True)
    new = FindingSerializer(many=True)
    resolved = FindingSerializer(many=True)


class CountSerializer(serializers.Serializer):
    code = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    people = serializers.IntegerField()


def _decimal(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=None, decimal_places=2, allow_null=True, **kwargs)


class FiguresSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    positions = serializers.IntegerField()
    planned = serializers.IntegerField()
    coefficient = _decimal()
    women = serializers.IntegerField()
    women_share = _decimal()
    young_under = serializers.IntegerField(allow_null=True)
    young = serializers.IntegerField(allow_null=True)
    young_share = _decimal()
    minority = serializers.IntegerField()
    minority_share = _decimal()
    age_brackets = serializers.ListField(child=serializers.IntegerField(), allow_null=True)
    by_degree = CountSerializer(many=True)
    by_political_theory = CountSerializer(many=True)
    positions_without_successor = serializers.IntegerField()
    positions_with_one_successor = serializers.IntegerField()
    positions_with_two_or_more = serializers.IntegerField()


class HolderSerializer(serializers.Serializer):
    person = serializers.CharField(source="id_number")
    full_name = serializers.CharField()
    retirement_date = serializers.DateField()
    months_left_at_term_start = serializers.IntegerField()
    retires_before_term = serializers.BooleanField()


class SuccessorSerializer(serializers.Serializer):
    person = serializers.CharField()
    full_name = serializers.CharField()
    eligible = serializers.BooleanField()


class PositionBenchSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    name = serializers.CharField()
    seats = serializers.IntegerField()
    term_start = serializers.DateField()
    holders = HolderSerializer(many=True)
    vacancy_expected = serializers.BooleanField()
    successors = SuccessorSerializer(many=True)
    eligible = serializers.IntegerField()
    at_risk = serializers.BooleanField()


class BenchSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    positions = PositionBenchSerializer(many=True)


# --- Writing: input ------------------------------------------------------------


class InputSerializer(CleanTextInput, serializers.Serializer):
    """Refuses text no database can store (NUL bytes) before any lookup runs."""

    @property
    def user(self):
        return self.context["request"].user


class PersonField(serializers.CharField):
    """A person named by personal ID number, for the plan of the context (`person_for_planning`)."""

    default_error_messages = {
        "not_found": gettext_lazy("Không có cán bộ với số định danh cá nhân này."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 50)
        kwargs.setdefault("label", gettext_lazy("Số định danh cá nhân"))
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty) -> Person:
        id_number = super().run_validation(data).strip()
        try:
            person = people_selectors.person_for_planning(
                user=self.context["request"].user, id_number=id_number, plan=self.context["plan"]
            )
        except people_selectors.LookupThrottled as throttled:
            raise exceptions.Throttled(wait=throttled.wait) from None
        if person is None:
            self.fail("not_found")
        return person


class PositionInput(InputSerializer):
    """A position by id, or by unit code and title code, among those the user may see."""

    position = integer_field(required=False, allow_null=True, **ROW_ID,
                             label=gettext_lazy("Chức danh (mã số)"))  # fmt: skip
    unit = text_field(50, required=False, allow_blank=True, label=gettext_lazy("Đơn vị (mã)"))
    title = text_field(50, required=False, allow_blank=True,
                       label=gettext_lazy("Chức danh (mã loại chức danh)"))  # fmt: skip

    def validate(self, attrs):
        attrs = super().validate(attrs)
        pk, unit, title = attrs.pop("position", None), attrs.pop("unit", ""), attrs.pop("title", "")
        positions = position_list(user=self.user)
        if pk is not None:
            found = positions.filter(pk=pk).first()
        elif unit.strip() and title.strip():
            found = positions.filter(unit__code=unit.strip(), title__code=title.strip()).first()
        else:
            raise serializers.ValidationError(
                {"position": [_("Hãy chọn chức danh: mã số, hoặc mã đơn vị và mã chức danh.")]}
            )
        if found is None:
            raise serializers.ValidationError({"position": [NO_POSITION]})
        attrs["position"] = found
        return attrs


class EntryAddSerializer(PositionInput):
    person = PersonField()
    source = choice_field(EntrySource.choices, required=False, default=EntrySource.INSIDE)
    added_on = date_field(required=False, allow_null=True,
                          label=gettext_lazy("Ngày đưa vào quy hoạch"))  # fmt: skip
    added_decision = text_field(200, required=False, allow_blank=True, default="")
    first_time = serializers.BooleanField(required=False, default=False)


class ReviewAdditionSerializer(PositionInput):
    person = PersonField()
    source = choice_field(EntrySource.choices, required=False, default=EntrySource.INSIDE)
    added_decision = text_field(200, required=False, allow_blank=True, default="")
    first_time = serializers.BooleanField(required=False, default=False)


class ReviewRemovalSerializer(InputSerializer):
    entry = integer_field(**ROW_ID, label=gettext_lazy("Mục quy hoạch (mã số)"))
    removal_reason = choice_field(RemovalReason.choices, label=gettext_lazy("Lý do đưa ra"))
    removal_note = text_field(1000, required=False, allow_blank=True, default="")


class ReviewCreateSerializer(InputSerializer):
    reviewed_on = date_field(label=gettext_lazy("Ngày rà soát"))
    decision_number = text_field(100, required=False, allow_blank=True, default="")
    note = text_field(5000, required=False, allow_blank=True, default="")
    additions = ReviewAdditionSerializer(many=True, required=False, default=list)
    removals = ReviewRemovalSerializer(many=True, required=False, default=list)


class EntryRemoveSerializer(InputSerializer):
    removal_reason = choice_field(RemovalReason.choices, label=gettext_lazy("Lý do đưa ra"))
    removal_note = text_field(1000, required=False, allow_blank=True, default="")
    removed_on = date_field(required=False, allow_null=True,
                            label=gettext_lazy("Ngày đưa ra khỏi quy hoạch"))  # fmt: skip


class PlanCreateSerializer(InputSerializer):
    planning_unit = CodeField(
        queryset=Unit.objects.all(),
        not_found=gettext_lazy("Không có đơn vị với mã này."),
        required=True,
        allow_null=False,
        label=gettext_lazy("Đơn vị lập quy hoạch (mã)"),
    )
    term = text_field(20, label=gettext_lazy("Nhiệm kỳ quy hoạch (YYYY-YYYY)"))
    term_body = choice_field(TermBody.choices, required=False, default=TermBody.PARTY)
    name = text_field(300, required=False, allow_blank=True, default="")
    min_minority_share = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False,
        allow_null=True, default=None,
    )  # fmt: skip
    positions = serializers.ListField(
        child=integer_field(**ROW_ID), required=False, default=list,
        label=gettext_lazy("Chức danh quy hoạch (mã số)"),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            # A unit the user may not edit is "not found", as a code no unit has.
            self.fields["planning_unit"].queryset = unit_list(user=self.user, action=scope.EDIT)

    def validate_term(self, value: str) -> str:
        validate_term(value)
        return value

    def validate_positions(self, ids: list[int]) -> list[Position]:
        found = {p.pk: p for p in position_list(user=self.user).filter(pk__in=ids)}
        missing = [pk for pk in dict.fromkeys(ids) if pk not in found]
        if missing:
            raise serializers.ValidationError(
                _("Không có chức danh mã số %(ids)s.") % {"ids": ", ".join(map(str, missing))}
            )
        return [found[pk] for pk in dict.fromkeys(ids)]

    def validate(self, attrs):
        start, end = year_span(attrs["term"])
        body = attrs.pop("term_body")
        term = Term.objects.filter(body=body, start_date__year=start, end_date__year=end).first()
        if term is None:
            raise serializers.ValidationError(
                {"term": [_("Không có nhiệm kỳ %(start)d–%(end)d.") % {"start": start, "end": end}]}
            )
        attrs["term"] = term
        return attrs


class ApproveSerializer(InputSerializer):
    approver_unit = CodeField(
        queryset=Unit.objects.all(),
        not_found=gettext_lazy("Không có đơn vị với mã này."),
        required=True,
        allow_null=False,
        label=gettext_lazy("Cấp phê duyệt (mã đơn vị)"),
    )
    # Left to the service when missing: its messages name what is expected.
    decision_number = text_field(100, required=False, allow_blank=True, default="")
    decision_date = date_field(required=False, allow_null=True, default=None)
    approved_on = date_field(required=False, allow_null=True, default=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.context.get("plan") is not None:
            # The plan's unit or one above it; any other code is "not found".
            self.fields["approver_unit"].queryset = selectors.approver_units(self.context["plan"])


class PublishSerializer(InputSerializer):
    published_on = date_field(required=False, allow_null=True, default=None)


class ReopenSerializer(InputSerializer):
    reason = text_field(2000, required=False, allow_blank=True, default="",
                        label=gettext_lazy("Lý do đưa về dự thảo"))  # fmt: skip


class WhatIfAdditionSerializer(PositionInput):
    person = PersonField()
    first_time = serializers.BooleanField(required=False, default=False)


class WhatIfRemovalSerializer(InputSerializer):
    entry = integer_field(**ROW_ID, label=gettext_lazy("Mục quy hoạch (mã số)"))
    removal_reason = choice_field(RemovalReason.choices, required=False, allow_blank=True,
                                  default="")  # fmt: skip


class WhatIfSerializer(InputSerializer):
    as_of = date_field(required=False, allow_null=True, default=None)
    additions = WhatIfAdditionSerializer(many=True, required=False, default=list)
    removals = WhatIfRemovalSerializer(many=True, required=False, default=list)


# --- Helpers -------------------------------------------------------------------


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


PLAN_RESPONSE = {200: PlanDetailSerializer}


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Danh sách quy hoạch trong phạm vi")),
    retrieve=extend_schema(summary=gettext_lazy("Một quy hoạch: chức danh, người, lịch sử")),
)
class PlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Succession plans within the user's scope, their life cycle, entries and reviews.

    A plan outside the user's scope is not found (404). Writes are for editors
    and administrators; the services re-check the planning unit's scope (403).
    """

    filterset_class = PlanFilterSet
    pagination_class = Pagination
    permission_classes = READ_WRITE

    def get_queryset(self) -> QuerySet[Plan]:
        if getattr(self, "swagger_fake_view", False):
            return Plan.objects.none()
        return selectors.plan_list(user=self.request.user)

    def get_serializer_class(self):
        return {
            "list": PlanSerializer,
            "create": PlanCreateSerializer,
            "approve": ApproveSerializer,
            "publish": PublishSerializer,
            "reopen": ReopenSerializer,
            "entries": EntryAddSerializer,
            "reviews": ReviewCreateSerializer,
            "what_if": WhatIfSerializer,
        }.get(self.action, PlanDetailSerializer)

    def _input(self, serializer_class, plan: Plan | None = None) -> dict:
        context = {**self.get_serializer_context(), "plan": plan}
        serializer = serializer_class(data=self.request.data, context=context)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _logged(self, plan: Plan, person_ids, kind: str = AccessKind.PLAN) -> None:
        """An answer showing people of the plan, written to the access log (one insert)."""
        record_rows(
            actor=self.request.user,
            kind=kind,
            instance=plan,
            query=" ".join(filter(None, [self.action, query_text(self.request.query_params)])),
            person_ids=list(person_ids),
        )

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object(), reload=False)

    def _plan(self) -> Plan:
        """The plan of the URL, if the user may see it (without the list filters)."""
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_object(self) -> Plan:
        plan = self._plan()
        self.check_object_permissions(self.request, plan)
        return plan

    def _detail(self, plan: Plan, code=status.HTTP_200_OK, *, reload=True) -> Response:
        """The plan as it is now (after a write: `reload`), its people in the access log."""
        if reload:
            plan = Plan.objects.select_related("planning_unit", "term", "approver_unit").get(
                pk=plan.pk
            )
        data = PlanDetailSerializer(plan).data
        self._logged(plan, [e.person_id for e in plan._api_entries])
        return Response(data, status=code)

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanDetailSerializer})
    def create(self, request, *args, **kwargs):
        """A new draft plan of a unit for a term, covering the positions given."""
        data = self._input(PlanCreateSerializer)
        plan = write(services.plan_create, actor=request.user, **data)
        return self._detail(plan, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=PLAN_RESPONSE)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send a draft plan for approval."""
        plan = write(services.plan_submit, actor=request.user, plan=self.get_object())
        return self._detail(plan)

    @extend_schema(request=ApproveSerializer, responses=PLAN_RESPONSE)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Record the approval decision of a submitted plan."""
        plan = self.get_object()
        data = self._input(ApproveSerializer, plan)
        return self._detail(write(services.plan_approve, actor=request.user, plan=plan, **data))

    @extend_schema(request=PublishSerializer, responses=PLAN_RESPONSE)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish an approved plan."""
        plan = self.get_object()
        data = self._input(PublishSerializer)
        return self._detail(write(services.plan_publish, actor=request.user, plan=plan, **data))

    @extend_schema(request=ReopenSerializer, responses=PLAN_RESPONSE)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Bring a plan back to draft, with the reason."""
        plan = self.get_object()
        data = self._input(ReopenSerializer)
        return self._detail(write(services.plan_reopen, actor=request.user, plan=plan, **data))

    @extend_schema(request=EntryAddSerializer, responses={201: PlanEntrySerializer})
    @action(detail=True, methods=["post"])
    def entries(self, request, pk=None):
        """Plan a person for a position of a draft plan."""
        plan = self.get_object()
        data = self._input(EntryAddSerializer, plan)
        entry = write(services.entry_add, actor=request.user, plan=plan, **data)
        entry = PlanEntry.objects.select_related("person").get(pk=entry.pk)
        return Response(PlanEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], request=None, responses=PlanReviewSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ReviewCreateSerializer, responses={201: PlanReviewSerializer}
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def reviews(self, request, pk=None):
        """The reviews of a plan (newest first); POST records one with its changes."""
        plan = self.get_object()
        if request.method == "GET":
            rows = list(
                plan.reviews.select_related("actor").prefetch_related(
                    "added_entries", "removed_entries"
                )
            )
            self._logged(plan, pages.people_of_reviews(rows))
            return Response(PlanReviewSerializer(rows, many=True).data)
        data = self._input(ReviewCreateSerializer, plan)
        removed = entries_of(plan, [r["entry"] for r in data["removals"]])
        review = write(
            services.review_record,
            actor=request.user,
            plan=plan,
            reviewed_on=data["reviewed_on"],
            decision_number=data["decision_number"],
            note=data["note"],
            additions=[services.EntryAddition(**a) for a in data["additions"]],
            removals=[
                services.EntryRemoval(
                    entry=removed[r["entry"]], reason=r["removal_reason"], note=r["removal_note"]
                )
                for r in data["removals"]
            ],
        )
        review = (
            PlanReview.objects.select_related("actor")
            .prefetch_related("added_entries", "removed_entries")
            .get(pk=review.pk)
        )
        return Response(PlanReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[AS_OF], responses=FindingSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def findings(self, request, pk=None):
        """What the planning rules in force on the date find in this plan."""
        plan = self.get_object()
        data, named = plan_findings(Plan.objects.filter(pk=plan.pk), as_of_of(request))
        self._logged(plan, named)
        return Response(data)

    @extend_schema(request=WhatIfSerializer, responses=WhatIfResultSerializer)
    @action(detail=True, methods=["post"], url_path="what-if", permission_classes=READ_ONLY)
    def what_if(self, request, pk=None):
        """Findings before and after proposed additions and removals; nothing is saved."""
        plan = self.get_object()
        result, named = plan_what_if(plan, self._input(WhatIfSerializer, plan))
        self._logged(plan, named, AccessKind.WHAT_IF)
        return Response(WhatIfResultSerializer(result).data)

    @extend_schema(parameters=[AS_OF], responses=FiguresSerializer)
    @action(detail=True, methods=["get"])
    def figures(self, request, pk=None):
        """Counts, coefficient and shares of the people planned on the date."""
        plan = self.get_object()
        return Response(FiguresSerializer(figures_data(plan, as_of_of(request))).data)

    @extend_schema(parameters=[AS_OF], responses=BenchSerializer)
    @action(detail=True, methods=["get"])
    def bench(self, request, pk=None):
        """Holders, expected vacancies and eligible successors of each covered position."""
        plan = self.get_object()
        data, named = bench_data(plan, as_of_of(request))
        self._logged(plan, named)
        return Response(BenchSerializer(data).data)


class PlanEntryViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """An entry of a plan within the user's scope; removal keeps it, dated, with its reason."""

    serializer_class = PlanEntrySerializer
    permission_classes = READ_WRITE

    def get_queryset(self) -> QuerySet[PlanEntry]:
        if getattr(self, "swagger_fake_view", False):
            return PlanEntry.objects.none()
        plans = selectors.plan_list(user=self.request.user).values("pk")
        return PlanEntry.objects.filter(plan__in=plans).select_related("person")

    def get_serializer_class(self):
        return EntryRemoveSerializer if self.action == "remove" else PlanEntrySerializer

    def retrieve(self, request, *args, **kwargs):
        entry = self.get_object()
        record_rows(
            actor=request.user,
            kind=AccessKind.PLAN,
            instance=entry,
            query="",
            person_ids=[entry.person_id],
        )
        return Response(PlanEntrySerializer(entry).data)

    @extend_schema(request=EntryRemoveSerializer, responses=PlanEntrySerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        """Take an entry out of a draft plan."""
        entry = self.get_object()
        serializer = EntryRemoveSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        write(
            services.entry_remove,
            actor=request.user,
            entry=entry,
            reason=data["removal_reason"],
            note=data["removal_note"],
            removed_on=data.get("removed_on"),
        )
        entry = self.get_queryset().get(pk=entry.pk)
        return Response(PlanEntrySerializer(entry).data)


class PlanningFindingsQuerySerializer(serializers.Serializer):
    unit = text_field(50, required=False, allow_blank=True)
    term = text_field(20, required=False, allow_blank=True)
    as_of = date_field(required=False, allow_null=True)

    def validate_term(self, value: str) -> str:
        if value.strip():
            validate_term(value)
        return value.strip()


class PlanningFindingsViewSet(viewsets.ViewSet):
    """Findings of every plan of a unit's subtree in the user's scope (as `check-planning`)."""

    permission_classes = READ_ONLY

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "unit",
                OpenApiTypes.STR,
                description=gettext_lazy(
                    "Mã đơn vị: quy hoạch của đơn vị này và các đơn vị cấp dưới."
                ),
            ),
            OpenApiParameter(
                "term",
                OpenApiTypes.STR,
                description=gettext_lazy("Nhiệm kỳ quy hoạch, ví dụ 2030-2035."),
            ),
            AS_OF,
        ],  # fmt: skip
        responses=FindingSerializer(many=True),
    )
    def list(self, request):
        params = PlanningFindingsQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        unit_code = params.validated_data.get("unit", "").strip()
        term = params.validated_data.get("term", "")
        as_of = params.validated_data.get("as_of") or people_selectors.today()
        plans = selectors.plan_list(user=request.user)
        if unit_code:
            unit = unit_list(user=request.user).filter(code=unit_code).first()
            if unit is None:
                raise exceptions.NotFound(_("Không có đơn vị mã “%(code)s”.") % {"code": unit_code})
            plans = selectors.plans_of(plans, unit=unit)
        if term:
            plans = selectors.plans_of(plans, years=year_span(term))
        data, named = plan_findings(plans, as_of)
        record_rows(
            actor=request.user,
            kind=AccessKind.PLAN,
            model=Plan,
            query=query_text(request.query_params),
            person_ids=named,
        )
        return Response(data)
