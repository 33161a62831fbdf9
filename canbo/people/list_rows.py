"""The people list page's rows, worked out once per page (issue 18).

The template used to look every cell up on the person (`get_sex_display`, `{% url %}`,
`vndate`, the unit through the relation, the posts' units compared one by one): about
half of a rare name's page. Here the labels are read once per page, the profile's URL
reversed once and filled in per row, and the template prints plain values. The page
reads only the columns its rows show, and the posts of all its people in one query of
plain values whose SQL is compiled once (`selectors.posts_held`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from canbo.core.renderers import value_html
from canbo.core.templatetags.canbo_tags import vndate

from . import selectors
from .choices import Sex
from .models import Person

#: A primary key no person has: the profile's URL is reversed once around it.
_MARKER = 987654321987654321


@dataclass(frozen=True, slots=True)
class Post:
    """A post as the list writes it: its title, its unit when not the person's own."""

    title: str
    unit: str
    concurrent: bool


@dataclass(frozen=True, slots=True)
class PersonRow:
    person: Person
    number: int
    url: str
    sex: str
    birth: str
    age: int | None
    unit: str
    posts: list[Post]
    retirement: str


#: What a row shows of a person and their unit (`page_rows`, `selectors.person_dates`).
ROW_FIELDS = ("full_name", "id_number", "sex", "birth_date", "birth_date_precision",
              "retirement_age_override_months", "unit__name")  # fmt: skip


def page_people(people: QuerySet[Person]) -> QuerySet[Person]:
    """The people of a list page in name order, with their unit's name: the columns the
    rows show, without the ethnicity and hometown `person_list` joins for other pages
    (less for Django to compile and PostgreSQL to plan). Their posts are read by
    `page_rows`."""
    people = people.select_related(None).select_related("unit").only(*ROW_FIELDS)
    return people.order_by("sort_key", "id")


def post(title: str, unit: str, concurrent: bool, own: str | None) -> Post:
    """A post as the list writes it: its unit named only when it is not the person's own."""
    return Post(title, unit if unit and unit != own else "", concurrent)


def posts_of(person: Person, on: dt.date) -> list[Post]:
    """The posts held on `on` (prefetched by `selectors.with_current_positions`)."""
    own = person.unit.name if person.unit else None
    return [
        post(a.title_name, a.unit_name, a.is_concurrent, own)
        for a in selectors.current_positions(person, on)
    ]


def sex_labels() -> dict[str, str]:
    """The sexes' labels, translated once (`get_sex_display` hashes lazy labels per call)."""
    return {value: str(label) for value, label in Sex.choices}


def page_rows(people, on: dt.date, start: int) -> list[PersonRow]:
    """One row per person of a page; `start` is the first row's number. The posts of
    the whole page are read at once, as plain values (`selectors.posts_held`)."""
    head, tail = reverse("people:detail", args=[_MARKER]).split(str(_MARKER))
    sexes = sex_labels()
    people = list(people)
    held = selectors.posts_held([person.pk for person in people], on)
    rows = []
    for number, person in enumerate(people, start):
        dates = selectors.person_dates(person, on)
        own = person.unit.name if person.unit else None
        rows.append(
            PersonRow(
                person=person,
                number=number,
                url=f"{head}{person.pk}{tail}",
                sex=sexes.get(person.sex, person.sex),
                birth=vndate(person.birth_date, person.birth_date_precision),
                age=dates.age,
                unit=own or "—",
                posts=[post(*held_post, own) for held_post in held.get(person.pk, ())],
                retirement=vndate(dates.retirement_date),
            )
        )
    return rows


#: One row of the table as `_person_results.html` drew it with `{% for row in rows %}`.
_ROW = """
        <tr>
          <td class="text-muted">{number}</td>
          <td><a class="fw-semibold" href="{url}">{name}</a></td>
          <td class="font-monospace">{id_number}</td>
          <td>{sex}</td>
          <td>{birth}</td>
          <td class="text-end">{age}</td>
          <td>{unit}</td>
          <td>{posts}</td>
          <td>{retirement}</td>
        </tr>
      """


def rows_html(rows: list[PersonRow]) -> SafeString:
    """The table's rows as the template's loop drew them, byte for byte (the values
    localized and escaped as `{{ }}` does: `core.renderers.value_html`), without the
    template engine, which took half of a 50-row page's time."""
    concurrent = f' <span class="text-muted">({value_html(gettext("kiêm nhiệm"))})</span>'
    markup = []
    for row in rows:
        posts = "<br>".join(
            value_html(p.title)
            + (f" – {value_html(p.unit)}" if p.unit else "")
            + (concurrent if p.concurrent else "")
            for p in row.posts
        )
        markup.append(
            _ROW.format(
                number=value_html(row.number),
                url=value_html(row.url),
                name=value_html(row.person.full_name),
                id_number=value_html(row.person.id_number),
                sex=value_html(row.sex),
                birth=value_html(row.birth),
                age=value_html(row.age),
                unit=value_html(row.unit),
                posts=posts or '<span class="text-muted">—</span>',
                retirement=value_html(row.retirement),
            )
        )
    return mark_safe("".join(markup))  # noqa: S308 (every value escaped above)
