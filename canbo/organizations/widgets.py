"""The searchable unit picker: one box in place of a <select> of hundreds of units.

`UnitChoiceField` is a ModelChoiceField like any other: its queryset (the units the user may
edit, the plan's approvers…) decides what it accepts, and the form posts the unit's pk, so
validation and scope are what they were with a <select>. Its widget, `UnitPicker`, renders:

- a hidden input carrying the pk under the field's name, and
- a text box showing the chosen unit as "CODE · Name", named `<name>_text`.

With JavaScript (static/canbo/autocomplete.js) the text box becomes a combobox: it loses its
name (so only the pk is sent), asks `organizations:unit-pick` for the units of the widget's
*source* (`pickers`) matching what is typed, accents aside, and a chosen suggestion sets the
pk. Without JavaScript the text box is sent as typed: a code, "CODE · Name" (what it shows)
or a name only one unit of the queryset has; the field finds that unit in its own queryset,
so a unit out of scope is refused the same way a hand-made pk is. We chose a text box over
a <select> inside <noscript>: the fallback then stays small and works the same in every form.
"""

from __future__ import annotations

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .forms import SEPARATOR, unit_named
from .models import Unit

TEXT_SUFFIX = "_text"


class TypedUnit(str):
    """What the text box sent (no JavaScript): a code, "CODE · Name" or a name."""


def unit_label(unit: Unit) -> str:
    return f"{unit.code}{SEPARATOR}{unit.name}"


def unit_from_text(units, text: str) -> Unit | None:
    """The unit of `units` that `text` names by its code (alone or before " · "), else by a
    name only one of them has; None when none does (ValidationError when several do)."""
    code = text.split(SEPARATOR, 1)[0].strip()
    found = units.filter(code=code).first() if code else None
    return found or unit_named(units, text.strip())


class UnitPicker(forms.Widget):
    """A unit box with suggestions from the source `source` (see the module docstring)."""

    template_name = "organizations/widgets/unit_picker.html"
    #: Set by ModelChoiceField to its choices, whose queryset limits what the box shows.
    choices = ()

    def __init__(self, source: str = "units.view", params: dict | None = None, attrs=None):
        super().__init__(attrs)
        self.attrs.setdefault("placeholder", _("Tên hoặc mã đơn vị"))
        self.source, self.params = source, dict(params or {})

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.params = copy.copy(self.params)
        return result

    def use_required_attribute(self, initial):
        return False  # the hidden pk is what counts, and the server checks it

    def value_from_datadict(self, data, files, name):
        if name + TEXT_SUFFIX in data:  # the box itself was sent: no JavaScript
            return TypedUnit(data[name + TEXT_SUFFIX])
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + TEXT_SUFFIX not in data

    def chosen(self, value) -> Unit | None:
        """The unit `value` names, looked up in the field's queryset only: a pk posted by
        hand for a unit out of scope shows nothing, not the unit's name."""
        units = getattr(self.choices, "queryset", None)
        if units is None or value in (None, ""):
            return None
        units = units.select_related(None)
        try:
            if isinstance(value, TypedUnit):
                return unit_from_text(units, value)
            return units.filter(pk=getattr(value, "pk", value)).first()
        except (ValueError, TypeError, ValidationError):
            return None

    def url(self) -> str:
        return reverse("organizations:unit-pick") + "?" + urlencode(
            {"source": self.source, **self.params}
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        unit = self.chosen(value)
        typed = str(value) if isinstance(value, TypedUnit) and unit is None else ""
        attrs = dict(widget["attrs"])
        box_id = attrs.pop("id", None) or f"id_{name}"
        widget.update(
            box_attrs=flatatt(attrs),
            pk=unit.pk if unit else "",
            text=unit_label(unit) if unit else typed,
            text_name=name + TEXT_SUFFIX,
            box_id=box_id,
            listbox_id=f"{box_id}-listbox",
            url=self.url(),
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template engine (templates/ beside the apps), not the form renderer's,
        # which reads only the apps' own template folders.
        return render_to_string(self.template_name, self.get_context(name, value, attrs))


class UnitChoiceField(forms.ModelChoiceField):
    """A unit of the queryset, picked in a `UnitPicker` fed by the source `source`."""

    widget = UnitPicker

    def __init__(self, *, source: str = "units.view", **kwargs):
        kwargs.setdefault("widget", UnitPicker(source=source))
        kwargs.setdefault(
            "help_text", _("Gõ tên (không cần dấu) hoặc mã đơn vị rồi chọn trong gợi ý.")
        )
        super().__init__(**kwargs)

    def pick_from(self, source: str, **params) -> None:
        """Suggest from `source` with `params` (the form's own queryset must match it)."""
        self.widget.source, self.widget.params = source, {k: str(v) for k, v in params.items()}

    def label_from_instance(self, obj: Unit) -> str:
        return unit_label(obj)

    def to_python(self, value):
        if not isinstance(value, TypedUnit):
            return super().to_python(value)
        if not value.strip():
            return None
        unit = unit_from_text(self.queryset, value)
        if unit is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return unit
