"""Reading a sheet's cells into values: the first phase of an import, the same for every sheet.

Each column is read by its kind (`cells.py`, or the kind a domain registered) and
checked against the validators of the model field it fills; what each spelling of
a cell reads as is remembered, since the same few names, dates and labels fill a
column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext as _

from canbo.core.dates import DatePrecision

from . import cells
from .registry import registry
from .sheets import Column, Sheet

KNOWN_LIMIT = 100_000  # spellings remembered per column while reading cells
_MISSING = object()
CORE_READERS = {
    "text": cells.read_text,
    "code": cells.read_text,
    "note": cells.read_note,
    "id_number": cells.read_id_number,
    "term": cells.read_term,
    "partial_date": cells.read_partial_date,
    "date": cells.read_date,
    "int": cells.read_int,
    "decimal": cells.read_decimal,
    "bool": cells.read_bool,
}


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    bad: bool = False
    sheet_name: str | None = None  # set on the rows of a continuation worksheet
    # The columns whose cell could not be read (reported): their key is not in `values`,
    # and the row's other checks go on without them, so one round reports everything.
    failed: frozenset[str] = frozenset()


def model_field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def plain_kind(column: Column) -> bool:
    """Is a cell's value the model field's own, not a code, term or catalog entry that
    names another record (those are resolved later, or are the field's own choice)?"""
    return column.kind != "term" and column.kind not in registry.kinds()


class SheetParsing:
    """The cell-reading half of `PackageImport` (which sets raw, rows, kinds, lookups)."""

    def catalog(self, choices) -> cells.Catalog:
        if choices not in self.catalogs:
            self.catalogs[choices] = cells.Catalog(choices.choices)
        return self.catalogs[choices]

    def lookup_catalog(self, name: str) -> cells.Catalog:
        if name not in self.catalogs:
            self.catalogs[name] = cells.Catalog(self.lookups[name].entries())
        return self.catalogs[name]

    def reader(self, column: Column):
        """The function that reads this column's cells (chosen once per sheet)."""
        kind = column.kind
        if kind == "choice":
            return self.catalog(column.choices).read
        if kind in self.lookups:
            return self.lookup_catalog(kind).read
        read = CORE_READERS[kind] if kind in CORE_READERS else self.kinds[kind].read
        if read is cells.read_id_number and self.raw.source == "json":
            return cells.read_id_number_json  # no spreadsheet to blame for lost zeros
        return read

    @staticmethod
    def blank_value(column: Column, model):
        if column.kind == "partial_date":
            return (None, DatePrecision.DAY)
        field = model_field(model, column.model_field)
        if field is not None and plain_kind(column):
            if field.has_default():
                return field.get_default()
            if field.null:
                return None
            return "" if isinstance(field, models.CharField | models.TextField) else None
        return None

    @staticmethod
    def checker(column: Column, model):
        """The model field's own rules for a read value, or None when it has none."""
        field = model_field(model, column.model_field)
        if field is None or not plain_kind(column):
            return None
        validators = field.validators
        if not validators:
            return None
        length = getattr(field, "max_length", None)
        if isinstance(field, models.CharField) and len(validators) == 1 and length:
            message = _("Tối đa %(n)d ký tự (ô này có %(m)d).")

            def check_length(value):  # the common case, without Django's validator machinery
                if len(value) > length:
                    raise ValidationError(message % {"n": length, "m": len(value)})

            return check_length
        run = field.run_validators
        empty = field.empty_values
        steps = []
        for validator in validators:
            if type(validator) is RegexValidator:
                # Its pattern sits behind a lazy object that costs more than the search.
                steps.append((validator.regex.search, validator.inverse_match))
            else:
                steps.append((validator, None))

        def check(value):
            if value in empty:
                return
            # Each validator in turn; only a failure goes through Django's run_validators,
            # which gathers the messages of every validator that fails.
            try:
                for validator, inverse in steps:
                    if inverse is None:
                        validator(value)
                    elif (validator(str(value)) is not None) is inverse:  # RegexValidator's rule
                        raise ValidationError("")
            except ValidationError:
                run(value)
                raise

        if column.kind == "partial_date":
            return lambda value: check(value[0])
        return check

    def parse_sheet(self, sheet: Sheet) -> None:
        model = sheet.model
        raw_sheet = self.raw.sheets[sheet.key]
        if any(c.required and c.key not in raw_sheet.present for c in sheet.columns):
            self.rows[sheet.key] = []  # "Thiếu cột bắt buộc" is reported; nothing to plan
            return
        absent = [c for c in sheet.writable if c.key not in raw_sheet.present]
        absent_keys = frozenset(c.key for c in absent)
        defaults = {c.key: self.blank_value(c, model) for c in absent}
        plan = []
        for c in sheet.writable:
            if c.key not in raw_sheet.present:
                continue
            blank = self.blank_value(c, model)
            # What each spelling of a cell reads as, once read and checked: the same few
            # names, dates and catalog labels fill a column. Only text (and empty) cells
            # are remembered, so 1, 1.0 and True never share an entry.
            known = {} if c.required else {None: blank, "": blank}
            remember = c.kind != "id_number"  # unique by nature
            plan.append((c.key, c, self.reader(c), self.checker(c, model), blank, known, remember))
        required = _("Ô bắt buộc, không được để trống.")
        missing = _MISSING
        parsed = []
        split = raw_sheet.parts[0][0] if raw_sheet.parts else None
        for index, (number, values) in enumerate(raw_sheet.rows):
            row = Row(number=number, values={})
            if split is not None and index >= split:
                row.sheet_name = raw_sheet.name_of(index)
            out = row.values
            get = values.get
            for key, column, read, check, blank, known, remember in plan:
                raw = get(key)
                try:
                    value = known.get(raw, missing)
                except TypeError:  # an unhashable value: read it the long way
                    value = missing
                if value is not missing:
                    out[key] = value
                    continue
                if raw is None or raw == "" or (type(raw) is str and raw.isspace()):
                    if column.required:
                        self.problem(sheet, row, column, "", required)
                        row.failed |= {key}
                    elif type(raw) is str:
                        known[raw] = blank
                    out[key] = blank
                    continue
                try:
                    value = read(raw)
                    if check is not None and value is not None and value != "":
                        check(value)
                except cells.CellError as error:
                    self.problem(sheet, row, column, raw, error)
                    row.failed |= {key}
                    continue
                except ValidationError as error:
                    self.problem(sheet, row, column, raw, " ".join(error.messages))
                    row.failed |= {key}
                    continue
                out[key] = value
                if remember and type(raw) is str and len(known) < KNOWN_LIMIT:
                    known[raw] = value
            out.update(defaults)
            out["_absent"] = absent_keys
            parsed.append(row)
        self.rows[sheet.key] = parsed
