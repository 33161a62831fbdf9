"""Rotation pages: the list, recording a rotation (also from a person's profile), the
rotation with its directions and R1–R3 findings, its start and end; rotation plans (list,
create, the plan with its rotations' status and findings); the watch lists.

Views only adapt: reads go through `selectors` (already scoped) and `pages`, writes through
`services`. Out of scope is "not found" (404); in scope but read-only is "forbidden"
(403). Every page showing people leaves an access entry.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from canbo.core import scope
from canbo.core.audit import AccessKind, query_text, record_rows
from canbo.core.forms import service_call as _service_call
from canbo.organizations.selectors import position_list, unit_list
from canbo.people.selectors import in_view_scope, person_list
from canbo.planning.forms import AsOfForm
from canbo.rules.selectors import NoRuleSetInForce

from . import pages, selectors, services
from .forms import (
    EndForm,
    PlanForm,
    RotationFilterForm,
    RotationForm,
    StartForm,
    SubtreeForm,
    person_text,
)
from .holders import check_posts, watch_lists
from .models import Rotation, RotationPlan

PAGE_SIZE = 50


def today() -> dt.date:
    return timezone.localdate()


def get_rotation_or_404(user, pk) -> Rotation:
    return get_object_or_404(selectors.rotations(user), pk=pk)


def get_editable_rotation(user, pk) -> Rotation:
    rotation = get_rotation_or_404(user, pk)
    if not pages.can_edit(user, rotation):
        raise PermissionDenied(_("Bạn chỉ có quyền xem luân chuyển này."))
    return rotation


def rotation_url(rotation: Rotation) -> str:
    return reverse("rotation:detail", args=[rotation.pk])


def log_read(request, person_ids, *, instance=None, kind=AccessKind.ROTATION, query="", model=Rotation) -> None:
    record_rows(actor=request.user, kind=kind, instance=instance,
                model=None if instance is not None else model,
                query=" ".join(filter(None, [query, query_text(request.GET)])),
                person_ids=list(dict.fromkeys(person_ids)))  # fmt: skip


def service_call(form, function, **kwargs):
    """`core.forms.service_call` with this page's words for a refusal."""
    return _service_call(form, function, denied=_("Bạn không có quyền sửa luân chuyển này."), **kwargs)


def check_can_edit(request, message):
    if not scope.can_edit(request.user):
        raise PermissionDenied(message)


# --- Rotations -----------------------------------------------------------------------


class RotationListView(LoginRequiredMixin, View):
    def get(self, request):
        user = request.user
        form = RotationFilterForm(request.GET or None, user=user)
        data = form.cleaned_data if form.is_valid() else {}
        as_of = data.get("as_of") or today()
        qs = pages.filter_rotations(
            selectors.rotations(user), as_of=as_of, status=data.get("status", ""),
            kind=data.get("kind", ""), purpose=data.get("purpose", ""), unit=data.get("unit"),
        )  # fmt: skip
        ordered = qs.order_by(F("start_date").desc(nulls_first=True), "-id")  # intended first
        page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
        shown = list(page.object_list)
        found, rules_missing = pages.findings_by_rotation(
            Rotation.objects.filter(pk__in=[r.pk for r in shown]), as_of
        )
        rows = [{"rotation": r, "status": pages.STATUS_LABELS[pages.status_of(r, as_of)],
                 "rules": sorted({f.rule for f in found.get(r.pk, ())})} for r in shown]  # fmt: skip
        log_read(request, [r.person_id for r in shown], kind=AccessKind.LIST)
        context = {"form": form, "page_obj": page, "rows": rows, "as_of": as_of,
                   "rules_missing": rules_missing, "can_create": scope.can_edit(user)}  # fmt: skip
        return render(request, "rotation/rotation_list.html", context)


class RotationCreateView(LoginRequiredMixin, View):
    def initial(self, request) -> dict:
        """From a person's profile (?person=<id>): the person and the post they hold; from a
        unit's seat (?to_position=<id>): the post taken."""
        initial = {}
        pk = request.GET.get("person", "")
        person = person_list(user=request.user).filter(pk=pk).first() if pk.isdigit() else None
        if person is not None:
            initial["person"] = person_text(person)
            held = services.held_post(person, today())
            if held is not None:
                initial["from_position"] = held.pk
        to = request.GET.get("to_position", "")
        if to.isdigit() and position_list(user=request.user).filter(pk=to).exists():
            initial["to_position"] = int(to)
        plan = request.GET.get("plan", "")
        if plan.isdigit():
            found = selectors.plans(request.user, scope.EDIT).filter(pk=plan).first()
            if found is not None:
                initial |= {"plan": found.pk, "competent_unit": found.unit_id}
        return initial

    def get(self, request):
        check_can_edit(request, _("Bạn không có quyền ghi luân chuyển cán bộ."))
        form = RotationForm(user=request.user, initial=self.initial(request))
        return render(request, "rotation/rotation_form.html", {"form": form})

    def post(self, request):
        check_can_edit(request, _("Bạn không có quyền ghi luân chuyển cán bộ."))
        form = RotationForm(request.POST, user=request.user)
        form.actor, form.model = request.user, Rotation
        if form.is_valid() and request.POST.get("try"):
            # "Thử": the findings the rotation would raise, nothing written.
            data = {k: v for k, v in form.cleaned_data.items()
                    if k not in ("plan", "decision_number", "decision_date", "note")}  # fmt: skip
            try:
                tried = service_call(form, lambda actor, **kw: pages.rotation_what_if(**kw),
                                     as_of=today(), **data)  # fmt: skip
            except NoRuleSetInForce as missing:
                tried = None
                form.add_error(None, str(missing))
            if tried is not None:  # the person's planning and service left: a read, logged
                log_read(request, [data["person"].pk], query="what-if")
            return render(request, "rotation/rotation_form.html", {"form": form, "tried": tried})
        if form.is_valid():
            rotation = service_call(form, services.rotation_create, **form.cleaned_data)
            if rotation is not None:
                messages.success(request, _("Đã ghi %(kind)s của %(name)s.")
                                 % {"kind": rotation.get_kind_display().lower(),
                                    "name": rotation.person.full_name})  # fmt: skip
                return redirect(rotation_url(rotation))
        return render(request, "rotation/rotation_form.html", {"form": form})


def render_rotation(request, rotation: Rotation, *, status=200, forms=None):
    """The rotation page; `forms` replace the blank forms (a bound form shows its errors)."""
    user, forms = request.user, forms or {}
    as_of_form = AsOfForm(request.GET or None)
    as_of = as_of_form.date(today())
    findings, rules_missing = pages.rotation_findings(rotation, as_of)
    editable = pages.can_edit(user, rotation)
    log_read(request, [rotation.person_id], instance=rotation)
    context = {
        "rotation": rotation,
        "as_of": as_of,
        "as_of_form": as_of_form,
        "status": pages.STATUS_LABELS[pages.status_of(rotation, as_of)],
        "findings": findings,
        "rules_missing": rules_missing,
        "can_edit": editable,
        "viewable": in_view_scope(user=user, person_ids=[rotation.person_id]),
    }
    if editable and rotation.start_date is None:
        context["start_form"] = forms.get("start") or StartForm(initial={"start_date": today()})
    if editable and rotation.start_date is not None and rotation.actual_end is None:
        context["end_form"] = forms.get("end") or EndForm(initial={"actual_end": today()})
    return render(request, "rotation/rotation_detail.html", context, status=status)


class RotationDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        return render_rotation(request, get_rotation_or_404(request.user, pk))


class RotationStartView(LoginRequiredMixin, View):
    def post(self, request, pk):
        rotation = get_editable_rotation(request.user, pk)
        form = StartForm(request.POST)
        form.actor, form.model = request.user, Rotation
        if form.is_valid() and service_call(form, services.rotation_start, rotation=rotation,
                                            **form.cleaned_data):  # fmt: skip
            messages.success(request, _("Đã ghi quyết định và ngày bắt đầu luân chuyển."))
            return redirect(rotation_url(rotation))
        return render_rotation(request, rotation, forms={"start": form})


class RotationEndView(LoginRequiredMixin, View):
    def post(self, request, pk):
        rotation = get_editable_rotation(request.user, pk)
        form = EndForm(request.POST)
        form.actor, form.model = request.user, Rotation
        if form.is_valid() and service_call(form, services.rotation_end, rotation=rotation,
                                            **form.cleaned_data):  # fmt: skip
            messages.success(request, _("Đã kết thúc luân chuyển."))
            return redirect(rotation_url(rotation))
        return render_rotation(request, rotation, forms={"end": form})


# --- Plans ---------------------------------------------------------------------------


class PlanListView(LoginRequiredMixin, View):
    def get(self, request):
        user = request.user
        form = SubtreeForm(request.GET or None, user=user)
        data = form.cleaned_data if form.is_valid() else {}
        qs = selectors.plans(user)
        if data.get("unit") is not None:
            qs = qs.filter(unit__path__startswith=data["unit"].path)
        page = Paginator(qs.order_by("-term__start_date", "unit__path", "id"), PAGE_SIZE).get_page(
            request.GET.get("page"))  # fmt: skip
        context = {"form": form, "page_obj": page, "plans": page.object_list,
                   "can_create": scope.can_edit(user)}  # fmt: skip
        return render(request, "rotation/plan_list.html", context)


class PlanCreateView(LoginRequiredMixin, View):
    def get(self, request):
        check_can_edit(request, _("Bạn không có quyền lập kế hoạch luân chuyển."))
        return render(request, "rotation/plan_form.html", {"form": PlanForm(user=request.user)})

    def post(self, request):
        check_can_edit(request, _("Bạn không có quyền lập kế hoạch luân chuyển."))
        form = PlanForm(request.POST, user=request.user)
        form.actor, form.model = request.user, RotationPlan
        if form.is_valid():
            plan = service_call(form, services.plan_create, **form.cleaned_data)
            if plan is not None:
                messages.success(request, _("Đã lập kế hoạch %(name)s.") % {"name": plan.name})
                return redirect("rotation:plan-detail", pk=plan.pk)
        return render(request, "rotation/plan_form.html", {"form": form})


class PlanDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        user = request.user
        plan = get_object_or_404(selectors.plans(user), pk=pk)
        as_of_form = AsOfForm(request.GET or None)
        as_of = as_of_form.date(today())
        lines, rules_missing = pages.plan_lines(user, plan, as_of)
        log_read(request, [line.rotation.person_id for line in lines], instance=plan)
        context = {"plan": plan, "lines": lines, "as_of": as_of, "as_of_form": as_of_form,
                   "rules_missing": rules_missing, "can_edit": pages.can_edit(user, plan)}  # fmt: skip
        return render(request, "rotation/plan_detail.html", context)


# --- Watch lists ---------------------------------------------------------------------


class WatchView(LoginRequiredMixin, View):
    """The watch lists of a subtree at a date (`holders.watch_lists`) and the R4/R5
    findings on the holders of its posts (`holders.check_posts`)."""

    def get(self, request):
        user = request.user
        form = SubtreeForm(request.GET or None, user=user)
        data = form.cleaned_data if form.is_valid() else {}
        unit = data.get("unit") or unit_list(user=user).first()
        as_of = data.get("as_of") or today()
        context = {"form": form, "unit": unit, "as_of": as_of, "lists": None, "findings": [],
                   "rules_missing": ""}  # fmt: skip
        if unit is not None:
            try:
                lists = watch_lists(user, unit, as_of)
                findings = check_posts(user, unit, as_of)
            except NoRuleSetInForce as error:
                context["rules_missing"] = str(error)
            else:
                context |= {"lists": lists, "findings": findings}
                people = [h.person.id for h in lists.local_posts]
                people += [w.holder.person.id for w in lists.term_limit]
                people += [r.person_id for r in (*lists.ending_soon, *lists.overdue)]
                people += [f.person_id for f in findings if f.person_id is not None]
                log_read(request, people, query=f"watch unit={unit.code}")
        return render(request, "rotation/watch.html", context)
