"""Forms of the confidence-vote and evaluation pages. They adapt input; `services`
validates (scope, C1, the double entry, E1) and writes."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from canbo.core import scope
from canbo.core.forms import BootstrapFormMixin, VNDateField
from canbo.organizations.models import Unit
from canbo.organizations.selectors import unit_list
from canbo.organizations.widgets import UnitChoiceField
from canbo.people.person_box import PersonField

from .choices import TALLY_FIGURES, BaseRule, ExclusionReason, OtherGround
from .models import EvaluationRound, EvaluationScore, VoteSession, VoteSubject, VoteTally
from .pages import CLOSED, OPEN

CHOOSE = _("— Chọn —")
ALL = _("Tất cả")
MAX_COUNT = 100_000


def label(model, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


def count_field(model, name: str, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=label(model, name), min_value=0, max_value=MAX_COUNT, **kwargs)


# --- Lists -----------------------------------------------------------------------------


class FilterForm(forms.Form):
    """The lists' filters: a year, a unit's subtree, open or closed."""

    year = forms.IntegerField(label=_("Năm"), min_value=1900, max_value=2100, required=False)
    unit = UnitChoiceField(label=_("Đơn vị (cả cấp dưới)"), queryset=Unit.objects.none(),
                           required=False, help_text="")  # fmt: skip
    status = forms.ChoiceField(
        label=_("Tình trạng"),
        choices=[("", ALL), (OPEN, _("Đang mở")), (CLOSED, _("Đã kết thúc"))],
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list(user=user)
        self.fields["year"].error_messages["invalid"] = _("Hãy nhập một số nguyên.")
        for f in self.fields.values():
            select = isinstance(f.widget, forms.Select)
            f.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )


class AsOfForm(forms.Form):
    as_of = VNDateField(label=_("Kiểm tra tại ngày"), required=False)

    def date(self, default):
        if self.is_valid() and self.cleaned_data.get("as_of"):
            return self.cleaned_data["as_of"]
        return default


def edit_units(field, user) -> None:
    field.queryset = unit_list(user=user, action=scope.EDIT)  # = source "units.edit"
    field.error_messages["invalid_choice"] = _("Đơn vị này không có trong phạm vi bạn được sửa.")
    field.error_messages["required"] = _("Hãy chọn cơ quan, đơn vị.")


# --- Sessions --------------------------------------------------------------------------


class SessionForm(BootstrapFormMixin, forms.Form):
    unit = UnitChoiceField(label=label(VoteSession, "unit"), queryset=Unit.objects.none(),
                           source="units.edit", help_text="")  # fmt: skip
    year = forms.IntegerField(label=label(VoteSession, "year"), min_value=1900, max_value=2100)
    held_on = VNDateField(label=label(VoteSession, "held_on"))
    summoned = count_field(VoteSession, "summoned")
    present = count_field(VoteSession, "present")
    base_rule = forms.ChoiceField(
        label=label(VoteSession, "base_rule"), required=False,
        choices=[("", _("Theo quy định đang có hiệu lực (C3)")), *BaseRule.choices],
    )  # fmt: skip
    ballots_returned = count_field(VoteSession, "ballots_returned", required=False,
                                   help_text=_("Bắt buộc khi tính tỷ lệ trên số phiếu thu về."))  # fmt: skip
    note = forms.CharField(label=label(VoteSession, "note"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        edit_units(self.fields["unit"], user)
        self.fields["year"].error_messages["required"] = _("Hãy nhập năm lấy phiếu.")
        self.fields["held_on"].error_messages["required"] = _("Hãy nhập ngày lấy phiếu.")
        self.fields["summoned"].error_messages["required"] = _("Hãy nhập số người được triệu tập.")
        self.fields["present"].error_messages["required"] = _("Hãy nhập số người có mặt.")

    def clean_base_rule(self):
        return self.cleaned_data.get("base_rule") or None


class SubjectForm(BootstrapFormMixin, forms.Form):
    person = PersonField()

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("prefix", "subject")
        super().__init__(*args, **kwargs)
        self.fields["person"].bind(self["person"], user=user)


class ExcludeForm(BootstrapFormMixin, forms.Form):
    reason = forms.ChoiceField(label=label(VoteSubject, "exclusion_reason"),
                               choices=[("", CHOOSE), *ExclusionReason.choices])  # fmt: skip
    note = forms.CharField(label=label(VoteSubject, "exclusion_note"), max_length=500,
                           required=False)  # fmt: skip

    def __init__(self, *args, subject: VoteSubject, **kwargs):
        kwargs.setdefault("prefix", f"exclude-{subject.pk}")
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _("Hãy chọn lý do không lấy phiếu.")


class TallyForm(forms.Form):
    """One round of a session's figures: a line of four counts per person voted on
    (`subjects`), named `<person id>-<figure>`. A line left blank is not sent."""

    def __init__(self, *args, subjects, **kwargs):
        kwargs.setdefault("prefix", "tally")
        super().__init__(*args, **kwargs)
        self.subjects = list(subjects)
        for subject in self.subjects:
            for figure in TALLY_FIGURES:
                field = count_field(VoteTally, figure, required=False)
                field.error_messages["invalid"] = _("Hãy nhập một số nguyên.")
                field.widget.attrs.update({
                    "class": "form-control form-control-sm text-end", "inputmode": "numeric",
                    "aria-label": f"{subject.person.full_name}: {field.label}",
                })  # fmt: skip
                self.fields[f"{subject.person_id}-{figure}"] = field

    def lines(self):
        """Per person voted on: (subject, its four bound fields)."""
        return [(s, [self[f"{s.person_id}-{f}"] for f in TALLY_FIGURES]) for s in self.subjects]

    def clean(self):
        data = super().clean()
        for subject in self.subjects:
            names = [f"{subject.person_id}-{f}" for f in TALLY_FIGURES]
            if all(data.get(n) is None for n in names) or any(n in self.errors for n in names):
                continue
            for name in names[:3]:
                if data.get(name) is None:
                    self.add_error(name, _("Hãy nhập số phiếu."))
        return data

    def rows(self) -> list[dict]:
        out = []
        for subject in self.subjects:
            values = {f: self.cleaned_data.get(f"{subject.person_id}-{f}") for f in TALLY_FIGURES}
            if all(v is None for v in values.values()):
                continue
            out.append({"person": subject.person, **values, "invalid": values["invalid"] or 0})
        if not out:
            raise forms.ValidationError(_("Hãy nhập số phiếu của ít nhất một người."))
        return out


class CloseForm(BootstrapFormMixin, forms.Form):
    closed_on = VNDateField(label=label(VoteSession, "closed_on"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "close")
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].error_messages["required"] = _("Hãy nhập ngày kết thúc.")


# --- Evaluation rounds ---------------------------------------------------------------------


class RoundForm(BootstrapFormMixin, forms.Form):
    unit = UnitChoiceField(label=label(EvaluationRound, "unit"), queryset=Unit.objects.none(),
                           source="units.edit", help_text="")  # fmt: skip
    year = forms.IntegerField(label=label(EvaluationRound, "year"), min_value=1900, max_value=2100)
    held_on = VNDateField(label=label(EvaluationRound, "held_on"))
    note = forms.CharField(label=label(EvaluationRound, "note"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        edit_units(self.fields["unit"], user)
        self.fields["year"].error_messages["required"] = _("Hãy nhập năm đánh giá.")
        self.fields["held_on"].error_messages["required"] = _("Hãy nhập ngày đánh giá.")


class ScoreForm(BootstrapFormMixin, forms.Form):
    person = PersonField()
    score = forms.DecimalField(label=label(EvaluationScore, "score"), min_value=0, max_value=100,
                               max_digits=5, decimal_places=2, localize=True,
                               help_text=_("Thang điểm 100; xếp loại do hệ thống tính."))  # fmt: skip
    other_ground = forms.ChoiceField(
        label=label(EvaluationScore, "other_ground"), required=False,
        choices=[("", _("— Không —")), *OtherGround.choices],
        help_text=_("Có căn cứ này thì xếp loại không hoàn thành nhiệm vụ, dù điểm bao nhiêu."),
    )  # fmt: skip
    other_note = forms.CharField(label=label(EvaluationScore, "other_note"), max_length=500,
                                 required=False)  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("prefix", "score")
        super().__init__(*args, **kwargs)
        self.fields["person"].bind(self["person"], user=user)
        score = self.fields["score"]
        score.error_messages.update({
            "required": _("Hãy nhập điểm."), "invalid": _("Hãy nhập một số (ví dụ 85,5)."),
            "min_value": _("Điểm phải từ 0 đến 100."), "max_value": _("Điểm phải từ 0 đến 100."),
            "max_decimal_places": _("Điểm có nhiều nhất hai chữ số thập phân."),
        })  # fmt: skip
