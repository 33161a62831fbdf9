"""The report forms, one module per form; `FORMS` maps each code to its `FormSpec`."""

from __future__ import annotations

from ..spec import FormSpec
from . import cadres, leaders, planning, rotation

ALL = (cadres.FORM, *planning.FORMS, *rotation.FORMS, leaders.FORM)
FORMS: dict[str, FormSpec] = {spec.code: spec for spec in ALL}


def form_named(code: str) -> FormSpec | None:
    return FORMS.get((code or "").strip().upper())
