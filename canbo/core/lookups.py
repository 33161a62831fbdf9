"""`field__in_values=[…]`: membership in a long list of values, bound as one parameter.

`field__in=[…]` binds one parameter per value: Django prepares each one
(0.6 s on SQLite, 1.2 s on PostgreSQL for 100,000 of them), the statement
grows with the list, and past SQLite's 32,766 or psycopg's 65,535 parameters
it fails. A subquery instead (`field__in=queryset`) is re-run by every
statement that names it, and PostgreSQL's planner can misjudge its size by a
factor of a hundred. This lookup sends the list as one value, an array on
PostgreSQL (`= ANY(%s)`) and a JSON list elsewhere (`IN (SELECT value FROM
json_each(%s))`, SQLite), so the planner sees a known set and the field's
index still serves it. Long lists are best passed as a set or frozenset: Django
resolves a list or tuple value element by element first (25 ms for 48,000 ids).
Ids named by several statements are best passed as `Ids`: checked and written out
once, and not walked by Django's related-object check (which an iterable value is,
one id at a time).
"""

from __future__ import annotations

import json

from django.db import models

_INTEGER_TYPES = frozenset({"smallint", "integer", "bigint"})


class Ids:
    """Integer ids for `field__in_values`, checked once and written out once (as a
    PostgreSQL array and as JSON) however many statements name them.

    Deliberately not iterable: Django checks every value of an iterable right-hand
    side of a lookup on a relation against the related model (`check_related_objects`,
    0.05 s for 48,000 ids, again for each statement); `values` gives them back.
    """

    __slots__ = ("values", "_array", "_json")

    def __init__(self, ids):
        values = frozenset(ids)
        if not all(type(v) is int for v in values):
            raise TypeError("Ids holds ints only")
        self.values = values
        self._array = self._json = None

    def __len__(self) -> int:
        return len(self.values)

    def __repr__(self) -> str:
        return f"Ids({len(self.values)} ids)"

    def array_literal(self) -> str:
        if self._array is None:
            self._array = "{" + ",".join(map(str, self.values)) + "}"
        return self._array

    def json_text(self) -> str:
        if self._json is None:
            self._json = json.dumps(list(self.values))
        return self._json


class InValues(models.Lookup):
    lookup_name = "in_values"
    prepare_rhs = False

    def values(self, connection) -> list:
        field = self.lhs.output_field
        if self.are_ints(connection):
            return list(self.rhs)  # what `get_prep_value` would give back, one by one
        return [field.get_prep_value(v) for v in self.rhs]

    def are_ints(self, connection) -> bool:
        """Plain ints for an integer column (ids): nothing to prepare, one by one."""
        return self.lhs.output_field.rel_db_type(connection) in _INTEGER_TYPES and all(
            type(v) is int for v in self.rhs
        )

    def integer_column(self, connection) -> None:
        """`Ids` name rows by an integer key: anything else is a mistake of the caller."""
        column_type = self.lhs.output_field.rel_db_type(connection)
        if column_type not in _INTEGER_TYPES:
            raise TypeError(f"Ids compared with a {column_type} column")

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        if isinstance(self.rhs, Ids):
            self.integer_column(connection)
            return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, self.rhs.json_text()]
        values = json.dumps(self.values(connection))
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, values]

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        array_type = self.lhs.output_field.rel_db_type(connection)
        if isinstance(self.rhs, Ids):
            self.integer_column(connection)
            return f"{lhs} = ANY(%s::{array_type}[])", [*params, self.rhs.array_literal()]
        if self.are_ints(connection):
            # An array literal: psycopg would adapt the list element by element
            # (0.2 s for the 300,000 ids of the national planning facts).
            value = "{" + ",".join(map(str, self.rhs)) + "}"
        else:
            value = self.values(connection)
        return f"{lhs} = ANY(%s::{array_type}[])", [*params, value]


models.Field.register_lookup(InValues)
models.ForeignObject.register_lookup(InValues)  # relations look up their own list
