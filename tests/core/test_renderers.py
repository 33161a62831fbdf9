"""The quick form renderer writes select boxes exactly as Django's templates do."""

import datetime as dt

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from canbo.core.renderers import QuickRenderer
from canbo.people import selectors
from canbo.people.forms import PersonForm, PersonListFilter

TEMPLATES = DjangoTemplates()
QUICK = QuickRenderer()


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Tất cả"), ("a", "A & B"), (1, "<b>một</b>")])
    safe = forms.ChoiceField(choices=[("x", mark_safe("<i>x</i>")), ("y", gettext_lazy("Có"))])
    grouped = forms.ChoiceField(
        choices=[
            ("", "—"),
            ("Miền Bắc", [("hn", "Hà Nội"), ("hp", 'Hải "Phòng"')]),
            ("Miền Nam", [("hcm", "TP. Hồ Chí Minh")]),
        ]
    )
    many = forms.MultipleChoiceField(choices=[(2, 2000), (3, 3.5), ("z", "Z")])
    flag = forms.NullBooleanField(widget=forms.NullBooleanSelect)
    attrs = forms.ChoiceField(
        choices=[("a", "A")],
        widget=forms.Select(
            attrs={"class": "form-select", "disabled": True, "hidden": False, "data-x": 'a"<'}
        ),
    )
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": "Họ <tên>", "x": True}))
    number = forms.IntegerField(min_value=0)
    hidden = forms.CharField(widget=forms.HiddenInput, initial='a"b')
    email = forms.EmailField(required=False)
    day = forms.DateField(widget=forms.DateInput(format="%d/%m/%Y"), initial=dt.date(2026, 1, 2))
    secret = forms.CharField(widget=forms.PasswordInput)
    area = forms.CharField(widget=forms.Textarea)


def rendered(form_class, renderer, *args, **kwargs):
    form = form_class(*args, renderer=renderer, **kwargs)
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"plain": "1", "safe": "y", "grouped": "hp", "many": ["2", "z"], "flag": "true"},
        {"plain": "a", "grouped": "nowhere", "many": ["3"], "flag": "false", "number": "1000"},
        {"text": "<b>&amp;</b>", "number": "x", "email": "a@b", "day": "", "secret": "s"},
    ],
)
def test_the_same_html_as_the_templates(data):
    assert rendered(Sample, QUICK, data) == rendered(Sample, TEMPLATES, data)


def test_select_boxes_skip_the_templates(monkeypatch):
    calls = []
    original = DjangoTemplates.render

    def spy(self, template_name, *args, **kwargs):
        calls.append(template_name)
        return original(self, template_name, *args, **kwargs)

    monkeypatch.setattr(DjangoTemplates, "render", spy)
    html = rendered(Sample, QUICK, None)
    assert 'name="plain"' in html["plain"]
    assert calls == ["django/forms/widgets/textarea.html"]


def test_the_project_renders_forms_with_it():
    assert settings.FORM_RENDERER == "canbo.core.renderers.QuickRenderer"


def test_the_people_forms_are_unchanged(world, admin_user):
    for data in (None, {"search": "ánh", "sex": "F", "ethnicity": "1", "degree": "4"}):
        pages = []
        for renderer in (QUICK, TEMPLATES):
            filterset = PersonListFilter(
                data, queryset=selectors.person_list(user=admin_user), user=admin_user
            )
            filterset.form.renderer = renderer
            pages.append({name: str(filterset.form[name]) for name in filterset.form.fields})
        assert pages[0] == pages[1]
        assert pages[0]["ethnicity"].count("<option") > 50
        # Both title selects offer the titles (read once, drawn twice).
        titles = pages[0]["position_title"]
        assert pages[0]["also_holds"].replace("also_holds", "position_title") == titles
    person_form = rendered(PersonForm, QUICK, user=admin_user)
    assert person_form == rendered(PersonForm, TEMPLATES, user=admin_user)
    assert "<select" in "".join(person_form.values())
