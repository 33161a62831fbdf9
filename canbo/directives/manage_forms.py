"""Forms of the pages that manage a directive's hearing schedule and the monitoring
groups: a slot, the units chosen for a direct hearing, a group.

Units are typed by their codes (one a line, or separated by commas) and looked up among
the units the user may read (`selectors.visible_units`); every code not found is named in
one message. The services (`editing.slot_add`, `invite`, `group_save`) check the rest.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from canbo.core.forms import BootstrapFormMixin, VNDateField
from canbo.core.validators import validate_line, validate_multiline
from canbo.organizations.models import Unit

from .models import HearingSlot
from .selectors import visible_units
from .unit_codes import split_codes, units_by_code, unknown_message

#: At most this many codes at once (one query, within SQLite's parameter limit).
MAX_CODES = 2000
MAX_CODES_TEXT = 60000


class UnitCodesField(forms.CharField):
    """A text box of unit codes; cleans to the list of codes (see `split_codes`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        kwargs.setdefault("max_length", MAX_CODES_TEXT)
        super().__init__(**kwargs)

    def clean(self, value):
        codes = split_codes(super().clean(value))
        if len(codes) > MAX_CODES:
            raise forms.ValidationError(gettext("Tối đa %(n)d mã đơn vị mỗi lần.") % {"n": MAX_CODES})
        if self.required and not codes:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return codes


class SlotForm(BootstrapFormMixin, forms.Form):
    """A slot of the schedule: day (dd/mm/yyyy), morning or afternoon, place."""

    day = VNDateField(label=_("Ngày"), error_messages={"required": _("Hãy nhập ngày.")})
    session = forms.ChoiceField(
        label=_("Buổi"),
        choices=HearingSlot.Session.choices,
        error_messages={"required": _("Hãy chọn buổi sáng hoặc chiều."),
                        "invalid_choice": _("Hãy chọn buổi sáng hoặc chiều.")},
    )  # fmt: skip
    place = forms.CharField(label=_("Địa điểm"), required=False, max_length=200,
                            validators=[validate_line])  # fmt: skip

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "slot_%s")
        super().__init__(*args, **kwargs)
        self.fields["day"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})


class InviteForm(BootstrapFormMixin, forms.Form):
    """Units chosen for a direct hearing, by code, looked up in the user's sight."""

    units = UnitCodesField(
        label=_("Mã đơn vị"),
        help_text=_("Mỗi dòng một mã, hoặc cách nhau bằng dấu phẩy."),
        error_messages={"required": _("Hãy nhập ít nhất một mã đơn vị.")},
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("auto_id", "invite_%s")
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_units(self) -> list[Unit]:
        units, unknown = units_by_code(visible_units(self.user), self.cleaned_data["units"])
        if unknown:
            raise forms.ValidationError(unknown_message(unknown))
        return units


class GroupForm(BootstrapFormMixin, forms.Form):
    """A monitoring group: name, the owner unit (the department that follows it), its
    units and a note; units by code, in the user's sight (an administrator's: all)."""

    name = forms.CharField(label=_("Tên nhóm"), max_length=200, validators=[validate_line],
                           error_messages={"required": _("Hãy nhập tên nhóm.")})  # fmt: skip
    owner = forms.CharField(
        label=_("Mã đơn vị theo dõi"),
        max_length=50,
        help_text=_("Đơn vị (ban, vụ) theo dõi nhóm: người xem được đơn vị này xem được các "
                    "đơn vị của nhóm."),
        error_messages={"required": _("Hãy nhập mã đơn vị theo dõi.")},
    )  # fmt: skip
    units = UnitCodesField(label=_("Mã các đơn vị của nhóm"), required=False,
                           help_text=_("Mỗi dòng một mã, hoặc cách nhau bằng dấu phẩy."))  # fmt: skip
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=4000,
                           validators=[validate_multiline],
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_owner(self) -> Unit:
        code = self.cleaned_data["owner"].strip()
        units, unknown = units_by_code(visible_units(self.user), [code])
        if unknown:
            raise forms.ValidationError(unknown_message(unknown))
        return units[0]

    def clean_units(self) -> list[Unit]:
        units, unknown = units_by_code(visible_units(self.user), self.cleaned_data["units"])
        if unknown:
            raise forms.ValidationError(unknown_message(unknown))
        return units

    @staticmethod
    def initial_of(group) -> dict:
        codes = group.units.order_by("path").values_list("code", flat=True)
        return {"name": group.name, "owner": group.owner.code, "units": "\n".join(codes),
                "note": group.note}  # fmt: skip
