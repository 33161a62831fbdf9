"""Form helpers shared by the apps: Bootstrap classes, partial dates, service errors."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django import forms
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .dates import (
    IMPOSSIBLE,
    DatePrecision,
    ImpossibleDate,
    format_partial_date,
    parse_partial_date,
)


class PartialDate(NamedTuple):
    date: dt.date
    precision: str

    def __str__(self) -> str:
        return format_partial_date(self.date, self.precision)


class PartialDateField(forms.CharField):
    """One text box for 'dd/mm/yyyy', 'mm/yyyy' or 'yyyy'; cleans to a PartialDate."""

    default_error_messages = {
        "invalid": _("Hãy nhập ngày theo dạng dd/mm/yyyy, mm/yyyy hoặc yyyy (ví dụ 05/03/1980)."),
        "year_range": _("Năm phải nằm trong khoảng %(min)s–%(max)s."),
        "future": _("Ngày này không được ở tương lai."),
    }

    def __init__(self, *, min_year: int = 1900, max_year: int = 2100, past_only=False, **kwargs):
        self.min_year, self.max_year, self.past_only = min_year, max_year, past_only
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "dd/mm/yyyy")
        self.widget.attrs.setdefault("inputmode", "numeric")

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            date, precision = parse_partial_date(text)
        except ImpossibleDate:
            raise ValidationError(IMPOSSIBLE, code="impossible", params={"value": text}) from None
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not self.min_year <= date.year <= self.max_year:
            raise ValidationError(
                self.error_messages["year_range"],
                code="year_range",
                params={"min": self.min_year, "max": self.max_year},
            )
        if self.past_only and date > dt.date.today():
            raise ValidationError(self.error_messages["future"], code="future")
        return PartialDate(date, precision)

    def run_validators(self, value):
        # max_length applies to the text, already checked by the pattern.
        return

    def prepare_value(self, value):
        if isinstance(value, PartialDate):
            return str(value)
        if isinstance(value, dt.date):
            return format_partial_date(value, DatePrecision.DAY)
        return value


class VNDateField(forms.DateField):
    """A full date typed as dd/mm/yyyy."""

    default_error_messages = {"invalid": _("Hãy nhập ngày theo dạng dd/mm/yyyy.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"])
        kwargs.setdefault("widget", forms.DateInput(format="%d/%m/%Y"))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "dd/mm/yyyy")

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            text = str(value or "").strip()[:20]
            try:
                parse_partial_date(text)
            except ImpossibleDate:
                raise ValidationError(
                    IMPOSSIBLE, code="impossible", params={"value": text}
                ) from None
            except ValueError:
                pass
            raise


class ReadOnce(BaseChoiceIterator):
    """Choices read when first drawn and kept: two selects offering the same list (a
    model's rows) share one query. Nothing is read for a form that is not drawn."""

    def __init__(self, choices):
        self.choices = choices
        self.read = None

    def __iter__(self):
        if self.read is None:
            self.read = list(iter(self.choices))  # list() of the choices would count them first
        return iter(self.read)


class RowChoices:
    """A model choice field's options read as plain values, not model instances: the
    `to_field_name` (else the key) and the `label` column, in the queryset's order,
    after the field's empty choice. The same options as the field's own when `label`
    is what the model's `__str__` shows (a catalogue's name). Read when iterated; wrap
    in `ReadOnce` to read once."""

    def __init__(self, field: forms.ModelChoiceField, label: str):
        self.field, self.label = field, label

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.field.queryset.values_list(self.field.to_field_name or "pk", self.label)


def _frozen_choices(choices) -> tuple:
    """Choices (or attributes) as a key: each value and label with its type (a safe string
    and a plain one, 1 and "1", draw differently); option groups as tuples."""
    out = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            label = _frozen_choices(label)
        elif isinstance(label, Promise):  # translated once here, not on each hash and ==
            label = (label.__class__, str(label))
        out.append((value.__class__, value, label.__class__, label))
    return tuple(out)


class KeptSelect(forms.Select):
    """A select box drawn once and kept for the same name, selected value, attributes,
    options, language and renderer: the options' dictionaries Django builds and the
    markup are the same for every request showing the same list (the people list's
    filter form draws ten selects, 170 options, on each page). The options are read
    on each drawing (a catalogue's rows, plain values), so a changed catalogue makes
    a new key: nothing is kept across a change."""

    #: Markup by key; emptied when it holds `KEEP` entries (any value can be asked for).
    kept: dict[tuple, str] = {}
    KEEP = 256

    def render(self, name, value, attrs=None, renderer=None):
        if not isinstance(self.choices, ReadOnce):  # read once, for the key and the drawing
            self.choices = ReadOnce(self.choices)
        choices = self.choices
        attrs = self.build_attrs(self.attrs, attrs)
        key = (
            self.__class__, self.template_name, self.option_template_name, self.is_localized,
            name, tuple(self.format_value(value)), _frozen_choices(attrs.items()),
            _frozen_choices(choices), get_language(), renderer,
        )  # fmt: skip
        markup = self.kept.get(key)
        if markup is None:
            markup = super().render(name, value, attrs, renderer)
            if len(self.kept) >= self.KEEP:
                self.kept.clear()
            self.kept[key] = markup
        return markup


class BootstrapFormMixin:
    """Bootstrap 5 classes on every widget, and 'is-invalid' on fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if isinstance(field, forms.IntegerField):
                field.error_messages["invalid"] = _("Hãy nhập một số nguyên.")

    def full_clean(self):
        super().full_clean()
        self.mark_invalid()

    def mark_invalid(self):
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()


def add_service_errors(form: forms.BaseForm, error: ValidationError, model=None, aliases=None):
    """Put a service's ValidationError on the form: on the matching field, else on top."""
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            target = aliases.get(name, name)
            if target in form.fields:
                form.add_error(target, list(messages))
                continue
            label = ""
            if model is not None and name != "__all__":
                try:
                    label = str(model._meta.get_field(name).verbose_name)
                except FieldDoesNotExist:
                    label = name
            for message in messages:
                form.add_error(None, f"{label.capitalize()}: {message}" if label else message)
    else:
        for message in error.messages:
            form.add_error(None, message)
    if isinstance(form, BootstrapFormMixin):
        form.mark_invalid()


def service_call(form, function, *, denied: str = "", **kwargs):
    """Run a service write for a page's form: `function(actor=form.actor, **kwargs)`.

    Its ValidationError goes on the form's fields (`add_service_errors`, with `form.model`
    for the labels), a PermissionDenied and a row written twice at one moment on top (in
    Vietnamese). Returns the service's answer, or None when it refused."""
    try:
        return function(actor=form.actor, **kwargs)
    except ValidationError as error:
        add_service_errors(form, error, model=getattr(form, "model", None))
    except PermissionDenied as error:
        form.add_error(None, str(error) or denied or _("Bạn không có quyền sửa mục này."))
    except IntegrityError:  # the same row written twice at one moment
        form.add_error(None, _("Dữ liệu vừa được thay đổi cùng lúc; hãy thử lại."))
    return None
