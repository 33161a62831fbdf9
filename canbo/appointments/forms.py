"""Forms of the appointment pages. They adapt input; `services` and `steps` validate and write."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from canbo.core import scope
from canbo.core.forms import BootstrapFormMixin, VNDateField
from canbo.organizations.models import Position, Unit
from canbo.organizations.selectors import position_list, unit_list
from canbo.organizations.widgets import UnitChoiceField
from canbo.people.person_box import PersonField, person_text  # noqa: F401 (person_text: views)

from .choices import CaseKind, CaseOutcome, StepNumber
from .models import AppointmentCase, CaseStep, StepTally, TallyLine
from .pages import CLOSED, OPEN

CHOOSE = _("— Chọn —")
ALL = _("Tất cả")


def label(model, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Position) -> str:
        return f"{obj.title.name} – {obj.unit.name}"


# --- List and calendar ---------------------------------------------------------------


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Tình trạng"),
        choices=[("", ALL), (OPEN, _("Đang giải quyết")), (CLOSED, _("Đã kết thúc"))],
        required=False,
    )
    kind = forms.ChoiceField(label=_("Loại việc"), choices=[("", ALL), *CaseKind.choices],
                             required=False)  # fmt: skip
    unit = UnitChoiceField(label=_("Đơn vị (cả cấp dưới)"), queryset=Unit.objects.none(),
                           required=False, help_text="")  # fmt: skip
    as_of = VNDateField(label=_("Tại ngày"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list(user=user)  # = source "units.view"
        for f in self.fields.values():
            select = isinstance(f.widget, forms.Select)
            f.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )


class CalendarForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị (cả cấp dưới)"), queryset=Unit.objects.none(),
                           required=False, help_text="")  # fmt: skip
    as_of = VNDateField(label=_("Tại ngày"), required=False)
    months = forms.IntegerField(label=_("Số tháng tới"), min_value=1, max_value=60, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list(user=user)
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-control form-control-sm"


class WhatIfForm(forms.Form):
    """What to try on a case (`what_if.CHANGEABLE`), and the day to judge it."""

    as_of = VNDateField(label=_("Tại ngày"), required=False)
    dossier_received_on = VNDateField(label=label(AppointmentCase, "dossier_received_on"), required=False)
    dossier_complete_on = VNDateField(label=label(AppointmentCase, "dossier_complete_on"), required=False)
    decision_date = VNDateField(label=_("Ngày quyết định dự kiến"), required=False)
    election_on = VNDateField(label=label(AppointmentCase, "election_on"), required=False)
    seats = forms.IntegerField(label=label(AppointmentCase, "seats"), required=False, min_value=1,
                               max_value=1000)  # fmt: skip

    def __init__(self, *args, case: AppointmentCase, **kwargs):
        super().__init__(*args, **kwargs)
        if case.kind != CaseKind.NOMINATE:
            del self.fields["election_on"], self.fields["seats"]
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-control form-control-sm"

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "as_of" and v is not None}


class QueueForm(CalendarForm):
    """The dismissal queue's filter: a subtree and a date."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        del self.fields["months"]


# --- A case --------------------------------------------------------------------------


class CaseOpenForm(BootstrapFormMixin, forms.Form):
    person = PersonField()
    kind = forms.ChoiceField(label=label(AppointmentCase, "kind"),
                             choices=[("", CHOOSE), *CaseKind.choices])  # fmt: skip
    position = PositionChoiceField(label=_("Chức danh"), queryset=Position.objects.none(),
                                   empty_label=CHOOSE)  # fmt: skip
    competent_unit = UnitChoiceField(
        label=label(AppointmentCase, "competent_unit"), queryset=Unit.objects.none(),
        source="units.edit", help_text="",
    )  # fmt: skip
    internal = forms.BooleanField(label=_("Nhân sự tại chỗ (quy trình năm bước)"), required=False,
                                  initial=True)  # fmt: skip
    opened_on = VNDateField(label=label(AppointmentCase, "opened_on"))
    dossier_received_on = VNDateField(label=label(AppointmentCase, "dossier_received_on"),
                                      required=False)  # fmt: skip
    election_on = VNDateField(label=label(AppointmentCase, "election_on"), required=False,
                              help_text=_("Chỉ với giới thiệu ứng cử."))  # fmt: skip
    seats = forms.IntegerField(label=label(AppointmentCase, "seats"), required=False, min_value=1,
                               max_value=999, help_text=_("Chỉ với giới thiệu ứng cử."))  # fmt: skip
    note = forms.CharField(label=label(AppointmentCase, "note"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].bind(self["person"], user=user)
        self.fields["position"].queryset = position_list(user=user)
        self.fields["position"].error_messages["required"] = _("Hãy chọn chức danh.")
        self.fields["position"].error_messages["invalid_choice"] = _(
            "Chức danh này không có trong phạm vi bạn được xem."
        )
        self.fields["kind"].error_messages["required"] = _("Hãy chọn loại việc.")
        self.fields["opened_on"].error_messages["required"] = _("Hãy nhập ngày bắt đầu quy trình.")
        units = self.fields["competent_unit"]
        units.queryset = unit_list(user=user, action=scope.EDIT)  # = source "units.edit"
        units.error_messages["invalid_choice"] = _("Đơn vị này không có trong phạm vi bạn được sửa.")
        units.error_messages["required"] = _("Hãy chọn cấp có thẩm quyền.")

    def clean(self):
        data = super().clean()
        if data.get("kind") != CaseKind.NOMINATE:
            for name in ("election_on", "seats"):
                if data.get(name) is not None:
                    self.add_error(name, _("Chỉ nhập với hồ sơ giới thiệu ứng cử."))
        return data


class DossierForm(BootstrapFormMixin, forms.Form):
    received_on = VNDateField(label=label(AppointmentCase, "dossier_received_on"), required=False)
    complete_on = VNDateField(label=label(AppointmentCase, "dossier_complete_on"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "dossier")
        super().__init__(*args, **kwargs)


class CloseForm(BootstrapFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=label(AppointmentCase, "outcome"),
                                choices=[("", CHOOSE), *CaseOutcome.choices])  # fmt: skip
    closed_on = VNDateField(label=label(AppointmentCase, "closed_on"))
    decision_number = forms.CharField(label=label(AppointmentCase, "decision_number"),
                                      max_length=60, required=False)  # fmt: skip
    decision_date = VNDateField(label=label(AppointmentCase, "decision_date"), required=False)
    term_start = VNDateField(label=label(AppointmentCase, "term_start"), required=False,
                             help_text=_("Để trống: ngày quyết định."))  # fmt: skip
    term_end = VNDateField(label=label(AppointmentCase, "term_end"), required=False,
                           help_text=_("Để trống: đủ 5 năm."))  # fmt: skip
    note = forms.CharField(label=label(AppointmentCase, "note"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "close")
        super().__init__(*args, **kwargs)
        self.fields["outcome"].error_messages["required"] = _("Hãy chọn kết quả của quy trình.")
        self.fields["closed_on"].error_messages["required"] = _("Hãy nhập ngày kết thúc.")


# --- Steps ---------------------------------------------------------------------------


class StepForm(BootstrapFormMixin, forms.Form):
    number = forms.TypedChoiceField(label=label(CaseStep, "number"), coerce=int,
                                    choices=StepNumber.choices)  # fmt: skip
    held_on = VNDateField(label=label(CaseStep, "held_on"))
    summoned = forms.IntegerField(label=label(CaseStep, "summoned"), min_value=1, max_value=9999)
    present = forms.IntegerField(label=label(CaseStep, "present"), min_value=0, max_value=9999)
    note = forms.CharField(label=label(CaseStep, "note"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "step")
        super().__init__(*args, **kwargs)
        self.fields["held_on"].error_messages["required"] = _("Hãy nhập ngày họp.")
        self.fields["summoned"].error_messages["required"] = _("Hãy nhập số người được triệu tập.")
        self.fields["present"].error_messages["required"] = _("Hãy nhập số người có mặt.")


class StepCloseForm(BootstrapFormMixin, forms.Form):
    closed_on = VNDateField(label=label(CaseStep, "closed_on"))
    head_agrees = forms.TypedChoiceField(
        label=_("Quyết định của người đứng đầu"),
        choices=[("", _("— Không cần —")), ("yes", _("Đồng ý")), ("no", _("Không đồng ý"))],
        coerce=lambda v: v == "yes", empty_value=None, required=False,
        help_text=_("Chỉ khi nhân sự đạt đúng 50% tổng số thành viên."),
    )  # fmt: skip

    def __init__(self, *args, step: CaseStep, **kwargs):
        kwargs.setdefault("prefix", f"close-{step.pk}")
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].error_messages["required"] = _("Hãy nhập ngày kết thúc bước.")


class TallyForm(BootstrapFormMixin, forms.Form):
    ballots_valid = forms.IntegerField(label=label(StepTally, "ballots_valid"), min_value=0,
                                       max_value=9999)  # fmt: skip
    ballots_invalid = forms.IntegerField(label=label(StepTally, "ballots_invalid"), min_value=0,
                                         max_value=9999, initial=0)  # fmt: skip

    def __init__(self, *args, step: CaseStep, **kwargs):
        kwargs.setdefault("prefix", f"tally-{step.pk}")
        super().__init__(*args, **kwargs)
        self.fields["ballots_valid"].error_messages["required"] = _("Hãy nhập số phiếu hợp lệ.")


class TallyLineForm(forms.Form):
    person = PersonField(label=_("Nhân sự"), required=False, help_text="")
    votes_for = forms.IntegerField(label=label(TallyLine, "votes_for"), min_value=0,
                                   max_value=9999, required=False)  # fmt: skip
    votes_against = forms.IntegerField(label=label(TallyLine, "votes_against"), min_value=0,
                                       max_value=9999, required=False)  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].bind(self["person"], user=user)
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-control form-control-sm"
            if isinstance(f, forms.IntegerField):
                f.error_messages["invalid"] = _("Hãy nhập một số nguyên.")

    def clean(self):
        data = super().clean()
        if data.get("person") and data.get("votes_for") is None:
            self.add_error("votes_for", _("Hãy nhập số phiếu đồng ý, giới thiệu."))
        if data.get("votes_for") is not None and not data.get("person") \
                and not self.errors.get("person"):
            self.add_error("person", _("Hãy nhập số định danh của nhân sự."))
        return data


class BaseTallyLines(forms.BaseFormSet):
    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"user": self.user}

    def lines(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms if f.cleaned_data.get("person")]


TallyLines = forms.formset_factory(TallyLineForm, formset=BaseTallyLines, extra=2, max_num=60)


# --- Documents -----------------------------------------------------------------------


class DocumentForm(forms.Form):
    number = forms.CharField(label=_("Số văn bản"), max_length=50, required=False)
    place = forms.CharField(label=_("Địa danh"), max_length=100, required=False)
    on = VNDateField(label=_("Ngày ký"), required=False)
