import pytest
from django.core.exceptions import PermissionDenied

from canbo.accounts.models import Role
from canbo.core import scope
from canbo.organizations.models import Unit
from canbo.people.models import Person
from tests.factories import PersonFactory, UserFactory, grant


@pytest.fixture
def people(world):
    a = PersonFactory(unit=world.xa, given_name="A")
    b = PersonFactory(unit=world.xb, given_name="B")
    top = PersonFactory(unit=world.tu, given_name="T")
    return a, b, top


def test_viewer_sees_only_granted_subtree(world, people):
    a, _b, _top = people
    assert list(scope.restrict(Person.objects.all(), world.viewer_a)) == [a]
    assert set(
        scope.restrict(Unit.objects.all(), world.viewer_a).values_list("code", flat=True)
    ) == {"XA"}


def test_subtree_grant_includes_children_and_plain_grant_does_not(world, people):
    user = UserFactory(role=Role.VIEWER)
    grant(user, world.tu, include_subtree=True)
    assert scope.restrict(Person.objects.all(), user).count() == 3
    other = UserFactory(role=Role.VIEWER)
    grant(other, world.tu, include_subtree=False)
    assert [p.given_name for p in scope.restrict(Person.objects.all(), other)] == ["T"]


def test_administrator_is_unrestricted_and_no_grant_sees_nothing(world, people, admin_user):
    assert scope.restrict(Person.objects.all(), admin_user).count() == 3
    assert scope.restrict(Person.objects.all(), UserFactory(role=Role.EDITOR)).count() == 0


def test_viewer_cannot_edit_even_inside_scope(world, people):
    assert scope.restrict(Person.objects.all(), world.viewer_a, scope.EDIT).count() == 0
    assert scope.restrict(Person.objects.all(), world.editor_a, scope.EDIT).count() == 1
    with pytest.raises(PermissionDenied):
        scope.ensure_unit_allowed(world.viewer_a, world.xa, scope.EDIT)
    scope.ensure_unit_allowed(world.editor_a, world.xa, scope.EDIT)
    with pytest.raises(PermissionDenied):
        scope.ensure_unit_allowed(world.editor_a, world.xb, scope.EDIT)
