"""Factories shared by the tests. They go through the real models; services are
called by tests that exercise them."""

import datetime as dt

import factory

from canbo.accounts.models import Role, ScopeGrant, User
from canbo.core.vntext import fold, name_sort_key
from canbo.organizations.choices import (
    AreaKind,
    AreaLevel,
    ManagementLevel,
    UnitKind,
    UnitLevel,
)
from canbo.organizations.models import Area, Position, PositionTitle, Unit
from canbo.people.models import Ethnicity, Person
from canbo.people.services import search_text_of


def make_area(code, name, parent=None, kind=AreaKind.PROVINCE, level=AreaLevel.PROVINCE, **extra):
    area = Area(code=code, official_code=code, name=name, kind=kind, level=level,
                name_folded=fold(name), **extra)  # fmt: skip
    return (
        Area.objects.add_child(parent, instance=area)
        if parent
        else Area.objects.add_root(instance=area)
    )


def make_unit(
    code, name, parent=None, kind=UnitKind.PARTY_COMMITTEE, level=UnitLevel.PROVINCE, **extra
):
    unit = Unit(code=code, name=name, kind=kind, level=level, name_folded=fold(name), **extra)
    if parent is not None:
        parent.refresh_from_db()
        return Unit.objects.add_child(parent, instance=unit)
    return Unit.objects.add_root(instance=unit)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.VIEWER
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def grant(user, unit, include_subtree=True):
    return ScopeGrant.objects.create(user=user, unit=unit, include_subtree=include_subtree)


class PositionTitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PositionTitle
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"Chức danh {n}")
    level = UnitLevel.PROVINCE
    rank = 10
    management_level = ManagementLevel.PROVINCE


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    title = factory.SubFactory(PositionTitleFactory)
    seats = 1


class PersonFactory(factory.django.DjangoModelFactory):
    """A person with the derived columns filled as the service would."""

    class Meta:
        model = Person

    id_number = factory.Sequence(lambda n: f"{n + 1:012d}")
    family_name = "Nguyễn"
    middle_name = "Văn"
    given_name = factory.Sequence(lambda n: f"An{n}")
    sex = "M"
    birth_date = dt.date(1975, 6, 15)
    birth_date_precision = "D"
    ethnicity = factory.LazyFunction(lambda: Ethnicity.objects.get(code="01"))

    @factory.lazy_attribute
    def full_name(self):
        return " ".join(p for p in (self.family_name, self.middle_name, self.given_name) if p)

    @factory.lazy_attribute
    def search_text(self):
        return search_text_of(fold(self.full_name), self.id_number)

    @factory.lazy_attribute
    def sort_key(self):
        return name_sort_key(self.family_name, self.middle_name, self.given_name)
