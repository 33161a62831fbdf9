from canbo.accounts.models import Role
from canbo.people.selectors import unit_people_counts
from tests.factories import PersonFactory, UserFactory, grant


def test_people_counts_are_scoped(world, admin_user):
    PersonFactory(unit=world.tu)
    PersonFactory(unit=world.xa)
    PersonFactory(unit=world.xa)
    PersonFactory(unit=world.xb)
    units = [world.tu, world.xa, world.xb]
    assert unit_people_counts(units, user=admin_user) == {
        world.tu.pk: 4,
        world.xa.pk: 2,
        world.xb.pk: 1,
    }
    only_top = UserFactory(role=Role.VIEWER)
    grant(only_top, world.tu, include_subtree=False)
    assert unit_people_counts([world.tu], user=only_top) == {world.tu.pk: 1}
    assert unit_people_counts([world.tu, world.xa], user=world.viewer_a) == {
        world.tu.pk: 2,
        world.xa.pk: 2,
    }
