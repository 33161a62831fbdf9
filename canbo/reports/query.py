"""Asking for a report: a form code, a unit (code or exact name, in the user's scope) and a
cut-off date; the same words and the same "not found" for a unit outside the scope as the
key-leaders query (ADR 0010), whose form this one narrows."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from canbo.core.audit import AccessKind, query_text, record_rows
from canbo.people.leaders_query import KeyLeadersQuery

PARAMS = ("unit", "as_of")


class ReportQuery(KeyLeadersQuery):
    """unit (code, "CODE · Name", or the exact name of one unit in scope) and as_of
    (dd/mm/yyyy or YYYY-MM-DD; today when blank)."""

    def __init__(self, data=None, *, user, accepted: tuple[str, ...] = PARAMS, **kwargs):
        super().__init__(data, user=user, accepted=accepted, **kwargs)
        for name in ("level", "posts"):
            del self.fields[name]
        self.fields["unit"].help_text = _("Mã hoặc tên đơn vị: số liệu của đơn vị và các đơn "
                                          "vị trực thuộc trong phạm vi được xem.")  # fmt: skip
        self.fields["as_of"].label = _("Ngày chốt số liệu")


def log_report_read(request, form_code: str, unit, params) -> None:
    """A report names no one, but a small unit's counts can point at people: each read
    leaves an access entry with the form, the unit and the query."""
    record_rows(actor=request.user, kind=AccessKind.REPORT, model=None, person_ids=[],
                query=" ".join(filter(None, [f"report={form_code}",
                                             f"unit={getattr(unit, 'code', '')}",
                                             query_text(params)])))  # fmt: skip
