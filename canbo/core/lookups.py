"""`field__in_values=[…]`: membership in a long list of values, bound as one parameter.

`field__in=[…]` binds one parameter per value: Django prepares each one
(0.6 s on SQLite, 1.2 s on PostgreSQL for 100,000 of them), the statement
grows with the list, and past SQLite's 32,766 or psycopg's 65,535 parameters
it fails. A subquery instead (`field__in=queryset`) is re-run by every
statement that names it, and PostgreSQL's planner can misjudge its size by a
factor of a hundred. This lookup sends the list as one value, an array on
PostgreSQL (`= ANY(%s)`) and a JSON list elsewhere (`IN (SELECT value FROM
json_each(%s))`, SQLite), so the planner sees a known set and the field's
index still serves it.
"""

from __future__ import annotations

import json

from django.db import models


class InValues(models.Lookup):
    lookup_name = "in_values"
    prepare_rhs = False

    def values(self) -> list:
        return [self.lhs.output_field.get_prep_value(v) for v in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(self.values())]

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        array_type = self.lhs.output_field.rel_db_type(connection)
        return f"{lhs} = ANY(%s::{array_type}[])", [*params, self.values()]


models.Field.register_lookup(InValues)
models.ForeignObject.register_lookup(InValues)  # relations look up their own list
