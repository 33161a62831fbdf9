"""What the people list keeps between requests draws the same as what it replaced (issue 18):
kept select boxes, catalogue options read as plain rows, shallow-copied filters and
addresses reversed once."""

import django_filters
import pytest
from django import forms
from django.template import engines
from django.urls import reverse, set_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from canbo.core.filtersets import LightFilterSet
from canbo.core.forms import KeptSelect, ReadOnce, RowChoices
from canbo.organizations.models import PositionTitle
from canbo.people.models import Ethnicity, Person

CHOICES = [
    ("", gettext_lazy("Tất cả")),
    ("a", "A & B"),
    (1, "<b>một</b>"),
    ("s", mark_safe("<i>s</i>")),
    ("Nhóm", [("x", "X"), ("y", 'Y "y"')]),
]


class Plain(forms.Form):
    choice = forms.ChoiceField(choices=CHOICES, required=False)
    titles = forms.ModelChoiceField(
        PositionTitle.objects.all(), to_field_name="code", required=False, empty_label="—"
    )
    ethnicity = forms.ModelChoiceField(Ethnicity.objects.all(), required=False)


class Kept(Plain):
    """The same fields, drawn by KeptSelect, the catalogues read as plain rows."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget = KeptSelect(attrs={"class": "form-select"}, choices=field.widget.choices)
        self.fields["titles"].widget.choices = ReadOnce(RowChoices(self.fields["titles"], "name"))
        ethnicity = self.fields["ethnicity"]
        ethnicity.widget.choices = ReadOnce(RowChoices(ethnicity, "name"))


class PlainStyled(Plain):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


def drawn(form_class, data=None) -> dict[str, str]:
    form = form_class(data)
    form.is_valid()
    return {name: str(form[name]) for name in form.fields}


@pytest.fixture
def catalogues(db):
    PositionTitle.objects.create(code="BT", name="Bí thư <Tỉnh ủy>", level="province", rank=9)
    PositionTitle.objects.create(code="PBT", name="Phó Bí thư & CT", level="province", rank=8)
    Ethnicity.objects.get_or_create(code="01", defaults={"name": "Kinh", "is_minority": False})
    Ethnicity.objects.get_or_create(code="02", defaults={"name": "Tày"})


@pytest.mark.parametrize(
    "data",
    [None, {"choice": "1", "titles": "PBT"}, {"choice": "y", "titles": "nowhere"}, {"choice": "s"}],
)
def test_kept_selects_draw_as_django_does(catalogues, data):
    for _ in range(2):  # drawn, then kept
        assert drawn(Kept, data) == drawn(PlainStyled, data)
    with override("en"):
        assert drawn(Kept, data) == drawn(PlainStyled, data)


def test_a_changed_catalogue_is_drawn_at_once(catalogues, django_assert_num_queries):
    before = drawn(Kept)["titles"]
    title = PositionTitle.objects.get(code="BT")
    title.name = "Bí thư Tỉnh ủy (mới)"
    title.save()
    PositionTitle.objects.bulk_create(
        [PositionTitle(code="UV", name="Ủy viên", level="province", rank=1)]
    )
    after = drawn(Kept)["titles"]
    assert after != before
    assert after == drawn(PlainStyled)["titles"]
    assert "Bí thư Tỉnh ủy (mới)" in after and 'value="UV"' in after
    form = Kept()
    with django_assert_num_queries(1):  # the kept markup still reads the rows
        str(form["titles"])


def test_kept_markup_is_bounded(catalogues, monkeypatch):
    monkeypatch.setattr(KeptSelect, "kept", {})
    monkeypatch.setattr(KeptSelect, "KEEP", 3)
    for value in "abcdefg":
        drawn(Kept, {"choice": value})
    assert len(KeptSelect.kept) <= 3


class Sample(LightFilterSet):
    name = django_filters.CharFilter(method="filter_name")

    class Meta:
        model = Person
        fields = ["name", "sex"]

    def filter_name(self, queryset, name, value):
        self.called = value
        return queryset.filter(full_name=value)


def test_light_filter_sets_own_their_filters(db):
    first = Sample({"name": "An"}, queryset=Person.objects.all())
    second = Sample({"name": "Bình"}, queryset=Person.objects.all())
    for filterset in (first, second):
        assert set(filterset.filters) == {"name", "sex"}
        for name, filter_ in filterset.filters.items():
            assert filter_ is not Sample.base_filters[name]
            assert filter_.parent is filterset and filter_.model is Person
        filterset.qs  # noqa: B018 (runs the filters)
    assert (first.called, second.called) == ("An", "Bình")
    assert first.form.fields["name"] is not second.form.fields["name"]
    assert not hasattr(Sample.base_filters["name"], "parent")
    assert "Bình" in str(second.qs.query)


def test_fixed_url_is_the_url_tag():
    names = ["home", "people:list", "directives:todo", "accounts:logout"]
    template = engines["django"].from_string(
        "{% load canbo_tags %}" + "|".join(f"{{% fixed_url '{n}' %}}" for n in names)
    )
    assert template.render({}) == "|".join(reverse(n) for n in names)


def test_fixed_url_follows_the_script_prefix():
    """Served under a sub-path (SCRIPT_NAME), the addresses carry it; back at the root, not."""
    template = engines["django"].from_string("{% load canbo_tags %}{% fixed_url 'people:list' %}")
    assert template.render({}) == "/people/"
    set_script_prefix("/canbo/")
    try:
        assert template.render({}) == "/canbo/people/"
    finally:
        set_script_prefix("/")
    assert template.render({}) == "/people/"
