"""Forms of the directive pages: the completion a unit records for its assignment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from canbo.core.forms import BootstrapFormMixin, VNDateField
from canbo.core.validators import validate_line, validate_multiline


class CompletionForm(BootstrapFormMixin, forms.Form):
    """Date (dd/mm/yyyy; empty withdraws the completion), note and evidence; the service
    checks the date (not in the future, not before the directive) and the right."""

    completed_on = VNDateField(
        label=_("Ngày hoàn thành"),
        required=False,
        help_text=_("Để trống để hủy ghi nhận hoàn thành."),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=4000,
                           validators=[validate_multiline], widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    evidence = forms.CharField(
        label=_("Văn bản, kết quả"),
        required=False,
        max_length=300,
        validators=[validate_line],
        help_text=_("Số, ký hiệu văn bản báo cáo hoặc kết quả."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off"}
        )
