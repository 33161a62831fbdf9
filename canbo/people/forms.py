"""Forms of the people pages. They adapt input; the services validate and write."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from canbo.core import scope
from canbo.core.dates import DatePrecision
from canbo.core.forms import (
    BootstrapFormMixin,
    KeptSelect,
    PartialDate,
    PartialDateField,
    ReadOnce,
    RowChoices,
    VNDateField,
)
from canbo.organizations.choices import UnitLevel
from canbo.organizations.forms import AreaField
from canbo.organizations.models import Position, Unit
from canbo.organizations.selectors import position_list, unit_list
from canbo.organizations.widgets import UnitChoiceField

from .choices import Degree, PoliticalTheory, Religion, Sex, StateManagement
from .filtersets import PersonFilterSet
from .models import (
    Assignment,
    ConfidenceVote,
    Discipline,
    Ethnicity,
    Evaluation,
    Person,
    Reward,
    Training,
    id_number_validator,
)
from .selectors import LookupThrottled, id_number_taken

ALL = _("Tất cả")
CHOOSE = _("— Chọn —")


def label(model, name: str):
    return capfirst(model._meta.get_field(name).verbose_name)


def with_blank(choices, blank=CHOOSE):
    return [("", blank), *choices]


def unit_suggest_input() -> forms.TextInput:
    """A unit's code or name, with suggestions of the units in scope by name
    (unit-suggest.js fills the datalist from organizations:unit-suggest)."""
    return forms.TextInput(
        attrs={
            "placeholder": _("Tên hoặc mã đơn vị"),
            "autocomplete": "off",
            "list": "unit-options",
            "data-unit-suggest": reverse("organizations:unit-suggest"),
            "data-abolished": _("hết hiệu lực"),
        }
    )


# --- People list filters -------------------------------------------------------------


def dress_filter_fields(fields) -> None:
    """The list filters' fields as the page shows them (once per form class)."""
    fields["as_of"].widget = forms.TextInput(
        attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
    )
    fields["search"].widget = forms.TextInput(
        attrs={
            "type": "search",
            "placeholder": _("Họ tên (không cần dấu) hoặc số định danh"),
            "autocomplete": "off",
        }
    )
    # A text box: a unit's code or name, with suggestions of the units in scope by name
    # (unit-suggest.js fills the datalist from organizations:unit-suggest).
    fields["unit"].widget = unit_suggest_input()
    for name in ("minority", "is_local"):
        fields[name].widget = forms.Select()
    for field in fields.values():
        if type(field.widget) is forms.Select:
            field.widget = KeptSelect()  # before the choices: setting them reaches the widget
    fields["sex"].empty_label = ALL  # django-filter adds the empty choice itself
    fields["sex"].choices = Sex.choices
    fields["degree"].choices = with_blank(Degree.choices, ALL)
    fields["political_theory"].choices = with_blank(PoliticalTheory.choices, ALL)
    fields["post_level"].empty_label = ALL
    fields["post_level"].choices = UnitLevel.choices
    for name in ("ethnicity", "position_title", "also_holds"):
        fields[name].empty_label = ALL
    fields["local_to_post"].choices = [("", ALL), ("true", _("Có")), ("false", _("Không"))]
    for name in ("minority", "is_local"):
        fields[name].widget.choices = [("", ALL), ("true", _("Có")), ("false", _("Không"))]
    for name in ("age_min", "age_max"):
        fields[name].widget = forms.NumberInput(attrs={"min": 0, "max": 120, "step": 1})
        fields[name].error_messages["invalid"] = _("Hãy nhập tuổi là một số.")
    for field in fields.values():
        select = isinstance(field.widget, forms.Select)
        field.widget.attrs["class"] = (
            "form-select form-select-sm" if select else "form-control form-control-sm"
        )


class PersonListFilter(PersonFilterSet):
    """The shared filter set, dressed for the page: Vietnamese empty choices, Bootstrap.

    The dressed form class is made once per class (`get_form_class`); each request
    only fills in the catalogues' options, read as plain values when the form is drawn
    (`RowChoices`), and the select boxes are kept drawn (`KeptSelect`). Issue 18."""

    #: What the page reads besides the filters; any other parameter is a form error.
    PAGE_PARAMS = ("page", "count")

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        kwargs.setdefault("extra_params", self.PAGE_PARAMS)
        super().__init__(data, queryset, user=user, **kwargs)

    def get_form_class(self):
        form_class = type(self).__dict__.get("_page_form")
        if form_class is None:
            form_class = super().get_form_class()
            # The filters' own fields stay as they are (the API's form makes them too).
            form_class.base_fields = copy.deepcopy(form_class.base_fields)
            dress_filter_fields(form_class.base_fields)
            type(self)._page_form = form_class
        return form_class

    @property
    def form(self):
        if not hasattr(self, "_form"):
            fields = super().form.fields
            # The catalogues' options as plain rows (their names are what `__str__` shows),
            # read when the form is drawn; the same titles in both selects, read once.
            titles = ReadOnce(RowChoices(fields["position_title"], "name"))
            fields["position_title"].widget.choices = fields["also_holds"].widget.choices = titles
            fields["ethnicity"].widget.choices = ReadOnce(RowChoices(fields["ethnicity"], "name"))
        return super().form

    @property
    def active(self) -> bool:
        return any(v for k, v in self.data.items() if k in self.filters)


# --- Person create / edit --------------------------------------------------------------


def _validator_limit(model, name: str, kind: type) -> int:
    return next(
        v.limit_value for v in model._meta.get_field(name).validators if isinstance(v, kind)
    )


def level_field(name: str, choices) -> forms.TypedChoiceField:
    """An optional ordered level (degree, political theory, state management)."""
    return forms.TypedChoiceField(
        label=label(Person, name),
        choices=with_blank(choices.choices),
        coerce=int,
        empty_value=None,
        required=False,
    )


class PersonForm(BootstrapFormMixin, forms.Form):
    id_number = forms.CharField(
        label=label(Person, "id_number"),
        max_length=20,
        help_text=_("12 chữ số, giữ nguyên các số 0 ở đầu."),
    )
    family_name = forms.CharField(label=label(Person, "family_name"), max_length=50)
    middle_name = forms.CharField(
        label=label(Person, "middle_name"), max_length=100, required=False
    )
    given_name = forms.CharField(label=label(Person, "given_name"), max_length=50)
    sex = forms.ChoiceField(label=label(Person, "sex"), choices=with_blank(Sex.choices))
    birth_date = PartialDateField(
        label=label(Person, "birth_date"),
        past_only=True,
        help_text=_("dd/mm/yyyy; chỉ biết tháng và năm: mm/yyyy; chỉ biết năm: yyyy."),
    )
    ethnicity = forms.ModelChoiceField(
        label=label(Person, "ethnicity"),
        queryset=Ethnicity.objects.all(),
        required=False,
        empty_label=CHOOSE,
    )
    religion = forms.ChoiceField(
        label=label(Person, "religion"), choices=with_blank(Religion.choices), required=False
    )
    hometown = AreaField(
        label=label(Person, "hometown"),
        required=False,
        help_text=_("Gõ tên xã, phường hoặc mã địa bàn rồi chọn trong gợi ý."),
    )
    birthplace = AreaField(label=label(Person, "birthplace"), required=False)
    unit = UnitChoiceField(
        label=label(Person, "unit"), queryset=Unit.objects.none(), source="units.edit"
    )
    party_joined_date = VNDateField(label=label(Person, "party_joined_date"), required=False)
    party_official_date = VNDateField(label=label(Person, "party_official_date"), required=False)
    professional_degree = level_field("professional_degree", Degree)
    professional_major = forms.CharField(
        label=label(Person, "professional_major"), max_length=200, required=False
    )
    political_theory = level_field("political_theory", PoliticalTheory)
    state_management = level_field("state_management", StateManagement)
    foreign_language = forms.CharField(
        label=label(Person, "foreign_language"), max_length=100, required=False
    )
    it_level = forms.CharField(label=label(Person, "it_level"), max_length=100, required=False)
    # Bounds come from the model's validators, so form and model cannot disagree.
    retirement_age_override_months = forms.IntegerField(
        label=label(Person, "retirement_age_override_months"),
        required=False,
        min_value=_validator_limit(Person, "retirement_age_override_months", MinValueValidator),
        max_value=_validator_limit(Person, "retirement_age_override_months", MaxValueValidator),
        help_text=Person._meta.get_field("retirement_age_override_months").help_text,
    )

    def __init__(self, *args, user, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.person = user, person
        unit_field: UnitChoiceField = self.fields["unit"]
        unit_field.queryset = unit_list(user=user, action=scope.EDIT)  # = source "units.edit"
        unit_field.required = not scope.is_administrator(user)
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "Đơn vị này không có trong phạm vi bạn được sửa."
        )
        self.fields["birth_date"].error_messages["required"] = _("Hãy nhập ngày sinh.")
        # A hint, not a value: a bare "720" in the box reads as if it were filled in.
        self.fields["retirement_age_override_months"].widget.attrs["placeholder"] = _(
            "vd. 720 (60 tuổi)"
        )
        for name in ("hometown", "birthplace"):
            # Suggestions while typing (htmx); without JavaScript the code or name is resolved
            # when the form is sent.
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": reverse("organizations:area-search"),
                    "hx-trigger": "input changed delay:250ms",
                    "hx-target": f"#{name}-suggest",
                    "hx-swap": "innerHTML",
                }
            )

    def clean_id_number(self) -> str:
        value = "".join(self.cleaned_data["id_number"].split())
        id_number_validator(value)
        try:
            taken = id_number_taken(
                user=self.user, id_number=value, exclude_pk=self.person.pk if self.person else None
            )
        except LookupThrottled as throttled:
            raise forms.ValidationError(throttled.message, code="throttled") from None
        if taken:
            raise forms.ValidationError(taken)
        return value

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        initial = {
            name: getattr(person, name)
            for name in cls.base_fields
            if name not in ("birth_date", "ethnicity", "hometown", "birthplace", "unit")
        }
        initial.update(
            birth_date=PartialDate(person.birth_date, person.birth_date_precision),
            ethnicity=person.ethnicity_id,
            hometown=person.hometown,
            birthplace=person.birthplace,
            unit=person.unit_id,
        )
        return initial

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        birth: PartialDate = data.pop("birth_date")
        data["birth_date"], data["birth_date_precision"] = birth.date, birth.precision
        return data


# --- Profile sections ------------------------------------------------------------------


class CommaDecimalField(forms.DecimalField):
    """Accepts '85,5' as well as '85.5'."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class SectionForm(BootstrapFormMixin, forms.ModelForm):
    """Field definitions come from the model; validation and saving are the service's."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and not isinstance(field, PartialDateField):
                field.widget.format = "%d/%m/%Y"
                field.input_formats = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
                field.widget.attrs["placeholder"] = "dd/mm/yyyy"
                field.error_messages["invalid"] = _("Hãy nhập ngày theo dạng dd/mm/yyyy.")

    def _post_clean(self):
        # The service runs full_clean() inside its transaction; its errors come back here.
        return

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class AssignmentForm(SectionForm):
    start_date = PartialDateField(label=_("Từ (ngày/tháng/năm)"))
    end_date = PartialDateField(
        label=_("Đến (ngày/tháng/năm)"),
        required=False,
        help_text=_("Để trống nếu đang giữ chức vụ."),
    )

    class Meta:
        model = Assignment
        fields = ["position", "title_name", "unit_name", "start_date", "end_date", "how",
                  "is_concurrent", "decision_number", "note"]  # fmt: skip

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        position = self.fields["position"]
        position.queryset = (
            position_list(user=user) if user is not None else Position.objects.none()
        )
        position.empty_label = _("— Không chọn (ghi chức vụ bên dưới) —")
        position.label_from_instance = lambda p: f"{p.title.name} – {p.unit.name}"
        self.fields["title_name"].help_text = _("Tự điền theo vị trí nếu để trống.")
        self.fields["unit_name"].help_text = _("Tự điền theo vị trí nếu để trống.")
        if self.instance.pk:
            self.initial["start_date"] = PartialDate(
                self.instance.start_date, self.instance.start_precision
            )
            if self.instance.end_date:
                self.initial["end_date"] = PartialDate(
                    self.instance.end_date, self.instance.end_precision
                )

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        start: PartialDate = data.pop("start_date")
        end: PartialDate | None = data.pop("end_date")
        data["start_date"], data["start_precision"] = start.date, start.precision
        data["end_date"] = end.date if end else None
        data["end_precision"] = end.precision if end else DatePrecision.DAY
        if data.get("position") is None:
            data["position"] = None
        return data


class EvaluationForm(SectionForm):
    score = CommaDecimalField(
        label=label(Evaluation, "score"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
    )

    class Meta:
        model = Evaluation
        fields = ["year", "rating", "score", "note"]


class ConfidenceVoteForm(SectionForm):
    class Meta:
        model = ConfidenceVote
        fields = ["year", "body", "high", "normal", "low", "base"]


class DisciplineForm(SectionForm):
    class Meta:
        model = Discipline
        fields = ["form", "effective_date", "end_date", "authority", "decision_number", "reason",
                  "planning_exception"]  # fmt: skip
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}


class RewardForm(SectionForm):
    class Meta:
        model = Reward
        fields = ["year", "form", "authority", "decision_number"]


class TrainingForm(SectionForm):
    class Meta:
        model = Training
        fields = ["kind", "program", "institution", "start_date", "end_date", "qualification"]


SECTION_FORMS: dict[str, type[SectionForm]] = {
    "assignment": AssignmentForm,
    "evaluation": EvaluationForm,
    "confidence_vote": ConfidenceVoteForm,
    "discipline": DisciplineForm,
    "reward": RewardForm,
    "training": TrainingForm,
}
