"""Appointment pages: case list, open a case, the case with its dossier, close, findings and
steps (meetings, double-entered tallies), the reappointment calendar, the documents.

Views only adapt: reads go through `selectors` (already scoped) and `pages`, writes through
`services` and `steps`. Out of scope is "not found" (404); in scope but read-only is
"forbidden" (403). Every page or file showing people leaves an access entry.
"""

from __future__ import annotations

import datetime as dt
import tempfile

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from canbo.core import scope
from canbo.core.audit import AccessKind, query_text, record_rows
from canbo.core.forms import add_service_errors
from canbo.core.forms import service_call as _service_call
from canbo.people.selectors import in_view_scope
from canbo.planning.forms import AsOfForm
from canbo.rules.selectors import NoRuleSetInForce

from . import documents, pages, queue, selectors, services, steps, what_if
from .choices import BALLOT_STEPS, CaseKind
from .forms import (
    CalendarForm,
    CaseFilterForm,
    CaseOpenForm,
    CloseForm,
    DocumentForm,
    DossierForm,
    QueueForm,
    StepCloseForm,
    StepForm,
    TallyForm,
    TallyLines,
    WhatIfForm,
    person_text,
)
from .models import AppointmentCase, CaseStep

PAGE_SIZE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def today() -> dt.date:
    return timezone.localdate()


def get_case_or_404(user, pk) -> AppointmentCase:
    return get_object_or_404(selectors.cases(user), pk=pk)


def get_editable_case(user, pk) -> AppointmentCase:
    case = get_case_or_404(user, pk)
    if not pages.can_edit(user, case):
        raise PermissionDenied(_("Bạn chỉ có quyền xem hồ sơ này."))
    return case


def case_url(case: AppointmentCase, anchor: str = "") -> str:
    return reverse("appointments:detail", args=[case.pk]) + (f"#{anchor}" if anchor else "")


def log_read(request, person_ids, *, instance=None, kind=AccessKind.CASE, query="") -> None:
    record_rows(actor=request.user, kind=kind, instance=instance,
                model=None if instance is not None else AppointmentCase,
                query=" ".join(filter(None, [query, query_text(request.GET)])),
                person_ids=list(dict.fromkeys(person_ids)))  # fmt: skip


def service_call(form, function, **kwargs):
    """`core.forms.service_call` with this page's words for a refusal."""
    return _service_call(form, function, denied=_("Bạn không có quyền sửa hồ sơ này."), **kwargs)


# --- List, open, calendar ------------------------------------------------------------


class CaseListView(LoginRequiredMixin, View):
    def get(self, request):
        user = request.user
        form = CaseFilterForm(request.GET or None, user=user)
        data = form.cleaned_data if form.is_valid() else {}
        as_of = data.get("as_of") or today()
        qs = pages.filter_cases(selectors.cases(user), as_of=as_of, status=data.get("status", ""),
                                kind=data.get("kind", ""), unit=data.get("unit"))  # fmt: skip
        page = Paginator(qs.order_by("-opened_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
        log_read(request, [c.person_id for c in page.object_list], kind=AccessKind.LIST)
        context = {"form": form, "page_obj": page, "cases": page.object_list, "as_of": as_of,
                   "can_create": scope.can_edit(user)}  # fmt: skip
        return render(request, "appointments/case_list.html", context)


class CaseCreateView(LoginRequiredMixin, View):
    def check(self, request):
        if not scope.can_edit(request.user):
            raise PermissionDenied(_("Bạn không có quyền lập hồ sơ bổ nhiệm."))

    def get(self, request):
        self.check(request)
        initial = {"opened_on": today()}
        if request.GET.get("kind") in CaseKind.values:  # from the dismissal queue
            initial["kind"] = request.GET["kind"]
            initial["person"] = request.GET.get("person", "")[:20]
        form = CaseOpenForm(user=request.user, initial=initial)
        return render(request, "appointments/case_form.html", {"form": form})

    def post(self, request):
        self.check(request)
        form = CaseOpenForm(request.POST, user=request.user)
        form.actor, form.model = request.user, AppointmentCase
        if form.is_valid():
            case = service_call(form, services.case_open, **form.cleaned_data)
            if case is not None:
                messages.success(request, _("Đã lập hồ sơ %(kind)s của %(name)s.")
                                 % {"kind": case.get_kind_display().lower(),
                                    "name": case.person.full_name})  # fmt: skip
                return redirect(case_url(case))
        return render(request, "appointments/case_form.html", {"form": form})


class CalendarView(LoginRequiredMixin, View):
    def get(self, request):
        user = request.user
        form = CalendarForm(request.GET or None, user=user)
        data = form.cleaned_data if form.is_valid() else {}
        as_of = data.get("as_of") or today()
        months = data.get("months") or 12
        endings = selectors.reappointment_calendar(user, as_of=as_of, unit=data.get("unit"),
                                                   months=months)  # fmt: skip
        log_read(request, [e.case.person_id for e in endings], query="lịch bổ nhiệm lại")
        context = {"form": form, "endings": endings, "as_of": as_of, "months": months}
        return render(request, "appointments/calendar.html", context)


class QueueView(LoginRequiredMixin, View):
    """The dismissal queue: proposals of C5, E3, E4 with the case already open, if any."""

    def get(self, request):
        user = request.user
        form = QueueForm(request.GET or None, user=user)
        data = form.cleaned_data if form.is_valid() else {}
        as_of = data.get("as_of") or today()
        proposals = queue.dismissal_queue(user, as_of=as_of, unit=data.get("unit"))
        log_read(request, [p.person_id for p in proposals], query="đề nghị miễn nhiệm")
        context = {"form": form, "proposals": proposals, "as_of": as_of,
                   "can_open": scope.can_edit(user)}  # fmt: skip
        return render(request, "appointments/queue.html", context)


# --- The case page -------------------------------------------------------------------


def step_panels(request, case, views, editable, forms) -> list[dict]:
    """Per step: what the user reads of it and, when they may write, its forms."""
    user = request.user
    panels = []
    for view in views:
        step = view.step
        panel = {
            "view": view,
            "ballot": step.number in BALLOT_STEPS,
            "table": pages.tally_table(view, case),
            "hidden_rounds": pages.hidden_rounds(view, user),
            "needs_head": pages.needs_head(view, case),
        }
        if editable and step.closed_on is None:
            panel["close_form"] = forms.get(("close", step.pk)) or StepCloseForm(
                step=step, initial={"closed_on": step.held_on})
            round_no = pages.round_for(view, user)
            if panel["ballot"] and round_no is not None:
                panel["round"] = round_no
                panel["tally_form"], panel["lines"] = forms.get(("tally", step.pk)) or blank_tally(
                    request, case, view, step)  # fmt: skip
        panels.append(panel)
    return panels


def blank_tally(request, case, view, step):
    own = pages.own_entry(view, request.user)
    if own is not None:
        initial = {"ballots_valid": own.ballots_valid, "ballots_invalid": own.ballots_invalid}
        rows = [{"person": person_text(x.candidate), "votes_for": x.votes_for,
                 "votes_against": x.votes_against}
                for x in sorted(own.lines.all(), key=lambda x: x.candidate_id != case.person_id)]  # fmt: skip
    else:
        initial, rows = {"ballots_invalid": 0}, [{"person": person_text(case.person)}]
    return (TallyForm(step=step, initial=initial),
            TallyLines(user=request.user, initial=rows, prefix=f"lines-{step.pk}"))  # fmt: skip


def render_case(request, case: AppointmentCase, *, status=200, forms=None):
    """The case page; `forms` replace the blank forms (a bound form shows its errors)."""
    user, forms = request.user, forms or {}
    as_of_form = AsOfForm(request.GET or None)
    as_of = as_of_form.date(today())
    findings, rules_missing = pages.case_findings(case, as_of)
    views = selectors.case_steps(user, case)
    editable = pages.can_edit(user, case)
    is_open = case.closed_on is None
    shown = [case.person_id] + [x.candidate_id for v in views for t in v.entries for x in t.lines.all()]
    log_read(request, shown, instance=case)
    context = {
        "case": case,
        "as_of": as_of,
        "as_of_form": as_of_form,
        "findings": findings,
        "rules_missing": rules_missing,
        "can_edit": editable,
        "is_open": is_open,
        "viewable": in_view_scope(user=user, person_ids=[case.person_id]),
        "panels": step_panels(request, case, views, editable and is_open, forms),
        "has_decision": documents.has_decision(case),
        "document_form": DocumentForm(initial={"on": today()}),
    }
    if editable and is_open:
        context["dossier_form"] = forms.get("dossier") or DossierForm(initial={
            "received_on": case.dossier_received_on, "complete_on": case.dossier_complete_on})  # fmt: skip
        context["close_form"] = forms.get("close") or CloseForm(initial={"closed_on": today()})
        number = pages.next_step_number(views) if case.internal else None
        if number is not None:
            current = next((v.step for v in views if v.step.number == number), None)
            initial = ({"number": number, "held_on": current.held_on, "summoned": current.summoned,
                        "present": current.present, "note": current.note}
                       if current else {"number": number})  # fmt: skip
            context["step_form"] = forms.get("step") or StepForm(initial=initial)
            context["step_correction"] = current is not None
    return render(request, "appointments/case_detail.html", context, status=status)


class CaseDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        return render_case(request, get_case_or_404(request.user, pk))


class WhatIfView(LoginRequiredMixin, View):
    """Try other dates on a case: the A rules' findings before and after, nothing written."""

    def get(self, request, pk):
        case = get_case_or_404(request.user, pk)
        form = WhatIfForm(request.GET or None, case=case)
        context = {"case": case, "form": form}
        if form.is_valid():
            as_of = form.cleaned_data["as_of"] or today()
            try:
                result = what_if.case_what_if(case, as_of=as_of, changes=form.changes())
            except ValidationError as error:
                add_service_errors(form, error)
            except NoRuleSetInForce as missing:
                form.add_error(None, str(missing))
            else:
                context |= {"result": result, "as_of": as_of}
        log_read(request, [case.person_id], instance=case)
        return render(request, "appointments/what_if.html", context)


class DossierView(LoginRequiredMixin, View):
    def post(self, request, pk):
        case = get_editable_case(request.user, pk)
        form = DossierForm(request.POST)
        form.actor, form.model = request.user, AppointmentCase
        if form.is_valid() and service_call(form, services.case_record_dossier, case=case,
                                            **form.cleaned_data):  # fmt: skip
            messages.success(request, _("Đã ghi ngày nhận hồ sơ."))
            return redirect(case_url(case))
        return render_case(request, case, forms={"dossier": form})


class CloseView(LoginRequiredMixin, View):
    def post(self, request, pk):
        case = get_editable_case(request.user, pk)
        form = CloseForm(request.POST)
        form.actor, form.model = request.user, AppointmentCase
        if form.is_valid() and service_call(form, services.case_close, case=case,
                                            **form.cleaned_data):  # fmt: skip
            messages.success(request, _("Đã kết thúc quy trình."))
            return redirect(case_url(case))
        return render_case(request, case, forms={"close": form})


class StepRecordView(LoginRequiredMixin, View):
    def post(self, request, pk):
        case = get_editable_case(request.user, pk)
        form = StepForm(request.POST)
        form.actor, form.model = request.user, CaseStep
        if form.is_valid():
            step = service_call(form, steps.step_record, case=case, **form.cleaned_data)
            if step is not None:
                messages.success(request, _("Đã ghi %(step)s.") % {"step": step.get_number_display()})
                return redirect(case_url(case, f"step-{step.number}"))
        return render_case(request, case, forms={"step": form})


def get_step(case, step_pk) -> CaseStep:
    return get_object_or_404(CaseStep.objects.filter(case=case), pk=step_pk)


class TallyView(LoginRequiredMixin, View):
    def post(self, request, pk, step_pk):
        case = get_editable_case(request.user, pk)
        step = get_step(case, step_pk)
        view = next(v for v in selectors.case_steps(request.user, case) if v.step.pk == step.pk)
        form = TallyForm(request.POST, step=step)
        form.actor = request.user  # "votes" is no field: its messages go on top, as they are
        lines = TallyLines(request.POST, user=request.user, prefix=f"lines-{step.pk}")
        round_no = pages.round_for(view, request.user)
        if round_no is None:
            form.add_error(None, _("Đã đủ hai lần nhập do người khác thực hiện."))
        elif form.is_valid() and lines.is_valid():
            votes = [steps.Votes(x["person"], x["votes_for"], x.get("votes_against") or 0)
                     for x in lines.lines()]  # fmt: skip
            tally = service_call(form, steps.tally_enter, step=step, round_no=round_no,
                                 votes=votes, **form.cleaned_data)  # fmt: skip
            if tally is not None:
                messages.success(request, _("Đã lưu lần nhập %(round)d kết quả kiểm phiếu %(step)s.")
                                 % {"round": round_no, "step": _("bước %d") % step.number})  # fmt: skip
                return redirect(case_url(case, f"step-{step.number}"))
        return render_case(request, case, forms={("tally", step.pk): (form, lines)})


class StepCloseView(LoginRequiredMixin, View):
    def post(self, request, pk, step_pk):
        case = get_editable_case(request.user, pk)
        step = get_step(case, step_pk)
        form = StepCloseForm(request.POST, step=step)
        form.actor, form.model = request.user, CaseStep
        if form.is_valid() and service_call(form, steps.step_close, step=step,
                                            **form.cleaned_data):  # fmt: skip
            messages.success(request, _("Đã kết thúc %(step)s.") % {"step": _("bước %d") % step.number})
            return redirect(case_url(case, f"step-{step.number}"))
        return render_case(request, case, forms={("close", step.pk): form})


# --- Documents -----------------------------------------------------------------------


class DocumentView(LoginRequiredMixin, View):
    kind = "decision"

    def get(self, request, pk):
        case = get_case_or_404(request.user, pk)
        form = DocumentForm(request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        if self.kind == "decision" and not documents.has_decision(case):
            raise Http404
        shown = [case.person_id]
        if self.kind == "minutes":
            shown += [x.candidate_id for s in selectors.case_steps(request.user, case)
                      for t in s.entries for x in t.lines.all()]  # fmt: skip
        log_read(request, shown, instance=case, kind=AccessKind.DOCUMENT, query=self.kind)
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
        try:
            if self.kind == "decision":
                documents.write_decision_docx(case, handle, place=data.get("place") or "")
            else:
                documents.write_minutes_docx(case, handle, on=data.get("on") or today(),
                                             number=data.get("number") or "",
                                             place=data.get("place") or "")  # fmt: skip
        except BaseException:
            handle.close()
            raise
        handle.seek(0)
        name = "quyet-dinh" if self.kind == "decision" else "bien-ban"
        response = FileResponse(handle, as_attachment=True, content_type=DOCX,
                                filename=f"{name}-ho-so-{case.pk}.docx")  # fmt: skip
        response["Cache-Control"] = "no-store"
        return response
