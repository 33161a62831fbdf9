"""Factories of the planning tests: terms, titles and positions, people with records, plans.

Rows are made through the models (as tests/factories.py does); plans in the
shared world are built through the services, which the service tests check.
"""

import datetime as dt

import factory

from canbo.organizations.choices import ManagementLevel, TermBody, UnitLevel
from canbo.organizations.models import Position, PositionTitle, Term
from canbo.people.models import (
    Assignment,
    ConfidenceVote,
    Discipline,
    Ethnicity,
    Evaluation,
)
from canbo.planning.choices import EntrySource, PlanStatus
from canbo.planning.models import Plan, PlanEntry, PlanPosition
from tests.factories import PersonFactory


def make_term(start_year: int, end_year: int, body=TermBody.PARTY) -> Term:
    term, _ = Term.objects.get_or_create(
        body=body,
        start_date=dt.date(start_year, 10, 1),
        defaults={"name": f"{start_year}–{end_year}", "end_date": dt.date(end_year, 9, 30)},
    )
    return term


def make_position(unit, code, name, rank, *, level=UnitLevel.PROVINCE, seats=1,
                  management_level=ManagementLevel.PROVINCE, is_key=False) -> Position:  # fmt: skip
    title, _ = PositionTitle.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "level": level,
            "rank": rank,
            "management_level": management_level,
            "is_key": is_key,
        },
    )
    return Position.objects.create(unit=unit, title=title, seats=seats)


def make_person(family, middle, given, sex, born, *, ethnicity="01", **extra):
    return PersonFactory(
        family_name=family,
        middle_name=middle,
        given_name=given,
        sex=sex,
        birth_date=born,
        ethnicity=Ethnicity.objects.get(code=ethnicity),
        **extra,
    )


def hold(person, position, start=dt.date(2020, 1, 1), end=None) -> Assignment:
    return Assignment.objects.create(
        person=person,
        position=position,
        unit_name=position.unit.name,
        title_name=position.title.name,
        start_date=start,
        end_date=end,
    )


def discipline(person, form, effective, end=None, exception="") -> Discipline:
    return Discipline.objects.create(
        person=person, form=form, effective_date=effective, end_date=end,
        planning_exception=exception,
    )  # fmt: skip


def rating(person, year, value) -> Evaluation:
    return Evaluation.objects.create(person=person, year=year, rating=value)


def vote(person, year, low, base, body="Hội nghị Ban Chấp hành") -> ConfidenceVote:
    return ConfidenceVote.objects.create(
        person=person, year=year, body=body, low=low, normal=base - low, base=base
    )


class PlanFactory(factory.django.DjangoModelFactory):
    """A plan written straight to the table (the service tests go through the services)."""

    class Meta:
        model = Plan

    term = factory.LazyFunction(lambda: make_term(2030, 2035))
    name = factory.Sequence(lambda n: f"Quy hoạch thử {n}")
    status = PlanStatus.APPROVED
    approved_on = dt.date(2025, 6, 1)


class PlanEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanEntry
        skip_postgeneration_save = True

    source = EntrySource.INSIDE
    added_on = dt.date(2024, 1, 1)

    @factory.post_generation
    def covered(obj, create, extracted, **kwargs):
        if create:
            PlanPosition.objects.get_or_create(plan=obj.plan, position=obj.position)
