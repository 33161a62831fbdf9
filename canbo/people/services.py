"""Writes on people and their profile sections: validated, scoped, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from canbo.core import scope
from canbo.core.audit import AuditAction, record_write, snapshot
from canbo.core.vntext import fold, name_sort_key, normalize_spaces, title_case
from canbo.organizations import locality
from canbo.organizations.models import Unit
from canbo.organizations.selectors import governed_area_ids, is_local_to, locality_maps

from .models import (
    Assignment,
    ConfidenceVote,
    Discipline,
    Evaluation,
    Person,
    Reward,
    Training,
)

PERSON_FIELDS = {
    "id_number", "family_name", "middle_name", "given_name", "sex", "birth_date",
    "birth_date_precision", "ethnicity", "religion", "hometown", "birthplace", "unit",
    "party_joined_date", "party_official_date", "professional_degree", "professional_major",
    "political_theory", "state_management", "foreign_language", "it_level",
    "retirement_age_override_months",
}  # fmt: skip
NAME_FIELDS = ("family_name", "middle_name", "given_name")
AUDIT_EXCLUDE = ("search_text", "sort_key", "created_at", "updated_at")


def search_text_of(folded_name: str, id_number: str) -> str:
    """' nguyen van an 001080000001 ': the spaces at both ends let a short word match whole."""
    return f" {folded_name} {id_number} "


def person_derive_text(person: Person) -> None:
    """Fill the text columns the system maintains: names, full name, search text, sort key."""
    for name in NAME_FIELDS:
        setattr(person, name, title_case(getattr(person, name)))
    person.id_number = normalize_spaces(person.id_number)
    person.full_name = " ".join(
        p for p in (person.family_name, person.middle_name, person.given_name) if p
    )
    person.search_text = search_text_of(fold(person.full_name), person.id_number)
    person.sort_key = name_sort_key(person.family_name, person.middle_name, person.given_name)


def person_derive(person: Person) -> None:
    """Fill every column the system maintains, the local flag included."""
    person_derive_text(person)
    person.is_local = is_local_to(person.hometown, person.unit)


def _assign(person: Person, fields: dict[str, Any]) -> None:
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    for name, value in fields.items():
        if isinstance(value, str) and name not in NAME_FIELDS:
            value = normalize_spaces(value)
        setattr(person, name, value)


EARLIEST_BIRTH = dt.date(1900, 1, 1)


def person_date_errors(person: Person) -> dict[str, str]:
    """Dates that cannot be true: born before 1900 or in the future, joined the Party before birth."""
    errors = {}
    born = person.birth_date
    if isinstance(born, dt.date):
        if born < EARLIEST_BIRTH or born > dt.date.today():
            errors["birth_date"] = _("Ngày sinh phải từ năm 1900 đến hôm nay.")
        for name in ("party_joined_date", "party_official_date"):
            value = getattr(person, name)
            if isinstance(value, dt.date) and value < born:
                errors[name] = _("Ngày này không được trước ngày sinh.")
    joined, official = person.party_joined_date, person.party_official_date
    if isinstance(joined, dt.date) and isinstance(official, dt.date) and official < joined:
        errors["party_official_date"] = _("Ngày chính thức không được trước ngày vào Đảng.")
    return errors


def _check_dates(person: Person) -> None:
    errors = person_date_errors(person)
    if errors:
        raise ValidationError(errors)


def _check_unit(actor, person: Person) -> None:
    if actor is not None and not scope.is_administrator(actor) and person.unit is None:
        raise ValidationError({"unit": _("Hãy chọn đơn vị quản lý hồ sơ.")})
    if person.unit is not None:
        scope.ensure_unit_allowed(actor, person.unit, scope.EDIT)


@transaction.atomic
def person_create(*, actor, **fields) -> Person:
    person = Person()
    _assign(person, fields)
    _check_unit(actor, person)
    _check_dates(person)
    person_derive(person)
    person.full_clean()
    person.save()
    record_write(
        actor=actor,
        action=AuditAction.CREATE,
        instance=person,
        after=snapshot(person, exclude=AUDIT_EXCLUDE),
    )
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **fields) -> Person:
    person = Person.objects.select_for_update(of=("self",)).select_related("unit").get(pk=person.pk)
    # The person must be editable where it is now and where it goes.
    _check_unit(actor, person)
    before = snapshot(person, exclude=AUDIT_EXCLUDE)
    _assign(person, fields)
    _check_unit(actor, person)
    _check_dates(person)
    person_derive(person)
    person.full_clean()
    person.save()
    record_write(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=person,
        before=before,
        after=snapshot(person, exclude=AUDIT_EXCLUDE),
    )
    return person


def people_refresh_local(*, unit) -> int:
    """Recompute the local flag for the people of a unit subtree (after an area change)."""
    units = list(Unit.objects.filter(path__startswith=unit.path).only("pk", "path", "area_id"))
    governed = governed_area_ids(units)
    path_of, successors_of = locality_maps()
    changed = []
    people = Person.objects.filter(unit__path__startswith=unit.path).only(
        "pk", "unit_id", "hometown_id", "is_local"
    )
    for person in people.iterator(chunk_size=2000):
        value = locality.is_local(
            person.hometown_id, governed.get(person.unit_id), path_of, successors_of
        )
        if value != person.is_local:
            person.is_local = value
            changed.append(person)
    Person.objects.bulk_update(changed, ["is_local"], batch_size=1000)
    return len(changed)


def on_unit_area_changed(sender, *, unit, **kwargs) -> None:
    """organizations.signals.unit_area_changed: the unit's subtree may govern another area."""
    people_refresh_local(unit=unit)


SECTION_MODELS = {
    "assignment": Assignment,
    "evaluation": Evaluation,
    "confidence_vote": ConfidenceVote,
    "discipline": Discipline,
    "reward": Reward,
    "training": Training,
}


def _fill_assignment_names(item: Assignment) -> None:
    # Keep the unit and title names as they were at the time.
    if item.position_id and not (item.unit_name and item.title_name):
        position = item.position
        if not item.unit_name:
            item.unit_name = position.unit.name
        if not item.title_name:
            item.title_name = position.title.name
    if not item.title_name:
        raise ValidationError({"title_name": _("Hãy chọn vị trí hoặc ghi chức vụ.")})
    if item.end_date and item.end_date < item.start_date:
        raise ValidationError({"end_date": _("Ngày kết thúc không được trước ngày bắt đầu.")})


def section_validate(item) -> None:
    """Rules across the fields of one section row; raises ValidationError."""
    if isinstance(item, Assignment):
        _fill_assignment_names(item)
    if isinstance(item, ConfidenceVote) and item.high + item.normal + item.low > item.base:
        raise ValidationError({"base": _("Tổng số phiếu không được lớn hơn cơ sở tính tỷ lệ.")})
    if isinstance(item, Discipline) and item.end_date and item.end_date < item.effective_date:
        raise ValidationError({"end_date": _("Ngày hết hiệu lực không được trước ngày hiệu lực.")})
    if (
        isinstance(item, Training)
        and item.start_date
        and item.end_date
        and item.end_date < item.start_date
    ):
        raise ValidationError({"end_date": _("Ngày kết thúc không được trước ngày bắt đầu.")})


@transaction.atomic
def section_create(*, actor, person: Person, kind: str, **fields):
    """Add a profile section row (work history, evaluation, vote, discipline, …)."""
    model = SECTION_MODELS[kind]
    person = Person.objects.select_for_update(of=("self",)).select_related("unit").get(pk=person.pk)
    _check_unit(actor, person)
    item = model(person=person, **fields)
    section_validate(item)
    item.full_clean()
    item.save()
    record_write(actor=actor, action=AuditAction.CREATE, instance=item, after=snapshot(item))
    return item


@transaction.atomic
def section_update(*, actor, item, **fields):
    model = type(item)
    item = (
        model.objects.select_related("person__unit").select_for_update(of=("self",)).get(pk=item.pk)
    )
    _check_unit(actor, item.person)
    before = snapshot(item)
    for name, value in fields.items():
        setattr(item, name, value)
    section_validate(item)
    item.full_clean()
    item.save()
    record_write(
        actor=actor, action=AuditAction.UPDATE, instance=item, before=before, after=snapshot(item)
    )
    return item


@transaction.atomic
def section_delete(*, actor, item) -> None:
    model = type(item)
    item = model.objects.select_related("person__unit").get(pk=item.pk)
    _check_unit(actor, item.person)
    before = snapshot(item)
    record_write(actor=actor, action=AuditAction.DELETE, instance=item, before=before)
    item.delete()
