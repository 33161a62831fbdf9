"""Forms of the rotation pages. They adapt input; `services` validate and write."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from canbo.core import scope
from canbo.core.forms import BootstrapFormMixin, VNDateField
from canbo.organizations.models import Position, Term, Unit
from canbo.organizations.selectors import position_list, unit_list
from canbo.organizations.widgets import UnitChoiceField
from canbo.people.person_box import PersonField, person_text  # noqa: F401 (person_text: views)

from . import selectors
from .choices import RotationKind, RotationOutcome, RotationPurpose
from .models import Rotation, RotationPlan
from .pages import STATUS_CHOICES

CHOOSE = _("— Chọn —")
ALL = _("Tất cả")


def label(model, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Position) -> str:
        return f"{obj.title.name} – {obj.unit.name}"


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RotationPlan) -> str:
        return f"{obj.name} ({obj.unit.name}, {obj.term.name})"


def small(form: forms.Form) -> None:
    for f in form.fields.values():
        select = isinstance(f.widget, forms.Select)
        f.widget.attrs["class"] = "form-select form-select-sm" if select else "form-control form-control-sm"


# --- Filters -------------------------------------------------------------------------


class RotationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=[("", ALL), *STATUS_CHOICES],
                               required=False)  # fmt: skip
    kind = forms.ChoiceField(label=label(Rotation, "kind"), choices=[("", ALL), *RotationKind.choices],
                             required=False)  # fmt: skip
    purpose = forms.ChoiceField(label=label(Rotation, "purpose"),
                                choices=[("", ALL), *RotationPurpose.choices], required=False)  # fmt: skip
    unit = UnitChoiceField(label=_("Cấp quyết định (cả cấp dưới)"), queryset=Unit.objects.none(),
                           required=False, help_text="")  # fmt: skip
    as_of = VNDateField(label=_("Tại ngày"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list(user=user)  # = source "units.view"
        small(self)


class SubtreeForm(forms.Form):
    """A subtree and a date (the watch lists, the plans)."""

    unit = UnitChoiceField(label=_("Đơn vị (cả cấp dưới)"), queryset=Unit.objects.none(),
                           required=False, help_text="")  # fmt: skip
    as_of = VNDateField(label=_("Tại ngày"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list(user=user)
        small(self)


# --- A rotation ----------------------------------------------------------------------


class RotationForm(BootstrapFormMixin, forms.Form):
    person = PersonField()
    kind = forms.ChoiceField(label=label(Rotation, "kind"), choices=[("", CHOOSE), *RotationKind.choices])
    purpose = forms.ChoiceField(label=label(Rotation, "purpose"),
                                choices=[("", CHOOSE), *RotationPurpose.choices])  # fmt: skip
    from_position = PositionChoiceField(
        label=label(Rotation, "from_position"), queryset=Position.objects.none(), required=False,
        empty_label=_("— Chức danh đang giữ —"),
        help_text=_("Để trống: chức danh cao nhất cán bộ đang giữ trước ngày bắt đầu."),
    )  # fmt: skip
    to_position = PositionChoiceField(label=label(Rotation, "to_position"),
                                      queryset=Position.objects.none(), empty_label=CHOOSE)  # fmt: skip
    competent_unit = UnitChoiceField(
        label=label(Rotation, "competent_unit"), queryset=Unit.objects.none(),
        source="units.edit", help_text="",
    )  # fmt: skip
    plan = PlanChoiceField(label=label(Rotation, "plan"), queryset=RotationPlan.objects.none(),
                           required=False, empty_label=_("— Ngoài kế hoạch —"),
                           help_text=_("Luân chuyển dự kiến trong kế hoạch: để trống quyết định "
                                       "và ngày bắt đầu."))  # fmt: skip
    decision_number = forms.CharField(label=label(Rotation, "decision_number"), max_length=60,
                                      required=False)  # fmt: skip
    decision_date = VNDateField(label=label(Rotation, "decision_date"), required=False)
    start_date = VNDateField(label=label(Rotation, "start_date"), required=False)
    planned_end = VNDateField(label=label(Rotation, "planned_end"), required=False)
    shorter_approved = forms.BooleanField(label=label(Rotation, "shorter_approved"), required=False,
                                          help_text=Rotation._meta.get_field("shorter_approved").help_text)  # fmt: skip
    note = forms.CharField(label=label(Rotation, "note"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].bind(self["person"], user=user)
        positions = position_list(user=user)
        for name in ("from_position", "to_position"):
            self.fields[name].queryset = positions
            self.fields[name].error_messages["invalid_choice"] = _(
                "Chức danh này không có trong phạm vi bạn được xem."
            )
        self.fields["to_position"].error_messages["required"] = _("Hãy chọn chức danh nơi đến.")
        self.fields["kind"].error_messages["required"] = _("Hãy chọn hình thức.")
        self.fields["purpose"].error_messages["required"] = _("Hãy chọn mục đích.")
        units = self.fields["competent_unit"]
        units.queryset = unit_list(user=user, action=scope.EDIT)  # = source "units.edit"
        units.error_messages["invalid_choice"] = _("Đơn vị này không có trong phạm vi bạn được sửa.")
        units.error_messages["required"] = _("Hãy chọn cấp có thẩm quyền.")
        self.fields["plan"].queryset = selectors.plans(user, scope.EDIT)
        self.fields["plan"].error_messages["invalid_choice"] = _(
            "Kế hoạch này không có trong phạm vi bạn được sửa."
        )


class StartForm(BootstrapFormMixin, forms.Form):
    decision_number = forms.CharField(label=label(Rotation, "decision_number"), max_length=60,
                                      required=False)  # fmt: skip
    decision_date = VNDateField(label=label(Rotation, "decision_date"), required=False)
    start_date = VNDateField(label=label(Rotation, "start_date"))
    planned_end = VNDateField(label=label(Rotation, "planned_end"), required=False)
    shorter_approved = forms.BooleanField(label=label(Rotation, "shorter_approved"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "start")
        super().__init__(*args, **kwargs)
        self.fields["start_date"].error_messages["required"] = _("Hãy nhập ngày bắt đầu.")


class EndForm(BootstrapFormMixin, forms.Form):
    actual_end = VNDateField(label=label(Rotation, "actual_end"))
    outcome = forms.ChoiceField(label=label(Rotation, "outcome"),
                                choices=[("", CHOOSE), *RotationOutcome.choices])  # fmt: skip
    evaluation = forms.CharField(label=label(Rotation, "evaluation"), required=False, max_length=5000,
                                 widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "end")
        super().__init__(*args, **kwargs)
        self.fields["actual_end"].error_messages["required"] = _("Hãy nhập ngày kết thúc.")
        self.fields["outcome"].error_messages["required"] = _("Hãy chọn kết quả sau luân chuyển.")


# --- Plans ---------------------------------------------------------------------------


class TermChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Term) -> str:
        return str(obj)


class PlanForm(BootstrapFormMixin, forms.Form):
    unit = UnitChoiceField(label=label(RotationPlan, "unit"), queryset=Unit.objects.none(),
                           source="units.edit", help_text="")  # fmt: skip
    term = TermChoiceField(label=label(RotationPlan, "term"), queryset=Term.objects.none(),
                           empty_label=CHOOSE)  # fmt: skip
    name = forms.CharField(label=label(RotationPlan, "name"), max_length=300)
    note = forms.CharField(label=label(RotationPlan, "note"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = self.fields["unit"]
        units.queryset = unit_list(user=user, action=scope.EDIT)
        units.error_messages["invalid_choice"] = _("Đơn vị này không có trong phạm vi bạn được sửa.")
        units.error_messages["required"] = _("Hãy chọn cấp ủy, cơ quan lập kế hoạch.")
        self.fields["term"].queryset = Term.objects.order_by("-start_date", "body")
        self.fields["term"].error_messages["required"] = _("Hãy chọn nhiệm kỳ.")
        self.fields["name"].error_messages["required"] = _("Hãy nhập tên kế hoạch.")
