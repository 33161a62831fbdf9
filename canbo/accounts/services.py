"""Writes on users and their scope grants."""

from __future__ import annotations

from django.db import transaction

from canbo.core import scope
from canbo.core.audit import AuditAction, record_write, snapshot

from .models import Role, ScopeGrant, User


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    role: str = Role.VIEWER,
    full_name: str = "",
    email: str = "",
) -> User:
    scope.ensure_administrator(actor)
    user = User(username=username, role=role, email=email, first_name=full_name)
    user.set_password(password)
    if role == Role.ADMIN:
        user.is_staff = True
    user.full_clean()
    user.save()
    record_write(
        actor=actor,
        action=AuditAction.CREATE,
        instance=user,
        after=snapshot(user, exclude=["password", "last_login"]),
    )
    return user


@transaction.atomic
def scope_grant_add(*, actor, user: User, unit, include_subtree: bool = True) -> ScopeGrant:
    scope.ensure_administrator(actor)
    grant, created = ScopeGrant.objects.get_or_create(
        user=user, unit=unit, defaults={"include_subtree": include_subtree}
    )
    before = {} if created else snapshot(grant)
    if not created and grant.include_subtree != include_subtree:
        grant.include_subtree = include_subtree
        grant.save(update_fields=["include_subtree"])
    record_write(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        instance=grant,
        before=before,
        after=snapshot(grant),
    )
    return grant
