"""Forms of the pages that write directives, tasks and assignments.

They only read and resolve what was typed: a unit by its code (or the unit box's
"CODE · Name"), a directive by its number, a person by their personal ID number, each
through a scoped lookup so that a record out of the user's sight reads "not found". The
rights and the rules are checked by `services` and `editing`.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from canbo.core import scope
from canbo.core.forms import BootstrapFormMixin, VNDateField
from canbo.core.validators import validate_line, validate_multiline
from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.organizations.models import Unit
from canbo.people.forms import unit_suggest_input
from canbo.people.selectors import person_list

from .choices import Deliverable, DirectiveKind
from .models import Directive, MonitoringGroup, Task
from .selectors import groups_of, visible_directives, visible_units
from .unit_codes import SEPARATOR, code_of, split_codes, units_by_code, unknown_message

UNIT_NOT_FOUND = _lazy("Không tìm thấy đơn vị này.")
MAX_CODES = 200


def unit_box(**kwargs) -> forms.CharField:
    """A unit's code; `suggest` makes it the unit box once the URLs are loaded."""
    return forms.CharField(max_length=250, **kwargs)


def suggest(form: forms.Form) -> None:
    """The unit boxes of `form` suggest units as one types (unit-suggest.js); here they
    only suggest: leaving one must not send the form."""
    attrs = {**unit_suggest_input().attrs, "data-suggest-only": "1"}
    for name in ("issuing_unit", "implements_unit", "lead_unit", "unit"):
        if name in form.fields:
            form.fields[name].widget.attrs.update(attrs)


def unit_text(unit: Unit | None) -> str:
    return f"{unit.code}{SEPARATOR}{unit.name}" if unit is not None else ""


def resolve_unit(units, text: str) -> Unit | None:
    """The unit of `units` (a scoped queryset) whose code `text` gives; None if none."""
    code = code_of(text)
    if not code:
        return None
    return units.filter(code=code).first()


def visible_unit(user, text: str) -> Unit | None:
    """The unit a box names among those the user may read; None for an empty box."""
    if not code_of(text):
        return None
    unit = resolve_unit(visible_units(user), text)
    if unit is None:
        raise forms.ValidationError(UNIT_NOT_FOUND)
    return unit


class DirectiveForm(BootstrapFormMixin, forms.Form):
    """A directive's fields; the issuing unit among those the user may edit, the directive
    it implements among those the user may read (by number; the issuing unit's code when
    two directives share the number)."""

    kind = forms.ChoiceField(label=_lazy("Loại văn bản"), choices=DirectiveKind.choices)
    number = forms.CharField(label=_lazy("Số, ký hiệu"), max_length=50, validators=[validate_line],
                             widget=forms.TextInput(attrs={"placeholder": _lazy("vd. 120-KH/TU")}))  # fmt: skip
    issued_on = VNDateField(label=_lazy("Ngày ban hành"))
    issuing_unit = unit_box(label=_lazy("Cơ quan ban hành"))
    title = forms.CharField(label=_lazy("Trích yếu"), max_length=500, validators=[validate_line])
    summary = forms.CharField(label=_lazy("Tóm tắt"), required=False, max_length=10000,
                              validators=[validate_multiline],
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    implements = forms.CharField(
        label=_lazy("Thực hiện văn bản (số, ký hiệu)"), required=False, max_length=50,
        help_text=_lazy("Không bắt buộc. Ví dụ: 42-NQ/TW."),
    )  # fmt: skip
    implements_unit = unit_box(
        label=_lazy("Cơ quan ban hành văn bản được thực hiện"), required=False,
        help_text=_lazy("Chỉ cần khi nhiều văn bản có cùng số, ký hiệu."),
    )  # fmt: skip
    file = forms.FileField(label=_lazy("Tệp văn bản"), required=False, allow_empty_file=True,
                           help_text=_lazy("Bản đã ký (không bắt buộc)."))  # fmt: skip
    remove_file = forms.BooleanField(label=_lazy("Xóa tệp"), required=False)

    def __init__(self, *args, user, directive: Directive | None = None, **kwargs):
        self.user, self.directive = user, directive
        if directive is not None and "initial" not in kwargs:
            implements = directive.implements
            kwargs["initial"] = {
                "kind": directive.kind, "number": directive.number,
                "issued_on": directive.issued_on, "issuing_unit": unit_text(directive.issuing_unit),
                "title": directive.title, "summary": directive.summary,
                "implements": implements.number if implements else "",
                "implements_unit": implements.issuing_unit.code if implements else "",
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        suggest(self)
        if directive is None or not directive.file_name:
            del self.fields["remove_file"]

    def clean_issuing_unit(self) -> Unit:
        unit = resolve_unit(scope.restrict(Unit.objects.all(), self.user, scope.EDIT),
                            self.cleaned_data["issuing_unit"])  # fmt: skip
        if unit is None:
            raise forms.ValidationError(UNIT_NOT_FOUND)
        return unit

    def clean(self):
        data = super().clean()
        number = (data.get("implements") or "").strip()
        data["implements"] = None
        if not number:
            return data
        found = visible_directives(self.user).filter(number=number)
        code = code_of(data.get("implements_unit") or "")
        if code:
            found = found.filter(issuing_unit__code=code)
        found = list(found.select_related("issuing_unit").order_by("pk")[:2])
        if not found:
            self.add_error("implements", _("Không tìm thấy văn bản này."))
        elif len(found) > 1:
            self.add_error("implements_unit", _("Có nhiều văn bản số %(number)s: hãy ghi mã cơ "
                                                "quan ban hành.") % {"number": number})  # fmt: skip
        else:
            data["implements"] = found[0]
        return data

    def directive_fields(self) -> dict:
        names = ("kind", "number", "issued_on", "issuing_unit", "title", "summary", "implements")
        return {name: self.cleaned_data[name] for name in names}


class TaskForm(BootstrapFormMixin, forms.Form):
    """A task of `directive`. Units by code among those the user may read; the leader by
    personal ID number among the people the user may read; a deadline as a date or as a
    number of working days after the start (the service computes the date)."""

    parent = forms.ModelChoiceField(label=_lazy("Thuộc mục"), queryset=Task.objects.none(),
                                    required=False, empty_label=_lazy("(không)"))  # fmt: skip
    order = forms.IntegerField(label=_lazy("Số thứ tự"), required=False, min_value=1,
                               max_value=100000, help_text=_lazy("Để trống: số tiếp theo."))  # fmt: skip
    content = forms.CharField(label=_lazy("Nội dung"), max_length=10000,
                              validators=[validate_multiline],
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    lead_unit = unit_box(label=_lazy("Đơn vị chủ trì"), required=False)
    coordinating_units = forms.CharField(
        label=_lazy("Đơn vị phối hợp"), required=False, max_length=10000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_lazy("Mã đơn vị, mỗi dòng một mã hoặc cách nhau bởi dấu phẩy."),
    )  # fmt: skip
    leader = forms.CharField(
        label=_lazy("Lãnh đạo phụ trách (số định danh cá nhân)"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip
    deliverable = forms.ChoiceField(label=_lazy("Sản phẩm"), choices=Deliverable.choices,
                                    initial=Deliverable.REPORT)  # fmt: skip
    start_on = VNDateField(label=_lazy("Ngày bắt đầu"), required=False)
    working_days = forms.IntegerField(
        label=_lazy("Thời hạn (số ngày làm việc)"), required=False, min_value=1, max_value=10000,
        help_text=_lazy("Hoặc ghi thời hạn là một ngày; không ghi cả hai."),
    )  # fmt: skip
    deadline = VNDateField(label=_lazy("Thời hạn (ngày)"), required=False)
    cancelled_on = VNDateField(label=_lazy("Ngày hủy"), required=False,
                               help_text=_lazy("Để trống: nhiệm vụ không bị hủy."))  # fmt: skip
    cancel_reason = forms.CharField(label=_lazy("Lý do hủy"), required=False, max_length=4000,
                                    validators=[validate_multiline],
                                    widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, user, directive: Directive, task: Task | None = None, **kwargs):
        self.user, self.directive, self.task = user, directive, task
        self.kept_leader = None  # a leader out of the user's sight, kept while the box is empty
        shown = False
        if task is not None and task.leader_id:
            shown = person_list(user=user).filter(pk=task.leader_id).exists()
            self.kept_leader = None if shown else task.leader
        if task is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "parent": task.parent_id, "order": task.order, "content": task.content,
                "lead_unit": unit_text(task.lead_unit),
                "coordinating_units": "\n".join(u.code for u in task.coordinating_units.order_by("path")),
                "leader": task.leader.id_number if shown else "",
                "deliverable": task.deliverable, "start_on": task.start_on,
                "working_days": task.working_days,
                "deadline": None if task.working_days else task.deadline,
                "cancelled_on": task.cancelled_on, "cancel_reason": task.cancel_reason,
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        suggest(self)
        parents = directive.tasks.order_by("order", "pk")
        if task is not None:
            parents = parents.exclude(pk=task.pk)
            if self.kept_leader is not None:
                self.fields["leader"].help_text = _("Để trống để giữ: %(name)s.") % {
                    "name": self.kept_leader.full_name}  # fmt: skip
        else:
            del self.fields["cancelled_on"], self.fields["cancel_reason"]
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda t: f"{t.order}. {t.content[:80]}"
        self.fields["parent"].error_messages["invalid_choice"] = _(
            "Hãy chọn một nhiệm vụ của văn bản này.")  # fmt: skip

    def clean_lead_unit(self) -> Unit | None:
        return visible_unit(self.user, self.cleaned_data["lead_unit"])

    def clean_coordinating_units(self) -> list[Unit]:
        codes = split_codes(self.cleaned_data["coordinating_units"])
        if len(codes) > MAX_CODES:
            raise forms.ValidationError(_("Tối đa %(n)d đơn vị phối hợp.") % {"n": MAX_CODES})
        units, unknown = units_by_code(visible_units(self.user), codes)
        if unknown:
            raise forms.ValidationError(unknown_message(unknown))
        return units

    def clean_leader(self):
        text = "".join((self.cleaned_data["leader"] or "").split())
        if not text:
            return self.kept_leader
        person = None
        if re.fullmatch(r"[0-9]{12}", text):
            person = person_list(user=self.user).filter(id_number=text).first()
        if person is None:
            raise forms.ValidationError(_("Không tìm thấy cán bộ có số định danh này."))
        return person

    def clean(self):
        data = super().clean()
        if data.get("working_days") and data.get("deadline"):
            self.add_error("deadline", _("Hãy ghi số ngày làm việc hoặc thời hạn, không ghi cả hai."))
        return data

    def task_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in ("parent", "content", "lead_unit", "leader",
                                                "deliverable", "start_on", "working_days")}  # fmt: skip
        fields["content"] = fields["content"].strip()
        fields["deadline"] = None if data["working_days"] else data["deadline"]
        if data.get("order"):
            fields["order"] = data["order"]
        elif self.task is not None:
            fields["order"] = self.task.order
        if self.task is not None:
            fields["cancelled_on"] = data["cancelled_on"]
            fields["cancel_reason"] = (data["cancel_reason"].strip() if data["cancelled_on"]
                                       else "")  # fmt: skip
        return fields


class AssignForm(BootstrapFormMixin, forms.Form):
    """Every unit of a level (and kind) under a unit or in a monitoring group."""

    level = forms.ChoiceField(label=_lazy("Cấp"), choices=UnitLevel.choices)
    kind = forms.ChoiceField(label=_lazy("Loại đơn vị"), required=False,
                             choices=[("", _lazy("(mọi loại)")), *UnitKind.choices])  # fmt: skip
    unit = unit_box(label=_lazy("Trong đơn vị"), required=False,
                    help_text=_lazy("Các đơn vị trực thuộc đơn vị này (mọi cấp dưới)."))  # fmt: skip
    group = forms.ModelChoiceField(label=_lazy("Hoặc nhóm đơn vị theo dõi"), required=False,
                                   queryset=MonitoringGroup.objects.none(),
                                   empty_label=_lazy("(không chọn)"))  # fmt: skip
    on = VNDateField(label=_lazy("Tính tại ngày"), required=False,
                     help_text=_lazy("Để trống: ngày bắt đầu của nhiệm vụ, hoặc ngày ban hành."))  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        suggest(self)
        groups = groups_of(user)  # every group for an administrator
        self.fields["group"].queryset = groups.order_by("name")
        self.fields["group"].error_messages["invalid_choice"] = _("Hãy chọn một nhóm trong danh sách.")

    def clean_unit(self) -> Unit | None:
        return visible_unit(self.user, self.cleaned_data["unit"])

    def clean(self):
        data = super().clean()
        if "unit" in data and "group" in data:
            if data["unit"] is None and data["group"] is None:
                self.add_error("unit", _("Hãy chọn một đơn vị hoặc một nhóm."))
            elif data["unit"] is not None and data["group"] is not None:
                self.add_error("unit", _("Hãy chọn một đơn vị hoặc một nhóm, không chọn cả hai."))
        return data
