"""Report-round pages (issue 16, items 3 and 7): the rounds, a new round, a round with its
completeness per form and per level and its reporting units, and for a form of the round
a level's total of the accepted figures and its reconciliation with the records.

Views only adapt: reads go through `round_selectors` (scoped: a round out of sight is "not
found"), writes through `services`, whose refusals are shown as messages or beside the
form's fields. Pages showing figures leave an access entry (`query.log_report_read`).
`now()` is the pages' one clock (tests replace it): the services take it for the moment
of opening, correcting, sending and deciding.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from canbo.core import scope
from canbo.core.forms import service_call
from canbo.directives.models import TaskAssignment
from canbo.directives.selectors import visible_assignments
from canbo.organizations.selectors import unit_list

from . import services
from .forms import form_named
from .forms_rounds import RoundEditForm, RoundForm, RoundUnitForm, period_defaults
from .models import ReportRound, SubmissionStatus
from .periods import period_label
from .query import log_report_read
from .round_selectors import (
    Tally,
    acceptance_queue,
    completeness,
    reconciliation,
    round_list_counts,
    round_total,
    visible_rounds,
    visible_submissions,
)
from .spec import FormSpec

PAGE_SIZE = 50
UNITS_PAGE_SIZE = 100

STATUS_CLASS = {
    SubmissionStatus.DRAFT: "text-bg-warning",
    SubmissionStatus.SUBMITTED: "text-bg-primary",
    SubmissionStatus.ACCEPTED: "text-bg-success",
    SubmissionStatus.RETURNED: "text-bg-danger",
}


def now() -> dt.datetime:
    """The pages' clock (tests monkeypatch it)."""
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


def act(request, function, **kwargs) -> tuple[bool, object]:
    """Run a service write as the user; a refusal becomes error messages (never a server
    error). (done, the service's answer)."""
    try:
        return True, function(actor=request.user, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("Bạn không có quyền thực hiện thao tác này."))
    except IntegrityError:  # the same row written twice at one moment
        messages.error(request, _("Dữ liệu vừa được thay đổi cùng lúc; hãy thử lại."))
    return False, None


def log_params(**values) -> QueryDict:
    """What an access entry names besides the form and the unit ("round=3 submission=8")."""
    params = QueryDict(mutable=True)
    for key, value in values.items():
        params[key] = str(value)
    return params


def round_get(user, pk) -> ReportRound:
    rounds = visible_rounds(user).select_related("issuing_unit", "within", "group",
                                                "task__directive")  # fmt: skip
    return get_object_or_404(rounds, pk=pk)


def round_form(report_round: ReportRound, code: str) -> FormSpec:
    """A form of the round (404 for any other code)."""
    spec = form_named(code)
    if spec is None or spec.code not in report_round.form_codes:
        raise Http404
    return spec


def round_url(report_round: ReportRound) -> str:
    return reverse("reports:round", args=[report_round.pk])


def period_of(report_round: ReportRound) -> str:
    r = report_round
    return period_label(r.period_kind, r.year, r.period_number, r.period_start, r.period_end)


def column_label(column) -> str:
    """"Giới tính – Nữ"; the label alone outside a group or when it repeats the group's."""
    if column.group and str(column.group) != str(column.label):
        return f"{column.group} – {column.label}"
    return str(column.label)


# --- The completeness chart ----------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A part of a horizontal bar: x and width in percent of the bar (SVG user units)."""

    name: str
    label: str
    n: int
    x: str
    width: str
    color: str


#: The parts of a bar, left to right, with Bootstrap's colours (an SVG fill, no style).
PARTS = (
    ("accepted", gettext_lazy("Đã tiếp nhận"), "#198754", "text-bg-success"),
    ("waiting", gettext_lazy("Chờ tiếp nhận"), "#0d6efd", "text-bg-primary"),
    ("returned", gettext_lazy("Bị trả lại"), "#dc3545", "text-bg-danger"),
    ("opened", gettext_lazy("Đang lập"), "#ffc107", "text-bg-warning"),
    ("unopened", gettext_lazy("Chưa lập"), "#ced4da", "text-bg-secondary"),
)
LEGEND = [(label, css) for _name, label, _color, css in PARTS]
SHOWN = ("submitted", "on_time", "accepted", "returned", "waiting", "not_submitted")


def bar(tally: Tally) -> list[Segment]:
    """The tally's expected reports split by where they stand, as bar segments."""
    expected = tally.expected
    if not expected:
        return []
    counts = {"accepted": tally.accepted, "waiting": tally.waiting, "returned": tally.returned,
              "opened": tally.opened,
              "unopened": max(expected - tally.submitted - tally.opened, 0)}  # fmt: skip
    segments, x = [], 0.0
    for name, label, color, _css in PARTS:
        n = counts[name]
        if n <= 0:
            continue
        width = min(100.0 * n / expected, 100.0 - x)
        segments.append(Segment(name, str(label), n, f"{x:.3f}", f"{width:.3f}", color))
        x += width
    return segments


@dataclass
class TallyRow:
    label: str
    code: str
    tally: Tally
    texts: dict
    bar: list[Segment]


def tally_row(label: str, code: str, tally: Tally) -> TallyRow:
    return TallyRow(label, code, tally, {name: tally.text(name) for name in SHOWN}, bar(tally))


# --- Rounds ---------------------------------------------------------------------------------


class RoundListView(LoginRequiredMixin, View):
    def get(self, request):
        user = request.user
        rounds = visible_rounds(user).select_related("issuing_unit", "task__directive")
        page = Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page"))
        shown = list(page.object_list)
        counts = round_list_counts(user, shown)
        rows = [{"round": r, "period": period_of(r), **counts[r.pk]} for r in shown]
        context = {"page_obj": page, "rows": rows, "can_create": scope.can_edit(user),
                   "waiting": acceptance_queue(user).count()}  # fmt: skip
        return render(request, "reports/rounds/round_list.html", context)


def period_context(kind: str, year, number, start: str, end: str, *, fill: bool) -> dict:
    """The period's dates box: the defaults of the kind, year and quarter or month, and the
    dates shown (the defaults when `fill`, else as typed)."""
    found, problem = period_defaults(kind, year, number)
    if fill and found is not None:
        start, end = f"{found[0]:%d/%m/%Y}", f"{found[1]:%d/%m/%Y}"
    return {"defaults": found, "problem": problem, "start": start, "end": end}


def render_create(request, form: RoundForm):
    if form.is_bound:
        dates = period_context(form.data.get("period_kind", ""), form.data.get("year"),
                               form.data.get("period_number"), form.data.get("period_start", ""),
                               form.data.get("period_end", ""), fill=False)  # fmt: skip
        dates |= {"start_errors": form.errors.get("period_start"),
                  "end_errors": form.errors.get("period_end")}  # fmt: skip
    else:
        dates = period_context(form.initial["period_kind"], form.initial["year"], None, "", "",
                               fill=True)  # fmt: skip
    return render(request, "reports/rounds/round_form.html", {"form": form, "dates": dates})


class RoundCreateView(LoginRequiredMixin, View):
    """A new round: forms, period (dates by default from the kind and year), deadline, the
    issuing unit and who reports (`services.round_create`)."""

    def refused(self, request):
        if scope.can_edit(request.user):
            return None
        messages.error(request, _("Bạn không có quyền lập đợt báo cáo."))
        return redirect("reports:rounds")

    def get(self, request):
        if (answer := self.refused(request)) is not None:
            return answer
        initial = {"period_kind": "annual", "year": today().year}
        units = unit_list(user=request.user, action=scope.EDIT)
        first = units.first()
        if first is not None:
            initial["issuing_unit"] = first.pk
        return render_create(request, RoundForm(user=request.user, initial=initial))

    def post(self, request):
        if (answer := self.refused(request)) is not None:
            return answer
        form = RoundForm(request.POST, user=request.user)
        if form.is_valid():
            created = service_call(form, services.round_create, **form.cleaned_data,
                                   denied=_("Bạn không có quyền lập đợt báo cáo của đơn vị này."))  # fmt: skip
            if created is not None:
                messages.success(request, _("Đã lập đợt báo cáo “%(name)s” và giao cho %(n)s đơn "
                                            "vị.") % {"name": created.name,
                                                      "n": created.task.assignments.count()})  # fmt: skip
                return redirect(round_url(created))
        return render_create(request, form)


class RoundPeriodView(LoginRequiredMixin, View):
    """The period's dates box for the form (htmx): the defaults of the chosen kind, year and
    quarter or month filled in; an ad hoc period keeps what was typed."""

    def get(self, request):
        q = request.GET
        dates = period_context(q.get("period_kind", ""), q.get("year"), q.get("period_number"),
                               q.get("period_start", "")[:20], q.get("period_end", "")[:20],
                               fill=True)  # fmt: skip
        return render(request, "reports/rounds/_period.html", {"dates": dates})


class RoundEditView(LoginRequiredMixin, View):
    """A round's name, deadline and note, for the editors of its issuing unit
    (`services.round_update`); others are sent back to the round with the reason."""

    def editable(self, request, pk: int) -> tuple[ReportRound, bool]:
        r = round_get(request.user, pk)
        if scope.unit_allowed(request.user, r.issuing_unit, scope.EDIT):
            return r, True
        messages.error(request, _("Chỉ người được sửa dữ liệu của %(unit)s sửa được đợt báo cáo "
                                  "này.") % {"unit": r.issuing_unit.name})  # fmt: skip
        return r, False

    def render(self, request, r: ReportRound, form: RoundEditForm):
        return render(request, "reports/rounds/round_edit.html",
                      {"round": r, "period": period_of(r), "form": form})  # fmt: skip

    def get(self, request, pk: int):
        r, allowed = self.editable(request, pk)
        if not allowed:
            return redirect(round_url(r))
        initial = {"name": r.name, "deadline": r.deadline, "note": r.note}
        return self.render(request, r, RoundEditForm(user=request.user, initial=initial))

    def post(self, request, pk: int):
        r, allowed = self.editable(request, pk)
        if not allowed:
            return redirect(round_url(r))
        form = RoundEditForm(request.POST, user=request.user)
        if form.is_valid():
            saved = service_call(form, services.round_update, report_round=r, **form.cleaned_data,
                                 denied=_("Bạn không có quyền sửa đợt báo cáo này."))  # fmt: skip
            if saved is not None:
                messages.success(request, _("Đã lưu đợt báo cáo “%(name)s”.") % {"name": saved.name})
                return redirect(round_url(saved))
        return self.render(request, r, form)


def unit_rows(user, report_round: ReportRound, assignments: list[TaskAssignment]) -> list[dict]:
    """The page's reporting units with each form's submission (None before it is opened)
    and whether the user may open it."""
    submissions = (visible_submissions(user)
                   .filter(round=report_round, unit__in=[a.unit_id for a in assignments])
                   .only("pk", "unit_id", "form_code", "status", "submitted_at"))  # fmt: skip
    found = {(s.unit_id, s.form_code): s for s in submissions}
    rows = []
    for a in assignments:
        editable = scope.unit_allowed(user, a.unit, scope.EDIT)
        cells = []
        for code in report_round.form_codes:
            s = found.get((a.unit_id, code))
            cells.append({"code": code, "submission": s, "can_open": s is None and editable,
                          "css": STATUS_CLASS.get(s.status, "") if s else ""})  # fmt: skip
        rows.append({"assignment": a, "unit": a.unit, "cells": cells})
    return rows


class RoundDetailView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        user = request.user
        r = round_get(user, pk)
        on = today()
        c = completeness(r, on=on, user=user)
        specs = r.forms()
        forms_rows = [tally_row(f"{spec.code} · {spec.short}", spec.code, c.forms[spec.code])
                      for spec in specs]  # fmt: skip
        levels = [(f"completeness-{level}", label,
                   [tally_row(code, code, tallies[code]) for code in r.form_codes if code in tallies])
                  for level, label, tallies in c.by_level()]  # fmt: skip
        assignments = (visible_assignments(user).filter(task_id=r.task_id)
                       .select_related("unit").order_by("unit__path"))  # fmt: skip
        page = Paginator(assignments, UNITS_PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "round": r, "period": period_of(r), "specs": specs, "on": on, "completeness": c,
            "forms_rows": forms_rows, "levels": levels, "legend": LEGEND, "page_obj": page,
            "units": unit_rows(user, r, list(page.object_list)),
            "is_issuer": scope.unit_allowed(user, r.issuing_unit),
            "may_edit": scope.unit_allowed(user, r.issuing_unit, scope.EDIT),
            "waiting": acceptance_queue(user).filter(round=r).count(),
        }  # fmt: skip
        return render(request, "reports/rounds/round_detail.html", context)


# --- A level's total and its reconciliation -------------------------------------------------


def chosen_unit(request, report_round: ReportRound):
    """(the unit asked for in ?unit= among those the user may read — by default the issuing
    unit, else the highest unit in scope —, the unit form)."""
    form = RoundUnitForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    unit = data.get("unit")
    if unit is None and scope.unit_allowed(request.user, report_round.issuing_unit):
        unit = report_round.issuing_unit
    unit = unit or unit_list(user=request.user).first()
    if unit is None:
        raise Http404
    if not form.is_bound:
        form = RoundUnitForm(initial={"unit": unit.pk}, user=request.user)
    return unit, form


class RoundTotalView(LoginRequiredMixin, View):
    """A unit's figures of a form in the round: the sum of the accepted submissions of the
    reporting units in its subtree, each with its corrected cells."""

    def get(self, request, pk: int, code: str):
        r = round_get(request.user, pk)
        spec = round_form(r, code)
        unit, form = chosen_unit(request, r)
        try:
            report = round_total(r, spec, unit, user=request.user)
        except PermissionDenied:
            raise Http404 from None
        log_report_read(request, spec.code, unit, log_params(round=r.pk, view="total"))
        context = {"round": r, "period": period_of(r), "spec": spec, "unit": unit, "form": form,
                   "report": report, "groups": spec.header_groups(), "grid": report.grid()}  # fmt: skip
        return render(request, "reports/rounds/total.html", context)


def reconciliation_context(user, r: ReportRound, spec: FormSpec, unit) -> dict:
    """The reconciliation page: the lower sum as the form's table with each differing
    count cell marked, every count cell, the differences, the corrected cells and the units
    returned, waiting or not submitted."""
    rec = reconciliation(r, spec, unit, user=user)
    by_key = {(c["row"], c["column"]): c for c in rec.cells()}
    grid = [(row, [(column, rec.lower.value(row.code, column.code),
                    by_key.get((row.code, column.code))) for column in spec.columns])
            for row in spec.rows]  # fmt: skip
    rows = {row.code: row for row in spec.rows}
    columns = {column.code: column for column in spec.columns}

    def where(row: str, column: str) -> dict:
        return {"row_label": rows[row].label, "column_label": column_label(columns[column])}

    cells = [{**where(c["row"], c["column"]), **c, "delta": c["lower"] - c["own"]}
             for c in rec.cells()]  # fmt: skip
    differences = [{**where(d.row, d.column), "d": d} for d in rec.differences]
    corrections = [{**where(c.row, c.column), "c": c,
                    "status": SubmissionStatus(c.status).label} for c in rec.corrections]  # fmt: skip
    links = dict(visible_submissions(user).filter(
        round=r, form_code=spec.code, unit__in=[line.unit.pk for line in rec.lines])
        .values_list("unit_id", "pk"))  # fmt: skip
    lines = [{"unit": line.unit, "status": line.status,
              "label": SubmissionStatus(line.status).label if line.status else _("Chưa lập"),
              "css": STATUS_CLASS.get(line.status, "text-bg-secondary"),
              "submission": links.get(line.unit.pk)} for line in rec.lines]  # fmt: skip
    return {"rec": rec, "grid": grid, "cells": cells, "differences": differences,
            "corrections": corrections, "lines": lines}  # fmt: skip


class ReconciliationView(LoginRequiredMixin, View):
    """Cell by cell: the sum of the lower submissions, the level's own computation from the
    records over the same units, the difference; the corrected cells with their reasons;
    the units returned, waiting or not submitted."""

    def get(self, request, pk: int, code: str):
        r = round_get(request.user, pk)
        spec = round_form(r, code)
        unit, form = chosen_unit(request, r)
        try:
            context = reconciliation_context(request.user, r, spec, unit)
        except PermissionDenied:
            raise Http404 from None
        log_report_read(request, spec.code, unit, log_params(round=r.pk, view="reconciliation"))
        context |= {"round": r, "period": period_of(r), "spec": spec, "unit": unit, "form": form,
                    "groups": spec.header_groups()}  # fmt: skip
        return render(request, "reports/rounds/reconciliation.html", context)
