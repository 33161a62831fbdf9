"""The form renderer: Django's templates, with select boxes and inputs written in Python.

A select with a few dozen options cost about 8 ms through the widget templates (one
`{% include %}` of the option template, and one of the attributes template, per option):
the people list's filter form spent 35 ms of its page there (issue 18). `QuickRenderer`
writes the markup of Django's own `select.html` / `select_option.html` / `attrs.html`
directly, with the same filters and escaping, so the HTML is the same byte for byte
(tests/core/test_renderers.py compares the two); so does it for `input.html` (text,
number, date… boxes). Any other widget, or a select whose options' template was
changed, goes through the templates as before.
"""

from __future__ import annotations

import html

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
#: The widgets whose template is django/forms/widgets/input.html alone.
INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("text", "number", "email", "url", "tel", "search", "password", "hidden")
    + ("date", "datetime", "time")
)


def _text(value, context: Context) -> str:
    """`{{ value }}` in a template: localized, escaped (a plain string is only escaped)."""
    if value.__class__ is str:
        return html.escape(value)  # what django.utils.html.escape does to it
    return render_value_in_context(value, context)


def value_html(value) -> str:
    """`{{ value }}` in a page's template (localized, escaped), for markup written in
    Python with the templates' output (the people list's rows)."""
    return _text(value, _PAGE)


_PAGE = Context()


def _formatted(value, context: Context) -> str:
    """`{{ value|stringformat:'s' }}` in a template."""
    return _text(value if value.__class__ is str else stringformat(value, "s"), context)


def _attrs(attrs: dict, context: Context) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(" " + _text(name, context))
        if value is not True:
            out.append('="' + _formatted(value, context) + '"')
    return "".join(out)


def render_select(widget: dict) -> str:
    """django/forms/widgets/select.html for a widget's context, without the templates."""
    context = Context()
    out = ['<select name="', _text(widget["name"], context), '"']
    out.append(_attrs(widget["attrs"], context) + ">")
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append('\n  <optgroup label="' + _text(group_name, context) + '">')
        for option in group_choices:
            out.append('\n  <option value="')
            out.append(_formatted(option["value"], context) + '"')
            out.append(_attrs(option["attrs"], context) + ">")
            out.append(_text(option["label"], context) + "</option>\n")
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out).strip()


def render_input(widget: dict) -> str:
    """django/forms/widgets/input.html for a widget's context, without the templates."""
    context = Context()
    out = ['<input type="', _text(widget["type"], context), '" name="']
    out.append(_text(widget["name"], context) + '"')
    if widget["value"] != None:  # noqa: E711 (the template's comparison)
        out.append(' value="' + _formatted(widget["value"], context) + '"')
    out.append(_attrs(widget["attrs"], context) + ">")
    return "".join(out)


def _plain_select(template_name: str, context: dict) -> bool:
    widget = context.get("widget")
    return (
        template_name == SELECT
        and isinstance(widget, dict)
        and "optgroups" in widget
        and all(
            option.get("template_name") == OPTION
            for _name, options, _index in widget["optgroups"]
            for option in options
        )
    )


class QuickRenderer(DjangoTemplates):
    """Django's default form renderer; plain select boxes and inputs are written in Python."""

    def render(self, template_name, context, request=None):
        if _plain_select(template_name, context):
            return render_select(context["widget"])
        if template_name in INPUTS and isinstance(context.get("widget"), dict):
            return render_input(context["widget"])
        return super().render(template_name, context, request=request)
