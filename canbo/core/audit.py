"""Recording audit events. Services call these; nothing else writes audit rows."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import json
import json.encoder
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from .models import AccessEvent, AccessKind, AuditAction, AuditEvent, AuditSource

_source: contextvars.ContextVar[str] = contextvars.ContextVar(
    "audit_source", default=AuditSource.SYSTEM
)


@contextlib.contextmanager
def audit_source(source: str) -> Iterator[None]:
    """Tag the writes made inside this block with their origin (ui/api/command/import)."""
    token = _source.set(source)
    try:
        yield
    finally:
        _source.reset(token)


def current_source() -> str:
    return _source.get()


_SIMPLE = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    if type(value) in _SIMPLE:  # the common case, checked first for bulk imports
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """Concrete field values of an instance, JSON-ready (foreign keys by id)."""
    skip = set(exclude)
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in skip:
            continue
        data[field.name] = _plain(getattr(instance, field.attname))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    keys = set(before) | set(after)
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


def record_write(
    *,
    actor,
    action: str,
    instance: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent | None:
    """Store one audit event; an update that changed nothing leaves no row."""
    before = before or {}
    after = after or {}
    changes = diff(before, after)
    if action == AuditAction.UPDATE and not changes:
        return None
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        source=current_source(),
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes,
    )


def created_changes(fields: Iterable[tuple[str, str]]) -> Callable[[dict], str]:
    """The changes of created records, as the JSON text an audit event stores.

    `fields` are (name, attname) pairs; the function it returns takes a record's
    {attname: value} and gives every non-empty field as [null, value] by name, in
    the order given: the same value `json.dumps` gives for the dict of those pairs
    (built through `_plain`), but written from a template made once, which is a
    third of the cost when a bulk import records a hundred thousand of them.
    """
    encode = json.JSONEncoder(ensure_ascii=False).encode
    quote = json.encoder.encode_basestring
    steps = [(quote(name) + ": [null, ", attname) for name, attname in fields]

    def changes(data: dict) -> str:
        parts = []
        for head, attname in steps:
            value = data[attname]
            if value is None or value == "":
                continue
            kind = type(value)
            if kind is str:
                parts.append(head + quote(value) + "]")
            elif kind is int:
                parts.append(head + int.__repr__(value) + "]")
            elif kind is bool:
                parts.append(head + ("true]" if value else "false]"))
            else:
                parts.append(head + encode(_plain(value)) + "]")
        return "{" + ", ".join(parts) + "}"

    return changes


def record_writes(*, actor, action: str, model, items: Iterable[tuple[Any, dict, str]]) -> int:
    """Store many audit events of one model at once (bulk imports): (pk, changes, repr) each.

    `changes` are JSON-ready dicts (see `_plain`), encoded here with the standard
    encoder (what JSONField would store, without its per-value detour), or JSON
    text already (see `created_changes`).
    """
    from .db import insert_rows

    encode = json.JSONEncoder(ensure_ascii=False).encode
    now = AuditEvent._meta.get_field("at").get_db_prep_save(timezone.now(), connection)
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    source = current_source()
    content_type_id = ContentType.objects.get_for_model(model, for_concrete_model=True).pk
    columns = ["at", "actor_id", "source", "action", "content_type_id", "object_id",
               "object_repr", "changes"]  # fmt: skip
    count = 0
    batch = []
    for pk, changes, text in items:  # in batches: a large import never holds them all
        batch.append(
            (
                now,
                actor_id,
                source,
                action,
                content_type_id,
                str(pk),
                text[:300],
                changes if type(changes) is str else encode(changes),
            )  # fmt: skip
        )
        if len(batch) == 2000:
            insert_rows(AuditEvent, columns, batch, ready=("at", "changes"))
            count += len(batch)
            batch = []
    insert_rows(AuditEvent, columns, batch, ready=("at", "changes"))
    return count + len(batch)


QUERY_LENGTH = AccessEvent._meta.get_field("query").max_length


def id_list(ids: Iterable[Any]) -> str:
    """Ids as `AccessEvent.person_ids` stores them: " 3 12 40 " (padded, to match whole)."""
    text = " ".join(dict.fromkeys(str(pk) for pk in ids if pk is not None))
    return f" {text} " if text else ""


def query_text(params) -> str:
    """A request's filter as the log shows it: "unit=XA search=Nguyễn" (unencoded, no blanks)."""
    return " ".join(
        f"{key}={value}" for key, values in params.lists() for value in values if value != ""
    )


def _access(
    *,
    actor,
    kind: str,
    instance: models.Model | None = None,
    model: type[models.Model] | None = None,
    query: str = "",
    rows: int | None = None,
    person_ids: Iterable[Any] = (),
) -> AccessEvent:
    """The one insert every kind of read makes (content types are cached after the first)."""
    if instance is not None:
        model = type(instance)
    return AccessEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        source=current_source(),
        kind=kind,
        content_type=(
            ContentType.objects.get_for_model(model, for_concrete_model=True) if model else None
        ),
        object_id=str(instance.pk) if instance is not None else "",
        object_repr=str(instance)[:300] if instance is not None else "",
        query=query[:QUERY_LENGTH],
        rows=rows,
        person_ids=id_list(person_ids),
    )


def record_access(*, actor, instance: models.Model, kind: str = AccessKind.PROFILE) -> AccessEvent:
    """One record read in full: a profile, its history, its edit form."""
    return _access(actor=actor, kind=kind, instance=instance)


def record_rows(
    *,
    actor,
    kind: str,
    query: str,
    person_ids: Sequence[Any],
    instance: models.Model | None = None,
    model: type[models.Model] | None = None,
) -> AccessEvent:
    """A read showing many people at once: a list page (of `model`), or what a record
    (`instance`: a plan's page, its document, a what-if on it) shows of them."""
    return _access(
        actor=actor,
        kind=kind,
        instance=instance,
        model=model,
        query=query,
        rows=len(person_ids),
        person_ids=person_ids,
    )


def record_export(*, actor, query: str, rows: int, kind: str = AccessKind.EXPORT) -> AccessEvent:
    """A bulk export (the data package, or with kind LIST_EXPORT a list to Excel): its
    scope or filter and how many rows it carried."""
    return _access(actor=actor, kind=kind, query=query, rows=rows)


def record_lookup(*, actor, query: str, found: models.Model | None) -> AccessEvent:
    """A lookup by ID number beyond the user's scope, found or not."""
    return _access(
        actor=actor,
        kind=AccessKind.LOOKUP,
        instance=found,
        query=query,
        rows=0 if found is None else 1,
        person_ids=() if found is None else (found.pk,),
    )


def history_for(instance: models.Model):
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
    ).select_related("actor")


__all__ = [
    "AccessKind",
    "AuditAction",
    "audit_source",
    "current_source",
    "diff",
    "history_for",
    "record_access",
    "record_export",
    "record_lookup",
    "record_rows",
    "query_text",
    "record_write",
    "record_writes",
    "snapshot",
]
