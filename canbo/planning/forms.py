"""Forms of the planning pages. They adapt input; `canbo.planning.services` validates and writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from canbo.core import scope
from canbo.core.forms import BootstrapFormMixin, VNDateField
from canbo.organizations.models import Position, Term, Unit
from canbo.organizations.selectors import unit_list
from canbo.organizations.widgets import UnitChoiceField
from canbo.people import person_box
from canbo.people.models import Person
from canbo.people.selectors import (
    LookupThrottled,
    person_for_planning,
)

from .choices import EntrySource, PlanStatus, RemovalReason
from .models import Plan, PlanEntry, PlanReview
from .selectors import approver_units, plan_units

CHOOSE = _("— Chọn —")
ALL = _("Tất cả")
SUGGESTIONS = 10


def label(model, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Position) -> str:
        return f"{obj.title.name} – {obj.unit.name}"


def positions_for(plan: Plan):
    """Positions an entry may name: those the plan covers and those of the planning unit."""
    return (
        Position.objects.filter(Q(plan_positions__plan=plan) | Q(unit_id=plan.planning_unit_id))
        .select_related("title", "unit")
        .distinct()
        .order_by("-title__rank", "unit__path", "id")
    )


def coverable_positions(plan: Plan):
    """Positions of the planning unit and the units directly below it, not yet covered."""
    unit = plan.planning_unit
    return (
        Position.objects.filter(unit__path__startswith=unit.path, unit__depth__lte=unit.depth + 1)
        .exclude(plan_positions__plan=plan)
        .select_related("title", "unit")
        .order_by("unit__path", "-title__rank", "id")
    )


def find_person(user, plan: Plan, text: str) -> Person:
    """The one person named by an ID number, "ID · name" (a suggestion) or a name.

    Names are searched in the user's scope only; an ID number goes through
    `person_for_planning` (the rule for people from elsewhere). A person
    outside what the user may name gets the answer of an unknown number.
    """
    return person_box.find_person(user, text, by_number=_by_number(user, plan))


def _by_number(user, plan: Plan):
    def find(digits: str) -> Person | None:
        try:
            return person_for_planning(user=user, id_number=digits, plan=plan)
        except LookupThrottled as throttled:
            raise forms.ValidationError(throttled.message, code="throttled") from None

    return find


class PersonField(person_box.PersonField):
    """The shared person box, bound to a plan: an ID number may name someone from
    elsewhere (`person_for_planning`)."""

    def bind(self, bound_field, *, user, plan: Plan) -> None:  # type: ignore[override]
        super().bind(bound_field, user=user, by_number=_by_number(user, plan))


# --- List ----------------------------------------------------------------------------


class PlanFilterForm(forms.Form):
    unit = UnitChoiceField(
        label=_("Đơn vị"), queryset=Unit.objects.none(), required=False, help_text="",
        source="planning.plans",
    )  # fmt: skip
    term = forms.ModelChoiceField(
        label=_("Nhiệm kỳ"), queryset=Term.objects.none(), required=False, empty_label=ALL
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=[("", ALL), *PlanStatus.choices], required=False
    )

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = plan_units(plans)  # = source "planning.plans"
        term_ids = plans.order_by().values("term_id")
        self.fields["term"].queryset = Term.objects.filter(pk__in=term_ids).order_by(
            "-start_date", "body"
        )
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )

    def filter(self, plans):
        if not self.is_valid():
            return plans
        data = self.cleaned_data
        if data.get("unit"):
            plans = plans.filter(planning_unit=data["unit"])
        if data.get("term"):
            plans = plans.filter(term=data["term"])
        if data.get("status"):
            plans = plans.filter(status=data["status"])
        return plans


class PlanCreateForm(BootstrapFormMixin, forms.Form):
    planning_unit = UnitChoiceField(
        label=label(Plan, "planning_unit"), queryset=Unit.objects.none(), source="units.edit"
    )
    term = forms.ModelChoiceField(
        label=label(Plan, "term"), queryset=Term.objects.none(), empty_label=CHOOSE
    )
    name = forms.CharField(
        label=label(Plan, "name"),
        max_length=300,
        required=False,
        help_text=_("Để trống: “tên đơn vị, nhiệm kỳ …”."),
    )
    min_minority_share = forms.DecimalField(
        label=label(Plan, "min_minority_share"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        help_text=Plan._meta.get_field("min_minority_share").help_text,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # = source "units.edit"
        self.fields["planning_unit"].queryset = unit_list(user=user, action=scope.EDIT)
        self.fields["planning_unit"].error_messages["invalid_choice"] = _(
            "Đơn vị này không có trong phạm vi bạn được sửa."
        )
        self.fields["term"].queryset = Term.objects.order_by("-start_date", "body")
        self.fields["min_minority_share"].error_messages["invalid"] = _("Hãy nhập một số.")


class AsOfForm(forms.Form):
    as_of = VNDateField(label=_("Kiểm tra tại ngày"), required=False)

    def date(self, default: dt.date) -> dt.date:
        if self.is_valid() and self.cleaned_data.get("as_of"):
            return self.cleaned_data["as_of"]
        return default


# --- Entries -------------------------------------------------------------------------


class EntryAddForm(BootstrapFormMixin, forms.Form):
    person = PersonField()
    position = PositionChoiceField(
        label=label(PlanEntry, "position"), queryset=Position.objects.none(), empty_label=CHOOSE
    )
    source = forms.ChoiceField(
        label=label(PlanEntry, "source"), choices=EntrySource.choices, initial=EntrySource.INSIDE
    )
    added_decision = forms.CharField(
        label=label(PlanEntry, "added_decision"), max_length=200, required=False
    )
    added_on = VNDateField(
        label=label(PlanEntry, "added_on"),
        required=False,
        help_text=_("Để trống: hôm nay."),
    )
    first_time = forms.BooleanField(label=label(PlanEntry, "first_time"), required=False)

    def __init__(self, *args, plan: Plan, user, **kwargs):
        kwargs.setdefault("prefix", "add")
        super().__init__(*args, **kwargs)
        self.fields["person"].bind(self["person"], user=user, plan=plan)
        self.fields["position"].queryset = positions_for(plan)
        self.fields["position"].error_messages["invalid_choice"] = _(
            "Chức danh này không thuộc quy hoạch."
        )
        self.fields["position"].error_messages["required"] = _("Hãy chọn chức danh quy hoạch.")

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class EntryRemoveForm(BootstrapFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=label(PlanEntry, "removal_reason"),
        choices=[("", CHOOSE), *RemovalReason.choices],
        error_messages={"required": _("Hãy chọn lý do đưa ra khỏi quy hoạch.")},
    )
    note = forms.CharField(label=label(PlanEntry, "removal_note"), max_length=1000, required=False)
    removed_on = VNDateField(
        label=label(PlanEntry, "removed_on"), required=False, help_text=_("Để trống: hôm nay.")
    )

    def __init__(self, *args, entry: PlanEntry | None = None, **kwargs):
        kwargs.setdefault("prefix", f"remove-{entry.pk}" if entry else "remove")
        super().__init__(*args, **kwargs)


class CoverPositionForm(BootstrapFormMixin, forms.Form):
    position = PositionChoiceField(
        label=_("Chức danh"), queryset=Position.objects.none(), empty_label=CHOOSE
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        kwargs.setdefault("prefix", "cover")
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = coverable_positions(plan)
        self.fields["position"].error_messages["invalid_choice"] = _(
            "Chức danh này không thể đưa vào quy hoạch."
        )


# --- Status --------------------------------------------------------------------------


class ApproveForm(BootstrapFormMixin, forms.Form):
    approver_unit = UnitChoiceField(
        label=label(Plan, "approver_unit"), queryset=Unit.objects.none(), help_text=""
    )
    decision_number = forms.CharField(label=label(Plan, "decision_number"), max_length=100)
    decision_date = VNDateField(label=label(Plan, "decision_date"))
    approved_on = VNDateField(
        label=label(Plan, "approved_on"),
        required=False,
        help_text=_("Để trống: ngày quyết định."),
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        kwargs.setdefault("prefix", "approve")
        super().__init__(*args, **kwargs)
        self.fields["approver_unit"].queryset = approver_units(plan)
        self.fields["approver_unit"].pick_from("planning.approver", plan=plan.pk)
        self.fields["decision_number"].error_messages["required"] = _(
            "Hãy nhập số quyết định phê duyệt."
        )
        self.fields["decision_date"].error_messages["required"] = _(
            "Hãy nhập ngày quyết định phê duyệt."
        )
        self.fields["approver_unit"].error_messages["required"] = _("Hãy chọn cấp phê duyệt.")


class PublishForm(BootstrapFormMixin, forms.Form):
    published_on = VNDateField(
        label=label(Plan, "published_on"), required=False, help_text=_("Để trống: hôm nay.")
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "publish")
        super().__init__(*args, **kwargs)


class ReopenForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Lý do đưa về dự thảo"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Hãy nêu lý do đưa quy hoạch về dự thảo.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "reopen")
        super().__init__(*args, **kwargs)


# --- Reviews -------------------------------------------------------------------------


class ReviewForm(BootstrapFormMixin, forms.Form):
    """The review itself, and for each active entry a reason to take it out (blank: keep)."""

    reviewed_on = VNDateField(
        label=label(PlanReview, "reviewed_on"),
        error_messages={"required": _("Hãy nhập ngày rà soát.")},
    )
    decision_number = forms.CharField(
        label=label(PlanReview, "decision_number"), max_length=100, required=False
    )
    note = forms.CharField(
        label=label(PlanReview, "note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = list(entries)
        for entry in self.entries:
            reason = forms.ChoiceField(
                label=_("Đưa ra"),
                choices=[("", _("Giữ trong quy hoạch")), *RemovalReason.choices],
                required=False,
            )
            reason.widget.attrs["class"] = "form-select form-select-sm"
            note = forms.CharField(label=_("Ghi chú lý do"), max_length=1000, required=False)
            note.widget.attrs["class"] = "form-control form-control-sm"
            self.fields[f"remove_{entry.pk}"] = reason
            self.fields[f"remove_note_{entry.pk}"] = note

    def removal_rows(self):
        return [
            (entry, self[f"remove_{entry.pk}"], self[f"remove_note_{entry.pk}"])
            for entry in self.entries
        ]

    def removals(self) -> list[tuple[PlanEntry, str, str]]:
        data = self.cleaned_data
        return [
            (entry, data[f"remove_{entry.pk}"], data.get(f"remove_note_{entry.pk}", ""))
            for entry in self.entries
            if data.get(f"remove_{entry.pk}")
        ]


class ReviewAdditionForm(forms.Form):
    person = PersonField(required=False, help_text="")
    position = PositionChoiceField(
        label=_("Chức danh"), queryset=Position.objects.none(), required=False, empty_label=CHOOSE
    )
    source = forms.ChoiceField(
        label=_("Nguồn"), choices=EntrySource.choices, initial=EntrySource.INSIDE
    )
    first_time = forms.BooleanField(label=_("Lần đầu"), required=False)

    def __init__(self, *args, plan: Plan, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].bind(self["person"], user=user, plan=plan)
        self.fields["position"].queryset = positions_for(plan)
        for field in self.fields.values():
            css = (
                "form-check-input"
                if isinstance(field, forms.BooleanField)
                else (
                    "form-select form-select-sm"
                    if isinstance(field.widget, forms.Select)
                    else "form-control form-control-sm"
                )
            )
            field.widget.attrs["class"] = css

    def clean(self):
        data = super().clean()
        if data.get("person") and not data.get("position"):
            self.add_error("position", _("Hãy chọn chức danh quy hoạch."))
        if data.get("position") and not data.get("person") and not self.errors.get("person"):
            self.add_error("person", _("Hãy nhập số định danh hoặc họ tên cán bộ."))
        return data


class BaseAdditionFormSet(forms.BaseFormSet):
    def __init__(self, *args, plan: Plan, user, **kwargs):
        self.plan, self.user = plan, user
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"plan": self.plan, "user": self.user}

    def additions(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms if f.cleaned_data.get("person")]


AdditionFormSet = forms.formset_factory(
    ReviewAdditionForm, formset=BaseAdditionFormSet, extra=3, max_num=30
)


# --- Export --------------------------------------------------------------------------


class ExportForm(forms.Form):
    number = forms.CharField(label=_("Số văn bản"), max_length=50, required=False)
    place = forms.CharField(label=_("Địa danh"), max_length=100, required=False)
    on = VNDateField(label=_("Ngày ký"), required=False)
