"""Django's compiled SQL kept for querysets read again and again with other values.

Building and compiling a queryset with nested subqueries costs Django a few
milliseconds, as much as PostgreSQL spends running it or more for a small subtree.
When the statement's shape depends only on a few things (a date, which filters apply)
and the rest are values (a tree path, a task id), it can be compiled once with marker
values and reused: each marker's parameter is found by value in the compiled
parameters and replaced on every call (ADR 0015). Markers must be values nothing else
in the statement can take (a path "~", which no tree path can be; a negative id).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from threading import Lock
from typing import Any

from django.db import connections
from django.db.models import QuerySet


class StatementCache:
    def __init__(self, size: int = 64):
        self.size, self.kept, self.lock = size, {}, Lock()

    def statement(self, key: Hashable, build: Callable[[], QuerySet],
                  values: dict[Any, Any]) -> tuple[str, list]:  # fmt: skip
        """The SQL and parameters of `build()` with each marker parameter (a key of
        `values`, as it appears among the compiled parameters) replaced by its value.
        `build` makes the queryset with the markers; it runs once per `key`, which must
        name everything the shape depends on (the database alias among them)."""
        entry = self.kept.get(key)
        if entry is None:
            query = build()
            sql, params = query.query.sql_with_params()
            params = list(params)
            slots = {}
            for marker in values:
                found = [n for n, p in enumerate(params) if p == marker]
                if len(found) != 1:  # a marker must be one parameter, exactly
                    raise ValueError(f"marker {marker!r} found {len(found)} times")
                slots[marker] = found[0]
            entry = (query.db, sql, params, slots)
            with self.lock:
                if len(self.kept) >= self.size:
                    self.kept.clear()
                self.kept[key] = entry
        _db, sql, params, slots = entry
        params = list(params)
        for marker, value in values.items():
            params[slots[marker]] = value
        return sql, params

    def rows(self, key: Hashable, build: Callable[[], QuerySet], values: dict[Any, Any]) -> list:
        sql, params = self.statement(key, build, values)
        db = self.kept[key][0]
        with connections[db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def clear(self) -> None:
        self.kept.clear()
