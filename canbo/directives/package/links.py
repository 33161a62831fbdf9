"""Writing changed rows whose sheet carries a list of units (a task's coordinating units,
a group's units): the plain fields by bulk update, grouped by the set of fields changed,
and the unit list replaced as a whole."""

from __future__ import annotations

from collections import defaultdict

from canbo.exchange.importer import Op, PackageImport, chunks


def write_with_units(imp: PackageImport, model, *, units: str, key: str, new: list,
                     created: list[Op], changed: list[Op]) -> None:  # fmt: skip
    """`new` are the records inserted for `created`; `changed` the stored rows that
    differ. `units` names the many-to-many field, `key` the ops' column (its unit
    references are in `op.extra[key]`)."""
    by_fields: dict[tuple, list] = defaultdict(list)
    for op in changed:
        names = tuple(sorted(set(op.changed) - {key}))
        if names:
            by_fields[names].append(model(pk=op.pk, **{f: imp.pk_of(op.values[f]) for f in names}))
    for names, objects in by_fields.items():
        model.objects.bulk_update(objects, list(names), batch_size=500)
    field = model._meta.get_field(units)
    through = field.remote_field.through
    owner = f"{field.m2m_field_name()}_id"
    replaced = [op.pk for op in changed if key in op.changed]
    for chunk in chunks(replaced):
        through.objects.filter(**{f"{owner}__in": chunk}).delete()
    links = [through(**{owner: obj.pk, "unit_id": imp.pk_of(unit)})
             for obj, op in zip(new, created, strict=True) for unit in op.extra.get(key) or ()]  # fmt: skip
    links += [through(**{owner: op.pk, "unit_id": imp.pk_of(unit)})
              for op in changed if key in op.changed for unit in op.extra[key]]  # fmt: skip
    through.objects.bulk_create(links, batch_size=1000)
