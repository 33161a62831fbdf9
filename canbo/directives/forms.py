"""Forms of the directive pages: the completion a unit records for its assignment, its
progress notes, and the hearing slot an invited unit books."""

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


class NoteForm(BootstrapFormMixin, forms.Form):
    """A progress note: text and an optional file; `services.note_add` checks both (the
    empty text, the file's kind, size and name) and the right."""

    text = forms.CharField(label=_("Nội dung"), required=False, max_length=4000,
                           validators=[validate_multiline], widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    file = forms.FileField(label=_("Tệp đính kèm"), required=False, allow_empty_file=True,
                           help_text=_("Không bắt buộc."))  # fmt: skip


class HearingBookForm(forms.Form):
    """The slot an invited unit books (empty: gives its slot back). Any slot of the
    directive is taken here; the service refuses one another unit holds, naming it."""

    slot = forms.ModelChoiceField(
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("Hãy chọn một buổi trong lịch của văn bản này.")},
    )

    def __init__(self, *args, directive, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = directive.slots.all()
