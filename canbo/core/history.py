"""Audit events made readable: field labels, choice labels, names of linked records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from canbo.core.dates import format_day

from .models import AccessEvent, AuditAction, AuditSource

EMPTY = "—"
HIDDEN_FIELDS = {"id"}
# Fields that carry no verbose name of their own.
FIELD_LABELS = {
    "start_precision": _lazy("Độ chính xác ngày bắt đầu"),
    "end_precision": _lazy("Độ chính xác ngày kết thúc"),
}


@dataclass
class ChangeRow:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    at: dt.datetime
    actor: str
    source: str
    action: str
    action_code: str
    subject: str
    rows: list[ChangeRow] = field(default_factory=list)


def _model_field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _format_value(f, value, names) -> str:
    if value is None or value == "":
        return EMPTY
    if f is None:
        return str(value)
    if f.is_relation and f.many_to_one:
        return names.get(f.related_model, {}).get(value, f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return _("Có") if value else _("Không")
    if isinstance(f, models.DateTimeField) and isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is not None:
            if timezone.is_aware(parsed):
                parsed = timezone.localtime(parsed)
            return parsed.strftime("%d/%m/%Y %H:%M")
    if isinstance(f, models.DateField) and isinstance(value, str):
        parsed = parse_date(value)
        if parsed is not None:
            return format_day(parsed)
    return str(value)


def describe_events(events) -> list[HistoryEntry]:
    """Audit events as readable rows: field labels, choice labels, names of linked records.

    Linked records are named with one query per related model, whatever the number of events.
    """
    events = list(events)
    wanted: dict[type, set] = defaultdict(set)
    for event in events:
        model = event.content_type.model_class()
        for name, pair in (event.changes or {}).items():
            f = _model_field(model, name)
            if f is not None and f.is_relation and f.many_to_one:
                wanted[f.related_model].update(v for v in pair if v not in (None, ""))
    names: dict[type, dict] = {}
    for related, ids in wanted.items():
        objects = related._base_manager.filter(pk__in=ids).select_related()
        names[related] = {obj.pk: str(obj) for obj in objects}

    entries = []
    for event in events:
        model = event.content_type.model_class()
        kind = str(model._meta.verbose_name).capitalize() if model else ""
        entry = HistoryEntry(
            at=event.at,
            actor=(event.actor.get_full_name() or event.actor.username) if event.actor else EMPTY,
            source=str(AuditSource(event.source).label) if event.source else EMPTY,
            action=str(AuditAction(event.action).label),
            action_code=event.action,
            subject=f"{kind}: {event.object_repr}" if kind else event.object_repr,
        )
        order = {f.name: i for i, f in enumerate(model._meta.fields)} if model else {}
        changes = sorted((event.changes or {}).items(), key=lambda kv: order.get(kv[0], 999))
        for name, pair in changes:
            if name in HIDDEN_FIELDS:
                continue
            before, after = (list(pair) + [None, None])[:2]
            f = _model_field(model, name)
            row = ChangeRow(
                label=str(FIELD_LABELS.get(name) or (f.verbose_name if f else name)),
                before=_format_value(f, before, names),
                after=_format_value(f, after, names),
            )
            if row.before == row.after == EMPTY:
                continue  # a blank field on creation or deletion says nothing
            row.label = row.label[:1].upper() + row.label[1:]
            entry.rows.append(row)
        entries.append(entry)
    return entries


#: At most this many people are matched by a name in the access log search.
PERSON_MATCHES = 20


@dataclass
class AccessQuery:
    """The administrator's search of the access log; empty fields do not filter."""

    person: str = ""
    actor_id: int | None = None
    kind: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


# The log is core's, the people a domain's: core imports no domain app (architecture
# contract, ADR 0011), so the people app plugs its search in when Django is ready
# (PeopleConfig.ready → register_people_search(people.selectors.people_matching)).
_people_search: Callable[..., list] | None = None


def register_people_search(search: Callable[..., list]) -> None:
    """`search(text, limit=n)`: the first n people a search names (ID number or name words)."""
    global _people_search
    _people_search = search


def people_matching(text: str) -> list:
    """The people a search names, at most PERSON_MATCHES + 1 (one more tells there are more)."""
    if _people_search is None:
        raise ImproperlyConfigured("No people search registered: is canbo.people installed?")
    return _people_search(text, limit=PERSON_MATCHES + 1)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def access_log(query: AccessQuery | None = None, *, people: list | None = None):
    """Access entries, newest first, narrowed by user, kind, dates (local days, both
    included) and `people`: an entry is theirs when it is about one of them (a profile,
    a form, a lookup) or showed them among its rows (a list, a plan, a what-if)."""
    query = query or AccessQuery()
    qs = AccessEvent.objects.select_related("actor", "content_type")
    if query.actor_id is not None:
        qs = qs.filter(actor_id=query.actor_id)
    if query.kind:
        qs = qs.filter(kind=query.kind)
    if query.date_from is not None:
        qs = qs.filter(at__gte=_day_start(query.date_from))
    if query.date_to is not None:
        qs = qs.filter(at__lt=_day_start(query.date_to + dt.timedelta(days=1)))
    if people is not None:
        if not people:
            return qs.none()
        person_type = ContentType.objects.get_for_model(people[0])  # the Person model
        about = Q(content_type=person_type, object_id__in=[str(p.pk) for p in people])
        for person in people:
            about |= Q(person_ids__contains=f" {person.pk} ")
        qs = qs.filter(about)
    return qs
