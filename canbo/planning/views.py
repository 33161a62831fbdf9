"""Planning pages: plan list, plan with live findings, what-if, reviews, figures, bench, exports.

Views only adapt: reads go through `selectors` (already scoped) and `pages`,
writes through `services`. Out of scope is "not found" (404); in scope but
read-only is "forbidden" (403). A what-if writes nothing, so viewers may run it.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from canbo.core import scope
from canbo.core.audit import AccessKind, query_text, record_rows
from canbo.core.dates import format_day
from canbo.core.forms import add_service_errors
from canbo.core.replica import replica_reads
from canbo.organizations.selectors import unit_roots
from canbo.people.models import Person
from canbo.people.selectors import in_view_scope, people_named, person_list
from canbo.rules.selectors import NoRuleSetInForce

from . import documents, pages, selectors, services
from .choices import PlanStatus, RemovalReason
from .forms import (
    SUGGESTIONS,
    AdditionFormSet,
    ApproveForm,
    AsOfForm,
    CoverPositionForm,
    EntryAddForm,
    EntryRemoveForm,
    ExportForm,
    PlanCreateForm,
    PlanFilterForm,
    PublishForm,
    ReopenForm,
    ReviewForm,
    find_person,
    positions_for,
)
from .models import Plan, PlanEntry, PlanReview

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STATUS_CLASS = {
    PlanStatus.DRAFT: "secondary",
    PlanStatus.SUBMITTED: "warning",
    PlanStatus.APPROVED: "success",
    PlanStatus.PUBLISHED: "primary",
}


def today() -> dt.date:
    return timezone.localdate()


def is_htmx(request) -> bool:
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def get_plan_or_404(user, pk) -> Plan:
    try:
        return selectors.plan_get(user=user, pk=pk)
    except Plan.DoesNotExist:
        raise Http404 from None


def can_edit_plan(user, plan: Plan) -> bool:
    return scope.unit_allowed(user, plan.planning_unit, scope.EDIT)


def get_editable_plan(user, pk) -> Plan:
    """404 when the plan is out of the user's sight, 403 when it is read-only for them."""
    plan = get_plan_or_404(user, pk)
    if not can_edit_plan(user, plan):
        raise PermissionDenied(_("Bạn chỉ có quyền xem quy hoạch này."))
    return plan


def as_of_from(request) -> tuple[dt.date, AsOfForm]:
    form = AsOfForm(request.GET or None)
    return form.date(today()), form


def plan_url(plan: Plan) -> str:
    return reverse("planning:detail", args=[plan.pk])


def log_plan_read(request, plan: Plan, person_ids, kind: str = AccessKind.PLAN, query="") -> None:
    """A page or file showing people of the plan, written to the access log (one insert)."""
    record_rows(
        actor=request.user,
        kind=kind,
        instance=plan,
        query=" ".join(filter(None, [query, query_text(request.GET)])),
        person_ids=list(person_ids),
    )


# --- List and create -----------------------------------------------------------------


@replica_reads
class PlanListView(LoginRequiredMixin, View):
    def get(self, request):
        user = request.user
        plans = selectors.plan_list(user=user)
        form = PlanFilterForm(request.GET or None, plans=plans)
        filtered = form.filter(plans).order_by("planning_unit__path", "-term__start_date", "id")
        page = Paginator(filtered, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "form": form,
            "page_obj": page,
            "plans": page.object_list,
            "status_class": STATUS_CLASS,
            "can_create": scope.can_edit(user),
        }
        return render(request, "planning/plan_list.html", context)


class PlanCreateView(LoginRequiredMixin, View):
    def check(self, request):
        if not scope.can_edit(request.user):
            raise PermissionDenied(_("Bạn không có quyền lập quy hoạch."))

    def get(self, request):
        self.check(request)
        form = PlanCreateForm(user=request.user)
        return render(request, "planning/plan_form.html", {"form": form})

    def post(self, request):
        self.check(request)
        form = PlanCreateForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                plan = services.plan_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error, model=Plan)
            else:
                messages.success(request, _("Đã lập quy hoạch %s.") % plan.name)
                return redirect(plan_url(plan))
        return render(request, "planning/plan_form.html", {"form": form})


# --- The plan page -------------------------------------------------------------------


def render_plan(request, plan: Plan, *, status: int = 200, **forms):
    """The plan page; `forms` replace the blank forms (a bound form shows its errors)."""
    user = request.user
    as_of, as_of_form = as_of_from(request)
    page = pages.plan_page(plan, as_of)
    shown = [row.entry.person_id for g in page.groups for row in (*g.active, *g.removed)]
    log_plan_read(request, plan, shown)
    editable = can_edit_plan(user, plan)
    draft = plan.status == PlanStatus.DRAFT
    context = {
        "plan": plan,
        "page": page,
        "viewable": in_view_scope(user=user, person_ids=shown),
        "as_of": as_of,
        "as_of_form": as_of_form,
        "is_today": as_of == today(),
        "can_edit": editable,
        "draft": draft,
        "status_class": STATUS_CLASS.get(plan.status, "secondary"),
        "transitions": list(plan.transitions.select_related("actor").order_by("-at", "-id")),
        "last_review": plan.reviews.order_by("-reviewed_on", "-id").first(),
        "severity_class": pages.severity_class,
        "failed_remove": forms.get("failed_remove"),
        "removal_reasons": RemovalReason.choices,
    }
    if editable:
        if draft or "add_form" in forms:
            context["add_form"] = forms.get("add_form") or EntryAddForm(plan=plan, user=user)
            context["cover_form"] = forms.get("cover_form") or CoverPositionForm(plan=plan)
        context["remove_form"] = forms.get("remove_form")
        if plan.status == PlanStatus.SUBMITTED:
            context["approve_form"] = forms.get("approve_form") or ApproveForm(plan=plan)
        if plan.status == PlanStatus.APPROVED:
            context["publish_form"] = forms.get("publish_form") or PublishForm()
        if plan.status != PlanStatus.DRAFT:
            context["reopen_form"] = forms.get("reopen_form") or ReopenForm()
    context["what_if"] = what_if_context(request, plan, as_of, blank=True)
    context["export_form"] = ExportForm(
        initial={"place": documents.default_place(plan.planning_unit)}
    )
    return render(request, "planning/plan_detail.html", context, status=status)


class PlanDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        return render_plan(request, get_plan_or_404(request.user, pk))


class EntryAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        plan = get_editable_plan(request.user, pk)
        form = EntryAddForm(request.POST, plan=plan, user=request.user)
        if form.is_valid():
            try:
                entry = services.entry_add(actor=request.user, plan=plan, **form.service_fields())
            except ValidationError as error:
                add_service_errors(form, error, model=PlanEntry)
            else:
                messages.success(
                    request,
                    _("Đã đưa %(person)s vào quy hoạch chức danh %(position)s.")
                    % {"person": entry.person.full_name, "position": entry.position.title.name},
                )
                return redirect(plan_url(plan))
        return render_plan(request, plan, add_form=form)


class EntryRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk, entry_pk):
        plan = get_editable_plan(request.user, pk)
        entry = get_object_or_404(pages.plan_entries(plan), pk=entry_pk)
        form = EntryRemoveForm(request.POST, entry=entry)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.entry_remove(
                    actor=request.user,
                    entry=entry,
                    reason=data["reason"],
                    note=data["note"],
                    removed_on=data["removed_on"],
                )
            except ValidationError as error:
                add_service_errors(
                    form,
                    error,
                    model=PlanEntry,
                    aliases={"removal_reason": "reason", "removal_note": "note"},
                )
            else:
                messages.success(
                    request, _("Đã đưa %s ra khỏi quy hoạch.") % entry.person.full_name
                )
                return redirect(plan_url(plan))
        return render_plan(request, plan, remove_form=form, failed_remove=entry.pk)


class CoverPositionView(LoginRequiredMixin, View):
    def post(self, request, pk):
        plan = get_editable_plan(request.user, pk)
        form = CoverPositionForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                services.plan_add_positions(
                    actor=request.user, plan=plan, positions=[form.cleaned_data["position"]]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Đã thêm chức danh vào quy hoạch."))
                return redirect(plan_url(plan))
        return render_plan(request, plan, cover_form=form)


class TransitionView(LoginRequiredMixin, View):
    """Submit, approve, publish or reopen: one POST, through the matching service."""

    action = ""
    forms = {"approve": ApproveForm, "publish": PublishForm, "reopen": ReopenForm}
    done = {
        "submit": gettext_lazy("Đã trình phê duyệt quy hoạch."),
        "approve": gettext_lazy("Đã ghi nhận quyết định phê duyệt quy hoạch."),
        "publish": gettext_lazy("Đã công bố quy hoạch."),
        "reopen": gettext_lazy("Đã đưa quy hoạch về dự thảo."),
    }

    def post(self, request, pk):
        plan = get_editable_plan(request.user, pk)
        user = request.user
        form = None
        if self.action in self.forms:
            kwargs = {"plan": plan} if self.action == "approve" else {}
            form = self.forms[self.action](request.POST, **kwargs)
            if not form.is_valid():
                return render_plan(request, plan, **{f"{self.action}_form": form})
        data = form.cleaned_data if form is not None else {}
        try:
            if self.action == "submit":
                services.plan_submit(actor=user, plan=plan)
            elif self.action == "approve":
                services.plan_approve(actor=user, plan=plan, **data)
            elif self.action == "publish":
                services.plan_publish(actor=user, plan=plan, published_on=data["published_on"])
            else:
                services.plan_reopen(actor=user, plan=plan, reason=data["reason"])
        except ValidationError as error:
            if form is None:
                for message in error.messages:
                    messages.error(request, message)
                return redirect(plan_url(plan))
            add_service_errors(form, error, model=Plan)
            return render_plan(request, plan, **{f"{self.action}_form": form})
        messages.success(request, str(self.done[self.action]))
        return redirect(plan_url(plan))


# --- What-if -------------------------------------------------------------------------


def what_if_context(request, plan: Plan, as_of: dt.date, *, blank: bool = False) -> dict:
    """The what-if panel: proposed rows kept from the query, one blank row, and the result."""
    user = request.user
    params = request.GET if not blank else {}
    positions = list(positions_for(plan))
    by_pk = {str(p.pk): p for p in positions}
    texts = params.getlist("person") if params else []
    chosen = params.getlist("position") if params else []
    first = set(params.getlist("first_time")) if params else set()
    rows, additions, errors = [], [], []
    for i, (text, position_pk) in enumerate(zip(texts, chosen, strict=False)):
        if not text.strip() and not position_pk:
            continue
        row = {"person": text.strip(), "position": position_pk, "first_time": str(i) in first}
        person = position = None
        try:
            person = find_person(user, plan, text)
        except ValidationError as error:
            row["error"] = error.messages[0]
        position = by_pk.get(position_pk)
        if position is None and "error" not in row:
            row["error"] = _("Hãy chọn chức danh quy hoạch.")
        if person is not None and position is not None:
            row["person"] = f"{person.id_number} · {person.full_name}"
            additions.append(pages.ProposedAddition(person, position, row["first_time"]))
        else:
            errors.append(row["error"])
        rows.append(row)
    active = pages.entries_on(plan, as_of)
    removed_ids = set(params.getlist("remove")) if params else set()
    removals = [e for e in active if str(e.pk) in removed_ids]
    result = None
    asked = bool(additions or removals)
    if asked and not errors:
        result = pages.what_if(plan, as_of, additions, removals)
    return {
        "rows": [*rows, {"person": "", "position": "", "first_time": False}],
        "positions": positions,
        "active": active,
        "removed_ids": removed_ids,
        "result": result,
        "asked": asked,
        "errors": errors,
        "as_of": as_of,
        "person_ids": [a.person.pk for a in additions] + [e.person_id for e in active],
    }


class WhatIfView(LoginRequiredMixin, View):
    """GET: findings before and after a proposal, computed in memory; nothing is saved."""

    def get(self, request, pk):
        plan = get_plan_or_404(request.user, pk)
        as_of, _form = as_of_from(request)
        what_if = what_if_context(request, plan, as_of)
        log_plan_read(request, plan, what_if["person_ids"], AccessKind.WHAT_IF)
        context = {
            "plan": plan,
            "what_if": what_if,
            "severity_class": pages.severity_class,
        }
        template = "planning/_what_if.html" if is_htmx(request) else "planning/what_if.html"
        response = render(request, template, context)
        patch_vary_headers(response, ["HX-Request"])
        return response


class PersonSuggestView(LoginRequiredMixin, View):
    """Suggestions for a person box: "ID · name (unit)" buttons (htmx)."""

    def get(self, request):
        text = next((v for v in request.GET.values() if v.strip()), "")
        text = text.split(" · ", 1)[0].strip()
        people = []
        if len(text) >= 2:
            people = people_named(person_list(user=request.user), text, SUGGESTIONS)
        if people:  # ID numbers, names and units of the user's scope: a list read
            record_rows(actor=request.user, kind=AccessKind.LIST, model=Person,
                        query=f"gợi ý: {text}", person_ids=[p.pk for p in people])  # fmt: skip
        context = {
            "people": people,
            "text": text,
            "target": request.headers.get("HX-Trigger", ""),
        }
        return render(request, "planning/_person_options.html", context)


# --- Reviews -------------------------------------------------------------------------


class ReviewView(LoginRequiredMixin, View):
    template_name = "planning/reviews.html"

    def render_page(self, request, plan, form=None, formset=None):
        editable = can_edit_plan(request.user, plan)
        reviewable = plan.status in (PlanStatus.APPROVED, PlanStatus.PUBLISHED)
        reviews, shown = pages.review_rows(plan)
        context = {
            "plan": plan,
            "reviews": reviews,
            "can_edit": editable,
            "reviewable": reviewable,
        }
        if editable and reviewable:
            context["form"] = form or ReviewForm(
                entries=pages.open_entries(plan), initial={"reviewed_on": today()}
            )
            shown += [entry.person_id for entry in context["form"].entries]
            context["formset"] = formset or AdditionFormSet(
                plan=plan, user=request.user, prefix="add"
            )
        log_plan_read(request, plan, shown)
        return render(request, self.template_name, context)

    def get(self, request, pk):
        return self.render_page(request, get_plan_or_404(request.user, pk))

    def post(self, request, pk):
        plan = get_editable_plan(request.user, pk)
        user = request.user
        form = ReviewForm(request.POST, entries=pages.open_entries(plan))
        formset = AdditionFormSet(request.POST, plan=plan, user=user, prefix="add")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                review = services.review_record(
                    actor=user,
                    plan=plan,
                    reviewed_on=data["reviewed_on"],
                    decision_number=data["decision_number"],
                    note=data["note"],
                    additions=[
                        services.EntryAddition(
                            person=a["person"],
                            position=a["position"],
                            source=a["source"],
                            first_time=a["first_time"],
                        )
                        for a in formset.additions()
                    ],
                    removals=[
                        services.EntryRemoval(entry=entry, reason=reason, note=note)
                        for entry, reason, note in form.removals()
                    ],
                )
            except ValidationError as error:
                add_service_errors(form, error, model=PlanReview)
            else:
                messages.success(
                    request,
                    _("Đã ghi nhận đợt rà soát ngày %s.") % format_day(review.reviewed_on),
                )
                return redirect("planning:reviews", pk=plan.pk)
        return self.render_page(request, plan, form, formset)


# --- Figures and bench ---------------------------------------------------------------


def figures_or_message(compute):
    try:
        return compute(), ""
    except NoRuleSetInForce as error:
        return None, str(error)


@replica_reads
class PlanFiguresView(LoginRequiredMixin, View):
    def get(self, request, pk):
        plan = get_plan_or_404(request.user, pk)
        as_of, as_of_form = as_of_from(request)
        figures, missing = figures_or_message(lambda: pages.plan_figures(plan, as_of))
        context = {
            "plan": plan,
            "as_of": as_of,
            "as_of_form": as_of_form,
            "charts": pages.charts(figures) if figures else None,
            "rules_missing": missing,
        }
        return render(request, "planning/plan_figures.html", context)


@replica_reads
class UnitFiguresView(LoginRequiredMixin, View):
    """Figures of the plans of a unit's subtree, by the unit and each unit directly below it."""

    def get(self, request):
        user = request.user
        as_of, as_of_form = as_of_from(request)
        plans = selectors.plan_list(user=user)
        filter_form = PlanFilterForm(request.GET or None, plans=plans)
        roots = unit_roots(user=user)
        filter_form.fields["unit"].queryset = pages.figure_units(roots, plans)
        filter_form.fields["unit"].pick_from("planning.figures")
        unit = None
        if filter_form.is_valid():
            unit = filter_form.cleaned_data.get("unit")
            if filter_form.cleaned_data.get("term"):
                plans = plans.filter(term=filter_form.cleaned_data["term"])
        unit = unit or (roots[0] if roots else None)
        rows, unit_charts, missing = [], None, ""
        if unit is not None:
            found, missing = figures_or_message(lambda: pages.unit_figures(unit, plans, as_of))
            rows, unit_charts = found or ([], None)
        context = {
            "unit": unit,
            "form": filter_form,
            "as_of": as_of,
            "as_of_form": as_of_form,
            "rows": rows,
            "charts": unit_charts,
            "rules_missing": missing,
        }
        return render(request, "planning/unit_figures.html", context)


@replica_reads
class BenchView(LoginRequiredMixin, View):
    def get(self, request, pk):
        plan = get_plan_or_404(request.user, pk)
        as_of, as_of_form = as_of_from(request)
        rows, missing = pages.bench_page(plan, as_of)
        log_plan_read(request, plan, pages.bench_people(r.bench for r in rows))
        context = {
            "plan": plan,
            "as_of": as_of,
            "as_of_form": as_of_form,
            "rows": rows,
            "at_risk": sum(1 for r in rows if r.bench.at_risk),
            "vacancies": sum(1 for r in rows if r.bench.vacancy_expected),
            "rules_missing": missing,
        }
        return render(request, "planning/bench.html", context)


# --- Exports -------------------------------------------------------------------------


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "quy-hoach"


@replica_reads
class ExportView(LoginRequiredMixin, View):
    fmt = "xlsx"

    def get(self, request, pk):
        plan = get_plan_or_404(request.user, pk)
        form = ExportForm(request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        on = today()
        shown = pages.active_person_ids(plan, on)
        log_plan_read(request, plan, shown, AccessKind.DOCUMENT, query=f"format={self.fmt}")
        stem = f"quy-hoach-{_safe(plan.planning_unit.code)}-{_safe(plan.term.name)}"
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
        try:
            if self.fmt == "docx":
                documents.write_plan_docx(
                    plan,
                    handle,
                    on=on,
                    number=data.get("number") or "",
                    place=data.get("place") or "",
                    signed_on=data.get("on"),
                )
            else:
                documents.write_plan_xlsx(plan, handle, on=on)
        except BaseException:
            handle.close()
            raise
        handle.seek(0)
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=f"{stem}.{self.fmt}",
            content_type=DOCX if self.fmt == "docx" else XLSX,
        )
        response["Cache-Control"] = "no-store"
        return response
