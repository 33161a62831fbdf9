"""The report forms, one module per form; `FORMS` maps each code to its `FormSpec`."""

from __future__ import annotations

from ..spec import FormSpec
from . import cadres, planning, rotation

FORMS: dict[str, FormSpec] = {spec.code: spec for spec in (cadres.FORM, *planning.FORMS,
                                                     *rotation.FORMS)}


def form_named(code: str) -> FormSpec | None:
    return FORMS.get((code or "").strip().upper())
