"""Writes on areas, units, titles, positions and terms: validated, scoped, audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from canbo.core import scope
from canbo.core.audit import AuditAction, record_write, snapshot
from canbo.core.vntext import fold, normalize_spaces

from .models import Area, Position, PositionTitle, Term, Unit
from .signals import unit_area_changed


def _apply(instance, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(instance, name, normalize_spaces(value) if isinstance(value, str) else value)


@transaction.atomic
def area_create(*, actor, parent: Area | None = None, **fields) -> Area:
    scope.ensure_administrator(actor)
    area = Area(**fields)
    area.name = normalize_spaces(area.name)
    area.name_folded = fold(area.name)
    area.full_clean(exclude=["path", "depth", "numchild"])
    area = (
        Area.objects.add_child(parent, instance=area)
        if parent
        else Area.objects.add_root(instance=area)
    )
    record_write(actor=actor, action=AuditAction.CREATE, instance=area, after=snapshot(area))
    return area


@transaction.atomic
def unit_create(*, actor, parent: Unit | None = None, **fields) -> Unit:
    if parent is None:
        scope.ensure_administrator(actor)
    else:
        parent = Unit.objects.select_for_update().get(pk=parent.pk)
        scope.ensure_unit_allowed(actor, parent, scope.EDIT, below=True)
    unit = Unit()
    _apply(unit, fields)
    unit.name_folded = fold(unit.name)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    unit = (
        Unit.objects.add_child(parent, instance=unit)
        if parent
        else Unit.objects.add_root(instance=unit)
    )
    record_write(actor=actor, action=AuditAction.CREATE, instance=unit, after=snapshot(unit))
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, **fields) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    scope.ensure_unit_allowed(actor, unit, scope.EDIT)
    before = snapshot(unit)
    area_before = unit.area_id
    _apply(unit, fields)
    unit.name_folded = fold(unit.name)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    unit.save()
    record_write(
        actor=actor, action=AuditAction.UPDATE, instance=unit, before=before, after=snapshot(unit)
    )
    if unit.area_id != area_before:
        unit_area_changed.send(sender=Unit, unit=unit)  # people recompute "local"
    return unit


@transaction.atomic
def position_title_create(*, actor, **fields) -> PositionTitle:
    scope.ensure_administrator(actor)
    title = PositionTitle()
    _apply(title, fields)
    title.full_clean()
    title.save()
    record_write(actor=actor, action=AuditAction.CREATE, instance=title, after=snapshot(title))
    return title


@transaction.atomic
def position_create(*, actor, unit: Unit, title: PositionTitle, seats: int = 1) -> Position:
    scope.ensure_unit_allowed(actor, unit, scope.EDIT)
    position = Position(unit=unit, title=title, seats=seats)
    position.full_clean()
    position.save()
    record_write(
        actor=actor, action=AuditAction.CREATE, instance=position, after=snapshot(position)
    )
    return position


@transaction.atomic
def position_update(*, actor, position: Position, seats: int) -> Position:
    position = Position.objects.select_for_update().select_related("unit").get(pk=position.pk)
    scope.ensure_unit_allowed(actor, position.unit, scope.EDIT)
    before = snapshot(position)
    position.seats = seats
    position.full_clean()
    position.save()
    record_write(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=position,
        before=before,
        after=snapshot(position),
    )
    return position


@transaction.atomic
def term_create(*, actor, **fields) -> Term:
    scope.ensure_administrator(actor)
    term = Term()
    _apply(term, fields)
    term.full_clean()
    term.save()
    record_write(actor=actor, action=AuditAction.CREATE, instance=term, after=snapshot(term))
    return term
