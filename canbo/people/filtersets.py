"""One filter set for the people list page and the people API.

Every filter that depends on a date reads it from `as_of` (today when not given): ages,
the posts held (`position_title`, `post_level`, `also_holds`), and the current posts the
list shows (`PersonFilterSet.as_of_date`, read by the page and the API). ADR 0013.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from canbo.core.dates import IMPOSSIBLE, ImpossibleDate, parse_day
from canbo.core.filtersets import LightFilterSet
from canbo.organizations.choices import UnitLevel
from canbo.organizations.forms import unit_named
from canbo.organizations.locality_sql import with_local_to_post
from canbo.organizations.models import PositionTitle, Unit
from canbo.organizations.selectors import unit_list

from . import selectors
from .choices import Degree, PoliticalTheory, Sex
from .models import Assignment, Ethnicity, Person
from .selectors import birth_date_bounds_for_age, held_on_q, person_search

AS_OF_YEARS = (1900, 2100)
#: "CODE · Name": what the unit suggestions put in the box (the code first, read back).
UNIT_SEPARATOR = " · "
#: The filters that look at the posts held on `as_of`; applied together, once.
POST_FILTERS = ("position_title", "post_level", "also_holds")

UNKNOWN_PARAMS = _("Tham số không được nhận: %(unknown)s. Các tham số được nhận: %(accepted)s.")


class AsOfField(forms.CharField):
    """A whole date, dd/mm/yyyy (the page) or YYYY-MM-DD (the API); impossible dates refused."""

    default_error_messages = {
        "invalid": _("Ngày “%(value)s” không hợp lệ; hãy viết dd/mm/yyyy hoặc YYYY-MM-DD."),
        "range": _("Ngày phải trong các năm %(first)s–%(last)s."),
    }

    def to_python(self, value) -> dt.date | None:
        text = super().to_python(value)
        if not text:
            return None
        try:
            if len(text) > 20:
                raise ValueError(text)
            day = parse_day(text)
        except ImpossibleDate:
            raise forms.ValidationError(IMPOSSIBLE, code="impossible", params={"value": text}) from None
        except ValueError:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": text[:20]}
            ) from None
        first, last = AS_OF_YEARS
        if not first <= day.year <= last:
            raise forms.ValidationError(
                self.error_messages["range"], code="range", params={"first": first, "last": last}
            )
        return day


def as_of_from(params) -> dt.date:
    """The `as_of` a query names, else today (an invalid one is the filter set's error)."""
    try:
        return AsOfField(required=False).clean(params.get("as_of")) or selectors.today()
    except forms.ValidationError:
        return selectors.today()


class AsOfFilter(django_filters.Filter):
    field_class = AsOfField


class PersonFilterForm(forms.Form):
    """The filter set's form; its `clean` lets the filter set check the whole query."""

    clean_hook = None

    def clean(self):
        cleaned = super().clean()
        if self.clean_hook is not None:
            self.clean_hook(self, cleaned)
        return cleaned


class PersonFilterSet(LightFilterSet):
    """`extra_params`: the query parameters a caller reads besides the filters (the page's
    `page`, `count`). When given, any other parameter is a form error naming the accepted
    ones (the API checks its own in `canbo.api.permissions.CleanRequestInput`)."""

    as_of = AsOfFilter(
        label=_("Ngày"),
        help_text=_(
            "Số liệu tại ngày này (dd/mm/yyyy hoặc YYYY-MM-DD; mặc định hôm nay): tuổi, "
            "chức vụ đang giữ và các bộ lọc theo chức vụ."
        ),
        method="filter_as_of",
    )
    search = django_filters.CharFilter(label=_("Tìm kiếm"), method="filter_search")
    unit = django_filters.CharFilter(
        label=_("Đơn vị (gồm trực thuộc)"),
        help_text=_("Mã đơn vị, hoặc tên đơn vị (không phân biệt dấu, hoa thường)."),
        method="filter_unit",
    )
    sex = django_filters.ChoiceFilter(label=_("Giới tính"), choices=Sex.choices)
    # Bounded so that the birth-date arithmetic stays inside the calendar.
    age_min = django_filters.NumberFilter(
        label=_("Tuổi từ"), method="filter_age", min_value=0, max_value=150
    )
    age_max = django_filters.NumberFilter(
        label=_("Tuổi đến"), method="filter_age", min_value=0, max_value=150
    )
    ethnicity = django_filters.ModelChoiceFilter(
        label=_("Dân tộc"), queryset=Ethnicity.objects.all(), to_field_name="code"
    )
    minority = django_filters.BooleanFilter(
        label=_("Dân tộc thiểu số"), field_name="ethnicity__is_minority"
    )
    degree = django_filters.TypedChoiceFilter(
        label=_("Trình độ chuyên môn"),
        field_name="professional_degree",
        choices=Degree.choices,
        coerce=int,
    )
    political_theory = django_filters.TypedChoiceFilter(
        label=_("Lý luận chính trị"), choices=PoliticalTheory.choices, coerce=int
    )
    position_title = django_filters.ModelChoiceFilter(
        label=_("Chức danh đang giữ"),
        queryset=PositionTitle.objects.all(),
        to_field_name="code",
        method="filter_posts",
    )
    post_level = django_filters.ChoiceFilter(
        label=_("Cấp của đơn vị nơi giữ chức vụ"),
        choices=UnitLevel.choices,
        method="filter_post_level",
    )
    also_holds = django_filters.ModelChoiceFilter(
        label=_("Đồng thời giữ chức danh"),
        queryset=PositionTitle.objects.all(),
        to_field_name="code",
        method="filter_posts",
    )
    is_local = django_filters.BooleanFilter(
        label=_("Người địa phương (theo đơn vị quản lý hồ sơ)")
    )
    # Strict: anything but true/false is an error, never ignored (a BooleanFilter would be).
    local_to_post = django_filters.ChoiceFilter(
        label=_("Người địa phương theo chức vụ"),
        help_text=_(
            "true: đang giữ (tại ngày as_of) một chức vụ ở nơi có quê quán; false: một chức "
            "vụ không phải quê quán. Cùng Chức danh, Cấp: đúng chức vụ đó."
        ),
        choices=[("true", _("Có")), ("false", _("Không"))],
        method="filter_local_to_post",
    )

    class Meta:
        model = Person
        form = PersonFilterForm
        fields = ["as_of", "search", "unit", "sex", "age_min", "age_max", "ethnicity",
                  "minority", "degree", "political_theory", "position_title", "post_level",
                  "also_holds", "is_local", "local_to_post"]  # fmt: skip

    def __init__(self, data=None, queryset=None, *, request=None, user=None,
                 extra_params: tuple[str, ...] | None = None, **kwargs):  # fmt: skip
        super().__init__(data, queryset, request=request, **kwargs)
        self.user = user if user is not None else getattr(request, "user", None)
        self.extra_params = extra_params
        self.resolved_unit: Unit | None = None

    @property
    def form(self):
        form = super().form
        form.clean_hook = self.clean_form
        return form

    # The date ------------------------------------------------------------------

    @property
    def as_of_date(self) -> dt.date:
        """The date the query asks about: `as_of` when valid, else today."""
        if not self.is_bound:
            return selectors.today()
        self.form.is_valid()
        return getattr(self.form, "cleaned_data", {}).get("as_of") or selectors.today()

    @property
    def as_of_given(self) -> bool:
        """Whether the query names a date other than today (the page says so)."""
        return self.as_of_date != selectors.today()

    # Checking the whole query ---------------------------------------------------

    def accepted_params(self) -> list[str]:
        return [*self.filters, *(self.extra_params or ())]

    def clean_form(self, form, cleaned) -> None:
        if self.extra_params is not None:
            accepted = self.accepted_params()
            unknown = [key for key in self.data if key not in accepted]
            if unknown:
                form.add_error(
                    None,
                    UNKNOWN_PARAMS
                    % {"unknown": ", ".join(unknown), "accepted": ", ".join(accepted)},
                )
        if cleaned.get("unit"):
            self.clean_unit(form, cleaned["unit"])

    def clean_unit(self, form, value: str) -> None:
        """The unit by code ("CODE · Name" from the suggestions too), id, or exact name.

        A name is matched accent- and case-insensitively among the units the user sees;
        a name more than one unit has is an error naming their codes. A code or name no
        unit has leaves the list empty.
        """
        text = str(value).strip()
        code = text.split(UNIT_SEPARATOR, 1)[0].strip()
        unit = Unit.objects.filter(code=code).only("path").first()
        # ASCII digits only, and no longer than a bigint: "²" and huge numbers are no id.
        if unit is None and code.isascii() and code.isdigit() and len(code) < 19:
            unit = Unit.objects.filter(pk=int(code)).only("path").first()
        if unit is None:
            units = unit_list(user=self.user) if self.user is not None else Unit.objects.all()
            try:
                unit = unit_named(units, text)
            except forms.ValidationError as error:
                form.add_error("unit", error)
                return
        self.resolved_unit = unit

    # Filters ---------------------------------------------------------------------

    @extend_schema_field({"type": "string", "format": "date", "example": "2018-11-30"})
    def filter_as_of(self, queryset, name, value):
        return queryset  # read by the date-dependent filters (`as_of_date`)

    def filter_search(self, queryset, name, value):
        return person_search(queryset, value) if value else queryset

    def filter_unit(self, queryset, name, value):
        if not value:
            return queryset
        unit = self.resolved_unit
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)

    def filter_age(self, queryset, name, value):
        # Both bounds are applied once, from the cleaned data.
        if name != "age_min" and self.form.cleaned_data.get("age_min") is not None:
            return queryset
        age_min = self.form.cleaned_data.get("age_min")
        age_max = self.form.cleaned_data.get("age_max")
        earliest, latest = birth_date_bounds_for_age(
            int(age_min) if age_min is not None else None,
            int(age_max) if age_max is not None else None,
            self.as_of_date,
        )
        if latest is not None:
            queryset = queryset.filter(birth_date__lte=latest)
        if earliest is not None:
            queryset = queryset.filter(birth_date__gte=earliest)
        return queryset

    @extend_schema_field(OpenApiTypes.STR)  # a title's code (to_field_name)
    def filter_posts(self, queryset, name, value):
        return self.posts_held(queryset, name)

    def filter_post_level(self, queryset, name, value):
        return self.posts_held(queryset, name)

    def filter_local_to_post(self, queryset, name, value):
        """People holding on `as_of` a post (the `position_title` / `post_level` one when
        given) judged local (`true`) or not local (`false`) to the area its unit governs
        (ADR 0013). Posts that cannot be judged match neither. Judged inside the statement
        (ADR 0015), whatever the number of people."""
        data = self.form.cleaned_data
        held = Assignment.objects.filter(held_on_q(self.as_of_date), position__isnull=False)
        if data.get("position_title"):
            held = held.filter(position__title=data["position_title"])
        if data.get("post_level"):
            held = held.filter(position__unit__level=data["post_level"])
        judged = with_local_to_post(held, hometown="person__hometown_id", unit="position__unit")
        return queryset.filter(pk__in=judged.filter(local=value == "true").values("person_id"))

    def posts_held(self, queryset, name):
        """A post held on `as_of` with the title (`position_title`) in a unit of the level
        (`post_level`): one and the same post; and, with `also_holds`, another title held
        on that date too. Applied once, by the first of the three given."""
        data = self.form.cleaned_data
        given = [n for n in POST_FILTERS if data.get(n) not in (None, "")]
        if not given or name != given[0]:
            return queryset
        held = Assignment.objects.filter(held_on_q(self.as_of_date), person=OuterRef("pk"))
        title, level, also = (data.get(n) for n in POST_FILTERS)
        if title or level:
            post = Q()
            if title:
                post &= Q(position__title=title)
            if level:
                post &= Q(position__unit__level=level)
            queryset = queryset.filter(Exists(held.filter(post)))
        if also:
            queryset = queryset.filter(Exists(held.filter(position__title=also)))
        return queryset
