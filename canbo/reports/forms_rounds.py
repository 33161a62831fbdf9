"""Forms of the report-round pages (issue 16, items 3, 4 and 7). They adapt input;
`services` validate, check the scope and write.

A round's period dates may be left blank: `services.round_create` then takes
`periods.default_period` of the kind, year and quarter or month, which the page shows
(`period_defaults`) and fills in as the administrator picks them.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from canbo.core import scope
from canbo.core.forms import BootstrapFormMixin, VNDateField
from canbo.directives.models import MonitoringGroup
from canbo.directives.selectors import groups_of
from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.organizations.models import Unit
from canbo.organizations.selectors import unit_list
from canbo.organizations.widgets import UnitChoiceField

from .forms import FORMS
from .models import ReportRound, SubmissionCorrection
from .periods import ROMAN, PeriodKind, default_period, needs_number, period_problem
from .spec import FormSpec

NUMBERS = [("", "—"), *[(str(n), format_lazy(_("Quý {q} / tháng {n}"), q=q, n=n))
                        for n, q in zip(range(1, 5), ROMAN, strict=True)],
           *[(str(n), format_lazy(_("Tháng {n}"), n=n)) for n in range(5, 13)]]  # fmt: skip


def label(model, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def period_defaults(kind: str, year, number) -> tuple[tuple[dt.date, dt.date] | None, str]:
    """((start, cut-off), "") by Nghị định 09/2019 practice, or (None, why not) — the
    kind, year and quarter or month as typed (text or numbers)."""
    year, number = _int(year), _int(number)
    if not needs_number(kind):
        number = None
    problem = period_problem(kind, year, number)
    if problem:
        return None, problem
    return default_period(kind, year, number), ""


class RoundForm(BootstrapFormMixin, forms.Form):
    """A new round (`services.round_create`); the editors of the issuing unit."""

    model = ReportRound

    form_codes = forms.MultipleChoiceField(label=_("Các biểu báo cáo"),
                                           widget=forms.CheckboxSelectMultiple)  # fmt: skip
    period_kind = forms.ChoiceField(label=label(ReportRound, "period_kind"),
                                    choices=PeriodKind.choices, initial=PeriodKind.ANNUAL)  # fmt: skip
    year = forms.IntegerField(label=label(ReportRound, "year"), required=False, min_value=1901,
                              max_value=2999)  # fmt: skip
    period_number = forms.TypedChoiceField(
        label=label(ReportRound, "period_number"), choices=NUMBERS, coerce=int, empty_value=None,
        required=False, help_text=_("Kỳ quý: quý 1–4; kỳ tháng: tháng 1–12."),
    )  # fmt: skip
    period_start = VNDateField(label=label(ReportRound, "period_start"), required=False)
    period_end = VNDateField(label=label(ReportRound, "period_end"), required=False)
    deadline = VNDateField(label=label(ReportRound, "deadline"))
    issuing_unit = UnitChoiceField(label=label(ReportRound, "issuing_unit"),
                                   queryset=Unit.objects.none(), source="units.edit")  # fmt: skip
    level = forms.ChoiceField(label=label(ReportRound, "level"),
                              choices=[("", _("— Chọn —")), *UnitLevel.choices])  # fmt: skip
    kind = forms.ChoiceField(label=label(ReportRound, "kind"), required=False,
                             choices=[("", _("Mọi loại đơn vị")), *UnitKind.choices])  # fmt: skip
    within = UnitChoiceField(
        label=label(ReportRound, "within"), queryset=Unit.objects.none(), required=False,
        help_text=_("Các đơn vị của cấp, loại đã chọn trong đơn vị này và các đơn vị trực thuộc; "
                    "để trống: trong đơn vị yêu cầu báo cáo."),
    )  # fmt: skip
    group = forms.ModelChoiceField(
        label=label(ReportRound, "group"), queryset=MonitoringGroup.objects.none(),
        required=False, empty_label=_("— Không chọn —"),
        help_text=_("Hoặc các đơn vị của một nhóm theo dõi (thay cho phạm vi đơn vị)."),
    )  # fmt: skip
    name = forms.CharField(label=label(ReportRound, "name"), max_length=300, required=False,
                           help_text=_("Để trống: “Báo cáo <các biểu> – <kỳ>”."))  # fmt: skip
    note = forms.CharField(label=label(ReportRound, "note"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = user
        self.fields["form_codes"].choices = [(code, f"{code} · {spec.title}")
                                             for code, spec in FORMS.items()]  # fmt: skip
        self.fields["form_codes"].error_messages["required"] = _("Hãy chọn ít nhất một biểu báo cáo.")
        issuing = self.fields["issuing_unit"]
        issuing.queryset = unit_list(user=user, action=scope.EDIT)
        issuing.error_messages["invalid_choice"] = _("Đơn vị này không có trong phạm vi bạn được sửa.")
        issuing.error_messages["required"] = _("Hãy chọn đơn vị yêu cầu báo cáo.")
        self.fields["within"].queryset = unit_list(user=user)
        self.fields["within"].error_messages["invalid_choice"] = _(
            "Đơn vị này không có trong phạm vi bạn được xem.")  # fmt: skip
        self.fields["group"].queryset = groups_of(user).order_by("name")
        self.fields["level"].error_messages["required"] = _("Hãy chọn cấp đơn vị báo cáo.")
        self.fields["deadline"].error_messages["required"] = _("Hãy nhập hạn gửi báo cáo.")

    def clean(self):
        data = super().clean()
        if data.get("within") is not None and data.get("group") is not None:
            self.add_error("group", _("Chọn phạm vi đơn vị hoặc nhóm theo dõi, không chọn cả hai."))
        if not needs_number(data.get("period_kind", "")):
            data["period_number"] = None
        return data

    def defaults(self) -> tuple[tuple[dt.date, dt.date] | None, str]:
        """The period's default dates for what the form holds (`period_defaults`)."""
        source = self.data if self.is_bound else self.initial
        return period_defaults(source.get("period_kind") or PeriodKind.ANNUAL,
                               source.get("year"), source.get("period_number"))  # fmt: skip


class RoundEditForm(BootstrapFormMixin, forms.Form):
    """A round's name, deadline and note (`services.round_update`: its task's deadline and
    its letter's title follow); the period, forms and reporting units are fixed once the
    round is issued."""

    model = ReportRound

    name = forms.CharField(label=label(ReportRound, "name"), max_length=300)
    deadline = VNDateField(label=label(ReportRound, "deadline"))
    note = forms.CharField(label=label(ReportRound, "note"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = user
        self.fields["name"].error_messages["required"] = _("Hãy nhập tên đợt báo cáo.")
        self.fields["deadline"].error_messages["required"] = _("Hãy nhập hạn gửi báo cáo.")


class RoundUnitForm(forms.Form):
    """The unit whose total or reconciliation is shown (a unit the user may read)."""

    unit = UnitChoiceField(label=_("Đơn vị (cả cấp dưới)"), queryset=Unit.objects.none(),
                           required=False, help_text="")  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list(user=user)
        self.fields["unit"].widget.attrs["class"] = "form-control form-control-sm"


class CorrectionForm(BootstrapFormMixin, forms.Form):
    """A count cell of the submission's form, its corrected value and the reason."""

    model = SubmissionCorrection

    row = forms.ChoiceField(label=label(SubmissionCorrection, "row"))
    column = forms.ChoiceField(label=label(SubmissionCorrection, "column"))
    value = forms.IntegerField(label=label(SubmissionCorrection, "corrected"), min_value=0)
    reason = forms.CharField(label=label(SubmissionCorrection, "reason"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, spec: FormSpec, user, **kwargs):
        kwargs.setdefault("prefix", "correct")
        super().__init__(*args, **kwargs)
        self.actor = user
        self.fields["row"].choices = [(r.code, ("— " * r.indent) + str(r.label)) for r in spec.rows]
        self.fields["column"].choices = [
            (c.code, f"{c.group} – {c.label}" if c.group and c.group != c.label else str(c.label))
            for c in spec.count_columns]  # fmt: skip
        self.fields["row"].error_messages["invalid_choice"] = _("Biểu %(form)s không có dòng "
                                                                "này.") % {"form": spec.code}
        self.fields["column"].error_messages["invalid_choice"] = _(
            "Chỉ sửa được ô số lượng của biểu; tỷ lệ, hệ số được tính lại từ các ô số lượng.")
        self.fields["value"].error_messages["required"] = _("Hãy nhập số sửa.")
        self.fields["value"].error_messages["min_value"] = _("Số sửa phải là số nguyên không âm.")
        self.fields["reason"].error_messages["required"] = _("Hãy ghi lý do sửa số liệu.")


class DecisionForm(forms.Form):
    """The upper level's comment on accepting (optional) or returning (required: the
    service says so) a submission; `next` is where to go back ("queue", else the
    submission)."""

    comment = forms.CharField(label=_("Ý kiến"), required=False, max_length=5000)
    next = forms.ChoiceField(choices=[("", ""), ("queue", "queue")], required=False)
