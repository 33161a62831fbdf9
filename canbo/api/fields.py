"""Serializer fields with Vietnamese messages for every way an input can fail.

Shared by every API module (people, planning, …) so that a field refuses the
same input with the same words everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from canbo.core.dates import ImpossibleDate, parse_partial_date
from canbo.core.vntext import is_clean_text

MAX_CODE_LENGTH = 50

REQUIRED = _("Trường này là bắt buộc.")
NULL = _("Trường này không được để trống.")
BLANK = _("Trường này không được bỏ trống.")
BAD_TEXT = _("Chuỗi chứa ký tự không hợp lệ.")


class CleanTextInput:
    """Serializer mixin: refuses text no database can store (NUL bytes) before any lookup."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            bad = {
                key: [BAD_TEXT]
                for key, value in data.items()
                if key in self.fields and isinstance(value, str) and not is_clean_text(value)
            }
            if bad:
                raise serializers.ValidationError(bad)
        return super().to_internal_value(data)


def text_field(max_length: int, **kwargs) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length,
        error_messages={
            "required": REQUIRED,
            "null": NULL,
            "blank": BLANK,
            "invalid": _("Giá trị phải là một chuỗi ký tự."),
            "max_length": _("Tối đa {max_length} ký tự."),
        },
        **kwargs,
    )


def choice_field(choices, **kwargs) -> serializers.ChoiceField:
    allowed = ", ".join(str(value) for value, _label in choices)
    return serializers.ChoiceField(
        choices=choices,
        error_messages={
            "required": REQUIRED,
            "null": NULL,
            "invalid_choice": format_lazy(
                _("Giá trị không hợp lệ; chọn một trong: {allowed}."), allowed=allowed
            ),
        },
        **kwargs,
    )


class DayField(serializers.DateField):
    """A whole date; one written as a date that does not exist (31/02/1980) is told so."""

    def to_internal_value(self, value):
        try:
            return super().to_internal_value(value)
        except serializers.ValidationError:
            if isinstance(value, str):
                text = value.strip()[:20]
                try:
                    parse_partial_date(text)
                except ImpossibleDate:
                    self.fail("impossible", value=text)
                except ValueError:
                    pass
            raise


def date_field(**kwargs) -> serializers.DateField:
    return DayField(
        error_messages={
            "required": REQUIRED,
            "null": NULL,
            "invalid": _("Ngày không hợp lệ; hãy viết dd/mm/yyyy hoặc yyyy-mm-dd."),
            "impossible": _("Ngày {value} không tồn tại."),
            "datetime": _("Cần một ngày, không phải ngày giờ."),
        },
        **kwargs,
    )


def integer_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(
        error_messages={
            "required": REQUIRED,
            "null": NULL,
            "invalid": _("Giá trị phải là một số nguyên."),
            "max_value": _("Giá trị không được lớn hơn {max_value}."),
            "min_value": _("Giá trị không được nhỏ hơn {min_value}."),
            "max_string_length": _("Giá trị quá dài."),
        },
        **kwargs,
    )


class CodeField(serializers.SlugRelatedField):
    """A related record named by its code ("XA", "00001", "01")."""

    def __init__(self, *, not_found, **kwargs):
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        # A text box in the browsable API, not a <select> of every unit and area:
        # thousands of rows, and units outside the user's scope.
        kwargs.setdefault("style", {"base_template": "input.html"})
        kwargs["error_messages"] = {
            "required": REQUIRED,
            "null": NULL,
            "invalid": _("Mã không hợp lệ."),
            "does_not_exist": not_found,
        }
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid")
        data = str(data).strip()
        if len(data) > MAX_CODE_LENGTH or not is_clean_text(data):
            self.fail("does_not_exist")
        return super().to_internal_value(data)
