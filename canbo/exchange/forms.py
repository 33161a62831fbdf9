"""Forms of the data package pages: export (unit and format) and import (one file)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from canbo.core.forms import BootstrapFormMixin

from .exporter import ExportError, Selection, selection_for
from .readers import max_bytes
from .registry import registry
from .uploads import too_large_message

UNIT_SELECT_LIMIT = 300
FORMATS = [("xlsx", _("Excel (.xlsx)")), ("json", _("JSON (.json)"))]


class ExportForm(BootstrapFormMixin, forms.Form):
    """Which unit subtree to export, and in which format; checks the unit is in scope."""

    unit = forms.CharField(
        label=_("Đơn vị"),
        required=False,
        max_length=64,
        help_text=_("Xuất đơn vị này cùng mọi đơn vị, cán bộ, hồ sơ bên dưới."),
    )
    format = forms.ChoiceField(label=_("Định dạng"), choices=FORMATS, initial="xlsx")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.selection: Selection | None = None
        units = registry.root().options(user, UNIT_SELECT_LIMIT)
        field = self.fields["unit"]
        everything = _("Toàn bộ phạm vi của tôi")
        if len(units) <= UNIT_SELECT_LIMIT:
            base = min((u.depth for u in units), default=1)
            field.widget = forms.Select(
                choices=[("", everything)]
                + [(u.code, "\u2003" * (u.depth - base) + f"{u.name} ({u.code})") for u in units],
                attrs={"class": "form-select"},
            )
        else:
            field.widget.attrs["placeholder"] = _("Mã đơn vị (để trống: %(all)s)") % {
                "all": everything
            }

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.selection = selection_for(user=self.user, unit_code=data.get("unit") or None)
        except ExportError as error:
            self.add_error("unit", str(error))
        return data


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Tệp gói dữ liệu"),
        help_text=_("Tệp Excel .xlsx (theo tệp mẫu) hoặc gói JSON."),
        error_messages={
            "required": _("Hãy chọn tệp gói dữ liệu cần nhập."),
            "empty": _("Tệp rỗng."),
            "invalid": _("Không nhận được tệp; hãy chọn lại."),
            "missing": _("Không nhận được tệp; hãy chọn lại."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.json"}),
    )

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.fields["file"].help_text = _(
            "Tệp Excel .xlsx (theo tệp mẫu) hoặc gói JSON, tối đa %(limit)s."
        ) % {"limit": f"{max_bytes() / (1024 * 1024):.0f} MB"}

    def full_clean(self):
        super().full_clean()
        if self.too_large and self.is_bound:
            # The upload handler dropped the file for its size: say so, not "choose a file".
            self._errors["file"] = self.error_class([too_large_message()])
            self.cleaned_data.pop("file", None)
            self.mark_invalid()

    def refuse(self, message: str) -> None:
        """An error found after validation (the file could not be stored)."""
        self.add_error("file", message)
        self.mark_invalid()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size is not None and upload.size > max_bytes():
            raise forms.ValidationError(too_large_message(upload.size))
        return upload
