"""The people list page's rows, worked out once per page (issue 18).

The template used to look every cell up on the person (`get_sex_display`, `{% url %}`,
`vndate`, the unit through the relation, the posts' units compared one by one): about
half of a rare name's page. Here the labels are read once per page, the profile's URL
reversed once and filled in per row, and the template prints plain values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

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


def posts_of(person: Person, on: dt.date) -> list[Post]:
    """The posts held on `on`, the unit named only when it is not the person's own."""
    own = person.unit.name if person.unit else None
    return [
        Post(
            a.title_name, a.unit_name if a.unit_name and a.unit_name != own else "", a.is_concurrent
        )
        for a in selectors.current_positions(person, on)
    ]


def sex_labels() -> dict[str, str]:
    """The sexes' labels, translated once (`get_sex_display` hashes lazy labels per call)."""
    return {value: str(label) for value, label in Sex.choices}


def page_rows(people, on: dt.date, start: int) -> list[PersonRow]:
    """One row per person of a page; `start` is the first row's number."""
    head, tail = reverse("people:detail", args=[_MARKER]).split(str(_MARKER))
    sexes = sex_labels()
    rows = []
    for number, person in enumerate(people, start):
        derived = selectors.person_derived(person, on)
        rows.append(
            PersonRow(
                person=person,
                number=number,
                url=f"{head}{person.pk}{tail}",
                sex=sexes.get(person.sex, person.sex),
                birth=vndate(person.birth_date, person.birth_date_precision),
                age=derived.age,
                unit=(person.unit.name if person.unit else "") or "—",
                posts=posts_of(person, on),
                retirement=vndate(derived.retirement_date),
            )
        )
    return rows
