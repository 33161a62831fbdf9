"""The people list to Excel: the list page's people, filtered as the page filters them.

Same filter set (`PersonListFilter`, the same accepted parameters: the page's query
string as it is, `page` and `count` ignored), same scope (`selectors.person_list`), same
order, the page's columns. A query the page would refuse is a 400 naming its problems.
The title names the filter in words. The export is an access entry: its query and the
number of people (`record_export`, as the data package: a list may hold millions, so the
ids are not kept).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from canbo.core import listexport
from canbo.core.audit import AccessKind, query_text, record_export
from canbo.core.dates import format_day
from canbo.core.listexport import Column, day_cell
from canbo.organizations.selectors import unit_list

from . import list_rows, selectors
from .forms import PersonListFilter
from .models import Person

NAME = gettext_noop("Danh sách cán bộ")
#: What the access entry's query starts with: which list was exported.
QUERY_PREFIX = "list=people"


def columns(dated: bool) -> list[Column]:
    """The page's columns (its "#" is the sheet's STT)."""
    return [
        Column(_("Họ và tên"), 26),
        Column(_("Số định danh"), 15),
        Column(_("Giới tính"), 9),
        Column(_("Ngày sinh"), 12),
        Column(_("Tuổi"), 7),
        Column(_("Đơn vị"), 30),
        Column(_("Chức vụ tại ngày") if dated else _("Chức vụ hiện tại"), 40),
        Column(_("Ngày nghỉ hưu"), 13),
    ]


def posts_text(person: Person, on: dt.date) -> str:
    """The posts held as the page writes them: "Title – Unit (kiêm nhiệm); …"."""
    texts = []
    for post in list_rows.posts_of(person, on):
        text = post.title + (f" – {post.unit}" if post.unit else "")
        if post.concurrent:
            text += " (" + _("kiêm nhiệm") + ")"
        texts.append(text)
    return "; ".join(texts)


def rows(people, on: dt.date):
    # The labels once per list, not per person (an eighth of the time of a million rows).
    sexes = list_rows.sex_labels()
    for person in people.iterator(chunk_size=listexport.CHUNK):
        derived = selectors.person_derived(person, on)
        yield [
            person.full_name,
            person.id_number,
            sexes.get(person.sex, person.sex),
            day_cell(person.birth_date, person.birth_date_precision),
            derived.age,
            person.unit.name if person.unit else "",
            posts_text(person, on),
            derived.retirement_date,
        ]


def filter_parts(filterset, user) -> list[tuple[str, str]]:
    """The filter in words, in the form's order: (label, value as the user reads it)."""
    form = filterset.form
    data = form.cleaned_data
    parts = []
    for name, field in form.fields.items():
        value = data.get(name)
        if value in (None, ""):
            continue
        if name == "as_of":
            text = format_day(value)
        elif name == "unit":
            text = unit_words(filterset, user, value)
        elif name in ("minority", "is_local"):
            text = listexport.yes_no(value)
        elif name in ("age_min", "age_max"):
            text = f"{value:g}"
        elif hasattr(field, "queryset"):
            text = str(value)
        elif getattr(field, "choices", None):
            text = str(dict(field.choices).get(value, value))
        else:
            text = f"“{value}”"
        parts.append((str(field.label), text))
    return parts


def unit_words(filterset, user, typed: str) -> str:
    """The unit by its name when the user sees it; else as typed (never the name of a
    unit out of sight)."""
    unit = filterset.resolved_unit
    if unit is not None:
        seen = unit_list(user=user).filter(pk=unit.pk).values_list("name", "code").first()
        if seen is not None:
            return f"{seen[0]} ({seen[1]})"
    return typed


#: The list page's order.
ORDER = ("sort_key", "id")


def filtered(user, params) -> PersonListFilter:
    """The list page's filter on the people `user` sees now (`qs`, to order by `ORDER`);
    listexport.Refused when the page would refuse the query. Shared by the list to Excel
    and the list's 2C records (record2c_batch)."""
    filterset = PersonListFilter(params or None, queryset=selectors.person_list(user=user),
                                 user=user)  # fmt: skip
    if filterset.is_bound and not filterset.form.is_valid():
        raise listexport.Refused(listexport.form_problems(filterset.form))
    return filterset


@listexport.register("people")
def build(user, params) -> listexport.ListExport:
    filterset = filtered(user, params)
    on = filterset.as_of_date
    people = filterset.qs.order_by(*ORDER)
    parts = filter_parts(filterset, user) if filterset.is_bound else []
    query = f"{QUERY_PREFIX} {query_text(params)}".strip()
    return listexport.ListExport(
        name=NAME, title=listexport.list_title(_(NAME), parts),
        columns=columns(on != selectors.today()),
        # Of the people's relations only the unit is written (the list page's ethnicity
        # and hometown would be two more objects per row).
        rows=rows(selectors.with_current_positions(
            people.select_related(None).select_related("unit"), on), on),
        count=people.count(),
        record=lambda written: record_export(actor=user, query=query, rows=written,
                                             kind=AccessKind.LIST_EXPORT),
    )  # fmt: skip
