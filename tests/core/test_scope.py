import datetime as dt

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


# --- A grant of one unit alone: guards beside the rules -----------------------------------


@pytest.fixture
def top_only_editor(world):
    editor = UserFactory(role=Role.EDITOR)
    grant(editor, world.tu, include_subtree=False)
    return editor


def test_one_unit_grant_edits_that_unit_and_no_child(world, people, top_only_editor):
    _a, _b, top = people
    assert scope.unit_allowed(top_only_editor, world.tu, scope.EDIT) is True
    assert scope.unit_allowed(top_only_editor, world.xa, scope.EDIT) is False
    assert scope.unit_allowed(top_only_editor, world.xa, scope.VIEW) is False
    assert list(scope.restrict(Person.objects.all(), top_only_editor, scope.EDIT)) == [top]
    with pytest.raises(PermissionDenied):
        scope.ensure_unit_allowed(top_only_editor, world.xa, scope.EDIT)
    scope.ensure_unit_allowed(top_only_editor, world.tu, scope.EDIT)


def test_one_unit_grant_adds_no_unit_under_it(world, top_only_editor):
    from canbo.organizations.choices import UnitKind, UnitLevel
    from canbo.organizations.services import unit_create

    assert scope.unit_allowed(top_only_editor, world.tu, scope.EDIT, below=True) is False
    assert scope.path_allowed(top_only_editor, world.tu.path, scope.EDIT, below=True) is False
    before = Unit.objects.count()
    with pytest.raises(PermissionDenied):
        unit_create(actor=top_only_editor, parent=world.tu, code="XC", name="Đảng ủy xã C",
                    kind=UnitKind.PARTY_COMMITTEE, level=UnitLevel.COMMUNE)  # fmt: skip
    assert Unit.objects.count() == before


def test_subtree_grant_adds_units_under_it(world):
    from canbo.organizations.choices import UnitKind, UnitLevel
    from canbo.organizations.services import unit_create

    editor = UserFactory(role=Role.EDITOR)
    grant(editor, world.tu, include_subtree=True)
    assert scope.unit_allowed(editor, world.tu, scope.EDIT, below=True) is True
    unit = unit_create(actor=editor, parent=world.tu, code="XC", name="Đảng ủy xã C",
                       kind=UnitKind.PARTY_COMMITTEE, level=UnitLevel.COMMUNE)  # fmt: skip
    assert unit.path.startswith(world.tu.path) and unit.path != world.tu.path


def test_one_unit_grant_in_a_person_write_is_refused_for_a_child_unit(world, top_only_editor):
    from canbo.people.services import person_create

    before = Person.objects.count()
    with pytest.raises(PermissionDenied):
        person_create(actor=top_only_editor, id_number="001090000077", family_name="Lê",
                      middle_name="Văn", given_name="Con", sex="M",
                      birth_date=dt.date(1990, 1, 1), unit=world.xa)  # fmt: skip
    assert Person.objects.count() == before
